/* test-poll: poll on pipes, compared with Linux: ready at once, a timeout, a writer that comes
 * later, end of file (POLLHUP), a closed descriptor (POLLNVAL), a negative one (ignored), and
 * a handler that ends the wait with EINTR. */
#include <poll.h>
#include <signal.h>
#include <sys/time.h>
#include <unistd.h>

#include "sigtest.h"

static void on_alarm(int sig) { (void)sig; }

static void show_poll(const char *what, struct pollfd *fds, int n, int timeout)
{
    int r = poll(fds, n, timeout);

    if (r < 0) {
        printf("%s = -1 %s\n", what, errno_name(errno));
        return;
    }
    printf("%s = %d:", what, r);
    for (int i = 0; i < n; i++)
        printf(" 0x%x", fds[i].revents & 0xffff);
    printf("\n");
}

int main(void)
{
    int p[2];
    struct pollfd fds[3];
    pid_t child;

    pipe(p);
    fds[0] = (struct pollfd){p[0], POLLIN, 0};
    fds[1] = (struct pollfd){p[1], POLLOUT, 0};
    show_poll("empty pipe: read end, write end", fds, 2, 0);
    show_poll("empty pipe, read end only, 50 ms", fds, 1, 50);
    write(p[1], "x", 1);
    show_poll("after a write", fds, 2, -1);
    read(p[0], (char[1]){0}, 1);
    if ((child = fork()) == 0) {
        settle();
        write(p[1], "yz", 2);
        _exit(0);
    }
    show_poll("a child writes later", fds, 1, -1);
    reap(child, "the child");
    close(p[1]);
    fds[1] = (struct pollfd){-1, POLLIN, 0};
    fds[2] = (struct pollfd){99, POLLIN, 0};
    show_poll("writer gone, a negative fd, a closed fd", fds, 3, 0);
    read(p[0], (char[2]){0}, 2);
    show_poll("drained, writer gone", fds, 1, 0);
    close(p[0]);
    pipe(p);
    on(SIGALRM, on_alarm, SA_RESTART);
    alarm(1);
    fds[0] = (struct pollfd){p[0], POLLIN, 0};
    show_poll("a handler during the wait (SA_RESTART does not restart poll)", fds, 1, 5000);
    show_poll("bad pointer", (struct pollfd *)16, 1, 0);
    return 0;
}
