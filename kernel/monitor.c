/*
 * The live view and the on-request dumps (see include/monitor.h).
 *
 * The live view's flow lines are built from the trace ring: a sig_generate
 * event starts a line, named after the interrupt it happened in (the key,
 * the timer, the exception); the sig_deliver and sig_return events for the
 * same process complete it:
 *
 *   IRQ1 ^C -> SIGINT pending pid 7 -> handler 0x08049a10 -> sigreturn
 *
 * A pending bit usually lives for microseconds: set in an interrupt handler,
 * cleared on the return to user mode, long before the next redraw. So the
 * process rows show each signal that was pending within the last second
 * (LATCH_MS) as a 1, from the same events, and a signal that was discarded on
 * arrival (ignored) as an x; the live pending word is ORed in.
 */
#include "cmdline.h"
#include "irq.h"
#include "kbd.h"
#include "monitor.h"
#include "printk.h"
#include "proc.h"
#include "signal.h"
#include "string.h"
#include "timer.h"
#include "trace.h"
#include "trap.h"
#include "vga.h"

#define LIVE_PROC_ROWS 3 /* init, then the two newest processes */
#define LIVE_FLOW_ROWS 3
#define LIVE_REDRAW_TICKS 10
#define RECENT_EVENTS 1024 /* the whole trace ring */
#define FLOW_MAX 96
#define ROW_MAX 81
#define SIGNAL_BITS 31 /* one column a standard signal; one more for all real-time ones */
#define LATCH_MS 1000 /* how long a brief pending or discarded signal stays shown */

volatile bool monitor_active;
static bool live_on, live_shown;
static volatile bool toggle_requested, ps_requested, irqs_requested;
static uint32_t irqstats_seconds;
static uint64_t last_draw, last_irqstats;

static const char *set_live(const char *value)
{
    if (!strcmp(value, "on") || !strcmp(value, "off")) {
        live_on = value[1] == 'n';
        return NULL;
    }
    return "expected on or off";
}
BOOT_OPTION("live", set_live, "on: show the live view of interrupts and signals (F1 toggles)");

static const char *set_irqstats(const char *value)
{
    if (!parse_uint(value, &irqstats_seconds) || irqstats_seconds == 0)
        return "expected a number of seconds, 1 or more";
    return NULL;
}
BOOT_OPTION("irqstats", set_irqstats, "print the interrupt counters every N seconds");

void monitor_init(void)
{
    monitor_active = live_on || irqstats_seconds;
    if (live_on)
        trace_watch(TRACE_IRQ | TRACE_KEY | TRACE_SIG | TRACE_EXC);
}

bool monitor_key(const struct key_event *ev)
{
    if (!ev->pressed)
        return ev->keycode >= KEY_F1 && ev->keycode <= KEY_F3;
    switch (ev->keycode) {
    case KEY_F1:
        toggle_requested = monitor_active = true;
        return true;
    case KEY_F2:
        ps_requested = monitor_active = true;
        return true;
    case KEY_F3:
        irqs_requested = monitor_active = true;
        return true;
    default:
        return false;
    }
}

/* ---------------------------------------------------------------- flows */

struct flow {
    char text[FLOW_MAX];
    uint32_t pid, sig;
    bool open; /* waiting for its delivery or sigreturn */
};

static struct flow flows[LIVE_FLOW_ROWS];
static int flow_count;

static void append(char *buf, const char *fmt, uint32_t a, uint32_t b)
{
    size_t len = strlen(buf);
    ksnprintf(buf + len, FLOW_MAX - len, fmt, a, b);
}

static struct flow *new_flow(void)
{
    if (flow_count == LIVE_FLOW_ROWS) {
        memmove(&flows[0], &flows[1], sizeof(flows[0]) * (LIVE_FLOW_ROWS - 1));
        flow_count--;
    }
    memset(&flows[flow_count], 0, sizeof(flows[0]));
    return &flows[flow_count++];
}

static struct flow *open_flow(uint32_t pid, uint32_t sig)
{
    for (int i = flow_count - 1; i >= 0; i--)
        if (flows[i].open && flows[i].pid == pid && (!sig || flows[i].sig == sig))
            return &flows[i];
    return NULL;
}

/* Signals seen pending or discarded, per process, until a moment in ticks. */
struct seen_signals {
    int pid;
    uint64_t pending_until[SIGNAL_BITS + 1];
    uint64_t discarded_until[SIGNAL_BITS + 1];
};

static struct seen_signals seen[NPROC]; /* by pid % NPROC: only shown processes matter */

