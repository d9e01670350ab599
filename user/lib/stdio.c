/* Buffered output streams over write(). stdout flushes on '\n' and stderr after every call, so
 * the interleaving of the two does not depend on what fd 1 is. fork, execve and exit flush
 * everything first (syscalls.c, stdlib.c). */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "libc.h"

enum { BUF_LINE, BUF_NONE };

struct file {
    int fd;
    int mode;
    int len;
    char buf[BUFSIZ];
};

static FILE out_file = {STDOUT_FILENO, BUF_LINE, 0, {0}};
static FILE err_file = {STDERR_FILENO, BUF_NONE, 0, {0}};
FILE *stdout = &out_file;
FILE *stderr = &err_file;

int fflush(FILE *f)
{
    int done = 0, n;

    if (!f)
        return fflush(stdout) | fflush(stderr);
    while (done < f->len) {
        n = write(f->fd, f->buf + done, f->len - done);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            f->len = 0; /* drop what cannot be written rather than retry forever */
            return EOF;
        }
        done += n;
    }
    f->len = 0;
    return 0;
}

/* Appends one character; flushes when full, or at '\n' for a line-buffered stream. */
static void file_put(void *ctx, char c)
{
    FILE *f = ctx;

    if (f->len == BUFSIZ)
        fflush(f);
    f->buf[f->len++] = c;
    if (c == '\n' && f->mode == BUF_LINE)
        fflush(f);
}

/* Ends one library call: an unbuffered stream writes what the call produced. */
static int file_done(FILE *f, int result)
{
    if (f->mode == BUF_NONE && fflush(f) < 0)
        return EOF;
    return result;
}

int vfprintf(FILE *f, const char *fmt, va_list ap)
{
    return file_done(f, format(file_put, f, fmt, ap));
}

int vprintf(const char *fmt, va_list ap) { return vfprintf(stdout, fmt, ap); }

int fprintf(FILE *f, const char *fmt, ...)
{
    va_list ap;
    int n;

    va_start(ap, fmt);
    n = vfprintf(f, fmt, ap);
    va_end(ap);
    return n;
}

int printf(const char *fmt, ...)
{
    va_list ap;
    int n;

    va_start(ap, fmt);
    n = vfprintf(stdout, fmt, ap);
    va_end(ap);
    return n;
}

struct strbuf {
    char *buf;
    size_t size;
    size_t len;
};

static void str_put(void *ctx, char c)
{
    struct strbuf *s = ctx;

    if (s->len + 1 < s->size)
        s->buf[s->len] = c;
    s->len++;
}

/* Like C99: writes at most size - 1 characters and a '\0', returns the full length. */
int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
    struct strbuf s = {buf, size, 0};
    int n = format(str_put, &s, fmt, ap);

    if (size)
        buf[s.len < size ? s.len : size - 1] = '\0';
    return n;
}

int snprintf(char *buf, size_t size, const char *fmt, ...)
{
    va_list ap;
    int n;

    va_start(ap, fmt);
    n = vsnprintf(buf, size, fmt, ap);
    va_end(ap);
    return n;
}

int fputc(int c, FILE *f)
{
    file_put(f, (char)c);
    return file_done(f, (unsigned char)c);
}

int putc(int c, FILE *f) { return fputc(c, f); }
int putchar(int c) { return fputc(c, stdout); }

int fputs(const char *s, FILE *f)
{
    while (*s)
        file_put(f, *s++);
    return file_done(f, 0);
}

int puts(const char *s)
{
    fputs(s, stdout);
    return fputc('\n', stdout);
}

void perror(const char *s)
{
    if (s && *s)
        fprintf(stderr, "%s: %s\n", s, strerror(errno));
    else
        fprintf(stderr, "%s\n", strerror(errno));
}
