/*
 * Suite "tty": typed keys are echoed when they arrive, not when a program
 * reads them. The runner boots it with sleepy and spin as modules
 * (tests/suites.py) and types the keys each case asks for over QMP. No
 * process reads the terminal here: the echo can only come from the
 * interrupt path and its follow-up, the idle loop or the way back to user
 * mode (kernel/tty.c). The test plays the scheduler's caller, as the proc
 * suite does, and reads the echo back from VGA text memory.
 */
#include "console.h"
#include "ktest.h"
#include "memlayout.h"
#include "printk.h"
#include "proc.h"
#include "signal.h"
#include "string.h"
#include "timer.h"
#include "tty.h"
#include "vga.h"
#include "x86.h"

#define VGA_TEXT_PHYS 0xB8000
#define VGA_CHAR_MASK 0xFF
#define ECHO_WAIT_TICKS 300 /* 3 s at 100 Hz: the keys come from another process */
#define WAIT_STATUS_SIGNAL_MASK 0x7F

static bool row_has(int row, const char *text)
{
    const uint16_t *screen = P2V(VGA_TEXT_PHYS);
    size_t len = strlen(text);

    for (size_t c = 0; c + len <= VGA_COLS; c++) {
        size_t i = 0;
        while (i < len && (char)(screen[row * VGA_COLS + c + i] & VGA_CHAR_MASK) == text[i])
            i++;
        if (i == len)
            return true;
    }
    return false;
}

static bool screen_has(const char *text)
{
    for (int r = 0; r < VGA_ROWS; r++)
        if (row_has(r, text))
            return true;
    return false;
}

/* Runs the scheduler until text is on the screen or the wait is over. The
 * echo has no newline of its own: one is added so KTAP's next line starts
 * at the left edge. */
static bool schedule_until_shown(const char *text)
{
    uint64_t deadline = timer_ticks() + ECHO_WAIT_TICKS;
    bool shown;

    while (!screen_has(text) && timer_ticks() < deadline)
        schedule_once();
    sti();
    shown = screen_has(text);
    kprintf("\n");
    return shown;
}

/* pid 1 is init, and init's exit stops the machine: a long sleeper takes
 * it, and it is also what the first case types at. */
KTEST("tty", keys_echo_while_every_process_sleeps)
{
    static const char *const argv[] = {"sleepy", "1", "100000", NULL};
    struct proc *init = ktest_spawn("sleepy", argv, 3);

    ASSERT_TRUE(init != NULL);
    ktest_inject_keys("x y z z y");
    EXPECT_TRUE(schedule_until_shown("xyzzy"));
}

KTEST("tty", keys_echo_while_a_process_computes)
{
    static const char *const argv[] = {"spin", "1000", "1000", NULL};
    struct proc *p = ktest_spawn("spin", argv, 3);

    ASSERT_TRUE(p != NULL);
    ktest_inject_keys("p l u g h");
    EXPECT_TRUE(schedule_until_shown("plugh"));
    proc_free(p);
}

/* Ctrl-C both signals the foreground job and shows as ^C (ECHOCTL);
 * backspace takes the last character off the screen. */
KTEST("tty", ctrl_c_signals_and_echoes)
{
    static const char *const argv[] = {"spin", "1000", "1000", NULL};
    struct proc *p = ktest_spawn("spin", argv, 3);

    ASSERT_TRUE(p != NULL);
    tty_set_controlling(p->sid, p->pgid);
    ktest_inject_keys("q u u x backspace ctrl-c");
    EXPECT_TRUE(schedule_until_shown("quu^C"));
    while (p->state != PROC_ZOMBIE)
        schedule_once();
    sti();
    EXPECT_EQ(p->wait_status & WAIT_STATUS_SIGNAL_MASK, SIGINT);
    tty_set_controlling(0, 0);
    proc_free(p);
}

/* The console follows the escape sequences line editors send (ECMA-48):
 * cursor left, erase to the end of the line, cursor to a column. */
KTEST("tty", console_follows_escape_sequences)
{
    static const char text[] = "\nabcdef\033[3Dx\033[K|\033[1Gz\033[5n\n";

    console_write(text, sizeof(text) - 1);
    EXPECT_TRUE(screen_has("zbcx|")); /* "def": back 3, x over d, the rest erased */
    EXPECT_TRUE(!screen_has("5n"));    /* a sequence it does not act on is swallowed */
}
