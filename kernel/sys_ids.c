/*
 * Who a process is and what it may use: user and group ids, uname, resource
 * limits, prctl's name, getrandom, and the registrations a threads library
 * makes at start-up (set_robust_list, rseq). Linux i386's 32-bit-id calls.
 *
 * Relay checks no permissions, so ids are what a program sets and reads:
 * every process starts as root (0) and may change them as Linux lets a
 * process change its own (kernel/sys.c: __sys_setuid and friends).
 */
#include "errno.h"
#include "file.h"
#include "proc.h"
#include "random.h"
#include "string.h"
#include "syscall.h"

#define ID_UNCHANGED          ((uint32_t)-1)
#define UTS_FIELD             65
#define PR_SET_NAME           15
#define PR_GET_NAME           16
#define GRND_NONBLOCK         0x1
#define GRND_RANDOM           0x2
#define GRND_INSECURE         0x4
#define ROBUST_LIST_HEAD_SIZE 12 /* struct robust_list_head on i386 */

static struct proc *self(void) { return current_proc(); }

/* ---------------------------------------------------------------- ids */

bool sig_permitted(const struct proc *sender, const struct proc *target, int sig)
{
    (void)sender, (void)target, (void)sig;
    return true; /* not written yet: every process is root */
}

SYSCALL_DEFINE0(getuid32) { return self()->cred.uid; }
SYSCALL_DEFINE0(geteuid32) { return self()->cred.euid; }
SYSCALL_DEFINE0(getgid32) { return self()->cred.gid; }
SYSCALL_DEFINE0(getegid32) { return self()->cred.egid; }

/* setuid/setgid: root sets all three; another only its effective id, to
 * its real or saved one. */
static long set_id(uint32_t id, uint32_t *real, uint32_t *eff, uint32_t *saved)
{
    if (id == ID_UNCHANGED)
        return -EINVAL;
    if (self()->cred.euid == 0) {
        *real = *eff = *saved = id;
        return 0;
    }
    if (id != *real && id != *saved)
        return -EPERM;
    *eff = id;
    return 0;
}

SYSCALL_DEFINE1(setuid32, uint32_t, uid)
{
    struct creds *c = &self()->cred;
    return set_id(uid, &c->uid, &c->euid, &c->suid);
}

SYSCALL_DEFINE1(setgid32, uint32_t, gid)
{
    struct creds *c = &self()->cred;
    return set_id(gid, &c->gid, &c->egid, &c->sgid);
}

static long get_three(uint32_t a, uint32_t b, uint32_t c, uintptr_t pa, uintptr_t pb, uintptr_t pc)
{
    pde_t *pd = self()->pd;

    if (vm_copy_out(pd, pa, &a, 4) || vm_copy_out(pd, pb, &b, 4) || vm_copy_out(pd, pc, &c, 4))
        return -EFAULT;
    return 0;
}

SYSCALL_DEFINE3(getresuid32, uintptr_t, r, uintptr_t, e, uintptr_t, s)
{
    const struct creds *c = &self()->cred;
    return get_three(c->uid, c->euid, c->suid, r, e, s);
}

SYSCALL_DEFINE3(getresgid32, uintptr_t, r, uintptr_t, e, uintptr_t, s)
{
    const struct creds *c = &self()->cred;
    return get_three(c->gid, c->egid, c->sgid, r, e, s);
}

/* No supplementary groups: the list is empty. */
SYSCALL_DEFINE2(getgroups32, int, size, uintptr_t, list)
{
    (void)list;
    return size < 0 ? -EINVAL : 0;
}

/* ---------------------------------------------------------------- uname */

struct new_utsname {
    char sysname[UTS_FIELD], nodename[UTS_FIELD], release[UTS_FIELD];
    char version[UTS_FIELD], machine[UTS_FIELD], domainname[UTS_FIELD];
};

/* sysname and release say Linux, because programs ask uname what ABI they
 * run on (glibc refuses kernels older than its minimum, 3.2), and Relay
 * speaks Linux's i386 ABI; version says which kernel it really is. */
SYSCALL_DEFINE1(uname, uintptr_t, buf)
{
    static const struct new_utsname uts = {
        .sysname = "Linux",
        .nodename = "relay",
        .release = "6.1.0-relay",
        .version = "Relay " RELAY_VERSION ", a teaching kernel on the Linux i386 ABI",
        .machine = "i686",
        .domainname = "(none)",
    };

    return vm_copy_out(self()->pd, buf, &uts, sizeof(uts)) ? -EFAULT : 0;
}

/* ---------------------------------------------------------------- limits */

struct rlimit32 {
    uint32_t cur, max;
};

struct rlimit64 {
    uint64_t cur, max;
};

#define RLIM_INFINITY32 0xFFFFFFFFu
#define RLIM_INFINITY64 0xFFFFFFFFFFFFFFFFull

