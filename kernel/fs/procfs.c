/*
 * /proc: what the kernel knows about each process, as files, made when they
 * are read (Linux's fs/proc, the part that BusyBox's ps and the shell use):
 *
 *   /proc/self          a link to the reader's own /proc/PID
 *   /proc/PID/exe       a link to the program it runs (BusyBox re-runs applets
 *                       through /proc/self/exe)
 *   /proc/PID/cmdline   its argv, each string ended by a NUL
 *   /proc/PID/stat      one line: pid (name) state ppid pgrp session tty ...
 *   /proc/PID/status    the same, a field a line, for people
 *
 * The tree is built once at boot: a directory per process slot, whose name
 * in /proc is the pid of the process in the slot while there is one
 * (procfs_add and procfs_remove, called as slots fill and empty). Its
 * inodes have ops, so they are never freed and user calls cannot change them.
 */
#include "errno.h"
#include "file.h"
#include "kheap.h"
#include "printk.h"
#include "proc.h"
#include "string.h"
#include "tty.h"

#define PROC_DIR_MODE  (S_IFDIR | 0555)
#define PROC_FILE_MODE (S_IFREG | 0444)
#define PROC_LINK_MODE (S_IFLNK | 0777)
#define PROC_TEXT_MAX  512 /* stat and status lines fit */
#define PID_NAME_MAX   12
#define CONSOLE_TTY_NR ((5 << 8) | 1) /* /dev/console, 5:1, as stat's tty_nr */

static struct inode *proc_root;
static struct inode *slot_dir[NPROC];

/* Copies the part of text at off into buf, as a read of a file would. */
static long serve(const char *text, size_t len, uint32_t off, struct iobuf buf, size_t count)
{
    size_t n;

    if (off >= len)
        return 0;
    n = MIN(count, len - off);
    return iobuf_put(buf, 0, text + off, n) ? -EFAULT : (long)n;
}

/* The process in ip's slot, if the slot holds one. */
static struct proc *slot_proc(const struct inode *ip)
{
    struct proc *p = &proc_table[ip->slot];

    return p->state == PROC_UNUSED ? NULL : p;
}

static long read_dir(struct inode *ip UNUSED, uint32_t off UNUSED, struct iobuf buf UNUSED,
                     size_t count UNUSED)
{
    return -EISDIR;
}

static long read_self(struct inode *ip UNUSED, uint32_t off, struct iobuf buf, size_t count)
{
    char pid[PID_NAME_MAX];
    int len = ksnprintf(pid, sizeof(pid), "%d", current_proc()->pid);

    return serve(pid, (size_t)len, off, buf, count);
}

static long read_exe(struct inode *ip, uint32_t off, struct iobuf buf, size_t count)
{
    struct proc *p = slot_proc(ip);

    if (!p || !p->exe_path)
        return -ENOENT;
    return serve(p->exe_path, strlen(p->exe_path), off, buf, count);
}

/* argv as the process's own stack holds it: read from its address space. */
static long read_cmdline(struct inode *ip, uint32_t off, struct iobuf buf, size_t count)
{
    struct proc *p = slot_proc(ip);
    char chunk[PROC_TEXT_MAX];
    size_t len, n;

    if (!p || !p->pd || p->arg_end <= p->arg_start)
        return 0; /* a zombie, or the kernel's own: no command line, as Linux */
    len = p->arg_end - p->arg_start;
    if (off >= len)
        return 0;
    n = MIN(MIN(count, len - off), sizeof(chunk));
    if (vm_copy_in(p->pd, chunk, p->arg_start + off, n))
        return 0;
    return iobuf_put(buf, 0, chunk, n) ? -EFAULT : (long)n;
}

static char state_letter(const struct proc *p)
{
    static const char letters[] = {[PROC_RUNNABLE] = 'R',
                                   [PROC_RUNNING] = 'R',
                                   [PROC_SLEEPING] = 'S',
                                   [PROC_STOPPED] = 'T',
                                   [PROC_ZOMBIE] = 'Z'};
    return letters[p->state] ? letters[p->state] : '?';
}

static int ppid_of(const struct proc *p) { return p->parent ? p->parent->pid : 0; }

/* Linux's /proc/PID/stat (fs/proc/array.c do_task_stat): 52 fields, those
 * Relay has no count for are 0. Times are in clock ticks (USER_HZ 100). */
static int format_stat(const struct proc *p, char *out, size_t size)
{
    bool has_tty = tty_is_controlling_for(p);

    return ksnprintf(out, size,
                     "%d (%s) %c %d %d %d %d %d 0 0 0 0 0 %u %u 0 0 20 0 1 0 0 0 0 "
                     "4294967295 0 0 0 0 0 0 0 0 0 0 0 0 17 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0\n",
                     p->pid, p->name, state_letter(p), ppid_of(p), p->pgid, p->sid,
                     has_tty ? CONSOLE_TTY_NR : 0, has_tty ? tty_foreground_pgrp() : -1,
                     (unsigned)p->user_ticks, (unsigned)(p->cpu_ticks - p->user_ticks));
}

/* status's signal lines, 64-bit sets in hex as Linux (fs/proc/array.c
 * task_sig): SigPnd is what was sent to the thread, ShdPnd to the process. */
