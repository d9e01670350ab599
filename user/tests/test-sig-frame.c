/* test-sig-frame: the signal frames. The handler is an asm probe that records eax, ecx, edx
 * and eflags at entry, then jumps to C with the stack untouched, so the C side sees exactly
 * what the kernel built: the old frame (pretcode, sig, sigcontext, ..., retcode at 724) for a
 * handler without SA_SIGINFO, the rt frame (pretcode, sig, pinfo, puc, siginfo, ucontext,
 * retcode at 260) for one with it, whatever call installed it. Each way of installing a
 * handler is tried: the library's sigaction, rt_sigaction (174) and sigaction (67), with and
 * without SA_RESTORER (without it, the kernel provides the return path). A second handler
 * clobbers every register; sigreturn must put them all back. The direction flag set at the
 * signal is clear in the handler (the C ABI wants it clear) and set again after it. */
#include <sys/syscall.h>

#include "sigtest.h"

#define EFLAGS_DF         0x400
#define OLD_FRAME_RETCODE 724
#define RT_FRAME_RETCODE  260

void probe(int sig);       /* records entry registers, then jumps to frame_probe */
void clobber_all(int sig); /* sets every general register to -1 and returns */
/* kill(pid, sig) with edx, esi, edi, ebp holding known values and DF set as asked; stores
 * eax, ebx, ecx, edx, esi, edi, ebp, esp and eflags as they are after the call. */
void kill_and_keep(int pid, int sig, int set_df);

unsigned long entry_eax, entry_ecx, entry_edx, entry_eflags;
unsigned long before_esp, after[9];

__asm__(".text\n"
        "probe: movl %eax, entry_eax\n"
        "    movl %ecx, entry_ecx\n"
        "    movl %edx, entry_edx\n"
        "    pushfl\n"
        "    popl entry_eflags\n"
        "    jmp frame_probe\n"
        "clobber_all: movl $-1, %eax\n"
        "    movl $-1, %ebx\n"
        "    movl $-1, %ecx\n"
        "    movl $-1, %edx\n"
        "    movl $-1, %esi\n"
        "    movl $-1, %edi\n"
        "    movl $-1, %ebp\n"
        "    ret\n"
        "kill_and_keep: pushl %ebp\n"
        "    pushl %edi\n"
        "    pushl %esi\n"
        "    pushl %ebx\n"
        "    movl 20(%esp), %ebx\n"
        "    movl 24(%esp), %ecx\n"
        "    movl 28(%esp), %eax\n"
        "    movl $0xd1d1d1d1, %edx\n"
        "    movl $0x51515151, %esi\n"
        "    movl $0xd0d0d0d0, %edi\n"
        "    movl $0xb0b0b0b0, %ebp\n"
        "    movl %esp, before_esp\n"
        "    testl %eax, %eax\n"
        "    movl $37, %eax\n" /* kill */
        "    jz 1f\n"
        "    std\n"
        "1:  int $0x80\n"
        "    pushfl\n"
        "    cld\n"
        "    popl after+32\n"
        "    movl %eax, after\n"
        "    movl %ebx, after+4\n"
        "    movl %ecx, after+8\n"
        "    movl %edx, after+12\n"
        "    movl %esi, after+16\n"
        "    movl %edi, after+20\n"
        "    movl %ebp, after+24\n"
        "    movl %esp, after+28\n"
        "    popl %ebx\n"
        "    popl %esi\n"
        "    popl %edi\n"
        "    popl %ebp\n"
        "    ret\n");

/* What the probe found, printed by main (one line per configuration). */
static char found[200];
static void *pretcode;

static void print_retcode(char *out, size_t size, const unsigned char *code)
{
    snprintf(out, size, "%02x %02x %02x %02x %02x %02x %02x %02x", code[0], code[1], code[2],
             code[3], code[4], code[5], code[6], code[7]);
}

static const char *check_context(const struct sigcontext *sc, unsigned long oldmask)
{
    const unsigned char *eip = (const unsigned char *)sc->eip;

    if (sc->eax != 0)
        return "saved eax is not kill's 0";
    if (eip[-2] != 0xcd || eip[-1] != 0x80)
        return "saved eip is not just after an int $0x80";
    if ((sc->cs & 3) != 3 || (sc->ss & 3) != 3)
        return "saved cs/ss are not user selectors";
    if (sc->oldmask != oldmask)
        return "oldmask is not the mask before the signal";
    return "ok";
}

