/*
 * Signal system calls, with Linux's argument checks and error numbers
 * (kernel/signal/signal.c and kernel/time/itimer.c there).
 */
#include "clock.h"
#include "errno.h"
#include "proc.h"
#include "sigframe.h"
#include "signal.h"
#include "syscall.h"
#include "timer.h"
#include "trace.h"
#include "x86.h"

#define KERNEL_SIGSET_SIZE 8 /* rt_* calls take a 64-bit sigset_t */
#define USEC_PER_SEC 1000000u
#define ITIMER_COUNT 3

/* sigaction(67)'s struct old_sigaction and rt_sigaction(174)'s struct sigaction. */
struct old_sigaction {
    uint32_t handler, mask, flags, restorer;
};
struct kernel_sigaction {
    uint32_t handler, flags, restorer;
    sig_set_t mask;
};
#define OLD_SIGSET_MASK 0xFFFFFFFFull /* the old calls' sets: signals 1-32 */
struct timeval32 {
    int32_t tv_sec, tv_usec;
};
struct itimerval32 {
    struct timeval32 interval, value;
};

static bool valid_signal(int sig) { return sig >= 1 && sig < NSIG; }

/* The common part of signal, sigaction and rt_sigaction. */
static int change_action(int sig, const struct sig_action *act, struct sig_action *old)
{
    struct proc *p = current_proc();

    if (!valid_signal(sig) || (act && (SIG_BIT(sig) & SIG_UNBLOCKABLE)))
        return -EINVAL;
    if (old)
        *old = p->sig.action[sig];
    if (act) {
        p->sig.action[sig] = *act;
        p->sig.action[sig].mask &= ~SIG_UNBLOCKABLE;
        /* POSIX: setting SIG_IGN (or SIG_DFL where that ignores) discards a pending one. */
        if (act->handler == SIG_IGN || (act->handler == SIG_DFL && (sig == SIGCHLD ||
            sig == SIGURG || sig == SIGWINCH || sig == SIGCONT)))
            sig_discard(p, sig);
    }
    return 0;
}

SYSCALL_DEFINE2(signal, int, sig, uintptr_t, handler)
{
    /* Linux's signal(2) system call has System V semantics: one-shot, no mask. */
    struct sig_action act = {.handler = handler, .flags = SA_RESETHAND | SA_NODEFER}, old;
    int err = change_action(sig, &act, &old);
    return err ? err : (long)old.handler;
}

SYSCALL_DEFINE3(sigaction, int, sig, uintptr_t, act_ptr, uintptr_t, old_ptr)
{
    struct proc *p = current_proc();
    struct old_sigaction in, out;
    struct sig_action act, old;
    int err;

    if (act_ptr) {
        if (vm_copy_in(p->pd, &in, act_ptr, sizeof(in)))
            return -EFAULT;
        act = (struct sig_action){in.handler, in.flags, in.restorer, in.mask};
    }
    if ((err = change_action(sig, act_ptr ? &act : NULL, &old)))
        return err;
    out = (struct old_sigaction){old.handler, (uint32_t)old.mask, old.flags, old.restorer};
    if (old_ptr && vm_copy_out(p->pd, old_ptr, &out, sizeof(out)))
        return -EFAULT;
    return 0;
}

SYSCALL_DEFINE4(rt_sigaction, int, sig, uintptr_t, act_ptr, uintptr_t, old_ptr, size_t, setsize)
{
    struct proc *p = current_proc();
    struct kernel_sigaction in, out;
    struct sig_action act, old;
    int err;

    if (setsize != KERNEL_SIGSET_SIZE)
        return -EINVAL;
    if (act_ptr) {
        if (vm_copy_in(p->pd, &in, act_ptr, sizeof(in)))
            return -EFAULT;
        act = (struct sig_action){in.handler, in.flags, in.restorer, in.mask};
    }
    if ((err = change_action(sig, act_ptr ? &act : NULL, &old)))
        return err;
    out = (struct kernel_sigaction){old.handler, old.flags, old.restorer, old.mask};
    if (old_ptr && vm_copy_out(p->pd, old_ptr, &out, sizeof(out)))
        return -EFAULT;
    return 0;
}

/* Applies how (SIG_BLOCK, SIG_UNBLOCK, SIG_SETMASK) to the mask. */
static int apply_how(int how, sig_set_t *mask, sig_set_t set)
{
    switch (how) {
    case SIG_BLOCK:
        *mask |= set;
        return 0;
    case SIG_UNBLOCK:
        *mask &= ~set;
        return 0;
    case SIG_SETMASK:
        *mask = set;
        return 0;
    default:
        return -EINVAL;
    }
}

