/* POSIX process, I/O and job-control calls. Each returns -1 and sets errno on failure. */
#ifndef _UNISTD_H
#define _UNISTD_H

#include <sys/types.h>

#define STDIN_FILENO  0
#define STDOUT_FILENO 1
#define STDERR_FILENO 2

extern char **environ;

ssize_t read(int fd, void *buf, size_t count);
ssize_t write(int fd, const void *buf, size_t count);

/* fork and execve flush stdio first, so buffered output is written exactly once. */
pid_t fork(void);
int execve(const char *path, char *const argv[], char *const envp[]);
int execv(const char *path, char *const argv[]);
void _exit(int status) __attribute__((noreturn));

pid_t getpid(void);
pid_t getppid(void);
pid_t gettid(void);

int setpgid(pid_t pid, pid_t pgid);
pid_t getpgid(pid_t pid);
pid_t getpgrp(void);
pid_t setsid(void);
pid_t tcgetpgrp(int fd);
int tcsetpgrp(int fd, pid_t pgrp);

/* brk succeeds only when the kernel moved the break to exactly addr. */
int brk(void *addr);
void *sbrk(long increment);

/* SIGALRM after seconds (0 cancels); returns the seconds left of the previous alarm. */
unsigned int alarm(unsigned int seconds);
/* Waits until a handler has run; always -1 with EINTR. */
int pause(void);
/* Sleeps; returns 0, or the seconds left when a handler interrupted the sleep. */
unsigned int sleep(unsigned int seconds);

/* Files and directories. */
#define SEEK_SET 0
#define SEEK_CUR 1
#define SEEK_END 2
#define F_OK 0
#define X_OK 1
#define W_OK 2
#define R_OK 4
int close(int fd);
off_t lseek(int fd, off_t offset, int whence);
int dup(int fd);
int dup2(int oldfd, int newfd);
int dup3(int oldfd, int newfd, int flags);
int pipe(int fds[2]);
int pipe2(int fds[2], int flags);
int unlink(const char *path);
int rmdir(const char *path);
int link(const char *oldpath, const char *newpath);
int symlink(const char *target, const char *path);
ssize_t readlink(const char *path, char *buf, size_t size);
int chdir(const char *path);
int fchdir(int fd);
char *getcwd(char *buf, size_t size);
int access(const char *path, int mode);

/* The raw call: returns the kernel's result, or -1 with errno set. For tests. */
long syscall(long nr, ...);

#endif
