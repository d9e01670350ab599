/* The 8253/8254 programmable interval timer, channel 0 (arch/x86/pit.c). */
#pragma once

#include "types.h"

#define PIT_INPUT_HZ 1193182 /* the PC's 14.31818 MHz crystal / 12 */

/* Programs channel 0 to interrupt hz times a second on IRQ 0. */
void pit_start_periodic(unsigned hz);
