/*
 * test-glibc: an ordinary program, built with `gcc -static` against the
 * cross toolchain's glibc instead of Relay's libc. It runs on Relay because
 * Relay implements what glibc's start-up and these calls need
 * (set_thread_area, set_tid_address, mprotect, clone as fork) and saves each
 * process's FPU and SSE registers. Two processes computing with floating
 * point at the same time must not disturb each other.
 */
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#define ROUNDS 20000000 /* long enough that the timer preempts the loops */

static volatile sig_atomic_t caught;

static void on_usr1(int sig) { caught = sig; }

/* A float computation long enough to be preempted in the middle, with its
 * running sum in an FPU register. */
static double harmonic(int n)
{
    double sum = 0.0;

    for (int i = 1; i <= n; i++)
        sum += 1.0 / i;
    return sum;
}

int main(int argc, char **argv)
{
    struct sigaction sa;
    char *copy = strdup(argv[0]);
    int status;
    pid_t child;

    printf("glibc static: argc=%d, strdup works: %s\n", argc, copy ? "yes" : "no");
    printf("printf of doubles: %.6f %.3e %g\n", 3.14159265358979, 6.02214076e23, 0.1 + 0.2);
    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = on_usr1;
    sigaction(SIGUSR1, &sa, NULL);
    raise(SIGUSR1);
    printf("signal handler through glibc's sigaction ran: %s\n", caught == SIGUSR1 ? "yes" : "no");

    fflush(stdout); /* a pipe is fully buffered: do not print it twice */
    child = fork();
    if (child == 0) {
        printf("child: H(%d) = %.10f\n", ROUNDS / 2, harmonic(ROUNDS / 2));
        exit(7);
    }
    printf("parent: H(%d) = %.10f\n", ROUNDS, harmonic(ROUNDS));
    waitpid(child, &status, 0);
    printf("child exited %d, sqrt(2) = %.12f\n", WEXITSTATUS(status), sqrt(2.0));
    free(copy);
    return 0;
}
