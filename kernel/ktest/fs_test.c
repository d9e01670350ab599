/*
 * Suite "fs": the RAM file system, path lookup and the cpio unpacker. Each
 * case writes a small newc archive in memory (the format of `cpio -o -H
 * newc`, see kernel/fs/cpio.c), unpacks it under a directory of its own and
 * looks at the result.
 */
#include "errno.h"
#include "fs.h"
#include "ktest.h"
#include "memlayout.h"
#include "pmm.h"
#include "printk.h"
#include "string.h"

#define ARCHIVE_FRAMES  2
#define CPIO_HEADER_LEN 110
#define LONG_NAME_LEN   (NAME_MAX + 1)

struct archive {
    uint8_t *buf;
    size_t at, cap;
};

struct member {
    const char *name;
    uint32_t mode, ino, nlink;
    const char *data; /* NUL-terminated, or NULL */
    uint32_t rdev_major, rdev_minor;
};

static void put_member(struct archive *a, const struct member *m)
{
    size_t namesize = strlen(m->name) + 1, size = m->data ? strlen(m->data) : 0;
    char header[CPIO_HEADER_LEN + 1];

    ksnprintf(header, sizeof(header), "070701%08x%08x%08x%08x%08x%08x%08x%08x%08x%08x%08x%08x%08x",
              m->ino, m->mode, 0u, 0u, m->nlink ? m->nlink : 1, 1000u, (unsigned)size, 0u, 0u,
              m->rdev_major, m->rdev_minor, (unsigned)namesize, 0u);
    memcpy(a->buf + a->at, header, CPIO_HEADER_LEN);
    memcpy(a->buf + a->at + CPIO_HEADER_LEN, m->name, namesize);
    a->at = ALIGN_UP(a->at + CPIO_HEADER_LEN + namesize, 4);
    if (size)
        memcpy(a->buf + a->at, m->data, size);
    a->at = ALIGN_UP(a->at + size, 4);
}

static void put_trailer(struct archive *a)
{
    put_member(a, &(struct member){"TRAILER!!!", 0, 0, 1, NULL, 0, 0});
}

static struct archive archive_new(void)
{
    static uint8_t buf[ARCHIVE_FRAMES * PAGE_SIZE];

    memset(buf, 0, sizeof(buf));
    return (struct archive){buf, 0, sizeof(buf)};
}

static struct inode *lookup(const char *path, int flags)
{
    struct inode *ip = NULL;

    return path_lookup(path, fs_root, flags, &ip) ? NULL : ip;
}

static int lookup_err(const char *path, int flags)
{
    struct inode *ip;

    return path_lookup(path, fs_root, flags, &ip);
}

static const char *contents(struct inode *ip)
{
    static char text[64];
    long n = inode_read(ip, 0, (struct iobuf){NULL, (uintptr_t)text}, sizeof(text) - 1);

    text[n > 0 ? n : 0] = '\0';
    return text;
}

static int unpack(struct archive *a, const char **why)
{
    *why = NULL;
    return cpio_unpack(a->buf, a->at, why);
}

KTEST("fs", an_archive_becomes_a_tree)
{
    struct archive a = archive_new();
    const char *why;
    struct inode *busybox, *ls, *null;

    put_member(&a, &(struct member){".", S_IFDIR | 0755, 1, 2, NULL, 0, 0});
    put_member(&a, &(struct member){"./t1/etc", S_IFDIR | 0755, 2, 2, NULL, 0, 0});
    put_member(&a, &(struct member){"./t1/etc/motd", S_IFREG | 0644, 3, 1, "hello\n", 0, 0});
    put_member(&a, &(struct member){"t1/bin/ls", S_IFREG | 0755, 4, 2, NULL, 0, 0});
    put_member(&a, &(struct member){"t1/bin/busybox", S_IFREG | 0755, 4, 2, "ELF", 0, 0});
    put_member(&a, &(struct member){"t1/bin/sh", S_IFLNK | 0777, 5, 1, "busybox", 0, 0});
    put_member(&a, &(struct member){"/t1/dev/null", S_IFCHR | 0666, 6, 1, NULL, 1, 3});
    put_trailer(&a);
    ASSERT_EQ(unpack(&a, &why), 0);
    EXPECT_STREQ(contents(lookup("/t1/etc/motd", 0)), "hello\n");
    EXPECT_EQ(lookup("/t1/etc/motd", 0)->mode, S_IFREG | 0644);
    EXPECT_EQ(lookup("/t1/etc/motd", 0)->mtime.sec, 1000);
    busybox = lookup("/t1/bin/busybox", 0);
    ls = lookup("/t1/bin/ls", 0);
    ASSERT_TRUE(busybox && ls);
    EXPECT_TRUE(busybox == ls); /* a hard link: one inode, two names */
    EXPECT_EQ(busybox->nlink, 2);
    EXPECT_STREQ(contents(ls), "ELF");
    EXPECT_TRUE(lookup("/t1/bin/sh", LOOKUP_FOLLOW) == busybox);
    EXPECT_TRUE(S_ISTYPE(lookup("/t1/bin/sh", 0)->mode, S_IFLNK));
    null = lookup("/t1/dev/null", 0);
    ASSERT_TRUE(null != NULL);
    EXPECT_EQ(null->rdev, (1 << 8) | 3);
    EXPECT_EQ(lookup("/t1/dev", 0)->mode, S_IFDIR | 0755); /* made, as it was missing */
    EXPECT_EQ(lookup("/t1", 0)->nlink, 2 + 3);             /* ".", its name, 3 subdirectories */
}

