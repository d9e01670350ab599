"""Judging rules for one QEMU run (tests/harness/verdict.py)."""

import unittest

from support import ktap_lines
from harness import qemu, verdict
from harness.suitedef import suite

META_FAIL = ktap_lines("""
    relay: booting
    KTAP version 1
    1..1
        KTAP version 1
        # Subtest: meta-fail
        1..2
        ok 1 passes_first
        # meta_test.c:17: expected answer == 42, got 41
        not ok 2 deliberate_failure
    not ok 1 meta-fail
""")

ALL_OK = ktap_lines("""
    KTAP version 1
    1..1
        KTAP version 1
        # Subtest: boot
        1..2
        ok 1 first
        ok 2 second # SKIP no disk
    ok 1 boot
""")

PANIC = ktap_lines("""
    KTAP version 1
    1..1
        KTAP version 1
        # Subtest: meta-panic
        1..1
    KERNEL PANIC at meta_test.c:22: deliberate
      esp=c0113788
""")


def run(code, lines, elapsed=0.5, **changes):
    """A RunResult as qemu.run_qemu would return for exit status `code`."""
    status, text = qemu.classify_exit(code) if code is not None else (
        qemu.STATUS_TIMEOUT, "hang/timeout: no exit within 30 s")
    result = qemu.RunResult(status, text, code, elapsed, list(lines),
                            panic_seen=any("KERNEL PANIC" in l for l in lines))
    for key, value in changes.items():
        setattr(result, key, value)
    return result


def rendered(entry, result):
    return [line.render() for line in verdict.judge(entry, result)]


class Ordinary(unittest.TestCase):
    def test_all_pass(self):
        self.assertEqual(rendered(suite("boot")[0], run(33, ALL_OK)),
                         ["ok   boot.first", "skip boot.second: no disk"])

    def test_failure_names_case_and_diagnostic(self):
        lines = rendered(suite("meta-fail")[0], run(35, META_FAIL))
        self.assertEqual(lines, [
            "ok   meta-fail.passes_first",
            "FAIL meta-fail.deliberate_failure: not ok "
            "(meta_test.c:17: expected answer == 42, got 41)"])

    def test_variant_name(self):
        entry = suite("boot", both_irq=True)[1]
        self.assertEqual(rendered(entry, run(33, ALL_OK))[0], "ok   boot@apic.first")

    def test_panic_reports_tail_not_truncation(self):
        lines = verdict.judge(suite("meta-panic")[0], run(37, PANIC))
        self.assertEqual(len(lines), 1)
        self.assertEqual(lines[0].render().splitlines()[0],
                         "FAIL meta-panic: kernel panic (status 37)")
        self.assertIn("KERNEL PANIC at meta_test.c:22: deliberate", lines[0].details)

    def test_timeout_and_reset_and_qemu_error(self):
        entry = suite("boot")[0]
        for code, text in ((None, "hang/timeout"), (0, "triple fault"),
                           (1, "QEMU error (status 1)")):
            with self.subTest(code=code):
                lines = verdict.judge(entry, run(code, ALL_OK[:3], stderr="qemu: oops"))
                self.assertEqual(lines[-1].verdict, verdict.FAIL)
                self.assertIn(text, lines[-1].reason)
        qemu_error = verdict.judge(entry, run(1, [], stderr="qemu: oops"))
        self.assertIn("qemu: oops", qemu_error[-1].details)

    def test_exit_status_must_agree_with_ktap(self):
        entry = suite("meta-fail")[0]
        said_pass = rendered(entry, run(33, META_FAIL))
        self.assertIn("but KTAP reports failures", said_pass[-1].splitlines()[0])
        said_fail = verdict.judge(suite("boot")[0], run(35, ALL_OK))
        self.assertIn("but no KTAP case failed", said_fail[-1].reason)
        self.assertIn("ok 1 boot", said_fail[-1].details)

    def test_no_ktap_is_a_failure(self):
        lines = rendered(suite("boot")[0], run(33, ["relay: hi"]))
        self.assertEqual(lines, ["FAIL boot: no KTAP output (no 'KTAP version 1' line)"])

    def test_empty_run_is_a_failure(self):
        lines = verdict.judge(suite("x")[0], run(33, ["KTAP version 1", "1..0",
                                                       "# test=x: no such suite"]))
        self.assertEqual(lines[0].reason, "no test cases ran (plan 1..0)")
        self.assertIn("# test=x: no such suite", lines[0].details)

    def test_inject_error_is_a_failure(self):
        lines = rendered(suite("qmp")[0], run(33, ALL_OK, inject_errors=[
            "key injection failed: key 'bogus': invalid"]))
        self.assertIn("FAIL qmp: key injection failed: key 'bogus': invalid", lines)


class RunnerProof(unittest.TestCase):
    FAIL_ENTRY = suite("meta-fail", expect="fail",
                       must_fail=["meta-fail.deliberate_failure"])[0]
    PANIC_ENTRY = suite("meta-panic", expect="panic", within=10)[0]

    def test_meta_fail_failing_as_it_must(self):
        self.assertEqual(rendered(self.FAIL_ENTRY, run(35, META_FAIL)), [
            "ok   meta-fail (failed as it must, naming meta-fail.deliberate_failure)"])

    def test_meta_fail_passing_is_a_failure(self):
        passing = [l.replace("not ok", "ok") for l in META_FAIL]
        [line] = verdict.judge(self.FAIL_ENTRY, run(33, passing))
        self.assertEqual(line.verdict, verdict.FAIL)
        self.assertIn("no failing case", line.reason)

    def test_meta_fail_wrong_case_is_a_failure(self):
        wrong = [l.replace("deliberate_failure", "other") for l in META_FAIL]
        [line] = verdict.judge(self.FAIL_ENTRY, run(35, wrong))
        self.assertEqual(line.verdict, verdict.FAIL)
        self.assertIn("meta-fail.other", line.reason)

    def test_meta_fail_that_panics_is_a_failure(self):
        [line] = verdict.judge(self.FAIL_ENTRY, run(37, META_FAIL))
        self.assertEqual(line.verdict, verdict.FAIL)

    def test_meta_panic_as_it_must(self):
        [line] = verdict.judge(self.PANIC_ENTRY, run(37, PANIC, elapsed=1.2))
        self.assertEqual(line.render(),
                         "ok   meta-panic (panicked as it must: status 37 in 1.2 s)")

    def test_meta_panic_too_slow_or_wrong(self):
        cases = {"took 12.0 s": run(37, PANIC, elapsed=12.0),
                 "expected exit status 37": run(35, META_FAIL),
                 "no 'KERNEL PANIC' line": run(37, PANIC[:5])}
        for fragment, result in cases.items():
            with self.subTest(fragment=fragment):
                [line] = verdict.judge(self.PANIC_ENTRY, result)
                self.assertEqual(line.verdict, verdict.FAIL)
                self.assertIn(fragment, line.reason)

    def test_meta_panic_timeout_is_a_failure(self):
        [line] = verdict.judge(self.PANIC_ENTRY, run(None, PANIC[:5], elapsed=30))
        self.assertEqual(line.verdict, verdict.FAIL)


if __name__ == "__main__":
    unittest.main()
