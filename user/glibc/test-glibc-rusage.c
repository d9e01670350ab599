/*
 * test-glibc-rusage: CPU-time accounting compared with Linux: getrusage
 * (self, children, thread, errors), times and its clock_t, wait4's rusage,
 * voluntary context switches, and RLIMIT_CPU (SIGXCPU at the soft limit,
 * which moves up a second, then SIGKILL at the hard one). It prints
 * booleans, never times.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/times.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define MS 1000000LL
#define NS_PER_SEC 1000000000LL
#define US_PER_MS 1000LL
#define SPIN_MS 300
#define NAPS 5
#define SPIN_STEP 100000

static const char *yes(int cond) { return cond ? "yes" : "no"; }

static long long cpu_ns(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return ts.tv_sec * NS_PER_SEC + ts.tv_nsec;
}

/* Spins in user mode, looking at the clock (a system call) only now and then. */
static void spin_ms(long long n)
{
    long long end = cpu_ns() + n * MS;

    while (cpu_ns() < end)
        for (volatile int i = 0; i < SPIN_STEP; i++)
            ;
}

static long long ms_of(struct timeval tv) { return tv.tv_sec * 1000LL + tv.tv_usec / US_PER_MS; }

static void self_usage(void)
{
    struct rusage before, after, thread;
    struct tms t0, t1;
    clock_t c0 = times(&t0), c1;

    getrusage(RUSAGE_SELF, &before);
    spin_ms(SPIN_MS);
    getrusage(RUSAGE_SELF, &after);
    c1 = times(&t1);
    printf("getrusage: user time grew by >= %d ms: %s, system time small: %s\n", SPIN_MS - 50,
           yes(ms_of(after.ru_utime) - ms_of(before.ru_utime) >= SPIN_MS - 50),
           yes(ms_of(after.ru_stime) - ms_of(before.ru_stime) < SPIN_MS / 2));
    printf("times: tms_utime grew by >= %d ticks: %s, the result by [%d, %d]: %s\n",
           (SPIN_MS - 50) / 10, yes(t1.tms_utime - t0.tms_utime >= (SPIN_MS - 50) / 10),
           SPIN_MS / 10, SPIN_MS / 10 + 20, yes(c1 - c0 >= SPIN_MS / 10 && c1 - c0 <= SPIN_MS / 10 + 20));
    printf("sysconf(_SC_CLK_TCK) = %ld\n", sysconf(_SC_CLK_TCK));
    getrusage(RUSAGE_THREAD, &thread);
    printf("RUSAGE_THREAD: as self: %s\n", yes(ms_of(thread.ru_utime) >= ms_of(after.ru_utime)));
    printf("getrusage(5): %s\n", getrusage(5, &thread) ? strerrorname_np(errno) : "ok");
    printf("getrusage(bad pointer): %s\n",
           syscall(SYS_getrusage, RUSAGE_SELF, (void *)8) ? strerrorname_np(errno) : "ok");
    printf("times(NULL) works: %s\n", yes(times(NULL) != (clock_t)-1));
}

static void child_usage(void)
{
    struct rusage ru, kids;
    struct tms t;
    int status;
    pid_t pid = fork();

    if (pid == 0) {
        struct timespec nap = {0, 10 * MS};
        for (int i = 0; i < NAPS; i++)
            nanosleep(&nap, NULL);
        spin_ms(SPIN_MS);
        _exit(0);
    }
    getrusage(RUSAGE_CHILDREN, &kids);
    printf("RUSAGE_CHILDREN before the wait: 0: %s\n", yes(ms_of(kids.ru_utime) == 0));
    wait4(pid, &status, 0, &ru);
    printf("wait4 rusage: user time >= %d ms: %s, slept %d times: %s\n", SPIN_MS - 50,
           yes(ms_of(ru.ru_utime) >= SPIN_MS - 50), NAPS, yes(ru.ru_nvcsw >= NAPS));
    getrusage(RUSAGE_CHILDREN, &kids);
    printf("RUSAGE_CHILDREN after: the child's: %s\n",
           yes(ms_of(kids.ru_utime) == ms_of(ru.ru_utime) && kids.ru_nvcsw == ru.ru_nvcsw));
    times(&t);
    printf("times: tms_cutime >= %d: %s\n", (SPIN_MS - 50) / 10, yes(t.tms_cutime >= (SPIN_MS - 50) / 10));
}

static volatile sig_atomic_t xcpu;
static struct rlimit at_xcpu;

static void on_xcpu(int sig)
{
    (void)sig;
    getrlimit(RLIMIT_CPU, &at_xcpu);
    xcpu++;
}

static void cpu_limit(void)
{
    int status;
    pid_t pid = fork();

    if (pid == 0) {
        struct rlimit lim = {1, 2};
        signal(SIGXCPU, on_xcpu);
        setrlimit(RLIMIT_CPU, &lim);
        while (!xcpu)
            ;
        printf("SIGXCPU after 1 s of CPU time: soft limit now %ld, hard %ld\n",
               (long)at_xcpu.rlim_cur, (long)at_xcpu.rlim_max);
        for (;;)
            ;
    }
    waitpid(pid, &status, 0);
    printf("then at the hard limit: killed by %s\n",
           WIFSIGNALED(status) ? sigabbrev_np(WTERMSIG(status)) : "nothing");
}

int main(void)
{
    setvbuf(stdout, NULL, _IONBF, 0);
    self_usage();
    child_usage();
    cpu_limit();
    return 0;
}
