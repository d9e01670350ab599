/* fuzz: Relay's own fuzzer, a user program that runs on Relay and on Linux (docs/fuzzing.md).
 *
 *   fuzz SEED CALLS [--frames] [--verbose]  random system calls with adversarial arguments,
 *                                           in forked batches; --frames checks Relay's free
 *                                           frames (sysinfo) after each batch
 *   fuzz errno SEED CALLS                   the deterministic, harmless subset, one line per
 *                                           call with its errno: diffed against Linux
 *   fuzz exhaust [--frames]                 fork until EAGAIN, brk and the stack until they
 *                                           fail, a storm of pending signals
 *   fuzz storm                              a 1 ms ITIMER_REAL while keys arrive: counts
 *                                           SIGALRM and SIGINT until Ctrl-\ (SIGQUIT)
 *   fuzz exec NAME...                       execve each NAME (malformed ELF files) in a child
 *
 * Every line a test reads starts with "fuzz: ". A finding (a frame leak, a check that failed)
 * prints "fuzz: FINDING ..." with the seed to reproduce it, and the exit status is 1. A batch
 * killed by a signal is normal: random calls may well install a handler at a random address.
 * Kernel panics, hangs and resets are seen from outside, by tools/relay. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define PAGE            4096u
#define KERNEL_ADDR     0xC0000000u /* Relay's kernel; unmapped in a Linux i386 process */
#define KERNEL_TEXT     0xC0100000u
#define UNMAPPED_ADDR   0x00001000u /* below every program's first segment */
#define CALLS_PER_BATCH 32
#define BATCH_DEADLINE  2000 /* ms a batch may take before it is killed as asleep */
#define SETTLE_LIMIT    3000 /* ms to wait for orphans to be reaped before counting frames */
#define BOGUS_PID       0x7ffe
#define NSIG_ALL        65
#define MS_PER_SEC      1000
#define NS_PER_MS       1000000
#define NS_PER_SEC      1000000000
#define US_PER_MS       1000
#define GOLDEN          0x9E3779B9u /* spreads batch numbers over the seed space */
#define ARGS            6

/* Linux i386 numbers of calls the C library has no wrapper or name for. */
enum {
    NR_exit = 1, NR_fork = 2, NR_read = 3, NR_write = 4, NR_waitpid = 7, NR_execve = 11,
    NR_getpid = 20, NR_alarm = 27, NR_pause = 29, NR_kill = 37, NR_brk = 45, NR_signal = 48,
    NR_ioctl = 54, NR_setpgid = 57, NR_getppid = 64, NR_getpgrp = 65, NR_setsid = 66,
    NR_sigaction = 67, NR_sigsuspend = 72, NR_sigpending = 73, NR_setitimer = 104,
    NR_getitimer = 105, NR_wait4 = 114, NR_sysinfo = 116, NR_sigreturn = 119, NR_clone = 120,
    NR_mprotect = 125, NR_sigprocmask = 126, NR_getpgid = 132, NR_sched_yield = 158,
    NR_nanosleep = 162, NR_rt_sigreturn = 173, NR_rt_sigaction = 174, NR_rt_sigprocmask = 175,
    NR_rt_sigpending = 176, NR_rt_sigsuspend = 179, NR_gettid = 224, NR_tkill = 238,
    NR_set_thread_area = 243, NR_exit_group = 252, NR_set_tid_address = 258, NR_tgkill = 270,
    NR_munmap = 91, NR__newselect = 142, NR_readv = 145, NR_writev = 146, NR_mremap = 163,
    NR_poll = 168, NR_pread64 = 180, NR_pwrite64 = 181, NR_vfork = 190, NR_mmap2 = 192,
    NR_pselect6 = 308, NR_ppoll = 309, NR_pselect6_time64 = 413, NR_ppoll_time64 = 414,
    NR_TABLE_END = 512, /* Relay's table size: numbers at and past it must be ENOSYS */
};

/* Linux's struct sysinfo on i386. */
struct sysinfo32 {
    int32_t uptime;
    uint32_t loads[3];
    uint32_t totalram, freeram, sharedram, bufferram, totalswap, freeswap;
    uint16_t procs, pad;
    uint32_t totalhigh, freehigh, mem_unit;
    char padding[8];
};

/* ---------------------------------------------------------------- random numbers */

#define COUNT(a) ((int)(sizeof(a) / sizeof((a)[0])))
#define PICK(a)  ((a)[rng_below(COUNT(a))]) /* one element of an array, at random */

static uint32_t rng_state;

static void rng_seed(uint32_t seed) { rng_state = seed ? seed : GOLDEN; }

static uint32_t rng_next(void)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 17;
    rng_state ^= rng_state << 5;
    return rng_state;
}

static uint32_t rng_below(uint32_t n) { return rng_next() % n; }

/* ---------------------------------------------------------------- arguments */

/* A value and how it prints the same on every kernel. */
struct arg {
    uint32_t value;
    const char *what; /* NULL: print the number */
};

static char buf[2 * PAGE] __attribute__((aligned(PAGE))); /* valid, writable */
static char *page_end; /* the last bytes of a mapped page whose next page is unmapped */

/* The break's last page: sbrk one page, so the page after it is never mapped. */
static void memory_init(void)
{
    char *p = sbrk(PAGE);

    page_end = p == (char *)-1 ? buf + sizeof(buf) - 8 : p + PAGE - 8;
}

static struct arg named(uint32_t v, const char *what) { return (struct arg){v, what}; }
static struct arg number(uint32_t v) { return (struct arg){v, NULL}; }

