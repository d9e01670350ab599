/*
 * test-glibc-mmap-limits: the stack that grows down, and the limits on
 * memory. The stack grows on a touch far below the stack pointer and under
 * a deep recursion; with RLIMIT_STACK lowered, a touch past the limit is
 * SIGSEGV (SEGV_MAPERR at the address touched) and a runaway recursion
 * dies of SIGSEGV. RLIMIT_AS and RLIMIT_DATA make mmap, mremap and brk fail
 * with ENOMEM. Each case runs in a child, so that its limits stay its own.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#define KIB 1024
#define MIB (1024 * 1024)
#define FRAME_BYTES KIB
#define SMALL_STACK (256 * KIB)
#define ANON (MAP_PRIVATE | MAP_ANONYMOUS)
#define RW (PROT_READ | PROT_WRITE)

static sigjmp_buf recover;
static volatile int fault_code;
static volatile uintptr_t fault_addr;

static const char *yes(int cond) { return cond ? "yes" : "no"; }

static void show_map(const char *what, void *r)
{
    if (r == MAP_FAILED)
        printf("  %s = MAP_FAILED %s\n", what, strerrorname_np(errno));
    else
        printf("  %s = a mapping\n", what);
}

static void on_segv(int sig, siginfo_t *si, void *ctx)
{
    (void)sig, (void)ctx;
    fault_code = si->si_code;
    fault_addr = (uintptr_t)si->si_addr;
    siglongjmp(recover, 1);
}

/* Each level keeps FRAME_BYTES on the stack and counts itself; the sum
 * stops tail calls. */
static int recurse(int depth)
{
    volatile char frame[FRAME_BYTES];

    frame[0] = (char)depth;
    frame[FRAME_BYTES - 1] = 0;
    return depth ? recurse(depth - 1) + 1 + frame[FRAME_BYTES - 1] : frame[0];
}

static void set_limit(int resource, rlim_t bytes)
{
    struct rlimit r = {bytes, bytes};
    setrlimit(resource, &r);
}

/* An address `below` bytes under this frame, made without pointer
 * arithmetic past the object (which the compiler may turn into a trap). */
static volatile char *below_here(uintptr_t below)
{
    char here;
    uintptr_t at = (uintptr_t)&here;

    __asm__("" : "+r"(at)); /* hide where it came from */
    return (volatile char *)(at - below);
}

/* Runs case_fn in a child and says how the child ended. */
static void in_child(const char *what, void (*case_fn)(void))
{
    int status;

    printf("%s:\n", what);
    if (fork() == 0) {
        case_fn();
        _exit(0);
    }
    wait(&status);
    if (WIFSIGNALED(status))
        printf("  killed by %s\n", sigabbrev_np(WTERMSIG(status)));
    else
        printf("  exit %d\n", WEXITSTATUS(status));
}

static void touch_far_below(void)
{
    volatile char *far = below_here(2 * MIB);

    *far = 1;
    printf("  a byte 2 MiB below the stack pointer written: %s\n", yes(*far == 1));
}

static void deep_recursion(void) { printf("  levels of 1 KiB: %d\n", recurse(MIB / FRAME_BYTES)); }

static void touch_past_limit(void)
{
    struct sigaction sa = {.sa_sigaction = on_segv, .sa_flags = SA_SIGINFO};
    volatile char *far = below_here(MIB);

    sigaction(SIGSEGV, &sa, NULL);
    set_limit(RLIMIT_STACK, SMALL_STACK);
    if (!sigsetjmp(recover, 1)) {
        *far = 1;
        printf("  no fault\n");
        return;
    }
    printf("  SIGSEGV %s, si_addr the byte touched: %s\n",
           fault_code == SEGV_MAPERR ? "SEGV_MAPERR" : "not SEGV_MAPERR",
           yes(fault_addr == (uintptr_t)far));
}

static void runaway_recursion(void)
{
    set_limit(RLIMIT_STACK, SMALL_STACK);
    printf("  levels within the limit: %d\n", recurse(SMALL_STACK / 2 / FRAME_BYTES));
    fflush(stdout);
    recurse(1 << 30);
}

static void address_space(void)
{
    char *m;

    set_limit(RLIMIT_AS, 64 * MIB);
    show_map("mmap(100 MiB)", mmap(NULL, 100 * MIB, RW, ANON, -1, 0));
    m = mmap(NULL, 8 * MIB, RW, ANON, -1, 0);
    show_map("mmap(8 MiB)", m);
    show_map("mremap(8 MiB to 100 MiB)", mremap(m, 8 * MIB, 100 * MIB, MREMAP_MAYMOVE));
    printf("  sbrk(100 MiB) fails with ENOMEM: %s\n",
           yes(sbrk(100 * MIB) == (void *)-1 && errno == ENOMEM));
}

static void data_limit(void)
{
    set_limit(RLIMIT_DATA, 4 * MIB);
    show_map("mmap(8 MiB, private, writable)", mmap(NULL, 8 * MIB, RW, ANON, -1, 0));
    show_map("mmap(8 MiB, private, read-only)", mmap(NULL, 8 * MIB, PROT_READ, ANON, -1, 0));
    show_map("mmap(8 MiB, shared, writable)",
             mmap(NULL, 8 * MIB, RW, MAP_SHARED | MAP_ANONYMOUS, -1, 0));
    printf("  sbrk(8 MiB) fails with ENOMEM: %s\n",
           yes(sbrk(8 * MIB) == (void *)-1 && errno == ENOMEM));
}

int main(void)
{
    setvbuf(stdout, NULL, _IONBF, 0);
    in_child("the stack grows to a touch far below it", touch_far_below);
    in_child("the stack grows under a deep recursion", deep_recursion);
    in_child("RLIMIT_STACK 256 KiB, a touch 1 MiB below", touch_past_limit);
    in_child("RLIMIT_STACK 256 KiB, a runaway recursion", runaway_recursion);
    in_child("RLIMIT_AS 64 MiB", address_space);
    in_child("RLIMIT_DATA 4 MiB", data_limit);
    return 0;
}
