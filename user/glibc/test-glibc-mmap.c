/*
 * test-glibc-mmap: memory mappings as Linux makes them. Every kind (private
 * and shared anonymous, private and shared file), sharing across fork, MAP_FIXED and
 * MAP_FIXED_NOREPLACE, hints, mprotect and the faults it leads to (si_code
 * and si_addr printed as an offset from the mapping's base), madvise,
 * msync, mremap, the errors of each, and glibc's malloc of 10 MiB (which
 * mmaps). Nothing printed depends on where the mappings land.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#define PAGE 4096
#define FILE_PATH "/tmp/relay-test-mmap"
#define FILE_BYTES 5000 /* one page and a bit: the second page is partly the file's */
#define BIG (10u << 20)
#define BIGGER (16u << 20)
#define ANON (MAP_PRIVATE | MAP_ANONYMOUS)
#define RW (PROT_READ | PROT_WRITE)

static sigjmp_buf recover;
static volatile int fault_sig, fault_code;
static volatile uintptr_t fault_addr;

static const char *yes(int cond) { return cond ? "yes" : "no"; }

static void show(const char *what, long r)
{
    if (r == -1)
        printf("%s = -1 %s\n", what, strerrorname_np(errno));
    else
        printf("%s = %ld\n", what, r);
}

static void show_map(const char *what, void *r)
{
    if (r == MAP_FAILED)
        printf("%s = MAP_FAILED %s\n", what, strerrorname_np(errno));
    else
        printf("%s = a mapping\n", what);
}

static void on_fault(int sig, siginfo_t *si, void *ctx)
{
    (void)ctx;
    fault_sig = sig;
    fault_code = si->si_code;
    fault_addr = (uintptr_t)si->si_addr;
    siglongjmp(recover, 1);
}

static const char *code_name(int sig, int code)
{
    if (sig == SIGSEGV)
        return code == SEGV_MAPERR ? "SEGV_MAPERR" : code == SEGV_ACCERR ? "SEGV_ACCERR" : "?";
    if (sig == SIGBUS)
        return code == BUS_ADRERR ? "BUS_ADRERR" : "?";
    return "?";
}

/* Touches p (a write when write is set) and says what happened, with the
 * fault's address as an offset from base. */
static void touch(const char *what, volatile char *p, int write, char *base)
{
    fault_sig = 0;
    if (!sigsetjmp(recover, 1)) {
        if (write)
            *p = 'w';
        else
            (void)*p;
        printf("%s: no fault\n", what);
        return;
    }
    printf("%s: %s %s at base + %ld\n", what, fault_sig == SIGSEGV ? "SIGSEGV" : "SIGBUS",
           code_name(fault_sig, fault_code), (long)(fault_addr - (uintptr_t)base));
}

