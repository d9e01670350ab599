/*
 * stat in its forms (stat64, lstat64, fstat64, fstatat64, statx) and access
 * (access, faccessat, faccessat2), with Linux i386's structures; access
 * checks the mode bits as opening or running the file would
 * (kernel/fs/perm.c).
 */
#include "at.h"
#include "errno.h"
#include "file.h"
#include "proc.h"
#include "syscall.h"

static struct proc *self(void) { return current_proc(); }

#define AT_EACCESS   0x200
#define ACCESS_MODES 07 /* R_OK | W_OK | X_OK */

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

#define STATX_BASIC_STATS                                                                          \
    0x07ffu /* type, mode, nlink, uid, gid, times but btime, ino, size, blocks */
#define STATX_RESERVED     0x80000000u
#define AT_NO_AUTOMOUNT    0x800
#define AT_STATX_SYNC_TYPE 0x6000
#define STATX_FLAGS        (AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH | AT_NO_AUTOMOUNT | AT_STATX_SYNC_TYPE)
#define DEV_MAJOR(d)       (((d) >> 8) & 0xfff) /* Linux's new_decode_dev */
#define DEV_MINOR(d)       (((d)&0xff) | (((d) >> 12) & 0xfff00))

static struct statx_time statx_time(struct fs_time t)
{
    return (struct statx_time){t.sec, t.nsec, 0};
}

static long statx_out(const struct inode *ip, uintptr_t buf)
{
    struct statx st = {
        .mask = STATX_BASIC_STATS,
        .blksize = STAT_BLKSIZE,
        .nlink = ip->nlink,
        .uid = ip->uid,
        .gid = ip->gid,
        .mode = (uint16_t)ip->mode,
        .ino = ip->ino,
        .size = ip->size,
        .blocks = ALIGN_UP(ip->size, PAGE_SIZE) / STAT_BLOCK,
        .atime = statx_time(ip->atime),
        .ctime = statx_time(ip->ctime),
        .mtime = statx_time(ip->mtime),
        .rdev_major = DEV_MAJOR(ip->rdev),
        .rdev_minor = DEV_MINOR(ip->rdev),
        .dev_minor = RAMFS_DEV,
    };

    return vm_copy_out(self()->pd, buf, &st, sizeof(st)) ? -EFAULT : 0;
}

SYSCALL_DEFINE5(statx, int, dirfd, uintptr_t, path, uint32_t, flags, uint32_t, mask, uintptr_t, buf)
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

/* ---------------------------------------------------------------- access */

/* access(2) asks with the real ids, the question a set-user-id program
 * has about its user; AT_EACCESS with the effective (fs) ones. R_OK, W_OK
 * and X_OK are the MAY_* bits. */
static long access_at(int dirfd, uintptr_t path, int mode, uint32_t flags)
{
    struct inode *ip;
    long err;

    if (mode & ~ACCESS_MODES)
        return -EINVAL;
    if ((err = lookup_at(dirfd, path, !(flags & AT_SYMLINK_NOFOLLOW), &ip)))
        return err;
    if (flags & AT_EACCESS)
        return inode_permission(ip, mode);
    return inode_permission_real(ip, mode);
}

SYSCALL_DEFINE2(access, uintptr_t, path, int, mode) { return access_at(AT_FDCWD, path, mode, 0); }

SYSCALL_DEFINE3(faccessat, int, dirfd, uintptr_t, path, int, mode)
{
    return access_at(dirfd, path, mode, 0);
}

SYSCALL_DEFINE4(faccessat2, int, dirfd, uintptr_t, path, int, mode, uint32_t, flags)
{
    if (flags & ~(AT_SYMLINK_NOFOLLOW | AT_EACCESS))
        return -EINVAL;
    return access_at(dirfd, path, mode, flags);
}
