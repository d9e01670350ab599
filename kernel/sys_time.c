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
#define USEC_PER_SEC  1000000
#define NSEC_PER_USEC 1000

struct timespec32 { /* struct old_timespec32 */
    int32_t sec, nsec;
};

struct timespec64 { /* struct __kernel_timespec */
    int64_t sec, nsec;
};

struct timeval32 {
    int32_t sec, usec;
};

static struct proc *self(void) { return current_proc(); }

static long put32(uintptr_t at, int64_t ns)
{
    struct timespec32 ts = {(int32_t)(ns / (int64_t)NSEC_PER_SEC),
                            (int32_t)(ns % (int64_t)NSEC_PER_SEC)};

    return vm_copy_out(self()->pd, at, &ts, sizeof(ts)) ? -EFAULT : 0;
}

static long put64(uintptr_t at, int64_t ns)
{
    struct timespec64 ts = {ns / (int64_t)NSEC_PER_SEC, ns % (int64_t)NSEC_PER_SEC};

    return vm_copy_out(self()->pd, at, &ts, sizeof(ts)) ? -EFAULT : 0;
}

static long valid_ns(int64_t sec, int64_t nsec, int64_t *ns)
{
    if (sec < 0 || nsec < 0 || nsec >= (int64_t)NSEC_PER_SEC)
        return -EINVAL;
    *ns = sec * (int64_t)NSEC_PER_SEC + nsec;
    return 0;
}

static long get32(uintptr_t at, int64_t *ns)
{
    struct timespec32 ts;

    if (vm_copy_in(self()->pd, &ts, at, sizeof(ts)))
        return -EFAULT;
    return valid_ns(ts.sec, ts.nsec, ns);
}

static long get64(uintptr_t at, int64_t *ns)
{
    struct timespec64 ts;

    if (vm_copy_in(self()->pd, &ts, at, sizeof(ts)))
        return -EFAULT;
    return valid_ns(ts.sec, ts.nsec, ns);
}

/* ---------------------------------------------------------------- reading */

static long get_time(int clock, uintptr_t at, long (*put)(uintptr_t, int64_t))
{
    int64_t ns;
    long err = clock_now(clock, &ns);

    return err ? err : put(at, ns);
}

SYSCALL_DEFINE2(clock_gettime, int, clock, uintptr_t, ts) { return get_time(clock, ts, put32); }
SYSCALL_DEFINE2(clock_gettime64, int, clock, uintptr_t, ts) { return get_time(clock, ts, put64); }

static long get_res(int clock, uintptr_t at, long (*put)(uintptr_t, int64_t))
{
    int64_t ns;
    long err = clock_resolution(clock, &ns);

    return err || !at ? err : put(at, ns);
}

SYSCALL_DEFINE2(clock_getres, int, clock, uintptr_t, ts) { return get_res(clock, ts, put32); }

SYSCALL_DEFINE2(clock_getres_time64, int, clock, uintptr_t, ts)
{
    return get_res(clock, ts, put64);
}

SYSCALL_DEFINE2(gettimeofday, uintptr_t, tv, uintptr_t, tz)
{
    static const int32_t utc[2] = {0, 0}; /* minutes west, DST: Relay keeps UTC */
    int64_t ns;
    struct timeval32 t;

    clock_now(CLOCK_REALTIME, &ns);
    t = (struct timeval32){(int32_t)(ns / (int64_t)NSEC_PER_SEC),
                           (int32_t)(ns % (int64_t)NSEC_PER_SEC / NSEC_PER_USEC)};
    if (tv && vm_copy_out(self()->pd, tv, &t, sizeof(t)))
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

static long set_time(int clock, uintptr_t at, long (*get)(uintptr_t, int64_t *))
{
    int64_t ns;
    long err;

    if (clock != CLOCK_REALTIME)
        return -EINVAL; /* only the wall clock can be set */
    if ((err = get(at, &ns)))
        return err;
    return clock_set_realtime(ns);
}

SYSCALL_DEFINE2(clock_settime, int, clock, uintptr_t, ts) { return set_time(clock, ts, get32); }
SYSCALL_DEFINE2(clock_settime64, int, clock, uintptr_t, ts) { return set_time(clock, ts, get64); }

SYSCALL_DEFINE2(settimeofday, uintptr_t, tv, uintptr_t, tz)
{
    struct timeval32 t;
    int64_t ns;
    long err;

    (void)tz; /* Relay keeps UTC */
    if (!tv)
        return 0;
    if (vm_copy_in(self()->pd, &t, tv, sizeof(t)))
        return -EFAULT;
    if (t.usec < 0 || t.usec >= USEC_PER_SEC)
        return -EINVAL;
    if ((err = valid_ns(t.sec, (int64_t)t.usec * NSEC_PER_USEC, &ns)))
        return err;
    return clock_set_realtime(ns);
}

/* ---------------------------------------------------------------- sleeping */

/* clock_nanosleep: a relative sleep, or one until an absolute time (which
 * a restart after a stop finishes exactly). Only a relative sleep cut short
 * by a handler writes the time left, as Linux. */
static long sleep_on(int clock, int flags, uintptr_t req, uintptr_t rem,
                     long (*get)(uintptr_t, int64_t *), long (*put)(uintptr_t, int64_t))
{
    int64_t want, now;
    uint64_t left = 0;
    long err;

    if (clock == CLOCK_PROCESS_CPUTIME_ID || clock == CLOCK_THREAD_CPUTIME_ID)
        return -EOPNOTSUPP; /* Linux: sleeping on a CPU clock is not supported */
    if ((err = clock_now(clock, &now)) || (err = get(req, &want)))
        return err;
    if (flags & TIMER_ABSTIME)
        want = want > now ? want - now : 0;
    err = proc_sleep_ns((uint64_t)want, &left);
    if (err && !(flags & TIMER_ABSTIME) && rem)
        put(rem, (int64_t)left);
    return err;
}

SYSCALL_DEFINE4(clock_nanosleep, int, clock, int, flags, uintptr_t, req, uintptr_t, rem)
{
    return sleep_on(clock, flags, req, rem, get32, put32);
}

SYSCALL_DEFINE4(clock_nanosleep_time64, int, clock, int, flags, uintptr_t, req, uintptr_t, rem)
{
    return sleep_on(clock, flags, req, rem, get64, put64);
}
