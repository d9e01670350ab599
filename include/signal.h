/* Signal numbers and wait-status encoding, as on Linux i386
 * (../shared/LINUX-I386-ABI.md). */
#pragma once

#define SIGHUP 1
#define SIGINT 2
#define SIGQUIT 3
#define SIGILL 4
#define SIGTRAP 5
#define SIGABRT 6
#define SIGBUS 7
#define SIGFPE 8
#define SIGKILL 9
#define SIGUSR1 10
#define SIGSEGV 11
#define SIGUSR2 12
#define SIGPIPE 13
#define SIGALRM 14
#define SIGTERM 15
#define SIGCHLD 17
#define SIGCONT 18
#define SIGSTOP 19
#define SIGTSTP 20
#define NSIG 32

/* Wait status: exited = code << 8; killed = signal (| 0x80 with a core). */
#define WAIT_STATUS_EXITED(code) (((code) & 0xFF) << 8)
#define WAIT_STATUS_SIGNALED(sig) (sig)
#define WAIT_STATUS_CORE 0x80
