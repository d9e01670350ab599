/*
 * The console terminal (kernel/tty.c): the PS/2 keyboard in, the VGA screen
 * and COM1 out, with a line discipline in between, and a foreground
 * process group. fds 0, 1 and 2 of every process are this terminal.
 */
#pragma once

#include "types.h"

struct key_event;

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
