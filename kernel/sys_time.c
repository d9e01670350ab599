/*
 * The system calls on clocks: clock_gettime, clock_getres, clock_settime
 * and clock_nanosleep, each in its 32-bit-time form and its time64 form
 * (Linux i386 has both since 5.1: glibc 2.36 tries the time64 one first),
 * and the older gettimeofday, settimeofday and time. kernel/clock.c keeps
 * the clocks.
 */
#include "clock.h"
#include "errno.h"
#include "proc.h"
#include "signal.h"
#include "syscall.h"

#define TIMER_ABSTIME 1
#define NSEC_PER_USEC 1000

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

static long set_time(int clock, uintptr_t at, enum time_layout layout)
{
    int64_t ns;
    long err;

    if (clock != CLOCK_REALTIME)
        return -EINVAL; /* only the wall clock can be set */
    if ((err = time_from_user(at, layout, &ns)))
        return err;
    return clock_set_realtime(ns);
}

SYSCALL_DEFINE2(clock_settime, int, clock, uintptr_t, ts) { return set_time(clock, ts, TIMESPEC32); }
SYSCALL_DEFINE2(clock_settime64, int, clock, uintptr_t, ts) { return set_time(clock, ts, TIMESPEC64); }

SYSCALL_DEFINE2(settimeofday, uintptr_t, tv, uintptr_t, tz)
{
    int64_t ns;
    long err;

    (void)tz; /* Relay keeps UTC */
    if (!tv)
        return 0;
    if ((err = time_from_user(tv, TIMEVAL32, &ns)))
        return err;
    return clock_set_realtime(ns);
}

/* ---------------------------------------------------------------- sleeping */

/* clock_nanosleep: a relative sleep, or one until an absolute time (which
 * a restart after a stop finishes exactly). Only a relative sleep cut short
 * by a handler writes the time left, as Linux. */
static long sleep_on(int clock, int flags, uintptr_t req, uintptr_t rem,
                     enum time_layout layout)
{
    int64_t want, now;
    uint64_t left = 0;
    long err;

    if (clock == CLOCK_PROCESS_CPUTIME_ID || clock == CLOCK_THREAD_CPUTIME_ID)
        return -EOPNOTSUPP; /* Linux: sleeping on a CPU clock is not supported */
    if ((err = clock_now(clock, &now)) || (err = time_from_user(req, layout, &want)))
        return err;
    if (flags & TIMER_ABSTIME)
        want = want > now ? want - now : 0;
    err = proc_sleep_ns((uint64_t)want, &left);
    if (err && !(flags & TIMER_ABSTIME) && rem)
        time_to_user(rem, layout, (int64_t)left);
    return err;
}

SYSCALL_DEFINE4(clock_nanosleep, int, clock, int, flags, uintptr_t, req, uintptr_t, rem)
{
    return sleep_on(clock, flags, req, rem, TIMESPEC32);
}

SYSCALL_DEFINE4(clock_nanosleep_time64, int, clock, int, flags, uintptr_t, req, uintptr_t, rem)
{
    return sleep_on(clock, flags, req, rem, TIMESPEC64);
}
