/* PS/2 keyboard (drivers/kbd.c). */
#pragma once

#include "types.h"

uint32_t kbd_dropped_count(void);
