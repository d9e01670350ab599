/*
 * Signals: generation and delivery.
 *
 * Generation (sig_send) may happen anywhere, even in an interrupt handler:
 * it only sets a pending bit and wakes the target. Delivery happens in one
 * place, sig_deliver_one(), called from return_to_user() just before the
 * kernel irets to user mode. It takes the lowest unblocked pending signal
 * and applies the default action, or builds a Linux-compatible frame on the
 * user stack and points the saved eip at the handler. The handler returns
 * through sigreturn or rt_sigreturn (kernel/sys_signal.c).
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

const char *sig_name(int sig) { return sig > 0 && sig < NSIG ? names[sig] : "SIG?"; }

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

    if (p->sig.blocked & SIG_BIT(sig))
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
        p->sig.pending &= ~(SIG_BIT(SIGSTOP) | SIG_BIT(SIGTSTP) | SIG_BIT(SIGTTIN) |
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
        p->sig.pending &= ~SIG_BIT(SIGCONT);
    }
}

void sig_send(struct proc *p, int sig, const struct sig_info *info)
{
    static const struct sig_info from_kernel = {.code = SI_KERNEL, .source = SRC_KERNEL};
    uint32_t flags = irq_save();

    if (p->state == PROC_UNUSED || p->state == PROC_ZOMBIE)
        goto out;
    TRACE(TRACE_SIG, EV_SIG_GENERATE, sig, p->pid, info ? info->source : SRC_KERNEL,
          !!(p->sig.blocked & SIG_BIT(sig)), 0);
    handle_stop_and_continue(p, sig);
    if (discarded_on_arrival(p, sig)) {
        TRACE(TRACE_SIG, EV_SIG_DELIVER, sig, p->pid, 0, ACTION_IGNORE, 0);
        goto out;
    }
    p->sig.pending |= SIG_BIT(sig); /* standard signals do not queue */
    p->sig.info[sig] = info ? *info : from_kernel;
    if (p->state == PROC_SLEEPING && (p->sig.pending & ~p->sig.blocked))
        p->state = PROC_RUNNABLE; /* its sleep loop sees sig_interrupting() */
out:
    irq_restore(flags);
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
    p->sig.pending |= SIG_BIT(sig);
    p->sig.info[sig] = *info;
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

bool sig_deliver_one(struct trapframe *tf)
{
    struct proc *p = current_proc();
    uint32_t deliverable = p->sig.pending & ~p->sig.blocked;
    struct sig_action *a;
    int sig;

    if (!deliverable) {
        fix_interrupted_syscall(tf, NULL); /* woken, but nothing to deliver */
        return false;
    }
    sig = __builtin_ctz(deliverable) + 1; /* the lowest number first */
    p->sig.pending &= ~SIG_BIT(sig);
    if (p->sig.info[sig].code == SI_TIMER) /* its overrun; the timer may send again */
        posix_timer_dequeued(p, &p->sig.info[sig]);
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
        sigframe_setup(p, sig, a, tf);
    }
    return true;
}

void sig_fork(struct proc *child, const struct proc *parent)
{
    child->sig = parent->sig;
    child->sig.pending = 0;
    child->sig.restore_blocked = false;
    child->sig.fault_repeats = 0;
}

void sig_exec(struct proc *p)
{
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
