/*
 * A process's memory regions (kernel/mm/): what mmap2, munmap, mprotect,
 * mremap, madvise and brk give a process besides its image, and the stack.
 *
 *   ... brk heap, growing up ...  |  mappings, placed top-down from MMAP_TOP
 *   MMAP_TOP = USER_STACK_BOTTOM - MMAP_STACK_GAP
 *   the stack region, growing down towards USER_STACK_BOTTOM
 *
 * Each process keeps a small sorted array of regions, as Linux keeps its
 * VMAs (mm/mmap.c): where a mapping starts and ends, its protection, and
 * what backs it. The pages themselves are mapped when the region is made
 * (a file's bytes copied in), except for the stack, which grows a page at a
 * time on faults (kernel/mm/fault.c). The image (ELF segments) and the brk
 * heap are not regions: their pages are in the page table only.
 */
#pragma once

#include "types.h"
#include "vm.h"

#define MMAP_STACK_GAP (1u << 20) /* 1 MiB between the mappings and the stack's lowest page */
#define MMAP_TOP       (USER_STACK_BOTTOM - MMAP_STACK_GAP)

/* Regions per process: making one more is ENOMEM, as beyond Linux's
 * vm.max_map_count. */
#define MM_REGIONS_MAX 64

/* mmap's prot bits (include/uapi/asm-generic/mman-common.h). */
#define PROT_NONE  0x0
#define PROT_READ  0x1
#define PROT_WRITE 0x2
#define PROT_EXEC  0x4

/* What a region is, besides its protection. */
#define MR_SHARED    BIT(0) /* MAP_SHARED: fork shares its frames */
#define MR_FILE      BIT(1) /* its bytes came from a file */
#define MR_GROWSDOWN BIT(2) /* MAP_GROWSDOWN (kept; only the main stack grows) */
#define MR_STACK     BIT(3) /* the main stack, which grows on faults below it */
#define MR_NOWRITE   BIT(4) /* shared, of a file open read-only: PROT_WRITE is EACCES */

struct mm_region {
    uintptr_t start, end; /* page aligned: [start, end) */
    uint32_t prot;        /* PROT_ bits as last given */
    uint32_t flags;       /* MR_ bits */
    uint32_t ino;         /* a file mapping's inode number, as /proc would show it */
    uint32_t pgoff;       /* ... and where in the file start is, in pages */
    uintptr_t file_end;   /* ... the first page past the file's last byte, or past a
                             shared anonymous object: SIGBUS there */
};

struct mm {
    struct mm_region region[MM_REGIONS_MAX]; /* sorted by start, never overlapping */
    int count;
};

struct proc;

/* ---- regions (kernel/mm/region.c) */

/* The region holding va, or NULL. */
struct mm_region *mm_find(struct mm *mm, uintptr_t va);
/* True when some region overlaps [start, end). */
bool mm_overlaps(const struct mm *mm, uintptr_t start, uintptr_t end);
/* True when anything is mapped in [start, end): a region or a page (the
 * image and the heap have pages but no region). */
bool mm_occupied(const struct proc *p, uintptr_t start, uintptr_t end);
/* Adds a region where none is: 0, or -ENOMEM when the table is full. */
int mm_insert(struct mm *mm, const struct mm_region *r);
/* Makes start and end region boundaries, splitting the regions they fall
 * in: 0, or -ENOMEM when the table is full (then nothing changed). */
int mm_split_range(struct mm *mm, uintptr_t start, uintptr_t end);
/* Forgets the regions inside [start, end) (call mm_split_range first). */
void mm_forget(struct mm *mm, uintptr_t start, uintptr_t end);
/* Joins neighbours that have become alike (after mprotect, munmap...). */
void mm_merge(struct mm *mm);
/* The PTE flags that a region's pages get. */
uint32_t mm_pte_flags(const struct mm_region *r);
/* The address space's size and its private writable part (heap included),
 * as RLIMIT_AS and RLIMIT_DATA count them. */
uint64_t mm_total_size(const struct proc *p);
uint64_t mm_data_size(const struct proc *p);
/* 0, or -ENOMEM when growing by `more` bytes (data_more of them private
 * and writable) would pass RLIMIT_AS or RLIMIT_DATA. */
int mm_may_grow(const struct proc *p, uint64_t more, uint64_t data_more);
/* exec: the new image has only its stack, [stack_low, USER_STACK_TOP). */
void mm_exec_reset(struct proc *p, uintptr_t stack_low);

/* ---- faults (kernel/mm/fault.c) */

/* What a fault on a page that is not present comes to. */
enum mm_fault { MM_FAULT_MAPPED, MM_FAULT_SEGV, MM_FAULT_BUS };
/* A user access to va found no page: maps one (stack growth, a hole of a
 * region), or says which signal the access deserves. */
enum mm_fault mm_page_fault(struct proc *p, uintptr_t va);
/* The kernel is about to touch user byte va of pd, not mapped: maps its page
 * as a user fault would. False when a user access would have faulted. */
bool mm_fault_in(pde_t *pd, uintptr_t va);