KTEST("fs", path_lookup_follows_linux_rules)
{
    static char long_name[LONG_NAME_LEN + 2];
    struct archive a = archive_new();
    const char *why;

    put_member(&a, &(struct member){"t2/d/f", S_IFREG | 0644, 1, 1, "x", 0, 0});
    put_member(&a, &(struct member){"t2/loop1", S_IFLNK | 0777, 2, 1, "loop2", 0, 0});
    put_member(&a, &(struct member){"t2/loop2", S_IFLNK | 0777, 3, 1, "loop1", 0, 0});
    put_member(&a, &(struct member){"t2/up", S_IFLNK | 0777, 4, 1, "../t2/d", 0, 0});
    put_member(&a, &(struct member){"t2/abs", S_IFLNK | 0777, 5, 1, "/t2/d/f", 0, 0});
    put_trailer(&a);
    ASSERT_EQ(unpack(&a, &why), 0);
    EXPECT_TRUE(lookup("//t2///d//f", 0) == lookup("/t2/d/f", 0));
    EXPECT_TRUE(lookup("/t2/d/../d/./f", 0) == lookup("/t2/d/f", 0));
    EXPECT_TRUE(lookup("/..", 0) == fs_root);
    EXPECT_TRUE(lookup("/t2/up/f", 0) == lookup("/t2/d/f", 0)); /* a link in the middle */
    EXPECT_TRUE(lookup("/t2/abs", LOOKUP_FOLLOW) == lookup("/t2/d/f", 0));
    EXPECT_TRUE(lookup("/t2/up/", 0) == lookup("/t2/d", 0)); /* a trailing slash follows */
    EXPECT_EQ(lookup_err("/t2/loop1", LOOKUP_FOLLOW), -ELOOP);
    EXPECT_EQ(lookup_err("/t2/loop1", 0), 0); /* the link itself */
    EXPECT_EQ(lookup_err("/t2/d/f/", 0), -ENOTDIR);
    EXPECT_EQ(lookup_err("/t2/d/f/g", 0), -ENOTDIR);
    EXPECT_EQ(lookup_err("/t2/none", 0), -ENOENT);
    EXPECT_EQ(lookup_err("", 0), -ENOENT);
    long_name[0] = '/';
    memset(long_name + 1, 'n', LONG_NAME_LEN);
    EXPECT_EQ(lookup_err(long_name, 0), -ENAMETOOLONG);
}

KTEST("fs", path_parent_names_the_last_component)
{
    struct inode *dir;
    const char *name;
    size_t len;

    ASSERT_EQ(path_parent("/t2/d/newfile/", fs_root, &dir, &name, &len), 0);
    EXPECT_TRUE(dir == lookup("/t2/d", 0));
    EXPECT_EQ(len, 7);
    EXPECT_EQ(strncmp(name, "newfile", len), 0);
    ASSERT_EQ(path_parent("/", fs_root, &dir, &name, &len), 0);
    EXPECT_TRUE(dir == fs_root);
    EXPECT_EQ(len, 0);
    EXPECT_EQ(path_parent("/t2/d/f/x", fs_root, &dir, &name, &len), -ENOTDIR);
    EXPECT_EQ(path_parent("/t2/no/x", fs_root, &dir, &name, &len), -ENOENT);
}

static void expect_refused(const char *what, struct archive *a, const char *reason)
{
    const char *why;

    ktest_diag("%s", what);
    EXPECT_EQ(unpack(a, &why), -EINVAL);
    EXPECT_TRUE(why && !strncmp(why, reason, strlen(reason)));
    if (why)
        ktest_diag("-> %s", why);
}

