/* test-wait: wait4 and waitpid reap the child before they write the status or the rusage
 * back, so a bad pointer fails the call with EFAULT but the zombie is gone (the next wait
 * finds no child), as on Linux. wait4 fills a struct rusage. */
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "check.h"

#define BAD_ADDR ((void *)0x10) /* page 0 is never mapped */
#define FILL 0xAA

static pid_t child_exiting(int code)
{
    pid_t pid = fork();

    if (pid == 0)
        exit(code);
    return pid;
}

static pid_t child_pausing(void)
{
    pid_t pid = fork();

    if (pid == 0) {
        pause();
        exit(0);
    }
    return pid;
}

static void bad_status(void)
{
    pid_t pid = child_exiting(5);
    int st;

    show("waitpid(child, 0x10, 0)", waitpid(pid, BAD_ADDR, 0));
    show("waitpid(child, &st, 0) again", waitpid(pid, &st, 0));
    pid = child_exiting(5);
    show("wait4(child, 0x10, 0, NULL)", wait4(pid, BAD_ADDR, 0, NULL));
    show("wait4(child, &st, 0, NULL) again", wait4(pid, &st, 0, NULL));
}

static void bad_rusage(void)
{
    pid_t pid = child_exiting(6);
    int st = 0;

    show("wait4(child, &st, 0, 0x10)", wait4(pid, &st, 0, BAD_ADDR));
    printf("  status written first: %s\n", yes(WIFEXITED(st) && WEXITSTATUS(st) == 6));
    show("wait4(child, &st, 0, NULL) again", wait4(pid, &st, 0, NULL));
    pid = child_pausing();
    show("wait4(running child, &st, WNOHANG, 0x10)", wait4(pid, &st, WNOHANG, BAD_ADDR));
    show("waitpid(running child, 0x10, WNOHANG)", waitpid(pid, BAD_ADDR, WNOHANG));
    kill(pid, SIGKILL);
    waitpid(pid, &st, 0);
}

static void good_rusage(void)
{
    pid_t pid = child_exiting(7);
    struct rusage ru;
    int st;

    memset(&ru, FILL, sizeof(ru));
    printf("wait4 with a rusage returns the child: %s\n", yes(wait4(pid, &st, 0, &ru) == pid));
    printf("  exit status 7: %s\n", yes(WIFEXITED(st) && WEXITSTATUS(st) == 7));
    printf("  rusage written (ru_nswap is 0): %s\n", yes(ru.ru_nswap == 0));
    printf("  times are valid timevals: %s\n",
           yes(ru.ru_utime.tv_sec >= 0 && ru.ru_utime.tv_usec >= 0 &&
               ru.ru_utime.tv_usec < 1000000 && ru.ru_stime.tv_sec >= 0 &&
               ru.ru_stime.tv_usec >= 0 && ru.ru_stime.tv_usec < 1000000));
}

int main(void)
{
    fflush(stdout);
    bad_status();
    bad_rusage();
    good_rusage();
    return 0;
}
