/*
 * test-glibc-timers: POSIX per-process timers compared with Linux:
 * timer_create's signal (si_code SI_TIMER, si_value, si_timerid), one-shot
 * and interval timers, TIMER_ABSTIME, timer_gettime's time left, SIGEV_NONE,
 * overruns counted while the signal is blocked, a CPU-time timer, timers
 * not inherited across fork and deleted by exec, and the errors. It prints booleans, never times.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define MS 1000000LL
#define NS_PER_SEC 1000000000LL
#define VALUE 42
#define PERIOD_MS 10
#define BLOCKED_MS 200

static volatile sig_atomic_t fired;
static volatile int seen_code, seen_value, seen_timerid, seen_overrun;

static const char *yes(int cond) { return cond ? "yes" : "no"; }

static void on_timer(int sig, siginfo_t *si, void *ctx)
{
    (void)sig, (void)ctx;
    seen_code = si->si_code;
    seen_value = si->si_value.sival_int;
    seen_timerid = si->si_timerid;
    seen_overrun = si->si_overrun;
    fired++;
}

static long long now_ns(clockid_t clock)
{
    struct timespec ts;

    clock_gettime(clock, &ts);
    return ts.tv_sec * NS_PER_SEC + ts.tv_nsec;
}

static struct itimerspec after_ms(long long value, long long interval)
{
    struct itimerspec it = {{interval / 1000, interval % 1000 * MS}, {value / 1000, value % 1000 * MS}};
    return it;
}

static timer_t make_timer(clockid_t clock, int notify)
{
    struct sigevent ev = {.sigev_notify = notify, .sigev_signo = SIGUSR1};
    timer_t id;

    ev.sigev_value.sival_int = VALUE;
    if (timer_create(clock, &ev, &id))
        printf("timer_create: %s\n", strerrorname_np(errno));
    return id;
}

static void wait_fired(int count)
{
    sigset_t none;

    sigemptyset(&none);
    while (fired < count)
        sigsuspend(&none);
}

static void one_shot(void)
{
    timer_t id = make_timer(CLOCK_MONOTONIC, SIGEV_SIGNAL);
    struct itimerspec it = after_ms(50, 0);
    long long start = now_ns(CLOCK_MONOTONIC), took;

    fired = 0;
    timer_settime(id, 0, &it, NULL);
    wait_fired(1);
    took = now_ns(CLOCK_MONOTONIC) - start;
    printf("one-shot: fired after 50 ms or more: %s, within 200 ms: %s\n", yes(took >= 50 * MS),
           yes(took < 200 * MS));
    printf("si_code SI_TIMER: %s, si_value %d, si_timerid is the id: %s, overrun %d\n",
           yes(seen_code == SI_TIMER), seen_value, yes(seen_timerid == (int)(long)id),
           seen_overrun);
    timer_gettime(id, &it);
    printf("after it: value 0: %s\n", yes(!it.it_value.tv_sec && !it.it_value.tv_nsec));
    timer_delete(id);
}

static void time_left(void)
{
    timer_t id = make_timer(CLOCK_REALTIME, SIGEV_SIGNAL);
    struct itimerspec it = after_ms(1000, 250), old, now;
    long long left;

    timer_settime(id, 0, &it, NULL);
    timer_gettime(id, &now);
    left = now.it_value.tv_sec * NS_PER_SEC + now.it_value.tv_nsec;
    printf("timer_gettime: left in (900 ms, 1 s]: %s, interval 250 ms: %s\n",
           yes(left > 900 * MS && left <= 1000 * MS), yes(now.it_interval.tv_nsec == 250 * MS));
    it = after_ms(0, 0);
    timer_settime(id, 0, &it, &old);
    printf("disarmed; the old value had time left: %s\n", yes(old.it_value.tv_sec || old.it_value.tv_nsec));
    timer_gettime(id, &now);
    printf("now disarmed: %s\n", yes(!now.it_value.tv_sec && !now.it_value.tv_nsec));
    timer_delete(id);
}

static void absolute(void)
{
    timer_t id = make_timer(CLOCK_MONOTONIC, SIGEV_SIGNAL);
    long long at = now_ns(CLOCK_MONOTONIC) + 50 * MS;
    struct itimerspec it = {{0, 0}, {at / NS_PER_SEC, at % NS_PER_SEC}};

    fired = 0;
    timer_settime(id, TIMER_ABSTIME, &it, NULL);
    wait_fired(1);
    printf("TIMER_ABSTIME: fired at its time or later: %s\n", yes(now_ns(CLOCK_MONOTONIC) >= at));
    it.it_value.tv_sec = 1; /* long past */
    fired = 0;
    timer_settime(id, TIMER_ABSTIME, &it, NULL);
    wait_fired(1);
    printf("TIMER_ABSTIME in the past: fired at once\n");
    timer_delete(id);
}

