/*
 * test-glibc-libc: an ordinary glibc program, the same on Linux and Relay:
 * sleep(1), time() and clock_gettime around it, 10 MB from malloc with
 * every page touched, qsort, siglongjmp out of a SIGALRM handler, and
 * printf's floating point. It prints results and booleans, never times.
 */
#define _GNU_SOURCE
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define BIG (10 * 1024 * 1024)
#define PAGE 4096
#define COUNT 1000
#define NS_PER_SEC 1000000000LL

static const char *yes(int cond) { return cond ? "yes" : "no"; }

static void sleeping(void)
{
    struct timespec a, b;
    time_t t0 = time(NULL), t1;
    long long took;

    clock_gettime(CLOCK_MONOTONIC, &a);
    printf("sleep(1) = %u\n", sleep(1));
    clock_gettime(CLOCK_MONOTONIC, &b);
    t1 = time(NULL);
    took = (b.tv_sec - a.tv_sec) * NS_PER_SEC + (b.tv_nsec - a.tv_nsec);
    printf("it took [1, 1.5) s: %s; time() moved by 1 or 2: %s\n",
           yes(took >= NS_PER_SEC && took < NS_PER_SEC * 3 / 2), yes(t1 - t0 >= 1 && t1 - t0 <= 2));
}

static void memory(void)
{
    unsigned char *p = malloc(BIG);
    unsigned long sum = 0;

    if (!p) {
        printf("malloc(10 MB) failed\n");
        return;
    }
    for (size_t i = 0; i < BIG; i += PAGE)
        p[i] = (unsigned char)(i / PAGE);
    for (size_t i = 0; i < BIG; i += PAGE)
        sum += p[i];
    printf("malloc(10 MB), every page touched: sum %lu\n", sum);
    free(p);
}

static int by_value(const void *a, const void *b)
{
    int x = *(const int *)a, y = *(const int *)b;
    return (x > y) - (x < y);
}

static void sorting(void)
{
    static int v[COUNT];
    unsigned seed = 12345;
    int sorted = 1;

    for (int i = 0; i < COUNT; i++) {
        seed = seed * 1103515245u + 12345u; /* the same numbers everywhere */
        v[i] = (int)(seed >> 8) % 100000;
    }
    qsort(v, COUNT, sizeof(v[0]), by_value);
    for (int i = 1; i < COUNT; i++)
        sorted &= v[i - 1] <= v[i];
    printf("qsort %d ints: sorted: %s, smallest %d, largest %d\n", COUNT, yes(sorted), v[0],
           v[COUNT - 1]);
}

static sigjmp_buf back;

static void on_alarm(int sig) { siglongjmp(back, sig); }

static void jumping(void)
{
    sigset_t now;
    int sig;

    signal(SIGALRM, on_alarm);
    sig = sigsetjmp(back, 1);
    if (sig == 0) {
        alarm(1);
        for (;;)
            pause();
    }
    sigprocmask(SIG_BLOCK, NULL, &now);
    printf("siglongjmp out of the handler with %s; SIGALRM unblocked again: %s\n",
           sigabbrev_np(sig), yes(!sigismember(&now, SIGALRM)));
}

static void floating(void)
{
    double x = 1.0 / 3.0;

    printf("%%f: %f %.3f %e %g %.10f\n", x, 2.0 / 3.0, 12345.678, 0.0001, 3.14159265358979);
    printf("%%f of large and negative: %f %f\n", 1e10, -2.5);
}

int main(void)
{
    setvbuf(stdout, NULL, _IONBF, 0);
    sleeping();
    memory();
    sorting();
    jumping();
    floating();
    return 0;
}
