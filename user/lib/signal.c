/* Signal sets, sigaction and friends, over the rt_* calls with the kernel's 64-bit set
 * (sigsetsize 8), as a real libc does; and the signal descriptions. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include "libc.h"

#define KERNEL_SIGSET_SIZE 8
#define SIGSET_BITS        64

int sigemptyset(sigset_t *set)
{
    set->sig[0] = set->sig[1] = 0;
    return 0;
}

int sigfillset(sigset_t *set)
{
    set->sig[0] = set->sig[1] = ~0ul;
    return 0;
}

/* The word and bit of sig in a set, or -1 with EINVAL for a number outside 1..64. */
static int sig_word(int sig, unsigned long *bit)
{
    if (sig < 1 || sig > SIGSET_BITS) {
        errno = EINVAL;
        return -1;
    }
    *bit = 1ul << ((sig - 1) % 32);
    return (sig - 1) / 32;
}

int sigaddset(sigset_t *set, int sig)
{
    unsigned long bit;
    int w = sig_word(sig, &bit);

    if (w < 0)
        return -1;
    set->sig[w] |= bit;
    return 0;
}

int sigdelset(sigset_t *set, int sig)
{
    unsigned long bit;
    int w = sig_word(sig, &bit);

    if (w < 0)
        return -1;
    set->sig[w] &= ~bit;
    return 0;
}

int sigismember(const sigset_t *set, int sig)
{
    unsigned long bit;
    int w = sig_word(sig, &bit);

    if (w < 0)
        return -1;
    return (set->sig[w] & bit) != 0;
}

int sigaction(int sig, const struct sigaction *act, struct sigaction *old)
{
    struct kernel_sigaction kact, kold;
    long r;

    if (act) {
        /* The restorer must match the frame the kernel builds, and it builds it by SA_SIGINFO. */
        kact.handler = (void *)act->sa_handler;
        kact.flags = act->sa_flags | SA_RESTORER;
        kact.restorer = act->sa_flags & SA_SIGINFO ? __restore_rt : __restore;
        kact.mask = act->sa_mask;
    }
    r = SYSCALL4(SYS_rt_sigaction, sig, act ? &kact : NULL, old ? &kold : NULL, KERNEL_SIGSET_SIZE);
    if (r == 0 && old) {
        old->sa_handler = (sighandler_t)kold.handler;
        old->sa_mask = kold.mask;
        old->sa_flags = kold.flags; /* as the kernel keeps them, SA_RESTORER included */
        old->sa_restorer = kold.restorer;
    }
    return sys_result(r);
}

sighandler_t signal(int sig, sighandler_t handler)
{
    struct sigaction act, old;

    act.sa_handler = handler;
    sigemptyset(&act.sa_mask);
    act.sa_flags = SA_RESTART;
    if (sigaction(sig, &act, &old) < 0)
        return SIG_ERR;
    return old.sa_handler;
}

int sigprocmask(int how, const sigset_t *set, sigset_t *old)
{
    return sys_result(SYSCALL4(SYS_rt_sigprocmask, how, set, old, KERNEL_SIGSET_SIZE));
}

int sigpending(sigset_t *set)
{
    return sys_result(SYSCALL2(SYS_rt_sigpending, set, KERNEL_SIGSET_SIZE));
}

int sigsuspend(const sigset_t *mask)
{
    return sys_result(SYSCALL2(SYS_rt_sigsuspend, mask, KERNEL_SIGSET_SIZE));
}

int kill(pid_t pid, int sig) { return sys_result(SYSCALL2(SYS_kill, pid, sig)); }
int raise(int sig) { return kill(getpid(), sig); }
int tkill(pid_t tid, int sig) { return sys_result(SYSCALL2(SYS_tkill, tid, sig)); }

int killpg(pid_t pgrp, int sig)
{
    if (pgrp < 0) {
        errno = EINVAL;
        return -1;
    }
    return kill(-pgrp, sig);
}

int pause(void) { return sys_result(SYSCALL0(SYS_pause)); }
unsigned int alarm(unsigned int seconds) { return SYSCALL1(SYS_alarm, seconds); }

/* Returns 0, or the seconds left (rounded to the nearest) when a handler interrupted it. */
unsigned int sleep(unsigned int seconds)
{
    struct timespec ts = {seconds, 0};

    if (nanosleep(&ts, &ts) == 0)
        return 0;
    return ts.tv_sec + (ts.tv_nsec >= 500000000);
}

int getitimer(int which, struct itimerval *value)
{
    return sys_result(SYSCALL2(SYS_getitimer, which, value));
}

int setitimer(int which, const struct itimerval *value, struct itimerval *old)
{
    return sys_result(SYSCALL3(SYS_setitimer, which, value, old));
}

static const char *const descriptions[NSIG] = {
    [SIGHUP] = "Hangup",
    [SIGINT] = "Interrupt",
    [SIGQUIT] = "Quit",
    [SIGILL] = "Illegal instruction",
    [SIGTRAP] = "Trace/breakpoint trap",
    [SIGABRT] = "Aborted",
    [SIGBUS] = "Bus error",
    [SIGFPE] = "Floating point exception",
    [SIGKILL] = "Killed",
    [SIGUSR1] = "User defined signal 1",
    [SIGSEGV] = "Segmentation fault",
    [SIGUSR2] = "User defined signal 2",
    [SIGPIPE] = "Broken pipe",
    [SIGALRM] = "Alarm clock",
    [SIGTERM] = "Terminated",
    [SIGSTKFLT] = "Stack fault",
    [SIGCHLD] = "Child exited",
    [SIGCONT] = "Continued",
    [SIGSTOP] = "Stopped (signal)",
    [SIGTSTP] = "Stopped",
    [SIGTTIN] = "Stopped (tty input)",
    [SIGTTOU] = "Stopped (tty output)",
    [SIGURG] = "Urgent I/O condition",
    [SIGXCPU] = "CPU time limit exceeded",
    [SIGXFSZ] = "File size limit exceeded",
    [SIGVTALRM] = "Virtual timer expired",
    [SIGPROF] = "Profiling timer expired",
    [SIGWINCH] = "Window changed",
    [SIGIO] = "I/O possible",
    [SIGPWR] = "Power failure",
    [SIGSYS] = "Bad system call",
};

char *strsignal(int sig)
{
    static char unknown[32];

    if (sig > 0 && sig < NSIG)
        return (char *)descriptions[sig];
    snprintf(unknown, sizeof(unknown), "Unknown signal %d", sig);
    return unknown;
}

void psignal(int sig, const char *msg)
{
    if (msg && *msg)
        fprintf(stderr, "%s: %s\n", msg, strsignal(sig));
    else
        fprintf(stderr, "%s\n", strsignal(sig));
}
