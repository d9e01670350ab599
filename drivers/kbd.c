/* Placeholder until the PS/2 keyboard driver lands. */
#include "kbd.h"

uint32_t kbd_dropped_count(void) { return 0; }
