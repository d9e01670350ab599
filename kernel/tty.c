/*
 * The console TTY and its line discipline ("canonical mode"): typed
 * characters collect in a line buffer, with echo and backspace, until
 * Enter or Ctrl-D hands the line to read().
 *
 * The keyboard IRQ only queues key events (drivers/kbd.c) and wakes the
 * reader; the editing and the echo happen here, in the reading process's
 * context, so no interrupt handler prints.
 *
 * With the boot option stdio=split, fd 1 goes to COM2 and fd 2 to COM3
 * instead of the console, so tools/relay can tell the program's output
 * from the kernel's log.
 */
#include "cmdline.h"
#include "console.h"
#include "errno.h"
#include "kbd.h"
#include "monitor.h"
#include "proc.h"
#include "serial.h"
#include "signal.h"
#include "string.h"
#include "syscall.h"
#include "trace.h"
#include "tty.h"
#include "x86.h"

#define TTY_LINE_MAX 256
#define TTY_FD_COUNT 3 /* stdin, stdout, stderr */
#define STDOUT_FD 1
#define STDERR_FD 2
#define WRITE_CHUNK 128
#define CTRL(c) ((c) & 0x1F)
#define EOF_CHAR CTRL('D')

/* Linux i386 terminal ioctls (asm-generic/ioctls.h). */
#define TIOCGPGRP 0x540F
#define TIOCSPGRP 0x5410

static struct {
    char line[TTY_LINE_MAX];
    size_t len;      /* bytes in line */
    size_t consumed; /* bytes of a finished line already read */
    bool line_ready; /* Enter or Ctrl-D ended the line */
    int foreground_pgrp;
} tty;

static bool split_stdio;

static const char *set_stdio(const char *value)
{
    if (!strcmp(value, "split"))
        split_stdio = true;
    else if (!strcmp(value, "console"))
        split_stdio = false;
    else
        return "expected console or split";
    return NULL;
}
BOOT_OPTION("stdio", set_stdio, "console, or split: user fd 1 to COM2 and fd 2 to COM3");

int tty_foreground_pgrp(void) { return tty.foreground_pgrp; }
void tty_set_foreground_pgrp(int pgid) { tty.foreground_pgrp = pgid; }

/* The keys that signal the foreground job rather than type (termios ISIG). */
static int signal_for_key(char c)
{
    switch (c) {
    case CTRL('C'):
        return SIGINT;
    case CTRL('\\'):
        return SIGQUIT;
    case CTRL('Z'):
        return SIGTSTP;
    default:
        return 0;
    }
}

/* Throws away everything typed and not yet read: the line being edited and
 * the keys still queued in the driver (Linux: ISIG without NOFLSH). */
static void discard_input(const struct key_event *ev)
{
    tty.len = tty.consumed = 0;
    tty.line_ready = false;
    kbd_discard_older_events(ev);
}

/*
 * Interrupt context: this is where an interrupt becomes a signal. Ctrl-C
 * sets SIGINT pending in every process of the foreground group and wakes
 * them; delivery happens on their way back to user mode. Nothing is
 * printed here.
 */
void tty_key_event(const struct key_event *ev)
{
    static const struct sig_info from_tty = {.code = SI_KERNEL, .source = SRC_TTY};
    int sig = ev->pressed ? signal_for_key(ev->ascii) : 0;

    if (monitor_key(ev))
        return; /* F1-F3 belong to the kernel's monitor, not to the terminal */
    if (sig) {
        discard_input(ev);
        sig_send_group(tty.foreground_pgrp, sig, &from_tty);
    }
    proc_wakeup(&tty);
}

static void echo(const char *s) { console_write(s, strlen(s)); }

/* One typed character through the line discipline. */
static void discipline(char c)
{
    if (c == '\b') {
        if (tty.len > 0) {
            tty.len--;
            echo("\b \b");
        }
    } else if (c == EOF_CHAR) {
        tty.line_ready = true; /* an empty line then reads as end of file */
    } else if (c == '\n' || c == '\t' || (c >= ' ' && c < 0x7F)) {
        if (tty.len == TTY_LINE_MAX - 1 && c != '\n')
            return; /* full: only Enter is still accepted */
        tty.line[tty.len++] = c;
        console_putc(c);
        tty.line_ready = c == '\n';
    }
}

