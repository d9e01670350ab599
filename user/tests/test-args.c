/* test-args: argv, envp, environ and the auxiliary vector as the kernel laid them out. */
#include <stdlib.h>
#include <sys/auxv.h>
#include <unistd.h>

#include "check.h"

void _start(void);

int main(int argc, char **argv, char **envp)
{
    int i;

    printf("argc = %d\n", argc);
    printf("argv[0] basename = %s\n", base_name(argv[0]));
    for (i = 1; i < argc; i++)
        printf("argv[%d] = \"%s\"\n", i, argv[i]);
    printf("argv[argc] is NULL: %s\n", yes(argv[argc] == NULL));
    printf("envp follows argv: %s\n", yes(envp == argv + argc + 1));
    printf("environ == envp: %s\n", yes(environ == envp));
    for (i = 0; envp[i]; i++)
        printf("envp[%d] = \"%s\"\n", i, envp[i]);
    printf("getenv(\"TERM\") = %s\n", getenv("TERM") ? getenv("TERM") : "(unset)");
    printf("getenv(\"NOPE\") = %s\n", getenv("NOPE") ? getenv("NOPE") : "(unset)");
    printf("AT_PAGESZ = %lu\n", getauxval(AT_PAGESZ));
    printf("AT_ENTRY is _start: %s\n", yes(getauxval(AT_ENTRY) == (unsigned long)_start));
    /* The strings live on the stack, above the pointer arrays, and are writable. */
    printf("argv[0] above argv: %s\n", yes((char *)argv[0] > (char *)(envp + i)));
    ((volatile char *)argv[0])[0] = argv[0][0];
    printf("argv strings writable: yes\n");
    return 0;
}
