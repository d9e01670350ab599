/* Signals: Linux i386 numbers, structures and flags (../../shared/LINUX-I386-ABI.md).
 *
 * sigaction() installs a handler the way a real libc does: it always passes SA_RESTORER and a
 * restorer from this library, __restore (sigreturn, 119) for a plain handler and __restore_rt
 * (rt_sigreturn, 173) for an SA_SIGINFO one, because the kernel builds the old frame or the rt
 * frame by SA_SIGINFO. signal() has BSD semantics, as glibc's: the handler stays installed,
 * its signal is blocked while it runs, and interrupted calls restart (SA_RESTART). */
#ifndef _SIGNAL_H
#define _SIGNAL_H

#include <sys/types.h>
#include <sys/ucontext.h>

#define SIGHUP    1
#define SIGINT    2
#define SIGQUIT   3
#define SIGILL    4
#define SIGTRAP   5
#define SIGABRT   6
#define SIGBUS    7
#define SIGFPE    8
#define SIGKILL   9
#define SIGUSR1   10
#define SIGSEGV   11
#define SIGUSR2   12
#define SIGPIPE   13
#define SIGALRM   14
#define SIGTERM   15
#define SIGSTKFLT 16
#define SIGCHLD   17
#define SIGCONT   18
#define SIGSTOP   19
#define SIGTSTP   20
#define SIGTTIN   21
#define SIGTTOU   22
#define SIGURG    23
#define SIGXCPU   24
#define SIGXFSZ   25
#define SIGVTALRM 26
#define SIGPROF   27
#define SIGWINCH  28
#define SIGIO     29
#define SIGPWR    30
#define SIGSYS    31
#define NSIG      32 /* one past the last standard signal; Relay has no real-time signals */

typedef void (*sighandler_t)(int);
typedef int sig_atomic_t; /* read and written in one instruction, so safe to share with a handler */

#define SIG_DFL ((sighandler_t)0)
#define SIG_IGN ((sighandler_t)1)
#define SIG_ERR ((sighandler_t)-1)

/* sa_flags */
#define SA_NOCLDSTOP 0x00000001 /* SIGCHLD only when a child ends, not when it stops/continues */
#define SA_NOCLDWAIT 0x00000002
#define SA_SIGINFO   0x00000004 /* handler(int, siginfo_t *, void *ucontext), rt frame */
#define SA_RESTORER  0x04000000 /* sa_restorer is the return address (set by this library) */
#define SA_ONSTACK   0x08000000
#define SA_RESTART   0x10000000 /* restart an interrupted call that allows it */
#define SA_NODEFER   0x40000000 /* do not block the signal while its handler runs */
#define SA_RESETHAND 0x80000000 /* back to SIG_DFL on delivery: a one-shot handler */

/* sigprocmask how */
#define SIG_BLOCK   0
#define SIG_UNBLOCK 1
#define SIG_SETMASK 2

union sigval {
    int sival_int;
    void *sival_ptr;
};

/* 128 bytes; which union member is valid depends on the signal and si_code. */
typedef struct {
    int si_signo;
    int si_errno;
    int si_code;
    union {
        int pad[29];
        struct {
            pid_t pid; /* the sender (kill, tkill) */
            uid_t uid;
            union sigval value;
        } kill;
        struct {
            pid_t pid; /* the child */
            uid_t uid;
            int status; /* exit code, or the signal that killed, stopped or continued it */
            long utime, stime;
        } chld;
        struct {
            void *addr; /* the faulting address, or the faulting instruction */
        } fault;
    } fields;
} siginfo_t;

#define si_pid    fields.kill.pid
#define si_uid    fields.kill.uid
#define si_value  fields.kill.value
#define si_status fields.chld.status
#define si_addr   fields.fault.addr

/* si_code: who sent it (any signal) */
#define SI_USER   0    /* kill */
#define SI_KERNEL 0x80 /* the kernel itself (e.g. int3, a general protection fault) */
#define SI_QUEUE  (-1)
#define SI_TIMER  (-2)
#define SI_TKILL  (-6) /* tkill, tgkill */
/* si_code for the fault signals */
#define ILL_ILLOPC  1
#define ILL_ILLOPN  2 /* ud2 on x86 */
#define FPE_INTDIV  1
#define FPE_INTOVF  2
#define SEGV_MAPERR 1 /* nothing mapped there */
#define SEGV_ACCERR 2 /* mapped, but not for this kind of access */
#define BUS_ADRALN  1
#define TRAP_BRKPT  1
#define TRAP_TRACE  2
/* si_code for SIGCHLD */
#define CLD_EXITED    1
#define CLD_KILLED    2
#define CLD_DUMPED    3
#define CLD_TRAPPED   4
#define CLD_STOPPED   5
#define CLD_CONTINUED 6

struct sigaction {
    union {
        sighandler_t sa_handler;                            /* without SA_SIGINFO */
        void (*sa_sigaction)(int, siginfo_t *, void *);     /* with SA_SIGINFO */
    };
    sigset_t sa_mask; /* blocked, with the signal itself, while the handler runs */
    int sa_flags;
    void (*sa_restorer)(void); /* ignored on input: sigaction() picks it */
};

int sigemptyset(sigset_t *set);
int sigfillset(sigset_t *set);
int sigaddset(sigset_t *set, int sig);
int sigdelset(sigset_t *set, int sig);
int sigismember(const sigset_t *set, int sig);

int sigaction(int sig, const struct sigaction *act, struct sigaction *old);
sighandler_t signal(int sig, sighandler_t handler);
int sigprocmask(int how, const sigset_t *set, sigset_t *old);
int sigpending(sigset_t *set);
/* Waits with *mask as the signal mask until a handler has run; always -1 with EINTR. */
int sigsuspend(const sigset_t *mask);

int kill(pid_t pid, int sig);
int killpg(pid_t pgrp, int sig);
/* kill(getpid(), sig): si_code is SI_USER (glibc's raise uses tgkill, SI_TKILL). */
int raise(int sig);
/* Sends sig to one thread, by its id (gettid()); si_code is SI_TKILL. */
int tkill(pid_t tid, int sig);

/* "Interrupt", "Segmentation fault", ...: the descriptions glibc and bash use. */
char *strsignal(int sig);
/* Writes "msg: description" to stderr (just the description when msg is NULL or ""). */
void psignal(int sig, const char *msg);

/* The library's restorers, the return addresses sigaction() gives the kernel. Never called
 * from C: the handler's ret jumps there with the signal frame on the stack. */
void __restore(void);    /* sigreturn (119), for the old frame */
void __restore_rt(void); /* rt_sigreturn (173), for the rt frame */

/* The kernel's own structures, for tests that call sigaction(67) and rt_sigaction(174)
 * directly, with or without SA_RESTORER, through syscall(). */
struct old_sigaction {          /* sigaction (67) */
    void *handler;
    unsigned long mask;         /* signals 1-32 */
    unsigned long flags;
    void (*restorer)(void);
};

struct kernel_sigaction {       /* rt_sigaction (174), sigsetsize 8 */
    void *handler;
    unsigned long flags;
    void (*restorer)(void);
    sigset_t mask;
};

#endif
