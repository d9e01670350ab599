/* test-sig-basic: a handler runs for kill(getpid()), raise and tkill; what sigaction stores
 * and reports back; what may not be caught; SA_SIGINFO's siginfo for each sender. */
#include <sys/syscall.h>

#include "sigtest.h"

static volatile int hits, last_sig;

static void count(int sig)
{
    hits++;
    last_sig = sig;
}

static void show_info(int sig, siginfo_t *si, void *ctx)
{
    ucontext_t *uc = ctx;

    printf("  handler(%d): si_signo = %d, si_errno = %d, si_code = %d, si_pid is me: %s\n", sig,
           si->si_signo, si->si_errno, si->si_code, yes(si->si_pid == getpid()));
    printf("  saved eax (the interrupted call's result) = %lu\n", uc->uc_mcontext.eax);
}

static void handlers_run(void)
{
    printf("signal(SIGUSR1, count) returns SIG_DFL: %s\n", yes(signal(SIGUSR1, count) == SIG_DFL));
    show("kill(getpid(), SIGUSR1)", kill(getpid(), SIGUSR1));
    printf("hits = %d, last signal = %d\n", hits, last_sig);
    show("raise(SIGUSR1)", raise(SIGUSR1));
    printf("hits = %d (signal() handlers stay installed)\n", hits);
    show("tkill(gettid(), SIGUSR1)", tkill(gettid(), SIGUSR1));
    printf("hits = %d\n", hits);
    printf("signal(SIGUSR1, SIG_IGN) returns count: %s\n", yes(signal(SIGUSR1, SIG_IGN) == count));
    show("raise(SIGUSR1) while ignored", raise(SIGUSR1));
    printf("hits = %d\n", hits);
    print_pending("pending after an ignored signal");
    printf("signal(SIGUSR1, SIG_DFL) returns SIG_IGN: %s\n",
           yes(signal(SIGUSR1, SIG_DFL) == SIG_IGN));
    printf("signal(SIGKILL, count) returns SIG_ERR: %s", yes(signal(SIGKILL, count) == SIG_ERR));
    printf(", errno %s\n", errno_name(errno));
}

static void round_trip(void)
{
    struct sigaction sa, old;

    sa.sa_handler = count;
    sa.sa_mask = set_of(SIGUSR2, SIGTERM);
    sa.sa_flags = SA_RESTART | SA_NODEFER;
    show("sigaction(SIGHUP, count, NULL)", sigaction(SIGHUP, &sa, NULL));
    sa.sa_handler = SIG_IGN;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = 0;
    show("sigaction(SIGHUP, SIG_IGN, &old)", sigaction(SIGHUP, &sa, &old));
    printf("  old handler is count: %s\n", yes(old.sa_handler == count));
    print_set("  old sa_mask", &old.sa_mask);
    printf("  old sa_flags = 0x%08x\n", old.sa_flags);
    printf("  old sa_restorer is __restore: %s\n", yes(old.sa_restorer == __restore));
    show("sigaction(SIGHUP, NULL, &old)", sigaction(SIGHUP, NULL, &old));
    printf("  handler is SIG_IGN: %s, flags = 0x%08x\n", yes(old.sa_handler == SIG_IGN),
           old.sa_flags);
    on_info(SIGHUP, show_info, 0);
    sigaction(SIGHUP, NULL, &old);
    printf("SA_SIGINFO handler: flags = 0x%08x, restorer is __restore_rt: %s\n", old.sa_flags,
           yes(old.sa_restorer == __restore_rt));
    /* The KILL bit in sa_mask is accepted and dropped silently. */
    sa.sa_handler = count;
    sa.sa_mask = set_of(SIGKILL, SIGSTOP);
    sa.sa_flags = 0;
    sigaction(SIGUSR2, &sa, NULL);
    sigaction(SIGUSR2, NULL, &old);
    print_set("sa_mask {KILL STOP} reads back as", &old.sa_mask);
    signal(SIGHUP, SIG_DFL);
    signal(SIGUSR2, SIG_DFL);
}

static void not_catchable(void)
{
    struct sigaction sa, old;

    sa.sa_handler = count;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = 0;
    show("sigaction(SIGKILL, handler)", sigaction(SIGKILL, &sa, NULL));
    show("sigaction(SIGSTOP, handler)", sigaction(SIGSTOP, &sa, NULL));
    sa.sa_handler = SIG_IGN;
    show("sigaction(SIGKILL, SIG_IGN)", sigaction(SIGKILL, &sa, NULL));
    sa.sa_handler = SIG_DFL;
    show("sigaction(SIGSTOP, SIG_DFL)", sigaction(SIGSTOP, &sa, NULL));
    show("sigaction(SIGKILL, NULL, &old) (only asking)", sigaction(SIGKILL, NULL, &old));
    printf("  SIGKILL's handler is SIG_DFL: %s\n", yes(old.sa_handler == SIG_DFL));
    show("sigaction(0, NULL, &old)", sigaction(0, NULL, &old));
    show("sigaction(65, NULL, &old)", sigaction(65, NULL, &old));
    show("sigaction(-1, NULL, &old)", sigaction(-1, NULL, &old));
    show("sigaction(SIGUSR1, NULL, NULL)", sigaction(SIGUSR1, NULL, NULL));
    show("sigaction(SIGUSR1, bad pointer, NULL)",
         syscall(SYS_rt_sigaction, SIGUSR1, (void *)8, NULL, 8));
    show("rt_sigaction(SIGUSR1, NULL, &old, sigsetsize 4)",
         syscall(SYS_rt_sigaction, SIGUSR1, NULL, &old, 4));
    show("rt_sigaction(SIGUSR1, NULL, &old, sigsetsize 16)",
         syscall(SYS_rt_sigaction, SIGUSR1, NULL, &old, 16));
}

static void info(void)
{
    printf("siginfo for kill(getpid(), SIGHUP):\n");
    kill(getpid(), SIGHUP);
    printf("siginfo for raise(SIGHUP):\n");
    raise(SIGHUP);
    printf("siginfo for tkill(gettid(), SIGHUP):\n");
    tkill(gettid(), SIGHUP);
}

int main(void)
{
    sig_reset_all();
    handlers_run();
    round_trip();
    not_catchable();
    on_info(SIGHUP, show_info, 0);
    info();
    printf("gettid() == getpid(): %s\n", yes(gettid() == getpid()));
    return 0;
}
