/*
 * Anonymous memory mappings (kernel/mm/mmap.c): what mmap2, munmap and
 * mremap give a process besides its image, heap and stack.
 *
 *   ... brk heap, growing up ...  |  mappings, placed top-down from MMAP_TOP
 *   MMAP_TOP = USER_STACK_BOTTOM - MMAP_STACK_GAP
 *
 * A mapping is only its pages in the page table: no list of areas is
 * kept, so a free range is one whose pages are all unmapped. brk refuses
 * to grow into a mapping, as Linux's does.
 */
#pragma once

#include "types.h"
#include "vm.h"

#define MMAP_STACK_GAP (1u << 20) /* 1 MiB between the mappings and the stack's lowest page */
#define MMAP_TOP       (USER_STACK_BOTTOM - MMAP_STACK_GAP)

/* True when no page of [start, end) is mapped in pd. */
bool mm_range_free(const pde_t *pd, uintptr_t start, uintptr_t end);
