/* What a signal handler finds on its stack: the interrupted registers (struct sigcontext) and,
 * for SA_SIGINFO handlers, the ucontext around them. Layouts are Linux i386's
 * (arch/x86/include/uapi/asm/sigcontext.h, asm/ucontext.h); a handler may change the saved
 * registers, and the process resumes with the changed ones after it returns. */
#ifndef _SYS_UCONTEXT_H
#define _SYS_UCONTEXT_H

#include <sys/types.h>

/* The kernel's 64-bit signal set (bit N-1 is signal N); what the rt_* calls take, with a
 * sigsetsize of 8. */
typedef struct {
    unsigned long sig[2];
} sigset_t;

/* 88 bytes. Segment registers are 16 bits, each followed by 16 bits of padding. */
struct sigcontext {
    unsigned short gs, gsh, fs, fsh, es, esh, ds, dsh;
    unsigned long edi, esi, ebp, esp, ebx, edx, ecx, eax;
    unsigned long trapno; /* the exception vector (0 divide, 3 int3, 6 ud, 13 GP, 14 page) */
    unsigned long err;    /* the exception's error code (page fault: 4 = user, 2 = write, 1 = present) */
    unsigned long eip;
    unsigned short cs, csh;
    unsigned long eflags;
    unsigned long esp_at_signal;
    unsigned short ss, ssh;
    unsigned long fpstate; /* address of the saved FPU state, 0 if none */
    unsigned long oldmask; /* signals 1-32 blocked before the handler (old frame only) */
    unsigned long cr2;     /* page faults: the faulting address */
};

typedef struct sigcontext mcontext_t;

typedef struct {
    void *ss_sp;
    int ss_flags;
    size_t ss_size;
} stack_t;

/* The third argument of an SA_SIGINFO handler. uc_mcontext is at byte 20, uc_sigmask (the mask
 * to restore when the handler returns) at byte 108. */
typedef struct ucontext {
    unsigned long uc_flags;
    struct ucontext *uc_link;
    stack_t uc_stack;
    mcontext_t uc_mcontext;
    sigset_t uc_sigmask;
} ucontext_t;

_Static_assert(sizeof(struct sigcontext) == 88, "struct sigcontext is 88 bytes");
_Static_assert(__builtin_offsetof(ucontext_t, uc_mcontext) == 20, "uc_mcontext at 20");
_Static_assert(__builtin_offsetof(ucontext_t, uc_sigmask) == 108, "uc_sigmask at 108");

#endif
