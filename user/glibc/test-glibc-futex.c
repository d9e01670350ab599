/*
 * test-glibc-futex: the futex system call's operations and errors, compared
 * with Linux, on words in a MAP_SHARED anonymous mapping that a parent and
 * its children share (threads do not exist yet). Waiters are children, each
 * forked once the one before is queued, so their queue order is known; the
 * parent counts the queued waiters with a FUTEX_REQUEUE of a word onto
 * itself (it moves none, and returns how many wait), and learns who woke
 * from which children exit. Prints only counts, child numbers and errno
 * names.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <linux/futex.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define WAITERS 4
#define MS      1000000L

struct shared {
    uint32_t word, other;
};

static struct shared *sh;

static long futex(uint32_t *uaddr, int op, uint32_t val, const void *timeout_or_val2,
                  uint32_t *uaddr2, uint32_t val3)
{
    long r = syscall(SYS_futex, uaddr, op, val, timeout_or_val2, uaddr2, val3);
    return r < 0 ? -errno : r;
}

static const char *err_name(long r)
{
    static char buf[16];

    switch (r) {
    case -EAGAIN:
        return "EAGAIN";
    case -ETIMEDOUT:
        return "ETIMEDOUT";
    case -EINTR:
        return "EINTR";
    case -EFAULT:
        return "EFAULT";
    case -EINVAL:
        return "EINVAL";
    case -ENOSYS:
        return "ENOSYS";
    case -EPERM:
        return "EPERM";
    }
    snprintf(buf, sizeof(buf), "%ld", r);
    return buf;
}

static void pause_ms(long n)
{
    struct timespec t = {0, n * MS};
    nanosleep(&t, NULL);
}

static long queued(uint32_t *w)
{
    return futex(w, FUTEX_REQUEUE, 0, (void *)(long)INT32_MAX, w, 0);
}

static void wait_queued(uint32_t *w, long n)
{
    while (queued(w) != n)
        pause_ms(1);
}

static pid_t child[WAITERS];

/* Child i waits; its exit status is the errno (0: woken). */
static void spawn(int i, uint32_t *w, int op, uint32_t val, const struct timespec *t, uint32_t bits)
{
    long before = queued(w);

    child[i] = fork();
    if (child[i] == 0)
        _exit((int)-futex(w, op, val, t, NULL, bits));
    wait_queued(w, before + 1);
}

/* Reaps n children and prints which woke, in child order, with results. */
static void reap(const char *what, int n)
{
    int status, seen[WAITERS] = {0};

    for (int k = 0; k < n; k++) {
        pid_t pid = wait(&status);
        for (int i = 0; i < WAITERS; i++)
            if (child[i] == pid)
                seen[i] = 1 + WEXITSTATUS(status);
    }
    printf("%s:", what);
    for (int i = 0; i < WAITERS; i++)
        if (seen[i])
            printf(" %d(%s)", i, seen[i] == 1 ? "0" : err_name(-(seen[i] - 1)));
    printf("\n");
}

static void on_usr1(int sig) { (void)sig; }

static void fifo_and_bitsets(void)
{
    for (int i = 0; i < WAITERS; i++)
        spawn(i, &sh->word, FUTEX_WAIT, 1, NULL, 0);
    printf("queued %ld\n", queued(&sh->word));
    printf("wake 1: %ld\n", futex(&sh->word, FUTEX_WAKE, 1, NULL, NULL, 0));
    reap("woke", 1);
    printf("wake 2: %ld\n", futex(&sh->word, FUTEX_WAKE, 2, NULL, NULL, 0));
    reap("woke", 2);
    printf("wake 0: %ld\n", futex(&sh->word, FUTEX_WAKE, 0, NULL, NULL, 0));
    reap("woke", 1);
    spawn(0, &sh->word, FUTEX_WAIT_BITSET, 1, NULL, 1);
    spawn(1, &sh->word, FUTEX_WAIT_BITSET, 1, NULL, 2);
    spawn(2, &sh->word, FUTEX_WAIT_BITSET, 1, NULL, 3);
    printf("wake bitset 2: %ld\n", futex(&sh->word, FUTEX_WAKE_BITSET, INT32_MAX, NULL, NULL, 2));
    reap("woke", 2);
    printf("wake bitset 4: %ld\n", futex(&sh->word, FUTEX_WAKE_BITSET, INT32_MAX, NULL, NULL, 4));
    printf("wake bitset 1: %ld\n", futex(&sh->word, FUTEX_WAKE_BITSET, INT32_MAX, NULL, NULL, 1));
    reap("woke", 1);
}

