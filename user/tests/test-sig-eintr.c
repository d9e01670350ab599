/* test-sig-eintr: what a handler does to a system call it interrupts. nanosleep always fails
 * with EINTR (Linux never restarts it after a handler, SA_RESTART or not) and writes the time
 * left; waitpid fails with EINTR without SA_RESTART and is restarted with it. The signal is a
 * SIGALRM from ITIMER_REAL 100 ms after the call starts. (A read from the terminal is the
 * other classic case; it needs keystrokes, so it is not tested here.) */
#include <sys/time.h>

#include "sigtest.h"

static volatile int alarms;

static void on_alarm(int sig)
{
    (void)sig;
    alarms++;
}

static void alarm_in(long ms)
{
    struct itimerval it = {{0, 0}, {0, ms * 1000}};

    setitimer(ITIMER_REAL, &it, NULL);
}

static void sleep_interrupted(int flags, const char *what)
{
    struct timespec req = {1, 0}, rem = {77, 77};
    int r;

    on(SIGALRM, on_alarm, flags);
    alarms = 0;
    alarm_in(100);
    r = nanosleep(&req, &rem);
    show(what, r);
    printf("  handler ran: %s, rem written and under 1 s: %s\n", yes(alarms == 1),
           yes(rem.tv_sec == 0 && rem.tv_nsec > 0 && rem.tv_nsec < 1000000000));
}

static void wait_interrupted(int flags, const char *what)
{
    struct timespec nap = {0, 300000000};
    pid_t pid, r;
    int st = -1;

    on(SIGALRM, on_alarm, flags);
    alarms = 0;
    pid = fork();
    if (pid == 0) {
        nanosleep(&nap, NULL);
        exit(7);
    }
    alarm_in(100);
    r = waitpid(pid, &st, 0);
    printf("%s: ", what);
    if (r == pid)
        printf("returned the child\n");
    else
        show("waitpid", r);
    printf("  handler ran: %s\n", yes(alarms == 1));
    if (r != pid)
        reap(pid, "  waitpid again");
    else
        describe("  status", st);
}

/* Signals without a handler do not interrupt: SIGCHLD (ignored by default) from a child
 * that exits, and a SIGSTOP + SIGCONT pair (the sleep goes on afterwards). */
static void not_interrupted(void)
{
    struct timespec nap = {0, 200000000};
    pid_t pid;

    pid = fork();
    if (pid == 0)
        exit(0);
    show("nanosleep(200 ms) while a child exits (SIGCHLD ignored)", nanosleep(&nap, NULL));
    reap(pid, "  child");
    pid = fork();
    if (pid == 0) {
        int r = nanosleep(&nap, NULL);

        show("  in the child: nanosleep(200 ms) across SIGSTOP + SIGCONT", r);
        exit(0);
    }
    settle();
    kill(pid, SIGSTOP);
    settle();
    kill(pid, SIGCONT);
    reap(pid, "  child");
}

int main(void)
{
    sig_reset_all();
    sleep_interrupted(0, "nanosleep(1 s), SIGALRM handler without SA_RESTART");
    sleep_interrupted(SA_RESTART, "nanosleep(1 s), SIGALRM handler with SA_RESTART");
    wait_interrupted(0, "waitpid, SIGALRM handler without SA_RESTART");
    wait_interrupted(SA_RESTART, "waitpid, SIGALRM handler with SA_RESTART");
    not_interrupted();
    on(SIGALRM, on_alarm, 0);
    alarms = 0;
    alarm_in(100);
    printf("sleep(1) interrupted returns the seconds left, rounded: %u\n", sleep(1));
    return 0;
}
