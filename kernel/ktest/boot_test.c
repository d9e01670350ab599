/* Suite "boot": the foundation that every later test stands on. */
#include "bootinfo.h"
#include "cmdline.h"
#include "ktest.h"
#include "printk.h"
#include "string.h"
#include "x86.h"

KTEST("boot", banner_names_protocol)
{
    EXPECT_STREQ(boot_info.protocol, "multiboot1");
    EXPECT_STREQ(boot_info.bootloader, "qemu");
}

KTEST("boot", cmdline_reached_kernel)
{
    /* The runner boots with test=boot; the kernel's own path is stripped. */
    EXPECT_TRUE(strncmp(boot_info.cmdline, "test=boot", 9) == 0);
}

KTEST("boot", memory_map_has_ram)
{
    uint64_t usable = 0;

    for (int i = 0; i < boot_info.memory_count; i++)
        if (boot_info.memory[i].type == MEMORY_AVAILABLE)
            usable += boot_info.memory[i].length;
    /* The runner gives QEMU 128 MiB; the BIOS keeps a little of it. */
    EXPECT_GT(usable, 120u << 20);
    EXPECT_LE(usable, 128u << 20);
}

KTEST("boot", printf_integers)
{
    char buf[64];

    ksnprintf(buf, sizeof(buf), "%d %i %u %x %X", -42, 7, 4000000000u, 0xbeef, 0xbeef);
    EXPECT_STREQ(buf, "-42 7 4000000000 beef BEEF");
    ksnprintf(buf, sizeof(buf), "%lld %llx", -9000000000LL, 0x123456789abcULL);
    EXPECT_STREQ(buf, "-9000000000 123456789abc");
}

KTEST("boot", printf_widths_and_padding)
{
    char buf[64];

    ksnprintf(buf, sizeof(buf), "[%5d][%-5d][%05d][%08x][%05d]", 42, 42, 42, 0xabc, -42);
    EXPECT_STREQ(buf, "[   42][42   ][00042][00000abc][-0042]");
}

KTEST("boot", printf_strings_chars_pointers)
{
    char buf[64];

    ksnprintf(buf, sizeof(buf), "%s|%6s|%-6s|%c|%p|%s", "ab", "cd", "ef", 'x', (void *)0xC0100000,
              (const char *)NULL);
    EXPECT_STREQ(buf, "ab|    cd|ef    |x|0xc0100000|(null)");
}

KTEST("boot", snprintf_truncates_and_counts)
{
    char buf[6];
    int n = ksnprintf(buf, sizeof(buf), "%s", "truncated");

    EXPECT_EQ(n, 9);
    EXPECT_STREQ(buf, "trunc");
}

KTEST("boot", parse_uint_rejects_junk)
{
    uint32_t v = 0;

    EXPECT_TRUE(parse_uint("1000", &v) && v == 1000);
    EXPECT_TRUE(!parse_uint("", &v));
    EXPECT_TRUE(!parse_uint("12a", &v));
    EXPECT_TRUE(!parse_uint("-1", &v));
    EXPECT_TRUE(!parse_uint("99999999999", &v));
}

KTEST("boot", bad_options_are_reported_not_fatal)
{
    /* Each of these is rejected with a console line; none stops the kernel. */
    EXPECT_EQ(cmdline_apply("novalue =x nosuch=1 hz=5 hz=abc log=loud"), 6);
    EXPECT_EQ(cmdline_apply("log=info"), 0);
    EXPECT_EQ(cmdline_apply(""), 0);
}

KTEST("boot", interrupts_enabled_after_init)
{
    EXPECT_TRUE(irqs_enabled());
}

KTEST("boot", alignment_checks_enabled_for_user_mode)
{
    /* CR0.AM: a user process that sets EFLAGS.AC gets SIGBUS for a misaligned
     * access, as on Linux (QEMU's TCG does not emulate the check itself). */
    EXPECT_TRUE(read_cr0() & CR0_AM);
}
