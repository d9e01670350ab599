"""Boot the kernel under QEMU, watch its serial port, and classify the end.

The kernel reports its verdict through the isa-debug-exit device: writing v
to port 0xf4 makes QEMU exit with status (v << 1) | 1. A triple fault under
-no-reboot exits with status 0, so 0 must never be read as success. A kernel
that never writes the port hangs, which only a timeout can catch.

Serial output is read line by line in a thread while QEMU runs, so that
`# relay-inject: KEYS` directives can be answered over QMP at once and a
`KERNEL PANIC` line can cut the wait short.
"""

import os
import queue
import re
import shutil
import subprocess
import tempfile
import threading
import time
from dataclasses import dataclass, field
from typing import List, Optional

from .qmp import QMPClient, QMPError

QEMU_BINARY = "qemu-system-i386"
KERNEL_IMAGE = "build/relay.elf"
TEST_ISO = "build/relay-test.iso"

# QEMU exit statuses, as produced by the kernel through isa-debug-exit.
EXIT_PASS = 33          # kernel wrote 0x10: every test passed
EXIT_FAIL = 35          # kernel wrote 0x11: some test failed
EXIT_PANIC = 37         # kernel wrote 0x12 after printing KERNEL PANIC
EXIT_RESET = 0          # triple fault or reset with -no-reboot

STATUS_PASS = "pass"
STATUS_FAIL = "fail"
STATUS_PANIC = "panic"
STATUS_RESET = "reset"
STATUS_QEMU_ERROR = "qemu-error"
STATUS_TIMEOUT = "timeout"
STATUS_ABORTED = "aborted"      # we stopped QEMU after a failed key injection

PANIC_MARKER = "KERNEL PANIC"
PANIC_GRACE = 2.0       # seconds a panicking kernel gets to exit with 37
INJECT_GRACE = 2.0      # seconds to let QEMU finish after an injection error
POLL_INTERVAL = 0.05    # seconds between checks while QEMU runs
READER_JOIN = 5.0       # seconds to drain serial output after QEMU exits
TAIL_LINES = 20         # serial lines shown when a suite dies

INJECT_RE = re.compile(r"#\s*relay-inject:\s*(.*)$")


def classify_exit(code):
    """Map a QEMU exit status to (STATUS_*, human description)."""
    if code == EXIT_PASS:
        return STATUS_PASS, f"all tests passed (status {code})"
    if code == EXIT_FAIL:
        return STATUS_FAIL, f"some test failed (status {code})"
    if code == EXIT_PANIC:
        return STATUS_PANIC, f"kernel panic (status {code})"
    if code == EXIT_RESET:
        return STATUS_RESET, f"triple fault or reset (status {code})"
    if code < 0:
        return STATUS_QEMU_ERROR, f"QEMU killed by signal {-code}"
    return STATUS_QEMU_ERROR, f"QEMU error (status {code})"


def inject_directive(line):
    """Return the key combos of a '# relay-inject:' line, else None."""
    match = INJECT_RE.search(line)
    return match.group(1).split() if match else None


def build_command(suite, root, qmp_path):
    """The QEMU argv for one suite entry (see tests/harness/suitedef.py)."""
    argv = [QEMU_BINARY]
    if suite["boot"] == "iso":
        argv += ["-cdrom", os.path.join(root, TEST_ISO)]
    else:
        argv += ["-kernel", os.path.join(root, KERNEL_IMAGE),
                 "-append", suite["cmdline"]]
    argv += ["-m", "128M", "-display", "none", "-no-reboot",
             "-serial", "stdio", "-monitor", "none",
             "-device", "isa-debug-exit,iobase=0xf4,iosize=0x04",
             "-qmp", f"unix:{qmp_path},server=on,wait=off"]
    if suite["icount"]:
        argv += ["-icount", "shift=0,sleep=off",
                 "-rtc", "base=2020-01-01T00:00:00,clock=vm"]
    if suite["initrd"]:
        argv += ["-initrd", ",".join(_initrd_item(root, item)
                                     for item in suite["initrd"])]
    return argv


def _initrd_item(root, item):
    """'file args' with the file made relative to the repository root."""
    path, _, args = item.partition(" ")
    path = os.path.join(root, path)
    return f"{path} {args}" if args else path


@dataclass
class RunResult:
    """What one QEMU run produced."""
    status: str
    description: str
    exit_code: Optional[int]
    elapsed: float
    lines: List[str] = field(default_factory=list)
    stderr: str = ""
    inject_errors: List[str] = field(default_factory=list)
    panic_seen: bool = False

    def tail(self, count=TAIL_LINES):
        """The last serial lines, for reports of crashed suites."""
        return self.lines[-count:]


