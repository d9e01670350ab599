/* test-enosys: system-call numbers nobody implements give ENOSYS, and errno is left alone by
 * calls that succeed. */
#include <sys/syscall.h>
#include <unistd.h>

#include "check.h"

int main(void)
{
    show("syscall(500)", syscall(500));
    show("syscall(1000)", syscall(1000));
    show("syscall(0x7fffffff)", syscall(0x7fffffff));
    show("syscall(-1)", syscall(-1));
    errno = 12345;
    getpid();
    printf("errno untouched by a successful call: %s\n", yes(errno == 12345));
    printf("syscall(SYS_getpid) == getpid(): %s\n", yes(syscall(SYS_getpid) == getpid()));
    printf("still running: yes\n");
    return 0;
}
