"""Terminal bytes into PC key presses, for tools/relay-console. Pure: no I/O.

A terminal in raw mode sends bytes: printable characters, C0 control codes
(Ctrl-C is 0x03, Ctrl-\\ is 0x1c, Enter is 0x0d, Backspace usually 0x7f) and
escape sequences for the keys that have no character (arrows, Home, F1...,
after ESC: ECMA-48 "CSI" sequences ESC [ params final, and "SS3" ones
ESC O final; xterm adds modifiers as a second parameter, "1;5A" for
Ctrl-Up). decode() turns them into QEMU key combos for QMP's send-key
('a', 'shift-a', 'ctrl-backslash', 'f1', 'ctrl-up'), typed on a US layout,
and into the console's own commands, which follow Ctrl-A as in QEMU's
-nographic mode: Ctrl-A X quits, Ctrl-A H shows the help, Ctrl-A A types
a Ctrl-A.

A lone ESC is the Esc key only once no more bytes follow it: decode() keeps
an unfinished sequence in `rest` unless told that input has paused.
"""

KEY, COMMAND = "key", "command"         # the kinds of event decode() returns
QUIT, HELP = "quit", "help"             # the commands

ESC = 0x1B
CSI_INTRO, SS3_INTRO = ord("["), ord("O")
CHORD_PREFIX = 0x01                     # Ctrl-A
CHORD_COMMANDS = {ord("x"): QUIT, ord("X"): QUIT, ord("h"): HELP, ord("H"): HELP,
                  ord("?"): HELP}
CHORD_LITERAL = (ord("a"), ord("A"), CHORD_PREFIX)   # Ctrl-A A types Ctrl-A
DEL = 0x7F
CSI_FINAL_FIRST, CSI_FINAL_LAST = 0x40, 0x7E  # ECMA-48 5.4: a CSI's final byte
UTF8_LEAD_2, UTF8_LEAD_3, UTF8_LEAD_4 = 0xC0, 0xE0, 0xF0

# Characters typed with a US layout: the QEMU key name (qcode) of each.
PLAIN_KEYS = {" ": "spc", "\n": "ret", "\t": "tab", "-": "minus", "=": "equal",
              "[": "bracket_left", "]": "bracket_right", "\\": "backslash",
              ";": "semicolon", "'": "apostrophe", "`": "grave_accent",
              ",": "comma", ".": "dot", "/": "slash"}
SHIFTED_KEYS = {"!": "1", "@": "2", "#": "3", "$": "4", "%": "5", "^": "6", "&": "7",
                "*": "8", "(": "9", ")": "0", "_": "minus", "+": "equal",
                "{": "bracket_left", "}": "bracket_right", "|": "backslash",
                ":": "semicolon", '"': "apostrophe", "~": "grave_accent",
                "<": "comma", ">": "dot", "?": "slash"}

# C0 control codes that are keys of their own rather than Ctrl + a letter.
CONTROL_KEYS = {0x08: "backspace", 0x09: "tab", 0x0A: "ret", 0x0D: "ret", DEL: "backspace",
                0x00: "ctrl-shift-2",           # Ctrl-@
                0x1C: "ctrl-backslash", 0x1D: "ctrl-bracket_right",
                0x1E: "ctrl-shift-6",           # Ctrl-^
                0x1F: "ctrl-shift-minus"}       # Ctrl-_
CTRL_LETTER_OFFSET = ord("a") - 1       # 0x01 is Ctrl-A ... 0x1a is Ctrl-Z

# CSI and SS3 sequences whose final byte names the key: ESC [ A, ESC O P...
FINAL_KEYS = {"A": "up", "B": "down", "C": "right", "D": "left", "H": "home", "F": "end",
              "P": "f1", "Q": "f2", "R": "f3", "S": "f4"}
# CSI NUMBER ~ (VT220 style): ESC [ 3 ~ is Delete, ESC [ 15 ~ is F5...
TILDE_KEYS = {1: "home", 2: "insert", 3: "delete", 4: "end", 5: "pgup", 6: "pgdn",
              7: "home", 8: "end", 11: "f1", 12: "f2", 13: "f3", 14: "f4", 15: "f5",
              17: "f6", 18: "f7", 19: "f8", 20: "f9", 21: "f10", 23: "f11", 24: "f12"}
# The Linux console's F1-F5: ESC [ [ A ... ESC [ [ E.
LINUX_CONSOLE_F_KEYS = {"A": "f1", "B": "f2", "C": "f3", "D": "f4", "E": "f5"}
# xterm's modifier parameter, minus one, is a bit mask (xterm ctlseqs, "PC-Style Function Keys").
MODIFIER_BITS = ((1, "shift"), (2, "alt"), (4, "ctrl"))
BACKTAB = "Z"                           # ESC [ Z: Shift-Tab


