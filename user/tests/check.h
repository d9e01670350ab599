/* Helpers for the differential tests: print a call's result the same way on every kernel.
 * Tests print relations ("yes"/"no") and errno names, never pids, addresses or times. */
#ifndef TESTS_CHECK_H
#define TESTS_CHECK_H

#include <errno.h>
#include <stdio.h>
#include <string.h>

static inline const char *errno_name(int e)
{
    static const char *const names[] = {
        [EPERM] = "EPERM",   [ENOENT] = "ENOENT", [ESRCH] = "ESRCH",   [EINTR] = "EINTR",
        [E2BIG] = "E2BIG",   [ENOEXEC] = "ENOEXEC",
        [EBADF] = "EBADF",   [ECHILD] = "ECHILD", [EAGAIN] = "EAGAIN", [ENOMEM] = "ENOMEM",
        [EACCES] = "EACCES", [EFAULT] = "EFAULT", [EINVAL] = "EINVAL", [ENOTTY] = "ENOTTY",
        [ENOSYS] = "ENOSYS", [EEXIST] = "EEXIST", [ENOTDIR] = "ENOTDIR", [EISDIR] = "EISDIR",
        [EMFILE] = "EMFILE", [ESPIPE] = "ESPIPE", [EPIPE] = "EPIPE",     [ERANGE] = "ERANGE",
        [ENAMETOOLONG] = "ENAMETOOLONG", [ENOTEMPTY] = "ENOTEMPTY",     [ELOOP] = "ELOOP",
        [EXDEV] = "EXDEV", [ENXIO] = "ENXIO", [EIO] = "EIO",             [EMLINK] = "EMLINK",
    };

    if (e > 0 && e < (int)(sizeof(names) / sizeof(names[0])) && names[e])
        return names[e];
    return "E?";
}

/* Prints "what = r", or "what = -1 NAME" on failure. Call right after the call being shown. */
static inline void show(const char *what, long r)
{
    if (r == -1)
        printf("%s = -1 %s\n", what, errno_name(errno));
    else
        printf("%s = %ld\n", what, r);
}

static inline const char *yes(int cond) { return cond ? "yes" : "no"; }

/* The last part of a path, so argv[0] prints the same however the program was started. */
static inline const char *base_name(const char *path)
{
    const char *slash = strrchr(path, '/');

    return slash ? slash + 1 : path;
}

#endif
