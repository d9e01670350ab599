/* test-clone: clone as a libc's fork uses it, with the thread-id stores. The child exists
 * once clone has made it, so a store to a bad address is ignored and the parent still gets
 * the child's pid, as on Linux: CLONE_PARENT_SETTID stores in the parent, CLONE_CHILD_SETTID
 * in the child's copy of memory. */
#include <signal.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "check.h"

#define CLONE_PARENT_SETTID 0x00100000
#define CLONE_CHILD_SETTID  0x01000000
#define BAD_ADDR ((int *)0x10) /* page 0 is never mapped */
#define CHILD_SAW_ITS_TID 3
#define CHILD_RAN 4

static int child_tid;

/* i386 clone's argument order: flags, stack, parent_tid, tls, child_tid. */
static long clone_fork(unsigned long flags, int *parent_tid, int *child_tid_ptr)
{
    return syscall(SYS_clone, flags | SIGCHLD, 0, parent_tid, 0, child_tid_ptr);
}

static void report(const char *what, long pid)
{
    int st;

    if (pid == 0)
        exit(child_tid == getpid() ? CHILD_SAW_ITS_TID : CHILD_RAN);
    if (pid < 0) {
        show(what, pid);
        return;
    }
    waitpid((pid_t)pid, &st, 0);
    printf("%s: returned the child's pid, child exited %d\n", what, WEXITSTATUS(st));
}

int main(void)
{
    int parent_tid = 0;
    long pid;

    fflush(stdout);
    pid = clone_fork(CLONE_PARENT_SETTID, &parent_tid, NULL);
    report("PARENT_SETTID", pid);
    printf("  parent_tid is the pid: %s\n", yes(parent_tid == pid));
    report("PARENT_SETTID to 0x10", clone_fork(CLONE_PARENT_SETTID, BAD_ADDR, NULL));
    report("CHILD_SETTID", clone_fork(CLONE_CHILD_SETTID, NULL, &child_tid));
    printf("  the parent's child_tid untouched: %s\n", yes(child_tid == 0));
    report("CHILD_SETTID to 0x10", clone_fork(CLONE_CHILD_SETTID, NULL, BAD_ADDR));
    report("both to 0x10",
           clone_fork(CLONE_PARENT_SETTID | CLONE_CHILD_SETTID, BAD_ADDR, BAD_ADDR));
    return 0;
}
