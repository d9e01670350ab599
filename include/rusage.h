/*
 * Resource usage (kernel/time/rusage.c): what getrusage, wait4 and times report
 * of a process's CPU time and context switches.
 */
#pragma once

#include "types.h"

struct proc;

/* struct rusage as Linux i386 writes it (include/uapi/linux/resource.h,
 * with 32-bit longs). Relay knows CPU times and context switches; the
 * memory and I/O counts (maxrss, minflt, majflt, inblock...) read 0. */
struct linux_rusage {
    struct {
        int32_t tv_sec, tv_usec;
    } utime, stime;
    int32_t maxrss, ixrss, idrss, isrss, minflt, majflt, nswap, inblock, oublock, msgsnd,
        msgrcv, nsignals, nvcsw, nivcsw;
};
_Static_assert(sizeof(struct linux_rusage) == 72, "struct rusage is 72 bytes on i386");

/* Whose usage getrusage reports (Linux's RUSAGE_BOTH is kernel-internal:
 * a child's own usage plus its reaped children's, as wait4 reports it). */
enum rusage_who { RUSAGE_SELF = 0, RUSAGE_CHILDREN = -1, RUSAGE_THREAD = 1, RUSAGE_BOTH = -2 };

void rusage_fill(const struct proc *p, enum rusage_who who, struct linux_rusage *ru);
/* parent reaps child: the child's usage, and its children's, become the
 * parent's children's usage. */
void rusage_add_child(struct proc *parent, const struct proc *child);
