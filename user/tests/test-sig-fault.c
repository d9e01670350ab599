/* test-sig-fault: CPU exceptions become signals. Each faulting instruction sits in a tiny asm
 * function between labels, so a handler can check eip and si_addr and then recover by editing
 * the saved registers in uc_mcontext: fix the register the instruction used and retry it, or
 * move eip past it. Then each fault again in a child without a handler, which must die by the
 * signal (and also when the signal is blocked or ignored: a fault overrides both).
 *
 * Not here: SIGBUS from an alignment check (#AC, a misaligned access with EFLAGS.AC set).
 * Relay enables it (CR0.AM) as Linux does, but QEMU's TCG does not emulate #AC, so the
 * access would succeed under QEMU and fault on the host: a difference of the emulator,
 * not of the kernel. The boot suite checks that CR0.AM is set. */
#include "sigtest.h"

int do_div(int divisor);     /* 1 / divisor with divl */
int load_from(const int *p); /* *p */
void poke_text(void);        /* writes to its own (read-only) code */
void do_ud2(void);
void do_int3(void);
void do_hlt(void);                     /* privileged: a general protection fault */
extern char div_insn[], div_after[], load_insn[], poke_insn[], poke_after[];
extern char ud2_insn[], ud2_after[], int3_after[], hlt_insn[], hlt_after[];

__asm__(".text\n"
        "do_div: movl 4(%esp), %ecx\n"
        "    xorl %edx, %edx\n"
        "    movl $1, %eax\n"
        "div_insn: divl %ecx\n" /* 2 bytes */
        "div_after: ret\n"
        "load_from: movl 4(%esp), %eax\n"
        "load_insn: movl (%eax), %eax\n"
        "    ret\n"
        "poke_text:\n"
        "poke_insn: movl $0, poke_text\n"
        "poke_after: ret\n"
        "do_ud2:\n"
        "ud2_insn: ud2\n"
        "ud2_after: ret\n"
        "do_int3: int3\n"
        "int3_after: ret\n"
        "do_hlt:\n"
        "hlt_insn: hlt\n"
        "hlt_after: ret\n");

static const int good_value = 1234;

static void report(siginfo_t *si, mcontext_t *sc, const char *at)
{
    printf("  caught SIG%s: si_code = %d, trapno = %lu, err = %lu, eip %s\n",
           sig_short(si->si_signo), si->si_code, sc->trapno, sc->err, at);
}

static void on_fpe(int sig, siginfo_t *si, void *ctx)
{
    mcontext_t *sc = &((ucontext_t *)ctx)->uc_mcontext;

    (void)sig;
    report(si, sc, sc->eip == (unsigned long)div_insn ? "at the div" : "elsewhere");
    printf("  si_addr is the div: %s\n", yes(si->si_addr == div_insn));
    sc->eax = 42; /* the "result" */
    sc->eip = (unsigned long)div_after;
}

static void on_segv(int sig, siginfo_t *si, void *ctx)
{
    mcontext_t *sc = &((ucontext_t *)ctx)->uc_mcontext;

    (void)sig;
    if (sc->eip == (unsigned long)load_insn) {
        report(si, sc, "at the load");
        printf("  si_addr = %p, cr2 = %lx\n", si->si_addr, sc->cr2);
        sc->eax = (unsigned long)&good_value; /* the load retries with a valid pointer */
    } else if (sc->eip == (unsigned long)poke_insn) {
        report(si, sc, "at the store");
        printf("  si_addr is the code written to: %s, cr2 too: %s\n",
               yes(si->si_addr == (void *)poke_text), yes(sc->cr2 == (unsigned long)poke_text));
        sc->eip = (unsigned long)poke_after;
    } else if (sc->eip == (unsigned long)hlt_insn) {
        report(si, sc, "at the hlt");
        printf("  si_addr = %p\n", si->si_addr);
        sc->eip = (unsigned long)hlt_after;
    } else {
        printf("  unexpected SIGSEGV\n");
        exit(3);
    }
}

