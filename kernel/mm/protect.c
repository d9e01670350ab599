/*
 * mprotect, madvise and msync: calls that act on pages already mapped,
 * after Linux's mm/mprotect.c, mm/madvise.c and mm/msync.c.
 *
 * i386 paging without PAE has one bit for writes and one for user access
 * (Intel SDM Vol. 3A 4.6): PROT_WRITE pages are writable, PROT_READ and
 * PROT_EXEC pages readable (and so executable), and PROT_NONE pages are
 * present but supervisor-only, so any user access is a protection fault.
 */
#include "errno.h"
#include "mm.h"
#include "proc.h"
#include "syscall.h"

/* Every bit Linux's mprotect accepts (PROT_READ, WRITE, EXEC, SEM, GROWSDOWN,
 * GROWSUP); any other is EINVAL before the range is looked at. */
#define PROT_KNOWN_BITS 0x0300000F
#define PROT_GROWS      0x03000000 /* PROT_GROWSDOWN | PROT_GROWSUP */
#define PROT_ACCESS     (PROT_READ | PROT_WRITE | PROT_EXEC)

#define MS_ASYNC      1
#define MS_INVALIDATE 2
#define MS_SYNC       4

/* madvise advice (include/uapi/asm-generic/mman-common.h). */
#define MADV_DONTNEED       4
#define MADV_REMOVE         9
#define MADV_ADVICE_MAX     24 /* MADV_DONTNEED_LOCKED, the highest Linux 6.x takes */
#define MADV_GAP_FIRST      5  /* 5 to 7 were never given a meaning */
#define MADV_GAP_LAST       7

/* [addr, addr + len) in whole pages, in 64 bits so that it cannot wrap. */
static uint64_t range_end(uintptr_t addr, size_t len)
{
    return (uint64_t)addr + ((uint64_t)len + PAGE_SIZE - 1) / PAGE_SIZE * PAGE_SIZE;
}

/* True when every page of [start, end) is mapped: in a region, or present
 * (the image and the heap, which have no region). */
static bool range_mapped(struct proc *p, uint64_t start, uint64_t end)
{
    if (end > USER_TOP)
        return false;
    for (uintptr_t va = (uintptr_t)start; va < end; va += PAGE_SIZE)
        if (!mm_find(&p->mm, va) && vm_range_empty(p->pd, va, va + PAGE_SIZE))
            return false;
    return true;
}

static uint32_t access_of(uint32_t prot)
{
    struct mm_region r = {.prot = prot};
    return mm_pte_flags(&r);
}

/* A shared mapping of a file opened read-only never becomes writable. */
static bool may_write(struct proc *p, uintptr_t start, uintptr_t end)
{
    for (int i = 0; i < p->mm.count; i++) {
        const struct mm_region *r = &p->mm.region[i];
        if (r->start < end && start < r->end && (r->flags & MR_NOWRITE))
            return false;
    }
    return true;
}

SYSCALL_DEFINE3(mprotect, uintptr_t, addr, size_t, len, uint32_t, prot)
{
    struct proc *p = current_proc();
    uint64_t end = range_end(addr, len);

    if (addr % PAGE_SIZE)
        return -EINVAL;
    if (!len)
        return 0; /* Linux looks at prot only for a range that is not empty */
    if (prot & ~PROT_KNOWN_BITS)
        return -EINVAL;
    if (prot & PROT_GROWS)
        return -EINVAL; /* Linux takes them only on a MAP_GROWSDOWN mapping */
    if (!range_mapped(p, addr, end))
        return -ENOMEM;
    if ((prot & PROT_WRITE) && !may_write(p, addr, (uintptr_t)end))
        return -EACCES;
    if (mm_split_range(&p->mm, addr, (uintptr_t)end))
        return -ENOMEM;
    for (int i = 0; i < p->mm.count; i++)
        if (p->mm.region[i].start >= addr && p->mm.region[i].end <= end)
            p->mm.region[i].prot = prot & PROT_ACCESS;
    vm_set_access(p->pd, addr, (uintptr_t)end, access_of(prot));
    mm_merge(&p->mm);
    return 0;
}

static bool advice_known(uint32_t advice)
{
    return advice <= MADV_ADVICE_MAX && (advice < MADV_GAP_FIRST || advice > MADV_GAP_LAST);
}

/* MADV_DONTNEED: private pages read as zeros from now on, as Linux's,
 * which drops them; shared ones keep their bytes (they live on elsewhere). */
static void dont_need(struct proc *p, uintptr_t start, uintptr_t end)
{
    for (uintptr_t va = start; va < end; va += PAGE_SIZE) {
        const struct mm_region *r = mm_find(&p->mm, va);
        if (!r || !(r->flags & MR_SHARED))
            vm_zero_range(p->pd, va, va + PAGE_SIZE);
    }
}

/* MADV_REMOVE frees the backing store of a shared mapping: only those. */
static bool all_shared(struct proc *p, uintptr_t start, uintptr_t end)
{
    for (uintptr_t va = start; va < end; va += PAGE_SIZE) {
        const struct mm_region *r = mm_find(&p->mm, va);
        if (r && !(r->flags & MR_SHARED))
            return false;
    }
    return true;
}

/* The rest of the advice is taken and has no effect: Relay has no swap,
 * no huge pages and no read-ahead for it to change. */
SYSCALL_DEFINE3(madvise, uintptr_t, addr, size_t, len, uint32_t, advice)
{
    struct proc *p = current_proc();
    uint64_t end = range_end(addr, len);
    bool mapped;

    if (!advice_known(advice) || addr % PAGE_SIZE)
        return -EINVAL;
    if (!len)
        return 0;
    mapped = range_mapped(p, addr, end);
    end = MIN(end, (uint64_t)USER_TOP);
    if (advice == MADV_REMOVE && !all_shared(p, addr, (uintptr_t)end))
        return -EINVAL;
    if (advice == MADV_DONTNEED)
        dont_need(p, addr, (uintptr_t)end);
    if (advice == MADV_REMOVE)
        vm_zero_range(p->pd, addr, (uintptr_t)end);
    return mapped ? 0 : -ENOMEM; /* Linux acts on what is mapped, then says ENOMEM */
}

/* A shared file mapping maps the file's own frames and a private one is a
 * copy, so there is nothing to write back: only the checks remain. */
SYSCALL_DEFINE3(msync, uintptr_t, addr, size_t, len, uint32_t, flags)
{
    uint64_t end = range_end(addr, len);

    if (addr % PAGE_SIZE || (flags & ~(MS_ASYNC | MS_INVALIDATE | MS_SYNC)))
        return -EINVAL;
    if ((flags & MS_ASYNC) && (flags & MS_SYNC))
        return -EINVAL;
    if (!len)
        return 0;
    return range_mapped(current_proc(), addr, end) ? 0 : -ENOMEM;
}
