/* test-pgrp: process groups and sessions. Everything that depends on where the test starts
 * (is it a group leader? a session leader?) happens in children, whose state is known. */
#include <sched.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include "check.h"

#define NO_PID 0x3fffffff /* above any pid Linux or Relay hands out */

/* A child that stays until killed. */
static pid_t idle_child(void)
{
    pid_t pid = fork();

    if (pid == 0) {
        for (;;)
            pause();
    }
    return pid;
}

static void reap_killed(pid_t pid, const char *name)
{
    int st;

    waitpid(pid, &st, 0);
    printf("%s killed by signal %d\n", name, WIFSIGNALED(st) ? WTERMSIG(st) : 0);
}

/* Waits, yielding, until pid's group is pgid: the child got there on its own. */
static void await_group(pid_t pid, pid_t pgid)
{
    while (getpgid(pid) != pgid)
        sched_yield();
}

static void group_calls(pid_t parent_pgrp)
{
    printf("child: getpgrp() == getpgid(0): %s\n", yes(getpgrp() == getpgid(0)));
    printf("child: inherited parent's group: %s\n", yes(getpgrp() == parent_pgrp));
    printf("child: getpgid(getppid()) is its group: %s\n", yes(getpgid(getppid()) == getpgrp()));
    show("child: setpgid(0, 0)", setpgid(0, 0));
    printf("child: now leads its group: %s\n", yes(getpgrp() == getpid()));
    show("child: setpgid(0, 0) again", setpgid(0, 0));
    show("child: setsid() as a group leader", setsid());
    show("child: setpgid(0, -1)", setpgid(0, -1));
    show("child: setpgid(0, no such group)", setpgid(0, NO_PID));
    show("child: setpgid(parent, 0)", setpgid(getppid(), 0));
    show("child: setpgid(no such pid, 0)", setpgid(NO_PID, 0));
    show("child: setpgid(-(no such pid), 0)", setpgid(-NO_PID, 0));
    show("child: getpgid(no such pid)", getpgid(NO_PID));
    show("child: setpgid(0, parent's group)", setpgid(0, parent_pgrp));
    printf("child: back in parent's group: %s\n", yes(getpgrp() == parent_pgrp));
}

static void session_calls(void)
{
    pid_t leader, pid;
    int st;

    printf("child: setsid() returned its pid: %s\n", yes(setsid() == getpid()));
    printf("child: leads its group: %s\n", yes(getpgrp() == getpid()));
    show("child: setsid() again", setsid());
    show("child: setpgid(0, 0) as session leader", setpgid(0, 0));
    leader = getpid();
    pid = fork();
    if (pid == 0) {
        printf("grandchild: in the new session's group: %s\n", yes(getpgrp() == leader));
        show("grandchild: setpgid(0, 0)", setpgid(0, 0));
        show("grandchild: setpgid(0, leader's group)", setpgid(0, leader));
        printf("grandchild: back in leader's group: %s\n", yes(getpgrp() == leader));
        exit(0);
    }
    waitpid(pid, &st, 0);
}

static void parent_calls(void)
{
    pid_t a = idle_child(), b, c;

    show("setpgid(child, child)", setpgid(a, a));
    printf("child leads its group: %s\n", yes(getpgid(a) == a));
    show("setpgid(child, own group)", setpgid(a, getpgrp()));
    printf("child back in our group: %s\n", yes(getpgid(a) == getpgrp()));
    show("setpgid(child, no such group)", setpgid(a, NO_PID));

    /* A group of two, killed with one kill(-pgid). */
    show("setpgid(child, child)", setpgid(a, a));
    b = idle_child();
    show("setpgid(second child, first child's group)", setpgid(b, a));
    show("kill(-group, SIGKILL)", kill(-a, SIGKILL));
    reap_killed(a, "first child");
    reap_killed(b, "second child");
    show("setpgid(reaped child, 0)", setpgid(a, 0));

    /* A child in another session cannot be moved. */
    c = fork();
    if (c == 0) {
        setsid();
        for (;;)
            pause();
    }
    await_group(c, c);
    show("setpgid(child in another session, itself)", setpgid(c, c));
    show("setpgid(child in another session, our group)", setpgid(c, getpgrp()));
    kill(c, SIGKILL);
    reap_killed(c, "session child");
}

int main(void)
{
    pid_t pgrp = getpgrp(), pid;
    int st;

    printf("getpgrp() == getpgid(0): %s\n", yes(pgrp == getpgid(0)));
    printf("getpgid(getpid()) == getpgrp(): %s\n", yes(getpgid(getpid()) == pgrp));
    pid = fork();
    if (pid == 0) {
        group_calls(pgrp);
        exit(0);
    }
    waitpid(pid, &st, 0);
    pid = fork();
    if (pid == 0) {
        session_calls();
        exit(0);
    }
    waitpid(pid, &st, 0);
    parent_calls();
    return 0;
}
