/*
 * test-glibc-ids: user and group ids as Linux changes them, and what they
 * permit: a root process drops privilege with setuid, setresuid, setreuid
 * and setgroups; an unprivileged one may only move between the ids it
 * holds (EPERM otherwise), may not set groups, and may signal only its own
 * user's processes, except SIGCONT within its session. The test runs as
 * root on both sides; each step runs in a child so that the next starts
 * from root again.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <grp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>
#include <sys/fsuid.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#define USER_A  1000
#define USER_B  2000
#define USER_C  3000
#define GROUP_A 100
#define GROUP_B 200

static void show(const char *what, int r)
{
    printf("%s = %d%s%s\n", what, r, r < 0 ? " " : "", r < 0 ? strerror(errno) : "");
}

static void show_ids(const char *when)
{
    uid_t r, e, s;
    gid_t gr, ge, gs;

    getresuid(&r, &e, &s);
    getresgid(&gr, &ge, &gs);
    printf("%s: uid %u %u %u, gid %u %u %u\n", when, r, e, s, gr, ge, gs);
}

/* Runs step in a child, so that it may drop privilege for good. */
static void in_child(const char *title, void (*step)(void))
{
    pid_t pid;
    int status;

    printf("-- %s\n", title);
    fflush(stdout);
    pid = fork();
    if (pid == 0) {
        step();
        fflush(stdout);
        _exit(0);
    }
    waitpid(pid, &status, 0);
    if (!WIFEXITED(status) || WEXITSTATUS(status))
        printf("child ended with status 0x%x\n", status);
}

static void setuid_as_root(void)
{
    show("setuid(-1)", setuid(-1));
    show("setuid(USER_A)", setuid(USER_A));
    show_ids("after");
    show("setuid(0)", setuid(0));
    show("seteuid(0)", seteuid(0));
    show("setuid(USER_A) again", setuid(USER_A));
}

static void setresuid_keeps_saved_root(void)
{
    show("setresuid(USER_A, USER_B, 0)", setresuid(USER_A, USER_B, 0));
    show_ids("after");
    show("setresuid(-1, USER_C, -1)", setresuid(-1, USER_C, -1));
    show("setresuid(-1, USER_A, -1)", setresuid(-1, USER_A, -1));
    show_ids("euid from real");
    show("setuid(0)", setuid(0)); /* unprivileged: 0 is the saved id */
    show_ids("euid from saved");
    show("seteuid(0) (saved is 0)", seteuid(0));
    show("setresuid(-1, -1, -1)", setresuid(-1, -1, -1));
    show_ids("root again by euid");
}

static void setreuid_rules(void)
{
    show("setreuid(USER_A, USER_B)", setreuid(USER_A, USER_B));
    show_ids("after");
    show("setreuid(USER_B, -1)", setreuid(USER_B, -1));
    show_ids("real from effective");
    show("setreuid(USER_C, -1)", setreuid(USER_C, -1));
    show("setreuid(-1, USER_A)", setreuid(-1, USER_A));
    show_ids("effective from saved");
}

static void gids_and_groups(void)
{
    gid_t want[] = {300, GROUP_B, GROUP_A}, got[8];
    int n;

    show("setgroups(3)", setgroups(3, want));
    n = getgroups(8, got);
    printf("getgroups = %d:", n);
    for (int i = 0; i < n; i++)
        printf(" %u", got[i]);
    printf("\n");
    show("getgroups(0)", getgroups(0, got));
    show("getgroups(1) too small", getgroups(1, got));
    show("getgroups(-1)", (int)syscall(SYS_getgroups32, -1, got));
    show("setresgid(GROUP_A, GROUP_B, GROUP_A)", setresgid(GROUP_A, GROUP_B, GROUP_A));
    show("setregid(GROUP_B, -1)", setregid(GROUP_B, -1));
    show("setuid(USER_A)", setuid(USER_A));
    show_ids("unprivileged");
    show("setgroups(1) unprivileged", setgroups(1, want));
    show("setgid(300)", setgid(300));
    show("setgid(GROUP_A)", setgid(GROUP_A));
    show("setresgid(-1, GROUP_B, -1)", setresgid(-1, GROUP_B, -1));
    show_ids("after");
    show("getgroups kept", getgroups(0, got));
}

static void fs_ids(void)
{
    show("setfsuid(USER_A) (old)", setfsuid(USER_A));
    show("setfsuid(-1) (reads)", setfsuid(-1));
    show("setresuid(USER_B, USER_B, USER_B)", setresuid(USER_B, USER_B, USER_B));
    show("setfsuid(-1) follows euid", setfsuid(-1));
    show("setfsuid(0) refused", setfsuid(0));
    show("setfsuid(-1) unchanged", setfsuid(-1));
    show("setfsgid(GROUP_A) (old)", setfsgid(GROUP_A));
    show("setfsgid(-1)", setfsgid(-1));
}

