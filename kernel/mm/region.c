/*
 * The region table of a process (include/mm.h): a sorted array, searched
 * and shifted in place. Sixty-four entries make a linear scan the simplest
 * thing that is fast enough; Linux keeps thousands in a maple tree.
 */
#include "errno.h"
#include "mm.h"
#include "proc.h"
#include "string.h"

struct mm_region *mm_find(struct mm *mm, uintptr_t va)
{
    for (int i = 0; i < mm->count; i++)
        if (va >= mm->region[i].start && va < mm->region[i].end)
            return &mm->region[i];
    return NULL;
}

bool mm_overlaps(const struct mm *mm, uintptr_t start, uintptr_t end)
{
    for (int i = 0; i < mm->count; i++)
        if (mm->region[i].start < end && start < mm->region[i].end)
            return true;
    return false;
}

bool mm_occupied(const struct proc *p, uintptr_t start, uintptr_t end)
{
    return mm_overlaps(&p->mm, start, end) || !vm_range_empty(p->pd, start, end);
}

/* Opens a hole at index i for one more region. */
static int make_room(struct mm *mm, int i)
{
    if (mm->count == MM_REGIONS_MAX)
        return -ENOMEM;
    memmove(&mm->region[i + 1], &mm->region[i], (size_t)(mm->count - i) * sizeof(mm->region[0]));
    mm->count++;
    return 0;
}

static void drop(struct mm *mm, int i)
{
    mm->count--;
    memmove(&mm->region[i], &mm->region[i + 1], (size_t)(mm->count - i) * sizeof(mm->region[0]));
}

int mm_insert(struct mm *mm, const struct mm_region *r)
{
    int i = 0;

    while (i < mm->count && mm->region[i].start < r->start)
        i++;
    if (make_room(mm, i))
        return -ENOMEM;
    mm->region[i] = *r;
    return 0;
}

/* Cuts the region holding va in two at va, if va is inside one. */
static int split_at(struct mm *mm, uintptr_t va)
{
    struct mm_region *r = mm_find(mm, va);
    int i;

    if (!r || r->start == va)
        return 0;
    i = (int)(r - mm->region);
    if (make_room(mm, i + 1))
        return -ENOMEM;
    r = &mm->region[i];
    mm->region[i + 1] = *r;
    mm->region[i + 1].start = va;
    mm->region[i + 1].pgoff += (va - r->start) / PAGE_SIZE;
    mm->region[i + 1].flags &= ~MR_STACK; /* the stack grows at its lower part only */
    r->end = va;
    return 0;
}

/* True when va falls strictly inside a region: cutting there takes a slot. */
static bool cuts(struct mm *mm, uintptr_t va)
{
    struct mm_region *r = mm_find(mm, va);
    return r && r->start != va;
}

int mm_split_range(struct mm *mm, uintptr_t start, uintptr_t end)
{
    /* Count the slots first, so that a split never has to be undone. */
    if (mm->count + cuts(mm, start) + cuts(mm, end) > MM_REGIONS_MAX)
        return -ENOMEM;
    split_at(mm, start);
    split_at(mm, end);
    return 0;
}

void mm_forget(struct mm *mm, uintptr_t start, uintptr_t end)
{
    for (int i = 0; i < mm->count;) {
        if (mm->region[i].start >= start && mm->region[i].end <= end)
            drop(mm, i);
        else
            i++;
    }
}

static bool alike(const struct mm_region *a, const struct mm_region *b)
{
    /* The joined region keeps a's flags: b must not be the growing stack. */
    if (a->end != b->start || a->prot != b->prot || (b->flags & MR_STACK) ||
        (a->flags & ~MR_STACK) != b->flags)
        return false;
    if (!(a->flags & MR_FILE))
        return true;
    return a->ino == b->ino && a->file_end == b->file_end &&
           a->pgoff + (a->end - a->start) / PAGE_SIZE == b->pgoff;
}

void mm_merge(struct mm *mm)
{
    for (int i = 0; i + 1 < mm->count;) {
        if (alike(&mm->region[i], &mm->region[i + 1])) {
            mm->region[i].end = mm->region[i + 1].end;
            drop(mm, i + 1);
        } else {
            i++;
        }
    }
}

uint32_t mm_pte_flags(const struct mm_region *r)
{
    uint32_t shared = (r->flags & MR_SHARED) ? PTE_SHARED : 0;

    if (r->prot & PROT_WRITE)
        return PTE_USER_DATA | shared;
    if (r->prot & (PROT_READ | PROT_EXEC))
        return PTE_USER_TEXT | shared;
    return PTE_USER_NONE | shared;
}

static uint64_t heap_size(const struct proc *p)
{
    return ALIGN_UP(p->brk, PAGE_SIZE) - ALIGN_UP(p->brk_start, PAGE_SIZE);
}

uint64_t mm_total_size(const struct proc *p)
{
    uint64_t size = heap_size(p);

    for (int i = 0; i < p->mm.count; i++)
        size += p->mm.region[i].end - p->mm.region[i].start;
    return size;
}

/* Linux counts as data the private writable mappings that are not stacks
 * (mm/internal.h is_data_mapping), and the heap. */
uint64_t mm_data_size(const struct proc *p)
{
    uint64_t size = heap_size(p);

    for (int i = 0; i < p->mm.count; i++) {
        const struct mm_region *r = &p->mm.region[i];
        if ((r->prot & PROT_WRITE) && !(r->flags & (MR_SHARED | MR_STACK | MR_GROWSDOWN)))
            size += r->end - r->start;
    }
    return size;
}

int mm_may_grow(const struct proc *p, uint64_t more, uint64_t data_more)
{
    if (mm_total_size(p) + more > p->rlim[RLIMIT_AS].cur)
        return -ENOMEM;
    if (data_more && mm_data_size(p) + data_more > p->rlim[RLIMIT_DATA].cur)
        return -ENOMEM;
    return 0;
}

void mm_exec_reset(struct proc *p, uintptr_t stack_low)
{
    struct mm_region stack = {.start = ALIGN_DOWN(stack_low, PAGE_SIZE), .end = USER_STACK_TOP,
                              .prot = PROT_READ | PROT_WRITE,
                              .flags = MR_STACK | MR_GROWSDOWN};

    p->mm.count = 0;
    mm_insert(&p->mm, &stack);
}
