/*
 * Building and unwinding signal frames on the user stack.
 *
 * Delivery copies the interrupted registers into a sigcontext inside the
 * frame, so the handler can look at them (and change them: that is how a
 * SIGSEGV handler can skip a faulting instruction). sigreturn copies them
 * back, but only after checking that they describe ring-3 user code: the
 * frame is in user memory and a process may have forged it.
 */
#include "errno.h"
#include "gdt.h"
#include "proc.h"
#include "sigframe.h"
#include "string.h"
#include "syscall.h"
#include "trace.h"
#include "trap.h"
#include "x86.h"

/* Flags a handler may change in the saved state (Linux FIX_EFLAGS). */
#define EFLAGS_USER_CHANGEABLE                                                                     \
    (EFLAGS_CF | BIT(2) | BIT(4) | BIT(6) | BIT(7) | EFLAGS_TF | EFLAGS_DF | BIT(11) | EFLAGS_RF | \
     EFLAGS_AC) /* CF PF AF ZF SF TF DF OF RF AC */
#define EFLAGS_FORBIDDEN (EFLAGS_IOPL_MASK | EFLAGS_NT | EFLAGS_VM)

/* The frames' own return code, as Linux writes it (Intel SDM Vol. 2 opcodes):
 * popl %eax; movl $119, %eax; int $0x80 -- and movl $173, %eax; int $0x80. */
#define OPCODE_POP_EAX 0x58
#define OPCODE_MOV_EAX_IMM32 0xB8
#define OPCODE_INT_IMM8 0xCD
static const uint8_t sigreturn_code[RETCODE_SIZE] = {
    OPCODE_POP_EAX, OPCODE_MOV_EAX_IMM32, SYS_sigreturn, 0, 0, 0, OPCODE_INT_IMM8, SYSCALL_VECTOR};
static const uint8_t rt_sigreturn_code[RETCODE_SIZE] = {
    OPCODE_MOV_EAX_IMM32, SYS_rt_sigreturn, 0, 0, 0, OPCODE_INT_IMM8, SYSCALL_VECTOR, 0};
#define SELECTOR_MASK 0xFFFF /* a saved segment register: 16 bits, 16 of padding */

static void save_context(struct sigcontext *sc, const struct trapframe *tf, uint32_t oldmask)
{
    *sc = (struct sigcontext){
        .gs = tf->gs, .fs = tf->fs, .es = tf->es, .ds = tf->ds,
        .edi = tf->edi, .esi = tf->esi, .ebp = tf->ebp, .esp = tf->user_esp,
        .ebx = tf->ebx, .edx = tf->edx, .ecx = tf->ecx, .eax = tf->eax,
        .trapno = tf->vector, .err = tf->error, .eip = tf->eip, .cs = tf->cs,
        .eflags = tf->eflags, .esp_at_signal = tf->user_esp, .ss = tf->user_ss,
        .fpstate = 0, .oldmask = oldmask,
        .cr2 = tf->vector == EXC_PAGE_FAULT ? read_cr2() : 0,
    };
}

static bool user_data_selector(uint32_t sel)
{
    return gdt_user_data_selector_ok(sel & SELECTOR_MASK);
}

/* May these registers be loaded for ring 3? Each selector is checked
 * against its descriptor in the GDT as it is now (the process's own TLS
 * entries are installed): the stack segment must be a writable 32-bit data
 * segment, so that no forged frame can make iret load a 16-bit ss (see
 * gdt_user_stack_selector_ok). */
static bool context_is_safe(const struct sigcontext *sc)
{
    return (sc->cs & SELECTOR_MASK) == USER_CS &&
           gdt_user_stack_selector_ok(sc->ss & SELECTOR_MASK) && user_data_selector(sc->ds) &&
           user_data_selector(sc->es) && user_data_selector(sc->fs) && user_data_selector(sc->gs) &&
           !(sc->eflags & EFLAGS_FORBIDDEN) && (sc->eflags & EFLAGS_IF) &&
           sc->eip < USER_TOP && sc->esp <= USER_TOP;
}

static void restore_context(struct trapframe *tf, const struct sigcontext *sc)
{
    tf->gs = sc->gs & SELECTOR_MASK;
    tf->fs = sc->fs & SELECTOR_MASK;
    tf->es = sc->es & SELECTOR_MASK;
    tf->ds = sc->ds & SELECTOR_MASK;
    tf->edi = sc->edi, tf->esi = sc->esi, tf->ebp = sc->ebp, tf->ebx = sc->ebx;
    tf->edx = sc->edx, tf->ecx = sc->ecx, tf->eax = sc->eax;
    tf->eip = sc->eip;
    tf->cs = USER_CS;
    tf->eflags = (tf->eflags & ~EFLAGS_USER_CHANGEABLE) | (sc->eflags & EFLAGS_USER_CHANGEABLE);
    tf->user_esp = sc->esp;
    tf->user_ss = sc->ss & SELECTOR_MASK;
    tf->vector = 0; /* no longer a system call: nothing to restart */
}

