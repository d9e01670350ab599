/*
 * The console terminal: the PS/2 keyboard in, the VGA screen and COM1 out,
 * and between them Linux's line discipline (n_tty), driven by termios.
 *
 * Canonical mode (ICANON, the default): typed characters are echoed and
 * collect in a line that VERASE (DEL), VKILL (^U) and VWERASE (^W) edit,
 * until Enter or VEOF (^D) hands it to read(); finished lines queue up, so
 * text typed ahead is on the screen at once. Raw mode (ICANON off, what a
 * shell's line editor asks for): each byte is read as it comes, as VMIN and
 * VTIME say. With ISIG, VINTR (^C), VQUIT (^\) and VSUSP (^Z) signal the
 * foreground process group instead of being typed. Keys without a character
 * send the escape sequences Linux's console sends (Up is ESC [ A).
 *
 * Three steps, three contexts:
 *   tty_key_event    interrupt context: a signal key sets the signal pending
 *                    in the foreground group; readers are woken. No printing.
 *   tty_receive_keys process context, soon after the interrupt (on the way
 *                    back to user mode, or in the idle loop): the queued key
 *                    events go through the line discipline, which echoes.
 *                    Linux does the same work in a worker (n_tty_receive_buf,
 *                    from flush_to_ldisc), not in the interrupt handler.
 *   tty_read         the reader takes lines, or bytes.
 *
 * Job control (Linux's tty_check_change, n_tty_read/write): the terminal
 * belongs to one session (its controlling terminal) and has a foreground
 * process group. A background process that reads gets SIGTTIN; one that
 * writes with TOSTOP set, or changes the settings or the foreground group,
 * gets SIGTTOU, unless it blocks or ignores it. When the session leader
 * exits, the foreground group gets SIGHUP and SIGCONT.
 *
 * Processes reach it through files (kernel/fs/dev.c): /dev/console and
 * /dev/tty, and the descriptors 0, 1 and 2 that init starts with. With the
 * boot option stdio=split, init's fd 1 goes to COM2 and fd 2 to COM3
 * instead of the console, so tools/relay can tell the program's output from
 * the kernel's log; those two are not the terminal, and have no job control.
 */
#include "tty.h"
#include "cmdline.h"
#include "console.h"
#include "errno.h"
#include "file.h"
#include "kbd.h"
#include "monitor.h"
#include "poll.h"
#include "proc.h"
#include "serial.h"
#include "signal.h"
#include "string.h"
#include "termios.h"
#include "timer.h"
#include "trace.h"
#include "vga.h"
#include "x86.h"

#define TTY_INPUT_SIZE 4096 /* Linux's N_TTY_BUF_SIZE; a power of two */
#define TTY_LINE_MAX   4095 /* a canonical line, with its newline */
#define READ_CHUNK     256
#define WRITE_CHUNK    128
#define CTRL(c)        ((c)&0x1F)
#define ASCII_DEL      0x7F
#define ECHOCTL_OFFSET '@'       /* ^C is shown as '^' and 0x03 + '@' */
#define EOF_MARK       CTRL('D') /* where VEOF ended a line in the ring; never read */
#define DECISECOND_MS  100       /* VTIME's unit */
#define MS_PER_SECOND  1000

_Static_assert((TTY_INPUT_SIZE & (TTY_INPUT_SIZE - 1)) == 0, "input size is a power of two");

/* Linux's tty_std_termios, as a new terminal starts (drivers/tty/tty_io.c). */
static const struct termios default_termios = {
    .iflag = ICRNL | IXON,
    .oflag = OPOST | ONLCR,
    .cflag = B38400 | CS8 | CREAD | HUPCL,
    .lflag = ISIG | ICANON | ECHO | ECHOE | ECHOK | ECHOCTL | ECHOKE | IEXTEN,
    .cc = {[VINTR] = CTRL('C'),
           [VQUIT] = CTRL('\\'),
           [VERASE] = ASCII_DEL,
           [VKILL] = CTRL('U'),
           [VEOF] = CTRL('D'),
           [VMIN] = 1,
           [VSTART] = CTRL('Q'),
           [VSTOP] = CTRL('S'),
           [VSUSP] = CTRL('Z'),
           [VREPRINT] = CTRL('R'),
           [VDISCARD] = CTRL('O'),
           [VWERASE] = CTRL('W'),
           [VLNEXT] = CTRL('V')},
};

