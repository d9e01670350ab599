/*
 * 16550 UART, polled output.
 *
 * Register map and bits: the National Semiconductor PC16550D datasheet,
 * section 8 ("Registers"). The kernel only transmits; it never takes
 * interrupts from the UART, so the console works before the IDT exists and
 * inside a panic.
 */
#include "serial.h"
#include "x86.h"

/* Register offsets from the port base. */
#define UART_DATA 0     /* RBR/THR; divisor low byte when DLAB=1 */
#define UART_IER 1      /* interrupt enable; divisor high byte when DLAB=1 */
#define UART_FCR 2      /* FIFO control (write) */
#define UART_LCR 3      /* line control */
#define UART_MCR 4      /* modem control */
#define UART_LSR 5      /* line status */

#define UART_LCR_8N1 0x03       /* 8 data bits, no parity, 1 stop bit */
#define UART_LCR_DLAB 0x80      /* divisor latch access */
#define UART_FCR_ENABLE 0x01
#define UART_FCR_CLEAR_RX 0x02
#define UART_FCR_CLEAR_TX 0x04
#define UART_FCR_TRIGGER_14 0xC0
#define UART_MCR_DTR 0x01
#define UART_MCR_RTS 0x02
#define UART_MCR_OUT2 0x08      /* gates the UART's IRQ line on PCs */
#define UART_MCR_LOOP 0x10
#define UART_LSR_THRE 0x20      /* transmit holding register empty */
#define UART_LSR_TEMT 0x40      /* transmitter empty: the last byte has left */
#define UART_DRAIN_POLLS 1000000 /* a UART that never drains is given up on */

#define UART_CLOCK_HZ 115200    /* input clock / 16 */
#define UART_BAUD 115200
#define UART_LOOPBACK_PROBE 0xA5
#define UART_MAX_PORTS 4

static uint16_t working_ports[UART_MAX_PORTS];

static void mark_present(uint16_t base)
{
    for (int i = 0; i < UART_MAX_PORTS; i++) {
        if (!working_ports[i] || working_ports[i] == base) {
            working_ports[i] = base;
            return;
        }
    }
}

bool serial_present(uint16_t base)
{
    for (int i = 0; i < UART_MAX_PORTS; i++)
        if (working_ports[i] == base)
            return true;
    return false;
}

void serial_init(uint16_t base)
{
    uint16_t divisor = UART_CLOCK_HZ / UART_BAUD;

    outb(base + UART_IER, 0);
    outb(base + UART_LCR, UART_LCR_DLAB);
    outb(base + UART_DATA, divisor & 0xFF);
    outb(base + UART_IER, divisor >> 8);
    outb(base + UART_LCR, UART_LCR_8N1);
    outb(base + UART_FCR, UART_FCR_ENABLE | UART_FCR_CLEAR_RX | UART_FCR_CLEAR_TX |
                              UART_FCR_TRIGGER_14);

    /* A byte sent in loopback mode must come back, or there is no UART here. */
    outb(base + UART_MCR, UART_MCR_LOOP | UART_MCR_RTS | UART_MCR_OUT2);
    outb(base + UART_DATA, UART_LOOPBACK_PROBE);
    if (inb(base + UART_DATA) != UART_LOOPBACK_PROBE)
        return;

    outb(base + UART_MCR, UART_MCR_DTR | UART_MCR_RTS | UART_MCR_OUT2);
    mark_present(base);
}

void serial_putc(uint16_t base, char c)
{
    if (!serial_present(base))
        return;
    while (!(inb(base + UART_LSR) & UART_LSR_THRE))
        cpu_relax();
    outb(base + UART_DATA, (uint8_t)c);
}

/* Waits until every UART has sent its last byte (LSR.TEMT). QEMU's UART
 * hands a byte to the host only when the host side takes it, and keeps it
 * (TEMT clear) while it waits; a machine that exits first loses it. */
void serial_drain_all(void)
{
    for (int i = 0; i < UART_MAX_PORTS && working_ports[i]; i++)
        for (int n = 0; n < UART_DRAIN_POLLS; n++) {
            if (inb(working_ports[i] + UART_LSR) & UART_LSR_TEMT)
                break;
            cpu_relax();
        }
}
