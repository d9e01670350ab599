/* pending [SECONDS]: a signal that waits, blocked, until the program lets it in.
 *
 * It blocks SIGINT with sigprocmask and asks for Ctrl-C. The terminal still sends SIGINT, but
 * all the kernel may do with a blocked signal is mark it pending: bit 1 of the process's
 * pending word (signal N is bit N-1) turns to 1 and stays there. The program reads the word
 * back with sigpending() every second for SECONDS seconds (default 5). Press Ctrl-C again
 * meanwhile: standard signals do not queue, so it stays one bit and one delivery. Then the
 * program unblocks SIGINT, and the handler runs before sigprocmask() has even returned: the
 * kernel delivers on the way back to user mode from that very call.
 *
 * Watch: in the live view the SIGINT column of this process's pending signals holds a 1 for
 * the whole wait, beside the 1 in its blocked signals that keeps it there. */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#define POLL_NS 100000000L /* how often to look for the first Ctrl-C: 0.1 s */

static volatile sig_atomic_t deliveries;

static void on_int(int sig)
{
    (void)sig;
    deliveries++;
    printf("handler: SIGINT delivered\n");
}

/* The low word of the pending set: signals 1-31 as the kernel keeps them. */
static unsigned long pending_word(void)
{
    sigset_t set;
    unsigned long word = 0;

    sigpending(&set);
    for (int sig = 1; sig < NSIG; sig++)
        if (sigismember(&set, sig))
            word |= 1UL << (sig - 1);
    return word;
}

static void wait_for_first_ctrl_c(void)
{
    struct timespec poll = {0, POLL_NS};

    while (!(pending_word() & (1UL << (SIGINT - 1))))
        nanosleep(&poll, NULL);
}

int main(int argc, char **argv)
{
    int seconds = argc > 1 ? atoi(argv[1]) : 5;
    struct sigaction sa = {.sa_handler = on_int};
    sigset_t sigint;

    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, NULL);
    sigemptyset(&sigint);
    sigaddset(&sigint, SIGINT);
    sigprocmask(SIG_BLOCK, &sigint, NULL);
    printf("READY: SIGINT is blocked; press Ctrl-C and it will wait, pending\n");
    wait_for_first_ctrl_c();
    for (int left = seconds; left > 0; left--) {
        printf("SIGINT pending: sigpending() = 0x%08lx (bit 1 = SIGINT); unblocking in %d s\n",
               pending_word(), left);
        sleep(1);
    }
    printf("unblocking SIGINT\n");
    sigprocmask(SIG_UNBLOCK, &sigint, NULL);
    printf("sigprocmask returned after %d delivery of SIGINT; pending now 0x%08lx\n",
           (int)deliveries, pending_word());
    return 0;
}
