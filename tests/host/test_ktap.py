"""Unit tests of the KTAP parser (tests/harness/ktap.py)."""

import random
import unittest

from support import ktap_lines
from harness import ktap

GOOD = """
    relay: booting
    relay: cmdline test=console
    KTAP version 1
    1..2
        KTAP version 1
        # Subtest: console
        1..3
        ok 1 printf_decimal
        # console_test.c:42: expected x == 5, got 4
        not ok 2 printf_hex
        ok 3 printf_wide # SKIP no VGA
    not ok 1 console
        KTAP version 1
        # Subtest: timer
        1..1
        ok 1 ticks
    ok 2 timer
"""


def parse(text):
    return ktap.parse(ktap_lines(text))


def flat(text):
    """{'suite.case': Outcome} for every outcome of a sample."""
    return {".".join(o.path): o for o in ktap.flatten(parse(text))}


def errors(text):
    """Reasons of all non-case failures (structure and truncation)."""
    return [o.reason for o in ktap.flatten(parse(text)) if o.kind != ktap.KIND_CASE]


class GoodOutput(unittest.TestCase):
    def test_log_lines_before_header(self):
        report = parse(GOOD)
        self.assertEqual(report.log, ["relay: booting", "relay: cmdline test=console"])

    def test_tree_shape(self):
        root = parse(GOOD).root
        self.assertEqual(root.plan, 2)
        self.assertEqual([c.name for c in root.cases], ["console", "timer"])
        console = root.cases[0].subtests
        self.assertEqual(console.name, "console")
        self.assertEqual([c.number for c in console.cases], [1, 2, 3])
        self.assertEqual(root.errors, [])

    def test_statuses_and_skip_reason(self):
        out = flat(GOOD)
        self.assertEqual(out["console.printf_decimal"].status, ktap.PASS)
        self.assertEqual(out["console.printf_hex"].status, ktap.FAIL)
        self.assertEqual(out["console.printf_wide"].status, ktap.SKIP)
        self.assertEqual(out["console.printf_wide"].reason, "no VGA")
        self.assertEqual(out["timer.ticks"].status, ktap.PASS)

    def test_diagnostic_attached_to_following_result(self):
        out = flat(GOOD)
        self.assertEqual(out["console.printf_hex"].diagnostics,
                         ["console_test.c:42: expected x == 5, got 4"])
        self.assertEqual(out["console.printf_decimal"].diagnostics, [])

    def test_no_structure_errors_in_good_output(self):
        self.assertEqual(errors(GOOD), [])

    def test_carriage_returns_are_ignored(self):
        lines = [l + "\r" for l in ktap_lines(GOOD)]
        out = {".".join(o.path): o for o in ktap.flatten(ktap.parse(lines))}
        self.assertEqual(out["console.printf_wide"].reason, "no VGA")
        self.assertEqual(ktap.parse("\r\n".join(lines)).root.errors, [])

    def test_dash_after_number_and_skip_without_reason(self):
        out = flat("""
            KTAP version 1
            1..2
            ok 1 - first
            ok 2 second # SKIP
        """)
        self.assertEqual(out["first"].status, ktap.PASS)
        self.assertEqual(out["second"].status, ktap.SKIP)

    def test_tap14_header_and_subtest_before_version(self):
        out = flat("""
            TAP version 14
            1..1
                # Subtest: mem
                KTAP version 1
                1..1
                ok 1 alloc
            ok 1 mem
        """)
        self.assertEqual(list(out), ["mem.alloc"])

    def test_unindented_lines_inside_nested_suite(self):
        """A kernel printf at column 0 must not close the nested suite."""
        text = """
            KTAP version 1
            1..1
                KTAP version 1
                # Subtest: qmp
                1..2
            # relay-inject: a shift-b
            kbd: a log line
                ok 1 keys
                ok 2 alive
            ok 1 qmp
        """
        self.assertEqual(errors(text), [])
        self.assertEqual(flat(text)["qmp.keys"].diagnostics,
                         ["relay-inject: a shift-b", "kbd: a log line"])

    def test_zero_plan_is_fine(self):
        self.assertEqual(errors("KTAP version 1\n1..0\n"), [])


