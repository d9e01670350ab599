/*
 * The trace ring. Producers (trace points, often in interrupt handlers)
 * only store a fixed-size record; the text is made later by trace_flush(),
 * called on the way back to user mode and when the CPU is idle.
 *
 * Two cursors: `head` counts records written, `flushed` records streamed.
 * A full ring drops the newest record and counts it; the next flush
 * reports the loss as a `lost` line.
 */
#include "cmdline.h"
#include "irq.h"
#include "printk.h"
#include "serial.h"
#include "signal.h"
#include "string.h"
#include "timer.h"
#include "trace.h"
#include "x86.h"

#define TRACE_RING_SIZE 1024 /* a power of two */
#define LINE_MAX 160

uint32_t trace_classes;
static bool streaming; /* trace= asked for lines on COM4 */

static struct trace_entry ring[TRACE_RING_SIZE];
static uint32_t head, flushed, lost, lost_reported;
static bool header_written;

_Static_assert((TRACE_RING_SIZE & (TRACE_RING_SIZE - 1)) == 0, "ring size is a power of two");

static const struct {
    const char *name;
    uint32_t classes;
} class_names[] = {
    {"irq", TRACE_IRQ},     {"exc", TRACE_EXC},         {"key", TRACE_KEY},
    {"sig", TRACE_SIG},     {"sched", TRACE_SCHED},     {"syscall", TRACE_SYSCALL},
    {"proc", TRACE_PROC},
    {"all", TRACE_IRQ | TRACE_EXC | TRACE_KEY | TRACE_SIG | TRACE_SCHED | TRACE_SYSCALL |
                TRACE_PROC},
};

static uint32_t class_by_name(const char *name, size_t len)
{
    for (unsigned i = 0; i < ARRAY_SIZE(class_names); i++)
        if (strlen(class_names[i].name) == len && !strncmp(class_names[i].name, name, len))
            return class_names[i].classes;
    return 0;
}

static const char *set_trace(const char *value)
{
    uint32_t classes = 0;

    while (*value) {
        const char *comma = strchr(value, ',');
        size_t len = comma ? (size_t)(comma - value) : strlen(value);
        uint32_t c = class_by_name(value, len);
        if (!c)
            return "expected a comma-separated list of irq, exc, key, sig, sched, syscall, proc, "
                   "all";
        classes |= c;
        value += len + (comma ? 1 : 0);
    }
    trace_classes = classes;
    streaming = classes != 0;
    return NULL;
}
BOOT_OPTION("trace", set_trace,
            "event classes to trace on COM4: irq,exc,key,sig,sched,syscall,proc,all");

void trace_init(void)
{
    if (streaming)
        serial_init(COM4_PORT);
}

void trace_watch(uint32_t classes) { trace_classes |= classes; }

void trace_record(enum trace_event ev, uint32_t a, uint32_t b, uint32_t c, uint32_t d, uint32_t e)
{
    uint32_t flags = irq_save();

    if (head - flushed == TRACE_RING_SIZE) {
        lost++;
    } else {
        ring[head % TRACE_RING_SIZE] =
            (struct trace_entry){.tsc = rdtsc(), .event = (uint8_t)ev, .arg = {a, b, c, d, e}};
        head++;
    }
    irq_restore(flags);
}

static const char *const source_names[] = {
    "kernel", "tty", "timer", "exception", "kill", "child", "pipe", "posix-timer", "rlimit", "sigqueue", "pdeathsig"};
static const char *const action_names[] = {"handler", "terminate", "core",
                                           "stop",    "continue",  "ignore"};

static const char *name_of(const char *const names[], size_t count, uint32_t i)
{
    return i < count ? names[i] : "?";
}

static int format_signal(const struct trace_entry *e, char *buf, size_t size)
{
    const uint32_t *a = e->arg;

    if (e->event == EV_SIG_GENERATE)
        return ksnprintf(buf, size, "%llu sig_generate sig=%u pid=%u source=%s blocked=%u",
                         e->tsc, a[0], a[1], name_of(source_names, ARRAY_SIZE(source_names), a[2]),
                         a[3]);
    if (a[3] == ACTION_HANDLER)
        return ksnprintf(buf, size, "%llu sig_deliver sig=%u pid=%u handler=0x%08x", e->tsc, a[0],
                         a[1], a[2]);
    return ksnprintf(buf, size, "%llu sig_deliver sig=%u pid=%u action=%s", e->tsc, a[0], a[1],
                     name_of(action_names, ARRAY_SIZE(action_names), a[3]));
}

