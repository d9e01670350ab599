"""Relay's kernel event trace (format v1): read it, and make sense of it.

docs/trace-format.md describes the format. Two halves here:

  parse_trace(lines, filename) -> Trace
      one Event per good line; every bad line becomes a Problem
      ("FILE:LINE: what is wrong") and is skipped, never an exception.
  build_timeline(trace) -> Timeline
      pairs the events up into what tools/trace2svg draws: interrupt handler
      runs (nested ones know their parent), process runs from `switch`,
      system calls, signal handler runs, default actions, and one Flow per
      sig_generate: what caused it (an IRQ run, an exception, a system call)
      and what consumed it (a handler run or a default action).

Standard library only; tools/trace2svg and tests/host/test_trace2svg.py
import it.
"""

import re
from dataclasses import dataclass, field
from typing import Dict, List, Optional, Union

FORMAT_VERSION = "v1"
HEADER_TAG = "relay-trace"
DEFAULT_TSC_HZ = 1_000_000_000

NAME_RE = re.compile(r"^[a-z_][a-z0-9_]*$")   # the kernel writes unknown_N
NUMBER_RE = re.compile(r"^(-?[0-9]+|0x[0-9a-fA-F]+)$")

# What the kernel emits today: event -> (required keys, optional keys).
# Keys of known events must be numbers, except the WORD_KEYS.
KNOWN_EVENTS = {
    "irq_enter": (("vec", "depth"), ("irq", "ctrl")),
    "eoi": (("vec",), ()),
    "irq_exit": (("vec",), ("depth",)),
    "exception": (("vec",), ("user", "pid", "eip", "err")),
    "key": (("sc",), ("ascii", "pressed")),
    "sig_generate": (("sig", "pid"), ("source", "blocked")),
    "sig_deliver": (("sig", "pid"), ("handler", "action")),
    "sig_return": (("pid",), ("rt",)),
    "switch": (("from", "to"), ()),
    "syscall_enter": (("pid", "nr"), ()),
    "syscall_exit": (("pid", "nr"), ("ret",)),
    "lost": (("count",), ()),
    "exec": (("pid", "name"), ()),
}
WORD_KEYS = {"ctrl", "source", "action", "name"}

IDLE_PID = 0
TIMER_VECTORS = {0x20, 0xE0}    # ISA IRQ 0 (PIT) and the LAPIC timer
LAPIC_VECTOR_NAMES = {0xE0: "LAPIC timer", 0xFE: "APIC error", 0xFF: "APIC spurious"}
ISA_IRQ_NAMES = {0: "timer", 1: "keyboard", 2: "cascade", 3: "COM2", 4: "COM1",
                 6: "floppy", 7: "LPT1", 8: "RTC", 12: "mouse", 14: "ATA0", 15: "ATA1"}

# Intel SDM Vol. 3A, Table 6-1 (Protected-Mode Exceptions and Interrupts).
EXCEPTION_NAMES = {0: "#DE divide error", 1: "#DB debug", 2: "NMI", 3: "#BP breakpoint",
                   4: "#OF overflow", 5: "#BR bound range", 6: "#UD invalid opcode",
                   7: "#NM no FPU", 8: "#DF double fault", 10: "#TS invalid TSS",
                   11: "#NP segment not present", 12: "#SS stack fault",
                   13: "#GP general protection", 14: "#PF page fault",
                   16: "#MF x87 error", 17: "#AC alignment check", 18: "#MC machine check",
                   19: "#XM SIMD error"}

# The Linux i386 numbers Relay uses (user/include/signal.h, include/syscall.h).
SIGNAL_NAMES = {1: "SIGHUP", 2: "SIGINT", 3: "SIGQUIT", 4: "SIGILL", 5: "SIGTRAP",
                6: "SIGABRT", 7: "SIGBUS", 8: "SIGFPE", 9: "SIGKILL", 10: "SIGUSR1",
                11: "SIGSEGV", 12: "SIGUSR2", 13: "SIGPIPE", 14: "SIGALRM", 15: "SIGTERM",
                16: "SIGSTKFLT", 17: "SIGCHLD", 18: "SIGCONT", 19: "SIGSTOP", 20: "SIGTSTP",
                21: "SIGTTIN", 22: "SIGTTOU", 23: "SIGURG", 24: "SIGXCPU", 25: "SIGXFSZ",
                26: "SIGVTALRM", 27: "SIGPROF", 28: "SIGWINCH", 29: "SIGIO", 30: "SIGPWR",
                31: "SIGSYS"}
