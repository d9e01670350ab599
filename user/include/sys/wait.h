/* Waiting for children. The status word is Linux's: exited = code << 8, killed = signal
 * (| 0x80 if it dumped core), stopped = (signal << 8) | 0x7f, continued = 0xffff. */
#ifndef _SYS_WAIT_H
#define _SYS_WAIT_H

#include <sys/types.h>

#define WNOHANG    1
#define WUNTRACED  2
#define WCONTINUED 8

#define WEXITSTATUS(s)  (((s) >> 8) & 0xff)
#define WTERMSIG(s)     ((s)&0x7f)
#define WSTOPSIG(s)     WEXITSTATUS(s)
#define WCOREDUMP(s)    (((s)&0x80) != 0)
#define WIFEXITED(s)    (WTERMSIG(s) == 0)
#define WIFSTOPPED(s)   (((s)&0xff) == 0x7f)
#define WIFSIGNALED(s)  (WTERMSIG(s) != 0 && WTERMSIG(s) != 0x7f)
#define WIFCONTINUED(s) ((s) == 0xffff)

struct rusage;

pid_t wait(int *status);
pid_t waitpid(pid_t pid, int *status, int options);
/* ru (struct rusage, sys/resource.h) may be NULL. */
pid_t wait4(pid_t pid, int *status, int options, struct rusage *ru);

#endif
