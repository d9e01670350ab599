/*
 * The console TTY and its line discipline ("canonical mode"): typed
 * characters are echoed and collect in a line, with backspace, until Enter
 * or Ctrl-D hands the line to read(). Finished lines queue up until read,
 * so text typed ahead is on the screen at once, as on Linux.
 *
 * Three steps, three contexts:
 *   tty_key_event    interrupt context: a signal key sets the signal pending
 *                    in the foreground group; readers are woken. No printing.
 *   tty_receive_keys process context, soon after the interrupt (on the way
 *                    back to user mode, or in the idle loop): the queued key
 *                    events go through the line discipline, which echoes.
 *                    Linux does the same work in a worker (n_tty_receive_buf,
 *                    from flush_to_ldisc), not in the interrupt handler.
 *   tty_read         the reader takes finished lines.
 *
 * Processes reach it through files (kernel/fs/dev.c): /dev/console and
 * /dev/tty, and the descriptors 0, 1 and 2 that init starts with. With the
 * boot option stdio=split, init's fd 1 goes to COM2 and fd 2 to COM3
 * instead of the console, so tools/relay can tell the program's output from
 * the kernel's log.
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
#include "trace.h"
#include "tty.h"
#include "x86.h"

#define TTY_LINE_MAX 256   /* the longest line, with its newline */
#define TTY_INPUT_SIZE 1024 /* finished lines and the one being edited; a power of two */
#define WRITE_CHUNK 128
#define CTRL(c) ((c) & 0x1F)
#define EOF_CHAR CTRL('D')
#define ASCII_DEL 0x7F
#define ECHOCTL_OFFSET '@' /* ^C is shown as '^' and 0x03 + '@' */

/* Linux i386 terminal ioctls (asm-generic/ioctls.h). */
#define TIOCGPGRP 0x540F
#define TIOCSPGRP 0x5410

_Static_assert((TTY_INPUT_SIZE & (TTY_INPUT_SIZE - 1)) == 0, "input size is a power of two");

/*
 * The input ring, indices free-running (taken modulo its size):
 *   [read, line_end)  finished lines; each ends in '\n' or in EOF_CHAR,
 *                     which marks where Ctrl-D ended a line and is never
 *                     returned by read()
 *   [line_end, edit)  the line being edited: backspace can erase only here
 * Like the rest of the tty, it is touched only with interrupts off.
 */
