/* malloc over brk: a first-fit free list kept in address order, so free() can merge a block
 * with its neighbours. Every block starts with a 16-byte header; payloads are 16-byte aligned.
 * Memory is never given back to the kernel. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define ALIGN    16
#define MIN_GROW (64 * 1024)

struct block {
    size_t size;        /* bytes, header included, a multiple of ALIGN */
    struct block *next; /* next free block by address; unused while allocated */
    char pad[ALIGN - sizeof(size_t) - sizeof(struct block *)];
};

_Static_assert(sizeof(struct block) == ALIGN, "block header must keep payloads aligned");

static struct block *free_list;

/* Inserts b in address order and merges it with the blocks it touches. */
static void free_insert(struct block *b)
{
    struct block **pp = &free_list, *prev = NULL;

    while (*pp && *pp < b) {
        prev = *pp;
        pp = &(*pp)->next;
    }
    b->next = *pp;
    *pp = b;
    if (b->next && (char *)b + b->size == (char *)b->next) {
        b->size += b->next->size;
        b->next = b->next->next;
    }
    if (prev && (char *)prev + prev->size == (char *)b) {
        prev->size += b->size;
        prev->next = b->next;
    }
}

/* Adds at least size bytes from the kernel to the free list. */
static int grow(size_t size)
{
    char *p = sbrk(0);
    size_t pad = (ALIGN - (uintptr_t)p % ALIGN) % ALIGN;

    if (size < MIN_GROW)
        size = MIN_GROW;
    if (sbrk(pad + size) == (void *)-1)
        return -1;
    struct block *b = (struct block *)(p + pad);
    b->size = size;
    free_insert(b);
    return 0;
}

void *malloc(size_t n)
{
    size_t size;
    struct block **pp, *b;

    if (n > SIZE_MAX / 2)
        return NULL;
    size = (n + sizeof(struct block) + ALIGN - 1) / ALIGN * ALIGN;
    for (;;) {
        for (pp = &free_list; (b = *pp); pp = &b->next) {
            if (b->size < size)
                continue;
            if (b->size - size >= 2 * ALIGN) {
                /* Split: the tail stays free. */
                struct block *rest = (struct block *)((char *)b + size);
                rest->size = b->size - size;
                rest->next = b->next;
                b->size = size;
                *pp = rest;
            } else {
                *pp = b->next;
            }
            return b + 1;
        }
        if (grow(size) < 0)
            return NULL;
    }
}

void free(void *p)
{
    if (p)
        free_insert((struct block *)p - 1);
}

void *calloc(size_t n, size_t size)
{
    void *p;

    if (size && n > SIZE_MAX / size)
        return NULL;
    p = malloc(n * size);
    if (p)
        memset(p, 0, n * size);
    return p;
}

void *realloc(void *p, size_t n)
{
    size_t have;
    void *q;

    if (!p)
        return malloc(n);
    have = ((struct block *)p - 1)->size - sizeof(struct block);
    if (n <= have)
        return p;
    q = malloc(n);
    if (q) {
        memcpy(q, p, have);
        free(p);
    }
    return q;
}
