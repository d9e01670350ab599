/*
 * Waiting for descriptors: poll, ppoll, select (_newselect) and pselect6,
 * with Linux i386's structures and rules (fs/select.c). Each file says what
 * it is ready for through file_ops.poll (NULL: always ready to read and
 * write, as Linux's DEFAULT_POLLMASK for regular files and simple devices).
 *
 * Relay keeps no wait queue per file: a waiting caller sleeps one timer
 * tick at a time and looks again, so it sees a change at most one tick
 * late; a signal wakes it at once, and so does a pipe, which calls
 * poll_notify when it changes. ppoll and pselect6 swap the signal mask
 * for the wait, as sigsuspend does: a handler that ends the wait runs with
 * the caller's old mask saved in its frame, and the call fails with EINTR.
 * Restarted after a stop (no handler), select, pselect6 and ppoll wait for
 * the time left that they wrote back (so the stop does not count), and
 * poll goes on until its first deadline (restart_syscall), as Linux.
 */
#include "clock.h"
#include "errno.h"
#include "file.h"
#include "kheap.h"
#include "poll.h"
#include "proc.h"
#include "signal.h"
#include "string.h"
#include "syscall.h"
#include "timer.h"
#include "x86.h"

#define KERNEL_SIGSET 8          /* the sigset size ppoll and pselect6 take */
#define NO_TIMEOUT    (-1)       /* wait until ready or a signal */
#define TIMED_OUT     (-1000000) /* look_once: the time is up (no errno has this value) */
#define MSEC_NS       1000000LL
#define FD_SET_BITS   32 /* bits in one word of an fd_set */
#define POLL_DEFAULT  (POLLIN | POLLOUT | POLLRDNORM | POLLWRNORM)
#define POLL_ALWAYS   (POLLERR | POLLHUP | POLLNVAL) /* reported even when not asked */
/* What select counts as readable, writable and exceptional (Linux: POLLIN_SET...). */
#define SELECT_IN  (POLLIN | POLLRDNORM | POLLRDBAND | POLLHUP | POLLERR)
#define SELECT_OUT (POLLOUT | POLLWRNORM | POLLWRBAND | POLLERR)
#define SELECT_EX  POLLPRI

static struct proc *self(void) { return current_proc(); }

static const int poll_waiters; /* the channel every waiting poll sleeps on */

void poll_notify(void) { proc_wakeup(&poll_waiters); }

/* What f is ready for now: its file_ops.poll, or ready for both reading and
 * writing when it has none (regular files, /dev/null...). */
static short file_poll(struct file *f) { return f->ops->poll ? f->ops->poll(f) : POLL_DEFAULT; }

/* ---------------------------------------------------------------- waiting */

/* One look: > 0 ready, < 0 an error, 0 nothing yet. It runs with interrupts
 * off, as does the sleep after it, so no poll_notify can fall in between. */
static long look_once(long (*scan)(void *), void *arg, int64_t deadline, bool timed)
{
    int64_t now = (int64_t)timer_ns();
    long n = scan(arg);

    if (n)
        return n;
    if (timed && now >= deadline)
        return TIMED_OUT;
    return sig_interrupting(self()) ? -ERESTARTNOHAND : 0;
}

/* Calls scan(arg) until it finds something (> 0), fails (< 0), the
 * deadline (on timer_ns, if timed) comes, or a signal comes; *left_ns gets
 * the time that was left. */
static long wait_until(long (*scan)(void *), void *arg, int64_t deadline, bool timed,
                       int64_t *left_ns)
{
    uint32_t flags = irq_save();
    int64_t now;
    long n;

    while (!(n = look_once(scan, arg, deadline, timed))) {
        self()->wake_tick = timer_ticks() + 1; /* look again at the next tick at the latest */
        proc_sleep(&poll_waiters);
        self()->wake_tick = 0;
    }
    irq_restore(flags);
    now = (int64_t)timer_ns();
    *left_ns = timed && deadline > now ? deadline - now : 0;
    return n == TIMED_OUT ? 0 : n;
}

