/*
 * test-glibc-perms: file permissions as Linux checks them, once a process
 * is not root: the owner's, group's or others' bits (the first class that
 * matches decides, even when a later one would allow more); search
 * permission on every directory of a path; write and search permission to
 * make or remove a name, and the sticky bit; the x bit to run a program;
 * access() with the real ids; chmod, chown and utimensat for owners only.
 * Root reads and writes anything, but runs only what has an x bit.
 * The test runs as root on both sides and drops privilege in children.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#define WORK_DIR  "/tmp/relay-test-glibc-perms"
#define USER_A    1000
#define GROUP_A   1000
#define GROUP_B   2000
#define EXEC_CODE 7

static void show(const char *what, long r)
{
    printf("%s = %ld%s%s\n", what, r, r < 0 ? " " : "", r < 0 ? strerror(errno) : "");
}

/* open's answer, the descriptor closed again. */
static void show_open(const char *what, const char *path, int flags)
{
    int fd = open(path, flags, 0644);

    show(what, fd < 0 ? -1 : 0);
    if (fd >= 0)
        close(fd);
}

/* A file with these owner and mode, as root. */
static void make_file(const char *path, mode_t mode, uid_t uid, gid_t gid)
{
    int fd = open(path, O_CREAT | O_TRUNC | O_WRONLY, 0600);

    write(fd, "data\n", 5);
    close(fd);
    chown(path, uid, gid);
    chmod(path, mode);
}

static void make_dir(const char *path, mode_t mode, uid_t uid, gid_t gid)
{
    mkdir(path, 0700);
    chown(path, uid, gid);
    chmod(path, mode);
}

/* Runs step in a child that becomes USER_A, in GROUP_A and the given
 * supplementary group (0: none). */
static void as_user(const char *title, gid_t extra, void (*step)(void))
{
    pid_t pid;
    int status;

    printf("-- %s\n", title);
    fflush(stdout);
    pid = fork();
    if (pid == 0) {
        setgroups(extra ? 1 : 0, &extra);
        setgid(GROUP_A);
        setuid(USER_A);
        step();
        fflush(stdout);
        _exit(0);
    }
    waitpid(pid, &status, 0);
}

static void classes(void)
{
    show_open("read a root file 0600", WORK_DIR "/secret", O_RDONLY);
    show_open("read a root file 0644", WORK_DIR "/public", O_RDONLY);
    show_open("write a root file 0644", WORK_DIR "/public", O_WRONLY);
    show_open("O_TRUNC alone asks for write", WORK_DIR "/public", O_RDONLY | O_TRUNC);
    show_open("write a root file 0666", WORK_DIR "/open", O_RDWR);
    show_open("group B file 0640, not in B", WORK_DIR "/group-b", O_RDONLY);
    show_open("own file 0070: the owner's bits decide", WORK_DIR "/own-070", O_RDONLY);
    show_open("new file in a 0755 root dir", WORK_DIR "/closed/new", O_CREAT | O_WRONLY);
    show_open("new file in its own dir, mode 0444, O_RDWR", WORK_DIR "/mine/new", O_CREAT | O_RDWR);
    show_open("that file again", WORK_DIR "/mine/new", O_RDWR);
    show("truncate a root file 0644", truncate(WORK_DIR "/public", 1));
    show("truncate a root file 0666", truncate(WORK_DIR "/open", 5));
}

static void in_group_b(void)
{
    show_open("group B file 0640, in B", WORK_DIR "/group-b", O_RDONLY);
    show_open("group B file 0640, write", WORK_DIR "/group-b", O_WRONLY);
}

static void directories(void)
{
    struct stat st;

    show("stat through a dir without x (0766)", stat(WORK_DIR "/no-x/file", &st));
    show("stat of that dir itself", stat(WORK_DIR "/no-x", &st));
    show_open("list a dir without r (0711)", WORK_DIR "/no-r", O_RDONLY | O_DIRECTORY);
    show_open("a known name in it", WORK_DIR "/no-r/file", O_RDONLY);
    show("chdir into a 0700 root dir", chdir(WORK_DIR "/closed-700"));
    show("mkdir in a 0755 root dir", mkdir(WORK_DIR "/closed/d", 0755));
    show("unlink in a 0755 root dir", unlink(WORK_DIR "/closed/file"));
    show("rename out of it", rename(WORK_DIR "/closed/file", WORK_DIR "/mine/file"));
    show("symlink in it", symlink("x", WORK_DIR "/closed/link"));
    show("link into it", link(WORK_DIR "/mine/new", WORK_DIR "/closed/new"));
    show("unlink root's file in a sticky dir", unlink(WORK_DIR "/sticky/roots"));
    show("rename root's file in a sticky dir",
         rename(WORK_DIR "/sticky/roots", WORK_DIR "/sticky/x"));
    show("unlink its own file in a sticky dir", unlink(WORK_DIR "/sticky/users"));
    show("rmdir a root dir in its own dir", rmdir(WORK_DIR "/mine/roots-dir"));
}

