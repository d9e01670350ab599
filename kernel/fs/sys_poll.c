/*
 * poll and ppoll: wait until one of several descriptors is ready, a signal
 * comes, or time runs out. Each kind of file says whether it is ready now
 * (file_ops.poll); a waiting poller sleeps until something changes
 * (file_poll_notify, called where pipes and the terminal wake their own
 * readers and writers) or its timeout's tick comes.
 *
 * ppoll swaps the signal mask for the wait, atomically, as Linux does: a
 * signal it lets in interrupts the wait, its handler runs with that mask,
 * and sigreturn restores the caller's (the saved_blocked of sigsuspend).
 * Neither call is restarted after a handler (signal(7)): EINTR.
 */
#include "clock.h"
#include "errno.h"
#include "file.h"
#include "pmm.h"
#include "proc.h"
#include "signal.h"
#include "syscall.h"
#include "timer.h"
#include "x86.h"

#define POLL_ALWAYS        (POLLERR | POLLHUP | POLLNVAL) /* reported whether asked or not */
#define NO_TIMEOUT         UINT64_MAX
#define MS_PER_SECOND      1000
#define NS_PER_MS          1000000
#define KERNEL_SIGSET_SIZE 8

struct pollfd {
    int32_t fd;
    int16_t events, revents;
};

static int poll_channel; /* what pollers sleep on */

void file_poll_notify(void) { proc_wakeup(&poll_channel); }

static short poll_one(struct proc *p, const struct pollfd *pfd)
{
    struct file *f;
    short now;

    if (pfd->fd < 0)
        return 0; /* ignored, as poll(2) says */
    if (!(f = fd_file(p, pfd->fd)))
        return POLLNVAL;
    now = f->ops->poll ? f->ops->poll(f) : (short)(POLLIN | POLLOUT | POLLRDNORM | POLLWRNORM);
    return (short)(now & (pfd->events | POLL_ALWAYS));
}

/* Fills every revents; returns how many are non-zero. */
static int poll_all(struct proc *p, struct pollfd *fds, uint32_t n)
{
    int ready = 0;

    for (uint32_t i = 0; i < n; i++)
        ready += (fds[i].revents = poll_one(p, &fds[i])) != 0;
    return ready;
}

/* Waits until something is ready or wake_tick passes (0 ticks: look once). */
static long wait_ready(struct proc *p, struct pollfd *fds, uint32_t n, uint64_t wake_tick)
{
    long ready;

    cli();
    while (!(ready = poll_all(p, fds, n)) && timer_ticks() < wake_tick) {
        if (sig_interrupting(p)) {
            ready = -ERESTARTNOHAND;
            break;
        }
        p->wake_tick = wake_tick == NO_TIMEOUT ? 0 : wake_tick;
        proc_sleep(&poll_channel);
    }
    p->wake_tick = 0;
    sti();
    return ready;
}

static uint64_t deadline_after_ns(uint64_t ns)
{
    uint64_t per_tick = NSEC_PER_SEC / timer_hz();

    return ns ? timer_ticks() + (ns + per_tick - 1) / per_tick + 1 : 0;
}

static long do_poll(uintptr_t fds_ptr, uint32_t n, uint64_t wake_tick)
{
    struct proc *p = current_proc();
    size_t size = (size_t)n * sizeof(struct pollfd);
    struct pollfd *fds;
    long ready;

    if (n > (uint32_t)fd_limit(p) || size > PAGE_SIZE)
        return -EINVAL;
    if (!(fds = frame_alloc()))
        return -ENOMEM;
    if (vm_copy_in(p->pd, fds, fds_ptr, size)) {
        frame_free(fds);
        return -EFAULT;
    }
    ready = wait_ready(p, fds, n, wake_tick);
    if (ready >= 0 && vm_copy_out(p->pd, fds_ptr, fds, size))
        ready = -EFAULT;
    frame_free(fds);
    return ready;
}

SYSCALL_DEFINE3(poll, uintptr_t, fds, uint32_t, n, int, timeout_ms)
{
    uint64_t wake =
        timeout_ms < 0 ? NO_TIMEOUT : deadline_after_ns((uint64_t)timeout_ms * NS_PER_MS);
    return do_poll(fds, n, wake);
}

/* The mask is swapped for the wait, and restored at once unless a handler
 * is about to run (its frame then carries the old mask). */
static long poll_with_mask(uintptr_t fds, uint32_t n, uint64_t wake, uintptr_t mask_ptr,
                           size_t setsize)
{
    struct proc *p = current_proc();
    uint32_t mask;
    long ready;

    if (!mask_ptr)
        return do_poll(fds, n, wake);
    if (setsize != KERNEL_SIGSET_SIZE)
        return -EINVAL;
    if (vm_copy_in(p->pd, &mask, mask_ptr, sizeof(mask)))
        return -EFAULT;
    if (!p->sig.restore_blocked) {
        p->sig.saved_blocked = p->sig.blocked;
        p->sig.restore_blocked = true;
    }
    p->sig.blocked = mask & ~SIG_UNBLOCKABLE;
    ready = do_poll(fds, n, wake);
    if (ready != -ERESTARTNOHAND) {
        p->sig.blocked = p->sig.saved_blocked;
        p->sig.restore_blocked = false;
    }
    return ready;
}

struct timespec32 {
    int32_t sec, nsec;
};

struct timespec64 {
    int64_t sec, nsec;
};

static long timeout_of(uintptr_t ts_ptr, bool wide, uint64_t *wake)
{
    struct timespec64 t = {0, 0};
    struct timespec32 t32;

    if (!ts_ptr) {
        *wake = NO_TIMEOUT;
        return 0;
    }
    if (wide ? vm_copy_in(current_proc()->pd, &t, ts_ptr, sizeof(t))
             : vm_copy_in(current_proc()->pd, &t32, ts_ptr, sizeof(t32)))
        return -EFAULT;
    if (!wide)
        t = (struct timespec64){t32.sec, t32.nsec};
    if (t.sec < 0 || t.nsec < 0 || t.nsec >= (int64_t)NSEC_PER_SEC)
        return -EINVAL;
    *wake = deadline_after_ns((uint64_t)t.sec * NSEC_PER_SEC + (uint64_t)t.nsec);
    return 0;
}

SYSCALL_DEFINE5(ppoll, uintptr_t, fds, uint32_t, n, uintptr_t, ts, uintptr_t, mask, size_t, setsize)
{
    uint64_t wake;
    long err = timeout_of(ts, false, &wake);

    return err ? err : poll_with_mask(fds, n, wake, mask, setsize);
}

SYSCALL_DEFINE5(ppoll_time64, uintptr_t, fds, uint32_t, n, uintptr_t, ts, uintptr_t, mask, size_t,
                setsize)
{
    uint64_t wake;
    long err = timeout_of(ts, true, &wake);

    return err ? err : poll_with_mask(fds, n, wake, mask, setsize);
}
