/* sigdemo: catching signals from the keyboard.
 *
 * Run it and press Ctrl-C a few times: the terminal sends SIGINT to the foreground job, and
 * instead of dying the program runs on_int, which counts. Then press Ctrl-\ : SIGQUIT, also
 * caught, prints the total and ends the program normally (exit status 0).
 *
 * Watch: "caught SIGINT #n" appears at once, while main is asleep in pause(); each signal
 * ends that pause() with EINTR, and main goes round its loop again. */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

static volatile sig_atomic_t count;
static volatile sig_atomic_t quit;

static void on_int(int sig)
{
    (void)sig;
    count++;
    printf("caught SIGINT #%d\n", (int)count);
}

static void on_quit(int sig)
{
    (void)sig;
    quit = 1;
}

int main(void)
{
    struct sigaction sa;

    sa.sa_handler = on_int;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = 0;
    sigaction(SIGINT, &sa, NULL);
    sa.sa_handler = on_quit;
    sigaction(SIGQUIT, &sa, NULL);
    printf("READY: press Ctrl-C to send SIGINT, Ctrl-\\ to send SIGQUIT and quit\n");
    while (!quit)
        pause(); /* sleeps until a handler has run */
    printf("caught SIGQUIT: %d SIGINT%s in all, bye\n", (int)count, count == 1 ? "" : "s");
    return 0;
}
