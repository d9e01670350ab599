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

/* A process's thread-local storage entries: three, at Linux i386's place
 * (GDT_ENTRY_TLS_MIN 6, GDT_ENTRY_TLS_ENTRIES 3 in asm/segment.h), so a
 * program that hard-codes its %gs finds it where Linux puts it. */
#define TLS_ENTRIES 3

enum gdt_index {
    GDT_NULL,
    GDT_KERNEL_CODE,
    GDT_KERNEL_DATA,
    GDT_USER_CODE,
    GDT_USER_DATA,
    GDT_TSS,
    GDT_TLS_MIN, /* the running process's TLS entries (set_thread_area) */
    GDT_TLS_MAX = GDT_TLS_MIN + TLS_ENTRIES - 1,
    GDT_DOUBLE_FAULT_TSS,
    GDT_NOT_PRESENT, /* a data segment marked not present: exception tests load it */
    GDT_ENTRIES
};
_Static_assert(GDT_TLS_MIN == 6 && GDT_TLS_MAX == 8, "Linux i386 TLS entries are 6, 7, 8");

#define SELECTOR(index, rpl) (((index) << 3) | (rpl))
#define SELECTOR_INDEX(sel) ((sel) >> 3)
#define SELECTOR_RPL(sel) ((sel) & 3)
#define KERNEL_CS SELECTOR(GDT_KERNEL_CODE, RPL_KERNEL)
#define KERNEL_DS SELECTOR(GDT_KERNEL_DATA, RPL_KERNEL)
#define USER_CS SELECTOR(GDT_USER_CODE, RPL_USER)
#define USER_DS SELECTOR(GDT_USER_DATA, RPL_USER)
#define TSS_SELECTOR SELECTOR(GDT_TSS, RPL_KERNEL)
#define DOUBLE_FAULT_TSS_SELECTOR SELECTOR(GDT_DOUBLE_FAULT_TSS, RPL_KERNEL)
#define NOT_PRESENT_SELECTOR SELECTOR(GDT_NOT_PRESENT, RPL_KERNEL)
#define TLS_SELECTOR(entry) SELECTOR(entry, RPL_USER)

/* Linux's struct user_desc (asm/ldt.h), the argument of set_thread_area. */
struct user_desc {
    uint32_t entry_number, base_addr, limit;
    uint32_t seg_32bit : 1, contents : 2, read_exec_only : 1, limit_in_pages : 1,
        seg_not_present : 1, useable : 1;
};
_Static_assert(sizeof(struct user_desc) == 16, "struct user_desc");

/* A GDT descriptor as 64 bits, for a process to carry across switches. */
typedef uint64_t gdt_descriptor_t;

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
/* May set_thread_area install u? Linux's tls_desc_okay (arch/x86/kernel/tls.c):
 * an empty descriptor, or a present 32-bit data segment. */
bool gdt_tls_desc_allowed(const struct user_desc *u);
/* The descriptor an allowed user_desc asks for; 0 for an empty one. */
gdt_descriptor_t gdt_tls_descriptor(const struct user_desc *u);
/* The user_desc get_thread_area reports for descriptor d in entry. */
struct user_desc gdt_tls_user_desc(gdt_descriptor_t d, unsigned entry);
/* Installs the running process's TLS descriptors in GDT_TLS_MIN..MAX. */
void gdt_load_tls(const gdt_descriptor_t tls[TLS_ENTRIES]);
/* May ring 3 run with sel in ds, es, fs or gs (null, or a present DPL-3 data
 * segment of the GDT as it is now)? */
bool gdt_user_data_selector_ok(uint32_t sel);
/* May ring 3 run with sel in ss (a present, writable, 32-bit DPL-3 data
 * segment)? A 16-bit one would let iret restore only SP. */
bool gdt_user_stack_selector_ok(uint32_t sel);
