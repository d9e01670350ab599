/*
 * test-glibc-sigqueue: real-time signals, compared with Linux. While
 * blocked, RT signals queue one instance per sending, each with its own
 * si_value, and come out lowest number first, each number in the order it
 * was sent; a standard signal sent twice is pending once; a synchronous
 * fault would come first. kill() of an RT signal queues one more each time.
 * sigqueue's rule: a siginfo claiming the kernel or tkill (si_code >= 0 or
 * SI_TKILL) may only go to oneself (EPERM to another process). With
 * RLIMIT_SIGPENDING lowered, sigqueue past it is EAGAIN, while kill()
 * still sends (without a queue entry). fork's child has nothing pending.
 * Signals sent to the thread come before those sent to the process.
 * /proc/PID/status shows the 64-bit sets.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#define MAX_RECORDS 32
#define QUEUE_LIMIT 4

static int order[MAX_RECORDS], values[MAX_RECORDS], codes[MAX_RECORDS];
static volatile int recorded;

static void record(int sig, siginfo_t *si, void *uc)
{
    (void)uc;
    if (recorded < MAX_RECORDS) {
        order[recorded] = sig;
        values[recorded] = si->si_value.sival_int;
        codes[recorded] = si->si_code;
        recorded++;
    }
}

static void show(const char *what, long r)
{
    if (r < 0)
        printf("%s = -1 %s\n", what, strerrorname_np(errno));
    else
        printf("%s = %ld\n", what, r);
}

static void catch(int sig)
{
    /* All blocked in the handler: one runs to its end before the next is
     * delivered, so the records are in delivery order. */
    struct sigaction sa = {.sa_sigaction = record, .sa_flags = SA_SIGINFO};
    sigfillset(&sa.sa_mask);
    sigaction(sig, &sa, NULL);
}

static void block_all(sigset_t *old)
{
    sigset_t all;
    sigfillset(&all);
    sigprocmask(SIG_BLOCK, &all, old);
}

static void print_records(void)
{
    for (int i = 0; i < recorded; i++)
        printf("  %s%d value %d code %d\n", order[i] >= SIGRTMIN ? "SIGRTMIN+" : "sig ",
               order[i] >= SIGRTMIN ? order[i] - SIGRTMIN : order[i], values[i], codes[i]);
    recorded = 0;
}

static int queue(int sig, int value)
{
    return sigqueue(getpid(), sig, (union sigval){.sival_int = value});
}

static void queued_in_order(void)
{
    sigset_t old;

    printf("RT signals queued while blocked, then unblocked:\n");
    for (int s = 0; s <= 3; s++)
        catch(SIGRTMIN + s);
    catch(SIGUSR1);
    catch(SIGRTMAX);
    block_all(&old);
    queue(SIGRTMIN + 3, 1);
    queue(SIGRTMIN + 1, 2);
    queue(SIGRTMAX, 3);
    queue(SIGRTMIN + 3, 4);
    queue(SIGRTMIN, 5);
    queue(SIGRTMIN + 1, 6);
    queue(SIGUSR1, 7);
    queue(SIGUSR1, 8); /* merged: one SIGUSR1, with one of the two values */
    kill(getpid(), SIGRTMIN + 2);
    kill(getpid(), SIGRTMIN + 2);
    sigset_t pending;
    sigpending(&pending);
    printf("  pending SIGRTMIN: %d SIGRTMAX: %d SIGUSR1: %d\n", sigismember(&pending, SIGRTMIN),
           sigismember(&pending, SIGRTMAX), sigismember(&pending, SIGUSR1));
    sigprocmask(SIG_SETMASK, &old, NULL);
    print_records();
}

static void send_info(const char *what, pid_t pid, int code)
{
    siginfo_t si;

    memset(&si, 0, sizeof(si));
    si.si_signo = SIGRTMIN;
    si.si_code = code;
    si.si_pid = getpid();
    si.si_uid = getuid();
    si.si_value.sival_int = 42;
    show(what, syscall(SYS_rt_sigqueueinfo, pid, SIGRTMIN, &si));
}

static void permission_rule(void)
{
    sigset_t old;
    pid_t child;
    int status;

    printf("rt_sigqueueinfo's rule:\n");
    block_all(&old);
    child = fork();
    if (child == 0) {
        pause();
        _exit(0);
    }
    send_info("  SI_USER to another process", child, SI_USER);
    send_info("  SI_TKILL to another process", child, SI_TKILL);
    send_info("  SI_KERNEL to another process", child, SI_KERNEL);
    send_info("  SI_QUEUE to another process", child, SI_QUEUE);
    send_info("  SI_USER to itself", getpid(), SI_USER);
    send_info("  SI_TKILL to itself", getpid(), SI_TKILL);
    send_info("  SI_QUEUE to a missing process", 999999, SI_QUEUE);
    siginfo_t si = {.si_code = SI_QUEUE};
    show("  rt_tgsigqueueinfo tid 0", syscall(SYS_rt_tgsigqueueinfo, getpid(), 0, SIGRTMIN, &si));
    show("  rt_sigqueueinfo bad siginfo pointer",
         syscall(SYS_rt_sigqueueinfo, getpid(), SIGRTMIN, (void *)8));
    show("  sigqueue signal 65", sigqueue(getpid(), 65, (union sigval){0}));
    kill(child, SIGKILL);
    waitpid(child, &status, 0);
    show("  rt_tgsigqueueinfo to itself",
         syscall(SYS_rt_tgsigqueueinfo, getpid(), getpid(), SIGRTMIN + 1, &si));
    sigprocmask(SIG_SETMASK, &old, NULL);
    print_records();
}

