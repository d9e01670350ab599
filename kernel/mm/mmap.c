/*
 * mmap2, munmap and mremap for anonymous private memory, the part of
 * Linux's mm/mmap.c and mm/mremap.c that a static program's malloc and
 * realloc and BusyBox's copy buffers use (see include/mm.h for where
 * mappings go). Pages come zeroed and whole; fork copies them as it copies
 * every page. File mappings and shared anonymous memory are not there:
 * they fail with ENODEV and EINVAL.
 */
#include "errno.h"
#include "file.h"
#include "mm.h"
#include "pmm.h"
#include "proc.h"
#include "syscall.h"

#define PROT_WRITE     0x2
#define MAP_SHARED     0x01
#define MAP_PRIVATE    0x02
#define MAP_TYPE       0x0f
#define MAP_FIXED      0x10
#define MAP_ANONYMOUS  0x20
#define MREMAP_MAYMOVE 1

/* len in whole pages, without wrapping around 4 GiB. */
static uint64_t page_round(size_t len)
{
    return ((uint64_t)len + PAGE_SIZE - 1) / PAGE_SIZE * PAGE_SIZE;
}

bool mm_range_free(const pde_t *pd, uintptr_t start, uintptr_t end)
{
    for (uintptr_t va = start; va < end; va += PAGE_SIZE)
        if (vm_user_range_ok(pd, va, 1, false))
            return false;
    return true;
}

/* The highest free run of `size` bytes between the heap and MMAP_TOP, or 0. */
static uintptr_t find_free_range(const struct proc *p, uint64_t size)
{
    uintptr_t floor = ALIGN_UP(p->brk, PAGE_SIZE), free_top = MMAP_TOP;

    if (floor >= MMAP_TOP || size > MMAP_TOP - floor)
        return 0; /* cannot fit: no need to look */
    for (uintptr_t va = MMAP_TOP; va > floor && va - floor >= PAGE_SIZE; va -= PAGE_SIZE) {
        uintptr_t page = va - PAGE_SIZE;
        if (vm_user_range_ok(p->pd, page, 1, false))
            free_top = page; /* mapped: a free run must start below it */
        else if (free_top - page >= size)
            return page;
    }
    return 0;
}

/* Where the mapping goes: addr itself for MAP_FIXED, else a free range. */
static long place(const struct proc *p, uintptr_t addr, uint64_t size, uint32_t flags,
                  uintptr_t *start)
{
    if (!(flags & MAP_FIXED)) {
        *start = find_free_range(p, size);
        return *start ? 0 : -ENOMEM;
    }
    if (addr % PAGE_SIZE)
        return -EINVAL;
    if (addr < USER_LOWEST_ADDRESS || addr > USER_TOP || USER_TOP - addr < size)
        return -ENOMEM;
    *start = addr;
    return 0;
}

/* Linux's checks, in its order: the flags, the length, then the file. */
static long mmap_checks(size_t len, uint32_t flags, int fd)
{
    uint32_t type = flags & MAP_TYPE;

    if (type != MAP_PRIVATE && type != MAP_SHARED)
        return -EINVAL;
    if (len == 0)
        return -EINVAL;
    if (len > USER_TOP)
        return -ENOMEM;
    if (!(flags & MAP_ANONYMOUS))
        return fd_file(current_proc(), fd) ? -ENODEV : -EBADF; /* no file mappings */
    if (type == MAP_SHARED)
        return -EINVAL; /* shared anonymous memory would need shared frames after fork */
    return 0;
}

