/*
 * Who a process is and what it may use: user and group ids and the
 * permission to signal that they give (sig_permitted), uname, resource
 * limits (NPROC and FSIZE enforced here), what fork and execve do to them,
 * prctl (name, parent-death signal, dumpable, no-new-privs), getrandom,
 * and the registrations a threads library makes at start-up
 * (set_robust_list, rseq). Linux i386's 32-bit-id calls.
 *
 * Every process starts as root (0); the ids change, and give or take away
 * privilege, by Linux's rules (kernel/sys.c there: __sys_setuid and friends).
 */
#include "errno.h"
#include "file.h"
#include "proc.h"
#include "random.h"
#include "string.h"
#include "syscall.h"
#include "trace.h"

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

/*
 * Privilege is Linux's root: CAP_SETUID, CAP_SETGID, CAP_KILL and the
 * others come with effective uid 0 and go when it changes (capabilities(7),
 * "Effect of user ID changes on capabilities"); Relay has no finer set.
 */
static bool privileged(void) { return self()->cred.euid == 0; }

bool sig_permitted(const struct proc *sender, const struct proc *target, int sig)
{
    const struct creds *s = &sender->cred, *t = &target->cred;

    if (s->euid == 0)
        return true;
    if (s->euid == t->uid || s->euid == t->suid || s->uid == t->uid || s->uid == t->suid)
        return true;
    return sig == SIGCONT && sender->sid == target->sid; /* kill(2): job control */
}

/* One kind of id (user or group) in a set of credentials. */
struct id_kind {
    uint32_t *real, *eff, *saved, *fs;
};

static struct id_kind user_ids(struct creds *c)
{
    return (struct id_kind){&c->uid, &c->euid, &c->suid, &c->fsuid};
}
static struct id_kind group_ids(struct creds *c)
{
    return (struct id_kind){&c->gid, &c->egid, &c->sgid, &c->fsgid};
}

/* May an unprivileged process take id: is it already its real, effective or saved one? */
static bool id_held(struct id_kind k, uint32_t id)
{
    return id == *k.real || id == *k.eff || id == *k.saved;
}

/* The new ids take effect. As Linux's commit_creds, a new effective or
 * file-system id clears the parent-death signal and makes the process not
 * dumpable (fs.suid_dumpable is 0 by default), so that a parent of the
 * other privilege can no longer reach it through either. */
static long creds_commit(const struct creds *new)
{
    struct proc *p = self();
    const struct creds *old = &p->cred;

    if (old->euid != new->euid || old->egid != new->egid || old->fsuid != new->fsuid ||
        old->fsgid != new->fsgid) {
        p->pdeath_signal = 0;
        p->not_dumpable = true;
    }
    p->cred = *new;
    return 0;
}

SYSCALL_DEFINE0(getuid32) { return self()->cred.uid; }
SYSCALL_DEFINE0(geteuid32) { return self()->cred.euid; }
SYSCALL_DEFINE0(getgid32) { return self()->cred.gid; }
SYSCALL_DEFINE0(getegid32) { return self()->cred.egid; }

/* setuid/setgid (Linux kernel/sys.c): privileged, all four ids; otherwise
 * the effective (and fs) id only, to the real or saved one. */
static long set_id(struct creds *new, struct id_kind k, uint32_t id)
{
    if (id == ID_UNCHANGED)
        return -EINVAL;
    if (privileged())
        *k.real = *k.saved = id;
    else if (id != *k.real && id != *k.saved)
        return -EPERM;
    *k.eff = *k.fs = id;
    return creds_commit(new);
}

SYSCALL_DEFINE1(setuid32, uint32_t, uid)
{
    struct creds new = self()->cred;
    return set_id(&new, user_ids(&new), uid);
}

SYSCALL_DEFINE1(setgid32, uint32_t, gid)
{
    struct creds new = self()->cred;
    return set_id(&new, group_ids(&new), gid);
}

