/*
 * Suite "qmp": the host runner's QMP client really reaches the PS/2
 * controller. The kernel asks for keys with a "# relay-inject:" line and
 * polls the i8042 for the scan codes, with the keyboard IRQ masked so that
 * no driver takes them first.
 */
#include "irq.h"
#include "ktest.h"
#include "printk.h"
#include "timer.h"
#include "x86.h"

#define I8042_DATA 0x60
#define I8042_STATUS 0x64
#define I8042_STATUS_OUTPUT_FULL 0x01
#define WAIT_TICKS_PER_BYTE 300 /* 3 s at 100 Hz: keys come from another process */

/* Scan code set 1, as QEMU's i8042 translates (../shared/QEMU-FACTS.md). */
#define SC_A_PRESS 0x1E
#define SC_A_RELEASE 0x9E
#define SC_LSHIFT_PRESS 0x2A
#define SC_B_PRESS 0x30
#define SC_B_RELEASE 0xB0
#define SC_LSHIFT_RELEASE 0xAA

static int poll_scancode(void)
{
    uint64_t deadline = timer_ticks() + WAIT_TICKS_PER_BYTE;

    while (timer_ticks() < deadline) {
        if (inb(I8042_STATUS) & I8042_STATUS_OUTPUT_FULL)
            return inb(I8042_DATA);
        cpu_relax();
    }
    return -1;
}

static void drain_controller(void)
{
    while (inb(I8042_STATUS) & I8042_STATUS_OUTPUT_FULL)
        inb(I8042_DATA);
}

KTEST("qmp", injected_keys_reach_the_i8042)
{
    static const int expected[] = {SC_A_PRESS,      SC_A_RELEASE, SC_LSHIFT_PRESS,
                                   SC_B_PRESS,      SC_B_RELEASE, SC_LSHIFT_RELEASE};

    irq_mask(IRQ_KEYBOARD);
    drain_controller();
    ktest_inject_keys("a shift-b");
    for (unsigned i = 0; i < ARRAY_SIZE(expected); i++) {
        int code = poll_scancode();
        if (!EXPECT_EQ(code, expected[i]))
            break;
    }
}

KTEST("qmp", kernel_alive_after_keys)
{
    uint64_t t = timer_ticks();
    timer_wait_ticks(2);
    EXPECT_GE(timer_ticks(), t + 2);
}
