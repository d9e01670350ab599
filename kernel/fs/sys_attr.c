/*
 * The system calls that change what stat shows, or where a name is: chmod,
 * chown, truncate, utimensat (touch), rename; and those a RAM file system
 * answers at once: fsync, fdatasync, sync, syncfs, statfs64. Linux i386's
 * numbers, structures and errors (fs/open.c, fs/attr.c, fs/utimes.c,
 * fs/namei.c, fs/statfs.c). Every process is root, so no permission is
 * checked; what Linux does to a root caller is what Relay does.
 */
#include "at.h"
#include "errno.h"
#include "file.h"
#include "pmm.h"
#include "proc.h"
#include "string.h"
#include "syscall.h"

#define S_IXGRP          00010
#define ID_UNCHANGED     0xFFFFFFFFu /* chown's -1: keep this id */
#define UTIME_NOW        ((1l << 30) - 1l)
#define UTIME_OMIT       ((1l << 30) - 2l)
#define NSEC_LIMIT       1000000000l
#define FILE_SIZE_MAX    0xFFFFFFFFull /* what struct inode's 32-bit size holds */
#define RAMFS_MAGIC      0x858458f6u   /* Linux's include/uapi/linux/magic.h */
#define ST_VALID         0x0020        /* statfs f_flags: the flags are meaningful */
#define RENAME_NOREPLACE 1

static struct proc *self(void) { return current_proc(); }
static bool is_dir(const struct inode *ip) { return S_ISTYPE(ip->mode, S_IFDIR); }

/* The inode open at fd: -EBADF, or (for a pipe end, which has none) NULL. */
static long inode_of_fd(int fd, struct inode **ip)
{
    struct file *f = fd_file(self(), fd);

    if (!f)
        return -EBADF;
    *ip = f->inode;
    return 0;
}

/* The inode of a *at call with AT_EMPTY_PATH allowed: dirfd's own for "". */
static long target_at(int dirfd, uintptr_t path, uint32_t flags, struct inode **ip)
{
    long empty = (flags & AT_EMPTY_PATH) ? empty_path(path) : 0;

    if (empty < 0)
        return empty;
    if (empty && dirfd == AT_FDCWD) {
        *ip = proc_cwd(self());
        return 0;
    }
    if (empty)
        return inode_of_fd(dirfd, ip);
    return lookup_at(dirfd, path, !(flags & AT_SYMLINK_NOFOLLOW), ip);
}

/* ---------------------------------------------------------------- chmod */

/* Only the owner or root changes a mode; one who is not in the file's
 * group cannot give it the set-gid bit (Linux fs/attr.c setattr_prepare). */
static long set_mode(struct inode *ip, uint32_t mode)
{
    if (!ip)
        return 0;
    if (!inode_owner_or_root(ip))
        return -EPERM;
    if (self()->cred.fsuid != 0 && !fs_in_group(ip->gid))
        mode &= ~S_ISGID;
    ip->mode = (ip->mode & ~S_PERMS) | (mode & S_PERMS);
    ip->ctime = fs_now();
    return 0;
}

static long chmod_at(int dirfd, uintptr_t path, uint32_t mode)
{
    struct inode *ip;
    long err = lookup_at(dirfd, path, true, &ip);

    return err ? err : set_mode(ip, mode);
}

SYSCALL_DEFINE2(chmod, uintptr_t, path, uint32_t, mode) { return chmod_at(AT_FDCWD, path, mode); }

SYSCALL_DEFINE3(fchmodat, int, dirfd, uintptr_t, path, uint32_t, mode)
{
    return chmod_at(dirfd, path, mode);
}

SYSCALL_DEFINE2(fchmod, int, fd, uint32_t, mode)
{
    struct inode *ip;
    long err = inode_of_fd(fd, &ip);

    return err ? err : set_mode(ip, mode);
}

/* ---------------------------------------------------------------- chown */

/* Root may give a file to anyone; its owner only to a group it is in, and
 * to itself (Linux fs/attr.c chown_ok, chgrp_ok). */
static long chown_permitted(const struct inode *ip, uint32_t uid, uint32_t gid)
{
    const struct creds *c = &self()->cred;
    bool owner = c->fsuid == ip->uid;

    if (c->fsuid == 0)
        return 0;
    if (uid != ID_UNCHANGED && !(owner && uid == ip->uid))
        return -EPERM;
    if (gid != ID_UNCHANGED && !(owner && (gid == ip->gid || fs_in_group(gid))))
        return -EPERM;
    return 0;
}

/* As Linux's chown_common and notify_change: a file that is not a
 * directory loses its set-uid bit, and its set-gid bit when that means
 * "set group id" (group execute set), even when root changes nothing. */