/* A change of effective id makes a process not dumpable and clears its
 * parent-death signal (Linux commit_creds). */
static void dumpable_and_pdeathsig(void)
{
    int sig = -1;

    prctl(PR_SET_PDEATHSIG, SIGUSR1);
    prctl(PR_GET_PDEATHSIG, &sig);
    printf("dumpable %d, pdeathsig %d\n", prctl(PR_GET_DUMPABLE), sig);
    show("setresuid(-1, -1, USER_A) (saved only)", setresuid(-1, -1, USER_A));
    prctl(PR_GET_PDEATHSIG, &sig);
    printf("dumpable %d, pdeathsig %d\n", prctl(PR_GET_DUMPABLE), sig);
    show("setuid(USER_A)", setuid(USER_A));
    prctl(PR_GET_PDEATHSIG, &sig);
    printf("dumpable %d, pdeathsig %d\n", prctl(PR_GET_DUMPABLE), sig);
    show("PR_SET_DUMPABLE 1", prctl(PR_SET_DUMPABLE, 1));
    show("PR_GET_DUMPABLE", prctl(PR_GET_DUMPABLE));
    show("PR_SET_DUMPABLE 2", prctl(PR_SET_DUMPABLE, 2));
}

static pid_t root_sleeper;

/* An unprivileged process signals a root one: EPERM, but SIGCONT in the
 * same session is allowed, and signal 0 checks permission too. */
static void kill_across_users(void)
{
    pid_t own;

    setuid(USER_A);
    own = fork();
    if (own == 0) {
        pause();
        _exit(0);
    }
    show("kill(root, 0)", kill(root_sleeper, 0));
    show("kill(root, SIGTERM)", kill(root_sleeper, SIGTERM));
    show("kill(root, SIGCONT)", kill(root_sleeper, SIGCONT));
    show("kill(root, 99)", kill(root_sleeper, 99));
    show("tgkill(root, SIGTERM)", tgkill(root_sleeper, root_sleeper, SIGTERM));
    show("kill(-1, 0)", kill(-1, 0));
    show("kill(own, SIGTERM)", kill(own, SIGTERM));
    waitpid(own, NULL, 0);
    show("kill(-pgrp, 0) (some members allowed)", kill(-getpgrp(), 0));
}

/* A child that drops only its effective uid may still be signalled by its
 * real uid's owner: the rule looks at real and saved ids. */
static void kill_by_saved_id(void)
{
    pid_t target = fork();

    if (target == 0) {
        setresuid(USER_B, USER_B, USER_A);
        pause();
        _exit(0);
    }
    usleep(20000);
    setuid(USER_A);
    show("kill(saved USER_A, SIGTERM)", kill(target, SIGTERM));
    waitpid(target, NULL, 0);
}

static char self_path[256]; /* this program, read from /proc/self/exe at start */

/* execve makes the saved id the effective one; the process stays not
 * dumpable while its effective and real ids differ. */
static void exec_resets_saved(void)
{
    char *const argv[] = {"test-glibc-ids", "after-exec", NULL};

    setresuid(USER_A, 0, USER_B);
    setresgid(GROUP_A, 0, GROUP_B);
    fflush(stdout);
    execv(self_path, argv);
    printf("execv: %s\n", strerror(errno));
}

static void after_exec(void)
{
    show_ids("after execve");
    printf("auxv: AT_UID %lu AT_EUID %lu AT_GID %lu AT_EGID %lu\n", getauxval(AT_UID),
           getauxval(AT_EUID), getauxval(AT_GID), getauxval(AT_EGID));
    printf("dumpable %d\n", prctl(PR_GET_DUMPABLE));
    setresuid(0, 0, 0);
    setresgid(0, 0, 0);
    printf("ids all root again: dumpable %d (until the next execve)\n", prctl(PR_GET_DUMPABLE));
}

int main(int argc, char **argv)
{
    int status;

    if (argc > 1 && strcmp(argv[1], "after-exec") == 0) {
        after_exec();
        return 0;
    }
    readlink("/proc/self/exe", self_path, sizeof(self_path) - 1);

    show_ids("start");
    in_child("setuid as root drops all three", setuid_as_root);
    in_child("setresuid keeps a saved root", setresuid_keeps_saved_root);
    in_child("setreuid", setreuid_rules);
    in_child("groups and gids", gids_and_groups);
    in_child("fs ids", fs_ids);
    in_child("dumpable and pdeathsig after an id change", dumpable_and_pdeathsig);
    root_sleeper = fork();
    if (root_sleeper == 0) {
        pause();
        _exit(0);
    }
    in_child("kill across users", kill_across_users);
    kill(root_sleeper, SIGKILL);
    waitpid(root_sleeper, &status, 0);
    printf("root sleeper: %s\n", WIFSIGNALED(status) ? strsignal(WTERMSIG(status)) : "exited");
    in_child("kill by the saved id", kill_by_saved_id);
    in_child("execve and the saved ids", exec_resets_saved);
    return 0;
}
