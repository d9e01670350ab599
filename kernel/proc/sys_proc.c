/*
 * Process system calls: identity, process groups and sessions, fork, exit,
 * wait, yield and sleep. Semantics and error numbers follow Linux
 * (kernel/sys.c, kernel/exit.c, kernel/fork.c there).
 */
#include "clock.h"
#include "errno.h"
#include "file.h"
#include "kheap.h"
#include "mm.h"
#include "proc.h"
#include "rusage.h"
#include "signal.h"
#include "string.h"
#include "syscall.h"
#include "timer.h"
#include "vm.h"
#include "x86.h"

#define WNOHANG 1
#define WUNTRACED 2
#define WSTOPPED WUNTRACED /* waitid's name for it */
#define WEXITED 4
#define WCONTINUED 8
#define WNOWAIT 0x01000000
/* Linux's thread flags: one thread per process makes __WNOTHREAD moot;
 * a "clone" child is one whose exit signal is not SIGCHLD, and Relay's
 * clone makes none, so __WCLONE alone finds no child, __WALL all. */
#define WNOTHREAD 0x20000000
#define WALL 0x40000000
#define WCLONE 0x80000000
#define WAIT_THREAD_FLAGS (WNOTHREAD | WALL | WCLONE)
#define WAIT_OPTIONS_KNOWN (WNOHANG | WUNTRACED | WCONTINUED | WAIT_THREAD_FLAGS)
#define WAITID_OPTIONS_KNOWN                                                                       \
    (WNOHANG | WSTOPPED | WEXITED | WCONTINUED | WNOWAIT | WAIT_THREAD_FLAGS)
#define PID_MIN_INT (-0x7FFFFFFF - 1) /* INT_MIN */
#define USEC_PER_SEC 1000000ull

SYSCALL_DEFINE1(exit, int, code)
{
    proc_exit(WAIT_STATUS_EXITED(code));
}

SYSCALL_DEFINE1(exit_group, int, code)
{
    proc_exit(WAIT_STATUS_EXITED(code));
}

SYSCALL_DEFINE0(getpid) { return current_proc()->tgid; }
SYSCALL_DEFINE0(gettid) { return current_proc()->pid; }
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

/* The child runs the parent's program, so /proc/PID/exe names it too (on
 * Linux they share mm->exe_file). Without memory for the copy it has none. */
static char *exe_path_copy(const char *path)
{
    size_t len = path ? strlen(path) + 1 : 0;
    char *copy = len && len <= KMALLOC_MAX ? kmalloc(len) : NULL;

    if (copy)
        memcpy(copy, path, len);
    return copy;
}

/* A copy of the calling process, RUNNABLE, returning 0 from the system call
 * that made it; NULL with *err set when it cannot be made. */
