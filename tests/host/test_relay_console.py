"""tools/relay_keys.py (terminal bytes into key presses) and the pure parts
of tools/relay-console (VGA cells into ANSI escapes, its command line)."""

import os
import sys
import unittest

import support

ROOT = os.path.dirname(support.TESTS_DIR)
TOOLS = os.path.join(ROOT, "tools")
sys.path.insert(0, TOOLS)

import relay_keys as keys  # noqa: E402


console = support.load_tool("relay_console", os.path.join(TOOLS, "relay-console"))


def combos(data, paused=False):
    """The key combos decode() finds in data (commands as their names)."""
    events, _ = keys.decode(data, paused)
    return [value for _, value in events]


class DecodeBytes(unittest.TestCase):
    def test_every_key_the_readme_uses(self):
        cases = {
            b"sigdemo\r": ["s", "i", "g", "d", "e", "m", "o", "ret"],
            b"\x03": ["ctrl-c"],
            b"\x1c": ["ctrl-backslash"],
            b"\x1a": ["ctrl-z"],
            b"\x04": ["ctrl-d"],
            b"\x7f": ["backspace"],
            b"\x08": ["backspace"],
            b"\t": ["tab"],
            b"\n": ["ret"],
            b"A!~ ": ["shift-a", "shift-1", "shift-grave_accent", "spc"],
            b"|\\-_": ["shift-backslash", "backslash", "minus", "shift-minus"],
        }
        for data, expected in cases.items():
            with self.subTest(data=data):
                self.assertEqual(combos(data), expected)

    def test_control_codes_without_a_letter(self):
        self.assertEqual(combos(b"\x00\x1d\x1e\x1f"),
                         ["ctrl-shift-2", "ctrl-bracket_right", "ctrl-shift-6",
                          "ctrl-shift-minus"])

    def test_every_combo_is_a_qemu_key_name(self):
        qcodes = load_relay_qcodes()
        for byte in range(0x80):
            if byte in (keys.ESC, keys.CHORD_PREFIX):
                continue
            combo = keys.byte_key(byte)
            with self.subTest(byte=byte):
                self.assertTrue(combo, f"byte {byte:#x} types nothing")
                for name in combo.split("-"):
                    self.assertIn(name, qcodes)

    def test_non_ascii_characters_are_dropped_whole(self):
        self.assertEqual(keys.decode("é€x".encode()), ([(keys.KEY, "x")], b""))
        self.assertEqual(keys.decode("€".encode()[:2]), ([], "€".encode()[:2]))


class DecodeSequences(unittest.TestCase):
    def test_cursor_and_editing_keys(self):
        cases = {
            b"\x1b[A\x1b[B\x1b[C\x1b[D": ["up", "down", "right", "left"],
            b"\x1bOA\x1bOD": ["up", "left"],
            b"\x1b[H\x1b[F\x1bOH\x1bOF": ["home", "end", "home", "end"],
            b"\x1b[1~\x1b[4~\x1b[7~\x1b[8~": ["home", "end", "home", "end"],
            b"\x1b[2~\x1b[3~\x1b[5~\x1b[6~": ["insert", "delete", "pgup", "pgdn"],
            b"\x1b[Z": ["shift-tab"],
        }
        for data, expected in cases.items():
            with self.subTest(data=data):
                self.assertEqual(combos(data), expected)

    def test_function_keys_of_several_terminals(self):
        cases = {
            b"\x1bOP\x1bOQ\x1bOR\x1bOS": ["f1", "f2", "f3", "f4"],         # xterm
            b"\x1b[11~\x1b[12~\x1b[13~": ["f1", "f2", "f3"],               # rxvt
            b"\x1b[[A\x1b[[B\x1b[[C": ["f1", "f2", "f3"],                  # Linux console
            b"\x1b[15~\x1b[24~": ["f5", "f12"],
        }
        for data, expected in cases.items():
            with self.subTest(data=data):
                self.assertEqual(combos(data), expected)

    def test_xterm_modifiers(self):
        self.assertEqual(combos(b"\x1b[1;5A\x1b[1;2C\x1b[1;3H\x1b[3;5~\x1b[1;2P"),
                         ["ctrl-up", "shift-right", "alt-home", "ctrl-delete", "shift-f1"])

    def test_escape_then_a_character_is_alt(self):
        self.assertEqual(combos(b"\x1bx\x1b\x03"), ["alt-x", "alt-ctrl-c"])

    def test_unknown_sequences_are_swallowed(self):
        self.assertEqual(combos(b"\x1b[99~a\x1b[?1;2cb"), ["a", "b"])


