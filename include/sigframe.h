/*
 * The signal frames a handler finds on its stack, byte for byte as Linux
 * i386 builds them (arch/x86/include/asm/sigframe.h, uapi/asm/sigcontext.h,
 * ../shared/LINUX-I386-ABI.md). kernel/signal/sigframe.c builds and unwinds them.
 */
#pragma once

#include "signal.h"
#include "types.h"

struct proc;
struct trapframe;

/* Segment registers are 16 bits with 16 bits of padding. */
struct sigcontext {
    uint32_t gs, fs, es, ds;
    uint32_t edi, esi, ebp, esp, ebx, edx, ecx, eax;
    uint32_t trapno, err, eip, cs, eflags, esp_at_signal, ss;
    uint32_t fpstate, oldmask, cr2;
};
_Static_assert(sizeof(struct sigcontext) == 88, "struct sigcontext is 88 bytes");
_Static_assert(offsetof(struct sigcontext, eip) == 56, "sigcontext.eip at 56");
_Static_assert(offsetof(struct sigcontext, oldmask) == 80, "sigcontext.oldmask at 80");

/* struct _fpstate_32's room in the old frame: Linux leaves it unused and puts
 * the FPU state above the frame (see frame_layout in kernel/signal/sigframe.c). */
#define FPSTATE_SIZE 624
#define RETCODE_SIZE 8

struct sigframe {
    uint32_t pretcode;
    int32_t sig;
    struct sigcontext sc;
    uint8_t fpstate_unused[FPSTATE_SIZE];
    uint32_t extramask[1]; /* the upper half of the old mask: signals 33-64 */
    uint8_t retcode[RETCODE_SIZE];
};
_Static_assert(sizeof(struct sigframe) == 732, "struct sigframe is 732 bytes");
_Static_assert(offsetof(struct sigframe, extramask) == 720, "sigframe.extramask at 720");
_Static_assert(offsetof(struct sigframe, retcode) == 724, "sigframe.retcode at 724");

#define SIGINFO_SIZE 128
struct siginfo {
    int32_t si_signo, si_errno, si_code;
    union { /* which member: Linux's siginfo_layout, from the signal and si_code */
        struct {
            int32_t pid;
            uint32_t uid;
            uint32_t status_or_value; /* SIGCHLD's status, else si_value */
        } proc;
        struct {
            int32_t tid;
            int32_t overrun;
            uint32_t value;
        } timer;
        uint32_t addr; /* faults */
        uint8_t pad[SIGINFO_SIZE - 12];
    } fields;
};
_Static_assert(sizeof(struct siginfo) == SIGINFO_SIZE, "siginfo_t is 128 bytes");

/* stack_t, as sigaltstack(2) and uc_stack hold it. */
struct stack32 {
    uint32_t ss_sp;
    uint32_t ss_flags;
    uint32_t ss_size;
};

struct ucontext {
    uint32_t uc_flags, uc_link;
    struct stack32 uc_stack;
    struct sigcontext uc_mcontext;
    sig_set_t uc_sigmask;
};
_Static_assert(offsetof(struct ucontext, uc_mcontext) == 20, "uc_mcontext at +20");
_Static_assert(offsetof(struct ucontext, uc_sigmask) == 108, "uc_sigmask at +108");

struct rt_sigframe {
    uint32_t pretcode;
    int32_t sig;
    uint32_t pinfo, puc;
    struct siginfo info;
    struct ucontext uc;
    uint8_t retcode[RETCODE_SIZE];
};
_Static_assert(sizeof(struct rt_sigframe) == 268, "struct rt_sigframe is 268 bytes");
_Static_assert(offsetof(struct rt_sigframe, info) == 16, "rt_sigframe.info at 16");
_Static_assert(offsetof(struct rt_sigframe, uc) == 144, "rt_sigframe.uc at 144");
_Static_assert(offsetof(struct rt_sigframe, retcode) == 260, "rt_sigframe.retcode at 260");

/* Builds the frame for handler a on the user stack and points the trap
 * frame at the handler. A stack that cannot take the frame kills the
 * process with SIGSEGV. */
void sigframe_setup(struct proc *p, int sig, const struct sig_info *info, struct sig_action *a,
                    struct trapframe *tf);
/* Restores the registers and mask saved by sigframe_setup; the result is
 * the interrupted eax. A forged frame kills the process with SIGSEGV. */
uint32_t sigframe_return(struct trapframe *tf, bool rt);

/* The siginfo_t a program sees for sig (Linux's layouts by si_code). */
void siginfo_fill(struct siginfo *si, int sig, const struct sig_info *info);
/* sigaltstack(2)'s ss_flags for a process whose stack pointer is sp:
 * SS_DISABLE, SS_ONSTACK (sp is on it) or 0, with SS_AUTODISARM if set. */
uint32_t sigaltstack_flags(const struct proc *p, uintptr_t sp);
/* Installs ss as p's alternate stack, with sigaltstack(2)'s checks: 0,
 * -EPERM while sp is on the current one, -EINVAL for bad flags, -ENOMEM
 * below MINSIGSTKSZ. */
int sigaltstack_set(struct proc *p, const struct stack32 *ss, uintptr_t sp);
