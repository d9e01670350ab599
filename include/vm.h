/*
 * Address spaces (arch/x86/vm.c). Each process has a page directory whose
 * kernel half (PDEs 768-1023) is copied from the kernel's, so the kernel is
 * mapped, supervisor-only, in every address space; the user half holds
 * 4 KiB pages marked user-accessible.
 *
 *   0x08048000         a static Linux binary's text (the ELF decides)
 *   brk_start ...      the heap, grown with brk()
 *   USER_STACK_TOP     0xC0000000, the stack grows down from here
 */
#pragma once

#include "memlayout.h"
#include "paging.h"
#include "types.h"

#define USER_TOP KERNEL_BASE
#define USER_STACK_TOP USER_TOP
#define USER_STACK_SIZE (8u << 20)   /* the most it may grow to: 8 MiB, as Linux's default */
#define USER_STACK_INITIAL (8u * 1024) /* mapped at exec; the rest on demand */
#define USER_STACK_BOTTOM (USER_STACK_TOP - USER_STACK_SIZE)
#define USER_LOWEST_ADDRESS 0x1000u /* page 0 stays unmapped: NULL faults */

/* PTE flags of user pages. i386 without PAE has no no-execute bit. */
#define PTE_USER_DATA (PTE_USER | PTE_WRITABLE)
#define PTE_USER_TEXT PTE_USER
/* A PROT_NONE page stays present but supervisor-only: any user access is a
 * protection fault (SEGV_ACCERR), and the frame stays with its contents. */
#define PTE_USER_NONE 0
/* Bit 9 is free for software (Intel SDM Vol. 3A 4.3, Table 4-6): Relay marks
 * the pages of MAP_SHARED mappings with it, and fork shares their frames. */
#define PTE_SHARED BIT(9)

typedef uint32_t pde_t;
typedef uint32_t pte_t;

/* A new address space with only the kernel half; NULL when out of memory. */
pde_t *vm_create(void);
/* Frees every user page, page table and the directory itself. */
void vm_destroy(pde_t *pd);
/* A deep copy of the user half (fork). NULL when out of memory. */
pde_t *vm_clone(const pde_t *pd);
void vm_activate(const pde_t *pd);

/* Maps fresh zeroed frames over [start, end) (page-rounded) with PTE flags.
 * Returns 0 or -ENOMEM; already-mapped pages are left as they are. */
int vm_map_range(pde_t *pd, uintptr_t start, uintptr_t end, uint32_t flags);
/* Maps an existing frame at va's page, taking a reference to it (frame_get):
 * 0, or -ENOMEM. The page must not be mapped. */
int vm_map_frame(pde_t *pd, uintptr_t va, void *frame, uint32_t flags);
/* Unmaps and frees the pages of [start, end) (page-rounded). */
void vm_unmap_range(pde_t *pd, uintptr_t start, uintptr_t end);

/* True when [va, va+len) is user memory mapped in pd (writable if asked). */
bool vm_user_range_ok(const pde_t *pd, uintptr_t va, size_t len, bool write);
/* Copy to or from user memory of pd through the kernel's direct map: never
 * faults. 0 on success, -EFAULT when any byte is not valid user memory. */
int vm_copy_out(pde_t *pd, uintptr_t dst, const void *src, size_t len);
int vm_copy_in(const pde_t *pd, void *dst, uintptr_t src, size_t len);
/* Sets the user access bits (PTE_USER_DATA, _TEXT or _NONE) of the pages of
 * [start, end) that are mapped; the others stay unmapped. */
void vm_set_access(pde_t *pd, uintptr_t start, uintptr_t end, uint32_t access);
/* True when no page of [start, end) is mapped in pd, whatever its access. */
bool vm_range_empty(const pde_t *pd, uintptr_t start, uintptr_t end);
/* Moves the pages of [from, from+len) to [to, to+len) with their frames and
 * flags (mremap); the target is empty. 0, or -ENOMEM with nothing moved. */
int vm_move_range(pde_t *pd, uintptr_t from, uintptr_t to, size_t len);
/* Zeroes the mapped pages of [start, end) (MADV_DONTNEED). */
void vm_zero_range(pde_t *pd, uintptr_t start, uintptr_t end);
/* Maps one fresh zeroed page at va's page with PTE flags; false when out of
 * memory. A page already mapped is left alone (and is true). */
bool vm_map_page(pde_t *pd, uintptr_t va, uint32_t flags);
/* The kernel's address (direct map) of the aligned user word at va, its page
 * faulted in as a user access would; NULL when that access would fault. One
 * physical word has one such address, whichever process maps it (futexes). */
uint32_t *vm_user_word(pde_t *pd, uintptr_t va, bool write);
/* Copies kernel bytes into pd's pages at va, whatever their protection (the
 * loader fills read-only text this way). 0, or -EFAULT if a page is missing. */
int vm_fill(pde_t *pd, uintptr_t va, const void *src, size_t len);
/* Copies a NUL-terminated user string of at most max bytes including the
 * NUL. Returns its length, -EFAULT, or -ENAMETOOLONG. */
int vm_copy_string_in(const pde_t *pd, char *dst, uintptr_t src, size_t max);
