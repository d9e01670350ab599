/*
 * PS/2 keyboard on the i8042 controller's first port.
 *
 * Controller facts (ports, status bits, commands, configuration byte):
 * IBM PS/2 Hardware Interface Technical Reference, "Keyboard/Auxiliary
 * Device Controller" (8042 command and status byte tables). Scan codes:
 * the same reference's "Keyboards" chapter, scan code set 1, which is what
 * the controller delivers with translation on (QEMU: ../shared/QEMU-FACTS.md).
 *
 * The IRQ handler reads one byte, decodes it and queues the event; nothing
 * else. Readers take events with kbd_read_event outside interrupt context.
 */
#include "kbd.h"
#include "trace.h"
#include "tty.h"
#include "irq.h"
#include "printk.h"
#include "x86.h"

/* i8042 ports. */
#define I8042_DATA   0x60
#define I8042_STATUS 0x64 /* on read */
#define I8042_CMD    0x64 /* on write */

/* Status register bits. */
#define I8042_STATUS_OUT_FULL BIT(0) /* a byte waits in I8042_DATA */
#define I8042_STATUS_IN_FULL  BIT(1) /* the controller has not taken our last write */

/* Controller commands, written to I8042_CMD. */
#define I8042_CMD_READ_CONFIG   0x20
#define I8042_CMD_WRITE_CONFIG  0x60
#define I8042_CMD_DISABLE_PORT2 0xA7
#define I8042_CMD_SELF_TEST     0xAA
#define I8042_CMD_DISABLE_PORT1 0xAD
#define I8042_CMD_ENABLE_PORT1  0xAE
#define I8042_SELF_TEST_PASSED  0x55

/* Configuration ("command") byte bits. */
#define I8042_CONFIG_PORT1_IRQ       BIT(0)
#define I8042_CONFIG_PORT2_IRQ       BIT(1)
#define I8042_CONFIG_PORT1_CLOCK_OFF BIT(4)
#define I8042_CONFIG_PORT2_CLOCK_OFF BIT(5)
#define I8042_CONFIG_TRANSLATE       BIT(6) /* port 1 bytes reach us in set 1 */

/* Status polls before a controller that never answers counts as absent. */
#define I8042_SPIN_LIMIT 100000
/* More bytes than the controller and a keyboard could hold: stop flushing. */
#define I8042_FLUSH_LIMIT 64

/* Scan code set 1 framing. */
#define SC1_RELEASE    0x80 /* set in the break code of every key */
#define SC1_PREFIX_E0  0xE0 /* the next code is an extended key */
#define SC1_PREFIX_E1  0xE1 /* Pause: E1 1D 45, then E1 9D C5 */
#define SC1_PAUSE_TAIL 2    /* bytes after each E1 */

#define KEYCODE_COUNT 256

/* ASCII control characters: ctrl clears bits 5 and 6 (ANSI X3.4). */
#define ASCII_CTRL_MASK  0x1F
#define ASCII_CTRL_FIRST '@'
#define ASCII_CTRL_LAST  '_'
#define ASCII_ESC        0x1B

/* kbd_state.held bits: which modifier keys are down, each side apart. */
#define HELD_LSHIFT   BIT(0)
#define HELD_RSHIFT   BIT(1)
#define HELD_LCTRL    BIT(2)
#define HELD_RCTRL    BIT(3)
#define HELD_LALT     BIT(4)
#define HELD_RALT     BIT(5)
#define HELD_CAPSLOCK BIT(6) /* so that typematic repeat does not re-toggle */
#define HELD_SHIFT    (HELD_LSHIFT | HELD_RSHIFT)
#define HELD_CTRL     (HELD_LCTRL | HELD_RCTRL)
#define HELD_ALT      (HELD_LALT | HELD_RALT)

struct key_info {
    char plain;   /* the character without shift */
    char shifted; /* with shift */
    bool known;
};

#define KEY_CHARS(p, s)                                                                            \
    {                                                                                              \
        (p), (s), true                                                                             \
    }
#define KEY_NOCHAR                                                                                 \
    {                                                                                              \
        0, 0, true                                                                                 \
    }

