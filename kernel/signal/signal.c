/*
 * Signals: generation and delivery.
 *
 * Generation (sig_send) may happen anywhere, even in an interrupt handler:
 * it only sets a pending bit and wakes the target. Delivery happens in one
 * place, sig_deliver_one(), called from return_to_user() just before the
 * kernel irets to user mode. It takes the lowest unblocked pending signal
 * and applies the default action, or builds a Linux-compatible frame on the
 * user stack and points the saved eip at the handler. The handler returns
 * through sigreturn or rt_sigreturn (kernel/signal/sys_signal.c).
 *
 * Frames (arch/x86/include/asm/sigframe.h in Linux): a handler with
 * SA_SIGINFO gets an rt_sigframe, any other handler the old sigframe,
 * whichever call installed it.
 */
#include "errno.h"
#include "printk.h"
#include "posix_timer.h"
#include "proc.h"
#include "sigframe.h"
#include "signal.h"
#include "string.h"
#include "syscall.h"
#include "trace.h"
#include "x86.h"

enum default_action { ACT_TERMINATE, ACT_CORE, ACT_IGNORE, ACT_STOP, ACT_CONTINUE };

#define INT80_LENGTH 2 /* bytes of "int $0x80", to back up over it on restart */
#define FAULT_REPEAT_LIMIT 8

static const char *const names[NSIG] = {
    [SIGHUP] = "SIGHUP",   [SIGINT] = "SIGINT",       [SIGQUIT] = "SIGQUIT",
    [SIGILL] = "SIGILL",   [SIGTRAP] = "SIGTRAP",     [SIGABRT] = "SIGABRT",
    [SIGBUS] = "SIGBUS",   [SIGFPE] = "SIGFPE",       [SIGKILL] = "SIGKILL",
    [SIGUSR1] = "SIGUSR1", [SIGSEGV] = "SIGSEGV",     [SIGUSR2] = "SIGUSR2",
    [SIGPIPE] = "SIGPIPE", [SIGALRM] = "SIGALRM",     [SIGTERM] = "SIGTERM",
    [SIGSTKFLT] = "SIGSTKFLT", [SIGCHLD] = "SIGCHLD", [SIGCONT] = "SIGCONT",
    [SIGSTOP] = "SIGSTOP", [SIGTSTP] = "SIGTSTP",     [SIGTTIN] = "SIGTTIN",
    [SIGTTOU] = "SIGTTOU", [SIGURG] = "SIGURG",       [SIGXCPU] = "SIGXCPU",
    [SIGXFSZ] = "SIGXFSZ", [SIGVTALRM] = "SIGVTALRM", [SIGPROF] = "SIGPROF",
    [SIGWINCH] = "SIGWINCH", [SIGIO] = "SIGIO",       [SIGPWR] = "SIGPWR",
    [SIGSYS] = "SIGSYS",
};

/* Real-time signals have no names of their own: SIGRT32 to SIGRT64 (glibc's
 * SIGRTMIN is 34, so its SIGRTMIN+N is SIGRT(34+N)). */
#define RT_NAME(n) [n - SIGRTMIN_KERNEL] = "SIGRT" #n
static const char *const rt_names[NSIG - SIGRTMIN_KERNEL] = {
    RT_NAME(32), RT_NAME(33), RT_NAME(34), RT_NAME(35), RT_NAME(36), RT_NAME(37), RT_NAME(38),
    RT_NAME(39), RT_NAME(40), RT_NAME(41), RT_NAME(42), RT_NAME(43), RT_NAME(44), RT_NAME(45),
    RT_NAME(46), RT_NAME(47), RT_NAME(48), RT_NAME(49), RT_NAME(50), RT_NAME(51), RT_NAME(52),
    RT_NAME(53), RT_NAME(54), RT_NAME(55), RT_NAME(56), RT_NAME(57), RT_NAME(58), RT_NAME(59),
    RT_NAME(60), RT_NAME(61), RT_NAME(62), RT_NAME(63), RT_NAME(64),
};

