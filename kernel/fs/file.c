/*
 * Open file descriptions and each process's descriptor table (see
 * include/file.h), and the file_ops of the RAM file system's inodes.
 */
#include "file.h"
#include "errno.h"
#include "kheap.h"
#include "proc.h"

struct file *file_new(const struct file_ops *ops, uint32_t flags)
{
    struct file *f = kmalloc(sizeof(*f));

    if (f) {
        f->refs = 1;
        f->ops = ops;
        f->flags = flags;
    }
    return f;
}

struct file *file_get(struct file *f)
{
    f->refs++;
    return f;
}

void file_put(struct file *f)
{
    if (--f->refs > 0)
        return;
    if (f->ops->release)
        f->ops->release(f);
    kfree(f);
}

/* ---------------------------------------------------------------- descriptors */

struct file *fd_file(struct proc *p, int fd)
{
    return fd >= 0 && fd < NOFILE ? p->fds.file[fd] : NULL;
}

int fd_limit(const struct proc *p) { return (int)MIN(p->rlim[RLIMIT_NOFILE].cur, (uint64_t)NOFILE); }

int fd_install(struct proc *p, struct file *f, int min_fd, bool cloexec)
{
    int limit = fd_limit(p);

    if (min_fd < 0 || min_fd >= limit)
        return -EINVAL;
    for (int fd = min_fd; fd < limit; fd++) {
        if (!p->fds.file[fd]) {
            fd_install_at(p, fd, f, cloexec);
            return fd;
        }
    }
    return -EMFILE;
}

void fd_install_at(struct proc *p, int fd, struct file *f, bool cloexec)
{
    struct file *old = p->fds.file[fd];

    p->fds.file[fd] = f;
    p->fds.cloexec[fd] = cloexec;
    if (old)
        file_put(old); /* after: its release may sleep or signal */
}

int fd_close(struct proc *p, int fd)
{
    struct file *f = fd_file(p, fd);

    if (!f)
        return -EBADF;
    p->fds.file[fd] = NULL;
    p->fds.cloexec[fd] = false;
    file_put(f);
    return 0;
}

void fd_fork(struct proc *child, const struct proc *parent)
{
    for (int fd = 0; fd < NOFILE; fd++) {
        struct file *f = parent->fds.file[fd];
        child->fds.file[fd] = f ? file_get(f) : NULL;
        child->fds.cloexec[fd] = parent->fds.cloexec[fd];
    }
}

struct inode *proc_cwd(const struct proc *p) { return p->cwd ? p->cwd : fs_root; }

void proc_set_cwd(struct proc *p, struct inode *dir)
{
    struct inode *old = p->cwd;

    dir->open_count++; /* a working directory is in use, as an open file is */
    p->cwd = dir;
    if (old) {
        old->open_count--;
        inode_release(old);
    }
}

void files_fork(struct proc *child, const struct proc *parent)
{
    fd_fork(child, parent);
    proc_set_cwd(child, proc_cwd(parent));
    child->umask = parent->umask;
}

void files_exit(struct proc *p)
{
    fd_close_all(p);
    if (p->cwd) {
        p->cwd->open_count--;
        inode_release(p->cwd);
        p->cwd = NULL;
    }
}

void fd_exec(struct proc *p)
{
    for (int fd = 0; fd < NOFILE; fd++)
        if (p->fds.cloexec[fd])
            fd_close(p, fd);
}

void fd_close_all(struct proc *p)
{
    for (int fd = 0; fd < NOFILE; fd++)
        if (p->fds.file[fd])
            fd_close(p, fd);
}

/* ---------------------------------------------------------------- inode files */

static bool readable(const struct file *f) { return (f->flags & O_ACCMODE) != O_WRONLY; }
static bool writable(const struct file *f) { return (f->flags & O_ACCMODE) != O_RDONLY; }

static long inode_file_read(struct file *f, struct iobuf buf, size_t count)
{
    long n;

    if (!readable(f))
        return -EBADF;
    if (S_ISTYPE(f->inode->mode, S_IFDIR))
        return -EISDIR;
    if (f->offset >= f->inode->size && !f->inode->ops) /* /proc's files say their own size */
        return 0;
    n = inode_read(f->inode, (uint32_t)f->offset, buf, count);
    if (n > 0)
        f->offset += (uint64_t)n;
    return n;
}

static long inode_file_write(struct file *f, struct iobuf buf, size_t count)
{
    long n;

    if (!writable(f))
        return -EBADF;
    if (f->flags & O_APPEND)
        f->offset = f->inode->size;
    if (f->offset + count > UINT32_MAX)
        return -EFBIG;
    if (S_ISTYPE(f->inode->mode, S_IFREG) && (n = rlimit_fsize_write(f->offset, &count)))
        return n;
    n = inode_write(f->inode, (uint32_t)f->offset, buf, count);
    if (n > 0)
        f->offset += (uint64_t)n;
    return n;
}

static void inode_file_release(struct file *f)
{
    f->inode->open_count--;
    inode_release(f->inode);
}

static const struct file_ops inode_file_ops = {
    .read = inode_file_read,
    .write = inode_file_write,
    .release = inode_file_release,
};

struct file *file_open_inode(struct inode *ip, uint32_t flags)
{
    struct file *f = file_new(&inode_file_ops, flags);

    if (f) {
        f->inode = ip;
        ip->open_count++;
    }
    return f;
}
