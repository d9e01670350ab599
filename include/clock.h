/* Clocks for clock_gettime and friends (kernel/clock.c). */
#pragma once

#include "types.h"

#define NSEC_PER_SEC 1000000000ull

/* clockid_t values (include/uapi/linux/time.h). */
enum {
    CLOCK_REALTIME = 0,
    CLOCK_MONOTONIC = 1,
    CLOCK_PROCESS_CPUTIME_ID = 2,
    CLOCK_THREAD_CPUTIME_ID = 3,
    CLOCK_MONOTONIC_RAW = 4,
    CLOCK_REALTIME_COARSE = 5,
    CLOCK_MONOTONIC_COARSE = 6,
    CLOCK_BOOTTIME = 7,
};

/* Reads the RTC once; after timer_init. */
void clock_init(void);
/* The clock's time in nanoseconds: 0, or -EINVAL for a clock Relay lacks. */
int clock_now(int clock, int64_t *ns);
int clock_resolution(int clock, int64_t *ns);
/* Sets CLOCK_REALTIME (the others are not settable). */
int clock_set_realtime(int64_t ns);

/* The three ways the i386 ABI lays a time out in user memory. */
enum time_layout {
    TIMESPEC32, /* struct old_timespec32: int32 seconds, nanoseconds */
    TIMESPEC64, /* struct __kernel_timespec: int64 seconds, nanoseconds */
    TIMEVAL32,  /* struct old_timeval32: int32 seconds, microseconds */
};

/* Reads a time from the current process's memory (kernel/sys_time.c):
 * 0, -EFAULT, or -EINVAL when it is negative or its fraction is a whole
 * second or more. Times past what int64 nanoseconds hold saturate. */
long time_from_user(uintptr_t at, enum time_layout layout, int64_t *ns);
/* Writes ns (not negative) there: 0 or -EFAULT. */
long time_to_user(uintptr_t at, enum time_layout layout, int64_t ns);
