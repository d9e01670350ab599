/*
 * Suite "kbd": the PS/2 keyboard driver (drivers/kbd.c).
 *
 * The decoder cases feed scan code set 1 bytes straight into kbd_decode on a
 * state of their own. The queue case fills the driver's real queue through
 * kbd_emit, the call the IRQ handler makes. The last case asks the host
 * runner to type keys over QMP and reads them back through IRQ 1.
 */
#include "kbd.h"
#include "ktest.h"
#include "timer.h"
#include "x86.h"

/* Scan code set 1 bytes, as QEMU's i8042 delivers them (../shared/QEMU-FACTS.md). */
#define SC_RELEASE     0x80
#define SC_E0          0xE0
#define SC_E1          0xE1
#define SC_ACK         0xFA /* a keyboard's reply to a command */
#define SC_OVERRUN     0xFF /* the keyboard's buffer overran */
#define SC_ERROR       0x00 /* key detection error */
#define SC_UNUSED      0x55 /* no key has this make code */
#define SC_FAKE_LSHIFT 0x2A /* after E0: sent around some extended keys */

/* Pause, after its first E1: 1D 45, then E1 9D C5 (all ignored). */
#define SC_PAUSE_REST 0x1D, 0x45, SC_E1, 0x9D, 0xC5

#define ASCII_CTRL_C         0x03
#define ASCII_CTRL_D         0x04
#define ASCII_CTRL_Z         0x1A
#define ASCII_CTRL_BACKSLASH 0x1C

/* The wait spins rather than halts: under -icount sleep=off a halted CPU
 * skips straight to the next tick, so the timeout would run out in a few
 * real milliseconds, before the runner has sent anything. */
#define INJECT_WAIT_TICKS 300 /* 3 s at 100 Hz for all keys; they need ~0.5 s */
#define QUIET_TICKS       20  /* no stray events for this long afterwards */
#define OVERFLOW_EXTRA    5

struct expect_event {
    uint8_t keycode;
    bool pressed;
    char ascii;
    uint8_t modifiers;
};

#define PRESS(k, c, m)                                                                             \
    {                                                                                              \
        (k), true, (c), (m)                                                                        \
    }
#define RELEASE(k, m)                                                                              \
    {                                                                                              \
        (k), false, 0, (m)                                                                         \
    }

/* Feeds bytes to st; returns how many events came out, the last in *ev. */
static int feed(struct kbd_state *st, const uint8_t *bytes, int n, struct key_event *ev)
{
    struct key_event tmp;
    int events = 0;

    for (int i = 0; i < n; i++)
        if (kbd_decode(st, bytes[i], &tmp)) {
            *ev = tmp;
            events++;
        }
    return events;
}

/* One byte that must make one event; returns it (all zero if none). */
static struct key_event decode1(struct kbd_state *st, uint8_t byte)
{
    struct key_event ev = {0};
    bool got = kbd_decode(st, byte, &ev);

    EXPECT_TRUE(got);
    return ev;
}

static bool same_event(const struct key_event *ev, const struct expect_event *want)
{
    return ev->keycode == want->keycode && ev->pressed == want->pressed &&
           ev->ascii == want->ascii && ev->modifiers == want->modifiers;
}

static bool check_event(const struct key_event *ev, const struct expect_event *want,
                        const char *file, int line)
{
    bool ok = same_event(ev, want);

    if (!ktest_check(ok, file, line, "the key event below"))
        ktest_diag("got keycode 0x%02x pressed %d ascii 0x%02x modifiers 0x%x; "
                   "want 0x%02x %d 0x%02x 0x%x",
                   ev->keycode, ev->pressed, (uint8_t)ev->ascii, ev->modifiers, want->keycode,
                   want->pressed, (uint8_t)want->ascii, want->modifiers);
    return ok;
}

/* The macros evaluate each argument once (EXPECT_EQ evaluates twice). */
#define EXPECT_EVENT(ev, want)                                                                     \
    check_event(&(ev), &(const struct expect_event)want, __FILE__, __LINE__)
