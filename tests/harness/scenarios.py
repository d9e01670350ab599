"""Keyboard scenarios: real PS/2 keystrokes in, signals and output checked.

Each scenario boots Relay with one program through `tools/relay run`, types
its --keys steps on the emulated keyboard over QMP (so every key goes
through IRQ 1, the keyboard driver and the terminal), and checks what came
back: the exit status as a shell sees it (128 + N when signal N killed the
program), and stdout, either exactly or as substrings that must appear in
order and substrings that must not appear at all.

A keyboard scenario runs under both interrupt controllers, one result line
each: 'ok   scenario.sigint-handler@pic' or 'FAIL scenario.NAME@apic: why'
with the output's tail. tests/run.py selects them with --suite scenario,
--suite scenario.NAME (both controllers) or --suite scenario.NAME@pic.

A scenario with known_bug set still runs: while it fails it is reported as
'skip ...: known bug: ...', and once it passes as 'ok ... (known bug no
longer shows: ...)', so the flag can be removed.

The runner has built everything first, so tools/relay runs with --no-build.
"""

import importlib.util
import os
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Optional, Tuple

from . import verdict

GROUP = "scenario"              # the --suite name selecting every scenario
USER_BUILD = os.path.join("build", "user")
TOOL = os.path.join("tools", "relay")
LOG_DIR = os.path.join("build", "test-logs")
IRQS = ("pic", "apic")
TIMEOUT = 20.0                  # seconds per run, tools/relay's --timeout
HANG_GRACE = 15.0               # more seconds before tools/relay itself counts as hung
TAIL_LINES = 12                 # output lines shown under a FAIL

# Exit statuses of tools/relay that mean Relay or the tool failed (tools/relay --help).
RELAY_ERRORS = {2: "tools/relay refused to run it", 124: "timeout",
                125: "kernel panic", 126: "the machine died (triple fault or QEMU error)"}
KEYS_PROBLEM = "relay: --keys:"  # tools/relay's stderr when keys were not all sent


# ---------------------------------------------------------------- keys

