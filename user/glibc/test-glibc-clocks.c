/*
 * test-glibc-clocks: every clock's properties, compared with Linux: each
 * clock reads and never goes back, its resolution is at most a tick,
 * CLOCK_REALTIME agrees with time() and gettimeofday, the CPU-time clocks
 * grow while the process spins and not while it sleeps, a child's CPU
 * clock (clock_getcpuclockid) reads until the child is reaped, and the
 * errors of reading and setting clocks (EPERM without root). It prints booleans, never times.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define MS 1000000LL
#define NS_PER_SEC 1000000000LL
#define MAX_RES (10 * MS) /* a tick at 100 Hz: Relay's default, Linux's coarsest */
#define READS 1000
#define SPIN_STEP 100000
#define SPIN_CAP (10 * NS_PER_SEC) /* the wall time a starved spinner gives up after */
#define CPUCLOCK_VIRT 1
#define CPUCLOCK_PERTHREAD 4

static const char *yes(int cond) { return cond ? "yes" : "no"; }

static long long ns_of(struct timespec ts) { return ts.tv_sec * NS_PER_SEC + ts.tv_nsec; }

static long long read_ns(clockid_t clock)
{
    struct timespec ts;

    if (clock_gettime(clock, &ts))
        return -errno;
    return ns_of(ts);
}

static const struct {
    clockid_t id;
    const char *name;
} clocks[] = {
    {CLOCK_REALTIME, "REALTIME"},
    {CLOCK_MONOTONIC, "MONOTONIC"},
    {CLOCK_PROCESS_CPUTIME_ID, "PROCESS_CPUTIME_ID"},
    {CLOCK_THREAD_CPUTIME_ID, "THREAD_CPUTIME_ID"},
    {CLOCK_MONOTONIC_RAW, "MONOTONIC_RAW"},
    {CLOCK_REALTIME_COARSE, "REALTIME_COARSE"},
    {CLOCK_MONOTONIC_COARSE, "MONOTONIC_COARSE"},
    {CLOCK_BOOTTIME, "BOOTTIME"},
    {CLOCK_TAI, "TAI"},
};

static void each_clock(void)
{
    for (size_t i = 0; i < sizeof(clocks) / sizeof(clocks[0]); i++) {
        struct timespec res;
        long long last = read_ns(clocks[i].id), now;
        int forward = last >= 0;

        for (int n = 0; n < READS && forward; n++) {
            now = read_ns(clocks[i].id);
            forward = now >= last;
            last = now;
        }
        clock_getres(clocks[i].id, &res);
        printf("%-18s reads: %s, never back: %s, resolution in (0, 10 ms]: %s\n",
               clocks[i].name, yes(last >= 0), yes(forward),
               yes(ns_of(res) > 0 && ns_of(res) <= MAX_RES));
    }
}

static void wall_clock(void)
{
    struct timeval tv;
    long long rt = read_ns(CLOCK_REALTIME);
    time_t t = time(NULL);

    gettimeofday(&tv, NULL);
    printf("REALTIME within a second of time(): %s, of gettimeofday: %s\n",
           yes(rt / NS_PER_SEC - t <= 1 && t - rt / NS_PER_SEC <= 1),
           yes(tv.tv_sec - rt / NS_PER_SEC <= 1));
    printf("2020 or later: %s\n", yes(t >= 1577836800)); /* tools/relay --icount pins 2020-01-01 */
    printf("BOOTTIME and MONOTONIC agree within 1 s: %s\n",
           yes(read_ns(CLOCK_BOOTTIME) - read_ns(CLOCK_MONOTONIC) < NS_PER_SEC));
}

static void cpu_clocks(void)
{
    long long wall = read_ns(CLOCK_MONOTONIC), cpu = read_ns(CLOCK_PROCESS_CPUTIME_ID);
    long long thread = read_ns(CLOCK_THREAD_CPUTIME_ID), dw, dc;
    struct timespec nap = {0, 100 * MS};

    /* Spin until the CPU clock has counted 100 ms, not for a wall time: on
     * a loaded machine the spinner gets only part of the CPU. */
    while (read_ns(CLOCK_PROCESS_CPUTIME_ID) - cpu < 100 * MS &&
           read_ns(CLOCK_MONOTONIC) - wall < SPIN_CAP)
        for (volatile int i = 0; i < SPIN_STEP; i++)
            ;
    dw = read_ns(CLOCK_MONOTONIC) - wall;
    dc = read_ns(CLOCK_PROCESS_CPUTIME_ID) - cpu;
    printf("spinning: CPU time reached 100 ms: %s, no more than the wall time: %s\n",
           yes(dc >= 100 * MS), yes(dc <= dw + MAX_RES));
    printf("the thread's clock too: %s\n",
           yes(read_ns(CLOCK_THREAD_CPUTIME_ID) - thread >= dc - MAX_RES));
    cpu = read_ns(CLOCK_PROCESS_CPUTIME_ID);
    nanosleep(&nap, NULL);
    printf("sleeping 100 ms: CPU time grew by under 20 ms: %s\n",
           yes(read_ns(CLOCK_PROCESS_CPUTIME_ID) - cpu < 20 * MS));
}

