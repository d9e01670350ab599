/* Basic system types, sized as the Linux i386 ABI sizes them. */
#ifndef _SYS_TYPES_H
#define _SYS_TYPES_H

#include <stddef.h>

typedef int pid_t;
typedef int ssize_t;
typedef long off_t;
typedef long time_t;
typedef unsigned int uid_t;
typedef unsigned int gid_t;
typedef unsigned int mode_t;

#endif
