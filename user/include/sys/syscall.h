/* Linux i386 system-call numbers (arch/x86/entry/syscalls/syscall_32.tbl), the ones Relay
 * implements or plans to. The only place these numbers are written. */
#ifndef _SYS_SYSCALL_H
#define _SYS_SYSCALL_H

#define SYS_exit           1
#define SYS_fork           2
#define SYS_read           3
#define SYS_write          4
#define SYS_open           5
#define SYS_close          6
#define SYS_waitpid        7
#define SYS_execve         11
#define SYS_time           13
#define SYS_getpid         20
#define SYS_alarm          27
#define SYS_pause          29
#define SYS_kill           37
#define SYS_brk            45
#define SYS_signal         48
#define SYS_ioctl          54
#define SYS_setpgid        57
#define SYS_getppid        64
#define SYS_getpgrp        65
#define SYS_setsid         66
#define SYS_sigaction      67
#define SYS_sgetmask       68
#define SYS_ssetmask       69
#define SYS_sigsuspend     72
#define SYS_sigpending     73
#define SYS_setitimer      104
#define SYS_getitimer      105
#define SYS_wait4          114
#define SYS_sigreturn      119
#define SYS_clone          120
#define SYS_sigprocmask    126
#define SYS_getpgid        132
#define SYS_sched_yield    158
#define SYS_nanosleep      162
#define SYS_rt_sigreturn   173
#define SYS_rt_sigaction   174
#define SYS_rt_sigprocmask 175
#define SYS_rt_sigpending  176
#define SYS_rt_sigsuspend  179
#define SYS_sigaltstack    186
#define SYS_gettid         224
#define SYS_tkill          238
#define SYS_set_thread_area 243
#define SYS_get_thread_area 244
#define SYS_exit_group     252
#define SYS_tgkill         270

#endif
