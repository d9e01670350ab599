/*
 * The system calls that open files and move their bytes: open, close, read,
 * write, ioctl, lseek and sendfile, with Linux i386's numbers, structures and
 * errno values; and the path helpers the other file calls share (at.h).
 * Paths are copied in whole (up to PATH_MAX) before anything is looked up; a
 * *at call's dirfd is AT_FDCWD or a descriptor open on a directory.
 *
 * The rest: descriptors (sys_fd.c), stat and access (sys_stat.c),
 * directories and names (sys_dir.c), attributes (sys_attr.c), vectored and
 * positioned I/O (sys_rw.c), and waiting (sys_poll.c).
 */
#include "at.h"
#include "errno.h"
#include "file.h"
#include "pmm.h"
#include "proc.h"
#include "string.h"
#include "syscall.h"

#define SEEK_SET  0
#define SEEK_CUR  1
#define SEEK_END  2
#define OFF_T_MAX 0x7fffffffLL /* lseek without _llseek: a 32-bit off_t */

static struct proc *self(void) { return current_proc(); }
static bool is_dir(const struct inode *ip) { return S_ISTYPE(ip->mode, S_IFDIR); }

/* ---------------------------------------------------------------- paths */

/* A user path in a frame of its own (PATH_MAX bytes); free it with frame_free. */
long path_in(uintptr_t user, char **out)
{
    char *buf = frame_alloc();
    long len;

    if (!buf)
        return -ENOMEM;
    len = vm_copy_string_in(self()->pd, buf, user, PATH_MAX);
    if (len < 0) {
        frame_free(buf);
        return len;
    }
    *out = buf;
    return len;
}

/* Where a *at call's relative path starts. */
static long dir_of(int dirfd, struct inode **dir)
{
    struct file *f;

    if (dirfd == AT_FDCWD) {
        *dir = proc_cwd(self());
        return 0;
    }
    if (!(f = fd_file(self(), dirfd)))
        return -EBADF;
    if (!f->inode || !S_ISTYPE(f->inode->mode, S_IFDIR))
        return -ENOTDIR;
    *dir = f->inode;
    return 0;
}

/* The directory a path starts from: the root, cwd or dirfd's directory. */
static long start_of(int dirfd, const char *path, struct inode **dir)
{
    if (path[0] == '/') {
        *dir = fs_root; /* an absolute path ignores dirfd, as on Linux */
        return 0;
    }
    return dir_of(dirfd, dir);
}

/* Looks a user path up from dirfd; `follow` for the last component. */
long lookup_at(int dirfd, uintptr_t user_path, bool follow, struct inode **out)
{
    struct inode *dir;
    char *path;
    long err = path_in(user_path, &path);

    if (err < 0)
        return err;
    if (!(err = start_of(dirfd, path, &dir)))
        err = path_lookup(path, dir, follow ? LOOKUP_FOLLOW : 0, out);
    frame_free(path);
    return err;
}

long name_at(int dirfd, uintptr_t user_path, struct name_at *n)
{
    struct inode *start;
    long err = path_in(user_path, &n->path);

    if (err < 0)
        return err;
    if (!(err = start_of(dirfd, n->path, &start)))
        err = path_parent(n->path, start, &n->dir, &n->name, &n->len);
    if (err)
        frame_free(n->path);
    return err;
}

bool is_dot_or_dotdot(const struct name_at *n)
{
    return (n->len == 1 && n->name[0] == '.') ||
           (n->len == 2 && n->name[0] == '.' && n->name[1] == '.');
}

struct inode *existing(const struct name_at *n)
{
    if (n->len == 0)
        return n->dir; /* "/" */
    if (is_dot_or_dotdot(n))
        return n->len == 1 ? n->dir : n->dir->parent;
    return dir_lookup(n->dir, n->name, n->len);
}

/* A new file belongs to the caller's fs uid, and to its fs gid, or, in a
 * set-gid directory, to the directory's group, a new directory then
 * being set-gid too (Linux fs/inode.c inode_init_owner). */
static void inode_init_owner(struct inode *ip, const struct inode *dir)
{
    const struct creds *c = &self()->cred;

    ip->uid = c->fsuid;
    ip->gid = c->fsgid;
    if (dir->mode & S_ISGID) {
        ip->gid = dir->gid;
        if (is_dir(ip))
            ip->mode |= S_ISGID;
    }
}

/* A new inode, with the caller's umask applied, linked as n. */
long create_at(const struct name_at *n, uint32_t mode, struct inode **out)
{
    struct inode *ip;
    long err;

    if (existing(n))
        return -EEXIST;
    if ((err = inode_permission(n->dir, MAY_WRITE | MAY_EXEC)))
        return err;
    if (!S_ISTYPE(mode, S_IFLNK)) /* a link is always 0777, as on Linux */
        mode &= S_IFMT | (S_PERMS & ~self()->umask);
    if (!(ip = inode_new(mode)))
        return -ENOSPC;
    inode_init_owner(ip, n->dir);
    if ((err = dir_link(n->dir, n->name, n->len, ip))) {
        inode_release(ip);
        return err;
    }
    *out = ip;
    return 0;
}