/* Reads a set of setsize bytes (4 for the old call, 8) and writes the old
 * mask back. The old call's set covers signals 1-32 only: SIG_SETMASK
 * keeps the upper half (Linux: sys_sigprocmask). set_ptr NULL: how is not
 * even looked at, as on Linux. */
static long sigprocmask_common(int how, uintptr_t set_ptr, uintptr_t old_ptr, size_t setsize)
{
    struct proc *p = current_proc();
    sig_set_t set = 0, old = p->sig.blocked, mask = p->sig.blocked;
    int err;

    if (set_ptr && vm_copy_in(p->pd, &set, set_ptr, setsize))
        return -EFAULT;
    if (setsize < sizeof(set) && how == SIG_SETMASK)
        set |= mask & ~OLD_SIGSET_MASK;
    if (set_ptr && (err = apply_how(how, &mask, set)))
        return err;
    p->sig.blocked = mask & ~SIG_UNBLOCKABLE; /* silently, as on Linux */
    if (old_ptr && vm_copy_out(p->pd, old_ptr, &old, setsize))
        return -EFAULT;
    return 0;
}

SYSCALL_DEFINE3(sigprocmask, int, how, uintptr_t, set_ptr, uintptr_t, old_ptr)
{
    return sigprocmask_common(how, set_ptr, old_ptr, sizeof(uint32_t));
}

SYSCALL_DEFINE4(rt_sigprocmask, int, how, uintptr_t, set_ptr, uintptr_t, old_ptr, size_t, setsize)
{
    if (setsize != KERNEL_SIGSET_SIZE)
        return -EINVAL;
    return sigprocmask_common(how, set_ptr, old_ptr, setsize);
}

static long sigpending_common(uintptr_t set_ptr, size_t setsize)
{
    struct proc *p = current_proc();
    sig_set_t set = p->sig.pending & p->sig.blocked;

    if (!setsize)
        return 0; /* Linux copies nothing, so no pointer can be bad (found by fuzz errno) */
    return vm_copy_out(p->pd, set_ptr, &set, setsize);
}

SYSCALL_DEFINE1(sigpending, uintptr_t, set_ptr) { return sigpending_common(set_ptr, 4); }

SYSCALL_DEFINE2(rt_sigpending, uintptr_t, set_ptr, size_t, setsize)
{
    if (setsize > KERNEL_SIGSET_SIZE)
        return -EINVAL;
    return sigpending_common(set_ptr, setsize);
}

/* Sleeps until a signal is pending; the caller returns -ERESTARTNOHAND. */
static void sleep_until_signal(struct proc *p)
{
    cli();
    while (!sig_interrupting(p))
        proc_sleep(p);
    sti();
}

SYSCALL_DEFINE0(pause)
{
    sleep_until_signal(current_proc());
    return -ERESTARTNOHAND;
}

/* The mask is swapped for the sleep; delivery puts the old one in the
 * handler's frame, so sigreturn restores it (Linux: saved_sigmask). */
static long suspend_with_mask(sig_set_t mask)
{
    struct proc *p = current_proc();

    if (!p->sig.restore_blocked) { /* not when restarted after a stop */
        p->sig.saved_blocked = p->sig.blocked;
        p->sig.restore_blocked = true;
    }
    p->sig.blocked = mask & ~SIG_UNBLOCKABLE;
    sleep_until_signal(p);
    return -ERESTARTNOHAND;
}

/* The old call's mask covers signals 1-32; the rest are unblocked. */
SYSCALL_DEFINE3(sigsuspend, int, unused1, int, unused2, uint32_t, mask)
{
    (void)unused1, (void)unused2;
    return suspend_with_mask(mask);
}

SYSCALL_DEFINE2(rt_sigsuspend, uintptr_t, mask_ptr, size_t, setsize)
{
    sig_set_t mask;

    if (setsize != KERNEL_SIGSET_SIZE)
        return -EINVAL;
    if (vm_copy_in(current_proc()->pd, &mask, mask_ptr, sizeof(mask)))
        return -EFAULT;
    return suspend_with_mask(mask);
}

SYSCALL_DEFINE0(sigreturn) { return (long)sigframe_return(current_proc()->tf, false); }
SYSCALL_DEFINE0(rt_sigreturn) { return (long)sigframe_return(current_proc()->tf, true); }

