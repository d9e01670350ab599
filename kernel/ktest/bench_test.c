/*
 * Suite "bench-irq": the cost of a bare hardware interrupt round trip, in
 * guest instructions: vector entry, trap_common, dispatch, a handler that
 * does nothing, EOI, trap_return and iret. `make bench` boots it under
 * -icount shift=0 with irq=pic and irq=apic; it is a measurement, not a
 * test, so test=all leaves it out.
 *
 * Method: spin reading the TSC with interrupts on. Under icount the TSC
 * counts instructions, so consecutive reads differ by the loop's own few
 * instructions, except across an interrupt, where the difference is the
 * loop plus the whole round trip.
 */
#include "irq.h"
#include "ktest.h"
#include "printk.h"
#include "timer.h"
#include "x86.h"

#define SAMPLES 5
#define GAP_THRESHOLD 50 /* far more than one loop iteration, far less than a round trip */

static void empty_handler(struct trapframe *tf) { (void)tf; }

/* The instructions of one loop iteration without an interrupt. */
static uint64_t loop_cost(void)
{
    uint64_t a, b;

    cli();
    a = rdtsc();
    b = rdtsc();
    sti();
    return b - a;
}

static uint64_t measure_one_gap(void)
{
    uint64_t last = rdtsc();

    for (;;) {
        uint64_t now = rdtsc();
        if (now - last > GAP_THRESHOLD)
            return now - last;
        last = now;
    }
}

KTEST("bench-irq", bare_irq_round_trip)
{
    irq_handler_t saved = irq_handler(timer_vector());
    uint64_t base = loop_cost(), best = UINT64_MAX;

    irq_set_handler(timer_vector(), empty_handler);
    for (int i = 0; i < SAMPLES; i++) {
        uint64_t gap = measure_one_gap() - base;
        if (gap < best)
            best = gap;
    }
    irq_set_handler(timer_vector(), saved);
    kprintf("bench irq round trip (%s, vector 0x%02x): %llu instructions\n",
            irq_active_chip()->name, timer_vector(), best);
    EXPECT_LT(best, 2000);
}