static void overruns(void)
{
    timer_t id = make_timer(CLOCK_MONOTONIC, SIGEV_SIGNAL);
    struct itimerspec it = after_ms(PERIOD_MS, PERIOD_MS);
    struct timespec pause_for = {0, BLOCKED_MS * MS};
    sigset_t usr1;

    sigemptyset(&usr1);
    sigaddset(&usr1, SIGUSR1);
    sigprocmask(SIG_BLOCK, &usr1, NULL);
    fired = 0;
    timer_settime(id, 0, &it, NULL);
    nanosleep(&pause_for, NULL);
    sigprocmask(SIG_UNBLOCK, &usr1, NULL);
    printf("blocked %d ms at %d ms: one signal: %s\n", BLOCKED_MS, PERIOD_MS, yes(fired == 1));
    printf("si_overrun >= 10: %s, <= 30: %s, timer_getoverrun agrees: %s\n",
           yes(seen_overrun >= 10), yes(seen_overrun <= 30), yes(timer_getoverrun(id) == seen_overrun));
    wait_fired(3); /* the interval goes on */
    printf("then it fires again, with overrun <= 2: %s\n", yes(seen_overrun <= 2));
    timer_delete(id);
    printf("timer_gettime after delete: %s\n",
           timer_gettime(id, &it) ? strerrorname_np(errno) : "ok");
}

/* Linux (since 6.13) takes back the signal a deleted timer had queued. */
static void delete_pending(void)
{
    timer_t id = make_timer(CLOCK_MONOTONIC, SIGEV_SIGNAL);
    struct itimerspec it = after_ms(10, 0);
    struct timespec nap = {0, 50 * MS};
    sigset_t usr1, pending;

    sigemptyset(&usr1);
    sigaddset(&usr1, SIGUSR1);
    sigprocmask(SIG_BLOCK, &usr1, NULL);
    fired = 0;
    timer_settime(id, 0, &it, NULL);
    nanosleep(&nap, NULL);
    sigpending(&pending);
    printf("fired while blocked: pending: %s\n", yes(sigismember(&pending, SIGUSR1)));
    timer_delete(id);
    sigprocmask(SIG_UNBLOCK, &usr1, NULL);
    printf("delivered after the delete: %s\n", yes(fired));
}

static void no_signal(void)
{
    timer_t id = make_timer(CLOCK_MONOTONIC, SIGEV_NONE);
    struct itimerspec it = after_ms(30, 0), now;
    struct timespec nap = {0, 60 * MS};

    fired = 0;
    timer_settime(id, 0, &it, NULL);
    timer_gettime(id, &now);
    printf("SIGEV_NONE: armed: %s\n", yes(now.it_value.tv_nsec > 0));
    nanosleep(&nap, NULL);
    timer_gettime(id, &now);
    printf("SIGEV_NONE: over, value 0: %s, no signal: %s\n", yes(!now.it_value.tv_nsec),
           yes(!fired));
    timer_delete(id);
}

static void cpu_timer(void)
{
    timer_t id = make_timer(CLOCK_PROCESS_CPUTIME_ID, SIGEV_SIGNAL);
    struct itimerspec it = after_ms(100, 0);
    long long start = now_ns(CLOCK_PROCESS_CPUTIME_ID);

    fired = 0;
    timer_settime(id, 0, &it, NULL);
    while (!fired)
        ; /* spin: CPU time passes */
    printf("CPU-time timer: fired after 100 ms of CPU time: %s\n",
           yes(now_ns(CLOCK_PROCESS_CPUTIME_ID) - start >= 90 * MS));
    timer_delete(id);
}

static void not_inherited(void)
{
    timer_t id = make_timer(CLOCK_MONOTONIC, SIGEV_SIGNAL);
    struct itimerspec it;
    int status;
    pid_t pid = fork();

    if (pid == 0)
        _exit(timer_gettime(id, &it) ? errno : 0);
    waitpid(pid, &status, 0);
    printf("after fork, the child's timer_gettime: %s\n", strerrorname_np(WEXITSTATUS(status)));
    timer_delete(id);
}