/* Sends sig to p (or to its thread): -ESRCH if p is gone, -EINVAL for a
 * bad signal, -EPERM if not allowed, -EAGAIN for a full queue, 0 else. As
 * in Linux, the target is looked for before the signal is checked, so a
 * missing target gives ESRCH whatever the signal. Signal 0 only checks. */
static int send_one(struct proc *p, int sig, const struct sig_info *info, enum sig_target to)
{
    if (!p || p->state == PROC_UNUSED || p->state == PROC_ZOMBIE)
        return -ESRCH;
    if (sig < 0 || sig >= NSIG)
        return -EINVAL;
    if (!sig_permitted(current_proc(), p, sig))
        return -EPERM;
    if (!sig)
        return 0;
    return to == SIG_TO_THREAD ? sig_queue_thread(p, sig, info) : sig_queue(p, sig, info);
}

static int kill_one(struct proc *p, int sig, const struct sig_info *info)
{
    return send_one(p, sig, info, SIG_TO_PROCESS);
}

/* What kill, tkill and tgkill tell the target about their sender. */
static struct sig_info kill_info(int code)
{
    struct proc *self = current_proc();
    return (struct sig_info){
        .code = code, .source = SRC_KILL, .pid = self->tgid, .uid = self->cred.uid};
}

static bool alive(const struct proc *p)
{
    return p->state != PROC_UNUSED && p->state != PROC_ZOMBIE;
}

/* kill(-pgid): 0 when any member got the signal, else the last failure
 * (Linux kernel/signal/signal.c __kill_pgrp_info). */
static int kill_group(int pgid, int sig, const struct sig_info *info)
{
    int result = -ESRCH;
    bool sent = false;

    for (struct proc *p = proc_table; p < proc_table + NPROC; p++) {
        if (alive(p) && p->pgid == pgid) {
            result = kill_one(p, sig, info);
            sent |= result == 0;
        }
    }
    return sent ? 0 : result;
}

/* kill(-1): everyone but init and the caller; the last failure other than
 * EPERM, so 0 when every process tried was forbidden (Linux
 * kill_something_info), and ESRCH when there was nobody to try. */
static int kill_everyone(int sig, const struct sig_info *info)
{
    int result = -ESRCH;

    for (struct proc *p = proc_table; p < proc_table + NPROC; p++) {
        if (!alive(p) || p->pid == INIT_PID || p == current_proc())
            continue;
        int r = kill_one(p, sig, info);
        if (result == -ESRCH || r != -EPERM)
            result = r == -EPERM ? 0 : r;
    }
    return result;
}

/* kill(2): pid > 0 one process, 0 the caller's group, -1 everyone but init
 * and the caller, < -1 the group -pid. */
SYSCALL_DEFINE2(kill, int, pid, int, sig)
{
    struct proc *self = current_proc();
    struct sig_info info = kill_info(SI_USER);

    if (pid > 0)
        return kill_one(proc_find(pid), sig, &info);
    if (pid == -1)
        return kill_everyone(sig, &info);
    return kill_group(pid == 0 ? self->pgid : -pid, sig, &info);
}

SYSCALL_DEFINE2(tkill, int, tid, int, sig)
{
    struct sig_info info = kill_info(SI_TKILL);

    if (tid <= 0)
        return -EINVAL;
    return send_one(proc_find(tid), sig, &info, SIG_TO_THREAD);
}

/* tgkill(2): tkill with the thread group named too, so that a tid reused
 * by another process is not hit. glibc's raise() uses it. */
SYSCALL_DEFINE3(tgkill, int, tgid, int, tid, int, sig)
{
    struct sig_info info = kill_info(SI_TKILL);

    if (tgid <= 0 || tid <= 0)
        return -EINVAL;
    return send_one(thread_find(tgid, tid), sig, &info, SIG_TO_THREAD);
}

/* ------------------------------------------------- sigqueue and friends */

/* The words of a user siginfo_t after si_signo, si_errno and si_code that
 * a queued signal carries: pid, uid, value (or a timer's id, overrun, value). */
struct user_siginfo_head {
    int32_t signo, error, code; /* si_signo, si_errno, si_code */
    uint32_t word[3];
};

/* Reads the siginfo a program sends with rt_sigqueueinfo: its si_code and
 * the fields that go with it, as the program wrote them (Linux keeps them). */
