/*
 * The local APIC and the IO APIC, as one irq_chip. ACPI's MADT (kernel/acpi.c)
 * says where they are; their registers sit in the uncached MMIO window that
 * arch/x86/paging.c maps at MMIO_VIRT_BASE.
 *
 * ISA IRQ n is routed by the IO APIC entry of its GSI (n, unless the MADT
 * overrides it: on QEMU the PIT's IRQ0 is wired to GSI 2) to vector
 * IRQ_VECTOR(n) on this CPU. The LAPIC takes the EOI and, once calibrated
 * against the PIT, produces the tick itself.
 *
 * References: Intel SDM Vol. 3A chapter 11 (local APIC), Intel 82093AA
 * I/O APIC datasheet (order number 290566), sections 3.0-3.2.
 */
#include "apic.h"
#include "acpi.h"
#include "irq.h"
#include "memlayout.h"
#include "pic.h"
#include "printk.h"
#include "timer.h"
#include "x86.h"

/* Local APIC registers, byte offsets from its base (SDM Vol. 3A 11.4.1, Table 11-1). */
#define LAPIC_ID            0x020
#define LAPIC_TPR           0x080
#define LAPIC_EOI           0x0B0
#define LAPIC_SVR           0x0F0
#define LAPIC_ISR           0x100 /* 8 registers of 32 vectors each, LAPIC_REG_STRIDE apart */
#define LAPIC_ESR           0x280
#define LAPIC_ICR_LOW       0x300
#define LAPIC_LVT_TIMER     0x320
#define LAPIC_LVT_LINT0     0x350
#define LAPIC_LVT_ERROR     0x370
#define LAPIC_TIMER_INITIAL 0x380
#define LAPIC_TIMER_CURRENT 0x390
#define LAPIC_TIMER_DIVIDE  0x3E0
#define LAPIC_MMIO_SIZE     0x1000
#define LAPIC_REG_STRIDE    0x10
#define VECTORS_PER_REG     32

#define LAPIC_ID_SHIFT          24      /* SDM Vol. 3A 11.4.6: the ID is bits 31:24 */
#define LAPIC_TPR_MASK          0xFF    /* SDM Vol. 3A 11.8.3.1: TPR bits 7:0 */
#define LAPIC_EOI_VALUE         0       /* SDM Vol. 3A 11.8.5: write 0 */
#define SVR_APIC_ENABLE         BIT(8)  /* SDM Vol. 3A 11.9: APIC software enable */
#define LVT_MASKED              BIT(16) /* SDM Vol. 3A 11.5.1, Figure 11-8 */
#define LVT_TIMER_ONE_SHOT      0       /* timer mode, bits 18:17 */
#define LVT_TIMER_PERIODIC      BIT(17)
#define TIMER_DIVIDE_BY_16      0x3 /* SDM Vol. 3A 11.5.4, Figure 11-10 */
#define TIMER_COUNT_MAX         0xFFFFFFFFu
#define TIMER_CALIBRATION_TICKS 5
#define ICR_DELIVERY_FIXED      0 /* SDM Vol. 3A 11.6.1, Figure 11-12 */
#define ICR_LEVEL_ASSERT        BIT(14)
#define ICR_DEST_SELF           BIT(18) /* destination shorthand 01 */
#define ICR_SEND_PENDING        BIT(12)

#define CPUID_LEAF_MAX          0
#define CPUID_LEAF_FEATURES     1
#define CPUID_EDX_APIC          BIT(9) /* SDM Vol. 2A, CPUID Table 3-11 */
#define IA32_APIC_BASE          0x1B   /* SDM Vol. 3A 11.4.4 */
#define APIC_BASE_GLOBAL_ENABLE BIT(11)

/* IO APIC: an index register and a data window (82093AA 3.0), then the
 * indirect registers (82093AA 3.2). */
