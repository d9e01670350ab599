/*
 * The system calls on files, descriptors and directories, with Linux i386's
 * numbers, structures and errno values. Paths are copied in whole (up to
 * PATH_MAX) before anything is looked up; a *at call's dirfd is AT_FDCWD or
 * a descriptor open on a directory.
 */
#include "at.h"
#include "errno.h"
#include "file.h"
#include "pipe.h"
#include "pmm.h"
#include "proc.h"
#include "string.h"
#include "syscall.h"

#define AT_EACCESS          0x200
#define AT_REMOVEDIR        0x200
#define SEEK_SET            0
#define SEEK_CUR            1
#define SEEK_END            2
#define F_DUPFD             0
#define F_GETFD             1
#define F_SETFD             2
#define F_GETFL             3
#define F_SETFL             4
#define F_DUPFD_CLOEXEC     1030
#define FD_CLOEXEC          1
#define OFF_T_MAX           0x7fffffffLL /* lseek without _llseek: a 32-bit off_t */
#define ACCESS_MODES        07           /* R_OK | W_OK | X_OK */
#define SYMLINK_MODE        (S_IFLNK | 0777)

static struct proc *self(void) { return current_proc(); }

/* ---------------------------------------------------------------- paths */

/* A user path in a frame of its own (PATH_MAX bytes); free it with frame_free. */
static long path_in(uintptr_t user, char **out)
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

/* A new inode, with the caller's umask applied, linked as n. */
static long create_at(const struct name_at *n, uint32_t mode, struct inode **out)
{
    struct inode *ip;
    long err;

    if (existing(n))
        return -EEXIST;
    if (!S_ISTYPE(mode, S_IFLNK)) /* a link is always 0777, as on Linux */
        mode &= S_IFMT | (S_PERMS & ~self()->umask);
    if (!(ip = inode_new(mode)))
        return -ENOSPC;
    if ((err = dir_link(n->dir, n->name, n->len, ip))) {
        inode_release(ip);
        return err;
    }
    *out = ip;
    return 0;
}

/* ---------------------------------------------------------------- open, close */

static bool is_dir(const struct inode *ip) { return S_ISTYPE(ip->mode, S_IFDIR); }

static long open_inode(struct inode *ip, uint32_t flags, struct file **out)
{
    uint32_t acc = flags & O_ACCMODE;

    if (S_ISTYPE(ip->mode, S_IFLNK))
        return -ELOOP; /* O_NOFOLLOW met a link */
    if ((flags & O_DIRECTORY) && !is_dir(ip))
        return -ENOTDIR;
    if (is_dir(ip) && (acc != O_RDONLY || (flags & O_CREAT)))
        return -EISDIR;
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
                        struct inode **ip)
{
    struct name_at n;
    long err;
    bool follow = !(flags & O_NOFOLLOW);

    if (!(flags & O_CREAT))
        return lookup_at(dirfd, user_path, follow, ip);
    if ((err = name_at(dirfd, user_path, &n)))
        return err;
    if (!(*ip = existing(&n)))
        err = n.len ? create_at(&n, S_IFREG | mode, ip) : -EISDIR;
    else if (flags & O_EXCL)
        err = -EEXIST;
    else if (S_ISTYPE((*ip)->mode, S_IFLNK) && follow)
        err = path_lookup(n.path, proc_cwd(self()), LOOKUP_FOLLOW, ip) ? -ENOENT : 0;
    frame_free(n.path);
    return err;
}

