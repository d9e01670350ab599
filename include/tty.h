/*
 * The console terminal (kernel/tty.c): the PS/2 keyboard in, the VGA screen
 * and COM1 out, with Linux's line discipline in between (termios, canonical
 * and raw modes), a session and a foreground process group. Its files are
 * in kernel/fs/dev.c.
 */
#pragma once

#include "fs.h"
#include "types.h"

struct key_event;
struct proc;

/* Where a terminal file's output goes: the console, or under stdio=split
 * the serial port that carries the program's stdout (COM2) or stderr (COM3). */
enum tty_output { TTY_OUT_CONSOLE, TTY_OUT_COM2, TTY_OUT_COM3 };

/* Called by the keyboard driver, in interrupt context, for each queued key
 * event: turns ^C into SIGINT and wakes readers. Prints nothing. */
void tty_key_event(const struct key_event *ev);
/* Runs the key events queued since the last call through the line
 * discipline, which echoes them. Process context, soon after the keys came:
 * the return-to-user path and the idle loop call it (kernel/proc/sched.c). */
void tty_receive_keys(void);
/* Opens COM2 and COM3 when stdio=split asks for them. */
void tty_init_split_ports(void);
int tty_foreground_pgrp(void);
/* Makes the terminal session sid's controlling terminal, with pgid in the
 * foreground (init's, at boot; TIOCSCTTY; a session leader's first open). */
void tty_set_controlling(int sid, int pgid);
/* Is it p's controlling terminal? */
bool tty_is_controlling_for(const struct proc *p);
/* p opened it: a session leader with no terminal, opening without
 * O_NOCTTY, takes it as its controlling terminal if nobody has it. */
void tty_opened(const struct proc *p, bool noctty);
/* A process exits: if it led the terminal's session, the foreground group
 * gets SIGHUP and SIGCONT and the terminal is nobody's (Linux). */
void tty_session_leader_exit(const struct proc *p);

/* The file operations' halves: read a line (canonical) or bytes (raw, as
 * VMIN and VTIME say; -EAGAIN when nonblock and nothing is there), write,
 * and the terminal ioctls (include/termios.h). */
long tty_read(struct iobuf buf, size_t count, bool nonblock);
long tty_write(enum tty_output where, struct iobuf buf, size_t count);
long tty_ioctl(uint32_t cmd, uintptr_t arg);
/* Would a read find something now (a line, or a byte in raw mode)? For poll. */
bool tty_readable(void);
/* stdio=split: init's stdout and stderr go to COM2 and COM3. */
bool tty_split_stdio(void);
