/*
 * 8254 PIT channel 0 in mode 2 (rate generator): IRQ 0 fires every
 * `divisor` input clocks. Reference: Intel 82C54 datasheet, "Control Word
 * Format" and "Mode 2".
 */
#include "pit.h"
#include "x86.h"

#define PIT_CHANNEL0 0x40
#define PIT_COMMAND 0x43

#define PIT_SELECT_CHANNEL0 0x00
#define PIT_ACCESS_LOBYTE_HIBYTE 0x30
#define PIT_MODE_RATE_GENERATOR 0x04
#define PIT_BINARY 0x00

void pit_start_periodic(unsigned hz)
{
    uint32_t divisor = PIT_INPUT_HZ / hz;

    outb(PIT_COMMAND, PIT_SELECT_CHANNEL0 | PIT_ACCESS_LOBYTE_HIBYTE | PIT_MODE_RATE_GENERATOR |
                          PIT_BINARY);
    outb(PIT_CHANNEL0, divisor & 0xFF);
    outb(PIT_CHANNEL0, (divisor >> 8) & 0xFF);
}
