/* Suite "boot-grub": run from build/relay-test.iso (tests/data/grub-test.cfg)
 * to prove that GRUB's multiboot2 tags reach the kernel intact. */
#include "acpi.h"
#include "bootinfo.h"
#include "irq.h"
#include "ktest.h"
#include "memlayout.h"
#include "string.h"

#define HELLO_TEXT "Hello from a GRUB module.\n"

KTEST("boot-grub", protocol_is_multiboot2)
{
    EXPECT_STREQ(boot_info.protocol, "multiboot2");
    EXPECT_TRUE(strncmp(boot_info.bootloader, "GRUB", 4) == 0);
}

KTEST("boot-grub", cmdline_tag_arrives)
{
    EXPECT_STREQ(boot_info.cmdline, "test=boot-grub");
}

KTEST("boot-grub", module_tag_arrives)
{
    const struct boot_module *m = &boot_info.modules[0];

    ASSERT_EQ(boot_info.module_count, 1);
    EXPECT_STREQ(m->cmdline, "hello arg=1");
    ASSERT_EQ(m->end - m->start, strlen(HELLO_TEXT));
    EXPECT_EQ(memcmp(P2V(m->start), HELLO_TEXT, strlen(HELLO_TEXT)), 0);
}

KTEST("boot-grub", memory_map_arrives)
{
    EXPECT_GT(boot_info.memory_count, 1);
}

KTEST("boot-grub", acpi_found_through_grub)
{
    const char *why = NULL;
    const struct acpi_madt_info *m = acpi_madt(&why);

    if (!m)
        ktest_diag("no MADT: %s", why);
    ASSERT_TRUE(m != NULL);
    EXPECT_GE(m->ioapic_count, 1);
    EXPECT_TRUE(irq_using_apic()); /* the default irq= takes the APIC when there is one */
}
