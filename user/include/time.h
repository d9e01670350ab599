/* Time: struct timespec and nanosleep. */
#ifndef _TIME_H
#define _TIME_H

#include <sys/types.h>

struct timespec {
    time_t tv_sec;
    long tv_nsec;
};

/* Sleeps for *req; on EINTR stores the time left in *rem when rem is not NULL. */
int nanosleep(const struct timespec *req, struct timespec *rem);

#endif
