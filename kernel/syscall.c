/*
 * The system-call table and dispatcher. Handlers live with their subsystem:
 * kernel/sys_proc.c (processes), kernel/exec.c (execve), kernel/tty.c
 * (read, write, ioctl).
 */
#include "errno.h"
#include "proc.h"
#include "syscall.h"
#include "trace.h"
#include "trap.h"
#include "x86.h"

#define SYSCALL_TABLE_SIZE 512

typedef long (*syscall_handler)(const struct syscall_args *args);

#define SYSCALL_ENTRY(nr, name) [nr] = sys_##name,
static const syscall_handler syscall_table[SYSCALL_TABLE_SIZE] = {SYSCALL_LIST(SYSCALL_ENTRY)};
#undef SYSCALL_ENTRY

void syscall_dispatch(struct trapframe *tf)
{
    struct syscall_args args = {.arg = {tf->ebx, tf->ecx, tf->edx, tf->esi, tf->edi, tf->ebp}};
    uint32_t nr = tf->eax;

    struct proc *p = current_proc();

    p->syscall_nr = (int)nr; /* to restart it after a signal */
    if (nr != SYS_sigreturn && nr != SYS_rt_sigreturn)
        p->sig.fault_repeats = 0; /* the process made progress */
    /* The gate turned interrupts off; a system call may take long. */
    sti();
    TRACE(TRACE_SYSCALL, EV_SYSCALL_ENTER, p->pid, nr, 0, 0, 0);
    if (nr < SYSCALL_TABLE_SIZE && syscall_table[nr])
        tf->eax = (uint32_t)syscall_table[nr](&args);
    else
        tf->eax = (uint32_t)-ENOSYS;
    TRACE(TRACE_SYSCALL, EV_SYSCALL_EXIT, p->pid, nr, tf->eax, 0, 0);
}