static struct seen_signals *seen_for(int pid)
{
    struct seen_signals *s = &seen[pid % NPROC];

    if (s->pid != pid) {
        memset(s, 0, sizeof(*s));
        s->pid = pid;
    }
    return s;
}

static uint64_t latch_end(void) { return timer_ticks() + LATCH_MS * timer_hz() / 1000; }

/* Remembers what a signal event showed, for the process rows. */
static void latch_event(const struct trace_entry *e)
{
    const uint32_t *a = e->arg;

    if (a[0] == 0 || a[0] > SIGNAL_BITS)
        return;
    if (e->event == EV_SIG_GENERATE)
        seen_for((int)a[1])->pending_until[a[0]] = latch_end();
    else if (e->event == EV_SIG_DELIVER && a[3] == ACTION_IGNORE)
        seen_for((int)a[1])->discarded_until[a[0]] = latch_end();
}

/* What the CPU was doing when a signal was generated, in a few words. */
struct context_label {
    char text[24];
};

static void label_event(const struct trace_entry *e, struct context_label *ctx)
{
    const uint32_t *a = e->arg;

    if (e->event == EV_IRQ_ENTER && (int)a[1] >= 0)
        ksnprintf(ctx->text, sizeof(ctx->text), "IRQ%d", (int)a[1]);
    else if (e->event == EV_IRQ_ENTER)
        ksnprintf(ctx->text, sizeof(ctx->text), "vector 0x%02x", a[0]);
    else if (e->event == EV_KEY && a[2] && a[1] && a[1] < ' ')
        ksnprintf(ctx->text, sizeof(ctx->text), "IRQ1 ^%c", (char)(a[1] + '@'));
    else if (e->event == EV_EXCEPTION)
        ksnprintf(ctx->text, sizeof(ctx->text), "%s", exception_name(a[0]));
}

/* Who sent the signal: the interrupt or fault it happened in, or its source. */
static const char *source_label(uint32_t source, const struct context_label *ctx)
{
    switch (source) {
    case SRC_KILL:
        return "kill()";
    case SRC_TIMER:
        return "timer";
    case SRC_CHILD:
        return "child";
    case SRC_PIPE:
        return "pipe write";
    case SRC_POSIX_TIMER:
        return "POSIX timer";
    case SRC_RLIMIT:
        return "rlimit";
    case SRC_SIGQUEUE:
        return "sigqueue()";
    case SRC_PDEATHSIG:
        return "parent died";
    default:
        return ctx->text; /* tty, exception: the IRQ or fault seen last */
    }
}

static void follow_event(const struct trace_entry *e, struct context_label *ctx)
{
    const uint32_t *a = e->arg;
    struct flow *f;

    label_event(e, ctx);
    latch_event(e);
    if (e->event == EV_SIG_GENERATE) {
        f = new_flow();
        ksnprintf(f->text, FLOW_MAX, "%s -> %s pending pid %u", source_label(a[2], ctx),
                  sig_name((int)a[0]), a[1]);
        f->pid = a[1], f->sig = a[0], f->open = true;
    } else if (e->event == EV_SIG_DELIVER && (f = open_flow(a[1], a[0]))) {
        if (a[3] == ACTION_HANDLER) {
            append(f->text, " -> handler 0x%08x", a[2], 0);
            f->sig = 0; /* now waiting for any sigreturn of this pid */
        } else if (a[3] == ACTION_IGNORE) {
            append(f->text, " -> ignored", 0, 0);
            f->open = false;
        } else {
            append(f->text, " -> default action", 0, 0);
            f->open = false;
        }
    } else if (e->event == EV_SIG_RETURN && (f = open_flow(a[0], 0))) {
        append(f->text, " -> sigreturn", 0, 0);
        f->open = false;
    }
}

/* Follows the events recorded since the last call; the flows stay on the
 * screen until newer ones push them off. */
static void build_flows(void)
{
    static struct trace_entry recent[RECENT_EVENTS];
    static struct context_label ctx = {"kernel"};
    static uint64_t followed_until;
    int n = trace_recent(recent, RECENT_EVENTS);

    for (int i = 0; i < n; i++) {
        if (recent[i].tsc <= followed_until)
            continue;
        follow_event(&recent[i], &ctx);
        followed_until = recent[i].tsc;
    }
}

/* ---------------------------------------------------------------- drawing */

static void bits(char *out, sig_set_t mask)
{
    for (int sig = SIGNAL_BITS; sig >= 1; sig--)
        *out++ = mask & SIG_BIT(sig) ? '1' : '.';
    *out = '\0';
}

