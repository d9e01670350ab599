/*
 * Segment selectors and the task-state segment (arch/x86/gdt.c).
 *
 * Relay uses flat segments (base 0, limit 4 GiB) as Linux does: paging, not
 * segmentation, protects memory. A selector is index * 8 | table bit | RPL
 * (Intel SDM Vol. 3A 3.4.2).
 */
#pragma once

#include "types.h"

#define RPL_KERNEL 0
#define RPL_USER 3

enum gdt_index {
    GDT_NULL,
    GDT_KERNEL_CODE,
    GDT_KERNEL_DATA,
    GDT_USER_CODE,
    GDT_USER_DATA,
    GDT_TSS,
    GDT_DOUBLE_FAULT_TSS,
    GDT_NOT_PRESENT, /* a data segment marked not present: exception tests load it */
    GDT_ENTRIES
};

#define SELECTOR(index, rpl) (((index) << 3) | (rpl))
#define KERNEL_CS SELECTOR(GDT_KERNEL_CODE, RPL_KERNEL)
#define KERNEL_DS SELECTOR(GDT_KERNEL_DATA, RPL_KERNEL)
#define USER_CS SELECTOR(GDT_USER_CODE, RPL_USER)
#define USER_DS SELECTOR(GDT_USER_DATA, RPL_USER)
#define TSS_SELECTOR SELECTOR(GDT_TSS, RPL_KERNEL)
#define DOUBLE_FAULT_TSS_SELECTOR SELECTOR(GDT_DOUBLE_FAULT_TSS, RPL_KERNEL)
#define NOT_PRESENT_SELECTOR SELECTOR(GDT_NOT_PRESENT, RPL_KERNEL)

/* 32-bit task-state segment (Intel SDM Vol. 3A 7.2.1, Figure 7-2). */
struct tss {
    uint32_t link;
    uint32_t esp0, ss0, esp1, ss1, esp2, ss2;
    uint32_t cr3, eip, eflags;
    uint32_t eax, ecx, edx, ebx, esp, ebp, esi, edi;
    uint32_t es, cs, ss, ds, fs, gs;
    uint32_t ldt;
    uint16_t trap, iomap_base;
} PACKED;
_Static_assert(sizeof(struct tss) == 104, "TSS layout (Intel SDM Vol. 3A Figure 7-2)");

/* Loads the GDT, reloads every segment register and the task register. */
void gdt_init(void);
/* Sets the kernel stack the CPU switches to on an interrupt from ring 3. */
void tss_set_kernel_stack(uint32_t esp0);
