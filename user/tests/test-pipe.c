/* test-pipe: pipes as pipe(7) describes them, compared with Linux: data and end of file,
 * SIGPIPE and EPIPE, O_NONBLOCK, a writer blocked on a full pipe, atomic small writes, reads
 * and writes interrupted by a handler (EINTR, or restarted with SA_RESTART), and a pipe shared
 * across fork. */
#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>

#include "sigtest.h"

#define PIPE_CAPACITY 65536 /* Linux's default: 16 pages */
#define PIPE_BUF 4096
#define BIG (3 * PIPE_CAPACITY)

static char buf[BIG];
static volatile int handled;

static void on_signal(int sig)
{
    (void)sig;
    handled++;
}

static void alarm_in(long ms)
{
    struct itimerval it = {{0, 0}, {ms / 1000, ms % 1000 * 1000}};

    setitimer(ITIMER_REAL, &it, NULL);
}

static void data_and_eof(void)
{
    int p[2];
    struct stat st;

    show("pipe", pipe(p));
    show("write(5)", write(p[1], "hello", 5));
    show("read(3)", read(p[0], buf, 3));
    show("read(10) takes what is there", read(p[0], buf, 10));
    printf("the bytes came in order: %s\n", yes(!memcmp(buf, "lo", 2)));
    show("fstat is a fifo", (fstat(p[0], &st), S_ISFIFO(st.st_mode)));
    show("write on the read end", write(p[0], "x", 1));
    show("read on the write end", read(p[1], buf, 1));
    close(p[1]);
    show("read after the last writer closed", read(p[0], buf, 10));
    close(p[0]);
    show("pipe2(bad flags)", pipe2(p, O_APPEND));
    show("pipe(bad pointer)", syscall(SYS_pipe, 16));
}

static void sigpipe(void)
{
    int p[2];
    pid_t child;

    pipe(p);
    close(p[0]);
    if ((child = fork()) == 0) {
        write(p[1], "x", 1);
        _exit(0); /* not reached: SIGPIPE kills */
    }
    reap(child, "writer with no reader, default SIGPIPE");
    on(SIGPIPE, SIG_IGN, 0);
    show("write, SIGPIPE ignored", write(p[1], "x", 1));
    on(SIGPIPE, on_signal, 0);
    show("write, SIGPIPE handled", write(p[1], "x", 1));
    printf("the handler ran: %s\n", yes(handled == 1));
    on(SIGPIPE, SIG_DFL, 0);
    close(p[1]);
}

static void nonblocking(void)
{
    int p[2];

    pipe2(p, O_NONBLOCK);
    show("read from an empty O_NONBLOCK pipe", read(p[0], buf, 1));
    show("write 3x the capacity, O_NONBLOCK", write(p[1], buf, BIG));
    show("write 1 more", write(p[1], buf, 1));
    show("read 100", read(p[0], buf, 100));
    show("write PIPE_BUF into 100 bytes of room (atomic: all or nothing)",
         write(p[1], buf, PIPE_BUF));
    show("write 100 into 100 bytes of room", write(p[1], buf, 100));
    close(p[0]);
    close(p[1]);
}

/* A writer blocks on a full pipe until the reader drains it; every byte arrives. */
static void blocking_across_fork(void)
{
    int p[2];
    long total = 0, n;
    pid_t child;

    pipe(p);
    for (int i = 0; i < BIG; i++)
        buf[i] = (char)(i * 7);
    if ((child = fork()) == 0) {
        close(p[0]);
        _exit(write(p[1], buf, BIG) == BIG ? 0 : 1);
    }
    close(p[1]);
    memset(buf, 0, sizeof(buf));
    while ((n = read(p[0], buf + total, BIG - total)) > 0)
        total += n;
    printf("read %ld bytes through the pipe, then end of file\n", total);
    n = 0;
    for (int i = 0; i < BIG; i++)
        n += buf[i] != (char)(i * 7);
    printf("every byte as written: %s\n", yes(n == 0));
    reap(child, "the writer");
    close(p[0]);
}

static void interrupted(int flags, const char *what)
{
    int p[2];
    long r;

    pipe(p);
    on(SIGALRM, on_signal, flags);
    handled = 0;
    alarm_in(100);
    r = read(p[0], buf, 1);
    printf("%s: read returned %ld%s%s, handler ran: %s\n", what, r, r < 0 ? " " : "",
           r < 0 ? errno_name(errno) : "", yes(handled));
    close(p[0]);
    close(p[1]);
}

/* With SA_RESTART the read goes on after the handler and gets what a child writes later. */
static void restarted(void)
{
    int p[2];
    pid_t child;
    long r;

    pipe(p);
    on(SIGALRM, on_signal, SA_RESTART);
    handled = 0;
    alarm_in(100);
    if ((child = fork()) == 0) {
        struct timespec t = {0, 300000000};
        nanosleep(&t, NULL);
        write(p[1], "z", 1);
        _exit(0);
    }
    r = read(p[0], buf, 1);
    printf("SA_RESTART: read returned %ld '%c' after the handler ran: %s\n", r, buf[0],
           yes(handled));
    reap(child, "the late writer");
    close(p[0]);
    close(p[1]);
}

int main(void)
{
    data_and_eof();
    sigpipe();
    nonblocking();
    blocking_across_fork();
    interrupted(0, "no SA_RESTART");
    restarted();
    return 0;
}