/* US layout. Keypad digits type nothing: num lock is not tracked. */
/* clang-format off */
static const struct key_info keys[KEYCODE_COUNT] = {
    [KEY_ESC] = KEY_CHARS(ASCII_ESC, ASCII_ESC),
    [KEY_1] = KEY_CHARS('1', '!'), [KEY_2] = KEY_CHARS('2', '@'),
    [KEY_3] = KEY_CHARS('3', '#'), [KEY_4] = KEY_CHARS('4', '$'),
    [KEY_5] = KEY_CHARS('5', '%'), [KEY_6] = KEY_CHARS('6', '^'),
    [KEY_7] = KEY_CHARS('7', '&'), [KEY_8] = KEY_CHARS('8', '*'),
    [KEY_9] = KEY_CHARS('9', '('), [KEY_0] = KEY_CHARS('0', ')'),
    [KEY_MINUS] = KEY_CHARS('-', '_'), [KEY_EQUAL] = KEY_CHARS('=', '+'),
    [KEY_BACKSPACE] = KEY_CHARS('\b', '\b'), [KEY_TAB] = KEY_CHARS('\t', '\t'),
    [KEY_Q] = KEY_CHARS('q', 'Q'), [KEY_W] = KEY_CHARS('w', 'W'),
    [KEY_E] = KEY_CHARS('e', 'E'), [KEY_R] = KEY_CHARS('r', 'R'),
    [KEY_T] = KEY_CHARS('t', 'T'), [KEY_Y] = KEY_CHARS('y', 'Y'),
    [KEY_U] = KEY_CHARS('u', 'U'), [KEY_I] = KEY_CHARS('i', 'I'),
    [KEY_O] = KEY_CHARS('o', 'O'), [KEY_P] = KEY_CHARS('p', 'P'),
    [KEY_LEFTBRACE] = KEY_CHARS('[', '{'), [KEY_RIGHTBRACE] = KEY_CHARS(']', '}'),
    [KEY_ENTER] = KEY_CHARS('\n', '\n'), [KEY_LCTRL] = KEY_NOCHAR,
    [KEY_A] = KEY_CHARS('a', 'A'), [KEY_S] = KEY_CHARS('s', 'S'),
    [KEY_D] = KEY_CHARS('d', 'D'), [KEY_F] = KEY_CHARS('f', 'F'),
    [KEY_G] = KEY_CHARS('g', 'G'), [KEY_H] = KEY_CHARS('h', 'H'),
    [KEY_J] = KEY_CHARS('j', 'J'), [KEY_K] = KEY_CHARS('k', 'K'),
    [KEY_L] = KEY_CHARS('l', 'L'), [KEY_SEMICOLON] = KEY_CHARS(';', ':'),
    [KEY_APOSTROPHE] = KEY_CHARS('\'', '"'), [KEY_GRAVE] = KEY_CHARS('`', '~'),
    [KEY_LSHIFT] = KEY_NOCHAR, [KEY_BACKSLASH] = KEY_CHARS('\\', '|'),
    [KEY_Z] = KEY_CHARS('z', 'Z'), [KEY_X] = KEY_CHARS('x', 'X'),
    [KEY_C] = KEY_CHARS('c', 'C'), [KEY_V] = KEY_CHARS('v', 'V'),
    [KEY_B] = KEY_CHARS('b', 'B'), [KEY_N] = KEY_CHARS('n', 'N'),
    [KEY_M] = KEY_CHARS('m', 'M'), [KEY_COMMA] = KEY_CHARS(',', '<'),
    [KEY_DOT] = KEY_CHARS('.', '>'), [KEY_SLASH] = KEY_CHARS('/', '?'),
    [KEY_RSHIFT] = KEY_NOCHAR, [KEY_KP_ASTERISK] = KEY_CHARS('*', '*'),
    [KEY_LALT] = KEY_NOCHAR, [KEY_SPACE] = KEY_CHARS(' ', ' '),
    [KEY_CAPSLOCK] = KEY_NOCHAR,
    [KEY_F1 ... KEY_F10] = KEY_NOCHAR,
    [KEY_NUMLOCK] = KEY_NOCHAR, [KEY_SCROLLLOCK] = KEY_NOCHAR,
    [KEY_KP7 ... KEY_KP9] = KEY_NOCHAR, [KEY_KP_MINUS] = KEY_CHARS('-', '-'),
    [KEY_KP4 ... KEY_KP6] = KEY_NOCHAR, [KEY_KP_PLUS] = KEY_CHARS('+', '+'),
    [KEY_KP1 ... KEY_KP_DOT] = KEY_NOCHAR,
    [KEY_102ND] = KEY_NOCHAR, [KEY_F11] = KEY_NOCHAR, [KEY_F12] = KEY_NOCHAR,

    [KEY_KP_ENTER] = KEY_CHARS('\n', '\n'), [KEY_RCTRL] = KEY_NOCHAR,
    [KEY_KP_SLASH] = KEY_CHARS('/', '/'), [KEY_PRINTSCREEN] = KEY_NOCHAR,
    [KEY_RALT] = KEY_NOCHAR, [KEY_HOME] = KEY_NOCHAR, [KEY_UP] = KEY_NOCHAR,
    [KEY_PAGEUP] = KEY_NOCHAR, [KEY_LEFT] = KEY_NOCHAR, [KEY_RIGHT] = KEY_NOCHAR,
    [KEY_END] = KEY_NOCHAR, [KEY_DOWN] = KEY_NOCHAR, [KEY_PAGEDOWN] = KEY_NOCHAR,
    [KEY_INSERT] = KEY_NOCHAR, [KEY_DELETE] = KEY_NOCHAR, [KEY_LMETA] = KEY_NOCHAR,
    [KEY_RMETA] = KEY_NOCHAR, [KEY_MENU] = KEY_NOCHAR,
};
/* clang-format on */

