/* test-tls: set_thread_area and get_thread_area, as on Linux i386. A process has three TLS
 * entries; entry -1 picks a free one. A descriptor must be an empty one or a present 32-bit
 * data segment: a 16-bit one is refused, because iret to a 16-bit stack segment restores only
 * SP and leaves the kernel stack's upper ESP bits to the program (CVE-2014-8133). The entry
 * numbers differ between a Linux i386 kernel (6-8) and IA32 emulation (12-14), so the test
 * prints them relative to the first one it is given. */
#include "sigtest.h"

#include <asm/ldt.h>
#include <sched.h>
#include <ucontext.h>
#include <sys/syscall.h>

#define ANY_ENTRY 0xFFFFFFFFu
#define FLAT_LIMIT 0xFFFFFu  /* with limit_in_pages: 4 GiB */
#define CONTENTS_EXPAND_DOWN 1
#define CONTENTS_CODE 2
#define CONTENTS_CODE_CONFORMING 3
#define SELECTOR(entry) (((entry) << 3) | 3)
#define SWITCHES 20

static unsigned first; /* the first entry the kernel chose */
static int parent_value = 111, child_value = 222;

static long set_area(struct user_desc *u) { return syscall(SYS_set_thread_area, u); }
static long get_area(struct user_desc *u) { return syscall(SYS_get_thread_area, u); }

/* A flat, writable, 32-bit data segment: what a libc asks for. */
static struct user_desc flat(unsigned entry, unsigned base)
{
    struct user_desc u = {0};

    u.entry_number = entry;
    u.base_addr = base;
    u.limit = FLAT_LIMIT;
    u.seg_32bit = 1;
    u.limit_in_pages = 1;
    return u;
}

/* Linux's two ways to say "no segment": all zero, or read-only and not present. */
static struct user_desc empty(unsigned entry, int all_zero)
{
    struct user_desc u = {0};

    u.entry_number = entry;
    u.read_exec_only = !all_zero;
    u.seg_not_present = !all_zero;
    return u;
}

static void show_desc(const char *what, unsigned entry)
{
    struct user_desc u = {0};

    u.entry_number = entry;
    if (get_area(&u) < 0) {
        show(what, -1);
        return;
    }
    printf("%s: entry kept %s, base %x, limit %x, 32bit %u, contents %u, read_only %u, "
           "pages %u, not_present %u, useable %u\n",
           what, yes(u.entry_number == entry), u.base_addr, u.limit, u.seg_32bit, u.contents,
           u.read_exec_only, u.limit_in_pages, u.seg_not_present, u.useable);
}

static void allocation(void)
{
    struct user_desc u[4];

    printf("allocation:\n");
    for (int i = 0; i < 4; i++) {
        u[i] = flat(ANY_ENTRY, 0);
        show("  set_thread_area(entry -1)", set_area(&u[i]));
    }
    first = u[0].entry_number;
    printf("  entries chosen in order: %s\n",
           yes(u[1].entry_number == first + 1 && u[2].entry_number == first + 2));
    printf("  entry number left as -1 when none is free: %s\n",
           yes(u[3].entry_number == ANY_ENTRY));
    u[0] = flat(first - 1, 0);
    show("  set_thread_area(entry first - 1)", set_area(&u[0]));
    u[0] = flat(first + 3, 0);
    show("  set_thread_area(entry first + 3)", set_area(&u[0]));
    show("  set_thread_area(NULL)", set_area(NULL));
}

static void refuse(const char *what, struct user_desc u)
{
    char line[96];

    snprintf(line, sizeof(line), "  %s", what);
    show(line, set_area(&u));
}

static void rules(void)
{
    struct user_desc u;

    printf("descriptor rules:\n");
    u = flat(first, 0);
    u.seg_32bit = 0;
    refuse("16-bit", u);
    u = flat(first, 0);
    u.seg_not_present = 1;
    refuse("not present", u);
    u = flat(first, 0);
    u.contents = CONTENTS_CODE;
    refuse("code", u);
    u = flat(first, 0);
    u.contents = CONTENTS_CODE_CONFORMING;
    refuse("conforming code", u);
    u = flat(ANY_ENTRY, 0);
    u.seg_32bit = 0;
    refuse("16-bit, entry -1", u);
    printf("  entry number left as -1: %s\n", yes(u.entry_number == ANY_ENTRY));
    show_desc("  after the refusals", first);
    u = flat(first, 0x1000);
    u.contents = CONTENTS_EXPAND_DOWN;
    u.read_exec_only = 1;
    u.useable = 1;
    refuse("expand-down, read-only, useable", u);
    show_desc("  read back", first);
    show_desc("  the next entry", first + 1);
}

