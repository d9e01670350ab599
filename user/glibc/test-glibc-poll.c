/*
 * test-glibc-poll: waiting for descriptors and the memory and vector calls
 * BusyBox uses, compared with Linux: poll on pipe ends (data, POLLHUP,
 * POLLERR, POLLNVAL), select and its errors, ppoll and pselect6 with a
 * signal mask swapped in for the wait (a pending signal it unblocks runs
 * its handler and ends the wait with EINTR; the old mask is back after),
 * a poll cut short by a handler, anonymous mmap2 and munmap (zeroed pages,
 * a private copy across fork, MAP_FIXED), readv and writev, and vfork's
 * order (the parent waits until the child exits).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/select.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <unistd.h>

#define MAP_SIZE  65536
#define PAGE      4096
#define SHORT_MS  30
#define BIG_ALLOC (1 << 20) /* past glibc's mmap threshold */

static volatile sig_atomic_t handled;

static void on_signal(int sig) { handled = sig; }

static void show(const char *what, long r)
{
    if (r < 0)
        printf("%s = -1 %s\n", what, strerrorname_np(errno));
    else
        printf("%s = %ld\n", what, r);
}

static void poll_pipes(void)
{
    int p[2];
    struct pollfd fds[3];

    if (pipe(p))
        perror("pipe");
    fds[0] = (struct pollfd){p[0], POLLIN, 0};
    fds[1] = (struct pollfd){p[1], POLLOUT, 0};
    fds[2] = (struct pollfd){-1, POLLIN, 0};
    show("poll(empty pipe)", poll(fds, 3, 0));
    printf("revents read %#x write %#x ignored %#x\n", fds[0].revents, fds[1].revents,
           fds[2].revents);
    show("poll(empty pipe, 30 ms)", poll(fds, 1, SHORT_MS));
    if (write(p[1], "x", 1) != 1)
        perror("write");
    show("poll(after a write)", poll(fds, 2, -1));
    printf("revents read %#x write %#x\n", fds[0].revents, fds[1].revents);
    close(p[1]);
    fds[1].fd = 99;
    show("poll(writer closed, fd 99)", poll(fds, 2, 0));
    printf("revents read %#x bad %#x\n", fds[0].revents, fds[1].revents);
    close(p[0]);
    if (pipe(p))
        perror("pipe");
    close(p[0]);
    fds[0] = (struct pollfd){p[1], POLLOUT, 0};
    show("poll(reader closed)", poll(fds, 1, 0));
    printf("revents write %#x\n", fds[0].revents);
    close(p[1]);
}

/* The numbers glibc may not pick: _newselect with a timeval, and the
 * time64 forms of ppoll and pselect6, each on a pipe with data waiting. */
static void raw_forms(const int p[2])
{
    struct { long long sec, nsec; } ts64 = {0, SHORT_MS * 1000000};
    struct timeval tv = {0, SHORT_MS * 1000};
    struct pollfd fd = {p[0], POLLIN, 0};
    fd_set rd;

    FD_ZERO(&rd);
    FD_SET(p[0], &rd);
    show("_newselect(data)", syscall(SYS__newselect, p[0] + 1, &rd, NULL, NULL, &tv));
    printf("readable %s, time left: %s\n", FD_ISSET(p[0], &rd) ? "yes" : "no",
           tv.tv_usec > 0 ? "some" : "none");
    show("ppoll_time64(data)", syscall(SYS_ppoll_time64, &fd, 1, &ts64, NULL, 8));
    printf("revents %#x\n", fd.revents);
    show("pselect6_time64(data)", syscall(SYS_pselect6_time64, p[0] + 1, &rd, NULL, NULL, &ts64, NULL));
    ts64.nsec = -1;
    show("ppoll_time64(bad nsec)", syscall(SYS_ppoll_time64, &fd, 1, &ts64, NULL, 8));
}

