/* VGA text-mode screen (drivers/vga.c): 80x25 cells at physical 0xB8000. */
#pragma once

#include "types.h"

#define VGA_COLS 80
#define VGA_ROWS 25

void vga_init(void);
/* Writes one character at the cursor: handles \n, \r, \b and \t, scrolls. */
void vga_putc(char c);
