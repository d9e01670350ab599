/* crash [div|segv]: CPU exceptions turned into signals.
 *
 * Dividing by zero makes the CPU raise a divide error; the kernel turns it into SIGFPE for
 * the process. A load from address 0 is a page fault with nothing mapped: SIGSEGV. First each
 * one is caught: the handler gets the saved registers (uc_mcontext) and repairs them, then
 * returns, and the program goes on. Then each happens again with no handler, in a child, and
 * the parent shows how the child died. With no argument, both run.
 *
 * Watch: for SIGFPE the handler moves eip past the 2-byte div instruction; for SIGSEGV it
 * points the faulting load's register at a real variable, so the load is retried and works.
 * Returning without fixing anything would run the same instruction, and fault, forever. */
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

int divide(int a, int b); /* a / b, with the 2-byte idiv at label div_insn */
int load(const int *p);   /* *p, with the load at label load_insn (pointer in eax) */
extern char div_insn[], load_insn[];

__asm__(".text\n"
        "divide: movl 4(%esp), %eax\n"
        "    movl 8(%esp), %ecx\n"
        "    cltd\n"
        "div_insn: idivl %ecx\n"
        "    ret\n"
        "load: movl 4(%esp), %eax\n"
        "load_insn: movl (%eax), %eax\n"
        "    ret\n");

static const int forty_two = 42;

static void on_fpe(int sig, siginfo_t *si, void *ctx)
{
    mcontext_t *regs = &((ucontext_t *)ctx)->uc_mcontext;

    printf("  SIGFPE (%d): si_code %d (FPE_INTDIV is 1), at the idiv: %s\n", sig, si->si_code,
           si->si_addr == div_insn ? "yes" : "no");
    regs->eax = 0;  /* the "result" */
    regs->eip += 2; /* skip idivl %ecx: 2 bytes */
}

static void on_segv(int sig, siginfo_t *si, void *ctx)
{
    mcontext_t *regs = &((ucontext_t *)ctx)->uc_mcontext;

    printf("  SIGSEGV (%d): si_code %d (SEGV_MAPERR is 1), si_addr %p\n", sig, si->si_code,
           si->si_addr);
    regs->eax = (unsigned long)&forty_two; /* retry the load with a valid pointer */
}

static void catch_with(int sig, void (*handler)(int, siginfo_t *, void *))
{
    struct sigaction sa;

    sa.sa_sigaction = handler;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = SA_SIGINFO;
    sigaction(sig, &sa, NULL);
}

static void child_dies(void (*fault)(void))
{
    int st;
    pid_t pid = fork();

    if (pid == 0) {
        fault();
        _exit(0);
    }
    waitpid(pid, &st, 0);
    if (WIFSIGNALED(st))
        printf("  child killed by signal %d: %s%s\n", WTERMSIG(st), strsignal(WTERMSIG(st)),
               WCOREDUMP(st) ? " (core dumped)" : "");
    else
        printf("  child exited %d\n", WEXITSTATUS(st));
}

static void fault_div(void) { divide(1, 0); }
static void fault_segv(void) { load(NULL); }

int main(int argc, char **argv)
{
    int all = argc < 2;

    if (all || strcmp(argv[1], "div") == 0) {
        printf("1 / 0 with a SIGFPE handler:\n");
        catch_with(SIGFPE, on_fpe);
        printf("  went on, result %d\n", divide(1, 0));
        signal(SIGFPE, SIG_DFL);
        printf("1 / 0 without one, in a child:\n");
        child_dies(fault_div);
    }
    if (all || strcmp(argv[1], "segv") == 0) {
        printf("*(int *)0 with a SIGSEGV handler:\n");
        catch_with(SIGSEGV, on_segv);
        printf("  went on, loaded %d\n", load(NULL));
        signal(SIGSEGV, SIG_DFL);
        printf("*(int *)0 without one, in a child:\n");
        child_dies(fault_segv);
    }
    return 0;
}