static void select_pipes(void)
{
    int p[2];
    fd_set rd, wr;
    struct timeval tv = {0, SHORT_MS * 1000};

    if (pipe(p))
        perror("pipe");
    FD_ZERO(&rd);
    FD_ZERO(&wr);
    FD_SET(p[0], &rd);
    show("select(empty pipe, 30 ms)", select(p[0] + 1, &rd, NULL, NULL, &tv));
    printf("timeout used up: %s\n", tv.tv_sec == 0 && tv.tv_usec == 0 ? "yes" : "no");
    FD_SET(p[0], &rd);
    FD_SET(p[1], &wr);
    if (write(p[1], "xy", 2) != 2)
        perror("write");
    show("select(data, room)", select(p[1] + 1, &rd, &wr, NULL, NULL));
    printf("readable %s writable %s\n", FD_ISSET(p[0], &rd) ? "yes" : "no",
           FD_ISSET(p[1], &wr) ? "yes" : "no");
    FD_ZERO(&rd);
    FD_SET(20, &rd);
    show("select(closed fd 20)", select(21, &rd, NULL, NULL, NULL));
    show("select(nfds -1)", select(-1, NULL, NULL, NULL, NULL));
    raw_forms(p);
    close(p[0]);
    close(p[1]);
}

/* ppoll and pselect6 with SIGUSR1 pending but blocked: the wait's mask
 * unblocks it, the handler runs, the call fails with EINTR, and the
 * caller's mask (SIGUSR1 blocked) is back. */
static void masks(void)
{
    sigset_t block, during, now;
    int p[2];
    struct pollfd fd;
    struct timespec ts = {1, 0};
    fd_set rd;

    if (pipe(p))
        perror("pipe");
    fd = (struct pollfd){p[0], POLLIN, 0};
    signal(SIGUSR1, on_signal);
    sigemptyset(&block);
    sigaddset(&block, SIGUSR1);
    sigprocmask(SIG_BLOCK, &block, NULL);
    sigemptyset(&during);
    raise(SIGUSR1);
    show("ppoll(mask without SIGUSR1)", ppoll(&fd, 1, &ts, &during));
    sigprocmask(SIG_SETMASK, NULL, &now);
    printf("handler ran: %s; SIGUSR1 blocked again: %s\n", handled == SIGUSR1 ? "yes" : "no",
           sigismember(&now, SIGUSR1) ? "yes" : "no");
    handled = 0;
    raise(SIGUSR1);
    FD_ZERO(&rd);
    FD_SET(p[0], &rd);
    show("pselect(mask without SIGUSR1)", pselect(p[0] + 1, &rd, NULL, NULL, &ts, &during));
    sigprocmask(SIG_SETMASK, NULL, &now);
    printf("handler ran: %s; SIGUSR1 blocked again: %s\n", handled == SIGUSR1 ? "yes" : "no",
           sigismember(&now, SIGUSR1) ? "yes" : "no");
    handled = 0;
    raise(SIGUSR1);
    ts = (struct timespec){0, SHORT_MS * 1000000};
    show("ppoll(mask keeps SIGUSR1 blocked, 30 ms)", ppoll(&fd, 1, &ts, &block));
    printf("handler ran: %s\n", handled ? "yes" : "no");
    sigprocmask(SIG_UNBLOCK, &block, NULL);
    printf("after unblocking, handler ran: %s\n", handled == SIGUSR1 ? "yes" : "no");
    sigprocmask(SIG_BLOCK, &block, NULL);
    ts = (struct timespec){0, SHORT_MS * 1000000};
    show("ppoll(empty mask, nothing pending, 30 ms)", ppoll(&fd, 1, &ts, &during));
    sigprocmask(SIG_SETMASK, NULL, &now);
    printf("SIGUSR1 blocked again after a timeout: %s\n", sigismember(&now, SIGUSR1) ? "yes" : "no");
    sigprocmask(SIG_UNBLOCK, &block, NULL);
    show("ppoll(bad sigset size)", syscall(SYS_ppoll, &fd, 1, NULL, &during, 4));
    close(p[0]);
    close(p[1]);
}

