/*
 * The system-call table and dispatcher. Handlers live with their subsystem:
 * kernel/proc/sys_proc.c (processes), kernel/proc/exec.c (execve), kernel/tty.c
 * (read, write, ioctl). A number with no handler returns -ENOSYS, and the
 * kernel says so: the log names the call the first time a program makes it,
 * and again with counts when the program ends (docs/syscalls.md).
 */
#include "syscall.h"
#include "errno.h"
#include "printk.h"
#include "proc.h"
#include "string.h"
#include "trace.h"
#include "trap.h"
#include "x86.h"

#define SYSCALL_TABLE_SIZE 512
#define MISSING_LABEL_MAX  48 /* "rt_tgsigqueueinfo (335)", "-2147483648 (no Linux ...)" */
/* Each entry is ", LABEL xCOUNT": the label and 16 characters at most. */
#define MISSING_REPORT_MAX ((MISSING_SYSCALLS_MAX + 1) * (MISSING_LABEL_MAX + 16))

typedef long (*syscall_handler)(const struct syscall_args *args);

#define SYSCALL_ENTRY(nr, name, limits) [nr] = sys_##name,
static const syscall_handler syscall_table[SYSCALL_TABLE_SIZE] = {SYSCALL_LIST(SYSCALL_ENTRY)};
#undef SYSCALL_ENTRY

/* How the log names a call: Linux's name and the number, or the number alone
 * when Linux i386 has no call with it. */
static void missing_label(char *buf, size_t size, int nr)
{
    const char *name = syscall_linux_name(nr);

    if (name)
        ksnprintf(buf, size, "%s (%d)", name, nr);
    else
        ksnprintf(buf, size, "%d (no Linux system call)", nr);
}

static struct missing_call *missing_find(struct missing_syscalls *m, int nr)
{
    for (int i = 0; i < m->used; i++)
        if (m->call[i].nr == nr)
            return &m->call[i];
    return NULL;
}

/* A call Relay does not implement: count it, and log the first of each
 * number, so that a program's odd behaviour has a visible cause. */
static long syscall_missing(struct proc *p, int nr)
{
    struct missing_syscalls *m = &p->missing;
    struct missing_call *call = missing_find(m, nr);
    char label[MISSING_LABEL_MAX];

    if (call) {
        call->count++;
    } else if (m->used == MISSING_SYSCALLS_MAX) {
        m->others++;
    } else {
        m->call[m->used++] = (struct missing_call){nr, 1};
        missing_label(label, sizeof(label), nr);
        klog_serial(LOG_WARN,
                    "syscall: %s (pid %d) called %s, which Relay does not implement: "
                    "ENOSYS\n",
                    p->name, p->pid, label);
    }
    return -ENOSYS;
}

/* One line, "syscall: NAME (pid N) unimplemented: openat (295) x4, ...",
 * which tools/relay run reads back from the log. */
void syscall_report_missing(struct proc *p)
{
    struct missing_syscalls *m = &p->missing;
    char line[MISSING_REPORT_MAX], label[MISSING_LABEL_MAX];
    size_t len = 0;

    if (!m->used)
        return;
    for (int i = 0; i < m->used && len < sizeof(line); i++) {
        missing_label(label, sizeof(label), m->call[i].nr);
        len += ksnprintf(line + len, sizeof(line) - len, "%s%s x%u", i ? ", " : "", label,
                         (unsigned)m->call[i].count);
    }
    if (m->others && len < sizeof(line))
        ksnprintf(line + len, sizeof(line) - len, ", other numbers x%u", (unsigned)m->others);
    klog_serial(LOG_WARN, "syscall: %s (pid %d) unimplemented: %s\n", p->name, p->pid, line);
    memset(m, 0, sizeof(*m));
}

void syscall_dispatch(struct trapframe *tf)
{
    struct syscall_args args = {.arg = {tf->ebx, tf->ecx, tf->edx, tf->esi, tf->edi, tf->ebp}};
    uint32_t nr = tf->eax;

    struct proc *p = current_proc();

    p->syscall_nr = (int)nr; /* to restart it after a signal */
    if (nr != SYS_restart_syscall)
        p->restart.fn = NULL; /* only the restart that follows at once goes on with it */
    if (nr != SYS_sigreturn && nr != SYS_rt_sigreturn)
        p->sig.fault_repeats = 0; /* the process made progress */
    /* The gate turned interrupts off; a system call may take long. */
    sti();
    TRACE(TRACE_SYSCALL, EV_SYSCALL_ENTER, p->pid, nr, 0, 0, 0);
    if (nr < SYSCALL_TABLE_SIZE && syscall_table[nr])
        tf->eax = (uint32_t)syscall_table[nr](&args);
    else
        tf->eax = (uint32_t)syscall_missing(p, (int)nr);
    TRACE(TRACE_SYSCALL, EV_SYSCALL_EXIT, p->pid, nr, tf->eax, 0, 0);
}
