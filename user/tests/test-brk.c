/* test-brk: the program break (grow, write, shrink, regrow, refusals) and malloc over it. */
#include <stdint.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "check.h"

#define PAGE 4096

extern char end[]; /* the linker's end of bss */

static char *cur_break(void) { return (char *)syscall(SYS_brk, 0); }

static void break_tests(void)
{
    char *base = cur_break();
    int i, ok = 1;

    printf("initial break page aligned: %s\n", yes((uintptr_t)base % PAGE == 0));
    printf("initial break above bss: %s\n", yes(base >= end));
    printf("sbrk(0) is the break: %s\n", yes(sbrk(0) == base));
    show("brk(base + 3 pages)", brk(base + 3 * PAGE));
    printf("break moved by 3 pages: %s\n", yes(cur_break() == base + 3 * PAGE));
    printf("new memory zero: %s\n", yes(base[0] == 0 && base[3 * PAGE - 1] == 0));
    for (i = 0; i < 3 * PAGE; i++)
        base[i] = (char)(i * 7);
    for (i = 0; i < 3 * PAGE; i++)
        ok &= base[i] == (char)(i * 7);
    printf("3 pages written and read back: %s\n", yes(ok));
    show("brk(base + 1 page)", brk(base + PAGE));
    printf("first page kept: %s\n", yes(base[PAGE - 1] == (char)((PAGE - 1) * 7)));
    show("brk(base + 3 pages) again", brk(base + 3 * PAGE));
    printf("regrown pages zero: %s\n", yes(base[PAGE] == 0 && base[3 * PAGE - 1] == 0));
    show("brk(0xFFFFF000)", brk((void *)0xFFFFF000));
    printf("break unchanged: %s\n", yes(cur_break() == base + 3 * PAGE));
    show("brk(0x1000), below the start", brk((void *)0x1000));
    printf("break unchanged: %s\n", yes(cur_break() == base + 3 * PAGE));
    printf("sbrk(100) returns the old break: %s\n", yes(sbrk(100) == base + 3 * PAGE));
    printf("sbrk(-100) returns the old break: %s\n", yes(sbrk(-100) == base + 3 * PAGE + 100));
    show("brk(base)", brk(base));
}

static void malloc_tests(void)
{
    char *blocks[100], *p;
    int i, j, ok = 1, aligned = 1;
    char *before = sbrk(0);

    for (i = 0; i < 100; i++) {
        blocks[i] = malloc(i * 37 % 500 + 1);
        aligned &= (uintptr_t)blocks[i] % 16 == 0;
        memset(blocks[i], i, i * 37 % 500 + 1);
    }
    for (i = 0; i < 100; i += 2)
        free(blocks[i]);
    for (i = 0; i < 100; i += 2)
        blocks[i] = malloc(i * 37 % 500 + 1), memset(blocks[i], i, i * 37 % 500 + 1);
    for (i = 0; i < 100; i++) {
        for (j = 0; j < i * 37 % 500 + 1; j++)
            ok &= blocks[i][j] == (char)i;
    }
    printf("100 blocks, half freed and reallocated, intact: %s\n", yes(ok));
    printf("blocks 16-byte aligned: %s\n", yes(aligned));
    p = realloc(blocks[5], 5000);
    ok = 1;
    for (j = 0; j < 5 * 37 + 1; j++)
        ok &= p[j] == 5;
    printf("realloc kept the contents: %s\n", yes(p && ok));
    p = calloc(1000, 4);
    ok = 1;
    for (j = 0; j < 4000; j++)
        ok &= p[j] == 0;
    printf("calloc memory zero: %s\n", yes(ok));
    p = malloc(1 << 20);
    for (j = 0; j < 1 << 20; j += PAGE)
        p[j] = 1;
    printf("1 MiB malloc touched: %s\n", yes(p != NULL));
    printf("break grew: %s\n", yes((char *)sbrk(0) >= before + (1 << 20)));
    free(p);
}

int main(void)
{
    break_tests();
    malloc_tests();
    return 0;
}
