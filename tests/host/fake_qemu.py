"""A stand-in for qemu-system-i386 so the runner is tested without a kernel.

Usage: fake_qemu.py QMP_PATH STEP...   (QMP_PATH '-' for no QMP socket)
Steps, run in order:
    print:TEXT   write TEXT as a serial line
    sleep:SECS   pause
    keys:N       wait (up to 5 s) until N keys arrived over QMP, then print
                 'got-keys: k1 k2 ...' like a kernel echoing its input
    exit:CODE    exit with CODE (default at the end: 0)
The QMP side answers the greeting, qmp_capabilities and send-key, emits an
event before each reply (real QEMU may too), and rejects qcodes that are
not in KNOWN_KEYS the way QEMU does.
"""

import json
import os
import socket
import sys
import threading
import time

KNOWN_KEYS = {"a", "b", "c", "shift", "ctrl", "ret", "minus", "up"}
KEY_WAIT = 5.0
received = []


def serve(path):
    """Accept one QMP client and answer it until it hangs up."""
    server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    server.bind(path)
    server.listen(1)
    conn, _ = server.accept()
    stream = conn.makefile("rwb")
    send(stream, {"QMP": {"version": {}, "capabilities": []}})
    for line in stream:
        request = json.loads(line)
        send(stream, {"event": "FAKE", "data": {}})
        send(stream, reply(request))


def reply(request):
    """The QMP answer to one request."""
    if request["execute"] == "send-key":
        keys = [k["data"] for k in request["arguments"]["keys"]]
        bad = [k for k in keys if k not in KNOWN_KEYS]
        if bad:
            return {"id": request["id"], "error": {
                "class": "GenericError", "desc": f"Parameter 'data' has an invalid value {bad[0]!r}"}}
        received.append("-".join(keys))
    return {"id": request["id"], "return": {}}


def send(stream, message):
    stream.write(json.dumps(message).encode() + b"\r\n")
    stream.flush()


def main(qmp_path, steps):
    if qmp_path != "-":
        threading.Thread(target=serve, args=(qmp_path,), daemon=True).start()
    for step in steps:
        verb, _, arg = step.partition(":")
        if verb == "print":
            print(arg, flush=True)
        elif verb == "sleep":
            time.sleep(float(arg))
        elif verb == "keys":
            deadline = time.monotonic() + KEY_WAIT
            while len(received) < int(arg) and time.monotonic() < deadline:
                time.sleep(0.01)
            print("got-keys: " + " ".join(received), flush=True)
        elif verb == "exit":
            os._exit(int(arg))
    os._exit(0)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2:])
