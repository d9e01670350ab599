/* test-fork: fork, wait and exit trees. Statuses are collected and printed in creation order,
 * whatever order the children end in. */
#include <signal.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include "check.h"

#define NCHILD 4

static int shared = 1;

static void basics(void)
{
    pid_t parent = getpid(), pid;
    int st, local = 42;

    pid = fork();
    if (pid == 0) {
        printf("child: fork returned 0: yes\n");
        printf("child: getppid() is parent: %s\n", yes(getppid() == parent));
        printf("child: getpid() differs from parent: %s\n", yes(getpid() != parent));
        printf("child: sees parent's values: %s\n", yes(shared == 1 && local == 42));
        shared = 2, local = 43;
        exit(0);
    }
    waitpid(pid, &st, 0);
    printf("parent: fork returned a pid: %s\n", yes(pid > 0));
    printf("parent: child's writes invisible: %s\n", yes(shared == 1 && local == 42));
}

/* Several children at once, reaped by wait() in whatever order they end. */
static void wait_any(void)
{
    pid_t pids[NCHILD], w;
    int st, i, status[NCHILD];

    for (i = 0; i < NCHILD; i++) {
        pids[i] = fork();
        if (pids[i] == 0)
            exit(10 + i);
    }
    while ((w = wait(&st)) > 0) {
        for (i = 0; i < NCHILD; i++) {
            if (pids[i] == w)
                status[i] = WEXITSTATUS(st);
        }
    }
    show("wait() with no children left", w);
    for (i = 0; i < NCHILD; i++)
        printf("child %d exited with %d\n", i, status[i]);
}

/* Children reaped by pid, newest first, through waitpid and wait4. */
static void wait_each(void)
{
    pid_t pids[NCHILD];
    int st, i;

    for (i = 0; i < NCHILD; i++) {
        pids[i] = fork();
        if (pids[i] == 0)
            exit(20 + i);
    }
    for (i = NCHILD - 1; i >= 0; i--) {
        pid_t w = i % 2 ? waitpid(pids[i], &st, 0) : wait4(pids[i], &st, 0, NULL);
        printf("%s(child %d) returned its pid: %s, status %d\n", i % 2 ? "waitpid" : "wait4", i,
               yes(w == pids[i]), WEXITSTATUS(st));
    }
    show("waitpid(reaped child)", waitpid(pids[0], &st, 0));
    show("waitpid(-1, WNOHANG) with no children", waitpid(-1, &st, WNOHANG));
    show("waitpid(0) with no children", waitpid(0, &st, 0));
}

/* A three-level tree: each level adds one to what the level below exited with. */
static int tree(int depth)
{
    pid_t pid;
    int st;

    if (depth == 0)
        return 5;
    pid = fork();
    if (pid == 0)
        exit(tree(depth - 1));
    waitpid(pid, &st, 0);
    return WEXITSTATUS(st) + 1;
}

static void nohang_and_kill(void)
{
    pid_t pid = fork();
    int st;

    if (pid == 0) {
        pause();
        exit(99);
    }
    show("waitpid(running child, WNOHANG)", waitpid(pid, &st, WNOHANG));
    show("kill(child, SIGKILL)", kill(pid, SIGKILL));
    printf("waitpid(killed child) returned its pid: %s\n", yes(waitpid(pid, &st, 0) == pid));
    printf("killed child: signaled %s, signal %d\n", yes(WIFSIGNALED(st)), WTERMSIG(st));
}

int main(void)
{
    int i, st, sum = 0;
    pid_t pid;

    basics();
    wait_any();
    wait_each();
    printf("tree of depth 3 returned %d\n", tree(3));
    nohang_and_kill();
    for (i = 0; i < 20; i++) {
        pid = fork();
        if (pid == 0)
            exit(i);
        waitpid(pid, &st, 0);
        sum += WEXITSTATUS(st);
    }
    printf("20 fork/wait rounds: sum of statuses %d\n", sum);
    return 0;
}
