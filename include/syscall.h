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

/* Number, name and limits of every system call Relay implements: the third
 * field says what it leaves out of Linux's behaviour ("" when nothing is
 * known to be missing). tools/syscall-table writes docs/syscalls.md from
 * this list, and a test fails when the two disagree. */
#define SYSCALL_LIST(X)                                                                            \
    X(0, restart_syscall, "only the kernel's own restarts (sleeps); otherwise EINTR")              \
    X(1, exit, "")                                                                                 \
    X(2, fork,                                                                                     \
      "copies every private page at once (no copy-on-write); MAP_SHARED pages are shared")         \
    X(3, read, "")                                                                                 \
    X(4, write, "")                                                                                \
    X(5, open, "no O_PATH, O_TMPFILE, fifos or sockets")                                           \
    X(6, close, "")                                                                                \
    X(7, waitpid, "")                                                                              \
    X(8, creat, "")                                                                                \
    X(9, link, "")                                                                                 \
    X(10, unlink, "")                                                                              \
    X(11, execve,                                                                                  \
      "at most 64 argv and envp strings, in one page (Linux takes far more); set-user-id and "     \
      "set-group-id bits are ignored")                                                             \
    X(12, chdir, "")                                                                               \
    X(13, time, "")                                                                                \
    X(15, chmod, "")                                                                               \
    X(19, lseek, "")                                                                               \
    X(20, getpid, "")                                                                              \
    X(27, alarm, "")                                                                               \
    X(29, pause, "")                                                                               \
    X(33, access, "privilege is root's uid: no capabilities or ACLs")                              \
    X(36, sync, "nothing to write back: files live in memory")                                     \
    X(37, kill, "")                                                                                \
    X(38, rename, "no RENAME_EXCHANGE or RENAME_WHITEOUT (EINVAL)")                                \
    X(39, mkdir, "")                                                                               \
    X(40, rmdir, "")                                                                               \
    X(41, dup, "")                                                                                 \
    X(42, pipe, "")                                                                                \
    X(43, times, "CPU times sampled by the timer tick (`hz=`), as Linux's tick accounting")        \
    X(45, brk,                                                                                     \
      "ends below the mappings (MMAP_TOP, include/mm.h); RLIMIT_DATA counts the heap and "         \
      "private writable mappings, not the image's data")                                           \
    X(48, signal, "")                                                                              \
    X(54, ioctl,                                                                                   \
      "the terminal's TIOCGPGRP and TIOCSPGRP, and FIOCLEX/FIONCLEX; no termios yet (ENOTTY)")     \
    X(57, setpgid, "")                                                                             \
    X(60, umask, "")                                                                               \
    X(63, dup2, "")                                                                                \
    X(64, getppid, "")                                                                             \
    X(65, getpgrp, "")                                                                             \
    X(66, setsid, "")                                                                              \
    X(67, sigaction, "")                                                                           \
    X(72, sigsuspend, "")                                                                          \
    X(73, sigpending, "")                                                                          \
    X(75, setrlimit,                                                                               \
      "enforced: NOFILE, NPROC, FSIZE, SIGPENDING, CPU, STACK, AS, DATA; CORE is kept (no cores)") \
    X(76, getrlimit, "")                                                                           \
    X(77, getrusage,                                                                               \
      "CPU times (tick-sampled) and context switches; maxrss, page faults and I/O counts read 0")  \
    X(78, gettimeofday, "the time zone is always UTC")                                             \
    X(79, settimeofday, "the time zone is ignored (UTC)")                                          \
    X(83, symlink, "")                                                                             \
    X(85, readlink, "")                                                                            \
    X(91, munmap, "")                                                                              \
    X(92, truncate, "files are at most 4 GiB - 1 (EFBIG)")                                         \
    X(93, ftruncate, "files are at most 4 GiB - 1 (EFBIG)")                                        \
    X(94, fchmod, "")                                                                              \
    X(96, getpriority, "")                                                                         \
    X(97, setpriority, "nice values are kept and reported; the scheduler ignores them")            \
    X(104, setitimer, "timer resolution is one tick (`hz=`)")                                      \
    X(105, getitimer, "")                                                                          \
    X(114, wait4,                                                                                  \
      "rusage holds CPU times and context switches; maxrss, page faults and I/O counts read 0")    \
    X(116, sysinfo, "no load averages, swap, shared or buffer memory: those read 0")               \
    X(118, fsync, "nothing to write back: files live in memory")                                   \
    X(119, sigreturn, "refuses forged frames that Linux would sanitize (docs/signals.md)")         \
    X(120, clone,                                                                                  \
      "fork-like flags only (an exit signal of SIGCHLD, the tid flags); combinations Linux "       \
      "refuses are EINVAL, but threads and shared tables are ENOSYS")                              \
    X(122, uname, "sysname Linux, release 6.1.0-relay: programs check the ABI this way")           \
    X(125, mprotect,                                                                               \
      "PROT_READ and PROT_EXEC are one bit (no execute bit without PAE); PROT_GROWSDOWN is "       \
      "EINVAL")                                                                                    \
    X(126, sigprocmask, "")                                                                        \
    X(132, getpgid, "")                                                                            \
    X(133, fchdir, "")                                                                             \
    X(140, _llseek, "")                                                                            \
    X(142, _newselect, "a pipe wakes a waiter at once, the terminal is looked at again each tick") \
    X(144, msync, "checks only: shared file mappings map the file's own pages")                    \
    X(145, readv, "from a pipe or the terminal, at most a page in one call")                       \
    X(146, writev, "")                                                                             \
    X(148, fdatasync, "nothing to write back: files live in memory")                               \
    X(155, sched_getparam, "")                                                                     \
    X(157, sched_getscheduler, "always SCHED_OTHER: there is no sched_setscheduler")               \
    X(158, sched_yield, "")                                                                        \
    X(159, sched_get_priority_max, "")                                                             \
    X(160, sched_get_priority_min, "")                                                             \
    X(162, nanosleep, "sleeps in whole ticks (`hz=`)")                                             \
    X(163, mremap,                                                                                 \
      "the old range must lie in one mmap2 region (the image and heap are EFAULT); no "            \
      "MREMAP_FIXED or MREMAP_DONTUNMAP, no old_len 0 (EINVAL)")                                   \
    X(168, poll, "a pipe wakes a waiter at once, the terminal is looked at again each tick")       \
    X(172, prctl, "PR_SET/GET_NAME, _PDEATHSIG, _DUMPABLE, _NO_NEW_PRIVS; others EINVAL")          \
    X(173, rt_sigreturn, "refuses forged frames that Linux would sanitize (docs/signals.md)")      \
    X(174, rt_sigaction, "")                                                                       \
    X(175, rt_sigprocmask, "")                                                                     \
    X(176, rt_sigpending, "")                                                                      \
    X(177, rt_sigtimedwait, "waits in whole ticks")                                                \
    X(178, rt_sigqueueinfo, "a full queue is RLIMIT_SIGPENDING or the 256-entry pool")             \
    X(179, rt_sigsuspend, "")                                                                      \
    X(180, pread64, "on the terminal it reads as read does (Linux: ESPIPE)")                       \
    X(181, pwrite64, "on the terminal it writes as write does (Linux: ESPIPE)")                    \
    X(183, getcwd, "")                                                                             \
    X(186, sigaltstack, "")                                                                        \
    X(187, sendfile, "from regular files only, as Linux (whose source must be mappable)")          \
    X(190, vfork,                                                                                  \
      "the child gets a copy of the parent's memory, as from fork; a signal ends the parent's "    \
      "wait early")                                                                                \
    X(191, ugetrlimit,                                                                             \
      "enforced: NOFILE, NPROC, FSIZE, SIGPENDING, CPU, STACK, AS, DATA; CORE is kept (no cores)") \
    X(192, mmap2,                                                                                  \
      "a private file mapping copies the bytes at map time; file pages past the end at map "       \
      "time stay SIGBUS if the file grows; truncating does not SIGBUS a shared mapping; out "      \
      "of memory at a fault is SIGSEGV, not the OOM killer; hints only below the stack's room")    \
    X(193, truncate64, "files are at most 4 GiB - 1 (EFBIG)")                                      \
    X(194, ftruncate64, "files are at most 4 GiB - 1 (EFBIG)")                                     \
    X(195, stat64, "times count from boot (no wall clock yet)")                                    \
    X(196, lstat64, "times count from boot (no wall clock yet)")                                   \
    X(197, fstat64, "times count from boot (no wall clock yet)")                                   \
    X(198, lchown32, "")                                                                           \
    X(199, getuid32, "")                                                                           \
    X(200, getgid32, "")                                                                           \
    X(201, geteuid32, "")                                                                          \
    X(202, getegid32, "")                                                                          \
    X(203, setreuid32,                                                                             \
      "privilege is root's uid; RLIMIT_NPROC is not checked again at execve (Linux: EAGAIN)")      \
    X(204, setregid32, "")                                                                         \
    X(205, getgroups32, "no supplementary groups")                                                 \
    X(206, setgroups32, "at most 32 groups (NGROUPS_RELAY; Linux: 65536): more is EINVAL")         \
    X(207, fchown32, "")                                                                           \
    X(208, setresuid32,                                                                            \
      "privilege is root's uid; RLIMIT_NPROC is not checked again at execve (Linux: EAGAIN)")      \
    X(209, getresuid32, "")                                                                        \
    X(210, setresgid32, "")                                                                        \
    X(211, getresgid32, "")                                                                        \
    X(212, chown32, "")                                                                            \
    X(213, setuid32,                                                                               \
      "privilege is root's uid; RLIMIT_NPROC is not checked again at execve (Linux: EAGAIN)")      \
    X(214, setgid32, "no capabilities but root's: privilege is effective uid 0")                   \
    X(215, setfsuid32, "")                                                                         \
    X(216, setfsgid32, "")                                                                         \
    X(219, madvise,                                                                                \
      "DONTNEED zeroes private pages (file ones too: no re-read); REMOVE zeroes shared ones; "     \
      "the other advice is accepted and does nothing")                                             \
    X(220, getdents64, "")                                                                         \
    X(221, fcntl64,                                                                                \
      "F_DUPFD(_CLOEXEC), F_GETFD/SETFD, F_GETFL/SETFL (O_APPEND, O_NONBLOCK); no locks (EINVAL)") \
    X(224, gettid, "the pid: one thread per process")                                              \
    X(238, tkill, "")                                                                              \
    X(239, sendfile64, "from regular files only, as Linux (whose source must be mappable)")        \
    X(240, futex,                                                                                  \
      "no priority-inheritance operations (ENOSYS); timeouts end on a timer tick; no robust "      \
      "futexes")                                                                                   \
    X(241, sched_setaffinity, "one CPU: a mask must hold CPU 0")                                   \
    X(242, sched_getaffinity, "one CPU: the mask is 4 bytes, 1")                                   \
    X(243, set_thread_area, "")                                                                    \
    X(244, get_thread_area, "")                                                                    \
    X(252, exit_group, "")                                                                         \
    X(258, set_tid_address, "the address is kept but never written (no threads)")                  \
    X(259, timer_create,                                                                           \
      "at most 32 timers per process (EAGAIN); signals below 32 until real-time signals come; "    \
      "SIGEV_THREAD_ID only to the caller itself")                                                 \
    X(260, timer_settime, "fires on the first tick at or after its time")                          \
    X(261, timer_gettime, "")                                                                      \
    X(262, timer_getoverrun, "")                                                                   \
    X(263, timer_delete, "a signal it queued is dropped at once (Linux: when it would be taken)")  \
    X(264, clock_settime, "CLOCK_REALTIME only")                                                   \
    X(265, clock_gettime,                                                                          \
      "CLOCK_REALTIME starts from the RTC at boot; clocks tick at hz= and the TSC refines them; "  \
      "CPU-time clocks count whole ticks; no alarm clocks (EOPNOTSUPP)")                           \
    X(266, clock_getres, "CPU-time clocks report a tick (Linux: 1 ns for CPUCLOCK_SCHED)")         \
    X(267, clock_nanosleep,                                                                        \
      "sleeps in whole ticks; an absolute CLOCK_REALTIME sleep sees a clock change only at its "   \
      "next tick")                                                                                 \
    X(268, statfs64, "answers as Linux's ramfs: no block or inode counts")                         \
    X(269, fstatfs64, "answers as Linux's ramfs: no block or inode counts")                        \
    X(270, tgkill, "")                                                                             \
    X(284, waitid, "no pidfds: P_PIDFD is always EBADF (or EINVAL for a negative one)")            \
    X(295, openat, "no O_PATH, O_TMPFILE, fifos or sockets")                                       \
    X(296, mkdirat, "")                                                                            \
    X(298, fchownat, "")                                                                           \
    X(300, fstatat64, "times count from boot (no wall clock yet)")                                 \
    X(301, unlinkat, "")                                                                           \
    X(302, renameat, "no RENAME_EXCHANGE or RENAME_WHITEOUT (EINVAL)")                             \
    X(303, linkat, "AT_SYMLINK_FOLLOW is ignored")                                                 \
    X(304, symlinkat, "")                                                                          \
    X(305, readlinkat, "")                                                                         \
    X(306, fchmodat, "")                                                                           \
    X(307, faccessat, "privilege is root's uid: no capabilities or ACLs")                          \
    X(308, pselect6, "a pipe wakes a waiter at once, the terminal is looked at again each tick")   \
    X(309, ppoll, "a pipe wakes a waiter at once, the terminal is looked at again each tick")      \
    X(311, set_robust_list, "kept, unused until futexes come with threads")                        \
    X(320, utimensat, "times are kept in 32-bit seconds")                                          \
    X(330, dup3, "")                                                                               \
    X(331, pipe2, "")                                                                              \
    X(335, rt_tgsigqueueinfo, "a full queue is RLIMIT_SIGPENDING or the 256-entry pool")           \
    X(340, prlimit64,                                                                              \
      "enforced: NOFILE, NPROC, FSIZE, SIGPENDING, CPU, STACK, AS, DATA; CORE is kept (no cores)") \
    X(344, syncfs, "nothing to write back: files live in memory")                                  \
    X(353, renameat2, "RENAME_NOREPLACE only: RENAME_EXCHANGE and RENAME_WHITEOUT are EINVAL")     \
    X(355, getrandom, "xorshift bytes seeded from the TSC: not cryptographic")                     \
    X(383, statx, "no birth time (STATX_BTIME)")                                                   \
    X(386, rseq, "always ENOSYS, as Linux built without CONFIG_RSEQ: glibc then runs without it")  \
    X(403, clock_gettime64,                                                                        \
      "CLOCK_REALTIME starts from the RTC at boot; clocks tick at hz= and the TSC refines them; "  \
      "CPU-time clocks count whole ticks; no alarm clocks (EOPNOTSUPP)")                           \
    X(404, clock_settime64, "CLOCK_REALTIME only")                                                 \
    X(406, clock_getres_time64, "CPU-time clocks report a tick (Linux: 1 ns for CPUCLOCK_SCHED)")  \
    X(407, clock_nanosleep_time64,                                                                 \
      "sleeps in whole ticks; an absolute CLOCK_REALTIME sleep sees a clock change only at its "   \
      "next tick")                                                                                 \
    X(408, timer_gettime64, "")                                                                    \
    X(409, timer_settime64, "fires on the first tick at or after its time")                        \
    X(412, utimensat_time64, "times are kept in 32-bit seconds")                                   \
    X(413, pselect6_time64,                                                                        \
      "a pipe wakes a waiter at once, the terminal is looked at again each tick")                  \
    X(414, ppoll_time64,                                                                           \
      "a pipe wakes a waiter at once, the terminal is looked at again each tick")                  \
    X(421, rt_sigtimedwait_time64, "waits in whole ticks")                                         \
    X(422, futex_time64,                                                                           \
      "no priority-inheritance operations (ENOSYS); timeouts end on a timer tick; no robust "      \
      "futexes")                                                                                   \
    X(435, clone3,                                                                                 \
      "fork-like only, as clone; set_tid, CLONE_CLEAR_SIGHAND and CLONE_INTO_CGROUP are ENOSYS")   \
    X(439, faccessat2, "privilege is root's uid: no capabilities or ACLs")