# Real-time signals have no names of their own: SIGRT32 to SIGRT64, as the
# kernel's sig_name() calls them (glibc's SIGRTMIN is 34).
SIGRTMIN_KERNEL, SIGRTMAX = 32, 64
SIGNAL_NAMES.update({n: f"SIGRT{n}" for n in range(SIGRTMIN_KERNEL, SIGRTMAX + 1)})
SYSCALL_NAMES = {1: "exit", 2: "fork", 3: "read", 4: "write", 7: "waitpid", 11: "execve",
                 20: "getpid", 27: "alarm", 29: "pause", 37: "kill", 45: "brk",
                 48: "signal", 54: "ioctl", 57: "setpgid", 64: "getppid", 65: "getpgrp",
                 66: "setsid", 67: "sigaction", 72: "sigsuspend", 73: "sigpending",
                 104: "setitimer", 105: "getitimer", 114: "wait4", 119: "sigreturn",
                 126: "sigprocmask", 132: "getpgid", 158: "sched_yield", 162: "nanosleep",
                 173: "rt_sigreturn", 174: "rt_sigaction", 175: "rt_sigprocmask",
                 176: "rt_sigpending", 179: "rt_sigsuspend", 224: "gettid", 238: "tkill",
                 252: "exit_group"}


# ---------------------------------------------------------------- parsing

@dataclass
class Event:
    """One good line: `<tsc> <name> key=value ...`."""
    tsc: int
    name: str
    fields: Dict[str, Union[int, str]]
    line: int                   # 1-based line number in the file
    text: str                   # the line as written, for tooltips and tables

    def get(self, key, default=None):
        return self.fields.get(key, default)


@dataclass
class Problem:
    filename: str
    line: int
    message: str

    def __str__(self):
        return f"{self.filename}:{self.line}: {self.message}"


@dataclass
class Trace:
    filename: str
    header: Dict[str, str]      # tsc_hz, irq, hz ... as written
    events: List[Event]
    problems: List[Problem]

    @property
    def tsc_hz(self):
        value = self.header.get("tsc_hz", "")
        return int(value) if value.isdigit() and int(value) > 0 else DEFAULT_TSC_HZ


def parse_number(text):
    """A decimal (maybe negative) or 0x-hex value as an int; None if neither."""
    if not NUMBER_RE.match(text):
        return None
    return int(text, 16) if text.startswith("0x") else int(text)


def parse_trace(lines, filename="<trace>"):
    """Parse an iterable of lines (str); see the module comment."""
    header, events, problems = {}, [], []
    saw_header = False
    last_tsc = None
    for number, raw in enumerate(lines, 1):
        text = raw.rstrip("\r\n")
        stripped = text.strip()
        if number == 1 and stripped.startswith("#"):
            saw_header = True
            why = _parse_header(stripped, header)
            if why:
                problems.append(Problem(filename, number, why))
            continue
        if not stripped or stripped.startswith("#"):
            continue
        event = _parse_event(stripped, number)
        if isinstance(event, str):
            problems.append(Problem(filename, number, event))
            continue
        if last_tsc is not None and event.tsc < last_tsc:
            problems.append(Problem(filename, number, f"tsc {event.tsc} is earlier than "
                                    f"the line before ({last_tsc}); time must not go back"))
            continue
        last_tsc = event.tsc
        events.append(event)
    if not saw_header:
        problems.insert(0, Problem(filename, 1, "no header: the first line must be "
                                   f"'# {HEADER_TAG} {FORMAT_VERSION} tsc_hz=N ...'"))
    return Trace(filename, header, events, problems)


def _parse_header(text, header):
    """Fill `header` from '# relay-trace v1 k=v ...'; a message if it is wrong."""
    words = text[1:].split()
    if len(words) < 2 or words[0] != HEADER_TAG:
        return f"not a header: expected '# {HEADER_TAG} {FORMAT_VERSION} tsc_hz=N ...'"
    if words[1] != FORMAT_VERSION:
        return (f"trace format {words[1]!r}, but this tool reads {FORMAT_VERSION!r} "
                "(reading it anyway)")
    for word in words[2:]:
        key, eq, value = word.partition("=")
        if not eq or not key:
            return f"header: {word!r} is not key=value"
        header[key] = value
    if "tsc_hz" in header and parse_number(header["tsc_hz"]) in (None, 0):
        return f"header: tsc_hz={header['tsc_hz']!r} is not a positive number"
    return None