/*
 * The input ring, indices free-running (taken modulo its size):
 *   [read, line_end)  finished input: in canonical mode whole lines, each
 *                     ended by '\n' or by EOF_MARK (where VEOF ended it;
 *                     never returned by read()); in raw mode every byte
 *   [line_end, edit)  the canonical line being edited
 * Like the rest of the tty, it is touched only with interrupts off.
 */
static struct {
    struct termios t;
    struct winsize size;
    char input[TTY_INPUT_SIZE];
    uint32_t read, line_end, edit;
    uint64_t last_input_tick; /* for VTIME */
    int foreground_pgrp;
    int session; /* whose controlling terminal it is; 0: nobody's */
} tty = {.t = default_termios, .size = {VGA_ROWS, VGA_COLS, 0, 0}};

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

static const struct sig_info from_tty = {.code = SI_KERNEL, .source = SRC_TTY};

int tty_foreground_pgrp(void) { return tty.foreground_pgrp; }

void tty_set_controlling(int sid, int pgid)
{
    tty.session = sid;
    tty.foreground_pgrp = pgid;
}

static bool lflag(uint32_t bit) { return tty.t.lflag & bit; }

/* ---------------------------------------------------------------- keys in */

/* The signal a byte sends with ISIG on, or 0 (a disabled c_cc entry matches nothing). */
static int signal_for_char(char c)
{
    static const struct {
        int index, sig;
    } keys[] = {{VINTR, SIGINT}, {VQUIT, SIGQUIT}, {VSUSP, SIGTSTP}};

    if (!lflag(ISIG) || c == VDISABLED)
        return 0;
    for (size_t i = 0; i < ARRAY_SIZE(keys); i++)
        if ((uint8_t)c == tty.t.cc[keys[i].index])
            return keys[i].sig;
    return 0;
}

/* What Linux's console sends for a key (drivers/tty/vt/defkeymap.map):
 * Enter is CR, Backspace is DEL, the keys without a character escape
 * sequences. Returns the number of bytes in out. */
static size_t key_bytes(const struct key_event *ev, char out[8])
{
    static const struct {
        uint8_t keycode;
        const char *seq;
    } keys[] = {
        {KEY_UP, "\033[A"},        {KEY_DOWN, "\033[B"},  {KEY_RIGHT, "\033[C"},
        {KEY_LEFT, "\033[D"},      {KEY_HOME, "\033[1~"}, {KEY_INSERT, "\033[2~"},
        {KEY_DELETE, "\033[3~"},   {KEY_END, "\033[4~"},  {KEY_PAGEUP, "\033[5~"},
        {KEY_PAGEDOWN, "\033[6~"},
    };

    if (!ev->pressed)
        return 0;
    if (ev->ascii) {
        out[0] = ev->ascii == '\n' ? '\r' : ev->ascii == '\b' ? ASCII_DEL : ev->ascii;
        return 1;
    }
    for (size_t i = 0; i < ARRAY_SIZE(keys); i++)
        if (ev->keycode == keys[i].keycode)
            return strlcpy(out, keys[i].seq, 8);
    return 0;
}

/*
 * Interrupt context: this is where an interrupt becomes a signal. Ctrl-C
 * sets SIGINT pending in every process of the foreground group and wakes
 * them; delivery happens on their way back to user mode. The keys still
 * queued in the driver behind it are thrown away unless NOFLSH (Linux:
 * ISIG without NOFLSH); the line discipline flushes the rest when it sees
 * the Ctrl-C. Nothing is printed here.
 */
