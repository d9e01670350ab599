/*
 * Suite "exceptions": each CPU exception, raised on purpose in kernel mode
 * while a test catch is armed, arrives with the right vector, name and
 * error code. Where the CPU offers a real way to raise it from ring 0, the
 * test uses it; vectors marked SOFT are raised with `int n`, which is what a
 * buggy driver would see if it jumped through the IDT itself.
 */
#include "gdt.h"
#include "irq.h"
#include "ktest.h"
#include "trap.h"
#include "x86.h"

#define UNMAPPED_ADDRESS 0x00001000u /* below KERNEL_BASE: nothing is mapped there */
#define BEYOND_GDT_SELECTOR SELECTOR(100, RPL_KERNEL)

static void raise_divide_error(void)
{
    __asm__ volatile("xorl %%edx, %%edx; movl $1, %%eax; xorl %%ecx, %%ecx; divl %%ecx"
                     ::: "eax", "ecx", "edx");
}

static void raise_debug_trap(void)
{
    /* Set the trap flag: the CPU raises #DB after the next instruction. */
    __asm__ volatile("pushfl; orl %0, (%%esp); popfl; nop" : : "i"(EFLAGS_TF) : "cc");
}

static void raise_nmi_soft(void) { __asm__ volatile("int $2"); }
static void raise_breakpoint(void) { __asm__ volatile("int3"); }

static void raise_overflow(void)
{
    __asm__ volatile("movb $0x7f, %%al; addb $1, %%al; into" ::: "eax", "cc");
}

static void raise_bound_range(void)
{
    static const int32_t bounds[2] = {0, 1};
    __asm__ volatile("movl $5, %%eax; bound %%eax, %0" : : "m"(bounds) : "eax");
}

static void raise_invalid_opcode(void) { __asm__ volatile("ud2"); }

/* check_case restores CR0 afterwards. */
static void raise_device_not_available(void)
{
    write_cr0(read_cr0() | CR0_EM); /* x87 instructions now fault (SDM Vol. 3A 2.5) */
    __asm__ volatile("fninit");
}

/* IRET with EFLAGS.NT set returns to the task in the TSS's link field, which
 * is null here: an invalid TSS (SDM Vol. 3A 7.3, IRET description). */
static void raise_invalid_tss(void)
{
    __asm__ volatile("pushfl; orl %0, (%%esp); popfl; iret" : : "i"(EFLAGS_NT) : "cc");
}

static void raise_coprocessor_overrun_soft(void) { __asm__ volatile("int $9"); }

static void raise_segment_not_present(void)
{
    __asm__ volatile("movw %0, %%fs" : : "r"((uint16_t)NOT_PRESENT_SELECTOR));
}

static void raise_stack_fault(void)
{
    __asm__ volatile("movw %0, %%ss" : : "r"((uint16_t)NOT_PRESENT_SELECTOR));
}

static void raise_general_protection(void)
{
    __asm__ volatile("movw %0, %%fs" : : "r"((uint16_t)BEYOND_GDT_SELECTOR));
}

static void raise_page_fault_read(void) { (void)*(volatile uint32_t *)UNMAPPED_ADDRESS; }
static void raise_page_fault_write(void) { *(volatile uint32_t *)UNMAPPED_ADDRESS = 1; }
static void raise_x87_error_soft(void) { __asm__ volatile("int $16"); }
static void raise_machine_check_soft(void) { __asm__ volatile("int $18"); }
static void raise_simd_soft(void) { __asm__ volatile("int $19"); }
static void raise_virtualization_soft(void) { __asm__ volatile("int $20"); }
static void raise_reserved_soft(void) { __asm__ volatile("int $22"); }

struct exception_case {
    void (*raise)(void);
    unsigned vector;
    uint32_t error;
    const char *name;
};

