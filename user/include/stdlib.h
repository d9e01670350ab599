/* Allocation, conversions and process exit. */
#ifndef _STDLIB_H
#define _STDLIB_H

#include <stddef.h>

#define EXIT_SUCCESS 0
#define EXIT_FAILURE 1

void *malloc(size_t size);
void free(void *p);
void *calloc(size_t n, size_t size);
void *realloc(void *p, size_t size);

int atoi(const char *s);
long atol(const char *s);
long strtol(const char *s, char **end, int base);
unsigned long strtoul(const char *s, char **end, int base);
int abs(int x);
char *getenv(const char *name);

/* exit flushes stdio, then ends the whole process (exit_group). */
void exit(int status) __attribute__((noreturn));
void abort(void) __attribute__((noreturn));

#endif
