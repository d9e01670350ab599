/*
 * Suites that fail on purpose, to prove the host runner notices: test=all
 * skips every "meta-" suite; tests/suites.py runs them and expects the
 * failure (meta-fail) or the panic (meta-panic).
 */
#include "ktest.h"
#include "panic.h"

KTEST("meta-fail", passes_first)
{
    EXPECT_EQ(1 + 1, 2);
}

KTEST("meta-fail", deliberate_failure)
{
    int answer = 41;
    EXPECT_EQ(answer, 42);
}

KTEST("meta-panic", deliberate_panic)
{
    panic("meta-panic: a deliberate panic, to prove the runner stops at once");
}
