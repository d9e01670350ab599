/* test-proc: /proc/self as Linux shows it to a process: stat's pid, name, state, parent,
 * group and session; cmdline is argv; exe names this program; a child's stat after it exits
 * but before it is reaped says Z. Relations only, never numbers. */
#include <fcntl.h>
#include <sched.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include "check.h"

static char buf[512];

static int read_file(const char *path)
{
    int fd = open(path, O_RDONLY), n = fd < 0 ? -1 : (int)read(fd, buf, sizeof(buf) - 1);

    close(fd);
    buf[n > 0 ? n : 0] = '\0';
    return n;
}

/* The fields of a stat line after "(name)": state, ppid, pgrp, session. */
static void stat_fields(char *state, int *ppid, int *pgrp, int *session)
{
    char *after = strrchr(buf, ')');

    *state = after[2];
    *ppid = atoi(strchr(after + 3, ' ') ? after + 4 : "0");
    after = strchr(after + 4, ' ');
    *pgrp = atoi(after + 1);
    *session = atoi(strchr(after + 1, ' ') + 1);
}

int main(int argc, char **argv)
{
    char state, name[64];
    int ppid, pgrp, session, n, status;
    pid_t child;

    (void)argc;
    read_file("/proc/self/stat");
    printf("stat starts with our pid: %s\n", yes(atoi(buf) == getpid()));
    snprintf(name, sizeof(name), "(%s)", base_name(argv[0]));
    printf("stat names us: %s\n",
           yes(strchr(buf, ' ') && !strncmp(strchr(buf, ' ') + 1, name, strlen(name))));
    stat_fields(&state, &ppid, &pgrp, &session);
    printf("state R: %s, ppid: %s, pgrp: %s\n", yes(state == 'R'), yes(ppid == getppid()),
           yes(pgrp == getpgrp()));
    n = read_file("/proc/self/cmdline");
    printf("cmdline is argv[0] and its NUL: %s\n",
           yes(n == (int)strlen(argv[0]) + 1 && !strcmp(buf, argv[0])));
    n = (int)readlink("/proc/self/exe", buf, sizeof(buf) - 1);
    buf[n > 0 ? n : 0] = '\0';
    printf("exe is an absolute path to us: %s\n",
           yes(buf[0] == '/' && !strcmp(base_name(buf), base_name(argv[0]))));
    if ((child = fork()) == 0)
        _exit(0);
    snprintf(name, sizeof(name), "/proc/%d/stat", child);
    while (read_file(name) > 0 && strrchr(buf, ')')[2] != 'Z')
        sched_yield();
    printf("an exited, unreaped child is a zombie: %s\n", yes(strrchr(buf, ')')[2] == 'Z'));
    waitpid(child, &status, 0);
    printf("once reaped, its /proc entry is gone: %s\n", yes(read_file(name) < 0));
    return 0;
}
