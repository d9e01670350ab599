"""The gdb test: the session transcript in docs/follow-a-keystroke.md, replayed against a real gdb.

tools/relay run --gdb boots Relay halted with build/user/sigdemo; gdb attaches
in batch mode with tools/gdb/relay.gdb and runs, one by one, the `(gdb)`
commands of the transcript in docs/follow-a-keystroke.md while tools/relay types Ctrl-C
once the program has printed READY. Two result lines:

  gdb.sigflow      what the session must show: kbd_irq was hit; `bt` there
                   goes through trap_frame_link into the interrupted code;
                   every relay-sigflow hop was reached; relay-ps showed SIGINT
                   pending for sigdemo after sig_send and no longer pending
                   in its handler
  gdb.transcript   every output line of the transcript appears, in order, in
                   the output of its command (numbers, addresses and
                   <symbol+offset> may differ; see normalize())

So the transcript fails the test as soon as its steps stop working.
`python3 tests/harness/gdbtest.py --update` runs the session and rewrites the
transcript with its output, keeping the doc's "..." elisions.
`python3 tests/harness/gdbtest.py [PROGRAM]` runs the session and prints its
real output in the transcript's format, for updating the doc.
RELAY_GDBTEST_PROGRAM names another program than build/user/sigdemo (one
that prints READY and catches SIGINT), for working on the test itself.
"""

import os
import re
import signal
import socket
import subprocess
import sys
import tempfile

if __package__:
    from . import verdict
else:                                   # run as a script
    sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    from harness import verdict

GROUP = "gdb"
DOC = os.path.join("docs", "follow-a-keystroke.md")  # its gdb transcript
SCRIPT = os.path.join("tools", "gdb", "relay.gdb")
TOOL = os.path.join("tools", "relay")
PROGRAM = os.path.join("build", "user", "sigdemo")
KERNEL = os.path.join("build", "relay.elf")
LOG_DIR = os.path.join("build", "test-logs")
KEYS = "after=READY,ctrl-c"
GDB_TIMEOUT = 25.0          # seconds for the whole gdb session
RELAY_GRACE = 10.0          # seconds for tools/relay to stop after gdb detached
TRANSCRIPT_MARK = "<!-- gdbtest: transcript -->"
PROMPT = "(gdb) "
MARK = "@@gdbtest@@"
ELLIPSIS = "..."
# Lines gdb prints only at a terminal, never in batch mode; a transcript may show them.
TTY_ONLY = ("Continuing.", "Run till exit from ")
HOPS = 8


def is_name(name):
    return name == GROUP or name.startswith(GROUP + ".")


# ---------------------------------------------------------------- the transcript

def parse_transcript(text):
    """[(command, [expected output lines])] from the block after TRANSCRIPT_MARK."""
    at = text.find(TRANSCRIPT_MARK)
    if at < 0:
        raise ValueError(f"no {TRANSCRIPT_MARK!r} in {DOC}")
    block = re.search(r"```[a-z]*\n(.*?)\n```", text[at:], re.S)
    if not block:
        raise ValueError(f"no fenced block after {TRANSCRIPT_MARK!r} in {DOC}")
    steps = []
    for line in block.group(1).splitlines():
        if line.startswith(PROMPT):
            steps.append((line[len(PROMPT):].strip(), []))
        elif steps and line.strip() and line.strip() != ELLIPSIS \
                and not line.startswith(TTY_ONLY):
            steps[-1][1].append(line)
    if not steps:
        raise ValueError(f"the transcript in {DOC} has no {PROMPT!r} commands")
    return steps


def transcript_inconsistencies(lines):
    """Where a transcript contradicts itself, as a hand-spliced one would: a
    breakpoint's source line that is not the line it stopped at, a relay-tf
    frame that is not the function's tf argument, or two addresses for the one
    process that gets the signal (the session's only p= argument)."""
    problems, tf_of, procs = [], {}, set()
    for i, line in enumerate(lines):
        stop = re.match(r"Breakpoint \d+, (\w+) \((.*)\) at \S+:(\d+)$", line)
        call = re.match(r"(?:Run till exit from #0  |0x[0-9a-f]+ in |)(\w+) \((.*)\) at \S+:\d+$",
                        line)
        if stop:
            following = lines[i + 1] if i + 1 < len(lines) else ""
            if not following.startswith(stop.group(3) + "\t"):
                problems.append(f"{line!r} is not followed by source line {stop.group(3)}")
        for where in (stop, call):
            args = dict(re.findall(r"(\w+)=(0x[0-9a-f]+)", where.group(2))) if where else {}
            if "tf" in args:
                tf_of[where.group(1)] = args["tf"]
            if "p" in args:
                procs.add(args["p"])
        frame = re.match(r"struct trapframe at (0x[0-9a-f]+) \(argument tf of (\w+),", line)
        if frame and tf_of.get(frame.group(2)) not in (None, frame.group(1)):
            problems.append(f"relay-tf shows {frame.group(1)}, but {frame.group(2)}'s tf is "
                            f"{tf_of[frame.group(2)]}")
    if len(procs) > 1:
        problems.append(f"one process, several addresses: p={', p='.join(sorted(procs))}")
    return problems


