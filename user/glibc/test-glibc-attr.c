/*
 * test-glibc-attr: the calls that change what stat shows or where a name
 * is, compared with Linux: chmod, chown (and the set-uid bit it clears),
 * truncate, utimensat, rename with its errors, fsync and sync, statfs64.
 * Each call is made through glibc and, where glibc might pick another
 * number, through syscall() with the number BusyBox uses. It prints
 * results and errno names, never times, ids of the host or inode numbers.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <unistd.h>

#define WORK_DIR        "/tmp/relay-test-glibc-attr"
#define STATFS64_SIZE   84 /* struct statfs64 on i386 */
#define FIXED_TIME      1000000000 /* 2001-09-09, any fixed second will do */

static void show(const char *what, long r)
{
    if (r < 0)
        printf("%s = -1 %s\n", what, strerrorname_np(errno));
    else
        printf("%s = %ld\n", what, r);
}

static unsigned mode_of(const char *path)
{
    struct stat st;

    return lstat(path, &st) ? 0 : st.st_mode & 07777;
}

static void put(const char *path, const char *text)
{
    int fd = open(path, O_CREAT | O_TRUNC | O_WRONLY, 0644);

    if (write(fd, text, strlen(text)) < 0)
        perror("write");
    close(fd);
}

static void modes(void)
{
    int fd;

    put("f", "x");
    show("chmod(f, 0751)", syscall(SYS_chmod, "f", 0751));
    printf("mode %04o\n", mode_of("f"));
    fd = open("f", O_RDONLY);
    show("fchmod(fd, 04755)", fchmod(fd, 04755));
    printf("mode %04o\n", mode_of("f"));
    show("fchmodat(cwd, f, 0600)", syscall(SYS_fchmodat, AT_FDCWD, "f", 0600));
    printf("mode %04o\n", mode_of("f"));
    show("chmod(missing)", chmod("missing", 0644));
    show("fchmod(bad fd)", fchmod(99, 0644));
    close(fd);
}

static void owners(void)
{
    struct stat st;

    chmod("f", 06755);
    show("chown32(f, 12, 34)", syscall(SYS_chown32, "f", 12, 34));
    stat("f", &st);
    printf("uid %u gid %u mode %04o (set-uid and set-gid cleared)\n", st.st_uid, st.st_gid,
           st.st_mode & 07777);
    chmod("f", 02745);
    show("fchownat(f, -1, -1)", syscall(SYS_fchownat, AT_FDCWD, "f", -1, -1, 0));
    stat("f", &st);
    printf("uid %u gid %u mode %04o (set-gid kept without group execute)\n", st.st_uid,
           st.st_gid, st.st_mode & 07777);
    symlink("f", "l");
    show("lchown32(l, 7, 8)", syscall(SYS_lchown32, "l", 7, 8));
    lstat("l", &st);
    printf("link uid %u gid %u; ", st.st_uid, st.st_gid);
    stat("l", &st);
    printf("target uid %u gid %u\n", st.st_uid, st.st_gid);
    show("fchown32(bad fd)", syscall(SYS_fchown32, 99, 0, 0));
    show("fchownat(bad flags)", syscall(SYS_fchownat, AT_FDCWD, "f", 0, 0, 0x4));
    chown("f", 0, 0);
    unlink("l");
}

static long long size_of(const char *path)
{
    struct stat st;

    return stat(path, &st) ? -1 : (long long)st.st_size;
}

static void sizes(void)
{
    int fd = open("f", O_RDWR), rd = open("f", O_RDONLY);
    char buf[16] = "";

    put("f", "hello world");
    show("truncate64(f, 5)", syscall(SYS_truncate64, "f", 5, 0));
    printf("size %lld\n", size_of("f"));
    show("ftruncate64(fd, 8)", syscall(SYS_ftruncate64, fd, 8, 0));
    printf("size %lld, read back: ", size_of("f"));
    printf("%zd bytes, ", pread(fd, buf, sizeof(buf), 0));
    printf("hole is zeros: %s\n", !memcmp(buf, "hello\0\0\0", 8) ? "yes" : "no");
    show("ftruncate(read-only fd)", ftruncate(rd, 1));
    show("truncate(f, -1)", truncate("f", -1));
    show("truncate(directory)", truncate(".", 0));
    show("ftruncate(bad fd)", ftruncate(99, 0));
    close(fd);
    close(rd);
}

/* The 64-bit form glibc may not pick, with explicit times. */
static void times64(void)
{
    struct { long long sec, nsec; } t[2] = {{FIXED_TIME, 1}, {FIXED_TIME + 2, 3}};
    struct stat st;

    show("utimensat_time64(f, times)", syscall(SYS_utimensat_time64, AT_FDCWD, "f", t, 0));
    stat("f", &st);
    printf("atime %+ld.%ld mtime %+ld.%ld\n", (long)(st.st_atim.tv_sec - FIXED_TIME),
           st.st_atim.tv_nsec, (long)(st.st_mtim.tv_sec - FIXED_TIME), st.st_mtim.tv_nsec);
}

