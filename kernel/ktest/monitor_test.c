/*
 * Suite "monitor": the live view draws what the trace ring says. Booted
 * with live=on (tests/suites.py); the test records the events of one
 * Ctrl-C flow by hand, lets the monitor draw, and reads the screen back
 * from VGA text memory.
 */
#include "kbd.h"
#include "ktest.h"
#include "memlayout.h"
#include "monitor.h"
#include "printk.h"
#include "proc.h"
#include "signal.h"
#include "string.h"
#include "timer.h"
#include "trace.h"
#include "vga.h"

#define VGA_TEXT_PHYS 0xB8000
#define CTRL_C 0x03
#define SC_C 0x2E
#define HANDLER 0x08049a10u
#define PID 7
#define NAME_COLUMN 5     /* a process row is "%4d %-8s %s %s" */
#define PENDING_COLUMN 14 /* its pending bits start here, signal 31 first */
#define SIGNAL_BITS 31
#define LATCH_WAIT_MS 1500 /* longer than the view's one-second latch */

static void read_row(int row, char *out, size_t size)
{
    const uint16_t *screen = P2V(VGA_TEXT_PHYS);
    size_t n = size - 1 < VGA_COLS ? size - 1 : VGA_COLS;

    for (size_t c = 0; c < n; c++)
        out[c] = (char)(screen[row * VGA_COLS + c] & 0xFF);
    out[n] = '\0';
    while (n && out[n - 1] == ' ')
        out[--n] = '\0';
}

static bool screen_has(const char *text)
{
    char row[VGA_COLS + 1];

    for (int r = 0; r < MONITOR_LIVE_ROWS; r++) {
        read_row(r, row, sizeof(row));
        if (!strncmp(row, text, strlen(text)))
            return true;
    }
    return false;
}

KTEST("monitor", live_view_shows_a_ctrl_c_flow)
{
    char expected[96];

    trace_record(EV_IRQ_ENTER, 0x21, 1, 1, 0, 0);
    trace_record(EV_KEY, SC_C, CTRL_C, 1, 0, 0);
    trace_record(EV_SIG_GENERATE, SIGINT, PID, SRC_TTY, 0, 0);
    trace_record(EV_IRQ_EXIT, 0x21, 0, 0, 0, 0);
    trace_record(EV_SIG_DELIVER, SIGINT, PID, HANDLER, ACTION_HANDLER, 0);
    trace_record(EV_SIG_RETURN, PID, 0, 0, 0, 0);
    timer_wait_ticks(20); /* the view redraws every 10 ticks */
    monitor_poll();
    ksnprintf(expected, sizeof(expected),
              "IRQ1 ^C -> SIGINT pending pid %d -> handler 0x%08x -> sigreturn", PID, HANDLER);
    EXPECT_TRUE(screen_has(" Relay live view"));
    EXPECT_TRUE(screen_has(expected));
}

KTEST("monitor", default_action_flow)
{
    trace_record(EV_EXCEPTION, 0, 1, PID, 0x08048000, 0);
    trace_record(EV_SIG_GENERATE, SIGFPE, PID, SRC_EXCEPTION, 0, 0);
    trace_record(EV_SIG_DELIVER, SIGFPE, PID, 0, ACTION_CORE, 0);
    timer_wait_ticks(20);
    monitor_poll();
    EXPECT_TRUE(screen_has("Divide error -> SIGFPE pending pid 7 -> default action"));
}

KTEST("monitor", kill_flow_is_named_after_its_source)
{
    trace_record(EV_SIG_GENERATE, SIGUSR1, PID, SRC_KILL, 0, 0);
    trace_record(EV_SIG_DELIVER, SIGUSR1, PID, 0, ACTION_TERMINATE, 0);
    timer_wait_ticks(20);
    monitor_poll();
    EXPECT_TRUE(screen_has("kill() -> SIGUSR1 pending pid 7 -> default action"));
}

/* The character the live view shows for sig in the pending column of the
 * row that names `name`; '?' when no row does. */
static char pending_char(const char *name, int sig)
{
    char row[VGA_COLS + 1];

    for (int r = 0; r < MONITOR_LIVE_ROWS; r++) {
        read_row(r, row, sizeof(row));
        if (!strncmp(row + NAME_COLUMN, name, strlen(name)))
            return row[PENDING_COLUMN + SIGNAL_BITS - sig];
    }
    return '?';
}

static void redraw(void)
{
    timer_wait_ticks(20);
    monitor_poll();
}

/* A signal is pending for microseconds, between two redraws: the view holds
 * it as a 1 for a second, and one discarded on arrival as an x. */
KTEST("monitor", brief_signals_stay_visible_for_a_moment)
{
    struct proc *p = proc_alloc();

    ASSERT_TRUE(p != NULL);
    strlcpy(p->name, "latched", sizeof(p->name));
    trace_record(EV_SIG_GENERATE, SIGINT, p->pid, SRC_TTY, 0, 0);
    trace_record(EV_SIG_DELIVER, SIGINT, p->pid, HANDLER, ACTION_HANDLER, 0);
    trace_record(EV_SIG_GENERATE, SIGCHLD, p->pid, SRC_CHILD, 0, 0);
    trace_record(EV_SIG_DELIVER, SIGCHLD, p->pid, 0, ACTION_IGNORE, 0);
    redraw();
    EXPECT_EQ(pending_char("latched", SIGINT), '1');
    EXPECT_EQ(pending_char("latched", SIGCHLD), 'x');
    EXPECT_EQ(pending_char("latched", SIGQUIT), '.');
    EXPECT_TRUE(screen_has("child -> SIGCHLD pending pid"));
    timer_wait_ticks(LATCH_WAIT_MS * timer_hz() / 1000);
    redraw();
    EXPECT_EQ(pending_char("latched", SIGINT), '.');
    EXPECT_EQ(pending_char("latched", SIGCHLD), '.');
    p->sig.pending = SIG_BIT(SIGINT); /* a signal held pending stays a 1 */
    redraw();
    EXPECT_EQ(pending_char("latched", SIGINT), '1');
    proc_free(p);
}
