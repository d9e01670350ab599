/* One-time CPU setup and the user's floating-point state (arch/x86/cpu.c). */
#pragma once

#include "types.h"

#define FPU_STATE_SIZE 512 /* the FXSAVE area (Intel SDM Vol. 1 10.5.1) */

/* A process's x87/MMX/SSE registers while it is not running. */
struct fpu_state {
    uint8_t area[FPU_STATE_SIZE];
} __attribute__((aligned(16)));

void cpu_init(void);
/* The registers of a freshly started program (FNINIT's x87 state, SSE's
 * default MXCSR). */
void fpu_init_state(struct fpu_state *s);
/* Saves the user's FPU registers / loads them back; the kernel itself never
 * uses the FPU, so this is done only when switching processes. */
void fpu_save(struct fpu_state *s);
void fpu_restore(const struct fpu_state *s);
/* The MXCSR bits this CPU supports (FXSAVE's MXCSR_MASK). */
uint32_t fpu_mxcsr_mask(void);
/* The exceptions the FPU has flagged and not masked, in the x87 status
 * word's bit order (invalid, denormal, zero divide, overflow, underflow,
 * precision: bits 0-5, the same in MXCSR). simd: SSE's MXCSR, else the x87
 * status and control words. Reads the live registers: call it before the
 * process can be switched out. */
uint32_t fpu_unmasked_exceptions(bool simd);
