"""Unit tests of the trace checks in tests/harness/tracetest.py (no QEMU)."""
import unittest

import support  # noqa: F401  (puts tests/ on the import path)
from harness import tracetest

FLOW = [
    ("irq_enter", {"vec": "0x21", "irq": "1", "depth": "1"}),
    ("key", {"sc": "0x2e", "ascii": "0x03", "pressed": "1"}),
    ("sig_generate", {"sig": "2", "pid": "2", "source": "tty", "blocked": "0"}),
    ("eoi", {"vec": "0x21"}),
    ("irq_exit", {"vec": "0x21", "depth": "0"}),
    ("sig_deliver", {"sig": "2", "pid": "2", "handler": "0x08049027"}),
    ("sig_return", {"pid": "2", "rt": "0"}),
]


class KeystrokeOrder(unittest.TestCase):
    def test_the_whole_flow_in_order(self):
        self.assertEqual(tracetest.keystroke_order(FLOW), "")

    def test_delivery_inside_the_interrupt_is_caught(self):
        # Delivery belongs on the way back to user mode, after the EOI.
        swapped = FLOW[:3] + [FLOW[5]] + FLOW[3:5] + [FLOW[6]]
        self.assertIn("no sig_deliver", tracetest.keystroke_order(swapped))

    def test_a_missing_sigreturn_is_caught(self):
        self.assertIn("no sig_return", tracetest.keystroke_order(FLOW[:-1]))

    def test_a_signal_from_elsewhere_does_not_count(self):
        other = [(e, dict(f, source="kill") if e == "sig_generate" else f) for e, f in FLOW]
        self.assertIn("sig_generate", tracetest.keystroke_order(other))

    def test_immediate_delivery(self):
        flow = FLOW[:5] + [("sig_deliver", {"sig": "2", "pid": "2", "action": "terminate"})]
        self.assertEqual(tracetest.immediate_delivery(flow), "")
        late = FLOW[:5] + [("irq_enter", {"vec": "0xe0"}), ("irq_exit", {"vec": "0xe0"}),
                           flow[-1]]
        self.assertIn("irq_enter", tracetest.immediate_delivery(late))

    def test_no_keyboard_interrupt(self):
        self.assertIn("irq_enter", tracetest.keystroke_order(FLOW[1:]))


if __name__ == "__main__":
    unittest.main()
