/*
 * Free frames form a singly linked list threaded through the frames
 * themselves, as in xv6's kalloc.c: allocation and freeing are O(1) and
 * need no bookkeeping memory. A frame in use has a reference count, so that
 * several address spaces can map it (MAP_SHARED after fork): frame_free
 * drops one reference and the frame goes back to the list with its last.
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

#define FRAME_COUNT (DIRECT_MAP_SIZE / PAGE_SIZE)
#define FRAME_REFS_MAX 0xFFFFu /* what a uint16_t count holds */

static struct free_frame *free_list;
static uint32_t free_count, total_count;
static uint16_t frame_refs[FRAME_COUNT]; /* by physical frame number; 0: free */

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

static void free_list_push(void *va)
{
    struct free_frame *f = va;

    f->next = free_list;
    free_list = f;
    free_count++;
}

static uint16_t *refs_of(void *va) { return &frame_refs[V2P(va) / PAGE_SIZE]; }

static void add_range(uint64_t base, uint64_t length)
{
    uint64_t start = ALIGN_UP(base, (uint64_t)PAGE_SIZE);
    uint64_t end = ALIGN_DOWN(base + length, (uint64_t)PAGE_SIZE);

    if (end > DIRECT_MAP_SIZE)
        end = DIRECT_MAP_SIZE;
    for (uint64_t pa = start; pa < end; pa += PAGE_SIZE) {
        if (frame_is_reserved(pa))
            continue;
        free_list_push(P2V((uintptr_t)pa));
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
        *refs_of(f) = 1;
    }
    irq_restore(flags);
    if (f)
        memset(f, 0, PAGE_SIZE);
    return f;
}

static void check_frame(const char *who, void *va)
{
    if ((uintptr_t)va % PAGE_SIZE || (uintptr_t)va < KERNEL_BASE || !*refs_of(va))
        panic("%s: bad frame %p", who, va);
}

void frame_free(void *va)
{
    uint32_t flags;

    check_frame("frame_free", va);
    flags = irq_save();
    if (!--*refs_of(va))
        free_list_push(va);
    irq_restore(flags);
}

bool frame_get(void *va)
{
    uint32_t flags;
    bool ok;

    check_frame("frame_get", va);
    flags = irq_save();
    ok = *refs_of(va) < FRAME_REFS_MAX;
    if (ok)
        ++*refs_of(va);
    irq_restore(flags);
    return ok;
}

uint32_t pmm_free_count(void) { return free_count; }
uint32_t pmm_total_count(void) { return total_count; }
