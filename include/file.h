/*
 * Open files and file descriptors (kernel/fs/file.c), as in Linux: a file
 * descriptor is a small number in the process's table; it points to an open
 * file description (struct file) that holds the offset and the status flags.
 * fork and dup share one description between several descriptors, so they
 * share its offset; open makes a new one.
 *
 * What a description reads and writes depends on what it was opened on: a
 * regular file or directory of the RAM file system, a pipe end
 * (kernel/fs/pipe.c), or a device (the terminal, /dev/null...). Each kind
 * gives its struct file_ops.
 */
#pragma once

#include "fs.h"
#include "types.h"

/* open(2) flags, Linux i386 values (include/uapi/asm-generic/fcntl.h). */
#define O_ACCMODE   03
#define O_RDONLY    00
#define O_WRONLY    01
#define O_RDWR      02
#define O_CREAT     0100
#define O_EXCL      0200
#define O_NOCTTY    0400
#define O_TRUNC     01000
#define O_APPEND    02000
#define O_NONBLOCK  04000
#define O_LARGEFILE 0100000
#define O_DIRECTORY 0200000
#define O_NOFOLLOW  0400000
#define O_CLOEXEC   02000000
/* The flags F_SETFL may change; the others stay as open set them. */
#define O_SETFL_MASK (O_APPEND | O_NONBLOCK)

#define NOFILE 256 /* descriptors per process: open beyond is EMFILE */


struct file;
struct proc;

struct file_ops {
    long (*read)(struct file *f, struct iobuf buf, size_t count);
    long (*write)(struct file *f, struct iobuf buf, size_t count);
    long (*ioctl)(struct file *f, uint32_t cmd, uintptr_t arg); /* NULL: ENOTTY */
    short (*poll)(struct file *f); /* POLLIN/POLLOUT/POLLHUP... now (include/poll.h); NULL: both */
    void (*release)(struct file *f);                            /* the last reference is gone */
};

struct file {
    int refs; /* descriptors (in every process) that point here */
    uint32_t flags;
    uint64_t offset;
    struct inode *inode; /* NULL for a pipe end */
    const struct file_ops *ops;
    void *private; /* the pipe, for a pipe end */
};

/* A process's descriptors. */
struct fd_table {
    struct file *file[NOFILE];
    bool cloexec[NOFILE];
};

/* A new description with one reference, or NULL when out of memory. */
struct file *file_new(const struct file_ops *ops, uint32_t flags);
/* A description on an inode of the file system (it counts as open). */
struct file *file_open_inode(struct inode *ip, uint32_t flags);
struct file *file_get(struct file *f);
void file_put(struct file *f);

/* The description behind fd, or NULL (EBADF). */
struct file *fd_file(struct proc *p, int fd);
/* Installs f at the lowest free descriptor >= min_fd; returns it, or
 * -EMFILE (-EINVAL for min_fd out of range). Takes over the caller's reference. */
int fd_install(struct proc *p, struct file *f, int min_fd, bool cloexec);
/* Descriptors a process may use: RLIMIT_NOFILE, at most NOFILE. */
int fd_limit(const struct proc *p);
/* Puts f at exactly fd, closing what was there (dup2). */
void fd_install_at(struct proc *p, int fd, struct file *f, bool cloexec);
int fd_close(struct proc *p, int fd);
/* The child shares every description (fork); execve closes the close-on-exec
 * ones; exit closes all. */
void fd_fork(struct proc *child, const struct proc *parent);
void fd_exec(struct proc *p);
void fd_close_all(struct proc *p);
/* What a process holds of the file system: its descriptors and working
 * directory. fork shares them with the child; exit lets them go. */
void files_fork(struct proc *child, const struct proc *parent);
void files_exit(struct proc *p);
/* The process's working directory (the root until it changes it). */
struct inode *proc_cwd(const struct proc *p);
/* Changes it, keeping the new directory alive and releasing the old one. */
void proc_set_cwd(struct proc *p, struct inode *dir);

/* Devices (kernel/fs/dev.c). Opens the driver behind a character-device
 * node: 0, or -ENXIO when no driver has its number. */
int dev_open(struct inode *ip, uint32_t flags, struct file **out);
/* Gives init its descriptors 0, 1 and 2 on the terminal (stdio=split: 1 and
 * 2 on COM2 and COM3). */
void dev_install_stdio(struct proc *p);
/* Makes /dev and its nodes where the initramfs did not; after fs_init. */
void dev_init(void);
