/*
 * The process table: creating, ending and finding processes. A process's
 * kernel stack lives in its table slot, so a slot is all a process needs
 * besides its address space.
 */
#include "fs.h"
#include "gdt.h"
#include "kheap.h"
#include "paging.h"
#include "panic.h"
#include "printk.h"
#include "proc.h"
#include "qemu.h"
#include "signal.h"
#include "string.h"
#include "syscall.h"
#include "trace.h"
#include "tty.h"
#include "x86.h"

struct proc proc_table[NPROC];
static int next_pid = INIT_PID;

void proc_init(void)
{
    for (int i = 0; i < NPROC; i++)
        if (!(proc_table[i].kstack = paging_map_kernel_stack(i, KSTACK_SIZE)))
            panic("proc_init: no memory for kernel stack %d", i);
}

struct proc *proc_find(int pid)
{
    for (struct proc *p = proc_table; p < proc_table + NPROC; p++)
        if (p->state != PROC_UNUSED && p->pid == pid)
            return p;
    return NULL;
}

struct proc *thread_find(int tgid, int tid)
{
    struct proc *p = proc_find(tid);

    return p && p->tgid == tgid ? p : NULL;
}

bool pgrp_exists(int pgid)
{
    for (struct proc *p = proc_table; p < proc_table + NPROC; p++)
        if (p->state != PROC_UNUSED && p->state != PROC_ZOMBIE && p->pgid == pgid)
            return true;
    return false;
}

bool pgrp_in_session(int pgid, int sid)
{
    for (struct proc *p = proc_table; p < proc_table + NPROC; p++)
        if (p->state != PROC_UNUSED && p->state != PROC_ZOMBIE && p->pgid == pgid &&
            p->sid == sid)
            return true;
    return false;
}

/* A new process's first kernel code: it leaves through the one return
 * path, return_to_user() then trap_return, like every trap does. */
static void proc_first_run(void)
{
    return_to_user(current_proc()->tf);
    /* returns into trap_return, whose address proc_alloc put below tf */
}

#define STACK_LIMIT_DEFAULT (8u << 20) /* Linux's _STK_LIM */
#define MLOCK_LIMIT_DEFAULT (8u << 20) /* Linux's MLOCK_LIMIT since 5.16 */
#define MQ_BYTES_MAX        819200     /* Linux's MQ_BYTES_MAX */

/* Linux's defaults for init (include/asm-generic/resource.h INIT_RLIMITS),
 * except the descriptor limit, which is Relay's table size; NPROC is what
 * the table holds (Linux: half its thread maximum), SIGPENDING half the
 * signal queue's pool. */
static void set_default_limits(struct proc *p)
{
    for (int r = 0; r < RLIMIT_COUNT; r++)
        p->rlim[r] = (struct resource_limit){RLIM_INFINITY, RLIM_INFINITY};
    p->rlim[RLIMIT_STACK].cur = STACK_LIMIT_DEFAULT;
    p->rlim[RLIMIT_CORE].cur = 0;
    p->rlim[RLIMIT_NPROC] = (struct resource_limit){NPROC, NPROC};
    p->rlim[RLIMIT_NOFILE] = (struct resource_limit){NOFILE, NOFILE};
    p->rlim[RLIMIT_MEMLOCK] = (struct resource_limit){MLOCK_LIMIT_DEFAULT, MLOCK_LIMIT_DEFAULT};
    p->rlim[RLIMIT_SIGPENDING] = (struct resource_limit){SIGPENDING_DEFAULT, SIGPENDING_DEFAULT};
    p->rlim[RLIMIT_MSGQUEUE] = (struct resource_limit){MQ_BYTES_MAX, MQ_BYTES_MAX};
    p->rlim[RLIMIT_NICE] = (struct resource_limit){0, 0};
    p->rlim[RLIMIT_RTPRIO] = (struct resource_limit){0, 0};
}

struct proc *proc_alloc(void)
{
    uint32_t flags = irq_save();
    struct proc *p = NULL;
    uint8_t *sp;

