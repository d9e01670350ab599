/* The console fans each byte out to the serial port and the screen. */
#include "console.h"
#include "serial.h"
#include "vga.h"

void console_init(void)
{
    serial_init(COM1_PORT);
    vga_init();
}

void console_putc(char c)
{
    /* Serial terminals want CR LF; the screen treats \n as a full newline. */
    if (c == '\n')
        serial_putc(COM1_PORT, '\r');
    serial_putc(COM1_PORT, c);
    vga_putc(c);
}

void console_write(const char *s, size_t n)
{
    while (n--)
        console_putc(*s++);
}
