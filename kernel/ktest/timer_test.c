/*
 * Suite "timer": the tick runs at hz= per second. The runner boots this
 * suite under -icount shift=0, where QEMU advances the TSC by one per guest
 * nanosecond of virtual time (../shared/QEMU-FACTS.md), so the TSC is an
 * exact 1 GHz reference and the measurement is deterministic. It is booted
 * with hz=250, so that the option is exercised too.
 */
#include "ktest.h"
#include "timer.h"
#include "x86.h"

#define ICOUNT_TSC_HZ 1000000000ull
#define MEASURED_TICKS 20
#define TOLERANCE_PERCENT 1

KTEST("timer", tick_period_matches_hz)
{
    uint64_t expected = ICOUNT_TSC_HZ * MEASURED_TICKS / timer_hz();
    uint64_t start, elapsed;

    timer_wait_ticks(1);
    start = rdtsc();
    timer_wait_ticks(MEASURED_TICKS);
    elapsed = rdtsc() - start;
    ktest_diag("%u ticks at %u Hz took %llu TSC cycles, expected %llu", MEASURED_TICKS,
               timer_hz(), elapsed, expected);
    EXPECT_GE(elapsed * 100, expected * (100 - TOLERANCE_PERCENT));
    EXPECT_LE(elapsed * 100, expected * (100 + TOLERANCE_PERCENT));
}

KTEST("timer", uptime_follows_ticks)
{
    EXPECT_EQ(uptime_ms(), timer_ticks() * 1000 / timer_hz());
    timer_wait_ticks(timer_hz() / 10); /* 100 ms */
    EXPECT_GE(uptime_ms(), 100);
}

KTEST("timer", hz_option_applied)
{
    /* tests/suites.py boots this suite with hz=250 (the default is 100). */
    EXPECT_EQ(timer_hz(), 250);
}

KTEST("timer", calibrated_tsc_matches_icount)
{
    /* Under icount the boot-time calibration must find 1 GHz, within 1%. */
    EXPECT_GE(tsc_hz(), ICOUNT_TSC_HZ / 100 * 99);
    EXPECT_LE(tsc_hz(), ICOUNT_TSC_HZ / 100 * 101);
}