void tty_key_event(const struct key_event *ev)
{
    char bytes[8];
    int sig = key_bytes(ev, bytes) ? signal_for_char(bytes[0]) : 0;

    if (monitor_key(ev))
        return; /* F1-F3 belong to the kernel's monitor, not to the terminal */
    if (sig && tty.foreground_pgrp) {
        if (!lflag(NOFLSH))
            kbd_discard_older_events(ev);
        sig_send_group(tty.foreground_pgrp, sig, &from_tty);
    }
    proc_wakeup(&tty);
    poll_notify(); /* a poll on the terminal looks again at once */
}

/* ---------------------------------------------------------------- the line discipline */

static char input_at(uint32_t i) { return tty.input[i % TTY_INPUT_SIZE]; }

static void echo(const char *s) { console_write(s, strlen(s)); }

/* Echoes c as typed: a control character as ^X with ECHOCTL. */
static void echo_char(char c)
{
    char shown[] = {'^', (char)(c + ECHOCTL_OFFSET), '\0'};

    if (!lflag(ECHO))
        return;
    if (lflag(ECHOCTL) && (uint8_t)c < ' ' && c != '\n' && c != '\t')
        echo(shown);
    else
        console_putc(c);
}

/* Appends c: a finished byte in raw mode, part of the line in canonical
 * mode (a full line takes only its end). */
static void store(char c, bool ends_line)
{
    if (tty.edit - tty.read >= TTY_INPUT_SIZE - 1)
        return; /* nobody reads: drop, as n_tty does */
    if (!ends_line && lflag(ICANON) && tty.edit - tty.line_end >= TTY_LINE_MAX - 1)
        return;
    tty.input[tty.edit++ % TTY_INPUT_SIZE] = c;
    if (ends_line || !lflag(ICANON))
        tty.line_end = tty.edit;
    tty.last_input_tick = timer_ticks();
}

static void erase_one(void)
{
    char c;

    if (tty.edit == tty.line_end)
        return;
    c = input_at(--tty.edit);
    if (!lflag(ECHO) || !lflag(ECHOE)) {
        echo_char(tty.t.cc[VERASE]);
        return;
    }
    echo("\b \b");
    if (lflag(ECHOCTL) && (uint8_t)c < ' ' && c != '\t')
        echo("\b \b"); /* a control character took two columns */
}

static void erase_word(void)
{
    while (tty.edit != tty.line_end && input_at(tty.edit - 1) == ' ')
        erase_one();
    while (tty.edit != tty.line_end && input_at(tty.edit - 1) != ' ')
        erase_one();
}

static void kill_line(void)
{
    if (lflag(ECHOKE) && lflag(ECHOE)) {
        while (tty.edit != tty.line_end)
            erase_one();
        return;
    }
    tty.edit = tty.line_end;
    echo_char(tty.t.cc[VKILL]);
    if (lflag(ECHOK))
        echo_char('\n');
}

/* Everything typed and not yet read goes (a signal key without NOFLSH). */
static void flush_input(void) { tty.read = tty.line_end = tty.edit; }

static bool ends_line(char c)
{
    return c == '\n' ||
           (c != VDISABLED && (c == (char)tty.t.cc[VEOL] || c == (char)tty.t.cc[VEOL2]));
}

static void canonical(char c)
{
    uint8_t u = (uint8_t)c;

    if (u == tty.t.cc[VERASE] && u != VDISABLED)
        erase_one();
    else if (u == tty.t.cc[VKILL] && u != VDISABLED)
        kill_line();
    else if (lflag(IEXTEN) && u == tty.t.cc[VWERASE] && u != VDISABLED)
        erase_word();
    else if (u == tty.t.cc[VEOF] && u != VDISABLED)
        store(EOF_MARK, true); /* not echoed: an empty line reads as end of file */
    else if (ends_line(c)) {
        store(c, true);
        if (lflag(ECHO) || (c == '\n' && lflag(ECHONL)))
            console_putc(c);
    } else {
        store(c, false);
        echo_char(c);
    }
}

