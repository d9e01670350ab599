"""Parse KTAP v1 (the Linux KUnit test output format) into a tree of results.

The kernel prints log lines, then one KTAP document whose results may contain
nested suites, each indented by more spaces than its parent:

    KTAP version 1
    1..1
        KTAP version 1
        # Subtest: console
        1..2
        ok 1 printf_decimal
        # console_test.c:42: expected x == 5, got 4
        not ok 2 printf_hex
    not ok 1 console

A kernel under test can die or misbehave at any point, so this parser never
raises on bad input: every structural problem (garbled or missing plan,
duplicate or missing test numbers, output that stops mid-suite) becomes an
error string stored on the suite where it was found, and `flatten()` turns
those into failures next to the ordinary test results.
"""

import re
from dataclasses import dataclass, field
from typing import List, Optional

PASS = "pass"
FAIL = "fail"
SKIP = "skip"

# Kinds of outcome produced by flatten(): a real test case, a broken document
# structure, or output that ended early (the runner hides the latter when the
# kernel is already known to have panicked or hung, since it adds nothing).
KIND_CASE = "case"
KIND_STRUCTURE = "structure"
KIND_TRUNCATED = "truncated"

_VERSION_RE = re.compile(r"^K?TAP version (\d+)$")
_SUPPORTED_VERSIONS = {("KTAP", "1"), ("TAP", "13"), ("TAP", "14")}
_PLAN_RE = re.compile(r"^1\.\.(\d+)\s*(?:#.*)?$")
# Anything that starts like a plan ("1..", "..3", "1..3x") but is not one.
_PLAN_LIKE_RE = re.compile(r"^\d*\s*\.\.")
_RESULT_RE = re.compile(
    r"^(?P<ok>not ok|ok)(?:\s+(?P<num>\d+))?(?:\s+-)?(?:\s+(?P<name>[^#]*?))?"
    r"\s*(?:#\s*(?P<directive>.*))?$")
_RESULT_LIKE_RE = re.compile(r"^(?:not\s*ok|ok)\b|^not\s*ok")
_SUBTEST_RE = re.compile(r"^#\s*Subtest:\s*(.*)$")
_SKIP_RE = re.compile(r"^(SKIP|TODO)\b\s*(.*)$", re.IGNORECASE)


@dataclass
class Case:
    """One result line (`ok N name`), with the suite it closes if nested."""
    number: Optional[int]
    name: str
    status: str                      # PASS, FAIL or SKIP
    reason: str = ""                 # skip reason or directive comment
    diagnostics: List[str] = field(default_factory=list)
    subtests: Optional["Suite"] = None


@dataclass
class Suite:
    """One KTAP block: header, plan, result lines, and what went wrong."""
    name: str = ""
    plan: Optional[int] = None
    cases: List[Case] = field(default_factory=list)
    diagnostics: List[str] = field(default_factory=list)
    errors: List[str] = field(default_factory=list)
    truncated: List[str] = field(default_factory=list)


@dataclass
class Report:
    """Everything read from one serial log."""
    log: List[str]                   # lines before the first KTAP header
    root: Optional[Suite]            # None when no KTAP header was printed
    trailing: List[str] = field(default_factory=list)


@dataclass
class Outcome:
    """One flat result, named by its path through the suite tree."""
    path: tuple
    status: str
    reason: str = ""
    diagnostics: List[str] = field(default_factory=list)
    kind: str = KIND_CASE


@dataclass
class _Line:
    """A classified input line; `indent` counts leading spaces (tab = 4)."""
    indent: int
    text: str
    kind: str
    match: Optional[re.Match] = None


def _classify(raw):
    """Return a _Line for one raw serial line, stripped of CR/LF."""
    raw = raw.rstrip("\r\n").replace("\r", "").replace("\t", "    ")
    text = raw.lstrip(" ")
    indent = len(raw) - len(text)
    text = text.rstrip()
    for kind, regex in (("version", _VERSION_RE), ("plan", _PLAN_RE),
                        ("subtest", _SUBTEST_RE), ("result", _RESULT_RE)):
        match = regex.match(text)
        if match:
            return _Line(indent, text, kind, match)
    if not text:
        return _Line(indent, text, "blank")
    if _PLAN_LIKE_RE.match(text):
        return _Line(indent, text, "badplan")
    if _RESULT_LIKE_RE.match(text):
        return _Line(indent, text, "badresult")
    if text.startswith("#"):
        return _Line(indent, text, "diag")
    return _Line(indent, text, "other")


