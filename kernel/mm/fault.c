/*
 * Page faults on pages that are not present, as Linux's handle_mm_fault
 * decides them (mm/memory.c, arch/x86/mm/fault.c):
 *
 *   below the stack, within RLIMIT_STACK   the stack grows: a zeroed page
 *   inside a region, past its object's end  SIGBUS (BUS_ADRERR): a file's last
 *                                           page, or a shared anonymous mapping's
 *                                           size at mmap time (mremap grows only
 *                                           the region, as Linux's shmem object)
 *   inside a region, any other page         a zeroed page (a stack hole)
 *   anywhere else                           SIGSEGV (SEGV_MAPERR)
 *
 * A fault on a present page (a write to a read-only one, any access to a
 * PROT_NONE one) never comes here: kernel/trap.c makes it SEGV_ACCERR.
 */
#include "mm.h"
#include "proc.h"

static struct mm_region *stack_region(struct mm *mm)
{
    for (int i = 0; i < mm->count; i++)
        if (mm->region[i].flags & MR_STACK)
            return &mm->region[i];
    return NULL;
}

/* The lowest address the stack may grow to: RLIMIT_STACK below its top,
 * but never into the room the mappings take (include/mm.h). */
static uintptr_t stack_floor(const struct proc *p)
{
    uint64_t limit = p->rlim[RLIMIT_STACK].cur;

    return limit >= USER_STACK_SIZE ? USER_STACK_BOTTOM : USER_STACK_TOP - (uintptr_t)limit;
}

/* Linux's expand_downwards: the stack region reaches down to va's page if
 * the limits and the regions below allow it. */
static bool grow_stack(struct proc *p, uintptr_t va)
{
    struct mm_region *stack = stack_region(&p->mm);
    uintptr_t page = ALIGN_DOWN(va, PAGE_SIZE);

    if (!stack || va >= stack->start || page < stack_floor(p))
        return false;
    if (mm_overlaps(&p->mm, page, stack->start) ||
        mm_may_grow(p, stack->start - page, 0))
        return false;
    if (!vm_map_page(p->pd, page, mm_pte_flags(stack)))
        return false;
    stack->start = page;
    return true;
}

enum mm_fault mm_page_fault(struct proc *p, uintptr_t va)
{
    struct mm_region *r = mm_find(&p->mm, va);

    if (!r)
        return grow_stack(p, va) ? MM_FAULT_MAPPED : MM_FAULT_SEGV;
    if ((r->flags & (MR_FILE | MR_SHARED)) && va >= r->file_end)
        return MM_FAULT_BUS;
    return vm_map_page(p->pd, va, mm_pte_flags(r)) ? MM_FAULT_MAPPED : MM_FAULT_SEGV;
}

/* The process whose address space pd is; NULL while exec builds a new one. */
static struct proc *owner_of(const pde_t *pd)
{
    struct proc *cur = current_proc();

    if (cur && cur->pd == pd)
        return cur;
    for (int i = 0; i < NPROC; i++)
        if (proc_table[i].state != PROC_UNUSED && proc_table[i].pd == pd)
            return &proc_table[i];
    return NULL;
}

bool mm_fault_in(pde_t *pd, uintptr_t va)
{
    struct proc *p = owner_of(pd);

    if (p)
        return mm_page_fault(p, va) == MM_FAULT_MAPPED;
    /* exec writing argv and envp into the stack of the image it builds */
    if (va < USER_STACK_BOTTOM || va >= USER_STACK_TOP)
        return false;
    return vm_map_page(pd, va, PTE_USER_DATA);
}
