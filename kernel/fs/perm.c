/*
 * File permissions, as Linux checks them (fs/namei.c generic_permission,
 * may_delete; fs/attr.c): the owner's, the group's or the others' three
 * bits, chosen by the caller's file-system uid and gid (and supplementary
 * groups). Root's fs uid overrides them (CAP_DAC_OVERRIDE), except that
 * executing a file needs an x bit somewhere.
 *
 * A kernel lookup with no process behind it (the initramfs at boot) is
 * allowed everything.
 */
#include "errno.h"
#include "fs.h"
#include "proc.h"

#define PERM_OWNER_SHIFT 6
#define PERM_GROUP_SHIFT 3
#define PERM_ANY_EXEC    0111

/* In gid's group: the fs gid or a supplementary group. */
static bool in_group(const struct creds *c, uint32_t fsgid, uint32_t gid)
{
    if (gid == fsgid)
        return true;
    for (int i = 0; i < c->ngroups; i++)
        if (c->groups[i] == gid)
            return true;
    return false;
}

static int check_as(const struct inode *ip, int mask, uint32_t uid, uint32_t gid)
{
    const struct creds *c = &current_proc()->cred;
    uint32_t bits;

    if (uid == 0) {
        bool exec_denied =
            (mask & MAY_EXEC) && !S_ISTYPE(ip->mode, S_IFDIR) && !(ip->mode & PERM_ANY_EXEC);
        return exec_denied ? -EACCES : 0;
    }
    if (uid == ip->uid)
        bits = ip->mode >> PERM_OWNER_SHIFT;
    else if (in_group(c, gid, ip->gid))
        bits = ip->mode >> PERM_GROUP_SHIFT;
    else
        bits = ip->mode;
    return (bits & mask & MAY_ALL) == (uint32_t)(mask & MAY_ALL) ? 0 : -EACCES;
}

int inode_permission(const struct inode *ip, int mask)
{
    const struct proc *p = current_proc();

    return p ? check_as(ip, mask, p->cred.fsuid, p->cred.fsgid) : 0;
}

int inode_permission_real(const struct inode *ip, int mask)
{
    const struct proc *p = current_proc();

    return p ? check_as(ip, mask, p->cred.uid, p->cred.gid) : 0;
}

bool fs_in_group(uint32_t gid)
{
    const struct proc *p = current_proc();

    return !p || in_group(&p->cred, p->cred.fsgid, gid);
}

bool inode_owner_or_root(const struct inode *ip)
{
    const struct proc *p = current_proc();

    return !p || p->cred.fsuid == 0 || p->cred.fsuid == ip->uid;
}

/* Removing or replacing victim's name in dir: write and search on dir, and
 * in a sticky directory, owning the file or the directory. */
int may_delete(const struct inode *dir, const struct inode *victim)
{
    int err = inode_permission(dir, MAY_WRITE | MAY_EXEC);

    if (err)
        return err;
    if ((dir->mode & S_ISVTX) && !inode_owner_or_root(victim) && !inode_owner_or_root(dir))
        return -EPERM;
    return 0;
}