int trace_format(const struct trace_entry *e, char *buf, size_t size)
{
    const uint32_t *a = e->arg;

    switch (e->event) {
    case EV_IRQ_ENTER:
        return ksnprintf(buf, size, "%llu irq_enter vec=0x%02x irq=%d ctrl=%s depth=%u", e->tsc,
                         a[0], (int)a[1], irq_active_chip()->name, a[2]);
    case EV_EOI:
        return ksnprintf(buf, size, "%llu eoi vec=0x%02x", e->tsc, a[0]);
    case EV_IRQ_EXIT:
        return ksnprintf(buf, size, "%llu irq_exit vec=0x%02x depth=%u", e->tsc, a[0], a[1]);
    case EV_EXCEPTION:
        return ksnprintf(buf, size, "%llu exception vec=%u user=%u pid=%u eip=0x%08x err=0x%x",
                         e->tsc, a[0], a[1], a[2], a[3], a[4]);
    case EV_KEY:
        return ksnprintf(buf, size, "%llu key sc=0x%02x ascii=0x%02x pressed=%u", e->tsc, a[0],
                         a[1], a[2]);
    case EV_SIG_GENERATE:
    case EV_SIG_DELIVER:
        return format_signal(e, buf, size);
    case EV_SIG_RETURN:
        return ksnprintf(buf, size, "%llu sig_return pid=%u rt=%u", e->tsc, a[0], a[1]);
    case EV_SWITCH:
        return ksnprintf(buf, size, "%llu switch from=%u to=%u", e->tsc, a[0], a[1]);
    case EV_SYSCALL_ENTER:
        return ksnprintf(buf, size, "%llu syscall_enter pid=%u nr=%u", e->tsc, a[0], a[1]);
    case EV_EXEC: {
        char name[4 * sizeof(uint32_t) + 1] = "";
        memcpy(name, &a[1], 4 * sizeof(uint32_t));
        return ksnprintf(buf, size, "%llu exec pid=%u name=%s", e->tsc, a[0], name);
    }
    case EV_SYSCALL_EXIT:
        return ksnprintf(buf, size, "%llu syscall_exit pid=%u nr=%u ret=%d", e->tsc, a[0], a[1],
                         (int)a[2]);
    default:
        return ksnprintf(buf, size, "%llu unknown_%u", e->tsc, e->event);
    }
}

static void stream_line(const char *line)
{
    for (; *line; line++)
        serial_putc(COM4_PORT, *line);
    serial_putc(COM4_PORT, '\n');
}

void trace_flush(void)
{
    char line[LINE_MAX];

    if (!streaming) {
        flushed = head; /* recorded for in-kernel readers only: trace_recent */
        return;
    }
    if (!header_written) {
        ksnprintf(line, sizeof(line), "# relay-trace v1 tsc_hz=%llu irq=%s hz=%u", tsc_hz(),
                  irq_active_chip()->name, timer_hz());
        stream_line(line);
        header_written = true;
    }
    while (flushed != head) {
        trace_format(&ring[flushed % TRACE_RING_SIZE], line, sizeof(line));
        flushed++; /* a slot is free once formatted */
        stream_line(line);
    }
    if (lost != lost_reported) {
        /* Stamped like the last event written, so time never runs backwards. */
        uint64_t tsc = ring[(flushed - 1) % TRACE_RING_SIZE].tsc;
        ksnprintf(line, sizeof(line), "%llu lost count=%u", tsc, lost - lost_reported);
        lost_reported = lost;
        stream_line(line);
    }
}

void trace_exec(int pid, const char *name)
{
    uint32_t packed[4] = {0, 0, 0, 0};

    if (!(trace_classes & TRACE_PROC))
        return;
    /* 15 characters and a NUL; names are made of [A-Za-z0-9._-]. */
    strlcpy((char *)packed, name, sizeof(packed));
    trace_record(EV_EXEC, (uint32_t)pid, packed[0], packed[1], packed[2], packed[3]);
}

void trace_flush_if_filling(void)
{
    if (head - flushed >= TRACE_RING_SIZE / 2)
        trace_flush();
}

int trace_recent(struct trace_entry *out, int max)
{
    uint32_t flags = irq_save();
    uint32_t available = head < TRACE_RING_SIZE ? head : TRACE_RING_SIZE;
    uint32_t n = available < (uint32_t)max ? available : (uint32_t)max;

    for (uint32_t i = 0; i < n; i++)
        out[i] = ring[(head - n + i) % TRACE_RING_SIZE];
    irq_restore(flags);
    return (int)n;
}
