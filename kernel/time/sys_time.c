/*
 * The system calls on clocks: clock_gettime, clock_getres, clock_settime
 * and clock_nanosleep, each in its 32-bit-time form and its time64 form
 * (Linux i386 has both since 5.1: glibc 2.36 tries the time64 one first),
 * the older gettimeofday, settimeofday, time and nanosleep, and
 * restart_syscall, which lets a stopped sleep finish on time. kernel/time/clock.c
 * keeps the clocks.
 */
#include "clock.h"
#include "errno.h"
#include "proc.h"
#include "signal.h"
#include "syscall.h"
#include "timer.h"
#include "x86.h"

#define TIMER_ABSTIME 1
#define NSEC_PER_USEC 1000
#define ROOT_UID 0

/* Both 32-bit layouts are two int32s; only the fraction's unit differs. */
struct time32 {
    int32_t sec, frac;
};

struct time64 {
    int64_t sec, frac;
};

static struct proc *self(void) { return current_proc(); }

static int64_t fraction_unit_ns(enum time_layout layout)
{
    return layout == TIMEVAL32 ? NSEC_PER_USEC : 1;
}

long time_from_user(uintptr_t at, enum time_layout layout, int64_t *ns)
{
    int64_t unit = fraction_unit_ns(layout);
    struct time32 t32;
    struct time64 t;

    if (layout == TIMESPEC64 && vm_copy_in(self()->pd, &t, at, sizeof(t)))
        return -EFAULT;
    if (layout != TIMESPEC64 && vm_copy_in(self()->pd, &t32, at, sizeof(t32)))
        return -EFAULT;
    if (layout != TIMESPEC64)
        t = (struct time64){t32.sec, t32.frac};
    if (t.sec < 0 || t.frac < 0 || t.frac >= (int64_t)NSEC_PER_SEC / unit)
        return -EINVAL;
    if (t.sec >= INT64_MAX / (int64_t)NSEC_PER_SEC)
        *ns = INT64_MAX; /* Linux's timespec64_to_ns saturates too */
    else
        *ns = t.sec * (int64_t)NSEC_PER_SEC + t.frac * unit;
    return 0;
}

long time_to_user(uintptr_t at, enum time_layout layout, int64_t ns)
{
    int64_t sec = ns / (int64_t)NSEC_PER_SEC;
    int64_t frac = ns % (int64_t)NSEC_PER_SEC / fraction_unit_ns(layout);
    struct time32 t32 = {(int32_t)sec, (int32_t)frac};
    struct time64 t = {sec, frac};
    bool fault = layout == TIMESPEC64 ? vm_copy_out(self()->pd, at, &t, sizeof(t))
                                      : vm_copy_out(self()->pd, at, &t32, sizeof(t32));

    return fault ? -EFAULT : 0;
}

/* ---------------------------------------------------------------- reading */

static long get_time(int clock, uintptr_t at, enum time_layout layout)
{
    int64_t ns;
    long err = clock_now(clock, &ns);

    return err ? err : time_to_user(at, layout, ns);
}

SYSCALL_DEFINE2(clock_gettime, int, clock, uintptr_t, ts) { return get_time(clock, ts, TIMESPEC32); }
SYSCALL_DEFINE2(clock_gettime64, int, clock, uintptr_t, ts) { return get_time(clock, ts, TIMESPEC64); }

static long get_res(int clock, uintptr_t at, enum time_layout layout)
{
    int64_t ns;
    long err = clock_resolution(clock, &ns);

    return err || !at ? err : time_to_user(at, layout, ns);
}

SYSCALL_DEFINE2(clock_getres, int, clock, uintptr_t, ts) { return get_res(clock, ts, TIMESPEC32); }

SYSCALL_DEFINE2(clock_getres_time64, int, clock, uintptr_t, ts)
{
    return get_res(clock, ts, TIMESPEC64);
}

SYSCALL_DEFINE2(gettimeofday, uintptr_t, tv, uintptr_t, tz)
{
    static const int32_t utc[2] = {0, 0}; /* minutes west, DST: Relay keeps UTC */
    int64_t ns;

    clock_now(CLOCK_REALTIME, &ns);
    if (tv && time_to_user(tv, TIMEVAL32, ns))
        return -EFAULT;
    if (tz && vm_copy_out(self()->pd, tz, utc, sizeof(utc)))
        return -EFAULT;
    return 0;
}

SYSCALL_DEFINE1(time, uintptr_t, tloc)
{
    int64_t ns;
    int32_t sec;

    clock_now(CLOCK_REALTIME, &ns);
    sec = (int32_t)(ns / (int64_t)NSEC_PER_SEC);
    if (tloc && vm_copy_out(self()->pd, tloc, &sec, sizeof(sec)))
        return -EFAULT;
    return sec;
}

/* ---------------------------------------------------------------- setting */

/* Setting the wall clock takes CAP_SYS_TIME: root, in Relay. Linux checks
 * the new time first (EINVAL), then the permission (EPERM). */
static long set_realtime(int64_t ns)
{
    if (self()->cred.euid != ROOT_UID)
        return -EPERM;
    return clock_set_realtime(ns);
}

static long set_time(int clock, uintptr_t at, enum time_layout layout)
{
    int64_t ns;
    long err;

    if (clock != CLOCK_REALTIME)
        return -EINVAL; /* only the wall clock can be set */
    if ((err = time_from_user(at, layout, &ns)))
        return err;
    return set_realtime(ns);
}

