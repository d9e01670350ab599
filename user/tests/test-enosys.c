/* test-enosys: system-call numbers nobody implements give ENOSYS, and errno is left alone by
 * calls that succeed. create_module (127) and afs_syscall (137) have Linux names but no Linux
 * implementation, so both kernels answer ENOSYS; Relay also names them on tools/relay run's
 * stderr (expected/test-enosys.relay-stderr). */
#include <sys/syscall.h>
#include <unistd.h>

#include "check.h"

/* Linux numbers whose calls Linux itself no longer implements (syscall_32.tbl). */
#define NR_CREATE_MODULE 127
#define NR_AFS_SYSCALL 137

int main(void)
{
    show("syscall(create_module)", syscall(NR_CREATE_MODULE));
    show("syscall(create_module)", syscall(NR_CREATE_MODULE));
    show("syscall(afs_syscall)", syscall(NR_AFS_SYSCALL));
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
