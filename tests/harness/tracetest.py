"""The event trace, checked on real runs (suite group `trace`).

- trace.deterministic: under -icount a scripted run without keystrokes
  (`alarmclock 1`: timer interrupts, SIGALRM, its handler, sigreturn)
  gives the same trace twice: the same events with the same intervals.
  (The absolute TSC of the first event can shift by a constant when the
  host is loaded: the firmware's boot before the kernel's first tick is not
  always the same length. From the first event on, every count is equal.)
- trace.keystroke-order@pic / @apic: a Ctrl-C typed over QMP into sigdemo
  leaves, in this order: the keyboard IRQ's irq_enter, the decoded ^C key,
  sig_generate SIGINT from the tty, the EOI, irq_exit, sig_deliver to the
  handler, sig_return. Keystrokes arrive at host time, so this run is not
  byte-for-byte repeatable; the order is what must hold.
- trace.latency@pic / @apic: Ctrl-C typed while `spin` computes in user
  mode is delivered on the return from that keyboard interrupt itself:
  between its irq_exit and the sig_deliver (here the default action,
  terminate) there is no other interrupt and no switch.
"""
import os
import subprocess
import sys
import tempfile

try:
    from . import verdict
except ImportError:                 # run as tests/harness/tracetest.py
    from harness import verdict

GROUP = "trace"
RELAY = os.path.join("tools", "relay")
TIMEOUT = 60
SIGINT = 2


def is_name(name):
    return name == GROUP or name.startswith(GROUP + ".")


def record(root, out, options, program, *args):
    """Runs a program under tools/relay with --icount --trace; returns (status, stderr)."""
    argv = [sys.executable, os.path.join(root, RELAY), "run", "--no-build", "--icount",
            f"--trace={out}", *options, os.path.join(root, "build", "user", program), *args]
    proc = subprocess.run(argv, capture_output=True, text=True, timeout=TIMEOUT)
    return proc.returncode, proc.stderr


def parse(path):
    """(event, fields) per line, without the header and timestamps."""
    events = []
    with open(path, encoding="ascii", errors="replace") as f:
        for line in f:
            words = line.split()
            if len(words) < 2 or line.startswith("#"):
                continue
            fields = dict(w.split("=", 1) for w in words[2:] if "=" in w)
            events.append((words[1], fields))
    return events


def first_index(events, start, event, **want):
    """Index of the first event at or after start with these fields, or None."""
    for i in range(start, len(events)):
        name, fields = events[i]
        if name == event and all(fields.get(k) == v for k, v in want.items()):
            return i
    return None


def keystroke_order(events):
    """'' if a Ctrl-C flows through the expected hops in order, else what is missing."""
    steps = [("key", {"ascii": "0x03", "pressed": "1"}),
             ("sig_generate", {"sig": str(SIGINT), "source": "tty"}),
             ("eoi", {"vec": "0x21"}),
             ("irq_exit", {"vec": "0x21"}),
             ("sig_deliver", {"sig": str(SIGINT)}),
             ("sig_return", {})]
    at = first_index(events, 0, "irq_enter", vec="0x21")
    if at is None:
        return "no keyboard interrupt (irq_enter vec=0x21) in the trace"
    for event, want in steps:
        found = first_index(events, at, event, **want)
        if found is None:
            shown = " ".join(f"{k}={v}" for k, v in want.items())
            return f"no {event} {shown} after the previous hop"
        at = found
    return ""


def rebased(data):
    """The trace's lines with each timestamp made relative to the first event's."""
    lines, first = [], None
    for line in data.decode("ascii", "replace").splitlines():
        tsc, _, rest = line.partition(" ")
        if line.startswith("#") or not tsc.isdigit():
            lines.append(line)
            continue
        first = int(tsc) if first is None else first
        lines.append(f"{int(tsc) - first} {rest}")
    return lines


