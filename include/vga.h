/* VGA text-mode screen (drivers/vga.c): 80x25 cells at physical 0xB8000. */
#pragma once

#include "types.h"

#define VGA_COLS 80
#define VGA_ROWS 25

#define VGA_ATTR_NORMAL 0x07  /* light grey on black */
#define VGA_ATTR_PANEL 0x1F   /* white on blue */
#define VGA_ATTR_HOT 0x1E     /* yellow on blue */

void vga_init(void);
/* Writes one character at the cursor: handles \n, \r, \b and \t, scrolls. */
void vga_putc(char c);
/* Keeps the top rows for a panel (the live view): the console then writes
 * and scrolls only below them. 0 gives the whole screen back. */
void vga_reserve_top_rows(int rows);
/* Writes text into row of the panel, padded with spaces to the full width. */
void vga_write_row(int row, const char *text, uint8_t attr);