#define EXPECT_TYPES(st, byte, c)                                                                  \
    do {                                                                                           \
        struct key_event ev_ = decode1((st), (byte));                                              \
        EXPECT_EQ(ev_.ascii, (c));                                                                 \
    } while (0)
#define EXPECT_FEED(st, bytes, n, ev, count)                                                       \
    do {                                                                                           \
        int events_ = feed((st), (bytes), (n), (ev));                                              \
        ASSERT_EQ(events_, (count));                                                               \
    } while (0)

KTEST("kbd", decode_letter_press_and_release)
{
    struct kbd_state st = {0};
    struct key_event ev = decode1(&st, KEY_A);

    EXPECT_EVENT(ev, PRESS(KEY_A, 'a', 0));
    ev = decode1(&st, KEY_A | SC_RELEASE);
    EXPECT_EVENT(ev, RELEASE(KEY_A, 0));
    ev = decode1(&st, KEY_1);
    EXPECT_EQ(ev.ascii, '1');
}

KTEST("kbd", decode_shift_both_sides)
{
    struct kbd_state st = {0};
    struct key_event ev = decode1(&st, KEY_LSHIFT);

    EXPECT_EVENT(ev, PRESS(KEY_LSHIFT, 0, KBD_MOD_SHIFT));
    ev = decode1(&st, KEY_B);
    EXPECT_EVENT(ev, PRESS(KEY_B, 'B', KBD_MOD_SHIFT));
    ev = decode1(&st, KEY_1);
    EXPECT_EQ(ev.ascii, '!');
    ev = decode1(&st, KEY_LSHIFT | SC_RELEASE);
    EXPECT_EVENT(ev, RELEASE(KEY_LSHIFT, 0));
    EXPECT_TYPES(&st, KEY_B, 'b');
    decode1(&st, KEY_RSHIFT);
    EXPECT_TYPES(&st, KEY_SLASH, '?');
    decode1(&st, KEY_RSHIFT | SC_RELEASE);
    EXPECT_TYPES(&st, KEY_SLASH, '/');
}

KTEST("kbd", decode_caps_lock_letters_only)
{
    struct kbd_state st = {0};
    struct key_event ev = decode1(&st, KEY_CAPSLOCK);

    EXPECT_EVENT(ev, PRESS(KEY_CAPSLOCK, 0, KBD_MOD_CAPSLOCK));
    decode1(&st, KEY_CAPSLOCK); /* typematic repeat must not toggle back */
    ev = decode1(&st, KEY_CAPSLOCK | SC_RELEASE);
    EXPECT_EVENT(ev, RELEASE(KEY_CAPSLOCK, KBD_MOD_CAPSLOCK));
    EXPECT_TYPES(&st, KEY_A, 'A');
    EXPECT_TYPES(&st, KEY_1, '1');
    decode1(&st, KEY_LSHIFT);
    EXPECT_TYPES(&st, KEY_A, 'a'); /* shift undoes caps for letters */
    EXPECT_TYPES(&st, KEY_1, '!'); /* but still shifts the rest */
    decode1(&st, KEY_LSHIFT | SC_RELEASE);
    decode1(&st, KEY_CAPSLOCK);
    decode1(&st, KEY_CAPSLOCK | SC_RELEASE);
    ev = decode1(&st, KEY_A);
    EXPECT_EVENT(ev, PRESS(KEY_A, 'a', 0));
}

KTEST("kbd", decode_ctrl_gives_control_characters)
{
    struct kbd_state st = {0};
    struct key_event ev = decode1(&st, KEY_LCTRL);

    EXPECT_EVENT(ev, PRESS(KEY_LCTRL, 0, KBD_MOD_CTRL));
    ev = decode1(&st, KEY_C);
    EXPECT_EVENT(ev, PRESS(KEY_C, ASCII_CTRL_C, KBD_MOD_CTRL));
    EXPECT_TYPES(&st, KEY_D, ASCII_CTRL_D);
    EXPECT_TYPES(&st, KEY_Z, ASCII_CTRL_Z);
    EXPECT_TYPES(&st, KEY_BACKSLASH, ASCII_CTRL_BACKSLASH);
    decode1(&st, KEY_LCTRL | SC_RELEASE);
    EXPECT_TYPES(&st, KEY_C, 'c');
    /* Right ctrl is E0 1D and acts the same. */
    EXPECT_TRUE(!kbd_decode(&st, SC_E0, &ev));
    ev = decode1(&st, KEY_LCTRL);
    EXPECT_EVENT(ev, PRESS(KEY_RCTRL, 0, KBD_MOD_CTRL));
    EXPECT_TYPES(&st, KEY_C, ASCII_CTRL_C);
}