/* The same with a timeout in ns, or NO_TIMEOUT. */
static long wait_ready(long (*scan)(void *), void *arg, int64_t timeout_ns, int64_t *left_ns)
{
    bool timed = timeout_ns >= 0;

    return wait_until(scan, arg, timed ? (int64_t)timer_ns() + timeout_ns : 0, timed, left_ns);
}

/* ppoll and pselect6: the mask in force while waiting (as sigsuspend). */
static long swap_mask(uintptr_t mask_ptr, size_t size)
{
    struct proc *p = self();
    sig_set_t mask;

    if (!mask_ptr)
        return 0;
    if (size != KERNEL_SIGSET)
        return -EINVAL;
    if (vm_copy_in(p->pd, &mask, mask_ptr, sizeof(mask)))
        return -EFAULT;
    if (!p->sig.restore_blocked) { /* not when restarted after a stop */
        p->sig.saved_blocked = p->sig.blocked;
        p->sig.restore_blocked = true;
    }
    p->sig.blocked = mask & ~SIG_UNBLOCKABLE;
    return 0;
}

/* Unless a handler is about to run (and restore it from its frame), the
 * caller's own mask comes back when the call returns. */
static long finish_mask(uintptr_t mask_ptr, long result)
{
    struct proc *p = self();

    if (mask_ptr && result != -ERESTARTNOHAND && p->sig.restore_blocked) {
        p->sig.blocked = p->sig.saved_blocked;
        p->sig.restore_blocked = false;
    }
    return result;
}

/* ---------------------------------------------------------------- poll */

struct pollfd {
    int32_t fd;
    int16_t events, revents;
};

/* The caller's array, used in place: with one thread per process no one
 * else sees revents change while the call waits. */
struct poll_job {
    uintptr_t ufds;
    uint32_t nfds;
};

static short poll_one(const struct pollfd *pfd)
{
    struct file *f;

    if (pfd->fd < 0)
        return 0; /* ignored, as Linux: revents 0 */
    if (!(f = fd_file(self(), pfd->fd)))
        return POLLNVAL;
    return (short)(file_poll(f) & ((uint16_t)pfd->events | POLL_ALWAYS));
}

static long poll_scan(void *arg)
{
    struct poll_job *job = arg;
    struct pollfd pfd;
    long ready = 0;

    for (uint32_t i = 0; i < job->nfds; i++) {
        uintptr_t at = job->ufds + i * sizeof(pfd);
        if (vm_copy_in(self()->pd, &pfd, at, sizeof(pfd)))
            return -EFAULT;
        pfd.revents = poll_one(&pfd);
        if (vm_copy_out(self()->pd, at, &pfd, sizeof(pfd)))
            return -EFAULT;
        ready += pfd.revents != 0;
    }
    return ready;
}

/* poll's body for every form. As Linux, nfds may reach RLIMIT_NOFILE. */
static long do_poll(uintptr_t ufds, uint32_t nfds, int64_t timeout_ns, int64_t *left_ns)
{
    struct poll_job job = {ufds, nfds};

    if (nfds > self()->rlim[RLIMIT_NOFILE].cur)
        return -EINVAL;
    return wait_ready(poll_scan, &job, timeout_ns, left_ns);
}

static long poll_restart(struct restart_block *r);

/* poll until a deadline. Cut short by a signal that runs no handler (a
 * stop), it goes on through restart_syscall until the same deadline, as
 * Linux's do_restart_poll: poll has no timeout in memory to update. */
static long poll_until(uintptr_t ufds, uint32_t nfds, int64_t deadline)
{
    struct poll_job job = {ufds, nfds};
    struct proc *p = self();
    int64_t left;
    long n;

    if (nfds > p->rlim[RLIMIT_NOFILE].cur)
        return -EINVAL;
    n = wait_until(poll_scan, &job, deadline, true, &left);
    if (n != -ERESTARTNOHAND)
        return n;
    p->restart = (struct restart_block){
        .fn = poll_restart, .deadline = deadline, .addr = ufds, .count = nfds};
    p->syscall_nr = SYS_restart_syscall;
    return -ERESTART_NEVER; /* EINTR if a handler runs, else restart_syscall */
}