static void running(void)
{
    char *const argv[] = {"copy", "exit", NULL};

    show("execve a root program 0700", execve(WORK_DIR "/prog-700", argv, NULL));
    show("execve a root program 0644", execve(WORK_DIR "/prog-644", argv, NULL));
}

static void attributes(void)
{
    struct timespec now[2] = {{0, UTIME_NOW}, {0, UTIME_NOW}};
    struct timespec given[2] = {{1000, 0}, {2000, 0}};
    struct timespec one_now[2] = {{0, UTIME_NOW}, {0, UTIME_OMIT}};
    struct stat st;

    show("chmod root's file", chmod(WORK_DIR "/open", 0600));
    show("chmod its own file", chmod(WORK_DIR "/mine/new", 0640));
    show("chmod g+s, file of group B, not in B", chmod(WORK_DIR "/mine/in-b", 02755));
    stat(WORK_DIR "/mine/in-b", &st);
    printf("mode %o\n", st.st_mode & 07777);
    show("chown its own file to root", chown(WORK_DIR "/mine/new", 0, -1));
    show("chown its own file to itself", chown(WORK_DIR "/mine/new", USER_A, -1));
    show("chgrp to group B (not in it)", chown(WORK_DIR "/mine/new", -1, GROUP_B));
    show("chgrp root's file to its group", chown(WORK_DIR "/open", -1, GROUP_A));
    show("touch root's 0666 file (now, now)", utimensat(AT_FDCWD, WORK_DIR "/open", now, 0));
    show("touch root's 0666 file (NULL)", utimensat(AT_FDCWD, WORK_DIR "/open", NULL, 0));
    show("set root's 0666 file's times", utimensat(AT_FDCWD, WORK_DIR "/open", given, 0));
    show("touch root's 0644 file", utimensat(AT_FDCWD, WORK_DIR "/public", NULL, 0));
    show("atime now, mtime left, 0644", utimensat(AT_FDCWD, WORK_DIR "/public", one_now, 0));
    show("set its own file's times", utimensat(AT_FDCWD, WORK_DIR "/mine/new", given, 0));
}

/* New files belong to the caller's fs ids; in a set-gid directory, to
 * its group, and a new directory there is set-gid too. */
static void new_owners(void)
{
    struct stat st;

    close(open(WORK_DIR "/mine/plain", O_CREAT | O_WRONLY, 0644));
    stat(WORK_DIR "/mine/plain", &st);
    printf("a new file: uid %u gid %u\n", st.st_uid, st.st_gid);
    close(open(WORK_DIR "/setgid/file", O_CREAT | O_WRONLY, 0644));
    stat(WORK_DIR "/setgid/file", &st);
    printf("in a set-gid dir: uid %u gid %u\n", st.st_uid, st.st_gid);
    mkdir(WORK_DIR "/setgid/dir", 0755);
    stat(WORK_DIR "/setgid/dir", &st);
    printf("a new dir there: gid %u mode %o\n", st.st_gid, st.st_mode & 07777);
}

/* access() answers for the real ids: a process running with a root
 * effective uid but a user's real one is told what its user may do. */
static void real_ids(void)
{
    pid_t pid = fork();
    int fd;

    if (pid > 0) {
        waitpid(pid, NULL, 0);
        return;
    }
    printf("-- access with the real ids\n");
    setgroups(0, NULL);
    setresuid(USER_A, 0, 0);
    show("access(root file 0600, R_OK)", access(WORK_DIR "/secret", R_OK));
    show("faccessat(AT_EACCESS)", faccessat(AT_FDCWD, WORK_DIR "/secret", R_OK, AT_EACCESS));
    fd = open(WORK_DIR "/secret", O_RDONLY);
    show("open it", fd < 0 ? -1 : 0);
    show("access(public, R_OK|W_OK)", access(WORK_DIR "/public", R_OK | W_OK));
    show("access(public, F_OK)", access(WORK_DIR "/public", F_OK));
    show("access(public, 8)", access(WORK_DIR "/public", 8));
    fflush(stdout);
    _exit(0);
}

