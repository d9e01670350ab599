/*
 * Process system calls: identity, process groups and sessions, fork, exit,
 * wait, yield and sleep. Semantics and error numbers follow Linux
 * (kernel/sys.c, kernel/exit.c, kernel/fork.c there).
 */
#include "clock.h"
#include "errno.h"
#include "file.h"
#include "mm.h"
#include "proc.h"
#include "signal.h"
#include "string.h"
#include "syscall.h"
#include "timer.h"
#include "vm.h"
#include "x86.h"

#define WNOHANG 1
#define WUNTRACED 2
#define WCONTINUED 8
#define WAIT_OPTIONS_KNOWN (WNOHANG | WUNTRACED | WCONTINUED)
#define USEC_PER_SEC 1000000ull

SYSCALL_DEFINE1(exit, int, code)
{
    proc_exit(WAIT_STATUS_EXITED(code));
}

SYSCALL_DEFINE1(exit_group, int, code)
{
    proc_exit(WAIT_STATUS_EXITED(code));
}

SYSCALL_DEFINE0(getpid) { return current_proc()->pid; }
SYSCALL_DEFINE0(gettid) { return current_proc()->pid; } /* one thread per process */
SYSCALL_DEFINE0(getpgrp) { return current_proc()->pgid; }

SYSCALL_DEFINE0(getppid)
{
    struct proc *parent = current_proc()->parent;
    return parent ? parent->pid : 0;
}

SYSCALL_DEFINE1(getpgid, int, pid)
{
    struct proc *p = pid ? proc_find(pid) : current_proc();
    return p ? p->pgid : -ESRCH;
}

SYSCALL_DEFINE0(setsid)
{
    struct proc *p = current_proc();

    if (pgrp_exists(p->pid)) /* a group leader, or its id is some group's */
        return -EPERM;
    p->sid = p->pgid = p->pid;
    return p->sid;
}

/* Linux's rules (setpgid(2)): only self or a child that has not exec'd,
 * in the same session, not a session leader, into a group of the session. */
SYSCALL_DEFINE2(setpgid, int, pid, int, pgid)
{
    struct proc *self = current_proc();
    struct proc *p = pid ? proc_find(pid) : self;

    /* Linux reads pgid 0 as pid before it checks the sign: setpgid(-5, 0) is EINVAL. */
    if (pgid < 0 || (!pgid && pid < 0))
        return -EINVAL;
    if (!p || (p != self && p->parent != self))
        return -ESRCH;
    if (p != self && p->did_exec)
        return -EACCES;
    if (p->sid == p->pid || p->sid != self->sid)
        return -EPERM;
    if (!pgid)
        pgid = p->pid;
    if (pgid != p->pid && !pgrp_in_session(pgid, self->sid))
        return -EPERM;
    p->pgid = pgid;
    return 0;
}

/* A copy of the calling process, RUNNABLE, returning 0 from the system call
 * that made it; NULL with *err set when it cannot be made. */
static struct proc *fork_current(const struct trapframe *tf, long *err)
{
    struct proc *parent = current_proc();
    struct proc *child = proc_alloc();

    *err = -EAGAIN;
    if (!child)
        return NULL;
    if (!(child->pd = vm_clone(parent->pd))) {
        proc_free(child);
        *err = -ENOMEM;
        return NULL;
    }
    *child->tf = *tf;
    child->tf->eax = 0; /* fork returns 0 in the child */
    memcpy(child->name, parent->name, sizeof(child->name));
    child->parent = parent;
    child->pgid = parent->pgid;
    child->sid = parent->sid;
    child->brk_start = parent->brk_start;
    child->brk = parent->brk;
    child->mm = parent->mm; /* vm_clone copied the pages, or shared them (MAP_SHARED) */
    memcpy(child->tls, parent->tls, sizeof(child->tls));
    fpu_save(&child->fpu); /* the parent is on the CPU: its registers are live */
    sig_fork(child, parent);
    files_fork(child, parent);
    child->cred = parent->cred;
    memcpy(child->rlim, parent->rlim, sizeof(child->rlim));
    child->state = PROC_RUNNABLE;
    return child;
}

SYSCALL_DEFINE0(fork)
{
    long err;
    struct proc *child = fork_current(current_proc()->tf, &err);
    return child ? child->pid : err;
}

/* vfork: Linux's child borrows the parent's memory, and the parent waits
 * until the child execs or exits. Relay's child gets a copy, as from fork,
 * so sharing nothing it needs no borrowing; the parent still waits, so
 * the two run in Linux's order. A signal for the parent ends its wait
 * early (Linux's wait is only killable): the copy makes that safe. */
SYSCALL_DEFINE0(vfork)
{
    struct proc *self = current_proc();
    long err;
    struct proc *child = fork_current(self->tf, &err);
    int pid;

    if (!child)
        return err;
    pid = child->pid;
    child->vfork_pending = true;
    cli();
    while (child->pid == pid && child->vfork_pending && !sig_interrupting(self))
        proc_sleep(&child->vfork_pending);
    sti();
    return pid;
}

