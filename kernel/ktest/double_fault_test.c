/*
 * Suite "meta-double-fault": a kernel stack overflow must give a readable
 * panic naming the double fault, not a triple fault. The test moves onto
 * the bottom of a process's kernel stack and takes a breakpoint: the trap
 * entry's pushes run into the guard page below (include/memlayout.h), the
 * page fault cannot push its own frame there either, and that is a double
 * fault (SDM Vol. 3A 6.15, Table 6-5). Its task gate switches to a fresh
 * stack. The host runner expects this suite to panic (tests/suites.py).
 */
#include "ktest.h"
#include "proc.h"

#define NEAR_THE_BOTTOM 16 /* bytes left above the guard page */

KTEST("meta-double-fault", stack_overflow_panics_readably)
{
    uint8_t *bottom = proc_table[NPROC - 1].kstack + NEAR_THE_BOTTOM;
    __asm__ volatile("movl %0, %%esp; int3" : : "r"(bottom) : "memory");
}