const char *sig_name(int sig)
{
    if (sig <= 0 || sig >= NSIG)
        return "SIG?";
    return sig_is_rt(sig) ? rt_names[sig - SIGRTMIN_KERNEL] : names[sig];
}

/* ------------------------------------------------- the real-time queue */

/*
 * Queued real-time signals live in one fixed pool, so that no sender can
 * make the kernel allocate without bound. An entry belongs to its target
 * process; seq orders the entries of one signal as they were sent. Each
 * entry is charged to the target's real uid, which RLIMIT_SIGPENDING
 * bounds (Linux: __sigqueue_alloc, charged to the target's user).
 */
struct queued_signal {
    struct proc *owner; /* NULL: free */
    enum sig_target to;
    int sig;
    uint32_t uid;
    uint32_t seq;
    struct sig_info info;
};
static struct queued_signal pool[SIGQUEUE_POOL_SIZE];
static uint32_t next_seq;

unsigned sig_queued_for_uid(uint32_t uid)
{
    unsigned n = 0;

    for (struct queued_signal *q = pool; q < pool + SIGQUEUE_POOL_SIZE; q++)
        n += q->owner && q->uid == uid;
    return n;
}

/* A free entry for p within its RLIMIT_SIGPENDING, or NULL. */
static struct queued_signal *queue_alloc(struct proc *p)
{
    if (sig_queued_for_uid(p->cred.uid) >= p->rlim[RLIMIT_SIGPENDING].cur)
        return NULL;
    for (struct queued_signal *q = pool; q < pool + SIGQUEUE_POOL_SIZE; q++)
        if (!q->owner)
            return q;
    return NULL;
}

/* Was a queued before b? Sequence numbers compare across wrap-around. */
static bool older(const struct queued_signal *a, const struct queued_signal *b)
{
    return (int32_t)(a->seq - b->seq) < 0;
}

/* The oldest entry of sig queued for p's target to, or NULL. */
static struct queued_signal *queue_first(const struct proc *p, enum sig_target to, int sig)
{
    struct queued_signal *first = NULL;

    for (struct queued_signal *q = pool; q < pool + SIGQUEUE_POOL_SIZE; q++)
        if (q->owner == p && q->to == to && q->sig == sig && (!first || older(q, first)))
            first = q;
    return first;
}

static void queue_drop(const struct proc *p, int sig)
{
    for (struct queued_signal *q = pool; q < pool + SIGQUEUE_POOL_SIZE; q++)
        if (q->owner == p && (sig == 0 || q->sig == sig))
            q->owner = NULL;
}

/* Removes signals from both pending sets. */
static void clear_pending(struct proc *p, sig_set_t set)
{
    for (int to = 0; to < SIG_TARGETS; to++)
        p->sig.pending_to[to] &= ~set;
    p->sig.pending = p->sig.pending_to[SIG_TO_PROCESS] | p->sig.pending_to[SIG_TO_THREAD];
}

/* Default actions (signal(7)). */
static enum default_action default_action(int sig)
{
    switch (sig) {
    case SIGQUIT: case SIGILL: case SIGTRAP: case SIGABRT: case SIGBUS:
    case SIGFPE: case SIGSEGV: case SIGXCPU: case SIGXFSZ: case SIGSYS:
        return ACT_CORE;
    case SIGCHLD: case SIGURG: case SIGWINCH:
        return ACT_IGNORE;
    case SIGCONT:
        return ACT_CONTINUE;
    case SIGSTOP: case SIGTSTP: case SIGTTIN: case SIGTTOU:
        return ACT_STOP;
    default:
        return ACT_TERMINATE;
    }
}

static bool is_stop_signal(int sig) { return default_action(sig) == ACT_STOP; }

