/*
 * test-glibc-sleep: sleeping, compared with Linux. nanosleep and
 * clock_nanosleep cut short by a handled signal (EINTR and the time left;
 * none written for TIMER_ABSTIME), an absolute time already past, a sleep
 * stopped and continued by the parent (it still ends at its time, whether
 * the stop ends before or after it; poll too, while select and ppoll wait
 * for what was left when they stopped), a sleep on another process's CPU-time
 * clock, and the errors. It prints booleans, never times: a stopped sleep
 * that started over would take 300 ms more than the bounds allow.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/select.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define MS 1000000LL
#define NS_PER_SEC 1000000000LL
#define SIGNAL_AFTER_MS 100

static const char *yes(int cond) { return cond ? "yes" : "no"; }

static void on_alarm(int sig) { (void)sig; }

static long long now_ns(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * NS_PER_SEC + ts.tv_nsec;
}

static struct timespec ms(long long n) { return (struct timespec){n / 1000, n % 1000 * MS}; }

static long long ns_of(struct timespec ts) { return ts.tv_sec * NS_PER_SEC + ts.tv_nsec; }

static void alarm_in(long long msec)
{
    struct itimerval it = {{0, 0}, {msec / 1000, msec % 1000 * 1000}};

    setitimer(ITIMER_REAL, &it, NULL);
}

static void interrupted(void)
{
    struct timespec want = ms(1000), rem = {-1, -1};
    int r;

    alarm_in(SIGNAL_AFTER_MS);
    r = nanosleep(&want, &rem);
    printf("nanosleep: %s, rem in [850, 920] ms: %s\n", r ? strerrorname_np(errno) : "0",
           yes(ns_of(rem) >= 850 * MS && ns_of(rem) <= 920 * MS));
    rem = (struct timespec){-1, -1};
    alarm_in(SIGNAL_AFTER_MS);
    r = clock_nanosleep(CLOCK_REALTIME, 0, &want, &rem);
    printf("clock_nanosleep relative: %s, rem in [850, 920] ms: %s\n", strerrorname_np(r),
           yes(ns_of(rem) >= 850 * MS && ns_of(rem) <= 920 * MS));
    rem = (struct timespec){-1, -1};
    want.tv_sec = now_ns() / NS_PER_SEC + 2;
    alarm_in(SIGNAL_AFTER_MS);
    r = clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &want, &rem);
    printf("clock_nanosleep TIMER_ABSTIME: %s, rem untouched: %s\n", strerrorname_np(r),
           yes(rem.tv_sec == -1 && rem.tv_nsec == -1));
    want.tv_sec = 1;
    printf("TIMER_ABSTIME in the past: %d\n", clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &want, NULL));
}

enum how { NANOSLEEP, ABSOLUTE, POLL, SELECT, PPOLL };

/* The child waits sleep_ms in the way how says. */
static void wait_by(enum how how, long long sleep_ms, long long start)
{
    struct timespec want = ms(sleep_ms);
    struct timeval tv = {sleep_ms / 1000, sleep_ms % 1000 * 1000};
    long long end = start + sleep_ms * MS;
    int q[2];
    struct pollfd pfd;
    fd_set set;

    if (pipe(q))
        perror("pipe");
    pfd = (struct pollfd){q[0], POLLIN, 0};
    FD_ZERO(&set);
    FD_SET(q[0], &set);
    if (how == NANOSLEEP)
        nanosleep(&want, NULL);
    if (how == ABSOLUTE) {
        want = (struct timespec){end / NS_PER_SEC, end % NS_PER_SEC};
        clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &want, NULL);
    }
    if (how == POLL)
        poll(&pfd, 1, (int)sleep_ms);
    if (how == SELECT)
        select(q[0] + 1, &set, NULL, NULL, &tv);
    if (how == PPOLL)
        ppoll(&pfd, 1, &want, NULL);
}

/* The child waits sleep_ms; the parent stops it at STOP_AT_MS and continues
 * it held_ms later. Returns how long the child's wait took, in ms. */
#define STOP_AT_MS 100
static long long stopped_sleep(long long sleep_ms, long long held_ms, enum how how)
{
    int p[2], status;
    long long took = -1;
    pid_t pid;
    struct timespec t;

    if (pipe(p))
        perror("pipe");
    pid = fork();
    if (pid == 0) {
        long long start = now_ns();
        wait_by(how, sleep_ms, start);
        took = (now_ns() - start) / MS;
        write(p[1], &took, sizeof(took));
        _exit(0);
    }
    t = ms(STOP_AT_MS);
    nanosleep(&t, NULL);
    kill(pid, SIGSTOP);
    waitpid(pid, &status, WUNTRACED);
    t = ms(held_ms);
    nanosleep(&t, NULL);
    kill(pid, SIGCONT);
    read(p[0], &took, sizeof(took));
    waitpid(pid, &status, 0);
    close(p[0]);
    close(p[1]);
    return took;
}

