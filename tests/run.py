#!/usr/bin/env python3
"""Relay test runner: host unit tests, then kernel suites under QEMU.

    python3 tests/run.py                     # unit tests + every suite
    python3 tests/run.py --suite boot        # just that suite (and variants)
    python3 tests/run.py --suite diff        # differential tests (host vs Relay)
    python3 tests/run.py --suite diff.test-fork   # one of them
    python3 tests/run.py --suite scenario    # keyboard scenarios (tools/relay run --keys)
    python3 tests/run.py --suite scenario.read-eintr@pic   # one of them (or both: no @)
    python3 tests/run.py --suite gdb         # the gdb session of docs/follow-a-keystroke.md
    python3 tests/run.py --suite trace       # the event trace on real runs
    python3 tests/run.py --suite console     # make run in tmux, typed at like a person would
    python3 tests/run.py --suite fuzz        # the fuzzer's short pass (fuzz.calls@pic...)
    python3 tests/run.py --suite busybox     # BusyBox commands, host vs Relay
    python3 tests/run.py --suite busybox.sort     # one of them
    python3 tests/run.py --list              # show the suite table
    python3 tests/run.py --host-only         # unit tests only, no QEMU

Prints one line per test case ('ok   x', 'FAIL x: why', 'skip x: why') and,
last, 'N passed, M failed' (', K skipped' when K > 0). Exits 0 iff nothing
failed, 1 if something failed, 2 for bad command-line input.
"""

import argparse
import os
import sys
import unittest
from concurrent.futures import ThreadPoolExecutor

TESTS_DIR = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(TESTS_DIR)
sys.path.insert(0, TESTS_DIR)

from harness import consoletest, differential, fuzzing, gdbtest, qemu, tracetest, verdict  # noqa: E402
from harness import rewindtest  # noqa: E402
from harness.suitedef import BOOT_ISO, check_table, select  # noqa: E402
from harness import busybox, scenarios  # noqa: E402

HOST_TESTS_DIR = os.path.join(TESTS_DIR, "host")
LOG_DIR = os.path.join(ROOT, "build", "test-logs")
DEFAULT_JOBS = 3        # GRUB boots stop scaling past 2-3 at once on 2 cores
EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2


class UsageError(Exception):
    """Bad command-line input; reported with exit status 2."""


def parse_args(argv, names):
    """Parse the command line; raise UsageError on bad input."""
    parser = _ArgParser(prog="tests/run.py", description=__doc__.split("\n")[0])
    parser.add_argument("--suite", action="append", default=[], metavar="NAME",
                        help="run only this suite (repeatable); a base name "
                             "selects all its @variants")
    parser.add_argument("--jobs", "-j", type=int, default=DEFAULT_JOBS,
                        help=f"QEMUs run in parallel (default {DEFAULT_JOBS})")
    parser.add_argument("--list", action="store_true", help="list suites and exit")
    parser.add_argument("--verbose", "-v", action="store_true",
                        help="show commands, tracebacks and full serial logs")
    parser.add_argument("--host-only", action="store_true",
                        help="run only the host unit tests")
    args = parser.parse_args(argv)
    if args.jobs < 1:
        raise UsageError(f"--jobs must be at least 1, not {args.jobs}")
    if args.host_only and args.suite:
        raise UsageError("--host-only and --suite exclude each other")
    _, unknown = select(names, [s for s in args.suite if not differential.is_group_name(s)
                                and not gdbtest.is_name(s) and not scenarios.is_group_name(s)
                                and not tracetest.is_name(s) and not consoletest.is_name(s)
                                and not rewindtest.is_name(s)
                                and not fuzzing.is_name(s) and not busybox.is_group_name(s)])
    unknown += busybox.select([s for s in args.suite if busybox.is_group_name(s)])[1]
    unknown += [s for s in args.suite if fuzzing.is_name(s) and s != fuzzing.GROUP
                and s not in fuzzing.entry_names()
                and s not in {n.split("@")[0] for n in fuzzing.entry_names()}]
    unknown += differential.select(ROOT, [s for s in args.suite
                                          if differential.is_group_name(s)])[1]
    unknown += scenarios.select([s for s in args.suite if scenarios.is_group_name(s)])[1]
    if unknown:
        known = ", ".join(sorted({e["name"] for e in names} | {e["base"] for e in names}
                                 | {differential.GROUP, gdbtest.GROUP, tracetest.GROUP, rewindtest.GROUP,
                                    consoletest.GROUP, fuzzing.GROUP, busybox.GROUP}
                                 | set(differential.entry_names(ROOT))
                                 | {scenarios.GROUP} | set(scenarios.base_names())))
        raise UsageError(f"unknown suite {', '.join(map(repr, unknown))}; "
                         f"known suites: {known}")
    return args


