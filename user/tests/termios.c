/* termios MODE: the terminal's settings at work, for keyboard scenarios (tests/harness/
 * scenarios.py), typed at through the real PS/2 path.
 *
 *   termios raw     raw mode without ISIG: each key's bytes in hex as they come, until 'q'
 *   termios edit    canonical mode: one line, edited with ^W and ^U, printed back
 *   termios vtime   raw mode with VMIN 0 and VTIME 3: a read that ends empty after 0.3 s
 *   termios tostop  a background child writes to /dev/tty, first without TOSTOP, then with
 *                   it: SIGTTOU stops it
 *   termios winch   a new window size (TIOCSWINSZ) sends SIGWINCH to the foreground group
 *   termios hangup  a session leader takes the terminal (TIOCSCTTY) and exits: its foreground
 *                   group gets SIGHUP */
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#define VTIME_DECISECONDS 3

static struct termios saved;

static void set_raw(int vmin, int vtime, int isig)
{
    struct termios t = saved;

    t.c_lflag &= ~(ICANON | ECHO | (isig ? 0 : ISIG));
    t.c_iflag &= ~ICRNL;
    t.c_cc[VMIN] = (cc_t)vmin;
    t.c_cc[VTIME] = (cc_t)vtime;
    tcsetattr(0, TCSAFLUSH, &t);
}

static int raw_mode(void)
{
    unsigned char c = 0;

    set_raw(1, 0, 0);
    printf("READY\n");
    while (c != 'q' && read(0, &c, 1) == 1)
        printf("%02x\n", c);
    tcsetattr(0, TCSANOW, &saved);
    return 0;
}

static int edit_mode(void)
{
    char line[128];
    ssize_t n;

    printf("READY\n");
    n = read(0, line, sizeof(line) - 1);
    line[n > 0 ? n : 0] = '\0';
    printf("read %d bytes: %s", (int)n, line);
    return 0;
}

static int vtime_mode(void)
{
    char c;
    ssize_t n;

    set_raw(0, VTIME_DECISECONDS, 1);
    printf("READY\n");
    n = read(0, &c, 1);
    tcsetattr(0, TCSANOW, &saved);
    printf("read returned %d after the timeout\n", (int)n);
    return 0;
}

/* A child in a group of its own, in the background, writes to the terminal. */
static void background_write(const char *what)
{
    int status;
    pid_t child = fork();

    if (child == 0) {
        static const char wrote[] = "the background write went through\n";
        int tty = open("/dev/tty", O_WRONLY); /* the terminal itself, whatever fd 1 is */
        setpgid(0, 0);
        if (write(tty, "\n", 1) == 1)
            write(1, wrote, sizeof(wrote) - 1);
        _exit(0);
    }
    setpgid(child, child);
    waitpid(child, &status, WUNTRACED);
    if (WIFSTOPPED(status)) {
        printf("%s: the child was stopped by %s\n", what,
               WSTOPSIG(status) == SIGTTOU ? "SIGTTOU" : "another signal");
        kill(child, SIGKILL);
        waitpid(child, &status, 0);
    }
}

static int tostop_mode(void)
{
    struct termios t = saved;

    printf("without TOSTOP:\n");
    background_write("without TOSTOP");
    t.c_lflag |= TOSTOP;
    tcsetattr(0, TCSANOW, &t);
    printf("with TOSTOP:\n");
    background_write("with TOSTOP");
    tcsetattr(0, TCSANOW, &saved);
    return 0;
}

static volatile sig_atomic_t got;

static void on_signal(int sig) { got = sig; }

static int winch_mode(void)
{
    struct winsize ws;

    signal(SIGWINCH, on_signal);
    ioctl(0, TIOCGWINSZ, &ws);
    printf("window: %u columns, %u rows\n", ws.ws_col, ws.ws_row);
    ioctl(0, TIOCSWINSZ, &ws);
    printf("the same size again: SIGWINCH %s\n", got ? "sent" : "not sent");
    ws.ws_col = 100;
    ioctl(0, TIOCSWINSZ, &ws);
    printf("a new size: SIGWINCH %s\n", got == SIGWINCH ? "sent" : "not sent");
    return 0;
}

/* In the grandchild: wait for SIGHUP, then say so through the pipe. */
static void await_hangup(int report)
{
    struct timespec pause = {0, 50000000};

    signal(SIGHUP, on_signal);
    for (int i = 0; i < 100 && !got; i++)
        nanosleep(&pause, NULL);
    write(report, got == SIGHUP ? "H" : "-", 1);
    _exit(0);
}

static int hangup_mode(void)
{
    int p[2];
    char c = '?';

    pipe(p);
    if (fork() == 0) {
        setsid(); /* a new session, led by this child... */
        ioctl(0, TIOCSCTTY, 1); /* ...takes the terminal (root may steal it)... */
        if (fork() == 0)
            await_hangup(p[1]); /* ...and its group is the foreground */
        nanosleep(&(struct timespec){0, 200000000}, NULL);
        _exit(0); /* the session leader exits */
    }
    read(p[0], &c, 1);
    printf("the foreground group of a session whose leader exited got SIGHUP: %s\n",
           c == 'H' ? "yes" : "no");
    return 0;
}

int main(int argc, char **argv)
{
    const char *mode = argc > 1 ? argv[1] : "";

    if (tcgetattr(0, &saved) < 0) {
        printf("stdin is not a terminal\n");
        return 1;
    }
    if (!strcmp(mode, "raw"))
        return raw_mode();
    if (!strcmp(mode, "edit"))
        return edit_mode();
    if (!strcmp(mode, "vtime"))
        return vtime_mode();
    if (!strcmp(mode, "tostop"))
        return tostop_mode();
    if (!strcmp(mode, "winch"))
        return winch_mode();
    if (!strcmp(mode, "hangup"))
        return hangup_mode();
    fprintf(stderr, "usage: termios raw|edit|vtime|tostop|winch|hangup\n");
    return 2;
}