static void poll_interrupted(void)
{
    int p[2];
    struct pollfd fd;
    struct sigaction sa = {.sa_handler = on_signal, .sa_flags = SA_RESTART};

    if (pipe(p))
        perror("pipe");
    fd = (struct pollfd){p[0], POLLIN, 0};
    sigaction(SIGALRM, &sa, NULL);
    handled = 0;
    ualarm(SHORT_MS * 1000, 0);
    show("poll(forever) with SA_RESTART alarm", poll(&fd, 1, -1));
    printf("handler ran: %s\n", handled == SIGALRM ? "yes" : "no");
    close(p[0]);
    close(p[1]);
}

static int all_zero(const unsigned char *m, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (m[i])
            return 0;
    return 1;
}

/* mremap and what glibc's realloc does with it: bytes kept, new pages zero. */
static void remapping(void)
{
    unsigned char *m = mmap(NULL, 2 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
                            -1, 0), *r;
    char *big = malloc(BIG_ALLOC);

    memset(m, 0x5a, 2 * PAGE);
    r = mremap(m, 2 * PAGE, 8 * PAGE, MREMAP_MAYMOVE);
    printf("mremap(grow): %s, bytes kept: %s, new pages zero: %s\n",
           r == MAP_FAILED ? "failed" : "done", r[0] == 0x5a && r[2 * PAGE - 1] == 0x5a ? "yes" : "no",
           all_zero(r + 2 * PAGE, 6 * PAGE) ? "yes" : "no");
    printf("mremap(shrink) in place: %s\n", mremap(r, 8 * PAGE, PAGE, 0) == r ? "yes" : "no");
    printf("mremap(regrow into the freed pages, no MAYMOVE) in place: %s\n",
           mremap(r, PAGE, 3 * PAGE, 0) == r ? "yes" : "no");
    printf("bytes kept: %s\n", r[PAGE - 1] == 0x5a && all_zero(r + PAGE, 2 * PAGE) ? "yes" : "no");
    mremap(r, 3 * PAGE, PAGE, 0);
    show("mremap(bad flags)", mremap(r, PAGE, 2 * PAGE, 0x40) == MAP_FAILED ? -1 : 0);
    show("mremap(unaligned)", mremap(r + 1, PAGE, 2 * PAGE, MREMAP_MAYMOVE) == MAP_FAILED ? -1 : 0);
    munmap(r, PAGE);
    memset(big, 7, BIG_ALLOC);
    big = realloc(big, 4 * BIG_ALLOC);
    printf("realloc(1 MiB to 4 MiB) kept the bytes: %s\n",
           big && big[0] == 7 && big[BIG_ALLOC - 1] == 7 ? "yes" : "no");
    free(big);
}

/* brk stops short of a mapping: Linux wants a free page above the new break. */
static void brk_below_mapping(void)
{
    char *top = (char *)(((unsigned long)sbrk(0) + PAGE - 1) & ~(unsigned long)(PAGE - 1));
    void *m = mmap(top + 2 * PAGE, PAGE, PROT_READ | PROT_WRITE,
                   MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);

    printf("mapped 2 pages above the break: %s\n", m == top + 2 * PAGE ? "yes" : "no");
    show("brk(up to the mapping)", brk(top + 2 * PAGE));
    show("brk(a page short of it)", brk(top + PAGE));
    show("brk(back)", brk(top));
    munmap(m, PAGE);
}

