/*
 * The in-kernel test runner. Cases live in the .ktest_cases section (see
 * KTEST in ktest.h); test=SUITE picks a suite, test=all every suite whose
 * name does not start with "meta-" (those prove that the host runner notices
 * a failure or a panic, so they fail on purpose) or "bench-" (measurements).
 *
 * Output is KTAP version 1, the format of Linux's KUnit
 * (Documentation/dev-tools/ktap.rst): each suite is a nested subtest.
 */
#include <stdarg.h>

#include "cmdline.h"
#include "ktest.h"
#include "printk.h"
#include "qemu.h"
#include "string.h"
#include "x86.h"

#define SUITE_NAME_MAX 32
#define MAX_SUITES 64
/* Suites that test=all leaves out: runner proofs that fail on purpose, and
 * benchmarks. */
static const char *const explicit_only_prefixes[] = {"meta-", "bench-"};

extern const struct ktest_case __ktest_start[], __ktest_end[];

static char selected[SUITE_NAME_MAX];
static bool running;
static bool case_failed;
static const char *case_skip_reason;

bool ktest_running(void) { return running; }

static const char *set_test(const char *value)
{
    if (strlcpy(selected, value, sizeof(selected)) >= sizeof(selected))
        return "suite name too long";
    return NULL;
}
BOOT_OPTION("test", set_test, "run the in-kernel test suite SUITE, or all, and exit QEMU");

void ktest_diag(const char *fmt, ...)
{
    va_list ap;

    kprintf("    # ");
    va_start(ap, fmt);
    kvprintf(fmt, ap);
    va_end(ap);
    kprintf("\n");
}

bool ktest_check(bool ok, const char *file, int line, const char *what)
{
    if (!ok) {
        ktest_diag("%s:%d: expected %s", file, line, what);
        case_failed = true;
    }
    return ok;
}

bool ktest_check_int(bool ok, const char *file, int line, const char *expr_a, const char *op,
                     const char *expr_b, long long a, long long b)
{
    if (!ok) {
        ktest_diag("%s:%d: expected %s %s %s, got %lld (0x%llx) and %lld (0x%llx)", file, line,
                   expr_a, op, expr_b, a, (unsigned long long)a, b, (unsigned long long)b);
        case_failed = true;
    }
    return ok;
}

bool ktest_check_str(const char *file, int line, const char *expr_a, const char *expr_b,
                     const char *a, const char *b)
{
    bool ok = a && b && !strcmp(a, b);

    if (!ok) {
        ktest_diag("%s:%d: expected %s == %s, got \"%s\" and \"%s\"", file, line, expr_a, expr_b,
                   a, b);
        case_failed = true;
    }
    return ok;
}

void ktest_inject_keys(const char *keys) { ktest_diag("relay-inject: %s", keys); }

void ktest_skip(const char *reason) { case_skip_reason = reason; }

static bool suite_selected(const char *suite)
{
    if (strcmp(selected, "all"))
        return !strcmp(selected, suite);
    for (unsigned i = 0; i < ARRAY_SIZE(explicit_only_prefixes); i++)
        if (!strncmp(suite, explicit_only_prefixes[i], strlen(explicit_only_prefixes[i])))
            return false;
    return true;
}

/* Collects the distinct selected suite names, in link order. */
static int collect_suites(const char *names[], int max)
{
    int n = 0;

    for (const struct ktest_case *c = __ktest_start; c < __ktest_end; c++) {
        bool seen = false;
        for (int i = 0; i < n; i++)
            seen |= !strcmp(names[i], c->suite);
        if (!seen && n < max && suite_selected(c->suite))
            names[n++] = c->suite;
    }
    return n;
}

static int count_cases(const char *suite)
{
    int n = 0;
    for (const struct ktest_case *c = __ktest_start; c < __ktest_end; c++)
        n += !strcmp(c->suite, suite);
    return n;
}

static bool run_case(const struct ktest_case *c, int number)
{
    case_failed = false;
    case_skip_reason = NULL;
    c->run();
    if (!case_failed && case_skip_reason) {
        kprintf("    ok %d %s # SKIP %s\n", number, c->name, case_skip_reason);
        return true;
    }
    kprintf("    %s %d %s\n", case_failed ? "not ok" : "ok", number, c->name);
    return !case_failed;
}

static bool run_suite(const char *suite, int number)
{
    bool all_ok = true;
    int n = 0;

    kprintf("    KTAP version 1\n    # Subtest: %s\n    1..%d\n", suite, count_cases(suite));
    for (const struct ktest_case *c = __ktest_start; c < __ktest_end; c++)
        if (!strcmp(c->suite, suite))
            all_ok &= run_case(c, ++n);
    kprintf("%s %d %s\n", all_ok ? "ok" : "not ok", number, suite);
    return all_ok;
}

static void list_suites(void)
{
    const char *names[MAX_SUITES];
    int n;

    strlcpy(selected, "all", sizeof(selected));
    n = collect_suites(names, MAX_SUITES);
    kprintf("# known suites:");
    for (int i = 0; i < n; i++)
        kprintf(" %s", names[i]);
    kprintf(" (and the meta- suites, which fail on purpose, and the bench- suites)\n");
}

void ktest_main(void)
{
    const char *suites[MAX_SUITES];
    bool all_ok = true;
    int n;

    if (!selected[0])
        return;
    running = true;
    n = collect_suites(suites, MAX_SUITES);
    kprintf("KTAP version 1\n1..%d\n", n);
    if (n == 0) {
        kprintf("# test=%s: no such suite\n", selected);
        list_suites();
        all_ok = false;
    }
    for (int i = 0; i < n; i++)
        all_ok &= run_suite(suites[i], i + 1);
    qemu_exit(all_ok ? QEMU_EXIT_PASS : QEMU_EXIT_FAIL);
    kprintf("# no isa-debug-exit device: halting\n");
    running = false;
}