static struct arg arg_bad_pointer(void)
{
    switch (rng_below(4)) {
    case 0:
        return named(0, "NULL");
    case 1:
        return named(UNMAPPED_ADDR, "unmapped");
    case 2:
        return named(KERNEL_ADDR, "kaddr");
    default:
        return named(KERNEL_TEXT, "ktext");
    }
}

static struct arg arg_pointer(void)
{
    switch (rng_below(4)) {
    case 0:
        return named((uint32_t)buf, "buf");
    case 1:
        return named((uint32_t)page_end, "page-end");
    case 2:
        return named((uint32_t)&rng_seed, "text");
    default:
        return arg_bad_pointer();
    }
}

static const uint32_t edge_numbers[] = {0, 1, 2, 3, 7, 8, 64, 65, 0x7fffffff, 0x80000000,
                                        0xffffffff, 0xfffffffe, PAGE, PAGE - 1, 0x10000};

static struct arg arg_number(void)
{
    if (rng_below(4) == 0)
        return number(rng_next());
    return number(PICK(edge_numbers));
}

static struct arg arg_any(void) { return rng_below(2) ? arg_number() : arg_pointer(); }

static struct arg arg_signal(void)
{
    static const uint32_t odd[] = {0, NSIG_ALL, 0xffffffff, 0x80000000};

    if (rng_below(4) == 0)
        return number(PICK(odd));
    return number(1 + rng_below(NSIG_ALL - 1));
}

static struct arg arg_size(void)
{
    static const uint32_t sizes[] = {0, 4, 8, 16, 0xffffffff};

    return number(PICK(sizes));
}

static struct arg arg_fd(void)
{
    static const uint32_t fds[] = {0xffffffff, 3, 100, 0x7fffffff, 1, 2};

    return number(PICK(fds));
}

/* ---------------------------------------------------------------- printing */

static const char *const errno_names[] = {
    [EPERM] = "EPERM",   [ENOENT] = "ENOENT",   [ESRCH] = "ESRCH",   [EINTR] = "EINTR",
    [EIO] = "EIO",       [E2BIG] = "E2BIG",     [ENOEXEC] = "ENOEXEC", [EBADF] = "EBADF",
    [ECHILD] = "ECHILD", [EAGAIN] = "EAGAIN",   [ENOMEM] = "ENOMEM", [EACCES] = "EACCES",
    [EFAULT] = "EFAULT", [EINVAL] = "EINVAL",   [ENOTTY] = "ENOTTY", [ENOSYS] = "ENOSYS",
};

static const char *errno_text(int e)
{
    static char other[16];

    if (e > 0 && e < (int)(sizeof(errno_names) / sizeof(errno_names[0])) && errno_names[e])
        return errno_names[e];
    snprintf(other, sizeof(other), "errno %d", e);
    return other;
}

static void print_arg(FILE *f, struct arg a)
{
    if (a.what)
        fprintf(f, "%s", a.what);
    else if (a.value > 0xffff)
        fprintf(f, "0x%x", a.value);
    else
        fprintf(f, "%d", (int)a.value);
}

static void print_call(FILE *f, const char *name, const struct arg *a, int n)
{
    fprintf(f, "%s(", name);
    for (int i = 0; i < n; i++) {
        if (i)
            fprintf(f, ", ");
        print_arg(f, a[i]);
    }
    fprintf(f, ")");
}

static long call(int nr, const struct arg *a)
{
    return syscall(nr, a[0].value, a[1].value, a[2].value, a[3].value, a[4].value,
                   a[5].value);
}

/* ---------------------------------------------------------------- sysinfo */

static int sysinfo_read(struct sysinfo32 *info) { return syscall(NR_sysinfo, info); }

static long free_frames(void)
{
    struct sysinfo32 info;

    return sysinfo_read(&info) ? -1 : (long)info.freeram;
}

static long process_count(void)
{
    struct sysinfo32 info;

    return sysinfo_read(&info) ? -1 : (long)info.procs;
}

static void sleep_ms(unsigned ms)
{
    struct timespec t = {ms / MS_PER_SEC, (long)(ms % MS_PER_SEC) * NS_PER_MS};

    while (nanosleep(&t, &t) == -1 && errno == EINTR)
        ;
}

/* Orphans of a batch are reparented to init, which reaps them when it gets to run. */
static void wait_for_process_count(long procs, unsigned limit_ms)
{
    for (unsigned waited = 0; process_count() > procs && waited < limit_ms; waited += 10)
        sleep_ms(10);
}

/* ---------------------------------------------------------------- batches */

struct tally {
    unsigned batches, clean, signalled, timed_out, stopped;
    unsigned by_signal[NSIG_ALL];
};

static volatile sig_atomic_t watchdog_fired;

static void on_watchdog(int sig)
{
    (void)sig;
    watchdog_fired = 1;
}

static void arm_watchdog(unsigned ms)
{
    struct itimerval t = {{0, 0}, {ms / MS_PER_SEC, (long)(ms % MS_PER_SEC) * US_PER_MS}};
    struct sigaction sa;

    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = on_watchdog; /* no SA_RESTART: the wait must end with EINTR */
    sigaction(SIGALRM, &sa, NULL);
    watchdog_fired = 0;
    setitimer(ITIMER_REAL, &t, NULL);
}

static void disarm_watchdog(void)
{
    struct itimerval off = {{0, 0}, {0, 0}};

    setitimer(ITIMER_REAL, &off, NULL);
}

