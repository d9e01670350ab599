"""Sanity of the suite table (tests/suites.py) and of the suite() helper."""

import unittest

import support  # noqa: F401  (puts tests/ on sys.path)
from harness import suitedef
from harness.suitedef import check_table, select, suite, table
from suites import SUITES


class Table(unittest.TestCase):
    def test_table_is_sane(self):
        self.assertEqual(check_table(SUITES), [])

    def by_name(self):
        return {e["name"]: e for e in SUITES}

    def test_required_suites_present(self):
        for name in ("boot", "boot-grub", "qmp", "meta-fail", "meta-panic"):
            self.assertIn(name, self.by_name())

    def test_runner_proof_suites(self):
        suites = self.by_name()
        self.assertEqual(suites["meta-fail"]["expect"], "fail")
        self.assertEqual(suites["meta-fail"]["must_fail"],
                         ("meta-fail.deliberate_failure",))
        self.assertEqual(suites["meta-panic"]["expect"], "panic")
        self.assertLessEqual(suites["meta-panic"]["within"], 10)
        self.assertGreater(suites["meta-panic"]["timeout"], suites["meta-panic"]["within"])

    def test_grub_suite_boots_the_iso_without_icount(self):
        grub = self.by_name()["boot-grub"]
        self.assertEqual(grub["boot"], "iso")
        self.assertFalse(grub["icount"])


class Helper(unittest.TestCase):
    def test_defaults(self):
        [entry] = suite("boot")
        self.assertEqual(entry["cmdline"], "test=boot")
        self.assertTrue(entry["icount"])
        self.assertEqual(entry["expect"], "pass")
        self.assertEqual(entry["timeout"], suitedef.KERNEL_TIMEOUT)

    def test_explicit_test_word_is_kept(self):
        self.assertEqual(suite("x", "test=all ticks=3")[0]["cmdline"], "test=all ticks=3")

    def test_both_irq_expands(self):
        entries = suite("timer", "ticks=3", both_irq=True)
        self.assertEqual([e["name"] for e in entries], ["timer@pic", "timer@apic"])
        self.assertEqual([e["cmdline"] for e in entries],
                         ["test=timer ticks=3 irq=pic", "test=timer ticks=3 irq=apic"])
        self.assertEqual({e["base"] for e in entries}, {"timer"})

    def test_check_table_finds_problems(self):
        bad = table(suite("a"), suite("a"), suite("b", boot="floppy"),
                    suite("c", expect="maybe"), suite("d", timeout=0),
                    suite("e", boot="iso", icount=True), suite("f", expect="fail"),
                    suite("g", expect="panic", timeout=5, within=10))
        problems = "\n".join(check_table(bad))
        for fragment in ("duplicate suite name 'a'", "b: boot", "c: expect",
                         "d: timeout", "e: icount", "f: expect='fail' needs",
                         "g: expect='panic' needs"):
            self.assertIn(fragment, problems)

    def test_select(self):
        entries = table(suite("boot"), suite("timer", both_irq=True))
        chosen, unknown = select(entries, ["timer", "boot", "nope"])
        self.assertEqual([e["name"] for e in chosen], ["timer@pic", "timer@apic", "boot"])
        self.assertEqual(unknown, ["nope"])
        self.assertEqual(len(select(entries, ["timer@apic"])[0]), 1)


if __name__ == "__main__":
    unittest.main()
