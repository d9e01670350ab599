/*
 * test-glibc-sys: what an ordinary glibc program asks of the kernel beyond
 * processes and signals, compared with Linux: stdio on files, directories
 * read with readdir, stat (glibc uses statx), clocks and sleeping (the
 * time64 calls), uname, ids, resource limits, prctl's name, getrandom and
 * sendfile. It prints relations, never times or ids.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/random.h>
#include <sys/resource.h>
#include <sys/sendfile.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

#define WORK_DIR "/tmp/relay-test-glibc-sys"
#define SLEEP_MS 100
#define NS_PER_MS 1000000LL

static const char *yes(int cond) { return cond ? "yes" : "no"; }

static void files(void)
{
    FILE *f = fopen(WORK_DIR "/notes", "w");
    char line[64] = "";
    struct stat st;

    fprintf(f, "first line\nsecond %d\n", 2);
    fclose(f);
    f = fopen(WORK_DIR "/notes", "r");
    fgets(line, sizeof(line), f);
    printf("fgets: %s", line);
    fgets(line, sizeof(line), f);
    printf("fgets: %s", line);
    printf("then end of file: %s\n", yes(!fgets(line, sizeof(line), f) && feof(f)));
    fclose(f);
    if (stat(WORK_DIR "/notes", &st))
        printf("stat: %s\n", strerror(errno));
    else
        printf("stat size: %d, a regular file: %s\n", (int)st.st_size, yes(S_ISREG(st.st_mode)));
    printf("fopen(missing): %s\n", fopen(WORK_DIR "/missing", "r") ? "opened" : strerror(errno));
}

static int by_name(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static void directory(void)
{
    DIR *d;
    struct dirent *e;
    char *names[16];
    int n = 0;

    mkdir(WORK_DIR "/sub", 0755);
    close(open(WORK_DIR "/sub/b", O_CREAT | O_WRONLY, 0644));
    close(open(WORK_DIR "/sub/a", O_CREAT | O_WRONLY, 0644));
    d = opendir(WORK_DIR "/sub");
    while ((e = readdir(d)) && n < 16)
        names[n++] = strdup(e->d_name);
    closedir(d);
    qsort(names, n, sizeof(names[0]), by_name);
    printf("readdir:");
    for (int i = 0; i < n; i++)
        printf(" %s", names[i]);
    printf("\n");
    unlink(WORK_DIR "/sub/a");
    unlink(WORK_DIR "/sub/b");
    rmdir(WORK_DIR "/sub");
}

static long long ns_of(const struct timespec *t) { return t->tv_sec * 1000000000LL + t->tv_nsec; }

static void clocks(void)
{
    struct timespec a, b, res, sleep = {0, SLEEP_MS * NS_PER_MS};
    long long slept;
    time_t now = time(NULL);

    clock_gettime(CLOCK_MONOTONIC, &a);
    nanosleep(&sleep, NULL);
    clock_gettime(CLOCK_MONOTONIC, &b);
    slept = ns_of(&b) - ns_of(&a);
    printf("nanosleep(100 ms) slept at least 100 ms: %s, less than 2 s: %s\n",
           yes(slept >= SLEEP_MS * NS_PER_MS), yes(slept < 2000 * NS_PER_MS));
    clock_gettime(CLOCK_REALTIME, &a);
    printf("CLOCK_REALTIME within a second of time(): %s\n", yes(llabs(a.tv_sec - now) <= 1));
    printf("2020 or later: %s\n", yes(now >= 1577836800));
    printf("clock_getres(CLOCK_MONOTONIC) ok: %s\n", yes(!clock_getres(CLOCK_MONOTONIC, &res)));
    printf("clock_gettime(99): %s\n", clock_gettime(99, &a) ? strerror(errno) : "ok");
    printf("usleep(1000) = %d\n", usleep(1000));
}

static void identity(void)
{
    struct utsname u;
    struct rlimit rl;
    char name[16] = "";
    unsigned char random[16];

    uname(&u);
    printf("uname sysname: %s\n", u.sysname);
    printf("getuid() == geteuid(): %s, getgid() == getegid(): %s\n", yes(getuid() == geteuid()),
           yes(getgid() == getegid()));
    printf("setuid(getuid()) = %d\n", setuid(getuid()));
    printf("getrlimit(RLIMIT_NOFILE) = %d\n", getrlimit(RLIMIT_NOFILE, &rl));
    rl.rlim_cur = 10;
    printf("setrlimit(RLIMIT_NOFILE, 10) = %d\n", setrlimit(RLIMIT_NOFILE, &rl));
    printf("dup2(0, 10): %s\n", dup2(0, 10) < 0 ? strerror(errno) : "ok");
    printf("getrlimit(99): %s\n", getrlimit(99, &rl) ? strerror(errno) : "ok");
    prctl(PR_SET_NAME, "renamed-process-name");
    prctl(PR_GET_NAME, name);
    printf("prctl name: %s\n", name);
    printf("getrandom(16) = %zd\n", getrandom(random, sizeof(random), 0));
    printf("getrandom(bad flags): %s\n", getrandom(random, 1, 0x100) < 0 ? strerror(errno) : "ok");
}

static void send_file(void)
{
    int fd = open(WORK_DIR "/notes", O_RDONLY), p[2];
    char buf[64] = "";
    off_t off = 6;

    pipe(p);
    printf("sendfile(file to pipe, from offset 6, 4 bytes) = %zd\n", sendfile(p[1], fd, &off, 4));
    printf("offset now %ld, read back: %.*s\n", (long)off, (int)read(p[0], buf, sizeof(buf)), buf);
    printf("sendfile(from a pipe): %s\n", sendfile(p[1], p[0], NULL, 1) < 0 ? strerror(errno) : "ok");
    close(fd);
    close(p[0]);
    close(p[1]);
}

int main(void)
{
    mkdir("/tmp", 01777);
    mkdir(WORK_DIR, 0755);
    files();
    directory();
    clocks();
    identity();
    send_file();
    unlink(WORK_DIR "/notes");
    printf("rmdir: %d\n", rmdir(WORK_DIR));
    return 0;
}