/* Would this signal do nothing at all? Then it is dropped when generated,
 * as Linux does, unless it is blocked (a blocked signal stays pending in
 * case the handler changes before it is unblocked). Init never gets a
 * signal whose action is the default (Linux: sig_task_ignored). */
static bool discarded_on_arrival(const struct proc *p, int sig)
{
    uintptr_t handler = p->sig.action[sig].handler;

    if ((p->sig.blocked | p->sig.real_blocked) & SIG_BIT(sig))
        return false;
    if (handler == SIG_IGN)
        return true;
    if (handler != SIG_DFL)
        return false;
    if (p->pid == INIT_PID)
        return true;
    return default_action(sig) == ACT_IGNORE || default_action(sig) == ACT_CONTINUE;
}

static void notify_parent_stop_or_continue(struct proc *p, int code)
{
    struct proc *parent = p->parent;
    struct sig_info info = {.code = code, .source = SRC_CHILD, .pid = p->pid};

    if (!parent)
        return;
    info.status = code == CLD_STOPPED ? p->stop_signal : SIGCONT;
    if (!(parent->sig.action[SIGCHLD].flags & SA_NOCLDSTOP))
        sig_send(parent, SIGCHLD, &info);
    proc_wakeup(parent); /* a wait4 with WUNTRACED or WCONTINUED may be waiting */
}

/* SIGKILL and SIGCONT resume a stopped process; SIGCONT cancels pending
 * stops, and a stop signal cancels a pending SIGCONT. */
static void handle_stop_and_continue(struct proc *p, int sig)
{
    if (sig == SIGKILL || sig == SIGCONT) {
        clear_pending(p, SIG_BIT(SIGSTOP) | SIG_BIT(SIGTSTP) | SIG_BIT(SIGTTIN) |
                             SIG_BIT(SIGTTOU));
        if (p->state == PROC_STOPPED) {
            p->state = PROC_RUNNABLE;
            p->stop_unreported = false;
            if (sig == SIGCONT) {
                p->continue_unreported = true;
                notify_parent_stop_or_continue(p, CLD_CONTINUED);
            }
        }
    } else if (is_stop_signal(sig)) {
        clear_pending(p, SIG_BIT(SIGCONT));
    }
}

/* Would a real-time signal find no queue entry where Linux then fails the
 * sending? Everything but kill(2) fails (Linux: __send_signal). */
static bool refused_for_queue(struct proc *p, int sig, const struct sig_info *info)
{
    return sig_is_rt(sig) && info->code != SI_USER && !queue_alloc(p);
}

/* Records one instance of sig for p. A real-time signal from kill(2) that
 * finds no queue entry is pending without its siginfo, as Linux's "silent
 * loss"; the others were refused before (refused_for_queue). */
static void make_pending(struct proc *p, enum sig_target to, int sig,
                         const struct sig_info *info)
{
    struct queued_signal *q;

    if (!sig_is_rt(sig)) {
        if (!(p->sig.pending_to[to] & SIG_BIT(sig))) /* no queue: the first one stays */
            p->sig.info[to][sig] = *info;
    } else if ((q = queue_alloc(p))) {
        *q = (struct queued_signal){p, to, sig, p->cred.uid, next_seq++, *info};
    }
    p->sig.pending_to[to] |= SIG_BIT(sig);
    p->sig.pending |= SIG_BIT(sig);
}

