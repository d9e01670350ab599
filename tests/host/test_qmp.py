"""Unit tests of the QMP client (tests/harness/qmp.py)."""

import json
import os
import shutil
import socket
import tempfile
import threading
import time
import unittest

import support  # noqa: F401  (puts tests/ on sys.path)
from harness import qmp


class Combos(unittest.TestCase):
    def test_parse(self):
        cases = {"a": ["a"], "shift-b": ["shift", "b"], "ctrl-c": ["ctrl", "c"],
                 "ret": ["ret"], "caps_lock": ["caps_lock"], "-": ["minus"],
                 "ctrl--": ["ctrl", "minus"], "ctrl-alt-delete": ["ctrl", "alt", "delete"]}
        for combo, keys in cases.items():
            with self.subTest(combo=combo):
                self.assertEqual(qmp.parse_combo(combo), keys)

    def test_malformed(self):
        for combo in ("", "ctrl-", "-a", "a--b"):
            with self.subTest(combo=combo):
                self.assertRaises(ValueError, qmp.parse_combo, combo)

    def test_send_key_arguments(self):
        self.assertEqual(qmp.key_args("ctrl-c"), {"keys": [
            {"type": "qcode", "data": "ctrl"}, {"type": "qcode", "data": "c"}]})
        self.assertEqual(qmp.key_args("a", hold_time=50)["hold-time"], 50)


class FakeServer(threading.Thread):
    """A one-client QMP server whose replies the test scripts."""

    def __init__(self, path, replies, delay=0.0):
        super().__init__(daemon=True)
        self.path, self.replies, self.delay = path, replies, delay
        self.requests = []

    def run(self):
        time.sleep(self.delay)                 # the client must wait for us
        server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        server.bind(self.path)
        server.listen(1)
        conn, _ = server.accept()
        stream = conn.makefile("rwb")
        self.send(stream, {"QMP": {"version": {}}})
        for line in stream:
            request = json.loads(line)
            self.requests.append(request)
            for message in self.replies.get(request["execute"], [{"return": {}}]):
                self.send(stream, dict(message, id=request["id"])
                          if "event" not in message else message)
        stream.close()
        conn.close()
        server.close()

    @staticmethod
    def send(stream, message):
        stream.write(json.dumps(message).encode() + b"\r\n")
        stream.flush()


class Client(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.mkdtemp(prefix="relay-qmp-test-")
        self.addCleanup(shutil.rmtree, self.dir, True)
        self.path = os.path.join(self.dir, "s")

    def serve(self, replies=None, delay=0.0):
        server = FakeServer(self.path, replies or {}, delay)
        server.start()
        return server

    def test_handshake_waits_for_socket_and_skips_events(self):
        server = self.serve({"query-status": [
            {"event": "RESUME"}, {"return": {"status": "running"}}]}, delay=0.3)
        with qmp.QMPClient(self.path, timeout=5) as client:
            self.assertEqual(client.query_status(), {"status": "running"})
            client.send_key("shift-b")
            self.assertEqual(len(client.events), 1)
        names = [r["execute"] for r in server.requests]
        self.assertEqual(names, ["qmp_capabilities", "query-status", "send-key"])
        self.assertEqual(server.requests[2]["arguments"]["keys"][0]["data"], "shift")

    def test_error_reply_raises(self):
        self.serve({"send-key": [{"error": {"class": "GenericError",
                                            "desc": "invalid qcode 'bogus'"}}]})
        with qmp.QMPClient(self.path, timeout=5) as client:
            with self.assertRaisesRegex(qmp.QMPError, "invalid qcode 'bogus'"):
                client.send_key("bogus")

    def test_no_socket_times_out(self):
        client = qmp.QMPClient(self.path, timeout=0.2)
        with self.assertRaisesRegex(qmp.QMPError, "not ready"):
            client.connect()

    def test_silent_server_times_out(self):
        server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        server.bind(self.path)
        server.listen(1)
        self.addCleanup(server.close)
        client = qmp.QMPClient(self.path, timeout=0.3)
        with self.assertRaisesRegex(qmp.QMPError, "read failed"):
            client.connect()
        client.close()


if __name__ == "__main__":
    unittest.main()