void vfork_release(struct proc *p)
{
    if (!p->vfork_pending)
        return;
    p->vfork_pending = false;
    proc_wakeup(&p->vfork_pending);
}

/* clone(2) flags (include/uapi/linux/sched.h). */
#define CLONE_EXIT_SIGNAL_MASK 0x000000FFu
#define CLONE_PARENT_SETTID 0x00100000u
#define CLONE_CHILD_CLEARTID 0x00200000u
#define CLONE_CHILD_SETTID 0x01000000u
#define CLONE_FORK_LIKE (CLONE_PARENT_SETTID | CLONE_CHILD_CLEARTID | CLONE_CHILD_SETTID)

/* clone as a libc uses it for fork() (glibc: SIGCHLD plus the tid flags).
 * Relay has no threads: anything that would share memory, files or signal
 * handlers is refused with ENOSYS, never half done. */
SYSCALL_DEFINE5(clone, uint32_t, flags, uintptr_t, stack, uintptr_t, parent_tid, uintptr_t, tls,
                uintptr_t, child_tid)
{
    struct proc *child;
    long err;

    (void)tls;
    if ((flags & CLONE_EXIT_SIGNAL_MASK) != SIGCHLD || (flags & ~CLONE_EXIT_SIGNAL_MASK & ~CLONE_FORK_LIKE) ||
        stack)
        return -ENOSYS;
    if (!(child = fork_current(current_proc()->tf, &err)))
        return err;
    /* The child exists whatever happens to these stores, so their failure is
     * ignored, as Linux ignores it (kernel/fork.c kernel_clone's put_user;
     * the child's own store is done in schedule_tail, before it first runs,
     * which this one into its address space stands for). */
    if (flags & CLONE_PARENT_SETTID)
        vm_copy_out(current_proc()->pd, parent_tid, &child->pid, sizeof(int));
    if (flags & CLONE_CHILD_SETTID)
        vm_copy_out(child->pd, child_tid, &child->pid, sizeof(int));
    if (flags & CLONE_CHILD_CLEARTID)
        child->clear_child_tid = child_tid;
    return child->pid;
}

/* Does child p match wait4's pid argument (Linux wait4(2))? */
static bool wait_matches(const struct proc *p, int pid)
{
    if (pid > 0)
        return p->pid == pid;
    if (pid == 0)
        return p->pgid == current_proc()->pgid;
    if (pid < -1)
        return p->pgid == -pid;
    return true;
}

/* struct rusage as Linux i386 writes it (include/uapi/linux/resource.h, with
 * 32-bit longs). Relay counts CPU time only; the other fields stay 0. */
struct linux_rusage {
    struct {
        int32_t tv_sec, tv_usec;
    } utime, stime;
    int32_t maxrss, ixrss, idrss, isrss, minflt, majflt, nswap, inblock, oublock, msgsnd,
        msgrcv, nsignals, nvcsw, nivcsw;
};
_Static_assert(sizeof(struct linux_rusage) == 72, "struct rusage is 72 bytes on i386");

struct wait_report {
    int status;
    struct linux_rusage usage;
};

static void ticks_to_timeval(uint32_t ticks, int32_t *sec, int32_t *usec)
{
    uint64_t us = (uint64_t)ticks * USEC_PER_SEC / timer_hz();

    *sec = (int32_t)(us / USEC_PER_SEC);
    *usec = (int32_t)(us % USEC_PER_SEC);
}

/* Linux reports a child's own times plus those of the children it reaped
 * (getrusage RUSAGE_BOTH, kernel/exit.c wait_task_zombie). */
static void child_usage(const struct proc *p, struct linux_rusage *ru)
{
    uint32_t user = p->user_ticks + p->reaped_user_ticks;
    uint32_t all = p->cpu_ticks + p->reaped_cpu_ticks;

    memset(ru, 0, sizeof(*ru));
    ticks_to_timeval(user, &ru->utime.tv_sec, &ru->utime.tv_usec);
    ticks_to_timeval(all - user, &ru->stime.tv_sec, &ru->stime.tv_usec);
}

/* A zombie's times become its parent's children's times, and it is freed. */
static void reap_zombie(struct proc *p, struct wait_report *r)
{
    struct proc *parent = current_proc();

    r->status = p->wait_status;
    child_usage(p, &r->usage);
    parent->reaped_cpu_ticks += p->cpu_ticks + p->reaped_cpu_ticks;
    parent->reaped_user_ticks += p->user_ticks + p->reaped_user_ticks;
    proc_free(p);
}

/* Has child p something to report to wait4 with these options? A zombie
 * is reaped; a stop or a continue is reported once. */