static int queue_to(struct proc *p, enum sig_target to, int sig, const struct sig_info *info)
{
    static const struct sig_info from_kernel = {.code = SI_KERNEL, .source = SRC_KERNEL};
    uint32_t flags = irq_save();
    bool discarded;
    int err = 0;

    if (p->state == PROC_UNUSED || p->state == PROC_ZOMBIE)
        goto out;
    if (!info)
        info = &from_kernel;
    discarded = discarded_on_arrival(p, sig); /* stops and continues do not change it */
    if (!discarded && refused_for_queue(p, sig, info)) {
        err = -EAGAIN; /* no sig_generate in the trace: nothing was generated */
        goto out;
    }
    TRACE(TRACE_SIG, EV_SIG_GENERATE, sig, p->pid, info->source,
          !!(p->sig.blocked & SIG_BIT(sig)), 0);
    handle_stop_and_continue(p, sig);
    if (discarded) {
        TRACE(TRACE_SIG, EV_SIG_DELIVER, sig, p->pid, 0, ACTION_IGNORE, 0);
        goto out;
    }
    make_pending(p, to, sig, info);
    if (p->state == PROC_SLEEPING && (p->sig.pending & ~p->sig.blocked))
        p->state = PROC_RUNNABLE; /* its sleep loop sees sig_interrupting() */
out:
    irq_restore(flags);
    return err;
}

int sig_queue(struct proc *p, int sig, const struct sig_info *info)
{
    return queue_to(p, SIG_TO_PROCESS, sig, info);
}

int sig_queue_thread(struct proc *p, int sig, const struct sig_info *info)
{
    return queue_to(p, SIG_TO_THREAD, sig, info);
}

void sig_send(struct proc *p, int sig, const struct sig_info *info)
{
    (void)sig_queue(p, sig, info);
}

bool sig_send_group(int pgid, int sig, const struct sig_info *info)
{
    bool found = false;

    for (struct proc *p = proc_table; p < proc_table + NPROC; p++) {
        if (p->state != PROC_UNUSED && p->state != PROC_ZOMBIE && p->pgid == pgid) {
            sig_send(p, sig, info);
            found = true;
        }
    }
    return found;
}

/*
 * A fault must be handled now: if its signal is blocked or ignored there is
 * no way to go on, so the default action applies (Linux force_sig_fault).
 * A handler that returns into the same fault again and again would spin
 * forever: FAULT_REPEAT_LIMIT faults at the same eip with nothing but
 * sigreturn in between (syscall_dispatch resets the count) also get the
 * default action. (Linux loops forever here; Relay prefers to end it.)
 */
void sig_force_fault(struct proc *p, int sig, const struct sig_info *info, uintptr_t eip)
{
    struct sig_action *a = &p->sig.action[sig];
    bool repeated = eip == p->sig.last_fault_eip;

    p->sig.fault_repeats = repeated ? p->sig.fault_repeats + 1 : 0;
    p->sig.last_fault_eip = eip;
    if ((p->sig.blocked & SIG_BIT(sig)) || a->handler == SIG_IGN ||
        p->sig.fault_repeats >= FAULT_REPEAT_LIMIT) {
        a->handler = SIG_DFL;
        p->sig.blocked &= ~SIG_BIT(sig);
    }
    make_pending(p, SIG_TO_THREAD, sig, info); /* as Linux's force_sig: the thread's */
    TRACE(TRACE_SIG, EV_SIG_GENERATE, sig, p->pid, SRC_EXCEPTION, 0, 0);
}

bool sig_interrupting(const struct proc *p) { return p->sig.pending & ~p->sig.blocked; }

static void restart_syscall(struct trapframe *tf)
{
    tf->eax = (uint32_t)current_proc()->syscall_nr;
    tf->eip -= INT80_LENGTH;
}

/* A system call that slept and was interrupted returned -ERESTART*: decide
 * between restarting it and failing with EINTR (signal(7), "Interruption
 * of system calls and library functions by signal handlers"). */
static void fix_interrupted_syscall(struct trapframe *tf, const struct sig_action *handler)
{
    int32_t result = (int32_t)tf->eax;

    if (tf->vector != SYSCALL_VECTOR)
        return;
    if (result != -ERESTARTSYS && result != -ERESTARTNOHAND && result != -ERESTART_NEVER)
        return;
    if (!handler)
        restart_syscall(tf);
    else if (result == -ERESTARTSYS && (handler->flags & SA_RESTART))
        restart_syscall(tf);
    else
        tf->eax = (uint32_t)-EINTR;
}

