/* test-files: files, directories, links and descriptors, compared with Linux. Works in a
 * directory of its own under /tmp, which it makes and removes. */
#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "check.h"

#define WORK_DIR "/tmp/relay-test-files"
#define NAME_TOO_LONG 300

static char buf[256];

static void show_read(const char *what, int fd, size_t n)
{
    ssize_t got = read(fd, buf, n);

    if (got < 0) {
        show(what, got);
        return;
    }
    buf[got] = '\0';
    printf("%s = %d \"%s\"\n", what, (int)got, buf);
}

static const char *type_of(unsigned mode)
{
    return S_ISREG(mode) ? "regular" : S_ISDIR(mode) ? "directory" : S_ISLNK(mode) ? "symlink"
         : S_ISCHR(mode) ? "char device" : S_ISFIFO(mode) ? "fifo" : "other";
}

static void show_stat(const char *path, int follow)
{
    struct stat st;
    int r = follow ? stat(path, &st) : lstat(path, &st);

    if (r < 0) {
        printf("%s(%s) = -1 %s\n", follow ? "stat" : "lstat", path, errno_name(errno));
        return;
    }
    /* A directory's size and link count are the file system's own business. */
    if (S_ISDIR(st.st_mode))
        printf("%s(%s): %s, mode %04o\n", follow ? "stat" : "lstat", path, type_of(st.st_mode),
               st.st_mode & 07777);
    else
        printf("%s(%s): %s, mode %04o, size %lld, nlink %u\n", follow ? "stat" : "lstat", path,
               type_of(st.st_mode), st.st_mode & 07777, st.st_size, st.st_nlink);
}

static void files_and_offsets(void)
{
    int fd = open("f", O_CREAT | O_EXCL | O_RDWR, 0644), fd2;

    show("write(f, hello)", write(fd, "hello", 5));
    show("open(f, O_CREAT|O_EXCL) again", open("f", O_CREAT | O_EXCL | O_RDWR, 0644));
    show("lseek(f, 1, SEEK_SET)", lseek(fd, 1, SEEK_SET));
    show_read("read(f, 3)", fd, 3);
    fd2 = dup(fd);
    show_read("read(dup of f, 10): the offset is shared", fd2, 10);
    show("lseek(f, 0, SEEK_CUR)", lseek(fd, 0, SEEK_CUR));
    show("lseek(f, 10, SEEK_END)", lseek(fd, 10, SEEK_END));
    show("write past the end", write(fd, "!", 1));
    show_stat("f", 1);
    close(fd2);
    close(fd);
    fd = open("f", O_WRONLY | O_APPEND);
    show("write(O_APPEND)", write(fd, "+", 1));
    show("lseek(O_APPEND file, 0, SEEK_CUR)", lseek(fd, 0, SEEK_CUR));
    show("read(O_WRONLY fd)", read(fd, buf, 1));
    close(fd);
    fd = open("f", O_RDWR | O_TRUNC);
    show_stat("f", 1);
    show("lseek(fd, -1, SEEK_SET)", lseek(fd, -1, SEEK_SET));
    show("lseek(fd, 0, 7)", lseek(fd, 0, 7));
    close(fd);
}

static void descriptors(void)
{
    int fd = open("f", O_RDONLY), fds[2];

    show("fcntl(F_GETFD)", fcntl(fd, F_GETFD));
    show("fcntl(F_SETFD, FD_CLOEXEC)", fcntl(fd, F_SETFD, FD_CLOEXEC));
    show("fcntl(F_GETFD)", fcntl(fd, F_GETFD));
    show("fcntl(F_GETFL) & O_ACCMODE", fcntl(fd, F_GETFL) & O_ACCMODE);
    show("fcntl(F_SETFL, O_NONBLOCK)", fcntl(fd, F_SETFL, O_NONBLOCK));
    printf("O_NONBLOCK set: %s\n", yes(fcntl(fd, F_GETFL) & O_NONBLOCK));
    printf("F_DUPFD 20 gives 20: %s\n", yes(fcntl(fd, F_DUPFD, 20) == 20));
    printf("F_DUPFD 20 again gives 21: %s\n", yes(fcntl(fd, F_DUPFD, 20) == 21));
    show("dup2(fd, 30)", dup2(fd, 30) == 30 ? 30 : -1);
    show("dup2(30, 30)", dup2(30, 30));
    show("dup3(30, 30, 0)", dup3(30, 30, 0));
    show("dup2(99, 31)", dup2(99, 31));
    show("close(31)", close(31));
    show("close(-1)", close(-1));
    show("fcntl(fd, 12345)", fcntl(fd, 12345));
    show("lseek on a pipe", (pipe(fds), lseek(fds[0], 0, SEEK_SET)));
    close(fds[0]);
    close(fds[1]);
    close(20), close(21), close(30), close(fd);
}

