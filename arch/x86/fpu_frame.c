/*
 * Converting between the FXSAVE image the kernel keeps and the FSAVE-format
 * header of a signal frame's FPU state. The two formats differ in the tag
 * word (FXSAVE keeps one "not empty" bit a register, FSAVE two bits that
 * classify its value) and in the spacing of the registers (16 bytes against
 * 10). Intel SDM Vol. 1 8.1.7 (the tag word), 8.1.10 and 10.5.1 (layouts).
 */
#include "fpu_frame.h"
#include "string.h"

/* Offsets in the FXSAVE image (Intel SDM Vol. 1 Table 10-2). */
#define FX_FCW 0
#define FX_FSW 2
#define FX_FTW 4 /* abridged: bit i set = physical register i not empty */
#define FX_FOP 6
#define FX_FIP 8
#define FX_FCS 12
#define FX_FDP 16
#define FX_FDS 20
#define FX_MXCSR 24
#define FX_ST0 32
#define FX_ST_STRIDE 16

/* FSAVE's two-bit tags (Intel SDM Vol. 1 Figure 8-7). */
enum { TAG_VALID = 0, TAG_ZERO = 1, TAG_SPECIAL = 2, TAG_EMPTY = 3 };
#define TAG_BITS 2
#define TAG_MASK 3u
#define FSW_TOP_SHIFT 11 /* the stack top: bits 11-13 of the status word */
#define FSW_TOP_MASK 7u
#define UPPER_HALF 0xFFFF0000u /* FSAVE's unused upper halves read as ones */
#define SELECTOR_BITS 0xFFFFu
#define FOP_SHIFT 16 /* FSAVE keeps the opcode above the code selector */
#define EXP_OFFSET 8 /* an 80-bit register: 64-bit significand, then the exponent */
#define EXP_MASK 0x7FFFu
#define INTEGER_BIT (1ull << 63) /* the explicit integer bit of the significand */

static uint16_t get16(const uint8_t *fx, int at)
{
    uint16_t v;
    memcpy(&v, fx + at, sizeof(v));
    return v;
}

static uint32_t get32(const uint8_t *fx, int at)
{
    uint32_t v;
    memcpy(&v, fx + at, sizeof(v));
    return v;
}

static void put16(uint8_t *fx, int at, uint32_t v)
{
    uint16_t w = (uint16_t)v;
    memcpy(fx + at, &w, sizeof(w));
}

static void put32(uint8_t *fx, int at, uint32_t v) { memcpy(fx + at, &v, sizeof(v)); }

/* The FSAVE tag of an 80-bit value that is not empty. */
static unsigned classify(const uint8_t *reg)
{
    uint64_t significand;
    uint16_t exponent;

    memcpy(&significand, reg, sizeof(significand));
    memcpy(&exponent, reg + EXP_OFFSET, sizeof(exponent));
    exponent &= EXP_MASK;
    if (exponent == EXP_MASK)
        return TAG_SPECIAL; /* infinity or NaN */
    if (exponent == 0)
        return significand ? TAG_SPECIAL : TAG_ZERO; /* denormal or zero */
    return significand & INTEGER_BIT ? TAG_VALID : TAG_SPECIAL; /* unnormal */
}

/* The full tag word: the abridged one names physical registers, the
 * register images are in stack order from the top. */
static uint32_t full_tag_word(const uint8_t *fx)
{
    unsigned top = (get16(fx, FX_FSW) >> FSW_TOP_SHIFT) & FSW_TOP_MASK;
    uint8_t abridged = fx[FX_FTW];
    uint32_t tags = UPPER_HALF;

    for (unsigned phys = 0; phys < FPU_STACK_REGS; phys++) {
        unsigned slot = (phys - top) & FSW_TOP_MASK;
        unsigned tag = abridged & (1u << phys) ? classify(fx + FX_ST0 + slot * FX_ST_STRIDE)
                                               : TAG_EMPTY;
        tags |= tag << (phys * TAG_BITS);
    }
    return tags;
}

static uint8_t abridged_tag_word(uint32_t tags)
{
    uint8_t abridged = 0;

    for (unsigned phys = 0; phys < FPU_STACK_REGS; phys++)
        if (((tags >> (phys * TAG_BITS)) & TAG_MASK) != TAG_EMPTY)
            abridged |= (uint8_t)(1u << phys);
    return abridged;
}

void fpu_to_frame(struct fpstate32 *out, const struct fpu_state *s)
{
    const uint8_t *fx = s->area;
    struct fpstate_legacy *l = &out->legacy;

    l->cw = get16(fx, FX_FCW) | UPPER_HALF;
    l->sw = get16(fx, FX_FSW) | UPPER_HALF;
    l->tag = full_tag_word(fx);
    l->ipoff = get32(fx, FX_FIP);
    l->cssel = get16(fx, FX_FCS) | ((uint32_t)get16(fx, FX_FOP) << FOP_SHIFT);
    l->dataoff = get32(fx, FX_FDP);
    l->datasel = get16(fx, FX_FDS) | UPPER_HALF;
    for (int i = 0; i < FPU_STACK_REGS; i++)
        memcpy(l->st[i], fx + FX_ST0 + i * FX_ST_STRIDE, FPU_REG_BYTES);
    l->status = get16(fx, FX_FSW);
    l->magic = FPSTATE_MAGIC_FXSR;
    memcpy(out->fxsave, fx, FPU_STATE_SIZE);
}

bool fpu_from_frame(struct fpu_state *s, const struct fpstate32 *in)
{
    const struct fpstate_legacy *l = &in->legacy;
    uint8_t *fx = s->area;

    memcpy(fx, in->fxsave, FPU_STATE_SIZE);
    if (get32(fx, FX_MXCSR) & ~fpu_mxcsr_mask())
        return false;
    put16(fx, FX_FCW, l->cw);
    put16(fx, FX_FSW, l->sw);
    fx[FX_FTW] = abridged_tag_word(l->tag);
    put16(fx, FX_FOP, l->cssel >> FOP_SHIFT);
    put32(fx, FX_FIP, l->ipoff);
    put16(fx, FX_FCS, l->cssel & SELECTOR_BITS);
    put32(fx, FX_FDP, l->dataoff);
    put16(fx, FX_FDS, l->datasel & SELECTOR_BITS);
    for (int i = 0; i < FPU_STACK_REGS; i++)
        memcpy(fx + FX_ST0 + i * FX_ST_STRIDE, l->st[i], FPU_REG_BYTES);
    return true;
}
