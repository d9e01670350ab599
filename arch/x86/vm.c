/*
 * Two-level i386 paging without PAE (Intel SDM Vol. 3A 4.3): a page
 * directory of 1024 PDEs, each pointing to a page table of 1024 PTEs that
 * map 4 KiB pages. The kernel reaches every page table and frame through the
 * direct map (P2V), so user memory is read and written without touching
 * the user's virtual addresses: a bad user pointer can never fault the kernel.
 */
#include "errno.h"
#include "mm.h"
#include "paging.h"
#include "pmm.h"
#include "string.h"
#include "vm.h"
#include "x86.h"

#define ENTRIES_PER_TABLE 1024
#define PTE_INDEX(va) (((uintptr_t)(va) >> 12) & 0x3FF)
#define PTE_FLAGS_MASK 0xFFFu /* the low 12 bits of an entry: flags, not address */
#define ENTRY_ADDRESS(e) ((e) & ~PTE_FLAGS_MASK)
#define USER_PDE_COUNT PDE_INDEX(USER_TOP)

pde_t *vm_create(void)
{
    pde_t *pd = frame_alloc();
    pde_t *kpd = kernel_page_directory();

    if (!pd)
        return NULL;
    for (unsigned i = USER_PDE_COUNT; i < ENTRIES_PER_TABLE; i++)
        pd[i] = kpd[i];
    return pd;
}

/* The PTE for va, creating its page table if create is set; NULL otherwise. */
static pte_t *walk(const pde_t *pd, uintptr_t va, bool create)
{
    pde_t *pde = (pde_t *)&pd[PDE_INDEX(va)];
    pte_t *table;

    if (va >= USER_TOP)
        return NULL;
    if (!(*pde & PTE_PRESENT)) {
        if (!create || !(table = frame_alloc()))
            return NULL;
        /* The PDE allows everything; each PTE decides (SDM Vol. 3A 4.6). */
        *pde = V2P(table) | PTE_PRESENT | PTE_WRITABLE | PTE_USER;
    }
    table = P2V(ENTRY_ADDRESS(*pde));
    return &table[PTE_INDEX(va)];
}

int vm_map_range(pde_t *pd, uintptr_t start, uintptr_t end, uint32_t flags)
{
    for (uintptr_t va = ALIGN_DOWN(start, PAGE_SIZE); va < end; va += PAGE_SIZE) {
        pte_t *pte = walk(pd, va, true);
        void *frame;
        if (!pte)
            return -ENOMEM;
        if (*pte & PTE_PRESENT)
            continue;
        if (!(frame = frame_alloc()))
            return -ENOMEM;
        *pte = V2P(frame) | flags | PTE_PRESENT;
    }
    return 0;
}

int vm_map_frame(pde_t *pd, uintptr_t va, void *frame, uint32_t flags)
{
    pte_t *pte = walk(pd, va, true);

    if (!pte || !frame_get(frame))
        return -ENOMEM;
    *pte = V2P(frame) | flags | PTE_PRESENT;
    return 0;
}

void vm_unmap_range(pde_t *pd, uintptr_t start, uintptr_t end)
{
    for (uintptr_t va = ALIGN_UP(start, PAGE_SIZE); va < end; va += PAGE_SIZE) {
        pte_t *pte = walk(pd, va, false);
        if (pte && (*pte & PTE_PRESENT)) {
            frame_free(P2V(ENTRY_ADDRESS(*pte)));
            *pte = 0;
            invlpg(va); /* harmless when pd is not the active directory */
        }
    }
}

void vm_destroy(pde_t *pd)
{
    /* The scheduler leaves the last process's directory loaded: never free
     * the tables the CPU is using. */
    if (read_cr3() == V2P(pd))
        vm_activate(kernel_page_directory());
    for (unsigned i = 0; i < USER_PDE_COUNT; i++) {
        pte_t *table;
        if (!(pd[i] & PTE_PRESENT))
            continue;
        table = P2V(ENTRY_ADDRESS(pd[i]));
        for (unsigned j = 0; j < ENTRIES_PER_TABLE; j++)
            if (table[j] & PTE_PRESENT)
                frame_free(P2V(ENTRY_ADDRESS(table[j])));
        frame_free(table);
    }
    frame_free(pd);
}

static bool clone_table(pde_t *to, const pte_t *table, unsigned pde_index)
{
    for (unsigned j = 0; j < ENTRIES_PER_TABLE; j++) {
        uintptr_t va = ((uintptr_t)pde_index << PDE_SHIFT) | (j << 12);
        pte_t *pte;
        void *frame;

        if (!(table[j] & PTE_PRESENT))
            continue;
        if (!(pte = walk(to, va, true)))
            return false;
        if (table[j] & PTE_SHARED) { /* MAP_SHARED: both map the one frame */
            if (!frame_get(P2V(ENTRY_ADDRESS(table[j]))))
                return false;
            *pte = table[j];
            continue;
        }
        if (!(frame = frame_alloc()))
            return false;
        memcpy(frame, P2V(ENTRY_ADDRESS(table[j])), PAGE_SIZE);
        *pte = V2P(frame) | (table[j] & PTE_FLAGS_MASK);
    }
    return true;
}

pde_t *vm_clone(const pde_t *pd)
{
    pde_t *copy = vm_create();

    if (!copy)
        return NULL;
    for (unsigned i = 0; i < USER_PDE_COUNT; i++) {
        if (!(pd[i] & PTE_PRESENT))
            continue;
        if (!clone_table(copy, P2V(ENTRY_ADDRESS(pd[i])), i)) {
            vm_destroy(copy);
            return NULL;
        }
    }
    return copy;
}

void vm_activate(const pde_t *pd) { write_cr3(V2P(pd)); }

