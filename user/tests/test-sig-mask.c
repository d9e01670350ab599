/* test-sig-mask: the signal mask. A blocked signal waits in the pending set and is delivered
 * as soon as it is unblocked, before sigprocmask returns; standard signals do not queue;
 * SIGKILL and SIGSTOP are silently left out of any mask; a handler runs with its own signal
 * and sa_mask blocked, and the old mask comes back when it returns. The order of the lines
 * shows when each handler ran. Also the raw calls' errors. */
#include <sys/syscall.h>

#include "sigtest.h"

static volatile int hits;

static void note(int sig)
{
    hits++;
    printf("  handler for SIG%s\n", sig_short(sig));
}

/* SIGUSR1's handler (sa_mask {USR2}): raises USR2 and USR1 inside, which must wait. */
static void raise_inside(int sig)
{
    static int runs;

    if (runs++ > 0) {
        printf("  SIG%s handler runs again, after the first returned\n", sig_short(sig));
        return;
    }
    printf("  SIG%s handler starts\n", sig_short(sig));
    print_mask("  mask inside");
    raise(SIGUSR2);
    raise(SIGUSR1);
    print_pending("  pending inside");
    printf("  SIG%s handler ends\n", sig_short(sig));
}

static void pending_and_unblock(void)
{
    printf("blocking SIGUSR1 and raising it twice\n");
    block(SIGUSR1);
    raise(SIGUSR1);
    raise(SIGUSR1);
    printf("after the raises, hits = %d\n", hits);
    print_pending("pending");
    printf("unblocking\n");
    unblock(SIGUSR1);
    printf("sigprocmask returned, hits = %d (delivered once)\n", hits);
    print_pending("pending");
}

static void unblockable(void)
{
    sigset_t all, cur;

    sigfillset(&all);
    show("sigprocmask(SIG_SETMASK, all)", sigprocmask(SIG_SETMASK, &all, NULL));
    sigprocmask(SIG_BLOCK, NULL, &cur);
    printf("KILL blocked: %s, STOP blocked: %s, USR1 blocked: %s, SEGV blocked: %s\n",
           yes(sigismember(&cur, SIGKILL)), yes(sigismember(&cur, SIGSTOP)),
           yes(sigismember(&cur, SIGUSR1)), yes(sigismember(&cur, SIGSEGV)));
    printf("the whole 64-bit mask: %08lx %08lx\n", cur.sig[0], cur.sig[1]);
    sigemptyset(&all);
    sigprocmask(SIG_SETMASK, &all, &cur);
    printf("old mask from the same call: %08lx %08lx\n", cur.sig[0], cur.sig[1]);
}

static void during_handler(void)
{
    struct sigaction sa;

    sa.sa_handler = raise_inside;
    sa.sa_mask = set_of(SIGUSR2, 0);
    sa.sa_flags = 0;
    sigaction(SIGUSR1, &sa, NULL);
    on(SIGUSR2, note, 0);
    block(SIGHUP);
    printf("raising SIGUSR1 (sa_mask {USR2}) with HUP blocked\n");
    raise(SIGUSR1);
    printf("back in main\n");
    print_mask("mask after the handler");
    unblock(SIGHUP);
}

/* rt_sigprocmask and friends through syscall(), to see the kernel's checks. */
static void raw_errors(void)
{
    sigset_t s = set_of(SIGUSR2, 0), old;
    unsigned long old32 = 0, pend32 = 99, mask32 = 1ul << (SIGHUP - 1);

    show("rt_sigprocmask(SIG_BLOCK, &s, NULL, sigsetsize 4)",
         syscall(SYS_rt_sigprocmask, SIG_BLOCK, &s, NULL, 4));
    show("rt_sigprocmask(3, &s, NULL, 8)", syscall(SYS_rt_sigprocmask, 3, &s, NULL, 8));
    show("rt_sigprocmask(3, NULL, &old, 8)", syscall(SYS_rt_sigprocmask, 3, NULL, &old, 8));
    show("rt_sigprocmask(-1, &s, NULL, 8)", syscall(SYS_rt_sigprocmask, -1, &s, NULL, 8));
    show("rt_sigprocmask(SIG_BLOCK, bad set, NULL, 8)",
         syscall(SYS_rt_sigprocmask, SIG_BLOCK, (void *)8, NULL, 8));
    show("rt_sigprocmask(SIG_BLOCK, {USR2}, bad old, 8)",
         syscall(SYS_rt_sigprocmask, SIG_BLOCK, &s, (void *)8, 8));
    print_mask("  mask afterwards (changed before old was written)");
    sigemptyset(&s);
    sigprocmask(SIG_SETMASK, &s, NULL);
    show("rt_sigpending(&set, sigsetsize 4)", syscall(SYS_rt_sigpending, &pend32, 4));
    printf("  pending word = %lu\n", pend32);
    show("rt_sigpending(&set, sigsetsize 16)", syscall(SYS_rt_sigpending, &old, 16));
    show("rt_sigpending(bad pointer, 8)", syscall(SYS_rt_sigpending, (void *)8, 8));
    show("rt_sigpending(kernel text, sigsetsize 0)",
         syscall(SYS_rt_sigpending, (void *)0xC0100000, 0));
    show("rt_sigsuspend(&set, sigsetsize 4)", syscall(SYS_rt_sigsuspend, &s, 4));
    show("old sigprocmask(SIG_BLOCK, {HUP}, &old)",
         syscall(SYS_sigprocmask, SIG_BLOCK, &mask32, &old32));
    printf("  old word = %lu\n", old32);
    print_mask("  mask now");
    raise(SIGHUP);
    pend32 = 0;
    show("old sigpending(&word) with HUP blocked and raised", syscall(SYS_sigpending, &pend32));
    printf("  word is HUP's bit: %s\n", yes(pend32 == mask32));
    signal(SIGHUP, SIG_IGN); /* an ignored signal is discarded, even a pending one */
    print_pending("pending after SIG_IGN");
    signal(SIGHUP, SIG_DFL);
    mask32 = 0;
    show("old sigprocmask(SIG_SETMASK, 0, &old)",
         syscall(SYS_sigprocmask, SIG_SETMASK, &mask32, &old32));
    printf("  old word is HUP's bit: %s\n", yes(old32 == 1ul << (SIGHUP - 1)));
    sigemptyset(&s);
    sigprocmask(SIG_SETMASK, &s, NULL);
}

int main(void)
{
    sig_reset_all();
    on(SIGUSR1, note, 0);
    pending_and_unblock();
    unblockable();
    during_handler();
    raw_errors();
    print_mask("final mask");
    return 0;
}