static long set_owner(struct inode *ip, uint32_t uid, uint32_t gid)
{
    long err;

    if (!ip)
        return 0;
    if ((err = chown_permitted(ip, uid, gid)))
        return err;
    if (uid != ID_UNCHANGED)
        ip->uid = uid;
    if (gid != ID_UNCHANGED)
        ip->gid = gid;
    if (!is_dir(ip)) {
        ip->mode &= ~S_ISUID;
        if ((ip->mode & (S_ISGID | S_IXGRP)) == (S_ISGID | S_IXGRP))
            ip->mode &= ~S_ISGID;
    }
    ip->ctime = fs_now();
    return 0;
}

static long chown_at(int dirfd, uintptr_t path, uint32_t uid, uint32_t gid, uint32_t flags)
{
    struct inode *ip;
    long err;

    if (flags & ~(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH))
        return -EINVAL;
    err = target_at(dirfd, path, flags, &ip);
    return err ? err : set_owner(ip, uid, gid);
}

SYSCALL_DEFINE3(chown32, uintptr_t, path, uint32_t, uid, uint32_t, gid)
{
    return chown_at(AT_FDCWD, path, uid, gid, 0);
}

SYSCALL_DEFINE3(lchown32, uintptr_t, path, uint32_t, uid, uint32_t, gid)
{
    return chown_at(AT_FDCWD, path, uid, gid, AT_SYMLINK_NOFOLLOW);
}

SYSCALL_DEFINE5(fchownat, int, dirfd, uintptr_t, path, uint32_t, uid, uint32_t, gid, uint32_t,
                flags)
{
    return chown_at(dirfd, path, uid, gid, flags);
}

SYSCALL_DEFINE3(fchown32, int, fd, uint32_t, uid, uint32_t, gid)
{
    struct inode *ip;
    long err = inode_of_fd(fd, &ip);

    return err ? err : set_owner(ip, uid, gid);
}

/* ---------------------------------------------------------------- truncate */

static long set_size(struct inode *ip, int64_t length)
{
    long err;

    if (length < 0)
        return -EINVAL;
    if (is_dir(ip))
        return -EISDIR;
    if (!S_ISTYPE(ip->mode, S_IFREG))
        return -EINVAL;
    if ((err = rlimit_fsize_truncate(ip->size, (uint64_t)length)))
        return err;
    if ((uint64_t)length > FILE_SIZE_MAX)
        return -EFBIG;
    return inode_truncate(ip, (uint32_t)length);
}

/* Through a path, the file must be writable by the caller (Linux
 * vfs_truncate: after the checks of its type). */
static long truncate_path(uintptr_t path, int64_t length)
{
    struct inode *ip;
    long err = length < 0 ? -EINVAL : lookup_at(AT_FDCWD, path, true, &ip);

    if (!err && S_ISTYPE(ip->mode, S_IFREG))
        err = inode_permission(ip, MAY_WRITE);
    return err ? err : set_size(ip, length);
}

/* Linux: a descriptor not open for writing, or not on a regular file, is EINVAL. */
static long truncate_fd(int fd, int64_t length)
{
    struct file *f = fd_file(self(), fd);

    if (!f)
        return -EBADF;
    if (!f->inode || (f->flags & O_ACCMODE) == O_RDONLY)
        return -EINVAL;
    if (!S_ISTYPE(f->inode->mode, S_IFREG))
        return -EINVAL;
    return set_size(f->inode, length);
}

/* The 64-bit length comes in two registers, low word first. */
static int64_t join64(uint32_t low, uint32_t high) { return (int64_t)((uint64_t)high << 32 | low); }

SYSCALL_DEFINE2(truncate, uintptr_t, path, int32_t, length) { return truncate_path(path, length); }
SYSCALL_DEFINE2(ftruncate, int, fd, int32_t, length) { return truncate_fd(fd, length); }

SYSCALL_DEFINE3(truncate64, uintptr_t, path, uint32_t, low, uint32_t, high)
{
    return truncate_path(path, join64(low, high));
}

SYSCALL_DEFINE3(ftruncate64, int, fd, uint32_t, low, uint32_t, high)
{
    return truncate_fd(fd, join64(low, high));
}

/* ---------------------------------------------------------------- utimensat */

struct utime_pair {
    int64_t sec[2], nsec[2]; /* access, then modification */
};

/* The two times from user memory (NULL: both now); -EINVAL for a bad nsec. */
static long times_in(uintptr_t times, bool wide, struct utime_pair *t)
{
    int32_t narrow[4];
    int64_t w[4];

    if (!times) {
        *t = (struct utime_pair){{0, 0}, {UTIME_NOW, UTIME_NOW}};
        return 0;
    }
    if (wide ? vm_copy_in(self()->pd, w, times, sizeof(w))
             : vm_copy_in(self()->pd, narrow, times, sizeof(narrow)))
        return -EFAULT;
    for (int i = 0; !wide && i < 4; i++)
        w[i] = narrow[i];
    *t = (struct utime_pair){{w[0], w[2]}, {w[1], w[3]}};
    for (int i = 0; i < 2; i++)
        if (t->nsec[i] != UTIME_NOW && t->nsec[i] != UTIME_OMIT &&
            (t->nsec[i] < 0 || t->nsec[i] >= NSEC_LIMIT))
            return -EINVAL;
    return 0;
}