static void as_root(void)
{
    char *const argv[] = {"copy", "exit", NULL};
    int status;
    pid_t pid;

    printf("-- root\n");
    show_open("read a 0000 file", WORK_DIR "/none", O_RDWR);
    show("access(0644 file, X_OK)", access(WORK_DIR "/public", X_OK));
    show("access(0700 dir, X_OK)", access(WORK_DIR "/closed-700", X_OK));
    show("access(0010 file, X_OK)", access(WORK_DIR "/group-x", X_OK));
    show("execve a 0644 program", execve(WORK_DIR "/prog-644", argv, NULL));
    fflush(stdout);
    pid = fork();
    if (pid == 0) {
        execve(WORK_DIR "/prog-700", argv, NULL);
        _exit(1);
    }
    waitpid(pid, &status, 0);
    printf("a 0700 program ran: %s\n", WEXITSTATUS(status) == EXEC_CODE ? "yes" : "no");
}

/* A copy of this program, to run with a mode of our choosing. */
static void copy_self(const char *path, mode_t mode)
{
    char buf[4096];
    int in = open("/proc/self/exe", O_RDONLY), out = open(path, O_CREAT | O_WRONLY, 0600);
    ssize_t n;

    while ((n = read(in, buf, sizeof(buf))) > 0)
        write(out, buf, n);
    close(in);
    close(out);
    chmod(path, mode);
}

static void set_up(void)
{
    umask(0);
    make_dir(WORK_DIR, 0755, 0, 0);
    make_file(WORK_DIR "/secret", 0600, 0, 0);
    make_file(WORK_DIR "/public", 0644, 0, 0);
    make_file(WORK_DIR "/open", 0666, 0, 0);
    make_file(WORK_DIR "/none", 0000, 0, 0);
    make_file(WORK_DIR "/group-x", 0010, 0, 0);
    make_file(WORK_DIR "/group-b", 0640, 0, GROUP_B);
    make_file(WORK_DIR "/own-070", 0070, USER_A, GROUP_A);
    make_dir(WORK_DIR "/closed", 0755, 0, 0);
    make_file(WORK_DIR "/closed/file", 0666, 0, 0);
    make_dir(WORK_DIR "/closed-700", 0700, 0, 0);
    make_dir(WORK_DIR "/no-x", 0766, 0, 0);
    make_file(WORK_DIR "/no-x/file", 0644, 0, 0);
    make_dir(WORK_DIR "/no-r", 0711, 0, 0);
    make_file(WORK_DIR "/no-r/file", 0644, 0, 0);
    make_dir(WORK_DIR "/sticky", 01777, 0, 0);
    make_file(WORK_DIR "/sticky/roots", 0666, 0, 0);
    make_file(WORK_DIR "/sticky/users", 0600, USER_A, GROUP_A);
    make_dir(WORK_DIR "/mine", 0755, USER_A, GROUP_A);
    make_dir(WORK_DIR "/mine/roots-dir", 0755, 0, 0);
    make_file(WORK_DIR "/mine/in-b", 0755, USER_A, GROUP_B);
    make_dir(WORK_DIR "/setgid", 02777, 0, GROUP_B);
    copy_self(WORK_DIR "/prog-700", 0700);
    copy_self(WORK_DIR "/prog-644", 0644);
}

static void clean_up(void)
{
    /* clang-format off */
    const char *files[] = {
        "secret", "public", "open", "none", "group-x", "group-b", "own-070", "closed/file",
        "closed/new", "no-x/file", "no-r/file", "sticky/roots", "sticky/x", "sticky/users",
        "mine/new", "mine/file", "mine/in-b", "mine/plain", "setgid/file", "prog-700",
        "prog-644",
    };
    const char *dirs[] = {
        "closed/d", "closed", "closed-700", "no-x", "no-r", "sticky", "mine/roots-dir", "mine",
        "setgid/dir", "setgid", "",
    };
    /* clang-format on */
    char path[128];

    for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
        snprintf(path, sizeof(path), "%s/%s", WORK_DIR, files[i]);
        unlink(path);
    }
    for (size_t i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++) {
        snprintf(path, sizeof(path), "%s/%s", WORK_DIR, dirs[i]);
        rmdir(path);
    }
}

int main(int argc, char **argv)
{
    if (argc > 1 && strcmp(argv[1], "exit") == 0)
        return EXEC_CODE; /* run as a copy */
    setvbuf(stdout, NULL, _IOLBF, 0);
    clean_up();
    set_up();
    as_user("the three classes", 0, classes);
    as_user("a supplementary group", GROUP_B, in_group_b);
    as_user("directories", 0, directories);
    as_user("running programs", 0, running);
    as_user("owners' rights", 0, attributes);
    as_user("owners of new files", 0, new_owners);
    real_ids();
    as_root();
    clean_up();
    return 0;
}
