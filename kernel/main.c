/*
 * kmain: boot.asm calls it once, on the boot stack, with paging on.
 * Each step below needs the ones before it.
 */
#include "bootinfo.h"
#include "cmdline.h"
#include "console.h"
#include "clock.h"
#include "cpu.h"
#include "exec.h"
#include "file.h"
#include "gdt.h"
#include "irq.h"
#include "kbd.h"
#include "monitor.h"
#include "ktest.h"
#include "paging.h"
#include "pmm.h"
#include "proc.h"
#include "printk.h"
#include "timer.h"
#include "trace.h"
#include "trap.h"
#include "tty.h"
#include "x86.h"

#ifndef RELAY_VERSION
#define RELAY_VERSION "unknown"
#endif

static void print_banner(bool boot_info_ok)
{
    kprintf("Relay %s: booted via %s by %s\n", RELAY_VERSION,
            boot_info_ok ? boot_info.protocol : "an unknown protocol", boot_info.bootloader);
}

static void print_boot_info(void)
{
    uint64_t usable = 0;

    for (int i = 0; i < boot_info.memory_count; i++)
        if (boot_info.memory[i].type == MEMORY_AVAILABLE)
            usable += boot_info.memory[i].length;
    pr_info("boot: cmdline \"%s\", %u KiB usable memory in %d ranges, %d modules\n",
            boot_info.cmdline, (unsigned)(usable >> 10), boot_info.memory_count,
            boot_info.module_count);
    for (int i = 0; i < boot_info.module_count; i++) {
        pr_info("boot: module %d at %08x-%08x \"%s\"\n", i, boot_info.modules[i].start,
                boot_info.modules[i].end, boot_info.modules[i].cmdline);
        if (boot_info.modules[i].cmdline_cut)
            pr_warn("boot: module %d's command line is longer than %d characters: its end "
                    "is lost\n", i, BOOT_CMDLINE_MAX - 1);
    }
    if (boot_info.modules_dropped)
        pr_warn("boot: %d modules beyond the first %d ignored\n", boot_info.modules_dropped,
                BOOT_MAX_MODULES);
}

/* Until processes exist, the kernel itself echoes what is typed. */
static NORETURN void echo_keys_forever(void)
{
    struct key_event ev;

    for (;;) {
        while (kbd_read_event(&ev))
            if (ev.pressed && ev.ascii)
                kprintf("%c", ev.ascii);
        sti_hlt();
    }
}

NORETURN void kmain(uint32_t magic, uint32_t info_phys)
{
    bool boot_info_ok;

    console_init();
    boot_info_ok = bootinfo_parse(magic, info_phys);
    print_banner(boot_info_ok);
    if (!boot_info_ok)
        pr_warn("boot: unknown bootloader magic %08x: no command line, modules or memory map\n",
                magic);
    cmdline_apply(boot_info.cmdline);
    print_boot_info();

    paging_init();
    cpu_init();
    gdt_init();
    idt_init();
    irq_init();
    timer_init();
    clock_init();
    kbd_init();
    pmm_init();
    fs_init();
    initramfs_unpack_modules();
    dev_init();
    procfs_init();
    proc_init();
    tty_init_split_ports();
    trace_init();
    monitor_init();

    ktest_main();
    if (!exec_start_init()) {
        pr_warn("no init program to run (init=, /bin/init): the kernel echoes keys itself\n");
        echo_keys_forever();
    }
    scheduler();
}
