/*
 * test-glibc-timers-rt: POSIX timers with a real-time signal, compared
 * with Linux. It needs real-time signals (the signals work of issue 12):
 * move it into user/glibc/ once they are merged. Two timers share
 * SIGRTMIN, each with its own si_value; with the signal blocked, each
 * timer queues one signal (not one per expiry) and counts the rest as
 * overruns. It prints booleans, never times.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define MS 1000000LL
#define TIMERS 2
#define PERIOD_MS 10
#define BLOCKED_MS 200

static volatile sig_atomic_t fired;
static volatile int values[8], overruns[8];

static const char *yes(int cond) { return cond ? "yes" : "no"; }

static void on_timer(int sig, siginfo_t *si, void *ctx)
{
    (void)sig, (void)ctx;
    if (fired < 8) {
        values[fired] = si->si_value.sival_int;
        overruns[fired] = si->si_overrun;
    }
    fired++;
}

int main(void)
{
    struct sigaction sa = {.sa_sigaction = on_timer, .sa_flags = SA_SIGINFO};
    struct itimerspec it = {{0, PERIOD_MS * MS}, {0, PERIOD_MS * MS}};
    struct timespec pause_for = {0, BLOCKED_MS * MS};
    timer_t id[TIMERS];
    sigset_t rt;

    setvbuf(stdout, NULL, _IONBF, 0);
    sigaction(SIGRTMIN, &sa, NULL);
    sigemptyset(&rt);
    sigaddset(&rt, SIGRTMIN);
    sigprocmask(SIG_BLOCK, &rt, NULL);
    for (int i = 0; i < TIMERS; i++) {
        struct sigevent ev = {.sigev_notify = SIGEV_SIGNAL, .sigev_signo = SIGRTMIN};
        ev.sigev_value.sival_int = 100 + i;
        if (timer_create(CLOCK_MONOTONIC, &ev, &id[i]))
            printf("timer_create(SIGRTMIN): %s\n", strerrorname_np(errno));
        timer_settime(id[i], 0, &it, NULL);
    }
    nanosleep(&pause_for, NULL);
    sigprocmask(SIG_UNBLOCK, &rt, NULL); /* (timer_delete would discard them on Linux) */
    for (int i = 0; i < TIMERS; i++)
        timer_delete(id[i]);
    printf("one signal per timer: %s\n", yes(fired == TIMERS));
    printf("values 100 and 101: %s\n",
           yes((values[0] == 100 && values[1] == 101) || (values[0] == 101 && values[1] == 100)));
    printf("each si_overrun >= 10: %s\n", yes(overruns[0] >= 10 && overruns[1] >= 10));
    return 0;
}