static long poll_restart(struct restart_block *r)
{
    return poll_until(r->addr, r->count, r->deadline);
}

SYSCALL_DEFINE3(poll, uintptr_t, ufds, uint32_t, nfds, int, timeout_ms)
{
    int64_t left;

    if (timeout_ms >= 0)
        return poll_until(ufds, nfds, (int64_t)timer_ns() + timeout_ms * MSEC_NS);
    return do_poll(ufds, nfds, NO_TIMEOUT, &left);
}

/* ---------------------------------------------------------------- timeouts */

/* A timeout from user memory: NO_TIMEOUT for NULL, -EINVAL when malformed. */
static long timeout_in(uintptr_t at, enum time_layout layout, int64_t *ns)
{
    *ns = NO_TIMEOUT;
    return at ? time_from_user(at, layout, ns) : 0;
}

/* Writes the time left back, as Linux does for select, pselect6 and ppoll;
 * a failure to write is ignored there too (the result stands). */
static void timeout_out(uintptr_t at, enum time_layout layout, int64_t left_ns)
{
    if (at)
        time_to_user(at, layout, left_ns);
}

static long ppoll_common(uintptr_t ufds, uint32_t nfds, uintptr_t tsp, uintptr_t mask_ptr,
                         size_t mask_size, enum time_layout layout)
{
    int64_t timeout, left = 0;
    long n = timeout_in(tsp, layout, &timeout);

    if (n || (n = swap_mask(mask_ptr, mask_size)))
        return n;
    n = finish_mask(mask_ptr, do_poll(ufds, nfds, timeout, &left));
    if (timeout >= 0)
        timeout_out(tsp, layout, left);
    return n;
}

SYSCALL_DEFINE5(ppoll, uintptr_t, ufds, uint32_t, nfds, uintptr_t, tsp, uintptr_t, mask, size_t,
                mask_size)
{
    return ppoll_common(ufds, nfds, tsp, mask, mask_size, TIMESPEC32);
}

SYSCALL_DEFINE5(ppoll_time64, uintptr_t, ufds, uint32_t, nfds, uintptr_t, tsp, uintptr_t, mask,
                size_t, mask_size)
{
    return ppoll_common(ufds, nfds, tsp, mask, mask_size, TIMESPEC64);
}

/* ---------------------------------------------------------------- select */

/* The three sets, in and out, as words of FD_SET_BITS descriptors. */
struct select_job {
    int nfds;
    uint32_t in[3][NOFILE / FD_SET_BITS], out[3][NOFILE / FD_SET_BITS];
};

static const short select_sets[3] = {SELECT_IN, SELECT_OUT, SELECT_EX};

static bool bit_of(const uint32_t *set, int fd)
{
    return set[fd / FD_SET_BITS] >> (fd % FD_SET_BITS) & 1;
}

/* One descriptor: its bits in the out sets; -EBADF when asked about a closed one. */
static long select_one(struct select_job *job, int fd)
{
    bool asked = bit_of(job->in[0], fd) || bit_of(job->in[1], fd) || bit_of(job->in[2], fd);
    struct file *f = asked ? fd_file(self(), fd) : NULL;
    long count = 0;
    short mask;

    if (!asked)
        return 0;
    if (!f)
        return -EBADF;
    mask = file_poll(f);
    for (int s = 0; s < 3; s++) {
        if (bit_of(job->in[s], fd) && (mask & select_sets[s])) {
            job->out[s][fd / FD_SET_BITS] |= 1u << (fd % FD_SET_BITS);
            count++;
        }
    }
    return count;
}

