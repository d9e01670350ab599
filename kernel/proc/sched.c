/*
 * The scheduler, and return_to_user(): the one place where the kernel goes
 * back to a process, and so the one place where signals are delivered.
 *
 * The whole interrupt-to-signal path, file by file (docs/follow-a-keystroke.md
 * walks it with an example):
 *
 *   arch/x86/trapentry.asm    vector stub -> trap_common: save a struct trapframe
 *   kernel/trap.c             trap_dispatch: exception, system call or IRQ
 *   kernel/irq.c              irq_dispatch: spurious?, the handler, EOI
 *   drivers/kbd.c             kbd_irq: scan code -> key event -> tty_key_event
 *   kernel/tty.c              tty_key_event: ^C -> sig_send_group(foreground)
 *   kernel/proc/sched.c       sched_tick: interval timers -> sig_send (SIGALRM)
 *   kernel/trap.c             user_fault: exception -> sig_force_fault
 *   kernel/signal/signal.c    sig_send: set the pending bit, wake the target
 *   kernel/proc/sched.c       return_to_user -> sig_deliver_one (this file)
 *   kernel/signal/signal.c    sig_deliver_one: default action or a handler
 *   kernel/signal/sigframe.c  sigframe_setup: the frame on the user stack
 *   arch/x86/trapentry.asm    trap_return: iret into the handler
 *   kernel/signal/sigframe.c  sigframe_return, from sigreturn: back where it was
 *
 * The scheduler: round robin over the process table, preemptive on the
 * timer tick (a time slice of SLICE_TICKS), with sleep and wakeup on wait
 * channels as in xv6. One CPU: turning interrupts off is the lock.
 * scheduler() runs on the boot stack. It picks the next RUNNABLE process
 * and swtch()es to it; a process gives the CPU back by swtch()ing to the
 * scheduler (sched()). With nothing to run, it halts until an interrupt.
 */
#include "gdt.h"
#include "memlayout.h"
#include "monitor.h"
#include "clock.h"
#include "paging.h"
#include "panic.h"
#include "posix_timer.h"
#include "proc.h"
#include "signal.h"
#include "timer.h"
#include "trace.h"
#include "tty.h"
#include "x86.h"

#define SLICE_TICKS 5

static struct context *scheduler_context;
static struct proc *current;
static int last_picked = -1;
static bool need_resched;

struct proc *current_proc(void) { return current; }

static struct proc *pick_next(void)
{
    for (int i = 1; i <= NPROC; i++) {
        struct proc *p = &proc_table[(last_picked + i) % NPROC];
        if (p->state == PROC_RUNNABLE) {
            last_picked = (int)(p - proc_table);
            return p;
        }
    }
    return NULL;
}

static void run(struct proc *p)
{
    p->state = PROC_RUNNING;
    p->slice_left = SLICE_TICKS;
    current = p;
    tss_set_kernel_stack((uint32_t)(p->kstack + KSTACK_SIZE));
    gdt_load_tls(p->tls); /* selectors are reloaded from the trap frame on the way out */
    if (read_cr3() != V2P(p->pd)) /* a reload flushes the TLB: skip it if we can */
        vm_activate(p->pd);
    TRACE(TRACE_SCHED, EV_SWITCH, 0, p->pid, 0, 0, 0); /* pid 0: the scheduler */
    fpu_restore(&p->fpu);
    swtch(&scheduler_context, p->context);
    fpu_save(&p->fpu);
    TRACE(TRACE_SCHED, EV_SWITCH, p->pid, 0, 0, 0, 0);
    current = NULL;
}

void schedule_once(void)
{
    struct proc *p;

    cli();
    p = pick_next();
    if (p) {
        run(p);
    } else {
        tty_receive_keys(); /* echo keys typed while everyone sleeps */
        monitor_poll();
        trace_flush(); /* the CPU has nothing better to do */
        sti_hlt();     /* idle: the next interrupt may make someone runnable */
    }
}

NORETURN void scheduler(void)
{
    for (;;)
        schedule_once();
}

void sched(void)
{
    if (irqs_enabled())
        panic("sched: interrupts are on");
    if (current->state == PROC_RUNNING)
        panic("sched: pid %d is still RUNNING", current->pid);
    swtch(&current->context, scheduler_context);
}

static bool another_runnable(void)
{
    for (struct proc *p = proc_table; p < proc_table + NPROC; p++)
        if (p->state == PROC_RUNNABLE)
            return true;
    return false;
}

