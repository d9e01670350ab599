/* readsig MODE [READS]: read() on the terminal, and what Ctrl-C does to it. For the keyboard
 * scenarios (tests/harness/scenarios.py); not a differential test (those are test-*).
 *
 * MODE is "plain" (a SIGINT handler without SA_RESTART), "restart" (with SA_RESTART) or
 * "default" (no handler: Ctrl-C kills). It prints READY, then READS times (default 1) calls
 * read(0, ...) and reports what came back, one line each:
 *   read N bytes: TEXT     (a trailing newline is not shown)
 *   read 0 bytes: EOF
 *   read: -1 EINTR         (or another errno by number)
 * The handler writes "handler: SIGINT" when it runs. Exits 0, or 2 for bad arguments. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void on_int(int sig)
{
    static const char msg[] = "handler: SIGINT\n";

    (void)sig;
    write(1, msg, sizeof(msg) - 1);
}

int main(int argc, char **argv)
{
    struct sigaction sa;
    char buf[300];
    int reads, i, n;

    if (argc < 2 || argc > 3) {
        fprintf(stderr, "usage: readsig plain|restart|default [READS]\n");
        return 2;
    }
    reads = argc > 2 ? atoi(argv[2]) : 1;
    if (strcmp(argv[1], "default") != 0) {
        if (strcmp(argv[1], "plain") != 0 && strcmp(argv[1], "restart") != 0) {
            fprintf(stderr, "readsig: unknown mode %s\n", argv[1]);
            return 2;
        }
        sa.sa_handler = on_int;
        sigemptyset(&sa.sa_mask);
        sa.sa_flags = strcmp(argv[1], "restart") == 0 ? SA_RESTART : 0;
        sigaction(SIGINT, &sa, NULL);
    }
    printf("READY\n");
    for (i = 0; i < reads; i++) {
        n = read(0, buf, sizeof(buf) - 1);
        if (n < 0 && errno == EINTR) {
            printf("read: -1 EINTR\n");
        } else if (n < 0) {
            printf("read: -1 errno %d\n", errno);
        } else if (n == 0) {
            printf("read 0 bytes: EOF\n");
        } else {
            buf[n] = '\0';
            printf("read %d bytes: %.*s\n", n, buf[n - 1] == '\n' ? n - 1 : n, buf);
        }
    }
    return 0;
}
