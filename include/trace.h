/*
 * The event trace (kernel/trace.c): each hop of the interrupt-to-signal
 * path records an event with its TSC timestamp in a ring buffer. The ring
 * is drained in process context (never in an interrupt handler) as one
 * line of text per event on COM4; docs/trace-format.md describes the lines.
 * tools/relay run --trace=FILE saves them, tools/trace2svg draws them.
 *
 * The boot option trace=CLASSES (irq,exc,key,sig,sched,syscall or all)
 * turns classes on. Off, a trace point costs one predictable branch.
 */
#pragma once

#include "types.h"

enum trace_class {
    TRACE_IRQ = BIT(0),
    TRACE_EXC = BIT(1),
    TRACE_KEY = BIT(2),
    TRACE_SIG = BIT(3),
    TRACE_SCHED = BIT(4),
    TRACE_SYSCALL = BIT(5),
    TRACE_PROC = BIT(6),
};

enum trace_event {
    EV_IRQ_ENTER,     /* vector, isa irq (-1 if none), depth */
    EV_EOI,           /* vector */
    EV_IRQ_EXIT,      /* vector, depth */
    EV_EXCEPTION,     /* vector, user, pid, eip, error */
    EV_KEY,           /* scan code, ascii, pressed */
    EV_SIG_GENERATE,  /* sig, pid, source, blocked */
    EV_SIG_DELIVER,   /* sig, pid, handler or 0, action */
    EV_SIG_RETURN,    /* pid, rt */
    EV_SWITCH,        /* from pid, to pid */
    EV_SYSCALL_ENTER, /* pid, nr */
    EV_SYSCALL_EXIT,  /* pid, nr, result */
    EV_EXEC,          /* pid, then the program name packed into four words */
};

/* Where a signal came from (sig_generate's source=). */
enum trace_sig_source {
    SRC_KERNEL, SRC_TTY, SRC_TIMER, SRC_EXCEPTION, SRC_KILL, SRC_CHILD, SRC_PIPE,
    SRC_POSIX_TIMER, /* timer_create's timers (SIGEV_SIGNAL) */
    SRC_RLIMIT,      /* a resource limit reached: SIGXCPU, SIGXFSZ */
    SRC_SIGQUEUE,    /* rt_sigqueueinfo, rt_tgsigqueueinfo: a signal with a value */
    SRC_PDEATHSIG,   /* the parent died (prctl PR_SET_PDEATHSIG) */
};
/* What delivery did when there was no handler (sig_deliver's action=). */
enum trace_sig_action { ACTION_HANDLER, ACTION_TERMINATE, ACTION_CORE, ACTION_STOP,
                        ACTION_CONTINUE, ACTION_IGNORE };

extern uint32_t trace_classes;

void trace_record(enum trace_event ev, uint32_t a, uint32_t b, uint32_t c, uint32_t d,
                  uint32_t e);

#define TRACE(class, ev, a, b, c, d, e)                                                            \
    do {                                                                                           \
        if (__builtin_expect(trace_classes & (class), 0))                                          \
            trace_record(ev, (uint32_t)(a), (uint32_t)(b), (uint32_t)(c), (uint32_t)(d),           \
                         (uint32_t)(e));                                                           \
    } while (0)

/* Records that pid now runs the program name (for the picture's lanes). */
void trace_exec(int pid, const char *name);

/* Writes the recorded events out as text; process context only. The idle
 * loop flushes; the way back to user mode flushes only a ring that is half
 * full, so that tracing disturbs the paths it watches as little as it can. */
void trace_flush(void);
void trace_flush_if_filling(void);
/* Opens COM4 when trace= asked for anything. */
void trace_init(void);
/* Records these classes too, for in-kernel readers (the live view), without
 * streaming them unless trace= asked for that. */
void trace_watch(uint32_t classes);

/* For the live screen and tests: copies up to max of the newest events,
 * oldest first; returns how many. */
struct trace_entry {
    uint64_t tsc;
    uint8_t event;
    uint32_t arg[5];
};
int trace_recent(struct trace_entry *out, int max);
/* Formats one event as its trace line (without the newline). */
int trace_format(const struct trace_entry *e, char *buf, size_t size);