def _parse_event(text, number):
    """An Event, or a string saying what is wrong with the line."""
    words = text.split()
    if not words[0].isdigit():
        return f"bad timestamp {words[0]!r}: expected a decimal TSC value"
    if len(words) < 2:
        return "no event name after the timestamp"
    name = words[1]
    if not NAME_RE.match(name):
        return f"bad event name {name!r}: names are lower case letters, digits and '_'"
    fields = {}
    for word in words[2:]:
        key, eq, value = word.partition("=")
        if not eq:
            return f"{name}: {word!r} is not key=value"
        if not NAME_RE.match(key):
            return f"{name}: bad key {key!r}: keys are lower case letters, digits and '_'"
        if key in fields:
            return f"{name}: {key}= given twice"
        fields[key] = _value(name, key, value)
        if fields[key] is None:
            return f"{name}: {key}={value!r} is not a number"
    if name in KNOWN_EVENTS:
        missing = [k for k in KNOWN_EVENTS[name][0] if k not in fields]
        if missing:
            return f"{name}: missing {', '.join(k + '=' for k in missing)}"
    return Event(int(words[0]), name, fields, number, text)


def _value(event, key, text):
    """The value of one key: an int where a number is expected, else as written."""
    number = parse_number(text)
    if event in KNOWN_EVENTS and key not in WORD_KEYS:
        return number               # None reports the line as malformed
    if number is not None and key not in WORD_KEYS:
        return number
    return text if text else None


# ---------------------------------------------------------------- names

def irq_label(vec, irq=None):
    """'IRQ1 keyboard', 'LAPIC timer 0xe0', 'vector 0x31'."""
    if irq is not None and irq >= 0:
        name = ISA_IRQ_NAMES.get(irq)
        return f"IRQ{irq} {name}" if name else f"IRQ{irq}"
    if vec in LAPIC_VECTOR_NAMES:
        return f"{LAPIC_VECTOR_NAMES[vec]} {vec:#04x}"
    return f"vector {vec:#04x}"


def irq_kind(vec, irq=None):
    """'timer', 'keyboard' or 'other': what colour a handler run gets."""
    if vec in TIMER_VECTORS or irq == 0:
        return "timer"
    if irq == 1:
        return "keyboard"
    return "other"


# Signals no interrupt raised name their source in the picture: the kernel
# made them itself, in the sender's system call (SIGPIPE) or on its behalf.
KERNEL_SOURCES = {"pipe": "a write to a broken pipe", "kill": "kill()", "child": "a child",
                  "posix-timer": "a POSIX timer", "rlimit": "a resource limit",
                  "sigqueue": "sigqueue()", "pdeathsig": "its parent's death"}


def source_note(source):
    """' (from ...)' for a signal's source when no interrupt explains it."""
    return f" (from {KERNEL_SOURCES[source]})" if source in KERNEL_SOURCES else ""


def signal_name(sig):
    return SIGNAL_NAMES.get(sig, f"signal {sig}")


def syscall_name(nr):
    return SYSCALL_NAMES.get(nr, f"syscall {nr}")


def exception_name(vec):
    return EXCEPTION_NAMES.get(vec, f"exception {vec}")


# Scan code set 1 make codes of keys that type nothing by themselves.
SCANCODE_NAMES = {0x01: "esc", 0x0E: "bksp", 0x0F: "tab", 0x1C: "enter", 0x1D: "ctrl",
                  0x2A: "shift", 0x36: "shift", 0x38: "alt", 0x39: "space", 0x3A: "caps"}
for _first, _row in ((0x02, "1234567890"), (0x10, "qwertyuiop"), (0x1E, "asdfghjkl"),
                     (0x2C, "zxcvbnm")):
    SCANCODE_NAMES.update({_first + i: c for i, c in enumerate(_row)})
SCANCODE_NAMES[0x2B] = "\\"
SCANCODE_RELEASE = 0x80
ASCII_NAMES = {0x08: "bksp", 0x09: "tab", 0x0A: "enter", 0x0D: "enter", 0x1B: "esc",
               0x20: "space"}


