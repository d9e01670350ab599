/*
 * Reading and writing beyond read and write: readv and writev (several
 * buffers in one call), pread64 and pwrite64 (at an offset, leaving the
 * file's own alone), as Linux i386 has them (fs/read_write.c).
 *
 * A pipe or the terminal must see one call as one read or write: a writev
 * of at most a page is gathered into a kernel frame and written at once
 * (so it stays atomic on a pipe, as PIPE_BUF promises), and a readv of
 * anything but a regular file reads once, at most a page, into a frame,
 * and scatters. Regular files never wait, so they take the buffers one by
 * one, stopping at the first short transfer.
 */
#include "errno.h"
#include "file.h"
#include "pmm.h"
#include "proc.h"
#include "syscall.h"

#define IOV_MAX     1024        /* Linux's UIO_MAXIOV */
#define SSIZE_LIMIT 0x7fffffffu /* a total past this no longer fits the return value */

struct iovec32 {
    uint32_t base, len;
};

/* A vector in user memory, checked; its entries are read as they are
 * needed (up to IOV_MAX of them would not fit one kernel frame). Each
 * copy is checked again, so an entry the program changes meanwhile can
 * only earn it EFAULT. */
struct iov_job {
    uintptr_t uiov;
    int count;
    size_t total;
};

static struct proc *self(void) { return current_proc(); }
static bool can_read(const struct file *f) { return (f->flags & O_ACCMODE) != O_WRONLY; }
static bool can_write(const struct file *f) { return (f->flags & O_ACCMODE) != O_RDONLY; }
static bool is_regular(const struct file *f)
{
    return f->inode && S_ISTYPE(f->inode->mode, S_IFREG);
}

static int iov_at(const struct iov_job *job, int i, struct iovec32 *v)
{
    return vm_copy_in(self()->pd, v, job->uiov + (uintptr_t)i * sizeof(*v), sizeof(*v));
}

/* The count, then each buffer: user memory (writable to read into), and
 * a total that fits the return value. */
static long iov_in(uintptr_t uiov, int count, bool reading, struct iov_job *job)
{
    struct iovec32 v;

    if (count < 0 || count > IOV_MAX)
        return -EINVAL;
    *job = (struct iov_job){uiov, count, 0};
    for (int i = 0; i < count; i++) {
        if (iov_at(job, i, &v))
            return -EFAULT;
        if (v.len > SSIZE_LIMIT - job->total)
            return -EINVAL;
        if (v.len && !vm_user_range_ok(self()->pd, v.base, v.len, reading))
            return -EFAULT;
        job->total += v.len;
    }
    return 0;
}

/* Regular files: one op call per buffer, until one moves less than asked. */
static long each_buffer(struct file *f, const struct iov_job *job, bool reading)
{
    long done = 0, n = 0;

    for (int i = 0; i < job->count; i++) {
        struct iovec32 v;
        if (iov_at(job, i, &v)) {
            n = -EFAULT;
            break;
        }
        if (!v.len)
            continue;
        struct iobuf buf = {self()->pd, v.base};
        n = reading ? f->ops->read(f, buf, v.len) : f->ops->write(f, buf, v.len);
        if (n <= 0)
            break;
        done += n;
        if ((uint32_t)n < v.len)
            break;
    }
    return done ? done : n;
}

/* Copies n bytes between a kernel frame and the vector's buffers, in order. */
static int frame_copy(const struct iov_job *job, uint8_t *frame, size_t n, bool to_user)
{
    size_t at = 0;

    for (int i = 0; i < job->count && at < n; i++) {
        struct iovec32 v;
        if (iov_at(job, i, &v))
            return -EFAULT;
        size_t part = MIN(n - at, (size_t)v.len);
        int err = to_user ? vm_copy_out(self()->pd, v.base, frame + at, part)
                          : vm_copy_in(self()->pd, frame + at, v.base, part);
        if (err)
            return err;
        at += part;
    }
    return 0;
}

/* One op call through a frame: a pipe or the terminal sees a single transfer. */
static long through_frame(struct file *f, const struct iov_job *job, bool reading)
{
    uint8_t *frame = frame_alloc();
    size_t n = MIN(job->total, (size_t)PAGE_SIZE);
    struct iobuf kbuf = {NULL, (uintptr_t)frame};
    long got;

    if (!frame)
        return -ENOMEM;
    if (!reading && frame_copy(job, frame, n, false)) {
        frame_free(frame);
        return -EFAULT;
    }
    got = reading ? f->ops->read(f, kbuf, n) : f->ops->write(f, kbuf, n);
    if (reading && got > 0 && frame_copy(job, frame, (size_t)got, true))
        got = -EFAULT;
    frame_free(frame);
    return got;
}

static long vector_io(int fd, uintptr_t uiov, int count, bool reading)
{
    struct file *f = fd_file(self(), fd);
    struct iov_job job;
    long n;

    if (!f || !(reading ? can_read(f) : can_write(f)))
        return -EBADF;
    if ((n = iov_in(uiov, count, reading, &job)))
        return n;
    if (job.total == 0)
        n = 0;
    else if (is_regular(f) || (!reading && job.total > PAGE_SIZE))
        n = each_buffer(f, &job, reading);
    else
        n = through_frame(f, &job, reading);
    return n;
}

SYSCALL_DEFINE3(readv, int, fd, uintptr_t, iov, int, count)
{
    return vector_io(fd, iov, count, true);
}
SYSCALL_DEFINE3(writev, int, fd, uintptr_t, iov, int, count)
{
    return vector_io(fd, iov, count, false);
}

/* ---------------------------------------------------------------- pread64, pwrite64 */

/* The op at offset `at`, with the file's own offset put back after. Pipes
 * have no offset (ESPIPE); devices take it as read and write would. */
static long io_at(int fd, uintptr_t ubuf, size_t count, int64_t at, bool reading)
{
    struct file *f = fd_file(self(), fd);
    uint64_t saved;
    long n;

    if (!f || !(reading ? can_read(f) : can_write(f)))
        return -EBADF;
    if (at < 0)
        return -EINVAL;
    if (!f->inode)
        return -ESPIPE;
    if (count == 0)
        return 0;
    if (!vm_user_range_ok(self()->pd, ubuf, count, reading))
        return -EFAULT;
    saved = f->offset;
    f->offset = (uint64_t)at;
    n = reading ? f->ops->read(f, (struct iobuf){self()->pd, ubuf}, count)
                : f->ops->write(f, (struct iobuf){self()->pd, ubuf}, count);
    f->offset = saved;
    return n;
}

static int64_t join64(uint32_t low, uint32_t high) { return (int64_t)((uint64_t)high << 32 | low); }

SYSCALL_DEFINE5(pread64, int, fd, uintptr_t, buf, size_t, count, uint32_t, low, uint32_t, high)
{
    return io_at(fd, buf, count, join64(low, high), true);
}

SYSCALL_DEFINE5(pwrite64, int, fd, uintptr_t, buf, size_t, count, uint32_t, low, uint32_t, high)
{
    return io_at(fd, buf, count, join64(low, high), false);
}
