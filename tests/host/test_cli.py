"""Command-line handling of tests/run.py (bad input must exit 2, clearly)."""

import contextlib
import io
import unittest

import support  # noqa: F401  (puts tests/ on sys.path)
import run
from harness import verdict


def call_main(argv):
    """Run run.main(argv); return (status, stdout, stderr)."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stderr(err):
        status = run.main(argv, out=out)
    return status, out.getvalue(), err.getvalue()


class BadInput(unittest.TestCase):
    def test_unknown_suite_lists_names(self):
        status, out, err = call_main(["--suite", "nosuch"])
        self.assertEqual(status, run.EXIT_USAGE)
        self.assertIn("unknown suite 'nosuch'", err)
        self.assertIn("meta-panic", err)
        self.assertEqual(out, "")

    def test_bad_jobs(self):
        self.assertEqual(call_main(["--jobs", "0"])[0], run.EXIT_USAGE)
        self.assertEqual(call_main(["--jobs", "three"])[0], run.EXIT_USAGE)

    def test_unknown_option(self):
        status, _, err = call_main(["--frobnicate"])
        self.assertEqual(status, run.EXIT_USAGE)
        self.assertIn("--frobnicate", err)

    def test_host_only_with_suite(self):
        self.assertEqual(call_main(["--host-only", "--suite", "boot"])[0], run.EXIT_USAGE)


class GoodInput(unittest.TestCase):
    def test_list(self):
        status, out, _ = call_main(["--list"])
        self.assertEqual(status, run.EXIT_OK)
        self.assertIn("meta-fail", out)
        self.assertIn("test=boot", out)

    def test_suite_and_jobs_parse(self):
        args = run.parse_args(["--suite", "boot", "--suite", "qmp", "-j", "2"],
                              run.load_suites())
        self.assertEqual((args.suite, args.jobs), (["boot", "qmp"], 2))


class Summary(unittest.TestCase):
    def tally(self, verdicts):
        tally = run.Tally(io.StringIO())
        for v in verdicts:
            tally.emit(verdict.Line(v, "x"))
        return tally.summary()

    def test_summary_line(self):
        self.assertEqual(self.tally([verdict.PASS, verdict.FAIL, verdict.PASS]),
                         "2 passed, 1 failed")
        self.assertEqual(self.tally([verdict.PASS, verdict.SKIP]),
                         "1 passed, 0 failed, 1 skipped")


if __name__ == "__main__":
    unittest.main()
