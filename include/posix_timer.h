/*
 * POSIX per-process timers (kernel/time/posix_timer.c): timer_create,
 * timer_settime, timer_gettime, timer_getoverrun, timer_delete.
 *
 * A timer owns one queued signal, as on Linux: while that signal is still
 * pending, a timer that fires again only counts an overrun.
 */
#pragma once

#include "signal.h"
#include "types.h"

struct proc;

/* Timers per process. Linux's limit is RLIMIT_SIGPENDING's count of
 * queued signals; Relay's is a fixed table (EAGAIN when it is full). */
#define POSIX_TIMERS_MAX 32

struct posix_timer {
    bool used;
    int clock;         /* the clockid it runs on (kernel/time/clock.c) */
    int notify;        /* SIGEV_SIGNAL or SIGEV_NONE */
    int signo;
    uint32_t value;    /* sigev_value, sent as si_value */
    int64_t expires;   /* on its clock, in ns; 0: disarmed */
    int64_t interval;  /* ns to reload with; 0: one-shot */
    bool queued;       /* its signal is pending and not yet taken */
    int overrun;       /* expiries since its signal was queued */
    int last_overrun;  /* what timer_getoverrun reports */
};

/* Signal delivery (or sigwaitinfo) has taken a timer's signal from p's
 * queue (info->code == SI_TIMER): sets info->overrun, and lets the timer
 * send again. */
void posix_timer_dequeued(struct proc *p, struct sig_info *info);
/* Every timer tick: fires p's timers that are due. */
void posix_timer_tick(struct proc *p);
/* exec and exit delete every timer of p (fork's child starts with none:
 * proc_alloc clears the table). */
void posix_timer_delete_all(struct proc *p);
