/* test-pid: getpid, getppid and gettid relations, in this process and its children. */
#include <signal.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include "check.h"

#define NCHILD 5

int main(void)
{
    pid_t me = getpid(), parent = getppid(), pids[NCHILD], pid;
    int i, j, st, distinct = 1;

    printf("getpid() > 0: %s\n", yes(me > 0));
    printf("getpid() stable: %s\n", yes(getpid() == me));
    printf("gettid() == getpid(): %s\n", yes(gettid() == me));
    printf("getppid() > 0 and not self: %s\n", yes(parent > 0 && parent != me));

    pid = fork();
    if (pid == 0) {
        printf("child: getppid() is parent: %s\n", yes(getppid() == me));
        printf("child: gettid() == getpid(): %s\n", yes(gettid() == getpid()));
        parent = getpid();
        pid = fork();
        if (pid == 0) {
            printf("grandchild: getppid() is child: %s\n", yes(getppid() == parent));
            exit(0);
        }
        waitpid(pid, &st, 0);
        exit(getpid() & 0xff);
    }
    waitpid(pid, &st, 0);
    printf("fork() returned the child's pid: %s\n", yes(WEXITSTATUS(st) == (pid & 0xff)));
    printf("getppid() unchanged by fork: %s\n", yes(getppid() == parent));

    /* Live at the same time, so the kernel cannot have reused a pid among them. */
    for (i = 0; i < NCHILD; i++) {
        pids[i] = fork();
        if (pids[i] == 0) {
            pause();
            exit(1);
        }
    }
    for (i = 0; i < NCHILD; i++) {
        for (j = 0; j < i; j++)
            distinct &= pids[i] != pids[j];
        distinct &= pids[i] != me && pids[i] > 0;
    }
    printf("%d live children have distinct pids: %s\n", NCHILD, yes(distinct));
    for (i = 0; i < NCHILD; i++) {
        kill(pids[i], SIGKILL);
        waitpid(pids[i], &st, 0);
    }
    return 0;
}
