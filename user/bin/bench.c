/*
 * bench WHAT: instruction counts of Relay's hot paths, for `make bench`.
 *
 * Run it under QEMU's -icount shift=0 (tools/relay run --icount), where the
 * TSC advances by one per guest instruction, so rdtsc differences are
 * instruction counts and every run gives the same figures. The same binary
 * runs on Linux, which is how docs/benchmarks.md compares the two.
 *
 *   getpid    one getpid() round trip
 *   yield     sched_yield() with nothing else runnable
 *   pingpong  a context switch: two processes taking turns with sched_yield()
 *   fork      fork() + the child's exit + waitpid()
 *   kill      kill(getpid(), SIGUSR1) -> empty handler -> sigreturn
 *   sigint    a Ctrl-C keystroke: the instruction the keyboard IRQ interrupted
 *             to the first instruction of the SIGINT handler (type Ctrl-C
 *             after READY)
 *   sigalrm   the same from the timer interrupt to a SIGALRM handler
 *   pipe      one byte each way between two processes through two pipes
 *             (a write, a switch, a read, and back): per round trip
 *   pipe64k   64 KiB through a pipe to a child that reads it, in 4 KiB writes
 *   futex     two processes taking turns on a word in a MAP_SHARED page with
 *             FUTEX_WAIT and FUTEX_WAKE: per round trip (two waits, two
 *             wakes, two switches)
 */
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>

#define ROUNDS 1000
#define FORK_ROUNDS 20

static inline unsigned long long rdtsc(void)
{
    unsigned int lo, hi;
    __asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
    return ((unsigned long long)hi << 32) | lo;
}

static void report(const char *what, unsigned long long total, int rounds)
{
    printf("bench %s: %llu instructions\n", what, total / (unsigned long long)rounds);
}

static void bench_getpid(void)
{
    unsigned long long t0 = rdtsc();
    for (int i = 0; i < ROUNDS; i++)
        getpid();
    report("getpid", rdtsc() - t0, ROUNDS);
}

static void bench_yield(void)
{
    unsigned long long t0 = rdtsc();
    for (int i = 0; i < ROUNDS; i++)
        sched_yield();
    report("yield", rdtsc() - t0, ROUNDS);
}

/* Each of our yields hands the CPU to the child and back: two switches. */
static void bench_pingpong(void)
{
    pid_t child = fork();
    unsigned long long t0;

    if (child == 0) {
        for (int i = 0; i < ROUNDS + 10; i++)
            sched_yield();
        _exit(0);
    }
    sched_yield(); /* let the child start */
    t0 = rdtsc();
    for (int i = 0; i < ROUNDS; i++)
        sched_yield();
    report("pingpong (one switch)", rdtsc() - t0, 2 * ROUNDS);
    waitpid(child, NULL, 0);
}

static void bench_fork(void)
{
    unsigned long long t0 = rdtsc();
    for (int i = 0; i < FORK_ROUNDS; i++) {
        pid_t child = fork();
        if (child == 0)
            _exit(0);
        waitpid(child, NULL, 0);
    }
    report("fork+exit+wait", rdtsc() - t0, FORK_ROUNDS);
}

/* One byte there and one back: two writes, two reads, two switches. */
static void bench_pipe(void)
{
    int there[2], back[2];
    char c = 'x';
    unsigned long long t0;
    pid_t child;

    pipe(there);
    pipe(back);
    if ((child = fork()) == 0) {
        close(there[1]); /* else its own copy keeps end of file away */
        while (read(there[0], &c, 1) == 1)
            write(back[1], &c, 1);
        _exit(0);
    }
    write(there[1], &c, 1); /* a first round trip, so both are warm */
    read(back[0], &c, 1);
    t0 = rdtsc();
    for (int i = 0; i < ROUNDS; i++) {
        write(there[1], &c, 1);
        read(back[0], &c, 1);
    }
    report("pipe round trip", rdtsc() - t0, ROUNDS);
    close(there[1]);
    waitpid(child, NULL, 0);
}

#define TRANSFER (64 * 1024)
#define CHUNK 4096
#define TRANSFER_ROUNDS 20

/* 64 KiB from us to a child through one pipe, CHUNK bytes a write. */
static void bench_pipe64k(void)
{
    static char buf[CHUNK];
    int p[2];
    unsigned long long t0;
    pid_t child;

    pipe(p);
    if ((child = fork()) == 0) {
        close(p[1]);
        while (read(p[0], buf, sizeof(buf)) > 0)
            ;
        _exit(0);
    }
    close(p[0]);
    t0 = rdtsc();
    for (int r = 0; r < TRANSFER_ROUNDS; r++)
        for (int done = 0; done < TRANSFER; done += CHUNK)
            write(p[1], buf, CHUNK);
    report("64 KiB through a pipe", rdtsc() - t0, TRANSFER_ROUNDS);
    close(p[1]);
    waitpid(child, NULL, 0);
}

