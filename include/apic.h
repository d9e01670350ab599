/*
 * Local APIC and IO APIC (arch/x86/apic.c), found through ACPI (kernel/acpi.c).
 *
 * Vectors: ISA IRQ n -> IRQ_VECTOR(n) through the IO APIC (after ACPI's
 * interrupt source overrides), the LAPIC timer on LAPIC_TIMER_VECTOR.
 * The LAPIC accepts an interrupt only if its priority class (vector >> 4) is
 * above the processor priority, max(TPR class, class in service)
 * (Intel SDM Vol. 3A 11.8.3.1), so the timer's class 0xE outranks the
 * keyboard's class 0x2.
 */
#pragma once

#include "types.h"

#define LAPIC_TIMER_VECTOR 0xE0
#define APIC_ERROR_VECTOR 0xFE
#define APIC_SPURIOUS_VECTOR 0xFF

/* True when CPUID, ACPI's MADT and the IO APIC say the APIC can be used;
 * otherwise false with *why_not set to a reason for the log. */
bool apic_probe(const char **why_not);

/* Starts the LAPIC timer at hz, calibrated against the PIT's ticks, and
 * stops the PIT: from then on the LAPIC timer drives timer_tick(). */
void lapic_timer_start(unsigned hz);

/* The task-priority register: interrupts of class <= tpr >> 4 are held off. */
void apic_set_task_priority(uint8_t tpr);
uint8_t apic_task_priority(void);

/* True while the LAPIC has vector in service (its ISR bit, Intel SDM Vol. 3A
 * 11.8.4): between delivering a hardware interrupt and the EOI. */
bool apic_in_service(unsigned vector);

/* Sends this CPU a fixed interrupt on vector, as a device would (an IPI with
 * the "self" shorthand, Intel SDM Vol. 3A 11.6.1). It arrives once interrupts
 * are on and the priority rules allow it. */
void apic_send_self_ipi(uint8_t vector);

/* The LAPIC timer's initial count per tick, as calibrated (0 before). */
uint32_t lapic_timer_count_per_tick(void);
