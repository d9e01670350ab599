/* Clocks for clock_gettime and friends (kernel/time/clock.c). */
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
    CLOCK_REALTIME_ALARM = 8,
    CLOCK_BOOTTIME_ALARM = 9,
    CLOCK_TAI = 11,
};

/* The CPU-time clock of another process or thread, as clock_getcpuclockid
 * makes it (Linux include/linux/posix-timers_types.h): negative, the
 * pid's complement above three bits; which time in the low two bits, and
 * whether it is a thread's in the third. pid 0 is the caller. */
#define CPUCLOCK_WHICH_MASK 3
#define CPUCLOCK_PERTHREAD 4
#define CPUCLOCK_PID(clock) (~((clock) >> 3))
enum { CPUCLOCK_PROF, CPUCLOCK_VIRT, CPUCLOCK_SCHED, CPUCLOCK_MAX };

struct proc;

/* Reads the RTC once; after timer_init. */
void clock_init(void);
/* The clock's time in nanoseconds, as the current process reads it: 0,
 * -EINVAL for a clock Linux lacks (or a CPU clock of no process),
 * -EOPNOTSUPP for the alarm clocks (Linux without a wake-up RTC). */
int clock_now(int clock, int64_t *ns);
/* The same, as process self reads it: "my CPU time" is self's. */
int clock_now_of(struct proc *self, int clock, int64_t *ns);
int clock_resolution(int clock, int64_t *ns);
/* Is it a CPU-time clock (of a process or a thread)? */
bool clock_is_cpu(int clock);
/* Is it a thread's CPU-time clock? */
bool clock_is_thread_cpu(int clock);
/* Can timer_create and clock_nanosleep use it? 0, -EINVAL or -EOPNOTSUPP,
 * as Linux (MONOTONIC_RAW and the coarse clocks have no timers). */
int clock_timer_check(int clock);
/* p's CPU time (user + system) and its user time alone, in ns. */
int64_t clock_cpu_ns(const struct proc *p);
int64_t clock_user_ns(const struct proc *p);
/* ns rounded up to whole timer ticks, and ticks in ns. */
uint64_t clock_ns_to_ticks(uint64_t ns);
int64_t clock_ticks_to_ns(uint64_t ticks);
/* Sets CLOCK_REALTIME (the others are not settable). */
int clock_set_realtime(int64_t ns);

/* Sleeps until clock reaches deadline (ns): 0, or -ERESTART_NEVER when a
 * signal that interrupts sleeps comes first (kernel/time/sys_time.c). */
long clock_sleep_until(int clock, int64_t deadline);

/* The three ways the i386 ABI lays a time out in user memory. */
enum time_layout {
    TIMESPEC32, /* struct old_timespec32: int32 seconds, nanoseconds */
    TIMESPEC64, /* struct __kernel_timespec: int64 seconds, nanoseconds */
    TIMEVAL32,  /* struct old_timeval32: int32 seconds, microseconds */
};

/* Reads a time from the current process's memory (kernel/time/sys_time.c):
 * 0, -EFAULT, or -EINVAL when it is negative or its fraction is a whole
 * second or more. Times past what int64 nanoseconds hold saturate. */
long time_from_user(uintptr_t at, enum time_layout layout, int64_t *ns);
/* Writes ns (not negative) there: 0 or -EFAULT. */
long time_to_user(uintptr_t at, enum time_layout layout, int64_t ns);
