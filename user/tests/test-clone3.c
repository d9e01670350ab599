/* test-clone3: clone3 as a libc could use it for fork, and the arguments Linux refuses
 * (clone3(2) ERRORS, kernel/fork.c's checks of struct clone_args): a size below the
 * first version's is EINVAL, one past a page E2BIG, nonzero bytes past the known
 * fields E2BIG; an exit signal out of range, the CSIGNAL bits or CLONE_DETACHED in the
 * flags, an exit signal with CLONE_THREAD or CLONE_PARENT, a stack without a size or a
 * size without a stack, set_tid without its size are EINVAL; an unreadable struct is
 * EFAULT. No child is made by a refused call; if one were, it leaves at once. */
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "check.h"

#ifndef SYS_clone3
#define SYS_clone3 435
#endif
#define CLONE_VM            0x00000100ull
#define CLONE_SIGHAND       0x00000800ull
#define CLONE_PARENT        0x00008000ull
#define CLONE_THREAD        0x00010000ull
#define CLONE_PARENT_SETTID 0x00100000ull
#define CLONE_DETACHED      0x00400000ull
#define CLONE_CHILD_SETTID  0x01000000ull
#define CLONE_ARGS_SIZE_VER0 64 /* flags .. tls */
#define CLONE_ARGS_SIZE_VER2 88 /* .. set_tid, set_tid_size, cgroup */
#define PAGE_SIZE 4096
#define BAD_ADDR ((void *)0x10) /* page 0 is never mapped */
#define CHILD_SAW_ITS_TID 3
#define CHILD_RAN 4

/* struct clone_args (include/uapi/linux/sched.h): every field 64 bits. */
struct clone_args {
    uint64_t flags, pidfd, child_tid, parent_tid, exit_signal, stack, stack_size, tls;
    uint64_t set_tid, set_tid_size, cgroup;
};

/* Room for a struct larger than the kernel knows, to see how its tail is read. */
static union {
    struct clone_args args;
    unsigned char bytes[PAGE_SIZE + 8];
} buf;
static int child_tid;

static void reset(uint64_t flags)
{
    memset(&buf, 0, sizeof(buf));
    buf.args.flags = flags;
    buf.args.exit_signal = SIGCHLD;
}

static void try_clone3(const char *what, void *args, unsigned long size)
{
    long r = syscall(SYS_clone3, args, size);
    int st;

    if (r == 0)
        _exit(child_tid == getpid() ? CHILD_SAW_ITS_TID : CHILD_RAN);
    if (r < 0) {
        show(what, r);
        return;
    }
    waitpid((pid_t)r, &st, 0);
    printf("%s: returned the child's pid, child exited %d\n", what, WEXITSTATUS(st));
}

static void refused(void)
{
    reset(0);
    try_clone3("size below VER0", &buf, CLONE_ARGS_SIZE_VER0 - 8);
    try_clone3("size past a page", &buf, PAGE_SIZE + 8);
    buf.bytes[CLONE_ARGS_SIZE_VER2] = 1;
    try_clone3("a nonzero byte past the known fields", &buf, CLONE_ARGS_SIZE_VER2 + 8);
    try_clone3("unreadable struct", BAD_ADDR, CLONE_ARGS_SIZE_VER0);
    reset(0);
    buf.args.exit_signal = 65;
    try_clone3("exit signal 65", &buf, CLONE_ARGS_SIZE_VER0);
    buf.args.exit_signal = 1ull << 32 | SIGCHLD;
    try_clone3("exit signal's high bits", &buf, CLONE_ARGS_SIZE_VER0);
    reset(SIGCHLD);
    try_clone3("CSIGNAL bits in flags", &buf, CLONE_ARGS_SIZE_VER0);
    reset(CLONE_DETACHED);
    try_clone3("CLONE_DETACHED", &buf, CLONE_ARGS_SIZE_VER0);
    reset(CLONE_PARENT);
    try_clone3("CLONE_PARENT with an exit signal", &buf, CLONE_ARGS_SIZE_VER0);
    reset(CLONE_THREAD | CLONE_SIGHAND | CLONE_VM);
    try_clone3("CLONE_THREAD with an exit signal", &buf, CLONE_ARGS_SIZE_VER0);
    reset(CLONE_THREAD | CLONE_VM);
    buf.args.exit_signal = 0;
    try_clone3("CLONE_THREAD without SIGHAND", &buf, CLONE_ARGS_SIZE_VER0);
    reset(0);
    buf.args.stack_size = PAGE_SIZE;
    try_clone3("a stack size without a stack", &buf, CLONE_ARGS_SIZE_VER0);
    reset(0);
    buf.args.stack = (uintptr_t)buf.bytes;
    try_clone3("a stack without a size", &buf, CLONE_ARGS_SIZE_VER0);
    reset(0);
    buf.args.set_tid_size = 1;
    try_clone3("set_tid_size without set_tid", &buf, CLONE_ARGS_SIZE_VER2);
}

int main(void)
{
    int parent_tid = 0;

    fflush(stdout);
    refused();
    reset(0);
    try_clone3("fork-like, VER0", &buf, CLONE_ARGS_SIZE_VER0);
    reset(0);
    try_clone3("fork-like, VER2", &buf, CLONE_ARGS_SIZE_VER2);
    reset(0);
    try_clone3("fork-like, zeroes past VER2", &buf, CLONE_ARGS_SIZE_VER2 + 8);
    reset(CLONE_PARENT_SETTID | CLONE_CHILD_SETTID);
    buf.args.parent_tid = (uintptr_t)&parent_tid;
    buf.args.child_tid = (uintptr_t)&child_tid;
    try_clone3("PARENT_SETTID|CHILD_SETTID", &buf, CLONE_ARGS_SIZE_VER0);
    printf("  parent_tid set: %s, the parent's child_tid untouched: %s\n", yes(parent_tid > 0),
           yes(child_tid == 0));
    return 0;
}
