/*
 * test-glibc-altstack: sigaltstack, compared with Linux. Its errors
 * (ENOMEM below MINSIGSTKSZ, EINVAL for unknown flags, EPERM when changed
 * while in use), what it reports outside and inside an SA_ONSTACK handler,
 * the handler's frame on the alternate stack and its uc_stack, sigreturn
 * restoring the settings from uc_stack, SS_AUTODISARM, fork keeping it,
 * execve clearing it (and keeping a queued real-time signal), and a SIGSEGV handler on the alternate stack catching a stack overflow
 * from unbounded recursion (the depth is not printed: it depends on the
 * stack's size).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <ucontext.h>
#include <unistd.h>

#define ALT_SIZE 65536
#define I386_MINSIGSTKSZ 2048
#define AUTODISARM ((int)(1u << 31)) /* SS_AUTODISARM, which older headers lack */
#define STACK_LIMIT (256 * 1024) /* so that the host overflows quickly */
#define FRAME_BYTES 512
#define AFTER_EXEC "after-exec"

static char alt[ALT_SIZE];
static sigjmp_buf escape;

static void show(const char *what, int r)
{
    if (r < 0)
        printf("%s = -1 %s\n", what, strerrorname_np(errno));
    else
        printf("%s = %d\n", what, r);
}

static void report(const char *when)
{
    stack_t now;
    sigaltstack(NULL, &now);
    printf("%s: flags %#x size %zu sp is alt %d\n", when, now.ss_flags, now.ss_size,
           now.ss_sp == alt);
}

static int set_alt(size_t size, int flags)
{
    stack_t ss = {.ss_sp = alt, .ss_size = size, .ss_flags = flags};
    return sigaltstack(&ss, NULL);
}

static void on_usr1(int sig, siginfo_t *si, void *ucv)
{
    ucontext_t *uc = ucv;
    char here;

    (void)sig, (void)si;
    printf("  handler runs on the alternate stack: %d\n", &here > alt && &here < alt + ALT_SIZE);
    printf("  uc_stack: flags %#x size %zu sp is alt %d\n", uc->uc_stack.ss_flags,
           uc->uc_stack.ss_size, uc->uc_stack.ss_sp == alt);
    report("  sigaltstack in the handler");
    show("  changing it in the handler", set_alt(ALT_SIZE / 2, 0));
    /* What sigreturn restores: this size, from uc_stack. */
    uc->uc_stack.ss_size = ALT_SIZE / 4;
}

static void errors(void)
{
    stack_t ss = {.ss_sp = alt, .ss_size = ALT_SIZE, .ss_flags = 0};

    report("at start");
    show("size MINSIGSTKSZ - 1", set_alt(I386_MINSIGSTKSZ - 1, 0));
    show("size MINSIGSTKSZ", set_alt(I386_MINSIGSTKSZ, 0));
    show("flags 4", set_alt(ALT_SIZE, 4));
    show("flags SS_ONSTACK", set_alt(ALT_SIZE, SS_ONSTACK));
    report("after SS_ONSTACK");
    show("SS_DISABLE with size 1", set_alt(1, SS_DISABLE));
    report("after SS_DISABLE");
    show("bad pointer", sigaltstack((void *)8, NULL));
    show("bad old pointer", sigaltstack(&ss, (void *)8));
    report("after the bad old pointer");
}

static void on_stack_handler(void)
{
    struct sigaction sa = {.sa_sigaction = on_usr1, .sa_flags = SA_SIGINFO | SA_ONSTACK};

    printf("SA_ONSTACK handler:\n");
    sigaction(SIGUSR1, &sa, NULL);
    set_alt(ALT_SIZE, 0);
    raise(SIGUSR1);
    report("after it returned (size from uc_stack)");
    printf("SS_AUTODISARM:\n");
    set_alt(ALT_SIZE, AUTODISARM);
    raise(SIGUSR1);
    report("after it returned");
    pid_t child = fork();
    if (child == 0) {
        report("fork's child");
        _exit(0);
    }
    waitpid(child, NULL, 0);
}

static void on_segv(int sig)
{
    char here;
    (void)sig;
    printf("  SIGSEGV caught on the alternate stack: %d\n", &here > alt && &here < alt + ALT_SIZE);
    siglongjmp(escape, 1);
}

static volatile int bottom; /* never reached: the stack runs out first */

static int recurse(volatile char *previous)
{
    volatile char frame[FRAME_BYTES];

    if (bottom)
        return 0;
    frame[0] = previous ? previous[0] + 1 : 0;
    return recurse(frame) + frame[1];
}

static void overflow(void)
{
    struct rlimit limit = {STACK_LIMIT, STACK_LIMIT};
    struct sigaction sa = {.sa_handler = on_segv, .sa_flags = SA_ONSTACK};

    printf("stack overflow:\n");
    setrlimit(RLIMIT_STACK, &limit);
    set_alt(ALT_SIZE, 0);
    sigaction(SIGSEGV, &sa, NULL);
    if (sigsetjmp(escape, 1) == 0)
        printf("  never: %d\n", recurse(NULL));
    printf("  back in main\n");
}

/* execve clears the alternate stack and keeps the mask and what is
 * pending, a queued real-time signal with its value too. */
static void exec_self(const char *name)
{
    sigset_t rt;

    printf("execve:\n");
    set_alt(ALT_SIZE, 0);
    sigemptyset(&rt);
    sigaddset(&rt, SIGRTMIN);
    sigprocmask(SIG_BLOCK, &rt, NULL);
    sigqueue(getpid(), SIGRTMIN, (union sigval){.sival_int = 9});
    execl("/proc/self/exe", name, AFTER_EXEC, (char *)NULL);
    perror("execl");
}

static void after_exec(void)
{
    sigset_t rt, pending;
    siginfo_t si;

    report("  after execve");
    sigemptyset(&rt);
    sigaddset(&rt, SIGRTMIN);
    sigpending(&pending);
    printf("  SIGRTMIN still pending: %d\n", sigismember(&pending, SIGRTMIN));
    int sig = sigwaitinfo(&rt, &si);
    printf("  taken: SIGRTMIN+%d code %d value %d\n", sig - SIGRTMIN, si.si_code,
           si.si_value.sival_int);
}

int main(int argc, char **argv)
{
    setvbuf(stdout, NULL, _IONBF, 0);
    if (argc > 1 && !strcmp(argv[1], AFTER_EXEC)) {
        after_exec();
        return 0;
    }
    errors();
    on_stack_handler();
    overflow();
    exec_self(argv[0]);
    return 1;
}
