/*
 * Where things live in the virtual address space (Linux i386's 3G/1G split).
 *
 *   0x00000000 - 0xBFFFFFFF  user space, per process
 *   0xC0000000 - 0xFDFFFFFF  kernel: a direct map of physical 0 - 992 MiB
 *   0xFE000000 - 0xFE3FFFFF  process kernel stacks, each below an unmapped guard page
 *   0xFF800000 - 0xFFBFFFFF  the local APIC and IO APIC registers (one 4 MiB page)
 */
#pragma once

#include "types.h"

#define KERNEL_BASE 0xC0000000u
#define DIRECT_MAP_SIZE (992u << 20)
#define PAGE_SIZE 4096u

/* Physical 0xFEC00000 - 0xFEFFFFFF holds the IO APIC (0xFEC00000) and the
 * local APIC (0xFEE00000) on PC-compatible machines (Intel SDM Vol. 3A 11.4.1). */
#define MMIO_PHYS_BASE 0xFEC00000u
#define MMIO_VIRT_BASE 0xFF800000u
#define MMIO_WINDOW_SIZE (4u << 20)

/* Kernel stacks live in 4 KiB pages so that each can have a guard page
 * below it: a stack that overflows faults at once, and the double fault's
 * own stack (a TSS, arch/x86/gdt.c) reports it. */
#define KSTACK_REGION_BASE 0xFE000000u

#define P2V(pa) ((void *)((uintptr_t)(pa) + KERNEL_BASE))
#define V2P(va) ((uintptr_t)(va) - KERNEL_BASE)

static inline bool phys_is_direct_mapped(uint64_t pa, uint64_t len)
{
    return pa + len <= DIRECT_MAP_SIZE;
}
