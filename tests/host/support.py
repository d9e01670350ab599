"""Shared helpers for the host unit tests.

Importing this module puts tests/ on sys.path so `harness` and `suites`
import the same way whether the tests run from tests/run.py or from
`python3 -m unittest discover -s tests/host`.
"""

import importlib.machinery
import importlib.util
import os
import sys

HOST_DIR = os.path.dirname(os.path.abspath(__file__))
TESTS_DIR = os.path.dirname(HOST_DIR)
FAKE_QEMU = os.path.join(HOST_DIR, "fake_qemu.py")

if TESTS_DIR not in sys.path:
    sys.path.insert(0, TESTS_DIR)


def load_tool(name, path):
    """Import a tool of tools/ that has no .py suffix (relay, syscall-table...)
    as a module called name."""
    loader = importlib.machinery.SourceFileLoader(name, path)
    spec = importlib.util.spec_from_loader(name, loader)
    module = importlib.util.module_from_spec(spec)
    loader.exec_module(module)
    return module


def ktap_lines(text):
    """Dedent a triple-quoted KTAP sample by its first line's margin."""
    lines = text.strip("\n").splitlines()
    margin = len(lines[0]) - len(lines[0].lstrip(" "))
    return [line[margin:] for line in lines]
