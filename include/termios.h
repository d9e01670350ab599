/*
 * Terminal settings as Linux i386 keeps them (include/uapi/asm-generic/
 * termbits.h, ioctls.h): what TCGETS and TCSETS carry, and the ioctls of a
 * terminal. kernel/tty.c follows them.
 */
#pragma once

#include "types.h"

#define NCCS 19

struct termios {
    uint32_t iflag, oflag, cflag, lflag;
    uint8_t line;
    uint8_t cc[NCCS];
};
_Static_assert(sizeof(struct termios) == 36, "struct termios of Linux i386");

struct winsize {
    uint16_t rows, cols, xpixel, ypixel;
};

/* c_cc indices. */
enum {
    VINTR,
    VQUIT,
    VERASE,
    VKILL,
    VEOF,
    VTIME,
    VMIN,
    VSWTC,
    VSTART,
    VSTOP,
    VSUSP,
    VEOL,
    VREPRINT,
    VDISCARD,
    VWERASE,
    VLNEXT,
    VEOL2
};
#define VDISABLED 0 /* _POSIX_VDISABLE: a c_cc entry that matches no key */

/* c_iflag */
#define ISTRIP 0000040
#define INLCR  0000100
#define IGNCR  0000200
#define ICRNL  0000400
#define IXON   0002000
/* c_oflag */
#define OPOST 0000001
#define ONLCR 0000004
/* c_cflag: 38400 baud, 8 bits, receiver on, hang up on last close */
#define B38400 0000017
#define CS8    0000060
#define CREAD  0000200
#define HUPCL  0002000
/* c_lflag */
#define ISIG    0000001
#define ICANON  0000002
#define ECHO    0000010
#define ECHOE   0000020
#define ECHOK   0000040
#define ECHONL  0000100
#define NOFLSH  0000200
#define TOSTOP  0000400
#define ECHOCTL 0001000
#define ECHOKE  0004000
#define IEXTEN  0100000

/* ioctls */
#define TCGETS     0x5401
#define TCSETS     0x5402
#define TCSETSW    0x5403
#define TCSETSF    0x5404
#define TCXONC     0x540A
#define TCFLSH     0x540B
#define TIOCSCTTY  0x540E
#define TIOCGPGRP  0x540F
#define TIOCSPGRP  0x5410
#define TIOCGWINSZ 0x5413
#define TIOCSWINSZ 0x5414
#define FIONREAD   0x541B
#define TIOCNOTTY  0x5422
#define TIOCGSID   0x5429
#define TCIFLUSH   0
#define TCOFLUSH   1
#define TCIOFLUSH  2
