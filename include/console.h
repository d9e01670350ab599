/* The kernel console: every byte goes to COM1 and to the VGA screen (kernel/console.c). */
#pragma once

#include "types.h"

void console_init(void);
void console_putc(char c);
void console_write(const char *s, size_t n);
