/*
 * Futexes (kernel/proc/futex.c): user-space locks that sleep in the kernel
 * only when they must. A futex is a 32-bit word in user memory; its key is
 * the physical address of that word, so two processes that share the page
 * (MAP_SHARED) and the threads of one process meet on the same futex.
 */
#pragma once

#include "types.h"

struct proc;

/* Wakes at most n waiters on the futex word at uaddr in p's address space
 * (FUTEX_WAKE's wake, for the kernel itself: a thread's exit with
 * CLONE_CHILD_CLEARTID will call it): how many woke, or an error. */
int futex_wake(struct proc *p, uintptr_t uaddr, int n);