#define SYSCALL_ENUM(nr, name, limits) SYS_##name = nr,
enum syscall_number { SYSCALL_LIST(SYSCALL_ENUM) };
#undef SYSCALL_ENUM

/* The six argument registers. A call that needs the other saved registers
 * (fork, sigreturn) finds them in current_proc()->tf: a system call always
 * comes from user mode, so its trap frame is the one at the top of the
 * process's kernel stack. */
struct syscall_args {
    uint32_t arg[6];
};

#define SYSCALL_PROTOTYPE(nr, name, limits) long sys_##name(const struct syscall_args *args);
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

#define SYSCALL_DEFINE6(name, t1, a1, t2, a2, t3, a3, t4, a4, t5, a5, t6, a6)                      \
    static long do_sys_##name(t1 a1, t2 a2, t3 a3, t4 a4, t5 a5, t6 a6);                           \
    long sys_##name(const struct syscall_args *args)                                               \
    {                                                                                              \
        return do_sys_##name((t1)args->arg[0], (t2)args->arg[1], (t3)args->arg[2],                 \
                             (t4)args->arg[3], (t5)args->arg[4], (t6)args->arg[5]);                \
    }                                                                                              \
    static long do_sys_##name(t1 a1, t2 a2, t3 a3, t4 a4, t5 a5, t6 a6)

/* Called by trap_dispatch for int $0x80. */
void syscall_dispatch(struct trapframe *tf);

/* Linux's name for system call nr (build/gen/syscall_names.c, made from Linux's
 * <asm/unistd_32.h> by tools/syscall-table), or NULL when
 * Linux i386 has no call with that number. */
const char *syscall_linux_name(int nr);

struct proc;
/* Logs the unimplemented calls p made under its current program, with counts
 * (tools/relay run prints them); called when p exits or execs another. */
void syscall_report_missing(struct proc *p);