/* ---------------------------------------------------------------- open, close */

/* What opening with flags asks of the file's bits: O_TRUNC writes too. */
static int open_mask(uint32_t flags)
{
    uint32_t acc = flags & O_ACCMODE;
    bool writes = acc != O_RDONLY || (flags & O_TRUNC);

    return (acc != O_WRONLY ? MAY_READ : 0) | (writes ? MAY_WRITE : 0);
}

/* A file open just made is not checked against its own mode (Linux: a
 * new file of mode 0444 opened O_RDWR is writable through this open). */
static long open_inode(struct inode *ip, uint32_t flags, bool created, struct file **out)
{
    uint32_t acc = flags & O_ACCMODE;
    long err;

    if (S_ISTYPE(ip->mode, S_IFLNK))
        return -ELOOP; /* O_NOFOLLOW met a link */
    if ((flags & O_DIRECTORY) && !is_dir(ip))
        return -ENOTDIR;
    if (is_dir(ip) && (acc != O_RDONLY || (flags & O_CREAT)))
        return -EISDIR;
    if (!created && (err = inode_permission(ip, open_mask(flags))))
        return err;
    if (S_ISTYPE(ip->mode, S_IFCHR))
        return dev_open(ip, flags, out);
    if (!S_ISTYPE(ip->mode, S_IFREG) && !is_dir(ip))
        return -ENXIO; /* fifos, sockets, block devices: no driver */
    if ((flags & O_TRUNC) && acc != O_RDONLY)
        inode_truncate(ip, 0);
    return (*out = file_open_inode(ip, flags)) ? 0 : -ENOMEM;
}

/* The inode open(dirfd, path, flags, mode) is about, made if O_CREAT asks. */
static long open_target(int dirfd, uintptr_t user_path, uint32_t flags, uint32_t mode,
                        struct inode **ip, bool *created)
{
    struct name_at n;
    long err;
    bool follow = !(flags & O_NOFOLLOW);

    if (!(flags & O_CREAT))
        return lookup_at(dirfd, user_path, follow, ip);
    if ((err = name_at(dirfd, user_path, &n)))
        return err;
    if (!(*ip = existing(&n))) {
        err = n.len ? create_at(&n, S_IFREG | mode, ip) : -EISDIR;
        *created = !err;
    } else if (flags & O_EXCL) {
        err = -EEXIST;
    } else if (S_ISTYPE((*ip)->mode, S_IFLNK) && follow) {
        err = path_lookup(n.path, proc_cwd(self()), LOOKUP_FOLLOW, ip) ? -ENOENT : 0;
    }
    frame_free(n.path);
    return err;
}

static long do_open(int dirfd, uintptr_t user_path, uint32_t flags, uint32_t mode)
{
    struct inode *ip;
    struct file *f;
    bool created = false;
    long err = open_target(dirfd, user_path, flags, mode, &ip, &created);

    if (err || (err = open_inode(ip, flags & ~O_CLOEXEC, created, &f)))
        return err;
    if ((err = fd_install(self(), f, 0, flags & O_CLOEXEC)) < 0)
        file_put(f);
    return err;
}

SYSCALL_DEFINE3(open, uintptr_t, path, uint32_t, flags, uint32_t, mode)
{
    return do_open(AT_FDCWD, path, flags, mode);
}

SYSCALL_DEFINE4(openat, int, dirfd, uintptr_t, path, uint32_t, flags, uint32_t, mode)
{
    return do_open(dirfd, path, flags, mode);
}

SYSCALL_DEFINE2(creat, uintptr_t, path, uint32_t, mode)
{
    return do_open(AT_FDCWD, path, O_CREAT | O_WRONLY | O_TRUNC, mode);
}

SYSCALL_DEFINE1(close, int, fd) { return fd_close(self(), fd); }

/* ---------------------------------------------------------------- read, write */

static bool can_read(const struct file *f) { return (f->flags & O_ACCMODE) != O_WRONLY; }
static bool can_write(const struct file *f) { return (f->flags & O_ACCMODE) != O_RDONLY; }

SYSCALL_DEFINE3(read, int, fd, uintptr_t, buf, size_t, count)
{
    struct file *f = fd_file(self(), fd);

    if (!f || !can_read(f))
        return -EBADF;
    if (count == 0)
        return 0;
    if (!vm_user_range_ok(self()->pd, buf, count, true))
        return -EFAULT;
    return f->ops->read(f, (struct iobuf){self()->pd, buf}, count);
}

SYSCALL_DEFINE3(write, int, fd, uintptr_t, buf, size_t, count)
{
    struct file *f = fd_file(self(), fd);

    if (!f || !can_write(f))
        return -EBADF;
    if (count == 0)
        return 0; /* Linux reads nothing, so any address will do */
    if (!vm_user_range_ok(self()->pd, buf, count, false))
        return -EFAULT;
    return f->ops->write(f, (struct iobuf){self()->pd, buf}, count);
}

