/*
 * Scheduling as a program asks about it: nice values (getpriority,
 * setpriority), the CPU affinity mask and the scheduling policy. Relay has
 * one CPU and one round-robin policy, so these keep and report what Linux
 * would, with Linux's permission rules and errors (kernel/sys.c,
 * kernel/sched/core.c there); the scheduler itself ignores nice values.
 */
#include "errno.h"
#include "proc.h"
#include "syscall.h"
#include "vm.h"

enum { PRIO_PROCESS, PRIO_PGRP, PRIO_USER };
#define NICE_MIN             (-20)
#define NICE_MAX             19
#define NICE_TO_RLIMIT(nice) (20 - (nice)) /* getpriority's 1..40, RLIMIT_NICE's scale */
#define CPU_MASK_BYTES       4             /* Linux i386's cpumask_size(): one unsigned long */
#define CPUS                 1             /* Linux's nr_cpu_ids */
#define CPU_MASK_ALL         ((1u << CPUS) - 1)
#define BITS_PER_BYTE        8
#define SCHED_OTHER          0
#define SCHED_FIFO           1
#define SCHED_RR             2
#define SCHED_BATCH          3
#define SCHED_IDLE           5
#define SCHED_DEADLINE       6
#define RT_PRIO_MAX          99 /* MAX_RT_PRIO - 1 */

static struct proc *self(void) { return current_proc(); }

/* pid 0 is the caller; Linux finds zombies too, until they are reaped. */
static struct proc *find_task(int pid) { return pid ? proc_find(pid) : self(); }

/* Is p one of the processes that getpriority/setpriority's which and who name? */
static bool prio_matches(const struct proc *p, int which, uint32_t who)
{
    if (p->state == PROC_UNUSED)
        return false;
    if (which == PRIO_PROCESS)
        return p == find_task((int)who);
    if (which == PRIO_PGRP)
        return p->pgid == (who ? (int)who : self()->pgid);
    return p->cred.uid == (who ? who : self()->cred.uid);
}

/* The highest priority (lowest nice) of those named, as 20 - nice: the
 * system call never returns a negative value but an error; libc turns it
 * back into a nice value. */
SYSCALL_DEFINE2(getpriority, int, which, uint32_t, who)
{
    long best = -ESRCH;

    if (which < PRIO_PROCESS || which > PRIO_USER)
        return -EINVAL;
    for (struct proc *p = proc_table; p < proc_table + NPROC; p++)
        if (prio_matches(p, which, who) && NICE_TO_RLIMIT(p->nice) > best)
            best = NICE_TO_RLIMIT(p->nice);
    return best;
}

/* Linux's set_one_prio: another user's process is EPERM, a lower nice than
 * now beyond RLIMIT_NICE is EACCES, unprivileged; error is the answer so far. */
static long set_one_nice(struct proc *p, int nice, long error)
{
    const struct creds *c = &self()->cred;
    bool privileged = c->euid == 0;

    if (p->cred.uid != c->euid && p->cred.euid != c->euid && !privileged)
        return -EPERM;
    if (nice < p->nice && (uint64_t)NICE_TO_RLIMIT(nice) > p->rlim[RLIMIT_NICE].cur && !privileged)
        return -EACCES;
    p->nice = nice;
    return error == -ESRCH ? 0 : error;
}

SYSCALL_DEFINE3(setpriority, int, which, uint32_t, who, int, nice)
{
    long error = -ESRCH;

    if (which < PRIO_PROCESS || which > PRIO_USER)
        return -EINVAL;
    nice = nice < NICE_MIN ? NICE_MIN : nice > NICE_MAX ? NICE_MAX : nice;
    for (struct proc *p = proc_table; p < proc_table + NPROC; p++)
        if (prio_matches(p, which, who))
            error = set_one_nice(p, nice, error);
    return error;
}

/* The mask must have room for every CPU and be a whole number of longs;
 * the answer is how many bytes were written. */
SYSCALL_DEFINE3(sched_getaffinity, int, pid, uint32_t, len, uintptr_t, mask_ptr)
{
    uint32_t mask = CPU_MASK_ALL;

    if (len * BITS_PER_BYTE < CPUS || len % sizeof(uint32_t))
        return -EINVAL;
    if (pid < 0 || !find_task(pid))
        return -ESRCH;
    return vm_copy_out(self()->pd, mask_ptr, &mask, CPU_MASK_BYTES) ? -EFAULT : CPU_MASK_BYTES;
}

/* A mask shorter than Linux's reads as zeros beyond its end; one without
 * CPU 0 leaves nothing to run on (EINVAL). Changing another user's
 * process needs its uid or effective uid to be the caller's effective one. */
SYSCALL_DEFINE3(sched_setaffinity, int, pid, uint32_t, len, uintptr_t, mask_ptr)
{
    uint32_t mask = 0;
    struct proc *p;

    if (vm_copy_in(self()->pd, &mask, mask_ptr, MIN(len, CPU_MASK_BYTES)))
        return -EFAULT;
    if (pid < 0 || !(p = find_task(pid)))
        return -ESRCH;
    if (self()->cred.euid && self()->cred.euid != p->cred.euid && self()->cred.euid != p->cred.uid)
        return -EPERM;
    return mask & CPU_MASK_ALL ? 0 : -EINVAL;
}

/* Every Relay process is SCHED_OTHER with static priority 0. */
SYSCALL_DEFINE1(sched_getscheduler, int, pid)
{
    if (pid < 0)
        return -EINVAL;
    return find_task(pid) ? SCHED_OTHER : -ESRCH;
}

SYSCALL_DEFINE2(sched_getparam, int, pid, uintptr_t, param)
{
    int priority = 0;

    if (pid < 0 || !param)
        return -EINVAL;
    if (!find_task(pid))
        return -ESRCH;
    return vm_copy_out(self()->pd, param, &priority, sizeof(priority)) ? -EFAULT : 0;
}

static bool policy_known(int policy)
{
    return policy == SCHED_OTHER || policy == SCHED_FIFO || policy == SCHED_RR ||
           policy == SCHED_BATCH || policy == SCHED_IDLE || policy == SCHED_DEADLINE;
}

static bool policy_realtime(int policy) { return policy == SCHED_FIFO || policy == SCHED_RR; }

SYSCALL_DEFINE1(sched_get_priority_max, int, policy)
{
    return !policy_known(policy) ? -EINVAL : policy_realtime(policy) ? RT_PRIO_MAX : 0;
}

SYSCALL_DEFINE1(sched_get_priority_min, int, policy)
{
    return !policy_known(policy) ? -EINVAL : policy_realtime(policy) ? 1 : 0;
}