SYSCALL_DEFINE2(clock_settime, int, clock, uintptr_t, ts) { return set_time(clock, ts, TIMESPEC32); }
SYSCALL_DEFINE2(clock_settime64, int, clock, uintptr_t, ts) { return set_time(clock, ts, TIMESPEC64); }

/* Even with nothing to set, an unprivileged caller gets EPERM (Linux's
 * do_sys_settimeofday64 asks the security hook in every case). */
SYSCALL_DEFINE2(settimeofday, uintptr_t, tv, uintptr_t, tz)
{
    int64_t ns;
    long err;

    (void)tz; /* Relay keeps UTC */
    if (tv && (err = time_from_user(tv, TIMEVAL32, &ns)))
        return err;
    if (!tv)
        return self()->cred.euid == ROOT_UID ? 0 : -EPERM;
    return set_realtime(ns);
}

/* ---------------------------------------------------------------- sleeping */

/* A wait ends at the tick when the clock should be there (a CPU clock's,
 * at the next tick) and looks again. A CPU clock whose process is gone
 * ends the sleep. */
long clock_sleep_until(int clock, int64_t deadline)
{
    struct proc *p = self();
    uint32_t flags = irq_save();
    long result = 0;
    int64_t now;

    while (!clock_now_of(p, clock, &now) && now < deadline) {
        if (sig_interrupting(p)) {
            result = -ERESTART_NEVER; /* EINTR if a handler runs, else restarted */
            break;
        }
        p->wake_tick = timer_ticks() + 1;
        if (!clock_is_cpu(clock))
            p->wake_tick += clock_ns_to_ticks((uint64_t)(deadline - now)) - 1;
        proc_sleep(&p->wake_tick);
    }
    p->wake_tick = 0;
    irq_restore(flags);
    return result;
}

/* A sleep cut short: the time left goes to rem (Linux writes it whether or
 * not a handler runs, and returns 0 if the time was up after all). */
static long sleep_cut_short(const struct restart_block *r)
{
    int64_t now;

    if (clock_now(r->clock, &now) || now >= r->deadline)
        return 0;
    if (r->addr && time_to_user(r->addr, r->layout, r->deadline - now))
        return -EFAULT;
    return -ERESTART_NEVER;
}

static long sleep_restart(struct restart_block *r);

/* Sleeps until r's deadline. Interrupted, it leaves r for restart_syscall,
 * which a signal that runs no handler (a stop and SIGCONT) leads to: the
 * sleep then goes on for only the time that is left. */
static long sleep_to_deadline(const struct restart_block *r)
{
    struct proc *p = self();
    long err;

    if (clock_sleep_until(r->clock, r->deadline) == 0)
        return 0;
    if ((err = sleep_cut_short(r)) == -ERESTART_NEVER) {
        p->restart = *r;
        p->restart.fn = sleep_restart;
        p->syscall_nr = SYS_restart_syscall;
    }
    return err;
}

static long sleep_restart(struct restart_block *r)
{
    struct restart_block again = *r;

    return sleep_to_deadline(&again);
}

/* restart_syscall(2): only the kernel's own restarts come here; a call
 * with nothing to go on with fails with EINTR, as Linux's. */
SYSCALL_DEFINE0(restart_syscall)
{
    struct restart_block *r = &self()->restart;
    long (*fn)(struct restart_block *) = r->fn;

    r->fn = NULL;
    return fn ? fn(r) : -EINTR;
}

/* Which clocks a sleep may use, as Linux: a thread's CPU clock is
 * EOPNOTSUPP (CLOCK_THREAD_CPUTIME_ID) or EINVAL (another's); the rest as
 * for timers (no MONOTONIC_RAW or coarse clocks). */
static long sleep_clock_check(int clock)
{
    if (clock == CLOCK_THREAD_CPUTIME_ID)
        return -EOPNOTSUPP;
    if (clock_is_thread_cpu(clock))
        return -EINVAL;
    return clock_timer_check(clock);
}

/* clock_nanosleep: a relative sleep, or one until an absolute time. A
 * relative sleep on a wall clock runs on CLOCK_MONOTONIC, so setting the
 * clock does not move it (POSIX); only a relative sleep writes the time
 * left. Bits of flags other than TIMER_ABSTIME are ignored, as Linux. */
static long sleep_on(int clock, int flags, uintptr_t req, uintptr_t rem,
                     enum time_layout layout)
{
    struct restart_block r = {.clock = clock, .addr = rem, .layout = layout};
    int64_t want, now;
    long err;

    if ((err = sleep_clock_check(clock)) || (err = time_from_user(req, layout, &want)))
        return err;
    if (flags & TIMER_ABSTIME) {
        r.deadline = want;
        r.addr = 0;
        return sleep_to_deadline(&r);
    }
    if (!clock_is_cpu(clock))
        r.clock = CLOCK_MONOTONIC;
    if ((err = clock_now(r.clock, &now)))
        return err;
    r.deadline = want > INT64_MAX - now ? INT64_MAX : now + want;
    return sleep_to_deadline(&r);
}

SYSCALL_DEFINE2(nanosleep, uintptr_t, req, uintptr_t, rem)
{
    return sleep_on(CLOCK_MONOTONIC, 0, req, rem, TIMESPEC32);
}

SYSCALL_DEFINE4(clock_nanosleep, int, clock, int, flags, uintptr_t, req, uintptr_t, rem)
{
    return sleep_on(clock, flags, req, rem, TIMESPEC32);
}

SYSCALL_DEFINE4(clock_nanosleep_time64, int, clock, int, flags, uintptr_t, req, uintptr_t, rem)
{
    return sleep_on(clock, flags, req, rem, TIMESPEC64);
}
