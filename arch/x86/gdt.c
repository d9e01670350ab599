/*
 * The global descriptor table: flat code and data segments for ring 0 and
 * ring 3, the TSS that gives the CPU a kernel stack for interrupts from user
 * mode, the running process's three TLS entries (set_thread_area, checked
 * here), and a second TSS that a double fault switches to (through a task
 * gate in the IDT) so that a kernel stack overflow still gets a working stack.
 * Descriptor format: Intel SDM Vol. 3A 3.4.5.
 */
#include "gdt.h"
#include "memlayout.h"
#include "string.h"
#include "trap.h"
#include "x86.h"

/* Access byte: P, DPL, S, then the 4-bit type (Intel SDM Vol. 3A 3.4.5.1,
 * Table 3-1). */
#define SEG_PRESENT 0x80
#define SEG_DPL(n) ((n) << 5)
#define SEG_DPL_MASK SEG_DPL(3)
#define SEG_CODE_DATA 0x10 /* S bit: code/data rather than system */
#define SEG_TYPE_CODE 0x08 /* type bit 3: code, else data */
#define SEG_DATA_EXPAND_DOWN 0x04
#define SEG_CODE_READ 0x0A
#define SEG_DATA_WRITE 0x02
#define SEG_ACCESSED 0x01
#define SEG_TSS_AVAILABLE 0x09
/* user_desc's 2-bit "contents" is type bits 3:2 (Linux fill_ldt): 0 data,
 * 1 expand-down data, 2 and 3 code. */
#define SEG_CONTENTS_SHIFT 2
#define SEG_CONTENTS_MASK 3
#define CONTENTS_LAST_DATA 1

/* Flags nibble. */
#define SEG_GRANULARITY_4K 0x8
#define SEG_32BIT 0x4 /* D/B: 32-bit operands, and ESP rather than SP for a stack */
#define SEG_AVAILABLE 0x1 /* the AVL flag: user_desc's "useable" */

#define LIMIT_HIGH_MASK 0xF
#define SELECTOR_TABLE_LDT 0x4 /* TI: the selector names an LDT entry (SDM 3.4.2) */

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

_Static_assert(sizeof(struct gdt_entry) == sizeof(gdt_descriptor_t), "a descriptor is 64 bits");

static struct gdt_entry make_entry(uint32_t base, uint32_t limit, uint8_t access, uint8_t flags)
{
    return (struct gdt_entry){
        .limit_low = limit & 0xFFFF,
        .base_low = base & 0xFFFF,
        .base_mid = (base >> 16) & 0xFF,
        .access = access,
        .limit_high_flags = (uint8_t)(((limit >> 16) & LIMIT_HIGH_MASK) | (flags << 4)),
        .base_high = (uint8_t)(base >> 24),
    };
}

static uint8_t entry_flags(const struct gdt_entry *e) { return e->limit_high_flags >> 4; }

