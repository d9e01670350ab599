/*
 * POSIX per-process timers (kernel/posix_timer.c): timer_create,
 * timer_settime, timer_gettime, timer_getoverrun, timer_delete.
 *
 * A timer owns one queued signal, as on Linux: while that signal is still
 * pending, a timer that fires again only counts an overrun.
 */
#pragma once

#include "signal.h"

struct proc;

/* Signal delivery (or sigwaitinfo) has taken a timer's signal from p's
 * queue (info->code == SI_TIMER): sets info->overrun, and lets the timer
 * send again. */
void posix_timer_dequeued(struct proc *p, struct sig_info *info);
