/*
 * test-glibc-sigfpu: the FPU and SSE state across a signal handler,
 * compared with Linux. A loop keeps values in x87 and SSE registers and
 * adds 1 to an x87 and an SSE sum at each turn while SIGALRM, every few
 * milliseconds, runs a handler that wrecks every x87 and XMM register and
 * both control words. After the loop the sums must equal the turn count
 * and the other registers their first values: sigreturn restored them,
 * from the rt frame of an SA_SIGINFO handler and from the old frame.
 * The handler also checks that it starts with a clean FPU (FNINIT's
 * control word, the default MXCSR) and that its frame's fpstate is there
 * with Linux's magic (FXSR), alignment and the interrupted control words.
 * A handler that edits the frame's control words changes what sigreturn
 * loads, and an MXCSR with unsupported bits set kills with SIGSEGV.
 */
#define _GNU_SOURCE
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>
#include <ucontext.h>

#define TICK_US 2000
#define WANTED_HITS 5
#define LOOP_CW 0x0E7F   /* round toward zero, double extended: not FNINIT's */
#define LOOP_MXCSR 0x7F80 /* round toward zero, all masked: not the default */
#define FP_MAGIC_AT 110   /* struct _fpstate_32: magic after the 108-byte env and status */
#define FXSAVE_AT 112
#define FXSAVE_MXCSR 24
#define FXSAVE_ALIGN 64   /* Linux puts the FXSAVE (or XSAVE) image on 64 bytes */

static volatile int hits;
static volatile int fpstate_seen, clean_cw, clean_mxcsr, frame_cw_ok, frame_mxcsr_ok;
static volatile unsigned magic, fpstate_mod64, fpstate_above_uc;

/* Every x87 and XMM register and both control words get other values. */
static void wreck_registers(void)
{
    uint16_t wild_cw = 0x0C7F;                    /* truncate */
    uint32_t wild_mxcsr = 0x7F80 ^ 0x4000;        /* round up */
    double junk = 12345.678;

    __asm__ volatile("fninit\n\tfldcw %0\n\tfldpi\n\tfldpi\n\tfldpi\n\tfldpi\n\tfldpi\n\tfldpi\n\t"
                     "fldpi\n\tldmxcsr %1\n\t"
                     "movsd %2, %%xmm0\n\tmovsd %2, %%xmm1\n\tmovsd %2, %%xmm2\n\t"
                     "movsd %2, %%xmm3\n\tmovsd %2, %%xmm4\n\tmovsd %2, %%xmm5\n\t"
                     "movsd %2, %%xmm6\n\tmovsd %2, %%xmm7"
                     :
                     : "m"(wild_cw), "m"(wild_mxcsr), "m"(junk)); /* no xmm clobbers: built
                                                                     without SSE, gcc uses none */
    hits++;
}

static void check_clean(void)
{
    uint16_t cw;
    uint32_t mxcsr;

    __asm__ volatile("fnstcw %0\n\tstmxcsr %1" : "=m"(cw), "=m"(mxcsr));
    clean_cw &= cw == 0x037F;
    clean_mxcsr &= mxcsr == 0x1F80;
}

/* A handler without SA_SIGINFO: the old frame keeps the FPU state too. */
static void wreck_plain(int sig)
{
    (void)sig;
    check_clean();
    wreck_registers();
}

static void wreck(int sig, siginfo_t *si, void *ucv)
{
    ucontext_t *uc = ucv;
    const uint8_t *fp = (const uint8_t *)uc->uc_mcontext.fpregs;

    (void)sig, (void)si;
    check_clean();
    fpstate_seen &= fp != NULL;
    if (fp) {
        memcpy((void *)&magic, fp + FP_MAGIC_AT, sizeof(uint16_t));
        fpstate_mod64 = (uintptr_t)fp % FXSAVE_ALIGN;
        fpstate_above_uc = (unsigned)(fp - (const uint8_t *)uc);
        frame_cw_ok &= *(const uint16_t *)fp == LOOP_CW;
        frame_mxcsr_ok &= *(const uint32_t *)(fp + FXSAVE_AT + FXSAVE_MXCSR) == LOOP_MXCSR;
    }
    wreck_registers();
}

/* Until WANTED_HITS handlers have run: x87 st0 += st1 (1.0), SSE xmm0 +=
 * xmm1 (1.0), a turn count in ecx; xmm2 and st2 hold 0.5 throughout. */
static void loop(double *x87_sum, double *sse_sum, double *sse_other, double *x87_other,
                 uint32_t *turns)
{
    static const double one = 1.0, half = 0.5, zero = 0.0;
    uint16_t cw = LOOP_CW;
    uint32_t mxcsr = LOOP_MXCSR, n;

    __asm__ volatile("fldcw %[cw]\n\tldmxcsr %[mx]\n\t"
                     "fldl %[half]\n\tfldl %[one]\n\tfldl %[zero]\n\t"
                     "movsd %[zero], %%xmm0\n\tmovsd %[one], %%xmm1\n\tmovsd %[half], %%xmm2\n\t"
                     "xorl %%ecx, %%ecx\n"
                     "1:\n\tfadd %%st(1), %%st\n\taddsd %%xmm1, %%xmm0\n\tincl %%ecx\n\t"
                     "cmpl %[want], %[hits]\n\tjl 1b\n\t"
                     "fstpl %[xs]\n\tfstp %%st(0)\n\tfstpl %[xo]\n\t"
                     "movsd %%xmm0, %[ss]\n\tmovsd %%xmm2, %[so]\n\tmovl %%ecx, %[n]"
                     : [xs] "=m"(*x87_sum), [xo] "=m"(*x87_other), [ss] "=m"(*sse_sum),
                       [so] "=m"(*sse_other), [n] "=m"(n)
                     : [cw] "m"(cw), [mx] "m"(mxcsr), [half] "m"(half), [one] "m"(one),
                       [zero] "m"(zero), [want] "i"(WANTED_HITS), [hits] "m"(hits)
                     : "ecx", "cc", "memory");
    *turns = n;
}

