/* sh: a small job-control shell.
 *
 * Reads lines from fd 0, splits them into words at blanks (no quoting), and runs the first word
 * as a program: the name goes to execve as given (Relay finds programs by basename; on Linux a
 * name without '/' is looked up in the current directory). A trailing '&' runs the job in the
 * background. Builtin: exit [N]. End of input ends the shell with the last job's status.
 *
 * Every job gets its own process group. When the shell owns the terminal, a foreground job is
 * given it for as long as it runs; the shell ignores the job-control signals so it may take the
 * terminal back, and its children restore their defaults. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#define LINE_MAX 256
#define ARGS_MAX 32

static const int shell_ignores[] = {SIGINT, SIGQUIT, SIGTSTP, SIGTTIN, SIGTTOU};
#define NIGNORED (int)(sizeof(shell_ignores) / sizeof(shell_ignores[0]))

static int job_control; /* the shell's group owns the terminal on fd 0 */

static void set_signals(sighandler_t action)
{
    int i;

    for (i = 0; i < NIGNORED; i++)
        signal(shell_ignores[i], action);
}

/* Reads a line a byte at a time, so input after it stays for the job that runs next. Returns
 * its length, or -1 at end of input with nothing read. */
static int read_line(char *buf, int size)
{
    int n = 0, r;
    char c;

    for (;;) {
        r = read(0, &c, 1);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0 || c == '\n')
            break;
        if (n < size - 1)
            buf[n++] = c;
    }
    buf[n] = '\0';
    return r <= 0 && n == 0 ? -1 : n;
}

/* Splits line in place into argv; returns the word count. A final '&' sets *background. */
static int split(char *line, char **argv, int *background)
{
    int argc = 0;
    char *p = line, *last;

    *background = 0;
    for (;;) {
        while (*p == ' ' || *p == '\t')
            p++;
        if (!*p || argc == ARGS_MAX - 1)
            break;
        argv[argc++] = p;
        while (*p && *p != ' ' && *p != '\t')
            p++;
        if (*p)
            *p++ = '\0';
    }
    argv[argc] = NULL;
    if (argc > 0 && (last = strrchr(argv[argc - 1], '&')) && last[1] == '\0') {
        *background = 1;
        *last = '\0';
        if (last == argv[argc - 1])
            argv[--argc] = NULL;
    }
    return argc;
}

/* Waits for a foreground job, takes the terminal back; returns the job's status as $? would. */
static int wait_job(pid_t pid)
{
    int st;

    while (waitpid(pid, &st, WUNTRACED) < 0) {
        if (errno != EINTR) {
            perror("sh: waitpid");
            return 1;
        }
    }
    if (job_control)
        tcsetpgrp(0, getpgrp());
    if (WIFSTOPPED(st)) {
        printf("[%d] Stopped\n", pid);
        return 128 + WSTOPSIG(st);
    }
    if (WIFSIGNALED(st)) {
        fprintf(stderr, "sh: killed by signal %d\n", WTERMSIG(st));
        return 128 + WTERMSIG(st);
    }
    return WEXITSTATUS(st);
}

static int run_job(char **argv, int background)
{
    pid_t pid = fork();

    if (pid < 0) {
        perror("sh: fork");
        return 1;
    }
    if (pid == 0) {
        setpgid(0, 0);
        if (job_control && !background)
            tcsetpgrp(0, getpid());
        set_signals(SIG_DFL);
        execve(argv[0], argv, environ);
        fprintf(stderr, "command not found: %s\n", argv[0]);
        _exit(127);
    }
    setpgid(pid, pid); /* also here: the job must have its group whichever side runs first */
    if (background) {
        printf("[%d]\n", pid);
        return 0;
    }
    if (job_control)
        tcsetpgrp(0, pid);
    return wait_job(pid);
}

static void reap_background(void)
{
    int st;
    pid_t pid;

    while ((pid = waitpid(-1, &st, WNOHANG)) > 0)
        printf("[%d] Done\n", pid);
}

int main(void)
{
    char line[LINE_MAX], *argv[ARGS_MAX];
    int status = 0, background;

    set_signals(SIG_IGN);
    job_control = tcgetpgrp(0) == getpgrp();
    for (;;) {
        reap_background();
        printf("$ ");
        fflush(stdout);
        if (read_line(line, sizeof(line)) < 0)
            break;
        if (split(line, argv, &background) == 0)
            continue;
        if (strcmp(argv[0], "exit") == 0)
            return argv[1] ? atoi(argv[1]) : status;
        status = run_job(argv, background);
    }
    if (job_control)
        putchar('\n');
    return status;
}