static struct proc *fork_current(const struct trapframe *tf, long *err)
{
    struct proc *parent = current_proc();
    struct proc *child = rlimit_nproc_reached(parent) ? NULL : proc_alloc();

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
    child->exe_path = exe_path_copy(parent->exe_path);
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
    ids_fork(child, parent);
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
#define CLONE_PARENT 0x00008000u
#define CLONE_VM 0x00000100u
#define CLONE_FS 0x00000200u
#define CLONE_SIGHAND 0x00000800u
#define CLONE_PIDFD 0x00001000u
#define CLONE_THREAD 0x00010000u
#define CLONE_NEWNS 0x00020000u
#define CLONE_DETACHED 0x00400000u
#define CLONE_NEWUSER 0x10000000u
#define CLONE_NEWPID 0x20000000u

static bool all_set(uint32_t flags, uint32_t want) { return (flags & want) == want; }

/* The combinations Linux refuses whatever the caller may do (clone(2)
 * ERRORS; copy_process's first checks): a thread shares its handlers, and
 * shared handlers need a shared address space; a new mount or user
 * namespace cannot share file-system information with its parent; a new
 * pid or user namespace cannot hold a thread of an old one; CLONE_PIDFD
 * reuses the bit once CLONE_DETACHED's. */
static bool clone_flags_invalid(uint32_t flags)
{
    return ((flags & CLONE_THREAD) && !(flags & CLONE_SIGHAND)) ||
           ((flags & CLONE_SIGHAND) && !(flags & CLONE_VM)) ||
           all_set(flags, CLONE_NEWNS | CLONE_FS) || all_set(flags, CLONE_NEWUSER | CLONE_FS) ||
           ((flags & CLONE_THREAD) && (flags & (CLONE_NEWUSER | CLONE_NEWPID))) ||
           all_set(flags, CLONE_PIDFD | CLONE_DETACHED);
}

/* What a clone or a clone3 asks for, once its arguments are read. */
struct clone_request {
    uint32_t flags;  /* without the exit signal */
    uint64_t exit_signal;
    uint64_t stack;  /* the child's stack pointer; 0: where the parent's is */
    uintptr_t parent_tid, child_tid;
};

/* Relay makes fork-like children only: an exit signal of SIGCHLD, the
 * parent's stack (in its own copy of memory) and the tid flags. Anything
 * that would share memory, files or signal handlers is ENOSYS, never half
 * done. */
static long clone_fork_like(const struct clone_request *rq)
{
    struct proc *child;
    long err;

    if (rq->exit_signal != SIGCHLD || (rq->flags & ~CLONE_FORK_LIKE) || rq->stack)
        return -ENOSYS;
    if (!(child = fork_current(current_proc()->tf, &err)))
        return err;
    /* The child exists whatever happens to these stores, so their failure is
     * ignored, as Linux ignores it (kernel/fork.c kernel_clone's put_user;
     * the child's own store is done in schedule_tail, before it first runs,
     * which this one into its address space stands for). */
    if (rq->flags & CLONE_PARENT_SETTID)
        vm_copy_out(current_proc()->pd, rq->parent_tid, &child->pid, sizeof(int));
    if (rq->flags & CLONE_CHILD_SETTID)
        vm_copy_out(child->pd, rq->child_tid, &child->pid, sizeof(int));
    if (rq->flags & CLONE_CHILD_CLEARTID)
        child->clear_child_tid = rq->child_tid;
    return child->pid;
}

SYSCALL_DEFINE5(clone, uint32_t, flags, uintptr_t, stack, uintptr_t, parent_tid, uintptr_t, tls,
                uintptr_t, child_tid)
{
    struct clone_request rq = {
        .flags = flags & ~CLONE_EXIT_SIGNAL_MASK,
        .exit_signal = flags & CLONE_EXIT_SIGNAL_MASK,
        .stack = stack,
        .parent_tid = parent_tid,
        .child_tid = child_tid,
    };

    (void)tls;
    if (clone_flags_invalid(flags))
        return -EINVAL;
    return clone_fork_like(&rq);
}

/* clone3's struct clone_args (include/uapi/linux/sched.h): all 64-bit. */
struct clone_args {
    uint64_t flags, pidfd, child_tid, parent_tid, exit_signal, stack, stack_size, tls;
    uint64_t set_tid, set_tid_size, cgroup;
};
#define CLONE_ARGS_SIZE_VER0 64 /* the first version: flags .. tls */
#define CLONE_ARGS_SIZE_MAX PAGE_SIZE /* Linux refuses more with E2BIG */
#define CLONE_NEWTIME 0x00000080u     /* the one flag clone3 takes in CSIGNAL's bits */
#define CLONE_CLEAR_SIGHAND 0x100000000ull
#define CLONE_INTO_CGROUP 0x200000000ull
#define CLONE_LEGACY_FLAGS 0xFFFFFFFFull /* the ones clone's 32-bit word can hold */
#define CLONE3_FLAGS_KNOWN (CLONE_LEGACY_FLAGS | CLONE_CLEAR_SIGHAND | CLONE_INTO_CGROUP)
#define PID_NS_LEVELS_MAX 32          /* Linux's MAX_PID_NS_LEVEL: set_tid's most entries */
#define ZERO_CHECK_CHUNK 64

/* -E2BIG unless the len user bytes at addr are all zero; -EFAULT if unreadable. */
static long user_bytes_zero(uintptr_t addr, size_t len)
{
    uint8_t chunk[ZERO_CHECK_CHUNK];

    while (len) {
        size_t n = len < sizeof(chunk) ? len : sizeof(chunk);

        if (vm_copy_in(current_proc()->pd, chunk, addr, n))
            return -EFAULT;
        for (size_t i = 0; i < n; i++)
            if (chunk[i])
                return -E2BIG;
        addr += n;
        len -= n;
    }
    return 0;
}

/* Reads clone3's arguments as Linux's copy_struct_from_user: an older,
 * shorter struct leaves the newer fields 0; a newer, longer one is taken
 * when its fields Relay does not know are all zero. */
static long clone_args_read(uintptr_t uargs, size_t size, struct clone_args *args)
{
    size_t known = size < sizeof(*args) ? size : sizeof(*args);
    long err;

    memset(args, 0, sizeof(*args));
    if (size > CLONE_ARGS_SIZE_MAX)
        return -E2BIG;
    if (size < CLONE_ARGS_SIZE_VER0)
        return -EINVAL;
    if ((err = user_bytes_zero(uargs + known, size - known)))
        return err;
    return vm_copy_in(current_proc()->pd, args, uargs, known);
}

/* clone3's own EINVAL rules (clone3(2); kernel/fork.c clone3_args_valid):
 * set_tid and its size come together; the exit signal is a signal, and
 * none for a thread or a sibling; the old CLONE_DETACHED and CSIGNAL bits
 * are not flags here; a stack comes with its size. */
static bool clone_args_invalid(const struct clone_args *a)
{
    bool set_tid_bad = a->set_tid_size > PID_NS_LEVELS_MAX || !a->set_tid != !a->set_tid_size;
    bool old_bits = a->flags & (CLONE_DETACHED | (CLONE_EXIT_SIGNAL_MASK & ~CLONE_NEWTIME));
    bool handlers_bad = (a->flags & CLONE_SIGHAND) && (a->flags & CLONE_CLEAR_SIGHAND);
    bool signal_bad = a->exit_signal > SIGRTMAX ||
                      ((a->flags & (CLONE_THREAD | CLONE_PARENT)) && a->exit_signal);

    return set_tid_bad || old_bits || handlers_bad || signal_bad ||
           (a->flags & ~CLONE3_FLAGS_KNOWN) || !a->stack != !a->stack_size;
}

SYSCALL_DEFINE2(clone3, uintptr_t, uargs, uint32_t, size)
{
    struct clone_args a;
    struct clone_request rq;
    long err = clone_args_read(uargs, size, &a);

    if (err)
        return err;
    if (clone_args_invalid(&a) || clone_flags_invalid((uint32_t)a.flags))
        return -EINVAL;
    if ((a.flags & ~CLONE_LEGACY_FLAGS) || a.set_tid)
        return -ENOSYS; /* clearing handlers, cgroups, chosen pids */
    rq = (struct clone_request){(uint32_t)a.flags, a.exit_signal, a.stack,
                                (uintptr_t)a.parent_tid, (uintptr_t)a.child_tid};
    return clone_fork_like(&rq);
}

/* The children a wait is for: one pid, or one process group, or (both 0) any. */
struct wait_target {
    int pid, pgid;
};

/* wait4's pid argument (Linux wait4(2)): > 0 that child, 0 the caller's
 * group, < -1 the group -pid, -1 any child. */
static struct wait_target wait4_target(int pid)
{
    if (pid > 0)
        return (struct wait_target){pid, 0};
    if (pid == 0)
        return (struct wait_target){0, current_proc()->pgid};
    return (struct wait_target){0, pid < -1 ? -pid : 0};
}

static bool wait_matches(const struct proc *p, struct wait_target t, int options)
{
    if ((options & WCLONE) && !(options & WALL))
        return false; /* no clone children */
    if (t.pid)
        return p->pid == t.pid;
    return !t.pgid || p->pgid == t.pgid;
}

struct wait_report {
    int status;
    uint32_t uid; /* the child's real uid, for waitid */
    struct linux_rusage usage;
};

/* Linux reports a child's own times plus those of the children it reaped
 * (getrusage RUSAGE_BOTH, kernel/exit.c wait_task_zombie). */
static void child_usage(const struct proc *p, struct linux_rusage *ru)
{
    rusage_fill(p, RUSAGE_BOTH, ru);
}

/* A zombie's times become its parent's children's times, and it is freed. */
static void reap_zombie(struct proc *p, struct wait_report *r)
{
    struct proc *parent = current_proc();

    r->status = p->wait_status;
    child_usage(p, &r->usage);
    rusage_add_child(parent, p);
    proc_free(p);
}

/* A zombie's report for WNOWAIT: it stays to be waited for again. */
static void peek_zombie(const struct proc *p, struct wait_report *r)
{
    r->status = p->wait_status;
    child_usage(p, &r->usage);
}

/* Has child p something to report to a wait with these options? A zombie
 * (WEXITED) is reaped; a stop or a continue is reported once. WNOWAIT
 * leaves each to be reported again. */
static bool child_report(struct proc *p, int options, struct wait_report *r)
{
    bool keep = options & WNOWAIT;

    r->uid = p->cred.uid;
    if (p->state == PROC_ZOMBIE && (options & WEXITED)) {
        if (keep)
            peek_zombie(p, r);
        else
            reap_zombie(p, r);
        return true;
    }
    if ((options & WUNTRACED) && p->state == PROC_STOPPED && p->stop_unreported) {
        p->stop_unreported = keep;
        r->status = WAIT_STATUS_STOPPED(p->stop_signal);
    } else if ((options & WCONTINUED) && p->continue_unreported) {
        p->continue_unreported = keep;
        r->status = WAIT_STATUS_CONTINUED;
    } else {
        return false;
    }
    child_usage(p, &r->usage);
    return true;
}

/* Returns the pid of a child with news, 0 when none has any yet, -ECHILD
 * when there is no matching child at all. */
static int reap_one(struct wait_target t, int options, struct wait_report *r)
{
    bool have_child = false;

    for (struct proc *p = proc_table; p < proc_table + NPROC; p++) {
        int child_pid = p->pid;
        if (p->state == PROC_UNUSED || p->parent != current_proc() || !wait_matches(p, t, options))
            continue;
        have_child = true;
        if (child_report(p, options, r))
            return child_pid;
    }
    return have_child ? 0 : -ECHILD;
}

/* Waits for a matching child with news: its pid, 0 with WNOHANG when none
 * has any yet, -ECHILD when there is no such child, -ERESTARTSYS for a signal. */
static int wait_child(struct wait_target t, int options, struct wait_report *r)
{
    struct proc *self = current_proc();
    int found;

    cli();
    while ((found = reap_one(t, options, r)) == 0 && !(options & WNOHANG)) {
        if (sig_interrupting(self)) {
            found = -ERESTARTSYS;
            break;
        }
        proc_sleep(self);
    }
    sti();
    return found;
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
    if (pid == PID_MIN_INT)
        return -ESRCH; /* no group -pid: Linux's answer, -INT_MIN being no int */
    reaped = wait_child(wait4_target(pid), options | WEXITED, &report);
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

enum { P_ALL, P_PID, P_PGID, P_PIDFD };

/* The part of siginfo that Linux's waitid writes (kernel/exit.c). */
struct waitid_info {
    int32_t signo, errno_, code, pid;
    uint32_t uid;
    int32_t status;
};

/* waitid's idtype and id: P_PID needs a pid > 0, P_PGID a group >= 0 (0:
 * the caller's). Relay has no pidfds, so P_PIDFD's descriptor, if it is
 * one at all, is never one (EBADF, as Linux says for such a descriptor). */
static long waitid_target(int idtype, int id, struct wait_target *t)
{
    if (idtype == P_PIDFD)
        return id < 0 ? -EINVAL : -EBADF;
    if (idtype == P_ALL)
        *t = (struct wait_target){0, 0};
    else if (idtype == P_PID && id > 0)
        *t = (struct wait_target){id, 0};
    else if (idtype == P_PGID && id >= 0)
        *t = (struct wait_target){0, id ? id : current_proc()->pgid};
    else
        return -EINVAL;
    return 0;
}

/* A wait status as siginfo says it: si_code CLD_* and si_status the exit
 * code or the signal. */
static void waitid_cause(int status, struct waitid_info *info)
{
    int sig = status & WAIT_STATUS_SIG_MASK;

    if (status == WAIT_STATUS_CONTINUED)
        *info = (struct waitid_info){.code = CLD_CONTINUED, .status = SIGCONT};
    else if (sig == 0)
        *info = (struct waitid_info){.code = CLD_EXITED, .status = WAIT_STATUS_CODE(status)};
    else if (sig == WAIT_STATUS_SIG_MASK)
        *info = (struct waitid_info){.code = CLD_STOPPED, .status = WAIT_STATUS_CODE(status)};
    else
        *info = (struct waitid_info){.code = status & WAIT_STATUS_CORE ? CLD_DUMPED : CLD_KILLED,
                                     .status = sig};
}

/* waitid(2): returns 0; the child's news goes to *infop (all zero when
 * WNOHANG found none) and its rusage to *rusage. */
SYSCALL_DEFINE5(waitid, int, idtype, int, id, uintptr_t, infop, int, options, uintptr_t, rusage)
{
    struct waitid_info info = {0};
    struct wait_report report;
    struct wait_target target;
    pde_t *pd = current_proc()->pd;
    int pid;

    if ((options & ~WAITID_OPTIONS_KNOWN) || !(options & (WEXITED | WSTOPPED | WCONTINUED)))
        return -EINVAL;
    if ((pid = waitid_target(idtype, id, &target)))
        return pid;
    if ((pid = wait_child(target, options, &report)) < 0)
        return pid;
    if (pid > 0) {
        waitid_cause(report.status, &info);
        info.signo = SIGCHLD, info.pid = pid, info.uid = report.uid;
    }
    if (pid > 0 && rusage && vm_copy_out(pd, rusage, &report.usage, sizeof(report.usage)))
        return -EFAULT;
    if (infop && vm_copy_out(pd, infop, &info, sizeof(info)))
        return -EFAULT;
    return 0;
}

SYSCALL_DEFINE0(sched_yield)
{
    sched_yield();
    return 0;
}

/* set_tid_address(2): a threads library's hook. Relay has no threads, so the
 * address is only remembered; the call returns the caller's thread id. */
SYSCALL_DEFINE1(set_tid_address, uintptr_t, tidptr)
{
    current_proc()->clear_child_tid = tidptr;
    return current_proc()->pid;
}