def key_label(event):
    """What a key event typed, for a label: '^C', 'a', 'ctrl', 'ctrl up'."""
    ascii_code = event.get("ascii", 0)
    sc = event.get("sc", 0)
    released = event.get("pressed", 1) == 0
    if released or not ascii_code:
        code = sc & ~SCANCODE_RELEASE
        text = SCANCODE_NAMES.get(code, f"sc {code:#04x}")
    elif ascii_code in ASCII_NAMES:
        text = ASCII_NAMES[ascii_code]
    elif isinstance(ascii_code, int) and 0 < ascii_code < 0x20:
        text = "^" + chr(ascii_code + 0x40)
    elif isinstance(ascii_code, int) and 0x20 < ascii_code < 0x7F:
        text = chr(ascii_code)
    else:
        text = f"sc {sc:#04x}"
    return text + (" up" if released else "")


# ---------------------------------------------------------------- the timeline

@dataclass
class IrqRun:
    """One interrupt handler run, irq_enter .. irq_exit."""
    id: str
    vec: int
    irq: Optional[int]
    depth: int
    start: int
    end: Optional[int] = None
    parent: Optional["IrqRun"] = None
    events: List[Event] = field(default_factory=list)    # enter, inner ones, exit
    complete: bool = True       # False: its exit is missing (lost events, trace end)

    @property
    def label(self):
        return irq_label(self.vec, self.irq)

    @property
    def kind(self):
        return irq_kind(self.vec, self.irq)


@dataclass
class Span:
    """Something on a process lane with a start and an end: running, a system
    call, a signal handler. `what` is 'run', 'syscall' or 'handler'."""
    id: str
    what: str
    pid: int
    start: int
    end: Optional[int] = None
    label: str = ""
    events: List[Event] = field(default_factory=list)
    complete: bool = True


@dataclass
class Mark:
    """A point event: an exception, a key, a default action, a lost-events
    notice, a sig_generate, or an event this tool does not know."""
    id: str
    what: str                   # 'exception', 'key', 'default', 'lost', 'generate', 'other'
    tsc: int
    event: Event
    pid: Optional[int] = None
    label: str = ""
    run: Optional[IrqRun] = None    # the handler run it happened in, if any


@dataclass
class Flow:
    """sig_generate -> what consumed it. `cause` is the IrqRun, the exception
    Mark or the system-call Span that generated the signal (None if unknown);
    `target` the handler Span or default-action Mark (None: not delivered)."""
    id: str
    sig: int
    pid: int
    generate: Mark
    cause: object = None
    target: object = None
    sender: Optional[int] = None    # the pid on the CPU when it was generated


@dataclass
class Timeline:
    trace: Trace
    start: int
    end: int
    irq_runs: List[IrqRun]
    spans: List[Span]
    marks: List[Mark]
    flows: List[Flow]
    pids: List[int]
    max_depth: int
    names: Dict[int, str] = field(default_factory=dict)  # pid -> program, from exec events

    def spans_of(self, what):
        return [s for s in self.spans if s.what == what]

    def marks_of(self, what):
        return [m for m in self.marks if m.what == what]


