/* test-exec [TARGET]: execve failures, then exec-target (or TARGET) run from a child and
 * finally in place of this process. Exits with exec-target's status, 42. */
#include <asm/ldt.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "check.h"

/* Since Linux 5.18 an empty argv reaches the program as {"", NULL}: argc is 1. */
static void exec_in_child(char *target, char **args, char **env, const char *what)
{
    pid_t pid = fork();
    int st;

    if (pid == 0) {
        execve(target, args, env);
        exit(1);
    }
    waitpid(pid, &st, 0);
    if (WIFEXITED(st))
        printf("%s: exit status %d\n", what, WEXITSTATUS(st));
    else
        printf("%s: killed by signal %d\n", what, WTERMSIG(st));
}

/* A TLS entry, which execve must clear: exec-target checks it. */
static int take_tls_entry(void)
{
    struct user_desc u = {.entry_number = -1, .limit = 0xFFFFF, .seg_32bit = 1,
                          .limit_in_pages = 1};

    syscall(SYS_set_thread_area, &u);
    return (int)u.entry_number;
}

int main(int argc, char **argv)
{
    char *no_args[] = {NULL};
    char *target = argc > 1 ? argv[1] : "exec-target";
    char *env[] = {"RELAY_TEST=exec", "EMPTY=", NULL};
    char pid_arg[32], ppid_arg[32], tls_arg[32];
    char *args[] = {"exec-target", "child", "two words", "", pid_arg, ppid_arg, NULL};
    pid_t pid;
    int st;

    show("execve(\"no-such-program\")", execve("no-such-program", args, env));
    show("execve((char *)0x10)", execve((char *)0x10, args, env));
    printf("still running after failed execve: yes\n");

    pid = fork();
    if (pid == 0) {
        snprintf(pid_arg, sizeof(pid_arg), "--pid=%d", getpid());
        snprintf(ppid_arg, sizeof(ppid_arg), "--ppid=%d", getppid());
        execve(target, args, env);
        printf("child: execve failed: %s\n", errno_name(errno));
        exit(1);
    }
    waitpid(pid, &st, 0);
    printf("child ran exec-target: exit status %d\n", WEXITSTATUS(st));
    exec_in_child(target, NULL, env, "argv NULL");
    exec_in_child(target, no_args, env, "argv {NULL}");

    snprintf(pid_arg, sizeof(pid_arg), "--pid=%d", getpid());
    snprintf(ppid_arg, sizeof(ppid_arg), "--ppid=%d", getppid());
    args[1] = "final";
    snprintf(tls_arg, sizeof(tls_arg), "--tls-entry=%d", take_tls_entry());
    args[2] = pid_arg, args[3] = ppid_arg, args[4] = tls_arg, args[5] = NULL;
    printf("replacing this process; this line is flushed first\n");
    execve(target, args, env);
    printf("execve failed: %s\n", errno_name(errno));
    return 1;
}
