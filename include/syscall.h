/*
 * System calls (kernel/syscall.c): int $0x80 with the Linux i386 numbers
 * and conventions (../shared/LINUX-I386-ABI.md). eax holds the number,
 * ebx, ecx, edx, esi, edi, ebp the arguments; the result goes back in eax,
 * -errno on failure.
 *
 * A handler is written with SYSCALL_DEFINEn, as in Linux:
 *
 *     SYSCALL_DEFINE3(write, int, fd, uintptr_t, buf, size_t, count)
 *     {
 *         ...
 *     }
 *
 * which defines sys_write(const struct syscall_args *) for the table and a
 * typed body that reads like a normal C function.
 */
#pragma once

#include "types.h"

struct trapframe;

/* Number and name of every system call Relay implements. */
#define SYSCALL_LIST(X)                                                                            \
    X(1, exit)                                                                                     \
    X(2, fork)                                                                                     \
    X(3, read)                                                                                     \
    X(4, write)                                                                                    \
    X(7, waitpid)                                                                                  \
    X(11, execve)                                                                                  \
    X(20, getpid)                                                                                  \
    X(27, alarm)                                                                                   \
    X(29, pause)                                                                                   \
    X(37, kill)                                                                                    \
    X(45, brk)                                                                                     \
    X(48, signal)                                                                                  \
    X(54, ioctl)                                                                                   \
    X(57, setpgid)                                                                                 \
    X(64, getppid)                                                                                 \
    X(65, getpgrp)                                                                                 \
    X(66, setsid)                                                                                  \
    X(67, sigaction)                                                                               \
    X(72, sigsuspend)                                                                              \
    X(73, sigpending)                                                                              \
    X(104, setitimer)                                                                              \
    X(105, getitimer)                                                                              \
    X(114, wait4)                                                                                  \
    X(116, sysinfo)                                                                                \
    X(119, sigreturn)                                                                              \
    X(120, clone)                                                                                  \
    X(125, mprotect)                                                                               \
    X(126, sigprocmask)                                                                            \
    X(132, getpgid)                                                                                \
    X(158, sched_yield)                                                                            \
    X(162, nanosleep)                                                                              \
    X(173, rt_sigreturn)                                                                           \
    X(174, rt_sigaction)                                                                           \
    X(175, rt_sigprocmask)                                                                         \
    X(176, rt_sigpending)                                                                          \
    X(179, rt_sigsuspend)                                                                          \
    X(224, gettid)                                                                                 \
    X(238, tkill)                                                                                  \
    X(243, set_thread_area)                                                                        \
    X(252, exit_group)                                                                             \
    X(258, set_tid_address)                                                                        \
    X(270, tgkill)

#define SYSCALL_ENUM(nr, name) SYS_##name = nr,
enum syscall_number { SYSCALL_LIST(SYSCALL_ENUM) };
#undef SYSCALL_ENUM

/* The six argument registers. A call that needs the other saved registers
 * (fork, sigreturn) finds them in current_proc()->tf: a system call always
 * comes from user mode, so its trap frame is the one at the top of the
 * process's kernel stack. */
struct syscall_args {
    uint32_t arg[6];
};

#define SYSCALL_PROTOTYPE(nr, name) long sys_##name(const struct syscall_args *args);
SYSCALL_LIST(SYSCALL_PROTOTYPE)
#undef SYSCALL_PROTOTYPE

#define SYSCALL_DEFINE0(name)                                                                      \
    static long do_sys_##name(void);                                                               \
    long sys_##name(const struct syscall_args *args UNUSED) { return do_sys_##name(); }            \
    static long do_sys_##name(void)
#define SYSCALL_DEFINE1(name, t1, a1)                                                              \
    static long do_sys_##name(t1 a1);                                                              \
    long sys_##name(const struct syscall_args *args) { return do_sys_##name((t1)args->arg[0]); }   \
    static long do_sys_##name(t1 a1)
#define SYSCALL_DEFINE2(name, t1, a1, t2, a2)                                                      \
    static long do_sys_##name(t1 a1, t2 a2);                                                       \
    long sys_##name(const struct syscall_args *args)                                               \
    {                                                                                              \
        return do_sys_##name((t1)args->arg[0], (t2)args->arg[1]);                                  \
    }                                                                                              \
    static long do_sys_##name(t1 a1, t2 a2)
#define SYSCALL_DEFINE3(name, t1, a1, t2, a2, t3, a3)                                              \
    static long do_sys_##name(t1 a1, t2 a2, t3 a3);                                                \
    long sys_##name(const struct syscall_args *args)                                               \
    {                                                                                              \
        return do_sys_##name((t1)args->arg[0], (t2)args->arg[1], (t3)args->arg[2]);                \
    }                                                                                              \
    static long do_sys_##name(t1 a1, t2 a2, t3 a3)
#define SYSCALL_DEFINE4(name, t1, a1, t2, a2, t3, a3, t4, a4)                                      \
    static long do_sys_##name(t1 a1, t2 a2, t3 a3, t4 a4);                                         \
    long sys_##name(const struct syscall_args *args)                                               \
    {                                                                                              \
        return do_sys_##name((t1)args->arg[0], (t2)args->arg[1], (t3)args->arg[2],                 \
                             (t4)args->arg[3]);                                                    \
    }                                                                                              \
    static long do_sys_##name(t1 a1, t2 a2, t3 a3, t4 a4)

#define SYSCALL_DEFINE5(name, t1, a1, t2, a2, t3, a3, t4, a4, t5, a5)                              \
    static long do_sys_##name(t1 a1, t2 a2, t3 a3, t4 a4, t5 a5);                                  \
    long sys_##name(const struct syscall_args *args)                                               \
    {                                                                                              \
        return do_sys_##name((t1)args->arg[0], (t2)args->arg[1], (t3)args->arg[2],                 \
                             (t4)args->arg[3], (t5)args->arg[4]);                                  \
    }                                                                                              \
    static long do_sys_##name(t1 a1, t2 a2, t3 a3, t4 a4, t5 a5)

/* Called by trap_dispatch for int $0x80. */
void syscall_dispatch(struct trapframe *tf);
