/*
 * Suite "irq": odd interrupts are counted and survived, under either
 * controller (tests/suites.py runs it with irq=pic and irq=apic).
 *
 *   spurious: the PIC reports a request that vanished as IRQ 7 with its
 *   in-service bit clear; the LAPIC uses its spurious vector. Either way
 *   no handler runs and no EOI may be sent. Raising the vector with `int`
 *   reproduces exactly that situation: nothing is in service.
 *
 *   unknown: a vector with no handler is counted and acknowledged only if
 *   the controller really has it in service.
 */
#include "apic.h"
#include "irq.h"
#include "ktest.h"
#include "timer.h"
#include "x86.h"

static void raise_spurious(void)
{
    if (irq_using_apic())
        __asm__ volatile("int $0xFF"); /* APIC_SPURIOUS_VECTOR */
    else
        __asm__ volatile("int $0x27"); /* IRQ_VECTOR(IRQ_LPT1) */
}

KTEST("irq", spurious_interrupt_counted_and_survived)
{
    uint32_t spurious = irq_spurious_count(), unknown = irq_unknown_count();
    uint64_t ticks;

    raise_spurious();
    EXPECT_EQ(irq_spurious_count(), spurious + 1);
    EXPECT_EQ(irq_unknown_count(), unknown);
    ticks = timer_ticks();
    timer_wait_ticks(3); /* the controller still delivers: no EOI went astray */
    EXPECT_GE(timer_ticks(), ticks + 3);
}

KTEST("irq", unknown_vector_counted_and_survived)
{
    uint32_t unknown = irq_unknown_count();
    uint64_t ticks;

    __asm__ volatile("int $0x99");
    EXPECT_EQ(irq_unknown_count(), unknown + 1);
    ticks = timer_ticks();
    timer_wait_ticks(3);
    EXPECT_GE(timer_ticks(), ticks + 3);
}

KTEST("irq", per_vector_counters_count)
{
    uint32_t before = irq_vector_count(timer_vector());

    timer_wait_ticks(5);
    EXPECT_GE(irq_vector_count(timer_vector()), before + 5);
}

KTEST("irq", nesting_depth_is_zero_outside_handlers)
{
    EXPECT_EQ(irq_nesting_depth(), 0);
}