/* Waits for child; kills it when the watchdog fires or it stops. Returns its wait status. */
static int reap_batch(pid_t child, struct tally *t)
{
    int status = 0;

    for (;;) {
        pid_t r = waitpid(child, &status, WUNTRACED);

        if (r == child && !WIFSTOPPED(status))
            return status;
        if (r == child)
            t->stopped++;
        else if (watchdog_fired)
            t->timed_out++;
        else if (r == -1 && errno != EINTR)
            return 0;
        kill(child, SIGKILL);
    }
}

static void count_status(struct tally *t, int status)
{
    t->batches++;
    if (WIFSIGNALED(status)) {
        t->signalled++;
        t->by_signal[WTERMSIG(status) % NSIG_ALL]++;
    } else {
        t->clean++;
    }
}

/* Runs body(seed) in a forked child, so that whatever the calls do ends with the child. */
static void run_batch(struct tally *t, void (*body)(uint32_t), uint32_t seed)
{
    pid_t child;

    while ((child = fork()) == -1 && errno == EINTR)
        ; /* a signal from the last batch's children */

    if (child == 0) {
        body(seed);
        _exit(0);
    }
    if (child < 0) {
        printf("fuzz: fork failed: %s\n", errno_text(errno));
        return;
    }
    /* Its own group, so that what it leaves behind can be killed with it: a process it
     * forked and stopped stays stopped for ever once orphaned in a new session (as on
     * Linux, which sends SIGHUP and SIGCONT only to groups orphaned within a session). */
    setpgid(child, child);
    arm_watchdog(BATCH_DEADLINE);
    count_status(t, reap_batch(child, t));
    disarm_watchdog();
    kill(-child, SIGKILL);
}

static void print_tally(const struct tally *t)
{
    printf("fuzz: %u batches: %u clean, %u killed by a signal, %u timed out, %u stopped\n",
           t->batches, t->clean, t->signalled, t->timed_out, t->stopped);
    for (int s = 1; s < NSIG_ALL; s++)
        if (t->by_signal[s])
            printf("fuzz:   signal %d (%s): %u\n", s, strsignal(s), t->by_signal[s]);
}

/* ---------------------------------------------------------------- call tables */

typedef struct arg (*arg_maker)(void);

/* A system call and a maker for each of its arguments (NULL: no more arguments). */
struct shape {
    int nr;
    const char *name;
    arg_maker make[ARGS];
};

/* Mostly a process that does not exist: a signal to the batch itself usually ends it. */
static struct arg arg_pid(void)
{
    switch (rng_below(8)) {
    case 0:
        return named((uint32_t)getpid(), "self");
    case 1:
        return named((uint32_t)-getpid(), "-self");
    case 2:
    case 3:
        return named(BOGUS_PID, "bogus");
    default:
        return named((uint32_t)-BOGUS_PID, "-bogus");
    }
}

static struct arg arg_how(void) { return number(rng_below(5) - 1); } /* -1..3; 0-2 valid */

static struct arg arg_wait_options(void)
{
    static const uint32_t options[] = {0, 1 /* WNOHANG */, 2 /* WUNTRACED */, 0x40000000,
                                       0xffffffff};

    return number(PICK(options));
}

static struct arg arg_ioctl_cmd(void)
{
    static const uint32_t cmds[] = {TIOCGPGRP, TIOCSPGRP, 0, 0xffffffff, 0x5401};

    return number(PICK(cmds));
}

static struct arg arg_which_timer(void) { return number(rng_below(5) - 1); } /* -1..3 */

static struct arg arg_clone_flags(void)
{
    static const uint32_t flags[] = {17 /* SIGCHLD: fork */, 0, 0x100 /* CLONE_VM */,
                                     0x11, 0xffffffff};

    return number(PICK(flags));
}

static struct arg arg_zero(void) { return number(0); }

/* What random mode calls. exit, exit_group and execve of a real program would end the batch
 * for good; set_thread_area waits for the 16-bit SS fix (docs/fuzzing.md). */
static const struct shape random_calls[] = {
    {NR_fork, "fork", {0}},
    {NR_read, "read", {arg_fd, arg_pointer, arg_number}},
    {NR_write, "write", {arg_fd, arg_pointer, arg_number}},
    {NR_waitpid, "waitpid", {arg_pid, arg_pointer, arg_wait_options}},
    {NR_execve, "execve", {arg_pointer, arg_pointer, arg_pointer}},
    {NR_getpid, "getpid", {0}},
    {NR_alarm, "alarm", {arg_number}},
    {NR_pause, "pause", {0}},
    {NR_kill, "kill", {arg_pid, arg_signal}},
    {NR_brk, "brk", {arg_any}},
    {NR_signal, "signal", {arg_signal, arg_any}},
    {NR_ioctl, "ioctl", {arg_fd, arg_ioctl_cmd, arg_pointer}},
    {NR_setpgid, "setpgid", {arg_pid, arg_pid}},
    {NR_getppid, "getppid", {0}},
    {NR_getpgrp, "getpgrp", {0}},
    {NR_setsid, "setsid", {0}},
    {NR_sigaction, "sigaction", {arg_signal, arg_pointer, arg_pointer}},
    {NR_sigsuspend, "sigsuspend", {arg_zero, arg_zero, arg_zero}},
    {NR_sigpending, "sigpending", {arg_pointer}},
    {NR_setitimer, "setitimer", {arg_which_timer, arg_pointer, arg_pointer}},
    {NR_getitimer, "getitimer", {arg_which_timer, arg_pointer}},
    {NR_wait4, "wait4", {arg_pid, arg_pointer, arg_wait_options, arg_pointer}},
    {NR_sysinfo, "sysinfo", {arg_pointer}},
    {NR_clone, "clone", {arg_clone_flags, arg_zero, arg_pointer, arg_pointer, arg_pointer}},
    {NR_mprotect, "mprotect", {arg_any, arg_number, arg_number}},
    {NR_sigprocmask, "sigprocmask", {arg_how, arg_pointer, arg_pointer}},
    {NR_getpgid, "getpgid", {arg_pid}},
    {NR_sched_yield, "sched_yield", {0}},
    {NR_nanosleep, "nanosleep", {arg_pointer, arg_pointer}},
    {NR_rt_sigreturn, "rt_sigreturn", {0}},
    {NR_sigreturn, "sigreturn", {0}},
    {NR_rt_sigaction, "rt_sigaction", {arg_signal, arg_pointer, arg_pointer, arg_size}},
    {NR_rt_sigprocmask, "rt_sigprocmask", {arg_how, arg_pointer, arg_pointer, arg_size}},
    {NR_rt_sigpending, "rt_sigpending", {arg_pointer, arg_size}},
    {NR_rt_sigsuspend, "rt_sigsuspend", {arg_pointer, arg_size}},
    {NR_gettid, "gettid", {0}},
    {NR_tkill, "tkill", {arg_pid, arg_signal}},
    {NR_set_tid_address, "set_tid_address", {arg_pointer}},
    {NR_tgkill, "tgkill", {arg_pid, arg_pid, arg_signal}},
};

