/* Resource usage, as wait4 reports it for a child (Linux include/uapi/linux/resource.h). */
#ifndef _SYS_RESOURCE_H
#define _SYS_RESOURCE_H

#include <sys/time.h>

struct rusage {
    struct timeval ru_utime; /* user CPU time */
    struct timeval ru_stime; /* system CPU time */
    long ru_maxrss, ru_ixrss, ru_idrss, ru_isrss, ru_minflt, ru_majflt, ru_nswap, ru_inblock,
        ru_oublock, ru_msgsnd, ru_msgrcv, ru_nsignals, ru_nvcsw, ru_nivcsw;
};

#endif
