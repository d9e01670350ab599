"""Unit tests of the QEMU side (tests/harness/qemu.py), using fake_qemu.py."""

import os
import shutil
import sys
import tempfile
import time
import unittest
from unittest import mock

from support import FAKE_QEMU
from harness import qemu
from harness.suitedef import suite


class ExitMapping(unittest.TestCase):
    def test_each_status(self):
        cases = {33: qemu.STATUS_PASS, 35: qemu.STATUS_FAIL, 37: qemu.STATUS_PANIC,
                 0: qemu.STATUS_RESET, 1: qemu.STATUS_QEMU_ERROR,
                 34: qemu.STATUS_QEMU_ERROR, -9: qemu.STATUS_QEMU_ERROR}
        for code, status in cases.items():
            with self.subTest(code=code):
                self.assertEqual(qemu.classify_exit(code)[0], status)

    def test_zero_is_never_success(self):
        status, text = qemu.classify_exit(0)
        self.assertNotEqual(status, qemu.STATUS_PASS)
        self.assertIn("triple fault", text)

    def test_descriptions_name_the_status(self):
        self.assertEqual(qemu.classify_exit(37)[1], "kernel panic (status 37)")
        self.assertIn("signal 9", qemu.classify_exit(-9)[1])


class Directives(unittest.TestCase):
    def test_inject_line(self):
        self.assertEqual(qemu.inject_directive("# relay-inject: a shift-b ret"),
                         ["a", "shift-b", "ret"])
        self.assertEqual(qemu.inject_directive("    # relay-inject:  ctrl-c\r"),
                         ["ctrl-c"])

    def test_other_lines(self):
        self.assertIsNone(qemu.inject_directive("# relay-injected: a"))
        self.assertIsNone(qemu.inject_directive("ok 1 relay-inject"))


class Command(unittest.TestCase):
    def test_kernel_boot_with_icount_and_modules(self):
        entry = suite("timer", "ticks=5", initrd=["tests/data/a.txt a arg=1",
                                                  "tests/data/b"])[0]
        argv = qemu.build_command(entry, "/r", "/tmp/q.sock")
        self.assertEqual(argv[:5], ["qemu-system-i386", "-kernel", "/r/build/relay.elf",
                                    "-append", "test=timer ticks=5"])
        self.assertIn("isa-debug-exit,iobase=0xf4,iosize=0x04", argv)
        self.assertIn("unix:/tmp/q.sock,server=on,wait=off", argv)
        self.assertEqual(argv[argv.index("-icount") + 1], "shift=0,sleep=off")
        self.assertEqual(argv[argv.index("-rtc") + 1], "base=2020-01-01T00:00:00,clock=vm")
        self.assertEqual(argv[argv.index("-initrd") + 1],
                         "/r/tests/data/a.txt a arg=1,/r/tests/data/b")
        self.assertIn("-no-reboot", argv)

    def test_iso_boot(self):
        argv = qemu.build_command(suite("boot-grub", boot="iso")[0], "/r", "/s")
        self.assertEqual(argv[1:3], ["-cdrom", "/r/build/relay-test.iso"])
        self.assertNotIn("-kernel", argv)
        self.assertNotIn("-icount", argv)
        self.assertNotIn("-append", argv)


class FakeRuns(unittest.TestCase):
    """Drive run_qemu() with fake_qemu.py standing in for QEMU."""

    def run_fake(self, steps, timeout=5.0, qmp=False):
        qmp_path = qemu.qmp_socket_path() if qmp else None
        self.addCleanup(lambda: qmp_path and qemu.remove_socket_dir(qmp_path))
        log = os.path.join(self.tmp, "x.log")
        argv = [sys.executable, FAKE_QEMU, qmp_path or "-"] + steps
        return qemu.run_qemu(argv, timeout, qmp_path, log), log

    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="relay-test-")
        self.addCleanup(shutil.rmtree, self.tmp, True)
        # Short grace periods keep the suite fast; the logic is the same.
        for name in ("PANIC_GRACE", "INJECT_GRACE"):
            patcher = mock.patch.object(qemu, name, 0.3)
            patcher.start()
            self.addCleanup(patcher.stop)

    def test_pass_and_log_file(self):
        result, log = self.run_fake(["print:hello\r", "print:KTAP version 1", "exit:33"])
        self.assertEqual(result.status, qemu.STATUS_PASS)
        self.assertEqual(result.lines, ["hello", "KTAP version 1"])
        with open(log, encoding="utf-8") as f:
            self.assertEqual(f.read(), "hello\nKTAP version 1\n")

    def test_panic_exits_at_once(self):
        result, _ = self.run_fake(["print:KERNEL PANIC at x.c:1", "exit:37"], timeout=30)
        self.assertEqual(result.status, qemu.STATUS_PANIC)
        self.assertTrue(result.panic_seen)
        self.assertLess(result.elapsed, 5)

    def test_timeout_kills_and_keeps_tail(self):
        steps = [f"print:line {i}" for i in range(30)] + ["sleep:30"]
        start = time.monotonic()
        result, _ = self.run_fake(steps, timeout=1.0)
        self.assertLess(time.monotonic() - start, 10)
        self.assertEqual(result.status, qemu.STATUS_TIMEOUT)
        self.assertIn("hang/timeout", result.description)
        self.assertEqual(result.tail(), [f"line {i}" for i in range(10, 30)])

    def test_panic_without_exit_is_cut_short(self):
        result, _ = self.run_fake(["print:KERNEL PANIC at x.c:1", "sleep:30"], timeout=20)
        self.assertEqual(result.status, qemu.STATUS_PANIC)
        self.assertLess(result.elapsed, qemu.PANIC_GRACE + 3)

    def test_missing_binary_is_a_qemu_error(self):
        result = qemu.run_qemu(["/nonexistent/qemu"], 1.0)
        self.assertEqual(result.status, qemu.STATUS_QEMU_ERROR)

    def test_keys_are_injected_in_order(self):
        result, _ = self.run_fake(["print:# relay-inject: a shift-b ctrl-c",
                                   "keys:3", "print:# relay-inject: -", "keys:4",
                                   "exit:33"], qmp=True)
        self.assertEqual(result.inject_errors, [])
        self.assertIn("got-keys: a shift-b ctrl-c", result.lines)
        self.assertIn("got-keys: a shift-b ctrl-c minus", result.lines)

    def test_unknown_key_is_reported_and_run_stopped(self):
        result, _ = self.run_fake(["print:# relay-inject: a bogus", "sleep:30"],
                                  timeout=20, qmp=True)
        self.assertEqual(result.status, qemu.STATUS_ABORTED)
        self.assertEqual(len(result.inject_errors), 1)
        self.assertIn("'bogus'", result.inject_errors[0])
        self.assertLess(result.elapsed, qemu.INJECT_GRACE + 5)


if __name__ == "__main__":
    unittest.main()