KTEST("kbd", decode_special_characters)
{
    struct kbd_state st = {0};
    const uint8_t kp_enter[] = {SC_E0, KEY_KP_ENTER & ~KEYCODE_E0};
    struct key_event ev;

    EXPECT_TYPES(&st, KEY_ENTER, '\n');
    EXPECT_TYPES(&st, KEY_BACKSPACE, '\b');
    EXPECT_TYPES(&st, KEY_TAB, '\t');
    EXPECT_TYPES(&st, KEY_SPACE, ' ');
    EXPECT_FEED(&st, kp_enter, ARRAY_SIZE(kp_enter), &ev, 1);
    EXPECT_EVENT(ev, PRESS(KEY_KP_ENTER, '\n', 0));
}

KTEST("kbd", decode_e0_arrows)
{
    struct kbd_state st = {0};
    const uint8_t up[] = {SC_E0, KEY_UP & ~KEYCODE_E0, SC_E0, (KEY_UP & ~KEYCODE_E0) | SC_RELEASE};
    const uint8_t left[] = {SC_E0, KEY_LEFT & ~KEYCODE_E0};
    struct key_event ev;

    EXPECT_FEED(&st, up, 2, &ev, 1);
    EXPECT_EVENT(ev, PRESS(KEY_UP, 0, 0));
    EXPECT_FEED(&st, up + 2, 2, &ev, 1);
    EXPECT_EVENT(ev, RELEASE(KEY_UP, 0));
    EXPECT_FEED(&st, left, ARRAY_SIZE(left), &ev, 1);
    EXPECT_EQ(ev.keycode, KEY_LEFT);
    /* The prefix applies to one code only: the same byte alone is keypad 8. */
    ev = decode1(&st, KEY_KP8);
    EXPECT_EQ(ev.keycode, KEY_KP8);
}

KTEST("kbd", decode_ignores_unknown_codes)
{
    struct kbd_state st = {0};
    const uint8_t junk[] = {SC_ERROR,
                            SC_OVERRUN,
                            SC_ACK,
                            SC_UNUSED,
                            SC_UNUSED | SC_RELEASE,
                            SC_E0,
                            SC_FAKE_LSHIFT,
                            SC_E0,
                            SC_FAKE_LSHIFT | SC_RELEASE,
                            SC_E1,
                            SC_PAUSE_REST};
    struct key_event ev = {0};

    decode1(&st, KEY_LSHIFT);
    EXPECT_FEED(&st, junk, ARRAY_SIZE(junk), &ev, 0);
    /* Nothing stuck: shift is still the only modifier, no prefix is pending. */
    ev = decode1(&st, KEY_A);
    EXPECT_EVENT(ev, PRESS(KEY_A, 'A', KBD_MOD_SHIFT));
    decode1(&st, KEY_LSHIFT | SC_RELEASE);
    ev = decode1(&st, KEY_A);
    EXPECT_EVENT(ev, PRESS(KEY_A, 'a', 0));
}

static void drain_queue(void)
{
    struct key_event ev;

    while (kbd_read_event(&ev))
        ;
}

