/*
 * mmap2, munmap and mremap, after Linux's mm/mmap.c and mm/mremap.c.
 *
 *   private anonymous   a region only: each page comes, zeroed, on its
 *                       first touch (kernel/mm/fault.c)
 *   shared anonymous    every page mapped now and marked PTE_SHARED, so
 *                       that fork gives the child the same frames; its size
 *                       is fixed, as Linux's shmem object: pages mremap adds
 *                       fault with SIGBUS
 *   private file        the file's bytes copied into fresh frames now;
 *                       the pages past its last one fault with SIGBUS
 *   shared file         the file's own frames (kernel/fs/ramfs.c), mapped
 *                       with a reference each: a write through the mapping
 *                       is a write to the file, and the other way round
 *
 * See include/mm.h for where mappings go.
 */
#include "errno.h"
#include "file.h"
#include "fs.h"
#include "mm.h"
#include "pmm.h"
#include "proc.h"
#include "syscall.h"

/* mmap flags (include/uapi/asm-generic/mman-common.h, mman.h). */
#define MAP_SHARED          0x01
#define MAP_PRIVATE         0x02
#define MAP_TYPE            0x0f
#define MAP_FIXED           0x10
#define MAP_ANONYMOUS       0x20
#define MAP_GROWSDOWN       0x0100
#define MAP_POPULATE        0x8000
#define MAP_FIXED_NOREPLACE 0x100000
#define MREMAP_MAYMOVE      1

/* len in whole pages, without wrapping around 4 GiB. */
static uint64_t page_round(size_t len)
{
    return ((uint64_t)len + PAGE_SIZE - 1) / PAGE_SIZE * PAGE_SIZE;
}

/* The highest free run of `size` bytes between the heap and MMAP_TOP, or 0:
 * Linux's top-down search (arch_get_unmapped_area_topdown). */
static uintptr_t find_free_range(const struct proc *p, uint64_t size)
{
    uintptr_t floor = ALIGN_UP(p->brk, PAGE_SIZE), top = MMAP_TOP;

    for (int i = p->mm.count - 1; i >= -1 && top > floor; i--) {
        const struct mm_region *r = i >= 0 ? &p->mm.region[i] : NULL;
        uintptr_t below = r ? MAX(r->end, floor) : floor;
        if (r && r->start >= top)
            continue; /* above the search: the stack */
        if (top > below && top - below >= size)
            return top - (uintptr_t)size;
        if (r)
            top = MIN(top, r->start);
    }
    return 0;
}

/* A hint is taken, rounded down to its page as Linux 6 rounds it, when the
 * range there is free; it must stay below the room the stack may grow into. */
static bool hint_fits(const struct proc *p, uintptr_t addr, uint64_t size)
{
    uintptr_t start = ALIGN_DOWN(addr, PAGE_SIZE);

    return addr && start >= USER_LOWEST_ADDRESS && start <= USER_STACK_BOTTOM &&
           size <= USER_STACK_BOTTOM - start && !mm_occupied(p, start, start + size);
}

/* Where the mapping goes: addr itself when fixed, else the hint or a free range. */
static long place(const struct proc *p, uintptr_t addr, uint64_t size, uint32_t flags,
                  uintptr_t *start)
{
    if (!(flags & (MAP_FIXED | MAP_FIXED_NOREPLACE))) {
        *start = hint_fits(p, addr, size) ? ALIGN_DOWN(addr, PAGE_SIZE) : find_free_range(p, size);
        return *start ? 0 : -ENOMEM;
    }
    if (addr % PAGE_SIZE)
        return -EINVAL;
    if (addr < USER_LOWEST_ADDRESS || addr > USER_TOP || USER_TOP - addr < size)
        return -ENOMEM;
    if ((flags & MAP_FIXED_NOREPLACE) && mm_occupied(p, addr, addr + size))
        return -EEXIST;
    *start = addr;
    return 0;
}

/* The file's checks, in Linux's order (do_mmap): the access mode, then
 * whether it can be mapped at all. */
static long file_checks(const struct file *f, uint32_t prot, uint32_t type)
{
    uint32_t mode = f->flags & O_ACCMODE;

    if (type == MAP_SHARED && (prot & PROT_WRITE) && mode == O_RDONLY)
        return -EACCES;
    if (mode == O_WRONLY)
        return -EACCES;
    if (!f->inode || f->inode->ops || !S_ISTYPE(f->inode->mode, S_IFREG))
        return -ENODEV; /* a pipe, a device, a directory, a /proc file */
    return 0;
}