static int make_args(const struct shape *s, struct arg *a)
{
    int n = 0;

    memset(a, 0, sizeof(*a) * ARGS);
    while (n < ARGS && s->make[n]) {
        a[n] = s->make[n]();
        n++;
    }
    return n;
}

/* ---------------------------------------------------------------- taming */

static void on_wakeup(int sig) { (void)sig; }

/* A call that sleeps until a signal gets one: SIGALRM caught, unblocked, due in 5 ms. */
static void arm_wakeup(void)
{
    struct itimerval soon = {{0, 0}, {0, 5 * US_PER_MS}};
    struct sigaction sa;
    sigset_t alarm_only;

    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = on_wakeup;
    sigaction(SIGALRM, &sa, NULL);
    sigemptyset(&alarm_only);
    sigaddset(&alarm_only, SIGALRM);
    sigprocmask(SIG_UNBLOCK, &alarm_only, NULL);
    setitimer(ITIMER_REAL, &soon, NULL);
}

/* A valid request: at most 2 ms, or one Linux rejects (negative, ns past a second). */
static void tame_timespec(struct timespec *t)
{
    static const long odd_ns[] = {-1, NS_PER_SEC, 2 * NS_PER_MS};

    t->tv_sec = rng_below(8) == 0 ? -1 : 0;
    t->tv_nsec = PICK(odd_ns);
}

static bool is_writable(uint32_t v) { return v == (uint32_t)buf || v == (uint32_t)page_end; }
static bool is_readable(uint32_t v) { return is_writable(v) || v == (uint32_t)&rng_seed; }

/* Turns calls that would end or stall the run, or scribble on the terminal, into ones that
 * do not, keeping them as adversarial as they can be. */
static void tame(int nr, struct arg *a)
{
    if (nr == NR_read && a[0].value <= 2)
        a[0] = number(3); /* the terminal would wait for a line that never comes */
    if (nr == NR_write && a[0].value <= 2 && is_readable(a[1].value))
        a[1] = named(KERNEL_ADDR, "kaddr"); /* bad pointers only, on the real output */
    if ((nr == NR_nanosleep || nr == NR_rt_sigsuspend) && a[0].value == (uint32_t)&rng_seed)
        a[0] = named((uint32_t)buf, "buf"); /* code bytes could ask for a long sleep */
    if (nr == NR_nanosleep && is_writable(a[0].value))
        tame_timespec((struct timespec *)a[0].value);
    if (nr == NR_rt_sigsuspend && is_writable(a[0].value))
        memset((void *)a[0].value, 0, sizeof(sigset_t)); /* SIGALRM must get through */
    if (nr == NR_pause || nr == NR_sigsuspend || nr == NR_rt_sigsuspend)
        arm_wakeup();
}

/* ---------------------------------------------------------------- random mode */

static bool verbose;
static unsigned findings; /* FINDING lines printed: the exit status is 1 if any */

static uint32_t batch_seed(uint32_t seed, unsigned batch) { return seed + batch * GOLDEN; }

static int unknown_number(void)
{
    static const uint32_t odd[] = {NR_TABLE_END, 0xffffffff, 0x80000000, 0};

    if (rng_below(2))
        return (int)PICK(odd);
    return (int)rng_below(NR_TABLE_END);
}

/* Waits with no end (poll and select with a random timeout), reads or writes the
 * terminal (the vector and positioned forms of read and write), unmaps the fuzzer
 * itself (mmap2 MAP_FIXED, munmap, mremap), whose layout differs from Linux's anyway,
 * or forks it (vfork, as fork). */
static bool is_waiting_or_mapping_number(int nr)
{
    return nr == NR_poll || nr == NR__newselect || nr == NR_pselect6 || nr == NR_ppoll ||
           nr == NR_pselect6_time64 || nr == NR_ppoll_time64 || nr == NR_readv ||
           nr == NR_writev || nr == NR_pread64 || nr == NR_pwrite64 || nr == NR_mmap2 ||
           nr == NR_munmap || nr == NR_mremap || nr == NR_vfork;
}

