/*
 * The RAM file system: inodes whose bytes sit in frames, and directories as
 * lists of names. Like Linux's ramfs it has no backing store and no size
 * limit but memory: a write that finds no free frame fails with ENOSPC.
 */
#include "clock.h"
#include "errno.h"
#include "fs.h"
#include "kheap.h"
#include "memlayout.h"
#include "pmm.h"
#include "string.h"

#define FS_MAP_SLOTS (PAGE_SIZE / sizeof(void *)) /* pointers in one map frame */
#define FS_FILE_MAX  0xFFFFFFFFu /* sizes are 32-bit: the two-level map covers 4 GiB */
#define ROOT_MODE    (S_IFDIR | 0755)

struct inode *fs_root;
static uint32_t next_ino = 1;

struct fs_time fs_now(void)
{
    int64_t ns = 0;

    clock_now(CLOCK_REALTIME, &ns);
    return (struct fs_time){(uint32_t)(ns / (int64_t)NSEC_PER_SEC),
                            (uint32_t)(ns % (int64_t)NSEC_PER_SEC)};
}

struct inode *inode_new(uint32_t mode)
{
    struct inode *ip = kmalloc(sizeof(*ip));

    if (!ip)
        return NULL;
    ip->ino = next_ino++;
    ip->mode = mode;
    ip->atime = ip->mtime = ip->ctime = fs_now();
    return ip;
}

void fs_init(void)
{
    fs_root = inode_new(ROOT_MODE);
    fs_root->nlink = 2; /* "." and the root's own ".." */
    fs_root->parent = fs_root;
}

/* ---------------------------------------------------------------- pages */

/* The slot that holds page `index` of ip, with its map frames made when
 * `create` is set; NULL when absent (or out of memory while creating). */
static void **page_slot(struct inode *ip, uint32_t index, bool create)
{
    void ***l1 = ip->pages;
    uint32_t hi = index / FS_MAP_SLOTS;

    if (!l1 && (!create || !(l1 = ip->pages = frame_alloc())))
        return NULL;
    if (!l1[hi] && (!create || !(l1[hi] = frame_alloc())))
        return NULL;
    return &l1[hi][index % FS_MAP_SLOTS];
}

/* Page `index` of ip, made (zeroed) when `create` is set; NULL for a hole. */
static uint8_t *inode_page(struct inode *ip, uint32_t index, bool create)
{
    void **slot = page_slot(ip, index, create);

    if (slot && !*slot && create)
        *slot = frame_alloc();
    return slot ? *slot : NULL;
}

void *inode_page_frame(struct inode *ip, uint32_t index) { return inode_page(ip, index, true); }

/* Frees the pages of one second-level map from slot `first` on. */
static void free_map_from(void **l2, uint32_t first)
{
    for (uint32_t lo = first; lo < FS_MAP_SLOTS; lo++) {
        if (l2[lo])
            frame_free(l2[lo]);
        l2[lo] = NULL;
    }
}

/* Frees the pages from `first` on, and the map frames left empty. */
static void free_pages_from(struct inode *ip, uint32_t first)
{
    if (!ip->pages)
        return;
    for (uint32_t hi = first / FS_MAP_SLOTS; hi < FS_MAP_SLOTS; hi++) {
        uint32_t base = hi * FS_MAP_SLOTS, lo_first = first > base ? first - base : 0;

        if (!ip->pages[hi])
            continue;
        free_map_from(ip->pages[hi], lo_first);
        if (lo_first == 0) {
            frame_free(ip->pages[hi]);
            ip->pages[hi] = NULL;
        }
    }
    if (first == 0) {
        frame_free(ip->pages);
        ip->pages = NULL;
    }
}

int iobuf_put(struct iobuf buf, size_t at, const void *src, size_t n)
{
    if (!buf.pd) {
        memcpy((void *)(buf.addr + at), src, n);
        return 0;
    }
    return vm_copy_out(buf.pd, buf.addr + at, src, n);
}

int iobuf_get(struct iobuf buf, size_t at, void *dst, size_t n)
{
    if (!buf.pd) {
        memcpy(dst, (const void *)(buf.addr + at), n);
        return 0;
    }
    return vm_copy_in(buf.pd, dst, buf.addr + at, n);
}

static const uint8_t zero_page[PAGE_SIZE];

long inode_read(struct inode *ip, uint32_t off, struct iobuf buf, size_t count)
{
    size_t done = 0;

    if (ip->ops)
        return ip->ops->read(ip, off, buf, count);
    if (off >= ip->size)
        return 0;
    if (count > ip->size - off)
        count = ip->size - off;
    while (done < count) {
        uint32_t at = off + done, in_page = at % PAGE_SIZE;
        size_t n = MIN(count - done, PAGE_SIZE - in_page);
        const uint8_t *page = inode_page(ip, at / PAGE_SIZE, false);

        if (iobuf_put(buf, done, (page ? page : zero_page) + in_page, n))
            return done ? (long)done : -EFAULT;
        done += n;
    }
    ip->atime = fs_now();
    return (long)done;
}

