"""Judge one QEMU run: KTAP results plus exit status -> report lines.

Kept apart from the CLI so the judging rules (what counts as a pass, what
an expect='fail' or expect='panic' suite must show) are unit tested without
booting anything.
"""

from dataclasses import dataclass, field
from typing import List

from . import ktap
from .qemu import (EXIT_PANIC, STATUS_FAIL, STATUS_PANIC, STATUS_PASS,
                   STATUS_QEMU_ERROR)
from .suitedef import EXPECT_FAIL, EXPECT_PANIC

PASS, FAIL, SKIP = ktap.PASS, ktap.FAIL, ktap.SKIP
_LABELS = {PASS: "ok  ", FAIL: "FAIL", SKIP: "skip"}
STDERR_LINES = 10               # QEMU stderr lines shown for a QEMU error


@dataclass
class Line:
    """One reported result: verdict, name, reason, and indented details."""
    verdict: str
    name: str
    reason: str = ""
    details: List[str] = field(default_factory=list)

    def render(self):
        """'ok   name', 'FAIL name: reason', 'skip name: reason' + details."""
        text = f"{_LABELS[self.verdict]} {self.name}"
        if self.reason:
            text += f": {self.reason}" if self.verdict != PASS else f" ({self.reason})"
        return "\n".join([text] + [f"    | {d}" for d in self.details])


def qualified_name(entry, path):
    """'suite.case' for a KTAP path; the kernel's suite name is folded
    into the runner's when they match (KTAP 'timer' under 'timer@pic')."""
    parts = list(path)
    if parts and parts[0] == entry["base"]:
        parts = parts[1:]
    return ".".join([entry["name"]] + parts)


def judge(entry, result):
    """Report lines for one suite run, honouring entry['expect']."""
    outcomes = _outcomes(result)
    lines = _case_lines(entry, outcomes) + _suite_lines(entry, result, outcomes)
    if entry["expect"] == EXPECT_FAIL:
        return [_judge_expected_failure(entry, result, outcomes, lines)]
    if entry["expect"] == EXPECT_PANIC:
        return [_judge_expected_panic(entry, result, lines)]
    return lines


def _outcomes(result):
    """KTAP outcomes; truncation is noise once the run is known to have died."""
    report = ktap.parse(result.lines)
    outcomes = ktap.flatten(report)
    if _ended_normally(result):
        return outcomes
    if report.root is None:
        return []
    return [o for o in outcomes if o.kind != ktap.KIND_TRUNCATED]


def _ended_normally(result):
    """True when the kernel itself chose to exit with pass or fail."""
    return result.status in (STATUS_PASS, STATUS_FAIL)


def _case_lines(entry, outcomes):
    """One Line per KTAP outcome."""
    lines = []
    for outcome in outcomes:
        reason = outcome.reason
        if outcome.status == FAIL and outcome.diagnostics:
            reason += f" ({'; '.join(outcome.diagnostics)})"
        lines.append(Line(outcome.status, qualified_name(entry, outcome.path), reason))
    return lines


def _suite_lines(entry, result, outcomes):
    """Failures of the run as a whole: crash, hang, exit/KTAP mismatch."""
    name = entry["name"]
    lines = [Line(FAIL, name, err) for err in result.inject_errors]
    failed = any(o.status == FAIL and o.kind == ktap.KIND_CASE for o in outcomes)
    if not _ended_normally(result):
        details = _tail(result)
        if result.status == STATUS_QEMU_ERROR and result.stderr.strip():
            details += ["QEMU stderr:"] + result.stderr.strip().splitlines()[-STDERR_LINES:]
        lines.append(Line(FAIL, name, result.description, details))
    elif result.status == STATUS_PASS and failed:
        lines.append(Line(FAIL, name, f"kernel says {result.description}, "
                          "but KTAP reports failures", _tail(result)))
    elif result.status == STATUS_FAIL and not failed:
        lines.append(Line(FAIL, name, f"kernel says {result.description}, "
                          "but no KTAP case failed", _tail(result)))
    elif not outcomes:
        lines.append(Line(FAIL, name, "no test cases ran (plan 1..0)", _tail(result)))
    return lines


def _tail(result):
    """Detail lines: the last serial lines of a run."""
    return [f"last {len(result.tail())} serial lines:"] + result.tail()


def _judge_expected_failure(entry, result, outcomes, lines):
    """Pass iff the kernel failed (35) at exactly the must_fail cases."""
    wanted = set(entry["must_fail"])
    case_failures = {qualified_name(entry, o.path) for o in outcomes
                     if o.status == FAIL and o.kind == ktap.KIND_CASE}
    other_failures = [l for l in lines if l.verdict == FAIL
                      and l.name not in case_failures]
    named = ", ".join(sorted(wanted))
    if result.status == STATUS_FAIL and case_failures == wanted and not other_failures:
        return Line(PASS, entry["name"], f"failed as it must, naming {named}")
    got = ", ".join(sorted(case_failures)) or "no failing case"
    reason = (f"expected to fail exactly at {named}; got {result.description} "
              f"with {got}")
    return Line(FAIL, entry["name"], reason, _details(lines))


def _judge_expected_panic(entry, result, lines):
    """Pass iff the kernel printed KERNEL PANIC and exited 37 in time."""
    problems = []
    if result.status != STATUS_PANIC or result.exit_code != EXIT_PANIC:
        problems.append(f"expected exit status {EXIT_PANIC}, got {result.description}")
    if not result.panic_seen:
        problems.append("no 'KERNEL PANIC' line on serial")
    if result.elapsed >= entry["within"]:
        problems.append(f"took {result.elapsed:.1f} s, limit {entry['within']:g} s")
    if not problems:
        return Line(PASS, entry["name"], f"panicked as it must: status "
                    f"{EXIT_PANIC} in {result.elapsed:.1f} s")
    details = _details(lines)
    if _ended_normally(result):
        details += _tail(result)
    return Line(FAIL, entry["name"], "; ".join(problems), details)


def _details(lines):
    """The ordinary report lines, shown under a runner-proof suite's FAIL."""
    return [text for line in lines for text in line.render().splitlines()]