def _diag_text(line):
    """Diagnostic text without its leading '#', kept verbatim otherwise."""
    return line.text[1:].strip() if line.text.startswith("#") else line.text


def _make_case(line):
    """Build a Case from a matched result line."""
    match = line.match
    num = match.group("num")
    directive = (match.group("directive") or "").strip()
    status = PASS if match.group("ok") == "ok" else FAIL
    reason = directive
    skip = _SKIP_RE.match(directive)
    if skip:
        status, reason = SKIP, skip.group(2).strip() or skip.group(1).upper()
    return Case(int(num) if num is not None else None,
                (match.group("name") or "").strip(), status, reason)


class _Parser:
    """Recursive descent over classified lines; one call per nesting level."""

    def __init__(self, lines):
        self.lines = lines
        self.pos = 0

    def _peek(self):
        return self.lines[self.pos] if self.pos < len(self.lines) else None

    def _at_end(self):
        return self.pos >= len(self.lines)

    def parse_block(self, indent, name=""):
        """Parse one suite whose lines sit at `indent` spaces."""
        suite = Suite(name=name)
        self._parse_header(suite, indent)
        self._parse_body(suite, indent)
        _check_numbers(suite, ended=self._at_end())
        return suite

    def _parse_header(self, suite, indent):
        """Consume version, '# Subtest:' and diagnostics up to the plan."""
        seen_version = False
        while (line := self._peek()) is not None:
            if line.kind == "blank":
                self.pos += 1
                continue
            if line.indent != indent:
                return
            if line.kind == "version" and not seen_version:
                _check_version(suite, line)
                seen_version = True
            elif line.kind == "subtest":
                suite.name = line.match.group(1).strip()
            elif line.kind == "diag":
                suite.diagnostics.append(_diag_text(line))
            elif line.kind == "plan":
                suite.plan = int(line.match.group(1))
                self.pos += 1
                return
            elif line.kind == "badplan":
                suite.errors.append(f"garbled plan line: {line.text!r}")
                self.pos += 1
                return
            else:
                return
            self.pos += 1

    def _parse_body(self, suite, indent):
        """Consume result lines, diagnostics and nested suites."""
        pending_diags, child, child_name = [], None, ""
        while (line := self._peek()) is not None:
            if line.kind == "blank":
                self.pos += 1
                continue
            # Log and diagnostic lines do not end a nested suite even when
            # printed at column 0 (a kernel printf knows no indentation).
            if line.indent < indent and line.kind not in ("diag", "other"):
                break
            if line.indent > indent and line.kind not in ("diag", "other"):
                if child is not None:
                    _orphan_child(suite, child)
                child = self.parse_block(line.indent, child_name)
                child_name = ""
                continue
            if line.indent == indent and line.kind == "version":
                break                          # a second document starts
            self.pos += 1
            if line.kind == "result":
                case = _make_case(line)
                case.diagnostics, pending_diags = pending_diags, []
                case.subtests, child = child, None
                suite.cases.append(case)
            elif line.kind == "subtest":
                child_name = line.match.group(1).strip()
            else:
                self._body_line(suite, line, pending_diags)
        if child is not None:
            _orphan_child(suite, child, ended=self._at_end())
        suite.diagnostics.extend(pending_diags)

    def _body_line(self, suite, line, pending_diags):
        """Handle a plan, garbled line or diagnostic inside a suite body."""
        if line.kind == "plan":
            if suite.plan is None:
                suite.plan = int(line.match.group(1))   # TAP trailing plan
            else:
                suite.errors.append(f"unexpected second plan: {line.text!r}")
        elif line.kind == "badplan":
            suite.errors.append(f"garbled plan line: {line.text!r}")
        elif line.kind == "badresult":
            suite.errors.append(f"garbled result line: {line.text!r}")
        else:
            pending_diags.append(_diag_text(line))


def _check_version(suite, line):
    """Record an error for a KTAP/TAP version this parser does not know."""
    word = line.text.split()[0]
    if (word, line.match.group(1)) not in _SUPPORTED_VERSIONS:
        suite.errors.append(f"unsupported version line: {line.text!r}")


def _orphan_child(suite, child, ended=False):
    """Keep a nested suite whose closing result line never came."""
    label = child.name or "(unnamed)"
    if ended:
        child.truncated.append("output ended before the suite's result line")
    else:
        suite.errors.append(f"nested suite {label!r} has no result line")
    suite.cases.append(Case(None, child.name, FAIL, "no result line",
                            subtests=child))