#define IOAPIC_REGSEL                  0x00
#define IOAPIC_WIN                     0x10
#define IOAPIC_MMIO_SIZE               0x20
#define IOAPIC_REG_VERSION             0x01
#define IOAPIC_VERSION_MAX_ENTRY_SHIFT 16 /* bits 23:16: entries - 1 */
#define IOAPIC_VERSION_MAX_ENTRY_MASK  0xFF
#define IOAPIC_REDTBL_BASE             0x10 /* entry n: two registers, low dword first */
#define IOAPIC_REDTBL_REGS_PER_ENTRY   2
#define IOAPIC_REDTBL_LOW(n)           (IOAPIC_REDTBL_BASE + IOAPIC_REDTBL_REGS_PER_ENTRY * (n))
#define IOAPIC_REDTBL_HIGH(n)          (IOAPIC_REDTBL_LOW(n) + 1)
/* Redirection entry, low dword (82093AA 3.2.4). */
#define IOREDTBL_DELIVERY_FIXED 0 /* bits 10:8 */
#define IOREDTBL_DEST_PHYSICAL  0 /* bit 11 */
#define IOREDTBL_ACTIVE_LOW     BIT(13)
#define IOREDTBL_LEVEL          BIT(15)
#define IOREDTBL_MASKED         BIT(16)
#define IOREDTBL_DEST_SHIFT     24 /* high dword: physical APIC ID in bits 63:56 */

#define NO_GSI       (-1)
#define LOG_LINE_MAX 256

static uintptr_t lapic_base, ioapic_base;
static const struct acpi_madt_info *madt;
static const struct acpi_ioapic *isa_ioapic;
static unsigned ioapic_entries;
static uint8_t lapic_id;
static bool active;
static uint32_t count_per_tick;

static uint32_t lapic_read(uint32_t reg) { return mmio_read32(lapic_base + reg); }
static void lapic_write(uint32_t reg, uint32_t v) { mmio_write32(lapic_base + reg, v); }

static uint32_t ioapic_read(uint32_t reg)
{
    mmio_write32(ioapic_base + IOAPIC_REGSEL, reg);
    return mmio_read32(ioapic_base + IOAPIC_WIN);
}

static void ioapic_write(uint32_t reg, uint32_t v)
{
    mmio_write32(ioapic_base + IOAPIC_REGSEL, reg);
    mmio_write32(ioapic_base + IOAPIC_WIN, v);
}

static bool in_mmio_window(uint32_t pa, uint32_t len)
{
    return pa >= MMIO_PHYS_BASE && pa - MMIO_PHYS_BASE <= MMIO_WINDOW_SIZE - len;
}

static uintptr_t mmio_virt(uint32_t pa) { return MMIO_VIRT_BASE + (pa - MMIO_PHYS_BASE); }

/* The GSI that ISA IRQ irq arrives on, or NO_GSI when another IRQ's
 * override took its pin (on QEMU IRQ0 takes GSI 2, so IRQ2 has none). */
static int isa_gsi(unsigned irq)
{
    const struct acpi_override *ov = acpi_isa_override(madt, irq);

    if (ov)
        return ov->gsi;
    for (unsigned i = 0; i < madt->override_count; i++)
        if (madt->overrides[i].gsi == irq)
            return NO_GSI;
    return irq;
}

/* The IO APIC redirection entry of irq, or NO_GSI. */
static int isa_entry(unsigned irq)
{
    int gsi = isa_gsi(irq);

    if (gsi == NO_GSI || (uint32_t)gsi < isa_ioapic->gsi_base ||
        (uint32_t)gsi - isa_ioapic->gsi_base >= ioapic_entries)
        return NO_GSI;
    return gsi - isa_ioapic->gsi_base;
}

static const struct acpi_ioapic *find_isa_ioapic(void)
{
    for (unsigned i = 0; i < madt->ioapic_count; i++)
        if (madt->ioapics[i].gsi_base == 0)
            return &madt->ioapics[i];
    return NULL;
}

/* Checks the parts of the MADT that apic_probe needs, and maps them. */
static bool probe_madt(const char **why_not)
{
    if (!in_mmio_window(madt->lapic_address, LAPIC_MMIO_SIZE)) {
        *why_not = "local APIC outside the MMIO window";
        return false;
    }
    isa_ioapic = find_isa_ioapic();
    if (!isa_ioapic) {
        *why_not = "no IO APIC for GSI 0 in the MADT";
        return false;
    }
    if (!in_mmio_window(isa_ioapic->address, IOAPIC_MMIO_SIZE)) {
        *why_not = "IO APIC outside the MMIO window";
        return false;
    }
    lapic_base = mmio_virt(madt->lapic_address);
    ioapic_base = mmio_virt(isa_ioapic->address);
    ioapic_entries = ((ioapic_read(IOAPIC_REG_VERSION) >> IOAPIC_VERSION_MAX_ENTRY_SHIFT) &
                      IOAPIC_VERSION_MAX_ENTRY_MASK) +
                     1;
    if (isa_entry(IRQ_TIMER) == NO_GSI) {
        *why_not = "the IO APIC has no entry for the timer's IRQ";
        return false;
    }
    return true;
}