static struct {
    char input[TTY_INPUT_SIZE];
    uint32_t read, line_end, edit;
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

/*
 * Interrupt context: this is where an interrupt becomes a signal. Ctrl-C
 * sets SIGINT pending in every process of the foreground group and wakes
 * them; delivery happens on their way back to user mode. The keys still
 * queued in the driver behind it are thrown away (Linux: ISIG without
 * NOFLSH); the line discipline flushes the rest when it sees the Ctrl-C.
 * Nothing is printed here.
 */
void tty_key_event(const struct key_event *ev)
{
    static const struct sig_info from_tty = {.code = SI_KERNEL, .source = SRC_TTY};
    int sig = ev->pressed ? signal_for_key(ev->ascii) : 0;

    if (monitor_key(ev))
        return; /* F1-F3 belong to the kernel's monitor, not to the terminal */
    if (sig) {
        kbd_discard_older_events(ev);
        sig_send_group(tty.foreground_pgrp, sig, &from_tty);
    }
    proc_wakeup(&tty);
}

static char input_at(uint32_t i) { return tty.input[i % TTY_INPUT_SIZE]; }

static void echo(const char *s) { console_write(s, strlen(s)); }

/* Linux's ECHOCTL: a control character is shown as ^ and a letter. */
static void echo_control(char c)
{
    char shown[] = {'^', (char)(c + ECHOCTL_OFFSET), '\0'};
    echo(shown);
}

/* Appends c to the line being edited; a full line takes only its end. */
static void store(char c)
{
    bool ends_line = c == '\n' || c == EOF_CHAR;

    if (!ends_line && (tty.edit - tty.line_end >= TTY_LINE_MAX - 1 ||
                       tty.edit - tty.read >= TTY_INPUT_SIZE - 1))
        return;
    if (tty.edit - tty.read == TTY_INPUT_SIZE)
        return; /* only lines nobody reads fill the ring: drop the end */
    tty.input[tty.edit++ % TTY_INPUT_SIZE] = c;
    if (ends_line)
        tty.line_end = tty.edit;
    if (c != EOF_CHAR) /* Ctrl-D is not echoed */
        console_putc(c);
}

static void erase(void)
{
    if (tty.edit == tty.line_end)
        return;
    tty.edit--;
    echo("\b \b");
}

/* A signal key: everything typed and not yet read goes, and ^C shows. */
static void flush_for_signal(char c)
{
    tty.read = tty.line_end = tty.edit;
    echo_control(c);
}

/* One typed character through the line discipline. */
static void discipline(char c)
{
    if (signal_for_key(c))
        flush_for_signal(c);
    else if (c == '\b')
        erase();
    else if (c == '\n' || c == '\t' || c == EOF_CHAR || (c >= ' ' && c < ASCII_DEL))
        store(c);
}

void tty_receive_keys(void)
{
    struct key_event ev;
    uint32_t flags = irq_save();

    while (kbd_read_event(&ev))
        if (ev.pressed && ev.ascii)
            discipline(ev.ascii);
    irq_restore(flags);
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

/* Takes up to count bytes of the first finished line (read() never returns
 * more than one line); the EOF_CHAR that ends a line goes with it, unseen.
 * Interrupts off. */
static size_t take_line(char *out, size_t count)
{
    size_t n = 0;
    char c = 0;

    while (n < count && tty.read != tty.line_end && c != '\n') {
        c = input_at(tty.read);
        if (c == EOF_CHAR)
            break;
        out[n++] = c;
        tty.read++;
    }
    if (tty.read != tty.line_end && input_at(tty.read) == EOF_CHAR && c != '\n')
        tty.read++; /* Ctrl-D ended this line: an empty one reads as end of file */
    return n;
}

/* Sleeps until a finished line is there; returns 0 or -ERESTARTSYS.
 * Interrupts off. */
static long wait_for_line(struct proc *self)
{
    for (tty_receive_keys(); tty.read == tty.line_end; tty_receive_keys()) {
        if (sig_interrupting(self))
            return -ERESTARTSYS;
        proc_sleep(&tty);
    }
    return 0;
}

bool tty_line_ready(void)
{
    uint32_t flags = irq_save();
    bool ready;

    tty_receive_keys();
    ready = tty.read != tty.line_end;
    irq_restore(flags);
    return ready;
}

long tty_read(struct iobuf buf, size_t count)
{
    struct proc *self = current_proc();
    long err = check_background_read(self);
    char chunk[TTY_LINE_MAX];
    size_t n;

    if (err)
        return err;
    cli();
    err = wait_for_line(self);
    n = err ? 0 : take_line(chunk, count < sizeof(chunk) ? count : sizeof(chunk));
    sti();
    if (err)
        return err;
    if (iobuf_put(buf, 0, chunk, n))
        return -EFAULT;
    return (long)n;
}

static void output(enum tty_output where, const char *s, size_t n)
{
    if (where == TTY_OUT_CONSOLE) {
        console_write(s, n);
        return;
    }
    while (n--)
        serial_putc(where == TTY_OUT_COM2 ? COM2_PORT : COM3_PORT, *s++);
}

long tty_write(enum tty_output where, struct iobuf buf, size_t count)
{
    char chunk[WRITE_CHUNK];
    size_t done = 0;

    while (done < count) {
        size_t n = count - done < sizeof(chunk) ? count - done : sizeof(chunk);
        if (iobuf_get(buf, done, chunk, n))
            return done ? (long)done : -EFAULT;
        output(where, chunk, n);
        done += n;
    }
    return (long)done;
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

long tty_ioctl(uint32_t cmd, uintptr_t arg)
{
    switch (cmd) {
    case TIOCGPGRP:
        return vm_copy_out(current_proc()->pd, arg, &tty.foreground_pgrp, sizeof(int));
    case TIOCSPGRP:
        return set_foreground(arg);
    default:
        return -ENOTTY;
    }
}

bool tty_split_stdio(void) { return split_stdio; }

void tty_init_split_ports(void)
{
    if (!split_stdio)
        return;
    serial_init(COM2_PORT);
    serial_init(COM3_PORT);
}
