/*
 * Suite "signal": the real-time queue's bounds (RLIMIT_SIGPENDING, the
 * fixed pool), the order in which pending signals are taken, and the
 * conversion of FPU state to and from a signal frame. The target is a
 * process slot that never runs: every signal stays blocked, so no sending
 * makes it runnable.
 */
#include "errno.h"
#include "fpu_frame.h"
#include "ktest.h"
#include "proc.h"
#include "string.h"
#include "trace.h"

#define MANY (SIGQUEUE_POOL_SIZE * 2)
#define SMALL_LIMIT 3

static struct proc *blocked_target(uint64_t limit)
{
    struct proc *p = proc_alloc();

    if (p) {
        p->sig.blocked = ~(sig_set_t)0;
        p->rlim[RLIMIT_SIGPENDING].cur = limit;
    }
    return p;
}

static int queue_until_refused(struct proc *p, int sig)
{
    struct sig_info info = {.code = SI_QUEUE, .source = SRC_SIGQUEUE};
    int n = 0;

    while (n < MANY && sig_queue(p, sig, &info) == 0)
        info.value = (uint32_t)++n;
    return n;
}

KTEST("signal", the_limit_then_the_pool_bound_the_queue)
{
    struct proc *p = blocked_target(SMALL_LIMIT);
    struct sig_info kill_info = {.code = SI_USER, .source = SRC_KILL};

    ASSERT_TRUE(p != NULL);
    EXPECT_EQ(queue_until_refused(p, SIGRTMIN_KERNEL + 2), SMALL_LIMIT);
    EXPECT_EQ(sig_queue(p, SIGRTMIN_KERNEL + 2, &kill_info), 0); /* kill(2) still gets through */
    EXPECT_EQ(sig_queued_for_uid(p->cred.uid), (unsigned)SMALL_LIMIT);
    sig_exit(p);
    EXPECT_EQ(sig_queued_for_uid(p->cred.uid), 0u);
    p->rlim[RLIMIT_SIGPENDING].cur = MANY;
    EXPECT_EQ(queue_until_refused(p, SIGRTMIN_KERNEL + 2), SIGQUEUE_POOL_SIZE);
    proc_free(p); /* frees its entries too */
    EXPECT_EQ(sig_queued_for_uid(0), 0u);
}

KTEST("signal", taken_in_linux_order)
{
    struct proc *p = blocked_target(MANY);
    struct sig_info info = {.code = SI_QUEUE}, got;
    static const int expected[] = {SIGSEGV, SIGUSR2, SIGRTMIN_KERNEL, SIGHUP,
                                   SIGRTMIN_KERNEL + 1, SIGRTMIN_KERNEL + 1};
    static const uint32_t values[] = {0, 0, 4, 0, 1, 3};

    ASSERT_TRUE(p != NULL);
    info.value = 1, sig_queue(p, SIGRTMIN_KERNEL + 1, &info);
    info.value = 0, sig_queue(p, SIGHUP, &info);
    info.value = 3, sig_queue(p, SIGRTMIN_KERNEL + 1, &info);
    info.value = 0, sig_queue_thread(p, SIGUSR2, &info);
    info.value = 4, sig_queue_thread(p, SIGRTMIN_KERNEL, &info);
    info.value = 0, sig_queue_thread(p, SIGSEGV, &info);
    for (unsigned i = 0; i < sizeof(expected) / sizeof(expected[0]); i++) {
        EXPECT_EQ(sig_dequeue(p, ~(sig_set_t)0, &got), expected[i]);
        EXPECT_EQ(got.value, values[i]);
    }
    EXPECT_EQ(sig_dequeue(p, ~(sig_set_t)0, &got), 0);
    EXPECT_EQ(p->sig.pending, (sig_set_t)0);
    proc_free(p);
}

/* Offsets in the FXSAVE image (Intel SDM Vol. 1 Table 10-2). */
#define FX_FSW 2
#define FX_FTW 4
#define FX_MXCSR 24
#define FX_ST0 32
#define FX_ST_STRIDE 16
#define TOP_5 (5 << 11)
#define EXP_ONE 0x3FFF
#define EXP_SPECIAL 0x7FFF
#define INTEGER_BIT_HIGH_BYTE 0x80

/* ST0 = 1.0, ST1 = +0, ST2 = NaN; the top is 5, so they are physical
 * registers 5, 6 and 7 (Intel SDM Vol. 1 8.1.7). */
static void three_values(struct fpu_state *s)
{
    uint16_t fsw = TOP_5, exp_one = EXP_ONE, exp_nan = EXP_SPECIAL;

    fpu_init_state(s);
    memcpy(&s->area[FX_FSW], &fsw, sizeof(fsw));
    s->area[FX_FTW] = 0xE0; /* physical 5, 6 and 7 in use */
    s->area[FX_ST0 + 7] = INTEGER_BIT_HIGH_BYTE;
    memcpy(&s->area[FX_ST0 + 8], &exp_one, sizeof(exp_one));
    s->area[FX_ST0 + 2 * FX_ST_STRIDE + 7] = 0xC0;
    memcpy(&s->area[FX_ST0 + 2 * FX_ST_STRIDE + 8], &exp_nan, sizeof(exp_nan));
}

KTEST("signal", fpu_state_round_trip)
{
    static struct fpu_state before, after;
    static struct fpstate32 frame;
    uint32_t bad_mxcsr = ~0u;

    three_values(&before);
    fpu_to_frame(&frame, &before);
    /* physical 7 special, 6 zero, 5 valid, 0-4 empty; the upper half ones */
    EXPECT_EQ(frame.legacy.tag, 0xFFFF93FFu);
    EXPECT_EQ(frame.legacy.magic, FPSTATE_MAGIC_FXSR);
    EXPECT_EQ(frame.legacy.status, TOP_5);
    EXPECT_TRUE(fpu_from_frame(&after, &frame));
    EXPECT_EQ(memcmp(&before, &after, sizeof(before)), 0);
    memcpy(&frame.fxsave[FX_MXCSR], &bad_mxcsr, sizeof(bad_mxcsr));
    EXPECT_FALSE(fpu_from_frame(&after, &frame));
}
