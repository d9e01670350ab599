/*
 * Futexes (include/futex.h): the futex and futex_time64 system calls, as
 * futex(2) describes them, without the priority-inheritance operations.
 *
 * A futex's key is the kernel's direct-map address of the word, which is
 * one per physical word: processes that share a MAP_SHARED page meet on the
 * same key, and so will the threads of one process. FUTEX_PRIVATE_FLAG uses
 * the same key, right for one address space. A process waits on at most one
 * futex, so a table of NPROC waiters is enough; each has a ticket, and a
 * wake takes the oldest first (FIFO, as Linux among equal priorities).
 * The word is compared and the waiter queued with interrupts off, so a wake
 * between the two cannot be missed (Relay has one CPU).
 */
#include "futex.h"
#include "clock.h"
#include "errno.h"
#include "panic.h"
#include "proc.h"
#include "signal.h"
#include "syscall.h"
#include "timer.h"
#include "vm.h"
#include "x86.h"

/* Operations and flags of the op argument (include/uapi/linux/futex.h). */
enum futex_cmd {
    FUTEX_WAIT = 0,
    FUTEX_WAKE = 1,
    FUTEX_REQUEUE = 3,
    FUTEX_CMP_REQUEUE = 4,
    FUTEX_WAKE_OP = 5,
    FUTEX_WAIT_BITSET = 9,
    FUTEX_WAKE_BITSET = 10,
};
#define FUTEX_PRIVATE_FLAG     128
#define FUTEX_CLOCK_REALTIME   256
#define FUTEX_CMD_MASK         (~(FUTEX_PRIVATE_FLAG | FUTEX_CLOCK_REALTIME))
#define FUTEX_BITSET_MATCH_ANY 0xffffffffu
#define FUTEX_WORD_ALIGN       4

/* FUTEX_WAKE_OP's val3: op (4 bits, the top one "oparg is a shift"),
 * cmp (4 bits), then two signed 12-bit fields, oparg and cmparg. */
#define WAKE_OP_OP(v)         (((v) >> 28) & 7)
#define WAKE_OP_SHIFT_FLAG(v) (((v) >> 31) & 1)
#define WAKE_OP_CMP(v)        (((v) >> 24) & 15)
#define WAKE_OP_OPARG(v)      ((int32_t)((v) << 8) >> 20)
#define WAKE_OP_CMPARG(v)     ((int32_t)((v) << 20) >> 20)
#define WAKE_OP_SHIFT_MASK    31
enum wake_op_op { OP_SET, OP_ADD, OP_OR, OP_ANDN, OP_XOR };
enum wake_op_cmp { CMP_EQ, CMP_NE, CMP_LT, CMP_LE, CMP_GT, CMP_GE };

#define NO_DEADLINE INT64_MAX

struct futex_waiter {
    struct proc *proc;   /* NULL: a free entry */
    const uint32_t *key; /* the word's kernel address */
    uint32_t bitset;     /* FUTEX_WAIT_BITSET's mask (all ones for FUTEX_WAIT) */
    uint64_t ticket;     /* smaller: queued earlier */
    bool woken;
};

static struct futex_waiter waiters[NPROC];
static uint64_t next_ticket;

/* What one wait asks for; the restart block keeps the same. */
struct futex_wait {
    uintptr_t uaddr;
    uint32_t val, bitset;
    int clock;
    int64_t deadline; /* on clock, or NO_DEADLINE */
};

/* ---------------------------------------------------------------- keys */

/* The key of the word at uaddr: 0, -EINVAL if it is not aligned, -EFAULT if
 * it is not user memory. A private futex on an unmapped user page has no
 * waiters and no key (NULL), as Linux's private keys never touch memory. */
static long futex_key(struct proc *p, uintptr_t uaddr, bool private, bool write,
                      const uint32_t **key)
{
    if (uaddr % FUTEX_WORD_ALIGN)
        return -EINVAL;
    *key = vm_user_word(p->pd, uaddr, write);
    if (*key || (private && uaddr < USER_TOP))
        return 0;
    return -EFAULT;
}

/* ---------------------------------------------------------------- queue */

/* The earliest waiter on key whose mask meets bitset, queued before ticket. */
static struct futex_waiter *oldest(const uint32_t *key, uint32_t bitset, uint64_t before)
{
    struct futex_waiter *best = NULL;