    for (struct proc *q = proc_table; q < proc_table + NPROC && !p; q++)
        if (q->state == PROC_UNUSED)
            p = q;
    if (!p) {
        irq_restore(flags);
        return NULL;
    }
    memset(p, 0, offsetof(struct proc, kstack));
    p->pid = next_pid++;
    p->tgid = p->pid; /* a group of one until clone adds threads */
    p->group = p;
    set_default_limits(p);
    procfs_add(p);
    p->state = PROC_SLEEPING; /* not runnable until the caller says so */
    irq_restore(flags);

    /* The stack, from the top: the user's trapframe, the address of
     * trap_return for proc_first_run to return into, and a context that
     * swtch() pops to start proc_first_run. */
    sp = p->kstack + KSTACK_SIZE - sizeof(struct trapframe);
    p->tf = (struct trapframe *)sp;
    sp -= sizeof(uint32_t);
    *(uint32_t *)sp = (uint32_t)trap_return;
    sp -= sizeof(struct context);
    p->context = (struct context *)sp;
    memset(p->context, 0, sizeof(*p->context));
    p->context->eip = (uint32_t)proc_first_run;
    return p;
}

/* The slot empties: its /proc name and exe path go. */
static void release_slot(struct proc *p)
{
    procfs_remove(p);
    kfree(p->exe_path);
    p->exe_path = NULL;
    p->state = PROC_UNUSED;
}

void proc_free(struct proc *p)
{
    files_exit(p); /* a process that never ran may hold its first descriptors */
    sig_exit(p);   /* ... or a signal someone sent it meanwhile */
    if (p->pd)
        vm_destroy(p->pd);
    p->pd = NULL;
    release_slot(p);
}

static void reparent_children(struct proc *dying)
{
    struct proc *init = proc_find(INIT_PID);

    pdeathsig_send(dying);

    for (struct proc *p = proc_table; p < proc_table + NPROC; p++) {
        if (p->state == PROC_UNUSED || p->parent != dying)
            continue;
        p->parent = init;
        if (p->state == PROC_ZOMBIE && init)
            proc_wakeup(init);
    }
}

/* init is gone: nothing can run any more. Report its status and stop. */
static NORETURN void init_exited(int wait_status)
{
    trace_flush();
    kprintf("relay: init exited with wait status %d\n", wait_status);
    qemu_exit(QEMU_EXIT_PASS);
    halt_forever();
}

NORETURN void proc_exit(int wait_status)
{
    struct proc *p = current_proc();

    syscall_report_missing(p);
    if (p->pid == INIT_PID)
        init_exited(wait_status);
    files_exit(p); /* a pipe's other end learns of it now */
    sig_exit(p);
    posix_timer_delete_all(p);
    tty_session_leader_exit(p);
    cli();
    vm_destroy(p->pd); /* it switches to the kernel's directory first */
    p->pd = NULL;
    reparent_children(p);
    p->wait_status = wait_status;
    p->state = PROC_ZOMBIE;
    vfork_release(p);
    if (sig_notify_parent_exit(p)) {
        p->parent = NULL; /* the parent wants no zombie: nobody will wait */
        release_slot(p);
    }
    if (p->parent)
        proc_wakeup(p->parent);
    sched();
    panic("proc_exit: zombie pid %d ran again", p->pid);
}

static const char *const state_names[] = {
    [PROC_UNUSED] = "unused",     [PROC_RUNNABLE] = "runnable", [PROC_RUNNING] = "running",
    [PROC_SLEEPING] = "sleeping", [PROC_STOPPED] = "stopped",   [PROC_ZOMBIE] = "zombie",
};

void proc_dump(void)
{
    kprintf("  PID  PPID  PGID  STATE     NAME\n");
    for (struct proc *p = proc_table; p < proc_table + NPROC; p++) {
        if (p->state == PROC_UNUSED)
            continue;
        kprintf("%5d %5d %5d  %-9s %s\n", p->pid, p->parent ? p->parent->pid : 0, p->pgid,
                state_names[p->state], p->name);
    }
}