/* One character a signal: 1 pending now or within LATCH_MS, x discarded
 * within LATCH_MS (and not pending since), . otherwise. */
static bool pending_bits(char *out, const struct proc *p)
{
    const struct seen_signals *s = seen_for(p->pid);
    uint64_t now = timer_ticks();
    bool any = false;

    for (int sig = SIGNAL_BITS; sig >= 1; sig--) {
        char c = '.';
        if ((p->sig.pending & SIG_BIT(sig)) || s->pending_until[sig] > now)
            c = '1';
        if (s->discarded_until[sig] > now)
            c = 'x';
        any |= c != '.';
        *out++ = c;
    }
    *out = '\0';
    return any;
}

static void draw_counters(int row)
{
    char line[ROW_MAX];
    uint32_t timer = irq_vector_count(timer_vector());

    ksnprintf(line, sizeof(line), " %s timer %u  IRQ1 keyboard %u  spurious %u  unknown %u",
              irq_active_chip()->name, timer, irq_vector_count(IRQ_VECTOR(IRQ_KEYBOARD)),
              irq_spurious_count(), irq_unknown_count());
    vga_write_row(row, line, VGA_ATTR_PANEL);
}

static bool shown_in_live_view(const struct proc *p)
{
    return p->state != PROC_UNUSED && p->state != PROC_ZOMBIE;
}

static void draw_process(int row, const struct proc *p)
{
    char line[ROW_MAX], pending[SIGNAL_BITS + 1], blocked[SIGNAL_BITS + 1];
    bool hot = pending_bits(pending, p);
    bool rt_pending = p->sig.pending >> (SIGRTMIN_KERNEL - 1);

    bits(blocked, p->sig.blocked);
    ksnprintf(line, sizeof(line), "%4d %-8s %s %s %c", p->pid, p->name, pending, blocked,
              rt_pending ? '1' : '.');
    hot |= rt_pending;
    vga_write_row(row, line, hot ? VGA_ATTR_HOT : VGA_ATTR_PANEL);
}

/* init first (Linux never gives it a signal it has no handler for), then the
 * newest processes. */
static void draw_processes(int row)
{
    struct proc *init = proc_find(INIT_PID);
    int shown = 0;

    vga_write_row(row++, " pid name     pending 31..1 (x: ignored)      blocked 31..1"
                         "                  RT", /* a real-time signal pending */
                  VGA_ATTR_PANEL);
    if (init && shown_in_live_view(init))
        draw_process(row + shown++, init);
    for (struct proc *p = proc_table + NPROC - 1; p >= proc_table && shown < LIVE_PROC_ROWS; p--)
        if (shown_in_live_view(p) && p->pid != INIT_PID)
            draw_process(row + shown++, p);
    while (shown < LIVE_PROC_ROWS)
        vga_write_row(row + shown++, "", VGA_ATTR_PANEL);
}

static void draw(void)
{
    char line[ROW_MAX];
    int row = 0;

    ksnprintf(line, sizeof(line), " Relay live view: interrupts -> signals   uptime %u s   "
              "F1 hide  F2 ps  F3 irqs", (unsigned)(uptime_ms() / 1000));
    vga_write_row(row++, line, VGA_ATTR_HOT);
    draw_counters(row++);
    build_flows(); /* first: it latches the signals the process rows show */
    draw_processes(row);
    row += 1 + LIVE_PROC_ROWS;
    for (int i = 0; i < LIVE_FLOW_ROWS; i++)
        vga_write_row(row++, i < flow_count ? flows[i].text : "", VGA_ATTR_PANEL);
}

static void show_live_view(bool on)
{
    live_shown = on;
    vga_reserve_top_rows(on ? MONITOR_LIVE_ROWS : 0);
    if (on) {
        trace_watch(TRACE_IRQ | TRACE_KEY | TRACE_SIG | TRACE_EXC);
        draw();
    }
}

void monitor_poll(void)
{
    uint64_t now = timer_ticks();

    if (live_on != live_shown)
        show_live_view(live_on);
    if (toggle_requested) {
        toggle_requested = false;
        live_on = !live_on;
        show_live_view(live_on);
    }
    if (ps_requested) {
        ps_requested = false;
        proc_dump();
    }
    if (irqs_requested || (irqstats_seconds && now - last_irqstats >= irqstats_seconds * timer_hz())) {
        irqs_requested = false;
        last_irqstats = now;
        irq_dump_counters();
    }
    if (live_shown && now - last_draw >= LIVE_REDRAW_TICKS) {
        last_draw = now;
        draw();
    }
    monitor_active = live_on || irqstats_seconds;
}
