/*
 * Resource usage: getrusage(2), times(2), and the rusage wait4 reports.
 * CPU time is sampled by the timer tick, as Linux's tick-based accounting:
 * a tick that interrupts user mode is a tick of user time, one that finds
 * the process in the kernel a tick of system time (kernel/proc/sched.c).
 */
#include "errno.h"
#include "proc.h"
#include "rusage.h"
#include "string.h"
#include "syscall.h"
#include "timer.h"

#define USEC_PER_SEC 1000000ull
#define USER_HZ 100 /* clock_t ticks per second in Linux's user ABI (times, /proc) */

struct usage {
    uint32_t cpu_ticks, user_ticks, nvcsw, nivcsw;
};

static struct usage own_usage(const struct proc *p)
{
    return (struct usage){p->cpu_ticks, p->user_ticks, p->nvcsw, p->nivcsw};
}

static struct usage children_usage(const struct proc *p)
{
    return (struct usage){p->reaped_cpu_ticks, p->reaped_user_ticks, p->reaped_nvcsw,
                          p->reaped_nivcsw};
}

static struct usage usage_of(const struct proc *p, enum rusage_who who)
{
    struct usage own = own_usage(p), kids = children_usage(p);

    if (who == RUSAGE_CHILDREN)
        return kids;
    if (who != RUSAGE_BOTH)
        return own;
    return (struct usage){own.cpu_ticks + kids.cpu_ticks, own.user_ticks + kids.user_ticks,
                          own.nvcsw + kids.nvcsw, own.nivcsw + kids.nivcsw};
}

static void ticks_to_timeval(uint32_t ticks, int32_t *sec, int32_t *usec)
{
    uint64_t us = (uint64_t)ticks * USEC_PER_SEC / timer_hz();

    *sec = (int32_t)(us / USEC_PER_SEC);
    *usec = (int32_t)(us % USEC_PER_SEC);
}

void rusage_fill(const struct proc *p, enum rusage_who who, struct linux_rusage *ru)
{
    struct usage u = usage_of(p, who);

    memset(ru, 0, sizeof(*ru));
    ticks_to_timeval(u.user_ticks, &ru->utime.tv_sec, &ru->utime.tv_usec);
    ticks_to_timeval(u.cpu_ticks - u.user_ticks, &ru->stime.tv_sec, &ru->stime.tv_usec);
    ru->nvcsw = (int32_t)u.nvcsw;
    ru->nivcsw = (int32_t)u.nivcsw;
}

void rusage_add_child(struct proc *parent, const struct proc *child)
{
    struct usage u = usage_of(child, RUSAGE_BOTH);

    parent->reaped_cpu_ticks += u.cpu_ticks;
    parent->reaped_user_ticks += u.user_ticks;
    parent->reaped_nvcsw += u.nvcsw;
    parent->reaped_nivcsw += u.nivcsw;
}

/* RUSAGE_THREAD is the process: one thread per process. */
SYSCALL_DEFINE2(getrusage, int, who, uintptr_t, usage)
{
    struct linux_rusage ru;

    if (who != RUSAGE_SELF && who != RUSAGE_CHILDREN && who != RUSAGE_THREAD)
        return -EINVAL;
    rusage_fill(current_proc(), who, &ru);
    return vm_copy_out(current_proc()->pd, usage, &ru, sizeof(ru)) ? -EFAULT : 0;
}

static int32_t ticks_to_clock_t(uint64_t ticks) { return (int32_t)(ticks * USER_HZ / timer_hz()); }

/* times(2): the four CPU times in clock_t (USER_HZ), and the time since
 * boot as its result (Linux's starts 5 minutes before 0 to catch wrap
 * bugs: only differences mean anything). */
SYSCALL_DEFINE1(times, uintptr_t, buf)
{
    struct proc *p = current_proc();
    int32_t tms[] = {
        ticks_to_clock_t(p->user_ticks), ticks_to_clock_t(p->cpu_ticks - p->user_ticks),
        ticks_to_clock_t(p->reaped_user_ticks),
        ticks_to_clock_t(p->reaped_cpu_ticks - p->reaped_user_ticks),
    };

    if (buf && vm_copy_out(p->pd, buf, tms, sizeof(tms)))
        return -EFAULT;
    return ticks_to_clock_t(timer_ticks());
}