class _Injector(threading.Thread):
    """Sends queued key combos over QMP, connecting on first use."""

    def __init__(self, qmp_path):
        super().__init__(daemon=True)
        self.qmp_path = qmp_path
        self.requests = queue.Queue()
        self.errors = []
        self.failed_at = None       # monotonic time of the first error
        self.client = None

    def run(self):
        while (combos := self.requests.get()) is not None:
            try:
                self._send(combos)
            except QMPError as err:
                self.errors.append(f"key injection failed: {err}")
                if self.failed_at is None:
                    self.failed_at = time.monotonic()
        if self.client is not None:
            self.client.close()

    def _send(self, combos):
        if self.client is None:
            self.client = QMPClient(self.qmp_path)
            self.client.connect()
        for combo in combos:
            try:
                self.client.send_key(combo)
            except QMPError as err:
                raise QMPError(f"key {combo!r}: {err}") from err


class _SerialReader(threading.Thread):
    """Collects serial lines, logs them, and spots directives and panics."""

    def __init__(self, stream, log, injector):
        super().__init__(daemon=True)
        self.stream = stream
        self.log = log
        self.injector = injector
        self.lines = []
        self.panic_at = None

    def run(self):
        for raw in iter(self.stream.readline, b""):
            line = raw.decode("utf-8", "replace").rstrip("\r\n").replace("\r", "")
            self.lines.append(line)
            if self.log is not None:
                self.log.write(line + "\n")
                self.log.flush()
            if PANIC_MARKER in line and self.panic_at is None:
                self.panic_at = time.monotonic()
            combos = inject_directive(line)
            if combos and self.injector is not None:
                self.injector.requests.put(combos)


class _Drain(threading.Thread):
    """Reads a stream to its end (QEMU's stderr) so QEMU never blocks on it."""

    def __init__(self, stream):
        super().__init__(daemon=True)
        self.stream = stream
        self.data = b""

    def run(self):
        self.data = self.stream.read()


def run_qemu(argv, timeout, qmp_path=None, log_path=None):
    """Run argv to completion or timeout and return a RunResult."""
    start = time.monotonic()
    try:
        proc = subprocess.Popen(argv, stdin=subprocess.DEVNULL,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    except OSError as err:
        return RunResult(STATUS_QEMU_ERROR, f"cannot start QEMU: {err}", None, 0.0)
    log = open(log_path, "w", encoding="utf-8") if log_path else None
    injector = _Injector(qmp_path) if qmp_path else None
    reader = _SerialReader(proc.stdout, log, injector)
    stderr = _Drain(proc.stderr)
    for thread in (injector, reader, stderr):
        if thread is not None:
            thread.start()
    try:
        status, description = _supervise(proc, reader, injector, start + timeout, timeout)
        elapsed = time.monotonic() - start
    finally:
        _stop(proc)
        _finish(reader, stderr, injector, (proc.stdout, proc.stderr, log))
    return RunResult(status, description, proc.returncode, elapsed,
                     list(reader.lines), stderr.data.decode("utf-8", "replace"),
                     list(injector.errors) if injector else [],
                     reader.panic_at is not None)


def _finish(reader, stderr, injector, handles):
    """Let the threads drain what QEMU wrote, then close everything."""
    reader.join(READER_JOIN)
    stderr.join(READER_JOIN)
    if injector is not None:
        injector.requests.put(None)
        injector.join(READER_JOIN)
    for handle in handles:
        if handle is not None:
            handle.close()


def _supervise(proc, reader, injector, deadline, timeout):
    """Wait for QEMU to exit; kill it on timeout or a stuck panic."""
    while True:
        try:
            code = proc.wait(timeout=POLL_INTERVAL)
            return classify_exit(code)
        except subprocess.TimeoutExpired:
            pass
        now = time.monotonic()
        if now >= deadline:
            return STATUS_TIMEOUT, f"hang/timeout: no exit within {timeout:g} s"
        if reader.panic_at is not None and now - reader.panic_at > PANIC_GRACE:
            return (STATUS_PANIC, f"kernel panic printed, but QEMU did not exit "
                    f"with status {EXIT_PANIC} within {PANIC_GRACE:g} s")
        failed_at = injector.failed_at if injector is not None else None
        if failed_at is not None and now - failed_at > INJECT_GRACE:
            return STATUS_ABORTED, "stopped QEMU after key injection failed"


def _stop(proc):
    """Kill our QEMU if it is still running and reap it."""
    if proc.poll() is None:
        proc.kill()
    proc.wait()


def qmp_socket_path():
    """A fresh, short socket path (unix socket paths max out near 108 bytes)."""
    return os.path.join(tempfile.mkdtemp(prefix="relay-qmp-"), "qmp.sock")


def remove_socket_dir(qmp_path):
    """Remove the directory made by qmp_socket_path()."""
    shutil.rmtree(os.path.dirname(qmp_path), ignore_errors=True)