/* Removes whatever is mapped in [start, end): regions and pages. */
static long unmap(struct proc *p, uintptr_t start, uintptr_t end)
{
    if (mm_split_range(&p->mm, start, end))
        return -ENOMEM;
    mm_forget(&p->mm, start, end);
    vm_unmap_range(p->pd, start, end);
    return 0;
}

/* Copies the file's bytes from the region's offset into fresh frames. The
 * pages past the file's last page stay unmapped: touching them is SIGBUS. */
static long fill_from_file(struct proc *p, struct mm_region *r, struct inode *ip)
{
    uint64_t off = (uint64_t)r->pgoff * PAGE_SIZE, file_pages = ALIGN_UP((uint64_t)ip->size, PAGE_SIZE);
    uint64_t backed = off < file_pages ? MIN(file_pages - off, (uint64_t)(r->end - r->start)) : 0;
    struct iobuf to = {.pd = p->pd, .addr = r->start};

    r->file_end = r->start + (uintptr_t)backed;
    r->ino = ip->ino;
    if (vm_map_range(p->pd, r->start, r->file_end, PTE_USER_DATA) < 0)
        return -ENOMEM;
    if (backed && off < ip->size &&
        inode_read(ip, (uint32_t)off, to, MIN(ip->size - off, backed)) < 0)
        return -ENOMEM;
    vm_set_access(p->pd, r->start, r->file_end, mm_pte_flags(r)); /* read-only after the copy */
    return 0;
}

/* Maps the file's own frames, up to its last page; the pages past it stay
 * unmapped: touching them is SIGBUS. Holes in the file get frames now. */
static long share_file(struct proc *p, struct mm_region *r, struct inode *ip)
{
    uint64_t file_pages = ALIGN_UP((uint64_t)ip->size, PAGE_SIZE) / PAGE_SIZE;
    uint64_t count = r->pgoff < file_pages ? file_pages - r->pgoff : 0;

    count = MIN(count, (uint64_t)(r->end - r->start) / PAGE_SIZE);
    r->file_end = r->start + (uintptr_t)count * PAGE_SIZE;
    r->ino = ip->ino;
    for (uint32_t i = 0; i < count; i++) {
        void *frame = inode_page_frame(ip, r->pgoff + i);
        if (!frame || vm_map_frame(p->pd, r->start + i * PAGE_SIZE, frame, mm_pte_flags(r)) < 0)
            return -ENOMEM;
    }
    return 0;
}

/* Maps the region's pages now where it cannot wait for faults. */
static long populate(struct proc *p, struct mm_region *r, const struct file *f, uint32_t flags)
{
    if (f && (r->flags & MR_SHARED))
        return share_file(p, r, f->inode);
    if (f)
        return fill_from_file(p, r, f->inode);
    if (r->flags & MR_SHARED)
        r->file_end = r->end; /* the object's size: pages mremap adds past it are SIGBUS */
    if ((r->flags & MR_SHARED) || (flags & MAP_POPULATE))
        return vm_map_range(p->pd, r->start, r->end, mm_pte_flags(r)) < 0 ? -ENOMEM : 0;
    return 0;
}

static struct mm_region region_for(uintptr_t start, uint64_t size, uint32_t prot, uint32_t flags,
                                   bool file, uint32_t pgoff)
{
    struct mm_region r = {.start = start, .end = start + (uintptr_t)size, .pgoff = pgoff,
                          .prot = prot & (PROT_READ | PROT_WRITE | PROT_EXEC)};

    r.flags = ((flags & MAP_TYPE) == MAP_SHARED ? MR_SHARED : 0) | (file ? MR_FILE : 0) |
              ((flags & MAP_GROWSDOWN) ? MR_GROWSDOWN : 0);
    return r;
}

/* Makes the region: replaces what was there, inserts it, maps its pages. */
static long map_region(struct proc *p, struct mm_region *r, const struct file *f, uint32_t flags)
{
    long err = unmap(p, r->start, r->end); /* MAP_FIXED replaces; elsewhere it is empty */

    if (!err)
        err = mm_insert(&p->mm, r);
    if (!err && (err = populate(p, mm_find(&p->mm, r->start), f, flags)))
        unmap(p, r->start, r->end);
    return err;
}

static long writable_size(uint32_t prot, uint32_t flags, uint64_t size)
{
    return (prot & PROT_WRITE) && (flags & MAP_TYPE) == MAP_PRIVATE ? (long)size : 0;
}

