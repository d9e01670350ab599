/* spin [ROUNDS [WORK]]: a CPU-bound loop for watching the scheduler. Each round does WORK
 * thousand steps of a small hash and prints its progress; the final hash is the same on every
 * run, so the output is deterministic. The default, 5 rounds of 200,000 thousand steps, takes
 * about a second a round under QEMU's TCG: time enough to try jobs, fg and bg on `spin &`. */
#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv)
{
    int rounds = argc > 1 ? atoi(argv[1]) : 5;
    long work = argc > 2 ? atol(argv[2]) : 200000;
    volatile unsigned int hash = 2166136261u; /* volatile: keep the loop from being folded */
    long i;
    int r;

    for (r = 1; r <= rounds; r++) {
        for (i = 0; i < work * 1000; i++)
            hash = (hash ^ (unsigned int)i) * 16777619u;
        printf("spin: round %d/%d\n", r, rounds);
    }
    printf("spin: hash %08x\n", hash);
    return 0;
}
