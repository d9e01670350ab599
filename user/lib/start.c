/* The C side of process start-up. */
#include <stdlib.h>
#include <sys/auxv.h>
#include <unistd.h>

#include "libc.h"

char **environ;
unsigned long *libc_auxv;

int main(int argc, char **argv, char **envp);
void libc_start(int argc, char **argv, char **envp) __attribute__((noreturn));

/* Called by _start (crt0.S) with what the kernel put on the stack; runs main and exits with
 * its return value. */
void libc_start(int argc, char **argv, char **envp)
{
    char **p = envp;

    environ = envp;
    while (*p)
        p++;
    libc_auxv = (unsigned long *)(p + 1);
    exit(main(argc, argv, envp));
}

unsigned long getauxval(unsigned long type)
{
    unsigned long *a;

    for (a = libc_auxv; a[0] != AT_NULL; a += 2) {
        if (a[0] == type)
            return a[1];
    }
    return 0;
}
