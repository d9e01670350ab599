/*
 * Suite "priority": interrupts have priorities, and a more urgent one may
 * interrupt a less urgent handler (../shared/seed/, "hardware and software
 * interrupts").
 *
 * A deliberately slow keyboard handler turns interrupts back on and spins
 * for three timer periods. With the usual priorities the timer nests inside
 * it; with the priorities reversed it must wait until the keyboard handler
 * has sent its EOI.
 *
 *   PIC:  the 8259 holds off every line of lower priority than the one in
 *         service; IRQ 0 outranks IRQ 1 until OCW2 rotates the order.
 *   APIC: the LAPIC accepts a vector only when its class (vector >> 4) is above
 *         the processor priority; raising the TPR to the timer's class
 *         holds the timer off (Intel SDM Vol. 3A 11.8.3.1).
 */
#include "apic.h"
#include "irq.h"
#include "ktest.h"
#include "pic.h"
#include "printk.h"
#include "string.h"
#include "timer.h"
#include "x86.h"

#define I8042_DATA 0x60
#define SLOW_HANDLER_TICKS 3
#define DEMO_TIMEOUT_TICKS 500 /* the key comes from the host runner */
#define MAX_EVENTS 32
#define PIC_DEFAULT_LOWEST_IRQ 7
#define TPR_HOLD_TIMER (LAPIC_TIMER_VECTOR & 0xF0)

enum demo_event_kind { KBD_ENTER, KBD_EXIT, TIMER };

struct demo_event {
    enum demo_event_kind kind;
    unsigned depth;
};

static struct {
    struct demo_event events[MAX_EVENTS];
    int count;
    bool reversed;
    volatile bool keyboard_done;
    irq_handler_t saved_timer, saved_keyboard;
} demo;

static void record(enum demo_event_kind kind)
{
    if (demo.count < MAX_EVENTS)
        demo.events[demo.count++] = (struct demo_event){kind, irq_nesting_depth()};
}

/* Records ticks only from the moment the keyboard handler has started:
 * the ticks while we wait for the host to type are of no interest. */
static void recording_timer_irq(struct trapframe *tf)
{
    if (demo.count > 0)
        record(TIMER);
    demo.saved_timer(tf);
}

static void spin_for_ticks_of_tsc(unsigned n)
{
    uint64_t end = rdtsc() + tsc_hz() / timer_hz() * n;
    while (rdtsc() < end)
        cpu_relax();
}

/* The slow handler: runs once, with interrupts on, for three timer periods. */
static void slow_keyboard_irq(struct trapframe *tf)
{
    (void)tf;
    inb(I8042_DATA); /* take the scan code, or the controller stays full */
    if (demo.keyboard_done)
        return;
    record(KBD_ENTER);
    if (demo.reversed && irq_using_apic())
        apic_set_task_priority(TPR_HOLD_TIMER);
    sti();
    spin_for_ticks_of_tsc(SLOW_HANDLER_TICKS);
    cli();
    if (demo.reversed && irq_using_apic())
        apic_set_task_priority(0);
    record(KBD_EXIT);
    demo.keyboard_done = true;
}

static void reverse_priorities(bool reversed)
{
    if (!irq_using_apic())
        pic_set_lowest_priority(reversed ? IRQ_TIMER : PIC_DEFAULT_LOWEST_IRQ);
}

static void run_demo(bool reversed)
{
    uint64_t deadline = timer_ticks() + DEMO_TIMEOUT_TICKS;

    memset(&demo, 0, sizeof(demo));
    demo.reversed = reversed;
    demo.saved_timer = irq_handler(timer_vector());
    demo.saved_keyboard = irq_handler(IRQ_VECTOR(IRQ_KEYBOARD));
    reverse_priorities(reversed);
    irq_set_handler(timer_vector(), recording_timer_irq);
    irq_set_handler(IRQ_VECTOR(IRQ_KEYBOARD), slow_keyboard_irq);
    irq_unmask(IRQ_KEYBOARD);

    ktest_inject_keys("a");
    while (!demo.keyboard_done && timer_ticks() < deadline)
        sti_hlt();
    timer_wait_ticks(2); /* let the held-off timer in, and the key's release */

    irq_set_handler(timer_vector(), demo.saved_timer);
    irq_set_handler(IRQ_VECTOR(IRQ_KEYBOARD), demo.saved_keyboard);
    reverse_priorities(false);
}

static const char *const event_names[] = {"keyboard enters", "keyboard exits", "timer"};

static void print_events(void)
{
    for (int i = 0; i < demo.count; i++)
        ktest_diag("event %d: %s at depth %u", i, event_names[demo.events[i].kind],
                   demo.events[i].depth);
}

/* Index of the first event of kind at or after from, or -1. */
static int find_event(enum demo_event_kind kind, int from)
{
    for (int i = from; i < demo.count; i++)
        if (demo.events[i].kind == kind)
            return i;
    return -1;
}

KTEST("priority", timer_nests_inside_slow_keyboard_handler)
{
    int enter, exit, timer;

    run_demo(false);
    print_events();
    ASSERT_TRUE(demo.keyboard_done);
    enter = find_event(KBD_ENTER, 0);
    exit = find_event(KBD_EXIT, 0);
    timer = find_event(TIMER, enter);
    EXPECT_EQ(demo.events[enter].depth, 1);
    ASSERT_TRUE(timer > enter);
    EXPECT_LT(timer, exit); /* the timer got in while the keyboard handler ran */
    EXPECT_EQ(demo.events[timer].depth, 2);
}

KTEST("priority", reversed_priority_holds_timer_off)
{
    int enter, exit, timer;

    run_demo(true);
    print_events();
    ASSERT_TRUE(demo.keyboard_done);
    enter = find_event(KBD_ENTER, 0);
    exit = find_event(KBD_EXIT, 0);
    timer = find_event(TIMER, enter);
    EXPECT_EQ(exit, enter + 1); /* nothing ran in between */
    ASSERT_TRUE(timer > exit);  /* the timer came, but only after the EOI */
    EXPECT_EQ(demo.events[timer].depth, 1);
}
