/*
 * Suite "apic": booted with irq=apic, and by the runner under
 * -icount shift=0,sleep=off, where the TSC counts virtual nanoseconds
 * (../shared/QEMU-FACTS.md). Checks ACPI's MADT, the IO APIC routing, the
 * LAPIC timer's rate, the task-priority register and the EOI rules.
 */
#include "acpi.h"
#include "apic.h"
#include "irq.h"
#include "ktest.h"
#include "string.h"
#include "timer.h"
#include "trap.h"
#include "x86.h"

#define QEMU_LAPIC_ADDRESS     0xFEE00000u
#define QEMU_IOAPIC_ADDRESS    0xFEC00000u
#define QEMU_PIT_GSI           2
#define ICOUNT_TSC_HZ          1000000000ull
#define RATE_TICKS             20
#define RATE_TOLERANCE_PERCENT 1
#define ICOUNT_PROBE_RUNS      3
#define ICOUNT_PROBE_LOOPS     1000
#define TICKS_ARRIVING         5
#define SLACK                  4 /* deadlines, as a multiple of the ticks awaited */
#define TPR_HOLD_TICKS         3
#define TPR_CLASS_MASK         0xF0
#define TPR_CLASS_STEP         0x10
#define TEST_IPI_VECTOR        0x98 /* no device uses it */
#define UNKNOWN_VECTOR         0x99 /* no handler: "unknown" */
#define IPI_WAIT_TICKS         2

KTEST("apic", madt_parsed)
{
    const char *why = NULL;
    const struct acpi_madt_info *m = acpi_madt(&why);
    const struct acpi_override *pit;

    if (!m)
        ktest_diag("no MADT: %s", why);
    ASSERT_TRUE(m != NULL);
    EXPECT_EQ(m->lapic_address, QEMU_LAPIC_ADDRESS);
    EXPECT_GE(m->lapic_count, 1);
    ASSERT_TRUE(m->ioapic_count >= 1);
    EXPECT_EQ(m->ioapics[0].address, QEMU_IOAPIC_ADDRESS);
    EXPECT_EQ(m->ioapics[0].gsi_base, 0);
    pit = acpi_isa_override(m, IRQ_TIMER);
    ASSERT_TRUE(pit != NULL);
    EXPECT_EQ(pit->gsi, QEMU_PIT_GSI);
    EXPECT_TRUE(!pit->active_low && !pit->level_triggered); /* ISA: edge, active high */
}

/* A small MADT: one LAPIC, one IO APIC, IRQ0 -> GSI 2 level-triggered active low. */
struct fake_madt {
    struct acpi_sdt_header h;
    uint32_t lapic_address, flags;
    uint8_t lapic[8], ioapic[12], override[10];
} PACKED;

static void fake_madt_fill(struct fake_madt *f)
{
    static const uint8_t lapic[8] = {0, 8, 0, 0, 1, 0, 0, 0};
    static const uint8_t ioapic[12] = {1, 12, 5, 0, 0x00, 0x00, 0xC0, 0xFE, 0, 0, 0, 0};
    static const uint8_t override[10] = {2, 10, 0, 0, 2, 0, 0, 0, 0x0F, 0};

    memset(f, 0, sizeof(*f));
    memcpy(f->h.signature, "APIC", sizeof(f->h.signature));
    f->h.length = sizeof(*f);
    f->lapic_address = QEMU_LAPIC_ADDRESS;
    memcpy(f->lapic, lapic, sizeof(lapic));
    memcpy(f->ioapic, ioapic, sizeof(ioapic));
    memcpy(f->override, override, sizeof(override));
}

static void fake_madt_fix_checksum(struct fake_madt *f)
{
    const uint8_t *b = (const uint8_t *)f;
    uint8_t sum = 0;

    f->h.checksum = 0;
    for (size_t i = 0; i < sizeof(*f); i++)
        sum += b[i];
    f->h.checksum = -sum;
}