void sched_yield(void)
{
    uint32_t flags = irq_save();

    if (another_runnable()) { /* else there is nobody to yield to */
        current->nivcsw++; /* Linux counts a yield as involuntary: it could run on */
        current->state = PROC_RUNNABLE;
        sched();
    }
    irq_restore(flags);
}

void proc_sleep(const void *chan)
{
    current->wait_channel = chan;
    current->state = PROC_SLEEPING;
    current->nvcsw++;
    sched();
    current->wait_channel = NULL;
}

void proc_wakeup(const void *chan)
{
    for (struct proc *p = proc_table; p < proc_table + NPROC; p++)
        if (p->state == PROC_SLEEPING && p->wait_channel == chan)
            p->state = PROC_RUNNABLE;
}

/* Counts an interval timer down; at zero it sends sig and reloads. */
static void itimer_count(struct proc *p, struct itimer *t, int sig)
{
    static const struct sig_info from_timer = {.code = SI_KERNEL, .source = SRC_TIMER};

    if (!t->remaining || --t->remaining)
        return;
    t->remaining = t->interval;
    sig_send(p, sig, &from_timer);
}

/*
 * RLIMIT_CPU, as Linux (kernel/time/posix-cpu-timers.c): at the soft limit
 * SIGXCPU, and the soft limit moves up a second, so that it comes again
 * every second; at the hard limit SIGKILL. A soft limit of 0 acts as 1 s,
 * as Linux's.
 */
static void cpu_limit_check(struct proc *p)
{
    static const struct sig_info from_limit = {.code = SI_KERNEL, .source = SRC_RLIMIT};
    struct resource_limit *l = &p->rlim[RLIMIT_CPU];
    uint64_t seconds = (uint64_t)clock_cpu_ns(p) / NSEC_PER_SEC;

    if (l->cur == RLIM_INFINITY || seconds < (l->cur ? l->cur : 1))
        return;
    if (l->max != RLIM_INFINITY && seconds >= l->max) {
        sig_send(p, SIGKILL, &from_limit);
        return;
    }
    if (l->cur < l->max)
        l->cur = (l->cur ? l->cur : 1) + 1;
    sig_send(p, SIGXCPU, &from_limit);
}

/* The tick charges the running process: user time if it interrupted user
 * mode, system time if it found the process in the kernel (Linux's
 * tick-based accounting). */
static void account_tick(struct proc *p, bool from_user)
{
    p->cpu_ticks++;
    if (from_user) { /* user CPU time only */
        p->user_ticks++;
        itimer_count(p, &p->itimer[ITIMER_VIRTUAL], SIGVTALRM);
    }
    itimer_count(p, &p->itimer[ITIMER_PROF], SIGPROF); /* user + system */
    cpu_limit_check(p);
}

void sched_tick(bool from_user)
{
    uint64_t now = timer_ticks();

    if (current)
        account_tick(current, from_user);
    for (struct proc *p = proc_table; p < proc_table + NPROC; p++) {
        if (p->state == PROC_UNUSED || p->state == PROC_ZOMBIE)
            continue;
        if (p->state == PROC_SLEEPING && p->wake_tick && p->wake_tick <= now)
            p->state = PROC_RUNNABLE;
        itimer_count(p, &p->itimer[ITIMER_REAL], SIGALRM); /* wall-clock time */
        posix_timer_tick(p);
    }
    if (current && --current->slice_left == 0) {
        /* A new slice starts now, whether or not someone else takes the
         * CPU: a process alone on it must stay preemptible. */
        current->slice_left = SLICE_TICKS;
        need_resched = true;
    }
}

/*
 * The last stop before ring 3, for every trap and for a new process's first
 * run: the one place where signals are delivered. It loops until there is
 * nothing left to do with interrupts off: give up the CPU if the time slice
 * is over, let the terminal echo the keys that came in (kernel/tty.c),
 * deliver pending signals (each may stop or end the process, or build a
 * handler frame), then return for the iret in trap_return.
 */
void return_to_user(struct trapframe *tf)
{
    for (;;) {
        cli();
        if (need_resched) {
            need_resched = false;
            sched_yield();
            continue;
        }
        tty_receive_keys(); /* echo first: ^C shows before its handler runs */
        if (sig_deliver_one(tf))
            continue;
        if (monitor_active)
            monitor_poll();
        trace_flush_if_filling();
        return;
    }
}
