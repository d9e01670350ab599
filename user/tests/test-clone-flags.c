/* test-clone-flags: the clone flag combinations Linux refuses outright are EINVAL
 * (copy_process's first checks, clone(2) ERRORS): a thread needs shared handlers, shared
 * handlers need a shared address space, a new mount or user namespace cannot share the
 * file-system information, and a pidfd cannot be asked for with the old CLONE_DETACHED.
 * No child is made; if one were, it leaves at once and the parent says so. */
#include <signal.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "check.h"

#define CLONE_VM       0x00000100
#define CLONE_FS       0x00000200
#define CLONE_SIGHAND  0x00000800
#define CLONE_PIDFD    0x00001000
#define CLONE_THREAD   0x00010000
#define CLONE_NEWNS    0x00020000
#define CLONE_DETACHED 0x00400000
#define CLONE_NEWUSER  0x10000000
#define CLONE_NEWPID   0x20000000

static void try_flags(const char *what, unsigned long flags)
{
    int pidfd = -1;
    /* i386 clone's argument order: flags, stack, parent_tid (the pidfd), tls, child_tid. */
    long r = syscall(SYS_clone, flags | SIGCHLD, 0, &pidfd, 0, 0);

    if (r == 0)
        _exit(0);
    show(what, r < 0 ? -1 : 0);
    if (r > 0)
        waitpid((pid_t)r, NULL, 0);
}

int main(void)
{
    fflush(stdout);
    try_flags("THREAD without SIGHAND", CLONE_THREAD | CLONE_VM);
    try_flags("SIGHAND without VM", CLONE_SIGHAND);
    try_flags("THREAD|SIGHAND without VM", CLONE_THREAD | CLONE_SIGHAND);
    try_flags("NEWNS|FS", CLONE_NEWNS | CLONE_FS);
    try_flags("NEWUSER|FS", CLONE_NEWUSER | CLONE_FS);
    try_flags("THREAD with NEWPID", CLONE_THREAD | CLONE_SIGHAND | CLONE_VM | CLONE_NEWPID);
    try_flags("THREAD with NEWUSER", CLONE_THREAD | CLONE_SIGHAND | CLONE_VM | CLONE_NEWUSER);
    try_flags("PIDFD|DETACHED", CLONE_PIDFD | CLONE_DETACHED);
    return 0;
}