class _ArgParser(argparse.ArgumentParser):
    """argparse that raises UsageError instead of exiting, for testability."""

    def error(self, message):
        raise UsageError(message)


# ---------------------------------------------------------------- host tests

class _LineResult(unittest.TestResult):
    """Collects one verdict.Line per unit test instead of unittest's dots."""

    def __init__(self, verbose):
        super().__init__()
        self.verbose = verbose
        self.lines = []

    def _add(self, verdict_name, test, reason="", details=()):
        self.lines.append(verdict.Line(verdict_name, f"host.{test.id()}",
                                       reason, list(details)))

    def addSuccess(self, test):
        self._add(verdict.PASS, test)

    def addFailure(self, test, err):
        self._add_error(test, err)

    def addError(self, test, err):
        self._add_error(test, err)

    def _add_error(self, test, err):
        text = self._exc_info_to_string(err, test).rstrip().splitlines()
        details = text if self.verbose else []
        self._add(verdict.FAIL, test, text[-1] if text else "error", details)

    def addSkip(self, test, reason):
        self._add(verdict.SKIP, test, reason)

    def addExpectedFailure(self, test, err):
        self._add(verdict.PASS, test, "expected failure")

    def addUnexpectedSuccess(self, test):
        self._add(verdict.FAIL, test, "unexpected success")

    def addSubTest(self, test, subtest, err):
        if err is not None:
            self._add_error(subtest, err)


def run_host_tests(verbose):
    """Run tests/host/test_*.py in this process; return their Lines."""
    loader = unittest.TestLoader()
    tests = loader.discover(HOST_TESTS_DIR, pattern="test_*.py",
                            top_level_dir=HOST_TESTS_DIR)
    result = _LineResult(verbose)
    tests.run(result)
    return result.lines


# ---------------------------------------------------------------- QEMU suites

def run_suite(entry, verbose):
    """Boot one suite and judge it; returns (Lines, extra verbose text)."""
    image = qemu.TEST_ISO if entry["boot"] == BOOT_ISO else qemu.KERNEL_IMAGE
    if not os.path.exists(os.path.join(ROOT, image)):
        target = "test-iso" if entry["boot"] == BOOT_ISO else "kernel"
        return [verdict.Line(verdict.FAIL, entry["name"],
                             f"{image} not found (run `make {target}`)")], []
    os.makedirs(LOG_DIR, exist_ok=True)
    log_path = os.path.join(LOG_DIR, f"{entry['name']}.log")
    qmp_path = qemu.qmp_socket_path()
    argv = qemu.build_command(entry, ROOT, qmp_path)
    try:
        result = qemu.run_qemu(argv, entry["timeout"], qmp_path, log_path)
    finally:
        qemu.remove_socket_dir(qmp_path)
    extra = _verbose_text(entry, argv, result, log_path) if verbose else []
    return verdict.judge(entry, result), extra


def _verbose_text(entry, argv, result, log_path):
    """Command, timing and full serial output of one run."""
    return ([f"--- {entry['name']}: {' '.join(argv)}",
             f"--- {result.description} after {result.elapsed:.2f} s; log {log_path}"]
            + [f"    {line}" for line in result.lines])


def run_suites(entries, jobs, verbose, emit):
    """Run suites `jobs` at a time, emitting results in table order."""
    with ThreadPoolExecutor(max_workers=jobs) as pool:
        futures = [pool.submit(run_suite, entry, verbose) for entry in entries]
        for future in futures:
            lines, extra = future.result()
            for text in extra:
                emit(text)
            for line in lines:
                emit(line)


# ---------------------------------------------------------------- main

class Tally:
    """Counts verdicts while printing lines as they come."""

    def __init__(self, out):
        self.out = out
        self.counts = {verdict.PASS: 0, verdict.FAIL: 0, verdict.SKIP: 0}

    def emit(self, item):
        """Print a verdict.Line (and count it) or a plain text line."""
        if isinstance(item, verdict.Line):
            self.counts[item.verdict] += 1
            item = item.render()
        print(item, file=self.out, flush=True)

    def summary(self):
        """'N passed, M failed[, K skipped]' -- always the last line."""
        text = f"{self.counts[verdict.PASS]} passed, {self.counts[verdict.FAIL]} failed"
        if self.counts[verdict.SKIP]:
            text += f", {self.counts[verdict.SKIP]} skipped"
        return text