static void clearing(void)
{
    struct user_desc u;

    printf("empty descriptors:\n");
    u = empty(first, 1);
    show("  set_thread_area(all zero)", set_area(&u));
    show_desc("  read back", first);
    u = flat(first, 0);
    set_area(&u);
    u = empty(first, 0);
    show("  set_thread_area(read-only, not present)", set_area(&u));
    show_desc("  read back", first);
    u = flat(ANY_ENTRY, 0);
    show("  set_thread_area(entry -1)", set_area(&u));
    printf("  the cleared entry is chosen again: %s\n", yes(u.entry_number == first));
    u.entry_number = first - 1;
    show("  get_thread_area(entry first - 1)", get_area(&u));
    u.entry_number = first + 3;
    show("  get_thread_area(entry first + 3)", get_area(&u));
    show("  get_thread_area(NULL)", get_area(NULL));
}

/* Loads ss with sel, makes a system call (getpid), and reports whether esp came back as it
 * was. No stack is used while ss is sel: with a 16-bit segment only SP would be right. */
static int esp_survives_syscall(unsigned short sel)
{
    unsigned before, after;

    __asm__ volatile("movw %%ss, %%dx\n\t"
                     "movl %%esp, %%esi\n\t"
                     "movw %%cx, %%ss\n\t"
                     "movl $20, %%eax\n\t"
                     "int $0x80\n\t"
                     "movl %%esp, %%edi\n\t"
                     "movw %%dx, %%ss\n\t"
                     "movl %%esi, %%esp"
                     : "=S"(before), "=D"(after)
                     : "c"((unsigned)sel)
                     : "eax", "edx", "memory");
    return before == after;
}

static void stack_segment(void)
{
    struct user_desc u;
    long r;

    printf("a TLS entry as the stack segment:\n");
    u = flat(first, 0);
    set_area(&u);
    printf("  32-bit: esp intact after a system call: %s\n",
           yes(esp_survives_syscall(SELECTOR(first))));
    u.seg_32bit = 0;
    r = set_area(&u);
    show("  set_thread_area(16-bit)", r);
    if (r == 0)
        printf("  16-bit: esp intact after a system call: %s\n",
               yes(esp_survives_syscall(SELECTOR(first))));
}

static unsigned short read_gs(void)
{
    unsigned short gs;

    __asm__ volatile("movw %%gs, %0" : "=r"(gs));
    return gs;
}

static int read_fs_word(void)
{
    int v;

    __asm__ volatile("movl %%fs:0, %0" : "=r"(v));
    return v;
}

/* A segment register that names an entry which is then cleared becomes null. */
static void cleared_under_gs(void)
{
    struct user_desc u = flat(first + 2, 0);

    printf("clearing the entry gs uses:\n");
    set_area(&u);
    __asm__ volatile("movw %w0, %%gs" : : "r"(SELECTOR(first + 2)));
    u = empty(first + 2, 0);
    show("  set_thread_area(empty)", set_area(&u));
    printf("  gs is null now: %s\n", yes(read_gs() == 0));
}

/* The entry under ss is cleared by a system call: the return to user mode cannot load ss
 * again, and the process gets SIGSEGV. */
static void cleared_under_ss(void)
{
    static struct user_desc u;
    pid_t pid;

    printf("clearing the entry ss uses:\n");
    fflush(stdout);
    pid = fork();
    if (pid == 0) {
        u = flat(first + 2, 0);
        set_area(&u);
        u = empty(first + 2, 0);
        __asm__ volatile("movw %%ss, %%dx\n\t"
                         "movw %%cx, %%ss\n\t"
                         "int $0x80\n\t"
                         "movw %%dx, %%ss"
                         :
                         : "a"(SYS_set_thread_area), "b"(&u), "c"((unsigned)SELECTOR(first + 2))
                         : "edx", "memory");
        exit(0);
    }
    reap(pid, "  child");
}

