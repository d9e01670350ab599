/*
 * Processes (kernel/proc/proc.c) and the scheduler (kernel/proc/sched.c).
 *
 * Life of a process: UNUSED -> RUNNABLE <-> RUNNING -> ZOMBIE -> UNUSED,
 * with SLEEPING (waiting on a channel) and STOPPED (by a signal) on the side.
 */
#pragma once

#include "cpu.h"
#include "file.h"
#include "posix_timer.h"
#include "signal.h"
#include "trap.h"
#include "mm.h"
#include "types.h"
#include "vm.h"

#define NPROC 64
#define PROC_NAME_MAX 16
#define KSTACK_SIZE 8192
#define INIT_PID 1

enum { ITIMER_REAL, ITIMER_VIRTUAL, ITIMER_PROF };

enum proc_state { PROC_UNUSED, PROC_RUNNABLE, PROC_RUNNING, PROC_SLEEPING, PROC_STOPPED, PROC_ZOMBIE };

/* Callee-saved registers of a process switched out in swtch() (swtch.asm). */
struct context {
    uint32_t edi, esi, ebx, ebp, eip;
};

/*
 * A sleep cut short by a signal that runs no handler (a stop, say) goes on
 * through restart_syscall (0) for only the time that is left, as Linux's
 * restart block: the call sets syscall_nr to SYS_restart_syscall, so the
 * restart enters fn instead of the original call (kernel/time/sys_time.c,
 * kernel/fs/sys_poll.c).
 */
struct restart_block {
    long (*fn)(struct restart_block *r);
    int clock;        /* the clock the deadline is on */
    int64_t deadline; /* nanoseconds on that clock */
    uintptr_t addr;   /* a sleep's rem (0: none), poll's array of pollfd */
    uint32_t count;   /* poll's nfds */
    int layout;       /* enum time_layout of a sleep's rem */
    uint32_t bitset;  /* a futex wait's FUTEX_WAIT_BITSET mask */
};

/* The system calls Relay does not implement that a program made, with counts,
 * so that the kernel can say what it lacks (kernel/syscall.c). */
#define MISSING_SYSCALLS_MAX 16
struct missing_syscalls {
    struct missing_call {
        int nr;
        uint32_t count;
    } call[MISSING_SYSCALLS_MAX];
    int used;
    uint32_t others; /* calls to numbers beyond the first MISSING_SYSCALLS_MAX */
};

/* Supplementary groups a process can hold. Linux allows NGROUPS_MAX (65536);
 * Relay keeps a small fixed array, and setgroups beyond it is EINVAL. */
#define NGROUPS_RELAY 32

/* User and group ids: real, effective, saved and file-system ones, and the
 * supplementary groups, sorted as Linux keeps them (kernel/proc/sys_ids.c). */
struct creds {
    uint32_t uid, euid, suid, fsuid, gid, egid, sgid, fsgid;
    uint32_t groups[NGROUPS_RELAY];
    int ngroups;
};

/* Resource limits, by Linux's RLIMIT_ numbers (include/uapi/asm-generic/
 * resource.h). Relay enforces NOFILE, NPROC and FSIZE here; STACK, AS and DATA
 * belong to the memory code, CPU to the timers, SIGPENDING to signals. */
enum {
    RLIMIT_CPU = 0, RLIMIT_FSIZE = 1, RLIMIT_DATA = 2, RLIMIT_STACK = 3, RLIMIT_CORE = 4,
    RLIMIT_NPROC = 6, RLIMIT_NOFILE = 7, RLIMIT_MEMLOCK = 8, RLIMIT_AS = 9,
    RLIMIT_SIGPENDING = 11, RLIMIT_MSGQUEUE = 12, RLIMIT_NICE = 13, RLIMIT_RTPRIO = 14,
    RLIMIT_COUNT = 16
};
/* Queued real-time signals per real uid (Linux derives its default from
 * the RAM size; Relay's is half its fixed queue pool in kernel/signal/signal.c). */
enum { SIGPENDING_DEFAULT = 128 };
#define RLIM_INFINITY 0xFFFFFFFFFFFFFFFFull
struct resource_limit {
    uint64_t cur, max;
};
/* RLIMIT_NPROC: would a fork by parent be one process too many for its real uid? */
bool rlimit_nproc_reached(const struct proc *parent);
/* RLIMIT_FSIZE for the current process, as Linux: a write at pos past the
 * limit is -EFBIG with SIGXFSZ, one that crosses it is cut to *count bytes;
 * so is a truncate that grows a file past it. 0 when allowed. */
long rlimit_fsize_write(uint64_t pos, size_t *count);
long rlimit_fsize_truncate(uint64_t old_size, uint64_t new_size);
/* What a child inherits besides ids and limits (nice, prctl's flags), and
 * what execve resets (saved ids, dumpable), as Linux (kernel/proc/sys_ids.c). */
void ids_fork(struct proc *child, const struct proc *parent);
void ids_exec(struct proc *p);
/* A parent is exiting: its children that asked for it get their
 * PR_SET_PDEATHSIG signal. */
void pdeathsig_send(const struct proc *dying);

/*
 * A task: a process, or one thread of one (Linux's task_struct). pid is the
 * task's own id (the thread id, gettid); tgid is its thread group's id (the
 * process id, getpid), the pid of the group's first thread, its leader.
 * Until clone makes threads (CLONE_THREAD), every task is its own group:
 * tgid == pid and group == itself.
 */