static long select_scan(void *arg)
{
    struct select_job *job = arg;
    long ready = 0, n;

    memset(job->out, 0, sizeof(job->out));
    for (int fd = 0; fd < job->nfds; fd++) {
        if ((n = select_one(job, fd)) < 0)
            return n;
        ready += n;
    }
    return ready;
}

/* The bytes of an fd_set that cover nfds descriptors (Linux: whole longs). */
static size_t set_bytes(int nfds) { return (size_t)(nfds + FD_SET_BITS - 1) / FD_SET_BITS * 4; }

static long sets_in(struct select_job *job, const uintptr_t sets[3])
{
    for (int s = 0; s < 3; s++)
        if (sets[s] && vm_copy_in(self()->pd, job->in[s], sets[s], set_bytes(job->nfds)))
            return -EFAULT;
    return 0;
}

static long sets_out(const struct select_job *job, const uintptr_t sets[3])
{
    for (int s = 0; s < 3; s++)
        if (sets[s] && vm_copy_out(self()->pd, sets[s], job->out[s], set_bytes(job->nfds)))
            return -EFAULT;
    return 0;
}

/* select's body for every form. Descriptors past the table are cut off, as
 * Linux cuts nfds to the table it has. */
static long do_select(int nfds, const uintptr_t sets[3], int64_t timeout_ns, int64_t *left_ns)
{
    struct select_job *job;
    long n;

    if (nfds < 0)
        return -EINVAL;
    if (!(job = kmalloc(sizeof(*job))))
        return -ENOMEM;
    memset(job, 0, sizeof(*job));
    job->nfds = MIN(nfds, fd_limit(self()));
    if (!(n = sets_in(job, sets)))
        n = wait_ready(select_scan, job, timeout_ns, left_ns);
    if (n >= 0 && sets_out(job, sets))
        n = -EFAULT;
    kfree(job);
    return n;
}

SYSCALL_DEFINE5(_newselect, int, nfds, uintptr_t, readfds, uintptr_t, writefds, uintptr_t,
                exceptfds, uintptr_t, tvp)
{
    const uintptr_t sets[3] = {readfds, writefds, exceptfds};
    int64_t timeout, left = 0;
    long n = timeout_in(tvp, TIMEVAL32, &timeout);

    if (n)
        return n;
    n = do_select(nfds, sets, timeout, &left);
    if (timeout >= 0)
        timeout_out(tvp, TIMEVAL32, left);
    return n;
}

/* pselect6's sixth argument: a pointer to {const sigset_t *, size_t}. */
static long pselect_common(int nfds, const uintptr_t sets[3], uintptr_t tsp, uintptr_t sig_arg,
                           enum time_layout layout)
{
    uint32_t mask_arg[2] = {0, 0};
    int64_t timeout, left = 0;
    long n = timeout_in(tsp, layout, &timeout);

    if (n)
        return n;
    if (sig_arg && vm_copy_in(self()->pd, mask_arg, sig_arg, sizeof(mask_arg)))
        return -EFAULT;
    if ((n = swap_mask(mask_arg[0], mask_arg[1])))
        return n;
    n = finish_mask(mask_arg[0], do_select(nfds, sets, timeout, &left));
    if (timeout >= 0)
        timeout_out(tsp, layout, left);
    return n;
}

SYSCALL_DEFINE6(pselect6, int, nfds, uintptr_t, readfds, uintptr_t, writefds, uintptr_t, exceptfds,
                uintptr_t, tsp, uintptr_t, sig)
{
    const uintptr_t sets[3] = {readfds, writefds, exceptfds};

    return pselect_common(nfds, sets, tsp, sig, TIMESPEC32);
}

SYSCALL_DEFINE6(pselect6_time64, int, nfds, uintptr_t, readfds, uintptr_t, writefds, uintptr_t,
                exceptfds, uintptr_t, tsp, uintptr_t, sig)
{
    const uintptr_t sets[3] = {readfds, writefds, exceptfds};

    return pselect_common(nfds, sets, tsp, sig, TIMESPEC64);
}
