"""The keyboard scenario harness (tests/harness/scenarios.py), without QEMU."""

import dataclasses
import os
import unittest

import support  # noqa: F401  (puts tests/ on sys.path)
from harness import scenarios, verdict
from harness.scenarios import Result, Scenario

ROOT = os.path.dirname(support.TESTS_DIR)


class Keys(unittest.TestCase):
    def test_characters(self):
        self.assertEqual(scenarios.type_text("ls -l &\n"),
                         ["l", "s", "spc", "minus", "l", "spc", "shift-7", "ret"])
        self.assertEqual(scenarios.type_text("A1%_"),
                         ["shift-a", "1", "shift-5", "shift-minus"])

    def test_untypeable_character(self):
        with self.assertRaises(ValueError):
            scenarios.key_for("é")

    def test_after_escapes_for_tools_relay(self):
        self.assertEqual(scenarios.after("a,b\\c\n"), "after=a\\,b\\\\c\\n")

    def test_steps_are_valid_for_tools_relay(self):
        """Every key step of the table is a combo tools/relay accepts."""
        qcodes = set(load_relay_qcodes())
        for s in scenarios.SCENARIOS:
            for step in s.keys:
                if step.startswith(("after=", "sleep=")):
                    continue
                for key in step.split("-"):
                    self.assertIn(key, qcodes, f"{s.name}: {step}")


def load_relay_qcodes():
    import importlib.machinery
    import importlib.util
    path = os.path.join(ROOT, "tools", "relay")
    loader = importlib.machinery.SourceFileLoader("relay_tool_for_scenarios", path)
    spec = importlib.util.spec_from_loader(loader.name, loader)
    module = importlib.util.module_from_spec(spec)
    loader.exec_module(module)
    return module.QCODES


class Table(unittest.TestCase):
    def test_table_is_sane(self):
        self.assertEqual(scenarios.check_table(), [])

    def test_check_table_finds_problems(self):
        bad = (Scenario("a@b", "x", stdout=""), Scenario("dup", "x"),
               Scenario("dup", "x", stdout="", irqs=("xapic",)))
        problems = scenarios.check_table(bad)
        self.assertEqual(len(problems), 4, problems)

    def test_keyboard_scenarios_run_under_both_controllers(self):
        for s in scenarios.SCENARIOS:
            if s.keys:  # a scenario without keys does not depend on the controller
                self.assertEqual(s.irqs, ("pic", "apic"), s.name)

    def test_helper_programs_are_not_differential_tests(self):
        for s in scenarios.SCENARIOS:
            for program in (s.program,) + s.modules:
                self.assertFalse(program.startswith("test-"), program)

    def test_programs_have_sources(self):
        for s in scenarios.SCENARIOS:
            for program in (s.program,) + s.modules:
                if s.busybox and program == s.program:
                    continue  # a BusyBox applet: tools/relay run --busybox
                self.assertTrue(
                    any(os.path.isfile(os.path.join(ROOT, "user", d, program + ".c"))
                        for d in ("bin", "tests")), program)


class Selection(unittest.TestCase):
    TABLE = (Scenario("one", "x", stdout=""), Scenario("two", "x", stdout=""))

    def names(self, wanted):
        runs, unknown = scenarios.select(wanted, self.TABLE)
        return [f"{s.name}@{irq}" for s, irq in runs], unknown

    def test_group_selects_all_in_order(self):
        self.assertEqual(self.names(["scenario"]),
                         (["one@pic", "one@apic", "two@pic", "two@apic"], []))

    def test_base_name_selects_both_controllers(self):
        self.assertEqual(self.names(["scenario.two"]), (["two@pic", "two@apic"], []))

    def test_one_run(self):
        self.assertEqual(self.names(["scenario.two@apic", "scenario.one@pic"]),
                         (["one@pic", "two@apic"], []))

    def test_unknown(self):
        self.assertEqual(self.names(["scenario.three", "scenario.one@x"]),
                         ([], ["scenario.three", "scenario.one@x"]))

    def test_group_names(self):
        self.assertTrue(scenarios.is_group_name("scenario"))
        self.assertTrue(scenarios.is_group_name("scenario.x@pic"))
        self.assertFalse(scenarios.is_group_name("scenarios"))
        self.assertFalse(scenarios.is_group_name("diff.test-fork"))

    def test_entry_names(self):
        self.assertEqual(scenarios.entry_names(self.TABLE)[:2],
                         ["scenario.one@pic", "scenario.one@apic"])


