/* The kernel's page directory (arch/x86/paging.c). */
#pragma once

#include "types.h"

/* Page-directory and page-table entry bits (Intel SDM Vol. 3A 4.3, Table 4-5/4-6). */
#define PTE_PRESENT BIT(0)
#define PTE_WRITABLE BIT(1)
#define PTE_USER BIT(2)
#define PTE_WRITE_THROUGH BIT(3)
#define PTE_CACHE_DISABLE BIT(4)
#define PDE_4MB BIT(7)

#define PDE_SHIFT 22
#define PDE_INDEX(va) ((uintptr_t)(va) >> PDE_SHIFT)

/* Drops boot.asm's identity map and maps the APIC window: from here on
 * only the kernel half of the address space is mapped. */
void paging_init(void);
/* Maps a kernel stack of size bytes for slot (0, 1, ...) in the kernel-stack
 * region, with an unmapped guard page below it; returns its lowest address,
 * or NULL when out of memory. Every address space sees it: the region has
 * one page table, shared by every page directory. */
void *paging_map_kernel_stack(unsigned slot, size_t size);
/* The kernel page directory, as a kernel virtual pointer. */
uint32_t *kernel_page_directory(void);