/* The driver's own decoder state and event queue. The queue has one
 * producer (kbd_emit, with interrupts off) and one consumer
 * (kbd_read_event, with interrupts off while it touches the indices). */
static struct kbd_state decoder;
static struct key_event queue[KBD_QUEUE_SIZE];
static uint32_t queue_head, queue_tail; /* free-running; head - tail = count */
static uint32_t dropped;

/* Every event the IRQ handler has decoded since boot, queued or dropped.
 * Not static, and named for it: tools/relay reads it through QEMU's
 * monitor (physical memory) to send the next key only once the guest has
 * taken the last one, because QEMU's PS/2 queue is short and a key sent
 * into a full one is lost before the guest could count it. */
volatile uint32_t kbd_decoded_events;

_Static_assert((KBD_QUEUE_SIZE & (KBD_QUEUE_SIZE - 1)) == 0, "queue size is a power of two");

/* ------------------------------------------------------------ decoder */

static uint8_t held_bit(uint8_t keycode)
{
    switch (keycode) {
    case KEY_LSHIFT:
        return HELD_LSHIFT;
    case KEY_RSHIFT:
        return HELD_RSHIFT;
    case KEY_LCTRL:
        return HELD_LCTRL;
    case KEY_RCTRL:
        return HELD_RCTRL;
    case KEY_LALT:
        return HELD_LALT;
    case KEY_RALT:
        return HELD_RALT;
    case KEY_CAPSLOCK:
        return HELD_CAPSLOCK;
    default:
        return 0;
    }
}

static void update_modifiers(struct kbd_state *st, uint8_t keycode, bool pressed)
{
    uint8_t bit = held_bit(keycode);

    if (keycode == KEY_CAPSLOCK && pressed && !(st->held & HELD_CAPSLOCK))
        st->caps_lock = !st->caps_lock;
    if (pressed)
        st->held |= bit;
    else
        st->held &= ~bit;
}

static uint8_t modifiers_of(const struct kbd_state *st)
{
    uint8_t mods = 0;

    if (st->held & HELD_SHIFT)
        mods |= KBD_MOD_SHIFT;
    if (st->held & HELD_CTRL)
        mods |= KBD_MOD_CTRL;
    if (st->held & HELD_ALT)
        mods |= KBD_MOD_ALT;
    if (st->caps_lock)
        mods |= KBD_MOD_CAPSLOCK;
    return mods;
}

