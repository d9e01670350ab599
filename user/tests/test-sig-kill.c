/* test-sig-kill: who a signal reaches. kill(0, sig) reaches the sender's whole process group,
 * the sender included; kill(-pgrp, sig) a group; tkill one thread, with SI_TKILL; and the
 * errors for a bad signal number or a target that does not exist. Everything group-wide
 * happens in a child that made its own group, so no process outside the test is touched.
 * kill(-1, sig) (every process we may signal) is not tested: on the host it reaches far
 * beyond the test. */
#include <sys/syscall.h>

#include "sigtest.h"

static volatile int usr1s;

static void on_usr1(int sig)
{
    (void)sig;
    usr1s++;
}

static void on_usr1_info(int sig, siginfo_t *si, void *ctx)
{
    (void)sig;
    (void)ctx;
    printf("  handler: si_code %d, si_pid is me: %s\n", si->si_code, yes(si->si_pid == getpid()));
}

static pid_t pause_child(void)
{
    pid_t pid = fork();

    if (pid == 0) {
        for (;;)
            pause();
    }
    return pid;
}

/* The leader of a new group starts two members, then signals its own group with kill(0). */
static void group_by_zero(void)
{
    pid_t a, b;

    setpgid(0, 0);
    a = pause_child();
    b = pause_child();
    on(SIGUSR1, on_usr1, 0);
    show("  kill(0, SIGUSR1)", kill(0, SIGUSR1));
    printf("  the sender's own handler ran: %s\n", yes(usr1s == 1));
    reap(a, "  member 1");
    reap(b, "  member 2");
    exit(0);
}

static void group_by_id(void)
{
    pid_t leader = fork(), member;

    if (leader == 0) {
        setpgid(0, 0);
        for (;;)
            pause();
    }
    setpgid(leader, leader);
    member = fork();
    if (member == 0) {
        for (;;)
            pause();
    }
    setpgid(member, leader);
    show("kill(-leader, SIGTERM)", kill(-leader, SIGTERM));
    reap(leader, "  leader");
    reap(member, "  member");
    show("kill(-leader, 0) once the group is gone", kill(-leader, 0));
    show("killpg(leader, 0) likewise", killpg(leader, 0));
    show("killpg(-1, SIGTERM)", killpg(-1, SIGTERM));
}

static void errors(void)
{
    show("kill(getpid(), 0)", kill(getpid(), 0));
    show("kill(getpid(), 65)", kill(getpid(), 65));
    show("kill(getpid(), -1)", kill(getpid(), -1));
    show("kill(NO_PID, 0)", kill(NO_PID, 0));
    show("kill(NO_PID, SIGUSR1)", kill(NO_PID, SIGUSR1));
    show("kill(-NO_PID, 0)", kill(-NO_PID, 0));
    show("kill(INT_MIN, 0)", kill(-2147483647 - 1, 0));
    show("kill(NO_PID, 99): no target wins over a bad signal", kill(NO_PID, 99));
    show("tkill(gettid(), 0)", tkill(gettid(), 0));
    show("tkill(0, SIGUSR1)", tkill(0, SIGUSR1));
    show("tkill(-1, SIGUSR1)", tkill(-1, SIGUSR1));
    show("tkill(NO_PID, SIGUSR1)", tkill(NO_PID, SIGUSR1));
    show("tkill(gettid(), 99)", tkill(gettid(), 99));
    show("tkill(NO_PID, 99)", tkill(NO_PID, 99));
}

int main(void)
{
    pid_t pid;

    sig_reset_all();
    printf("kill(0) in a new group of three:\n");
    pid = fork();
    if (pid == 0)
        group_by_zero();
    reap(pid, "  leader");
    group_by_id();
    printf("tkill(gettid(), SIGUSR1) with an SA_SIGINFO handler:\n");
    on_info(SIGUSR1, on_usr1_info, 0);
    show("tkill", tkill(gettid(), SIGUSR1));
    printf("kill(getpid(), SIGUSR1):\n");
    show("kill", kill(getpid(), SIGUSR1));
    pid = pause_child();
    show("tkill(child, SIGKILL)", tkill(pid, SIGKILL));
    reap(pid, "  child");
    errors();
    return 0;
}
