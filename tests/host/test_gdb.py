"""The gdb support without gdb: tools/relay --gdb, the formatting helpers of
tools/gdb/relay.py, and how tests/harness/gdbtest.py reads and judges a session."""

import importlib.machinery
import importlib.util
import math
import os
import unittest

import support
from harness import gdbtest, verdict

ROOT = os.path.dirname(support.TESTS_DIR)


def load(name, path):
    loader = importlib.machinery.SourceFileLoader(name, os.path.join(ROOT, path))
    spec = importlib.util.spec_from_loader(name, loader)
    module = importlib.util.module_from_spec(spec)
    loader.exec_module(module)
    return module


relay_tool = load("relay_tool_for_gdb", "tools/relay")
relay_gdb = load("relay_gdb", "tools/gdb/relay.py")


class RelayGdbOption(unittest.TestCase):
    def parse(self, *words):
        return relay_tool.parse_args(["run", *words, "build/user/hello"])

    def test_port_optional(self):
        opts = self.parse("--gdb")
        self.assertTrue(opts.gdb)
        self.assertIsNone(opts.gdb_port)
        self.assertEqual(self.parse("--gdb=4321").gdb_port, 4321)

    def test_bad_ports(self):
        for value in ("0", "65536", "x", ""):
            with self.assertRaises(relay_tool.UsageError):
                self.parse(f"--gdb={value}")

    def test_no_timeout_unless_asked(self):
        self.assertEqual(self.parse("--gdb").timeout, math.inf)
        self.assertEqual(self.parse("--gdb", "--timeout=5").timeout, 5)
        self.assertEqual(self.parse().timeout, relay_tool.DEFAULT_TIMEOUT)

    def test_qemu_halted_with_stub(self):
        opts = self.parse("--gdb=4321")
        argv = relay_tool.qemu_command("qemu", "k.elf", opts, "init", [], "qmp")
        self.assertIn("-S", argv)
        self.assertEqual(argv[argv.index("-gdb") + 1], "tcp:127.0.0.1:4321")
        self.assertNotIn("-gdb", relay_tool.qemu_command("qemu", "k.elf", self.parse(),
                                                         "init", [], "qmp"))

    def test_attach_command(self):
        line = relay_tool.gdb_attach_command(4321, "build/user/hello")
        self.assertIn("-x tools/gdb/relay.gdb", line)
        self.assertIn(f"'add-symbol-file {os.path.abspath('build/user/hello')}'", line)
        self.assertIn("'target remote 127.0.0.1:4321'", line)


class RelayPyHelpers(unittest.TestCase):
    def test_signal_names_from_the_header(self):
        self.assertEqual(relay_gdb.signal_name(2), "SIGINT")
        self.assertEqual(relay_gdb.signal_name(31), "SIGSYS")
        self.assertEqual(relay_gdb.format_sigset(0), "-")
        self.assertEqual(relay_gdb.format_sigset(0b110), "SIGINT,SIGQUIT")

    def test_flags(self):
        self.assertEqual(relay_gdb.format_sa_flags(0x14000000), "SA_RESTORER|SA_RESTART")
        self.assertEqual(relay_gdb.format_sa_flags(0), "0")
        self.assertEqual(relay_gdb.format_sa_flags(0x100), "0x100")
        self.assertEqual(relay_gdb.format_eflags(0x246), "PF|ZF|IF")

    def test_modes_and_vectors(self):
        self.assertEqual(relay_gdb.mode_of(0x1B), "user")
        self.assertEqual(relay_gdb.mode_of(0x08), "kernel")
        self.assertEqual(relay_gdb.vector_kind(0x21), "IRQ 1")
        self.assertEqual(relay_gdb.vector_kind(0x80), "system call (int 0x80)")
        self.assertEqual(relay_gdb.vector_kind(14, lambda v: "Page fault"),
                         "exception 14 (Page fault)")
        self.assertEqual(relay_gdb.vector_kind(0xE0), "LAPIC timer")


class Transcript(unittest.TestCase):
    def test_the_doc_has_the_steps_the_test_needs(self):
        with open(os.path.join(ROOT, gdbtest.DOC), encoding="utf-8") as f:
            commands = [c for c, _ in gdbtest.parse_transcript(f.read())]
        self.assertEqual(commands[0], "relay-sigflow")
        self.assertIn("bt", commands)
        self.assertGreaterEqual(commands.count("relay-ps"), 2)

    def test_parse(self):
        text = ("x\n" + gdbtest.TRANSCRIPT_MARK + "\n```text\n(gdb) bt\n#0  f ()\n...\n"
                "Continuing.\n(gdb) relay-ps\n```\n")
        self.assertEqual(gdbtest.parse_transcript(text), [("bt", ["#0  f ()"]),
                                                          ("relay-ps", [])])
        with self.assertRaises(ValueError):
            gdbtest.parse_transcript("no mark")

    def test_numbers_addresses_symbols_and_wrapping_may_differ(self):
        expected = ["Breakpoint 2, kbd_irq (tf=0xc01c5d14) at drivers/kbd.c:379",
                    "    one two", "    three"]
        actual = ["Breakpoint 12, kbd_irq (tf=0xc0000000) at drivers/kbd.c:380",
                  "    one", "    two three"]
        self.assertEqual(gdbtest.missing_lines(expected, actual), [])
        self.assertEqual(gdbtest.missing_lines(["kbd_irq at x"], ["kbd_service at x"]),
                         ["kbd_irq at x"])
        self.assertEqual(gdbtest.normalize("eip 0x1 <on_int+3> [PF|IF]"), "eip # <> []")

    def test_order_matters(self):
        self.assertEqual(gdbtest.missing_lines(["b", "a"], ["a", "b"]), ["a"])

    def test_split_output(self):
        mark = gdbtest.MARK
        text = f"junk\n{mark} 0\nx\n{mark} 1\ny\nz\n{mark} error bad\n{mark} end\n"
        self.assertEqual(gdbtest.split_output(text, 3),
                         [["x"], ["y", "z", f"{mark} error bad"], []])


