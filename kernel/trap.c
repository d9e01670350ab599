/*
 * trap_dispatch: where every exception, interrupt and system call lands
 * after arch/x86/trapentry.asm has saved the registers.
 *
 *   vector 0-31   CPU exceptions: from user mode they will become signals
 *                 (the signal chapter); in kernel mode they are bugs and panic
 *   vector 0x80   system calls (the user-mode chapter)
 *   the rest      hardware interrupts, through kernel/irq.c
 */
#include "irq.h"
#include "mm.h"
#include "proc.h"
#include "signal.h"
#include "syscall.h"
#include "panic.h"
#include "printk.h"
#include "trace.h"
#include "trap.h"
#include "x86.h"

_Static_assert(KERNEL_DS == 0x10, "arch/x86/trapentry.asm loads KERNEL_DS as 0x10");

static const char *const exception_names[NUM_EXCEPTIONS] = {
    [EXC_DIVIDE_ERROR] = "Divide error",
    [EXC_DEBUG] = "Debug",
    [EXC_NMI] = "Non-maskable interrupt",
    [EXC_BREAKPOINT] = "Breakpoint",
    [EXC_OVERFLOW] = "Overflow",
    [EXC_BOUND_RANGE] = "BOUND range exceeded",
    [EXC_INVALID_OPCODE] = "Invalid opcode",
    [EXC_DEVICE_NOT_AVAILABLE] = "Device not available",
    [EXC_DOUBLE_FAULT] = "Double fault",
    [EXC_COPROCESSOR_OVERRUN] = "Coprocessor segment overrun",
    [EXC_INVALID_TSS] = "Invalid TSS",
    [EXC_SEGMENT_NOT_PRESENT] = "Segment not present",
    [EXC_STACK_FAULT] = "Stack-segment fault",
    [EXC_GENERAL_PROTECTION] = "General protection",
    [EXC_PAGE_FAULT] = "Page fault",
    [EXC_X87_FPU_ERROR] = "x87 floating-point error",
    [EXC_ALIGNMENT_CHECK] = "Alignment check",
    [EXC_MACHINE_CHECK] = "Machine check",
    [EXC_SIMD_FP] = "SIMD floating-point exception",
    [EXC_VIRTUALIZATION] = "Virtualization exception",
    [EXC_CONTROL_PROTECTION] = "Control protection exception",
};

const char *exception_name(unsigned vector)
{
    if (vector >= NUM_EXCEPTIONS)
        return "Not an exception";
    return exception_names[vector] ? exception_names[vector] : "Reserved";
}

static struct trap_catch *armed_catch;

void trap_catch_arm(struct trap_catch *c)
{
    c->caught = false;
    armed_catch = c;
}

void trap_catch_end(void) { armed_catch = NULL; }

/* Resumes a test that raised an exception on purpose (see trap_catch_begin). */
static bool catch_kernel_exception(struct trapframe *tf)
{
    extern void trap_catch_resume(void);
    struct trap_catch *c = armed_catch;

    if (!c)
        return false;
    armed_catch = NULL;
    *c = (struct trap_catch){.jmp = c->jmp, .caught = true, .vector = tf->vector,
                             .error = tf->error, .eip = tf->eip, .cr2 = read_cr2()};
    tf->eip = (uint32_t)trap_catch_resume;
    /* Resume clean: a caught #DB must not trap again, a caught #TS must not
     * leave the nested-task flag behind for the next iret. */
    tf->eflags &= ~(EFLAGS_TF | EFLAGS_NT);
    tf->eax = (uint32_t)&c->jmp;
    return true;
}

static void describe_error_code(const struct trapframe *tf)
{
    uint32_t e = tf->error;

    if (tf->vector == EXC_PAGE_FAULT) {
        kprintf("  page fault at %08x: %s, %s, %s mode%s\n", read_cr2(),
                e & PF_PRESENT ? "protection violation" : "page not present",
                e & PF_FETCH ? "instruction fetch" : e & PF_WRITE ? "write" : "read",
                e & PF_USER ? "user" : "kernel", e & PF_RESERVED ? ", reserved bit set" : "");
    } else if (e) {
        kprintf("  error code %08x: selector index %u in the %s%s\n", e, e >> 3,
                e & SEL_ERR_IDT ? "IDT" : e & SEL_ERR_LDT ? "LDT" : "GDT",
                e & SEL_ERR_EXTERNAL ? ", external event" : "");
    }
}

