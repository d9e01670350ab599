/* Stopping the kernel when one of its own invariants is broken (kernel/panic.c). */
#pragma once

#include "types.h"

struct trapframe;

#define panic(...) panic_at(__FILE__, __LINE__, NULL, __VA_ARGS__)
/* Panics with the registers saved in a trap frame, from the trap dispatcher. */
#define panic_frame(tf, ...) panic_at(__FILE__, __LINE__, (tf), __VA_ARGS__)

/* Prints file:line, the message and the registers, then halts; under test=
 * it exits QEMU with QEMU_EXIT_PANIC so the test run fails at once. */
NORETURN void panic_at(const char *file, int line, const struct trapframe *tf, const char *fmt, ...)
    PRINTF_LIKE(4, 5);

/* Halts this CPU for good, with interrupts off. */
NORETURN void halt_forever(void);