KTEST("fs", bad_archives_are_refused_with_a_reason)
{
    struct archive a = archive_new();

    put_member(&a, &(struct member){"t3/kept", S_IFREG | 0644, 1, 1, "kept", 0, 0});
    memcpy(a.buf + a.at, "070702", 6); /* the CRC format: not newc */
    a.at += CPIO_HEADER_LEN;
    expect_refused("bad magic", &a, "bad magic");
    EXPECT_STREQ(contents(lookup("/t3/kept", 0)), "kept"); /* what came before stays */

    a = archive_new();
    put_member(&a, &(struct member){"t3/f", S_IFREG | 0644, 1, 1, "0123456789", 0, 0});
    a.at -= 8; /* the data runs past the end */
    expect_refused("truncated data", &a, "truncated");

    a = archive_new();
    put_member(&a, &(struct member){"t3/g", S_IFREG | 0644, 1, 1, "abc", 0, 0});
    expect_refused("no trailer", &a, "truncated: no TRAILER");

    a = archive_new();
    put_member(&a, &(struct member){"t3/../../etc/x", S_IFREG | 0644, 1, 1, "abc", 0, 0});
    expect_refused("dot-dot", &a, "a name climbs");

    a = archive_new();
    put_member(&a, &(struct member){"t3/weird", 0170000 | 0644, 1, 1, NULL, 0, 0});
    expect_refused("unknown type", &a, "a member has an unknown file type");

    a = archive_new();
    put_member(&a, &(struct member){"t3/empty-link", S_IFLNK | 0777, 1, 1, NULL, 0, 0});
    expect_refused("empty symlink", &a, "a symbolic link's target is empty");

    a = archive_new();
    put_member(&a, &(struct member){"t3/kept/x", S_IFREG | 0644, 1, 1, "x", 0, 0});
    expect_refused("file as parent", &a, "a member's parent is not a directory");

    a = archive_new();
    put_member(&a, &(struct member){"t3/h", S_IFREG | 0644, 1, 1, "abc", 0, 0});
    memcpy(a.buf + 6, "zzzzzzzz", 8); /* the inode field */
    expect_refused("not hex", &a, "a header field is not 8 hex digits");
}

KTEST("fs", file_pages_holes_and_truncation)
{
    uint32_t before = pmm_free_count();
    struct inode *ip = inode_new(S_IFREG | 0644);
    static const char tail[] = "end";
    char got[4] = "";

    ASSERT_TRUE(ip != NULL);
    ASSERT_EQ(dir_link(fs_root, "t4", 2, ip), 0);
    /* Three pages in: the first two are a hole, read as zeros, never allocated. */
    EXPECT_EQ(inode_write(ip, 2 * PAGE_SIZE, (struct iobuf){NULL, (uintptr_t)tail}, 3), 3);
    EXPECT_EQ(ip->size, 2 * PAGE_SIZE + 3);
    EXPECT_EQ(inode_read(ip, PAGE_SIZE, (struct iobuf){NULL, (uintptr_t)got}, 3), 3);
    EXPECT_EQ(got[0] | got[1] | got[2], 0);
    EXPECT_EQ(before - pmm_free_count(), 3); /* two map frames and one page */
    inode_truncate(ip, 1);
    EXPECT_EQ(inode_read(ip, 0, (struct iobuf){NULL, (uintptr_t)got}, 3), 1);
    EXPECT_EQ(dir_unlink(fs_root, "t4", 2), 0);
    EXPECT_EQ(pmm_free_count(), before); /* unlinked and not open: every frame back */
    ip = inode_new(S_IFREG);
    EXPECT_EQ(dir_link(fs_root, "t1", 2, ip), -EEXIST);
    inode_release(ip);
}

/* ---------------------------------------------------------------- malformed archives */

#define FUZZ_ROUNDS 400
#define FUZZ_SEED 0x5eed1234u
#define HEX_FIELDS 13
#define FIELD_LEN 8
#define MAGIC_LEN 6

static uint32_t fuzz_state;

static uint32_t fuzz_next(void)
{
    fuzz_state ^= fuzz_state << 13;
    fuzz_state ^= fuzz_state >> 17;
    fuzz_state ^= fuzz_state << 5;
    return fuzz_state;
}

/* A small archive of every kind of member, the fuzzer's starting point. */
static void base_archive(struct archive *a)
{
    *a = archive_new();
    put_member(a, &(struct member){"d", S_IFDIR | 0755, 1, 2, NULL, 0, 0});
    put_member(a, &(struct member){"d/f", S_IFREG | 0644, 2, 2, "data", 0, 0});
    put_member(a, &(struct member){"d/hard", S_IFREG | 0644, 2, 2, "data", 0, 0});
    put_member(a, &(struct member){"d/link", S_IFLNK | 0777, 3, 1, "f", 0, 0});
    put_member(a, &(struct member){"d/null", S_IFCHR | 0666, 4, 1, NULL, 1, 3});
    put_trailer(a);
}

