/*
 * Clocks, as clock_gettime(2) names them. CLOCK_MONOTONIC and
 * CLOCK_BOOTTIME count from boot (Relay never suspends, so they agree);
 * CLOCK_REALTIME is the RTC's time at boot plus that, and moves when
 * clock_settime or settimeofday set it; the CPU-time clocks count the
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

static int64_t cpu_time_ns(const struct proc *p)
{
    return (int64_t)p->cpu_ticks * (int64_t)(NSEC_PER_SEC / timer_hz());
}

int clock_now(int clock, int64_t *ns)
{
    switch (clock) {
    case CLOCK_REALTIME:
    case CLOCK_REALTIME_COARSE:
        *ns = (int64_t)timer_ns() + realtime_offset_ns;
        return 0;
    case CLOCK_MONOTONIC:
    case CLOCK_MONOTONIC_RAW:
    case CLOCK_MONOTONIC_COARSE:
    case CLOCK_BOOTTIME:
        *ns = (int64_t)timer_ns();
        return 0;
    case CLOCK_PROCESS_CPUTIME_ID:
    case CLOCK_THREAD_CPUTIME_ID:
        *ns = cpu_time_ns(current_proc());
        return 0;
    default:
        return -EINVAL;
    }
}

int clock_resolution(int clock, int64_t *ns)
{
    int64_t now;
    int err = clock_now(clock, &now);

    if (err)
        return err;
    /* The TSC refines the tick clocks to nanoseconds; the CPU-time clocks
     * and the coarse ones go by whole ticks. */
    if (clock == CLOCK_PROCESS_CPUTIME_ID || clock == CLOCK_THREAD_CPUTIME_ID ||
        clock == CLOCK_REALTIME_COARSE || clock == CLOCK_MONOTONIC_COARSE)
        *ns = (int64_t)(NSEC_PER_SEC / timer_hz());
    else
        *ns = 1;
    return 0;
}

int clock_set_realtime(int64_t ns)
{
    if (ns < 0)
        return -EINVAL;
    realtime_offset_ns = ns - (int64_t)timer_ns();
    return 0;
}
