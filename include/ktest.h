/*
 * In-kernel tests, printed as KTAP (kernel/ktest.c).
 *
 * A test case is a function declared with KTEST(suite, name); cases of the
 * same suite are grouped in the order the linker lays them out. Boot with
 * test=SUITE (or test=all) to run them:
 *
 *     KTEST("console", formats_decimal)
 *     {
 *         char buf[16];
 *         ksnprintf(buf, sizeof(buf), "%d", -42);
 *         EXPECT_STREQ(buf, "-42");
 *     }
 *
 * EXPECT_* records a failure and goes on; ASSERT_* also ends the case.
 * A failure prints file:line and both values as a KTAP diagnostic.
 */
#pragma once

#include "types.h"

struct proc;

struct ktest_case {
    const char *suite;
    const char *name;
    void (*run)(void);
};

/* The section name carries the line number, and the linker script sorts by
 * it (SORT_BY_INIT_PRIORITY), so cases run in the order they are written. */
#define KTEST_STR(x) #x
#define KTEST_SECTION(line) ".ktest_cases." KTEST_STR(line)
#define KTEST(suite_str, case_name)                                                                \
    static void ktest_fn_##case_name(void);                                                        \
    static const struct ktest_case ktest_case_##case_name                                         \
        __attribute__((section(KTEST_SECTION(__LINE__)), used, aligned(4))) = {                    \
            suite_str, #case_name, ktest_fn_##case_name};                                          \
    static void ktest_fn_##case_name(void)

bool ktest_check(bool ok, const char *file, int line, const char *what);
bool ktest_check_int(bool ok, const char *file, int line, const char *expr_a, const char *op,
                     const char *expr_b, long long a, long long b);
bool ktest_check_str(const char *file, int line, const char *expr_a, const char *expr_b,
                     const char *a, const char *b);
/* Prints a "# " diagnostic line inside the current case. */
void ktest_diag(const char *fmt, ...) PRINTF_LIKE(1, 2);
/* Asks the host runner to type keys on the PS/2 keyboard over QMP, e.g.
 * "a shift-b ctrl-c ret" (QEMU key names; see tests/harness/qmp.py). */
void ktest_inject_keys(const char *keys);
/* Starts the boot module called name as a new RUNNABLE process, leader of
 * its own group and session; NULL if it cannot. The case then runs
 * schedule_once() itself (see kernel/ktest/proc_test.c). */
struct proc *ktest_spawn(const char *name, const char *const argv[], int argc);
/* Marks the current case skipped, with a reason, unless it already failed. */
void ktest_skip(const char *reason);
/* True while test= is running suites: panics then exit QEMU at once. */
bool ktest_running(void);
/* Runs the suite chosen by test=, if any; does not return when it ran. */
void ktest_main(void);

/* Each operand is evaluated once, so EXPECT_EQ(pop(), 3) pops once. */
#define KT_CMP(a, op, b)                                                                           \
    ({                                                                                             \
        long long kt_a_ = (long long)(a), kt_b_ = (long long)(b);                                  \
        ktest_check_int(kt_a_ op kt_b_, __FILE__, __LINE__, #a, #op, #b, kt_a_, kt_b_);            \
    })

#define EXPECT_TRUE(c) ktest_check(!!(c), __FILE__, __LINE__, #c)
#define EXPECT_FALSE(c) ktest_check(!(c), __FILE__, __LINE__, "!(" #c ")")
#define EXPECT_EQ(a, b) KT_CMP(a, ==, b)
#define EXPECT_NE(a, b) KT_CMP(a, !=, b)
#define EXPECT_LT(a, b) KT_CMP(a, <, b)
#define EXPECT_LE(a, b) KT_CMP(a, <=, b)
#define EXPECT_GE(a, b) KT_CMP(a, >=, b)
#define EXPECT_GT(a, b) KT_CMP(a, >, b)
#define EXPECT_STREQ(a, b) ktest_check_str(__FILE__, __LINE__, #a, #b, (a), (b))

#define ASSERT_TRUE(c)                                                                             \
    do {                                                                                           \
        if (!EXPECT_TRUE(c))                                                                       \
            return;                                                                                \
    } while (0)
#define ASSERT_EQ(a, b)                                                                            \
    do {                                                                                           \
        if (!EXPECT_EQ(a, b))                                                                      \
            return;                                                                                \
    } while (0)
