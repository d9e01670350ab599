/*
 * test-glibc-sigwait: sigwaitinfo and sigtimedwait, compared with Linux.
 * A pending signal of the set is taken at once with its siginfo (real-time
 * ones one instance at a time, in queue order); a zero timeout polls
 * (EAGAIN); a short timeout expires (EAGAIN); a bad timespec is EINVAL; a
 * handled signal outside the set ends the wait with EINTR; a signal of the
 * set that arrives during the wait is taken by the wait, not by its handler
 * (it is "unblocked for waiting" only), and a blocked SIGCHLD, ignored by
 * default, is not dropped meanwhile; sigwait returns the number.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <stdint.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define SHORT_NS 30000000 /* 30 ms */
#define LONG_S 5
#define SENDER_DELAY_US 50000

static volatile int handled;

static void on_signal(int sig) { handled = sig; }

static void show(const char *what, long r, const siginfo_t *si)
{
    if (r < 0) {
        printf("%s = -1 %s\n", what, strerrorname_np(errno));
        return;
    }
    printf("%s = %s", what, r >= SIGRTMIN ? "SIGRTMIN+" : "sig ");
    printf("%ld", r >= SIGRTMIN ? r - SIGRTMIN : r);
    if (si)
        printf(" code %d value %d from me %d", si->si_code, si->si_value.sival_int,
               si->si_pid == getpid());
    printf("\n");
}

static void pending_ones(sigset_t *set)
{
    siginfo_t si;
    struct timespec zero = {0, 0};

    sigqueue(getpid(), SIGRTMIN + 1, (union sigval){.sival_int = 11});
    sigqueue(getpid(), SIGRTMIN, (union sigval){.sival_int = 22});
    sigqueue(getpid(), SIGRTMIN + 1, (union sigval){.sival_int = 33});
    kill(getpid(), SIGUSR1);
    for (int i = 0; i < 4; i++)
        show("sigwaitinfo, pending", sigwaitinfo(set, &si), &si);
    show("sigtimedwait, zero timeout, none pending", sigtimedwait(set, &si, &zero), NULL);
}

static void timeouts(sigset_t *set)
{
    struct timespec shortly = {0, SHORT_NS}, bad = {0, 1000000000};
    siginfo_t si;

    show("sigtimedwait 30 ms, nothing comes", sigtimedwait(set, &si, &shortly), NULL);
    show("sigtimedwait, tv_nsec 1e9", sigtimedwait(set, &si, &bad), NULL);
    /* glibc would read it itself: the system call is asked directly. */
    show("rt_sigtimedwait, bad timespec pointer",
         syscall(SYS_rt_sigtimedwait, set, &si, (void *)8, sizeof(uint64_t)), NULL);
    show("rt_sigtimedwait, sigsetsize 4", syscall(SYS_rt_sigtimedwait, set, &si, NULL, 4), NULL);
}

/* SIGALRM, handled and not in the set, cuts the wait short. */
static void interrupted(sigset_t *set)
{
    struct itimerval once = {{0, 0}, {0, SHORT_NS / 1000}};
    struct timespec longer = {LONG_S, 0};
    siginfo_t si;

    signal(SIGALRM, on_signal);
    handled = 0;
    setitimer(ITIMER_REAL, &once, NULL);
    show("sigtimedwait, SIGALRM handled meanwhile", sigtimedwait(set, &si, &longer), NULL);
    printf("  handler ran for: %d\n", handled);
}

/* A child sends SIGUSR2, which has a handler and is not blocked: the wait
 * takes it and the handler does not run. */
static void arrives_while_waiting(void)
{
    sigset_t usr2;
    struct timespec longer = {LONG_S, 0};
    siginfo_t si;
    pid_t child;

    signal(SIGUSR2, on_signal);
    handled = 0;
    sigemptyset(&usr2);
    sigaddset(&usr2, SIGUSR2);
    child = fork();
    if (child == 0) {
        usleep(SENDER_DELAY_US);
        kill(getppid(), SIGUSR2);
        _exit(0);
    }
    int r = sigtimedwait(&usr2, &si, &longer);
    printf("sigtimedwait for an unblocked SIGUSR2 = %d code %d from child %d\n", r, si.si_code,
           si.si_pid == child);
    printf("  handler ran: %d\n", handled);
    waitpid(child, NULL, 0);
}

/* SIGCHLD's default action ignores it, but a blocked one is kept for the
 * wait even while the wait unblocks it (the child exits during the wait). */
static void child_exit_while_waiting(void)
{
    sigset_t chld;
    struct timespec longer = {LONG_S, 0};
    siginfo_t si;
    pid_t child;

    sigemptyset(&chld);
    sigaddset(&chld, SIGCHLD);
    sigprocmask(SIG_BLOCK, &chld, NULL);
    child = fork();
    if (child == 0) {
        usleep(SENDER_DELAY_US);
        _exit(3);
    }
    int r = sigtimedwait(&chld, &si, &longer);
    printf("sigtimedwait for a blocked SIGCHLD = %d code %d status %d from child %d\n", r,
           si.si_code, si.si_status, si.si_pid == child);
    waitpid(child, NULL, 0);
}

int main(void)
{
    sigset_t set;
    int sig = 0;

    setvbuf(stdout, NULL, _IONBF, 0);
    sigemptyset(&set);
    sigaddset(&set, SIGUSR1);
    sigaddset(&set, SIGRTMIN);
    sigaddset(&set, SIGRTMIN + 1);
    sigprocmask(SIG_BLOCK, &set, NULL);
    pending_ones(&set);
    timeouts(&set);
    interrupted(&set);
    arrives_while_waiting();
    child_exit_while_waiting();
    kill(getpid(), SIGRTMIN);
    int r = sigwait(&set, &sig);
    printf("sigwait = %d, SIGRTMIN+%d\n", r, sig - SIGRTMIN);
    return 0;
}
