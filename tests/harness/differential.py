"""Differential tests: each user/tests/test-*.c program, on Linux and on Relay.

The programs are static i386 Linux executables, so the very same file runs
natively on the x86_64 host (IA32 emulation) and on Relay under QEMU
(through tools/relay run --icount). Their stdout must match byte for byte,
and so must their exit statuses. Each program gives one result line,
'ok   diff.test-fork' or 'FAIL diff.test-fork: stdout differs' with a short
unified diff; tests/run.py selects them with --suite diff or
--suite diff.test-fork.

Both sides see the same world: argv[0] is the program's name, the
environment is the one init gives its jobs (read from user/bin/init.c),
stdin is empty on the host and the untouched console on Relay (tests do not
read it). A program that needs another program's path names it with
EXEC_TARGET in PROGRAM_ARGS: the host gets the absolute path of
build/user/NAME, Relay gets NAME and the file as an extra module.
"""

import difflib
import errno
import os
import re
import struct
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from . import verdict

GROUP = "diff"                      # the --suite name selecting every program
USER_BUILD = os.path.join("build", "user")
# What only Relay says about a program, checked when the file exists:
# expected/NAME.relay-stderr is tools/relay's whole stderr (its reports, e.g.
# of unimplemented system calls); each line of expected/NAME.relay-log must
# be a line of the kernel log.
EXPECTED_DIR = os.path.join("user", "tests", "expected")
MISSING_MARK = "does not implement"  # tools/relay's report of unimplemented calls
SOURCES = (os.path.join("user", "tests"),   # built with Relay's libc
           os.path.join("user", "glibc"))   # built with gcc -static and glibc
TOOL = os.path.join("tools", "relay")
INIT_SOURCE = os.path.join("user", "bin", "init.c")
LOG_DIR = os.path.join("build", "test-logs")
TIMEOUT = 30.0                      # seconds, each side
# Relay runs every program under both interrupt controllers (kernel option
# irq=): the 8259 PIC and the LAPIC+IOAPIC deliver the same interrupts by
# different paths, and signals must not care which.
CONTROLLERS = ("pic", "apic")
DIFF_LINES = 20                     # unified diff lines shown under a FAIL
STDERR_LINES = 8                    # stderr lines shown under a FAIL
EXEC_TARGET = "{exec-target}"       # in PROGRAM_ARGS: another user program

# Arguments for the programs that take some (read user/tests/*.c), as
# user/tests/expected/NAME.args has them, one a line. Any bytes but NUL and
# newline: tools/relay packs them into the initramfs.
PROGRAM_ARGS = {
    "test-args": ["alpha", "b-2", "--gamma=3", "a/b", "/c", "d/", "two words", "", "x,y",
                  "'quoted'"],
    "test-exit": ["3"],
    "test-exec": [EXEC_TARGET + "exec-target"],
    "test-exec-elf": [EXEC_TARGET + "elf-" + name for name in (
        "good", "misaligned", "filesz-over-memsz", "above-task-size", "entry-unmapped",
        "odd-align", "bad-machine")],
}

# init's job environment, if init.c cannot be read (see job_env there).
DEFAULT_ENV = [("PATH", "/bin:/sbin:/usr/bin:/usr/sbin"), ("HOME", "/"), ("TERM", "linux")]

# Exit statuses of tools/relay that mean Relay itself failed, not the program.
RELAY_ERRORS = {2: "tools/relay refused to run it", 124: "timeout on Relay",
                125: "kernel panic", 126: "the machine died (triple fault or QEMU error)"}


def entry_names(root):
    """'diff.test-x' for every user/tests/test-*.c, sorted."""
    return [f"{GROUP}.{name}" for name in program_names(root)]


def program_names(root):
    """test-* program names from their sources, sorted."""
    files = []
    for folder in SOURCES:
        try:
            files += os.listdir(os.path.join(root, folder))
        except OSError:
            pass
    return sorted(f[:-2] for f in files if f.startswith("test-") and f.endswith(".c"))


def is_group_name(name):
    """True for 'diff' and 'diff.ANYTHING' (the differential namespace)."""
    return name == GROUP or name.startswith(GROUP + ".")


def select(root, wanted):
    """(selected program names, unknown names) for --suite values in the group."""
    known = program_names(root)
    selected, unknown = [], []
    for name in wanted:
        hits = known if name == GROUP else [p for p in known if f"{GROUP}.{p}" == name]
        if not hits:
            unknown.append(name)
        selected += [p for p in hits if p not in selected]
    return selected, unknown


def job_environment(root):
    """The environment init passes to the programs it runs, in order."""
    try:
        with open(os.path.join(root, INIT_SOURCE), encoding="utf-8") as f:
            text = f.read()
    except OSError:
        return dict(DEFAULT_ENV)
    match = re.search(r"job_env\[\]\s*=\s*\{(.*?)\}", text, re.S)
    if not match:
        return dict(DEFAULT_ENV)
    pairs = [s.partition("=") for s in re.findall(r'"([^"]*)"', match.group(1))]
    return {key: value for key, _, value in pairs if key}