SYSCALL_DEFINE6(mmap2, uintptr_t, addr, size_t, len, uint32_t, prot, uint32_t, flags, int, fd,
                uint32_t, pgoff)
{
    struct proc *p = current_proc();
    struct file *f = (flags & MAP_ANONYMOUS) ? NULL : fd_file(p, fd);
    uint32_t type = flags & MAP_TYPE;
    uint64_t size = page_round(len);
    struct mm_region r;
    uintptr_t start;
    long err;

    if (!(flags & MAP_ANONYMOUS) && !f)
        return -EBADF;
    if (len == 0)
        return -EINVAL;
    if (size > USER_TOP)
        return -ENOMEM;
    if ((err = place(p, addr, size, flags, &start)))
        return err;
    if (type != MAP_PRIVATE && type != MAP_SHARED)
        return -EINVAL;
    if (f && (err = file_checks(f, prot, type)))
        return err;
    if ((err = mm_may_grow(p, size, (uint64_t)writable_size(prot, flags, size))))
        return err;
    r = region_for(start, size, prot, flags, f != NULL, f ? pgoff : 0);
    if (f && type == MAP_SHARED && (f->flags & O_ACCMODE) == O_RDONLY)
        r.flags |= MR_NOWRITE;
    err = map_region(p, &r, f, flags);
    mm_merge(&p->mm);
    return err ? err : (long)start;
}

/* Unmapping pages that are not mapped is no error, as on Linux. */
SYSCALL_DEFINE2(munmap, uintptr_t, addr, size_t, len)
{
    struct proc *p = current_proc();
    uint64_t size = page_round(len);
    long err;

    if (addr % PAGE_SIZE || len == 0 || addr > USER_TOP || USER_TOP - addr < size)
        return -EINVAL;
    err = unmap(p, addr, addr + (uintptr_t)size);
    mm_merge(&p->mm);
    return err;
}

/* ---------------------------------------------------------------- mremap */

/* Grows region r, which ends at addr + old, to addr + new in place when the
 * pages above are free and stay below the stack's room. */
static bool grow_in_place(struct proc *p, struct mm_region *r, uintptr_t addr, uint64_t old,
                          uint64_t new)
{
    uintptr_t end = addr + (uintptr_t)old;

    if (r->end != end || addr >= USER_STACK_BOTTOM || new > USER_STACK_BOTTOM - addr ||
        mm_occupied(p, end, addr + (uintptr_t)new))
        return false;
    r->end = addr + (uintptr_t)new;
    return true;
}

/* Moves [addr, addr + old) with its frames to a new range of new bytes;
 * returns the new address, or 0 when out of room or memory. */
static uintptr_t move_mapping(struct proc *p, uintptr_t addr, uint64_t old, uint64_t new)
{
    uintptr_t to = find_free_range(p, new);
    struct mm_region moved;

    if (!to || mm_split_range(&p->mm, addr, addr + (uintptr_t)old))
        return 0;
    moved = *mm_find(&p->mm, addr);
    if (vm_move_range(p->pd, addr, to, (size_t)old) < 0)
        return 0;
    mm_forget(&p->mm, addr, addr + (uintptr_t)old);
    moved.file_end = moved.file_end - MIN(moved.file_end, addr) + to;
    moved.start = to;
    moved.end = to + (uintptr_t)new;
    mm_insert(&p->mm, &moved); /* cannot fail: the old one's slot is free */
    return to;
}

SYSCALL_DEFINE5(mremap, uintptr_t, addr, size_t, old_len, size_t, new_len, uint32_t, flags,
                uintptr_t, new_addr)
{
    struct proc *p = current_proc();
    uint64_t old = page_round(old_len), new = page_round(new_len);
    struct mm_region *r;
    uintptr_t to;

    (void)new_addr; /* only with MREMAP_FIXED, which is not there */
    if (addr % PAGE_SIZE || (flags & ~MREMAP_MAYMOVE) || !new_len || !old_len)
        return -EINVAL; /* old_len 0 duplicates a shared mapping: not there */
    if (new > USER_TOP)
        return -ENOMEM;
    r = mm_find(&p->mm, addr);
    if (!r || old > r->end - addr)
        return -EFAULT; /* Linux: no one mapping holds the old range */
    if (new <= old) {
        unmap(p, addr + (uintptr_t)new, addr + (uintptr_t)old);
        return (long)addr;
    }
    if (mm_may_grow(p, new - old, (r->prot & PROT_WRITE) && !(r->flags & MR_SHARED) ? new - old : 0))
        return -ENOMEM;
    if (grow_in_place(p, r, addr, old, new))
        return (long)addr;
    if (!(flags & MREMAP_MAYMOVE))
        return -ENOMEM;
    to = move_mapping(p, addr, old, new);
    mm_merge(&p->mm);
    return to ? (long)to : -ENOMEM;
}
