/* stopme: job control from the keyboard.
 *
 * It prints READY and then a line every second. Press Ctrl-Z: the terminal sends SIGTSTP to
 * the foreground job, whose default action is to stop; the shell notices (waitpid with
 * WUNTRACED), prints "[1]+ Stopped" and takes the terminal back. Type `jobs` to see it, then
 * `fg`: the shell gives the job the terminal again and sends SIGCONT, and the count goes on
 * where it stopped. `bg` instead lets it run in the background. Ctrl-C ends it.
 *
 * Watch: no handler is involved here; the kernel stops and continues the process. */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

int main(int argc, char **argv)
{
    int seconds = argc > 1 ? atoi(argv[1]) : 30;
    int i;

    printf("READY: press Ctrl-Z to stop me, then type fg to continue\n");
    for (i = 1; i <= seconds; i++) {
        sleep(1);
        printf("stopme: %d/%d\n", i, seconds);
    }
    return 0;
}
