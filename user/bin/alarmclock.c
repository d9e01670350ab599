/* alarmclock [N]: a timer that interrupts the program.
 *
 * setitimer(ITIMER_REAL) asks the kernel for SIGALRM one second from now and then every
 * second. The handler only counts; main sleeps in pause() and prints "tick n" each time a
 * SIGALRM wakes it, N times (default 5). Then it cancels the timer with a zero setting.
 *
 * Watch: the ticks come a second apart although main never asks for the time; the kernel's
 * timer interrupt finds the expired timer and sends the signal. */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/time.h>
#include <unistd.h>

static volatile sig_atomic_t ticks;

static void on_alarm(int sig)
{
    (void)sig;
    ticks++;
}

int main(int argc, char **argv)
{
    int n = argc > 1 ? atoi(argv[1]) : 5;
    struct itimerval every_second = {{1, 0}, {1, 0}}, off = {{0, 0}, {0, 0}};
    int shown = 0;

    signal(SIGALRM, on_alarm);
    setitimer(ITIMER_REAL, &every_second, NULL);
    while (shown < n) {
        pause();
        while (shown < ticks && shown < n)
            printf("tick %d\n", ++shown);
    }
    setitimer(ITIMER_REAL, &off, NULL);
    return 0;
}
