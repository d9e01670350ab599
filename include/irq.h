/*
 * Hardware interrupts (kernel/irq.c): one dispatcher in front of two
 * interrupt controllers, the 8259 PIC pair (arch/x86/pic.c) and the
 * LAPIC + IOAPIC (arch/x86/apic.c). The dispatcher only knows this
 * interface; the boot option irq=pic|apic picks the implementation.
 *
 * ISA IRQ n always arrives on vector IRQ_BASE_VECTOR + n, whichever
 * controller routes it.
 */
#pragma once

#include "types.h"

struct trapframe;

#define IRQ_BASE_VECTOR 0x20
#define ISA_IRQ_COUNT 16
#define IRQ_VECTOR(irq) (IRQ_BASE_VECTOR + (irq))

/* ISA IRQ lines of the PC (IBM PC/AT Technical Reference). */
enum isa_irq {
    IRQ_TIMER = 0,    /* PIT channel 0 */
    IRQ_KEYBOARD = 1, /* i8042 first port */
    IRQ_CASCADE = 2,  /* the slave 8259 */
    IRQ_COM1 = 4,
    IRQ_LPT1 = 7, /* also where the master 8259 reports a spurious IRQ */
    IRQ_RTC = 8,
    IRQ_MOUSE = 12,
    IRQ_ATA_SECONDARY = 15, /* also the slave's spurious IRQ */
};

struct irq_chip {
    const char *name;
    /* Makes the controller ready with every line masked. */
    void (*init)(void);
    void (*mask)(unsigned irq);
    void (*unmask)(unsigned irq);
    /* Acknowledges the interrupt on vector, if the controller has it in service. */
    void (*eoi)(unsigned vector);
    /* True when the controller raised vector without a real request (then no
     * handler runs; the chip has sent whatever EOI the hardware needs). */
    bool (*is_spurious)(unsigned vector);
};

extern const struct irq_chip pic_chip;
extern const struct irq_chip apic_chip;

typedef void (*irq_handler_t)(struct trapframe *tf);

/* Picks and initialises the controller (irq= option, falls back to the PIC). */
void irq_init(void);
const struct irq_chip *irq_active_chip(void);
bool irq_using_apic(void);
void irq_set_handler(unsigned vector, irq_handler_t handler);
irq_handler_t irq_handler(unsigned vector);
void irq_unmask(unsigned irq);
void irq_mask(unsigned irq);

/* Called by trap_dispatch for every vector from 32 up except the system call. */
void irq_dispatch(struct trapframe *tf);
/* How many hardware interrupt handlers are running, nested, right now. */
unsigned irq_nesting_depth(void);

/* Accounting: per-vector counts and the odd cases. */
uint32_t irq_vector_count(unsigned vector);
uint32_t irq_spurious_count(void);
uint32_t irq_unknown_count(void);
void irq_count_vector(unsigned vector);
void irq_dump_counters(void);