static bool is_fatal_number(int nr)
{
    return nr == NR_exit || nr == NR_exit_group || nr == NR_execve || nr == NR_set_thread_area ||
           nr == NR_fork || nr == NR_clone || nr == NR_pause || nr == NR_sigsuspend ||
           nr == NR_rt_sigsuspend || nr == NR_kill || nr == NR_tkill || nr == NR_tgkill ||
           nr == NR_read || nr == NR_write || nr == NR_nanosleep ||
           is_waiting_or_mapping_number(nr);
}

/* A number Relay probably lacks, with random arguments: the ENOSYS path and the table's
 * bounds. Numbers with effects of their own are left to the table. */
static void one_unknown_call(uint32_t seed, int i)
{
    struct arg a[ARGS];
    int nr = unknown_number();

    for (int k = 0; k < ARGS; k++)
        a[k] = arg_any();
    if (is_fatal_number(nr))
        return;
    if (verbose) {
        fprintf(stderr, "fuzz: seed %u call %d: syscall %d ", seed, i, nr);
        print_call(stderr, "", a, ARGS);
        fprintf(stderr, "\n");
    }
    call(nr, a);
}

static void one_call(uint32_t seed, int i)
{
    const struct shape *s = &random_calls[rng_below(COUNT(random_calls))];
    struct arg a[ARGS];
    int n = make_args(s, a);
    long r;

    tame(s->nr, a);
    if (verbose) {
        fprintf(stderr, "fuzz: seed %u call %d: ", seed, i);
        print_call(stderr, s->name, a, n);
        fprintf(stderr, "\n");
    }
    r = call(s->nr, a);
    if (r == 0 && (s->nr == NR_fork || s->nr == NR_clone))
        _exit(0); /* a new process: it has done its part by existing */
}

static void random_batch(uint32_t seed)
{
    rng_seed(seed);
    for (int i = 0; i < CALLS_PER_BATCH; i++) {
        if (rng_below(8) == 0)
            one_unknown_call(seed, i);
        else
            one_call(seed, i);
    }
}

/* One batch's frames: none may be missing once its processes are gone. */
static long check_frames(long *baseline, long procs, uint32_t seed)
{
    long now, leaked;

    wait_for_process_count(procs, SETTLE_LIMIT);
    if (process_count() > procs) {
        printf("fuzz: FINDING: batch seed %u left %ld processes behind\n", seed,
               process_count() - procs);
        findings++;
        *baseline = free_frames();
        return 0;
    }
    now = free_frames();
    leaked = *baseline - now;
    findings += leaked != 0;
    if (leaked)
        printf("fuzz: FINDING: %ld frames leaked by batch seed %u (fuzz %u %d --frames "
               "--verbose reruns it)\n", leaked, seed, seed, CALLS_PER_BATCH);
    *baseline = now;
    return leaked > 0 ? leaked : 0;
}

static int random_mode(uint32_t seed, unsigned calls, bool frames)
{
    struct tally t;
    unsigned batches = (calls + CALLS_PER_BATCH - 1) / CALLS_PER_BATCH;
    long procs = process_count(), baseline, leaked = 0;

    memset(&t, 0, sizeof(t));
    printf("fuzz: seed %u, %u calls in batches of %d\n", seed, calls, CALLS_PER_BATCH);
    run_batch(&t, random_batch, batch_seed(seed, 0)); /* warms the kernel's caches */
    wait_for_process_count(procs, SETTLE_LIMIT);
    baseline = free_frames();
    memset(&t, 0, sizeof(t));
    for (unsigned b = 0; b < batches; b++) {
        run_batch(&t, random_batch, batch_seed(seed, b));
        if (frames)
            leaked += check_frames(&baseline, procs, batch_seed(seed, b));
    }
    print_tally(&t);
    if (frames)
        printf("fuzz: frames leaked: %ld\n", leaked);
    return findings ? 1 : 0;
}

/* ---------------------------------------------------------------- errno mode */

/* Calls whose errno Linux defines and which leave the process as it was, so that the same
 * seed prints the same lines on Linux and on Relay (tests/harness/fuzzing.py diffs them). */

static struct arg e_bad_fd(void)
{
    static const uint32_t fds[] = {0xffffffff, 3, 100};

    return number(PICK(fds));
}

static struct arg e_out_fd(void) { return number(1 + rng_below(2)); }

static struct arg e_length(void)
{
    static const uint32_t lengths[] = {1, 16, PAGE, 0x7fffffff};

    return number(PICK(lengths));
}

/* A request nanosleep may take: tamed in buf, or a bad pointer. */
static struct arg e_timespec(void)
{
    if (rng_below(2))
        return arg_bad_pointer();
    tame_timespec((struct timespec *)buf);
    return named((uint32_t)buf, "buf");
}

/* A new setting that changes nothing: zeros in buf (SIG_DFL, empty set, disarmed), or bad. */
static struct arg e_zeros(void) { return rng_below(2) ? arg_bad_pointer() : named((uint32_t)buf, "buf"); }

static struct arg e_harmless_signal(void)
{
    static const uint32_t sigs[] = {0, NSIG_ALL, 0xffffffff};

    return number(PICK(sigs));
}

static struct arg e_other_pid(void)
{
    return rng_below(2) ? named(BOGUS_PID, "bogus") : named((uint32_t)-BOGUS_PID, "-bogus");
}

static struct arg e_self(void) { return named((uint32_t)getpid(), "self"); }
static struct arg e_wait_pid(void) { return rng_below(2) ? number(0xffffffff) : e_other_pid(); }

static struct arg e_path(void)
{
    return rng_below(2) ? arg_bad_pointer() : named((uint32_t) "no-such-program", "\"no-such-program\"");
}

static char *const exec_argv[] = {"no-such-program", NULL};