class LoneEscape(unittest.TestCase):
    def test_a_trailing_escape_waits_for_more(self):
        self.assertEqual(keys.decode(b"a\x1b"), ([(keys.KEY, "a")], b"\x1b"))
        self.assertEqual(keys.decode(b"\x1b[1;"), ([], b"\x1b[1;"))
        self.assertEqual(keys.decode(b"\x1bO"), ([], b"\x1bO"))

    def test_after_a_pause_it_is_the_esc_key(self):
        self.assertEqual(keys.decode(b"\x1b", paused=True), ([(keys.KEY, "esc")], b""))

    def test_two_escapes_are_two_presses(self):
        self.assertEqual(combos(b"\x1b\x1b", paused=True), ["esc", "esc"])

    def test_the_rest_completes_with_the_next_read(self):
        events, rest = keys.decode(b"\x1b[")
        self.assertEqual(events, [])
        self.assertEqual(combos(rest + b"A"), ["up"])


class Chords(unittest.TestCase):
    def test_ctrl_a_x_quits_and_ctrl_a_h_helps(self):
        self.assertEqual(keys.decode(b"\x01x"), ([(keys.COMMAND, keys.QUIT)], b""))
        self.assertEqual(keys.decode(b"\x01X"), ([(keys.COMMAND, keys.QUIT)], b""))
        self.assertEqual(keys.decode(b"\x01h"), ([(keys.COMMAND, keys.HELP)], b""))

    def test_ctrl_a_a_types_ctrl_a(self):
        self.assertEqual(keys.decode(b"\x01a\x01\x01"),
                         ([(keys.KEY, "ctrl-a"), (keys.KEY, "ctrl-a")], b""))

    def test_a_lone_ctrl_a_waits_even_after_a_pause(self):
        self.assertEqual(keys.decode(b"q\x01", paused=True), ([(keys.KEY, "q")], b"\x01"))

    def test_an_unknown_chord_types_nothing(self):
        self.assertEqual(combos(b"\x01zq"), ["q"])


class Screen(unittest.TestCase):
    def test_vga_colours_map_to_ansi(self):
        self.assertEqual(console.sgr(0x07), "\x1b[0;37;40m")   # light grey on black
        self.assertEqual(console.sgr(0x1F), "\x1b[0;97;44m")   # white on blue
        self.assertEqual(console.sgr(0x1E), "\x1b[0;93;44m")   # yellow on blue
        self.assertEqual(console.sgr(0x4C), "\x1b[0;91;41m")   # light red on red
        self.assertEqual(console.sgr(0x86), "\x1b[0;33;40m")   # brown, blink bit ignored

    def test_cells_decode_code_page_437(self):
        self.assertEqual(console.cells(b"A\x07\xc4\x1f\x00\x07"),
                         [("A", 0x07), ("\u2500", 0x1F), (" ", 0x07)])

    def test_only_changed_stretches_are_redrawn(self):
        old = [(" ", 7)] * (console.VGA_COLS * 2)
        new = list(old)
        new[3] = new[4] = ("x", 7)
        new[console.VGA_COLS + 79] = ("y", 0x1F)
        out = console.render(old, new, rows=2)
        self.assertEqual(out, "\x1b[1;4H\x1b[0;37;40mxx\x1b[2;80H\x1b[0;97;44my")

    def test_an_unknown_screen_is_drawn_whole_and_clipped(self):
        new = [("a", 7)] * (console.VGA_COLS * console.VGA_ROWS)
        runs = console.changed_runs(None, new, rows=3, cols=10)
        self.assertEqual([(r, c, len(cells)) for r, c, cells in runs],
                         [(0, 0, 10), (1, 0, 10), (2, 0, 10)])

    def test_nothing_changed_draws_nothing(self):
        screen = [("a", 7)] * (console.VGA_COLS * console.VGA_ROWS)
        self.assertEqual(console.render(screen, list(screen)), "")