bool apic_probe(const char **why_not)
{
    uint32_t max_leaf, b, c, d;

    cpuid(CPUID_LEAF_MAX, &max_leaf, &b, &c, &d);
    if (max_leaf < CPUID_LEAF_FEATURES) {
        *why_not = "CPUID has no feature leaf";
        return false;
    }
    cpuid(CPUID_LEAF_FEATURES, &max_leaf, &b, &c, &d);
    if (!(d & CPUID_EDX_APIC)) {
        *why_not = "the CPU has no local APIC (CPUID.1:EDX.APIC)";
        return false;
    }
    madt = acpi_madt(why_not);
    return madt && probe_madt(why_not);
}

/* Turns the LAPIC on with every local interrupt source but errors masked:
 * the 8259s are masked too, so LINT0's virtual-wire ExtINT has nothing to do. */
static void lapic_enable(void)
{
    uint64_t base = rdmsr(IA32_APIC_BASE);

    if (!(base & APIC_BASE_GLOBAL_ENABLE))
        wrmsr(IA32_APIC_BASE, base | APIC_BASE_GLOBAL_ENABLE);
    /* Software-enable first: while disabled the LVT mask bits stay set (SDM 11.4.7.2). */
    lapic_write(LAPIC_SVR, SVR_APIC_ENABLE | APIC_SPURIOUS_VECTOR);
    lapic_write(LAPIC_LVT_TIMER, LVT_MASKED | LAPIC_TIMER_VECTOR);
    lapic_write(LAPIC_LVT_LINT0, LVT_MASKED);
    lapic_write(LAPIC_LVT_ERROR, APIC_ERROR_VECTOR);
    lapic_write(LAPIC_ESR, 0); /* a write latches the current errors (SDM 11.5.3) */
    lapic_write(LAPIC_TPR, 0);
    lapic_id = lapic_read(LAPIC_ID) >> LAPIC_ID_SHIFT;
}

/* Points irq's entry at IRQ_VECTOR(irq) on this CPU, masked, with the
 * override's polarity and trigger mode (ISA default: edge, active high). */
static void ioapic_route(unsigned irq)
{
    const struct acpi_override *ov = acpi_isa_override(madt, irq);
    int entry = isa_entry(irq);
    uint32_t low =
        IOREDTBL_MASKED | IOREDTBL_DELIVERY_FIXED | IOREDTBL_DEST_PHYSICAL | IRQ_VECTOR(irq);

    if (entry == NO_GSI)
        return;
    if (ov && ov->active_low)
        low |= IOREDTBL_ACTIVE_LOW;
    if (ov && ov->level_triggered)
        low |= IOREDTBL_LEVEL;
    ioapic_write(IOAPIC_REDTBL_HIGH(entry), (uint32_t)lapic_id << IOREDTBL_DEST_SHIFT);
    ioapic_write(IOAPIC_REDTBL_LOW(entry), low);
}

/* The LAPIC error interrupt: the count is irq_vector_count(APIC_ERROR_VECTOR). */
static void apic_error_irq(struct trapframe *tf)
{
    (void)tf;
    lapic_write(LAPIC_ESR, 0);
}

static void log_config(void)
{
    char line[LOG_LINE_MAX];
    int n = ksnprintf(
        line, sizeof(line), "%u CPU(s), LAPIC id %u at %08x, IO APIC id %u at %08x GSI %u-%u",
        madt->lapic_count, lapic_id, madt->lapic_address, isa_ioapic->id, isa_ioapic->address,
        isa_ioapic->gsi_base, isa_ioapic->gsi_base + ioapic_entries - 1);

    for (unsigned i = 0; i < madt->override_count && n < (int)sizeof(line); i++) {
        const struct acpi_override *ov = &madt->overrides[i];
        n += ksnprintf(line + n, sizeof(line) - n, ", IRQ%u -> GSI%u%s%s", ov->isa_irq, ov->gsi,
                       ov->level_triggered ? " level" : "", ov->active_low ? " low" : "");
    }
    pr_info("apic: %s\n", line);
}

static void apic_init(void)
{
    pic_disable();
    lapic_enable();
    for (unsigned e = 0; e < ioapic_entries; e++)
        ioapic_write(IOAPIC_REDTBL_LOW(e), IOREDTBL_MASKED);
    for (unsigned irq = 0; irq < ISA_IRQ_COUNT; irq++)
        ioapic_route(irq);
    irq_set_handler(APIC_ERROR_VECTOR, apic_error_irq);
    active = true;
    log_config();
}