static void requeues(void)
{
    for (int i = 0; i < WAITERS; i++)
        spawn(i, &sh->word, FUTEX_WAIT, 1, NULL, 0);
    printf("cmp_requeue 1+2: %ld\n",
           futex(&sh->word, FUTEX_CMP_REQUEUE, 1, (void *)2, &sh->other, 1));
    reap("woke", 1);
    printf("on word %ld, on other %ld\n", queued(&sh->word), queued(&sh->other));
    printf("wake other: %ld\n", futex(&sh->other, FUTEX_WAKE, INT32_MAX, NULL, NULL, 0));
    reap("woke", 2);
    printf("requeue 0+all: %ld\n",
           futex(&sh->word, FUTEX_REQUEUE, 0, (void *)INT32_MAX, &sh->other, 0));
    printf("wake other: %ld\n", futex(&sh->other, FUTEX_WAKE, 1, NULL, NULL, 0));
    reap("woke", 1);
}

static void wake_ops(void)
{
    sh->other = 0;
    spawn(0, &sh->word, FUTEX_WAIT, 1, NULL, 0);
    spawn(1, &sh->other, FUTEX_WAIT, 0, NULL, 0);
    printf("wake_op set, eq: %ld\n", futex(&sh->word, FUTEX_WAKE_OP, 1, (void *)1, &sh->other,
                                           FUTEX_OP(FUTEX_OP_SET, 1, FUTEX_OP_CMP_EQ, 0)));
    reap("woke", 2);
    spawn(2, &sh->word, FUTEX_WAIT, 1, NULL, 0);
    spawn(3, &sh->other, FUTEX_WAIT, 1, NULL, 0);
    printf("wake_op add, gt: %ld\n", futex(&sh->word, FUTEX_WAKE_OP, 1, (void *)1, &sh->other,
                                           FUTEX_OP(FUTEX_OP_ADD, 1, FUTEX_OP_CMP_GT, 5)));
    reap("woke", 1);
    spawn(2, &sh->word, FUTEX_WAIT, 1, NULL, 0);
    spawn(1, &sh->word, FUTEX_WAIT, 1, NULL, 0);
    printf("wake_op 0, add, lt: %ld\n", futex(&sh->word, FUTEX_WAKE_OP, 0, (void *)1, &sh->other,
                                              FUTEX_OP(FUTEX_OP_ADD, 0, FUTEX_OP_CMP_LT, 0)));
    reap("woke", 1);
    printf("wake: %ld\n", futex(&sh->word, FUTEX_WAKE, 1, NULL, NULL, 0));
    reap("woke", 1);
    printf("other %u, wake other: %ld\n", sh->other,
           futex(&sh->other, FUTEX_WAKE, 1, NULL, NULL, 0));
    reap("woke", 1);
}

/* A handled signal: EINTR, unless SA_RESTART and no timeout (Linux restarts
 * that wait); a stop and SIGCONT never end a wait. */