static void empty_handler(int sig) { (void)sig; }

static void bench_kill(void)
{
    struct sigaction sa;
    unsigned long long t0;

    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = empty_handler;
    sigaction(SIGUSR1, &sa, NULL);
    t0 = rdtsc();
    for (int i = 0; i < ROUNDS; i++)
        kill(getpid(), SIGUSR1);
    report("kill->handler->sigreturn", rdtsc() - t0, ROUNDS);
}

/* The handler's first instructions read the TSC (the C prologue before the
 * rdtsc is a handful of instructions). */
static volatile unsigned long long last_seen, handler_tsc;
static volatile int fired;

static void stamp_handler(int sig)
{
    handler_tsc = rdtsc();
    fired = sig;
}

/* Spins reading the TSC: the last value it saw is (within the few
 * instructions of the loop) the moment the interrupt came. */
static void spin_until_signal(const char *what)
{
    for (;;) {
        unsigned long long now = rdtsc();
        if (fired) /* the signal came after now was read: keep the older stamp */
            break;
        last_seen = now;
    }
    printf("bench %s: %llu instructions\n", what, handler_tsc - last_seen);
}

static void catch_with_stamp(int sig)
{
    struct sigaction sa;

    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = stamp_handler;
    sigaction(sig, &sa, NULL);
}

static void bench_sigint(void)
{
    catch_with_stamp(SIGINT);
    printf("READY: press Ctrl-C\n");
    fflush(stdout);
    spin_until_signal("keyboard IRQ -> SIGINT handler");
}

static void bench_sigalrm(void)
{
    struct itimerval it = {{0, 0}, {0, 20000}};

    catch_with_stamp(SIGALRM);
    setitimer(ITIMER_REAL, &it, NULL);
    spin_until_signal("timer IRQ -> SIGALRM handler");
}

/* mmap2's and futex's numbers and flags (Linux's uapi headers) */
#define PROT_READ_WRITE 3
#define MAP_SHARED_ANONYMOUS 0x21
#define FUTEX_WAIT 0
#define FUTEX_WAKE 1

/* Waits until *word is mine, then hands it to next and wakes the other. */
static void futex_take_turn(volatile unsigned *word, unsigned mine, unsigned next)
{
    while (*word != mine)
        syscall(SYS_futex, word, FUTEX_WAIT, next, 0, 0, 0);
    *word = next;
    syscall(SYS_futex, word, FUTEX_WAKE, 1, 0, 0, 0);
}

static void bench_futex(void)
{
    volatile unsigned *word =
        (volatile unsigned *)syscall(SYS_mmap2, 0, 4096, PROT_READ_WRITE, MAP_SHARED_ANONYMOUS, -1, 0);
    unsigned long long t0;
    pid_t child;

    if ((child = fork()) == 0) {
        for (int i = 0; i < ROUNDS + 1; i++)
            futex_take_turn(word, 1, 0);
        _exit(0);
    }
    futex_take_turn(word, 0, 1); /* a first round trip, so both are warm */
    t0 = rdtsc();
    for (int i = 0; i < ROUNDS; i++)
        futex_take_turn(word, 0, 1);
    report("futex round trip", rdtsc() - t0, ROUNDS);
    waitpid(child, NULL, 0);
}

int main(int argc, char **argv)
{
    static const struct {
        const char *name;
        void (*run)(void);
    } benches[] = {
        {"getpid", bench_getpid}, {"yield", bench_yield},   {"pingpong", bench_pingpong},
        {"fork", bench_fork},     {"kill", bench_kill},     {"sigint", bench_sigint},
        {"sigalrm", bench_sigalrm}, {"pipe", bench_pipe},   {"pipe64k", bench_pipe64k},
        {"futex", bench_futex},
    };

    for (int a = 1; a < argc; a++) {
        unsigned i;
        for (i = 0; i < sizeof(benches) / sizeof(benches[0]); i++)
            if (!strcmp(argv[a], benches[i].name))
                break;
        if (i == sizeof(benches) / sizeof(benches[0])) {
            fprintf(stderr, "bench: unknown benchmark '%s'\n", argv[a]);
            return 2;
        }
        benches[i].run();
    }
    return 0;
}
