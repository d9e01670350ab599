/*
 * test-glibc-futex-pshared: glibc's process-shared mutex, condition
 * variable, barrier and semaphore in a MAP_SHARED anonymous mapping, used by
 * a parent and several children (threads do not exist yet): they sleep on
 * non-private futexes whose key is the shared physical word. A stress of
 * children incrementing one counter under the mutex, a condition-variable
 * ping-pong of many rounds, barrier rounds, a semaphore hand-off, and timed
 * waits that time out (sem_timedwait, pthread_mutex_timedlock: FUTEX_WAIT_BITSET
 * on CLOCK_REALTIME). Prints only totals, so nothing depends on timing.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <semaphore.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define WORKERS        4
#define INCREMENTS     2000
#define ROUNDS         200
#define BARRIER_ROUNDS 20
#define TIMEOUT_NS     20000000L
#define NS_PER_SEC     1000000000L

struct shared {
    pthread_mutex_t lock;
    pthread_cond_t turn_changed;
    pthread_barrier_t barrier;
    sem_t ready, done;
    long counter;
    int turn; /* ping-pong: whose move (0: parent, 1: child) */
    int arrivals[BARRIER_ROUNDS];
};

static struct shared *sh;

static void init_shared(void)
{
    pthread_mutexattr_t ma;
    pthread_condattr_t ca;
    pthread_barrierattr_t ba;

    sh = mmap(NULL, sizeof(*sh), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    pthread_mutexattr_init(&ma);
    pthread_mutexattr_setpshared(&ma, PTHREAD_PROCESS_SHARED);
    pthread_mutex_init(&sh->lock, &ma);
    pthread_condattr_init(&ca);
    pthread_condattr_setpshared(&ca, PTHREAD_PROCESS_SHARED);
    pthread_cond_init(&sh->turn_changed, &ca);
    pthread_barrierattr_init(&ba);
    pthread_barrierattr_setpshared(&ba, PTHREAD_PROCESS_SHARED);
    pthread_barrier_init(&sh->barrier, &ba, WORKERS + 1);
    sem_init(&sh->ready, 1, 0);
    sem_init(&sh->done, 1, 0);
}

static int reap_all(int n)
{
    int status, failures = 0;

    for (int i = 0; i < n; i++) {
        wait(&status);
        failures += !WIFEXITED(status) || WEXITSTATUS(status);
    }
    return failures;
}

/* Every worker adds INCREMENTS under the lock, yielding inside it now and
 * then so that the others meet it held and sleep. */
static void mutex_stress(void)
{
    for (int w = 0; w < WORKERS; w++)
        if (fork() == 0) {
            for (int i = 0; i < INCREMENTS; i++) {
                pthread_mutex_lock(&sh->lock);
                long v = sh->counter;
                if (i % 64 == 0)
                    sched_yield();
                sh->counter = v + 1;
                pthread_mutex_unlock(&sh->lock);
            }
            _exit(0);
        }
    int failures = reap_all(WORKERS);

    printf("mutex stress: failures %d, counter %ld of %d\n", failures, sh->counter,
           WORKERS * INCREMENTS);
}

static void wait_turn(int me)
{
    pthread_mutex_lock(&sh->lock);
    while (sh->turn != me)
        pthread_cond_wait(&sh->turn_changed, &sh->lock);
    sh->turn = !me;
    sh->counter++;
    pthread_cond_signal(&sh->turn_changed);
    pthread_mutex_unlock(&sh->lock);
}

static void ping_pong(void)
{
    sh->counter = 0;
    sh->turn = 0;
    if (fork() == 0) {
        for (int i = 0; i < ROUNDS; i++)
            wait_turn(1);
        _exit(0);
    }
    for (int i = 0; i < ROUNDS; i++)
        wait_turn(0);
    int failures = reap_all(1);

    printf("ping-pong: failures %d, moves %ld of %d\n", failures, sh->counter, 2 * ROUNDS);
}

/* Each round every worker marks its arrival; after the barrier the parent
 * sees all of them. */
static void barrier_rounds(void)
{
    int serial = 0, complete = 0;

    for (int w = 0; w < WORKERS; w++)
        if (fork() == 0) {
            for (int r = 0; r < BARRIER_ROUNDS; r++) {
                __atomic_add_fetch(&sh->arrivals[r], 1, __ATOMIC_SEQ_CST);
                serial += pthread_barrier_wait(&sh->barrier) == PTHREAD_BARRIER_SERIAL_THREAD;
                pthread_barrier_wait(&sh->barrier);
            }
            _exit(serial > BARRIER_ROUNDS);
        }
    for (int r = 0; r < BARRIER_ROUNDS; r++) {
        pthread_barrier_wait(&sh->barrier);
        complete += sh->arrivals[r] == WORKERS;
        pthread_barrier_wait(&sh->barrier);
    }
    int failures = reap_all(WORKERS);

    printf("barrier: failures %d, complete rounds %d of %d\n", failures, complete, BARRIER_ROUNDS);
}

static void semaphores(void)
{
    int got = 0;

    for (int w = 0; w < WORKERS; w++)
        if (fork() == 0) {
            sem_wait(&sh->ready);
            sem_post(&sh->done);
            _exit(0);
        }
    for (int w = 0; w < WORKERS; w++)
        sem_post(&sh->ready);
    for (int w = 0; w < WORKERS; w++)
        got += sem_wait(&sh->done) == 0;
    int failures = reap_all(WORKERS);

    printf("semaphores: failures %d, posts seen %d of %d\n", failures, got, WORKERS);
}

static struct timespec soon(void)
{
    struct timespec t;

    clock_gettime(CLOCK_REALTIME, &t);
    t.tv_nsec += TIMEOUT_NS;
    if (t.tv_nsec >= NS_PER_SEC) {
        t.tv_sec++;
        t.tv_nsec -= NS_PER_SEC;
    }
    return t;
}

static void timeouts(void)
{
    struct timespec t = soon();
    int r = sem_timedwait(&sh->ready, &t);

    printf("sem_timedwait: %d %s\n", r, r ? strerror(errno) : "");
    pthread_mutex_lock(&sh->lock);
    if (fork() == 0) {
        t = soon();
        _exit(pthread_mutex_timedlock(&sh->lock, &t) == ETIMEDOUT ? 0 : 1);
    }
    printf("pthread_mutex_timedlock held elsewhere: failures %d\n", reap_all(1));
    pthread_mutex_unlock(&sh->lock);
}

int main(void)
{
    init_shared();
    mutex_stress();
    ping_pong();
    barrier_rounds();
    semaphores();
    timeouts();
    return 0;
}
