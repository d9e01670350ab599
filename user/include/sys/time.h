/* Interval timers. Each process has three; when one runs out the kernel sends a signal and
 * reloads it from it_interval (0 = one shot):
 *   ITIMER_REAL     wall-clock time, SIGALRM (alarm() uses this one too)
 *   ITIMER_VIRTUAL  time running in user mode, SIGVTALRM
 *   ITIMER_PROF     time running in user or kernel mode, SIGPROF */
#ifndef _SYS_TIME_H
#define _SYS_TIME_H

#include <sys/types.h>

#define ITIMER_REAL    0
#define ITIMER_VIRTUAL 1
#define ITIMER_PROF    2

struct timeval {
    time_t tv_sec;
    long tv_usec; /* 0..999999 */
};

struct itimerval {
    struct timeval it_interval; /* reload value after each expiry */
    struct timeval it_value;    /* time to the next expiry; 0 = disarmed */
};

int getitimer(int which, struct itimerval *value);
/* Arms (or with a zero it_value disarms) timer which; the previous setting goes to *old. */
int setitimer(int which, const struct itimerval *value, struct itimerval *old);

#endif
