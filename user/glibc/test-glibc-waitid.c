/*
 * test-glibc-waitid: waitid(2) in all its forms, against Linux: P_PID,
 * P_PGID and P_ALL; WEXITED, WSTOPPED, WCONTINUED, WNOHANG and WNOWAIT;
 * the siginfo it fills (si_signo, si_code, si_pid, si_uid, si_status) and
 * the rusage of its fifth argument (glibc has no wrapper for that: the raw
 * call); its EINVAL and ECHILD cases.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#define USER_A 4242
#define NO_PID 0x3fffffff
#define P_BAD  9

static pid_t last_child;

static void show(const char *what, long r)
{
    printf("%s = %ld%s%s\n", what, r, r < 0 ? " " : "", r < 0 ? strerror(errno) : "");
}

static const char *code_name(int code)
{
    switch (code) {
    case 0:
        return "0";
    case CLD_EXITED:
        return "CLD_EXITED";
    case CLD_KILLED:
        return "CLD_KILLED";
    case CLD_DUMPED:
        return "CLD_DUMPED";
    case CLD_STOPPED:
        return "CLD_STOPPED";
    case CLD_CONTINUED:
        return "CLD_CONTINUED";
    default:
        return "?";
    }
}

/* waitid, then its siginfo: pids as "the child" or 0, never numbers. */
static void show_waitid(const char *what, idtype_t type, id_t id, int options)
{
    siginfo_t si;
    int r;

    memset(&si, 0x5a, sizeof(si));
    r = waitid(type, id, &si, options);
    if (r < 0) {
        printf("%s: -1 %s\n", what, strerror(errno));
        return;
    }
    printf("%s: signo %d errno %d code %s pid %s uid %d status %d\n", what, si.si_signo,
           si.si_errno, code_name(si.si_code),
           si.si_pid == last_child ? "child"
           : si.si_pid == 0        ? "0"
                                   : "other",
           (int)si.si_uid, si.si_status);
}

static pid_t child_exiting(int code)
{
    pid_t pid = fork();

    if (pid == 0)
        _exit(code);
    return last_child = pid;
}

static pid_t child_pausing(void)
{
    pid_t pid = fork();

    if (pid == 0) {
        for (;;)
            pause();
    }
    return last_child = pid;
}

static void exits(void)
{
    pid_t pid = child_exiting(7);

    show_waitid("P_PID WEXITED|WNOWAIT", P_PID, pid, WEXITED | WNOWAIT);
    show_waitid("again, WNOWAIT kept it", P_PID, pid, WEXITED | WNOWAIT);
    show_waitid("P_PID WEXITED", P_PID, pid, WEXITED);
    show_waitid("P_PID, reaped", P_PID, pid, WEXITED);
    pid = child_pausing();
    show_waitid("P_ALL WEXITED|WNOHANG, none yet", P_ALL, 0, WEXITED | WNOHANG);
    kill(pid, SIGTERM);
    show_waitid("P_ALL WEXITED, killed", P_ALL, 0, WEXITED);
}

static void stops(void)
{
    pid_t pid = child_pausing();

    kill(pid, SIGSTOP);
    show_waitid("WSTOPPED|WNOWAIT", P_PID, pid, WSTOPPED | WNOWAIT);
    show_waitid("WSTOPPED", P_PID, pid, WSTOPPED);
    show_waitid("WSTOPPED|WNOHANG, reported already", P_PID, pid, WSTOPPED | WNOHANG);
    kill(pid, SIGCONT);
    show_waitid("WCONTINUED", P_PID, pid, WCONTINUED);
    show_waitid("WEXITED|WNOHANG, still running", P_PID, pid, WEXITED | WNOHANG);
    kill(pid, SIGKILL);
    show_waitid("WSTOPPED|WCONTINUED|WNOHANG: not an exit", P_PID, pid,
                WSTOPPED | WCONTINUED | WNOHANG);
    show_waitid("WEXITED", P_PID, pid, WEXITED);
}

