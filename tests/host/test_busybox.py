"""The BusyBox suite's plumbing (tests/harness/busybox.py) and tools/relay's
--busybox, without booting anything: a fake BusyBox answers --list-full."""

import os
import subprocess
import tempfile
import unittest

import support  # noqa: F401  (puts tests/ on sys.path)
from harness import busybox, verdict
from harness.busybox_commands import COMMANDS, Command
from test_relay_tool import relay

FAKE_BUSYBOX = "#!/bin/sh\nprintf 'bin/busybox\\nbin/sh\\nbin/ls\\nusr/bin/awk\\n'\n"


class Table(unittest.TestCase):
    def test_names_are_unique_and_plain(self):
        names = [c.name for c in COMMANDS]
        self.assertEqual(len(names), len(set(names)))
        for name in names:
            self.assertRegex(name, r"^[\w.-]+$")

    def test_at_least_sixty_commands(self):
        self.assertGreaterEqual(len(COMMANDS), 60)


class Selection(unittest.TestCase):
    def test_group_and_one(self):
        self.assertEqual(busybox.select(["busybox"])[0], COMMANDS)
        chosen, unknown = busybox.select(["busybox.sort", "busybox.nope"])
        self.assertEqual([c.name for c in chosen], ["sort"])
        self.assertEqual(unknown, ["busybox.nope"])
        self.assertTrue(busybox.is_group_name("busybox.x"))
        self.assertFalse(busybox.is_group_name("busyboxx"))
        self.assertEqual(busybox.select(["busybox.unimplemented"]), (COMMANDS, []))

    def test_batches_keep_every_command_once(self):
        groups = busybox.batches(COMMANDS, 3)
        self.assertEqual(len(groups), 3)
        self.assertEqual(sorted(c.name for g in groups for c in g),
                         sorted(c.name for c in COMMANDS))
        self.assertEqual(len(busybox.batches(COMMANDS[:1], 4)), 1)


class Parsing(unittest.TestCase):
    def test_markers_split_output_exactly(self):
        out = (b"junk\n<<<bb:a:1>>>no newline<<<bb:a:2>>>err\n<<<bb:a:status:3>>>\n"
               b"\n<<<bb:b-1.x:1>>><<<bb:b-1.x:2>>><<<bb:b-1.x:status:0>>>\n")
        self.assertEqual(busybox.parse_results(out),
                         {"a": (b"no newline", b"err\n", 3), "b-1.x": (b"", b"", 0)})

    def test_a_cut_off_result_is_absent(self):
        self.assertEqual(busybox.parse_results(b"\n<<<bb:a:1>>>half"), {})


class Judging(unittest.TestCase):
    cmd = Command("x", "true")

    def judge(self, host, relay_result, cmd=None):
        return busybox.judge(cmd or self.cmd, ({"x": host}, ""), ({"x": relay_result}, "", 0))

    def test_pass_and_each_difference(self):
        self.assertEqual(self.judge((b"a", b"", 0), (b"a", b"", 0)).verdict, verdict.PASS)
        line = self.judge((b"a", b"e", 0), (b"b", b"f", 1))
        self.assertEqual(line.verdict, verdict.FAIL)
        self.assertIn("stdout differs", line.reason)
        self.assertIn("stderr differs", line.reason)
        self.assertIn("host 0, Relay 1", line.reason)

    def test_known_bug_is_a_skip_until_it_passes(self):
        known = Command("x", "true", known_bug="why")
        self.assertEqual(self.judge((b"a", b"", 0), (b"b", b"", 0), known).verdict, verdict.SKIP)
        self.assertIn("no longer", self.judge((b"a", b"", 0), (b"a", b"", 0), known).reason)

    def test_missing_relay_result(self):
        line = busybox.judge(self.cmd, ({"x": (b"", b"", 0)}, ""), ({}, "boom", 125))
        self.assertEqual(line.verdict, verdict.FAIL)
        self.assertIn("kernel panic", line.reason)

    def test_unimplemented_line(self):
        self.assertEqual(busybox.unimplemented_line(["", "x\n"]).verdict, verdict.PASS)
        line = busybox.unimplemented_line(
            ["relay: ls called system calls Relay does not implement: poll (168) x1\n"])
        self.assertEqual(line.verdict, verdict.FAIL)
        self.assertIn("poll (168)", line.details[0])


class RelayOption(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.mkdtemp(prefix="relay-busybox-test-")
        self.addCleanup(lambda: subprocess.run(["rm", "-rf", self.dir]))
        self.fake = os.path.join(self.dir, "busybox")
        with open(self.fake, "w") as f:
            f.write(FAKE_BUSYBOX)
        os.chmod(self.fake, 0o755)
        os.environ["RELAY_BUSYBOX"] = self.fake
        self.addCleanup(lambda: os.environ.pop("RELAY_BUSYBOX", None))

    def resolved(self, program):
        opts = relay.parse_args(["run", "--busybox", program, "-c", "x"])
        relay.resolve_busybox(opts)
        return opts

    def test_applet_in_bin_runs_by_name(self):
        opts = self.resolved("sh")
        self.assertEqual((opts.applet, opts.program, opts.args), ("sh", self.fake, ["-c", "x"]))

    def test_applet_elsewhere_runs_by_full_path(self):
        self.assertEqual(self.resolved("awk").applet, "/usr/bin/awk")

    def test_a_path_or_unknown_name_stays_a_program(self):
        self.assertIsNone(self.resolved("./sh").applet)
        self.assertIsNone(self.resolved("nonesuch").applet)

    def test_missing_busybox_is_a_usage_error(self):
        os.environ["RELAY_BUSYBOX"] = os.path.join(self.dir, "absent")
        opts = relay.parse_args(["run", "--busybox", "sh"])
        with self.assertRaises(relay.UsageError) as caught:
            relay.resolve_busybox(opts)
        self.assertIn("tools/setup --busybox", str(caught.exception))

    def test_initramfs_holds_busybox_links_and_no_staged_applet(self):
        path = relay.build_initramfs(os.path.join(self.dir, "out.cpio"), self.fake, "sh", ["-c"],
                                     None, busybox=self.fake)
        with open(path, "rb") as f:
            data = f.read()
        for name in (b"bin/busybox\0", b"bin/ls\0", b"usr/bin/awk\0", b"/bin/busybox"):
            self.assertIn(name, data)


if __name__ == "__main__":
    unittest.main()
