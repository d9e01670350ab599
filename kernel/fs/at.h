/*
 * Path helpers that the file system calls share (kernel/fs/sys_file.c):
 * a *at call's dirfd and user path turned into an inode, or into the
 * directory and last component a call that makes or removes a name needs.
 */
#pragma once

#include "fs.h"
#include "types.h"

#define AT_FDCWD            (-100)
#define AT_SYMLINK_NOFOLLOW 0x100
#define AT_EMPTY_PATH       0x1000

/* What a call that makes or removes a name works on: the directory, the
 * last component, and the path that holds it (free with frame_free). */
struct name_at {
    char *path;
    struct inode *dir;
    const char *name;
    size_t len;
};

/* Looks a user path up from dirfd; `follow` for the last component. */
long lookup_at(int dirfd, uintptr_t user_path, bool follow, struct inode **out);
/* Fills n for a user path from dirfd: 0 or -errno (n->path is then freed). */
long name_at(int dirfd, uintptr_t user_path, struct name_at *n);
bool is_dot_or_dotdot(const struct name_at *n);
/* The inode n names now, "." and ".." included; NULL when absent. */
struct inode *existing(const struct name_at *n);
/* 1 when the user string at path is empty, 0 if not, -EFAULT. */
long empty_path(uintptr_t path);
