/*
 * test-glibc-procctl: the odd process calls, as Linux answers them:
 * prctl's parent-death signal (sent when the parent exits, not inherited
 * by a child), dumpable and no-new-privs flags; nice values with
 * getpriority/setpriority and their permission rules; the CPU affinity
 * mask (only CPU 0 is looked at: the host has more); the scheduling
 * policy queries; sysinfo's fields, as relations that hold on any machine.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/sysinfo.h>
#include <sys/wait.h>
#include <unistd.h>

#define USER_A 4242
#define NO_PID 0x3fffffff

static void show(const char *what, long r)
{
    printf("%s = %ld%s%s\n", what, r, r < 0 ? " " : "", r < 0 ? strerror(errno) : "");
}

static void wait_child(pid_t pid)
{
    int status;

    waitpid(pid, &status, 0);
    if (!WIFEXITED(status) || WEXITSTATUS(status))
        printf("child ended with status 0x%x\n", status);
}

static volatile sig_atomic_t got_sig, got_code, from_parent;
static pid_t middle_pid;

static void on_signal(int sig, siginfo_t *info, void *ctx)
{
    (void)ctx;
    got_sig = sig;
    got_code = info->si_code;
    from_parent = info->si_pid == middle_pid;
}

/* The grandchild asks for SIGUSR1 when its parent (the middle process)
 * dies, tells us through a pipe what it got. */
static void grandchild(int report_fd, int ready_fd)
{
    struct sigaction sa = {.sa_sigaction = on_signal, .sa_flags = SA_SIGINFO};
    char line[160];
    int n, sig = 0;

    sigaction(SIGUSR1, &sa, NULL);
    prctl(PR_SET_PDEATHSIG, SIGUSR1);
    prctl(PR_GET_PDEATHSIG, &sig);
    write(ready_fd, "r", 1);
    while (!got_sig)
        pause();
    n = snprintf(line, sizeof(line), "asked for %s; got %s, si_code %s, from the parent: %s\n",
                 strsignal(sig), strsignal(got_sig), got_code == SI_USER ? "SI_USER" : "other",
                 from_parent ? "yes" : "no");
    write(report_fd, line, n);
    _exit(0);
}

static void pdeathsig(void)
{
    int report[2], ready[2];
    char buf[160], c;
    ssize_t n;
    pid_t middle;

    pipe(report);
    pipe(ready);
    middle = fork();
    if (middle == 0) {
        middle_pid = getpid();
        if (fork() == 0)
            grandchild(report[1], ready[1]);
        read(ready[0], &c, 1);
        _exit(0); /* the grandchild's signal */
    }
    close(report[1]);
    close(ready[1]);
    wait_child(middle);
    n = read(report[0], buf, sizeof(buf) - 1);
    buf[n > 0 ? n : 0] = '\0';
    printf("pdeathsig: %s", buf);
    close(report[0]);
    close(ready[0]);
}

static void prctl_flags(void)
{
    int sig = -1;
    pid_t pid;

    show("PR_SET_PDEATHSIG 99", prctl(PR_SET_PDEATHSIG, 99));
    show("PR_SET_PDEATHSIG SIGTERM", prctl(PR_SET_PDEATHSIG, SIGTERM));
    pid = fork();
    if (pid == 0) {
        prctl(PR_GET_PDEATHSIG, &sig);
        printf("child's pdeathsig: %d (not inherited)\n", sig);
        printf("child's no_new_privs: %d\n", prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0));
        _exit(0);
    }
    wait_child(pid);
    prctl(PR_SET_PDEATHSIG, 0);
    show("PR_GET_DUMPABLE", prctl(PR_GET_DUMPABLE));
    show("PR_SET_DUMPABLE 0", prctl(PR_SET_DUMPABLE, 0));
    show("PR_GET_DUMPABLE", prctl(PR_GET_DUMPABLE));
    prctl(PR_SET_DUMPABLE, 1);
    show("PR_GET_NO_NEW_PRIVS", prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0));
    show("PR_SET_NO_NEW_PRIVS 2", prctl(PR_SET_NO_NEW_PRIVS, 2, 0, 0, 0));
    show("PR_SET_NO_NEW_PRIVS 1, junk", prctl(PR_SET_NO_NEW_PRIVS, 1, 1, 0, 0));
    show("PR_GET_NO_NEW_PRIVS junk", prctl(PR_GET_NO_NEW_PRIVS, 1, 0, 0, 0));
    pid = fork();
    if (pid == 0) {
        show("PR_SET_NO_NEW_PRIVS 1", prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0));
        show("PR_GET_NO_NEW_PRIVS", prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0));
        if (fork() == 0) {
            printf("its child's no_new_privs: %d (inherited)\n",
                   prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0));
            _exit(0);
        }
        wait(NULL);
        _exit(0);
    }
    wait_child(pid);
    show("prctl 12345 (unknown)", prctl(12345, 0, 0, 0, 0));
}

