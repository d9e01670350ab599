/* test-kill: kill, pause and alarm with default signal actions: terminate, ignore, stop and
 * continue. */
#include <signal.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include "check.h"

#define NO_PID 0x3fffffff

static void describe(const char *what, int st)
{
    if (WIFEXITED(st))
        printf("%s: exited %d\n", what, WEXITSTATUS(st));
    else if (WIFSIGNALED(st))
        printf("%s: killed by signal %d\n", what, WTERMSIG(st));
    else if (WIFSTOPPED(st))
        printf("%s: stopped by signal %d\n", what, WSTOPSIG(st));
    else if (WIFCONTINUED(st))
        printf("%s: continued\n", what);
}

/* A child that pauses, receives sig from us, and is reported. */
static void send_to_paused(int sig, const char *what)
{
    pid_t pid = fork();
    int st;

    if (pid == 0) {
        pause();
        exit(50);
    }
    kill(pid, sig);
    waitpid(pid, &st, 0);
    describe(what, st);
}

/* A child that sends sig to itself: ignored signals let it reach exit(0). */
static void send_to_self(int sig, const char *what)
{
    pid_t pid = fork();
    int st;

    if (pid == 0) {
        kill(getpid(), sig);
        exit(0);
    }
    waitpid(pid, &st, 0);
    describe(what, st);
}

static void stop_and_continue(void)
{
    pid_t pid = fork();
    int st;

    if (pid == 0) {
        for (;;)
            pause();
    }
    kill(pid, SIGSTOP);
    waitpid(pid, &st, WUNTRACED);
    describe("SIGSTOP", st);
    kill(pid, SIGCONT);
    waitpid(pid, &st, WCONTINUED);
    describe("SIGCONT", st);
    kill(pid, SIGKILL);
    waitpid(pid, &st, 0);
    describe("SIGKILL after SIGCONT", st);
}

int main(void)
{
    pid_t pid;
    int st;

    show("kill(self, 0)", kill(getpid(), 0));
    show("kill(0, 0)", kill(0, 0));
    show("kill(no such pid, 0)", kill(NO_PID, 0));
    show("kill(self, 99)", kill(getpid(), 99));
    show("kill(self, -1)", kill(getpid(), -1));
    send_to_paused(SIGTERM, "SIGTERM");
    send_to_paused(SIGUSR1, "SIGUSR1");
    send_to_paused(SIGHUP, "SIGHUP");
    send_to_self(SIGKILL, "SIGKILL to self");
    send_to_self(SIGCHLD, "SIGCHLD to self");
    send_to_self(SIGURG, "SIGURG to self");
    send_to_self(SIGWINCH, "SIGWINCH to self");
    send_to_self(SIGCONT, "SIGCONT to self");
    stop_and_continue();
    pid = fork();
    if (pid == 0) {
        alarm(1);
        pause();
        exit(50);
    }
    waitpid(pid, &st, 0);
    describe("alarm(1) then pause()", st);
    return 0;
}