/* Linux's generic ioctls: close-on-exec on and off. */
#define FIONCLEX 0x5450
#define FIOCLEX  0x5451

SYSCALL_DEFINE3(ioctl, int, fd, uint32_t, cmd, uintptr_t, arg)
{
    struct file *f = fd_file(self(), fd);

    if (!f)
        return -EBADF;
    if (cmd == FIOCLEX || cmd == FIONCLEX) {
        self()->fds.cloexec[fd] = cmd == FIOCLEX;
        return 0;
    }
    return f->ops->ioctl ? f->ops->ioctl(f, cmd, arg) : -ENOTTY;
}

/* ---------------------------------------------------------------- seeking */

static long seek_to(struct file *f, int64_t offset, int whence, int64_t *out)
{
    int64_t base;

    if (!f->inode || S_ISTYPE(f->inode->mode, S_IFCHR))
        return f->inode ? 0 : -ESPIPE; /* a device: seeking is a no-op; a pipe: ESPIPE */
    switch (whence) {
    case SEEK_SET:
        base = 0;
        break;
    case SEEK_CUR:
        base = (int64_t)f->offset;
        break;
    case SEEK_END:
        base = f->inode->size;
        break;
    default:
        return -EINVAL;
    }
    if (base + offset < 0)
        return -EINVAL;
    f->offset = (uint64_t)(base + offset);
    *out = base + offset;
    return 0;
}

SYSCALL_DEFINE3(lseek, int, fd, int32_t, offset, int, whence)
{
    struct file *f = fd_file(self(), fd);
    int64_t pos = 0;
    long err;

    if (!f)
        return -EBADF;
    if ((err = seek_to(f, offset, whence, &pos)))
        return err;
    return pos > OFF_T_MAX ? -EOVERFLOW : (long)pos;
}

SYSCALL_DEFINE5(_llseek, int, fd, uint32_t, high, uint32_t, low, uintptr_t, result, int, whence)
{
    struct file *f = fd_file(self(), fd);
    int64_t pos = 0;
    long err;

    if (!f)
        return -EBADF;
    if ((err = seek_to(f, (int64_t)((uint64_t)high << 32 | low), whence, &pos)))
        return err;
    return vm_copy_out(self()->pd, result, &pos, sizeof(pos)) ? -EFAULT : 0;
}

/* ---------------------------------------------------------------- sendfile */

#define SENDFILE_CHUNK PAGE_SIZE

/* Copies up to count bytes from in to out through a kernel frame, from
 * *pos when given (in's offset then stays as it was), else from in's offset. */
static long copy_between(struct file *in, struct file *out, int64_t *pos, size_t count)
{
    uint8_t *chunk = frame_alloc();
    uint64_t saved = in->offset;
    size_t done = 0;
    long n = 0;

    if (!chunk)
        return -ENOMEM;
    if (pos)
        in->offset = (uint64_t)*pos;
    while (done < count) {
        struct iobuf k = {NULL, (uintptr_t)chunk};
        if ((n = in->ops->read(in, k, MIN(count - done, SENDFILE_CHUNK))) <= 0)
            break;
        if ((n = out->ops->write(out, k, (size_t)n)) <= 0)
            break;
        done += (size_t)n;
    }
    if (pos) {
        *pos = (int64_t)in->offset;
        in->offset = saved;
    }
    frame_free(chunk);
    return done ? (long)done : n;
}

/* sendfile and sendfile64 differ only in the width of *offset. */
static long send_file(int out_fd, int in_fd, uintptr_t offset_ptr, size_t count, size_t width)
{
    struct file *in = fd_file(self(), in_fd), *out = fd_file(self(), out_fd);
    int64_t pos = 0;
    long n;

    if (!in || !out || !can_read(in) || !can_write(out))
        return -EBADF;
    if (!in->inode || !S_ISTYPE(in->inode->mode, S_IFREG))
        return -EINVAL; /* Linux reads a sendfile from a file it can map: not a pipe */
    if (offset_ptr && vm_copy_in(self()->pd, &pos, offset_ptr, width)) /* little-endian */
        return -EFAULT;
    if (width < sizeof(pos))
        pos = (int32_t)pos;
    if (offset_ptr && pos < 0)
        return -EINVAL;
    n = copy_between(in, out, offset_ptr ? &pos : NULL, count);
    if (offset_ptr && n >= 0 && vm_copy_out(self()->pd, offset_ptr, &pos, width))
        return -EFAULT;
    return n;
}

SYSCALL_DEFINE4(sendfile, int, out_fd, int, in_fd, uintptr_t, offset_ptr, size_t, count)
{
    return send_file(out_fd, in_fd, offset_ptr, count, sizeof(int32_t));
}

SYSCALL_DEFINE4(sendfile64, int, out_fd, int, in_fd, uintptr_t, offset_ptr, size_t, count)
{
    return send_file(out_fd, in_fd, offset_ptr, count, sizeof(int64_t));
}