PS_PENDING = ["  PID  PPID  PGID   SID  STATE     NAME            PENDING         BLOCKED",
              "    2     1     2     1  RUNNABLE  sigdemo         SIGINT          -"]
PS_HANDLER = ["*   2     1     2     1  RUNNING   sigdemo         -               SIGINT"]
BT = ["#0  kbd_irq (tf=0xc01c5d14) at drivers/kbd.c:379",
      "#3  0xc011072b in trap_frame_link () at arch/x86/trapentry.asm:61",
      "#4  0xc010bb4c in sti_hlt () at include/x86.h:53"]
HOPS = [f"relay-sigflow {n}/{gdbtest.HOPS}, x:" for n in range(1, gdbtest.HOPS + 1)]


class Judging(unittest.TestCase):
    STEPS = [("continue", []), ("bt", []), ("relay-ps", []), ("relay-ps", [])]

    def judge(self, parts):
        return gdbtest.check_flow(self.STEPS, parts, "sigdemo")

    def good(self):
        return [HOPS + ["Breakpoint 2, kbd_irq (tf=0x1) at drivers/kbd.c:379"], list(BT),
                list(PS_PENDING), list(PS_HANDLER)]

    def test_a_good_session(self):
        self.assertEqual(self.judge(self.good()), [])
        lines = gdbtest.judge(self.STEPS, self.good(), "", "", "sigdemo")
        self.assertEqual([l.verdict for l in lines], [verdict.PASS, verdict.PASS])

    def test_bt_must_go_below_trap_frame_link(self):
        parts = self.good()
        parts[1] = BT[:2]
        self.assertIn("bt stops at trap_frame_link: the interrupted code is not unwound",
                      self.judge(parts))
        parts[1] = [BT[0], BT[2]]
        self.assertIn("bt in kbd_irq did not reach trap_frame_link", self.judge(parts))

    def test_pending_then_cleared(self):
        parts = self.good()
        parts[2], parts[3] = PS_HANDLER, PS_PENDING
        problems = self.judge(parts)
        self.assertEqual(len(problems), 2)

    def test_missing_hop_and_breakpoint(self):
        parts = self.good()
        parts[0] = HOPS[:-1]
        problems = self.judge(parts)
        self.assertIn("the breakpoint in kbd_irq was never hit", problems)
        self.assertIn(f"relay-sigflow hop {gdbtest.HOPS}/{gdbtest.HOPS} was never reached",
                      problems)

    def test_a_session_problem_fails(self):
        lines = gdbtest.judge(self.STEPS, self.good(), "", "timeout", "sigdemo")
        self.assertEqual(lines[0].verdict, verdict.FAIL)
        self.assertEqual(lines[0].reason, "timeout")


if __name__ == "__main__":
    unittest.main()


class TranscriptConsistency(unittest.TestCase):
    """The transcript in docs/follow-a-keystroke.md must read as one real session."""

    def test_the_documented_transcript_is_consistent(self):
        with open(os.path.join(ROOT, gdbtest.DOC), encoding="utf-8") as f:
            lines = gdbtest.transcript_lines(f.read())
        self.assertGreater(len(lines), 50)
        self.assertEqual(gdbtest.transcript_inconsistencies(lines), [])

    def test_spliced_sessions_are_caught(self):
        spliced = [
            "Breakpoint 4, sig_send (p=0xc01272b0 <proc_table+9648>, sig=2) at kernel/signal/signal.c:120",
            "120\t{",
            "Breakpoint 6, sigframe_setup (p=0xc0126b60 <proc_table+1984>, sig=2, "
            "tf=0xfe005fb4) at kernel/signal/sigframe.c:132",
            "120\t{",
            "struct trapframe at 0xc0129814 (argument tf of sigframe_setup, frame #0)",
        ]
        problems = gdbtest.transcript_inconsistencies(spliced)
        self.assertEqual(len(problems), 3, problems)
        self.assertIn("not followed by source line 132", problems[0])
        self.assertIn("relay-tf shows 0xc0129814", problems[1])
        self.assertIn("several addresses", problems[2])


class TranscriptRefresh(unittest.TestCase):
    """gdbtest.py --update rewrites the transcript from a fresh session."""

    def test_matching_lines_are_replaced_and_elisions_kept(self):
        doc = ("intro\n<!-- gdbtest: transcript -->\n```text\n(gdb) bt\n#0  f (tf=0x1) at a.c:3\n"
               "...\n(gdb) relay-tf\n3\t{\n```\nafter\n")
        fresh = [["#0  f (tf=0x9) at a.c:7", "#1  g () at b.c:1", "#2  h () at c.c:2"],
                 ["7\tstatic void f(void)"]]
        self.assertEqual(gdbtest.refreshed_doc(doc, fresh),
                         "intro\n<!-- gdbtest: transcript -->\n```text\n(gdb) bt\n"
                         "#0  f (tf=0x9) at a.c:7\n...\n(gdb) relay-tf\n7\tstatic void f(void)\n"
                         "```\nafter\n")
