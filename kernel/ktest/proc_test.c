/*
 * Suite "proc": processes, scheduled for real. The runner boots it with the
 * user programs spin, sleepy, forktree and memtour as modules (tests/suites.py). The
 * test itself plays the scheduler's caller: it starts processes and runs
 * schedule_once() until they are done, then looks at what they left behind.
 */
#include "ktest.h"
#include "pmm.h"
#include "proc.h"
#include "timer.h"
#include "x86.h"

#define LEAK_ROUNDS 15 /* forktree makes 7 processes: 105 in all */
#define MEMTOUR_ROUNDS 3
#define PREEMPT_TICKS 60
#define MIN_SHARE_TICKS 10

static void run_until_zombie(struct proc *p)
{
    while (p->state != PROC_ZOMBIE)
        schedule_once();
    sti();
}

static void run_for_ticks(unsigned n)
{
    uint64_t end = timer_ticks() + n;
    while (timer_ticks() < end)
        schedule_once();
    sti();
}

/* Runs program argv[0] to its end, successfully; false if it could not. */
static bool run_once(const char *const argv[])
{
    struct proc *p = ktest_spawn(argv[0], argv, 1);

    if (!p)
        return false;
    run_until_zombie(p);
    EXPECT_EQ(p->wait_status, 0);
    proc_free(p);
    return true;
}

/* Runs the program `rounds` times: the free-frame count must come back.
 * A first run comes before the count is taken, because the kernel heap
 * keeps the frames its size classes take (kernel/mm/kheap.c), and what a
 * first run makes it take depends on what ran before. */
static void expect_no_frames_left(const char *const argv[], int rounds)
{
    uint32_t baseline;

    ASSERT_TRUE(run_once(argv));
    baseline = pmm_free_count();
    for (int i = 0; i < rounds; i++)
        ASSERT_TRUE(run_once(argv));
    EXPECT_EQ(pmm_free_count(), baseline);
}

/* pid 1 is init, and init's exit stops the machine: take pid 1 with a
 * long sleeper first, so that the processes under test are ordinary ones. */
KTEST("proc", stand_in_init_takes_pid_1)
{
    static const char *const argv[] = {"sleepy", "1", "100000", NULL};
    struct proc *init = ktest_spawn("sleepy", argv, 3);

    ASSERT_TRUE(init != NULL);
    EXPECT_EQ(init->pid, INIT_PID);
}

KTEST("proc", hundred_processes_leave_no_frames_behind)
{
    static const char *const argv[] = {"forktree", NULL};

    expect_no_frames_left(argv, LEAK_ROUNDS);
}

/* Shared, file, private, moved and PROT_NONE mappings, a grown stack and a
 * fork (user/bin/memtour.c): every frame comes back at exit. */
KTEST("proc", every_kind_of_mapping_leaves_no_frames_behind)
{
    static const char *const argv[] = {"memtour", NULL};

    expect_no_frames_left(argv, MEMTOUR_ROUNDS);
}

KTEST("proc", two_cpu_bound_processes_share_the_cpu)
{
    static const char *const argv[] = {"spin", "1000", "1000", NULL};
    struct proc *a = ktest_spawn("spin", argv, 3), *b = ktest_spawn("spin", argv, 3);

    ASSERT_TRUE(a && b);
    run_for_ticks(PREEMPT_TICKS);
    ktest_diag("spin A ran %u ticks, spin B %u ticks", a->cpu_ticks, b->cpu_ticks);
    EXPECT_GE(a->cpu_ticks, MIN_SHARE_TICKS);
    EXPECT_GE(b->cpu_ticks, MIN_SHARE_TICKS);
    proc_free(a);
    proc_free(b);
}

KTEST("proc", a_sleeping_process_costs_no_cpu)
{
    static const char *const argv[] = {"sleepy", "1", "500", NULL};
    struct proc *p = ktest_spawn("sleepy", argv, 3);

    ASSERT_TRUE(p != NULL);
    run_for_ticks(timer_hz() / 4); /* a quarter of a second into its sleep */
    EXPECT_EQ(p->state, PROC_SLEEPING);
    EXPECT_LE(p->cpu_ticks, 1);
    run_until_zombie(p);
    EXPECT_EQ(p->wait_status, 0);
    proc_free(p);
}

KTEST("proc", exec_rejects_unknown_program)
{
    static const char *const argv[] = {"nosuch", NULL};
    EXPECT_TRUE(ktest_spawn("nosuch", argv, 1) == NULL);
}