/* One byte from the keyboard, as n_tty_receive_char takes it. */
static void receive_byte(char c)
{
    int sig;

    if (tty.t.iflag & ISTRIP)
        c &= 0x7F;
    if (c == '\r' && (tty.t.iflag & IGNCR))
        return;
    if (c == '\r' && (tty.t.iflag & ICRNL))
        c = '\n';
    else if (c == '\n' && (tty.t.iflag & INLCR))
        c = '\r';
    if ((sig = signal_for_char(c))) { /* the signal went out from the interrupt */
        if (!lflag(NOFLSH))
            flush_input();
        echo_char(c);
    } else if (lflag(ICANON)) {
        canonical(c);
    } else {
        store(c, true);
        echo_char(c);
    }
}

void tty_receive_keys(void)
{
    struct key_event ev;
    char bytes[8];
    uint32_t flags = irq_save();

    while (kbd_read_event(&ev))
        for (size_t i = 0, n = key_bytes(&ev, bytes); i < n; i++)
            receive_byte(bytes[i]);
    irq_restore(flags);
}

/* ---------------------------------------------------------------- job control */

static bool blocks_or_ignores(const struct proc *p, int sig)
{
    return (p->sig.blocked & SIG_BIT(sig)) || p->sig.action[sig].handler == SIG_IGN;
}

static bool in_background(const struct proc *p)
{
    return tty.session && p->sid == tty.session && tty.foreground_pgrp &&
           p->pgid != tty.foreground_pgrp;
}

/*
 * A background process of the terminal's session that reads gets SIGTTIN,
 * whose default action stops its whole group (the shell reports it; `fg`
 * brings it back), and its read is restarted once it runs again. If it
 * ignores or blocks SIGTTIN, the read fails with EIO (Linux: n_tty_read,
 * tty_check_change).
 */
static long check_background(struct proc *self, int sig, bool may_pass)
{
    if (!in_background(self))
        return 0;
    if (blocks_or_ignores(self, sig))
        return may_pass ? 0 : -EIO;
    sig_send_group(self->pgid, sig, &from_tty);
    return -ERESTARTSYS;
}

/* A write from the background: stopped by SIGTTOU only with TOSTOP. */
static long check_background_write(struct proc *self)
{
    return lflag(TOSTOP) ? check_background(self, SIGTTOU, true) : 0;
}

/* Settings and the foreground group changed from the background: SIGTTOU,
 * and allowed when the process blocks or ignores it (Linux tty_check_change). */
static long check_change(struct proc *self) { return check_background(self, SIGTTOU, true); }

void tty_session_leader_exit(const struct proc *p)
{
    if (!tty.session || p->pid != tty.session)
        return;
    if (tty.foreground_pgrp) { /* Linux: disassociate_ctty sends SIGHUP and SIGCONT */
        sig_send_group(tty.foreground_pgrp, SIGHUP, &from_tty);
        sig_send_group(tty.foreground_pgrp, SIGCONT, &from_tty);
    }
    tty.session = tty.foreground_pgrp = 0;
}

/* ---------------------------------------------------------------- reading */

/* Takes up to count bytes of the first finished line (read() never returns
 * more than one line); the EOF_MARK that ends a line goes with it, unseen.
 * Interrupts off. */
static size_t take_line(char *out, size_t count)
{
    size_t n = 0;
    char c = 0;

    while (n < count && tty.read != tty.line_end && c != '\n') {
        c = input_at(tty.read);
        if (c == EOF_MARK)
            break;
        out[n++] = c;
        tty.read++;
    }
    if (tty.read != tty.line_end && input_at(tty.read) == EOF_MARK && c != '\n')
        tty.read++; /* VEOF ended this line: an empty one reads as end of file */
    return n;
}

static size_t take_bytes(char *out, size_t count)
{
    size_t n = 0;

    while (n < count && tty.read != tty.line_end)
        out[n++] = input_at(tty.read++);
    return n;
}

static uint32_t vtime_ticks(void)
{
    return (uint32_t)((uint64_t)tty.t.cc[VTIME] * DECISECOND_MS * timer_hz() / MS_PER_SECOND);
}

/* Is a raw read done waiting? VMIN bytes, or VTIME since the last byte
 * (since the start, before any byte), or VMIN and VTIME both 0 (a poll). */
