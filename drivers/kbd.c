/* Placeholder until the PS/2 keyboard driver lands. */
#include "kbd.h"

void kbd_init(void) {}
bool kbd_read_event(struct key_event *ev)
{
    (void)ev;
    return false;
}
uint32_t kbd_dropped_count(void) { return 0; }
