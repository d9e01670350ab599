/*
 * brk: the heap, from the end of the image up (Linux's mm/mmap.c brk).
 * Its pages are mapped as it grows; it is not a region (include/mm.h), but
 * it counts in RLIMIT_AS and RLIMIT_DATA.
 */
#include "mm.h"
#include "proc.h"
#include "syscall.h"

#define BRK_LIMIT MMAP_TOP /* the mappings may take the rest, from the top down */

/* As Linux's, the heap must leave a page free below the next mapping. */
static bool may_grow(struct proc *p, uintptr_t old_top, uintptr_t new_top)
{
    return !mm_occupied(p, old_top, new_top + PAGE_SIZE) &&
           !mm_may_grow(p, new_top - old_top, new_top - old_top);
}

/* Linux's brk returns the new break, or the old one when it cannot move. */
SYSCALL_DEFINE1(brk, uintptr_t, new_brk)
{
    struct proc *p = current_proc();
    uintptr_t old_top = ALIGN_UP(p->brk, PAGE_SIZE);
    uintptr_t new_top = ALIGN_UP(new_brk, PAGE_SIZE);

    if (new_brk < p->brk_start || new_brk > BRK_LIMIT)
        return (long)p->brk;
    if (new_top > old_top && !may_grow(p, old_top, new_top))
        return (long)p->brk;
    if (new_top > old_top && vm_map_range(p->pd, old_top, new_top, PTE_USER_DATA) < 0) {
        vm_unmap_range(p->pd, old_top, new_top);
        return (long)p->brk;
    }
    if (new_top < old_top)
        vm_unmap_range(p->pd, new_top, old_top);
    p->brk = new_brk;
    return (long)new_brk;
}
