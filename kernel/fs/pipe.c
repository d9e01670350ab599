/*
 * Pipes, with Linux's rules (pipe(7)): 16 page buffers, 64 KiB; a write of
 * up to PIPE_BUF bytes is atomic; a read
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
#include "poll.h"
#include "proc.h"
#include "signal.h"
#include "string.h"
#include "trace.h"
#include "x86.h"

#define PIPE_SLOTS 16 /* Linux's default: 16 buffers of a page each, 64 KiB */

/* One buffer of the ring: a page and the bytes of it not read yet. */
struct pipe_buf {
    uint8_t *page;
    uint16_t offset, len;
};

/* A ring of page buffers, as Linux keeps it (fs/pipe.c): a write fills new
 * pages, and only the part of it past the last whole page may merge into
 * the newest buffer; a buffer frees its slot when it has been read to the
 * end. So "room" is counted in slots, not bytes: one unread byte keeps a
 * whole page's slot, and a small write never splits (PIPE_BUF atomicity). */
struct pipe {
    struct pipe_buf buf[PIPE_SLOTS];
    uint32_t head, tail;  /* slots filled and emptied so far; head - tail are in use */
    int readers, writers; /* open read and write ends */
};

/* Wakes those waiting in the pipe's own calls, and any poll or select. */
static void pipe_wakeup(const struct pipe *pp)
{
    proc_wakeup(pp);
    poll_notify();
}

static bool pipe_empty(const struct pipe *pp) { return pp->head == pp->tail; }
static bool pipe_full(const struct pipe *pp) { return pp->head - pp->tail >= PIPE_SLOTS; }
static struct pipe_buf *slot(struct pipe *pp, uint32_t i) { return &pp->buf[i % PIPE_SLOTS]; }

/* Copies n bytes between a page and buf (done bytes in), in the direction asked. */
static int copy_chunk(struct iobuf buf, size_t done, uint8_t *page, size_t n, bool to_page)
{
    return to_page ? iobuf_get(buf, done, page, n) : iobuf_put(buf, done, page, n);
}

/* Sleeps until `ready` says so, or returns why it cannot wait: -EAGAIN or
 * -ERESTARTSYS. Called and returns with interrupts off. */
static int pipe_wait(struct pipe *pp, struct file *f, bool (*ready)(const struct pipe *))
{
    struct proc *self = current_proc();

    while (!ready(pp)) {
        if (f->flags & O_NONBLOCK)
            return -EAGAIN;
        if (sig_interrupting(self))
            return -ERESTARTSYS;
        proc_sleep(pp);
    }
    return 0;
}

static bool has_data_or_eof(const struct pipe *pp) { return !pipe_empty(pp) || !pp->writers; }

/* Reads from the oldest buffers until count bytes or the pipe is empty. */
static long drain(struct pipe *pp, struct iobuf buf, size_t count)
{
    size_t done = 0;

    while (done < count && !pipe_empty(pp)) {
        struct pipe_buf *b = slot(pp, pp->tail);
        size_t n = MIN(count - done, b->len);

        if (copy_chunk(buf, done, b->page + b->offset, n, false))
            return done ? (long)done : -EFAULT;
        b->offset += n;
        b->len -= n;
        done += n;
        if (b->len == 0) {
            frame_free(b->page);
            b->page = NULL;
            pp->tail++;
        }
    }
    return (long)done;
}

static long pipe_read(struct file *f, struct iobuf buf, size_t count)
{
    struct pipe *pp = f->private;
    long n;
    int err;

    if (count == 0)
        return 0;
    cli();
    err = pipe_wait(pp, f, has_data_or_eof);
    sti();
    if (err)
        return err;
    n = drain(pp, buf, count);
    pipe_wakeup(pp); /* writers waiting for a free slot */
    return n;
}