def program_args(name, root, side):
    """(argv words after argv[0], extra module paths) for one side ('host'/'relay')."""
    words, modules = [], []
    for word in PROGRAM_ARGS.get(name, []):
        if word.startswith(EXEC_TARGET):
            target = word[len(EXEC_TARGET):]
            path = os.path.join(root, USER_BUILD, target)
            if side == "host":
                word = path
            else:
                word = target
                modules.append(path)
        words.append(word)
    return words, modules


# ---------------------------------------------------------------- can the host run i386?

def probe_elf(code=42):
    """A minimal static i386 ELF that exits with `code` (built here, byte by byte)."""
    base, ehsize, phsize = 0x08048000, 52, 32
    text = (b"\xbb" + struct.pack("<I", code)      # mov ebx, code
            + b"\xb8\x01\x00\x00\x00"              # mov eax, 1 (exit)
            + b"\xcd\x80")                         # int 0x80
    size = ehsize + phsize + len(text)
    header = struct.pack("<4sBBBB8xHHIIIIIHHHHHH", b"\x7fELF", 1, 1, 1, 0,
                         2, 3, 1, base + ehsize + phsize, ehsize, 0, 0,
                         ehsize, phsize, 1, 40, 0, 0)
    phdr = struct.pack("<IIIIIIII", 1, 0, base, base, size, size, 5, 0x1000)
    return header + phdr + text


_host_verdict = None


def host_runs_i386(scratch_dir):
    """(True, '') if this host runs static i386 programs, else (False, why). Cached."""
    global _host_verdict
    if _host_verdict is None:
        _host_verdict = _probe(scratch_dir)
    return _host_verdict


def _run_probe(path, tries=20):
    """Runs the probe. ETXTBSY means another thread forked while the file was
    still open for writing (the child holds the descriptor until its exec):
    that passes in a moment, so it is retried rather than taken as a verdict."""
    for _ in range(tries - 1):
        try:
            return subprocess.run([path], timeout=10, capture_output=True).returncode
        except OSError as err:
            if err.errno != errno.ETXTBSY:
                raise
            time.sleep(0.05)
    return subprocess.run([path], timeout=10, capture_output=True).returncode


def _probe(scratch_dir):
    os.makedirs(scratch_dir, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=scratch_dir) as tmp:
        path = os.path.join(tmp, "probe")
        with open(path, "wb") as f:
            f.write(probe_elf(42))
        os.chmod(path, 0o755)
        try:
            code = _run_probe(path)
        except (OSError, subprocess.TimeoutExpired) as err:
            return False, f"host cannot run i386 executables ({err})"
    if code != 42:
        return False, f"host cannot run i386 executables (probe exited {code}, not 42)"
    return True, ""


# ---------------------------------------------------------------- one program

@dataclass
class Side:
    """What one side produced."""
    stdout: bytes
    status: int         # shell-like: exit code, or 128 + signal
    stderr: bytes
    error: str = ""     # the side itself failed (timeout, panic, ...)


def run_host(root, name):
    path = os.path.join(root, USER_BUILD, name)
    args, _ = program_args(name, root, "host")
    try:
        proc = subprocess.run([name] + args, executable=path, cwd=root,
                              env=job_environment(root), stdin=subprocess.DEVNULL,
                              capture_output=True, timeout=TIMEOUT)
    except subprocess.TimeoutExpired as err:
        return Side(err.stdout or b"", -1, err.stderr or b"",
                    f"timeout on the host after {TIMEOUT:g} s")
    except OSError as err:
        return Side(b"", -1, b"", f"cannot run on the host: {err}")
    status = proc.returncode if proc.returncode >= 0 else 128 - proc.returncode
    return Side(proc.stdout, status, proc.stderr)


def log_path(root, name, irq):
    return os.path.join(root, LOG_DIR, f"{GROUP}.{name}@{irq}.log")


def relay_command(root, name, irq):
    """The tools/relay argv for one program (--no-build: the runner built already)."""
    args, modules = program_args(name, root, "relay")
    argv = [sys.executable, os.path.join(root, TOOL), "run", "--icount", "--no-build",
            f"--irq={irq}", f"--timeout={TIMEOUT:g}", f"--log={log_path(root, name, irq)}"]
    argv += [f"--module={m}" for m in modules]
    return argv + [os.path.join(root, USER_BUILD, name)] + args


def run_relay(root, name, irq):
    argv = relay_command(root, name, irq)
    os.makedirs(os.path.join(root, LOG_DIR), exist_ok=True)
    try:
        proc = subprocess.run(argv, cwd=root, stdin=subprocess.DEVNULL,
                              capture_output=True, timeout=TIMEOUT + 15)
    except subprocess.TimeoutExpired as err:
        return Side(err.stdout or b"", -1, err.stderr or b"", "tools/relay itself hung")
    error = RELAY_ERRORS.get(proc.returncode, "")
    return Side(proc.stdout, proc.returncode, proc.stderr, error)


