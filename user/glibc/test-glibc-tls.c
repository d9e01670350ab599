/*
 * test-glibc-tls: glibc keeps its thread pointer in %gs, through a TLS entry
 * it asked set_thread_area for at start-up. A program that asks for another
 * entry must get a different one, and glibc's own must keep working
 * (printf reads its locale and stdio state through %gs).
 */
#include <asm/ldt.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#define ANY_ENTRY (-1)
#define FLAT_LIMIT 0xFFFFF

static unsigned short read_gs(void)
{
    unsigned short gs;

    __asm__ volatile("movw %%gs, %0" : "=r"(gs));
    return gs;
}

int main(void)
{
    static int mine = 42;
    struct user_desc u;
    long r;

    memset(&u, 0, sizeof(u));
    u.entry_number = (unsigned)ANY_ENTRY;
    u.base_addr = (unsigned long)&mine;
    u.limit = FLAT_LIMIT;
    u.seg_32bit = 1;
    u.limit_in_pages = 1;
    printf("printf before: works\n");
    r = syscall(SYS_set_thread_area, &u);
    printf("second set_thread_area(entry -1) = %ld\n", r);
    printf("it is not glibc's entry: %s\n", (read_gs() >> 3) != u.entry_number ? "yes" : "no");
    printf("printf after: %s %d %.2f\n", "works", mine, 2.5);
    return 0;
}