struct proc {
    int pid, pgid, sid;
    int tgid;                  /* the thread group's id: getpid */
    struct proc *group;        /* the group's leader, whose slot outlives its threads */
    enum proc_state state;
    char name[PROC_NAME_MAX];
    struct proc *parent;
    pde_t *pd;
    struct trapframe *tf;      /* the user registers, at the top of kstack */
    struct context *context;   /* where swtch() left this process's kernel */
    const void *wait_channel;  /* what a SLEEPING process waits for */
    uint64_t wake_tick;        /* for nanosleep: 0 = no timeout */
    uintptr_t brk_start, brk;  /* the heap: [brk_start, brk) */
    struct mm mm;              /* its mappings and stack (include/mm.h) */
    int wait_status;           /* Linux wait status, once a ZOMBIE */
    bool did_exec;             /* setpgid on a child that has exec'd is EACCES */
    bool vfork_pending;        /* a vfork child whose parent waits for its execve or exit */
    unsigned slice_left;       /* timer ticks left in the time slice */
    uint32_t cpu_ticks;        /* timer ticks that found this process running */
    uint32_t user_ticks;       /* ... of which in user mode */
    uint32_t reaped_cpu_ticks, reaped_user_ticks; /* the same for its reaped children */
    uint32_t nvcsw, nivcsw;    /* context switches: it slept / its time slice ended */
    uint32_t reaped_nvcsw, reaped_nivcsw;
    int syscall_nr;            /* the system call in progress, to restart it */
    struct restart_block restart; /* how restart_syscall goes on with it */
    struct missing_syscalls missing; /* unimplemented calls made since exec */
    gdt_descriptor_t tls[TLS_ENTRIES]; /* its GDT_TLS_MIN..MAX descriptors */
    struct fpu_state fpu;      /* x87/SSE registers while it is off the CPU */
    uintptr_t clear_child_tid; /* set_tid_address: kept, never used (no threads) */
    struct sig_state sig;      /* pending and blocked sets, handlers */
    struct fd_table fds;       /* open files, by descriptor (include/file.h) */
    struct inode *cwd;         /* the working directory; NULL: the root */
    uint32_t umask;            /* permission bits that new files do not get */
    struct creds cred;         /* all 0 (root) unless the program changes them */
    struct resource_limit rlim[RLIMIT_COUNT];
    int nice;                  /* -20..19, kept and reported: the scheduler ignores it */
    int pdeath_signal;         /* prctl PR_SET_PDEATHSIG: sent when its parent exits */
    bool not_dumpable;         /* prctl PR_SET_DUMPABLE 0 (Relay writes no cores anyway) */
    bool no_new_privs;         /* prctl PR_SET_NO_NEW_PRIVS: kept across fork and exec */
    uintptr_t robust_list;     /* set_robust_list: kept, not used (no futexes yet) */
    char *exe_path;            /* the program's absolute path, for /proc/PID/exe */
    uintptr_t arg_start, arg_end; /* its argv strings on its stack, for /proc/PID/cmdline */
    int stop_signal;           /* the signal that stopped it, while STOPPED */
    bool stop_unreported;      /* wait4(WUNTRACED) has not seen the stop yet */
    bool continue_unreported;  /* wait4(WCONTINUED) has not seen the SIGCONT yet */
    struct itimer {
        uint64_t remaining;    /* ticks until it fires; 0 = off */
        uint64_t interval;     /* ticks to reload with; 0 = one-shot */
    } itimer[3];               /* indexed by ITIMER_REAL, _VIRTUAL, _PROF */
    struct posix_timer timers[POSIX_TIMERS_MAX]; /* timer_create's, by id */
    uint8_t *kstack;           /* KSTACK_SIZE bytes above a guard page; kept when
                                  the slot is reused, so it must stay last */
};

extern struct proc proc_table[NPROC];

/* Gives every process slot its kernel stack; after pmm_init. */
void proc_init(void);
/* The process whose kernel code runs now; NULL in the scheduler and at boot. */
struct proc *current_proc(void);
struct proc *proc_find(int pid);
/* The task tid if it belongs to thread group tgid, else NULL. */
struct proc *thread_find(int tgid, int tid);

/* Allocates a process slot with a kernel stack ready to enter ring 3 through
 * trap_return, and Linux's default resource limits; the caller fills in pd,
 * tf and state. NULL when full. */
struct proc *proc_alloc(void);
void proc_free(struct proc *p);
/* A vfork child has exec'd or is exiting: its parent may go on. */
void vfork_release(struct proc *p);
/* Ends the current process with a Linux wait status; does not return. */
NORETURN void proc_exit(int wait_status);
/* Pretty-prints the process table (pid, ppid, pgid, state, name). */
void proc_dump(void);
bool pgrp_exists(int pgid);
bool pgrp_in_session(int pgid, int sid);

/* Scheduler. */
NORETURN void scheduler(void);
/* Runs one RUNNABLE process until it gives the CPU back, or halts until
 * the next interrupt when none is. The loop body of scheduler(). */
void schedule_once(void);
void sched_yield(void);
/* Gives the CPU to the scheduler. The caller has turned interrupts off and
 * set its state (RUNNABLE, SLEEPING, STOPPED or ZOMBIE). */
void sched(void);
/* Sleeps on chan until proc_wakeup(chan); call with interrupts off. */
void proc_sleep(const void *chan);
void proc_wakeup(const void *chan);
/* Called on every timer tick: wakes timed sleepers, ends time slices,
 * runs the interval timers. from_user: the tick interrupted user code. */
void sched_tick(bool from_user);
/* The last step before any return to ring 3 (see kernel/trap.c). */
void return_to_user(struct trapframe *tf);

/* Context switch: saves callee-saved registers in *old, loads new. */
void swtch(struct context **old, struct context *new);