def transcript_lines(text):
    """The lines of the fenced block after TRANSCRIPT_MARK."""
    at = text.find(TRANSCRIPT_MARK)
    block = re.search(r"```[a-z]*\n(.*?)\n```", text[at:], re.S) if at >= 0 else None
    return block.group(1).splitlines() if block else []


def normalize(line):
    """What must match exactly: the words. Numbers, addresses, <symbol+offset>,
    the flags in eflags [..] and spacing may differ between builds and runs."""
    line = re.sub(r"<[^<>\s]+>", "<>", line)
    line = re.sub(r"\[[A-Z|]+\]", "[]", line)           # eflags: the last result's flags
    line = re.sub(r"0x[0-9a-fA-F]+", "#", line)
    line = re.sub(r"\b\d+\b", "#", line)
    return " ".join(line.split())


def join_paragraphs(lines):
    """relay-sigflow's explanations (lines indented by exactly four spaces) as one
    line each, so that where they wrap does not matter."""
    out = []
    for line in lines:
        if re.match(r"    \S", line) and out and re.match(r"    \S", out[-1]):
            out[-1] += " " + line.strip()
        else:
            out.append(line)
    return out


def missing_lines(expected, actual):
    """Expected lines not found, in order, among the actual lines (normalized)."""
    got = [normalize(l) for l in join_paragraphs(actual)]
    missing, pos = [], 0
    for line in join_paragraphs(expected):
        want = normalize(line)
        try:
            pos = got.index(want, pos) + 1
        except ValueError:
            missing.append(line)
    return missing


# ---------------------------------------------------------------- running gdb

DRIVER = """\
import gdb
for i, command in enumerate({commands!r}):
    gdb.write("{mark} %d\\n" % i)
    try:
        gdb.execute(command, from_tty=True)
    except gdb.error as err:
        gdb.write("{mark} error %s\\n" % err)
        break
gdb.write("{mark} end\\n")
"""


def split_output(text, count):
    """The output of each command, from the driver's marks; [] for those never run."""
    parts = [[] for _ in range(count)]
    current = None
    for line in text.splitlines():
        if line.startswith(MARK):
            word = line[len(MARK):].split()[:1]
            if word == ["error"] and current is not None:
                parts[current].append(line)         # the failed command's own output
            else:
                current = int(word[0]) if word and word[0].isdigit() else None
            continue
        if current is not None:
            parts[current].append(line)
    return parts


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def run_session(root, commands, program):
    """Run Relay under gdb; returns (gdb output text, tools/relay stderr, problem)."""
    os.makedirs(os.path.join(root, LOG_DIR), exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="relay-gdbtest-") as tmp:
        # Both sides must see the same kernel, even if someone rebuilds meanwhile.
        kernel = os.path.join(tmp, "relay.elf")
        with open(os.path.join(root, KERNEL), "rb") as src, open(kernel, "wb") as dst:
            dst.write(src.read())
        driver = os.path.join(tmp, "driver.py")
        with open(driver, "w", encoding="utf-8") as f:
            f.write(DRIVER.format(commands=commands, mark=MARK))
        port = free_port()
        relay_err = os.path.join(tmp, "relay.err")
        with open(relay_err, "wb") as err_file:
            relay = subprocess.Popen(
                [sys.executable, os.path.join(root, TOOL), "run", "--no-build", "--icount",
                 f"--gdb={port}", f"--timeout={GDB_TIMEOUT + RELAY_GRACE:g}",
                 f"--keys={KEYS}", f"--log={os.path.join(root, LOG_DIR, 'gdb.log')}",
                 program],
                cwd=root, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                stderr=err_file, env=dict(os.environ, RELAY_KERNEL=kernel))
            try:
                output, problem = _gdb(root, kernel, program, port, driver)
            finally:
                _stop(relay)
        with open(relay_err, encoding="utf-8", errors="replace") as f:
            return output, f.read(), problem