/* Feeds queued key presses to the line discipline until a line is ready. */
static void collect_line(void)
{
    struct key_event ev;

    while (!tty.line_ready && kbd_read_event(&ev))
        if (ev.pressed && ev.ascii)
            discipline(ev.ascii);
}

/*
 * Job control: only the foreground process group reads the terminal. A
 * process of another group that tries gets SIGTTIN, whose default action
 * stops its whole group (the shell reports it; `fg` brings it back), and
 * its read is restarted once it runs again. If it ignores or blocks
 * SIGTTIN, the read fails with EIO (Linux: n_tty_read, tty_check_change).
 */
static long check_background_read(struct proc *self)
{
    static const struct sig_info from_tty = {.code = SI_KERNEL, .source = SRC_TTY};

    if (!tty.foreground_pgrp || self->pgid == tty.foreground_pgrp)
        return 0;
    if ((self->sig.blocked & SIG_BIT(SIGTTIN)) || self->sig.action[SIGTTIN].handler == SIG_IGN)
        return -EIO;
    sig_send_group(self->pgid, SIGTTIN, &from_tty);
    return -ERESTARTSYS;
}

static long tty_read(uintptr_t buf, size_t count)
{
    struct proc *self = current_proc();
    long err = check_background_read(self);
    size_t n;

    if (err)
        return err;
    cli();
    for (collect_line(); !tty.line_ready; collect_line()) {
        if (sig_interrupting(self)) {
            sti();
            return -ERESTARTSYS;
        }
        proc_sleep(&tty);
    }
    sti();
    n = tty.len - tty.consumed;
    if (n > count)
        n = count;
    if (vm_copy_out(self->pd, buf, tty.line + tty.consumed, n))
        return -EFAULT;
    tty.consumed += n;
    if (tty.consumed == tty.len) /* the whole line is read: start a new one */
        tty.len = tty.consumed = 0, tty.line_ready = false;
    return (long)n;
}

static void output(int fd, const char *s, size_t n)
{
    if (!split_stdio || (fd != STDOUT_FD && fd != STDERR_FD)) {
        console_write(s, n);
        return;
    }
    while (n--)
        serial_putc(fd == STDOUT_FD ? COM2_PORT : COM3_PORT, *s++);
}

static long tty_write(int fd, uintptr_t buf, size_t count)
{
    char chunk[WRITE_CHUNK];
    size_t done = 0;

    if (!vm_user_range_ok(current_proc()->pd, buf, count, false))
        return -EFAULT;
    while (done < count) {
        size_t n = count - done < sizeof(chunk) ? count - done : sizeof(chunk);
        if (vm_copy_in(current_proc()->pd, chunk, buf + done, n))
            return done ? (long)done : -EFAULT;
        output(fd, chunk, n);
        done += n;
    }
    return (long)done;
}

static bool is_tty_fd(int fd) { return fd >= 0 && fd < TTY_FD_COUNT; }

SYSCALL_DEFINE3(read, int, fd, uintptr_t, buf, size_t, count)
{
    if (!is_tty_fd(fd))
        return -EBADF;
    if (count == 0)
        return 0;
    if (!vm_user_range_ok(current_proc()->pd, buf, count, true))
        return -EFAULT;
    return tty_read(buf, count);
}

SYSCALL_DEFINE3(write, int, fd, uintptr_t, buf, size_t, count)
{
    if (!is_tty_fd(fd))
        return -EBADF;
    return tty_write(fd, buf, count);
}

static long set_foreground(uintptr_t arg)
{
    struct proc *self = current_proc();
    int pgrp;

    if (vm_copy_in(self->pd, &pgrp, arg, sizeof(pgrp)))
        return -EFAULT;
    if (pgrp < 0)
        return -EINVAL;
    if (!pgrp_in_session(pgrp, self->sid))
        return -EPERM;
    tty.foreground_pgrp = pgrp;
    return 0;
}

SYSCALL_DEFINE3(ioctl, int, fd, uint32_t, cmd, uintptr_t, arg)
{
    if (!is_tty_fd(fd))
        return -EBADF;
    switch (cmd) {
    case TIOCGPGRP:
        return vm_copy_out(current_proc()->pd, arg, &tty.foreground_pgrp, sizeof(int));
    case TIOCSPGRP:
        return set_foreground(arg);
    default:
        return -ENOTTY;
    }
}

void tty_init_split_ports(void)
{
    if (!split_stdio)
        return;
    serial_init(COM2_PORT);
    serial_init(COM3_PORT);
}