class CommandLine(unittest.TestCase):
    def test_qemu_command_after_the_dashes(self):
        self.assertEqual(console.parse_args(["--", "qemu", "-m", "128M"]),
                         ("", ["qemu", "-m", "128M"]))
        self.assertEqual(console.parse_args(["--note", "port 1", "--", "qemu"]),
                         ("port 1", ["qemu"]))
        self.assertEqual(console.parse_args(["--note=x", "--", "qemu"]), ("x", ["qemu"]))

    def test_bad_command_lines(self):
        for argv in ([], ["--"], ["--bogus", "--", "qemu"], ["qemu"]):
            with self.subTest(argv=argv):
                with self.assertRaises(console.ConsoleError):
                    console.parse_args(argv)

    def test_qemu_gets_no_display_and_a_qmp_socket(self):
        argv = console.qemu_command(["qemu", "-cdrom", "x.iso"], "/tmp/q.sock")
        self.assertEqual(argv[:3], ["qemu", "-cdrom", "x.iso"])
        self.assertIn("none", argv[argv.index("-display") + 1])
        self.assertTrue(argv[argv.index("-qmp") + 1].startswith("unix:/tmp/q.sock,"))

    def test_exit_status_of_a_killed_qemu(self):
        self.assertEqual(console.exit_status(-15), 143)
        self.assertEqual(console.exit_status(3), 3)


class FakeMachine:
    """Records the keys the console presses."""

    def __init__(self):
        self.pressed = []

    def press(self, combo):
        self.pressed.append(combo)


class FakeTerminal:
    def __init__(self):
        self.written = []
        self.fd_in = -1

    def write(self, text):
        self.written.append(text)


class ConsoleKeys(unittest.TestCase):
    def setUp(self):
        self.machine, self.terminal = FakeMachine(), FakeTerminal()
        self.console = console.Console(self.terminal, self.machine, qemu=None)

    def test_keys_go_to_the_machine_and_ctrl_a_x_quits(self):
        self.console.handle_input(b"ls\r\x03\x01x", paused=False)
        self.assertEqual(self.machine.pressed, ["l", "s", "ret", "ctrl-c"])
        self.assertTrue(self.console.quitting)

    def test_an_escape_split_across_reads(self):
        self.console.handle_input(b"\x1b[", paused=False)
        self.assertEqual(self.machine.pressed, [])
        self.console.handle_input(self.console.pending + b"B", paused=False)
        self.assertEqual(self.machine.pressed, ["down"])

    def test_help_shows_and_the_next_key_only_closes_it(self):
        self.console.handle_input(b"\x01h", paused=False)
        self.assertTrue(self.console.help_open)
        self.assertIn("Ctrl-A X", "".join(self.terminal.written))
        self.console.handle_input(b"q", paused=False)
        self.assertFalse(self.console.help_open)
        self.assertEqual(self.machine.pressed, [])
        self.assertIsNone(self.console.shown)       # everything is drawn again


def load_relay_qcodes():
    """tools/relay's table of QEMU key names."""
    return support.load_tool("relay_tool_qcodes", os.path.join(TOOLS, "relay")).QCODES


if __name__ == "__main__":
    unittest.main()
