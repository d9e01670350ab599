/*
 * Thread-local storage: set_thread_area and get_thread_area, as Linux i386
 * has them (arch/x86/kernel/tls.c there). Each process owns TLS_ENTRIES GDT
 * descriptors, GDT_TLS_MIN..GDT_TLS_MAX; the scheduler installs them when it
 * runs the process, fork copies them and execve clears them. What a
 * descriptor may be is decided in arch/x86/gdt.c (gdt_tls_desc_allowed).
 */
#include "errno.h"
#include "gdt.h"
#include "proc.h"
#include "signal.h"
#include "syscall.h"
#include "vm.h"

#define ANY_ENTRY ((uint32_t)-1) /* entry_number -1: the kernel picks a free one */

static bool is_tls_entry(uint32_t entry) { return entry >= GDT_TLS_MIN && entry <= GDT_TLS_MAX; }

/* The first entry holding no descriptor, or -ESRCH (Linux get_free_idx). */
static long free_entry(const struct proc *p)
{
    for (int i = 0; i < TLS_ENTRIES; i++)
        if (!p->tls[i])
            return GDT_TLS_MIN + i;
    return -ESRCH;
}

/* A segment register naming the changed entry must still be loadable on
 * the way out, or trap_return would fault in the kernel. Linux reloads
 * such registers, and a load that faults leaves the null selector; an ss
 * that cannot be loaded makes the return fault, which is SIGSEGV. */
static void revalidate_selectors(struct proc *p, uint32_t entry)
{
    static const struct sig_info unloadable_ss = {.code = SI_KERNEL};
    struct trapframe *tf = p->tf;
    uint32_t *data_regs[] = {&tf->ds, &tf->es, &tf->fs, &tf->gs};

    for (size_t i = 0; i < sizeof(data_regs) / sizeof(data_regs[0]); i++)
        if (SELECTOR_INDEX(*data_regs[i]) == entry && !gdt_user_data_selector_ok(*data_regs[i]))
            *data_regs[i] = 0;
    if (SELECTOR_INDEX(tf->user_ss) == entry && !gdt_user_stack_selector_ok(tf->user_ss))
        sig_force_fault(p, SIGSEGV, &unloadable_ss, tf->eip);
}

/* set_thread_area(2): entry_number -1 asks for a free entry and is told
 * which; otherwise it must name one of the process's entries. */
SYSCALL_DEFINE1(set_thread_area, uintptr_t, desc_ptr)
{
    struct proc *p = current_proc();
    struct user_desc u;
    long entry;

    if (vm_copy_in(p->pd, &u, desc_ptr, sizeof(u)))
        return -EFAULT;
    if (!gdt_tls_desc_allowed(&u))
        return -EINVAL;
    entry = u.entry_number;
    if (u.entry_number == ANY_ENTRY) {
        if ((entry = free_entry(p)) < 0)
            return entry;
        u.entry_number = (uint32_t)entry;
        if (vm_copy_out(p->pd, desc_ptr, &u.entry_number, sizeof(u.entry_number)))
            return -EFAULT;
    }
    if (!is_tls_entry(u.entry_number))
        return -EINVAL;
    p->tls[u.entry_number - GDT_TLS_MIN] = gdt_tls_descriptor(&u);
    gdt_load_tls(p->tls);
    revalidate_selectors(p, u.entry_number);
    return 0;
}

/* get_thread_area(2): the descriptor of the entry named by entry_number,
 * described as set_thread_area would take it. */
SYSCALL_DEFINE1(get_thread_area, uintptr_t, desc_ptr)
{
    struct proc *p = current_proc();
    struct user_desc u;
    uint32_t entry;

    if (vm_copy_in(p->pd, &entry, desc_ptr, sizeof(entry)))
        return -EFAULT;
    if (!is_tls_entry(entry))
        return -EINVAL;
    u = gdt_tls_user_desc(p->tls[entry - GDT_TLS_MIN], entry);
    if (vm_copy_out(p->pd, desc_ptr, &u, sizeof(u)))
        return -EFAULT;
    return 0;
}