static const struct exception_case cases[] = {
    {raise_divide_error, EXC_DIVIDE_ERROR, 0, "Divide error"},
    {raise_debug_trap, EXC_DEBUG, 0, "Debug"},
    {raise_nmi_soft, EXC_NMI, 0, "Non-maskable interrupt"},
    {raise_breakpoint, EXC_BREAKPOINT, 0, "Breakpoint"},
    {raise_overflow, EXC_OVERFLOW, 0, "Overflow"},
    {raise_bound_range, EXC_BOUND_RANGE, 0, "BOUND range exceeded"},
    {raise_invalid_opcode, EXC_INVALID_OPCODE, 0, "Invalid opcode"},
    {raise_device_not_available, EXC_DEVICE_NOT_AVAILABLE, 0, "Device not available"},
    {raise_coprocessor_overrun_soft, EXC_COPROCESSOR_OVERRUN, 0, "Coprocessor segment overrun"},
    {raise_invalid_tss, EXC_INVALID_TSS, 0, "Invalid TSS"},
    {raise_segment_not_present, EXC_SEGMENT_NOT_PRESENT, NOT_PRESENT_SELECTOR,
     "Segment not present"},
    {raise_stack_fault, EXC_STACK_FAULT, NOT_PRESENT_SELECTOR, "Stack-segment fault"},
    {raise_general_protection, EXC_GENERAL_PROTECTION, BEYOND_GDT_SELECTOR, "General protection"},
    {raise_page_fault_read, EXC_PAGE_FAULT, 0, "Page fault"},
    {raise_page_fault_write, EXC_PAGE_FAULT, PF_WRITE, "Page fault"},
    {raise_x87_error_soft, EXC_X87_FPU_ERROR, 0, "x87 floating-point error"},
    {raise_machine_check_soft, EXC_MACHINE_CHECK, 0, "Machine check"},
    {raise_simd_soft, EXC_SIMD_FP, 0, "SIMD floating-point exception"},
    {raise_virtualization_soft, EXC_VIRTUALIZATION, 0, "Virtualization exception"},
    {raise_reserved_soft, 22, 0, "Reserved"},
};

static void check_case(const struct exception_case *c)
{
    struct trap_catch caught;
    uint32_t cr0 = read_cr0();

    if (trap_catch_begin(&caught) == 0)
        c->raise();
    trap_catch_end();
    write_cr0(cr0);
    if (!EXPECT_TRUE(caught.caught)) {
        ktest_diag("vector %u (%s) was not raised", c->vector, c->name);
        return;
    }
    ktest_diag("caught vector %u (%s), error %x, eip %08x", caught.vector,
               exception_name(caught.vector), caught.error, caught.eip);
    EXPECT_EQ(caught.vector, c->vector);
    EXPECT_EQ(caught.error, c->error);
    EXPECT_STREQ(exception_name(caught.vector), c->name);
    if (c->vector == EXC_PAGE_FAULT)
        EXPECT_EQ(caught.cr2, UNMAPPED_ADDRESS);
}

KTEST("exceptions", each_vector_reported_with_name_and_error)
{
    for (unsigned i = 0; i < ARRAY_SIZE(cases); i++)
        check_case(&cases[i]);
}

KTEST("exceptions", kernel_survives_and_interrupts_work)
{
    uint32_t before = irq_vector_count(EXC_PAGE_FAULT);
    struct trap_catch caught;

    if (trap_catch_begin(&caught) == 0)
        raise_page_fault_read();
    trap_catch_end();
    EXPECT_EQ(irq_vector_count(EXC_PAGE_FAULT), before + 1);
    EXPECT_TRUE(irqs_enabled());
}

KTEST("exceptions", not_raised_here)
{
    /* #DF has its own suite (it must panic: see double_fault_test.c); #AC
     * only happens in ring 3; #CP needs CET, which QEMU's CPU lacks. */
    ktest_skip("#DF has its own suite; #AC needs ring 3; #CP needs CET");
}
