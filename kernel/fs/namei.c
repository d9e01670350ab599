/*
 * Path lookup, as Linux's namei does it for the cases a RAM file system
 * has: components separated by any number of slashes, "." and "..",
 * symbolic links followed up to SYMLOOP_MAX times in one lookup (ELOOP
 * after), a trailing slash that asks for a directory, ENOTDIR for a file in
 * the middle, ENAMETOOLONG for a component over NAME_MAX bytes.
 */
#include "errno.h"
#include "fs.h"
#include "pmm.h"
#include "string.h"

static int resolve(const char *path, size_t len, struct inode *cwd, int flags, int *links,
                   struct inode **out);

static bool is_dir(const struct inode *ip) { return S_ISTYPE(ip->mode, S_IFDIR); }
static bool is_link(const struct inode *ip) { return S_ISTYPE(ip->mode, S_IFLNK); }

/* One component in dir, "." and ".." included; NULL when absent. */
static struct inode *component(struct inode *dir, const char *name, size_t len)
{
    if (len == 1 && name[0] == '.')
        return dir;
    if (len == 2 && name[0] == '.' && name[1] == '.')
        return dir->parent;
    return dir_lookup(dir, name, len);
}

/* Replaces *ip, a symbolic link found in dir, by what its target names. */
static int follow_link(struct inode *dir, int *links, struct inode **ip)
{
    char *target;
    long n;
    int err;

    if (++*links > SYMLOOP_MAX)
        return -ELOOP;
    if ((*ip)->size >= PATH_MAX)
        return -ENAMETOOLONG;
    if (!(target = frame_alloc())) /* PATH_MAX bytes: one frame */
        return -ENOMEM;
    /* A stored link has size bytes; one the kernel makes (/proc/self) says. */
    n = inode_read(*ip, 0, (struct iobuf){NULL, (uintptr_t)target}, PATH_MAX - 1);
    err = n < 0 ? (int)n : resolve(target, (size_t)n, dir, LOOKUP_FOLLOW, links, ip);
    frame_free(target);
    return err;
}

static size_t skip_slashes(const char *path, size_t len, size_t at)
{
    while (at < len && path[at] == '/')
        at++;
    return at;
}

static int resolve(const char *path, size_t len, struct inode *cwd, int flags, int *links,
                   struct inode **out)
{
    struct inode *dir = len && path[0] == '/' ? fs_root : cwd, *next;
    size_t at = skip_slashes(path, len, 0);

    if (len == 0)
        return -ENOENT; /* Linux: an empty path names nothing */
    while (at < len) {
        size_t start = at, after;
        int err;

        while (at < len && path[at] != '/')
            at++;
        after = skip_slashes(path, len, at);
        if (at - start > NAME_MAX)
            return -ENAMETOOLONG;
        if (!is_dir(dir))
            return -ENOTDIR;
        if ((err = inode_permission(dir, MAY_EXEC)))
            return err; /* search permission, for every directory walked */
        if (!(next = component(dir, path + start, at - start)))
            return -ENOENT;
        bool last = after == len, wants_dir = last && at < len;
        if (is_link(next) && (!last || (flags & LOOKUP_FOLLOW) || wants_dir) &&
            (err = follow_link(dir, links, &next)))
            return err;
        if (wants_dir && !is_dir(next))
            return -ENOTDIR;
        dir = next, at = after;
    }
    *out = dir;
    return 0;
}

int path_lookup(const char *path, struct inode *cwd, int flags, struct inode **out)
{
    int links = 0;

    return resolve(path, strnlen(path, PATH_MAX), cwd, flags, &links, out);
}

int path_parent(const char *path, struct inode *cwd, struct inode **dir, const char **name,
                size_t *len)
{
    size_t end = strnlen(path, PATH_MAX), slash;
    int links = 0, err;

    if (end == 0)
        return -ENOENT;
    while (end > 1 && path[end - 1] == '/')
        end--; /* "a/b/" names b */
    slash = end;
    while (slash > 0 && path[slash - 1] != '/')
        slash--;
    *name = path + slash;
    *len = end - slash;
    if (*len > NAME_MAX)
        return -ENAMETOOLONG;
    if (slash == 0) {
        *dir = cwd;
        err = is_dir(cwd) ? 0 : -ENOTDIR;
    } else {
        err = resolve(path, slash, cwd, LOOKUP_FOLLOW, &links, dir);
        if (!err && !is_dir(*dir))
            err = -ENOTDIR;
    }
    if (!err && *len) /* the last name is looked up in *dir: search permission */
        err = inode_permission(*dir, MAY_EXEC);
    return err; /* for "/" itself: the root, and an empty name */
}

/* The name dir has in its parent; NULL when it has none (removed). */
static const struct dentry *name_in_parent(const struct inode *dir)
{
    for (const struct dentry *d = dir->parent->entries; d; d = d->next)
        if (d->inode == dir)
            return d;
    return NULL;
}

char *path_of_dir(const struct inode *dir, char *buf)
{
    char *at = buf + PATH_MAX - 1;

    *at = '\0';
    for (; dir != fs_root; dir = dir->parent) {
        const struct dentry *d = name_in_parent(dir);
        if (!d || (size_t)(at - buf) < d->len + 1U)
            return NULL;
        at -= d->len;
        memcpy(at, d->name, d->len);
        *--at = '/';
    }
    if (!*at)
        *--at = '/';
    return at;
}