static struct arg e_argv(void)
{
    return rng_below(2) ? arg_bad_pointer() : named((uint32_t)exec_argv, "argv");
}

static struct arg e_envp(void) { return rng_below(2) ? named(0, "NULL") : e_argv(); }

static struct arg e_mprotect_addr(void)
{
    static const struct arg addrs[] = {{(uint32_t)buf + 1, "buf+1"}, {KERNEL_ADDR, "kaddr"},
                                       {UNMAPPED_ADDR, "unmapped"}};

    return PICK(addrs);
}

static struct arg e_mprotect_len(void) { return number(rng_below(2) * PAGE); }
static struct arg e_prot(void) { return number(rng_below(2) ? 3 : 0x1000); }
static struct arg e_dfl_or_ign(void) { return number(rng_below(2)); }

static const struct shape errno_calls[] = {
    {NR_read, "read", {e_bad_fd, arg_pointer, e_length}},
    {NR_write, "write", {e_bad_fd, arg_pointer, e_length}},
    {NR_write, "write", {e_out_fd, arg_bad_pointer, e_length}},
    {NR_getpid, "getpid", {0}},
    {NR_getppid, "getppid", {0}},
    {NR_gettid, "gettid", {0}},
    {NR_getpgrp, "getpgrp", {0}},
    {NR_sched_yield, "sched_yield", {0}},
    {NR_kill, "kill", {e_other_pid, arg_signal}},
    {NR_kill, "kill", {e_self, e_harmless_signal}},
    {NR_tkill, "tkill", {e_self, e_harmless_signal}},
    {NR_tgkill, "tgkill", {e_self, e_self, e_harmless_signal}},
    {NR_tgkill, "tgkill", {e_other_pid, e_other_pid, arg_signal}},
    {NR_signal, "signal", {arg_signal, e_dfl_or_ign}},
    {NR_sigaction, "sigaction", {arg_signal, e_zeros, arg_pointer}},
    {NR_rt_sigaction, "rt_sigaction", {arg_signal, e_zeros, arg_pointer, arg_size}},
    {NR_sigprocmask, "sigprocmask", {arg_how, e_zeros, arg_pointer}},
    {NR_rt_sigprocmask, "rt_sigprocmask", {arg_how, e_zeros, arg_pointer, arg_size}},
    {NR_sigpending, "sigpending", {arg_pointer}},
    {NR_rt_sigpending, "rt_sigpending", {arg_pointer, arg_size}},
    {NR_nanosleep, "nanosleep", {e_timespec, arg_pointer}},
    {NR_getitimer, "getitimer", {arg_which_timer, arg_pointer}},
    {NR_setitimer, "setitimer", {arg_which_timer, e_zeros, arg_pointer}},
    {NR_waitpid, "waitpid", {e_wait_pid, arg_pointer, arg_wait_options}},
    {NR_wait4, "wait4", {e_wait_pid, arg_pointer, arg_wait_options, arg_pointer}},
    {NR_getpgid, "getpgid", {e_other_pid}},
    {NR_setpgid, "setpgid", {e_other_pid, arg_zero}},
    {NR_execve, "execve", {e_path, e_argv, e_envp}},
    {NR_mprotect, "mprotect", {e_mprotect_addr, e_mprotect_len, e_prot}},
    {NR_sysinfo, "sysinfo", {arg_pointer}},
    {NR_ioctl, "ioctl", {e_bad_fd, arg_ioctl_cmd, arg_pointer}},
};

static void errno_call(unsigned i)
{
    const struct shape *s = &errno_calls[rng_below(COUNT(errno_calls))];
    struct arg a[ARGS];
    int n;
    long r;

    memset(buf, 0, sizeof(buf)); /* e_zeros and e_timespec rely on it */
    n = make_args(s, a);
    printf("fuzz: %u ", i);
    print_call(stdout, s->name, a, n);
    fflush(stdout);
    r = call(s->nr, a);
    printf(" = %s\n", r == -1 ? errno_text(errno) : "ok");
}

static int errno_mode(uint32_t seed, unsigned calls)
{
    rng_seed(seed);
    printf("fuzz: errno seed %u, %u calls\n", seed, calls);
    for (unsigned i = 0; i < calls; i++)
        errno_call(i);
    printf("fuzz: errno done\n");
    return 0;
}

/* ---------------------------------------------------------------- exhaust mode */

#define MAX_CHILDREN   256 /* more than Relay's process table; a cap for Linux hosts */
#define BRK_STEP       (1024 * 1024)
#define STACK_STEP     1024
#define SIGNAL_KIDS    16
#define SIGNAL_ROUNDS  4
#define STANDARD_SIGNALS 32 /* 1-31; Relay has no real-time signals (docs/signals.md) */
#define SIGNALS_PER_KID  (STANDARD_SIGNALS - 3) /* all but 0, SIGKILL and SIGSTOP */

static void sleep_forever(void)
{
    for (;;)
        pause();
}

static void kill_and_reap(const pid_t *kids, int n)
{
    for (int i = 0; i < n; i++)
        kill(kids[i], SIGKILL);
    for (int i = 0; i < n; i++)
        waitpid(kids[i], NULL, 0);
}

/* Fork until the kernel says no: it must say EAGAIN, and take every process back. */
static int exhaust_processes(void)
{
    static pid_t kids[MAX_CHILDREN];
    int n = 0, err = 0;

    while (n < MAX_CHILDREN) {
        pid_t pid = fork();

        if (pid == 0)
            sleep_forever();
        if (pid < 0) {
            err = errno;
            break;
        }
        kids[n++] = pid;
    }
    kill_and_reap(kids, n);
    printf("fuzz: processes: fork until it fails: %s\n", err ? errno_text(err) : "never failed");
    return err == EAGAIN ? 0 : 1;
}