def relay_only_problems(root, name, relay, log):
    """([problems], [details]) from expected/NAME.relay-stderr and .relay-log
    (checked against the kernel log file `log`)."""
    problems, details = [], []
    wanted = _read_expected(root, name, "relay-stderr")
    stderr = relay.stderr.decode("utf-8", "replace")
    if wanted is not None and stderr != wanted:
        problems.append("Relay's stderr differs from expected/" + name + ".relay-stderr")
        details += unified_diff(wanted.encode(), relay.stderr)
    missing = [line for line in stderr.splitlines() if MISSING_MARK in line]
    if wanted is None and missing:
        # A test of a call must reach the call: ENOSYS would make the host
        # and Relay differ anyway, but a program that copes with ENOSYS
        # (glibc falls back) could pass without testing what it names.
        problems.append(missing[0].strip())
    wanted = _read_expected(root, name, "relay-log")
    if wanted is not None:
        lines = set(_read_text(log).splitlines())
        absent = [line for line in wanted.splitlines() if line not in lines]
        if absent:
            problems.append(f"the kernel log lacks {absent[0]!r}")
    return problems, details


def _read_expected(root, name, suffix):
    path = os.path.join(root, EXPECTED_DIR, f"{name}.{suffix}")
    return _read_text(path) if os.path.isfile(path) else None


def _read_text(path):
    try:
        with open(path, encoding="utf-8", errors="replace") as f:
            return f.read().replace("\r", "")
    except OSError:
        return ""


def compare(entry, host, relay, relay_only=((), ())):
    """One verdict.Line from the two sides, and relay_only_problems' findings."""
    if host.error:
        return verdict.Line(verdict.FAIL, entry, host.error, _stderr_lines("host", host))
    problems, details = list(relay_only[0]), list(relay_only[1])
    if host.stdout != relay.stdout:
        problems.append("stdout differs")
        details += unified_diff(host.stdout, relay.stdout)
    if host.status != relay.status:
        problems.append(f"exit status differs: host {host.status}, Relay {relay.status}")
    if relay.error and relay.status != host.status:
        problems.insert(0, relay.error)
    if not problems:
        return verdict.Line(verdict.PASS, entry)
    details += _stderr_lines("Relay", relay)
    return verdict.Line(verdict.FAIL, entry, "; ".join(problems), details)


def unified_diff(host_out, relay_out, limit=DIFF_LINES):
    """A short unified diff, host (---) against Relay (+++), bytes shown repr-safe."""
    def lines(data):
        return [_printable(l) for l in data.decode("utf-8", "replace").splitlines(True)]
    diff = list(difflib.unified_diff(lines(host_out), lines(relay_out), "host", "relay",
                                     n=2, lineterm=""))
    if not diff:                            # differs only in a way splitlines hides
        diff = [f"host:  {host_out[-60:]!r}", f"relay: {relay_out[-60:]!r}"]
    if len(diff) > limit:
        diff = diff[:limit] + [f"... ({len(diff) - limit} more diff lines)"]
    return diff


def _printable(line):
    """A line without its newline; other control bytes (e.g. '\\r') made visible."""
    body = line[:-1] if line.endswith("\n") else line + "  [no newline]"
    return "".join(c if c.isprintable() or c == "\t" else repr(c)[1:-1] for c in body)


def _stderr_lines(side, result):
    text = result.stderr.decode("utf-8", "replace").strip()
    if not text:
        return []
    lines = text.splitlines()
    if len(lines) > STDERR_LINES:       # keep the verdict at the top and the log's end
        lines = lines[:2] + ["..."] + lines[-(STDERR_LINES - 3):]
    return [f"{side} stderr:"] + [f"  {l}" for l in lines]


def check_one(root, name):
    """Run one program on both sides; returns a verdict.Line."""
    entry = f"{GROUP}.{name}"
    path = os.path.join(root, USER_BUILD, name)
    if not os.path.isfile(path):
        return verdict.Line(verdict.FAIL, entry, f"{USER_BUILD}/{name} not found "
                            "(run `make user`)")
    missing = [m for m in program_args(name, root, "relay")[1] if not os.path.isfile(m)]
    if missing:
        return verdict.Line(verdict.FAIL, entry, f"{os.path.relpath(missing[0], root)} "
                            "not found (run `make user`)")
    runs, why = host_runs_i386(os.path.join(root, LOG_DIR))
    if not runs:
        return verdict.Line(verdict.SKIP, entry, why)
    host = run_host(root, name)
    for irq in CONTROLLERS:
        relay = run_relay(root, name, irq)
        found = relay_only_problems(root, name, relay, log_path(root, name, irq))
        line = compare(entry, host, relay, found)
        if line.verdict != verdict.PASS:
            if not host.error:
                line.reason = f"irq={irq}: {line.reason}"
            return line
    return verdict.Line(verdict.PASS, entry)


def run_all(root, names, jobs, emit):
    """Check programs `jobs` at a time, emitting Lines in order."""
    with ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
        for future in [pool.submit(check_one, root, n) for n in names]:
            emit(future.result())