    for (struct futex_waiter *w = waiters; w < waiters + NPROC; w++) {
        if (!w->proc || w->woken || w->key != key || !(w->bitset & bitset))
            continue;
        if (w->ticket < before && (!best || w->ticket < best->ticket))
            best = w;
    }
    return best;
}

static void wake_one(struct futex_waiter *w)
{
    w->woken = true;
    proc_wakeup(w);
}

/* Wakes up to n waiters; Linux's loop wakes one even when n is 0 or less. */
static int wake_up_to(const uint32_t *key, uint32_t bitset, int n)
{
    struct futex_waiter *w;
    int woken = 0;

    if (!key)
        return 0;
    while ((woken == 0 || woken < n) && (w = oldest(key, bitset, UINT64_MAX))) {
        wake_one(w);
        woken++;
    }
    return woken;
}

static struct futex_waiter *enqueue(struct proc *p, const uint32_t *key, uint32_t bitset)
{
    for (struct futex_waiter *w = waiters; w < waiters + NPROC; w++)
        if (!w->proc) {
            *w = (struct futex_waiter){p, key, bitset, next_ticket++, false};
            return w;
        }
    panic("futex enqueue: more waiters than processes");
}

/* ---------------------------------------------------------------- waiting */

/* Sleeps until w is woken (0), the deadline passes (-ETIMEDOUT) or a signal
 * interrupts (-EINTR, for the caller to turn into a restart). */
static long sleep_queued(struct proc *p, struct futex_waiter *w, int clock, int64_t deadline)
{
    int64_t now;

    while (!w->woken) {
        if (sig_interrupting(p))
            return -EINTR;
        if (deadline != NO_DEADLINE) {
            if (clock_now(clock, &now) || now >= deadline)
                return -ETIMEDOUT;
            p->wake_tick = timer_ticks() + clock_ns_to_ticks((uint64_t)(deadline - now));
        }
        proc_sleep(w);
        p->wake_tick = 0;
    }
    return 0;
}

/* Compares the word and, if it still holds val, queues and sleeps. */
static long wait_once(struct proc *p, const struct futex_wait *fw)
{
    uint32_t flags = irq_save(); /* the page stays while we look at it */
    const uint32_t *key = vm_user_word(p->pd, fw->uaddr, false);
    struct futex_waiter *w;
    long r;

    if (!key || *key != fw->val) {
        irq_restore(flags);
        return key ? -EAGAIN : -EFAULT;
    }
    w = enqueue(p, key, fw->bitset);
    r = sleep_queued(p, w, fw->clock, fw->deadline);
    if (r && w->woken) /* woken at the same time: the wake counted us */
        r = 0;
    w->proc = NULL;
    irq_restore(flags);
    return r;
}

static long wait_restart(struct restart_block *r);

/*
 * A wait cut short by a signal: without a timeout it is called again from
 * the start if the handler has SA_RESTART or none runs (-ERESTARTSYS);
 * with one, EINTR after a handler, and after a stop it goes on until the
 * same deadline through restart_syscall (Linux's futex_wait_restart).
 */
static long futex_wait(const struct futex_wait *fw)
{
    struct proc *p = current_proc();
    long r = wait_once(p, fw);

    if (r != -EINTR)
        return r;
    if (fw->deadline == NO_DEADLINE)
        return -ERESTARTSYS;
    p->restart = (struct restart_block){.fn = wait_restart,
                                        .clock = fw->clock,
                                        .deadline = fw->deadline,
                                        .addr = fw->uaddr,
                                        .count = fw->val,
                                        .bitset = fw->bitset};
    p->syscall_nr = SYS_restart_syscall;
    return -ERESTART_NEVER;
}

static long wait_restart(struct restart_block *r)
{
    struct futex_wait fw = {r->addr, r->count, r->bitset, r->clock, r->deadline};

    return futex_wait(&fw);
}

/* ---------------------------------------------------------------- requeue */

/* Wakes up to nr_wake waiters on from and moves up to nr_requeue more to
 * the end of to's queue: how many were woken or moved. */