static void set_time(struct fs_time *field, int64_t sec, int64_t nsec, struct fs_time now)
{
    if (nsec == UTIME_OMIT)
        return;
    *field = nsec == UTIME_NOW ? now : (struct fs_time){(uint32_t)sec, (uint32_t)nsec};
}

/* Linux (fs/utimes.c, fs/attr.c): setting both times to now is allowed
 * to whoever may write the file (else EACCES); anything else, to the
 * owner or root only (EPERM). */
static long times_permitted(const struct inode *ip, const struct utime_pair *t)
{
    if (inode_owner_or_root(ip))
        return 0;
    if (t->nsec[0] == UTIME_NOW && t->nsec[1] == UTIME_NOW)
        return inode_permission(ip, MAY_WRITE);
    return -EPERM;
}

static long set_times(struct inode *ip, const struct utime_pair *t)
{
    struct fs_time now = fs_now();
    long err;

    if (t->nsec[0] == UTIME_OMIT && t->nsec[1] == UTIME_OMIT)
        return 0; /* nothing to change, not even ctime */
    if (!ip)
        return 0;
    if ((err = times_permitted(ip, t)))
        return err;
    set_time(&ip->atime, t->sec[0], t->nsec[0], now);
    set_time(&ip->mtime, t->sec[1], t->nsec[1], now);
    ip->ctime = now;
    return 0;
}

/* utimensat: a NULL path means dirfd itself (what futimens calls). */
static long utimens_at(int dirfd, uintptr_t path, uintptr_t times, uint32_t flags, bool wide)
{
    struct utime_pair t;
    struct inode *ip;
    long err;

    if (flags & ~(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH))
        return -EINVAL;
    if ((err = times_in(times, wide, &t)))
        return err;
    if (!path && (flags & AT_SYMLINK_NOFOLLOW))
        return -EINVAL;
    if (!path && dirfd == AT_FDCWD)
        return -EFAULT;
    err = path ? target_at(dirfd, path, flags, &ip) : inode_of_fd(dirfd, &ip);
    return err ? err : set_times(ip, &t);
}

SYSCALL_DEFINE4(utimensat, int, dirfd, uintptr_t, path, uintptr_t, times, uint32_t, flags)
{
    return utimens_at(dirfd, path, times, flags, false);
}

SYSCALL_DEFINE4(utimensat_time64, int, dirfd, uintptr_t, path, uintptr_t, times, uint32_t, flags)
{
    return utimens_at(dirfd, path, times, flags, true);
}

/* ---------------------------------------------------------------- rename */

/* True when dir is `ancestor` or lies below it. */
static bool is_within(const struct inode *dir, const struct inode *ancestor)
{
    for (;; dir = dir->parent) {
        if (dir == ancestor)
            return true;
        if (dir == fs_root)
            return false;
    }
}

/* Linux's checks for renaming src over dst (NULL when new is free). */
static long rename_allowed(const struct inode *src, const struct inode *dst,
                           const struct name_at *to)
{
    if (is_dir(src) && is_within(to->dir, src))
        return -EINVAL; /* a directory into itself */
    if (!dst)
        return 0;
    if (is_dir(src) && !is_dir(dst))
        return -ENOTDIR;
    if (!is_dir(src) && is_dir(dst))
        return -EISDIR;
    if (is_dir(dst) && !dir_is_empty(dst))
        return -ENOTEMPTY;
    return 0;
}

/* Linux's vfs_rename: removing the old name, making or replacing the new
 * one, and, for a directory that changes parent, writing its "..". */
static long rename_permitted(const struct name_at *from, const struct inode *src,
                             const struct name_at *to, const struct inode *dst)
{
    long err = may_delete(from->dir, src);

    if (!err)
        err = dst ? may_delete(to->dir, dst) : inode_permission(to->dir, MAY_WRITE | MAY_EXEC);
    if (!err && is_dir(src) && to->dir != from->dir)
        err = inode_permission(src, MAY_WRITE);
    return err;
}

