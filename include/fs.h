/*
 * The file system: a RAM file system of inodes and directory entries
 * (kernel/fs/ramfs.c), path lookup (kernel/fs/namei.c), and the initramfs
 * unpacker that fills it at boot from a cpio archive (kernel/fs/cpio.c).
 *
 * Everything lives in memory and is gone at reboot, as with Linux's
 * initramfs. Modes, file types and limits have Linux's values
 * (include/uapi/linux/stat.h, include/uapi/linux/limits.h), because user
 * programs see them through stat.
 */
#pragma once

#include "types.h"
#include "vm.h"

#define NAME_MAX    255  /* bytes in one path component */
#define PATH_MAX    4096 /* bytes in a path, with its NUL */
#define SYMLOOP_MAX 40   /* symbolic links followed in one lookup (Linux's MAXSYMLINKS) */

#define S_IFMT               0170000
#define S_IFSOCK             0140000
#define S_IFLNK              0120000
#define S_IFREG              0100000
#define S_IFBLK              0060000
#define S_IFDIR              0040000
#define S_IFCHR              0020000
#define S_IFIFO              0010000
#define S_PERMS              07777 /* set-uid, set-gid, sticky and the nine rwx bits */
#define S_ISUID              04000
#define S_ISGID              02000
#define S_ISVTX              01000 /* sticky: in a directory, only owners remove names */
#define S_ISTYPE(mode, type) (((mode)&S_IFMT) == (type))

struct fs_time {
    uint32_t sec, nsec;
};

/* What a permission check asks for: the rwx bits' values (Linux's MAY_*). */
#define MAY_EXEC  1
#define MAY_WRITE 2
#define MAY_READ  4
#define MAY_ALL   (MAY_READ | MAY_WRITE | MAY_EXEC)

struct dentry;
struct inode;

/* Where bytes go to or come from: the user memory of pd, or kernel memory
 * when pd is NULL. */
struct iobuf {
    pde_t *pd;
    uintptr_t addr;
};


/* An inode whose bytes the kernel makes when they are read (/proc): read
 * fills buf from offset off, as inode_read does for stored bytes. */
struct inode_ops {
    long (*read)(struct inode *ip, uint32_t off, struct iobuf buf, size_t count);
};

/* One file, directory, symbolic link or device node. A regular file's or a
 * symbolic link's bytes sit in whole frames, found through a two-level map
 * (FS_MAP_SLOTS pointers a frame); a hole reads as zeros. */
struct inode {
    uint32_t ino, mode, nlink, uid, gid;
    uint32_t rdev; /* a device node's (major << 8) | minor, as Linux's old_encode_dev */
    uint32_t size;
    struct fs_time atime, mtime, ctime;
    int open_count;         /* open files: the inode outlives its last name until 0 */
    struct inode *parent;   /* a directory's "..": itself for the root */
    struct dentry *entries; /* a directory's names, newest first */
    void ***pages;          /* a file's data: pages[i / FS_MAP_SLOTS][i % FS_MAP_SLOTS] */
    const struct inode_ops *ops; /* made by the kernel (/proc): never freed, never changed */
    int slot;                    /* /proc: which process slot it describes */
};

/* A name in a directory. */
struct dentry {
    struct dentry *next;
    struct inode *inode;
    uint8_t len;
    char name[NAME_MAX + 1];
};


/* Copies n bytes into or out of buf, at offset `at` in it: 0 or -EFAULT. */
int iobuf_put(struct iobuf buf, size_t at, const void *src, size_t n);
int iobuf_get(struct iobuf buf, size_t at, void *dst, size_t n);

extern struct inode *fs_root;

/* Makes the empty root directory; after the heap and the frame allocator. */
void fs_init(void);

/* Inodes (kernel/fs/ramfs.c). */
struct inode *inode_new(uint32_t mode);
/* Frees ip once it has no name and no open file; call after either drops. */
void inode_release(struct inode *ip);
/* Reads or writes at off; returns the bytes moved or -errno (EFAULT, ENOSPC). */
long inode_read(struct inode *ip, uint32_t off, struct iobuf buf, size_t count);
long inode_write(struct inode *ip, uint32_t off, struct iobuf buf, size_t count);
/* The frame holding page `index` of a regular file's bytes, made (zeroed)
 * where the file has a hole; NULL when out of memory. A shared mapping maps
 * it (kernel/mm/mmap.c), taking a reference of its own. */
