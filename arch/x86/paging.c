/*
 * The kernel's half of every address space: boot.asm's 4 MiB pages that map
 * physical 0-992 MiB at KERNEL_BASE, plus one uncached 4 MiB page for the
 * local APIC and IO APIC registers. User mappings come with processes.
 */
#include "memlayout.h"
#include "paging.h"
#include "x86.h"

extern uint32_t boot_page_directory[]; /* linked at its physical address */

uint32_t *kernel_page_directory(void) { return P2V(boot_page_directory); }

void paging_init(void)
{
    uint32_t *pd = kernel_page_directory();

    for (unsigned i = 0; i < PDE_INDEX(KERNEL_BASE); i++)
        pd[i] = 0;
    pd[PDE_INDEX(MMIO_VIRT_BASE)] = MMIO_PHYS_BASE | PTE_PRESENT | PTE_WRITABLE | PDE_4MB |
                                    PTE_CACHE_DISABLE | PTE_WRITE_THROUGH;
    write_cr3(V2P(pd));
}