static void priority(void)
{
    pid_t pid;

    errno = 0;
    show("getpriority(self)", getpriority(PRIO_PROCESS, 0));
    show("raw getpriority (20 - nice)", syscall(SYS_getpriority, PRIO_PROCESS, 0));
    show("getpriority(9, 0)", getpriority(9, 0));
    show("getpriority(no such pid)", getpriority(PRIO_PROCESS, NO_PID));
    show("setpriority(self, 5)", setpriority(PRIO_PROCESS, 0, 5));
    show("getpriority(self)", getpriority(PRIO_PROCESS, 0));
    show("setpriority(self, 100) (clamped)", setpriority(PRIO_PROCESS, 0, 100));
    show("getpriority(self)", getpriority(PRIO_PROCESS, 0));
    show("setpriority(self, 3)", setpriority(PRIO_PROCESS, 0, 3));
    pid = fork();
    if (pid == 0) {
        show("child inherits", getpriority(PRIO_PROCESS, 0));
        setpriority(PRIO_PROCESS, 0, 10);
        setpgid(0, 0);
        show("its own group", getpriority(PRIO_PGRP, 0));
        setuid(USER_A);
        show("as USER_A: lower its nice", setpriority(PRIO_PROCESS, 0, 9));
        show("as USER_A: raise its nice", setpriority(PRIO_PROCESS, 0, 12));
        show("as USER_A: the root parent's", setpriority(PRIO_PROCESS, getppid(), 12));
        show("as USER_A: its user's", setpriority(PRIO_USER, 0, 13));
        show("PRIO_USER, its own uid", getpriority(PRIO_USER, USER_A));
        _exit(0);
    }
    wait_child(pid);
    setpriority(PRIO_PROCESS, 0, 0);
    show("setpriority(no such pid)", setpriority(PRIO_PROCESS, NO_PID, 1));
    show("setpriority(9, ...)", setpriority(9, 0, 1));
}

static void affinity(void)
{
    cpu_set_t set;
    long raw;

    CPU_ZERO(&set);
    show("sched_getaffinity", sched_getaffinity(0, sizeof(set), &set));
    printf("CPU 0 in the mask: %s\n", CPU_ISSET(0, &set) ? "yes" : "no");
    raw = syscall(SYS_sched_getaffinity, 0, 4, &set);
    printf("raw, 4 bytes: %s\n", raw == 4 ? "4" : strerror(errno));
    show("raw, 3 bytes", syscall(SYS_sched_getaffinity, 0, 3, &set));
    show("raw, 0 bytes", syscall(SYS_sched_getaffinity, 0, 0, &set));
    show("sched_getaffinity(no such pid)", sched_getaffinity(NO_PID, sizeof(set), &set));
    CPU_ZERO(&set);
    CPU_SET(0, &set);
    show("sched_setaffinity({0})", sched_setaffinity(0, sizeof(set), &set));
    CPU_ZERO(&set);
    show("sched_setaffinity({})", sched_setaffinity(0, sizeof(set), &set));
    CPU_SET(1000, &set);
    show("sched_setaffinity({1000})", sched_setaffinity(0, sizeof(set), &set));
    show("sched_setaffinity(no such pid)", sched_setaffinity(NO_PID, sizeof(set), &set));
}

static void policy(void)
{
    struct sched_param param = {.sched_priority = -1};

    show("sched_getscheduler(0)", sched_getscheduler(0));
    show("sched_getscheduler(-1)", sched_getscheduler(-1));
    show("sched_getscheduler(no such pid)", sched_getscheduler(NO_PID));
    show("sched_getparam(0)", sched_getparam(0, &param));
    printf("priority %d\n", param.sched_priority);
    show("max(SCHED_OTHER)", sched_get_priority_max(SCHED_OTHER));
    show("max(SCHED_FIFO)", sched_get_priority_max(SCHED_FIFO));
    show("min(SCHED_RR)", sched_get_priority_min(SCHED_RR));
    show("min(SCHED_BATCH)", sched_get_priority_min(SCHED_BATCH));
    show("max(42)", sched_get_priority_max(42));
}

static void system_info(void)
{
    struct sysinfo si;
    long r;

    memset(&si, 0xff, sizeof(si));
    r = sysinfo(&si);
    printf("sysinfo = %ld\n", r);
    printf("uptime >= 0: %s\n", si.uptime >= 0 ? "yes" : "no");
    printf("mem_unit a power of two: %s\n",
           si.mem_unit && !(si.mem_unit & (si.mem_unit - 1)) ? "yes" : "no");
    printf("0 < freeram <= totalram: %s\n",
           si.freeram > 0 && si.freeram <= si.totalram ? "yes" : "no");
    printf("freeswap <= totalswap: %s\n", si.freeswap <= si.totalswap ? "yes" : "no");
    printf("procs >= 2 (us and init): %s\n", si.procs >= 2 ? "yes" : "no");
    show("sysinfo(bad pointer)", syscall(SYS_sysinfo, (void *)16));
}

/* A child runs its parent's program: /proc/self/exe says the same. */
static void exe_after_fork(void)
{
    char mine[256] = "", its[256] = "";
    int fds[2];
    pid_t pid;

    readlink("/proc/self/exe", mine, sizeof(mine) - 1);
    pipe(fds);
    pid = fork();
    if (pid == 0) {
        ssize_t n = readlink("/proc/self/exe", its, sizeof(its) - 1);
        write(fds[1], its, n > 0 ? (size_t)n : 0);
        _exit(0);
    }
    close(fds[1]);
    read(fds[0], its, sizeof(its) - 1);
    close(fds[0]);
    wait_child(pid);
    printf("a forked child's /proc/self/exe is its parent's: %s\n",
           mine[0] && !strcmp(mine, its) ? "yes" : "no");
}

int main(void)
{
    setvbuf(stdout, NULL, _IOLBF, 0);
    pdeathsig();
    prctl_flags();
    priority();
    affinity();
    policy();
    system_info();
    exe_after_fork();
    return 0;
}