void trapframe_dump(const struct trapframe *tf)
{
    kprintf("  trap %u (%s), error %08x, from %s mode\n", tf->vector, exception_name(tf->vector),
            tf->error, trap_from_user(tf) ? "user" : "kernel");
    if (tf->vector < NUM_EXCEPTIONS)
        describe_error_code(tf);
    kprintf("  eax=%08x ebx=%08x ecx=%08x edx=%08x\n", tf->eax, tf->ebx, tf->ecx, tf->edx);
    kprintf("  esi=%08x edi=%08x ebp=%08x eip=%08x\n", tf->esi, tf->edi, tf->ebp, tf->eip);
    kprintf("  cs=%04x ds=%04x es=%04x eflags=%08x\n", tf->cs, tf->ds, tf->es, tf->eflags);
    if (trap_from_user(tf))
        kprintf("  user esp=%08x ss=%04x\n", tf->user_esp, tf->user_ss);
    kprintf("  cr0=%08x cr2=%08x cr3=%08x cr4=%08x\n", read_cr0(), read_cr2(), read_cr3(),
            read_cr4());
}

/* The signal each exception raises in a user process, as on Linux
 * (arch/x86/kernel/traps.c). 0: not expected from user mode. */
static const uint8_t exception_signals[NUM_EXCEPTIONS] = {
    [EXC_DIVIDE_ERROR] = SIGFPE,        [EXC_DEBUG] = SIGTRAP,
    [EXC_BREAKPOINT] = SIGTRAP,         [EXC_OVERFLOW] = SIGSEGV,
    [EXC_BOUND_RANGE] = SIGSEGV,        [EXC_INVALID_OPCODE] = SIGILL,
    [EXC_DEVICE_NOT_AVAILABLE] = SIGFPE, [EXC_INVALID_TSS] = SIGSEGV,
    [EXC_SEGMENT_NOT_PRESENT] = SIGBUS, [EXC_STACK_FAULT] = SIGBUS,
    [EXC_GENERAL_PROTECTION] = SIGSEGV, [EXC_PAGE_FAULT] = SIGSEGV,
    [EXC_X87_FPU_ERROR] = SIGFPE,       [EXC_ALIGNMENT_CHECK] = SIGBUS,
    [EXC_SIMD_FP] = SIGFPE,
};

/* FPU exception flags (x87 status word and MXCSR bits 0-5, Intel SDM Vol. 1
 * 8.1.3 and 10.2.3.1). */
#define FP_INVALID BIT(0)
#define FP_DENORMAL BIT(1)
#define FP_ZERO_DIVIDE BIT(2)
#define FP_OVERFLOW BIT(3)
#define FP_UNDERFLOW BIT(4)
#define FP_PRECISION BIT(5)

/* The si_code of a floating-point exception: the first unmasked flag in
 * Linux's order (fpu__exception_code); 0 when none is, a spurious trap that
 * Linux answers with no signal at all. */
static int fpu_exception_code(bool simd)
{
    uint32_t flags = fpu_unmasked_exceptions(simd);

    if (flags & FP_INVALID)
        return FPE_FLTINV;
    if (flags & FP_ZERO_DIVIDE)
        return FPE_FLTDIV;
    if (flags & FP_OVERFLOW)
        return FPE_FLTOVF;
    if (flags & (FP_UNDERFLOW | FP_DENORMAL))
        return FPE_FLTUND;
    if (flags & FP_PRECISION)
        return FPE_FLTRES;
    return 0;
}

/* The kernel's half is mapped, but supervisor-only: to the program it is
 * not mapped at all, as on Linux (arch/x86/mm/fault.c: a user access to a
 * kernel address is bad_area_nosemaphore, SEGV_MAPERR). */