static long do_open(int dirfd, uintptr_t user_path, uint32_t flags, uint32_t mode)
{
    struct inode *ip;
    struct file *f;
    long err = open_target(dirfd, user_path, flags, mode, &ip);

    if (err || (err = open_inode(ip, flags & ~O_CLOEXEC, &f)))
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

/* ---------------------------------------------------------------- stat */

/* struct stat64 of Linux i386 (arch/x86/include/uapi/asm/stat.h). */
struct stat64 {
    uint64_t dev;
    uint8_t pad0[4];
    uint32_t ino32;
    uint32_t mode, nlink, uid, gid;
    uint64_t rdev;
    uint8_t pad3[4];
    int64_t size;
    uint32_t blksize;
    uint64_t blocks;
    uint32_t atime, atime_nsec, mtime, mtime_nsec, ctime, ctime_nsec;
    uint64_t ino;
} PACKED;
_Static_assert(sizeof(struct stat64) == 96, "struct stat64 is 96 bytes on i386");
_Static_assert(offsetof(struct stat64, size) == 44, "st_size at 44");
_Static_assert(offsetof(struct stat64, ino) == 88, "st_ino at 88");

#define RAMFS_DEV    1 /* the one file system's device number */
#define STAT_BLKSIZE 4096
#define STAT_BLOCK   512 /* st_blocks counts 512-byte blocks */

static long stat_out(const struct inode *ip, uintptr_t buf)
{
    struct stat64 st = {
        .dev = RAMFS_DEV,
        .ino32 = ip->ino,
        .mode = ip->mode,
        .nlink = ip->nlink,
        .uid = ip->uid,
        .gid = ip->gid,
        .rdev = ip->rdev,
        .size = ip->size,
        .blksize = STAT_BLKSIZE,
        .blocks = ALIGN_UP(ip->size, PAGE_SIZE) / STAT_BLOCK,
        .atime = ip->atime.sec,
        .atime_nsec = ip->atime.nsec,
        .mtime = ip->mtime.sec,
        .mtime_nsec = ip->mtime.nsec,
        .ctime = ip->ctime.sec,
        .ctime_nsec = ip->ctime.nsec,
        .ino = ip->ino,
    };

    return vm_copy_out(self()->pd, buf, &st, sizeof(st)) ? -EFAULT : 0;
}

static long stat_at(int dirfd, uintptr_t path, uintptr_t buf, bool follow)
{
    struct inode *ip;
    long err = lookup_at(dirfd, path, follow, &ip);

    return err ? err : stat_out(ip, buf);
}

SYSCALL_DEFINE2(stat64, uintptr_t, path, uintptr_t, buf)
{
    return stat_at(AT_FDCWD, path, buf, true);
}

SYSCALL_DEFINE2(lstat64, uintptr_t, path, uintptr_t, buf)
{
    return stat_at(AT_FDCWD, path, buf, false);
}

/* A file with no inode (a pipe end) still has a type for stat. */
static long stat_file(struct file *f, uintptr_t buf)
{
    static const struct inode pipe_inode = {.mode = S_IFIFO | 0600, .nlink = 1};

    return stat_out(f->inode ? f->inode : &pipe_inode, buf);
}

SYSCALL_DEFINE2(fstat64, int, fd, uintptr_t, buf)
{
    struct file *f = fd_file(self(), fd);

    return f ? stat_file(f, buf) : -EBADF;
}

long empty_path(uintptr_t path)
{
    char c;

    if (vm_copy_in(self()->pd, &c, path, 1))
        return -EFAULT;
    return c == '\0';
}

SYSCALL_DEFINE4(fstatat64, int, dirfd, uintptr_t, path, uintptr_t, buf, uint32_t, flags)
{
    long empty = empty_path(path);

    if (flags & ~(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH))
        return -EINVAL;
    if (empty < 0)
        return empty;
    if (empty && (flags & AT_EMPTY_PATH)) {
        struct file *f = dirfd == AT_FDCWD ? NULL : fd_file(self(), dirfd);
        if (dirfd == AT_FDCWD)
            return stat_out(proc_cwd(self()), buf);
        return f ? stat_file(f, buf) : -EBADF;
    }
    return stat_at(dirfd, path, buf, !(flags & AT_SYMLINK_NOFOLLOW));
}

/* ---------------------------------------------------------------- directories */

/* struct linux_dirent64: d_ino, d_off, d_reclen, d_type, d_name. */
#define DIRENT64_HEADER 19
#define DIRENT_ALIGN    8
#define DT_SHIFT        12 /* d_type is the file type's bits of the mode */

struct dir_item {
    const char *name;
    size_t len;
    const struct inode *ip;
};

/* The index-th name of dir: ".", "..", then its entries. */
static bool dir_item_at(struct inode *dir, uint64_t index, struct dir_item *it)
{
    struct dentry *d = dir->entries;

    if (index == 0) {
        *it = (struct dir_item){".", 1, dir};
        return true;
    }
    if (index == 1) {
        *it = (struct dir_item){"..", 2, dir->parent};
        return true;
    }
    for (uint64_t i = 2; d && i < index; i++)
        d = d->next;
    if (!d)
        return false;
    *it = (struct dir_item){d->name, d->len, d->inode};
    return true;
}

static long put_dirent(uintptr_t at, size_t room, const struct dir_item *it, uint64_t next)
{
    uint8_t rec[DIRENT64_HEADER + NAME_MAX + DIRENT_ALIGN] = {0};
    size_t reclen = ALIGN_UP(DIRENT64_HEADER + it->len + 1, DIRENT_ALIGN);
    uint64_t ino = it->ip->ino;
    uint16_t len16 = (uint16_t)reclen;

    if (reclen > room)
        return 0;
    memcpy(rec, &ino, sizeof(ino));
    memcpy(rec + 8, &next, sizeof(next));
    memcpy(rec + 16, &len16, sizeof(len16));
    rec[18] = (uint8_t)((it->ip->mode & S_IFMT) >> DT_SHIFT);
    memcpy(rec + DIRENT64_HEADER, it->name, it->len);
    return vm_copy_out(self()->pd, at, rec, reclen) ? -EFAULT : (long)reclen;
}

SYSCALL_DEFINE3(getdents64, int, fd, uintptr_t, buf, size_t, count)
{
    struct file *f = fd_file(self(), fd);
    struct dir_item it;
    size_t done = 0;
    long n = 0;

    if (!f)
        return -EBADF;
    if (!f->inode || !is_dir(f->inode))
        return -ENOTDIR;
    while (dir_item_at(f->inode, f->offset, &it)) {
        if ((n = put_dirent(buf + done, count - done, &it, f->offset + 1)) <= 0)
            break;
        done += (size_t)n;
        f->offset++;
    }
    if (n < 0 && !done)
        return n;
    return done || !dir_item_at(f->inode, f->offset, &it) ? (long)done : -EINVAL;
}

static long make_dir(int dirfd, uintptr_t path, uint32_t mode)
{
    struct name_at n;
    struct inode *ip;
    long err = name_at(dirfd, path, &n);

    if (err)
        return err;
    err = create_at(&n, S_IFDIR | (mode & S_PERMS), &ip);
    frame_free(n.path);
    return err;
}

SYSCALL_DEFINE2(mkdir, uintptr_t, path, uint32_t, mode) { return make_dir(AT_FDCWD, path, mode); }

SYSCALL_DEFINE3(mkdirat, int, dirfd, uintptr_t, path, uint32_t, mode)
{
    return make_dir(dirfd, path, mode);
}

/* unlink and rmdir: Linux's errors for each kind of name. */
static long remove_checked(const struct name_at *n, bool want_dir)
{
    struct inode *ip = existing(n);

    if (!ip)
        return -ENOENT;
    if (want_dir && n->len == 1 && n->name[0] == '.')
        return -EINVAL;
    if (want_dir && (n->len == 0 || is_dot_or_dotdot(n)))
        return -ENOTEMPTY;
    if (!want_dir && is_dir(ip))
        return -EISDIR;
    if (want_dir && !is_dir(ip))
        return -ENOTDIR;
    if (want_dir && !dir_is_empty(ip))
        return -ENOTEMPTY;
    return dir_unlink(n->dir, n->name, n->len);
}

static long remove_at(int dirfd, uintptr_t path, bool want_dir)
{
    struct name_at n;
    long err = name_at(dirfd, path, &n);

    if (err)
        return err;
    err = remove_checked(&n, want_dir);
    frame_free(n.path);
    return err;
}

SYSCALL_DEFINE1(unlink, uintptr_t, path) { return remove_at(AT_FDCWD, path, false); }
SYSCALL_DEFINE1(rmdir, uintptr_t, path) { return remove_at(AT_FDCWD, path, true); }

SYSCALL_DEFINE3(unlinkat, int, dirfd, uintptr_t, path, uint32_t, flags)
{
    if (flags & ~AT_REMOVEDIR)
        return -EINVAL;
    return remove_at(dirfd, path, flags & AT_REMOVEDIR);
}

static long make_symlink(uintptr_t target_ptr, int dirfd, uintptr_t path)
{
    struct name_at n;
    struct inode *ip;
    char *target;
    long len = path_in(target_ptr, &target), err;

    if (len < 0)
        return len;
    if (len == 0)
        err = -ENOENT; /* Linux: an empty target */
    else if (!(err = name_at(dirfd, path, &n))) {
        err = create_at(&n, SYMLINK_MODE, &ip);
        if (!err && inode_write(ip, 0, (struct iobuf){NULL, (uintptr_t)target}, len) != len) {
            dir_unlink(n.dir, n.name, n.len);
            err = -ENOSPC;
        }
        frame_free(n.path);
    }
    frame_free(target);
    return err;
}

SYSCALL_DEFINE2(symlink, uintptr_t, target, uintptr_t, path)
{
    return make_symlink(target, AT_FDCWD, path);
}

SYSCALL_DEFINE3(symlinkat, uintptr_t, target, int, dirfd, uintptr_t, path)
{
    return make_symlink(target, dirfd, path);
}

static long read_link(int dirfd, uintptr_t path, uintptr_t buf, int size)
{
    struct inode *ip;
    long err;

    if (size <= 0)
        return -EINVAL;
    if ((err = lookup_at(dirfd, path, false, &ip)))
        return err;
    if (!S_ISTYPE(ip->mode, S_IFLNK))
        return -EINVAL;
    if (!vm_user_range_ok(self()->pd, buf, MIN((size_t)size, ip->size), true))
        return -EFAULT;
    return inode_read(ip, 0, (struct iobuf){self()->pd, buf}, (size_t)size);
}

SYSCALL_DEFINE3(readlink, uintptr_t, path, uintptr_t, buf, int, size)
{
    return read_link(AT_FDCWD, path, buf, size);
}

SYSCALL_DEFINE4(readlinkat, int, dirfd, uintptr_t, path, uintptr_t, buf, int, size)
{
    return read_link(dirfd, path, buf, size);
}

static long make_link(int olddirfd, uintptr_t oldpath, int newdirfd, uintptr_t newpath)
{
    struct inode *ip;
    struct name_at n;
    long err = lookup_at(olddirfd, oldpath, false, &ip);

    if (err)
        return err;
    if (is_dir(ip))
        return -EPERM; /* no hard links to directories */
    if ((err = name_at(newdirfd, newpath, &n)))
        return err;
    err = existing(&n) ? -EEXIST : dir_link(n.dir, n.name, n.len, ip);
    frame_free(n.path);
    return err;
}

SYSCALL_DEFINE2(link, uintptr_t, oldpath, uintptr_t, newpath)
{
    return make_link(AT_FDCWD, oldpath, AT_FDCWD, newpath);
}

SYSCALL_DEFINE5(linkat, int, olddirfd, uintptr_t, oldpath, int, newdirfd, uintptr_t, newpath,
                uint32_t, flags)
{
    (void)flags; /* AT_SYMLINK_FOLLOW: Relay links the name itself, as without it */
    return make_link(olddirfd, oldpath, newdirfd, newpath);
}

/* ---------------------------------------------------------------- the working directory */

static long change_dir(struct inode *ip)
{
    if (!is_dir(ip))
        return -ENOTDIR;
    proc_set_cwd(self(), ip);
    return 0;
}

SYSCALL_DEFINE1(chdir, uintptr_t, path)
{
    struct inode *ip;
    long err = lookup_at(AT_FDCWD, path, true, &ip);

    return err ? err : change_dir(ip);
}

SYSCALL_DEFINE1(fchdir, int, fd)
{
    struct file *f = fd_file(self(), fd);

    if (!f)
        return -EBADF;
    return f->inode ? change_dir(f->inode) : -ENOTDIR;
}

SYSCALL_DEFINE2(getcwd, uintptr_t, buf, size_t, size)
{
    char *page = frame_alloc(), *path;
    size_t len;
    long err;

    if (!page)
        return -ENOMEM;
    path = path_of_dir(proc_cwd(self()), page);
    len = path ? strlen(path) + 1 : 0;
    if (!path)
        err = -ENOENT;
    else if (len > size)
        err = -ERANGE;
    else
        err = vm_copy_out(self()->pd, buf, path, len) ? -EFAULT : (long)len;
    frame_free(page);
    return err;
}

SYSCALL_DEFINE1(umask, uint32_t, mask)
{
    uint32_t old = self()->umask;

    self()->umask = mask & 0777;
    return old;
}

/* ---------------------------------------------------------------- access */

#define X_OK          1
#define ANY_EXEC_BITS 0111

/* Every process is root: read and write are allowed; execute needs an x bit
 * somewhere, or a directory, as for root on Linux. */
static long access_at(int dirfd, uintptr_t path, int mode, bool follow)
{
    struct inode *ip;
    long err;

    if (mode & ~ACCESS_MODES)
        return -EINVAL;
    if ((err = lookup_at(dirfd, path, follow, &ip)))
        return err;
    if ((mode & X_OK) && !is_dir(ip) && !(ip->mode & ANY_EXEC_BITS))
        return -EACCES;
    return 0;
}

SYSCALL_DEFINE2(access, uintptr_t, path, int, mode)
{
    return access_at(AT_FDCWD, path, mode, true);
}

SYSCALL_DEFINE3(faccessat, int, dirfd, uintptr_t, path, int, mode)
{
    return access_at(dirfd, path, mode, true);
}

SYSCALL_DEFINE4(faccessat2, int, dirfd, uintptr_t, path, int, mode, uint32_t, flags)
{
    if (flags & ~(AT_SYMLINK_NOFOLLOW | AT_EACCESS))
        return -EINVAL;
    return access_at(dirfd, path, mode, !(flags & AT_SYMLINK_NOFOLLOW));
}

/* ---------------------------------------------------------------- statx */

struct statx_time {
    int64_t sec;
    uint32_t nsec;
    int32_t reserved;
};

/* struct statx (include/uapi/linux/stat.h), 256 bytes on every architecture. */
struct statx {
    uint32_t mask, blksize;
    uint64_t attributes;
    uint32_t nlink, uid, gid;
    uint16_t mode, spare0;
    uint64_t ino, size, blocks, attributes_mask;
    struct statx_time atime, btime, ctime, mtime;
    uint32_t rdev_major, rdev_minor, dev_major, dev_minor;
    uint64_t mnt_id;
    uint32_t dio_mem_align, dio_offset_align;
    uint64_t spare3[12];
};
_Static_assert(sizeof(struct statx) == 256, "struct statx is 256 bytes");
_Static_assert(offsetof(struct statx, atime) == 64, "stx_atime at 64");
_Static_assert(offsetof(struct statx, rdev_major) == 128, "stx_rdev_major at 128");

#define STATX_BASIC_STATS 0x07ffu /* type, mode, nlink, uid, gid, times but btime, ino, size, blocks */
#define STATX_RESERVED 0x80000000u
#define AT_NO_AUTOMOUNT 0x800
#define AT_STATX_SYNC_TYPE 0x6000
#define STATX_FLAGS (AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH | AT_NO_AUTOMOUNT | AT_STATX_SYNC_TYPE)
#define DEV_MAJOR(d) (((d) >> 8) & 0xfff) /* Linux's new_decode_dev */
#define DEV_MINOR(d) (((d) & 0xff) | (((d) >> 12) & 0xfff00))

static struct statx_time statx_time(struct fs_time t) { return (struct statx_time){t.sec, t.nsec, 0}; }

static long statx_out(const struct inode *ip, uintptr_t buf)
{
    struct statx st = {
        .mask = STATX_BASIC_STATS, .blksize = STAT_BLKSIZE, .nlink = ip->nlink, .uid = ip->uid,
        .gid = ip->gid, .mode = (uint16_t)ip->mode, .ino = ip->ino, .size = ip->size,
        .blocks = ALIGN_UP(ip->size, PAGE_SIZE) / STAT_BLOCK, .atime = statx_time(ip->atime),
        .ctime = statx_time(ip->ctime), .mtime = statx_time(ip->mtime),
        .rdev_major = DEV_MAJOR(ip->rdev), .rdev_minor = DEV_MINOR(ip->rdev),
        .dev_minor = RAMFS_DEV,
    };

    return vm_copy_out(self()->pd, buf, &st, sizeof(st)) ? -EFAULT : 0;
}

SYSCALL_DEFINE5(statx, int, dirfd, uintptr_t, path, uint32_t, flags, uint32_t, mask,
                uintptr_t, buf)
{
    static const struct inode pipe_inode = {.mode = S_IFIFO | 0600, .nlink = 1};
    struct inode *ip;
    long empty = empty_path(path), err;

    if ((flags & ~STATX_FLAGS) || (flags & AT_STATX_SYNC_TYPE) == AT_STATX_SYNC_TYPE ||
        (mask & STATX_RESERVED))
        return -EINVAL;
    if (empty < 0)
        return empty;
    if (empty && (flags & AT_EMPTY_PATH)) {
        struct file *f = dirfd == AT_FDCWD ? NULL : fd_file(self(), dirfd);
        if (dirfd != AT_FDCWD && !f)
            return -EBADF;
        ip = f ? f->inode : proc_cwd(self());
        return statx_out(ip ? ip : &pipe_inode, buf);
    }
    if ((err = lookup_at(dirfd, path, !(flags & AT_SYMLINK_NOFOLLOW), &ip)))
        return err;
    return statx_out(ip, buf);
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