static long rename_names(const struct name_at *from, const struct name_at *to, uint32_t flags)
{
    struct inode *src, *dst;
    long err;

    if (!from->len || !to->len || is_dot_or_dotdot(from) || is_dot_or_dotdot(to))
        return -EBUSY; /* "/", "." or "..": Linux renames only ordinary names */
    if (!(src = dir_lookup(from->dir, from->name, from->len)))
        return -ENOENT;
    if (!to->dir->nlink)
        return -ENOENT; /* a directory already removed takes no new names (Linux: IS_DEADDIR) */
    dst = dir_lookup(to->dir, to->name, to->len);
    if (dst && (flags & RENAME_NOREPLACE))
        return -EEXIST;
    if (src == dst)
        return 0; /* two names of one file: nothing happens, as on Linux */
    if ((err = rename_permitted(from, src, to, dst)) || (err = rename_allowed(src, dst, to)))
        return err;
    if (to->len > NAME_MAX)
        return -ENAMETOOLONG;
    if (dst && (err = dir_unlink(to->dir, to->name, to->len)))
        return err;
    return dir_move(from->dir, from->name, from->len, to->dir, to->name, to->len);
}

static long do_rename(int olddirfd, uintptr_t oldpath, int newdirfd, uintptr_t newpath,
                      uint32_t flags)
{
    struct name_at from, to;
    long err;

    if (flags & ~RENAME_NOREPLACE)
        return -EINVAL; /* RENAME_EXCHANGE and RENAME_WHITEOUT are not there */
    if ((err = name_at(olddirfd, oldpath, &from)))
        return err;
    if (!(err = name_at(newdirfd, newpath, &to))) {
        err = rename_names(&from, &to, flags);
        frame_free(to.path);
    }
    frame_free(from.path);
    return err;
}

SYSCALL_DEFINE2(rename, uintptr_t, oldpath, uintptr_t, newpath)
{
    return do_rename(AT_FDCWD, oldpath, AT_FDCWD, newpath, 0);
}

SYSCALL_DEFINE4(renameat, int, olddirfd, uintptr_t, oldpath, int, newdirfd, uintptr_t, newpath)
{
    return do_rename(olddirfd, oldpath, newdirfd, newpath, 0);
}

SYSCALL_DEFINE5(renameat2, int, olddirfd, uintptr_t, oldpath, int, newdirfd, uintptr_t, newpath,
                uint32_t, flags)
{
    return do_rename(olddirfd, oldpath, newdirfd, newpath, flags);
}

/* ---------------------------------------------------------------- sync */

/* Memory is the only store: there is nothing to write back. Linux's
 * fsync fails with EINVAL on files that have no fsync (pipes, the
 * terminal, /dev/null), and so does Relay's. */
static long sync_fd(int fd)
{
    struct file *f = fd_file(self(), fd);

    if (!f)
        return -EBADF;
    if (!f->inode || !(S_ISTYPE(f->inode->mode, S_IFREG) || is_dir(f->inode)))
        return -EINVAL;
    return 0;
}

SYSCALL_DEFINE1(fsync, int, fd) { return sync_fd(fd); }
SYSCALL_DEFINE1(fdatasync, int, fd) { return sync_fd(fd); }
SYSCALL_DEFINE0(sync) { return 0; }
SYSCALL_DEFINE1(syncfs, int, fd) { return fd_file(self(), fd) ? 0 : -EBADF; }

/* ---------------------------------------------------------------- statfs */

/* struct statfs64 of Linux i386 (asm-generic/statfs.h, packed to 4 bytes). */
struct statfs64 {
    uint32_t type, bsize;
    uint64_t blocks, bfree, bavail, files, ffree;
    uint32_t fsid[2];
    uint32_t namelen, frsize, flags;
    uint32_t spare[4];
} PACKED;
_Static_assert(sizeof(struct statfs64) == 84, "struct statfs64 is 84 bytes on i386");

/* What Linux's ramfs says (simple_statfs): its type, the page as block
 * size, NAME_MAX; no counts, since it has no limit but memory. */
static long statfs_out(uintptr_t buf)
{
    struct statfs64 st = {.type = RAMFS_MAGIC,
                          .bsize = PAGE_SIZE,
                          .namelen = NAME_MAX,
                          .frsize = PAGE_SIZE,
                          .flags = ST_VALID};

    return vm_copy_out(self()->pd, buf, &st, sizeof(st)) ? -EFAULT : 0;
}

/* As Linux, a wrong size is refused before the path is looked at. */
SYSCALL_DEFINE3(statfs64, uintptr_t, path, size_t, size, uintptr_t, buf)
{
    struct inode *ip;
    long err = size != sizeof(struct statfs64) ? -EINVAL : lookup_at(AT_FDCWD, path, true, &ip);

    return err ? err : statfs_out(buf);
}

SYSCALL_DEFINE3(fstatfs64, int, fd, size_t, size, uintptr_t, buf)
{
    if (size != sizeof(struct statfs64))
        return -EINVAL;
    return fd_file(self(), fd) ? statfs_out(buf) : -EBADF;
}
