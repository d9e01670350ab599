/* ioctl and the terminal requests Relay implements (Linux asm-generic/ioctls.h values). */
#ifndef _SYS_IOCTL_H
#define _SYS_IOCTL_H

#define TCGETS    0x5401
#define TIOCGPGRP 0x540F
#define TIOCSPGRP 0x5410

int ioctl(int fd, unsigned long request, ...);

#endif
