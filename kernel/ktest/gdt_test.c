/*
 * Suite "gdt": which thread-local storage descriptors set_thread_area may
 * install (Linux's tls_desc_okay), and which selectors ring 3 may be given
 * back by sigreturn. The selector checks read the live GDT, so the tests
 * install TLS descriptors directly, bypassing set_thread_area's rules, to
 * show that the last line of defence holds on its own.
 */
#include "gdt.h"
#include "ktest.h"

#define FLAT_LIMIT 0xFFFFF
#define CONTENTS_EXPAND_DOWN 1
#define CONTENTS_CODE 2
#define CONTENTS_CODE_CONFORMING 3
#define BEYOND_GDT SELECTOR(GDT_ENTRIES + 1, RPL_USER)
#define SELECTOR_TABLE_LDT 0x4

static struct user_desc flat(void)
{
    return (struct user_desc){.entry_number = GDT_TLS_MIN, .limit = FLAT_LIMIT,
                              .seg_32bit = 1, .limit_in_pages = 1};
}

KTEST("gdt", tls_descriptor_rules)
{
    struct user_desc u = flat();

    EXPECT_TRUE(gdt_tls_desc_allowed(&u));
    u.contents = CONTENTS_EXPAND_DOWN;
    EXPECT_TRUE(gdt_tls_desc_allowed(&u));
    u.contents = CONTENTS_CODE;
    EXPECT_FALSE(gdt_tls_desc_allowed(&u));
    u.contents = CONTENTS_CODE_CONFORMING;
    EXPECT_FALSE(gdt_tls_desc_allowed(&u));
    u = flat();
    u.seg_32bit = 0;
    EXPECT_FALSE(gdt_tls_desc_allowed(&u));
    u = flat();
    u.seg_not_present = 1;
    EXPECT_FALSE(gdt_tls_desc_allowed(&u));
}

/* LDT_empty and LDT_zero clear the entry; anything close to them is a real
 * descriptor and must pass the rules (it is 16-bit, so it does not). */
KTEST("gdt", empty_descriptors)
{
    struct user_desc marked = {.read_exec_only = 1, .seg_not_present = 1};
    struct user_desc zero = {0};
    struct user_desc almost = {.read_exec_only = 1, .seg_not_present = 1, .useable = 1};

    EXPECT_TRUE(gdt_tls_desc_allowed(&marked));
    EXPECT_TRUE(gdt_tls_descriptor(&marked) == 0);
    EXPECT_TRUE(gdt_tls_desc_allowed(&zero));
    EXPECT_TRUE(gdt_tls_descriptor(&zero) == 0);
    EXPECT_FALSE(gdt_tls_desc_allowed(&almost));
}

KTEST("gdt", get_thread_area_reads_back_what_was_set)
{
    struct user_desc u = flat(), back;

    u.base_addr = 0x12345678;
    u.contents = CONTENTS_EXPAND_DOWN;
    u.read_exec_only = 1;
    u.useable = 1;
    back = gdt_tls_user_desc(gdt_tls_descriptor(&u), GDT_TLS_MIN + 1);
    EXPECT_EQ(back.entry_number, GDT_TLS_MIN + 1);
    EXPECT_EQ(back.base_addr, u.base_addr);
    EXPECT_EQ(back.limit, u.limit);
    EXPECT_EQ(back.seg_32bit, 1);
    EXPECT_EQ(back.contents, CONTENTS_EXPAND_DOWN);
    EXPECT_EQ(back.read_exec_only, 1);
    EXPECT_EQ(back.limit_in_pages, 1);
    EXPECT_EQ(back.seg_not_present, 0);
    EXPECT_EQ(back.useable, 1);
}

/* A stack segment must be a writable 32-bit ring-3 data segment: with a
 * 16-bit one, iret would restore only SP. */
KTEST("gdt", stack_selector_must_be_32bit_and_writable)
{
    struct user_desc sixteen = flat(), read_only = flat();
    gdt_descriptor_t tls[TLS_ENTRIES];

    sixteen.seg_32bit = 0;
    read_only.read_exec_only = 1;
    tls[0] = gdt_tls_descriptor(&sixteen);
    tls[1] = gdt_tls_descriptor(&read_only);
    tls[2] = 0;
    gdt_load_tls(tls);
    EXPECT_FALSE(gdt_user_stack_selector_ok(TLS_SELECTOR(GDT_TLS_MIN)));
    EXPECT_TRUE(gdt_user_data_selector_ok(TLS_SELECTOR(GDT_TLS_MIN)));
    EXPECT_FALSE(gdt_user_stack_selector_ok(TLS_SELECTOR(GDT_TLS_MIN + 1)));
    EXPECT_TRUE(gdt_user_data_selector_ok(TLS_SELECTOR(GDT_TLS_MIN + 1)));
    EXPECT_FALSE(gdt_user_stack_selector_ok(TLS_SELECTOR(GDT_TLS_MAX)));
    EXPECT_FALSE(gdt_user_data_selector_ok(TLS_SELECTOR(GDT_TLS_MAX)));
    tls[0] = tls[1] = 0;
    gdt_load_tls(tls);
}

KTEST("gdt", only_user_data_selectors)
{
    EXPECT_TRUE(gdt_user_stack_selector_ok(USER_DS));
    EXPECT_TRUE(gdt_user_data_selector_ok(USER_DS));
    EXPECT_TRUE(gdt_user_data_selector_ok(0));
    EXPECT_TRUE(gdt_user_data_selector_ok(RPL_USER)); /* a null selector with RPL 3 */
    EXPECT_FALSE(gdt_user_stack_selector_ok(0));
    EXPECT_FALSE(gdt_user_data_selector_ok(USER_CS));
    EXPECT_FALSE(gdt_user_data_selector_ok(KERNEL_DS | RPL_USER));
    EXPECT_FALSE(gdt_user_stack_selector_ok(KERNEL_DS | RPL_USER));
    EXPECT_FALSE(gdt_user_data_selector_ok(USER_DS & ~RPL_USER));
    EXPECT_FALSE(gdt_user_data_selector_ok(NOT_PRESENT_SELECTOR | RPL_USER));
    EXPECT_FALSE(gdt_user_data_selector_ok(USER_DS | SELECTOR_TABLE_LDT));
    EXPECT_FALSE(gdt_user_data_selector_ok(BEYOND_GDT));
}
