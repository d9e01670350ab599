/* One C wrapper per system call. Each returns -1 with errno set when the kernel returns
 * -errno, as POSIX callers expect. Numbers come from sys/syscall.h only. */
#include <errno.h>
#include <sched.h>
#include <stdarg.h>
#include <stdio.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "libc.h"

int errno;

long sys_result(long raw)
{
    /* Linux reserves -4095..-1 for errors; anything else, even a "negative" address, is a
     * value. */
    if ((unsigned long)raw >= (unsigned long)-4095) {
        errno = (int)-raw;
        return -1;
    }
    return raw;
}

long syscall(long nr, ...)
{
    va_list ap;
    long a[6];
    int i;

    /* Reading six arguments when fewer were passed only reads the caller's stack. */
    va_start(ap, nr);
    for (i = 0; i < 6; i++)
        a[i] = va_arg(ap, long);
    va_end(ap);
    return sys_result(syscall6(nr, a[0], a[1], a[2], a[3], a[4], a[5]));
}

ssize_t read(int fd, void *buf, size_t n) { return sys_result(SYSCALL3(SYS_read, fd, buf, n)); }

ssize_t write(int fd, const void *buf, size_t n)
{
    return sys_result(SYSCALL3(SYS_write, fd, buf, n));
}

pid_t fork(void)
{
    fflush(NULL);
    return sys_result(SYSCALL0(SYS_fork));
}

int execve(const char *path, char *const argv[], char *const envp[])
{
    fflush(NULL);
    return sys_result(SYSCALL3(SYS_execve, path, argv, envp));
}

int execv(const char *path, char *const argv[]) { return execve(path, argv, environ); }

void _exit(int status)
{
    for (;;)
        SYSCALL1(SYS_exit_group, status);
}

pid_t waitpid(pid_t pid, int *status, int options)
{
    return sys_result(SYSCALL3(SYS_waitpid, pid, status, options));
}

pid_t wait4(pid_t pid, int *status, int options, struct rusage *ru)
{
    return sys_result(SYSCALL4(SYS_wait4, pid, status, options, ru));
}

pid_t wait(int *status) { return wait4(-1, status, 0, NULL); }

pid_t getpid(void) { return SYSCALL0(SYS_getpid); }
pid_t getppid(void) { return SYSCALL0(SYS_getppid); }
pid_t gettid(void) { return SYSCALL0(SYS_gettid); }

int setpgid(pid_t pid, pid_t pgid) { return sys_result(SYSCALL2(SYS_setpgid, pid, pgid)); }
pid_t getpgid(pid_t pid) { return sys_result(SYSCALL1(SYS_getpgid, pid)); }
pid_t getpgrp(void) { return sys_result(SYSCALL0(SYS_getpgrp)); }
pid_t setsid(void) { return sys_result(SYSCALL0(SYS_setsid)); }

int ioctl(int fd, unsigned long request, ...)
{
    va_list ap;
    long arg;

    va_start(ap, request);
    arg = va_arg(ap, long);
    va_end(ap);
    return sys_result(SYSCALL3(SYS_ioctl, fd, request, arg));
}

pid_t tcgetpgrp(int fd)
{
    pid_t pgrp;

    if (ioctl(fd, TIOCGPGRP, &pgrp) < 0)
        return -1;
    return pgrp;
}

int tcsetpgrp(int fd, pid_t pgrp) { return ioctl(fd, TIOCSPGRP, &pgrp); }

int sched_yield(void) { return sys_result(SYSCALL0(SYS_sched_yield)); }

int nanosleep(const struct timespec *req, struct timespec *rem)
{
    return sys_result(SYSCALL2(SYS_nanosleep, req, rem));
}

/* The break as the kernel last reported it; 0 until first asked. */
static char *cur_brk;

int brk(void *addr)
{
    /* The raw call returns the new break, or the old one when it refuses. */
    cur_brk = (char *)SYSCALL1(SYS_brk, addr);
    if (cur_brk != addr) {
        errno = ENOMEM;
        return -1;
    }
    return 0;
}

void *sbrk(long increment)
{
    char *old;

    if (!cur_brk)
        cur_brk = (char *)SYSCALL1(SYS_brk, 0);
    old = cur_brk;
    if (increment != 0 && brk(old + increment) < 0)
        return (void *)-1;
    return old;
}
