/*
 * Free frames form a singly linked list threaded through the frames
 * themselves, as in xv6's kalloc.c: allocation and freeing are O(1) and
 * need no bookkeeping memory.
 */
#include "bootinfo.h"
#include "memlayout.h"
#include "panic.h"
#include "pmm.h"
#include "printk.h"
#include "string.h"
#include "x86.h"

#define LOW_MEMORY_END 0x100000u /* BIOS data, EBDA, VGA and ROMs live below 1 MiB */

extern char _kernel_end[]; /* linker.ld, a virtual address */

struct free_frame {
    struct free_frame *next;
};

static struct free_frame *free_list;
static uint32_t free_count, total_count;

static bool overlaps(uint64_t a_start, uint64_t a_end, uint64_t b_start, uint64_t b_end)
{
    return a_start < b_end && b_start < a_end;
}

/* A frame we must never hand out: low memory, the kernel, a module. */
static bool frame_is_reserved(uint64_t pa)
{
    if (pa < LOW_MEMORY_END || overlaps(pa, pa + PAGE_SIZE, LOW_MEMORY_END, V2P(_kernel_end)))
        return true;
    for (int i = 0; i < boot_info.module_count; i++)
        if (overlaps(pa, pa + PAGE_SIZE, boot_info.modules[i].start, boot_info.modules[i].end))
            return true;
    return false;
}

static void add_range(uint64_t base, uint64_t length)
{
    uint64_t start = ALIGN_UP(base, (uint64_t)PAGE_SIZE);
    uint64_t end = ALIGN_DOWN(base + length, (uint64_t)PAGE_SIZE);

    if (end > DIRECT_MAP_SIZE)
        end = DIRECT_MAP_SIZE;
    for (uint64_t pa = start; pa < end; pa += PAGE_SIZE) {
        if (frame_is_reserved(pa))
            continue;
        frame_free(P2V((uintptr_t)pa));
        total_count++;
    }
}

void pmm_init(void)
{
    for (int i = 0; i < boot_info.memory_count; i++)
        if (boot_info.memory[i].type == MEMORY_AVAILABLE)
            add_range(boot_info.memory[i].base, boot_info.memory[i].length);
    pr_info("pmm: %u frames (%u KiB) free\n", free_count, free_count * (PAGE_SIZE / 1024));
}

void *frame_alloc(void)
{
    uint32_t flags = irq_save();
    struct free_frame *f = free_list;

    if (f) {
        free_list = f->next;
        free_count--;
    }
    irq_restore(flags);
    if (f)
        memset(f, 0, PAGE_SIZE);
    return f;
}

void frame_free(void *va)
{
    struct free_frame *f = va;
    uint32_t flags;

    if ((uintptr_t)va % PAGE_SIZE || (uintptr_t)va < KERNEL_BASE)
        panic("frame_free: bad frame %p", va);
    flags = irq_save();
    f->next = free_list;
    free_list = f;
    free_count++;
    irq_restore(flags);
}

uint32_t pmm_free_count(void) { return free_count; }
uint32_t pmm_total_count(void) { return total_count; }
