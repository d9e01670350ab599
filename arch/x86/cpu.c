/*
 * CPU control bits the kernel sets once at boot, and the floating-point
 * state that each process owns.
 *
 * The kernel is compiled without x87, MMX or SSE instructions, so the FPU
 * registers always belong to the process that runs. The scheduler saves
 * them with FXSAVE when a process leaves the CPU and loads them with
 * FXRSTOR when it comes back (Intel SDM Vol. 1 10.5 and Vol. 3A 13.4).
 */
#include "cpu.h"
#include "printk.h"
#include "string.h"
#include "x86.h"

#define CPUID_FEATURES 1
#define CPUID_EDX_FXSR BIT(24)
#define CPUID_EDX_SSE BIT(25)
#define FXSAVE_FCW 0        /* x87 control word: offset in the FXSAVE area */
#define FXSAVE_MXCSR 24     /* SSE control and status */
#define FCW_AFTER_FNINIT 0x037F  /* all exceptions masked, 64-bit precision */
#define MXCSR_DEFAULT 0x1F80     /* all SSE exceptions masked */
#define FP_EXCEPTION_BITS 0x3F   /* IE DE ZE OE UE PE (Intel SDM Vol. 1 8.1.3, 10.2.3) */
#define MXCSR_MASK_SHIFT 7       /* MXCSR's mask bits sit 7 above its flags */
#define FXSAVE_MXCSR_MASK 28     /* the MXCSR bits this CPU supports */
#define MXCSR_MASK_DEFAULT 0xFFBF /* when FXSAVE reports 0 (Intel SDM Vol. 1 11.6.6) */

static bool have_fxsr;
static uint32_t mxcsr_mask;

/* Which MXCSR bits may be set: a reserved one makes FXRSTOR fault. */
static void read_mxcsr_mask(void)
{
    static struct fpu_state probe;

    memset(&probe, 0, sizeof(probe));
    fpu_save(&probe);
    memcpy(&mxcsr_mask, &probe.area[FXSAVE_MXCSR_MASK], sizeof(mxcsr_mask));
    if (!mxcsr_mask)
        mxcsr_mask = MXCSR_MASK_DEFAULT;
}

uint32_t fpu_mxcsr_mask(void) { return mxcsr_mask; }

void cpu_init(void)
{
    uint32_t a, b, c, d;

    /* CR0.AM lets a user process that sets EFLAGS.AC get an alignment-check
     * exception (#AC, so SIGBUS) for misaligned accesses, as on Linux.
     * It has no effect in ring 0 (Intel SDM Vol. 3A 2.5 and 6.15, #AC). */
    write_cr0((read_cr0() | CR0_AM | CR0_MP | CR0_NE) & ~(CR0_EM | CR0_TS));
    __asm__ volatile("fninit");

    /* CR4.OSFXSR and OSXMMEXCPT say the OS saves SSE state with FXSAVE, so
     * user programs may use SSE (Intel SDM Vol. 3A 2.5, 13.1.3). */
    cpuid(CPUID_FEATURES, &a, &b, &c, &d);
    have_fxsr = (d & CPUID_EDX_FXSR) && (d & CPUID_EDX_SSE);
    if (have_fxsr)
        write_cr4(read_cr4() | CR4_OSFXSR | CR4_OSXMMEXCPT);
    if (have_fxsr)
        read_mxcsr_mask();
    else
        pr_warn("cpu: no FXSR/SSE: user programs must not use the FPU\n");
}

void fpu_init_state(struct fpu_state *s)
{
    uint16_t fcw = FCW_AFTER_FNINIT;
    uint32_t mxcsr = MXCSR_DEFAULT;

    memset(s, 0, sizeof(*s));
    memcpy(&s->area[FXSAVE_FCW], &fcw, sizeof(fcw));
    memcpy(&s->area[FXSAVE_MXCSR], &mxcsr, sizeof(mxcsr));
}

void fpu_save(struct fpu_state *s)
{
    if (have_fxsr)
        __asm__ volatile("fxsave %0" : "=m"(*s));
}

void fpu_restore(const struct fpu_state *s)
{
    if (have_fxsr)
        __asm__ volatile("fxrstor %0" : : "m"(*s));
}

uint32_t fpu_unmasked_exceptions(bool simd)
{
    uint16_t status, control;
    uint32_t mxcsr;

    if (simd) {
        if (!have_fxsr)
            return 0;
        __asm__ volatile("stmxcsr %0" : "=m"(mxcsr));
        return mxcsr & ~(mxcsr >> MXCSR_MASK_SHIFT) & FP_EXCEPTION_BITS;
    }
    /* The no-wait forms: a waiting one would raise the pending #MF again. */
    __asm__ volatile("fnstsw %0\n\tfnstcw %1" : "=m"(status), "=m"(control));
    return status & ~control & FP_EXCEPTION_BITS;
}
