/*
 * A helper for the suites that run real processes (proc, tty): start a
 * user program from the boot modules, as exec_start_init does for init.
 */
#include "exec.h"
#include "file.h"
#include "ktest.h"
#include "proc.h"

struct proc *ktest_spawn(const char *name, const char *const argv[], int argc)
{
    static const char *const envp[] = {NULL};
    struct proc *p = proc_alloc();

    if (!p)
        return NULL;
    p->pgid = p->sid = p->pid; /* a group and session of its own */
    dev_install_stdio(p);      /* the terminal's fds 0, 1, 2, as init has */
    if (exec_program(p, name, argv, argc, envp, 0) < 0) {
        proc_free(p);
        return NULL;
    }
    p->state = PROC_RUNNABLE;
    return p;
}
