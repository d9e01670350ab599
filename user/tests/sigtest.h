/* Helpers for the signal tests (test-sig-*): known starting state, handlers in one line,
 * signal sets and wait statuses printed by name. */
#ifndef TESTS_SIGTEST_H
#define TESTS_SIGTEST_H

#include <signal.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "check.h"

#define NO_PID 0x3fffffff /* no process has this id */

static inline const char *sig_short(int sig)
{
    static const char *const names[NSIG] = {
        "0",    "HUP",  "INT",  "QUIT", "ILL",    "TRAP",   "ABRT",  "BUS",  "FPE",  "KILL", "USR1",
        "SEGV", "USR2", "PIPE", "ALRM", "TERM",   "STKFLT", "CHLD",  "CONT", "STOP", "TSTP", "TTIN",
        "TTOU", "URG",  "XCPU", "XFSZ", "VTALRM", "PROF",   "WINCH", "IO",   "PWR",  "SYS",
    };

    return sig >= 0 && sig < NSIG ? names[sig] : "?";
}

/* A test starts from a known state whatever its parent left: nothing blocked, every signal at
 * its default action. */
static inline void sig_reset_all(void)
{
    sigset_t none;
    int sig;

    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, NULL);
    for (sig = 1; sig < NSIG; sig++) {
        if (sig != SIGKILL && sig != SIGSTOP)
            signal(sig, SIG_DFL);
    }
}

/* Installs a plain handler with an empty sa_mask; returns sigaction's result. */
static inline int on(int sig, void (*handler)(int), int flags)
{
    struct sigaction sa;

    sa.sa_handler = handler;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = flags;
    return sigaction(sig, &sa, NULL);
}

/* Installs an SA_SIGINFO handler with an empty sa_mask. */
static inline int on_info(int sig, void (*handler)(int, siginfo_t *, void *), int flags)
{
    struct sigaction sa;

    sa.sa_sigaction = handler;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = flags | SA_SIGINFO;
    return sigaction(sig, &sa, NULL);
}

static inline sigset_t set_of(int a, int b)
{
    sigset_t s;

    sigemptyset(&s);
    if (a)
        sigaddset(&s, a);
    if (b)
        sigaddset(&s, b);
    return s;
}

static inline void block(int sig)
{
    sigset_t s = set_of(sig, 0);

    sigprocmask(SIG_BLOCK, &s, NULL);
}

static inline void unblock(int sig)
{
    sigset_t s = set_of(sig, 0);

    sigprocmask(SIG_UNBLOCK, &s, NULL);
}

/* Prints "what: {USR1 TERM}" for the standard signals in set; "(+high)" if bits 32-64 are set. */
static inline void print_set(const char *what, const sigset_t *set)
{
    int sig, first = 1;

    printf("%s: {", what);
    for (sig = 1; sig < NSIG; sig++) {
        if (sigismember(set, sig) == 1) {
            printf(first ? "%s" : " %s", sig_short(sig));
            first = 0;
        }
    }
    printf("}%s\n", (set->sig[0] & 0x80000000u) || set->sig[1] ? " (+high)" : "");
}

static inline void print_mask(const char *what)
{
    sigset_t cur;

    sigprocmask(SIG_BLOCK, NULL, &cur);
    print_set(what, &cur);
}

static inline void print_pending(const char *what)
{
    sigset_t p;

    sigpending(&p);
    print_set(what, &p);
}

/* Wait statuses by name. The core-dump bit is not shown: Linux sets it only when a core file
 * was really written, which depends on the host's RLIMIT_CORE and core_pattern. */
static inline void describe(const char *what, int st)
{
    if (WIFEXITED(st))
        printf("%s: exited %d\n", what, WEXITSTATUS(st));
    else if (WIFSIGNALED(st))
        printf("%s: killed by signal %d (SIG%s)\n", what, WTERMSIG(st), sig_short(WTERMSIG(st)));
    else if (WIFSTOPPED(st))
        printf("%s: stopped by signal %d (SIG%s)\n", what, WSTOPSIG(st), sig_short(WSTOPSIG(st)));
    else if (WIFCONTINUED(st))
        printf("%s: continued\n", what);
}

/* Waits for pid (retrying after EINTR) and describes how it ended. */
static inline void reap(pid_t pid, const char *what)
{
    int st;

    while (waitpid(pid, &st, 0) < 0) {
        if (errno != EINTR) {
            show("waitpid", -1);
            return;
        }
    }
    describe(what, st);
}

/* Gives other processes time to act (send a signal, stop, continue): 50 ms. */
static inline void settle(void)
{
    struct timespec ts = {0, 50000000};

    nanosleep(&ts, NULL);
}

#endif