def _gdb(root, kernel, program, port, driver):
    argv = ["gdb", "-q", "-nx", "-batch", "-x", SCRIPT, "-ex", f"file {kernel}",
            "-ex", f"add-symbol-file {os.path.abspath(program)}",
            "-ex", "set tcp connect-timeout 10",
            "-ex", f"target remote 127.0.0.1:{port}", "-x", driver]
    try:
        proc = subprocess.run(argv, cwd=root, stdin=subprocess.DEVNULL,
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                              timeout=GDB_TIMEOUT)
    except FileNotFoundError:
        return "", "gdb is not installed (tools/setup installs it)"
    except subprocess.TimeoutExpired as err:
        out = err.stdout.decode("utf-8", "replace") if err.stdout else ""
        return out, f"the gdb session did not end within {GDB_TIMEOUT:g} s"
    return proc.stdout.decode("utf-8", "replace"), ""


def _stop(relay):
    """tools/relay stops QEMU and cleans up on SIGINT, as after a Ctrl-C."""
    if relay.poll() is None:
        relay.send_signal(signal.SIGINT)
    try:
        relay.wait(RELAY_GRACE)
    except subprocess.TimeoutExpired:
        relay.kill()
        relay.wait()


# ---------------------------------------------------------------- judging

def ps_rows(lines, name):
    """relay-ps rows of the process called name: (pid, pending, blocked)."""
    rows = []
    for line in lines:
        words = line.lstrip("*").split()
        if len(words) == 8 and words[0].isdigit() and words[5] == name:
            rows.append((int(words[0]), words[6].split(","), words[7].split(",")))
    return rows


def check_flow(steps, parts, name):
    """Problems with what the session must show (empty when all is well)."""
    text = "\n".join(l for p in parts for l in p)
    problems = []
    if not re.search(r"^Breakpoint \d+, kbd_irq \(", text, re.M):
        problems.append("the breakpoint in kbd_irq was never hit")
    for n in range(1, HOPS + 1):
        if f"relay-sigflow {n}/{HOPS}," not in text:
            problems.append(f"relay-sigflow hop {n}/{HOPS} was never reached")
    commands = [c for c, _ in steps]
    problems += _check_bt(commands, parts)
    ps = [i for i, c in enumerate(commands) if c == "relay-ps"]
    if len(ps) < 2:
        return problems + ["the transcript needs relay-ps after sig_send and in the handler"]
    first, last = ps_rows(parts[ps[0]], name), ps_rows(parts[ps[-1]], name)
    if not any("SIGINT" in pending for _, pending, _ in first):
        problems.append(f"relay-ps after sig_send did not show SIGINT pending for {name}")
    if not last or any("SIGINT" in pending for _, pending, _ in last):
        problems.append(f"relay-ps in the handler did not show {name} with SIGINT "
                        "no longer pending")
    return problems


def _check_bt(commands, parts):
    """`bt` in kbd_irq must show kbd_irq, then trap_frame_link, then a real frame."""
    if "bt" not in commands:
        return ["the transcript has no bt"]
    frames = [l for l in parts[commands.index("bt")] if re.match(r"#\d+\s", l)]
    names = [re.sub(r"^#\d+\s+(0x[0-9a-f]+ in )?", "", l).split(" ")[0] for l in frames]
    if not names or names[0] != "kbd_irq":
        return ["bt did not start in kbd_irq"]
    if "trap_frame_link" not in names:
        return ["bt in kbd_irq did not reach trap_frame_link"]
    below = names[names.index("trap_frame_link") + 1:]
    if not below or below[0] in ("??", ""):
        return ["bt stops at trap_frame_link: the interrupted code is not unwound"]
    return []