static void mappings(void)
{
    unsigned char *m = mmap(NULL, MAP_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
                            -1, 0);
    int status;
    pid_t child;
    char *big;

    printf("mmap: %s, page aligned: %s, zeroed: %s\n", m == MAP_FAILED ? "failed" : "mapped",
           (unsigned long)m % PAGE == 0 ? "yes" : "no", all_zero(m, MAP_SIZE) ? "yes" : "no");
    memset(m, 0xab, MAP_SIZE);
    if ((child = fork()) == 0) {
        m[0] = 1;
        _exit(m[MAP_SIZE - 1] == 0xab ? 0 : 1);
    }
    waitpid(child, &status, 0);
    printf("child saw the bytes: %s; its write stayed its own: %s\n",
           WEXITSTATUS(status) == 0 ? "yes" : "no", m[0] == 0xab ? "yes" : "no");
    show("munmap(second half)", munmap(m + MAP_SIZE / 2, MAP_SIZE / 2));
    printf("MAP_FIXED over it: %s\n",
           mmap(m + MAP_SIZE / 2, PAGE, PROT_READ | PROT_WRITE,
                MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0) == m + MAP_SIZE / 2 ? "same address"
                                                                                      : "elsewhere");
    printf("fixed page zeroed: %s\n", all_zero(m + MAP_SIZE / 2, PAGE) ? "yes" : "no");
    show("munmap(unaligned)", munmap(m + 1, PAGE));
    show("munmap(length 0)", munmap(m, 0));
    show("munmap(all)", munmap(m, MAP_SIZE));
    errno = 0;
    show("mmap(length 0)", mmap(NULL, 0, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0) == MAP_FAILED ? -1 : 0);
    show("mmap(no type)", mmap(NULL, PAGE, PROT_READ, MAP_ANONYMOUS, -1, 0) == MAP_FAILED ? -1 : 0);
    big = malloc(BIG_ALLOC);
    memset(big, 1, BIG_ALLOC);
    printf("malloc(1 MiB) written: %s\n", big && big[BIG_ALLOC - 1] == 1 ? "yes" : "no");
    free(big);
}

#define MANY      300 /* more vector entries than a small kernel buffer holds */
#define MANY_POLL 250 /* poll entries: under Relay's RLIMIT_NOFILE (256; Linux's is 1024) */

/* Many one-byte buffers from a file, and a poll over many ignored entries
 * around one real one. */
static void many(void)
{
    static struct iovec iov[MANY];
    static struct pollfd fds[MANY];
    static char bytes[MANY];
    FILE *f = tmpfile();
    int ok = 1;

    for (int i = 0; i < MANY; i++) {
        fputc('a' + i % 26, f);
        iov[i] = (struct iovec){&bytes[i], 1};
        fds[i] = (struct pollfd){-1, POLLIN, 0};
    }
    fflush(f);
    rewind(f);
    show("readv(file, 300 one-byte buffers)", readv(fileno(f), iov, MANY));
    for (int i = 0; i < MANY; i++)
        ok &= bytes[i] == 'a' + i % 26;
    printf("bytes in order: %s\n", ok ? "yes" : "no");
    fds[MANY_POLL - 1].fd = fileno(f);
    show("poll(250 entries, one a file)", poll(fds, MANY_POLL, 0));
    printf("last revents %#x\n", fds[MANY_POLL - 1].revents);
    fclose(f);
}

static void vectors(void)
{
    int p[2];
    char a[4] = "", b[8] = "";
    struct iovec out[3] = {{"one ", 4}, {"", 0}, {"two\n", 4}}, in[2] = {{a, 3}, {b, 7}};

    if (pipe(p))
        perror("pipe");
    show("writev(pipe, 3 buffers)", writev(p[1], out, 3));
    show("readv(pipe, 3 + 7 bytes)", readv(p[0], in, 2));
    printf("read \"%.3s\" \"%.7s\"\n", a, b);
    show("writev(count -1)", syscall(SYS_writev, p[1], out, -1));
    show("readv(bad fd)", readv(99, in, 2));
    show("writev(read end)", writev(p[0], out, 1));
    show("pwrite(pipe)", pwrite(p[1], "x", 1, 0));
    close(p[0]);
    close(p[1]);
}

/* The vfork child runs first: the parent waits for its _exit. */
static void vfork_order(void)
{
    int status;
    pid_t child = vfork();

    if (child == 0) {
        if (write(1, "vfork child first\n", 18) != 18)
            _exit(1);
        _exit(3);
    }
    printf("vfork parent after\n");
    waitpid(child, &status, 0);
    printf("child status %d\n", WEXITSTATUS(status));
}

int main(void)
{
    setvbuf(stdout, NULL, _IONBF, 0); /* fork must not copy unwritten output */
    poll_pipes();
    select_pipes();
    masks();
    poll_interrupted();
    mappings();
    brk_below_mapping();
    remapping();
    vectors();
    many();
    vfork_order();
    return 0;
}
