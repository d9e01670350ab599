/*
 * The console terminal (kernel/tty.c): the PS/2 keyboard in, the VGA screen
 * and COM1 out, with a line discipline in between, and a foreground
 * process group. Its files are in kernel/fs/dev.c.
 */
#pragma once

#include "fs.h"
#include "types.h"

struct key_event;

/* Where a terminal file's output goes: the console, or under stdio=split
 * the serial port that carries the program's stdout (COM2) or stderr (COM3). */
enum tty_output { TTY_OUT_CONSOLE, TTY_OUT_COM2, TTY_OUT_COM3 };

/* Called by the keyboard driver, in interrupt context, for each queued key
 * event: turns ^C into SIGINT and wakes readers. Prints nothing. */
void tty_key_event(const struct key_event *ev);
/* Runs the key events queued since the last call through the line
 * discipline, which echoes them. Process context, soon after the keys came:
 * the return-to-user path and the idle loop call it (kernel/sched.c). */
void tty_receive_keys(void);
/* Opens COM2 and COM3 when stdio=split asks for them. */
void tty_init_split_ports(void);
int tty_foreground_pgrp(void);
void tty_set_foreground_pgrp(int pgid);

/* The file operations' halves: read one line (or up to count bytes of it),
 * write, and the terminal ioctls (TIOCGPGRP, TIOCSPGRP). */
long tty_read(struct iobuf buf, size_t count);
long tty_write(enum tty_output where, struct iobuf buf, size_t count);
long tty_ioctl(uint32_t cmd, uintptr_t arg);
/* True when a finished line waits to be read (poll's POLLIN). */
bool tty_line_ready(void);
/* stdio=split: init's stdout and stderr go to COM2 and COM3. */
bool tty_split_stdio(void);