/* In a child: grow the break a MiB at a time until refused; exit 0 if it said ENOMEM. */
static void grow_break(void)
{
    unsigned mib = 0;

    while (sbrk(BRK_STEP) != (void *)-1)
        mib++;
    _exit(errno == ENOMEM && mib > 0 ? 0 : 1);
}

/* In a child: recurse, touching each KiB, until the stack can grow no more. The depth limit
 * (far past any stack Relay or Linux gives) only keeps the compiler from calling it endless. */
static int grow_stack(unsigned depth)
{
    volatile char frame[STACK_STEP];

    frame[0] = (char)depth;
    if (depth == 0xffffffffu)
        return frame[0];
    return grow_stack(depth + 1) + frame[0];
}

static void stack_child(void) { _exit(grow_stack(0)); }

static int wait_child(void (*body)(void))
{
    int status = 0;
    pid_t pid = fork();

    if (pid == 0)
        body();
    waitpid(pid, &status, 0);
    return status;
}

static int exhaust_memory(void)
{
    int brk_status = wait_child(grow_break), stack_status = wait_child(stack_child);
    bool brk_ok = WIFEXITED(brk_status) && WEXITSTATUS(brk_status) == 0;
    bool stack_ok = WIFSIGNALED(stack_status) && WTERMSIG(stack_status) == SIGSEGV;

    printf("fuzz: memory: brk until refused: %s\n", brk_ok ? "ENOMEM" : "something else");
    printf("fuzz: memory: stack until it cannot grow: %s\n",
           stack_ok ? "SIGSEGV" : "something else");
    return brk_ok && stack_ok ? 0 : 1;
}

static void count_signal(int sig) { (void)sig; }

/* Half the children block every signal, so all stay pending; half catch every one. */
static void signal_child(int blocks)
{
    struct sigaction sa;
    sigset_t all;

    sigfillset(&all);
    if (blocks) {
        sigprocmask(SIG_BLOCK, &all, NULL);
        sleep_forever();
    }
    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = count_signal;
    for (int s = 1; s < STANDARD_SIGNALS; s++)
        sigaction(s, &sa, NULL);
    sleep_forever();
}

#define DESCRIPTORS_MAX 4096 /* more than any descriptor limit the fuzzer meets */

static int exhaust_signals(void)
{
    pid_t kids[SIGNAL_KIDS];
    unsigned sent = 0;

    for (int i = 0; i < SIGNAL_KIDS; i++)
        if ((kids[i] = fork()) == 0)
            signal_child(i % 2);
    sleep_ms(50); /* let them install their handlers and masks */
    for (int round = 0; round < SIGNAL_ROUNDS; round++)
        for (int i = 0; i < SIGNAL_KIDS; i++)
            for (int s = 1; s < STANDARD_SIGNALS; s++)
                sent += s != SIGKILL && s != SIGSTOP && kill(kids[i], s) == 0;
    kill_and_reap(kids, SIGNAL_KIDS);
    printf("fuzz: signals: %s\n",
           sent == SIGNAL_ROUNDS * SIGNAL_KIDS * SIGNALS_PER_KID ? "all sent" : "some refused");
    return sent == SIGNAL_ROUNDS * SIGNAL_KIDS * SIGNALS_PER_KID ? 0 : 1;
}

/* Opens /dev/null and pipes until EMFILE, then closes them all; the pipes'
 * pages must all come back. */
static int exhaust_descriptors(void)
{
    static int fds[DESCRIPTORS_MAX];
    int n = 0, p[2], err = 0;

    while (n + 2 <= DESCRIPTORS_MAX) {
        if (n % 3 == 0 && pipe(p) == 0) {
            write(p[1], "x", 1); /* a page in each pipe */
            fds[n++] = p[0];
            fds[n++] = p[1];
        } else if ((fds[n] = open("/dev/null", O_RDONLY)) >= 0) {
            n++;
        } else {
            err = errno;
            break;
        }
    }
    for (int i = 0; i < n; i++)
        close(fds[i]);
    printf("fuzz: descriptors: open until it fails: %s\n", err == EMFILE ? "EMFILE" : "other");
    return err == EMFILE ? 0 : 1;
}

static int exhaust_mode(bool frames)
{
    long procs = process_count(), before, leaked;
    int problems;

    exhaust_processes(); /* a first round fills the kernel's caches... */
    exhaust_descriptors(); /* ...and its heap of open files and pipes */
    wait_for_process_count(procs, SETTLE_LIMIT);
    before = free_frames();
    problems = exhaust_processes() + exhaust_memory() + exhaust_signals() + exhaust_descriptors();
    wait_for_process_count(procs, SETTLE_LIMIT);
    leaked = before - free_frames();
    if (frames)
        printf("fuzz: frames leaked: %ld\n", leaked);
    return problems || (frames && leaked) ? 1 : 0;
}

/* ---------------------------------------------------------------- storm mode */

#define STORM_PERIOD_US 1000
#define STORM_SLICE_MS  100
/* Bounds for SIGALRMs per ms asleep. Time spent awake (handlers, the loop) is not counted
 * as asleep, yet the timer runs on: Linux shows about 1.08 per ms. Ticks may merge under load
 * (a pending SIGALRM absorbs the next), never multiply. */
#define STORM_MAX_RATIO   5 / 4
#define STORM_MIN_DIVISOR 2
#define STORM_SLACK       5

