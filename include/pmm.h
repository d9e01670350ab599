/*
 * The physical frame allocator (kernel/mm/pmm.c): 4 KiB frames of the direct-
 * mapped RAM that the boot memory map calls available, minus the first MiB,
 * the kernel image and the boot modules.
 */
#pragma once

#include "types.h"

void pmm_init(void);
/* Returns a zeroed frame as a kernel virtual address, or NULL when out of memory. */
void *frame_alloc(void);
/* Drops one reference to a frame; the last one frees it. */
void frame_free(void *va);
/* One more reference to a frame in use (another mapping of it); false when
 * its count is at its maximum. */
bool frame_get(void *va);
/* How many frames are free right now (tests compare it before and after). */
uint32_t pmm_free_count(void);
uint32_t pmm_total_count(void);
