/* test-sig-alarm: SIGALRM from alarm and from a periodic ITIMER_REAL; pause and sigsuspend
 * return -1 EINTR once a handler has run; sigsuspend swaps the mask for the wait and puts
 * the old one back; a signal already pending ends sigsuspend at once. */
#include <sys/syscall.h>
#include <sys/time.h>

#include "sigtest.h"

static volatile int alarms, usr2s;

static void on_alarm(int sig)
{
    (void)sig;
    alarms++;
    print_mask("  mask in the SIGALRM handler");
}

static struct itimerval cancelled; /* the setting the third SIGALRM found */

/* Counts, and stops the timer itself at the third, so that no fourth can come. */
static void count_to_three(int sig)
{
    static const struct itimerval zero;

    (void)sig;
    if (++alarms == 3)
        setitimer(ITIMER_REAL, &zero, &cancelled);
}

static void on_usr2(int sig)
{
    (void)sig;
    usr2s++;
}

static void set_timer(long value_us, long interval_us)
{
    struct itimerval it = {{interval_us / 1000000, interval_us % 1000000},
                           {value_us / 1000000, value_us % 1000000}};

    setitimer(ITIMER_REAL, &it, NULL);
}

static void alarm_and_pause(void)
{
    on(SIGALRM, on_alarm, 0);
    show("alarm(1)", alarm(1));
    show("pause()", pause());
    printf("alarms = %d\n", alarms);
    show("alarm(0) after it fired", alarm(0));
    on(SIGALRM, on_alarm, SA_RESTART);
    show("alarm(1) with SA_RESTART", alarm(1));
    show("pause() (never restarted)", pause());
}

static void periodic(void)
{
    struct itimerval it, old;
    sigset_t none, alrm = set_of(SIGALRM, 0);

    on(SIGALRM, count_to_three, 0);
    alarms = 0;
    set_timer(30000, 30000);
    getitimer(ITIMER_REAL, &it);
    printf("getitimer while armed: interval %ld.%06ld, 0 < value <= 30 ms: %s\n",
           (long)it.it_interval.tv_sec, it.it_interval.tv_usec,
           yes(it.it_value.tv_sec == 0 && it.it_value.tv_usec > 0 && it.it_value.tv_usec <= 30000));
    /* Not `while (alarms < 3) pause();`: the third SIGALRM could come between the test and
     * the pause, which would then wait forever. With SIGALRM blocked outside sigsuspend,
     * it can only arrive inside it. */
    sigprocmask(SIG_BLOCK, &alrm, NULL);
    sigemptyset(&none);
    while (alarms < 3)
        sigsuspend(&none);
    sigprocmask(SIG_UNBLOCK, &alrm, NULL);
    printf("alarms = %d, the handler cancelled the timer; its interval was %ld.%06ld\n", alarms,
           (long)cancelled.it_interval.tv_sec, cancelled.it_interval.tv_usec);
    settle();
    printf("alarms after 50 ms more = %d\n", alarms);
    memset(&it, 0, sizeof(it));
    show("setitimer(ITIMER_REAL, zero, &old)", setitimer(ITIMER_REAL, &it, &old));
    printf("  old is zero: %s\n", yes(old.it_interval.tv_usec == 0 && old.it_value.tv_usec == 0));
    memset(&it, 0x55, sizeof(it));
    show("getitimer(ITIMER_REAL) after cancel", getitimer(ITIMER_REAL, &it));
    printf("  all zero: %s\n", yes(it.it_interval.tv_sec == 0 && it.it_interval.tv_usec == 0 &&
                                   it.it_value.tv_sec == 0 && it.it_value.tv_usec == 0));
    memset(&it, 0x55, sizeof(it));
    show("getitimer(ITIMER_VIRTUAL) never armed", getitimer(ITIMER_VIRTUAL, &it));
    printf("  all zero: %s\n", yes(it.it_value.tv_sec == 0 && it.it_value.tv_usec == 0));
    show("getitimer(3)", getitimer(3, &it));
    show("getitimer(ITIMER_REAL, bad pointer)", syscall(SYS_getitimer, ITIMER_REAL, 8));
    it.it_value.tv_sec = 0;
    it.it_value.tv_usec = 1000000;
    it.it_interval.tv_sec = it.it_interval.tv_usec = 0;
    show("setitimer(tv_usec = 1000000)", setitimer(ITIMER_REAL, &it, NULL));
    it.it_value.tv_usec = -1;
    show("setitimer(tv_usec = -1)", setitimer(ITIMER_REAL, &it, NULL));
    show("alarm(0) after a cancelled itimer", alarm(0));
}

static void suspend(void)
{
    sigset_t wait_mask;

    on(SIGALRM, on_alarm, 0);
    on(SIGUSR2, on_usr2, 0);
    block(SIGALRM);
    alarms = 0;
    set_timer(50000, 0);
    print_mask("mask before sigsuspend");
    wait_mask = set_of(SIGUSR1, 0);
    show("sigsuspend({USR1}) until SIGALRM", sigsuspend(&wait_mask));
    printf("alarms = %d\n", alarms);
    print_mask("mask after sigsuspend");
    block(SIGUSR2);
    raise(SIGUSR2);
    sigemptyset(&wait_mask);
    show("sigsuspend({}) with SIGUSR2 already pending", sigsuspend(&wait_mask));
    printf("usr2s = %d\n", usr2s);
    print_mask("mask after sigsuspend");
    on(SIGUSR2, on_usr2, SA_RESTART);
    raise(SIGUSR2);
    show("sigsuspend({}) with SA_RESTART (never restarted)", sigsuspend(&wait_mask));
    printf("usr2s = %d\n", usr2s);
    wait_mask = set_of(SIGUSR2, 0);
    sigprocmask(SIG_SETMASK, &wait_mask, NULL);
}

int main(void)
{
    sig_reset_all();
    alarm_and_pause();
    periodic();
    suspend();
    print_mask("mask at the end");
    return 0;
}