static void directories(void)
{
    static char long_name[NAME_TOO_LONG + 1];
    int fd;

    show("mkdir(d)", mkdir("d", 0755));
    show("mkdir(d) again", mkdir("d", 0755));
    show("mkdir(f/x)", mkdir("f/x", 0755));
    show("mkdir(none/x)", mkdir("none/x", 0755));
    fd = open("d/inner", O_CREAT | O_WRONLY, 0600);
    close(fd);
    show_stat("d", 1);
    show_stat("d/inner", 1);
    show("rmdir(d): not empty", rmdir("d"));
    show("unlink(d)", unlink("d"));
    show("rmdir(f)", rmdir("f"));
    show("rmdir(d/.)", rmdir("d/."));
    show("open(d, O_WRONLY)", open("d", O_WRONLY));
    show("open(f, O_DIRECTORY)", open("f", O_RDONLY | O_DIRECTORY));
    show("open(f/, O_RDONLY)", open("f/", O_RDONLY));
    show("open(missing)", open("missing", O_RDONLY));
    memset(long_name, 'n', NAME_TOO_LONG);
    show("open(a 300-byte name)", open(long_name, O_RDONLY));
    show("open(bad pointer)", open((const char *)16, O_RDONLY));
    show("unlink(d/inner)", unlink("d/inner"));
    show("rmdir(d)", rmdir("d"));
}

static void links(void)
{
    int fd;

    show("symlink(f, s)", symlink("f", "s"));
    show("readlink(s)", readlink("s", buf, sizeof(buf)));
    show("readlink(f)", readlink("f", buf, sizeof(buf)));
    show_stat("s", 1);
    show_stat("s", 0);
    show("symlink(loop2, loop1)", symlink("loop2", "loop1"));
    show("symlink(loop1, loop2)", symlink("loop1", "loop2"));
    show("open(loop1)", open("loop1", O_RDONLY));
    show("open(s, O_NOFOLLOW)", open("s", O_RDONLY | O_NOFOLLOW));
    show("link(f, h)", link("f", "h"));
    show_stat("f", 1);
    show("link(f, h) again", link("f", "h"));
    fd = open("h", O_RDWR);
    write(fd, "kept", 4);
    show("unlink(f)", unlink("f"));
    show("unlink(h)", unlink("h"));
    show("lseek(unlinked, 0, SEEK_SET)", lseek(fd, 0, SEEK_SET));
    show_read("read(unlinked but open)", fd, 10);
    close(fd);
    show_stat("s", 1); /* dangling now */
    unlink("s"), unlink("loop1"), unlink("loop2");
}

static void working_directory(void)
{
    show("mkdir(sub)", mkdir("sub", 0700));
    show("chdir(sub)", chdir("sub"));
    printf("getcwd ends in /relay-test-files/sub: %s\n",
           yes(getcwd(buf, sizeof(buf)) && !strcmp(buf + strlen(buf) - 21, "/relay-test-files/sub")));
    show("getcwd(buf, 3)", getcwd(buf, 3) ? 0 : -1);
    show("chdir(..)", chdir(".."));
    show("chdir(missing)", chdir("missing"));
    show("access(sub, X_OK)", access("sub", X_OK));
    show("rmdir(sub)", rmdir("sub"));
    printf("umask(077) returns the old mask, 022: %s\n", yes(umask(077) == 022));
    close(open("masked", O_CREAT | O_WRONLY, 0666));
    show_stat("masked", 1);
    unlink("masked");
    umask(022);
}

int main(void)
{
    umask(022);
    mkdir("/tmp", 01777); /* Relay's root may not have it */
    rmdir(WORK_DIR);
    show("mkdir(" WORK_DIR ")", mkdir(WORK_DIR, 0755));
    show("chdir(" WORK_DIR ")", chdir(WORK_DIR));
    files_and_offsets();
    descriptors();
    directories();
    links();
    working_directory();
    unlink("f");
    chdir("/");
    show("rmdir(" WORK_DIR ")", rmdir(WORK_DIR));
    return 0;
}
