/*
 * Readiness of files, for poll and select (kernel/fs/sys_poll.c). The bits
 * are Linux's (include/uapi/asm-generic/poll.h): a file_ops.poll returns
 * the ones that hold now.
 */
#pragma once

#include "types.h"

#define POLLIN     0x0001 /* there is data to read (or end of file) */
#define POLLPRI    0x0002
#define POLLOUT    0x0004 /* a write would not wait */
#define POLLERR    0x0008 /* a pipe's write end with no reader left */
#define POLLHUP    0x0010 /* a pipe's read end with no writer left */
#define POLLNVAL   0x0020 /* not an open descriptor */
#define POLLRDNORM 0x0040
#define POLLRDBAND 0x0080
#define POLLWRNORM 0x0100
#define POLLWRBAND 0x0200

/* Wakes every poll and select now waiting, to look again: a file whose
 * readiness changed calls it (pipes do); others are seen at the next tick. */
void poll_notify(void);