void *inode_page_frame(struct inode *ip, uint32_t index);
/* Sets the size, freeing the pages past it or leaving a hole before it. */
int inode_truncate(struct inode *ip, uint32_t size);
struct fs_time fs_now(void);

/* Directories (kernel/fs/ramfs.c). Names are counted, not NUL-terminated. */
struct inode *dir_lookup(struct inode *dir, const char *name, size_t len);
/* Gives ip a name in dir: -EEXIST, -ENAMETOOLONG, -ENOMEM. A directory's
 * parent becomes dir. */
int dir_link(struct inode *dir, const char *name, size_t len, struct inode *ip);
/* Removes a name (not "." or ".."); the inode is released if that was its last. */
int dir_unlink(struct inode *dir, const char *name, size_t len);
bool dir_is_empty(const struct inode *dir);
/* The same without the check that keeps user calls out of the kernel's own
 * trees (an inode with ops: /proc, whose entries EPERM otherwise). */
int dir_link_kernel(struct inode *dir, const char *name, size_t len, struct inode *ip);
int dir_unlink_kernel(struct inode *dir, const char *name, size_t len);
/* Moves the name `name` of `from` to `new_name` in `to` (rename), which must
 * not hold that name yet: 0, -ENOENT, -EEXIST or -ENAMETOOLONG. */
int dir_move(struct inode *from, const char *name, size_t len, struct inode *to,
             const char *new_name, size_t new_len);

/* Path lookup (kernel/fs/namei.c). path is a NUL-terminated kernel string;
 * a relative one starts at cwd. */
#define LOOKUP_FOLLOW 1 /* follow a symbolic link in the last component */
int path_lookup(const char *path, struct inode *cwd, int flags, struct inode **out);
/* Writes the absolute path of dir at the end of buf (PATH_MAX bytes);
 * returns where it starts, or NULL when the directory has been removed. */
char *path_of_dir(const struct inode *dir, char *buf);
/* Finds the directory that holds the last component, and that component
 * (a pointer into path, *len bytes; "" for "/"). */
int path_parent(const char *path, struct inode *cwd, struct inode **dir, const char **name,
                size_t *len);

/* /proc (kernel/fs/procfs.c): built at boot, after the initramfs; each
 * process slot's directory is named in /proc while it holds a process. */
struct proc;
void procfs_init(void);
void procfs_add(const struct proc *p);
void procfs_remove(const struct proc *p);

/* The initramfs (kernel/fs/cpio.c): unpacks a cpio "newc" archive into the
 * root. Returns 0, or -EINVAL with *why saying what is wrong with the
 * archive; what came before the fault stays unpacked. */
int cpio_unpack(const uint8_t *data, size_t size, const char **why);
/* The same, with the archive's "/" at dir (the fs suite's scratch trees). */
int cpio_unpack_at(struct inode *dir, const uint8_t *data, size_t size, const char **why);
/* Unpacks every boot module that is a cpio archive (by its magic), in order,
 * and makes each other module a program in /bin; a bad one is reported on
 * the console and the kernel goes on. */
void initramfs_unpack_modules(void);

/* Permission checks (kernel/fs/perm.c), as Linux's: 0 or -EACCES for mask
 * (MAY_* bits) on ip, by the current process's fs ids, or by its real ids
 * (access(2)). */
int inode_permission(const struct inode *ip, int mask);
int inode_permission_real(const struct inode *ip, int mask);
/* Is gid the caller's fs gid or one of its supplementary groups? */
bool fs_in_group(uint32_t gid);
/* May the caller change ip's mode or times at will (its owner, or root)? */
bool inode_owner_or_root(const struct inode *ip);
/* May the caller remove or replace victim's name in dir: 0, -EACCES or
 * -EPERM (a sticky directory). */
int may_delete(const struct inode *dir, const struct inode *victim);
