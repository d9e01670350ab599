/* sh: a small job-control shell.
 *
 * Reads lines from fd 0, splits them into words at blanks (no quoting), and runs the first word
 * as a program: the name goes to execve as given (Relay finds programs by basename; on Linux a
 * name without '/' is looked up in the current directory). A trailing '&' runs the job in the
 * background. End of input ends the shell with the last job's status.
 *
 * Builtins: exit [N]; jobs; fg [%N] (continue job N, default the latest, in the foreground);
 * bg [%N] (continue it in the background).
 *
 * Every job gets its own process group. When the shell owns the terminal, a foreground job is
 * given it for as long as it runs; the shell ignores SIGINT, SIGQUIT, SIGTSTP, SIGTTIN and
 * SIGTTOU so that the keyboard's signals reach only the job and the shell may take the
 * terminal back, and its children restore the defaults before execve. The shell learns that a
 * job stopped (Ctrl-Z) or died from waitpid with WUNTRACED, and reports it as bash does:
 * "[1]+ Stopped  cmd", or the signal's description ("Segmentation fault (core dumped)"). */
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

/* Appends src to dst (of size bytes), cutting it short rather than overflowing. */
static void strncat_safe(char *dst, const char *src, size_t size)
{
    size_t n = strlen(dst);

    while (*src && n + 1 < size)
        dst[n++] = *src++;
    dst[n] = '\0';
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

#define JOBS_MAX 16

enum job_state { JOB_FREE, JOB_RUNNING, JOB_STOPPED };

struct job {
    enum job_state state;
    pid_t pgid; /* one process per job, so also its pid */
    char cmd[LINE_MAX];
};

static struct job jobs[JOBS_MAX + 1]; /* jobs[n] is %n; jobs[0] is unused */

/* The latest job (highest number), what fg and bg take by default; 0 if none. */
static int current_job(void)
{
    int n;

    for (n = JOBS_MAX; n > 0; n--) {
        if (jobs[n].state != JOB_FREE)
            return n;
    }
    return 0;
}

static int add_job(pid_t pgid, char **argv)
{
    int n = current_job() + 1, i;

    if (n > JOBS_MAX)
        return 0;
    jobs[n].state = JOB_RUNNING;
    jobs[n].pgid = pgid;
    jobs[n].cmd[0] = '\0';
    for (i = 0; argv[i]; i++) {
        if (i > 0)
            strncat_safe(jobs[n].cmd, " ", sizeof(jobs[n].cmd));
        strncat_safe(jobs[n].cmd, argv[i], sizeof(jobs[n].cmd));
    }
    return n;
}

/* Names the signal that killed a job, as bash does ("Killed", "Segmentation fault (core
 * dumped)"). Unlike bash, this shell also names SIGINT. */
static void report_signal(int st)
{
    printf("%s%s\n", strsignal(WTERMSIG(st)), WCOREDUMP(st) ? " (core dumped)" : "");
}

/* Job n changed state with wait status st: update the table and tell the user. */
static void job_changed(int n, int st, int foreground)
{
    struct job *j = &jobs[n];

    if (WIFSTOPPED(st)) {
        j->state = JOB_STOPPED;
        printf("\n[%d]+ Stopped  %s\n", n, j->cmd);
        return;
    }
    if (WIFSIGNALED(st)) {
        if (!foreground)
            printf("[%d]+ ", n);
        report_signal(st);
    } else if (!foreground) {
        printf("[%d]+ Done  %s\n", n, j->cmd);
    }
    j->state = JOB_FREE;
}

/* Runs job n in the foreground until it ends or stops; returns the status as $? would. */
static int wait_job(int n)
{
    int st;

    if (job_control)
        tcsetpgrp(0, jobs[n].pgid);
    while (waitpid(jobs[n].pgid, &st, WUNTRACED) < 0) {
        if (errno != EINTR) {
            perror("sh: waitpid");
            jobs[n].state = JOB_FREE;
            return 1;
        }
    }
    if (job_control)
        tcsetpgrp(0, getpgrp());
    job_changed(n, st, 1);
    if (WIFSTOPPED(st))
        return 128 + WSTOPSIG(st);
    if (WIFSIGNALED(st))
        return 128 + WTERMSIG(st);
    return WEXITSTATUS(st);
}

static int run_job(char **argv, int background)
{
    pid_t pid = fork();
    int n;

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
    n = add_job(pid, argv);
    if (n == 0) {
        fprintf(stderr, "sh: too many jobs\n");
        kill(pid, SIGKILL);
        waitpid(pid, NULL, 0);
        return 1;
    }
    if (background) {
        printf("[%d] %d\n", n, pid);
        return 0;
    }
    return wait_job(n);
}

/* The job named by "%N" (or the current job when arg is NULL); 0 with a message if none. */
static int find_job(const char *name, const char *arg)
{
    int n = arg ? atoi(arg[0] == '%' ? arg + 1 : arg) : current_job();

    if (n < 1 || n > JOBS_MAX || jobs[n].state == JOB_FREE) {
        fprintf(stderr, "sh: %s: %s: no such job\n", name, arg ? arg : "current");
        return 0;
    }
    return n;
}

static void list_jobs(void)
{
    int n, cur = current_job();

    for (n = 1; n <= JOBS_MAX; n++) {
        if (jobs[n].state != JOB_FREE)
            printf("[%d]%c %-8s %s\n", n, n == cur ? '+' : ' ',
                   jobs[n].state == JOB_STOPPED ? "Stopped" : "Running", jobs[n].cmd);
    }
}

/* fg and bg: continue job n (SIGCONT to its whole group), then wait for it or not. */
static int continue_job(char **argv, int foreground)
{
    int n = find_job(argv[0], argv[1]);

    if (n == 0)
        return 1;
    jobs[n].state = JOB_RUNNING;
    if (foreground) {
        printf("%s\n", jobs[n].cmd);
        if (job_control)
            tcsetpgrp(0, jobs[n].pgid); /* before SIGCONT, so it can read at once */
        kill(-jobs[n].pgid, SIGCONT);
        return wait_job(n);
    }
    kill(-jobs[n].pgid, SIGCONT);
    printf("[%d]+ %s &\n", n, jobs[n].cmd);
    return 0;
}

/* Background jobs that ended or stopped since the last prompt. */
static void reap_background(void)
{
    int st, n;
    pid_t pid;

    while ((pid = waitpid(-1, &st, WNOHANG | WUNTRACED)) > 0) {
        for (n = 1; n <= JOBS_MAX; n++) {
            if (jobs[n].state != JOB_FREE && jobs[n].pgid == pid)
                job_changed(n, st, 0);
        }
    }
}

/* Runs a builtin if argv names one: sets *status and returns 1; otherwise returns 0. */
static int builtin(char **argv, int *status)
{
    if (strcmp(argv[0], "jobs") == 0) {
        reap_background(); /* a job that ended is reported Done, not listed as Running */
        list_jobs();
    }
    else if (strcmp(argv[0], "fg") == 0)
        *status = continue_job(argv, 1);
    else if (strcmp(argv[0], "bg") == 0)
        *status = continue_job(argv, 0);
    else
        return 0;
    return 1;
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
        if (!builtin(argv, &status))
            status = run_job(argv, background);
    }
    if (job_control)
        putchar('\n');
    return status;
}