static int requeue(const uint32_t *from, const uint32_t *to, int nr_wake, int nr_requeue)
{
    uint64_t before = next_ticket; /* a waiter moved onto the same key is not met again */
    struct futex_waiter *w;
    int woken = 0, moved = 0;

    if (!from)
        return 0;
    while (woken < nr_wake && (w = oldest(from, FUTEX_BITSET_MATCH_ANY, before))) {
        wake_one(w);
        woken++;
    }
    while (moved < nr_requeue && (w = oldest(from, FUTEX_BITSET_MATCH_ANY, before))) {
        w->key = to;
        w->ticket = next_ticket++;
        moved++;
    }
    return woken + moved;
}

static long futex_requeue(uintptr_t uaddr, bool private, int nr_wake, int nr_requeue,
                          uintptr_t uaddr2, const uint32_t *expected)
{
    struct proc *p = current_proc();
    const uint32_t *from, *to;
    long err;
    uint32_t flags;

    if (nr_wake < 0 || nr_requeue < 0)
        return -EINVAL;
    if ((err = futex_key(p, uaddr, private, false, &from)) ||
        (err = futex_key(p, uaddr2, private, false, &to)))
        return err;
    if (expected && !from)
        return -EFAULT; /* CMP_REQUEUE reads the word */
    flags = irq_save();
    err = expected && *from != *expected ? -EAGAIN : requeue(from, to, nr_wake, nr_requeue);
    irq_restore(flags);
    return err;
}

/* ---------------------------------------------------------------- wake_op */

/* Applies val3's operation to *word: the old value in *old, or -ENOSYS. */
static long wake_op_apply(uint32_t *word, uint32_t val3, uint32_t *old)
{
    uint32_t arg = (uint32_t)WAKE_OP_OPARG(val3);

    if (WAKE_OP_SHIFT_FLAG(val3))
        arg = 1u << (arg & WAKE_OP_SHIFT_MASK); /* Linux masks a bad shift too */
    *old = *word;
    switch (WAKE_OP_OP(val3)) {
    case OP_SET:
        *word = arg;
        break;
    case OP_ADD:
        *word = *old + arg;
        break;
    case OP_OR:
        *word = *old | arg;
        break;
    case OP_ANDN:
        *word = *old & ~arg;
        break;
    case OP_XOR:
        *word = *old ^ arg;
        break;
    default:
        return -ENOSYS;
    }
    return 0;
}

/* Compares the old value as val3 asks: 1 or 0, or -ENOSYS (after the
 * operation was done, as Linux). */
static long wake_op_compare(int32_t old, uint32_t val3)
{
    int32_t arg = WAKE_OP_CMPARG(val3);

    switch (WAKE_OP_CMP(val3)) {
    case CMP_EQ:
        return old == arg;
    case CMP_NE:
        return old != arg;
    case CMP_LT:
        return old < arg;
    case CMP_LE:
        return old <= arg;
    case CMP_GT:
        return old > arg;
    case CMP_GE:
        return old >= arg;
    default:
        return -ENOSYS;
    }
}

static long futex_wake_op(uintptr_t uaddr, bool private, int nr_wake, uintptr_t uaddr2,
                          int nr_wake2, uint32_t val3)
{
    struct proc *p = current_proc();
    const uint32_t *key, *key2;
    uint32_t old, flags;
    long err, cond;

    if ((err = futex_key(p, uaddr, private, false, &key)) ||
        (err = futex_key(p, uaddr2, private, true, &key2)))
        return err;
    if (!key2)
        return -EFAULT; /* the operation writes the word */
    flags = irq_save();
    if ((err = wake_op_apply((uint32_t *)key2, val3, &old)) ||
        (cond = wake_op_compare((int32_t)old, val3)) < 0) {
        irq_restore(flags);
        return err ? err : cond;
    }
    err = wake_up_to(key, FUTEX_BITSET_MATCH_ANY, nr_wake);
    if (cond)
        err += wake_up_to(key2, FUTEX_BITSET_MATCH_ANY, nr_wake2);
    irq_restore(flags);
    return err;
}

/* ---------------------------------------------------------------- calls */

static long wake_bitset(struct proc *p, uintptr_t uaddr, bool private, int n, uint32_t bitset)
{
    const uint32_t *key;
    uint32_t flags;
    long err;

    if (!bitset)
        return -EINVAL;
    if ((err = futex_key(p, uaddr, private, false, &key)))
        return err;
    flags = irq_save();
    err = wake_up_to(key, bitset, n);
    irq_restore(flags);
    return err;
}

