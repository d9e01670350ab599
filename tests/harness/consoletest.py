"""The console test: `make run` used the way a person uses it, in a real terminal.

tmux gives `make run` a 100x30 terminal of its own; the test types into it
with `tmux send-keys` and reads it back with `tmux capture-pane`, one step
after the other, as a newcomer following the README would:

  console.boot              the ISO boots through GRUB to the shell's prompt
  console.sigdemo           `sigdemo` Enter runs it
  console.ctrl-c            Ctrl-C reaches its SIGINT handler, echoed as ^C
  console.ctrl-backslash    Ctrl-\\ reaches its SIGQUIT handler, which ends it
  console.shell-after       the shell then runs `hello`
  console.quit              Ctrl-A X: QEMU is gone within QUIT_DEADLINE seconds
  console.terminal-restored the terminal is back in cooked mode, off the
                            alternate screen, and make exited with status 0

A step that fails stops the session; the steps after it fail as not reached.
Without tmux the steps are skipped (tools/setup installs it).
`python3 tests/harness/consoletest.py` runs the session on its own.
"""

import os
import re
import shutil
import signal
import subprocess
import sys
import time

if __package__:
    from . import verdict
else:                                   # run as a script
    sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    from harness import verdict

GROUP = "console"
STEPS = ("boot", "sigdemo", "ctrl-c", "ctrl-backslash", "shell-after", "quit",
         "terminal-restored")
TERMINAL_COLUMNS, TERMINAL_ROWS = 100, 30
BOOT_TIMEOUT = 30.0             # seconds for make run (an ISO build and GRUB) to the prompt
STEP_TIMEOUT = 8.0              # seconds for each later step to show on the screen
QUIT_DEADLINE = 2.0             # seconds QEMU may take to go after Ctrl-A X
POLL = 0.1
QEMU_NAME = "qemu-system-i386"
EXIT_MARK = "make run exited with status"
STTY_MARK = "stty:"
# make's own variables would tie the inner make to the runner's jobserver.
MAKE_ENV = ("MAKEFLAGS", "MAKELEVEL", "MFLAGS")
# BusyBox ash's prompt as root: the working directory ("~" for $HOME) and '#'.
PROMPT = r"\S+ # ?"
PROMPT_RE = re.compile(r"^" + PROMPT + r"$", re.MULTILINE)


def is_name(name):
    return name == GROUP or name.startswith(GROUP + ".")


class StepFailed(Exception):
    """A step did not see what it waited for; the message says what."""


class Tmux:
    """One private tmux server (its own socket) holding one terminal."""

    def __init__(self, socket_name):
        self.base = ["tmux", "-L", socket_name, "-f", os.devnull]

    def run(self, *args):
        return subprocess.run(self.base + list(args), capture_output=True, text=True,
                              check=False).stdout

    def start(self, command, cwd):
        env = {k: v for k, v in os.environ.items() if k not in MAKE_ENV}
        subprocess.run(self.base + ["new-session", "-d", "-x", str(TERMINAL_COLUMNS),
                                    "-y", str(TERMINAL_ROWS), "-s", GROUP, command],
                       cwd=cwd, env=env, check=True, capture_output=True)

    def keys(self, *keys):
        self.run("send-keys", "-t", GROUP, *keys)

    def screen(self):
        return self.run("capture-pane", "-p", "-t", GROUP)

    def pane(self, variable):
        return self.run("display-message", "-p", "-t", GROUP, "#{" + variable + "}").strip()

    def stop(self):
        self.run("kill-server")


def wait_for(tmux, test, what, timeout=STEP_TIMEOUT):
    """Polls the screen until test(screen) holds; returns the screen."""
    deadline = time.monotonic() + timeout
    while True:
        screen = tmux.screen()
        if test(screen):
            return screen
        if time.monotonic() >= deadline:
            raise StepFailed(f"no {what} on the screen within {timeout:g} s; it shows:\n"
                             + screen.rstrip())
        time.sleep(POLL)


def shows(text):
    return lambda screen: text in screen


def children(pid):
    """The pids of pid's children (Linux /proc)."""
    try:
        with open(f"/proc/{pid}/task/{pid}/children", encoding="ascii") as f:
            return [int(p) for p in f.read().split()]
    except OSError:
        return []


def find_qemu(pid):
    """The pid of a QEMU below pid in the process tree, or None."""
    for child in children(pid):
        try:
            with open(f"/proc/{child}/cmdline", "rb") as f:
                argv0 = f.read().split(b"\0")[0].decode("utf-8", "replace")
        except OSError:
            continue
        if os.path.basename(argv0) == QEMU_NAME:
            return child
        found = find_qemu(child)
        if found:
            return found
    return None


