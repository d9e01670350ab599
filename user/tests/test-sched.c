/* test-sched: sched_yield, nanosleep and alarm results. Only results are printed: times are
 * not, because they differ between machines. */
#include <sched.h>
#include <time.h>
#include <unistd.h>

#include "check.h"

static void sleep_for(const char *what, time_t sec, long nsec)
{
    struct timespec req = {sec, nsec}, rem = {77, 77};
    int r = nanosleep(&req, &rem);

    show(what, r);
    if (r == 0)
        printf("  rem untouched: %s\n", yes(rem.tv_sec == 77 && rem.tv_nsec == 77));
}

int main(void)
{
    int i;

    for (i = 0; i < 3; i++)
        show("sched_yield()", sched_yield());
    sleep_for("nanosleep(10 ms)", 0, 10000000);
    sleep_for("nanosleep(0)", 0, 0);
    sleep_for("nanosleep(tv_nsec = 2000000000)", 0, 2000000000);
    sleep_for("nanosleep(tv_nsec = 1000000000)", 0, 1000000000);
    sleep_for("nanosleep(tv_nsec = -1)", 0, -1);
    sleep_for("nanosleep(tv_sec = -1)", -1, 0);
    show("alarm(0) with none pending", alarm(0));
    show("alarm(5)", alarm(5));
    show("alarm(0) right after: seconds left", alarm(0));
    return 0;
}
