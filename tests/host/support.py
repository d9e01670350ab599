"""Shared helpers for the host unit tests.

Importing this module puts tests/ on sys.path so `harness` and `suites`
import the same way whether the tests run from tests/run.py or from
`python3 -m unittest discover -s tests/host`.
"""

import os
import sys

HOST_DIR = os.path.dirname(os.path.abspath(__file__))
TESTS_DIR = os.path.dirname(HOST_DIR)
FAKE_QEMU = os.path.join(HOST_DIR, "fake_qemu.py")

if TESTS_DIR not in sys.path:
    sys.path.insert(0, TESTS_DIR)


def ktap_lines(text):
    """Dedent a triple-quoted KTAP sample by its first line's margin."""
    lines = text.strip("\n").splitlines()
    margin = len(lines[0]) - len(lines[0].lstrip(" "))
    return [line[margin:] for line in lines]
