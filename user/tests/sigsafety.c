/*
 * sigsafety: a process must not escape through signals (Relay only: run by
 * the scenario suite, not compared with Linux, which treats some of these
 * differently; see docs/signals.md).
 *
 * Each case runs in a child that must die of SIGSEGV, while the parent, the
 * kernel and every other process go on:
 *   - a handler forges its saved context (ring-0 code selector, IOPL 3, a
 *     kernel eip, a kernel esp, VM86 mode, interrupts off) and returns;
 *   - a signal arrives while the stack pointer points at unmapped memory, so
 *     the kernel cannot write the frame;
 *   - a SIGSEGV handler returns to the faulting load again and again, which
 *     would spin forever: Relay applies the default action.
 *
 * Then init (pid 1, which has no handlers) is sent SIGKILL and SIGTERM: as on
 * Linux, init never gets a signal whose action is the default one, so it
 * survives. Last, kill(-1, SIGTERM) reaches every process but init and the
 * caller. (Never run this on a real Linux machine as root.)
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/ucontext.h>
#include <sys/wait.h>
#include <unistd.h>

#define KERNEL_CS 0x08
#define EFLAGS_IOPL3 0x3000
#define EFLAGS_IF 0x200
#define EFLAGS_VM 0x20000
#define KERNEL_ADDRESS 0xC0100000u
#define UNMAPPED_STACK 0x00002000u

static int forgery;

static void forge(int sig, siginfo_t *si, void *ctx)
{
    mcontext_t *sc = &((ucontext_t *)ctx)->uc_mcontext;

    (void)sig, (void)si;
    switch (forgery) {
    case 0: sc->cs = KERNEL_CS; break;
    case 1: sc->eflags |= EFLAGS_IOPL3; break;
    case 2: sc->eip = KERNEL_ADDRESS; break;
    case 3: sc->esp = KERNEL_ADDRESS + 0x1000; break;
    case 4: sc->eflags |= EFLAGS_VM; break;
    case 5: sc->eflags &= ~EFLAGS_IF; break;
    }
}

static void forged_return(void)
{
    struct sigaction sa;

    memset(&sa, 0, sizeof(sa));
    sa.sa_sigaction = forge;
    sa.sa_flags = SA_SIGINFO;
    sigaction(SIGUSR1, &sa, NULL);
    raise(SIGUSR1);
}

static void never_reached(int sig) { (void)sig; }

/* kill(self, SIGUSR1) with esp pointing at unmapped memory: the system call
 * needs no stack, but delivery must write a frame below esp. */
static void signal_on_a_bad_stack(void)
{
    struct sigaction sa;

    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = never_reached;
    sigaction(SIGUSR1, &sa, NULL);
    __asm__ volatile("movl %%esp, %%esi\n\t"
                     "movl %2, %%esp\n\t"
                     "int $0x80\n\t"
                     "movl %%esi, %%esp"
                     : : "a"(37), "b"(getpid()), "i"(UNMAPPED_STACK), "c"(SIGUSR1)
                     : "esi", "memory");
}

static void return_to_the_fault(int sig) { (void)sig; }

static void repeated_fault(void)
{
    struct sigaction sa;

    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = return_to_the_fault;
    sigaction(SIGSEGV, &sa, NULL);
    (void)*(volatile int *)0; /* faults; the handler changes nothing */
}

static void expect_segv(const char *what, void (*act)(void))
{
    int status;
    pid_t child;

    fflush(stdout);
    child = fork();
    if (child == 0) {
        act();
        printf("%s: survived!\n", what);
        exit(0);
    }
    waitpid(child, &status, 0);
    printf("%-34s %s\n", what,
           WIFSIGNALED(status) && WTERMSIG(status) == SIGSEGV ? "killed by SIGSEGV" : "WRONG");
}

/* kill(-1, SIGTERM): both children die of it; the caller and init do not. */
static void kill_everyone_else(void)
{
    struct timespec tenth = {0, 100000000};
    pid_t children[2];
    int status;

    fflush(stdout);
    for (int i = 0; i < 2; i++) {
        children[i] = fork();
        if (children[i] == 0) {
            for (;;)
                pause();
        }
    }
    nanosleep(&tenth, NULL); /* let them reach pause() */
    printf("kill(-1, SIGTERM) = %d\n", kill(-1, SIGTERM));
    for (int i = 0; i < 2; i++) {
        waitpid(children[i], &status, 0);
        printf("child %d: %s\n", i + 1,
               WIFSIGNALED(status) && WTERMSIG(status) == SIGTERM ? "killed by SIGTERM" : "WRONG");
    }
    printf("init is still our parent: %s\n", getppid() == 1 ? "yes" : "no");
}

int main(void)
{
    static const char *const forgeries[] = {"forged frame: ring-0 cs", "forged frame: IOPL 3",
                                            "forged frame: kernel eip", "forged frame: kernel esp",
                                            "forged frame: VM86 mode", "forged frame: IF clear"};

    for (forgery = 0; forgery < 6; forgery++)
        expect_segv(forgeries[forgery], forged_return);
    expect_segv("signal with an unmapped stack", signal_on_a_bad_stack);
    expect_segv("handler returning into its fault", repeated_fault);
    printf("kill(1, SIGTERM) = %d, kill(1, SIGKILL) = %d\n", kill(1, SIGTERM), kill(1, SIGKILL));
    printf("init is still our parent: %s\n", getppid() == 1 ? "yes" : "no");
    kill_everyone_else();
    printf("the parent goes on: yes\n");
    return 0;
}
