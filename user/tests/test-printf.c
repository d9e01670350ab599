/* test-printf: the library's formatting, checked through write(): the same binary prints the
 * same bytes anywhere, so this pins down libc itself. */
#include <stdio.h>

int main(void)
{
    char buf[16];
    int n;

    printf("[%d] [%i] [%d] [%u] [%d]\n", 0, 42, -42, 3000000000u, -2147483647 - 1);
    printf("[%x] [%X] [%o] [%lx] [%llx]\n", 0xbeef, 0xbeef, 8, 0xfeedfaceUL, 0x123456789abcdefULL);
    printf("[%lld] [%llu] [%ld]\n", -9000000000LL, 18000000000000000000ULL, -5L);
    printf("[%5d] [%-5d] [%05d] [%5s] [%-5s]|\n", 42, 42, -42, "ab", "ab");
    printf("[%+d] [% d] [%.3d] [%8.3d] [%.0d] [%.2s]\n", 5, 5, 7, -7, 0, "abcdef");
    printf("[%*d] [%-*d] [%.*s]\n", 6, 1, 6, 2, 3, "abcdef");
    const char *volatile null = NULL; /* hidden from the compiler, which rejects NULL for %s */

    printf("[%c] [%3c] [%-3c] [%%] [%s]\n", 'x', 'y', 'z', null);
    printf("[%p] [%p]\n", (void *)0x1234, (void *)0);
    n = snprintf(buf, sizeof(buf), "%s-%d", "truncated string", 12345);
    printf("snprintf returned %d, kept \"%s\"\n", n, buf);
    n = snprintf(buf, 0, "%d", 123);
    printf("snprintf(size 0) returned %d\n", n);
    puts("puts adds a newline");
    fputs("fputs does not", stdout);
    putchar('\n');
    return 0;
}
