/* sleepy [TICKS [MS]]: sleeps MS milliseconds (default 1000) TICKS times (default 5), printing
 * a line after each sleep: a process that costs no CPU while it waits. */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

int main(int argc, char **argv)
{
    int ticks = argc > 1 ? atoi(argv[1]) : 5;
    long ms = argc > 2 ? atol(argv[2]) : 1000;
    struct timespec ts = {ms / 1000, ms % 1000 * 1000000};
    int i;

    for (i = 1; i <= ticks; i++) {
        if (nanosleep(&ts, NULL) < 0) {
            perror("sleepy: nanosleep");
            return 1;
        }
        printf("sleepy: tick %d/%d\n", i, ticks);
    }
    return 0;
}
