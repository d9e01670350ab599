/*
 * Clocks, as clock_gettime(2) names them. CLOCK_MONOTONIC and
 * CLOCK_BOOTTIME count from boot (Relay never suspends, so they agree);
 * CLOCK_REALTIME is the RTC's time at boot plus that, and moves when
 * clock_settime or settimeofday set it; CLOCK_TAI is CLOCK_REALTIME (Linux's
 * TAI offset is 0 until adjtimex sets it). The CPU-time clocks count the
 * timer ticks that found the process running (one tick's resolution).
 */
#include "clock.h"
#include "errno.h"
#include "printk.h"
#include "proc.h"
#include "rtc.h"
#include "timer.h"

static int64_t realtime_offset_ns; /* CLOCK_REALTIME - CLOCK_MONOTONIC */

void clock_init(void)
{
    int64_t boot = rtc_read_unix_time();

    realtime_offset_ns = boot * (int64_t)NSEC_PER_SEC - (int64_t)timer_ns();
    pr_info("clock: the RTC says %lld seconds since 1970\n", (long long)boot);
}

static int64_t tick_ns(void) { return (int64_t)(NSEC_PER_SEC / timer_hz()); }

int64_t clock_ticks_to_ns(uint64_t ticks) { return (int64_t)ticks * tick_ns(); }

uint64_t clock_ns_to_ticks(uint64_t ns)
{
    uint64_t per_tick = (uint64_t)tick_ns();

    return ns / per_tick + (ns % per_tick != 0);
}

int64_t clock_cpu_ns(const struct proc *p) { return clock_ticks_to_ns(p->cpu_ticks); }
int64_t clock_user_ns(const struct proc *p) { return clock_ticks_to_ns(p->user_ticks); }

bool clock_is_cpu(int clock)
{
    return clock < 0 || clock == CLOCK_PROCESS_CPUTIME_ID || clock == CLOCK_THREAD_CPUTIME_ID;
}

bool clock_is_thread_cpu(int clock)
{
    return clock == CLOCK_THREAD_CPUTIME_ID || (clock < 0 && (clock & CPUCLOCK_PERTHREAD));
}

/* Whose CPU time a CPU clock counts, seen from self: NULL when there is no
 * such process, or when it names another process's thread (Linux only
 * lets a thread read the threads of its own process: lookup_task). */
static struct proc *cpu_clock_owner(struct proc *self, int clock)
{
    int pid;

    if (clock >= 0)
        return self;
    if ((clock & CPUCLOCK_WHICH_MASK) >= CPUCLOCK_MAX)
        return NULL; /* which 3: Linux's file-descriptor clocks, none here */
    pid = CPUCLOCK_PID(clock);
    if (!pid || pid == self->pid)
        return self;
    return clock_is_thread_cpu(clock) ? NULL : proc_find(pid);
}

static int cpu_clock_now(struct proc *self, int clock, int64_t *ns)
{
    struct proc *p = cpu_clock_owner(self, clock);

    if (!p)
        return -EINVAL;
    /* CPUCLOCK_VIRT is user time; PROF and SCHED are user + system. */
    *ns = clock < 0 && (clock & CPUCLOCK_WHICH_MASK) == CPUCLOCK_VIRT ? clock_user_ns(p)
                                                                       : clock_cpu_ns(p);
    return 0;
}

int clock_now_of(struct proc *self, int clock, int64_t *ns)
{
    switch (clock) {
    case CLOCK_REALTIME:
    case CLOCK_REALTIME_COARSE:
    case CLOCK_TAI:
        *ns = (int64_t)timer_ns() + realtime_offset_ns;
        return 0;
    case CLOCK_MONOTONIC:
    case CLOCK_MONOTONIC_RAW:
    case CLOCK_MONOTONIC_COARSE:
    case CLOCK_BOOTTIME:
        *ns = (int64_t)timer_ns();
        return 0;
    case CLOCK_REALTIME_ALARM:
    case CLOCK_BOOTTIME_ALARM:
        return -EOPNOTSUPP; /* as Linux on a machine without a wake-up RTC */
    default:
        return clock_is_cpu(clock) ? cpu_clock_now(self, clock, ns) : -EINVAL;
    }
}

int clock_now(int clock, int64_t *ns) { return clock_now_of(current_proc(), clock, ns); }

int clock_resolution(int clock, int64_t *ns)
{
    int64_t now;
    int err = clock_now(clock, &now);

    if (err)
        return err;
    /* The TSC refines the tick clocks to nanoseconds; the CPU-time clocks
     * and the coarse ones go by whole ticks. */
    if (clock_is_cpu(clock) || clock == CLOCK_REALTIME_COARSE || clock == CLOCK_MONOTONIC_COARSE)
        *ns = tick_ns();
    else
        *ns = 1;
    return 0;
}

int clock_timer_check(int clock)
{
    int64_t now;
    int err = clock_now(clock, &now);

    if (err)
        return err;
    if (clock == CLOCK_MONOTONIC_RAW || clock == CLOCK_REALTIME_COARSE ||
        clock == CLOCK_MONOTONIC_COARSE)
        return -EOPNOTSUPP; /* Linux gives these clocks no timers */
    return 0;
}

int clock_set_realtime(int64_t ns)
{
    if (ns < 0)
        return -EINVAL;
    realtime_offset_ns = ns - (int64_t)timer_ns();
    return 0;
}
