"""A small QMP (QEMU Machine Protocol) client over a unix socket.

QMP is line-delimited JSON: QEMU greets with {"QMP": ...}, the client must
send `qmp_capabilities` before any other command, and asynchronous
{"event": ...} messages may arrive between a command and its reply. Every
read has a timeout so a wedged QEMU can never hang the test runner.
"""

import json
import socket
import time

DEFAULT_TIMEOUT = 5.0          # seconds for connecting and for each reply
_CONNECT_RETRY = 0.02          # seconds between attempts while QEMU starts

# QEMU names the '-' key "minus"; a combo "ctrl--" means ctrl plus minus.
_KEY_ALIASES = {"-": "minus"}


class QMPError(Exception):
    """A QMP command failed, or the connection broke or timed out."""


def parse_combo(combo):
    """Split a key combo such as 'ctrl-c' into QEMU qcodes ['ctrl', 'c'].

    '-' separates keys, so a lone '-' and a trailing '-' (as in 'ctrl--')
    both mean the minus key. Raises ValueError for an empty combo or an
    empty key in the middle ('ctrl--c' is ambiguous, hence rejected).
    """
    if not combo:
        raise ValueError("empty key combo")
    if combo == "-":
        return [_KEY_ALIASES["-"]]
    if combo.endswith("--"):
        return parse_combo(combo[:-2]) + [_KEY_ALIASES["-"]]
    keys = combo.split("-")
    if any(not key for key in keys):
        raise ValueError(f"malformed key combo {combo!r}")
    return [_KEY_ALIASES.get(key, key) for key in keys]


def key_args(combo, hold_time=None):
    """Arguments of one `send-key` command for a combo."""
    args = {"keys": [{"type": "qcode", "data": key} for key in parse_combo(combo)]}
    if hold_time is not None:
        args["hold-time"] = int(hold_time)
    return args


class QMPClient:
    """One QMP session; use as a context manager or call close()."""

    def __init__(self, path, timeout=DEFAULT_TIMEOUT):
        self.path = path
        self.timeout = timeout
        self.sock = None
        self.reader = None
        self.next_id = 0
        self.events = []

    def __enter__(self):
        self.connect()
        return self

    def __exit__(self, *exc):
        self.close()

    def connect(self):
        """Wait for QEMU's socket, read the greeting, enter command mode."""
        deadline = time.monotonic() + self.timeout
        self.sock = self._dial(deadline)
        self.sock.settimeout(self.timeout)
        self.reader = self.sock.makefile("rb")
        greeting = self._read_message()
        if "QMP" not in greeting:
            raise QMPError(f"unexpected QMP greeting: {greeting}")
        self.execute("qmp_capabilities")
        return greeting

    def _dial(self, deadline):
        """Connect, retrying until the socket exists and accepts."""
        while True:
            sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            try:
                sock.connect(self.path)
                return sock
            except (FileNotFoundError, ConnectionRefusedError) as err:
                sock.close()
                if time.monotonic() >= deadline:
                    raise QMPError(f"QMP socket {self.path} not ready: {err}") from err
                time.sleep(_CONNECT_RETRY)

    def _read_message(self):
        """Read one JSON message; raise QMPError on EOF, timeout or junk."""
        try:
            line = self.reader.readline()
        except (socket.timeout, OSError) as err:
            raise QMPError(f"QMP read failed: {err}") from err
        if not line:
            raise QMPError("QMP connection closed by QEMU")
        try:
            return json.loads(line)
        except ValueError as err:
            raise QMPError(f"QMP sent invalid JSON: {line!r}") from err

    def execute(self, command, arguments=None):
        """Run one command and return its 'return' value."""
        self.next_id += 1
        request = {"execute": command, "id": self.next_id}
        if arguments:
            request["arguments"] = arguments
        try:
            self.sock.sendall(json.dumps(request).encode() + b"\n")
        except OSError as err:
            raise QMPError(f"QMP write failed: {err}") from err
        return self._wait_reply(self.next_id, command)

    def _wait_reply(self, request_id, command):
        """Skip events until the reply to request_id arrives."""
        while True:
            message = self._read_message()
            if "event" in message:
                self.events.append(message)
                continue
            if message.get("id") != request_id:
                continue
            if "error" in message:
                error = message["error"]
                raise QMPError(f"{command}: {error.get('class', 'Error')}: "
                               f"{error.get('desc', error)}")
            return message.get("return")

    def send_key(self, combo, hold_time=None):
        """Press and release one key combo such as 'shift-b' or 'ret'."""
        try:
            args = key_args(combo, hold_time)
        except ValueError as err:
            raise QMPError(str(err)) from err
        return self.execute("send-key", args)

    def query_status(self):
        """Return QEMU's run state, e.g. {'status': 'running', ...}."""
        return self.execute("query-status")

    def quit(self):
        """Ask QEMU to exit; the connection closing early is expected."""
        try:
            self.execute("quit")
        except QMPError:
            pass

    def close(self):
        """Drop the connection; safe to call more than once."""
        for handle in (self.reader, self.sock):
            if handle is not None:
                try:
                    handle.close()
                except OSError:
                    pass
        self.reader = self.sock = None

