/* Wrappers for the file, descriptor and directory calls. Each returns -1 with errno set when
 * the kernel returns -errno. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdarg.h>
#include <sys/stat.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <termios.h>
#include <unistd.h>

#include "libc.h"

static mode_t mode_arg(int flags, va_list ap)
{
    return (flags & O_CREAT) ? va_arg(ap, mode_t) : 0;
}

int open(const char *path, int flags, ...)
{
    va_list ap;
    mode_t mode;

    va_start(ap, flags);
    mode = mode_arg(flags, ap);
    va_end(ap);
    return sys_result(SYSCALL3(SYS_open, path, flags | O_LARGEFILE, mode));
}

int openat(int dirfd, const char *path, int flags, ...)
{
    va_list ap;
    mode_t mode;

    va_start(ap, flags);
    mode = mode_arg(flags, ap);
    va_end(ap);
    return sys_result(SYSCALL4(SYS_openat, dirfd, path, flags | O_LARGEFILE, mode));
}

int creat(const char *path, mode_t mode) { return sys_result(SYSCALL2(SYS_creat, path, mode)); }

int fcntl(int fd, int cmd, ...)
{
    va_list ap;
    long arg;

    va_start(ap, cmd);
    arg = va_arg(ap, long); /* an unused one only reads the caller's stack */
    va_end(ap);
    return sys_result(SYSCALL3(SYS_fcntl64, fd, cmd, arg));
}

int close(int fd) { return sys_result(SYSCALL1(SYS_close, fd)); }

off_t lseek(int fd, off_t offset, int whence)
{
    return sys_result(SYSCALL3(SYS_lseek, fd, offset, whence));
}

int dup(int fd) { return sys_result(SYSCALL1(SYS_dup, fd)); }
int dup2(int oldfd, int newfd) { return sys_result(SYSCALL2(SYS_dup2, oldfd, newfd)); }

int dup3(int oldfd, int newfd, int flags)
{
    return sys_result(SYSCALL3(SYS_dup3, oldfd, newfd, flags));
}

int pipe(int fds[2]) { return sys_result(SYSCALL1(SYS_pipe, fds)); }
int pipe2(int fds[2], int flags) { return sys_result(SYSCALL2(SYS_pipe2, fds, flags)); }

int stat(const char *path, struct stat *st) { return sys_result(SYSCALL2(SYS_stat64, path, st)); }

int lstat(const char *path, struct stat *st)
{
    return sys_result(SYSCALL2(SYS_lstat64, path, st));
}

int fstat(int fd, struct stat *st) { return sys_result(SYSCALL2(SYS_fstat64, fd, st)); }
int mkdir(const char *path, mode_t mode) { return sys_result(SYSCALL2(SYS_mkdir, path, mode)); }
mode_t umask(mode_t mask) { return (mode_t)SYSCALL1(SYS_umask, mask); }
int unlink(const char *path) { return sys_result(SYSCALL1(SYS_unlink, path)); }
int rmdir(const char *path) { return sys_result(SYSCALL1(SYS_rmdir, path)); }

int link(const char *oldpath, const char *newpath)
{
    return sys_result(SYSCALL2(SYS_link, oldpath, newpath));
}

int symlink(const char *target, const char *path)
{
    return sys_result(SYSCALL2(SYS_symlink, target, path));
}

ssize_t readlink(const char *path, char *buf, size_t size)
{
    return sys_result(SYSCALL3(SYS_readlink, path, buf, size));
}

int chdir(const char *path) { return sys_result(SYSCALL1(SYS_chdir, path)); }
int fchdir(int fd) { return sys_result(SYSCALL1(SYS_fchdir, fd)); }

/* The kernel returns the length; the library returns buf, as POSIX says. */
char *getcwd(char *buf, size_t size)
{
    return sys_result(SYSCALL2(SYS_getcwd, buf, size)) < 0 ? NULL : buf;
}

int access(const char *path, int mode) { return sys_result(SYSCALL2(SYS_access, path, mode)); }

int poll(struct pollfd *fds, nfds_t n, int timeout)
{
    return sys_result(SYSCALL3(SYS_poll, fds, n, timeout));
}

int tcgetattr(int fd, struct termios *t) { return ioctl(fd, TCGETS, t); }

/* TCSANOW, TCSADRAIN and TCSAFLUSH are TCSETS, TCSETSW and TCSETSF, in order. */
int tcsetattr(int fd, int when, const struct termios *t)
{
    if (when < TCSANOW || when > TCSAFLUSH) {
        errno = EINVAL;
        return -1;
    }
    return ioctl(fd, TCSETS + when, t);
}
