/*
 * The kernel heap (kernel/mm/kheap.c): small objects in power-of-two size
 * classes from 16 to 2048 bytes (each with an 8-byte header), carved out of
 * frames.
 */
#pragma once

#include "types.h"

#define KMALLOC_MAX 2040 /* a 2048-byte block less its 8-byte header */

/* Returns zeroed memory, or NULL when out of memory or size > KMALLOC_MAX. */
void *kmalloc(size_t size);
void kfree(void *p);