static int page_fault_code(const struct trapframe *tf)
{
    if (read_cr2() >= USER_TOP)
        return SEGV_MAPERR;
    return tf->error & PF_PRESENT ? SEGV_ACCERR : SEGV_MAPERR;
}

/* si_code and si_addr for a fault, as Linux fills them (arch/x86/kernel/traps.c).
 * Linux gives an address only for #DE, #UD, #DB, #PF and floating point; the
 * other traps (#BP, #OF, #BR, #TS, #NP, #SS, #GP, #AC...) are do_trap with no
 * si_code: a plain kernel signal, SI_KERNEL and si_addr 0. */
static struct sig_info fault_info(const struct trapframe *tf)
{
    struct sig_info info = {.code = SI_KERNEL, .trapno = (int)tf->vector, .addr = 0};

    switch (tf->vector) {
    case EXC_DIVIDE_ERROR:
        info.code = FPE_INTDIV;
        info.addr = tf->eip;
        break;
    case EXC_INVALID_OPCODE:
        info.code = ILL_ILLOPN;
        info.addr = tf->eip;
        break;
    case EXC_DEBUG:
        info.code = TRAP_TRACE;
        info.addr = tf->eip;
        break;
    case EXC_PAGE_FAULT:
        info.code = page_fault_code(tf);
        info.addr = read_cr2();
        break;
    case EXC_X87_FPU_ERROR:
    case EXC_SIMD_FP:
        info.code = fpu_exception_code(tf->vector == EXC_SIMD_FP);
        info.addr = tf->eip;
        break;
    case EXC_ALIGNMENT_CHECK:
        info.code = BUS_ADRALN;
        break;
    }
    return info;
}

/*
 * A user process faulted: the one place that turns an exception into a
 * signal. The signal is forced (see sig_force_fault) and delivered on the
 * way out, in return_to_user().
 */
static void user_fault(struct trapframe *tf)
{
    struct proc *p = current_proc();
    int sig = exception_signals[tf->vector] ? exception_signals[tf->vector] : SIGSEGV;
    struct sig_info info = fault_info(tf);

    if (tf->vector == EXC_PAGE_FAULT && !(tf->error & PF_PRESENT) && read_cr2() < USER_TOP) {
        enum mm_fault f = mm_page_fault(p, read_cr2());
        if (f == MM_FAULT_MAPPED)
            return; /* the stack grew, or a hole was filled: run the instruction again */
        if (f == MM_FAULT_BUS) {
            sig = SIGBUS;
            info.code = BUS_ADRERR;
        }
    }
    if (sig == SIGFPE && !info.code)
        return; /* a floating-point trap with nothing unmasked: spurious */
    sig_force_fault(p, sig, &info, tf->eip);
}

static void exception_dispatch(struct trapframe *tf)
{
    struct proc *p = current_proc();

    TRACE(TRACE_EXC, EV_EXCEPTION, tf->vector, trap_from_user(tf), p ? p->pid : 0, tf->eip,
          tf->error);
    if (trap_from_user(tf)) {
        user_fault(tf);
        return;
    }
    if (catch_kernel_exception(tf))
        return;
    panic_frame(tf, "%s (vector %u) in %s mode", exception_name(tf->vector), tf->vector,
                trap_from_user(tf) ? "user" : "kernel");
}

void trap_dispatch(struct trapframe *tf)
{
    irq_count_vector(tf->vector);
    if (tf->vector < NUM_EXCEPTIONS)
        exception_dispatch(tf);
    else if (tf->vector == SYSCALL_VECTOR)
        syscall_dispatch(tf);
    else
        irq_dispatch(tf);
    if (trap_from_user(tf))
        return_to_user(tf);
}

/* Runs as the double-fault task, on its own stack (see arch/x86/gdt.c). */
NORETURN void double_fault_handler(void)
{
    irq_count_vector(EXC_DOUBLE_FAULT);
    panic("Double fault (vector 8): the kernel stack probably overflowed");
}