long inode_write(struct inode *ip, uint32_t off, struct iobuf buf, size_t count)
{
    size_t done = 0;

    if (ip->ops)
        return -EACCES; /* the kernel's own files (/proc) are read-only */
    if ((uint64_t)off + count > FS_FILE_MAX)
        return -EFBIG;
    while (done < count) {
        uint32_t at = off + done, in_page = at % PAGE_SIZE;
        size_t n = MIN(count - done, PAGE_SIZE - in_page);
        uint8_t *page = inode_page(ip, at / PAGE_SIZE, true);

        if (!page)
            return done ? (long)done : -ENOSPC;
        if (iobuf_get(buf, done, page + in_page, n))
            return done ? (long)done : -EFAULT;
        done += n;
        if (at + n > ip->size)
            ip->size = at + n;
    }
    ip->mtime = ip->ctime = fs_now();
    return (long)done;
}

int inode_truncate(struct inode *ip, uint32_t size)
{
    uint32_t keep = (size + PAGE_SIZE - 1) / PAGE_SIZE;
    uint8_t *last;

    if (ip->ops)
        return -EACCES;
    if (size < ip->size && size % PAGE_SIZE && (last = inode_page(ip, size / PAGE_SIZE, false)))
        memset(last + size % PAGE_SIZE, 0, PAGE_SIZE - size % PAGE_SIZE);
    if (size < ip->size)
        free_pages_from(ip, keep);
    ip->size = size;
    ip->mtime = ip->ctime = fs_now();
    return 0;
}

void inode_release(struct inode *ip)
{
    if (ip->nlink || ip->open_count || ip == fs_root || ip->ops)
        return;
    free_pages_from(ip, 0);
    kfree(ip);
}

/* ---------------------------------------------------------------- directories */

static struct dentry **dir_find(struct inode *dir, const char *name, size_t len)
{
    struct dentry **link = &dir->entries;

    for (; *link; link = &(*link)->next)
        if ((*link)->len == len && !memcmp((*link)->name, name, len))
            return link;
    return NULL;
}

struct inode *dir_lookup(struct inode *dir, const char *name, size_t len)
{
    struct dentry **link = dir_find(dir, name, len);

    return link ? (*link)->inode : NULL;
}

int dir_link_kernel(struct inode *dir, const char *name, size_t len, struct inode *ip)
{
    struct dentry *d;

    if (len > NAME_MAX)
        return -ENAMETOOLONG;
    if (dir_find(dir, name, len))
        return -EEXIST;
    if (!(d = kmalloc(sizeof(*d))))
        return -ENOMEM;
    memcpy(d->name, name, len);
    d->len = (uint8_t)len;
    d->inode = ip;
    d->next = dir->entries;
    dir->entries = d;
    ip->nlink++;
    if (S_ISTYPE(ip->mode, S_IFDIR)) {
        ip->nlink++; /* its "." */
        ip->parent = dir;
        dir->nlink++; /* its ".." */
    }
    dir->mtime = dir->ctime = ip->ctime = fs_now();
    return 0;
}

int dir_unlink_kernel(struct inode *dir, const char *name, size_t len)
{
    struct dentry **link = dir_find(dir, name, len), *d;
    struct inode *ip;

    if (!link)
        return -ENOENT;
    d = *link;
    ip = d->inode;
    *link = d->next;
    kfree(d);
    ip->nlink--;
    if (S_ISTYPE(ip->mode, S_IFDIR)) {
        ip->nlink--;
        dir->nlink--;
    }
    dir->mtime = dir->ctime = ip->ctime = fs_now();
    inode_release(ip);
    return 0;
}

bool dir_is_empty(const struct inode *dir) { return dir->entries == NULL; }

/* The kernel's own trees (/proc) change only as the kernel says. */
int dir_link(struct inode *dir, const char *name, size_t len, struct inode *ip)
{
    return dir->ops ? -EPERM : dir_link_kernel(dir, name, len, ip);
}

int dir_unlink(struct inode *dir, const char *name, size_t len)
{
    return dir->ops ? -EPERM : dir_unlink_kernel(dir, name, len);
}

int dir_move(struct inode *from, const char *name, size_t len, struct inode *to,
             const char *new_name, size_t new_len)
{
    struct dentry **link = dir_find(from, name, len), *d;

    if (from->ops || to->ops)
        return -EPERM; /* the kernel's own trees (/proc) */
    if (!link)
        return -ENOENT;
    if (new_len > NAME_MAX)
        return -ENAMETOOLONG;
    if (dir_find(to, new_name, new_len))
        return -EEXIST;
    d = *link;
    *link = d->next; /* the same dentry moves: nothing to allocate, nothing can fail */
    memmove(d->name, new_name, new_len);
    d->len = (uint8_t)new_len;
    d->next = to->entries;
    to->entries = d;
    if (S_ISTYPE(d->inode->mode, S_IFDIR)) {
        from->nlink--; /* its ".." now counts in `to` */
        to->nlink++;
        d->inode->parent = to;
    }
    from->mtime = from->ctime = to->mtime = to->ctime = d->inode->ctime = fs_now();
    return 0;
}
