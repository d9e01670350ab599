/* Programs and execve (kernel/proc/exec.c). */
#pragma once

#include "errno.h"
#include "types.h"

struct proc;

/* exec_program's answer for a file whose header is fine but whose segments
 * are not (see kernel/proc/elf.c). Linux discovers that after execve's point of
 * no return, so the caller of execve must not get it back: sys_execve ends
 * the process with SIGSEGV, as Linux does. */
#define EXEC_BAD_SEGMENTS (-EINVAL)

/* Replaces p's user image with the program at path (from p's working
 * directory; a bare name not found there is looked for in /bin), with argv
 * and envp given as kernel strings. On failure p is unchanged. 0, -ENOENT,
 * -ENOTDIR, -ELOOP, -EACCES, -ENOEXEC, EXEC_BAD_SEGMENTS, -ENOMEM or -E2BIG. */
int exec_program(struct proc *p, const char *path, const char *const argv[], int argc,
                 const char *const envp[], int envc);

/* Creates pid 1 from the program named by init= (default "init", found in
 * /bin). Its arguments are what followed "--" on the kernel's command line.
 * False when it cannot be run. */
bool exec_start_init(void);