class Command(unittest.TestCase):
    def test_relay_argv(self):
        s = Scenario("x", "sh", ("a",), ("hello",), (scenarios.after("$ "), "ret"), stdout="")
        argv = scenarios.relay_command("/r", s, "apic")
        self.assertEqual(argv[1:6], ["/r/tools/relay", "run", "--no-build", "--irq=apic",
                                     "--timeout=20"])
        self.assertIn("--module=/r/build/user/hello", argv)
        self.assertIn("--keys=after=$ ,ret", argv)
        self.assertEqual(argv[-2:], ["/r/build/user/sh", "a"])


class Judging(unittest.TestCase):
    S = Scenario("x", "p", status=130, contains=("A", "B"), absent=("Z",))

    def judge(self, result, s=None):
        return scenarios.judge(s or self.S, "pic", result)

    def test_pass(self):
        line = self.judge(Result(130, "..A..B..", ""))
        self.assertEqual((line.verdict, line.name), (verdict.PASS, "scenario.x@pic"))

    def test_status(self):
        line = self.judge(Result(124, "AB", ""))
        self.assertEqual(line.verdict, verdict.FAIL)
        self.assertIn("exit status 124 (timeout), expected 130", line.reason)

    def test_order_matters(self):
        line = self.judge(Result(130, "B A", ""))
        self.assertEqual(line.verdict, verdict.FAIL)
        self.assertIn("'B'", line.reason)

    def test_absent(self):
        self.assertIn("unexpected 'Z'", self.judge(Result(130, "ABZ", "")).reason)

    def test_keys_not_all_sent_fails(self):
        stderr = "relay: --keys: the program ended before printing 'Q'; later keys were not sent\n"
        line = self.judge(Result(130, "AB", stderr))
        self.assertEqual(line.verdict, verdict.FAIL)
        self.assertIn("ended before printing 'Q'", line.reason)

    def test_exact_stdout(self):
        s = Scenario("x", "p", stdout="one\ntwo\n")
        line = self.judge(Result(0, "one\nTwo\n", ""), s)
        self.assertEqual(line.verdict, verdict.FAIL)
        self.assertIn("line 2", line.reason)
        self.assertEqual(self.judge(Result(0, "one\ntwo\n", ""), s).verdict, verdict.PASS)

    def test_hung_tool(self):
        line = self.judge(Result(-1, "", "", hung=True))
        self.assertEqual(line.verdict, verdict.FAIL)
        self.assertIn("did not end", line.reason)

    def test_failure_shows_output_tail(self):
        out = "".join(f"line {i}\n" for i in range(30))
        line = self.judge(Result(1, out, "relay: boom\n"))
        self.assertIn("stdout (last 12 of 30 lines):", line.details)
        self.assertIn("  line 29", line.details)
        self.assertIn("  relay: boom", line.details)

    def test_known_bug(self):
        s = dataclasses.replace(self.S, known_bug="the bug")
        failing = self.judge(Result(0, "", ""), s)
        self.assertEqual(failing.verdict, verdict.SKIP)
        self.assertIn("known bug: the bug", failing.reason)
        passing = self.judge(Result(130, "AB", ""), s)
        self.assertEqual(passing.verdict, verdict.PASS)
        self.assertIn("no longer shows", passing.reason)


if __name__ == "__main__":
    unittest.main()