static void kinds(void)
{
    char *a = mmap(NULL, 3 * PAGE, RW, ANON, -1, 0);
    char *s = mmap(NULL, 2 * PAGE, RW, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    char *p = mmap(NULL, 2 * PAGE, RW, ANON, -1, 0);
    int status;

    printf("private anonymous zeroed: %s\n", yes(a != MAP_FAILED && !a[0] && !a[3 * PAGE - 1]));
    strcpy(a + PAGE, "private");
    printf("written and read back: %s\n", yes(!strcmp(a + PAGE, "private")));
    strcpy(s, "before fork");
    strcpy(p, "before fork");
    if (fork() == 0) {
        strcpy(s + PAGE, "from the child");
        strcpy(s, "changed by the child");
        strcpy(p, "changed by the child");
        _exit(0);
    }
    wait(&status);
    printf("shared page after the child wrote: \"%s\" / \"%s\"\n", s, s + PAGE);
    printf("private page after the child wrote: \"%s\"\n", p);
    munmap(a, 3 * PAGE);
    munmap(s, 2 * PAGE);
    munmap(p, 2 * PAGE);
}

static int make_file(void)
{
    int fd = open(FILE_PATH, O_RDWR | O_CREAT | O_TRUNC, 0644);

    for (int i = 0; i < FILE_BYTES; i++) {
        char c = (char)('a' + i % 26);
        write(fd, &c, 1);
    }
    return fd;
}

static void file_mappings(void)
{
    int fd = make_file(), ok = 1, zeros = 1;
    int wfd = open(FILE_PATH, O_WRONLY), dfd = open("/tmp", O_RDONLY), pfd[2];
    char *f = mmap(NULL, 3 * PAGE, PROT_READ, MAP_PRIVATE, fd, 0), *g, buf[8] = "";

    for (int i = 0; i < FILE_BYTES; i++)
        ok &= f[i] == (char)('a' + i % 26);
    for (int i = FILE_BYTES; i < 2 * PAGE; i++)
        zeros &= f[i] == 0;
    printf("file bytes mapped: %s; the rest of the last page zero: %s\n", yes(ok), yes(zeros));
    touch("read past the file's last page", f + 2 * PAGE + 8, 0, f);
    touch("write to a PROT_READ file mapping", f + 8, 1, f);
    g = mmap(NULL, PAGE, RW, MAP_PRIVATE, fd, PAGE);
    printf("offset one page: starts with '%c'\n", g[0]);
    g[0] = '#';
    pread(fd, buf, 1, PAGE);
    printf("a private write stays private: file has '%c', mapping '%c'\n", buf[0], g[0]);
    munmap(f, 3 * PAGE);
    munmap(g, PAGE);
    show_map("mmap of a write-only file", mmap(NULL, PAGE, PROT_READ, MAP_PRIVATE, wfd, 0));
    show_map("mmap of a directory", mmap(NULL, PAGE, PROT_READ, MAP_PRIVATE, dfd, 0));
    pipe(pfd);
    show_map("mmap of a pipe", mmap(NULL, PAGE, PROT_READ, MAP_PRIVATE, pfd[0], 0));
    show_map("mmap of a closed fd", mmap(NULL, PAGE, PROT_READ, MAP_PRIVATE, 99, 0));
    close(pfd[0]);
    close(pfd[1]);
    close(dfd);
    close(wfd);
    close(fd);
    unlink(FILE_PATH);
}

static char read_byte(int fd, off_t at)
{
    char c = '?';
    pread(fd, &c, 1, at);
    return c;
}

static void shared_file(void)
{
    int fd = make_file(), rfd = open(FILE_PATH, O_RDONLY), status;
    char *m = mmap(NULL, 3 * PAGE, RW, MAP_SHARED, fd, 0), *r;

    printf("shared file mapping: the file's bytes: %s\n", yes(m[0] == 'a' && m[PAGE] == 'o'));
    m[0] = 'Z';
    printf("a write through it is in the file: %s\n", yes(read_byte(fd, 0) == 'Z'));
    pwrite(fd, "Y", 1, 10);
    printf("a write to the file is in it: %s\n", yes(m[10] == 'Y'));
    if (fork() == 0) {
        m[20] = 'C';
        _exit(0);
    }
    wait(&status);
    printf("a forked child's write is in the file: %s\n", yes(read_byte(fd, 20) == 'C'));
    printf("past the end of the file, in its last page: zero: %s\n", yes(m[FILE_BYTES] == 0));
    touch("read past the file's last page", m + 2 * PAGE + 8, 0, m);
    show("msync(MS_SYNC) of it", msync(m, 2 * PAGE, MS_SYNC));
    r = mmap(NULL, PAGE, PROT_READ, MAP_SHARED, rfd, 0);
    show_map("shared, read-only, of a file open read-only", r);
    show("mprotect(PROT_WRITE) of that", mprotect(r, PAGE, RW));
    show_map("shared, writable, of a file open read-only",
             mmap(NULL, PAGE, RW, MAP_SHARED, rfd, 0));
    munmap(m, 3 * PAGE);
    munmap(r, PAGE);
    close(rfd);
    close(fd);
    unlink(FILE_PATH);
}

static void fixed(void)
{
    char *a = mmap(NULL, 8 * PAGE, RW, ANON, -1, 0), *r;

    memset(a, 'x', 4 * PAGE);
    munmap(a + 4 * PAGE, 4 * PAGE);
    r = mmap(a + PAGE, PAGE, RW, ANON | MAP_FIXED, -1, 0);
    printf("MAP_FIXED at the address: %s; replaced page zero: %s; neighbours kept: %s\n",
           yes(r == a + PAGE), yes(!a[PAGE]), yes(a[0] == 'x' && a[2 * PAGE] == 'x'));
    show_map("MAP_FIXED_NOREPLACE over a mapping",
             mmap(a + 3 * PAGE, 2 * PAGE, RW, ANON | MAP_FIXED_NOREPLACE, -1, 0));
    r = mmap(a + 4 * PAGE, PAGE, RW, ANON | MAP_FIXED_NOREPLACE, -1, 0);
    printf("MAP_FIXED_NOREPLACE on free pages: %s\n", yes(r == a + 4 * PAGE));
    munmap(a, 8 * PAGE);
    r = mmap(a + 2 * PAGE, PAGE, RW, ANON, -1, 0);
    printf("a free hint is taken: %s\n", yes(r == a + 2 * PAGE));
    munmap(r, PAGE);
    r = mmap(a + 2 * PAGE + 100, PAGE, RW, ANON, -1, 0);
    printf("an unaligned hint is rounded down: %s\n", yes(r == a + 2 * PAGE));
    munmap(r, PAGE);
}

static void protection(void)
{
    char *a = mmap(NULL, 4 * PAGE, RW, ANON, -1, 0);
    int fds[2];

    memset(a, 'm', 4 * PAGE);
    pipe(fds);
    write(fds[1], "x", 1);
    show("mprotect(page 1, PROT_READ)", mprotect(a + PAGE, PAGE, PROT_READ));
    touch("write to the read-only page", a + PAGE + 8, 1, a);
    touch("read the read-only page", a + PAGE + 8, 0, a);
    touch("write its neighbour", a + 2 * PAGE, 1, a);
    show("mprotect(page 2, PROT_NONE)", mprotect(a + 2 * PAGE, PAGE, PROT_NONE));
    touch("read the PROT_NONE page", a + 2 * PAGE + 16, 0, a);
    show("read(2) into the PROT_NONE page", read(fds[0], a + 2 * PAGE, 1));
    show("write(2) from the PROT_NONE page", write(1, a + 2 * PAGE, 1));
    show("mprotect(pages 1-2, RW)", mprotect(a + PAGE, 2 * PAGE, RW));
    printf("the bytes survived PROT_NONE: %s\n", yes(a[2 * PAGE + 16] == 'm'));
    touch("write it again", a + 2 * PAGE + 16, 1, a);
    show("munmap(page 3)", munmap(a + 3 * PAGE, PAGE));
    touch("read the unmapped page", a + 3 * PAGE + 4, 0, a);
    show("mprotect(unaligned)", mprotect(a + 1, PAGE, PROT_READ));
    show("mprotect(unknown bit)", mprotect(a, PAGE, 0x10));
    show("mprotect(PROT_GROWSDOWN)", mprotect(a, PAGE, PROT_READ | PROT_GROWSDOWN));
    show("mprotect(over the hole)", mprotect(a, 4 * PAGE, PROT_READ));
    show("mprotect(length 0)", mprotect(a, 0, PROT_READ));
    munmap(a, 3 * PAGE);
    close(fds[0]);
    close(fds[1]);
}

static void advice(void)
{
    char *a = mmap(NULL, 2 * PAGE, RW, ANON, -1, 0);
    char *s = mmap(NULL, PAGE, RW, MAP_SHARED | MAP_ANONYMOUS, -1, 0);

    a[10] = 'q';
    s[10] = 'q';
    show("madvise(MADV_DONTNEED) private", madvise(a, PAGE, MADV_DONTNEED));
    printf("private page reads zero: %s\n", yes(a[10] == 0));
    show("madvise(MADV_DONTNEED) shared", madvise(s, PAGE, MADV_DONTNEED));
    printf("shared page keeps its bytes: %s\n", yes(s[10] == 'q'));
    show("madvise(MADV_WILLNEED)", madvise(a, 2 * PAGE, MADV_WILLNEED));
    show("madvise(MADV_SEQUENTIAL)", madvise(a, 2 * PAGE, MADV_SEQUENTIAL));
    show("madvise(MADV_FREE)", madvise(a, PAGE, MADV_FREE));
    show("madvise(MADV_REMOVE) private", madvise(a, PAGE, MADV_REMOVE));
    show("madvise(advice 999)", madvise(a, PAGE, 999));
    show("madvise(advice 6)", madvise(a, PAGE, 6));
    show("madvise(unaligned)", madvise(a + 1, PAGE, MADV_NORMAL));
    show("madvise(length 0)", madvise(a, 0, MADV_NORMAL));
    show("msync(MS_SYNC)", msync(a, 2 * PAGE, MS_SYNC));
    show("msync(MS_ASYNC | MS_INVALIDATE)", msync(a, PAGE, MS_ASYNC | MS_INVALIDATE));
    show("msync(MS_SYNC | MS_ASYNC)", msync(a, PAGE, MS_SYNC | MS_ASYNC));
    show("msync(unknown flag)", msync(a, PAGE, 8));
    show("msync(unaligned)", msync(a + 1, PAGE, MS_SYNC));
    show("msync(length 0)", msync(a, 0, MS_SYNC));
    munmap(a, 2 * PAGE);
    munmap(s, PAGE);
    show("madvise(unmapped)", madvise(a, PAGE, MADV_NORMAL));
    show("msync(unmapped)", msync(a, PAGE, MS_SYNC));
}

static void errors(void)
{
    char *a = mmap(NULL, PAGE, RW, ANON, -1, 0);

    show_map("mmap(length 0)", mmap(NULL, 0, RW, ANON, -1, 0));
    show_map("mmap(no MAP_PRIVATE or MAP_SHARED)", mmap(NULL, PAGE, RW, MAP_ANONYMOUS, -1, 0));
    show_map("mmap(3.9 GiB)", mmap(NULL, 0xFFF00000u, RW, ANON, -1, 0));
    show_map("mmap(MAP_FIXED, unaligned)", mmap(a + 1, PAGE, RW, ANON | MAP_FIXED, -1, 0));
    show_map("mmap(no fd, no MAP_ANONYMOUS)", mmap(NULL, PAGE, RW, MAP_PRIVATE, -1, 0));
    show_map("mmap(MAP_NORESERVE | MAP_POPULATE)",
             mmap(NULL, PAGE, RW, ANON | MAP_NORESERVE | MAP_POPULATE, -1, 0));
    show_map("mmap(MAP_GROWSDOWN)", mmap(NULL, PAGE, RW, ANON | MAP_GROWSDOWN, -1, 0));
    show("munmap(unaligned)", munmap(a + 1, PAGE));
    show("munmap(length 0)", munmap(a, 0));
    show("munmap(twice)", munmap(a, PAGE) + munmap(a, PAGE));
}

static void remap(void)
{
    char *a = mmap(NULL, 2 * PAGE, RW, ANON, -1, 0), *b;
    char *s = mmap(NULL, 2 * PAGE, RW, ANON, -1, 0); /* its second page stays private: */
    int status;

    s = mmap(s, PAGE, RW, MAP_SHARED | MAP_ANONYMOUS | MAP_FIXED, -1, 0); /* s cannot grow */
    strcpy(a + PAGE, "kept");
    b = mremap(a, 2 * PAGE, 64 * PAGE, MREMAP_MAYMOVE);
    printf("mremap grown to 64 pages: contents kept: %s; new pages zero: %s\n",
           yes(b != MAP_FAILED && !strcmp(b + PAGE, "kept")), yes(!b[63 * PAGE]));
    b = mremap(b, 64 * PAGE, PAGE, 0);
    printf("mremap shrunk in place: %s\n", yes(b != MAP_FAILED));
    show("mremap(not mapped)", (long)mremap(b + 8 * PAGE, PAGE, 2 * PAGE, MREMAP_MAYMOVE));
    munmap(b, PAGE);
    strcpy(s, "shared");
    s = mremap(s, PAGE, 2 * PAGE, MREMAP_MAYMOVE);
    if (fork() == 0) {
        strcpy(s, "moved, still shared");
        _exit(0);
    }
    wait(&status);
    printf("a moved shared mapping: \"%s\"\n", s);
    touch("the page mremap added to it", s + PAGE, 0, s);
}

static void big_malloc(void)
{
    char *m = malloc(BIG);
    int ok = 1;

    for (unsigned i = 0; i < BIG; i += PAGE)
        m[i] = (char)(i / PAGE);
    m = realloc(m, BIGGER);
    for (unsigned i = 0; i < BIG; i += PAGE)
        ok &= m[i] == (char)(i / PAGE);
    m[BIGGER - 1] = 1;
    printf("malloc(10 MiB) written, realloc'd to 16 MiB, read back: %s\n", yes(m && ok));
    free(m);
}

int main(void)
{
    struct sigaction sa = {.sa_sigaction = on_fault, .sa_flags = SA_SIGINFO};

    setvbuf(stdout, NULL, _IONBF, 0);
    sigaction(SIGSEGV, &sa, NULL);
    sigaction(SIGBUS, &sa, NULL);
    kinds();
    file_mappings();
    shared_file();
    fixed();
    protection();
    advice();
    errors();
    remap();
    big_malloc();
    return 0;
}