static void put_hex(uint8_t *at, uint32_t v)
{
    static const char digits[] = "0123456789abcdef";

    for (int i = FIELD_LEN - 1; i >= 0; i--, v >>= 4)
        at[i] = (uint8_t)digits[v & 0xF];
}

/* One mutation: a byte flipped, the archive cut short, or a header field of
 * the first member set to something wild. */
static void mutate(struct archive *a)
{
    static const uint32_t wild[] = {0, 1, 0xFFFFFFFFu, 0x7FFFFFFFu, PATH_MAX, PATH_MAX + 1, 4096};
    uint32_t r = fuzz_next();

    switch (r % 3) {
    case 0:
        a->buf[fuzz_next() % a->at] ^= (uint8_t)(1u << (fuzz_next() % 8));
        break;
    case 1:
        a->at = fuzz_next() % a->at;
        break;
    default:
        put_hex(a->buf + MAGIC_LEN + (fuzz_next() % HEX_FIELDS) * FIELD_LEN,
                wild[fuzz_next() % ARRAY_SIZE(wild)]);
        break;
    }
}

/* Empties dir without recursion (a mutated name may nest deep): unlink the
 * first entry of the deepest first directory, again and again. */
static void empty_tree(struct inode *dir)
{
    while (dir->entries) {
        struct inode *d = dir;
        while (d->entries && S_ISTYPE(d->entries->inode->mode, S_IFDIR) &&
               d->entries->inode->entries)
            d = d->entries->inode;
        dir_unlink(d, d->entries->name, d->entries->len);
    }
}

/* Unpacks FUZZ_ROUNDS mutants into scratch; counts how each ended. */
static int fuzz_round(struct inode *scratch, int *refused)
{
    struct archive a;
    const char *why;
    int bad_reason = 0;

    fuzz_state = FUZZ_SEED;
    *refused = 0;
    for (int i = 0; i < FUZZ_ROUNDS; i++) {
        base_archive(&a);
        mutate(&a);
        why = NULL;
        int err = cpio_unpack_at(scratch, a.buf, a.at, &why);
        if (err)
            (*refused)++;
        if (err && (!why || (err != -EINVAL && err != -ENOSPC)))
            bad_reason++;
        empty_tree(scratch);
    }
    return bad_reason;
}

/* Malformed archives are refused with a reason, or unpacked; never a panic,
 * and every frame comes back once the scratch tree is emptied. The same
 * seed runs twice: the first run fills the kernel heap's caches. */
KTEST("fs", malformed_archives_are_refused_and_leak_nothing)
{
    struct inode *scratch = inode_new(S_IFDIR | 0755);
    int refused;
    uint32_t before;

    ASSERT_TRUE(scratch != NULL);
    ASSERT_EQ(dir_link(fs_root, "fuzz", 4, scratch), 0);
    EXPECT_EQ(fuzz_round(scratch, &refused), 0);
    before = pmm_free_count();
    EXPECT_EQ(fuzz_round(scratch, &refused), 0);
    EXPECT_EQ(pmm_free_count(), before);
    ktest_diag("%d of %d mutants refused with a reason, the rest unpacked", refused, FUZZ_ROUNDS);
    EXPECT_GT(refused, FUZZ_ROUNDS / 4);
    EXPECT_LT(refused, FUZZ_ROUNDS);
    EXPECT_EQ(dir_unlink(fs_root, "fuzz", 4), 0);
}

/* A full RAM file system: a write takes what memory there is, then ENOSPC,
 * and the kernel goes on; unlinking gives every frame back. */
KTEST("fs", a_full_file_system_is_enospc)
{
    static uint8_t page[PAGE_SIZE];
    struct inode *ip = inode_new(S_IFREG | 0644);
    uint32_t before = pmm_free_count(), off = 0;
    long n = 0;

    ASSERT_TRUE(ip != NULL);
    ASSERT_EQ(dir_link(fs_root, "full", 4, ip), 0);
    while ((n = inode_write(ip, off, (struct iobuf){NULL, (uintptr_t)page}, PAGE_SIZE)) > 0)
        off += (uint32_t)n;
    EXPECT_EQ(n, -ENOSPC);
    EXPECT_EQ(pmm_free_count(), 0);
    ktest_diag("the file took %u KiB before ENOSPC", off >> 10);
    EXPECT_EQ(dir_unlink(fs_root, "full", 4), 0);
    EXPECT_EQ(pmm_free_count(), before);
}
