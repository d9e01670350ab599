/* 8259A PIC specifics beyond the irq_chip interface (arch/x86/pic.c). */
#pragma once

#include "types.h"

/* Masks every line: used when the APIC takes over. */
void pic_disable(void);
/* Rotates the master's fixed priorities so that irq becomes the lowest
 * (OCW2 "set priority"). The power-on order is pic_set_lowest_priority(7). */
void pic_set_lowest_priority(unsigned irq);
/* The in-service register of the master or the slave. */
uint8_t pic_in_service(bool slave);