def first_difference(root, tmp, traces):
    """The first line where two traces differ; both are kept in build/test-logs."""
    logs = os.path.join(root, "build", "test-logs")
    os.makedirs(logs, exist_ok=True)
    for n, data in enumerate(traces, 1):
        with open(os.path.join(logs, f"trace-deterministic-{n}.trace"), "wb") as f:
            f.write(data)
    a, b = (rebased(t) for t in traces)
    for i, (x, y) in enumerate(zip(a, b), 1):
        if x != y:
            return f"line {i}: {x!r} / {y!r} (both runs in build/test-logs)"
    return f"one trace is longer ({len(a)} and {len(b)} lines)"


def immediate_delivery(events):
    """'' if the keyboard's SIGINT is delivered right after its interrupt."""
    gen = first_index(events, 0, "sig_generate", sig=str(SIGINT), source="tty")
    if gen is None:
        return "no SIGINT from the tty in the trace"
    exit_at = first_index(events, gen, "irq_exit", vec="0x21")
    deliver = first_index(events, gen, "sig_deliver", sig=str(SIGINT))
    if exit_at is None or deliver is None:
        return "the keyboard interrupt did not end, or SIGINT was never delivered"
    between = [name for name, _ in events[exit_at + 1:deliver] if name in ("irq_enter", "switch")]
    if between:
        return f"SIGINT waited: {', '.join(between)} came between the keyboard IRQ and delivery"
    return ""


def check_latency(root, tmp, irq):
    path = os.path.join(tmp, f"latency-{irq}.trace")
    status, err = record(root, path, [f"--irq={irq}", "--keys=after=round 1/,ctrl-c"],
                         "spin", "1000")
    if status != 128 + SIGINT:
        return f"spin exited {status}, not {128 + SIGINT}: {err.strip()[-200:]}"
    return immediate_delivery(parse(path))


def check_deterministic(root, tmp):
    traces = []
    for n in (1, 2):
        path = os.path.join(tmp, f"alarm{n}.trace")
        status, err = record(root, path, [], "alarmclock", "1")
        if status != 0:
            return f"alarmclock exited {status}: {err.strip()[-200:]}"
        with open(path, "rb") as f:
            traces.append(f.read())
    if not traces[0]:
        return "the trace is empty"
    if rebased(traces[0]) != rebased(traces[1]):
        return "two -icount runs gave different traces: " + first_difference(root, tmp, traces)
    if b"sig_deliver sig=14" not in traces[0]:
        return "no SIGALRM delivery in the trace"
    return ""


def check_keystroke(root, tmp, irq):
    path = os.path.join(tmp, f"key-{irq}.trace")
    status, err = record(root, path, [f"--irq={irq}",
                                      "--keys=after=READY,ctrl-c,after=#1,ctrl-backslash"],
                         "sigdemo")
    if status != 0:
        return f"sigdemo exited {status}: {err.strip()[-200:]}"
    return keystroke_order(parse(path))


def run(root, emit):
    """Runs the checks and emits one verdict.Line each."""
    if not os.path.isfile(os.path.join(root, "build", "user", "sigdemo")):
        emit(verdict.Line(verdict.SKIP, GROUP, "build/user is not built"))
        return
    with tempfile.TemporaryDirectory() as tmp:
        checks = [(f"{GROUP}.deterministic", lambda: check_deterministic(root, tmp))]
        checks += [(f"{GROUP}.keystroke-order@{irq}",
                    lambda irq=irq: check_keystroke(root, tmp, irq)) for irq in ("pic", "apic")]
        checks += [(f"{GROUP}.latency@{irq}",
                    lambda irq=irq: check_latency(root, tmp, irq)) for irq in ("pic", "apic")]
        for name, check in checks:
            try:
                problem = check()
            except subprocess.TimeoutExpired:
                problem = f"tools/relay did not finish within {TIMEOUT} s"
            emit(verdict.Line(verdict.FAIL if problem else verdict.PASS, name, problem))