static void child_clock(void)
{
    int go[2], status;
    clockid_t clock, mine, virt, thread;
    pid_t pid;
    char c;

    if (pipe(go))
        perror("pipe");
    pid = fork();
    if (pid == 0) {
        long long start = read_ns(CLOCK_PROCESS_CPUTIME_ID);
        while (read_ns(CLOCK_PROCESS_CPUTIME_ID) - start < 100 * MS)
            ;
        write(go[1], "x", 1);
        pause();
        _exit(0);
    }
    read(go[0], &c, 1);
    printf("clock_getcpuclockid(child): %d\n", clock_getcpuclockid(pid, &clock));
    printf("the child's CPU clock: at least 100 ms: %s\n", yes(read_ns(clock) >= 100 * MS));
    virt = (clock & ~3) | CPUCLOCK_VIRT;
    printf("its user-time clock (CPUCLOCK_VIRT): reads: %s\n", yes(read_ns(virt) >= 0));
    thread = clock | CPUCLOCK_PERTHREAD;
    printf("its thread's clock, from another process: %s\n",
           read_ns(thread) < 0 ? strerrorname_np((int)-read_ns(thread)) : "ok");
    clock_getcpuclockid(0, &mine);
    printf("clock_getcpuclockid(0) reads: %s\n", yes(read_ns(mine) >= 0));
    kill(pid, SIGKILL);
    waitpid(pid, &status, 0);
    printf("after the child is reaped: %s\n",
           read_ns(clock) < 0 ? strerrorname_np((int)-read_ns(clock)) : "ok");
    printf("clock_getcpuclockid(reaped child): %s\n", strerrorname_np(clock_getcpuclockid(pid, &clock)));
}

static void errors(void)
{
    struct timespec ts = {1, 0}, bad = {0, NS_PER_SEC};

    printf("clock_gettime(10): %s\n", read_ns(10) < 0 ? strerrorname_np((int)-read_ns(10)) : "ok");
    printf("clock_gettime(12): %s\n", read_ns(12) < 0 ? strerrorname_np((int)-read_ns(12)) : "ok");
    printf("clock_gettime(bad pointer): %s\n",
           syscall(SYS_clock_gettime, CLOCK_MONOTONIC, (void *)8) ? strerrorname_np(errno) : "ok");
    printf("clock_getres(NULL): %s\n", syscall(SYS_clock_getres, CLOCK_MONOTONIC, NULL) ? strerrorname_np(errno) : "ok");
    printf("clock_settime(MONOTONIC): %s\n",
           syscall(SYS_clock_settime, CLOCK_MONOTONIC, &ts) ? strerrorname_np(errno) : "ok");
    printf("clock_settime(PROCESS_CPUTIME_ID): %s\n",
           syscall(SYS_clock_settime, CLOCK_PROCESS_CPUTIME_ID, &ts) ? strerrorname_np(errno) : "ok");
    printf("clock_settime(REALTIME, 1e9 ns): %s\n",
           syscall(SYS_clock_settime, CLOCK_REALTIME, &bad) ? strerrorname_np(errno) : "ok");
    printf("clock_settime(REALTIME, bad pointer): %s\n",
           syscall(SYS_clock_settime, CLOCK_REALTIME, (void *)8) ? strerrorname_np(errno) : "ok");
}

/* Setting the wall clock takes CAP_SYS_TIME: a child that gave up root
 * gets EPERM (after EINVAL for a malformed time), and nothing changes. */
static void unprivileged(void)
{
    int status;
    pid_t pid = fork();

    if (pid == 0) {
        struct timespec now;
        struct timeval bad = {0, 1000000};
        clock_gettime(CLOCK_REALTIME, &now);
        if (setuid(65534))
            perror("setuid");
        printf("as uid 65534: clock_settime(REALTIME): %s\n",
               syscall(SYS_clock_settime, CLOCK_REALTIME, &now) ? strerrorname_np(errno) : "ok");
        printf("settimeofday(NULL, NULL): %s\n",
               syscall(SYS_settimeofday, NULL, NULL) ? strerrorname_np(errno) : "ok");
        printf("settimeofday(1e6 us): %s\n",
               syscall(SYS_settimeofday, &bad, NULL) ? strerrorname_np(errno) : "ok");
        _exit(0);
    }
    waitpid(pid, &status, 0);
}

int main(void)
{
    setvbuf(stdout, NULL, _IONBF, 0);
    each_clock();
    wall_clock();
    cpu_clocks();
    child_clock();
    errors();
    unprivileged();
    return 0;
}