/* setreuid/setregid: the real id may become the effective one, the
 * effective id any of the three; the saved id follows the effective one
 * when the real id is set or the effective one differs from the old real. */
static long set_re_id(struct creds *new, struct id_kind k, uint32_t real, uint32_t eff)
{
    uint32_t old_real = *k.real;

    if (real != ID_UNCHANGED && real != *k.real && real != *k.eff && !privileged())
        return -EPERM;
    if (eff != ID_UNCHANGED && !id_held(k, eff) && !privileged())
        return -EPERM;
    if (real != ID_UNCHANGED)
        *k.real = real;
    if (eff != ID_UNCHANGED)
        *k.eff = eff;
    if (real != ID_UNCHANGED || (eff != ID_UNCHANGED && eff != old_real))
        *k.saved = *k.eff;
    *k.fs = *k.eff;
    return creds_commit(new);
}

SYSCALL_DEFINE2(setreuid32, uint32_t, ruid, uint32_t, euid)
{
    struct creds new = self()->cred;
    return set_re_id(&new, user_ids(&new), ruid, euid);
}

SYSCALL_DEFINE2(setregid32, uint32_t, rgid, uint32_t, egid)
{
    struct creds new = self()->cred;
    return set_re_id(&new, group_ids(&new), rgid, egid);
}

/* setresuid/setresgid: each id that is not -1 is set; unprivileged, only
 * to one of the three it holds now. */
static long set_res_id(struct creds *new, struct id_kind k, const uint32_t want[3])
{
    uint32_t *slot[3] = {k.real, k.eff, k.saved};

    for (int i = 0; i < 3; i++)
        if (want[i] != ID_UNCHANGED && !id_held(k, want[i]) && !privileged())
            return -EPERM;
    for (int i = 0; i < 3; i++)
        if (want[i] != ID_UNCHANGED)
            *slot[i] = want[i];
    *k.fs = *k.eff;
    return creds_commit(new);
}

SYSCALL_DEFINE3(setresuid32, uint32_t, ruid, uint32_t, euid, uint32_t, suid)
{
    struct creds new = self()->cred;
    const uint32_t want[3] = {ruid, euid, suid};
    return set_res_id(&new, user_ids(&new), want);
}

SYSCALL_DEFINE3(setresgid32, uint32_t, rgid, uint32_t, egid, uint32_t, sgid)
{
    struct creds new = self()->cred;
    const uint32_t want[3] = {rgid, egid, sgid};
    return set_res_id(&new, group_ids(&new), want);
}

/* setfsuid/setfsgid answer the old fs id whatever happens: -1, or an id
 * the caller may not take, changes nothing (so -1 reads it). */
static long set_fs_id(struct creds *new, struct id_kind k, uint32_t id)
{
    uint32_t old = *k.fs;

    if (id != ID_UNCHANGED && (id_held(k, id) || id == old || privileged())) {
        *k.fs = id;
        creds_commit(new);
    }
    return old;
}

SYSCALL_DEFINE1(setfsuid32, uint32_t, uid)
{
    struct creds new = self()->cred;
    return set_fs_id(&new, user_ids(&new), uid);
}

