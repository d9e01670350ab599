/*
 * The initramfs: a cpio archive in the "newc" format, as Linux's initramfs
 * takes it (Documentation/driver-api/early-userspace/buffer-format.rst) and
 * as `cpio -o -H newc` writes it. Each member is a 110-byte header of
 * ASCII fields, its name, then its data, each padded to 4 bytes:
 *
 *     "070701" ino mode uid gid nlink mtime filesize devmajor devminor
 *              rdevmajor rdevminor namesize check     (8 hex digits each)
 *
 * The archive ends with a member named "TRAILER!!!". Directories, regular
 * files, symbolic links (the data is the target) and device nodes are made
 * under the root; a hard link is a member whose inode number (with its
 * device) was seen before, and an earlier member of the group may carry no
 * data. A member whose parent directory is missing gets one, 0755.
 *
 * Boot modules that are not archives are programs (QEMU -initrd, GRUB
 * module2): each becomes /bin/NAME, NAME being its file name.
 */
#include "bootinfo.h"
#include "errno.h"
#include "fs.h"
#include "memlayout.h"
#include "printk.h"
#include "string.h"

#define CPIO_MAGIC         "070701"
#define CPIO_MAGIC_LEN     6
#define CPIO_FIELD_LEN     8
#define CPIO_HEADER_LEN    110
#define CPIO_ALIGN         4
#define CPIO_TRAILER       "TRAILER!!!"
#define CPIO_HARDLINKS_MAX 64
#define MISSING_DIR_MODE   (S_IFDIR | 0755)
#define MODULE_FILE_MODE   (S_IFREG | 0755)
#define BIN_NAME           "bin"

enum cpio_field {
    F_INO,
    F_MODE,
    F_UID,
    F_GID,
    F_NLINK,
    F_MTIME,
    F_FILESIZE,
    F_DEVMAJOR,
    F_DEVMINOR,
    F_RDEVMAJOR,
    F_RDEVMINOR,
    F_NAMESIZE,
    F_CHECK,
    F_COUNT
};

struct cpio_member {
    uint32_t field[F_COUNT];
    const char *name; /* NUL-terminated inside the archive */
    const uint8_t *data;
};

/* Members seen with nlink > 1, to link later ones with the same inode. */
struct hardlink {
    uint32_t ino, devmajor, devminor;
    struct inode *inode;
};

struct unpacker {
    struct inode *root; /* where the archive's "/" is */
    const uint8_t *data;
    size_t size, at;
    const char *why;
    struct hardlink links[CPIO_HARDLINKS_MAX];
    int link_count;
};

