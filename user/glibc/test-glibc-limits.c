/*
 * test-glibc-limits: resource limits that Linux enforces here, and how
 * they are set. RLIMIT_NPROC stops an unprivileged user's fork with EAGAIN
 * (root is exempt); RLIMIT_FSIZE cuts a write short at the limit, and a
 * write or truncate beyond it gets SIGXFSZ and EFBIG; prlimit64 reads and
 * sets another process's limits when its ids are the caller's, or as root.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#define WORK_FILE   "/tmp/relay-test-glibc-limits"
#define USER_A      4242
#define USER_B      4343
#define FSIZE_LIMIT 100
#define CHUNK       64

static void show(const char *what, long r)
{
    printf("%s = %ld%s%s\n", what, r, r < 0 ? " " : "", r < 0 ? strerror(errno) : "");
}

static int wait_code(pid_t pid)
{
    int status;

    waitpid(pid, &status, 0);
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

/* fork as USER_A with RLIMIT_NPROC n: how many children it could make. */
static int forks_allowed(int n, uid_t uid)
{
    struct rlimit lim = {n, n};
    pid_t kids[4];
    int made = 0;

    setrlimit(RLIMIT_NPROC, &lim);
    setuid(uid);
    while (made < 4 && (kids[made] = fork()) >= 0) {
        if (kids[made] == 0) {
            pause();
            _exit(0);
        }
        made++;
    }
    printf("nproc %d, uid %d: %d forks, then %s\n", n, uid, made, made < 4 ? strerror(errno) : "-");
    for (int i = 0; i < made; i++)
        kill(kids[i], SIGKILL);
    return made;
}

static void nproc(void)
{
    for (int n = 1; n <= 3; n += 2) {
        pid_t pid = fork();
        if (pid == 0)
            _exit(forks_allowed(n, USER_A));
        wait_code(pid);
    }
    pid_t pid = fork();
    if (pid == 0)
        _exit(forks_allowed(1, 0)); /* root: no limit */
    wait_code(pid);
}

static volatile sig_atomic_t xfsz_caught;

static void on_xfsz(int sig)
{
    (void)sig;
    xfsz_caught++;
}

static void fsize(void)
{
    struct rlimit lim = {FSIZE_LIMIT, RLIM_INFINITY};
    char buf[CHUNK];
    int fd = open(WORK_FILE, O_CREAT | O_TRUNC | O_RDWR, 0644);
    struct sigaction sa = {.sa_handler = on_xfsz};

    memset(buf, 'x', sizeof(buf));
    sigaction(SIGXFSZ, &sa, NULL);
    show("setrlimit(FSIZE, 100)", setrlimit(RLIMIT_FSIZE, &lim));
    show("write 64", write(fd, buf, CHUNK));
    show("write 64 (cut at the limit)", write(fd, buf, CHUNK));
    printf("SIGXFSZ so far: %d\n", xfsz_caught);
    show("write 64 (at the limit)", write(fd, buf, CHUNK));
    printf("SIGXFSZ so far: %d\n", xfsz_caught);
    show("write 0 (at the limit)", write(fd, buf, 0));
    show("pwrite 10 at 95", pwrite(fd, buf, 10, 95));
    show("ftruncate 50 (shrinks)", ftruncate(fd, 50));
    show("ftruncate 100 (at the limit)", ftruncate(fd, 100));
    show("ftruncate 101", ftruncate(fd, 101));
    printf("SIGXFSZ so far: %d\n", xfsz_caught);
    show("lseek end", lseek(fd, 0, SEEK_END));
    close(fd);
}

/* Without a handler, SIGXFSZ ends the process (Linux's default: core). */
static void fsize_default(void)
{
    pid_t pid = fork();

    if (pid == 0) {
        struct rlimit lim = {FSIZE_LIMIT, FSIZE_LIMIT};
        int fd = open(WORK_FILE, O_CREAT | O_TRUNC | O_WRONLY, 0644);
        char buf[FSIZE_LIMIT + 1] = {0};
        struct rlimit no_core = {0, 0};

        setrlimit(RLIMIT_CORE, &no_core); /* the host would write one */
        setrlimit(RLIMIT_FSIZE, &lim);
        write(fd, buf, sizeof(buf));
        write(fd, buf, 1);
        _exit(0);
    }
    printf("a write past the limit, no handler: killed by %s\n", strsignal(wait_code(pid) - 128));
}

/* The first getrlimit (76) says 2^31 - 1 for anything larger. */
static void old_getrlimit(void)
{
    unsigned int r[2];
    struct rlimit lim = {5, 3000000000u};

    setrlimit(RLIMIT_CORE, &lim);
    show("getrlimit (76), CORE", syscall(SYS_getrlimit, RLIMIT_CORE, r));
    printf("CORE: %u/%u\n", r[0], r[1]);
    show("getrlimit (76), resource 99", syscall(SYS_getrlimit, 99, r));
}

static void prlimit_child(void)
{
    struct rlimit lim = {7, 9}, got;
    pid_t root_kid = fork(), user_kid;

    if (root_kid == 0) {
        pause();
        _exit(0);
    }
    show("prlimit(child, set NOFILE 7/9)", prlimit(root_kid, RLIMIT_NOFILE, &lim, NULL));
    show("prlimit(child, get)", prlimit(root_kid, RLIMIT_NOFILE, NULL, &got));
    printf("child's NOFILE: %lu/%lu\n", (unsigned long)got.rlim_cur, (unsigned long)got.rlim_max);
    show("prlimit(child, resource 99)", prlimit(root_kid, 99, NULL, &got));
    old_getrlimit();
    user_kid = fork();
    if (user_kid == 0) {
        setuid(USER_A);
        show("as USER_A: prlimit(root child)", prlimit(root_kid, RLIMIT_NOFILE, NULL, &got));
        show("as USER_A: prlimit(self)", prlimit(0, RLIMIT_NOFILE, NULL, &got));
        lim = (struct rlimit){got.rlim_cur, got.rlim_max + 1};
        show("as USER_A: raise its own max", prlimit(0, RLIMIT_NOFILE, &lim, NULL));
        _exit(0);
    }
    wait_code(user_kid);
    kill(root_kid, SIGKILL);
    wait_code(root_kid);
    show("prlimit(reaped child)", prlimit(root_kid, RLIMIT_NOFILE, NULL, &got));
}

/* Two processes of one user: prlimit needs every id of the target to be
 * the caller's real ones. */
static void prlimit_same_user(void)
{
    struct rlimit got;
    pid_t target = fork(), other;

    if (target == 0) {
        setresuid(USER_A, USER_A, USER_B);
        pause();
        _exit(0);
    }
    other = fork();
    if (other == 0) {
        usleep(20000);
        setuid(USER_A);
        show("as USER_A: prlimit(USER_A with saved USER_B)",
             prlimit(target, RLIMIT_NOFILE, NULL, &got));
        _exit(0);
    }
    wait_code(other);
    kill(target, SIGKILL);
    wait_code(target);
}

int main(void)
{
    struct rlimit lim;

    setvbuf(stdout, NULL, _IOLBF, 0);
    nproc();
    if (fork() == 0) { /* the limit would cut stdout short too, were it a file: run with a pipe */
        fsize();
        _exit(0);
    }
    wait(NULL);
    fsize_default();
    prlimit_child();
    prlimit_same_user();
    show("setrlimit(99)", setrlimit(99, &lim));
    lim = (struct rlimit){2, 1};
    show("setrlimit(cur > max)", setrlimit(RLIMIT_CORE, &lim));
    unlink(WORK_FILE);
    return 0;
}