static void stop(struct proc *p, int sig)
{
    p->stop_signal = sig;
    p->stop_unreported = true;
    p->state = PROC_STOPPED;
    notify_parent_stop_or_continue(p, CLD_STOPPED);
    sched(); /* back here after SIGCONT or SIGKILL */
}

static const uint8_t trace_actions[] = {
    [ACT_TERMINATE] = ACTION_TERMINATE, [ACT_CORE] = ACTION_CORE, [ACT_IGNORE] = ACTION_IGNORE,
    [ACT_STOP] = ACTION_STOP, [ACT_CONTINUE] = ACTION_CONTINUE,
};

static void apply_default(struct proc *p, int sig, struct trapframe *tf)
{
    TRACE(TRACE_SIG, EV_SIG_DELIVER, sig, p->pid, 0, trace_actions[default_action(sig)], 0);
    switch (default_action(sig)) {
    case ACT_TERMINATE:
        proc_exit(WAIT_STATUS_SIGNALED(sig));
    case ACT_CORE:
        proc_exit(WAIT_STATUS_SIGNALED(sig) | WAIT_STATUS_CORE);
    case ACT_STOP:
        stop(p, sig);
        break;
    case ACT_IGNORE:
    case ACT_CONTINUE:
        break;
    }
    fix_interrupted_syscall(tf, NULL);
}

/* The signal Linux takes first from a set (next_signal): a synchronous
 * fault, else the lowest number. */
static int next_signal(sig_set_t set)
{
    if (set & SIG_SYNCHRONOUS)
        set &= SIG_SYNCHRONOUS;
    return set ? __builtin_ctzll(set) + 1 : 0;
}

/* The pending bit of sig for target to goes once no instance is left. */
static void clear_if_none_left(struct proc *p, enum sig_target to, int sig)
{
    if (!sig_is_rt(sig) || !queue_first(p, to, sig)) {
        p->sig.pending_to[to] &= ~SIG_BIT(sig);
        p->sig.pending = p->sig.pending_to[SIG_TO_PROCESS] | p->sig.pending_to[SIG_TO_THREAD];
    }
}

/* Takes one instance of sig, pending for p's target to, with its siginfo. */
static void take_one(struct proc *p, enum sig_target to, int sig, struct sig_info *info)
{
    /* Linux's siginfo for a real-time signal whose entry could not be had. */
    static const struct sig_info lost = {.code = SI_USER, .source = SRC_KERNEL};
    struct queued_signal *q = sig_is_rt(sig) ? queue_first(p, to, sig) : NULL;

    if (!sig_is_rt(sig))
        *info = p->sig.info[to][sig];
    else
        *info = q ? q->info : lost;
    if (q)
        q->owner = NULL;
    clear_if_none_left(p, to, sig);
    if (info->code == SI_TIMER && info->source == SRC_POSIX_TIMER) /* not a forged one */
        posix_timer_dequeued(p, info);
}

int sig_dequeue(struct proc *p, sig_set_t set, struct sig_info *info)
{
    uint32_t flags = irq_save();
    enum sig_target to = SIG_TO_THREAD; /* Linux: the thread's own first */
    int sig = next_signal(p->sig.pending_to[to] & set);

    if (!sig) {
        to = SIG_TO_PROCESS;
        sig = next_signal(p->sig.pending_to[to] & set);
    }
    if (sig)
        take_one(p, to, sig, info);
    irq_restore(flags);
    return sig;
}

static bool from_timer(const struct sig_info *info, int timer_id)
{
    return info->source == SRC_POSIX_TIMER && info->timer_id == timer_id;
}

