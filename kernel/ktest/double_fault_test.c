/*
 * Suite "meta-double-fault": a kernel stack that runs into unmapped memory
 * must give a readable panic naming the double fault, not a triple fault.
 * Pushing the breakpoint's frame onto the broken stack page-faults, pushing
 * the page fault's frame faults again, and that is a double fault
 * (SDM Vol. 3A 6.15, Table 6-5). Its task gate switches to a fresh stack.
 * The host runner expects this suite to panic (tests/suites.py).
 */
#include "ktest.h"

#define UNMAPPED_STACK_TOP 0x00002000u

KTEST("meta-double-fault", stack_overflow_panics_readably)
{
    __asm__ volatile("movl %0, %%esp; int3" : : "i"(UNMAPPED_STACK_TOP) : "memory");
}