KTEST("apic", madt_parser_reads_entries)
{
    struct fake_madt f;
    struct acpi_madt_info info;
    const char *why = NULL;

    fake_madt_fill(&f);
    fake_madt_fix_checksum(&f);
    ASSERT_TRUE(acpi_parse_madt(&f.h, &info, &why));
    EXPECT_EQ(info.lapic_count, 1);
    ASSERT_EQ(info.ioapic_count, 1);
    EXPECT_EQ(info.ioapics[0].id, 5);
    EXPECT_EQ(info.ioapics[0].address, QEMU_IOAPIC_ADDRESS);
    ASSERT_EQ(info.override_count, 1);
    EXPECT_EQ(info.overrides[0].gsi, QEMU_PIT_GSI);
    EXPECT_TRUE(info.overrides[0].active_low && info.overrides[0].level_triggered);
}

KTEST("apic", madt_with_bad_checksum_refused)
{
    struct fake_madt f;
    struct acpi_madt_info info;
    const char *why = NULL;

    fake_madt_fill(&f);
    fake_madt_fix_checksum(&f);
    f.ioapic[2]++; /* one byte changed after the checksum */
    EXPECT_TRUE(!acpi_parse_madt(&f.h, &info, &why));
    EXPECT_STREQ(why, "ACPI MADT has a bad checksum");
}

KTEST("apic", madt_with_overrunning_entry_refused)
{
    struct fake_madt f;
    struct acpi_madt_info info;
    const char *why = NULL;

    fake_madt_fill(&f);
    f.override[1] = sizeof(f.override) + 1; /* runs past the end of the table */
    fake_madt_fix_checksum(&f);
    EXPECT_TRUE(!acpi_parse_madt(&f.h, &info, &why));
    EXPECT_STREQ(why, "ACPI MADT entry has a bad length");
}

KTEST("apic", running_on_apic)
{
    EXPECT_TRUE(irq_using_apic());
    EXPECT_STREQ(irq_active_chip()->name, "apic");
    EXPECT_GT(lapic_timer_count_per_tick(), 0);
}

/* Spins with interrupts on until `want` ticks have come or the TSC time of
 * `limit` ticks has passed; returns the ticks seen. Spinning, unlike
 * timer_wait_ticks(), cannot hang when the timer stops. */
static uint64_t ticks_within(unsigned want, unsigned limit)
{
    uint64_t start_ticks = timer_ticks();
    uint64_t end = rdtsc() + tsc_hz() * limit / timer_hz();

    while (timer_ticks() - start_ticks < want && rdtsc() < end)
        cpu_relax();
    return timer_ticks() - start_ticks;
}

KTEST("apic", ticks_arrive_on_lapic_timer_vector)
{
    uint32_t lapic_before = irq_vector_count(LAPIC_TIMER_VECTOR);
    uint32_t pit_before = irq_vector_count(IRQ_VECTOR(IRQ_TIMER));

    ticks_within(TICKS_ARRIVING, TICKS_ARRIVING * SLACK);
    EXPECT_GE(irq_vector_count(LAPIC_TIMER_VECTOR) - lapic_before, TICKS_ARRIVING);
    EXPECT_EQ(irq_vector_count(IRQ_VECTOR(IRQ_TIMER)) - pit_before, 0);
}

static bool near(uint64_t value, uint64_t expected, unsigned percent)
{
    return value * 100 >= expected * (100 - percent) && value * 100 <= expected * (100 + percent);
}

/* Under -icount the TSC counts guest instructions, so the same loop run with
 * interrupts off takes exactly the same number of cycles every time; on the
 * host's TSC it practically never does. */
static bool tsc_counts_instructions(void)
{
    uint64_t first = 0;
    uint32_t flags = irq_save();
    bool same = true;

    for (int run = 0; run < ICOUNT_PROBE_RUNS; run++) {
        uint64_t start = rdtsc();
        for (volatile int i = 0; i < ICOUNT_PROBE_LOOPS; i++)
            ;
        uint64_t took = rdtsc() - start;
        if (run == 0)
            first = took;
        same = same && took == first;
    }
    irq_restore(flags);
    return same;
}

