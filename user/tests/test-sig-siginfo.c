/* test-sig-siginfo: the si_code and si_addr of each trap a program can raise, as Linux fills
 * them (arch/x86/kernel/traps.c, arch/x86/mm/fault.c). Faults with an address give it (the
 * page fault's CR2, the faulting instruction for #DE, #UD and floating point); the others
 * are plain kernel signals, SI_KERNEL with si_addr 0. The kernel's half of the address
 * space is not mapped for a program, so touching it is SEGV_MAPERR, not SEGV_ACCERR. Each
 * trap sits in a small asm function; the handler checks eip, then resumes after it.
 *
 * Not here: an unmasked SSE exception (#XM). The kernel reports it like the x87 one, from
 * MXCSR, but QEMU's TCG does not raise #XM: the divss would simply succeed under QEMU. */
#include "sigtest.h"

#include <ucontext.h>

#define KERNEL_BASE 0xC0000000u
#define KERNEL_TEXT 0xC0100000u
#define X87_CW_ZERO_DIVIDE_MASK 0x0004 /* ZM in the x87 control word */
#define STR(x) #x
#define XSTR(x) STR(x)

void load_kernel(void), store_kernel(void), do_int4(void), do_into(void), do_bound(void);
void x87_divide(void);
extern char kload_insn[], kload_after[], kstore_insn[], kstore_after[], int4_after[];
extern char into_after[], bound_insn[], bound_after[], x87_wait_insn[], x87_after[];

__attribute__((used)) static const int bounds[2] = {0, 10};

__asm__(".text\n"
        "load_kernel:\n"
        "kload_insn: movl 0xC0000000, %eax\n"
        "kload_after: ret\n"
        "store_kernel:\n"
        "kstore_insn: movl $0, 0xC0100000\n"
        "kstore_after: ret\n"
        "do_int4: int $4\n"
        "int4_after: ret\n"
        "do_into: movl $0x7fffffff, %eax\n"
        "    addl $1, %eax\n" /* sets OF */
        "    into\n"
        "into_after: ret\n"
        "do_bound: movl $11, %eax\n"
        "bound_insn: boundl %eax, bounds\n"
        "bound_after: ret\n"
        "x87_divide: subl $4, %esp\n"
        "    fnstcw (%esp)\n"
        "    andw $~" XSTR(X87_CW_ZERO_DIVIDE_MASK) ", (%esp)\n" /* unmask divide by zero */
        "    fldcw (%esp)\n"
        "    fld1\n"
        "    fldz\n"
        "    fdivrp\n"
        "x87_wait_insn: fwait\n"
        "x87_after: fninit\n"
        "    addl $4, %esp\n"
        "    ret\n");

struct trap {
    const char *what;
    void (*raise)(void);
    int sig;
    char *insn, *resume; /* eip expected in the handler (insn), where to go on from */
    unsigned long addr;  /* expected si_addr; 1: the instruction */
};

#define AT_INSN 1
static const struct trap traps[] = {
    {"load from 0xC0000000", load_kernel, SIGSEGV, kload_insn, kload_after, KERNEL_BASE},
    {"store to 0xC0100000", store_kernel, SIGSEGV, kstore_insn, kstore_after, KERNEL_TEXT},
    {"int $4", do_int4, SIGSEGV, int4_after, int4_after, 0},
    {"into with OF set", do_into, SIGSEGV, into_after, into_after, 0},
    {"bound out of range", do_bound, SIGSEGV, bound_insn, bound_after, 0},
    {"x87 divide by zero, unmasked", x87_divide, SIGFPE, x87_wait_insn, x87_after, AT_INSN},
};
static const struct trap *current;

static void on_trap(int sig, siginfo_t *si, void *ctx)
{
    mcontext_t *sc = &((ucontext_t *)ctx)->uc_mcontext;
    unsigned long want = current->addr == AT_INSN ? (unsigned long)current->insn : current->addr;

    printf("  SIG%s, si_code %d, trapno %lu, eip as expected: %s, si_addr as expected: %s\n",
           sig_short(sig), si->si_code, sc->trapno, yes(sc->eip == (unsigned long)current->insn),
           yes((unsigned long)si->si_addr == want));
    sc->eip = (unsigned long)current->resume;
}

int main(void)
{
    sig_reset_all();
    on_info(SIGSEGV, on_trap, 0);
    on_info(SIGFPE, on_trap, 0);
    for (size_t i = 0; i < sizeof(traps) / sizeof(traps[0]); i++) {
        current = &traps[i];
        printf("%s:\n", current->what);
        current->raise();
    }
    printf("done\n");
    return 0;
}
