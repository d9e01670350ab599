/* test-efault: bad user pointers give EFAULT, and the process goes on. stdout must be a pipe,
 * file or terminal for the write checks: /dev/null never looks at the buffer. */
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#include "check.h"

#define LOW_ADDR    ((void *)0x10)       /* page 0 is never mapped */
#define KERNEL_ADDR ((void *)0xC0000000) /* Relay's kernel; unmapped in a Linux i386 process */
#define KERNEL_TEXT ((void *)0xC0100000) /* inside Relay's kernel image */
#define TOP_PAGE    ((void *)0xFFFFF000)

int main(void)
{
    char *argv[] = {"x", NULL};
    char buf[4];

    fflush(stdout);
    show("write(1, 0x10, 5)", write(1, LOW_ADDR, 5));
    show("write(1, 0xC0000000, 4)", write(1, KERNEL_ADDR, 4));
    show("write(1, NULL, 0)", write(1, NULL, 0));
    show("write(1, 0xC0100000, 0): nothing to read", write(1, KERNEL_TEXT, 0));
    show("write(1, 0xFFFFF000, 0)", write(1, TOP_PAGE, 0));
    show("read(0, 0xC0100000, 0)", read(0, KERNEL_TEXT, 0));
    show("read(99, NULL, 1): fd checked first", read(99, NULL, 1));
    show("read(0, buf, 0)", read(0, buf, 0));
    show("nanosleep(NULL, NULL)", nanosleep(NULL, NULL));
    show("nanosleep(0xC0000000, NULL)", nanosleep(KERNEL_ADDR, NULL));
    show("execve(0x10, ...)", execve(LOW_ADDR, argv, NULL));
    show("execve(0xC0000000, ...)", execve(KERNEL_ADDR, argv, NULL));
    printf("still running: yes\n");
    return 0;
}