static int hex_digit(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

static bool parse_hex(const uint8_t *text, uint32_t *out)
{
    uint32_t v = 0;

    for (int i = 0; i < CPIO_FIELD_LEN; i++) {
        int digit = hex_digit((char)text[i]);
        if (digit < 0)
            return false;
        v = v << 4 | (uint32_t)digit;
    }
    *out = v;
    return true;
}

static int fail(struct unpacker *u, const char *why)
{
    u->why = why;
    return -EINVAL;
}

static int no_memory(struct unpacker *u)
{
    u->why = "out of memory";
    return -ENOSPC;
}

/* Reads the member at u->at and moves past it. */
static int next_member(struct unpacker *u, struct cpio_member *m)
{
    const uint8_t *h = u->data + u->at;
    size_t name_end, data_end;

    if (u->size - u->at < CPIO_HEADER_LEN)
        return fail(u, "truncated: a header runs past the end");
    if (memcmp(h, CPIO_MAGIC, CPIO_MAGIC_LEN))
        return fail(u, "bad magic: not a cpio newc archive (cpio -o -H newc)");
    for (int f = 0; f < F_COUNT; f++)
        if (!parse_hex(h + CPIO_MAGIC_LEN + f * CPIO_FIELD_LEN, &m->field[f]))
            return fail(u, "a header field is not 8 hex digits");
    name_end = u->at + CPIO_HEADER_LEN + m->field[F_NAMESIZE];
    if (m->field[F_NAMESIZE] == 0 || m->field[F_NAMESIZE] > PATH_MAX || name_end > u->size)
        return fail(u, "a name size is 0, over PATH_MAX, or past the end");
    m->name = (const char *)h + CPIO_HEADER_LEN;
    if (m->name[m->field[F_NAMESIZE] - 1] != '\0')
        return fail(u, "a name does not end with its NUL");
    data_end = ALIGN_UP(name_end, CPIO_ALIGN) + m->field[F_FILESIZE];
    if (data_end > u->size || data_end < name_end)
        return fail(u, "truncated: a member's data runs past the end");
    m->data = u->data + ALIGN_UP(name_end, CPIO_ALIGN);
    u->at = ALIGN_UP(data_end, CPIO_ALIGN);
    if (u->at > u->size)
        u->at = u->size;
    return 0;
}

/* "./bin/sh", "/bin/sh" and "bin/sh" all name bin/sh under the root. */
static const char *strip_leading(const char *name)
{
    for (;;) {
        if (name[0] == '/')
            name++;
        else if (name[0] == '.' && name[1] == '/')
            name += 2;
        else
            return name;
    }
}

static bool climbs(const char *path)
{
    for (const char *p = path; *p; p = strchr(p, '/') ? strchr(p, '/') + 1 : p + strlen(p))
        if (p[0] == '.' && p[1] == '.' && (p[2] == '/' || p[2] == '\0'))
            return true;
    return false;
}

static struct inode *make_missing_dir(struct inode *dir, const char *name, size_t len)
{
    struct inode *ip = inode_new(MISSING_DIR_MODE);

    if (ip && dir_link(dir, name, len, ip)) {
        inode_release(ip);
        return NULL;
    }
    return ip;
}

/* The directory that holds path's last component, made where missing;
 * *leaf and *len name that component. */
static int parent_of(struct unpacker *u, const char *path, struct inode **dir, const char **leaf,
                     size_t *len)
{
    struct inode *d = u->root, *next;
    const char *p = path, *slash;

    while ((slash = strchr(p, '/')) && slash[1]) {
        if (slash > p) {
            if (!(next = dir_lookup(d, p, (size_t)(slash - p))))
                next = make_missing_dir(d, p, (size_t)(slash - p));
            if (!next)
                return no_memory(u);
            if (!S_ISTYPE(next->mode, S_IFDIR))
                return fail(u, "a member's parent is not a directory");
            d = next;
        }
        p = slash + 1;
    }
    *dir = d;
    *leaf = p;
    *len = slash ? (size_t)(slash - p) : strlen(p);
    return *len > NAME_MAX ? fail(u, "a name component is over NAME_MAX bytes") : 0;
}

static bool known_type(uint32_t mode)
{
    switch (mode & S_IFMT) {
    case S_IFDIR:
    case S_IFREG:
    case S_IFLNK:
    case S_IFCHR:
    case S_IFBLK:
    case S_IFIFO:
    case S_IFSOCK:
        return true;
    default:
        return false;
    }
}

/* Linux's new_encode_dev: 12-bit major, 20-bit minor, the old 8:8 in the low bits. */
static uint32_t encode_dev(uint32_t major, uint32_t minor)
{
    return (minor & 0xff) | (major << 8) | ((minor & ~0xffu) << 12);
}

static int fill_data(struct unpacker *u, struct inode *ip, const struct cpio_member *m)
{
    uint32_t size = m->field[F_FILESIZE];
    long n;

    if (S_ISTYPE(ip->mode, S_IFLNK) && (size == 0 || size >= PATH_MAX))
        return fail(u, "a symbolic link's target is empty or over PATH_MAX");
    inode_truncate(ip, 0);
    n = inode_write(ip, 0, (struct iobuf){NULL, (uintptr_t)m->data}, size);
    if (n != (long)size)
        return no_memory(u);
    return 0;
}

static struct inode *new_member_inode(const struct cpio_member *m)
{
    struct inode *ip = inode_new(m->field[F_MODE]);

    if (!ip)
        return NULL;
    ip->uid = m->field[F_UID];
    ip->gid = m->field[F_GID];
    ip->rdev = encode_dev(m->field[F_RDEVMAJOR], m->field[F_RDEVMINOR]);
    return ip;
}

static struct hardlink *hardlink_of(struct unpacker *u, const struct cpio_member *m)
{
    for (int i = 0; i < u->link_count; i++) {
        struct hardlink *h = &u->links[i];
        if (h->ino == m->field[F_INO] && h->devmajor == m->field[F_DEVMAJOR] &&
            h->devminor == m->field[F_DEVMINOR])
            return h;
    }
    return NULL;
}

static bool is_hardlinked(const struct cpio_member *m)
{
    return m->field[F_NLINK] > 1 && !S_ISTYPE(m->field[F_MODE], S_IFDIR);
}

static int remember_hardlink(struct unpacker *u, const struct cpio_member *m, struct inode *ip)
{
    if (u->link_count == CPIO_HARDLINKS_MAX)
        return fail(u, "more hard-linked files than the unpacker keeps (64)");
    u->links[u->link_count++] =
        (struct hardlink){m->field[F_INO], m->field[F_DEVMAJOR], m->field[F_DEVMINOR], ip};
    return 0;
}

/* The inode a member's name will hold: a hard link's first, or a new one. */
static int member_inode(struct unpacker *u, const struct cpio_member *m, struct inode **ip)
{
    struct hardlink *h = is_hardlinked(m) ? hardlink_of(u, m) : NULL;
    int err;

    if (h) {
        *ip = h->inode;
    } else if (!(*ip = new_member_inode(m))) {
        return no_memory(u);
    } else if (is_hardlinked(m) && (err = remember_hardlink(u, m, *ip))) {
        inode_release(*ip);
        return err;
    }
    if ((S_ISTYPE(m->field[F_MODE], S_IFREG) || S_ISTYPE(m->field[F_MODE], S_IFLNK)) &&
        (m->field[F_FILESIZE] || !h) && (err = fill_data(u, *ip, m)))
        return err;
    (*ip)->mtime = (*ip)->ctime = (*ip)->atime = (struct fs_time){m->field[F_MTIME], 0};
    return 0;
}

/* A member over an existing name: a directory keeps its contents and takes
 * the new mode; anything else is replaced, as Linux's initramfs does. */
static bool update_existing(struct inode *dir, const char *leaf, size_t len,
                            const struct cpio_member *m)
{
    struct inode *old = dir_lookup(dir, leaf, len);

    if (!old)
        return false;
    if (S_ISTYPE(old->mode, S_IFDIR) && S_ISTYPE(m->field[F_MODE], S_IFDIR)) {
        old->mode = m->field[F_MODE];
        old->mtime = (struct fs_time){m->field[F_MTIME], 0};
        return true;
    }
    if (!S_ISTYPE(old->mode, S_IFDIR) || dir_is_empty(old))
        dir_unlink(dir, leaf, len);
    return false;
}

static int unpack_member(struct unpacker *u, const struct cpio_member *m)
{
    const char *path = strip_leading(m->name), *leaf;
    struct inode *dir, *ip;
    size_t len;
    int err;

    if (!known_type(m->field[F_MODE]))
        return fail(u, "a member has an unknown file type");
    if (climbs(path))
        return fail(u, "a name climbs out of the archive with \"..\"");
    if (!*path || !strcmp(path, "."))
        return 0; /* the root itself */
    if ((err = parent_of(u, path, &dir, &leaf, &len)))
        return err;
    if (update_existing(dir, leaf, len, m))
        return 0;
    if (dir_lookup(dir, leaf, len))
        return fail(u, "a member would replace a directory that is not empty");
    if ((err = member_inode(u, m, &ip)))
        return err;
    if (dir_link(dir, leaf, len, ip)) {
        inode_release(ip);
        return no_memory(u);
    }
    return 0;
}

int cpio_unpack_at(struct inode *root, const uint8_t *data, size_t size, const char **why)
{
    static struct unpacker u;
    struct cpio_member m;
    int err = 0;

    u = (struct unpacker){.root = root, .data = data, .size = size};
    while (!err) {
        if (u.at == u.size) {
            err = fail(&u, "truncated: no TRAILER!!! member at the end");
            break;
        }
        if ((err = next_member(&u, &m)))
            break;
        if (!strcmp(m.name, CPIO_TRAILER))
            return 0;
        err = unpack_member(&u, &m);
    }
    *why = u.why;
    return err;
}

int cpio_unpack(const uint8_t *data, size_t size, const char **why)
{
    return cpio_unpack_at(fs_root, data, size, why);
}

static bool is_cpio(const struct boot_module *m)
{
    return m->end - m->start >= CPIO_MAGIC_LEN &&
           !memcmp(P2V(m->start), CPIO_MAGIC, CPIO_MAGIC_LEN);
}

/* The file name of a module: the basename of its command line's first word. */
static void module_name(const struct boot_module *m, const char **name, size_t *len)
{
    const char *end = strchr(m->cmdline, ' '), *base = m->cmdline;

    if (!end)
        end = m->cmdline + strlen(m->cmdline);
    for (const char *p = m->cmdline; p < end; p++)
        if (*p == '/')
            base = p + 1;
    *name = base;
    *len = (size_t)(end - base);
}

static struct inode *bin_dir(void)
{
    struct inode *bin = dir_lookup(fs_root, BIN_NAME, strlen(BIN_NAME));

    if (!bin)
        bin = make_missing_dir(fs_root, BIN_NAME, strlen(BIN_NAME));
    return bin && S_ISTYPE(bin->mode, S_IFDIR) ? bin : NULL;
}

/* A module that is not an archive is a program: it becomes /bin/NAME,
 * replacing what the initramfs had there. */
static const char *module_to_file(const struct boot_module *m)
{
    struct inode *bin = bin_dir(), *ip;
    const char *name;
    size_t len, size = m->end - m->start;

    module_name(m, &name, &len);
    if (!len || len > NAME_MAX)
        return "its name is empty or too long";
    if (!bin)
        return "/bin is not a directory";
    if ((ip = dir_lookup(bin, name, len)) && S_ISTYPE(ip->mode, S_IFDIR))
        return "/bin has a directory of that name";
    if (ip)
        dir_unlink(bin, name, len);
    if (!(ip = inode_new(MODULE_FILE_MODE)))
        return "out of memory";
    if (inode_write(ip, 0, (struct iobuf){NULL, (uintptr_t)P2V(m->start)}, size) != (long)size ||
        dir_link(bin, name, len, ip)) {
        inode_release(ip);
        return "out of memory";
    }
    return NULL;
}

void initramfs_unpack_modules(void)
{
    for (int i = 0; i < boot_info.module_count; i++) {
        const struct boot_module *m = &boot_info.modules[i];
        const char *why = NULL;

        if (!is_cpio(m)) {
            if ((why = module_to_file(m)))
                pr_err("initramfs: module %d (\"%s\") not put in /bin: %s\n", i, m->cmdline, why);
            continue;
        }
        if (cpio_unpack(P2V(m->start), m->end - m->start, &why))
            pr_err("initramfs: module %d (\"%s\"): %s; the files before it are unpacked\n", i,
                   m->cmdline, why);
        else
            pr_info("initramfs: module %d unpacked, %u KiB\n", i, (m->end - m->start) >> 10);
    }
}
