/*
 * PS/2 keyboard (drivers/kbd.c): the i8042 controller's first port, read on
 * IRQ 1, decoded from scan code set 1 into key events for a US layout.
 *
 * The path of one keystroke:
 *   kbd_irq        reads the byte from the i8042 data port;
 *   kbd_decode     turns bytes into key events (pure: state + byte in, event out);
 *   kbd_emit       the one place an event leaves the driver (the TTY hooks in here);
 *   kbd_read_event takes it from the queue, outside interrupt context.
 */
#pragma once

#include "types.h"

/*
 * Keycodes name physical keys, whatever the modifiers. A key's keycode is its
 * scan code set 1 make code; a key whose code comes after an E0 prefix gets
 * KEYCODE_E0 added, so the two never collide (set 1 make codes are below 0x80).
 * Codes: IBM PS/2 Hardware Interface Technical Reference, "Keyboards",
 * scan code set 1 table, and the translated codes QEMU sends
 * (../shared/QEMU-FACTS.md).
 */
#define KEYCODE_E0   0x80
#define KEYCODE_NONE 0

/* clang-format off */
enum keycode {
    KEY_ESC = 0x01,
    KEY_1 = 0x02, KEY_2, KEY_3, KEY_4, KEY_5, KEY_6, KEY_7, KEY_8, KEY_9, KEY_0,
    KEY_MINUS = 0x0C, KEY_EQUAL, KEY_BACKSPACE, KEY_TAB,
    KEY_Q = 0x10, KEY_W, KEY_E, KEY_R, KEY_T, KEY_Y, KEY_U, KEY_I, KEY_O, KEY_P,
    KEY_LEFTBRACE = 0x1A, KEY_RIGHTBRACE, KEY_ENTER, KEY_LCTRL,
    KEY_A = 0x1E, KEY_S, KEY_D, KEY_F, KEY_G, KEY_H, KEY_J, KEY_K, KEY_L,
    KEY_SEMICOLON = 0x27, KEY_APOSTROPHE, KEY_GRAVE, KEY_LSHIFT, KEY_BACKSLASH,
    KEY_Z = 0x2C, KEY_X, KEY_C, KEY_V, KEY_B, KEY_N, KEY_M,
    KEY_COMMA = 0x33, KEY_DOT, KEY_SLASH, KEY_RSHIFT, KEY_KP_ASTERISK, KEY_LALT, KEY_SPACE,
    KEY_CAPSLOCK = 0x3A,
    KEY_F1 = 0x3B, KEY_F2, KEY_F3, KEY_F4, KEY_F5, KEY_F6, KEY_F7, KEY_F8, KEY_F9, KEY_F10,
    KEY_NUMLOCK = 0x45, KEY_SCROLLLOCK,
    KEY_KP7 = 0x47, KEY_KP8, KEY_KP9, KEY_KP_MINUS, KEY_KP4, KEY_KP5, KEY_KP6, KEY_KP_PLUS,
    KEY_KP1 = 0x4F, KEY_KP2, KEY_KP3, KEY_KP0, KEY_KP_DOT,
    KEY_102ND = 0x56, /* the extra key left of Z on non-US keyboards */
    KEY_F11 = 0x57, KEY_F12,
    KEY_PLAIN_LAST = KEY_F12,

    KEY_KP_ENTER = KEYCODE_E0 | 0x1C,
    KEY_RCTRL = KEYCODE_E0 | 0x1D,
    KEY_KP_SLASH = KEYCODE_E0 | 0x35,
    KEY_PRINTSCREEN = KEYCODE_E0 | 0x37,
    KEY_RALT = KEYCODE_E0 | 0x38,
    KEY_HOME = KEYCODE_E0 | 0x47,
    KEY_UP = KEYCODE_E0 | 0x48,
    KEY_PAGEUP = KEYCODE_E0 | 0x49,
    KEY_LEFT = KEYCODE_E0 | 0x4B,
    KEY_RIGHT = KEYCODE_E0 | 0x4D,
    KEY_END = KEYCODE_E0 | 0x4F,
    KEY_DOWN = KEYCODE_E0 | 0x50,
    KEY_PAGEDOWN = KEYCODE_E0 | 0x51,
    KEY_INSERT = KEYCODE_E0 | 0x52,
    KEY_DELETE = KEYCODE_E0 | 0x53,
    KEY_LMETA = KEYCODE_E0 | 0x5B,
    KEY_RMETA = KEYCODE_E0 | 0x5C,
    KEY_MENU = KEYCODE_E0 | 0x5D,
};
/* clang-format on */

/* Modifier state in key_event.modifiers: the state after the event. */
#define KBD_MOD_SHIFT    BIT(0)
#define KBD_MOD_CTRL     BIT(1)
#define KBD_MOD_ALT      BIT(2)
#define KBD_MOD_CAPSLOCK BIT(3)

/*
 * One key going down or up. ascii is the character the press types, with
 * shift, caps lock and ctrl applied (ctrl-c gives 0x03); it is 0 for keys
 * that type nothing and for every release.
 */
struct key_event {
    uint8_t keycode; /* enum keycode */
    char ascii;      /* 0 when the key has no character, and on release */
    bool pressed;
    uint8_t modifiers; /* KBD_MOD_* */
};

/* Decoder state between bytes; zero-initialise it to start. */
struct kbd_state {
    uint8_t held;    /* which modifier keys are down (bits private to kbd.c) */
    bool caps_lock;  /* toggled by each caps lock press */
    bool e0_prefix;  /* the last byte was E0 */
    uint8_t e1_skip; /* bytes of a Pause (E1) sequence still to swallow */
};

/* Events the queue holds; one more is dropped and counted. Power of two. */
#define KBD_QUEUE_SIZE 32

/*
 * Feeds one scan code set 1 byte to the decoder. Returns true and fills *ev
 * when the byte completes a key event; returns false for prefixes and for
 * codes it does not know, which change nothing but the prefix state.
 * Pure: touches only *st and *ev, so tests can call it on their own state.
 */
bool kbd_decode(struct kbd_state *st, uint8_t byte, struct key_event *ev);

/*
 * Programs the i8042 (first port on, translated to set 1, IRQ 1) and installs
 * the IRQ handler. Called once from kmain, after irq_init and timer_init.
 */
void kbd_init(void);

/*
 * Hands a decoded event on: to the queue for readers, then to the TTY, which
 * sees every event, queued or not. The IRQ handler calls it for every event;
 * safe from any context (it disables interrupts around the queue). Returns
 * false when the queue was full and readers will not see the event.
 */
bool kbd_emit(const struct key_event *ev);

/* Takes the oldest queued key event; false when the queue is empty. */
bool kbd_read_event(struct key_event *ev);

/* Events dropped since boot because the queue was full. */
uint32_t kbd_dropped_count(void);
/* Drops every queued event older than ev, the newest: the TTY's way of
 * throwing away type-ahead when Ctrl-C (ev) arrives. If ev itself was dropped
 * because the queue was full, every queued event goes. */
void kbd_discard_older_events(const struct key_event *ev);