static bool raw_ready(uint64_t start, size_t want)
{
    uint32_t avail = tty.line_end - tty.read;
    uint32_t vmin = MIN(tty.t.cc[VMIN], want);
    uint64_t since = avail ? tty.last_input_tick : start;

    if (avail && avail >= vmin)
        return true;
    if (tty.t.cc[VTIME])
        return timer_ticks() >= since + vtime_ticks();
    return vmin == 0;
}

static bool ready(uint64_t start, size_t want)
{
    if (lflag(ICANON))
        return tty.read != tty.line_end;
    return raw_ready(start, want);
}

/* Sleeps until there is something to read; 0, -EAGAIN or -ERESTARTSYS.
 * Interrupts off. */
static long wait_for_input(struct proc *self, size_t want, bool nonblock)
{
    uint64_t start = timer_ticks();

    for (tty_receive_keys(); !ready(start, want); tty_receive_keys()) {
        if (nonblock)
            return -EAGAIN;
        if (sig_interrupting(self))
            return -ERESTARTSYS;
        self->wake_tick = tty.t.cc[VTIME] && !lflag(ICANON) ? timer_ticks() + 1 : 0;
        proc_sleep(&tty);
    }
    self->wake_tick = 0;
    return 0;
}

long tty_read(struct iobuf buf, size_t count, bool nonblock)
{
    struct proc *self = current_proc();
    long err = check_background(self, SIGTTIN, false);
    char chunk[READ_CHUNK];
    size_t n;

    if (err)
        return err;
    cli();
    err = wait_for_input(self, count, nonblock);
    self->wake_tick = 0;
    if (err) {
        sti();
        return err;
    }
    n = lflag(ICANON) ? take_line(chunk, MIN(count, sizeof(chunk)))
                      : take_bytes(chunk, MIN(count, sizeof(chunk)));
    sti();
    if (iobuf_put(buf, 0, chunk, n))
        return -EFAULT;
    return (long)n;
}

/* ---------------------------------------------------------------- writing */

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
    long err = where == TTY_OUT_CONSOLE ? check_background_write(current_proc()) : 0;

    if (err)
        return err;
    while (done < count) {
        size_t n = count - done < sizeof(chunk) ? count - done : sizeof(chunk);
        if (iobuf_get(buf, done, chunk, n))
            return done ? (long)done : -EFAULT;
        output(where, chunk, n);
        done += n;
    }
    return (long)done;
}

/* ---------------------------------------------------------------- ioctls */

static long put_user(uintptr_t arg, const void *v, size_t n)
{
    return vm_copy_out(current_proc()->pd, arg, v, n) ? -EFAULT : 0;
}

static long set_foreground(struct proc *self, uintptr_t arg)
{
    long err = check_change(self);
    int pgrp;

    if (err)
        return err;
    if (vm_copy_in(self->pd, &pgrp, arg, sizeof(pgrp)))
        return -EFAULT;
    if (pgrp < 0)
        return -EINVAL;
    if (tty.session && self->sid != tty.session)
        return -ENOTTY; /* not its controlling terminal */
    if (!pgrp_in_session(pgrp, self->sid))
        return -EPERM;
    tty.foreground_pgrp = pgrp;
    return 0;
}

/* TCSETS and friends: TCSETSF also throws away unread input; TCSETSW would
 * wait for output to drain, which the console never holds back. */
static long set_termios(struct proc *self, uint32_t cmd, uintptr_t arg)
{
    struct termios t;
    long err = check_change(self);

    if (err)
        return err;
    if (vm_copy_in(self->pd, &t, arg, sizeof(t)))
        return -EFAULT;
    cli();
    if (cmd == TCSETSF)
        flush_input();
    if ((t.lflag & ICANON) != (tty.t.lflag & ICANON))
        tty.line_end = tty.edit; /* what was typed becomes readable as it is */
    tty.t = t;
    sti();
    proc_wakeup(&tty); /* a reader may now be satisfied */
    return 0;
}

