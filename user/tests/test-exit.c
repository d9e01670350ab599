/* test-exit: exit statuses as a parent sees them, for each way a process can end normally.
 * Exits itself with argv[1] (default 7). */
#include <stdlib.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "check.h"

enum how { LIBC_EXIT, UNDERSCORE_EXIT, SYS_EXIT, RETURN };

static const char *const how_names[] = {"exit", "_exit", "SYS_exit", "return"};

static int child_main(int code) { return code; }

static void try_exit(enum how how, int code)
{
    pid_t pid = fork();
    int st;

    if (pid == 0) {
        if (how == LIBC_EXIT)
            exit(code);
        if (how == UNDERSCORE_EXIT)
            _exit(code);
        if (how == SYS_EXIT)
            syscall(SYS_exit, code);
        exit(child_main(code)); /* what crt0 does with main's return value */
    }
    waitpid(pid, &st, 0);
    printf("%s(%d): exited %s, status %d, raw 0x%04x\n", how_names[how], code, yes(WIFEXITED(st)),
           WEXITSTATUS(st), st);
}

int main(int argc, char **argv)
{
    static const int codes[] = {0, 1, 7, 42, 255, 256, 257, -1, 0x1234};
    unsigned i;
    pid_t pid;
    int st;

    for (i = 0; i < sizeof(codes) / sizeof(codes[0]); i++)
        try_exit(LIBC_EXIT, codes[i]);
    try_exit(UNDERSCORE_EXIT, 3);
    try_exit(SYS_EXIT, 4);
    try_exit(RETURN, 5);

    /* exit() flushes what is still buffered; _exit() does not. */
    pid = fork();
    if (pid == 0) {
        printf("partial line, flushed by exit()");
        exit(0);
    }
    waitpid(pid, &st, 0);
    printf("\n");
    pid = fork();
    if (pid == 0) {
        printf("this is lost: _exit() does not flush");
        _exit(0);
    }
    waitpid(pid, &st, 0);
    printf("_exit() dropped the buffer: yes\n");
    return argc > 1 ? atoi(argv[1]) : 7;
}
