/*
 * The FPU state in a Linux i386 signal frame (struct _fpstate_32 in
 * arch/x86/include/uapi/asm/sigcontext.h): the old FSAVE-format
 * environment and registers first, then the FXSAVE image with the SSE
 * state. arch/x86/fpu_frame.c converts between it and struct fpu_state.
 */
#pragma once

#include "cpu.h"
#include "types.h"

#define FPU_STACK_REGS 8 /* ST0-ST7 */
#define FPU_REG_BYTES 10 /* an 80-bit x87 register */
#define FPSTATE_MAGIC_FXSR 0x0000 /* X86_FXSR_MAGIC: the FXSAVE image follows */

/* The FSAVE-format part (Intel SDM Vol. 1 8.1.10, Figure 8-9, 32-bit
 * protected mode), with Linux's status copy and magic after it. */
struct fpstate_legacy {
    uint32_t cw, sw, tag, ipoff, cssel, dataoff, datasel;
    uint8_t st[FPU_STACK_REGS][FPU_REG_BYTES];
    uint16_t status; /* the status word again (Linux: for old handlers) */
    uint16_t magic;  /* FPSTATE_MAGIC_FXSR */
};
_Static_assert(sizeof(struct fpstate_legacy) == 112, "the legacy FPU header is 112 bytes");

struct fpstate32 {
    struct fpstate_legacy legacy;
    uint8_t fxsave[FPU_STATE_SIZE];
};
_Static_assert(sizeof(struct fpstate32) == 624, "struct _fpstate_32 is 624 bytes");
#define FPSTATE_FXSAVE_ALIGN 64 /* Linux puts the FXSAVE image on 64 bytes */

/* Fills the frame's FPU state from a saved FXSAVE image. */
void fpu_to_frame(struct fpstate32 *out, const struct fpu_state *s);
/* The state to load from a frame that user code may have changed: the
 * x87 part comes from the legacy header, as on Linux. False when MXCSR has
 * a bit this CPU does not support (FXRSTOR would fault on it): Linux, since
 * 5.14, then calls the frame bad (older kernels masked the bits off). */
bool fpu_from_frame(struct fpu_state *s, const struct fpstate32 *in);