static int format_signals(const struct proc *p, char *out, size_t size)
{
    sig_set_t ignored = 0, caught = 0;

    for (int sig = 1; sig < NSIG; sig++) {
        uintptr_t handler = p->sig.action[sig].handler;
        if (handler == SIG_IGN)
            ignored |= SIG_BIT(sig);
        else if (handler != SIG_DFL)
            caught |= SIG_BIT(sig);
    }
    return ksnprintf(out, size,
                     "SigQ:\t%u/%llu\nSigPnd:\t%016llx\nShdPnd:\t%016llx\nSigBlk:\t%016llx\n"
                     "SigIgn:\t%016llx\nSigCgt:\t%016llx\n",
                     sig_queued_for_uid(p->cred.uid), p->rlim[RLIMIT_SIGPENDING].cur,
                     p->sig.pending_to[SIG_TO_THREAD], p->sig.pending_to[SIG_TO_PROCESS],
                     p->sig.blocked, ignored, caught);
}

static int format_status(const struct proc *p, char *out, size_t size)
{
    static const char *const names[] = {[PROC_RUNNABLE] = "running",
                                        [PROC_RUNNING] = "running",
                                        [PROC_SLEEPING] = "sleeping",
                                        [PROC_STOPPED] = "stopped",
                                        [PROC_ZOMBIE] = "zombie"};
    const struct creds *c = &p->cred;
    int len = ksnprintf(out, size,
                        "Name:\t%s\nState:\t%c (%s)\nTgid:\t%d\nPid:\t%d\nPPid:\t%d\n"
                        "Uid:\t%u\t%u\t%u\t%u\nGid:\t%u\t%u\t%u\t%u\nThreads:\t1\n",
                        p->name, state_letter(p), names[p->state] ? names[p->state] : "?",
                        p->tgid, p->pid, ppid_of(p), c->uid, c->euid, c->suid, c->euid, c->gid,
                        c->egid, c->sgid, c->egid);

    return len + format_signals(p, out + len, size - (size_t)len);
}

static long read_text(struct inode *ip, uint32_t off, struct iobuf buf, size_t count,
                      int (*format)(const struct proc *, char *, size_t))
{
    struct proc *p = slot_proc(ip);
    char text[PROC_TEXT_MAX];
    int len;

    if (!p)
        return 0;
    len = format(p, text, sizeof(text));
    return serve(text, (size_t)MIN(len, (int)sizeof(text) - 1), off, buf, count);
}

static long read_stat(struct inode *ip, uint32_t off, struct iobuf buf, size_t count)
{
    return read_text(ip, off, buf, count, format_stat);
}

static long read_status(struct inode *ip, uint32_t off, struct iobuf buf, size_t count)
{
    return read_text(ip, off, buf, count, format_status);
}

static const struct inode_ops dir_ops = {.read = read_dir};
static const struct inode_ops self_ops = {.read = read_self};
static const struct inode_ops exe_ops = {.read = read_exe};
static const struct inode_ops cmdline_ops = {.read = read_cmdline};
static const struct inode_ops stat_ops = {.read = read_stat};
static const struct inode_ops status_ops = {.read = read_status};

/* ---------------------------------------------------------------- the tree */

static struct inode *node(struct inode *dir, const char *name, uint32_t mode,
                          const struct inode_ops *ops, int slot)
{
    struct inode *ip = inode_new(mode);

    if (!ip)
        return NULL;
    ip->ops = ops;
    ip->slot = slot;
    if (dir && dir_link_kernel(dir, name, strlen(name), ip))
        return NULL; /* never freed (it has ops): a few bytes lost, at boot only */
    return ip;
}

static bool build_slot(int slot)
{
    struct inode *d = node(NULL, "", PROC_DIR_MODE, &dir_ops, slot);

    if (!d)
        return false;
    d->parent = proc_root;
    slot_dir[slot] = d;
    return node(d, "exe", PROC_LINK_MODE, &exe_ops, slot) &&
           node(d, "cmdline", PROC_FILE_MODE, &cmdline_ops, slot) &&
           node(d, "stat", PROC_FILE_MODE, &stat_ops, slot) &&
           node(d, "status", PROC_FILE_MODE, &status_ops, slot);
}

void procfs_init(void)
{
    struct inode *old = dir_lookup(fs_root, "proc", strlen("proc"));

    if (old && !(S_ISTYPE(old->mode, S_IFDIR) && dir_is_empty(old))) {
        pr_warn("procfs: /proc is taken by the initramfs: no /proc\n");
        return;
    }
    if (old)
        dir_unlink(fs_root, "proc", strlen("proc"));
    if (!(proc_root = node(fs_root, "proc", PROC_DIR_MODE, &dir_ops, 0)) ||
        !node(proc_root, "self", PROC_LINK_MODE, &self_ops, 0))
        return;
    for (int slot = 0; slot < NPROC; slot++)
        if (!build_slot(slot))
            return;
}

static void pid_name(const struct proc *p, char out[PID_NAME_MAX])
{
    ksnprintf(out, PID_NAME_MAX, "%d", p->pid);
}

void procfs_add(const struct proc *p)
{
    char name[PID_NAME_MAX];
    int slot = (int)(p - proc_table);

    if (!proc_root || !slot_dir[slot])
        return;
    pid_name(p, name);
    if (dir_link_kernel(proc_root, name, strlen(name), slot_dir[slot]) == 0)
        slot_dir[slot]->nlink = 2; /* one name and its "."; the slot keeps no count */
}

void procfs_remove(const struct proc *p)
{
    char name[PID_NAME_MAX];

    if (!proc_root)
        return;
    pid_name(p, name);
    dir_unlink_kernel(proc_root, name, strlen(name));
}
