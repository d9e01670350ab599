/* panic(): the kernel's last words, printed so that a student can read them. */
#include <stdarg.h>

#include "irq.h"
#include "ktest.h"
#include "panic.h"
#include "printk.h"
#include "qemu.h"
#include "trap.h"
#include "x86.h"

NORETURN void halt_forever(void)
{
    for (;;) {
        cli();
        hlt();
    }
}

static void dump_current_registers(void)
{
    uint32_t esp, ebp;

    __asm__ volatile("mov %%esp, %0; mov %%ebp, %1" : "=r"(esp), "=r"(ebp));
    kprintf("  esp=%08x ebp=%08x eflags=%08x\n", esp, ebp, read_eflags());
    kprintf("  cr0=%08x cr2=%08x cr3=%08x cr4=%08x\n", read_cr0(), read_cr2(), read_cr3(),
            read_cr4());
}

NORETURN void panic_at(const char *file, int line, const struct trapframe *tf, const char *fmt, ...)
{
    static bool panicking;
    va_list ap;

    cli();
    if (panicking) /* A panic while printing a panic: stop, say nothing more. */
        halt_forever();
    panicking = true;

    kprintf("\nKERNEL PANIC at %s:%d: ", file, line);
    va_start(ap, fmt);
    kvprintf(fmt, ap);
    va_end(ap);
    kprintf("\n");
    if (tf)
        trapframe_dump(tf);
    else
        dump_current_registers();
    irq_dump_counters();
    if (ktest_running())
        qemu_exit(QEMU_EXIT_PANIC);
    halt_forever();
}