class BrokenOutput(unittest.TestCase):
    def assertError(self, text, fragment, kind=None):
        found = [o for o in ktap.flatten(parse(text)) if fragment in o.reason]
        self.assertTrue(found, f"no error containing {fragment!r} in "
                               f"{[o.reason for o in ktap.flatten(parse(text))]}")
        self.assertTrue(all(o.status == ktap.FAIL for o in found))
        if kind:
            self.assertEqual(found[0].kind, kind)

    def test_no_ktap_at_all(self):
        self.assertError("relay: booting\nrelay: hello\n", "no KTAP output")

    def test_garbled_plan(self):
        self.assertError("""
            KTAP version 1
            1..x3
            ok 1 a
        """, "garbled plan")

    def test_missing_plan(self):
        self.assertError("""
            KTAP version 1
            ok 1 a
            ok 2 b
        """, "missing plan")

    def test_missing_plan_in_nested_suite(self):
        text = """
            KTAP version 1
            1..1
                KTAP version 1
                # Subtest: inner
                ok 1 a
            ok 1 inner
        """
        self.assertError(text, "missing plan")
        self.assertEqual([o.path for o in ktap.flatten(parse(text))
                          if o.kind == ktap.KIND_STRUCTURE], [("inner",)])

    def test_duplicate_number(self):
        self.assertError("""
            KTAP version 1
            1..2
            ok 1 a
            ok 1 b
        """, "duplicate test number 1")

    def test_missing_number(self):
        self.assertError("""
            KTAP version 1
            1..3
            ok 1 a
            ok 3 c
        """, "missing test number 2")

    def test_result_without_number(self):
        self.assertError("KTAP version 1\n1..1\nok a\n", "without a test number")

    def test_plan_count_mismatch(self):
        self.assertError("""
            KTAP version 1
            1..1
            ok 1 a
            ok 2 b
        """, "plan says 1 tests but 2 results")

    def test_truncated_top_level(self):
        self.assertError("""
            KTAP version 1
            1..3
            ok 1 a
        """, "output ended after 1 of 3", ktap.KIND_TRUNCATED)

    def test_truncated_mid_nested_suite(self):
        text = """
            KTAP version 1
            1..2
                KTAP version 1
                # Subtest: console
                1..3
                ok 1 a
        """
        reasons = errors(text)
        self.assertIn("output ended after 1 of 3 planned results", reasons)
        self.assertIn("output ended before the suite's result line", reasons)
        self.assertIn("output ended after 1 of 2 planned results", reasons)
        self.assertEqual(flat(text)["console.a"].status, ktap.PASS)

    def test_garbled_result_line(self):
        self.assertError("KTAP version 1\n1..1\nok 1 a\nnot  okk 2\n", "garbled result")

    def test_unsupported_version(self):
        self.assertError("KTAP version 7\n1..0\n", "unsupported version")

    def test_suite_verdict_disagrees_with_cases(self):
        self.assertError("""
            KTAP version 1
            1..1
                KTAP version 1
                # Subtest: s
                1..1
                not ok 1 a
            ok 1 s
        """, "suite reported 'ok' although a case failed")
        self.assertError("""
            KTAP version 1
            1..1
                KTAP version 1
                # Subtest: s
                1..1
                ok 1 a
            not ok 1 s
        """, "suite reported 'not ok' but no case failed")

    def test_nested_suite_without_result_line(self):
        self.assertError("""
            KTAP version 1
            1..2
                KTAP version 1
                # Subtest: one
                1..1
                ok 1 a
                KTAP version 1
                # Subtest: two
                1..1
                ok 1 b
            ok 2 two
        """, "nested suite 'one' has no result line")

    def test_garbage_never_raises(self):
        """Random mixes of KTAP-ish lines must parse without exceptions."""
        pieces = ["KTAP version 1", "1..2", "1..", "ok 1 a", "not ok 2 b",
                  "ok", "# diag", "# Subtest: x", "    ", "\t\tok 1 z",
                  "not ok", "ok 99999999999999999999 big", "garbage", "..",
                  "    KTAP version 1", "        1..1", "ok 1 # SKIP", "\r"]
        rng = random.Random(1234)
        for _ in range(500):
            lines = [rng.choice(pieces) for _ in range(rng.randint(0, 15))]
            report = ktap.parse(lines)
            for outcome in ktap.flatten(report):
                self.assertIn(outcome.status, (ktap.PASS, ktap.FAIL, ktap.SKIP))


if __name__ == "__main__":
    unittest.main()