static void fill_siginfo(struct siginfo *si, int sig, const struct sig_info *info)
{
    memset(si, 0, sizeof(*si));
    si->si_signo = sig;
    si->si_code = info->code;
    if (sig == SIGSEGV || sig == SIGBUS || sig == SIGFPE || sig == SIGILL || sig == SIGTRAP) {
        si->fields.addr = info->addr;
    } else if (info->code == SI_TIMER) { /* Linux's _timer: tid, overrun, value */
        si->fields.proc.pid = info->timer_id;
        si->fields.proc.uid = (uint32_t)info->overrun;
        si->fields.proc.status = (int32_t)info->value;
    } else {
        si->fields.proc.pid = info->pid;
        si->fields.proc.status = info->status;
    }
}

/* Where the frame goes: below the interrupted stack pointer, aligned so
 * that the handler starts as if called (esp + 4 is 16-byte aligned). */
static uintptr_t frame_address(const struct trapframe *tf, size_t size)
{
    uintptr_t sp = tf->user_esp - size;
    return ((sp + 4) & ~(uintptr_t)15) - 4;
}

static int write_frame(struct proc *p, int sig, const struct sig_action *a,
                       const struct trapframe *tf, uint32_t oldmask, uintptr_t *at)
{
    if (a->flags & SA_SIGINFO) {
        struct rt_sigframe f = {0};
        *at = frame_address(tf, sizeof(f));
        f.pretcode = a->flags & SA_RESTORER ? a->restorer : *at + offsetof(struct rt_sigframe, retcode);
        f.sig = sig;
        f.pinfo = *at + offsetof(struct rt_sigframe, info);
        f.puc = *at + offsetof(struct rt_sigframe, uc);
        fill_siginfo(&f.info, sig, &p->sig.info[sig]);
        save_context(&f.uc.uc_mcontext, tf, oldmask);
        f.uc.uc_sigmask[0] = oldmask;
        f.uc.uc_sigmask[1] = p->sig.blocked_rt;
        memcpy(f.retcode, rt_sigreturn_code, RETCODE_SIZE);
        return vm_copy_out(p->pd, *at, &f, sizeof(f));
    } else {
        static struct sigframe f; /* 732 bytes: too big for the kernel stack */
        memset(&f, 0, sizeof(f));
        *at = frame_address(tf, sizeof(f));
        f.pretcode = a->flags & SA_RESTORER ? a->restorer : *at + offsetof(struct sigframe, retcode);
        f.sig = sig;
        save_context(&f.sc, tf, oldmask);
        memcpy(f.retcode, sigreturn_code, RETCODE_SIZE);
        return vm_copy_out(p->pd, *at, &f, sizeof(f));
    }
}

void sigframe_setup(struct proc *p, int sig, struct sig_action *a, struct trapframe *tf)
{
    uint32_t oldmask = p->sig.restore_blocked ? p->sig.saved_blocked : p->sig.blocked;
    uintptr_t frame;

    if (write_frame(p, sig, a, tf, oldmask, &frame) < 0)
        proc_exit(WAIT_STATUS_SIGNALED(SIGSEGV) | WAIT_STATUS_CORE); /* no stack for it */
    p->sig.restore_blocked = false;
    p->sig.blocked |= a->mask | (a->flags & SA_NODEFER ? 0 : SIG_BIT(sig));
    p->sig.blocked &= ~SIG_UNBLOCKABLE;
    tf->eip = a->handler;
    tf->user_esp = frame;
    tf->eax = (uint32_t)sig;
    tf->edx = a->flags & SA_SIGINFO ? frame + offsetof(struct rt_sigframe, info) : 0;
    tf->ecx = a->flags & SA_SIGINFO ? frame + offsetof(struct rt_sigframe, uc) : 0;
    tf->cs = USER_CS;
    tf->ds = tf->es = tf->user_ss = USER_DS;
    tf->eflags &= ~(EFLAGS_TF | EFLAGS_DF | EFLAGS_RF);
    if (a->flags & SA_RESETHAND)
        *a = (struct sig_action){.handler = SIG_DFL};
}

uint32_t sigframe_return(struct trapframe *tf, bool rt)
{
    struct proc *p = current_proc();
    struct sigcontext sc;
    uint32_t mask, mask_rt = p->sig.blocked_rt;
    int err;

    if (rt) {
        uintptr_t uc = tf->user_esp - sizeof(uint32_t) + offsetof(struct rt_sigframe, uc);
        err = vm_copy_in(p->pd, &sc, uc + offsetof(struct ucontext, uc_mcontext), sizeof(sc));
        if (!err)
            err = vm_copy_in(p->pd, &mask, uc + offsetof(struct ucontext, uc_sigmask), sizeof(mask));
        if (!err)
            err = vm_copy_in(p->pd, &mask_rt,
                             uc + offsetof(struct ucontext, uc_sigmask) + sizeof(mask),
                             sizeof(mask_rt));
    } else {
        uintptr_t frame = tf->user_esp - 2 * sizeof(uint32_t);
        err = vm_copy_in(p->pd, &sc, frame + offsetof(struct sigframe, sc), sizeof(sc));
        mask = sc.oldmask;
    }
    if (err || !context_is_safe(&sc))
        proc_exit(WAIT_STATUS_SIGNALED(SIGSEGV) | WAIT_STATUS_CORE);
    restore_context(tf, &sc);
    p->sig.blocked = mask & ~SIG_UNBLOCKABLE;
    p->sig.blocked_rt = mask_rt;
    TRACE(TRACE_SIG, EV_SIG_RETURN, p->pid, rt, 0, 0, 0);
    return sc.eax;
}
