/*
 * What the kernel shows about itself on request (kernel/monitor.c):
 *
 *   F1  the live view: the top of the VGA screen shows interrupt counters,
 *       init's and the newest processes' pending signals (each one seen
 *       pending in the last second shows as 1, one ignored as x) and
 *       blocked signals, and the last few
 *       interrupt-to-signal flows in words (boot option live=on|off)
 *   F2  the process table, printed on the console
 *   F3  the interrupt counters, printed on the console (also every N
 *       seconds with the boot option irqstats=N)
 *
 * Keys only set flags (in interrupt context); the drawing and printing
 * happen in monitor_poll(), called by the scheduler loop and on the way
 * back to user mode. The live view reads the trace ring, never the
 * interrupt handlers.
 */
#pragma once

#include "types.h"

/* Screen rows the live view takes at the top (the console scrolls below). */
#define MONITOR_LIVE_ROWS 9

struct key_event;

/* Called by the TTY for each key event, in interrupt context. True if the
 * key was one of the monitor's and should not be typed. */
bool monitor_key(const struct key_event *ev);
/* Does what the keys and options asked for; process context only. */
void monitor_poll(void);
/* Nonzero while the monitor has something to do: the live view is on, an
 * F-key was pressed, or irqstats= is set. The return-to-user path checks it
 * before calling monitor_poll, so the monitor costs nothing when unused. */
extern volatile bool monitor_active;
void monitor_init(void);