static bool is_lower(char c) { return c >= 'a' && c <= 'z'; }

/* Ctrl turns '@'..'_' and the lower-case letters into C0 control codes. */
static char control_char(char c)
{
    if (is_lower(c) || (c >= ASCII_CTRL_FIRST && c <= ASCII_CTRL_LAST))
        return c & ASCII_CTRL_MASK;
    return c;
}

static char ascii_of(const struct kbd_state *st, uint8_t keycode)
{
    const struct key_info *k = &keys[keycode];
    bool upper = st->held & HELD_SHIFT;
    char c;

    /* Caps lock only shifts letters, and shift undoes it. */
    if (is_lower(k->plain) && st->caps_lock)
        upper = !upper;
    c = upper ? k->shifted : k->plain;
    if (st->held & HELD_CTRL)
        c = control_char(c);
    return c;
}

bool kbd_decode(struct kbd_state *st, uint8_t byte, struct key_event *ev)
{
    bool extended = st->e0_prefix;
    uint8_t keycode;

    if (st->e1_skip) {
        st->e1_skip--;
        return false;
    }
    st->e0_prefix = byte == SC1_PREFIX_E0;
    if (byte == SC1_PREFIX_E0)
        return false;
    if (byte == SC1_PREFIX_E1) {
        st->e1_skip = SC1_PAUSE_TAIL;
        return false;
    }
    keycode = byte & ~SC1_RELEASE;
    if (extended)
        keycode |= KEYCODE_E0;
    /* Unknown codes include the fake shifts (E0 2A, E0 AA) some keys send,
     * and controller replies such as ACK (FA) or overrun (00, FF). */
    if (!keys[keycode].known)
        return false;
    ev->keycode = keycode;
    ev->pressed = !(byte & SC1_RELEASE);
    update_modifiers(st, keycode, ev->pressed);
    ev->ascii = ev->pressed ? ascii_of(st, keycode) : 0;
    ev->modifiers = modifiers_of(st);
    return true;
}

/* ------------------------------------------------------------- queue */

/* Queues ev; when full, drops it (the newest) and counts the drop.
 * Interrupts must be off. */
static bool enqueue(const struct key_event *ev)
{
    if (queue_head - queue_tail == KBD_QUEUE_SIZE) {
        dropped++;
        return false;
    }
    queue[queue_head % KBD_QUEUE_SIZE] = *ev;
    queue_head++;
    return true;
}

/* Queues the event for readers, then hands it to the terminal
 * (tty_key_event), where Ctrl-C becomes SIGINT. */
bool kbd_emit(const struct key_event *ev)
{
    uint32_t flags = irq_save();
    bool queued = enqueue(ev);

    irq_restore(flags);
    TRACE(TRACE_KEY, EV_KEY, ev->keycode, (uint8_t)ev->ascii, ev->pressed, 0, 0);
    /* The event leaves the driver here, even when the queue had no room: a
     * program that never reads fills the queue, and Ctrl-C must still
     * reach it (Linux's n_tty also acts on signal keys whatever its buffer
     * holds). Only readers miss a dropped event, and `dropped` counts it. */
    tty_key_event(ev);
    return queued;
}

bool kbd_read_event(struct key_event *ev)
{
    uint32_t flags = irq_save();
    bool have = queue_tail != queue_head;

    if (have) {
        *ev = queue[queue_tail % KBD_QUEUE_SIZE];
        queue_tail++;
    }
    irq_restore(flags);
    return have;
}

static bool same_event(const struct key_event *a, const struct key_event *b)
{
    return a->keycode == b->keycode && a->pressed == b->pressed && a->ascii == b->ascii &&
           a->modifiers == b->modifiers;
}