static volatile sig_atomic_t alarms, interrupts, quit;

static void on_storm_signal(int sig)
{
    if (sig == SIGALRM)
        alarms++;
    else if (sig == SIGINT)
        interrupts++;
    else
        quit = 1;
}

static void storm_handlers(void)
{
    struct sigaction sa;

    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = on_storm_signal;
    sigaction(SIGALRM, &sa, NULL);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGQUIT, &sa, NULL);
}

static int64_t ns_of(const struct timespec *t) { return (int64_t)t->tv_sec * NS_PER_SEC + t->tv_nsec; }

/* Sleeps STORM_SLICE_MS through every EINTR; returns the ns actually slept. A time left
 * that the kernel rounded up past the request counts as no time slept. */
static uint64_t sleep_slice(void)
{
    struct timespec left = {0, STORM_SLICE_MS * NS_PER_MS}, req;
    uint64_t slept = 0;

    do {
        req = left;
        if (nanosleep(&req, &left) == 0)
            left = (struct timespec){0, 0};
        if (ns_of(&left) <= ns_of(&req))
            slept += (uint64_t)(ns_of(&req) - ns_of(&left));
    } while (!quit && ns_of(&left) > 0);
    return slept;
}

/* A 1 ms ITIMER_REAL while keys arrive, until Ctrl-\. SIGALRMs may merge (a tick can pass
 * while one is pending), never multiply: at most one per elapsed ms. */
static int storm_mode(void)
{
    struct itimerval every_ms = {{0, STORM_PERIOD_US}, {0, STORM_PERIOD_US}}, off = {{0, 0}, {0, 0}};
    uint64_t slept_ns = 0;
    unsigned elapsed_ms;
    bool plausible;

    storm_handlers();
    setitimer(ITIMER_REAL, &every_ms, NULL);
    printf("fuzz: storm READY\n");
    while (!quit)
        slept_ns += sleep_slice();
    setitimer(ITIMER_REAL, &off, NULL);
    elapsed_ms = (unsigned)(slept_ns / NS_PER_MS);
    plausible = (unsigned)alarms <= elapsed_ms * STORM_MAX_RATIO + STORM_SLACK &&
                (unsigned)alarms >= elapsed_ms / STORM_MIN_DIVISOR;
    printf("fuzz: storm: %d SIGINTs\n", (int)interrupts);
    printf("fuzz: storm: SIGALRMs plausible: %s (%d in %u ms asleep)\n", plausible ? "yes" : "no",
           (int)alarms, elapsed_ms);
    return plausible ? 0 : 1;
}

/* ---------------------------------------------------------------- exec mode */

/* The child reports execve's error itself, and exits with EXEC_FAILED so the parent knows. */
#define EXEC_FAILED 127

static void exec_child(const char *name)
{
    char *argv[] = {(char *)name, NULL}, *envp[] = {NULL};

    execve(name, argv, envp);
    printf("fuzz: exec %s: %s\n", name, errno_text(errno));
    _exit(EXEC_FAILED);
}

static void exec_one(const char *name, struct tally *t)
{
    pid_t pid;
    int status;

    fflush(stdout);
    if ((pid = fork()) == 0)
        exec_child(name);
    arm_watchdog(BATCH_DEADLINE);
    status = reap_batch(pid, t);
    disarm_watchdog();
    if (WIFSIGNALED(status))
        printf("fuzz: exec %s: killed by signal %d\n", name, WTERMSIG(status));
    else if (WEXITSTATUS(status) != EXEC_FAILED)
        printf("fuzz: exec %s: exited %d\n", name, WEXITSTATUS(status));
}

static int exec_mode(int n, char **names, bool frames)
{
    struct tally t;
    long procs = process_count(), before;

    memset(&t, 0, sizeof(t));
    exec_one("no-such-program", &t); /* fills the kernel's caches */
    wait_for_process_count(procs, SETTLE_LIMIT);
    before = free_frames();
    for (int i = 0; i < n; i++)
        exec_one(names[i], &t);
    wait_for_process_count(procs, SETTLE_LIMIT);
    printf("fuzz: exec done, %u timed out\n", t.timed_out);
    if (frames)
        printf("fuzz: frames leaked: %ld\n", before - free_frames());
    return 0;
}

/* ---------------------------------------------------------------- main */

static bool has_flag(int argc, char **argv, const char *flag)
{
    for (int i = 1; i < argc; i++)
        if (!strcmp(argv[i], flag))
            return true;
    return false;
}

static int usage(void)
{
    fprintf(stderr, "usage: fuzz SEED CALLS [--frames] [--verbose] | fuzz errno SEED CALLS | "
                    "fuzz exhaust [--frames] | fuzz storm | fuzz exec [--frames] NAME...\n");
    return 2;
}

int main(int argc, char **argv)
{
    bool frames = has_flag(argc, argv, "--frames");

    verbose = has_flag(argc, argv, "--verbose");
    memory_init();
    if (argc < 2)
        return usage();
    if (!strcmp(argv[1], "errno") && argc >= 4)
        return errno_mode(strtoul(argv[2], NULL, 0), strtoul(argv[3], NULL, 0));
    if (!strcmp(argv[1], "exhaust"))
        return exhaust_mode(frames);
    if (!strcmp(argv[1], "storm"))
        return storm_mode();
    if (!strcmp(argv[1], "exec"))
        return exec_mode(argc - 2 - frames, argv + 2 + frames, frames);
    if (argc >= 3)
        return random_mode(strtoul(argv[1], NULL, 0), strtoul(argv[2], NULL, 0), frames);
    return usage();
}
