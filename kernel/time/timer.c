/*
 * Ticks and time. The PIT starts ticking on IRQ 0 first, in both modes; a
 * few of its ticks measure the TSC. In APIC mode lapic_timer_start() then
 * measures the LAPIC timer against the same ticks and takes the tick over.
 */
#include "apic.h"
#include "cmdline.h"
#include "irq.h"
#include "pit.h"
#include "proc.h"
#include "printk.h"
#include "timer.h"
#include "trap.h"
#include "x86.h"

#define CALIBRATION_TICKS 5
#define MS_PER_SECOND 1000
#define NS_PER_SECOND 1000000000ull

static unsigned hz = TIMER_HZ_DEFAULT;
static volatile uint64_t ticks;
static uint64_t measured_tsc_hz;
static volatile uint64_t last_tick_tsc; /* the TSC at the latest tick */

static const char *set_hz(const char *value)
{
    uint32_t v;

    if (!parse_uint(value, &v) || v < TIMER_HZ_MIN || v > TIMER_HZ_MAX)
        return "expected a number from 19 to 1000";
    hz = v;
    return NULL;
}
BOOT_OPTION("hz", set_hz, "timer interrupts per second, 19-1000 (default 100)");

unsigned timer_hz(void) { return hz; }
uint64_t timer_ticks(void) { return ticks; }
uint64_t uptime_ms(void) { return ticks * MS_PER_SECOND / hz; }
uint64_t tsc_hz(void) { return measured_tsc_hz; }

/* Ticks give the time, the TSC the fraction of a tick since the last one
 * (capped below a tick, so the clock never runs ahead of the next tick):
 * sleeps, which end on ticks, and clocks agree. */
uint64_t timer_ns(void)
{
    uint64_t per_tick = NS_PER_SECOND / hz, t, since, tsc;
    uint32_t flags = irq_save();

    t = ticks;
    tsc = last_tick_tsc;
    irq_restore(flags);
    since = measured_tsc_hz ? (rdtsc() - tsc) * NS_PER_SECOND / measured_tsc_hz : 0;
    return t * per_tick + (since < per_tick ? since : per_tick - 1);
}

void timer_tick(const struct trapframe *tf)
{
    last_tick_tsc = rdtsc();
    ticks++;
    sched_tick(tf && trap_from_user(tf)); /* sleepers, time slices, interval timers */
}

unsigned timer_vector(void)
{
    return irq_using_apic() ? LAPIC_TIMER_VECTOR : IRQ_VECTOR(IRQ_TIMER);
}

static void pit_irq(struct trapframe *tf) { timer_tick(tf); }

void timer_wait_ticks(unsigned n)
{
    uint64_t end = ticks + n;
    while (ticks < end)
        sti_hlt();
}

static void calibrate_tsc(void)
{
    uint64_t start_tsc;

    timer_wait_ticks(1); /* start on a tick boundary */
    start_tsc = rdtsc();
    timer_wait_ticks(CALIBRATION_TICKS);
    measured_tsc_hz = (rdtsc() - start_tsc) * hz / CALIBRATION_TICKS;
}

void timer_init(void)
{
    irq_set_handler(IRQ_VECTOR(IRQ_TIMER), pit_irq);
    pit_start_periodic(hz);
    irq_unmask(IRQ_TIMER);
    sti();
    calibrate_tsc();
    if (irq_using_apic())
        lapic_timer_start(hz);
    pr_info("timer: %u Hz from the %s, TSC %u kHz\n", hz, irq_using_apic() ? "LAPIC timer" : "PIT",
            (unsigned)(measured_tsc_hz / 1000));
}