static void signals(void)
{
    struct sigaction sa = {.sa_handler = on_usr1};
    struct timespec long_wait = {5, 0};

    sigaction(SIGUSR1, &sa, NULL);
    spawn(0, &sh->word, FUTEX_WAIT, 1, NULL, 0);
    kill(child[0], SIGUSR1);
    reap("handler", 1);
    spawn(0, &sh->word, FUTEX_WAIT, 1, &long_wait, 0);
    kill(child[0], SIGUSR1);
    reap("handler, timeout", 1);
    sa.sa_flags = SA_RESTART;
    sigaction(SIGUSR1, &sa, NULL);
    spawn(0, &sh->word, FUTEX_WAIT, 1, &long_wait, 0);
    kill(child[0], SIGUSR1);
    reap("SA_RESTART handler, timeout", 1);
    spawn(0, &sh->word, FUTEX_WAIT, 1, NULL, 0);
    kill(child[0], SIGUSR1);
    pause_ms(50);
    wait_queued(&sh->word, 1);
    printf("SA_RESTART handler: still waits\n");
    kill(child[0], SIGSTOP);
    pause_ms(50);
    kill(child[0], SIGCONT);
    pause_ms(50);
    wait_queued(&sh->word, 1);
    printf("stopped and continued: still waits\n");
    printf("wake: %ld\n", futex(&sh->word, FUTEX_WAKE, 1, NULL, NULL, 0));
    reap("woke", 1);
    spawn(0, &sh->word, FUTEX_WAIT, 1, &(struct timespec){0, 300 * MS}, 0);
    kill(child[0], SIGSTOP);
    pause_ms(50);
    kill(child[0], SIGCONT);
    reap("stopped and continued, timeout", 1);
    spawn(0, &sh->word, FUTEX_WAIT, 1, NULL, 0);
    kill(child[0], SIGKILL);
    wait(NULL);
    printf("killed waiter: queued %ld\n", queued(&sh->word));
    spawn(0, &sh->word, FUTEX_WAIT_BITSET, 1, NULL, FUTEX_BITSET_MATCH_ANY);
    kill(child[0], SIGSTOP);
    pause_ms(50);
    kill(child[0], SIGCONT);
    wait_queued(&sh->word, 1);
    printf("wake: %ld\n", futex(&sh->word, FUTEX_WAKE, 1, NULL, NULL, 0));
    reap("woke", 1);
}

