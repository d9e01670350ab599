/* test-sig-chld: SIGCHLD with SA_SIGINFO tells the parent which child changed and how
 * (si_code CLD_EXITED / CLD_KILLED / CLD_STOPPED / CLD_CONTINUED, si_status the exit code or
 * signal). SIGCHLD stays blocked while the child changes state, so the test can look at the
 * pending set, then lets it in. With SA_NOCLDSTOP, stops and continues send nothing. */
#include "sigtest.h"

static volatile int chlds, last_code, last_status, last_from_child;
static pid_t child;

static void on_chld(int sig, siginfo_t *si, void *ctx)
{
    (void)sig;
    (void)ctx;
    chlds++;
    last_code = si->si_code;
    last_status = si->si_status;
    last_from_child = si->si_pid == child;
}

static const char *code_name(int code)
{
    static const char *const names[] = {"?",           "CLD_EXITED",  "CLD_KILLED",   "CLD_DUMPED",
                                        "CLD_TRAPPED", "CLD_STOPPED", "CLD_CONTINUED"};

    return code >= 0 && code <= 6 ? names[code] : "?";
}

/* True once SIGCHLD is pending; gives up after half a second. A continued child sends its
 * SIGCHLD only when it next runs, which on a busy machine takes a while. */
static int chld_arrives(void)
{
    sigset_t p;
    int tries;

    for (tries = 0; tries < 10; tries++) {
        sigpending(&p);
        if (sigismember(&p, SIGCHLD))
            return 1;
        settle();
    }
    return 0;
}

/* Shows whether SIGCHLD is pending, lets it in, and shows what the handler saw. */
static void collect(const char *after)
{
    printf("after %s: SIGCHLD pending: %s", after, yes(chld_arrives()));
    chlds = 0;
    unblock(SIGCHLD);
    block(SIGCHLD);
    if (chlds)
        printf(", handler: %s, si_status %d, si_pid is the child: %s", code_name(last_code),
               last_status, yes(last_from_child));
    printf("\n");
}

static void exits(void)
{
    int st;

    child = fork();
    if (child == 0)
        exit(7);
    waitpid(child, &st, 0);
    describe("child", st);
    collect("exit(7)");
}

static void stop_continue_kill(int flags)
{
    int st;

    on_info(SIGCHLD, on_chld, flags);
    child = fork();
    if (child == 0) {
        for (;;)
            pause();
    }
    kill(child, SIGSTOP);
    waitpid(child, &st, WUNTRACED);
    describe("child", st);
    collect("SIGSTOP");
    kill(child, SIGCONT);
    waitpid(child, &st, WCONTINUED);
    describe("child", st);
    collect("SIGCONT");
    kill(child, SIGTERM);
    waitpid(child, &st, 0);
    describe("child", st);
    collect("SIGTERM");
}

int main(void)
{
    sig_reset_all();
    block(SIGCHLD);
    on_info(SIGCHLD, on_chld, 0);
    exits();
    printf("without SA_NOCLDSTOP:\n");
    stop_continue_kill(0);
    printf("with SA_NOCLDSTOP:\n");
    stop_continue_kill(SA_NOCLDSTOP);
    printf("SIGCHLD handler, SIGCHLD unblocked, child exits while we wait:\n");
    unblock(SIGCHLD);
    on_info(SIGCHLD, on_chld, SA_RESTART);
    chlds = 0;
    child = fork();
    if (child == 0) {
        settle();
        exit(3);
    }
    reap(child, "child");
    printf("handler ran once: %s, %s, si_status %d\n", yes(chlds == 1), code_name(last_code),
           last_status);
    return 0;
}