/* A signal handler's sigreturn may put a valid TLS entry into ss. */
static void on_usr1(int sig, siginfo_t *si, void *ctx)
{
    (void)sig, (void)si;
    ((ucontext_t *)ctx)->uc_mcontext.ss = SELECTOR(first + 2);
}

static void sigreturn_to_tls_stack(void)
{
    struct user_desc u = flat(first + 2, 0);
    unsigned short ss, user_ss;

    printf("sigreturn into a TLS stack segment:\n");
    set_area(&u);
    on_info(SIGUSR1, on_usr1, 0);
    __asm__ volatile("movw %%ss, %0" : "=r"(user_ss));
    raise(SIGUSR1);
    __asm__ volatile("movw %%ss, %0\n\t"
                     "movw %1, %%ss"
                     : "=&r"(ss)
                     : "r"(user_ss));
    printf("  ss is the TLS entry after the handler: %s\n", yes(ss == SELECTOR(first + 2)));
}

/* A forged frame whose ss cannot hold a stack (a read-only entry): on Linux the return to
 * user mode faults, on Relay sigreturn refuses it; either way the process dies by SIGSEGV. */
static void on_usr2(int sig, siginfo_t *si, void *ctx)
{
    (void)sig, (void)si;
    ((ucontext_t *)ctx)->uc_mcontext.ss = SELECTOR(first + 2);
}

static void sigreturn_to_read_only_stack(void)
{
    struct user_desc u = flat(first + 2, 0);
    pid_t pid;

    printf("sigreturn into a read-only TLS entry as ss:\n");
    fflush(stdout);
    pid = fork();
    if (pid == 0) {
        u.read_exec_only = 1;
        set_area(&u);
        on_info(SIGUSR2, on_usr2, 0);
        raise(SIGUSR2);
        exit(0);
    }
    reap(pid, "  child");
}

/* Each process keeps its own entries across context switches. */
static int keeps_own_tls(int *mine)
{
    struct user_desc u = flat(first + 1, (unsigned)mine);
    int ok = 1;

    set_area(&u);
    __asm__ volatile("movw %w0, %%fs" : : "r"(SELECTOR(first + 1)));
    for (int i = 0; i < SWITCHES; i++) {
        sched_yield();
        ok &= read_fs_word() == *mine;
    }
    return ok;
}

/* The child reports through its exit status, so that the two run side by side silently. */
#define CHILD_INHERITED 1
#define CHILD_KEPT_ITS_OWN 2

static void fork_and_switch(void)
{
    struct user_desc u = flat(first + 1, (unsigned)&parent_value);
    int parent_ok, st;
    pid_t pid;

    printf("fork:\n");
    set_area(&u);
    __asm__ volatile("movw %w0, %%fs" : : "r"(SELECTOR(first + 1)));
    fflush(stdout);
    pid = fork();
    if (pid == 0) {
        int inherited = read_fs_word() == parent_value;
        exit((inherited ? CHILD_INHERITED : 0) |
             (keeps_own_tls(&child_value) ? CHILD_KEPT_ITS_OWN : 0));
    }
    parent_ok = keeps_own_tls(&parent_value);
    waitpid(pid, &st, 0);
    printf("  child: inherits the parent's entry: %s\n",
           yes(WIFEXITED(st) && (WEXITSTATUS(st) & CHILD_INHERITED)));
    printf("  child: keeps its own TLS across switches: %s\n",
           yes(WIFEXITED(st) && (WEXITSTATUS(st) & CHILD_KEPT_ITS_OWN)));
    printf("  parent: keeps its own TLS across switches: %s\n", yes(parent_ok));
}

int main(void)
{
    allocation();
    rules();
    clearing();
    stack_segment();
    cleared_under_gs();
    cleared_under_ss();
    sigreturn_to_tls_stack();
    sigreturn_to_read_only_stack();
    fork_and_switch();
    return 0;
}
