/* exec-target: the program test-exec runs. Prints what it was given and exits 42. Arguments
 * "--pid=N" and "--ppid=N" ask it to check that execve kept the process's pid and parent,
 * "--tls-entry=N" that execve cleared TLS entry N. */
#include <asm/ldt.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "check.h"

static int fresh = 7; /* a new image starts with its own data, whatever the old one wrote */

/* execve leaves no TLS entry set: get_thread_area reads back Linux's empty descriptor. */
static int tls_entry_empty(int entry)
{
    struct user_desc u = {.entry_number = entry};

    if (syscall(SYS_get_thread_area, &u) < 0)
        return 0;
    return !u.base_addr && !u.limit && !u.seg_32bit && u.read_exec_only && u.seg_not_present;
}

int main(int argc, char **argv, char **envp)
{
    int i;

    printf("exec-target: argc = %d, argv[0] basename = %s\n", argc, base_name(argv[0]));
    for (i = 1; i < argc; i++) {
        if (strncmp(argv[i], "--pid=", 6) == 0)
            printf("exec-target: pid kept: %s\n", yes(getpid() == atoi(argv[i] + 6)));
        else if (strncmp(argv[i], "--ppid=", 7) == 0)
            printf("exec-target: parent kept: %s\n", yes(getppid() == atoi(argv[i] + 7)));
        else if (strncmp(argv[i], "--tls-entry=", 12) == 0)
            printf("exec-target: TLS entry cleared: %s\n", yes(tls_entry_empty(atoi(argv[i] + 12))));
        else
            printf("exec-target: argv[%d] = \"%s\"\n", i, argv[i]);
    }
    for (i = 0; envp[i]; i++)
        printf("exec-target: envp[%d] = \"%s\"\n", i, envp[i]);
    printf("exec-target: fresh data: %s\n", yes(fresh == 7));
    return 42;
}