/* What sigreturn loads comes from the frame: the x87 control word from
 * the FSAVE-format header, MXCSR from the FXSAVE image. An MXCSR with bits
 * the CPU does not support (FXRSTOR would fault) makes the frame bad:
 * SIGSEGV, as on Linux since 5.14 (older kernels masked the bits off). */
static uint32_t new_mxcsr;

static void edit_frame(int sig, siginfo_t *si, void *ucv)
{
    uint8_t *fp = (uint8_t *)((ucontext_t *)ucv)->uc_mcontext.fpregs;
    uint32_t truncate = 0x0C7F;

    (void)sig, (void)si;
    if (!fp)
        return;
    memcpy(fp, &truncate, sizeof(truncate));
    memcpy(fp + FXSAVE_AT + FXSAVE_MXCSR, &new_mxcsr, sizeof(new_mxcsr));
}

static void return_with_edited_frame(uint32_t mxcsr)
{
    struct sigaction sa = {.sa_sigaction = edit_frame, .sa_flags = SA_SIGINFO};
    uint32_t now, clean = 0x1F80;
    uint16_t cw;

    new_mxcsr = mxcsr;
    sigaction(SIGUSR1, &sa, NULL);
    raise(SIGUSR1);
    __asm__ volatile("fnstcw %0\n\tstmxcsr %1" : "=m"(cw), "=m"(now));
    printf("after a handler edited the frame: x87 %#x, MXCSR %#x\n", cw, now);
    __asm__ volatile("fninit\n\tldmxcsr %0" : : "m"(clean));
}

static void frame_edits_apply(void)
{
    int status;

    return_with_edited_frame(LOOP_MXCSR);
    if (fork() == 0) {
        return_with_edited_frame(0xFFFFFFFF);
        _exit(0);
    }
    wait(&status);
    printf("with every MXCSR bit set: %s %d\n", WIFSIGNALED(status) ? "killed by" : "exit",
           WIFSIGNALED(status) ? WTERMSIG(status) : WEXITSTATUS(status));
}

/* The loop under a stream of SIGALRMs to the handler sa installs. */
static void loop_under_signals(const char *title, const struct sigaction *sa)
{
    struct itimerval every = {{0, TICK_US}, {0, TICK_US}}, off = {{0, 0}, {0, 0}};
    double x87_sum, sse_sum, sse_other, x87_other;
    uint32_t turns, mxcsr_after = 0, clean = 0x1F80;
    uint16_t cw_after;

    printf("%s:\n", title);
    hits = 0;
    sigaction(SIGALRM, sa, NULL);
    setitimer(ITIMER_REAL, &every, NULL);
    loop(&x87_sum, &sse_sum, &sse_other, &x87_other, &turns);
    __asm__ volatile("fnstcw %0\n\tstmxcsr %1" : "=m"(cw_after), "=m"(mxcsr_after));
    setitimer(ITIMER_REAL, &off, NULL);
    __asm__ volatile("fninit\n\tldmxcsr %0" : : "m"(clean));
    printf("  handlers ran: %s\n", hits >= WANTED_HITS ? "enough" : "too few");
    printf("  x87 sum equals the turn count: %s\n", x87_sum == (double)turns ? "yes" : "no");
    printf("  SSE sum equals the turn count: %s\n", sse_sum == (double)turns ? "yes" : "no");
    printf("  other registers kept: x87 %s, SSE %s\n", x87_other == 0.5 ? "yes" : "no",
           sse_other == 0.5 ? "yes" : "no");
    printf("  control words kept: x87 %#x, MXCSR %#x\n", cw_after, mxcsr_after);
    printf("  handlers started clean: x87 %s, MXCSR %s\n", clean_cw ? "yes" : "no",
           clean_mxcsr ? "yes" : "no");
}

int main(void)
{
    struct sigaction rt = {.sa_sigaction = wreck, .sa_flags = SA_SIGINFO | SA_RESTART};
    struct sigaction old = {.sa_handler = wreck_plain, .sa_flags = SA_RESTART};

    setvbuf(stdout, NULL, _IONBF, 0);
    fpstate_seen = clean_cw = clean_mxcsr = frame_cw_ok = frame_mxcsr_ok = 1;
    loop_under_signals("SA_SIGINFO handler (rt frame)", &rt);
    printf("  handler saw: fpstate %s, magic %#x\n", fpstate_seen ? "set" : "NULL", magic);
    printf("  frame holds the loop's control words: x87 %s, MXCSR %s\n",
           frame_cw_ok ? "yes" : "no", frame_mxcsr_ok ? "yes" : "no");
    printf("  fpstate at %u modulo 64, %u bytes above the ucontext\n", fpstate_mod64,
           fpstate_above_uc);
    loop_under_signals("plain handler (old frame)", &old);
    frame_edits_apply();
    return 0;
}
