/*
 * The kernel's clock (kernel/time/timer.c): a tick count driven by the PIT in
 * PIC mode or the LAPIC timer in APIC mode, at hz= ticks per second.
 */
#pragma once

#include "types.h"

#define TIMER_HZ_DEFAULT 100
#define TIMER_HZ_MIN 19 /* the PIT's 16-bit divisor cannot go slower than 18.2 Hz */
#define TIMER_HZ_MAX 1000

/* Starts the tick: calibrates the TSC against the PIT, then (APIC mode)
 * hands the tick over to the LAPIC timer. Enables interrupts. */
void timer_init(void);
struct trapframe;
/* Called once per tick by whichever timer's IRQ handler is active. */
void timer_tick(const struct trapframe *tf);
unsigned timer_hz(void);
uint64_t timer_ticks(void);
uint64_t uptime_ms(void);
/* Nanoseconds since the first tick: the tick count, plus the TSC's measure
 * of the part of a tick gone since (never a whole tick). */
uint64_t timer_ns(void);
/* The vector the tick arrives on: the PIT's IRQ 0 or the LAPIC timer's. */
unsigned timer_vector(void);
/* TSC cycles per second, measured at boot against the PIT. */
uint64_t tsc_hz(void);
/* Halts until n more ticks have passed. Needs interrupts on. */
void timer_wait_ticks(unsigned n);