/* Signals sent to the thread (raise, tkill, tgkill) are taken before those
 * sent to the process (kill, sigqueue), and a standard signal can be
 * pending once for each. */
static void thread_first(void)
{
    sigset_t old;

    printf("sent to the thread, then to the process:\n");
    catch(SIGUSR2);
    block_all(&old);
    kill(getpid(), SIGUSR1);
    queue(SIGRTMIN, 1);
    raise(SIGUSR2);
    raise(SIGUSR1);
    raise(SIGRTMIN);
    syscall(SYS_tkill, getpid(), SIGRTMIN + 1);
    sigprocmask(SIG_SETMASK, &old, NULL);
    print_records();
}

/* How many signals the processes of this uid have queued (SigQ). */
static unsigned queued_now(void)
{
    char line[256];
    unsigned n = 0;
    FILE *f = fopen("/proc/self/status", "r");

    while (f && fgets(line, sizeof(line), f))
        sscanf(line, "SigQ: %u/", &n);
    if (f)
        fclose(f);
    return n;
}

/* The host's count is per uid, and other processes of the same user hold
 * part of it, which may change meanwhile: the output says what happens,
 * not after how many. It runs in a child, whose lowered limit cannot be
 * raised again. */
static void queue_limit(void)
{
    rlim_t limit = queued_now() + QUEUE_LIMIT;
    struct rlimit low = {limit, limit};
    sigset_t old;
    int queued = 0, in_order = 1;

    printf("RLIMIT_SIGPENDING lowered to %d above what is queued:\n", QUEUE_LIMIT);
    setrlimit(RLIMIT_SIGPENDING, &low);
    block_all(&old);
    while (queued < MAX_RECORDS && queue(SIGRTMIN + 3, 100 + queued) == 0)
        queued++;
    show("  sigqueue past it", queue(SIGRTMIN + 3, 0));
    printf("  some were queued first: %s\n", queued >= 1 ? "yes" : "no");
    show("  kill past it", kill(getpid(), SIGRTMIN + 3));
    show("  tgkill past it", syscall(SYS_tgkill, getpid(), getpid(), SIGRTMIN + 3));
    pid_t child = fork();
    if (child == 0) {
        sigset_t pending;
        sigpending(&pending);
        printf("  fork's child has SIGRTMIN+3 pending: %d\n", sigismember(&pending, SIGRTMIN + 3));
        _exit(0);
    }
    waitpid(child, NULL, 0);
    sigprocmask(SIG_SETMASK, &old, NULL);
    for (int i = 0; i < recorded; i++)
        in_order &= order[i] == SIGRTMIN + 3 && values[i] == 100 + i && codes[i] == SI_QUEUE;
    printf("  each queued one delivered once, in order (kill's was lost): %s\n",
           in_order && recorded == queued ? "yes" : "no");
    recorded = 0;
}

static void fault_first(void)
{
    sigset_t two, old;

    printf("a fault comes before a lower pending signal:\n");
    catch(SIGSEGV);
    catch(SIGHUP);
    sigemptyset(&two);
    sigaddset(&two, SIGHUP);
    sigaddset(&two, SIGSEGV);
    sigprocmask(SIG_BLOCK, &two, &old);
    raise(SIGHUP);
    raise(SIGSEGV);
    sigprocmask(SIG_SETMASK, &old, NULL);
    print_records();
}
/* /proc/self/status's signal sets, 64 bits each: SigPnd the thread's
 * pending signals, ShdPnd the process's. */
static void status_lines(void)
{
    /* SigIgn's lower half is left out: it holds what the caller ignored
     * (a shell's background job ignores SIGINT and SIGQUIT). */
    static const char *const wanted[] = {"SigPnd:", "ShdPnd:", "SigBlk:", "SigIgn:", "SigCgt:"};
    static const int shown[] = {16, 16, 16, 8, 16};
    const int hex_at = 8; /* after "SigXxx:\t" */
    char line[256];
    sigset_t old, two;
    FILE *f;

    printf("/proc/self/status with SIGRTMIN+5 blocked, killed and raised, SIGRTMAX ignored:\n");
    sigemptyset(&two);
    sigaddset(&two, SIGRTMIN + 5);
    sigprocmask(SIG_BLOCK, &two, &old);
    signal(SIGRTMAX, SIG_IGN);
    kill(getpid(), SIGRTMIN + 5);
    raise(SIGRTMIN + 5);
    f = fopen("/proc/self/status", "r");
    while (f && fgets(line, sizeof(line), f))
        for (size_t i = 0; i < sizeof(wanted) / sizeof(wanted[0]); i++)
            if (!strncmp(line, wanted[i], strlen(wanted[i])))
                printf("  %.*s\n", hex_at + shown[i], line);
    if (f)
        fclose(f);
    signal(SIGRTMAX, SIG_DFL);
    catch(SIGRTMIN + 5);
    sigprocmask(SIG_SETMASK, &old, NULL);
    print_records();
}

int main(void)
{
    setvbuf(stdout, NULL, _IONBF, 0);
    printf("SIGRTMIN %d SIGRTMAX %d\n", SIGRTMIN, SIGRTMAX);
    queued_in_order();
    permission_rule();
    fault_first();
    thread_first();
    status_lines();
    if (fork() == 0) {
        queue_limit();
        return 0;
    }
    wait(NULL);
    return 0;
}