static bool child_report(struct proc *p, int options, struct wait_report *r)
{
    if (p->state == PROC_ZOMBIE) {
        reap_zombie(p, r);
        return true;
    }
    if ((options & WUNTRACED) && p->state == PROC_STOPPED && p->stop_unreported) {
        p->stop_unreported = false;
        r->status = WAIT_STATUS_STOPPED(p->stop_signal);
    } else if ((options & WCONTINUED) && p->continue_unreported) {
        p->continue_unreported = false;
        r->status = WAIT_STATUS_CONTINUED;
    } else {
        return false;
    }
    child_usage(p, &r->usage);
    return true;
}

/* Returns the pid of a child with news, 0 when none has any yet, -ECHILD
 * when there is no matching child at all. */
static int reap_one(int pid, int options, struct wait_report *r)
{
    bool have_child = false;

    for (struct proc *p = proc_table; p < proc_table + NPROC; p++) {
        int child_pid = p->pid;
        if (p->state == PROC_UNUSED || p->parent != current_proc() || !wait_matches(p, pid))
            continue;
        have_child = true;
        if (child_report(p, options, r))
            return child_pid;
    }
    return have_child ? 0 : -ECHILD;
}

/* The child is reaped before anything is written back: a bad status or
 * rusage pointer makes the call fail with EFAULT, but the zombie is gone,
 * as on Linux (kernel/exit.c kernel_wait4, then sys_wait4's rusage copy). */
SYSCALL_DEFINE4(wait4, int, pid, uintptr_t, status_ptr, int, options, uintptr_t, rusage)
{
    struct proc *self = current_proc();
    struct wait_report report;
    int reaped;

    if (options & ~WAIT_OPTIONS_KNOWN)
        return -EINVAL;
    cli();
    while ((reaped = reap_one(pid, options, &report)) == 0 && !(options & WNOHANG)) {
        if (sig_interrupting(self)) {
            sti();
            return -ERESTARTSYS;
        }
        proc_sleep(self);
    }
    sti();
    if (reaped <= 0)
        return reaped;
    if (status_ptr && vm_copy_out(self->pd, status_ptr, &report.status, sizeof(report.status)))
        return -EFAULT;
    if (rusage && vm_copy_out(self->pd, rusage, &report.usage, sizeof(report.usage)))
        return -EFAULT;
    return reaped;
}

SYSCALL_DEFINE3(waitpid, int, pid, uintptr_t, status_ptr, int, options)
{
    return do_sys_wait4(pid, status_ptr, options, 0); /* wait4 without rusage */
}

SYSCALL_DEFINE0(sched_yield)
{
    sched_yield();
    return 0;
}

static uint64_t ns_to_ticks(uint64_t ns)
{
    uint64_t per_tick = NSEC_PER_SEC / timer_hz();
    return (ns + per_tick - 1) / per_tick; /* never sleep less than asked */
}

/* The time left until wake_tick when a signal cuts a sleep of ns short. The
 * extra tick the sleep adds was never asked for, and rounding up to ticks
 * must not give back more than was asked: else a program that sleeps again
 * for what is left, under a signal every tick (a 1 ms timer at hz=1000),
 * would never get closer to its end. */
static uint64_t remaining_ns(uint64_t wake_tick, uint64_t ns)
{
    uint64_t now = timer_ticks();
    uint64_t left = wake_tick > now + 1 ? wake_tick - now - 1 : 0;
    uint64_t left_ns = left * (NSEC_PER_SEC / timer_hz());

    return left_ns < ns ? left_ns : ns;
}

long proc_sleep_ns(uint64_t ns, uint64_t *left_ns)
{
    struct proc *self = current_proc();
    long result = 0;

    cli();
    /* +1: the current tick is already partly over. */
    self->wake_tick = timer_ticks() + ns_to_ticks(ns) + 1;
    while (timer_ticks() < self->wake_tick) {
        if (sig_interrupting(self)) {
            *left_ns = remaining_ns(self->wake_tick, ns);
            result = -ERESTART_NEVER; /* EINTR if a handler runs */
            break;
        }
        proc_sleep(&self->wake_tick);
    }
    self->wake_tick = 0;
    sti();
    return result;
}

SYSCALL_DEFINE2(nanosleep, uintptr_t, req_ptr, uintptr_t, rem_ptr)
{
    int64_t want;
    uint64_t left = 0;
    long result = time_from_user(req_ptr, TIMESPEC32, &want);

    if (result)
        return result;
    result = proc_sleep_ns((uint64_t)want, &left);
    if (result && rem_ptr)
        time_to_user(rem_ptr, TIMESPEC32, (int64_t)left);
    return result;
}

/* set_tid_address(2): a threads library's hook. Relay has no threads, so the
 * address is only remembered; the call returns the caller's thread id. */
SYSCALL_DEFINE1(set_tid_address, uintptr_t, tidptr)
{
    current_proc()->clear_child_tid = tidptr;
    return current_proc()->pid;
}