/* Called (jumped to) from probe with the kernel's frame just above the return address. */
void frame_probe(int sig);
void frame_probe(int sig)
{
    unsigned long *words = (unsigned long *)&sig; /* words[-1] pretcode, words[0] sig */
    unsigned char *frame = (unsigned char *)&sig - 4;
    char code[40];
    const unsigned long hup = 1ul << (SIGHUP - 1);

    pretcode = (void *)words[-1];
    if (entry_edx == 0 && entry_ecx == 0) {
        const struct sigcontext *sc = (const struct sigcontext *)(words + 1);
        unsigned long extramask = *(unsigned long *)(frame + OLD_FRAME_RETCODE - 4);

        print_retcode(code, sizeof(code), frame + OLD_FRAME_RETCODE);
        snprintf(found, sizeof(found),
                 "old frame, eax = sig: %s, context %s, extramask %lu, retcode %s",
                 yes(entry_eax == (unsigned long)sig), check_context(sc, hup), extramask, code);
    } else {
        siginfo_t *si = (siginfo_t *)(frame + 16);
        ucontext_t *uc = (ucontext_t *)(frame + 144);

        print_retcode(code, sizeof(code), frame + RT_FRAME_RETCODE);
        snprintf(found, sizeof(found),
                 "rt frame, eax = sig: %s, edx = pinfo = &info: %s, ecx = puc = &uc: %s, "
                 "si_signo %d, context %s, uc_sigmask is HUP: %s, retcode %s",
                 yes(entry_eax == (unsigned long)sig),
                 yes(entry_edx == words[1] && words[1] == (unsigned long)si),
                 yes(entry_ecx == words[2] && words[2] == (unsigned long)uc), si->si_signo,
                 check_context(&uc->uc_mcontext, hup),
                 yes(uc->uc_sigmask.sig[0] == hup && uc->uc_sigmask.sig[1] == 0), code);
    }
}

enum how { LIBC, RT_SIGACTION, OLD_SIGACTION };

struct config {
    const char *name;
    enum how how;
    unsigned long flags;
    void (*restorer)(void);
};

static const struct config configs[] = {
    {"sigaction(), plain handler", LIBC, 0, __restore},
    {"sigaction(), SA_SIGINFO", LIBC, SA_SIGINFO, __restore_rt},
    {"rt_sigaction, plain handler, SA_RESTORER __restore", RT_SIGACTION, SA_RESTORER, __restore},
    {"rt_sigaction, plain handler, no SA_RESTORER", RT_SIGACTION, 0, NULL},
    {"rt_sigaction, SA_SIGINFO, no SA_RESTORER", RT_SIGACTION, SA_SIGINFO, NULL},
    {"sigaction(67), plain handler, no SA_RESTORER", OLD_SIGACTION, 0, NULL},
    {"sigaction(67), plain handler, SA_RESTORER __restore", OLD_SIGACTION, SA_RESTORER, __restore},
    {"sigaction(67), SA_SIGINFO, SA_RESTORER __restore_rt", OLD_SIGACTION, SA_SIGINFO | SA_RESTORER,
     __restore_rt},
};
#define NCONFIGS (int)(sizeof(configs) / sizeof(configs[0]))

static void install(const struct config *c, void (*handler)(int))
{
    struct kernel_sigaction k = {(void *)handler, c->flags, c->restorer, {{0, 0}}};
    struct old_sigaction o = {(void *)handler, 0, c->flags, c->restorer};
    struct sigaction sa;

    if (c->how == LIBC) {
        sa.sa_handler = handler;
        sigemptyset(&sa.sa_mask);
        sa.sa_flags = c->flags;
        sigaction(SIGUSR1, &sa, NULL);
    } else if (c->how == RT_SIGACTION) {
        syscall(SYS_rt_sigaction, SIGUSR1, &k, NULL, 8);
    } else {
        syscall(SYS_sigaction, SIGUSR1, &o, NULL);
    }
}

/* Registers after kill_and_keep, compared with what they held before the signal. */
static void check_registers(int sig, int df)
{
    static const char *const names[] = {"eax", "ebx", "ecx", "edx", "esi", "edi", "ebp", "esp"};
    const unsigned long want[] = {0,
                                  (unsigned long)getpid(),
                                  (unsigned long)sig,
                                  0xd1d1d1d1,
                                  0x51515151,
                                  0xd0d0d0d0,
                                  0xb0b0b0b0,
                                  before_esp};
    int i, bad = 0;

    for (i = 0; i < 8; i++) {
        if (after[i] != want[i]) {
            printf("  %s = %08lx after the handler, was %08lx\n", names[i], after[i], want[i]);
            bad = 1;
        }
    }
    if (!(after[8] & EFLAGS_DF) != !df) {
        printf("  DF %s after the handler\n", df ? "lost" : "appeared");
        bad = 1;
    }
    if (!bad)
        printf("  registers after the handler%s: intact\n", df ? ", DF set again" : "");
}

int main(void)
{
    int i;

    sig_reset_all();
    block(SIGHUP); /* so that the saved masks have something to show */
    for (i = 0; i < NCONFIGS; i++) {
        const struct config *c = &configs[i];

        printf("%s:\n", c->name);
        found[0] = '\0';
        install(c, probe);
        kill(getpid(), SIGUSR1);
        printf("  %s\n", found[0] ? found : "handler did not run");
        if (c->restorer)
            printf("  returns to the restorer given: %s\n", yes(pretcode == c->restorer));
        install(c, clobber_all);
        kill_and_keep(getpid(), SIGUSR1, 0);
        check_registers(SIGUSR1, 0);
        install(c, probe);
        entry_eflags = EFLAGS_DF;
        kill_and_keep(getpid(), SIGUSR1, 1);
        printf("  DF set at the signal, clear in the handler: %s\n",
               yes(!(entry_eflags & EFLAGS_DF)));
        check_registers(SIGUSR1, 1);
    }
    print_mask("mask at the end");
    return 0;
}
