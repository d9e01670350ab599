/*
 * Pipes, with Linux's rules (pipe(7)): 64 KiB of buffer; a write of up to
 * PIPE_BUF bytes is atomic (it waits for room for all of it); a read
 * returns what there is, or waits for something, or returns 0 once every
 * writer has closed; a write with no reader left raises SIGPIPE and fails
 * with EPIPE. O_NONBLOCK turns each wait into EAGAIN. A signal ends a wait:
 * with nothing moved the call fails with -ERESTARTSYS (EINTR, or restarted
 * under SA_RESTART); with some moved it returns that count.
 *
 * SIGPIPE is a signal no interrupt causes: the kernel raises it itself, in
 * the writer's own system call. The trace names its source "pipe".
 */
#include "pipe.h"
#include "errno.h"
#include "file.h"
#include "kheap.h"
#include "memlayout.h"
#include "pmm.h"
#include "proc.h"
#include "signal.h"
#include "string.h"
#include "trace.h"
#include "x86.h"

#define PIPE_PAGES 16 /* Linux's default: 16 pages, 64 KiB */
#define PIPE_SIZE  (PIPE_PAGES * PAGE_SIZE)

struct pipe {
    uint8_t *page[PIPE_PAGES]; /* made when first written */
    uint32_t head, tail;       /* bytes written and read so far; head - tail are buffered */
    int readers, writers;      /* open read and write ends */
};

static uint32_t pipe_used(const struct pipe *pp) { return pp->head - pp->tail; }

/* One chunk between a ring page and buf, in the direction asked. */
static int copy_chunk(struct iobuf buf, uintptr_t addr, uint8_t *ring, size_t n, bool to_ring)
{
    if (buf.pd)
        return to_ring ? vm_copy_in(buf.pd, ring, addr, n) : vm_copy_out(buf.pd, addr, ring, n);
    if (to_ring)
        memcpy(ring, (const void *)addr, n);
    else
        memcpy((void *)addr, ring, n);
    return 0;
}

/* Copies n bytes between the ring at position pos and buf (done bytes in). */
static int ring_copy(struct pipe *pp, uint32_t pos, struct iobuf buf, size_t done, size_t n,
                     bool to_ring)
{
    while (n) {
        uint32_t at = pos % PIPE_SIZE, in_page = at % PAGE_SIZE;
        size_t chunk = MIN(n, PAGE_SIZE - in_page);
        uint8_t **page = &pp->page[at / PAGE_SIZE];

        if (!*page && !(*page = frame_alloc()))
            return -ENOMEM;
        if (copy_chunk(buf, buf.addr + done, *page + in_page, chunk, to_ring))
            return -EFAULT;
        pos += chunk;
        done += chunk;
        n -= chunk;
    }
    return 0;
}

/* Can a reader (room == 0) or a writer of `room` bytes go on? */
static bool pipe_ready(const struct pipe *pp, size_t room)
{
    if (room == 0)
        return pipe_used(pp) || !pp->writers;
    return !pp->readers || PIPE_SIZE - pipe_used(pp) >= room;
}

/* Sleeps until pipe_ready or a reason to stop: 0, -EAGAIN or -ERESTARTSYS.
 * Called and returns with interrupts off. */
static int pipe_wait(struct pipe *pp, struct file *f, size_t room)
{
    struct proc *self = current_proc();

    while (!pipe_ready(pp, room)) {
        if (f->flags & O_NONBLOCK)
            return -EAGAIN;
        if (sig_interrupting(self))
            return -ERESTARTSYS;
        proc_sleep(pp);
    }
    return 0;
}

static long pipe_read(struct file *f, struct iobuf buf, size_t count)
{
    struct pipe *pp = f->private;
    size_t n;
    int err;

    if (count == 0)
        return 0;
    cli();
    err = pipe_wait(pp, f, 0);
    sti();
    if (err)
        return err;
    n = MIN(count, pipe_used(pp));
    if (n && (err = ring_copy(pp, pp->tail, buf, 0, n, false)))
        return err;
    pp->tail += n;
    proc_wakeup(pp); /* writers waiting for room */
    return (long)n;
}

static void raise_sigpipe(void)
{
    static const struct sig_info from_pipe = {.code = SI_USER, .source = SRC_PIPE};
    struct sig_info info = from_pipe;

    info.pid = current_proc()->pid;
    sig_send(current_proc(), SIGPIPE, &info);
}

static long pipe_write(struct file *f, struct iobuf buf, size_t count)
{
    struct pipe *pp = f->private;
    size_t done = 0;

    while (done < count) {
        size_t left = count - done, n;
        int err;

        cli();
        err = pipe_wait(pp, f, left <= PIPE_BUF ? left : 1); /* small writes are atomic */
        sti();
        if (!pp->readers) {
            raise_sigpipe();
            return done ? (long)done : -EPIPE;
        }
        if (err)
            return done ? (long)done : err;
        n = MIN(left, PIPE_SIZE - pipe_used(pp));
        if ((err = ring_copy(pp, pp->head, buf, done, n, true)))
            return done ? (long)done : err;
        pp->head += n;
        done += n;
        proc_wakeup(pp); /* readers waiting for data */
    }
    return (long)done;
}

static void pipe_free(struct pipe *pp)
{
    for (int i = 0; i < PIPE_PAGES; i++)
        if (pp->page[i])
            frame_free(pp->page[i]);
    kfree(pp);
}

static void pipe_release(struct file *f)
{
    struct pipe *pp = f->private;

    if ((f->flags & O_ACCMODE) == O_RDONLY)
        pp->readers--;
    else
        pp->writers--;
    proc_wakeup(pp); /* end of file for readers, EPIPE for writers */
    if (!pp->readers && !pp->writers)
        pipe_free(pp);
}

static const struct file_ops pipe_ops = {
    .read = pipe_read,
    .write = pipe_write,
    .release = pipe_release,
};

static struct file *pipe_end(struct pipe *pp, uint32_t flags)
{
    struct file *f = file_new(&pipe_ops, flags);

    if (f)
        f->private = pp;
    return f;
}

int pipe_create(uint32_t flags, struct file **read_end, struct file **write_end)
{
    struct pipe *pp = kmalloc(sizeof(*pp));

    if (!pp)
        return -ENFILE;
    *read_end = pipe_end(pp, O_RDONLY | (flags & O_NONBLOCK));
    *write_end = pipe_end(pp, O_WRONLY | (flags & O_NONBLOCK));
    if (!*read_end || !*write_end) {
        if (*read_end)
            kfree(*read_end);
        if (*write_end)
            kfree(*write_end);
        kfree(pp);
        return -ENFILE;
    }
    pp->readers = pp->writers = 1;
    return 0;
}
