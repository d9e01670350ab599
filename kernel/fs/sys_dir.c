/*
 * The system calls on directories and names: getdents64, mkdir(at),
 * unlink(at), rmdir, symlink(at), readlink(at), link(at), and the working
 * directory (chdir, fchdir, getcwd) and umask, with Linux's errno for each
 * kind of name ("." and "..", a directory, a non-empty one).
 */
#include "at.h"
#include "errno.h"
#include "file.h"
#include "pmm.h"
#include "proc.h"
#include "string.h"
#include "syscall.h"

static struct proc *self(void) { return current_proc(); }

#define AT_REMOVEDIR 0x200
#define SYMLINK_MODE (S_IFLNK | 0777)

static bool is_dir(const struct inode *ip) { return S_ISTYPE(ip->mode, S_IFDIR); }

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
    long err;

    if (!ip)
        return -ENOENT;
    if (want_dir && n->len == 1 && n->name[0] == '.')
        return -EINVAL;
    if (want_dir && (n->len == 0 || is_dot_or_dotdot(n)))
        return -ENOTEMPTY;
    if (n->len && !is_dot_or_dotdot(n) && (err = may_delete(n->dir, ip)))
        return err;
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
    if (existing(&n))
        err = -EEXIST;
    else if (!(err = inode_permission(n.dir, MAY_WRITE | MAY_EXEC)))
        err = dir_link(n.dir, n.name, n.len, ip);
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
    if (inode_permission(ip, MAY_EXEC))
        return -EACCES;
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