static long siginfo_from_user(uintptr_t at, struct sig_info *info)
{
    struct user_siginfo_head u;

    if (vm_copy_in(current_proc()->pd, &u, at, sizeof(u)))
        return -EFAULT;
    *info = (struct sig_info){.code = u.code, .source = SRC_SIGQUEUE};
    if (u.code == SI_TIMER) {
        info->timer_id = (int)u.word[0];
        info->overrun = (int)u.word[1];
    } else {
        info->pid = (int)u.word[0];
        info->uid = u.word[1];
    }
    info->value = u.word[2];
    return 0;
}

/* Linux's rule: only to itself may a process send a siginfo that claims
 * to come from the kernel (si_code >= 0) or from tkill. */
static bool may_forge(const struct sig_info *info, int target)
{
    return (info->code < 0 && info->code != SI_TKILL) || target == current_proc()->pid;
}

SYSCALL_DEFINE3(rt_sigqueueinfo, int, pid, int, sig, uintptr_t, info_ptr)
{
    struct sig_info info;
    long err = siginfo_from_user(info_ptr, &info);

    if (err)
        return err;
    if (!may_forge(&info, pid))
        return -EPERM;
    return kill_one(pid > 0 ? proc_find(pid) : NULL, sig, &info);
}

SYSCALL_DEFINE4(rt_tgsigqueueinfo, int, tgid, int, tid, int, sig, uintptr_t, info_ptr)
{
    struct sig_info info;
    long err = siginfo_from_user(info_ptr, &info);

    if (err)
        return err;
    if (tgid <= 0 || tid <= 0)
        return -EINVAL;
    if (!may_forge(&info, tid))
        return -EPERM;
    return send_one(thread_find(tgid, tid), sig, &info, SIG_TO_THREAD);
}

/*
 * sigtimedwait: the signals of set are unblocked while the caller sleeps,
 * so that their arrival wakes it, but it takes them itself before it
 * returns to user mode: no handler runs for them (Linux: real_blocked).
 * Another signal that wakes it ends the wait with EINTR.
 */
static int wait_for_signal(sig_set_t set, int64_t timeout_ns, struct sig_info *info)
{
    struct proc *p = current_proc();
    int64_t now;
    long slept;
    int sig = sig_dequeue(p, set, info);

    if (sig || timeout_ns == 0)
        return sig ? sig : -EAGAIN;
    clock_now(CLOCK_MONOTONIC, &now);
    p->sig.real_blocked = p->sig.blocked;
    p->sig.blocked &= ~set;
    slept = clock_sleep_until(CLOCK_MONOTONIC, timeout_ns > INT64_MAX - now ? INT64_MAX : now + timeout_ns);
    p->sig.blocked = p->sig.real_blocked;
    p->sig.real_blocked = 0;
    sig = sig_dequeue(p, set, info);
    if (sig)
        return sig;
    return slept ? -EINTR : -EAGAIN;
}

static long sigtimedwait_common(uintptr_t set_ptr, uintptr_t info_ptr, uintptr_t timeout_ptr,
                                size_t setsize, enum time_layout layout)
{
    struct proc *p = current_proc();
    int64_t timeout_ns = INT64_MAX; /* no timeout: until a signal comes */
    struct sig_info info;
    struct siginfo si;
    sig_set_t set;
    long result;

    if (setsize != KERNEL_SIGSET_SIZE)
        return -EINVAL;
    if (vm_copy_in(p->pd, &set, set_ptr, sizeof(set)))
        return -EFAULT;
    if (timeout_ptr && (result = time_from_user(timeout_ptr, layout, &timeout_ns)))
        return result;
    result = wait_for_signal(set & ~SIG_UNBLOCKABLE, timeout_ns, &info);
    if (result > 0 && info_ptr) {
        siginfo_fill(&si, (int)result, &info);
        if (vm_copy_out(p->pd, info_ptr, &si, sizeof(si)))
            return -EFAULT; /* the signal is taken all the same, as on Linux */
    }
    return result;
}

SYSCALL_DEFINE4(rt_sigtimedwait, uintptr_t, set_ptr, uintptr_t, info_ptr, uintptr_t, timeout_ptr,
                size_t, setsize)
{
    return sigtimedwait_common(set_ptr, info_ptr, timeout_ptr, setsize, TIMESPEC32);
}

