/* test-rw: write() and read() results. With --stdin it also reads fd 0 to end of file and
 * prints the byte count and a checksum; by default it leaves fd 0 alone, because on Relay it
 * is the console, where a read would wait for a key. */
#include <stdint.h>
#include <stdlib.h>
#include <unistd.h>

#include "check.h"

#define PAGE 4096
#define LINE 128 /* bytes per output line in the big write */

static void read_stdin(void)
{
    unsigned char buf[300];
    unsigned long total = 0, sum = 0;
    int n, i;

    while ((n = read(0, buf, sizeof(buf))) > 0) {
        for (i = 0; i < n; i++)
            sum = sum * 31 + buf[i];
        total += n;
    }
    show("final read(0)", n);
    printf("stdin: %lu bytes, checksum %08lx\n", total, sum);
}

/* One write of a full page that starts in the middle of another page, so the kernel copies
 * from two pages. */
static void big_write(void)
{
    char *mem = malloc(3 * PAGE);
    char *p = (char *)(((uintptr_t)mem + PAGE - 1) & ~(uintptr_t)(PAGE - 1)) + PAGE / 2;
    int line, i;

    for (line = 0; line < PAGE / LINE; line++) {
        char *l = p + line * LINE;
        snprintf(l, LINE, "line %02d of the page-crossing write ", line);
        for (i = strlen(l); i < LINE - 1; i++)
            l[i] = 'a' + line % 26;
        l[LINE - 1] = '\n';
    }
    fflush(stdout);
    show("write(1, 4096 bytes across a page boundary)", write(1, p, PAGE));
    free(mem);
}

int main(int argc, char **argv)
{
    char buf[16];

    fflush(stdout);
    show("write(1, \"raw write\\n\", 10)", write(1, "raw write\n", 10));
    show("write(1, buf, 0)", write(1, "x", 0));
    show("write(99, ...)", write(99, "x", 1));
    show("write(-1, ...)", write(-1, "x", 1));
    show("read(99, ...)", read(99, buf, sizeof(buf)));
    show("read(-1, ...)", read(-1, buf, sizeof(buf)));
    printf("printf then write: ");
    fflush(stdout);
    write(1, "in order\n", 9);
    big_write();
    if (argc > 1 && strcmp(argv[1], "--stdin") == 0)
        read_stdin();
    return 0;
}
