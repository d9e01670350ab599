/*
 * The 8259A programmable interrupt controller pair, as wired in the PC/AT:
 * the master takes IRQ 0-7, the slave IRQ 8-15 through the master's IRQ 2.
 * Reference: Intel 8259A datasheet (order number 231468), "Programming the
 * 8259A": ICW1-ICW4 at init, then OCW1 (mask), OCW2 (EOI, priority) and
 * OCW3 (read the in-service register).
 */
#include "irq.h"
#include "pic.h"
#include "x86.h"

#define PIC1_CMD 0x20
#define PIC1_DATA 0x21
#define PIC2_CMD 0xA0
#define PIC2_DATA 0xA1

#define ICW1_ICW4_NEEDED 0x01
#define ICW1_INIT 0x10
#define ICW3_MASTER_HAS_SLAVE_ON_IRQ2 (1 << IRQ_CASCADE)
#define ICW3_SLAVE_CASCADE_IDENTITY 2
#define ICW4_8086_MODE 0x01

#define OCW2_NONSPECIFIC_EOI 0x20
#define OCW2_SET_PRIORITY 0xC0 /* | the IRQ that becomes the lowest priority */
#define OCW3_READ_ISR 0x0B

#define PIC_LINES 8
#define PIC_SPURIOUS_LINE 7
#define ALL_MASKED 0xFF

static bool on_slave(unsigned irq) { return irq >= PIC_LINES; }

static uint16_t data_port(unsigned irq) { return on_slave(irq) ? PIC2_DATA : PIC1_DATA; }

static void pic_init(void)
{
    outb(PIC1_CMD, ICW1_INIT | ICW1_ICW4_NEEDED);
    io_wait();
    outb(PIC2_CMD, ICW1_INIT | ICW1_ICW4_NEEDED);
    io_wait();
    outb(PIC1_DATA, IRQ_BASE_VECTOR); /* ICW2: vector of IRQ 0 */
    io_wait();
    outb(PIC2_DATA, IRQ_BASE_VECTOR + PIC_LINES);
    io_wait();
    outb(PIC1_DATA, ICW3_MASTER_HAS_SLAVE_ON_IRQ2);
    io_wait();
    outb(PIC2_DATA, ICW3_SLAVE_CASCADE_IDENTITY);
    io_wait();
    outb(PIC1_DATA, ICW4_8086_MODE);
    io_wait();
    outb(PIC2_DATA, ICW4_8086_MODE);
    io_wait();

    outb(PIC1_DATA, (uint8_t)~(1 << IRQ_CASCADE)); /* the slave's line stays open */
    outb(PIC2_DATA, ALL_MASKED);
    pic_set_lowest_priority(PIC_SPURIOUS_LINE); /* the power-on order: IRQ0 highest */
}

void pic_disable(void)
{
    pic_init(); /* remapped, so stray vectors cannot look like exceptions */
    outb(PIC1_DATA, ALL_MASKED);
}

static void pic_mask(unsigned irq)
{
    uint16_t port = data_port(irq);
    outb(port, inb(port) | (uint8_t)(1 << (irq % PIC_LINES)));
}

static void pic_unmask(unsigned irq)
{
    uint16_t port = data_port(irq);
    outb(port, inb(port) & (uint8_t)~(1 << (irq % PIC_LINES)));
}

uint8_t pic_in_service(bool slave)
{
    uint16_t cmd = slave ? PIC2_CMD : PIC1_CMD;
    outb(cmd, OCW3_READ_ISR);
    return inb(cmd);
}

static bool is_pic_vector(unsigned vector)
{
    return vector >= IRQ_BASE_VECTOR && vector < IRQ_BASE_VECTOR + ISA_IRQ_COUNT;
}

static void pic_eoi(unsigned vector)
{
    if (!is_pic_vector(vector))
        return;
    if (on_slave(vector - IRQ_BASE_VECTOR))
        outb(PIC2_CMD, OCW2_NONSPECIFIC_EOI);
    outb(PIC1_CMD, OCW2_NONSPECIFIC_EOI);
}

/*
 * When a request goes away before the CPU acknowledges it, the 8259 answers
 * with its lowest-priority line (7) but leaves the in-service bit clear.
 * Such an interrupt must not be acknowledged; a spurious IRQ 15 did pass
 * through the master's cascade line, so the master still gets its EOI.
 */
static bool pic_is_spurious(unsigned vector)
{
    if (vector == IRQ_VECTOR(IRQ_LPT1))
        return !(pic_in_service(false) & (1 << PIC_SPURIOUS_LINE));
    if (vector == IRQ_VECTOR(IRQ_ATA_SECONDARY) && !(pic_in_service(true) & (1 << PIC_SPURIOUS_LINE))) {
        outb(PIC1_CMD, OCW2_NONSPECIFIC_EOI);
        return true;
    }
    return false;
}

void pic_set_lowest_priority(unsigned irq)
{
    outb(PIC1_CMD, OCW2_SET_PRIORITY | (irq % PIC_LINES));
}

const struct irq_chip pic_chip = {
    .name = "pic",
    .init = pic_init,
    .mask = pic_mask,
    .unmask = pic_unmask,
    .eoi = pic_eoi,
    .is_spurious = pic_is_spurious,
};