static void set_entry(enum gdt_index i, uint32_t base, uint32_t limit, uint8_t access,
                      uint8_t flags)
{
    gdt[i] = make_entry(base, limit, access, flags);
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

/* Linux's two spellings of "no segment" (asm/desc.h LDT_empty, LDT_zero):
 * read-only and not present with all else zero, or all zero. */
static bool user_desc_clears(const struct user_desc *u)
{
    bool rest_zero = !u->base_addr && !u->limit && !u->contents && !u->seg_32bit &&
                     !u->limit_in_pages && !u->useable;
    bool marked_empty = u->read_exec_only && u->seg_not_present;
    bool all_zero = !u->read_exec_only && !u->seg_not_present;

    return rest_zero && (marked_empty || all_zero);
}

/* Not 16-bit: iret to a 16-bit stack segment loads only SP and leaves the
 * upper half of ESP from the kernel stack (Intel SDM Vol. 3A 6.12.1, Linux's
 * espfix; CVE-2014-8133). Not code. Not "not present": a DPL-3 selector that
 * faults on load is only attack surface. */
bool gdt_tls_desc_allowed(const struct user_desc *u)
{
    if (user_desc_clears(u))
        return true;
    return u->seg_32bit && u->contents <= CONTENTS_LAST_DATA && !u->seg_not_present;
}

gdt_descriptor_t gdt_tls_descriptor(const struct user_desc *u)
{
    /* Accessed from the start, as Linux does: the CPU need not write it. */
    uint8_t type = SEG_ACCESSED | (u->read_exec_only ? 0 : SEG_DATA_WRITE) |
                   (uint8_t)(u->contents << SEG_CONTENTS_SHIFT);
    uint8_t access = (u->seg_not_present ? 0 : SEG_PRESENT) | SEG_DPL(RPL_USER) |
                     SEG_CODE_DATA | type;
    uint8_t flags = (u->limit_in_pages ? SEG_GRANULARITY_4K : 0) | (u->seg_32bit ? SEG_32BIT : 0) |
                    (u->useable ? SEG_AVAILABLE : 0);
    struct gdt_entry e = make_entry(u->base_addr, u->limit, access, flags);
    gdt_descriptor_t d;

    if (user_desc_clears(u))
        return 0;
    memcpy(&d, &e, sizeof(d));
    return d;
}

struct user_desc gdt_tls_user_desc(gdt_descriptor_t d, unsigned entry)
{
    struct gdt_entry e;
    uint8_t flags;

    memcpy(&e, &d, sizeof(e));
    flags = entry_flags(&e);
    return (struct user_desc){
        .entry_number = entry,
        .base_addr = e.base_low | (uint32_t)e.base_mid << 16 | (uint32_t)e.base_high << 24,
        .limit = e.limit_low | (uint32_t)(e.limit_high_flags & LIMIT_HIGH_MASK) << 16,
        .seg_32bit = !!(flags & SEG_32BIT),
        .contents = (e.access >> SEG_CONTENTS_SHIFT) & SEG_CONTENTS_MASK,
        .read_exec_only = !(e.access & SEG_DATA_WRITE),
        .limit_in_pages = !!(flags & SEG_GRANULARITY_4K),
        .seg_not_present = !(e.access & SEG_PRESENT),
        .useable = flags & SEG_AVAILABLE,
    };
}

void gdt_load_tls(const gdt_descriptor_t tls[TLS_ENTRIES])
{
    memcpy(&gdt[GDT_TLS_MIN], tls, TLS_ENTRIES * sizeof(gdt_descriptor_t));
}

/* The GDT entry a ring-3 selector names; NULL for a null selector, another
 * RPL, an LDT selector (Relay has no LDT) or one past the table. */
static const struct gdt_entry *user_entry(uint32_t sel)
{
    if (SELECTOR_RPL(sel) != RPL_USER || (sel & SELECTOR_TABLE_LDT) ||
        SELECTOR_INDEX(sel) == GDT_NULL || SELECTOR_INDEX(sel) >= GDT_ENTRIES)
        return NULL;
    return &gdt[SELECTOR_INDEX(sel)];
}

/* Present, DPL 3, a data segment (Intel SDM Vol. 3A 5.5, 5.6). */
static bool user_data_segment(const struct gdt_entry *e)
{
    uint8_t looked_at = SEG_PRESENT | SEG_DPL_MASK | SEG_CODE_DATA | SEG_TYPE_CODE;
    uint8_t wanted = SEG_PRESENT | SEG_DPL(RPL_USER) | SEG_CODE_DATA;
    return e && (e->access & looked_at) == wanted;
}

bool gdt_user_data_selector_ok(uint32_t sel)
{
    bool null_selector = SELECTOR_INDEX(sel) == GDT_NULL && !(sel & SELECTOR_TABLE_LDT);
    return null_selector || user_data_segment(user_entry(sel));
}

/* A stack segment must also be writable (SDM 6.12.1: else #GP on load) and
 * 32-bit, so that iret restores all of ESP. */
bool gdt_user_stack_selector_ok(uint32_t sel)
{
    const struct gdt_entry *e = user_entry(sel);
    return user_data_segment(e) && (e->access & SEG_DATA_WRITE) && (entry_flags(e) & SEG_32BIT);
}
