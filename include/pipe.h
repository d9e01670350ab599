/* Pipes (kernel/fs/pipe.c). */
#pragma once

#include "types.h"

#define PIPE_BUF 4096 /* writes of up to this many bytes are atomic (limits.h) */

struct file;

/* Makes a pipe: its read end and write end, each with one reference.
 * flags may hold O_NONBLOCK. 0 or -ENFILE. */
int pipe_create(uint32_t flags, struct file **read_end, struct file **write_end);