SYSCALL_DEFINE4(rt_sigtimedwait_time64, uintptr_t, set_ptr, uintptr_t, info_ptr,
                uintptr_t, timeout_ptr, size_t, setsize)
{
    return sigtimedwait_common(set_ptr, info_ptr, timeout_ptr, setsize, TIMESPEC64);
}

/* sigaltstack(2): the old settings are read before the new ones apply, and
 * written back only if they applied. */
SYSCALL_DEFINE2(sigaltstack, uintptr_t, ss_ptr, uintptr_t, old_ptr)
{
    struct proc *p = current_proc();
    uintptr_t sp = p->tf->user_esp;
    const struct sig_altstack *as = &p->sig.altstack;
    struct stack32 ss, old = {as->sp, sigaltstack_flags(p, sp), as->size};
    long err;

    if (ss_ptr && vm_copy_in(p->pd, &ss, ss_ptr, sizeof(ss)))
        return -EFAULT;
    if (ss_ptr && (err = sigaltstack_set(p, &ss, sp)))
        return err;
    if (old_ptr && vm_copy_out(p->pd, old_ptr, &old, sizeof(old)))
        return -EFAULT;
    return 0;
}

/* Interval timers count ticks; user space sees microseconds. */
static uint64_t usec_to_ticks(const struct timeval32 *tv)
{
    uint64_t usec = (uint64_t)tv->tv_sec * USEC_PER_SEC + (uint64_t)tv->tv_usec;
    uint64_t per_tick = USEC_PER_SEC / timer_hz();
    return (usec + per_tick - 1) / per_tick;
}

static struct timeval32 ticks_to_timeval(uint64_t ticks)
{
    uint64_t usec = ticks * (USEC_PER_SEC / timer_hz());
    return (struct timeval32){(int32_t)(usec / USEC_PER_SEC), (int32_t)(usec % USEC_PER_SEC)};
}

static struct itimerval32 itimer_read(const struct itimer *t)
{
    return (struct itimerval32){ticks_to_timeval(t->interval), ticks_to_timeval(t->remaining)};
}

static bool timeval_valid(const struct timeval32 *tv)
{
    return tv->tv_sec >= 0 && tv->tv_usec >= 0 && (uint32_t)tv->tv_usec < USEC_PER_SEC;
}

static long itimer_set(int which, const struct itimerval32 *value, struct itimerval32 *old)
{
    struct itimer *t;
    uint32_t flags;

    if (which < 0 || which >= ITIMER_COUNT)
        return -EINVAL;
    if (!timeval_valid(&value->value) || !timeval_valid(&value->interval))
        return -EINVAL;
    t = &current_proc()->itimer[which];
    flags = irq_save(); /* the timer interrupt updates it too */
    *old = itimer_read(t);
    t->remaining = usec_to_ticks(&value->value);
    t->interval = t->remaining ? usec_to_ticks(&value->interval) : 0;
    irq_restore(flags);
    return 0;
}

SYSCALL_DEFINE3(setitimer, int, which, uintptr_t, value_ptr, uintptr_t, old_ptr)
{
    struct proc *p = current_proc();
    struct itimerval32 value = {{0, 0}, {0, 0}}, old;
    long err;

    if (value_ptr && vm_copy_in(p->pd, &value, value_ptr, sizeof(value)))
        return -EFAULT;
    if ((err = itimer_set(which, &value, &old)))
        return err;
    if (old_ptr && vm_copy_out(p->pd, old_ptr, &old, sizeof(old)))
        return -EFAULT;
    return 0;
}

SYSCALL_DEFINE2(getitimer, int, which, uintptr_t, value_ptr)
{
    struct proc *p = current_proc();
    struct itimerval32 value;

    if (which < 0 || which >= ITIMER_COUNT)
        return -EINVAL;
    value = itimer_read(&p->itimer[which]);
    return vm_copy_out(p->pd, value_ptr, &value, sizeof(value));
}

/* alarm(2) is ITIMER_REAL without an interval; it returns the seconds that
 * were left, rounded to the nearest, and never 0 for a pending alarm. */
SYSCALL_DEFINE1(alarm, uint32_t, seconds)
{
    struct itimerval32 value = {{0, 0}, {(int32_t)seconds, 0}}, old;
    uint32_t left;

    itimer_set(ITIMER_REAL, &value, &old);
    left = (uint32_t)old.value.tv_sec;
    if ((left == 0 && old.value.tv_usec) || old.value.tv_usec >= (int32_t)USEC_PER_SEC / 2)
        left++;
    return (long)left;
}
