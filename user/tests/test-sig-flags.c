/* test-sig-flags: SA_NODEFER lets a handler be re-entered by its own signal; SA_RESETHAND
 * makes a handler one-shot (the next delivery takes the default action, seen in a child's
 * wait status); handlers of different signals nest three deep and unwind in order, each with
 * its locals intact. */
#include "sigtest.h"

static volatile int depth, raises_left;

/* Raises its own signal again while raises_left lasts. */
static void nest_self(int sig)
{
    int mine = ++depth;

    printf("  enter SIG%s handler, depth %d\n", sig_short(sig), mine);
    if (raises_left-- > 0)
        raise(sig);
    printf("  leave depth %d\n", mine);
    depth--;
}

static void one_shot(int sig)
{
    struct sigaction now;

    sigaction(sig, NULL, &now);
    printf("  one-shot handler: the action is now SIG_DFL: %s\n", yes(now.sa_handler == SIG_DFL));
    print_mask("  mask inside");
}

/* USR1 -> USR2 -> TERM: each handler raises the next signal and checks its locals survive. */
static void chain(int sig)
{
    int next = sig == SIGUSR1 ? SIGUSR2 : sig == SIGUSR2 ? SIGTERM : 0;
    volatile int local = sig * 1000 + 7;

    depth++;
    printf("  enter SIG%s handler, depth %d\n", sig_short(sig), depth);
    if (next)
        raise(next);
    printf("  leave SIG%s handler, local intact: %s\n", sig_short(sig),
           yes(local == sig * 1000 + 7));
    depth--;
}

static void nodefer(void)
{
    printf("SA_NODEFER: raising SIGUSR1, the handler raises it again up to depth 3\n");
    on(SIGUSR1, nest_self, SA_NODEFER);
    raises_left = 2;
    raise(SIGUSR1);
    printf("without SA_NODEFER: the second delivery waits for the first to return\n");
    on(SIGUSR1, nest_self, 0);
    raises_left = 2;
    raise(SIGUSR1);
    signal(SIGUSR1, SIG_DFL);
}

static void resethand(void)
{
    pid_t pid;

    printf("SA_RESETHAND, in a child:\n");
    pid = fork();
    if (pid == 0) {
        on(SIGUSR1, one_shot, SA_RESETHAND);
        raise(SIGUSR1);
        printf("  after the first raise\n");
        raise(SIGUSR1);
        printf("  after the second raise (not reached)\n");
        exit(0);
    }
    reap(pid, "child");
}

static void raise_from_one_shot(int sig)
{
    one_shot(sig);
    raise(sig);
    printf("  still in the handler after raising its signal\n");
}

static void nested(void)
{
    printf("nested handlers of different signals:\n");
    on(SIGUSR1, chain, 0);
    on(SIGUSR2, chain, 0);
    on(SIGTERM, chain, 0);
    raise(SIGUSR1);
    printf("back in main, depth %d\n", depth);
    print_mask("mask in main");
}

int main(void)
{
    pid_t pid;

    sig_reset_all();
    nodefer();
    resethand();
    printf("SA_RESETHAND without SA_NODEFER: raising inside is deferred, then kills:\n");
    pid = fork();
    if (pid == 0) {
        on(SIGUSR2, raise_from_one_shot, SA_RESETHAND);
        raise(SIGUSR2);
        printf("  back in main (not reached)\n");
        exit(0);
    }
    reap(pid, "child");
    nested();
    return 0;
}
