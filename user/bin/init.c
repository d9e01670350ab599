/* init: process 1.
 *
 *   init                    runs sh, and runs it again whenever it ends; reaps every child,
 *                           including orphans the kernel hands to process 1
 *   init --run PROG [ARG]   runs PROG once as a foreground job and exits with its status
 *                           (128 + N if signal N killed it); Relay reports that status to the host.
 *                           A job that stops has nobody to continue it: init says so on the
 *                           console ("init: job stopped by signal N", which tools/relay reads)
 *                           and exits with 128 + N, as a shell reports a stopped job
 *   init --run-file FILE    the same, with PROG and its arguments read from FILE, each ended
 *                           by a NUL byte: any argument, spaces and commas included (tools/relay)
 *
 * Jobs get their own process group and the terminal. init ignores SIGTTOU, as job-control
 * shells do, so that taking the terminal from the background is allowed; the child restores the
 * default before execve. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static char *const job_env[] = {"PATH=/bin:/sbin:/usr/bin:/usr/sbin", "HOME=/", "TERM=linux", NULL};

/* Starts argv[0] as a foreground job; returns its pid, or -1 if fork failed. */
static pid_t spawn(char *const argv[])
{
    pid_t pid = fork();

    if (pid < 0) {
        perror("init: fork");
        return -1;
    }
    if (pid == 0) {
        setpgid(0, 0);
        tcsetpgrp(0, getpid());
        signal(SIGTTOU, SIG_DFL);
        execve(argv[0], argv, job_env);
        fprintf(stderr, "init: cannot run %s: errno %d\n", argv[0], errno);
        _exit(127);
    }
    /* Both sides set the group and the terminal, so neither order of running can leave the
     * child without them; the second call of each pair is harmless (or fails harmlessly). */
    setpgid(pid, pid);
    tcsetpgrp(0, pid);
    return pid;
}

/* What init does with a job that stops. */
enum on_stop { STOP_ENDS_RUN, STOP_CONTINUE };

/* Says on the console, which is the kernel's log, that the job stopped. */
static void report_stop(int sig)
{
    char line[64];
    int fd = open("/dev/console", O_WRONLY);
    int len = snprintf(line, sizeof(line), "init: job stopped by signal %d\n", sig);

    if (fd >= 0) {
        write(fd, line, len);
        close(fd);
    }
}

/* Waits until pid ends or stops, reaping any other child on the way; returns its wait
 * status, or -1 when there is no such child. A stop ends the wait, or with STOP_CONTINUE
 * init continues the job itself: a stopped login shell would leave nobody at the console. */
static int wait_for(pid_t pid, enum on_stop on_stop)
{
    int st;
    pid_t w;

    for (;;) {
        w = waitpid(-1, &st, WUNTRACED);
        if (w == pid && WIFSTOPPED(st) && on_stop == STOP_CONTINUE)
            kill(pid, SIGCONT);
        else if (w == pid)
            return st;
        if (w < 0 && errno != EINTR)
            return -1;
    }
}

static int run_once(char *const argv[], enum on_stop on_stop)
{
    pid_t pid = spawn(argv);
    int st = pid < 0 ? -1 : wait_for(pid, on_stop);

    tcsetpgrp(0, getpgrp());
    if (st == -1)
        return 127;
    if (WIFSTOPPED(st)) {
        report_stop(WSTOPSIG(st));
        return 128 + WSTOPSIG(st);
    }
    if (WIFSIGNALED(st))
        return 128 + WTERMSIG(st);
    return WEXITSTATUS(st);
}

static void __attribute__((noreturn)) respawn_shell(void)
{
    char *const argv[] = {"sh", NULL};
    const struct timespec pause_1s = {1, 0};

    for (;;) {
        /* 127 means sh could not be run at all: wait before trying again rather than spin. */
        if (run_once(argv, STOP_CONTINUE) == 127)
            nanosleep(&pause_1s, NULL);
    }
}

#define RUN_FILE_MAX 8192 /* bytes of arguments */
#define RUN_ARGS_MAX 256

/* argv from FILE's NUL-ended strings; NULL (with a message) when it cannot. */
static char **read_run_file(const char *path)
{
    static char text[RUN_FILE_MAX];
    static char *args[RUN_ARGS_MAX + 1];
    int fd = open(path, O_RDONLY), n = 0;
    ssize_t len = fd < 0 ? -1 : read(fd, text, sizeof(text));

    if (len < 0 || len == (ssize_t)sizeof(text) || (len > 0 && text[len - 1] != '\0')) {
        fprintf(stderr, "init: %s: unreadable, too long or not NUL-ended strings\n", path);
        return NULL;
    }
    for (char *p = text; p < text + len && n < RUN_ARGS_MAX; p += strlen(p) + 1)
        args[n++] = p;
    args[n] = NULL;
    close(fd);
    return n ? args : NULL;
}

int main(int argc, char **argv)
{
    char **file_args;

    signal(SIGTTOU, SIG_IGN);
    if (argc >= 2 && strcmp(argv[1], "--run") == 0) {
        if (argc < 3) {
            fprintf(stderr, "usage: init [--run PROG [ARG...] | --run-file FILE]\n");
            return 2;
        }
        return run_once(argv + 2, STOP_ENDS_RUN);
    }
    if (argc == 3 && strcmp(argv[1], "--run-file") == 0)
        return (file_args = read_run_file(argv[2])) ? run_once(file_args, STOP_ENDS_RUN) : 2;
    respawn_shell();
}
