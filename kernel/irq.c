/*
 * The hardware interrupt dispatcher. It does not know which controller it
 * runs on: it asks the irq_chip whether a vector is spurious, runs the
 * handler registered for the vector and sends the EOI. Handlers run with
 * interrupts off unless they turn them on (see the priority demonstration
 * in kernel/ktest/priority_test.c).
 */
#include "apic.h"
#include "cmdline.h"
#include "irq.h"
#include "kbd.h"
#include "printk.h"
#include "string.h"
#include "trace.h"
#include "trap.h"

enum irq_choice { IRQ_CHOICE_DEFAULT, IRQ_CHOICE_PIC, IRQ_CHOICE_APIC };

static enum irq_choice choice = IRQ_CHOICE_DEFAULT;
static const struct irq_chip *chip = &pic_chip;
static irq_handler_t handlers[NUM_VECTORS];
static uint32_t vector_counts[NUM_VECTORS];
static uint32_t spurious_count, unknown_count;
static unsigned nesting;

static const char *set_irq(const char *value)
{
    if (!strcmp(value, "pic"))
        choice = IRQ_CHOICE_PIC;
    else if (!strcmp(value, "apic"))
        choice = IRQ_CHOICE_APIC;
    else
        return "expected pic or apic";
    return NULL;
}
BOOT_OPTION("irq", set_irq, "interrupt controller: pic (8259) or apic (LAPIC + IOAPIC)");

void irq_init(void)
{
    const char *why_not = NULL;

    if (choice != IRQ_CHOICE_PIC && apic_probe(&why_not))
        chip = &apic_chip;
    else if (choice == IRQ_CHOICE_APIC || choice == IRQ_CHOICE_DEFAULT)
        pr_info("irq: no APIC (%s), using the 8259 PIC\n", why_not ? why_not : "?");
    chip->init();
    pr_info("irq: controller %s\n", chip->name);
}

const struct irq_chip *irq_active_chip(void) { return chip; }
bool irq_using_apic(void) { return chip == &apic_chip; }
void irq_set_handler(unsigned vector, irq_handler_t handler) { handlers[vector] = handler; }
irq_handler_t irq_handler(unsigned vector) { return handlers[vector]; }
void irq_unmask(unsigned irq) { chip->unmask(irq); }
void irq_mask(unsigned irq) { chip->mask(irq); }
unsigned irq_nesting_depth(void) { return nesting; }

/* The ISA IRQ behind a vector, or -1 (the LAPIC timer, IPIs). */
static int isa_irq_of(unsigned vector)
{
    if (vector >= IRQ_BASE_VECTOR && vector < IRQ_BASE_VECTOR + ISA_IRQ_COUNT)
        return (int)(vector - IRQ_BASE_VECTOR);
    return -1;
}

void irq_dispatch(struct trapframe *tf)
{
    unsigned vector = tf->vector;
    irq_handler_t handler = handlers[vector];

    if (chip->is_spurious(vector)) { /* no handler, no EOI: see the chip */
        spurious_count++;
        return;
    }
    if (!handler) {
        unknown_count++;
        chip->eoi(vector);
        return;
    }
    nesting++;
    TRACE(TRACE_IRQ, EV_IRQ_ENTER, vector, isa_irq_of(vector), nesting, 0, 0);
    handler(tf);
    chip->eoi(vector);
    TRACE(TRACE_IRQ, EV_EOI, vector, 0, 0, 0, 0);
    nesting--;
    TRACE(TRACE_IRQ, EV_IRQ_EXIT, vector, nesting, 0, 0, 0);
}

void irq_count_vector(unsigned vector) { vector_counts[vector]++; }
uint32_t irq_vector_count(unsigned vector) { return vector_counts[vector]; }
uint32_t irq_spurious_count(void) { return spurious_count; }
uint32_t irq_unknown_count(void) { return unknown_count; }

void irq_dump_counters(void)
{
    kprintf("interrupt counters (controller %s):", chip->name);
    for (unsigned v = 0; v < NUM_VECTORS; v++)
        if (vector_counts[v])
            kprintf(" %02x:%u", v, vector_counts[v]);
    kprintf("\n  spurious %u, unknown %u, keyboard events dropped %u\n", spurious_count,
            unknown_count, kbd_dropped_count());
}
