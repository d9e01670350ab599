/*
 * Kernel formatted output (kernel/printk.c).
 *
 * Formats: %d %i %u %x %X %s %c %p %%, with a width, '0' padding and '-' left
 * alignment, and the l/ll length modifiers (ll for 64-bit values).
 */
#pragma once

#include <stdarg.h>

#include "types.h"

enum log_level { LOG_ERROR, LOG_WARN, LOG_INFO, LOG_DEBUG };

/* Prints to the console (COM1 and the VGA screen). */
int kprintf(const char *fmt, ...) PRINTF_LIKE(1, 2);
int kvprintf(const char *fmt, va_list ap);
int ksnprintf(char *buf, size_t size, const char *fmt, ...) PRINTF_LIKE(3, 4);
int kvsnprintf(char *buf, size_t size, const char *fmt, va_list ap);

/* Prints when level is at or below the log= boot option (default info). */
void klog(enum log_level level, const char *fmt, ...) PRINTF_LIKE(2, 3);
/* The same, to the serial log (COM1) only: for what tools read and a person
 * at the screen need not see, such as each unimplemented system call. */
void klog_serial(enum log_level level, const char *fmt, ...) PRINTF_LIKE(2, 3);
void log_set_level(enum log_level level);
bool log_enabled(enum log_level level);

#define pr_err(...) klog(LOG_ERROR, __VA_ARGS__)
#define pr_warn(...) klog(LOG_WARN, __VA_ARGS__)
#define pr_info(...) klog(LOG_INFO, __VA_ARGS__)
#define pr_debug(...) klog(LOG_DEBUG, __VA_ARGS__)
