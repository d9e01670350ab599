/*
 * Path helpers that the file system calls share (kernel/fs/sys_file.c has
 * them; sys_dir.c, sys_stat.c, sys_attr.c use them):
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

/* Copies a user path into a frame of its own (PATH_MAX bytes): its length,
 * or -EFAULT, -ENAMETOOLONG, -ENOMEM. Free it with frame_free. */
long path_in(uintptr_t user, char **out);
/* Looks a user path up from dirfd; `follow` for the last component. */
long lookup_at(int dirfd, uintptr_t user_path, bool follow, struct inode **out);
/* Fills n for a user path from dirfd: 0 or -errno (n->path is then freed). */
long name_at(int dirfd, uintptr_t user_path, struct name_at *n);
bool is_dot_or_dotdot(const struct name_at *n);
/* The inode n names now, "." and ".." included; NULL when absent. */
struct inode *existing(const struct name_at *n);
/* 1 when the user string at path is empty, 0 if not, -EFAULT. */
long empty_path(uintptr_t path);
/* A new inode of mode (the caller's umask applied, but to a symbolic link),
 * linked as n: 0, -EEXIST, -ENOSPC or dir_link's error. */
long create_at(const struct name_at *n, uint32_t mode, struct inode **out);