/* The kernel address of user byte va, if it is mapped with these flags. */
static uint8_t *mapped_byte(const pde_t *pd, uintptr_t va, uint32_t need)
{
    pte_t *pte = va >= USER_LOWEST_ADDRESS ? walk(pd, va, false) : NULL;

    if (!pte || (*pte & need) != need)
        return NULL;
    return (uint8_t *)P2V(ENTRY_ADDRESS(*pte)) + (va & (PAGE_SIZE - 1));
}

void vm_set_access(pde_t *pd, uintptr_t start, uintptr_t end, uint32_t access)
{
    for (uintptr_t va = ALIGN_DOWN(start, PAGE_SIZE); va < end; va += PAGE_SIZE) {
        pte_t *pte = walk(pd, va, false);
        if (!pte || !(*pte & PTE_PRESENT))
            continue;
        *pte = (*pte & ~(PTE_USER | PTE_WRITABLE)) | access;
        invlpg(va);
    }
}

bool vm_range_empty(const pde_t *pd, uintptr_t start, uintptr_t end)
{
    for (uintptr_t va = ALIGN_DOWN(start, PAGE_SIZE); va < end; va += PAGE_SIZE) {
        pte_t *pte = walk(pd, va, false);
        if (pte && (*pte & PTE_PRESENT))
            return false;
        if (va + PAGE_SIZE < va)
            break; /* the last page of the address space */
    }
    return true;
}

int vm_move_range(pde_t *pd, uintptr_t from, uintptr_t to, size_t len)
{
    for (uintptr_t at = 0; at < len; at += PAGE_SIZE)
        if (!walk(pd, to + at, true)) /* every table first: the move itself cannot fail */
            return -ENOMEM;
    for (uintptr_t at = 0; at < len; at += PAGE_SIZE) {
        pte_t *old = walk(pd, from + at, false);
        if (!old || !(*old & PTE_PRESENT))
            continue;
        *walk(pd, to + at, false) = *old;
        *old = 0;
        invlpg(from + at);
        invlpg(to + at);
    }
    return 0;
}

void vm_zero_range(pde_t *pd, uintptr_t start, uintptr_t end)
{
    for (uintptr_t va = ALIGN_DOWN(start, PAGE_SIZE); va < end; va += PAGE_SIZE) {
        pte_t *pte = walk(pd, va, false);
        if (pte && (*pte & PTE_PRESENT))
            memset(P2V(ENTRY_ADDRESS(*pte)), 0, PAGE_SIZE);
    }
}

bool vm_map_page(pde_t *pd, uintptr_t va, uint32_t flags)
{
    return vm_map_range(pd, ALIGN_DOWN(va, PAGE_SIZE), ALIGN_DOWN(va, PAGE_SIZE) + 1, flags) == 0;
}

/* A user byte's kernel address; a page the process has not touched yet (a
 * stack page) is mapped now, as the page-fault handler would map it. */
static uint8_t *user_byte(const pde_t *pd, uintptr_t va, bool write)
{
    uint32_t need = PTE_PRESENT | PTE_USER | (write ? PTE_WRITABLE : 0);
    uint8_t *b = mapped_byte(pd, va, need);

    if (!b && mm_fault_in((pde_t *)pd, va))
        b = mapped_byte(pd, va, need);
    return b;
}

uint32_t *vm_user_word(pde_t *pd, uintptr_t va, bool write)
{
    return (uint32_t *)user_byte(pd, va, write);
}

int vm_fill(pde_t *pd, uintptr_t va, const void *src, size_t len)
{
    const uint8_t *s = src;

    while (len) {
        size_t chunk = PAGE_SIZE - (va & (PAGE_SIZE - 1));
        uint8_t *dst = mapped_byte(pd, va, PTE_PRESENT);
        if (!dst)
            return -EFAULT;
        if (chunk > len)
            chunk = len;
        memcpy(dst, s, chunk);
        va += chunk;
        s += chunk;
        len -= chunk;
    }
    return 0;
}

bool vm_user_range_ok(const pde_t *pd, uintptr_t va, size_t len, bool write)
{
    if (va + len < va || va + len > USER_TOP)
        return false;
    for (uintptr_t p = va; p < va + len; p = ALIGN_DOWN(p, PAGE_SIZE) + PAGE_SIZE)
        if (!user_byte(pd, p, write))
            return false;
    return true;
}

/* Copies in page-sized chunks; to_user picks the direction. */
static int copy_user(const pde_t *pd, uintptr_t uva, void *kbuf, size_t len, bool to_user)
{
    uint8_t *k = kbuf;

    if (!vm_user_range_ok(pd, uva, len, to_user))
        return -EFAULT;
    while (len) {
        size_t chunk = PAGE_SIZE - (uva & (PAGE_SIZE - 1));
        uint8_t *u = user_byte(pd, uva, to_user);
        if (chunk > len)
            chunk = len;
        if (to_user)
            memcpy(u, k, chunk);
        else
            memcpy(k, u, chunk);
        uva += chunk;
        k += chunk;
        len -= chunk;
    }
    return 0;
}

int vm_copy_out(pde_t *pd, uintptr_t dst, const void *src, size_t len)
{
    return copy_user(pd, dst, (void *)src, len, true);
}

int vm_copy_in(const pde_t *pd, void *dst, uintptr_t src, size_t len)
{
    return copy_user(pd, src, dst, len, false);
}

int vm_copy_string_in(const pde_t *pd, char *dst, uintptr_t src, size_t max)
{
    for (size_t i = 0; i < max; i++) {
        const uint8_t *u = src + i >= src ? user_byte(pd, src + i, false) : NULL;
        if (!u)
            return -EFAULT;
        dst[i] = (char)*u;
        if (!*u)
            return (int)i;
    }
    return -ENAMETOOLONG;
}