/* Linux restarts a stopped sleep and poll against their first deadline;
 * select and ppoll wait for the time left that they wrote back, so the
 * time stopped comes on top. */
static void stopped(void)
{
    long long took = stopped_sleep(600, 300, NANOSLEEP);

    printf("nanosleep 600 ms, stopped 300 ms of it: took [590, 850) ms: %s\n",
           yes(took >= 590 && took < 850));
    took = stopped_sleep(300, 500, NANOSLEEP);
    printf("nanosleep 300 ms, stopped past its end: ends at the SIGCONT: %s\n",
           yes(took >= 500 && took < 850));
    took = stopped_sleep(600, 300, ABSOLUTE);
    printf("TIMER_ABSTIME 600 ms, stopped 300 ms of it: took [590, 850) ms: %s\n",
           yes(took >= 590 && took < 850));
    took = stopped_sleep(600, 300, POLL);
    printf("poll 600 ms, stopped 300 ms of it: took [590, 850) ms: %s\n",
           yes(took >= 590 && took < 850));
    took = stopped_sleep(600, 300, SELECT);
    printf("select 600 ms, stopped 300 ms of it: took [890, 1150) ms: %s\n",
           yes(took >= 890 && took < 1150));
    took = stopped_sleep(600, 300, PPOLL);
    printf("ppoll 600 ms, stopped 300 ms of it: took [890, 1150) ms: %s\n",
           yes(took >= 890 && took < 1150));
}

/* Sleeps until a spinning child has used 100 ms more CPU time. */
static void cpu_clock_sleep(void)
{
    pid_t pid = fork();
    clockid_t clock;
    struct timespec before, after, want = ms(100);
    long long start;
    int r, status;

    if (pid == 0)
        for (;;)
            ;
    clock_getcpuclockid(pid, &clock);
    clock_gettime(clock, &before);
    start = now_ns();
    r = clock_nanosleep(clock, 0, &want, NULL);
    clock_gettime(clock, &after);
    printf("sleep on the child's CPU clock: %d, it ran 100 ms meanwhile: %s, and the wall "
           "clock moved as far: %s\n",
           r, yes(ns_of(after) - ns_of(before) >= 100 * MS), yes(now_ns() - start >= 95 * MS));
    kill(pid, SIGKILL);
    waitpid(pid, &status, 0);
    printf("the reaped child's clock: %s\n",
           clock_gettime(clock, &after) ? strerrorname_np(errno) : "ok");
}

static void errors(void)
{
    struct timespec want = ms(1), bad = {0, NS_PER_SEC};
    clockid_t other_thread = (clockid_t)((~1u << 3) | 6); /* pid 1's thread clock */

    printf("CLOCK_THREAD_CPUTIME_ID: %s\n", strerrorname_np(clock_nanosleep(CLOCK_THREAD_CPUTIME_ID, 0, &want, NULL)));
    printf("another's thread clock: %s\n", strerrorname_np(clock_nanosleep(other_thread, 0, &want, NULL)));
    printf("CLOCK_MONOTONIC_RAW: %s\n", strerrorname_np(clock_nanosleep(CLOCK_MONOTONIC_RAW, 0, &want, NULL)));
    printf("CLOCK_MONOTONIC_COARSE: %s\n", strerrorname_np(clock_nanosleep(CLOCK_MONOTONIC_COARSE, 0, &want, NULL)));
    printf("clock 10: %s\n", strerrorname_np(clock_nanosleep(10, 0, &want, NULL)));
    printf("1e9 ns: %s\n", strerrorname_np(clock_nanosleep(CLOCK_MONOTONIC, 0, &bad, NULL)));
    printf("nanosleep 1e9 ns: %s\n", nanosleep(&bad, NULL) ? strerrorname_np(errno) : "0");
    printf("flags 4 ignored: %d\n", clock_nanosleep(CLOCK_MONOTONIC, 4, &want, NULL));
    printf("bad rem, interrupted: ");
    alarm_in(SIGNAL_AFTER_MS);
    want = ms(1000);
    printf("%s\n", syscall(SYS_nanosleep, &want, (void *)8) ? strerrorname_np(errno) : "0");
    printf("restart_syscall with nothing to restart: %s\n",
           syscall(SYS_restart_syscall) ? strerrorname_np(errno) : "0");
}

int main(void)
{
    struct sigaction sa = {.sa_handler = on_alarm};

    setvbuf(stdout, NULL, _IONBF, 0);
    sigaction(SIGALRM, &sa, NULL);
    interrupted();
    stopped();
    cpu_clock_sleep();
    errors();
    return 0;
}
