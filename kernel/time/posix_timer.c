/*
 * POSIX per-process timers (include/posix_timer.h): timer_create(2) and
 * the calls that set, read and delete them, with Linux i386's structures.
 *
 * A timer keeps its expiry as a time on its own clock: the wall clocks,
 * or a CPU-time clock (its own process's, or another's). The timer tick
 * looks at every armed timer (posix_timer_tick), so a timer fires on the
 * first tick at or after its time. An interval timer reloads; expiries
 * that come while its signal is still pending count as overruns, which
 * the signal's si_overrun reports once it is taken (posix_timer_dequeued).
 */
#include "clock.h"
#include "errno.h"
#include "posix_timer.h"
#include "proc.h"
#include "syscall.h"
#include "trace.h"
#include "x86.h"

/* sigev_notify (include/uapi/asm-generic/siginfo.h). */
#define SIGEV_SIGNAL 0
#define SIGEV_NONE 1
#define SIGEV_THREAD 2    /* glibc runs a thread; the kernel sees a signal */
#define SIGEV_THREAD_ID 4 /* to one thread: here the caller itself */
#define TIMER_ABSTIME 1
#define OVERRUN_MAX 0x7fffffff /* Linux's DELAYTIMER_MAX: overruns saturate */

/* struct sigevent on i386: 64 bytes, the thread id first in its union. */
struct linux_sigevent {
    uint32_t value;
    int32_t signo, notify, tid;
    int32_t pad[12];
};
_Static_assert(sizeof(struct linux_sigevent) == 64, "struct sigevent is 64 bytes on i386");

static struct proc *self(void) { return current_proc(); }

static struct posix_timer *timer_find(struct proc *p, int id)
{
    if (id < 0 || id >= POSIX_TIMERS_MAX || !p->timers[id].used)
        return NULL;
    return &p->timers[id];
}

/* ---------------------------------------------------------------- firing */

/* Is the timer's signal still pending? Its flag alone could be stale: the
 * pending signal may have been discarded (SIG_IGN) or replaced by another
 * sender's, and then the hook never runs. */
static bool signal_queued(const struct proc *p, const struct posix_timer *t)
{
    return t->queued && (p->sig.pending & SIG_BIT(t->signo));
}

static void timer_send(struct proc *p, struct posix_timer *t, int missed)
{
    struct sig_info info = {.code = SI_TIMER, .source = SRC_POSIX_TIMER, .value = t->value,
                            .timer_id = (int)(t - p->timers)};

    if (signal_queued(p, t)) {
        t->overrun = t->overrun > OVERRUN_MAX - missed ? OVERRUN_MAX : t->overrun + missed;
        return;
    }
    t->overrun = missed - 1;
    t->queued = true;
    sig_send(p, t->signo, &info);
    t->queued = (p->sig.pending & SIG_BIT(t->signo)) != 0; /* an ignored signal is dropped */
}

/* The timer's time has come (now on its clock): reload it, and send its
 * signal with the expiries since the last as overruns. */
static void timer_fire(struct proc *p, struct posix_timer *t, int64_t now)
{
    int64_t missed = 1;

    if (t->interval) {
        missed += (now - t->expires) / t->interval;
        t->expires += missed * t->interval;
    } else {
        t->expires = 0;
    }
    if (t->notify != SIGEV_NONE)
        timer_send(p, t, missed > OVERRUN_MAX ? OVERRUN_MAX : (int)missed);
}

void posix_timer_tick(struct proc *p)
{
    int64_t now;

    for (struct posix_timer *t = p->timers; t < p->timers + POSIX_TIMERS_MAX; t++) {
        if (!t->used || !t->expires)
            continue;
        /* A CPU clock whose process is gone stops. */
        if (!clock_now_of(p, t->clock, &now) && now >= t->expires)
            timer_fire(p, t, now);
    }
}

void posix_timer_dequeued(struct proc *p, struct sig_info *info)
{
    struct posix_timer *t = timer_find(p, info->timer_id);

    info->overrun = 0;
    if (!t)
        return; /* deleted while its signal was pending */
    info->overrun = t->overrun;
    t->last_overrun = t->overrun;
    t->overrun = 0;
    t->queued = false;
}

void posix_timer_delete_all(struct proc *p)
{
    for (int id = 0; id < POSIX_TIMERS_MAX; id++)
        p->timers[id].used = false;
}

/* ---------------------------------------------------------------- creating */

/* Linux's good_sigevent: a signal from 1 to SIGRTMAX (Relay: below NSIG,
 * the signals it can send), and a thread id that is the caller's own. */
static long check_sigevent(const struct linux_sigevent *ev)
{
    switch (ev->notify) {
    case SIGEV_THREAD_ID:
        if (ev->tid != self()->pid)
            return -EINVAL;
        /* fall through */
    case SIGEV_SIGNAL:
    case SIGEV_THREAD:
        return ev->signo < 1 || ev->signo >= NSIG ? -EINVAL : 0;
    case SIGEV_NONE:
        return 0;
    default:
        return -EINVAL;
    }
}