def list_suites(entries, out):
    """Print the suite table, one suite per line."""
    for e in entries:
        mode = f"{e['boot']:6} {'icount' if e['icount'] else '      '}"
        expect = "" if e["expect"] == "pass" else f"  expect={e['expect']}"
        cmdline = "(grub.cfg)" if e["boot"] == BOOT_ISO else e["cmdline"]
        print(f"{e['name']:20} {mode} {e['timeout']:5.0f}s  {cmdline}{expect}", file=out)
    for name in differential.entry_names(ROOT):
        print(f"{name:20} host vs Relay (tools/relay run --icount)", file=out)
    print(f"{gdbtest.GROUP:20} the gdb session of docs/follow-a-keystroke.md, replayed", file=out)
    print(f"{tracetest.GROUP:20} the event trace: deterministic, and in order", file=out)
    print(f"{rewindtest.GROUP:20} record a run, replay it byte for byte (docs/rewind.md)", file=out)
    print(f"{consoletest.GROUP:20} make run in a tmux terminal: keys, screen, Ctrl-A X", file=out)
    for name in fuzzing.entry_names():
        print(f"{name:20} the fuzzer's short pass (docs/fuzzing.md)", file=out)
    for name in busybox.entry_names():
        print(f"{name:20} BusyBox sh -c, host vs Relay (tools/relay run --busybox)", file=out)
    for name in scenarios.entry_names():
        print(f"{name:20} keyboard scenario (tools/relay run --keys)", file=out)


def load_suites():
    """The suite table from tests/suites.py, checked for sanity."""
    from suites import SUITES
    problems = check_table(SUITES)
    if problems:
        raise UsageError("tests/suites.py is broken:\n  " + "\n  ".join(problems))
    return SUITES


def main(argv=None, out=sys.stdout):
    """Entry point; returns the process exit status."""
    try:
        entries = load_suites()
        args = parse_args(sys.argv[1:] if argv is None else argv, entries)
    except UsageError as err:
        print(f"tests/run.py: error: {err}", file=sys.stderr)
        return EXIT_USAGE
    if args.list:
        list_suites(entries, out)
        return EXIT_OK
    tally = Tally(out)
    if not args.suite:
        for line in run_host_tests(args.verbose):
            tally.emit(line)
    if not args.host_only:
        kernel_names = [s for s in args.suite if not differential.is_group_name(s)
                        and not gdbtest.is_name(s) and not scenarios.is_group_name(s)
                        and not tracetest.is_name(s) and not consoletest.is_name(s)
                        and not rewindtest.is_name(s)
                        and not fuzzing.is_name(s) and not busybox.is_group_name(s)]
        diff_names = [s for s in args.suite if differential.is_group_name(s)]
        chosen = select(entries, kernel_names)[0] if args.suite else entries
        run_suites(chosen, args.jobs, args.verbose, tally.emit)
        programs = (differential.select(ROOT, diff_names)[0] if args.suite
                    else differential.program_names(ROOT))
        differential.run_all(ROOT, programs, args.jobs, tally.emit)
        bb_names = [s for s in args.suite if busybox.is_group_name(s)]
        bb_commands = busybox.select(bb_names)[0] if args.suite else busybox.COMMANDS
        busybox.run_all(ROOT, bb_commands, args.jobs, tally.emit)
        runs = (scenarios.select([s for s in args.suite if scenarios.is_group_name(s)])[0]
                if args.suite else scenarios.all_runs())
        scenarios.run_all(ROOT, runs, args.jobs, tally.emit)
        if not args.suite or any(gdbtest.is_name(s) for s in args.suite):
            gdbtest.run(ROOT, tally.emit)
        if not args.suite or any(tracetest.is_name(s) for s in args.suite):
            tracetest.run(ROOT, tally.emit)
        if not args.suite or any(rewindtest.is_name(s) for s in args.suite):
            rewindtest.run(ROOT, tally.emit)
        if not args.suite or any(consoletest.is_name(s) for s in args.suite):
            consoletest.run(ROOT, tally.emit)
        fuzz_names = [s for s in args.suite if fuzzing.is_name(s)]
        if not args.suite or fuzz_names:
            fuzzing.run(ROOT, tally.emit, fuzz_names or (fuzzing.GROUP,))
    print(tally.summary(), file=out, flush=True)
    return EXIT_OK if tally.counts[verdict.FAIL] == 0 else EXIT_FAILED


if __name__ == "__main__":
    sys.exit(main())