SYSCALL_DEFINE1(setfsgid32, uint32_t, gid)
{
    struct creds new = self()->cred;
    return set_fs_id(&new, group_ids(&new), gid);
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

/* size 0 asks how many; a list too small for them is EINVAL. */
SYSCALL_DEFINE2(getgroups32, int, size, uintptr_t, list)
{
    const struct creds *c = &self()->cred;

    if (size < 0)
        return -EINVAL;
    if (size == 0)
        return c->ngroups;
    if (size < c->ngroups)
        return -EINVAL;
    if (vm_copy_out(self()->pd, list, c->groups, c->ngroups * sizeof(uint32_t)))
        return -EFAULT;
    return c->ngroups;
}

/* Linux keeps the list sorted (kernel/groups.c groups_sort), and
 * getgroups answers it in that order. An insertion sort: at most 32. */
static void sort_groups(uint32_t *g, int n)
{
    for (int i = 1; i < n; i++) {
        uint32_t v = g[i];
        int j = i;
        for (; j > 0 && g[j - 1] > v; j--)
            g[j] = g[j - 1];
        g[j] = v;
    }
}

SYSCALL_DEFINE2(setgroups32, int, size, uintptr_t, list)
{
    struct creds new = self()->cred;

    if (!privileged())
        return -EPERM;
    if ((unsigned)size > NGROUPS_RELAY) /* Linux: beyond NGROUPS_MAX (65536) */
        return -EINVAL;
    if (vm_copy_in(self()->pd, new.groups, list, size * sizeof(uint32_t)))
        return -EFAULT;
    new.ngroups = size;
    sort_groups(new.groups, size);
    return creds_commit(&new);
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

static long rlimit_of(const struct proc *p, int resource, struct rlimit64 *out)
{
    if (resource < 0 || resource >= RLIMIT_COUNT)
        return -EINVAL;
    *out = (struct rlimit64){p->rlim[resource].cur, p->rlim[resource].max};
    return 0;
}

static uint32_t to32(uint64_t v) { return v > RLIM_INFINITY32 ? RLIM_INFINITY32 : (uint32_t)v; }
static uint64_t from32(uint32_t v) { return v == RLIM_INFINITY32 ? RLIM_INFINITY : v; }

SYSCALL_DEFINE2(ugetrlimit, int, resource, uintptr_t, buf)
{
    struct rlimit64 r;
    struct rlimit32 r32;
    long err = rlimit_of(self(), resource, &r);

    if (err)
        return err;
    r32 = (struct rlimit32){to32(r.cur), to32(r.max)};
    return vm_copy_out(self()->pd, buf, &r32, sizeof(r32)) ? -EFAULT : 0;
}

#define RLIM_OLD_INFINITY 0x7FFFFFFFu /* what the first getrlimit says for anything larger */

/* getrlimit (76), from before ugetrlimit: limits above 2^31 - 1 read as
 * 2^31 - 1 (Linux's old_getrlimit). */
SYSCALL_DEFINE2(getrlimit, int, resource, uintptr_t, buf)
{
    struct rlimit64 r;
    struct rlimit32 r32;
    long err = rlimit_of(self(), resource, &r);

    if (err)
        return err;
    r32.cur = r.cur > RLIM_OLD_INFINITY ? RLIM_OLD_INFINITY : (uint32_t)r.cur;
    r32.max = r.max > RLIM_OLD_INFINITY ? RLIM_OLD_INFINITY : (uint32_t)r.max;
    return vm_copy_out(self()->pd, buf, &r32, sizeof(r32)) ? -EFAULT : 0;
}

/* A new limit for p: cur <= max, only the privileged raise max, NOFILE no
 * higher than the table (Linux: fs.nr_open). */
static long set_rlimit(struct proc *p, int resource, const struct rlimit64 *r)
{
    struct resource_limit *l;

    if (resource < 0 || resource >= RLIMIT_COUNT)
        return -EINVAL;
    l = &p->rlim[resource];
    if (r->cur > r->max)
        return -EINVAL;
    if (resource == RLIMIT_NOFILE && r->max > NOFILE)
        return -EPERM;
    if (r->max > l->max && !privileged())
        return -EPERM;
    *l = (struct resource_limit){r->cur, r->max};
    return 0;
}

/* Linux reads the new limit before it looks at the resource. */
SYSCALL_DEFINE2(setrlimit, int, resource, uintptr_t, buf)
{
    struct rlimit32 r32;
    struct rlimit64 r;

    if (vm_copy_in(self()->pd, &r32, buf, sizeof(r32)))
        return -EFAULT;
    r = (struct rlimit64){from32(r32.cur), from32(r32.max)};
    return set_rlimit(self(), resource, &r);
}

/* prlimit64 on another process needs all six of its real, effective and
 * saved ids to be the caller's real ones, or privilege (Linux
 * kernel/sys.c check_prlimit_permission). */
static bool prlimit_permitted(const struct proc *target)
{
    const struct creds *c = &self()->cred, *t = &target->cred;

    if (target == self() || privileged())
        return true;
    return c->uid == t->uid && c->uid == t->euid && c->uid == t->suid && c->gid == t->gid &&
           c->gid == t->egid && c->gid == t->sgid;
}

/* Linux's order: EFAULT for the new limit, ESRCH, EPERM, then the resource. */
SYSCALL_DEFINE4(prlimit64, int, pid, int, resource, uintptr_t, new_ptr, uintptr_t, old_ptr)
{
    struct rlimit64 old, new;
    struct proc *target = pid ? proc_find(pid) : self();
    long err;

    if (new_ptr && vm_copy_in(self()->pd, &new, new_ptr, sizeof(new)))
        return -EFAULT;
    if (!target)
        return -ESRCH; /* a zombie still has its limits, as on Linux */
    if (!prlimit_permitted(target))
        return -EPERM;
    if ((err = rlimit_of(target, resource, &old)))
        return err;
    if (new_ptr && (err = set_rlimit(target, resource, &new)))
        return err;
    if (old_ptr && vm_copy_out(self()->pd, old_ptr, &old, sizeof(old)))
        return -EFAULT;
    return 0;
}

/* RLIMIT_NPROC (Linux kernel/fork.c copy_process): a fork that would give
 * the real uid more processes than the limit is EAGAIN. Zombies count until
 * they are reaped. Root, by real or effective uid, is exempt. */
bool rlimit_nproc_reached(const struct proc *parent)
{
    uint32_t uid = parent->cred.uid;
    uint64_t count = 0;

    if (uid == 0 || parent->cred.euid == 0)
        return false;
    for (const struct proc *p = proc_table; p < proc_table + NPROC; p++)
        count += p->state != PROC_UNUSED && p->cred.uid == uid;
    return count >= parent->rlim[RLIMIT_NPROC].cur;
}

/* Going past RLIMIT_FSIZE: SIGXFSZ, whose default action ends the process
 * (Linux's send_sig with no info: SI_USER from the process itself). */
static long fsize_exceeded(void)
{
    struct sig_info info = {
        .code = SI_USER, .source = SRC_RLIMIT, .pid = self()->pid, .uid = self()->cred.uid};

    sig_send(self(), SIGXFSZ, &info);
    return -EFBIG;
}

long rlimit_fsize_write(uint64_t pos, size_t *count)
{
    uint64_t limit = self()->rlim[RLIMIT_FSIZE].cur;

    if (!*count || limit == RLIM_INFINITY)
        return 0;
    if (pos >= limit)
        return fsize_exceeded();
    if (*count > limit - pos)
        *count = (size_t)(limit - pos);
    return 0;
}

long rlimit_fsize_truncate(uint64_t old_size, uint64_t new_size)
{
    uint64_t limit = self()->rlim[RLIMIT_FSIZE].cur;

    if (new_size <= old_size || limit == RLIM_INFINITY || new_size <= limit)
        return 0;
    return fsize_exceeded();
}

/* ---------------------------------------------------------------- fork, exec, exit */

void ids_fork(struct proc *child, const struct proc *parent)
{
    child->nice = parent->nice;
    child->not_dumpable = parent->not_dumpable;
    child->no_new_privs = parent->no_new_privs;
    /* pdeath_signal starts at 0: Linux clears it for a new child */
}

/* Linux's execve makes the saved and fs ids the effective ones, and the
 * process dumpable again unless its effective ids differ from its real
 * ones (fs/exec.c begin_new_exec). Relay runs no set-user-id programs, so
 * the effective ids stay. */
void ids_exec(struct proc *p)
{
    struct creds *c = &p->cred;

    c->suid = c->fsuid = c->euid;
    c->sgid = c->fsgid = c->egid;
    p->not_dumpable = c->euid != c->uid || c->egid != c->gid;
}

/* Linux sends it as send_sig does without info (kernel/exit.c
 * forget_original_parent): SI_USER from the dying parent. */
void pdeathsig_send(const struct proc *dying)
{
    struct sig_info info = {
        .code = SI_USER, .source = SRC_PDEATHSIG, .pid = dying->pid, .uid = dying->cred.uid};

    for (struct proc *p = proc_table; p < proc_table + NPROC; p++)
        if (p->state != PROC_UNUSED && p->state != PROC_ZOMBIE && p->parent == dying &&
            p->pdeath_signal)
            sig_send(p, p->pdeath_signal, &info);
}

/* ---------------------------------------------------------------- prctl */

/* prctl(2) options (include/uapi/linux/prctl.h). */
#define PR_SET_PDEATHSIG    1
#define PR_GET_PDEATHSIG    2
#define PR_GET_DUMPABLE     3
#define PR_SET_DUMPABLE     4
#define PR_SET_NO_NEW_PRIVS 38
#define PR_GET_NO_NEW_PRIVS 39

static long prctl_set_name(uintptr_t arg)
{
    char name[PROC_NAME_MAX];

    if (vm_copy_string_in(self()->pd, name, arg, sizeof(name)) == -EFAULT)
        return -EFAULT;
    name[sizeof(name) - 1] = '\0'; /* Linux cuts it to 15 bytes */
    memcpy(self()->name, name, sizeof(name));
    return 0;
}

/* Any signal, real-time ones too (Linux: valid_signal). */
static long prctl_set_pdeathsig(uint32_t sig)
{
    if (sig >= NSIG)
        return -EINVAL;
    self()->pdeath_signal = (int)sig;
    return 0;
}

static long prctl_put_int(uintptr_t addr, int value)
{
    return vm_copy_out(self()->pd, addr, &value, sizeof(value)) ? -EFAULT : 0;
}

static long prctl_set_dumpable(uint32_t value)
{
    if (value > 1) /* SUID_DUMP_USER; the root-only mode 2 is refused too */
        return -EINVAL;
    self()->not_dumpable = !value;
    return 0;
}

/* The bit can only be set, never cleared; the unused arguments must be 0. */
static long prctl_no_new_privs(int option, const uint32_t *a)
{
    if (a[2] || a[3] || a[4])
        return -EINVAL;
    if (option == PR_GET_NO_NEW_PRIVS)
        return a[1] ? -EINVAL : self()->no_new_privs;
    if (a[1] != 1)
        return -EINVAL;
    self()->no_new_privs = true;
    return 0;
}

/* a[0] is the option, a[1..4] its arguments. */
SYSCALL_DEFINE5(prctl, int, option, uint32_t, arg2, uint32_t, arg3, uint32_t, arg4, uint32_t, arg5)
{
    const uint32_t a[5] = {(uint32_t)option, arg2, arg3, arg4, arg5};

    switch (option) {
    case PR_SET_NAME:
        return prctl_set_name(arg2);
    case PR_GET_NAME:
        return vm_copy_out(self()->pd, arg2, self()->name, PROC_NAME_MAX) ? -EFAULT : 0;
    case PR_SET_PDEATHSIG:
        return prctl_set_pdeathsig(arg2);
    case PR_GET_PDEATHSIG:
        return prctl_put_int(arg2, self()->pdeath_signal);
    case PR_GET_DUMPABLE:
        return !self()->not_dumpable;
    case PR_SET_DUMPABLE:
        return prctl_set_dumpable(arg2);
    case PR_SET_NO_NEW_PRIVS:
    case PR_GET_NO_NEW_PRIVS:
        return prctl_no_new_privs(option, a);
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
