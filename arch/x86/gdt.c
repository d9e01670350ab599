/*
 * The global descriptor table: flat code and data segments for ring 0 and
 * ring 3, the TSS that gives the CPU a kernel stack for interrupts from user
 * mode, and a second TSS that a double fault switches to (through a task gate
 * in the IDT) so that a kernel stack overflow still gets a working stack.
 * Descriptor format: Intel SDM Vol. 3A 3.4.5.
 */
#include "gdt.h"
#include "memlayout.h"
#include "string.h"
#include "trap.h"
#include "x86.h"

/* Access byte. */
#define SEG_PRESENT 0x80
#define SEG_DPL(n) ((n) << 5)
#define SEG_CODE_DATA 0x10 /* S bit: code/data rather than system */
#define SEG_CODE_READ 0x0A
#define SEG_DATA_WRITE 0x02
#define SEG_TSS_AVAILABLE 0x09

/* Flags nibble. */
#define SEG_GRANULARITY_4K 0x8
#define SEG_32BIT 0x4

#define FLAT_LIMIT 0xFFFFF
#define DOUBLE_FAULT_STACK_SIZE 4096

struct gdt_entry {
    uint16_t limit_low, base_low;
    uint8_t base_mid, access;
    uint8_t limit_high_flags, base_high;
} PACKED;
_Static_assert(sizeof(struct gdt_entry) == 8, "GDT descriptor is 8 bytes");

struct gdt_pointer {
    uint16_t limit;
    uint32_t base;
} PACKED;

static struct gdt_entry gdt[GDT_ENTRIES];
static struct tss tss;
static struct tss double_fault_tss;
static uint8_t double_fault_stack[DOUBLE_FAULT_STACK_SIZE] __attribute__((aligned(16)));

static void set_entry(enum gdt_index i, uint32_t base, uint32_t limit, uint8_t access, uint8_t flags)
{
    gdt[i] = (struct gdt_entry){
        .limit_low = limit & 0xFFFF,
        .base_low = base & 0xFFFF,
        .base_mid = (base >> 16) & 0xFF,
        .access = access,
        .limit_high_flags = (uint8_t)(((limit >> 16) & 0xF) | (flags << 4)),
        .base_high = (uint8_t)(base >> 24),
    };
}

static void set_flat(enum gdt_index i, int dpl, uint8_t type)
{
    set_entry(i, 0, FLAT_LIMIT, SEG_PRESENT | SEG_DPL(dpl) | SEG_CODE_DATA | type,
              SEG_GRANULARITY_4K | SEG_32BIT);
}

static void set_tss(enum gdt_index i, struct tss *t)
{
    set_entry(i, (uint32_t)t, sizeof(*t) - 1, SEG_PRESENT | SEG_TSS_AVAILABLE, 0);
}

/* The double-fault task starts at double_fault_entry with a fresh stack. */
static void init_double_fault_tss(void)
{
    double_fault_tss = (struct tss){
        .cr3 = read_cr3(),
        .eip = (uint32_t)double_fault_entry,
        .eflags = EFLAGS_RESERVED1,
        .esp = (uint32_t)(double_fault_stack + sizeof(double_fault_stack)),
        .cs = KERNEL_CS,
        .ss = KERNEL_DS,
        .ds = KERNEL_DS,
        .es = KERNEL_DS,
        .fs = KERNEL_DS,
        .gs = KERNEL_DS,
        .iomap_base = sizeof(struct tss),
    };
}

static void load_segments(void)
{
    struct gdt_pointer p = {sizeof(gdt) - 1, (uint32_t)gdt};

    __asm__ volatile("lgdt %0\n\t"
                     "ljmp %1, $1f\n"
                     "1:\n\t"
                     "mov %2, %%ax\n\t"
                     "mov %%ax, %%ds\n\t"
                     "mov %%ax, %%es\n\t"
                     "mov %%ax, %%fs\n\t"
                     "mov %%ax, %%gs\n\t"
                     "mov %%ax, %%ss\n\t"
                     "ltr %w3"
                     :
                     : "m"(p), "i"(KERNEL_CS), "i"(KERNEL_DS), "r"(TSS_SELECTOR)
                     : "eax", "memory");
}

void gdt_init(void)
{
    set_flat(GDT_KERNEL_CODE, RPL_KERNEL, SEG_CODE_READ);
    set_flat(GDT_KERNEL_DATA, RPL_KERNEL, SEG_DATA_WRITE);
    set_flat(GDT_USER_CODE, RPL_USER, SEG_CODE_READ);
    set_flat(GDT_USER_DATA, RPL_USER, SEG_DATA_WRITE);
    set_flat(GDT_NOT_PRESENT, RPL_KERNEL, SEG_DATA_WRITE);
    gdt[GDT_NOT_PRESENT].access &= (uint8_t)~SEG_PRESENT;

    /* No I/O permission bitmap: the base points past the TSS limit, so every
     * port access from ring 3 faults (Intel SDM Vol. 1 19.5.2). */
    tss = (struct tss){.ss0 = KERNEL_DS, .iomap_base = sizeof(struct tss)};
    set_tss(GDT_TSS, &tss);
    init_double_fault_tss();
    set_tss(GDT_DOUBLE_FAULT_TSS, &double_fault_tss);
    load_segments();
}

void tss_set_kernel_stack(uint32_t esp0) { tss.esp0 = esp0; }

#define SEG_DATA_EXPAND_DOWN 0x04
#define SEG_AVAILABLE 0x1 /* the AVL flag: user_desc's "useable" */

gdt_descriptor_t gdt_tls_descriptor(const struct user_desc *u)
{
    struct gdt_entry e = {0};
    uint8_t type = (u->read_exec_only ? 0 : SEG_DATA_WRITE) |
                   (u->contents & 1 ? SEG_DATA_EXPAND_DOWN : 0);
    gdt_descriptor_t d;

    if (!u->base_addr && !u->limit && u->read_exec_only && u->seg_not_present)
        return 0; /* Linux's "empty" descriptor: clears the slot */
    e.limit_low = u->limit & 0xFFFF;
    e.base_low = u->base_addr & 0xFFFF;
    e.base_mid = (u->base_addr >> 16) & 0xFF;
    e.access = (u->seg_not_present ? 0 : SEG_PRESENT) | SEG_DPL(RPL_USER) | SEG_CODE_DATA | type;
    e.limit_high_flags = (uint8_t)(((u->limit >> 16) & 0xF) |
                                   ((u->limit_in_pages ? SEG_GRANULARITY_4K : 0) |
                                    (u->seg_32bit ? SEG_32BIT : 0) |
                                    (u->useable ? SEG_AVAILABLE : 0)) << 4);
    e.base_high = (uint8_t)(u->base_addr >> 24);
    memcpy(&d, &e, sizeof(d));
    return d;
}

void gdt_load_tls(gdt_descriptor_t d) { memcpy(&gdt[GDT_TLS], &d, sizeof(d)); }
