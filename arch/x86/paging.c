/*
 * The kernel's half of every address space: boot.asm's 4 MiB pages that map
 * physical 0-992 MiB at KERNEL_BASE, one page table of 4 KiB pages for the
 * processes' kernel stacks and their guard pages, and one uncached 4 MiB
 * page for the local APIC and IO APIC registers. User mappings come with
 * processes.
 */
#include "memlayout.h"
#include "paging.h"
#include "pmm.h"
#include "x86.h"

#define ENTRIES_PER_TABLE 1024

extern uint32_t boot_page_directory[]; /* linked at its physical address */
static uint32_t kstack_table[ENTRIES_PER_TABLE] __attribute__((aligned(PAGE_SIZE)));

uint32_t *kernel_page_directory(void) { return P2V(boot_page_directory); }

void paging_init(void)
{
    uint32_t *pd = kernel_page_directory();

    for (unsigned i = 0; i < PDE_INDEX(KERNEL_BASE); i++)
        pd[i] = 0;
    pd[PDE_INDEX(MMIO_VIRT_BASE)] = MMIO_PHYS_BASE | PTE_PRESENT | PTE_WRITABLE | PDE_4MB |
                                    PTE_CACHE_DISABLE | PTE_WRITE_THROUGH;
    pd[PDE_INDEX(KSTACK_REGION_BASE)] = V2P(kstack_table) | PTE_PRESENT | PTE_WRITABLE;
    write_cr3(V2P(pd));
}

void *paging_map_kernel_stack(unsigned slot, size_t size)
{
    unsigned pages = size / PAGE_SIZE, first = slot * (pages + 1) + 1; /* +1: the guard */

    if (first + pages > ENTRIES_PER_TABLE)
        return NULL;
    for (unsigned i = 0; i < pages; i++) {
        void *frame = frame_alloc();
        if (!frame)
            return NULL;
        kstack_table[first + i] = V2P(frame) | PTE_PRESENT | PTE_WRITABLE;
    }
    return (void *)(KSTACK_REGION_BASE + first * PAGE_SIZE);
}