static void set_entry_mask(unsigned irq, bool masked)
{
    int entry = isa_entry(irq);
    uint32_t low;

    if (entry == NO_GSI)
        return;
    low = ioapic_read(IOAPIC_REDTBL_LOW(entry));
    low = masked ? low | IOREDTBL_MASKED : low & ~IOREDTBL_MASKED;
    ioapic_write(IOAPIC_REDTBL_LOW(entry), low);
}

static void apic_mask(unsigned irq) { set_entry_mask(irq, true); }
static void apic_unmask(unsigned irq) { set_entry_mask(irq, false); }

bool apic_in_service(unsigned vector)
{
    uint32_t isr;

    if (!active)
        return false;
    isr = lapic_read(LAPIC_ISR + (vector / VECTORS_PER_REG) * LAPIC_REG_STRIDE);
    return isr & BIT(vector % VECTORS_PER_REG);
}

/* An EOI retires the highest vector in service (SDM Vol. 3A 11.8.5), so it is
 * sent only for a vector the LAPIC delivered: an `int n` from software never
 * sets an ISR bit, and an EOI for it would retire an interrupted handler's. */
static void apic_eoi(unsigned vector)
{
    if (apic_in_service(vector))
        lapic_write(LAPIC_EOI, LAPIC_EOI_VALUE);
}

/* The LAPIC raises its spurious vector without setting an ISR bit and wants
 * no EOI for it (SDM Vol. 3A 11.9). */
static bool apic_is_spurious(unsigned vector) { return vector == APIC_SPURIOUS_VECTOR; }

void apic_send_self_ipi(uint8_t vector)
{
    if (!active)
        return;
    while (lapic_read(LAPIC_ICR_LOW) & ICR_SEND_PENDING)
        cpu_relax();
    lapic_write(LAPIC_ICR_LOW, ICR_DEST_SELF | ICR_LEVEL_ASSERT | ICR_DELIVERY_FIXED | vector);
}

void apic_set_task_priority(uint8_t tpr)
{
    if (active)
        lapic_write(LAPIC_TPR, tpr);
}

uint8_t apic_task_priority(void) { return active ? lapic_read(LAPIC_TPR) & LAPIC_TPR_MASK : 0; }

static void lapic_timer_irq(struct trapframe *tf)
{
    timer_tick(tf);
}

/* LAPIC timer counts (divided by 16) per PIT tick: a one-shot countdown
 * from the maximum across TIMER_CALIBRATION_TICKS of the PIT's ticks. */
static uint32_t lapic_counts_per_pit_tick(void)
{
    uint32_t remaining;

    lapic_write(LAPIC_TIMER_DIVIDE, TIMER_DIVIDE_BY_16);
    lapic_write(LAPIC_LVT_TIMER, LVT_MASKED | LVT_TIMER_ONE_SHOT | LAPIC_TIMER_VECTOR);
    timer_wait_ticks(1); /* start on a tick boundary */
    lapic_write(LAPIC_TIMER_INITIAL, TIMER_COUNT_MAX);
    timer_wait_ticks(TIMER_CALIBRATION_TICKS);
    remaining = lapic_read(LAPIC_TIMER_CURRENT);
    lapic_write(LAPIC_TIMER_INITIAL, 0); /* a zero count stops the timer */
    return (TIMER_COUNT_MAX - remaining) / TIMER_CALIBRATION_TICKS;
}

void lapic_timer_start(unsigned hz)
{
    uint64_t counts_per_second;

    if (!active || !hz)
        return;
    counts_per_second = (uint64_t)lapic_counts_per_pit_tick() * timer_hz();
    count_per_tick = counts_per_second / hz;
    irq_mask(IRQ_TIMER);
    irq_set_handler(LAPIC_TIMER_VECTOR, lapic_timer_irq);
    lapic_write(LAPIC_LVT_TIMER, LVT_TIMER_PERIODIC | LAPIC_TIMER_VECTOR);
    lapic_write(LAPIC_TIMER_INITIAL, count_per_tick);
}

uint32_t lapic_timer_count_per_tick(void) { return count_per_tick; }

const struct irq_chip apic_chip = {
    .name = "apic",
    .init = apic_init,
    .mask = apic_mask,
    .unmask = apic_unmask,
    .eoi = apic_eoi,
    .is_spurious = apic_is_spurious,
};