class _Builder:
    """Walks the events once, in order, keeping what is open."""

    def __init__(self, trace):
        self.trace = trace
        self.counts = {}
        self.irq_runs, self.spans, self.marks, self.flows = [], [], [], []
        self.irq_stack = []         # open IrqRuns, outermost first
        self.running = {}           # pid -> open 'run' Span
        self.syscalls = {}          # pid -> open 'syscall' Span
        self.handlers = {}          # pid -> stack of open 'handler' Spans
        self.pending = {}           # (sig, pid) -> Flows not yet delivered
        self.current = None         # the pid on the CPU, once known
        self.seen_switch = False
        self.pids = set()
        self.max_depth = 0
        self.names = {}

    def new_id(self, prefix):
        self.counts[prefix] = self.counts.get(prefix, 0) + 1
        return f"{prefix}-{self.counts[prefix]}"

    def run(self):
        for event in self.trace.events:
            for key in ("pid", "from", "to"):
                if isinstance(event.get(key), int):
                    self.pids.add(event.get(key))
            if self.irq_stack and event.name != "irq_enter":
                self.irq_stack[-1].events.append(event)
            handler = getattr(self, "on_" + event.name, None)
            if handler is None or event.name not in KNOWN_EVENTS:
                handler = self.on_other
            handler(event)
        self.finish()
        events = self.trace.events
        start = events[0].tsc if events else 0
        end = events[-1].tsc if events else 0
        return Timeline(self.trace, start, end, self.irq_runs, self.spans, self.marks,
                        self.flows, sorted(self.pids), self.max_depth, self.names)

    def mark(self, what, event, pid=None, label=""):
        m = Mark(self.new_id(what), what, event.tsc, event, pid, label,
                 self.irq_stack[-1] if self.irq_stack else None)
        self.marks.append(m)
        return m

    def on_exec(self, event):
        """A process now runs a program: its lane is labelled with the name."""
        self.names[event.get("pid")] = event.get("name")

    # -- interrupts
    def on_irq_enter(self, event):
        depth = event.get("depth")
        # Runs at this depth or deeper that never exited: events were lost.
        while self.irq_stack and self.irq_stack[-1].depth >= depth:
            self.close_irq(self.irq_stack.pop(), event.tsc, complete=False)
        irq = event.get("irq")
        run = IrqRun(self.new_id("irq"), event.get("vec"), irq, depth, event.tsc,
                     parent=self.irq_stack[-1] if self.irq_stack else None, events=[event])
        self.irq_stack.append(run)
        self.irq_runs.append(run)
        self.max_depth = max(self.max_depth, depth)

    def on_irq_exit(self, event):
        vec = event.get("vec")
        for i in range(len(self.irq_stack) - 1, -1, -1):
            if self.irq_stack[i].vec == vec:
                while len(self.irq_stack) > i + 1:
                    self.close_irq(self.irq_stack.pop(), event.tsc, complete=False)
                self.close_irq(self.irq_stack.pop(), event.tsc)
                return
        # Entered before the trace began, or the enter was lost.
        depth = event.get("depth", 0) + 1
        run = IrqRun(self.new_id("irq"), vec, None, depth, self.trace.events[0].tsc,
                     end=event.tsc, events=[event], complete=False)
        self.irq_runs.append(run)
        self.max_depth = max(self.max_depth, depth)

    def close_irq(self, run, tsc, complete=True):
        run.end = tsc
        run.complete = complete

    def on_eoi(self, event):
        pass                        # kept in the run's events; drawn as a tick

    def on_key(self, event):
        self.mark("key", event, label=key_label(event))

    def on_exception(self, event):
        pid = event.get("pid")
        label = exception_name(event.get("vec"))
        self.mark("exception", event, pid, label)

    def on_lost(self, event):
        self.mark("lost", event, label=f"{event.get('count')} events lost")

    def on_other(self, event):
        self.mark("other", event, event.get("pid"), event.name)

    # -- processes
    def on_switch(self, event):
        old, new = event.get("from"), event.get("to")
        span = self.running.pop(old, None)
        if span is None and not self.seen_switch:
            # The first switch tells who ran since the trace began.
            start = self.trace.events[0].tsc
            span = Span(self.new_id("run"), "run", old, start, label=_run_label(old))
            self.spans.append(span)
        if span is not None:
            span.end = event.tsc
            span.events.append(event)
        for other in list(self.running.values()):   # lost switches: close them too
            other.end, other.complete = event.tsc, False
        self.running.clear()
        span = Span(self.new_id("run"), "run", new, event.tsc, label=_run_label(new),
                    events=[event])
        self.spans.append(span)
        self.running[new] = span
        self.current = new
        self.seen_switch = True

    def on_syscall_enter(self, event):
        pid = event.get("pid")
        span = Span(self.new_id("sys"), "syscall", pid, event.tsc,
                    label=syscall_name(event.get("nr")), events=[event])
        self.spans.append(span)
        self.current = pid
        old = self.syscalls.get(pid)
        if old is not None and old.end is None:
            old.end, old.complete = event.tsc, False
        self.syscalls[pid] = span

    def on_syscall_exit(self, event):
        pid = event.get("pid")
        self.current = pid
        span = self.syscalls.pop(pid, None)
        if span is None:
            # Entered before the trace began (or the enter was lost).
            span = Span(self.new_id("sys"), "syscall", pid, self.trace.events[0].tsc,
                        label=syscall_name(event.get("nr")), complete=False)
            self.spans.append(span)
        span.end = event.tsc
        span.events.append(event)

    # -- signals
    def on_sig_generate(self, event):
        sig, pid = event.get("sig"), event.get("pid")
        gen = self.mark("generate", event, pid,
                        f"{signal_name(sig)} \u2192 pid {pid}{source_note(event.get('source'))}")
        flow = Flow(self.new_id("flow"), sig, pid, gen, cause=self.cause_of(event),
                    sender=self.current)
        self.flows.append(flow)
        self.pending.setdefault((sig, pid), []).append(flow)

    def cause_of(self, event):
        """The innermost open handler run; else the exception that just
        happened; else the system call in progress (kill, exit...)."""
        if self.irq_stack:
            return self.irq_stack[-1]
        if event.get("source") == "exception":
            for m in reversed(self.marks):
                if m.what == "exception" and m.pid in (None, event.get("pid")):
                    return m
        sender = self.current
        if sender is not None and sender in self.syscalls:
            return self.syscalls[sender]
        return None

    def on_sig_deliver(self, event):
        sig, pid = event.get("sig"), event.get("pid")
        if event.get("handler") is not None and event.get("action") is None:
            target = Span(self.new_id("handler"), "handler", pid, event.tsc,
                          label=f"{signal_name(sig)} handler", events=[event])
            self.spans.append(target)
            self.handlers.setdefault(pid, []).append(target)
        else:
            action = event.get("action", "default")
            target = self.mark("default", event, pid, f"{signal_name(sig)}: {action}")
        # Standard signals do not queue: one delivery answers every
        # generation still pending for that signal and process. Real-time
        # ones do: a delivery answers the oldest generation.
        waiting = self.pending.get((sig, pid), [])
        answered = waiting[:1] if sig >= SIGRTMIN_KERNEL else waiting[:]
        for flow in answered:
            flow.target = target
            waiting.remove(flow)

    def on_sig_return(self, event):
        stack = self.handlers.get(event.get("pid"))
        if not stack:
            return self.on_other(event)
        span = stack.pop()
        span.end = event.tsc
        span.events.append(event)
        return None

    def finish(self):
        """Close what is still open at the end of the trace."""
        if not self.trace.events:
            return
        end = self.trace.events[-1].tsc
        while self.irq_stack:
            self.close_irq(self.irq_stack.pop(), end, complete=False)
        for span in self.spans:
            if span.end is None:
                span.end = end
                span.complete = span.what == "run"


