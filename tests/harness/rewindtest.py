"""Record and replay, checked on real runs (suite group `rewind`, docs/rewind.md).

- rewind.replay@pic / @apic: `tools/relay run --record=DIR` of sigdemo with a
  typed Ctrl-C then Ctrl-\\, replayed twice with `tools/relay replay DIR`:
  each replay gives the recorded stdout and stderr byte for byte and the
  same exit status.
- rewind.gdb: `tools/relay replay --gdb=PORT DIR` of that recording, with a
  batch gdb that breaks where the tty sends SIGINT to the foreground group:
  the breakpoint is hit with the keyboard interrupt (kbd_irq) on the stack,
  and reverse-stepi steps back to the call in tty_key_event.
- rewind.stale: a DIR whose kernel copy changed after recording is refused
  (exit status 2, a message naming the file), and so is a DIR without a
  manifest.
"""
import os
import shutil
import signal
import subprocess
import sys
import tempfile

try:
    from . import verdict
except ImportError:                 # run as tests/harness/rewindtest.py
    from harness import verdict

GROUP = "rewind"
RELAY = os.path.join("tools", "relay")
TIMEOUT = 60
KEYS = "--keys=after=READY,ctrl-c,after=#1,ctrl-backslash"
EXIT_USAGE = 2
# What sigdemo prints for this input (user/bin/sigdemo.c), so a replay that
# printed nothing at all can never pass by matching an empty recording.
EXPECTED_LAST_LINE = b"caught SIGQUIT: 1 SIGINT in all, bye\n"


def is_name(name):
    return name == GROUP or name.startswith(GROUP + ".")


def relay(root, *args):
    """tools/relay with these arguments; returns (status, stdout, stderr) as bytes."""
    proc = subprocess.run([sys.executable, os.path.join(root, RELAY), *args],
                          capture_output=True, timeout=TIMEOUT, stdin=subprocess.DEVNULL)
    return proc.returncode, proc.stdout, proc.stderr


def record(root, directory, irq):
    return relay(root, "run", "--no-build", f"--irq={irq}", f"--record={directory}", KEYS,
                 os.path.join(root, "build", "user", "sigdemo"))


def check_replay(root, tmp, irq):
    directory = os.path.join(tmp, f"sigdemo-{irq}")
    recorded = record(root, directory, irq)
    if recorded[0] != 0 or not recorded[1].endswith(EXPECTED_LAST_LINE):
        return f"the recorded run exited {recorded[0]}: {recorded[2].decode()[-200:]}"
    for n in (1, 2):
        replayed = relay(root, "replay", directory)
        if replayed != recorded:
            return (f"replay {n} differs: status {replayed[0]} (recorded {recorded[0]}), "
                    f"stdout {replayed[1][-80:]!r}, stderr {replayed[2][-200:]!r}")
    return ""


GDB_TIMEOUT = 40


def check_gdb(root, tmp):
    directory = os.path.join(tmp, "sigdemo-pic")
    if not os.path.isdir(directory):
        return "no recording to debug (rewind.replay@pic failed first)"
    port = free_port()
    replay = subprocess.Popen([sys.executable, os.path.join(root, RELAY), "replay",
                               f"--gdb={port}", f"--timeout={GDB_TIMEOUT}", directory],
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                              stdin=subprocess.DEVNULL)
    try:
        announced = replay.stderr.readline().decode()
        if str(port) not in announced:
            return f"replay --gdb did not announce its port: {announced!r}"
        gdb = subprocess.run(["gdb", "-batch", "-q", "-x", os.path.join("tools", "gdb", "relay.gdb"),
                              "-ex", f"file {os.path.join(directory, 'relay.elf')}",
                              "-ex", f"target remote 127.0.0.1:{port}",
                              "-ex", "break sig_send_group", "-ex", "continue", "-ex", "bt",
                              "-ex", "reverse-stepi", "-ex", "info symbol $pc",
                              "-ex", "kill"],
                             cwd=root, capture_output=True, text=True, timeout=GDB_TIMEOUT)
    finally:
        replay.send_signal(signal.SIGINT)   # tools/relay then stops its QEMU
        try:
            replay.wait(timeout=GDB_TIMEOUT)
        except subprocess.TimeoutExpired:
            replay.kill()
            replay.wait()
    if "sig_send_group (pgid=" not in gdb.stdout or "kbd_irq" not in gdb.stdout:
        return f"gdb did not stop in sig_send_group under kbd_irq: {gdb.stdout[-300:]!r}"
    if "tty_key_event + " not in gdb.stdout:
        return f"reverse-stepi did not step back into the caller: {gdb.stdout[-300:]!r}"
    return ""


def free_port():
    import socket
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def check_stale(root, tmp):
    directory = os.path.join(tmp, "sigdemo-pic")
    if not os.path.isdir(directory):
        return "no recording to damage (rewind.replay@pic failed first)"
    stale = os.path.join(tmp, "stale")
    shutil.copytree(directory, stale)
    with open(os.path.join(stale, "relay.elf"), "ab") as f:
        f.write(b"rebuilt")
    status, _, err = relay(root, "replay", stale)
    if status != EXIT_USAGE or b"relay.elf: changed since it was recorded" not in err:
        return f"a changed kernel was not refused: status {status}, {err[-200:]!r}"
    os.remove(os.path.join(stale, "manifest.json"))
    status, _, err = relay(root, "replay", stale)
    if status != EXIT_USAGE or b"not a recording" not in err:
        return f"a DIR without a manifest was not refused: status {status}, {err[-200:]!r}"
    return ""


def run(root, emit):
    """Runs the checks and emits one verdict.Line each."""
    if not os.path.isfile(os.path.join(root, "build", "user", "sigdemo")):
        emit(verdict.Line(verdict.SKIP, GROUP, "build/user is not built"))
        return
    if shutil.which("qemu-img") is None:
        emit(verdict.Line(verdict.SKIP, GROUP, "qemu-img (qemu-utils) is not installed: "
                                               "run tools/setup"))
        return
    with tempfile.TemporaryDirectory() as tmp:
        checks = [(f"{GROUP}.replay@{irq}", lambda irq=irq: check_replay(root, tmp, irq))
                  for irq in ("pic", "apic")]
        checks += [(f"{GROUP}.gdb", lambda: check_gdb(root, tmp))]
        checks += [(f"{GROUP}.stale", lambda: check_stale(root, tmp))]
        for name, check in checks:
            try:
                problem = check()
            except subprocess.TimeoutExpired:
                problem = f"tools/relay did not finish within {TIMEOUT} s"
            emit(verdict.Line(verdict.FAIL if problem else verdict.PASS, name, problem))