/* POSIX: exec deletes the timers. A child makes one and execs this
 * program again, which looks for it (see main). */
static void exec_deletes(void)
{
    char arg[16], exe[256] = "";
    int status;
    pid_t pid = fork();

    if (pid == 0) {
        timer_t id = make_timer(CLOCK_MONOTONIC, SIGEV_SIGNAL);
        struct itimerspec it;
        printf("before exec, timer_gettime: %s\n", timer_gettime(id, &it) ? strerrorname_np(errno) : "ok");
        snprintf(arg, sizeof(arg), "%d", (int)(long)id);
        /* Without /proc (Relay's test runs), init's jobs live in /bin. */
        if (readlink("/proc/self/exe", exe, sizeof(exe) - 1) < 0)
            strcpy(exe, "/bin/test-glibc-timers");
        execl(exe, "test-glibc-timers", "after-exec", arg, (char *)NULL);
        perror("execl");
        _exit(1);
    }
    waitpid(pid, &status, 0);
}

static void errors(void)
{
    struct sigevent ev = {.sigev_notify = SIGEV_SIGNAL, .sigev_signo = SIGUSR1};
    struct itimerspec bad = {{0, 0}, {0, NS_PER_SEC}};
    int id;

    printf("clock 10: %s\n", syscall(SYS_timer_create, 10, &ev, &id) ? strerrorname_np(errno) : "ok");
    printf("CLOCK_MONOTONIC_RAW: %s\n",
           syscall(SYS_timer_create, CLOCK_MONOTONIC_RAW, &ev, &id) ? strerrorname_np(errno) : "ok");
    ev.sigev_signo = 0;
    printf("signal 0: %s\n", syscall(SYS_timer_create, CLOCK_MONOTONIC, &ev, &id) ? strerrorname_np(errno) : "ok");
    ev.sigev_signo = SIGUSR1;
    ev.sigev_notify = 3;
    printf("notify 3: %s\n", syscall(SYS_timer_create, CLOCK_MONOTONIC, &ev, &id) ? strerrorname_np(errno) : "ok");
    ev.sigev_notify = SIGEV_THREAD_ID;
    ev._sigev_un._tid = 1;
    printf("SIGEV_THREAD_ID to pid 1: %s\n",
           syscall(SYS_timer_create, CLOCK_MONOTONIC, &ev, &id) ? strerrorname_np(errno) : "ok");
    ev._sigev_un._tid = getpid();
    printf("SIGEV_THREAD_ID to itself: %s\n",
           syscall(SYS_timer_create, CLOCK_MONOTONIC, &ev, &id) ? strerrorname_np(errno) : "ok");
    printf("timer_settime with 1e9 ns: %s\n",
           syscall(SYS_timer_settime, id, 0, &bad, NULL) ? strerrorname_np(errno) : "ok");
    printf("timer_settime NULL: %s\n",
           syscall(SYS_timer_settime, id, 0, NULL, NULL) ? strerrorname_np(errno) : "ok");
    printf("bad id pointer: %s\n",
           syscall(SYS_timer_create, CLOCK_MONOTONIC, &ev, (void *)8) ? strerrorname_np(errno) : "ok");
    printf("timer_delete twice: %s",
           syscall(SYS_timer_delete, id) ? strerrorname_np(errno) : "ok");
    printf(", %s\n", syscall(SYS_timer_delete, id) ? strerrorname_np(errno) : "ok");
    printf("timer_getoverrun(999): %s\n",
           syscall(SYS_timer_getoverrun, 999) < 0 ? strerrorname_np(errno) : "ok");
}

int main(int argc, char **argv)
{
    struct sigaction sa = {.sa_sigaction = on_timer, .sa_flags = SA_SIGINFO};

    setvbuf(stdout, NULL, _IONBF, 0);
    if (argc == 3 && !strcmp(argv[1], "after-exec")) {
        struct itimerspec it;
        printf("after exec, timer_gettime: %s\n",
               timer_gettime((timer_t)(long)atoi(argv[2]), &it) ? strerrorname_np(errno) : "ok");
        return 0;
    }
    sigaction(SIGUSR1, &sa, NULL);
    one_shot();
    time_left();
    absolute();
    overruns();
    delete_pending();
    no_signal();
    cpu_timer();
    not_inherited();
    exec_deletes();
    errors();
    return 0;
}
