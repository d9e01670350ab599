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
#include "fpu_frame.h"
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

static void save_context(struct sigcontext *sc, const struct trapframe *tf, uint32_t oldmask,
                         uintptr_t fpstate)
{
    *sc = (struct sigcontext){
        .gs = tf->gs, .fs = tf->fs, .es = tf->es, .ds = tf->ds,
        .edi = tf->edi, .esi = tf->esi, .ebp = tf->ebp, .esp = tf->user_esp,
        .ebx = tf->ebx, .edx = tf->edx, .ecx = tf->ecx, .eax = tf->eax,
        .trapno = tf->vector, .err = tf->error, .eip = tf->eip, .cs = tf->cs,
        .eflags = tf->eflags, .esp_at_signal = tf->user_esp, .ss = tf->user_ss,
        .fpstate = fpstate, .oldmask = oldmask,
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

/* The members of siginfo Linux fills for this signal and si_code
 * (kernel/signal/signal.c there: siginfo_layout). */
void siginfo_fill(struct siginfo *si, int sig, const struct sig_info *info)
{
    bool from_kernel_event = info->code > SI_USER && info->code < SI_KERNEL;
    bool fault = sig == SIGSEGV || sig == SIGBUS || sig == SIGFPE || sig == SIGILL ||
                 sig == SIGTRAP;

    memset(si, 0, sizeof(*si));
    si->si_signo = sig;
    si->si_code = info->code;
    if (from_kernel_event && fault) {
        si->fields.addr = info->addr;
    } else if (info->code == SI_TIMER) {
        si->fields.timer.tid = info->timer_id;
        si->fields.timer.overrun = info->overrun;
        si->fields.timer.value = info->value;
    } else {
        si->fields.proc.pid = info->pid;
        si->fields.proc.uid = info->uid;
        if (from_kernel_event && sig == SIGCHLD)
            si->fields.proc.status_or_value = (uint32_t)info->status;
        else if (info->code < 0)
            si->fields.proc.status_or_value = info->value; /* sigqueue and the like */
    }
}

/* ------------------------------------------------ the alternate stack */

/* Is sp on the alternate stack? Never with SS_AUTODISARM, as on Linux
 * (on_sig_stack): the handler may then install another one. */
static bool within_altstack(const struct sig_altstack *as, uintptr_t sp)
{
    return sp > as->sp && sp - as->sp <= as->size; /* the stack grows down from sp + size */
}

static bool on_altstack(const struct proc *p, uintptr_t sp)
{
    return !(p->sig.altstack.flags & SS_AUTODISARM) && within_altstack(&p->sig.altstack, sp);
}

/* SS_DISABLE, SS_ONSTACK or 0: may a frame go on the alternate stack? */
static uint32_t altstack_state(const struct proc *p, uintptr_t sp)
{
    if (!p->sig.altstack.size)
        return SS_DISABLE;
    return on_altstack(p, sp) ? SS_ONSTACK : 0;
}

uint32_t sigaltstack_flags(const struct proc *p, uintptr_t sp)
{
    return altstack_state(p, sp) | (p->sig.altstack.flags & SS_AUTODISARM);
}

int sigaltstack_set(struct proc *p, const struct stack32 *ss, uintptr_t sp)
{
    uint32_t mode = ss->ss_flags & ~SS_AUTODISARM;

    if (on_altstack(p, sp))
        return -EPERM;
    if (mode != 0 && mode != SS_ONSTACK && mode != SS_DISABLE)
        return -EINVAL;
    if (mode == SS_DISABLE) {
        p->sig.altstack = (struct sig_altstack){.flags = ss->ss_flags};
        return 0;
    }
    if (ss->ss_size < MINSIGSTKSZ)
        return -ENOMEM;
    p->sig.altstack = (struct sig_altstack){ss->ss_sp, ss->ss_size, ss->ss_flags};
    return 0;
}

/* ------------------------------------------------------ frame layout */

/*
 * Where a frame goes (Linux get_sigframe): from the top of the alternate
 * stack for an SA_ONSTACK handler when one is set up and not in use, else
 * below the interrupted stack pointer. The FPU state comes first, its
 * FXSAVE image on FPSTATE_FXSAVE_ALIGN bytes; the frame below it, aligned
 * so that the handler starts as if called (esp + 4 is 16-byte aligned). A
 * frame that would spill off the alternate stack is refused.
 */
#define FRAME_ALIGN 16 /* i386 System V ABI: esp + 4 is a multiple of 16 at a call */
struct frame_layout {
    uintptr_t frame, fpstate;
};

static bool frame_layout(const struct proc *p, const struct sig_action *a,
                         const struct trapframe *tf, size_t size, struct frame_layout *at)
{
    const struct sig_altstack *as = &p->sig.altstack;
    uintptr_t sp = tf->user_esp;
    bool use_altstack = on_altstack(p, sp);

    if ((a->flags & SA_ONSTACK) && altstack_state(p, sp) == 0) {
        sp = as->sp + as->size;
        use_altstack = true;
    }
    sp = ALIGN_DOWN(sp - FPU_STATE_SIZE, FPSTATE_FXSAVE_ALIGN) - sizeof(struct fpstate_legacy);
    at->fpstate = sp;
    at->frame = ALIGN_DOWN(sp - size + sizeof(uint32_t), FRAME_ALIGN) - sizeof(uint32_t);
    return !use_altstack || within_altstack(as, at->frame);
}

/* Moves the interrupted code's FPU registers into the frame and gives the
 * handler a clean FPU, as after FNINIT (Linux: fpu__clear_user_states).
 * The registers are live: the kernel does not use the FPU, and interrupts
 * are off, so nothing switches them out meanwhile. */
static int save_fpu_to_frame(struct proc *p, uintptr_t at)
{
    static struct fpu_state live, clean;
    static struct fpstate32 image;

    fpu_save(&live);
    fpu_to_frame(&image, &live);
    if (vm_copy_out(p->pd, at, &image, sizeof(image)) < 0)
        return -EFAULT;
    fpu_init_state(&clean);
    fpu_restore(&clean);
    return 0;
}

static int write_rt_frame(struct proc *p, int sig, const struct sig_info *info,
                          const struct sig_action *a, const struct trapframe *tf,
                          sig_set_t oldmask, const struct frame_layout *at)
{
    struct rt_sigframe f = {0};
    const struct sig_altstack *as = &p->sig.altstack;

    f.pretcode = a->flags & SA_RESTORER ? a->restorer
                                        : at->frame + offsetof(struct rt_sigframe, retcode);
    f.sig = sig;
    f.pinfo = at->frame + offsetof(struct rt_sigframe, info);
    f.puc = at->frame + offsetof(struct rt_sigframe, uc);
    siginfo_fill(&f.info, sig, info);
    f.uc.uc_stack = (struct stack32){as->sp, as->flags, as->size};
    save_context(&f.uc.uc_mcontext, tf, (uint32_t)oldmask, at->fpstate);
    f.uc.uc_sigmask = oldmask;
    memcpy(f.retcode, rt_sigreturn_code, RETCODE_SIZE);
    return vm_copy_out(p->pd, at->frame, &f, sizeof(f));
}

static int write_old_frame(struct proc *p, int sig, const struct sig_action *a,
                           const struct trapframe *tf, sig_set_t oldmask,
                           const struct frame_layout *at)
{
    static struct sigframe f; /* 732 bytes: too big for the kernel stack */

    memset(&f, 0, sizeof(f));
    f.pretcode = a->flags & SA_RESTORER ? a->restorer
                                        : at->frame + offsetof(struct sigframe, retcode);
    f.sig = sig;
    save_context(&f.sc, tf, (uint32_t)oldmask, at->fpstate);
    f.extramask[0] = (uint32_t)(oldmask >> 32);
    memcpy(f.retcode, sigreturn_code, RETCODE_SIZE);
    return vm_copy_out(p->pd, at->frame, &f, sizeof(f));
}

static int write_frame(struct proc *p, int sig, const struct sig_info *info,
                       const struct sig_action *a, const struct trapframe *tf,
                       sig_set_t oldmask, uintptr_t *frame)
{
    bool rt = a->flags & SA_SIGINFO;
    size_t size = rt ? sizeof(struct rt_sigframe) : sizeof(struct sigframe);
    struct frame_layout at;
    int err;

    if (!frame_layout(p, a, tf, size, &at))
        return -EFAULT;
    err = rt ? write_rt_frame(p, sig, info, a, tf, oldmask, &at)
             : write_old_frame(p, sig, a, tf, oldmask, &at);
    if (!err)
        err = save_fpu_to_frame(p, at.fpstate);
    *frame = at.frame;
    return err;
}

void sigframe_setup(struct proc *p, int sig, const struct sig_info *info, struct sig_action *a,
                    struct trapframe *tf)
{
    sig_set_t oldmask = p->sig.restore_blocked ? p->sig.saved_blocked : p->sig.blocked;
    uintptr_t frame;

    if (write_frame(p, sig, info, a, tf, oldmask, &frame) < 0)
        proc_exit(WAIT_STATUS_SIGNALED(SIGSEGV) | WAIT_STATUS_CORE); /* no stack for it */
    p->sig.restore_blocked = false;
    if (p->sig.altstack.flags & SS_AUTODISARM) /* the handler may install its own */
        p->sig.altstack = (struct sig_altstack){.flags = SS_DISABLE};
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

/* Loads the FPU state a frame holds (fpstate 0: a clean FPU, as Linux):
 * 0, or an error for a frame that cannot be read or holds a bad MXCSR. */
static int restore_fpu_from_frame(struct proc *p, uintptr_t fpstate)
{
    static struct fpu_state state;
    static struct fpstate32 image;
    uint32_t flags = irq_save(); /* the statics and the live registers */
    int err = 0;

    if (!fpstate)
        fpu_init_state(&state);
    else if (!(err = vm_copy_in(p->pd, &image, fpstate, sizeof(image))) &&
             !fpu_from_frame(&state, &image))
        err = -EINVAL;
    if (!err)
        fpu_restore(&state);
    irq_restore(flags);
    return err;
}

/* Reads what sigreturn restores: the context, the mask, and for an
 * rt frame the alternate stack it was delivered with. */
static int read_frame(struct proc *p, uintptr_t esp, bool rt, struct sigcontext *sc,
                      sig_set_t *mask, struct stack32 *altstack)
{
    uint32_t extramask;
    uintptr_t uc = esp - sizeof(uint32_t) + offsetof(struct rt_sigframe, uc);
    uintptr_t frame = esp - 2 * sizeof(uint32_t); /* pretcode and sig were popped */
    int err;

    if (rt) {
        err = vm_copy_in(p->pd, sc, uc + offsetof(struct ucontext, uc_mcontext), sizeof(*sc));
        if (!err)
            err = vm_copy_in(p->pd, mask, uc + offsetof(struct ucontext, uc_sigmask), sizeof(*mask));
        if (!err)
            err = vm_copy_in(p->pd, altstack, uc + offsetof(struct ucontext, uc_stack),
                             sizeof(*altstack));
        return err;
    }
    err = vm_copy_in(p->pd, sc, frame + offsetof(struct sigframe, sc), sizeof(*sc));
    if (!err)
        err = vm_copy_in(p->pd, &extramask, frame + offsetof(struct sigframe, extramask),
                         sizeof(extramask));
    *mask = sc->oldmask | (sig_set_t)extramask << 32;
    return err;
}

uint32_t sigframe_return(struct trapframe *tf, bool rt)
{
    struct proc *p = current_proc();
    struct sigcontext sc;
    struct stack32 altstack;
    sig_set_t mask;

    if (read_frame(p, tf->user_esp, rt, &sc, &mask, &altstack) || !context_is_safe(&sc) ||
        restore_fpu_from_frame(p, sc.fpstate))
        proc_exit(WAIT_STATUS_SIGNALED(SIGSEGV) | WAIT_STATUS_CORE);
    restore_context(tf, &sc);
    p->sig.blocked = mask & ~SIG_UNBLOCKABLE;
    if (rt) /* errors ignored, as Linux's restore_altstack */
        (void)sigaltstack_set(p, &altstack, tf->user_esp);
    TRACE(TRACE_SIG, EV_SIG_RETURN, p->pid, rt, 0, 0, 0);
    return sc.eax;
}