def _load_keymap():
    """tools/relay_keys.py, imported by path: the one US-layout table, shared
    with tools/relay-console."""
    path = os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(
        os.path.abspath(__file__)))), "tools", "relay_keys.py")
    spec = importlib.util.spec_from_file_location("relay_keys", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


_keymap = _load_keymap()


def key_for(char):
    """The QEMU key combo that types char ('a', 'shift-a', 'spc', 'shift-7'...)."""
    combo = _keymap.key_for(char)
    if combo is None:
        raise ValueError(f"no key types {char!r}")
    return combo


def type_text(text):
    """Key steps typing text; '\\n' is Enter."""
    return [key_for(c) for c in text]


def after(text):
    """The step waiting for text in the program's output, escaped for --keys."""
    return "after=" + (text.replace("\\", "\\\\").replace(",", "\\,")
                       .replace("\n", "\\n"))


def sleep(ms):
    return f"sleep={int(ms)}"


PROMPT = after("$ ")            # sh's prompt
ASH_PROMPT = after("# ")        # BusyBox ash's, as root


def command(line):
    """Steps that wait for sh's prompt and then type line and Enter."""
    return [PROMPT] + type_text(line + "\n")


# ---------------------------------------------------------------- the table

@dataclass(frozen=True)
class Scenario:
    """One program, the keys typed at it, and what must come out."""
    name: str
    program: str                            # a program in build/user
    args: Tuple[str, ...] = ()
    modules: Tuple[str, ...] = ()           # more programs in build/user, for execve
    keys: Tuple[str, ...] = ()              # --keys steps
    status: int = 0                         # expected exit status (128 + N: signal N)
    stdout: Optional[str] = None            # exact stdout, when it is deterministic
    contains: Tuple[str, ...] = ()          # must appear in stdout, in this order
    absent: Tuple[str, ...] = ()            # must not appear in stdout
    irqs: Tuple[str, ...] = IRQS
    timeout: float = TIMEOUT
    known_bug: str = ""                     # see the module docstring
    busybox: bool = False                   # program is a BusyBox applet (tools/relay --busybox)


def scenario(name, program, *args, keys=(), modules=(), **expect):
    """A Scenario with tuples for the list arguments."""
    for key in ("contains", "absent", "irqs"):
        if key in expect:
            expect[key] = tuple(expect[key])
    return Scenario(name, program, tuple(args), tuple(modules), tuple(keys), **expect)


SIGDEMO_READY = "READY: press Ctrl-C to send SIGINT, Ctrl-\\ to send SIGQUIT and quit\n"
STOPME_READY = "READY: press Ctrl-Z to stop me, then type fg to continue\n"
SHELL_PROGRAMS = ("hello", "echo", "spin", "stopme")
UNPACED_PRESSES = 200           # Ctrl-C sent back to back
UNPACED_TIMEOUT = 60.0          # seconds: each key waits for the guest to take the last
KEYS_PAST_QUEUE = 40            # unread keys: 80 events, past drivers/kbd.c's 32-event queue

SCENARIOS = (
    # 1. A keystroke reaches a handler: two Ctrl-C run sigdemo's SIGINT handler, Ctrl-\ its
    #    SIGQUIT handler, which makes it end normally.
    scenario("sigint-handler", "sigdemo",
             keys=[after("READY"), "ctrl-c", after("#1"), "ctrl-c", after("#2"),
                   "ctrl-backslash"],
             status=0,
             stdout=SIGDEMO_READY + "caught SIGINT #1\ncaught SIGINT #2\n"
                    "caught SIGQUIT: 2 SIGINTs in all, bye\n"),
    #    No SIGQUIT handler: Ctrl-\ kills with 128 + SIGQUIT, a busy program...
    scenario("sigquit-default-busy", "spin", "1000",
             keys=[after("round 1/"), "ctrl-backslash"],
             status=131, contains=["spin: round 1/1000"], absent=["hash"]),
    #    ... and one asleep in read() (whose SIGINT handler does not matter here).
    scenario("sigquit-default-read", "readsig", "plain",
             keys=[after("READY"), sleep(200), "ctrl-backslash"],
             status=131, stdout="READY\n"),
    # 2. Ctrl-C without a handler: 128 + SIGINT, asleep in nanosleep, in read(), and busy.
    scenario("sigint-default-sleep", "stopme", "30",
             keys=[after("READY"), sleep(200), "ctrl-c"],
             status=130, stdout=STOPME_READY),
    scenario("sigint-default-read", "readsig", "default",
             keys=[after("READY"), sleep(200), "ctrl-c"],
             status=130, stdout="READY\n"),
    scenario("sigint-default-busy", "spin", "1000",
             keys=[after("round 1/"), "ctrl-c"],
             status=130, contains=["spin: round 1/1000"], absent=["hash"]),
    # 3. The shell runs typed commands.
    scenario("shell-commands", "sh", modules=SHELL_PROGRAMS,
             keys=command("hello a b") + command("echo hi") + command("exit 5"),
             status=5,
             stdout="$ hello, world\nargv[0] = hello\nargv[1] = a\nargv[2] = b\n"
                    "$ hi\n$ "),
    #    Signal keys at the prompt hit only the shell's group, which ignores them, and throw
    #    the typed line away; Ctrl-C then kills a job ("Interrupt"); Ctrl-D at an empty
    #    line is end of file: the shell exits with the last job's status.
    scenario("shell-keys-and-eof", "sh", modules=SHELL_PROGRAMS,
             keys=[PROMPT] + type_text("ech")
                  + [sleep(100), "ctrl-c", "ctrl-backslash", "ctrl-z", sleep(100)]
                  + type_text("echo ok\n")
                  + command("stopme") + [after("READY"), sleep(200), "ctrl-c"]
                  + [PROMPT, "ctrl-d"],
             status=130,
             stdout="$ ok\n$ " + STOPME_READY + "Interrupt\n$ \n"),
    # 4. Ctrl-C reaches the foreground job only: the background spin keeps running.
    scenario("shell-foreground-only", "sh", modules=SHELL_PROGRAMS,
             keys=command("spin 1000 &") + command("stopme")
                  + [after("READY"), sleep(200), "ctrl-c", after("Interrupt")]
                  + command("jobs") + [after("Running")] + command("exit 7"),
             status=7,
             contains=["[1] ", STOPME_READY, "Interrupt\n", "[1]+ Running  spin 1000\n"],
             absent=["[1]+ Interrupt", "Done", "spin: hash", "stopme: 1/"]),
    # 5. Ctrl-Z stops the foreground job; it stays stopped (no progress while the shell
    #    waits 1.2 s), jobs lists it, fg continues it to its end.
    scenario("shell-ctrl-z-fg", "sh", modules=SHELL_PROGRAMS,
             keys=command("stopme 2") + [after("stopme: 1/2"), "ctrl-z", PROMPT, sleep(1200)]
                  + type_text("jobs\n") + command("fg") + [after("stopme: 2/2")]
                  + command("exit 7"),
             status=7,
             stdout="$ " + STOPME_READY + "stopme: 1/2\n\n[1]+ Stopped  stopme 2\n"
                    "$ [1]+ Stopped  stopme 2\n$ stopme 2\nstopme: 2/2\n$ "),
    # 6. read() on the terminal interrupted by a handler: EINTR without SA_RESTART; with it
    #    the read goes on and returns the next line (what was typed before Ctrl-C is
    #    thrown away). Either way the handler runs while the process sleeps in read().
    scenario("read-eintr", "readsig", "plain",
             keys=[after("READY"), sleep(200), "ctrl-c"],
             status=0, stdout="READY\nhandler: SIGINT\nread: -1 EINTR\n"),
    scenario("read-restart", "readsig", "restart",
             keys=[after("READY"), sleep(200)] + type_text("xy")
                  + [sleep(100), "ctrl-c", after("handler")] + type_text("abc\n"),
             status=0, stdout="READY\nhandler: SIGINT\nread 4 bytes: abc\n"),
    # 7. Ctrl-D ends a line without a newline; at an empty line read() returns 0.
    scenario("read-ctrl-d", "readsig", "plain", "2",
             keys=[after("READY")] + type_text("abc") + ["ctrl-d", after("read 3"), "ctrl-d"],
             status=0, stdout="READY\nread 3 bytes: abc\nread 0 bytes: EOF\n"),
    # Type-ahead: a line typed while the foreground job runs, then Ctrl-C. Linux flushes the
    # terminal's input on a signal key (termios ISIG without NOFLSH), so the shell never runs
    # `echo lost`.
    scenario("shell-typeahead-flushed", "sh", modules=SHELL_PROGRAMS,
             keys=command("spin 1000") + [after("round 1/")] + type_text("echo lost\n")
                  + [sleep(100), "ctrl-c", after("Interrupt"), sleep(300)]
                  + type_text("echo ok\n") + [after("ok\n")] + command("exit 7"),
             status=7, contains=["Interrupt\n$ ", "ok\n"], absent=["lost"]),
    # Job control: a background job that reads the terminal gets SIGTTIN and stops; `fg`
    # gives it the terminal and its read goes on.
    scenario("shell-background-read", "sh", modules=("readsig",),
             keys=command("readsig plain &") + [sleep(500)] + type_text("echo x\n")
                  + [after("Stopped"), sleep(200)] + type_text("fg\n")
                  + [sleep(500)] + type_text("hi\n") + [after("read 3")] + command("exit 0"),
             status=0, contains=["[1]+ Stopped  readsig plain", "read 3 bytes: hi"]),
    # `jobs` reaps first: a background job that ended since the prompt is reported Done and
    #    not listed as Running.
    scenario("shell-jobs-reaps-first", "sh", modules=("sleepy",),
             keys=command("sleepy 1 300 &") + [after("sleepy"), sleep(300)]
                  + type_text("jobs\n") + command("exit 0"),
             status=0, contains=["[1]+ Done  sleepy 1 300\n"], absent=["Running"]),
    # A blocked signal stays pending: SIGINT typed while pending blocks it is held (one bit,
    #    however many Ctrl-C), and delivered the moment sigprocmask unblocks it.
    scenario("pending-held", "pending", "2",
             keys=[after("READY"), sleep(300), "ctrl-c", after("unblocking in 2"),
                   "ctrl-c", "ctrl-c"],
             status=0,
             stdout="READY: SIGINT is blocked; press Ctrl-C and it will wait, pending\n"
                    + "".join(f"SIGINT pending: sigpending() = 0x00000002 (bit 1 = SIGINT); "
                              f"unblocking in {n} s\n" for n in (2, 1))
                    + "unblocking SIGINT\nhandler: SIGINT delivered\n"
                    "sigprocmask returned after 1 delivery of SIGINT; pending now 0x00000000\n"),
    # --keys never loses a key: 200 Ctrl-C sent back to back each reach the handler
    #    (tools/relay sends a key once the kernel has decoded the one before it).
    scenario("sigint-200-unpaced", "sigdemo",
             keys=[after("READY")] + ["ctrl-c"] * UNPACED_PRESSES + ["ctrl-backslash"],
             status=0, timeout=UNPACED_TIMEOUT,
             contains=[f"caught SIGINT #{UNPACED_PRESSES}\n",
                       f"caught SIGQUIT: {UNPACED_PRESSES} SIGINTs in all, bye\n"]),
    #    A program that never reads lets typed keys fill the driver's queue; Ctrl-C and
    #    Ctrl-\ must still reach it (the queue's drops concern readers only).
    scenario("ctrl-c-past-full-queue", "sigdemo",
             keys=[after("READY")] + ["a"] * KEYS_PAST_QUEUE + ["ctrl-c", after("#1"),
                                                                "ctrl-backslash"],
             status=0,
             stdout=SIGDEMO_READY + "caught SIGINT #1\ncaught SIGQUIT: 1 SIGINT in all, bye\n"),
    # The terminal's settings (termios), typed at: raw mode without ISIG gives each key's
    #    bytes as Linux's console sends them (Up is ESC [ A, Enter CR, Ctrl-C a plain 0x03)...
    scenario("termios-raw", "termios", "raw",
             keys=[after("READY"), "a", "up", "ctrl-c", "ret", "q"],
             status=0, stdout="READY\n61\n1b\n5b\n41\n03\n0d\n71\n"),
    #    ...canonical mode edits the line: ^W erases a word, ^U the whole line...
    scenario("termios-werase", "termios", "edit",
             keys=[after("READY")] + type_text("abc def") + ["ctrl-w"] + type_text("xyz\n"),
             status=0, stdout="READY\nread 8 bytes: abc xyz\n"),
    scenario("termios-kill", "termios", "edit",
             keys=[after("READY")] + type_text("ab") + ["ctrl-u"] + type_text("k\n"),
             status=0, stdout="READY\nread 2 bytes: k\n"),
    #    ...VMIN 0, VTIME 3: a read with nothing typed ends empty after 0.3 s...
    scenario("termios-vtime", "termios", "vtime",
             status=0, stdout="READY\nread returned 0 after the timeout\n"),
    #    ...and TOSTOP stops a background writer with SIGTTOU.
    scenario("termios-tostop", "termios", "tostop",
             status=0, stdout="without TOSTOP:\nthe background write went through\n"
                              "with TOSTOP:\nwith TOSTOP: the child was stopped by SIGTTOU\n"),
    # BusyBox's ash, interactive, on the terminal: its line editor in raw mode takes a line with
    #    a typo erased, history brings back a command, and Ctrl-C ends a foreground job (130).
    scenario("ash-line-editing", "sh", "-i", busybox=True,
             keys=[after("# ")] + type_text("echo hx") + ["backspace"] + type_text("i\n")
                  + [after("# ")] + ["up", "ret"] + [after("# ")]
                  + type_text("sleep 20\n") + [sleep(800), "ctrl-c", after("# ")]
                  + type_text("echo status $?\n") + [after("status")] + type_text("exit\n"),
             status=0, contains=["hi\n", "hi\n", "status 130\n"]),
    # A process cannot escape through signals, and init ignores signals it has no handler
    # for (Relay only: Linux masks a forged IOPL and loops forever on a handler that returns
    # into its fault, docs/signals.md; and nobody should kill(1) on the host).
    scenario("sigsafety", "sigsafety", irqs=["apic"], status=0,
             stdout="".join(f"{what:<34} killed by SIGSEGV\n" for what in (
                 "forged frame: ring-0 cs", "forged frame: IOPL 3", "forged frame: kernel eip",
                 "forged frame: kernel esp", "forged frame: VM86 mode", "forged frame: IF clear",
                 "signal with an unmapped stack", "handler returning into its fault"))
                    + "kill(1, SIGTERM) = 0, kill(1, SIGKILL) = 0\n"
                    + "init is still our parent: yes\n"
                    + "kill(-1, SIGTERM) = 0\n"
                    + "child 1: killed by SIGTERM\nchild 2: killed by SIGTERM\n"
                    + "init is still our parent: yes\n"
                    + "the parent goes on: yes\n"),
    # BusyBox's read polls the terminal before each byte (poll, then read): a typed line
    # makes it ready (kernel/fs/dev.c terminal_poll), with and without read's timeout.
    scenario("busybox-read-poll", "sh", "-c",
             'echo READY; read x; echo "got [$x]"; read -t 20 y; echo "got [$y] $?"',
             keys=[after("READY")] + type_text("hi\n") + [after("got [hi]")]
                  + type_text("yo\n"),
             status=0, stdout="READY\ngot [hi]\ngot [yo] 0\n", busybox=True),
    # Job control with BusyBox's ash, as a person at the console uses it. Ctrl-C ends every
    #    process of a foreground pipeline...
    scenario("ash-pipeline-ctrl-c", "sh", "-i", busybox=True,
             keys=[ASH_PROMPT] + type_text("sleep 100 | cat\n") + [sleep(800), "ctrl-c"]
                  + [ASH_PROMPT] + type_text("echo st $?\n") + [after("st ")] + type_text("exit\n"),
             status=0, contains=["st 130\n"]),
    #    ...Ctrl-Z stops a job, jobs lists it, bg continues it in the background, fg brings it
    #    back, and Ctrl-C then ends it...
    scenario("ash-ctrl-z-bg-fg", "sh", "-i", busybox=True,
             keys=[ASH_PROMPT] + type_text("sleep 100\n") + [sleep(800), "ctrl-z", ASH_PROMPT]
                  + type_text("jobs\n") + [after("Stopped"), ASH_PROMPT] + type_text("bg\n")
                  + [ASH_PROMPT] + type_text("jobs\n") + [after("Running"), ASH_PROMPT]
                  + type_text("fg\n") + [sleep(800), "ctrl-c", ASH_PROMPT]
                  + type_text("echo st $?\n") + [after("st ")] + type_text("exit\n"),
             status=0, contains=["Stopped", "sleep 100", "Running", "st 130\n"]),
    #    ...Ctrl-D at the start of a line is end of file to cat...
    scenario("ash-cat-ctrl-d", "sh", "-i", busybox=True,
             keys=[ASH_PROMPT] + type_text("cat\n") + [sleep(500)] + type_text("hello\n")
                  + [after("hello\n"), "ctrl-d", ASH_PROMPT] + type_text("echo st $?\n")
                  + [after("st ")] + type_text("exit\n"),
             status=0, contains=["hello\n", "st 0\n"]),
    #    ...a background reader is stopped by SIGTTIN, and with `stty tostop` a background
    #    writer to the terminal by SIGTTOU.
    scenario("ash-background-ttin-ttou", "sh", "-i", busybox=True,
             keys=[ASH_PROMPT] + type_text("cat &\n") + [sleep(800), ASH_PROMPT]
                  + type_text("stty tostop\n") + [ASH_PROMPT]
                  + type_text("echo out > /dev/tty &\n") + [sleep(800)] + type_text("jobs\n")
                  + [after("Stopped (tty input)"), ASH_PROMPT] + type_text("kill -9 %1 %2\n")
                  + [sleep(500), ASH_PROMPT] + type_text("jobs; exit\n") + [sleep(500)]
                  + type_text("exit\n"),
             status=0, contains=["Stopped (tty output)", "Stopped (tty input)"]),
    # The terminal's other signals: a new window size is SIGWINCH, and the foreground group of
    #    a session whose leader exits gets SIGHUP.
    scenario("termios-winch", "termios", "winch",
             status=0, stdout="window: 80 columns, 25 rows\nthe same size again: SIGWINCH "
                              "not sent\na new size: SIGWINCH sent\n"),
    scenario("termios-hangup", "termios", "hangup",
             status=0, stdout="the foreground group of a session whose leader exited got "
                              "SIGHUP: yes\n"),
    # A job that stops with nobody to continue it ends the run at once with 128 + N, as a
    #    shell reports a stopped job (init waits with WUNTRACED): Ctrl-Z, and a shell that
    #    stops itself.
    scenario("stopped-job-ctrl-z", "stopme", "30",
             keys=[after("READY"), sleep(200), "ctrl-z"],
             status=148, stdout=STOPME_READY),
    scenario("stopped-job-kill-stop-self", "sh", "-c", "echo before; kill -STOP $$; echo after",
             busybox=True, status=147, stdout="before\n"),
    # What only Relay says: uname -a names Relay and its version (sysname and release stay
    #    Linux's, for programs that check the ABI).
    scenario("uname-names-relay", "uname", "-a", busybox=True, irqs=("pic",),
             contains=["Linux relay 6.1.0-relay Relay ", " i686 "]),
)


# ---------------------------------------------------------------- names

def entry_names(table=SCENARIOS):
    """'scenario.NAME@irq' for every run, in table order."""
    return [f"{GROUP}.{s.name}@{irq}" for s in table for irq in s.irqs]


def base_names(table=SCENARIOS):
    """'scenario.NAME' for every scenario (each selects all its controllers)."""
    return [f"{GROUP}.{s.name}" for s in table]


def is_group_name(name):
    """True for 'scenario' and 'scenario.ANYTHING'."""
    return name == GROUP or name.startswith(GROUP + ".")


def select(wanted, table=SCENARIOS):
    """([(Scenario, irq)] in table order, unknown names) for --suite values.

    'scenario' selects every run, 'scenario.NAME' both controllers of one,
    'scenario.NAME@irq' one run."""
    chosen, unknown = set(), []
    for name in wanted:
        hits = {(s.name, irq) for s in table for irq in s.irqs
                if name in (GROUP, f"{GROUP}.{s.name}", f"{GROUP}.{s.name}@{irq}")}
        if not hits:
            unknown.append(name)
        chosen |= hits
    runs = [(s, irq) for s in table for irq in s.irqs if (s.name, irq) in chosen]
    return runs, unknown


def all_runs(table=SCENARIOS):
    return [(s, irq) for s in table for irq in s.irqs]


def check_table(table=SCENARIOS):
    """Problems with the table itself (names, keys, expectations), as strings."""
    problems, seen = [], set()
    for s in table:
        if s.name in seen:
            problems.append(f"{s.name}: duplicate name")
        seen.add(s.name)
        if not s.name or any(c in s.name for c in "@ ."):
            problems.append(f"{s.name!r}: a name cannot be empty or hold '@', '.' or ' '")
        if not s.irqs or any(irq not in IRQS for irq in s.irqs):
            problems.append(f"{s.name}: irqs must be from {IRQS}")
        if s.stdout is None and not s.contains:
            problems.append(f"{s.name}: expects nothing of stdout")
        if any(not step for step in s.keys):
            problems.append(f"{s.name}: an empty key step")
    return problems


# ---------------------------------------------------------------- running

@dataclass
class Result:
    """What one tools/relay run produced."""
    status: int
    stdout: str
    stderr: str
    hung: bool = False          # tools/relay itself did not end


def relay_command(root, s, irq):
    """The tools/relay argv for one run."""
    log = os.path.join(root, LOG_DIR, f"{GROUP}.{s.name}@{irq}.log")
    argv = [sys.executable, os.path.join(root, TOOL), "run", "--no-build", f"--irq={irq}",
            f"--timeout={s.timeout:g}", f"--log={log}"]
    argv += [f"--module={os.path.join(root, USER_BUILD, m)}" for m in s.modules]
    if s.keys:
        argv.append("--keys=" + ",".join(s.keys))
    if s.busybox:
        return argv + ["--busybox", s.program] + list(s.args)
    return argv + [os.path.join(root, USER_BUILD, s.program)] + list(s.args)


def run_relay(root, s, irq):
    os.makedirs(os.path.join(root, LOG_DIR), exist_ok=True)
    argv = relay_command(root, s, irq)
    try:
        proc = subprocess.run(argv, cwd=root, stdin=subprocess.DEVNULL, capture_output=True,
                              timeout=s.timeout + HANG_GRACE)
    except subprocess.TimeoutExpired as err:
        return Result(-1, _text(err.stdout), _text(err.stderr), hung=True)
    return Result(proc.returncode, _text(proc.stdout), _text(proc.stderr))


def _text(data):
    if data is None:
        return ""
    return data.decode("utf-8", "replace") if isinstance(data, bytes) else data


# ---------------------------------------------------------------- judging

def problems_with(s, result):
    """What is wrong with one run's result, as short strings (empty: it passed)."""
    if result.hung:
        return [f"tools/relay did not end within {s.timeout + HANG_GRACE:g} s"]
    problems = []
    if result.status != s.status:
        what = RELAY_ERRORS.get(result.status)
        problems.append(f"exit status {result.status}"
                        + (f" ({what})" if what else "") + f", expected {s.status}")
    keys = [l[len("relay: "):] for l in result.stderr.splitlines() if l.startswith(KEYS_PROBLEM)]
    problems += keys
    if s.stdout is not None and result.stdout != s.stdout:
        problems.append("stdout differs: " + _first_difference(s.stdout, result.stdout))
    at = 0
    for text in s.contains:
        found = result.stdout.find(text, at)
        if found < 0:
            where = "" if at == 0 else " after what came before it"
            problems.append(f"no {text!r} in stdout{where}")
            break
        at = found + len(text)
    problems += [f"unexpected {text!r} in stdout" for text in s.absent if text in result.stdout]
    return problems


def _first_difference(expected, got):
    i = 0
    while i < min(len(expected), len(got)) and expected[i] == got[i]:
        i += 1
    line = expected.count("\n", 0, i) + 1
    return (f"line {line}: expected {expected[i:i + 40]!r}, got {got[i:i + 40]!r}")


def judge(s, irq, result):
    """One verdict.Line for a run."""
    name = f"{GROUP}.{s.name}@{irq}"
    problems = problems_with(s, result)
    if not problems:
        reason = f"known bug no longer shows: {s.known_bug}" if s.known_bug else ""
        return verdict.Line(verdict.PASS, name, reason)
    if s.known_bug:
        return verdict.Line(verdict.SKIP, name, f"known bug: {s.known_bug} "
                            f"({problems[0]})")
    return verdict.Line(verdict.FAIL, name, "; ".join(problems), _details(result))


def _details(result):
    details = []
    for label, text in (("stdout", result.stdout), ("stderr", result.stderr)):
        lines = text.splitlines()
        if not lines:
            continue
        shown = lines[-TAIL_LINES:]
        more = f" (last {len(shown)} of {len(lines)} lines)" if len(lines) > len(shown) else ""
        details.append(f"{label}{more}:")
        details += [f"  {_printable(l)}" for l in shown]
    return details


def _printable(line):
    return "".join(c if c.isprintable() or c == "\t" else repr(c)[1:-1] for c in line)


def check_one(root, s, irq):
    """Run one scenario under one controller; returns a verdict.Line."""
    name = f"{GROUP}.{s.name}@{irq}"
    for program in ((s.program,) if not s.busybox else ()) + s.modules:
        if not os.path.isfile(os.path.join(root, USER_BUILD, program)):
            return verdict.Line(verdict.FAIL, name, f"{USER_BUILD}/{program} not found "
                                "(run `make user`)")
    return judge(s, irq, run_relay(root, s, irq))


def run_all(root, runs, jobs, emit):
    """Run [(Scenario, irq)] `jobs` at a time, emitting Lines in order."""
    with ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
        for future in [pool.submit(check_one, root, s, irq) for s, irq in runs]:
            emit(future.result())
