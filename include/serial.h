/* 16550 UART driver (drivers/serial.c). COM1 carries the kernel console. */
#pragma once

#include "types.h"

#define COM1_PORT 0x3F8
#define COM2_PORT 0x2F8
#define COM3_PORT 0x3E8
#define COM4_PORT 0x2E8

/* Programs the UART at base for 115200 baud, 8 data bits, no parity, 1 stop bit. */
void serial_init(uint16_t base);
/* Waits (boundedly) until every UART has sent all it was given. */
void serial_drain_all(void);
void serial_putc(uint16_t base, char c);
/* Returns true when the UART answered the loopback self-test at init. */
bool serial_present(uint16_t base);