int main(void)
{
    struct timespec small = {0, 20 * MS};
    long r;

    sh = mmap(NULL, sizeof(*sh), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    sh->word = 1;
    printf("wait, word differs: %s\n", err_name(futex(&sh->word, FUTEX_WAIT, 2, NULL, NULL, 0)));
    printf("wait, timeout: %s\n", err_name(futex(&sh->word, FUTEX_WAIT, 1, &small, NULL, 0)));
    printf("wait private, timeout: %s\n",
           err_name(futex(&sh->word, FUTEX_WAIT_PRIVATE, 1, &small, NULL, 0)));
    printf("wait, unaligned: %s\n",
           err_name(futex((uint32_t *)((char *)&sh->word + 1), FUTEX_WAIT, 1, NULL, NULL, 0)));
    printf("wake, unaligned: %s\n",
           err_name(futex((uint32_t *)((char *)&sh->word + 1), FUTEX_WAKE, 1, NULL, NULL, 0)));
    printf("wait, NULL: %s\n", err_name(futex(NULL, FUTEX_WAIT, 0, NULL, NULL, 0)));
    printf("wake, NULL: %s\n", err_name(futex(NULL, FUTEX_WAKE, 1, NULL, NULL, 0)));
    printf("wake private, NULL: %s\n", err_name(futex(NULL, FUTEX_WAKE_PRIVATE, 1, NULL, NULL, 0)));
    printf("wait, kernel address: %s\n",
           err_name(futex((uint32_t *)0xC0001000, FUTEX_WAIT, 0, NULL, NULL, 0)));
    printf("wake, nobody: %s\n", err_name(futex(&sh->word, FUTEX_WAKE, 1, NULL, NULL, 0)));
    printf("wait, bad timeout: %s\n",
           err_name(futex(&sh->word, FUTEX_WAIT, 1, &(struct timespec){0, 1000000000}, NULL, 0)));
    printf("wait, timeout fault: %s\n",
           err_name(futex(&sh->word, FUTEX_WAIT, 1, (void *)8, NULL, 0)));
    printf("wait bitset 0: %s\n", err_name(futex(&sh->word, FUTEX_WAIT_BITSET, 1, NULL, NULL, 0)));
    printf("wake bitset 0: %s\n", err_name(futex(&sh->word, FUTEX_WAKE_BITSET, 1, NULL, NULL, 0)));
    printf("wait realtime: %s\n",
           err_name(futex(&sh->word, FUTEX_WAIT | FUTEX_CLOCK_REALTIME, 1, &small, NULL, 0)));
    printf("wake realtime: %s\n",
           err_name(futex(&sh->word, FUTEX_WAKE | FUTEX_CLOCK_REALTIME, 1, NULL, NULL, 0)));
    printf("op 14: %s\n", err_name(futex(&sh->word, 14, 1, NULL, NULL, 0)));
    printf("op 99: %s\n", err_name(futex(&sh->word, 99, 1, NULL, NULL, 0)));
    printf("cmp_requeue differs: %s\n",
           err_name(futex(&sh->word, FUTEX_CMP_REQUEUE, 1, (void *)1, &sh->other, 5)));
    printf("requeue negative: %s\n",
           err_name(futex(&sh->word, FUTEX_REQUEUE, 1, (void *)-1, &sh->other, 0)));
    printf("futex_time64 wait, timeout: %s\n",
           err_name(syscall(SYS_futex_time64, &sh->word, FUTEX_WAIT, 1,
                            &(struct { int64_t s, ns; }){0, 20 * MS}, NULL, 0)
                        ? -errno
                        : 0));
    printf("futex_time64 bad timeout: %s\n",
           err_name(syscall(SYS_futex_time64, &sh->word, FUTEX_WAIT, 1,
                            &(struct { int64_t s, ns; }){-1, 0}, NULL, 0)
                        ? -errno
                        : 0));
    printf("wake_op private, unmapped: %s\n",
           err_name(futex(&sh->word, FUTEX_WAKE_OP_PRIVATE, 1, (void *)1, (uint32_t *)8, 0)));
    printf("requeue private, unmapped: %s\n",
           err_name(futex((uint32_t *)8, FUTEX_REQUEUE_PRIVATE, 1, (void *)1, &sh->other, 0)));
    printf("cmp_requeue private, unmapped: %s\n",
           err_name(futex((uint32_t *)8, FUTEX_CMP_REQUEUE_PRIVATE, 1, (void *)1, &sh->other, 0)));
    printf("wait_bitset absolute past: %s\n",
           err_name(futex(&sh->word, FUTEX_WAIT_BITSET, 1, &(struct timespec){1, 0}, NULL,
                          FUTEX_BITSET_MATCH_ANY)));
    printf("wait_bitset realtime past: %s\n",
           err_name(futex(&sh->word, FUTEX_WAIT_BITSET | FUTEX_CLOCK_REALTIME, 1,
                          &(struct timespec){1, 0}, NULL, FUTEX_BITSET_MATCH_ANY)));
    /* WAKE_OP on a word nobody waits on */
    sh->other = 5;
    r = futex(&sh->word, FUTEX_WAKE_OP, 1, (void *)1, &sh->other,
              FUTEX_OP(FUTEX_OP_ADD, 3, FUTEX_OP_CMP_EQ, 5));
    printf("wake_op add: %s other=%u\n", err_name(r), sh->other);
    r = futex(&sh->word, FUTEX_WAKE_OP, 1, (void *)1, &sh->other,
              FUTEX_OP((FUTEX_OP_OR | FUTEX_OP_OPARG_SHIFT), 4, FUTEX_OP_CMP_GT, 100));
    printf("wake_op or shift: %s other=%u\n", err_name(r), sh->other);
    r = futex(&sh->word, FUTEX_WAKE_OP, 1, (void *)1, &sh->other,
              FUTEX_OP(FUTEX_OP_ANDN, 1, FUTEX_OP_CMP_NE, 0));
    printf("wake_op andn: %s other=%u\n", err_name(r), sh->other);
    r = futex(&sh->word, FUTEX_WAKE_OP, 1, (void *)1, &sh->other,
              FUTEX_OP(FUTEX_OP_XOR, 0xfff, FUTEX_OP_CMP_LT, 0));
    printf("wake_op xor -1: %s other=%u\n", err_name(r), sh->other);
    r = futex(&sh->word, FUTEX_WAKE_OP, 1, (void *)1, &sh->other, FUTEX_OP(FUTEX_OP_SET, 7, 9, 0));
    printf("wake_op bad cmp: %s other=%u\n", err_name(r), sh->other);
    r = futex(&sh->word, FUTEX_WAKE_OP, 1, (void *)1, &sh->other, 6u << 28);
    printf("wake_op bad op: %s other=%u\n", err_name(r), sh->other);
    r = futex(&sh->word, FUTEX_WAKE_OP, 1, (void *)1, (uint32_t *)8, 0);
    printf("wake_op fault: %s\n", err_name(r));
    sh->word = 1;
    fifo_and_bitsets();
    requeues();
    wake_ops();
    signals();
    return 0;
}