def _check_numbers(suite, ended):
    """Compare result numbers with 1..N and with the plan."""
    numbered = [c for c in suite.cases if c.number is not None]
    if suite.plan is None and not any("garbled plan" in e for e in suite.errors):
        suite.errors.append("missing plan line (expected '1..N')")
    for case in suite.cases:
        if case.number is None and case.reason != "no result line":
            suite.errors.append(f"result line without a test number: {case.name!r}")
    seen = set()
    for case in numbered:
        if case.number in seen:
            suite.errors.append(f"duplicate test number {case.number} ({case.name!r})")
        seen.add(case.number)
    # Bound the gap search by what was plausibly meant, so a wild number
    # such as 'ok 99999999999' cannot make us enumerate a huge range.
    limit = max(suite.plan or 0, len(suite.cases))
    for number in sorted(n for n in seen if n > limit):
        suite.errors.append(f"test number {number} out of range 1..{limit}")
    top = max((n for n in seen if n <= limit), default=0)
    for missing in sorted(set(range(1, top + 1)) - seen):
        suite.errors.append(f"missing test number {missing}")
    _check_plan_count(suite, len(suite.cases), ended)


def _check_plan_count(suite, count, ended):
    """Report a plan/result count mismatch; early end of output is truncation."""
    if suite.plan is None or count == suite.plan:
        return
    if count < suite.plan and ended:
        suite.truncated.append(
            f"output ended after {count} of {suite.plan} planned results")
    else:
        suite.errors.append(f"plan says {suite.plan} tests but {count} results found")


def parse(text):
    """Parse serial output (a string or a list of lines) into a Report."""
    raw_lines = text.splitlines() if isinstance(text, str) else list(text)
    lines = [_classify(raw) for raw in raw_lines]
    start = next((i for i, l in enumerate(lines) if l.kind == "version"), None)
    log = [raw.rstrip("\r\n") for raw in raw_lines[:start]]
    if start is None:
        return Report(log=log, root=None)
    parser = _Parser(lines)
    parser.pos = start
    root = parser.parse_block(lines[start].indent)
    trailing = [l.text for l in lines[parser.pos:] if l.kind != "blank"]
    if any(l.kind == "version" and l.indent <= lines[start].indent
           for l in lines[parser.pos:]):
        root.errors.append("a second KTAP document follows the first")
    return Report(log=log, root=root, trailing=trailing)


def flatten(report):
    """Turn a Report into a flat list of Outcomes, leaves and errors alike."""
    if report.root is None:
        return [Outcome((), FAIL, "no KTAP output (no 'KTAP version 1' line)",
                        kind=KIND_STRUCTURE)]
    out = []
    _flatten_suite(report.root, (), out)
    return out


def _flatten_suite(suite, path, out):
    """Append outcomes for one suite and everything below it."""
    for error in suite.errors:
        out.append(Outcome(path, FAIL, error, kind=KIND_STRUCTURE))
    for problem in suite.truncated:
        out.append(Outcome(path, FAIL, problem, kind=KIND_TRUNCATED))
    for case in suite.cases:
        case_path = path + (case.name or f"#{case.number}",)
        if case.subtests is None:
            out.append(Outcome(case_path, case.status, _case_reason(case),
                               case.diagnostics))
            continue
        before = len(out)
        _flatten_suite(case.subtests, case_path, out)
        _check_suite_verdict(case, case_path, out[before:], out)


def _case_reason(case):
    """Human reason for a leaf result."""
    if case.status == FAIL:
        return case.reason or "not ok"
    return case.reason


def _check_suite_verdict(case, path, children, out):
    """A suite's own ok/not ok line must agree with its cases."""
    if case.reason == "no result line":
        return                       # already reported as error/truncation
    failed = any(o.status == FAIL and o.kind == KIND_CASE for o in children)
    if case.status == FAIL and not failed:
        out.append(Outcome(path, FAIL, "suite reported 'not ok' but no case failed",
                           case.diagnostics, KIND_STRUCTURE))
    elif case.status == PASS and failed:
        out.append(Outcome(path, FAIL, "suite reported 'ok' although a case failed",
                           case.diagnostics, KIND_STRUCTURE))
    elif case.status == SKIP and not children:
        out.append(Outcome(path, SKIP, case.reason, case.diagnostics))
