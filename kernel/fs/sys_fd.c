/*
 * The system calls on descriptors themselves: dup, dup2, dup3, fcntl64,
 * pipe and pipe2 (Linux i386's numbers and errno values). A descriptor
 * points to an open file description (include/file.h); these make more
 * descriptors for one description, or a new pipe's two.
 */
#include "at.h"
#include "errno.h"
#include "file.h"
#include "pipe.h"
#include "proc.h"
#include "syscall.h"

static struct proc *self(void) { return current_proc(); }

#define F_DUPFD         0
#define F_GETFD         1
#define F_SETFD         2
#define F_GETFL         3
#define F_SETFL         4
#define F_DUPFD_CLOEXEC 1030
#define FD_CLOEXEC      1

/* ---------------------------------------------------------------- descriptors */

SYSCALL_DEFINE1(dup, int, fd)
{
    struct file *f = fd_file(self(), fd);
    long nfd;

    if (!f)
        return -EBADF;
    if ((nfd = fd_install(self(), file_get(f), 0, false)) < 0)
        file_put(f);
    return nfd;
}

static long dup_to(int oldfd, int newfd, uint32_t flags)
{
    struct file *f = fd_file(self(), oldfd);

    if (!f || newfd < 0 || newfd >= fd_limit(self()))
        return -EBADF;
    fd_install_at(self(), newfd, file_get(f), flags & O_CLOEXEC);
    return newfd;
}

SYSCALL_DEFINE2(dup2, int, oldfd, int, newfd)
{
    if (oldfd == newfd)
        return fd_file(self(), oldfd) ? newfd : -EBADF; /* nothing to do, as Linux */
    return dup_to(oldfd, newfd, 0);
}

SYSCALL_DEFINE3(dup3, int, oldfd, int, newfd, uint32_t, flags)
{
    if (flags & ~O_CLOEXEC)
        return -EINVAL;
    if (oldfd == newfd)
        return -EINVAL;
    return dup_to(oldfd, newfd, flags);
}

static long dup_from(struct file *f, int min_fd, bool cloexec)
{
    long nfd;

    if (min_fd < 0 || min_fd >= fd_limit(self()))
        return -EINVAL;
    if ((nfd = fd_install(self(), file_get(f), min_fd, cloexec)) < 0)
        file_put(f);
    return nfd;
}

SYSCALL_DEFINE3(fcntl64, int, fd, int, cmd, uint32_t, arg)
{
    struct file *f = fd_file(self(), fd);

    if (!f)
        return -EBADF;
    switch (cmd) {
    case F_DUPFD:
    case F_DUPFD_CLOEXEC:
        return dup_from(f, (int)arg, cmd == F_DUPFD_CLOEXEC);
    case F_GETFD:
        return self()->fds.cloexec[fd] ? FD_CLOEXEC : 0;
    case F_SETFD:
        self()->fds.cloexec[fd] = arg & FD_CLOEXEC;
        return 0;
    case F_GETFL:
        return f->flags;
    case F_SETFL:
        f->flags = (f->flags & ~O_SETFL_MASK) | (arg & O_SETFL_MASK);
        return 0;
    default:
        return -EINVAL;
    }
}

static long make_pipe(uintptr_t fds_ptr, uint32_t flags)
{
    bool cloexec = flags & O_CLOEXEC;
    struct file *rd, *wr;
    int fds[2];
    long err;

    if (flags & ~(O_CLOEXEC | O_NONBLOCK))
        return -EINVAL;
    if ((err = pipe_create(flags, &rd, &wr)))
        return err;
    if ((fds[0] = fd_install(self(), rd, 0, cloexec)) < 0) {
        file_put(rd);
        file_put(wr);
        return -EMFILE;
    }
    if ((fds[1] = fd_install(self(), wr, 0, cloexec)) < 0) {
        fd_close(self(), fds[0]);
        file_put(wr);
        return -EMFILE;
    }
    if (vm_copy_out(self()->pd, fds_ptr, fds, sizeof(fds))) {
        fd_close(self(), fds[0]);
        fd_close(self(), fds[1]);
        return -EFAULT;
    }
    return 0;
}

SYSCALL_DEFINE1(pipe, uintptr_t, fds) { return make_pipe(fds, 0); }
SYSCALL_DEFINE2(pipe2, uintptr_t, fds, uint32_t, flags) { return make_pipe(fds, flags); }