static long rlimit_of(int resource, struct rlimit64 *out)
{
    if (resource < 0 || resource >= RLIMIT_COUNT)
        return -EINVAL;
    *out = (struct rlimit64){self()->rlim[resource].cur, self()->rlim[resource].max};
    return 0;
}

static uint32_t to32(uint64_t v) { return v > RLIM_INFINITY32 ? RLIM_INFINITY32 : (uint32_t)v; }
static uint64_t from32(uint32_t v) { return v == RLIM_INFINITY32 ? RLIM_INFINITY64 : v; }

SYSCALL_DEFINE2(ugetrlimit, int, resource, uintptr_t, buf)
{
    struct rlimit64 r;
    struct rlimit32 r32;
    long err = rlimit_of(resource, &r);

    if (err)
        return err;
    r32 = (struct rlimit32){to32(r.cur), to32(r.max)};
    return vm_copy_out(self()->pd, buf, &r32, sizeof(r32)) ? -EFAULT : 0;
}

/* A new limit: cur <= max, only root raises max, NOFILE no higher than the table. */
static long set_rlimit(int resource, const struct rlimit64 *r)
{
    struct resource_limit *l = &self()->rlim[resource];

    if (r->cur > r->max)
        return -EINVAL;
    if (r->max > l->max && self()->cred.euid != 0)
        return -EPERM;
    if (resource == RLIMIT_NOFILE && r->max > NOFILE)
        return -EPERM;
    *l = (struct resource_limit){r->cur, r->max};
    return 0;
}

SYSCALL_DEFINE2(setrlimit, int, resource, uintptr_t, buf)
{
    struct rlimit32 r32;
    struct rlimit64 r;

    if (resource < 0 || resource >= RLIMIT_COUNT)
        return -EINVAL;
    if (vm_copy_in(self()->pd, &r32, buf, sizeof(r32)))
        return -EFAULT;
    r = (struct rlimit64){from32(r32.cur), from32(r32.max)};
    return set_rlimit(resource, &r);
}

SYSCALL_DEFINE4(prlimit64, int, pid, int, resource, uintptr_t, new_ptr, uintptr_t, old_ptr)
{
    struct rlimit64 old, new;
    long err;

    if (pid != 0 && pid != self()->pid)
        return proc_find(pid) ? -EPERM : -ESRCH; /* only its own, in Relay */
    if ((err = rlimit_of(resource, &old)))
        return err;
    if (new_ptr && vm_copy_in(self()->pd, &new, new_ptr, sizeof(new)))
        return -EFAULT;
    if (new_ptr && (err = set_rlimit(resource, &new)))
        return err;
    if (old_ptr && vm_copy_out(self()->pd, old_ptr, &old, sizeof(old)))
        return -EFAULT;
    return 0;
}

/* ---------------------------------------------------------------- prctl */

SYSCALL_DEFINE2(prctl, int, option, uintptr_t, arg)
{
    char name[PROC_NAME_MAX];
    long len;

    switch (option) {
    case PR_SET_NAME:
        if ((len = vm_copy_string_in(self()->pd, name, arg, sizeof(name))) == -EFAULT)
            return -EFAULT;
        name[sizeof(name) - 1] = '\0'; /* Linux cuts it to 15 bytes */
        memcpy(self()->name, name, sizeof(name));
        return 0;
    case PR_GET_NAME:
        return vm_copy_out(self()->pd, arg, self()->name, PROC_NAME_MAX) ? -EFAULT : 0;
    default:
        return -EINVAL; /* Linux's answer to an option it does not know */
    }
}

/* ---------------------------------------------------------------- start-up */

SYSCALL_DEFINE3(getrandom, uintptr_t, buf, size_t, count, uint32_t, flags)
{
    if (flags & ~(GRND_NONBLOCK | GRND_RANDOM | GRND_INSECURE))
        return -EINVAL;
    if ((flags & GRND_INSECURE) && (flags & GRND_RANDOM))
        return -EINVAL;
    return random_fill((struct iobuf){self()->pd, buf}, count);
}

/* The robust futex list is only kept: Relay has no futexes yet (threads). */
SYSCALL_DEFINE2(set_robust_list, uintptr_t, head, size_t, len)
{
    if (len != ROBUST_LIST_HEAD_SIZE)
        return -EINVAL;
    self()->robust_list = head;
    return 0;
}

/* Restartable sequences need the kernel to abort a sequence that a
 * preemption or a signal cuts into; Relay does not, so it answers as Linux
 * built without CONFIG_RSEQ does, and glibc then goes without. */
SYSCALL_DEFINE4(rseq, uintptr_t, rseq, uint32_t, len, int, flags, uint32_t, sig)
{
    (void)rseq, (void)len, (void)flags, (void)sig;
    return -ENOSYS;
}