def judge(steps, parts, output, problem, name, inconsistencies=()):
    """The two verdict.Lines of a session."""
    tail = [f"gdb: {l}" for l in output.strip().splitlines()[-12:]]
    flow = check_flow(steps, parts, name)
    if problem:
        flow.insert(0, problem)
    lines = [verdict.Line(verdict.FAIL, f"{GROUP}.sigflow", flow[0], flow[1:] + tail)
             if flow else verdict.Line(verdict.PASS, f"{GROUP}.sigflow")]
    details = []
    for (command, expected), actual in zip(steps, parts):
        for line in missing_lines(expected, actual):
            details.append(f"after '(gdb) {command}': no line like {line.strip()!r}")
    details += [f"the transcript contradicts itself: {p}" for p in inconsistencies]
    if details:
        lines.append(verdict.Line(verdict.FAIL, f"{GROUP}.transcript",
                                  f"{len(details)} line(s) of {DOC} not seen in gdb's output",
                                  details[:12]))
    else:
        lines.append(verdict.Line(verdict.PASS, f"{GROUP}.transcript"))
    return lines


def run(root, emit):
    """Run the session and emit its verdict.Lines (skips when it cannot run)."""
    program = os.environ.get("RELAY_GDBTEST_PROGRAM") or os.path.join(root, PROGRAM)
    names = [f"{GROUP}.sigflow", f"{GROUP}.transcript"]
    try:
        with open(os.path.join(root, DOC), encoding="utf-8") as f:
            text = f.read()
        steps = parse_transcript(text)
    except (OSError, ValueError) as err:
        for n in names:
            emit(verdict.Line(verdict.FAIL, n, str(err)))
        return
    if not os.path.isfile(program):
        for n in names:
            emit(verdict.Line(verdict.SKIP, n, f"{os.path.relpath(program, root)} is not built"))
        return
    output, relay_err, problem = run_session(root, [c for c, _ in steps], program)
    log = os.path.join(root, LOG_DIR, "gdb.session.log")
    with open(log, "w", encoding="utf-8") as f:
        f.write(output + "\n--- tools/relay stderr\n" + relay_err)
    parts = split_output(output, len(steps))
    for line in judge(steps, parts, output, problem, os.path.basename(program),
                      transcript_inconsistencies(transcript_lines(text))):
        emit(line)


def _doc_steps(block):
    """[(command line, [lines as written, '...' and blank ones included])]."""
    steps = []
    for line in block.splitlines():
        if line.startswith(PROMPT):
            steps.append((line, []))
        elif steps:
            steps[-1][1].append(line)
    return steps


def _refresh_step(old, fresh):
    """The doc's lines for one command, taken from a fresh session: each old
    line becomes the fresh line it matches (or, failing that, the next one);
    an old '...' stays where fresh lines are left out."""
    norm = [normalize(l) for l in fresh]
    out, pos, gap = [], 0, False
    for line in old:
        if line.strip() == ELLIPSIS:
            gap = True
            continue
        if not line.strip() or pos >= len(fresh):
            out.append(line)
            continue
        at = norm.index(normalize(line), pos) if normalize(line) in norm[pos:] else pos
        if at > pos:
            out += [ELLIPSIS] if gap else [l for l in fresh[pos:at] if l.strip()]
        out.append(fresh[at])
        pos, gap = at + 1, False
    return out + ([ELLIPSIS] if gap else [])


def refreshed_doc(text, fresh_parts):
    """text with its transcript block rewritten from a fresh session's outputs."""
    at = text.find(TRANSCRIPT_MARK)
    block = re.search(r"```[a-z]*\n(.*?)\n```", text[at:], re.S)
    lines = []
    for (command, old), fresh in zip(_doc_steps(block.group(1)), fresh_parts):
        lines += [command] + _refresh_step(old, fresh)
    start = at + block.start(1)
    return text[:start] + "\n".join(lines) + text[at + block.end(1):]


def main(argv):
    """Print a real session in the transcript's format, or with --update write
    it into docs/follow-a-keystroke.md."""
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    update = argv[:1] == ["--update"]
    argv = argv[1:] if update else argv
    program = argv[0] if argv else os.path.join(root, PROGRAM)
    with open(os.path.join(root, DOC), encoding="utf-8") as f:
        text = f.read()
    commands = [c for c, _ in parse_transcript(text)]
    output, relay_err, problem = run_session(root, commands, program)
    parts = split_output(output, len(commands))
    if problem:
        print(f"gdbtest: {problem}\n{relay_err}", file=sys.stderr)
        return 1
    if update:
        with open(os.path.join(root, DOC), "w", encoding="utf-8") as f:
            f.write(refreshed_doc(text, parts))
        return 0
    for command, lines in zip(commands, parts):
        print(PROMPT + command)
        for line in lines:
            print(line)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