static long set_window_size(uintptr_t arg)
{
    struct winsize ws;

    if (vm_copy_in(current_proc()->pd, &ws, arg, sizeof(ws)))
        return -EFAULT;
    if (memcmp(&ws, &tty.size, sizeof(ws)) && tty.foreground_pgrp)
        sig_send_group(tty.foreground_pgrp, SIGWINCH, &from_tty);
    tty.size = ws;
    return 0;
}

/* TIOCSCTTY: a session leader without a controlling terminal takes this one,
 * if no other session has it (Linux: tiocsctty; root may steal it with arg 1). */
static long take_as_controlling(struct proc *self, uintptr_t arg)
{
    if (self->pid != self->sid)
        return -EPERM;
    if (tty.session == self->sid)
        return 0;
    if (tty.session && !(arg == 1 && self->cred.euid == 0))
        return -EPERM;
    tty_set_controlling(self->sid, self->pgid);
    return 0;
}

/* TIOCNOTTY: the session leader gives the terminal up (its foreground group
 * gets SIGHUP and SIGCONT); another process is simply told yes. */
static long give_up_controlling(struct proc *self)
{
    if (tty.session != self->sid)
        return -ENOTTY;
    tty_session_leader_exit(self);
    return 0;
}

static uint32_t readable_bytes(void)
{
    uint32_t n = 0;

    for (uint32_t i = tty.read; i != tty.line_end; i++)
        n += input_at(i) != EOF_MARK || !lflag(ICANON);
    return n;
}

static long session_of_terminal(struct proc *self, uintptr_t arg)
{
    if (!tty.session || tty.session != self->sid)
        return -ENOTTY;
    return put_user(arg, &tty.session, sizeof(int));
}

static long flush(uintptr_t arg)
{
    if (arg != TCIFLUSH && arg != TCOFLUSH && arg != TCIOFLUSH)
        return -EINVAL;
    if (arg != TCOFLUSH) { /* output is never held back: nothing to throw away */
        cli();
        flush_input();
        sti();
    }
    return 0;
}

long tty_ioctl(uint32_t cmd, uintptr_t arg)
{
    struct proc *self = current_proc();
    uint32_t n;

    switch (cmd) {
    case TCGETS:
        return put_user(arg, &tty.t, sizeof(tty.t));
    case TCSETS:
    case TCSETSW:
    case TCSETSF:
        return set_termios(self, cmd, arg);
    case TIOCGPGRP:
        return put_user(arg, &tty.foreground_pgrp, sizeof(int));
    case TIOCSPGRP:
        return set_foreground(self, arg);
    case TIOCGWINSZ:
        return put_user(arg, &tty.size, sizeof(tty.size));
    case TIOCSWINSZ:
        return set_window_size(arg);
    case TIOCSCTTY:
        return take_as_controlling(self, arg);
    case TIOCNOTTY:
        return give_up_controlling(self);
    case TIOCGSID:
        return session_of_terminal(self, arg);
    case FIONREAD:
        n = readable_bytes();
        return put_user(arg, &n, sizeof(n));
    case TCFLSH:
        return flush(arg);
    case TCXONC:
        return 0; /* output is never stopped */
    default:
        return -ENOTTY;
    }
}

bool tty_is_controlling_for(const struct proc *p) { return tty.session && tty.session == p->sid; }

void tty_opened(const struct proc *p, bool noctty)
{
    if (!noctty && !tty.session && p->pid == p->sid)
        tty_set_controlling(p->sid, p->pgid); /* Linux: tty_open_proc_set_tty */
}

bool tty_readable(void)
{
    uint32_t flags = irq_save();
    bool ready;

    tty_receive_keys();
    if (lflag(ICANON))
        ready = tty.read != tty.line_end;
    else /* Linux n_tty_poll: VMIN bytes, or one when VTIME is set */
        ready = tty.line_end - tty.read >= MAX(1u, tty.t.cc[VTIME] ? 1u : tty.t.cc[VMIN]);
    irq_restore(flags);
    return ready;
}

bool tty_split_stdio(void) { return split_stdio; }

void tty_init_split_ports(void)
{
    if (!split_stdio)
        return;
    serial_init(COM2_PORT);
    serial_init(COM3_PORT);
}
