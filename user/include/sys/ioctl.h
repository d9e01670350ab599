/* ioctl and the terminal requests Relay implements (Linux asm-generic/ioctls.h values). */
#ifndef _SYS_IOCTL_H
#define _SYS_IOCTL_H

#define TCGETS    0x5401
#define TCSETS    0x5402
#define TCSETSW   0x5403
#define TCSETSF   0x5404
#define FIONREAD  0x541B
#define TIOCSCTTY  0x540E
#define TIOCGWINSZ 0x5413
#define TIOCSWINSZ 0x5414

struct winsize {
    unsigned short ws_row, ws_col, ws_xpixel, ws_ypixel;
};
#define TIOCGPGRP 0x540F
#define TIOCSPGRP 0x5410

int ioctl(int fd, unsigned long request, ...);

#endif