static int free_timer_id(const struct proc *p)
{
    for (int id = 0; id < POSIX_TIMERS_MAX; id++)
        if (!p->timers[id].used)
            return id;
    return -1;
}

/* With no sigevent, Linux sends SIGALRM with the timer's id as value. */
SYSCALL_DEFINE3(timer_create, int, clock, uintptr_t, event, uintptr_t, id_ptr)
{
    struct proc *p = self();
    int id = free_timer_id(p);
    struct linux_sigevent ev = {.value = (uint32_t)id, .signo = SIGALRM, .notify = SIGEV_SIGNAL};
    long err;

    if ((err = clock_timer_check(clock)))
        return err;
    if (event && vm_copy_in(p->pd, &ev, event, sizeof(ev)))
        return -EFAULT;
    if ((err = check_sigevent(&ev)))
        return err;
    if (id < 0)
        return -EAGAIN;
    if (vm_copy_out(p->pd, id_ptr, &id, sizeof(id)))
        return -EFAULT;
    p->timers[id] = (struct posix_timer){.used = true, .clock = clock, .notify = ev.notify,
                                         .signo = ev.signo, .value = ev.value};
    return 0;
}

/* A signal the timer queued goes with it, as on Linux since 6.13 (which
 * drops it when it would be delivered; Relay drops it now, so sigpending
 * no longer shows it). */
SYSCALL_DEFINE1(timer_delete, int, id)
{
    struct proc *p = self();
    struct posix_timer *t = timer_find(p, id);
    uint32_t flags;

    if (!t)
        return -EINVAL;
    flags = irq_save();
    if (signal_queued(p, t))
        sig_cancel_timer(p, t->signo, id);
    t->used = false;
    irq_restore(flags);
    return 0;
}

SYSCALL_DEFINE1(timer_getoverrun, int, id)
{
    struct posix_timer *t = timer_find(self(), id);

    return t ? t->last_overrun : -EINVAL;
}

/* ---------------------------------------------------------------- setting */

/* struct itimerspec: the interval, then the value, each a timespec. */
static size_t timespec_size(enum time_layout layout) { return layout == TIMESPEC64 ? 16 : 8; }

/* What timer_gettime reports: the time to the next expiry and the
 * interval. An expiry the tick has not handled yet reads 1 ns, as Linux
 * (which gives 0 only for a one-shot SIGEV_NONE timer that is over). */
static long timer_report(struct proc *p, struct posix_timer *t, uintptr_t at,
                         enum time_layout layout)
{
    int64_t now = 0, left = 0;
    uint32_t flags = irq_save();

    if (t->expires && !clock_now_of(p, t->clock, &now))
        left = t->expires > now ? t->expires - now : 1;
    irq_restore(flags);
    if (time_to_user(at, layout, t->interval) ||
        time_to_user(at + timespec_size(layout), layout, left))
        return -EFAULT;
    return 0;
}

/* Arms (or, with a zero value, disarms) the timer; an absolute time
 * already past fires at the next tick. */
static void timer_arm(struct proc *p, struct posix_timer *t, int flags, int64_t value,
                      int64_t interval)
{
    int64_t now = 0;
    uint32_t irq = irq_save();

    if (value && !(flags & TIMER_ABSTIME) && !clock_now_of(p, t->clock, &now))
        value = value > INT64_MAX - now ? INT64_MAX : now + value;
    t->expires = value;
    t->interval = value ? interval : 0;
    t->overrun = 0;
    irq_restore(irq);
}

static long timer_set(int id, int flags, uintptr_t new_at, uintptr_t old_at,
                      enum time_layout layout)
{
    struct proc *p = self();
    struct posix_timer *t = timer_find(p, id);
    int64_t interval, value;
    long err;

    if (!t || !new_at)
        return -EINVAL;
    if ((err = time_from_user(new_at, layout, &interval)) ||
        (err = time_from_user(new_at + timespec_size(layout), layout, &value)))
        return err;
    if (old_at && (err = timer_report(p, t, old_at, layout)))
        return err;
    timer_arm(p, t, flags, value, interval);
    return 0;
}

SYSCALL_DEFINE4(timer_settime, int, id, int, flags, uintptr_t, new_at, uintptr_t, old_at)
{
    return timer_set(id, flags, new_at, old_at, TIMESPEC32);
}

SYSCALL_DEFINE4(timer_settime64, int, id, int, flags, uintptr_t, new_at, uintptr_t, old_at)
{
    return timer_set(id, flags, new_at, old_at, TIMESPEC64);
}

static long timer_get(int id, uintptr_t at, enum time_layout layout)
{
    struct posix_timer *t = timer_find(self(), id);

    return t ? timer_report(self(), t, at, layout) : -EINVAL;
}

SYSCALL_DEFINE2(timer_gettime, int, id, uintptr_t, at) { return timer_get(id, at, TIMESPEC32); }
SYSCALL_DEFINE2(timer_gettime64, int, id, uintptr_t, at) { return timer_get(id, at, TIMESPEC64); }