static void times(void)
{
    struct timespec set[2] = {{FIXED_TIME, 5}, {FIXED_TIME + 60, 7}}, omit[2], bad[2];
    struct stat st;
    int fd = open("f", O_RDONLY);

    show("utimensat(f, times)", utimensat(AT_FDCWD, "f", set, 0));
    stat("f", &st);
    printf("atime %+ld.%ld mtime %+ld.%ld\n", (long)(st.st_atim.tv_sec - FIXED_TIME),
           st.st_atim.tv_nsec, (long)(st.st_mtim.tv_sec - FIXED_TIME), st.st_mtim.tv_nsec);
    omit[0] = (struct timespec){0, UTIME_NOW};
    omit[1] = (struct timespec){0, UTIME_OMIT};
    show("futimens(fd, now, omit)", futimens(fd, omit));
    stat("f", &st);
    printf("atime moved to now: %s; mtime kept: %s\n", st.st_atim.tv_sec > FIXED_TIME + 60 ? "yes" : "no",
           st.st_mtim.tv_sec == FIXED_TIME + 60 ? "yes" : "no");
    show("utimensat(f, NULL): both now", utimensat(AT_FDCWD, "f", NULL, 0));
    times64();
    stat("f", &st);
    printf("mtime moved to now: %s\n", st.st_mtim.tv_sec > FIXED_TIME + 60 ? "yes" : "no");
    bad[0] = (struct timespec){0, 1000000000};
    bad[1] = (struct timespec){0, 0};
    show("utimensat(nsec 10^9)", utimensat(AT_FDCWD, "f", bad, 0));
    show("utimensat(missing)", utimensat(AT_FDCWD, "missing", NULL, 0));
    show("utimensat(bad flags)", utimensat(AT_FDCWD, "f", NULL, 0x4));
    close(fd);
}

static void renames(void)
{
    put("a", "A");
    put("b", "B");
    show("rename(a, b)", syscall(SYS_rename, "a", "b"));
    printf("a gone: %s; b holds A: %s\n", access("a", F_OK) ? "yes" : "no",
           size_of("b") == 1 ? "yes" : "no");
    mkdir("d", 0755);
    mkdir("e", 0755);
    put("e/x", "x");
    show("renameat(d, e) over a full dir", syscall(SYS_renameat, AT_FDCWD, "d", AT_FDCWD, "e"));
    show("rename(d, d/sub) into itself", rename("d", "d/sub"));
    show("rename(b, e) file over dir", rename("b", "e"));
    show("rename(e, b) dir over file", rename("e", "b"));
    show("rename(missing, z)", rename("missing", "z"));
    show("rename(d, ..)", rename("d", ".."));
    show("renameat2(b, e/x, NOREPLACE)",
         syscall(SYS_renameat2, AT_FDCWD, "b", AT_FDCWD, "e/x", RENAME_NOREPLACE));
    show("renameat2(b, e/y, NOREPLACE)",
         syscall(SYS_renameat2, AT_FDCWD, "b", AT_FDCWD, "e/y", RENAME_NOREPLACE));
    show("renameat2(bad flags)", syscall(SYS_renameat2, AT_FDCWD, "e/y", AT_FDCWD, "c", 8));
    show("rename(e, d) over an empty dir", rename("e", "d"));
    printf("d/x and d/y there: %s\n", !access("d/x", F_OK) && !access("d/y", F_OK) ? "yes" : "no");
    link("d/x", "d/h");
    show("rename(d/x, d/h) two names of one file", rename("d/x", "d/h"));
    printf("both names kept: %s\n", !access("d/x", F_OK) && !access("d/h", F_OK) ? "yes" : "no");
    unlink("d/x");
    unlink("d/h");
    unlink("d/y");
    rmdir("d");
    put("g", "G");
    mkdir("dd", 0755);
    if (chdir("dd"))
        perror("chdir dd");
    rmdir("../dd");
    show("rename(../g, g) into a removed cwd", rename("../g", "g"));
    if (chdir(WORK_DIR))
        perror("chdir");
    unlink("g");
}

static void syncs(void)
{
    int fd = open("f", O_RDONLY), p[2];
    struct statfs fs;
    char raw[STATFS64_SIZE];

    if (pipe(p))
        perror("pipe");
    show("fsync(file)", fsync(fd));
    show("fdatasync(file)", fdatasync(fd));
    show("fsync(pipe)", fsync(p[0]));
    show("fsync(bad fd)", fsync(99));
    sync();
    printf("sync returned\n");
    show("syncfs(file)", syscall(SYS_syncfs, fd));
    show("syncfs(bad fd)", syscall(SYS_syncfs, 99));
    show("statfs(.)", statfs(".", &fs));
    printf("f_namelen %ld, f_bsize %ld\n", (long)fs.f_namelen, (long)fs.f_bsize);
    show("statfs64(., 80 bytes)", syscall(SYS_statfs64, ".", STATFS64_SIZE - 4, raw));
    show("fstatfs64(fd, 84 bytes)", syscall(SYS_fstatfs64, fd, STATFS64_SIZE, raw));
    show("statfs(missing)", statfs("missing", &fs));
    close(fd);
    close(p[0]);
    close(p[1]);
}

int main(void)
{
    umask(022);
    mkdir("/tmp", 01777);
    mkdir(WORK_DIR, 0755);
    if (chdir(WORK_DIR)) {
        perror(WORK_DIR);
        return 1;
    }
    modes();
    owners();
    sizes();
    times();
    renames();
    syncs();
    unlink("f");
    unlink("b");
    chdir("/");
    show("rmdir(work dir)", rmdir(WORK_DIR));
    return 0;
}