KTEST("apic", lapic_timer_rate_matches_hz)
{
    uint64_t expected = ICOUNT_TSC_HZ * RATE_TICKS / timer_hz();
    uint64_t start, elapsed;

    if (!tsc_counts_instructions()) {
        /* Without icount the TSC and the LAPIC timer follow the host's clock,
         * and a busy host delays and bunches ticks by tens of percent. */
        ktest_skip("needs -icount shift=0,sleep=off for an exact reference");
        return;
    }
    ASSERT_TRUE(ticks_within(1, SLACK) > 0); /* or the waits below would hang */
    timer_wait_ticks(1);
    start = rdtsc();
    timer_wait_ticks(RATE_TICKS);
    elapsed = rdtsc() - start;
    ktest_diag("%u ticks at %u Hz took %llu TSC cycles, expected %llu", RATE_TICKS, timer_hz(),
               elapsed, expected);
    EXPECT_TRUE(near(elapsed, expected, RATE_TOLERANCE_PERCENT));
}

KTEST("apic", tpr_holds_timer_off)
{
    uint8_t timer_class = LAPIC_TIMER_VECTOR & TPR_CLASS_MASK;
    uint64_t below, held, after;

    ASSERT_TRUE(irqs_enabled());
    ASSERT_EQ(apic_task_priority(), 0);
    apic_set_task_priority(timer_class - TPR_CLASS_STEP); /* one class under: still let in */
    below = ticks_within(1, SLACK);
    apic_set_task_priority(timer_class);
    EXPECT_EQ(apic_task_priority(), timer_class);
    held = ticks_within(1, TPR_HOLD_TICKS);
    apic_set_task_priority(0);
    after = ticks_within(1, SLACK); /* the held-off tick was pending: it comes at once */
    EXPECT_GE(below, 1);
    EXPECT_EQ(held, 0);
    EXPECT_GE(after, 1);
}

KTEST("apic", spurious_vector_counted_and_survived)
{
    uint32_t before = irq_spurious_count();
    uint32_t unknown = irq_unknown_count();

    __asm__ volatile("int %0" : : "i"(APIC_SPURIOUS_VECTOR));
    EXPECT_EQ(irq_spurious_count() - before, 1);
    EXPECT_EQ(irq_unknown_count(), unknown);
    EXPECT_TRUE(!apic_in_service(APIC_SPURIOUS_VECTOR));
}

KTEST("apic", unknown_vector_counted)
{
    uint32_t before = irq_unknown_count();

    __asm__ volatile("int %0" : : "i"(UNKNOWN_VECTOR));
    EXPECT_EQ(irq_unknown_count() - before, 1);
    EXPECT_TRUE(!apic_in_service(UNKNOWN_VECTOR));
}

static volatile bool ipi_ran, ipi_in_service_after_int;

/* A real interrupt in service runs a software `int` on an unknown vector:
 * an EOI sent for that would retire this handler's own ISR bit. */
static void ipi_runs_unknown_int(struct trapframe *tf)
{
    (void)tf;
    __asm__ volatile("int %0" : : "i"(UNKNOWN_VECTOR));
    ipi_in_service_after_int = apic_in_service(TEST_IPI_VECTOR);
    ipi_ran = true;
}

KTEST("apic", unknown_vector_sends_no_eoi)
{
    uint32_t before = irq_unknown_count();
    uint64_t deadline = timer_ticks() + IPI_WAIT_TICKS;

    ipi_ran = ipi_in_service_after_int = false;
    irq_set_handler(TEST_IPI_VECTOR, ipi_runs_unknown_int);
    apic_send_self_ipi(TEST_IPI_VECTOR);
    while (!ipi_ran && timer_ticks() < deadline)
        cpu_relax();
    irq_set_handler(TEST_IPI_VECTOR, NULL);
    ASSERT_TRUE(ipi_ran);
    EXPECT_TRUE(ipi_in_service_after_int);
    EXPECT_EQ(irq_unknown_count() - before, 1);
    /* The dispatcher's EOI for the IPI itself did retire it. */
    EXPECT_TRUE(!apic_in_service(TEST_IPI_VECTOR));
}