def alive(pid):
    """True while pid exists and is not a zombie."""
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as f:
            return f.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


# ---------------------------------------------------------------- the steps

def step_boot(tmux, state):
    screen = wait_for(tmux, lambda s: PROMPT_RE.search(s), "ash's prompt '~ # '",
                      BOOT_TIMEOUT)
    state["qemu"] = find_qemu(int(tmux.pane("pane_pid")))
    if not state["qemu"]:
        raise StepFailed("the prompt is there but no QEMU runs under make run:\n" + screen)


def step_sigdemo(tmux, _state):
    tmux.keys("sigdemo", "Enter")
    wait_for(tmux, shows("READY: press Ctrl-C"), "sigdemo's READY line")


def step_ctrl_c(tmux, _state):
    tmux.keys("C-c")
    wait_for(tmux, shows("^Ccaught SIGINT #1"), "'^C' echo and 'caught SIGINT #1'")


def step_ctrl_backslash(tmux, _state):
    tmux.keys("C-\\")
    wait_for(tmux, lambda s: re.search(r"caught SIGQUIT.*bye\n" + PROMPT + r"\n", s),
             "'caught SIGQUIT' and the prompt after it")


def step_shell_after(tmux, _state):
    tmux.keys("hello", "Enter")
    wait_for(tmux, shows("hello, world"), "hello's 'hello, world'")


def step_quit(tmux, state):
    tmux.keys("C-a", "x")
    deadline = time.monotonic() + QUIT_DEADLINE
    while alive(state["qemu"]):
        if time.monotonic() >= deadline:
            raise StepFailed(f"QEMU (pid {state['qemu']}) still runs {QUIT_DEADLINE:g} s "
                             "after Ctrl-A X")
        time.sleep(POLL / 10)


def step_terminal_restored(tmux, _state):
    screen = wait_for(tmux, shows(EXIT_MARK), "exit status of make run")
    status = re.search(EXIT_MARK + r" (\d+)", screen)
    stty = next((line for line in screen.splitlines() if line.startswith(STTY_MARK)), "")
    problems = []
    if not status or status.group(1) != "0":
        problems.append(f"make run exited with {status.group(1) if status else '?'}, not 0")
    if " icanon" not in stty or " echo" not in stty:
        problems.append(f"the terminal is still raw: {stty!r}")
    if tmux.pane("alternate_on") != "0":
        problems.append("the terminal is still on the alternate screen")
    if tmux.pane("cursor_flag") != "1":
        problems.append("the cursor is still hidden")
    if problems:
        raise StepFailed("; ".join(problems))


STEP_FUNCTIONS = (step_boot, step_sigdemo, step_ctrl_c, step_ctrl_backslash, step_shell_after,
                  step_quit, step_terminal_restored)


# ---------------------------------------------------------------- running

def session_command():
    """What the terminal runs: make run, then how it left the terminal."""
    return (f"make -s --no-print-directory run; status=$?; "
            f"echo \"{STTY_MARK} $(stty -a | grep -o -e ' -\\?icanon' -e ' -\\?echo ' | tr -d '\\n')\"; "
            f"echo \"{EXIT_MARK} $status\"; sleep 60")


def run_steps(tmux, emit):
    """Runs the steps in order; after a failure the rest are not reached."""
    state, failed = {}, None
    for name, function in zip(STEPS, STEP_FUNCTIONS):
        full = f"{GROUP}.{name}"
        if failed:
            emit(verdict.Line(verdict.FAIL, full, f"not reached ({failed} failed)"))
            continue
        try:
            function(tmux, state)
            emit(verdict.Line(verdict.PASS, full))
        except StepFailed as err:
            failed = name
            lines = str(err).splitlines()
            emit(verdict.Line(verdict.FAIL, full, lines[0], lines[1:]))
    return state


def run(root, emit):
    """Runs the session in a fresh tmux server; emits one Line per step."""
    if shutil.which("tmux") is None:
        for name in STEPS:
            emit(verdict.Line(verdict.SKIP, f"{GROUP}.{name}",
                              "tmux is not installed (tools/setup installs it)"))
        return
    tmux = Tmux(f"relay-console-test-{os.getpid()}")
    state = {}
    try:
        tmux.start(session_command(), root)
        state = run_steps(tmux, emit)
    finally:
        tmux.stop()
        if state.get("qemu") and alive(state["qemu"]):
            os.kill(state["qemu"], signal.SIGKILL)


def main():
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    failed = []

    def emit(line):
        failed.extend([line] if line.verdict == verdict.FAIL else [])
        print(line.render(), flush=True)
    run(root, emit)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