def _run_label(pid):
    return "idle" if pid == IDLE_PID else f"pid {pid} runs"


def build_timeline(trace):
    """Pair up the events of a parsed Trace; see the module comment."""
    return _Builder(trace).run()


def load(path):
    """Parse the trace file at path; OSError if it cannot be read."""
    with open(path, encoding="ascii", errors="replace") as f:
        return parse_trace(f, path)


def describe(event):
    """One sentence of plain English for an event, for the HTML table."""
    f = event.fields
    name = event.name
    if name == "irq_enter":
        return (f"{irq_label(f['vec'], f.get('irq'))} handler starts "
                f"(nesting depth {f['depth']})")
    if name == "eoi":
        return f"end of interrupt sent for vector {f['vec']:#04x}: the chip may interrupt again"
    if name == "irq_exit":
        return f"handler for vector {f['vec']:#04x} returns"
    if name == "exception":
        where = "user" if f.get("user") else "kernel"
        return f"{exception_name(f['vec'])} in {where} mode" + (
            f", pid {f['pid']}" if "pid" in f else "")
    if name == "key":
        return f"key decoded: {key_label(event)}"
    if name == "sig_generate":
        blocked = " (blocked: stays pending)" if f.get("blocked") else ""
        return (f"{signal_name(f['sig'])} generated for pid {f['pid']} "
                f"by {f.get('source', '?')}{blocked}")
    if name == "sig_deliver":
        if "action" in f or "handler" not in f:
            return f"{signal_name(f['sig'])} to pid {f['pid']}: default action {f.get('action')}"
        return f"pid {f['pid']} enters its {signal_name(f['sig'])} handler at {f['handler']:#010x}"
    if name == "sig_return":
        return f"pid {f['pid']} returns from its signal handler"
    if name == "switch":
        return f"the CPU switches from pid {f['from']} to pid {f['to']}"
    if name == "syscall_enter":
        return f"pid {f['pid']} calls {syscall_name(f['nr'])}"
    if name == "syscall_exit":
        return f"{syscall_name(f['nr'])} returns {f.get('ret', '?')} to pid {f['pid']}"
    if name == "lost":
        return f"the kernel's trace buffer overflowed: {f['count']} events lost here"
    return "an event this tool does not know"