KTEST("kbd", queue_overflow_drops_newest)
{
    uint32_t flags = irq_save(); /* no real key may slip in between */
    uint32_t before;
    struct key_event ev;
    unsigned i;

    drain_queue();
    before = kbd_dropped_count();
    for (i = 0; i < KBD_QUEUE_SIZE + OVERFLOW_EXTRA; i++) {
        bool queued;

        ev = (struct key_event){.keycode = (uint8_t)i, .pressed = true};
        queued = kbd_emit(&ev);
        EXPECT_EQ(queued, i < KBD_QUEUE_SIZE);
    }
    EXPECT_EQ(kbd_dropped_count() - before, OVERFLOW_EXTRA);
    for (i = 0; i < KBD_QUEUE_SIZE && kbd_read_event(&ev); i++)
        EXPECT_EQ(ev.keycode, i); /* the oldest survived */
    EXPECT_EQ(i, KBD_QUEUE_SIZE);
    EXPECT_TRUE(!kbd_read_event(&ev));
    /* Still works after the overflow. */
    ev = (struct key_event){.keycode = KEY_Z, .pressed = true, .ascii = 'z'};
    EXPECT_TRUE(kbd_emit(&ev));
    EXPECT_TRUE(kbd_read_event(&ev) && ev.keycode == KEY_Z && ev.ascii == 'z');
    EXPECT_TRUE(!kbd_read_event(&ev));
    EXPECT_EQ(kbd_dropped_count() - before, OVERFLOW_EXTRA);
    irq_restore(flags);
}

/* No pause instruction: under TCG it leaves the translated code on every
 * turn, so -icount time, on which QEMU spaces the keys, would crawl. */
static inline void barrier_spin(void) { __asm__ volatile("" ::: "memory"); }

/* Waits for the next queued event until deadline (in ticks). */
static bool wait_event(struct key_event *ev, uint64_t deadline)
{
    while (timer_ticks() < deadline) {
        if (kbd_read_event(ev))
            return true;
        barrier_spin();
    }
    return false;
}

#define CAPS KBD_MOD_CAPSLOCK
/* clang-format off */
static const struct expect_event injected[] = {
    PRESS(KEY_A, 'a', 0),                      RELEASE(KEY_A, 0),
    PRESS(KEY_LSHIFT, 0, KBD_MOD_SHIFT),       PRESS(KEY_B, 'B', KBD_MOD_SHIFT),
    RELEASE(KEY_B, KBD_MOD_SHIFT),             RELEASE(KEY_LSHIFT, 0),
    PRESS(KEY_LCTRL, 0, KBD_MOD_CTRL),         PRESS(KEY_C, ASCII_CTRL_C, KBD_MOD_CTRL),
    RELEASE(KEY_C, KBD_MOD_CTRL),              RELEASE(KEY_LCTRL, 0),
    PRESS(KEY_ENTER, '\n', 0),                 RELEASE(KEY_ENTER, 0),
    PRESS(KEY_BACKSPACE, '\b', 0),             RELEASE(KEY_BACKSPACE, 0),
    PRESS(KEY_UP, 0, 0),                       RELEASE(KEY_UP, 0),
    PRESS(KEY_CAPSLOCK, 0, CAPS),              RELEASE(KEY_CAPSLOCK, CAPS),
    PRESS(KEY_C, 'C', CAPS),                   RELEASE(KEY_C, CAPS),
    PRESS(KEY_CAPSLOCK, 0, 0),                 RELEASE(KEY_CAPSLOCK, 0),
};
/* clang-format on */

KTEST("kbd", injected_keys_arrive_in_order)
{
    uint64_t deadline;
    struct key_event ev;
    unsigned i;

    drain_queue();
    ktest_inject_keys("a shift-b ctrl-c ret backspace up caps_lock c caps_lock");
    deadline = timer_ticks() + INJECT_WAIT_TICKS;
    for (i = 0; i < ARRAY_SIZE(injected); i++) {
        if (!wait_event(&ev, deadline))
            break;
        if (!check_event(&ev, &injected[i], __FILE__, __LINE__)) {
            ktest_diag("at event %u of %u", i, (unsigned)ARRAY_SIZE(injected));
            return;
        }
    }
    ASSERT_EQ(i, ARRAY_SIZE(injected));
    EXPECT_TRUE(!wait_event(&ev, timer_ticks() + QUIET_TICKS));
}