void kbd_discard_older_events(const struct key_event *ev)
{
    uint32_t flags = irq_save();
    bool newest_is_ev = queue_head != queue_tail &&
                        same_event(&queue[(queue_head - 1) % KBD_QUEUE_SIZE], ev);

    /* ev was dropped when the queue was full: then nothing queued is newer. */
    queue_tail = newest_is_ev ? queue_head - 1 : queue_head;
    irq_restore(flags);
}

uint32_t kbd_dropped_count(void) { return dropped; }

/* ------------------------------------------------------------ i8042 */

static bool i8042_wait(uint8_t bit, bool set)
{
    for (int i = 0; i < I8042_SPIN_LIMIT; i++) {
        if (!!(inb(I8042_STATUS) & bit) == set)
            return true;
        cpu_relax();
    }
    return false;
}

static bool i8042_command(uint8_t cmd)
{
    if (!i8042_wait(I8042_STATUS_IN_FULL, false))
        return false;
    outb(I8042_CMD, cmd);
    return true;
}

/* Sends a command that answers with one byte, and reads the answer. */
static bool i8042_query(uint8_t cmd, uint8_t *answer)
{
    if (!i8042_command(cmd) || !i8042_wait(I8042_STATUS_OUT_FULL, true))
        return false;
    *answer = inb(I8042_DATA);
    return true;
}

static bool i8042_write_config(uint8_t config)
{
    if (!i8042_command(I8042_CMD_WRITE_CONFIG) || !i8042_wait(I8042_STATUS_IN_FULL, false))
        return false;
    outb(I8042_DATA, config);
    return true;
}

static void i8042_flush(void)
{
    for (int i = 0; i < I8042_FLUSH_LIMIT && (inb(I8042_STATUS) & I8042_STATUS_OUT_FULL); i++)
        inb(I8042_DATA);
}

/* Returns NULL on success, else what went wrong. Both ports stay disabled
 * until the configuration is written, so no byte races the setup. */
static const char *i8042_setup(void)
{
    uint8_t config, answer;

    if (!i8042_command(I8042_CMD_DISABLE_PORT1) || !i8042_command(I8042_CMD_DISABLE_PORT2))
        return "controller does not take commands";
    i8042_flush();
    if (!i8042_query(I8042_CMD_READ_CONFIG, &config))
        return "no answer to read-config";
    /* Some controllers reset themselves on self-test, so the configuration
     * is written after it. */
    if (!i8042_query(I8042_CMD_SELF_TEST, &answer) || answer != I8042_SELF_TEST_PASSED)
        return "self-test failed";
    config |= I8042_CONFIG_PORT1_IRQ | I8042_CONFIG_TRANSLATE | I8042_CONFIG_PORT2_CLOCK_OFF;
    config &= ~(I8042_CONFIG_PORT2_IRQ | I8042_CONFIG_PORT1_CLOCK_OFF);
    if (!i8042_write_config(config) || !i8042_command(I8042_CMD_ENABLE_PORT1))
        return "could not write the configuration";
    return NULL;
}

/* Reads one byte if the controller has one, and passes on its event. */
static void kbd_service(void)
{
    struct key_event ev;

    if (!(inb(I8042_STATUS) & I8042_STATUS_OUT_FULL))
        return;
    if (!kbd_decode(&decoder, inb(I8042_DATA), &ev))
        return;
    kbd_decoded_events++;
    kbd_emit(&ev);
}

static void kbd_irq(struct trapframe *tf)
{
    (void)tf;
    kbd_service();
}

void kbd_init(void)
{
    const char *why;
    uint32_t flags;

    irq_mask(IRQ_KEYBOARD);
    why = i8042_setup();
    if (why) {
        pr_warn("kbd: i8042: %s; no keyboard\n", why);
        return;
    }
    irq_set_handler(IRQ_VECTOR(IRQ_KEYBOARD), kbd_irq);
    irq_unmask(IRQ_KEYBOARD);
    /* A byte that came while the line was masked may have raised an edge
     * nobody saw; it would block the port until read. */
    flags = irq_save();
    kbd_service();
    irq_restore(flags);
    pr_info("kbd: i8042 first port on IRQ %d, scan code set 1\n", IRQ_KEYBOARD);
}