SYSCALL_DEFINE6(mmap2, uintptr_t, addr, size_t, len, uint32_t, prot, uint32_t, flags, int, fd,
                uint32_t, pgoff)
{
    struct proc *p = current_proc();
    uint64_t size = page_round(len);
    uint32_t pte = (prot & PROT_WRITE) ? PTE_USER_DATA : PTE_USER_TEXT;
    uintptr_t start = 0;
    long err = mmap_checks(len, flags, fd);

    (void)pgoff; /* an offset into a file: anonymous memory has none */
    if (err || (err = place(p, addr, size, flags, &start)))
        return err;
    if (flags & MAP_FIXED)
        vm_unmap_range(p->pd, start, start + size); /* MAP_FIXED replaces what was there */
    if (vm_map_range(p->pd, start, start + size, pte) < 0) {
        vm_unmap_range(p->pd, start, start + size);
        return -ENOMEM;
    }
    return (long)start;
}

/* Unmapping pages that are not mapped is no error, as on Linux. */
SYSCALL_DEFINE2(munmap, uintptr_t, addr, size_t, len)
{
    uint64_t size = page_round(len);

    if (addr % PAGE_SIZE || len == 0 || addr > USER_TOP || USER_TOP - addr < size)
        return -EINVAL;
    vm_unmap_range(current_proc()->pd, addr, addr + size);
    return 0;
}

/* ---------------------------------------------------------------- mremap */

/* Grows [addr, addr + old) to new in place when the pages above are free
 * and stay below MMAP_TOP (the gap above it keeps the stack apart). */
static bool grow_in_place(struct proc *p, uintptr_t addr, uint64_t old, uint64_t new, uint32_t pte)
{
    uintptr_t end = addr + old;

    if (addr >= MMAP_TOP || new > MMAP_TOP - addr || !mm_range_free(p->pd, end, addr + new))
        return false;
    if (vm_map_range(p->pd, end, addr + new, pte) < 0) {
        vm_unmap_range(p->pd, end, addr + new);
        return false;
    }
    return true;
}

/* Moves the old pages' bytes to a new range (copied through a frame) and
 * unmaps them; returns the new address, or 0 when out of room or memory. */
static uintptr_t move_mapping(struct proc *p, uintptr_t addr, uint64_t old, uint64_t new,
                              uint32_t pte)
{
    uintptr_t to = find_free_range(p, new);
    uint8_t *frame = to ? frame_alloc() : NULL;
    int err = frame ? vm_map_range(p->pd, to, to + new, pte) : -ENOMEM;

    for (uint64_t at = 0; !err && at < old; at += PAGE_SIZE)
        err = vm_copy_in(p->pd, frame, addr + at, PAGE_SIZE) ||
              vm_fill(p->pd, to + at, frame, PAGE_SIZE);
    if (frame)
        frame_free(frame);
    if (err) {
        if (to)
            vm_unmap_range(p->pd, to, to + new);
        return 0;
    }
    vm_unmap_range(p->pd, addr, addr + old);
    return to;
}

SYSCALL_DEFINE5(mremap, uintptr_t, addr, size_t, old_len, size_t, new_len, uint32_t, flags,
                uintptr_t, new_addr)
{
    struct proc *p = current_proc();
    uint64_t old = page_round(old_len), new = page_round(new_len);
    uint32_t pte;

    (void)new_addr; /* only with MREMAP_FIXED, which is not there */
    if (addr % PAGE_SIZE || (flags & ~MREMAP_MAYMOVE) || !new_len || !old_len)
        return -EINVAL; /* old_len 0 duplicates a shared mapping: there are none */
    if (new > USER_TOP)
        return -ENOMEM;
    if (addr > USER_TOP - old || !vm_user_range_ok(p->pd, addr, old, false))
        return -EFAULT; /* Linux: no mapping there */
    if (new <= old) {
        vm_unmap_range(p->pd, addr + new, addr + old);
        return (long)addr;
    }
    pte = vm_user_range_ok(p->pd, addr, old, true) ? PTE_USER_DATA : PTE_USER_TEXT;
    if (grow_in_place(p, addr, old, new, pte))
        return (long)addr;
    if (!(flags & MREMAP_MAYMOVE))
        return -ENOMEM;
    return (addr = move_mapping(p, addr, old, new, pte)) ? (long)addr : -ENOMEM;
}
