/* Random bytes for getrandom and /dev/urandom (kernel/random.c). */
#pragma once

#include "fs.h"
#include "types.h"

/* Fills count bytes of buf; returns count, or -EFAULT when nothing could be
 * written (the bytes written so far otherwise). */
long random_fill(struct iobuf buf, size_t count);
