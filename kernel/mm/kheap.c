/*
 * A size-class allocator: each class keeps a free list of equal-sized
 * blocks. When a class runs dry, one frame is cut into blocks of that size.
 * Every block starts with a small header naming its class, so kfree needs
 * no size. Frames are never returned to the frame allocator: the heap only
 * holds kernel objects whose number is bounded (processes, buffers).
 */
#include "kheap.h"
#include "memlayout.h"
#include "panic.h"
#include "pmm.h"
#include "string.h"
#include "x86.h"

#define MIN_SHIFT 4 /* 16 bytes */
#define MAX_SHIFT 11 /* 2048 bytes */
#define CLASS_COUNT (MAX_SHIFT - MIN_SHIFT + 1)
#define BLOCK_MAGIC 0x4B48u /* "KH" */

struct block_header {
    uint16_t magic;
    uint16_t class_index;
    uint32_t pad; /* keeps the payload 8-byte aligned */
};

struct free_block {
    struct free_block *next;
};

static struct free_block *free_lists[CLASS_COUNT];

_Static_assert(KMALLOC_MAX + sizeof(struct block_header) == 1u << MAX_SHIFT, "KMALLOC_MAX");

static int class_for(size_t total)
{
    for (int c = 0; c < CLASS_COUNT; c++)
        if (total <= (1u << (c + MIN_SHIFT)))
            return c;
    return -1;
}

static bool refill(int c)
{
    size_t size = 1u << (c + MIN_SHIFT);
    uint8_t *frame = frame_alloc();

    if (!frame)
        return false;
    for (size_t off = 0; off + size <= PAGE_SIZE; off += size) {
        struct free_block *b = (struct free_block *)(frame + off);
        b->next = free_lists[c];
        free_lists[c] = b;
    }
    return true;
}

void *kmalloc(size_t size)
{
    int c = class_for(size + sizeof(struct block_header));
    struct block_header *h = NULL;
    uint32_t flags;

    if (c < 0)
        return NULL;
    flags = irq_save();
    if (free_lists[c] || refill(c)) {
        h = (struct block_header *)free_lists[c];
        free_lists[c] = free_lists[c]->next;
    }
    irq_restore(flags);
    if (!h)
        return NULL;
    memset(h, 0, 1u << (c + MIN_SHIFT));
    *h = (struct block_header){.magic = BLOCK_MAGIC, .class_index = (uint16_t)c};
    return h + 1;
}

void kfree(void *p)
{
    struct block_header *h;
    struct free_block *b;
    uint32_t flags;
    int c;

    if (!p)
        return;
    h = (struct block_header *)p - 1;
    if (h->magic != BLOCK_MAGIC || h->class_index >= CLASS_COUNT)
        panic("kfree: %p was not allocated by kmalloc", p);
    c = h->class_index;
    b = (struct free_block *)h;
    flags = irq_save();
    b->next = free_lists[c];
    free_lists[c] = b;
    irq_restore(flags);
}