static void raise_sigpipe(void)
{
    static const struct sig_info from_pipe = {.code = SI_USER, .source = SRC_PIPE};
    struct sig_info info = from_pipe;

    info.pid = current_proc()->pid;
    info.uid = current_proc()->cred.uid;
    (void)sig_queue_thread(current_proc(), SIGPIPE, &info); /* Linux: send_sig, the thread's */
}

/* The part of a write past its last whole page goes into the newest buffer
 * when it fits there (Linux: PIPE_BUF_FLAG_CAN_MERGE); returns the bytes merged. */
static long merge_tail(struct pipe *pp, struct iobuf buf, size_t count)
{
    size_t chars = count % PAGE_SIZE;
    struct pipe_buf *last;

    if (!chars || pipe_empty(pp))
        return 0;
    last = slot(pp, pp->head - 1);
    if (last->offset + last->len + chars > PAGE_SIZE)
        return 0;
    if (copy_chunk(buf, 0, last->page + last->offset + last->len, chars, true))
        return -EFAULT;
    last->len += chars;
    return (long)chars;
}

/* Fills one new buffer from buf (done bytes in); returns its length. */
static long fill_slot(struct pipe *pp, struct iobuf buf, size_t done, size_t count)
{
    struct pipe_buf *b = slot(pp, pp->head);
    size_t n = MIN(count - done, PAGE_SIZE);

    if (!(b->page = frame_alloc()))
        return -ENOMEM;
    if (copy_chunk(buf, done, b->page, n, true)) {
        frame_free(b->page);
        b->page = NULL;
        return -EFAULT;
    }
    b->offset = 0;
    b->len = (uint16_t)n;
    pp->head++;
    return (long)n;
}

static bool has_room_or_no_reader(const struct pipe *pp) { return !pipe_full(pp) || !pp->readers; }

static long pipe_write(struct file *f, struct iobuf buf, size_t count)
{
    struct pipe *pp = f->private;
    long done = pp->readers ? merge_tail(pp, buf, count) : 0, n;
    int err;

    if (done < 0)
        return done;
    while ((size_t)done < count) {
        cli();
        err = pipe_wait(pp, f, has_room_or_no_reader);
        sti();
        if (!pp->readers) {
            raise_sigpipe();
            return done ? done : -EPIPE;
        }
        if (err || (n = fill_slot(pp, buf, (size_t)done, count)) < 0)
            return done ? done : (err ? err : n);
        done += n;
        pipe_wakeup(pp); /* readers waiting for data */
    }
    pipe_wakeup(pp);
    return done;
}

static void pipe_free(struct pipe *pp)
{
    for (int i = 0; i < PIPE_SLOTS; i++)
        if (pp->buf[i].page)
            frame_free(pp->buf[i].page);
    kfree(pp);
}

static void pipe_release(struct file *f)
{
    struct pipe *pp = f->private;

    if ((f->flags & O_ACCMODE) == O_RDONLY)
        pp->readers--;
    else
        pp->writers--;
    pipe_wakeup(pp); /* end of file for readers, EPIPE for writers */
    if (!pp->readers && !pp->writers)
        pipe_free(pp);
}

/* Linux's pipe_poll: a read end is ready with data or once no writer is
 * left (POLLHUP); a write end with a free slot, or POLLERR with no reader. */
static short pipe_poll(struct file *f)
{
    const struct pipe *pp = f->private;
    short mask = 0;

    if ((f->flags & O_ACCMODE) == O_RDONLY) {
        mask |= pipe_empty(pp) ? 0 : POLLIN | POLLRDNORM;
        mask |= pp->writers ? 0 : POLLHUP;
    } else {
        mask |= pipe_full(pp) ? 0 : POLLOUT | POLLWRNORM;
        mask |= pp->readers ? 0 : POLLERR;
    }
    return mask;
}

static const struct file_ops pipe_ops = {
    .read = pipe_read,
    .write = pipe_write,
    .poll = pipe_poll,
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
