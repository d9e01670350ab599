/* test-sig-itimer: the CPU-time interval timers, and children nobody waits for.
 *
 * ITIMER_VIRTUAL counts only the time the process runs in user mode and sends SIGVTALRM;
 * ITIMER_PROF counts user and system time and sends SIGPROF. A busy loop drives both. Then
 * SIGCHLD set to SIG_IGN, or SA_NOCLDWAIT, means children leave no zombie: wait finds none
 * and fails with ECHILD once they are gone (POSIX; Linux reaps them at once). */
#include <sys/time.h>
#include <sys/wait.h>

#include "sigtest.h"

#define SPIN_LIMIT 2000000000u

static volatile sig_atomic_t fired;

static void note(int sig) { fired = sig; }

/* Busy in user mode until the timer fires (or an absurdly long time passes). */
static void spin_until_fired(void)
{
    volatile unsigned int i;

    for (i = 0; i < SPIN_LIMIT && !fired; i++)
        ;
}

static void cpu_timer(const char *name, int which, int sig)
{
    struct itimerval it = {{0, 0}, {0, 50000}}, left;

    fired = 0;
    on(sig, note, 0);
    printf("setitimer(%s, 50 ms) = %d\n", name, setitimer(which, &it, NULL));
    spin_until_fired();
    printf("  busy loop ended by SIG%s: %s\n", sig_short(sig), yes(fired == sig));
    getitimer(which, &left);
    printf("  one-shot timer now off: %s\n", yes(left.it_value.tv_sec == 0 && left.it_value.tv_usec == 0));
}

static void exit_quietly(void)
{
    pid_t pid = fork();

    if (pid == 0)
        _exit(3);
}

static void no_zombies(const char *how, int flags, void (*handler)(int))
{
    struct sigaction sa;
    struct timespec ten_ms = {0, 10000000};
    int status, tries = 0;
    pid_t r;

    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = handler;
    sa.sa_flags = flags;
    sigaction(SIGCHLD, &sa, NULL);
    exit_quietly();
    exit_quietly();
    /* 0 while a child still runs; then ECHILD if it left no zombie, its pid if it did. */
    while ((r = waitpid(-1, &status, WNOHANG)) == 0 && ++tries < 500)
        nanosleep(&ten_ms, NULL);
    show(how, r);
    sig_reset_all();
}

int main(void)
{
    sig_reset_all();
    cpu_timer("ITIMER_VIRTUAL", ITIMER_VIRTUAL, SIGVTALRM);
    cpu_timer("ITIMER_PROF", ITIMER_PROF, SIGPROF);
    no_zombies("SIGCHLD ignored: waitpid after two exits", 0, SIG_IGN);
    no_zombies("SA_NOCLDWAIT: waitpid after two exits", SA_NOCLDWAIT, note);
    return 0;
}
