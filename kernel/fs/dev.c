/*
 * Character devices, the files that are not data: the terminal, and
 * /dev/null, /dev/zero and /dev/urandom. A device node in the file system
 * names its driver by device number, as on Linux (Documentation/admin-guide/
 * devices.txt): opening the node gives a file whose operations are the
 * driver's. The kernel makes /dev and these nodes at boot when the
 * initramfs did not, as Linux's devtmpfs does.
 */
#include "errno.h"
#include "file.h"
#include "poll.h"
#include "proc.h"
#include "random.h"
#include "string.h"
#include "tty.h"
#include "x86.h"

#define DEV(major, minor) (((major) << 8) | (minor)) /* as encode_dev in kernel/fs/cpio.c */
#define MEM_MAJOR         1
#define TTYAUX_MAJOR      5
#define DEV_NULL          DEV(MEM_MAJOR, 3)
#define DEV_ZERO          DEV(MEM_MAJOR, 5)
#define DEV_URANDOM       DEV(MEM_MAJOR, 9)
#define DEV_TTY           DEV(TTYAUX_MAJOR, 0)
#define DEV_CONSOLE       DEV(TTYAUX_MAJOR, 1)
#define DEV_NODE_MODE     (S_IFCHR | 0666)
#define DEV_DIR_MODE      (S_IFDIR | 0755)
#define CONSOLE_MODE      (S_IFCHR | 0600)
#define ZERO_CHUNK        256

/* A device file opened through a node keeps the node alive while open. */
static void release_node(struct file *f)
{
    if (!f->inode)
        return;
    f->inode->open_count--;
    inode_release(f->inode);
}

/* ---------------------------------------------------------------- null, zero, urandom */

static long sink_write(struct file *f UNUSED, struct iobuf buf UNUSED, size_t count)
{
    return (long)count;
}

static long null_read(struct file *f UNUSED, struct iobuf buf UNUSED, size_t count UNUSED)
{
    return 0; /* always at end of file */
}

static long zero_read(struct file *f UNUSED, struct iobuf buf, size_t count)
{
    static const uint8_t zeros[ZERO_CHUNK];
    size_t done;

    for (done = 0; done < count; done += MIN(count - done, sizeof(zeros)))
        if (iobuf_put(buf, done, zeros, MIN(count - done, sizeof(zeros))))
            return done ? (long)done : -EFAULT;
    return (long)count;
}

static long urandom_read(struct file *f UNUSED, struct iobuf buf, size_t count)
{
    return random_fill(buf, count);
}

static const struct file_ops null_ops = {
    .read = null_read, .write = sink_write, .release = release_node};
static const struct file_ops zero_ops = {
    .read = zero_read, .write = sink_write, .release = release_node};
static const struct file_ops urandom_ops = {
    .read = urandom_read, .write = sink_write, .release = release_node};

/* ---------------------------------------------------------------- the terminal */

static long terminal_read(struct file *f, struct iobuf buf, size_t count)
{
    return tty_read(buf, count, f->flags & O_NONBLOCK);
}

static long terminal_write(struct file *f, struct iobuf buf, size_t count)
{
    return tty_write((enum tty_output)(uintptr_t)f->private, buf, count);
}

static long terminal_ioctl(struct file *f UNUSED, uint32_t cmd, uintptr_t arg)
{
    return tty_ioctl(cmd, arg);
}

static short terminal_poll(struct file *f UNUSED)
{
    return (short)((tty_readable() ? POLLIN | POLLRDNORM : 0) | POLLOUT | POLLWRNORM);
}

static const struct file_ops terminal_ops = {
    .read = terminal_read,
    .write = terminal_write,
    .ioctl = terminal_ioctl,
    .poll = terminal_poll,
    .release = release_node,
};

static struct file *terminal_file(enum tty_output where, uint32_t flags)
{
    struct file *f = file_new(&terminal_ops, flags);

    if (f)
        f->private = (void *)(uintptr_t)where;
    return f;
}

/* ---------------------------------------------------------------- opening */

static const struct file_ops *driver_of(uint32_t rdev)
{
    switch (rdev) {
    case DEV_NULL:
        return &null_ops;
    case DEV_ZERO:
        return &zero_ops;
    case DEV_URANDOM:
        return &urandom_ops;
    case DEV_TTY: /* the caller's controlling terminal, which can only be the console */
    case DEV_CONSOLE:
        return &terminal_ops;
    default:
        return NULL;
    }
}

int dev_open(struct inode *ip, uint32_t flags, struct file **out)
{
    const struct file_ops *ops = driver_of(ip->rdev);
    struct file *f;

    if (!ops || !S_ISTYPE(ip->mode, S_IFCHR))
        return -ENXIO; /* a node with no driver behind it */
    if (ip->rdev == DEV_TTY && !tty_is_controlling_for(current_proc()))
        return -ENXIO; /* /dev/tty is the caller's controlling terminal: it has none */
    if (ops == &terminal_ops)
        tty_opened(current_proc(), flags & O_NOCTTY);
    f = ops == &terminal_ops ? terminal_file(TTY_OUT_CONSOLE, flags) : file_new(ops, flags);
    if (!f)
        return -ENOMEM;
    f->inode = ip;
    ip->open_count++;
    *out = f;
    return 0;
}

void dev_install_stdio(struct proc *p)
{
    bool split = tty_split_stdio();

    fd_install_at(p, 0, terminal_file(TTY_OUT_CONSOLE, O_RDWR), false);
    fd_install_at(p, 1, terminal_file(split ? TTY_OUT_COM2 : TTY_OUT_CONSOLE, O_RDWR), false);
    fd_install_at(p, 2, terminal_file(split ? TTY_OUT_COM3 : TTY_OUT_CONSOLE, O_RDWR), false);
}

/* ---------------------------------------------------------------- /dev at boot */

static void make_node(struct inode *dir, const char *name, uint32_t mode, uint32_t rdev)
{
    struct inode *ip;

    if (dir_lookup(dir, name, strlen(name)) || !(ip = inode_new(mode)))
        return;
    ip->rdev = rdev;
    if (dir_link(dir, name, strlen(name), ip))
        inode_release(ip);
}

void dev_init(void)
{
    struct inode *dev;

    make_node(fs_root, "dev", DEV_DIR_MODE, 0);
    dev = dir_lookup(fs_root, "dev", strlen("dev"));
    if (!dev || !S_ISTYPE(dev->mode, S_IFDIR))
        return;
    make_node(dev, "null", DEV_NODE_MODE, DEV_NULL);
    make_node(dev, "zero", DEV_NODE_MODE, DEV_ZERO);
    make_node(dev, "urandom", DEV_NODE_MODE, DEV_URANDOM);
    make_node(dev, "tty", DEV_NODE_MODE, DEV_TTY);
    make_node(dev, "console", CONSOLE_MODE, DEV_CONSOLE);
}
