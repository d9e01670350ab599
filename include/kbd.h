/* PS/2 keyboard (drivers/kbd.c). */
#pragma once

#include "types.h"

struct key_event {
    uint8_t keycode;
    char ascii; /* 0 when the key has no character */
    bool pressed;
    uint8_t modifiers;
};

void kbd_init(void);
/* Takes the oldest queued key event; false when the queue is empty. */
bool kbd_read_event(struct key_event *ev);
uint32_t kbd_dropped_count(void);