/* P_PGID: a child in its own group is found by that group only. */
static void groups(void)
{
    pid_t pid = child_exiting(3);

    setpgid(pid, pid);
    usleep(20000);
    show_waitid("P_PGID of our group", P_PGID, 0, WEXITED | WNOHANG);
    show_waitid("P_PGID of its group", P_PGID, pid, WEXITED);
    pid = child_exiting(4);
    show_waitid("P_PGID 0 (ours)", P_PGID, 0, WEXITED);
}

static void user_and_rusage(void)
{
    struct rusage ru;
    siginfo_t si;
    pid_t pid = fork();
    long r;

    if (pid == 0) {
        setuid(USER_A);
        _exit(9);
    }
    last_child = pid;
    memset(&ru, 0x5a, sizeof(ru));
    r = syscall(SYS_waitid, P_PID, pid, &si, WEXITED, &ru);
    printf("raw waitid with rusage: %ld, uid %d, status %d, maxrss sane: %s\n", r, (int)si.si_uid,
           si.si_status, ru.ru_maxrss >= 0 ? "yes" : "no");
    pid = child_pausing();
    memset(&ru, 0x5a, sizeof(ru));
    r = syscall(SYS_waitid, P_PID, pid, &si, WEXITED | WNOHANG, &ru);
    printf("WNOHANG, nothing: %ld, rusage untouched: %s\n", r,
           ru.ru_maxrss == 0x5a5a5a5a ? "yes" : "no");
    r = syscall(SYS_waitid, P_PID, pid, NULL, WEXITED | WNOHANG, NULL);
    printf("no infop: %ld\n", r);
    kill(pid, SIGKILL);
    r = syscall(SYS_waitid, P_PID, pid, NULL, WEXITED, NULL);
    printf("no infop, reaped: %ld\n", r);
}

/* Linux's thread flags: a fork child is no "clone" child, so __WCLONE
 * alone finds none; __WALL finds every child; __WNOTHREAD changes nothing. */
static void thread_flags(void)
{
    pid_t pid = child_pausing();

    show("waitpid(__WCLONE)", waitpid(-1, NULL, __WCLONE));
    show("waitpid(__WALL|WNOHANG)", waitpid(-1, NULL, __WALL | WNOHANG));
    show("waitpid(__WNOTHREAD|WNOHANG)", waitpid(-1, NULL, __WNOTHREAD | WNOHANG));
    show_waitid("waitid __WCLONE", P_ALL, 0, WEXITED | __WCLONE);
    kill(pid, SIGKILL);
    show_waitid("waitid __WALL|__WCLONE", P_ALL, 0, WEXITED | __WALL | __WCLONE);
}

static void errors(void)
{
    child_exiting(1);
    show("waitid(bad infop) reaps, then EFAULT",
         syscall(SYS_waitid, P_ALL, 0, (void *)16, WEXITED, NULL));
    show_waitid("no options", P_ALL, 0, 0);
    show_waitid("WNOHANG only", P_ALL, 0, WNOHANG);
    show_waitid("unknown option bit", P_ALL, 0, WEXITED | 0x100);
    show_waitid("bad idtype", P_BAD, 0, WEXITED);
    show_waitid("P_PID 0", P_PID, 0, WEXITED);
    show_waitid("P_PGID -1", P_PGID, (id_t)-1, WEXITED);
    show_waitid("P_PIDFD 0 (not a pidfd)", P_PIDFD, 0, WEXITED);
    show_waitid("P_PIDFD -1", P_PIDFD, (id_t)-1, WEXITED);
    show_waitid("no children", P_ALL, 0, WEXITED);
    show_waitid("P_PID not a child", P_PID, NO_PID, WEXITED);
    show("waitpid(INT_MIN)", waitpid(INT_MIN, NULL, 0));
}

int main(void)
{
    setvbuf(stdout, NULL, _IOLBF, 0);
    exits();
    stops();
    groups();
    user_and_rusage();
    thread_flags();
    errors();
    return 0;
}
