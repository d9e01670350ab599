/*
 * The interrupt descriptor table: 256 gates, filled by one loop from the
 * generated stub table. Gate format: Intel SDM Vol. 3A 6.11, Figure 6-2.
 */
#include "gdt.h"
#include "trap.h"

#define GATE_PRESENT 0x80
#define GATE_DPL(n) ((n) << 5)
#define GATE_TASK 0x05
#define GATE_INTERRUPT_32 0x0E /* clears IF on entry */

struct idt_gate {
    uint16_t offset_low, selector;
    uint8_t zero, type_attr;
    uint16_t offset_high;
} PACKED;
_Static_assert(sizeof(struct idt_gate) == 8, "IDT gate is 8 bytes");

struct idt_pointer {
    uint16_t limit;
    uint32_t base;
} PACKED;

static struct idt_gate idt[NUM_VECTORS];

static void set_gate(unsigned vector, uint32_t offset, uint16_t selector, uint8_t type_attr)
{
    idt[vector] = (struct idt_gate){
        .offset_low = offset & 0xFFFF,
        .selector = selector,
        .type_attr = type_attr,
        .offset_high = offset >> 16,
    };
}

/* Vectors user code may raise with an int instruction: int3, into and the
 * system call. Any other int n from ring 3 is a general-protection fault. */
static bool user_may_raise(unsigned vector)
{
    return vector == EXC_BREAKPOINT || vector == EXC_OVERFLOW || vector == SYSCALL_VECTOR;
}

void idt_init(void)
{
    struct idt_pointer p = {sizeof(idt) - 1, (uint32_t)idt};

    for (unsigned v = 0; v < NUM_VECTORS; v++) {
        int dpl = user_may_raise(v) ? RPL_USER : RPL_KERNEL;
        set_gate(v, vector_stubs[v], KERNEL_CS, GATE_PRESENT | GATE_DPL(dpl) | GATE_INTERRUPT_32);
    }
    /* A double fault switches tasks, and so stacks (see gdt.c). */
    set_gate(EXC_DOUBLE_FAULT, 0, DOUBLE_FAULT_TSS_SELECTOR, GATE_PRESENT | GATE_TASK);
    __asm__ volatile("lidt %0" : : "m"(p));
}
