/* Internal to the library: helpers shared between its files. */
#ifndef LIBC_INTERNAL_H
#define LIBC_INTERNAL_H

#include <stdarg.h>

/* Raw system call (syscall.S): the kernel's eax, -errno on failure. */
long syscall6(long nr, long a1, long a2, long a3, long a4, long a5, long a6);

/* Turns a raw result into the C convention: -1 with errno set, or the value. */
long sys_result(long raw);

#define SYSCALL0(nr)             syscall6(nr, 0, 0, 0, 0, 0, 0)
#define SYSCALL1(nr, a)          syscall6(nr, (long)(a), 0, 0, 0, 0, 0)
#define SYSCALL2(nr, a, b)       syscall6(nr, (long)(a), (long)(b), 0, 0, 0, 0)
#define SYSCALL3(nr, a, b, c)    syscall6(nr, (long)(a), (long)(b), (long)(c), 0, 0, 0)
#define SYSCALL4(nr, a, b, c, d) syscall6(nr, (long)(a), (long)(b), (long)(c), (long)(d), 0, 0)

/* Set by libc_start: the auxiliary vector after envp. */
extern unsigned long *libc_auxv;

/* The printf engine (format.c): sends each output character to put(ctx, c) and returns the
 * number of characters produced. */
typedef void (*format_put)(void *ctx, char c);
int format(format_put put, void *ctx, const char *fmt, va_list ap);

#endif