static void on_ill(int sig, siginfo_t *si, void *ctx)
{
    mcontext_t *sc = &((ucontext_t *)ctx)->uc_mcontext;

    (void)sig;
    report(si, sc, sc->eip == (unsigned long)ud2_insn ? "at the ud2" : "elsewhere");
    printf("  si_addr is the ud2: %s\n", yes(si->si_addr == ud2_insn));
    sc->eip = (unsigned long)ud2_after;
}

static void on_trap(int sig, siginfo_t *si, void *ctx)
{
    mcontext_t *sc = &((ucontext_t *)ctx)->uc_mcontext;

    (void)sig;
    /* int3 is a trap: eip is already past it, so returning just goes on. */
    report(si, sc, sc->eip == (unsigned long)int3_after ? "after the int3" : "elsewhere");
}

static void caught(void)
{
    printf("SIGFPE, divide by zero:\n");
    on_info(SIGFPE, on_fpe, 0);
    printf("  do_div(0) returned %d\n", do_div(0));
    printf("SIGSEGV, load from NULL:\n");
    on_info(SIGSEGV, on_segv, 0);
    printf("  load_from(NULL) returned %d\n", load_from(NULL));
    printf("SIGSEGV, write to the program's code:\n");
    poke_text();
    printf("  went on\n");
    printf("SIGSEGV, hlt in user mode:\n");
    do_hlt();
    printf("  went on\n");
    printf("SIGILL, ud2:\n");
    on_info(SIGILL, on_ill, 0);
    do_ud2();
    printf("  went on\n");
    printf("SIGTRAP, int3:\n");
    on_info(SIGTRAP, on_trap, 0);
    do_int3();
    printf("  went on\n");
    print_mask("blocked after the handlers");
}

/* In a child, with no handler (how: 0, or "blocked" / "ignored" for sig). */
static void uncaught(const char *what, int sig, const char *how, void (*fault)(void))
{
    pid_t pid = fork();
    char line[80];

    if (pid == 0) {
        sig_reset_all();
        if (how && strcmp(how, "blocked") == 0)
            block(sig);
        else if (how)
            signal(sig, SIG_IGN);
        fault();
        printf("  %s: survived!\n", what);
        exit(0);
    }
    snprintf(line, sizeof(line), "%s%s%s", what, how ? ", SIG" : "", how ? sig_short(sig) : "");
    if (how)
        snprintf(line + strlen(line), sizeof(line) - strlen(line), " %s", how);
    reap(pid, line);
}

static void fault_div(void) { do_div(0); }
static void fault_null(void) { load_from(NULL); }

static void segv_in_handler(int sig)
{
    (void)sig;
    printf("  in the SIGSEGV handler, faulting again\n");
    fflush(stdout);
    load_from(NULL);
}

static void fault_in_handler(void)
{
    on(SIGSEGV, segv_in_handler, 0);
    load_from(NULL);
}

int main(void)
{
    sig_reset_all();
    caught();
    printf("uncaught, in children:\n");
    uncaught("divide by zero", SIGFPE, NULL, fault_div);
    uncaught("load from NULL", SIGSEGV, NULL, fault_null);
    uncaught("write to code", SIGSEGV, NULL, poke_text);
    uncaught("hlt", SIGSEGV, NULL, do_hlt);
    uncaught("ud2", SIGILL, NULL, do_ud2);
    uncaught("int3", SIGTRAP, NULL, do_int3);
    uncaught("divide by zero", SIGFPE, "blocked", fault_div);
    uncaught("divide by zero", SIGFPE, "ignored", fault_div);
    uncaught("load from NULL", SIGSEGV, "blocked", fault_null);
    uncaught("load from NULL", SIGSEGV, "ignored", fault_null);
    uncaught("int3", SIGTRAP, "ignored", do_int3);
    uncaught("SIGSEGV inside the SIGSEGV handler", SIGSEGV, NULL, fault_in_handler);
    return 0;
}