def key_for(char):
    """The QEMU key combo that types char on a US layout, or None."""
    if char.isascii() and (char.islower() or char.isdigit()):
        return char
    if char.isascii() and char.isupper():
        return "shift-" + char.lower()
    if char in PLAIN_KEYS:
        return PLAIN_KEYS[char]
    if char in SHIFTED_KEYS:
        return "shift-" + SHIFTED_KEYS[char]
    return None


def control_key(byte):
    """The combo of a C0 control code (or DEL)."""
    if byte in CONTROL_KEYS:
        return CONTROL_KEYS[byte]
    return "ctrl-" + chr(byte + CTRL_LETTER_OFFSET)


def byte_key(byte):
    """The combo of one byte that is not part of a sequence, or None."""
    if byte < 0x20 or byte == DEL:
        return control_key(byte)
    return key_for(chr(byte))


def with_modifiers(key, param):
    """key with the modifiers of xterm's parameter (2 = shift, 5 = ctrl...)."""
    if not param.isdigit() or int(param) < 2:
        return key
    mask = int(param) - 1
    names = [name for bit, name in MODIFIER_BITS if mask & bit]
    return "-".join(names + [key])


def csi_key(params, final):
    """The combo of ESC [ params final, or None for one that is no key."""
    fields = params.split(";")
    modifier = fields[1] if len(fields) > 1 else ""
    if final == "~" and fields[0].isdigit():
        key = TILDE_KEYS.get(int(fields[0]))
    elif final == BACKTAB and not params:
        return "shift-tab"
    else:
        key = FINAL_KEYS.get(final)
    return with_modifiers(key, modifier) if key else None


def csi_length(data, start):
    """Bytes in the CSI sequence at data[start] (ESC [ ...), or 0 if unfinished."""
    i = start + 2
    if i < len(data) and data[i] == CSI_INTRO:      # ESC [ [ A: one more byte
        return 4 if i + 1 < len(data) else 0
    while i < len(data) and not CSI_FINAL_FIRST <= data[i] <= CSI_FINAL_LAST:
        i += 1
    return i - start + 1 if i < len(data) else 0


def escape_sequence(data, start):
    """(combo or None, bytes used) for the sequence at data[start] == ESC, or
    (None, 0) while it is unfinished."""
    if start + 1 >= len(data):
        return None, 0
    intro = data[start + 1]
    if intro == CSI_INTRO:
        length = csi_length(data, start)
        if not length:
            return None, 0
        body = data[start + 2:start + length].decode("ascii", "replace")
        if body.startswith("["):
            return LINUX_CONSOLE_F_KEYS.get(body[1:]), length
        return csi_key(body[:-1], body[-1]), length
    if intro == SS3_INTRO:
        if start + 2 >= len(data):
            return None, 0
        return FINAL_KEYS.get(chr(data[start + 2])), 3
    if intro == ESC:
        return "esc", 1                 # the first of two Esc presses
    key = byte_key(intro)               # ESC x: Alt-x, as terminals send Meta
    return ("alt-" + key if key else None), 2


def utf8_length(byte):
    """Bytes in the UTF-8 character that starts with byte."""
    if byte >= UTF8_LEAD_4:
        return 4
    if byte >= UTF8_LEAD_3:
        return 3
    return 2 if byte >= UTF8_LEAD_2 else 1


def chord(data, start):
    """(event or None, bytes used) for Ctrl-A at data[start], or (None, 0)
    while the second key has not come."""
    if start + 1 >= len(data):
        return None, 0
    second = data[start + 1]
    if second in CHORD_COMMANDS:
        return (COMMAND, CHORD_COMMANDS[second]), 2
    if second in CHORD_LITERAL:
        return (KEY, "ctrl-a"), 2
    return None, 2                      # not a chord: both bytes are dropped


def next_event(data, i, paused):
    """(event or None, bytes used) at data[i]; used is 0 when more input is
    needed to decide."""
    byte = data[i]
    if byte == CHORD_PREFIX:
        return chord(data, i)
    if byte == ESC:
        key, used = escape_sequence(data, i)
        if not used and paused:
            return (KEY, "esc"), 1
        return ((KEY, key) if key else None), used
    if byte >= 0x80:                    # no PS/2 key types a non-ASCII character
        length = utf8_length(byte)
        return None, (length if i + length <= len(data) or paused else 0)
    key = byte_key(byte)
    return ((KEY, key) if key else None), 1


def decode(data, paused=False):
    """Decode terminal input into ([(KEY, combo) | (COMMAND, name)], rest).

    rest holds the bytes of an unfinished sequence, to be given back with
    the next input. paused=True says no more bytes came for a while, so a
    trailing ESC is the Esc key (a lone Ctrl-A still waits for its second key).
    """
    events, i = [], 0
    while i < len(data):
        event, used = next_event(data, i, paused)
        if not used:
            break
        if event:
            events.append(event)
        i += used
    return events, bytes(data[i:])