int futex_wake(struct proc *p, uintptr_t uaddr, int n)
{
    return (int)wake_bitset(p, uaddr, true, n, FUTEX_BITSET_MATCH_ANY);
}

static bool cmd_has_timeout(int cmd) { return cmd == FUTEX_WAIT || cmd == FUTEX_WAIT_BITSET; }

/* The deadline of a wait: FUTEX_WAIT's timeout is relative, on
 * CLOCK_MONOTONIC; FUTEX_WAIT_BITSET's is absolute, on CLOCK_MONOTONIC or,
 * with FUTEX_CLOCK_REALTIME, CLOCK_REALTIME. */
static long wait_deadline(int cmd, int op, uintptr_t timeout, enum time_layout layout,
                          struct futex_wait *fw)
{
    int64_t t, now;
    long err;

    fw->clock = op & FUTEX_CLOCK_REALTIME ? CLOCK_REALTIME : CLOCK_MONOTONIC;
    fw->deadline = NO_DEADLINE;
    if (!timeout || !cmd_has_timeout(cmd))
        return 0;
    if ((err = time_from_user(timeout, layout, &t)))
        return err;
    fw->deadline = t;
    if (cmd == FUTEX_WAIT && !(err = clock_now(fw->clock, &now)))
        fw->deadline = t > NO_DEADLINE - 1 - now ? NO_DEADLINE - 1 : now + t;
    return err;
}

static long futex_wait_call(int cmd, uintptr_t uaddr, uint32_t val, uint32_t val3,
                            struct futex_wait *fw)
{
    fw->uaddr = uaddr;
    fw->val = val;
    fw->bitset = cmd == FUTEX_WAIT ? FUTEX_BITSET_MATCH_ANY : val3;
    if (!fw->bitset)
        return -EINVAL;
    if (uaddr % FUTEX_WORD_ALIGN)
        return -EINVAL;
    return futex_wait(fw);
}

/* futex(2), in the order Linux checks: the timeout (EFAULT, EINVAL), then
 * FUTEX_CLOCK_REALTIME on an operation without it (ENOSYS), then the
 * operation's own arguments. timeout carries val2 for the requeues and
 * FUTEX_WAKE_OP. The priority-inheritance operations are ENOSYS. */
static long do_futex(uintptr_t uaddr, int op, uint32_t val, uintptr_t timeout, uintptr_t uaddr2,
                     uint32_t val3, enum time_layout layout)
{
    int cmd = op & FUTEX_CMD_MASK;
    bool private = op & FUTEX_PRIVATE_FLAG;
    struct futex_wait fw;
    long err;

    if ((err = wait_deadline(cmd, op, timeout, layout, &fw)))
        return err;
    if ((op & FUTEX_CLOCK_REALTIME) && cmd != FUTEX_WAIT_BITSET)
        return -ENOSYS;
    switch (cmd) {
    case FUTEX_WAIT:
    case FUTEX_WAIT_BITSET:
        return futex_wait_call(cmd, uaddr, val, val3, &fw);
    case FUTEX_WAKE:
        return wake_bitset(current_proc(), uaddr, private, (int)val, FUTEX_BITSET_MATCH_ANY);
    case FUTEX_WAKE_BITSET:
        return wake_bitset(current_proc(), uaddr, private, (int)val, val3);
    case FUTEX_REQUEUE:
        return futex_requeue(uaddr, private, (int)val, (int)timeout, uaddr2, NULL);
    case FUTEX_CMP_REQUEUE:
        return futex_requeue(uaddr, private, (int)val, (int)timeout, uaddr2, &val3);
    case FUTEX_WAKE_OP:
        return futex_wake_op(uaddr, private, (int)val, uaddr2, (int)timeout, val3);
    default:
        return -ENOSYS;
    }
}

SYSCALL_DEFINE6(futex, uintptr_t, uaddr, int, op, uint32_t, val, uintptr_t, timeout, uintptr_t,
                uaddr2, uint32_t, val3)
{
    return do_futex(uaddr, op, val, timeout, uaddr2, val3, TIMESPEC32);
}

SYSCALL_DEFINE6(futex_time64, uintptr_t, uaddr, int, op, uint32_t, val, uintptr_t, timeout,
                uintptr_t, uaddr2, uint32_t, val3)
{
    return do_futex(uaddr, op, val, timeout, uaddr2, val3, TIMESPEC64);
}