void sig_cancel_timer(struct proc *p, int sig, int timer_id)
{
    const enum sig_target to = SIG_TO_PROCESS; /* where sig_send puts it */
    uint32_t flags = irq_save();

    if (!sig_is_rt(sig)) {
        if ((p->sig.pending_to[to] & SIG_BIT(sig)) && from_timer(&p->sig.info[to][sig], timer_id))
            clear_if_none_left(p, to, sig);
    } else {
        for (struct queued_signal *q = pool; q < pool + SIGQUEUE_POOL_SIZE; q++)
            if (q->owner == p && q->to == to && q->sig == sig && from_timer(&q->info, timer_id))
                q->owner = NULL;
        clear_if_none_left(p, to, sig);
    }
    irq_restore(flags);
}

void sig_discard(struct proc *p, int sig)
{
    uint32_t flags = irq_save();

    clear_pending(p, SIG_BIT(sig));
    queue_drop(p, sig);
    irq_restore(flags);
}

bool sig_deliver_one(struct trapframe *tf)
{
    struct proc *p = current_proc();
    struct sig_info info;
    struct sig_action *a;
    /* The common case, every return to user mode: nothing to deliver. */
    int sig = p->sig.pending & ~p->sig.blocked ? sig_dequeue(p, ~p->sig.blocked, &info) : 0;

    if (!sig) {
        fix_interrupted_syscall(tf, NULL); /* woken, but nothing to deliver */
        return false;
    }
    a = &p->sig.action[sig];
    if (a->handler == SIG_IGN) {
        TRACE(TRACE_SIG, EV_SIG_DELIVER, sig, p->pid, 0, ACTION_IGNORE, 0);
        fix_interrupted_syscall(tf, NULL);
    }
    else if (a->handler == SIG_DFL)
        apply_default(p, sig, tf);
    else {
        TRACE(TRACE_SIG, EV_SIG_DELIVER, sig, p->pid, a->handler, ACTION_HANDLER, 0);
        fix_interrupted_syscall(tf, a); /* before the frame saves eax and eip */
        sigframe_setup(p, sig, &info, a, tf);
    }
    return true;
}

void sig_fork(struct proc *child, const struct proc *parent)
{
    child->sig = parent->sig;
    clear_pending(child, ~(sig_set_t)0);
    child->sig.restore_blocked = false;
    child->sig.fault_repeats = 0;
}

void sig_exit(struct proc *p)
{
    uint32_t flags = irq_save();

    queue_drop(p, 0);
    clear_pending(p, ~(sig_set_t)0);
    irq_restore(flags);
}

void sig_exec(struct proc *p)
{
    p->sig.altstack = (struct sig_altstack){.flags = SS_DISABLE};
    for (int sig = 1; sig < NSIG; sig++) {
        struct sig_action *a = &p->sig.action[sig];
        if (a->handler != SIG_IGN)
            *a = (struct sig_action){.handler = SIG_DFL};
        else
            *a = (struct sig_action){.handler = SIG_IGN};
    }
}

/* Exit code or signal for the SIGCHLD siginfo, and its si_code. */
static void child_exit_info(const struct proc *child, struct sig_info *info)
{
    int status = child->wait_status;

    info->pid = child->pid;
    if ((status & WAIT_STATUS_SIG_MASK) == 0) {
        info->code = CLD_EXITED;
        info->status = WAIT_STATUS_CODE(status);
    } else {
        info->code = status & WAIT_STATUS_CORE ? CLD_DUMPED : CLD_KILLED;
        info->status = status & WAIT_STATUS_SIG_MASK;
    }
}

bool sig_notify_parent_exit(struct proc *child)
{
    struct proc *parent = child->parent;
    struct sig_info info = {.source = SRC_CHILD};
    const struct sig_action *a;

    if (!parent)
        return false;
    a = &parent->sig.action[SIGCHLD];
    child_exit_info(child, &info);
    sig_send(parent, SIGCHLD, &info);
    /* POSIX: with SIGCHLD ignored or SA_NOCLDWAIT, children leave no zombie. */
    return a->handler == SIG_IGN || (a->flags & SA_NOCLDWAIT);
}
