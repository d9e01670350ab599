"""gdb commands for Relay: processes, interrupts, trap frames, and the path
from a hardware interrupt to a signal handler.

tools/gdb/relay.gdb loads this file (gdb -x tools/gdb/relay.gdb); docs/gdb.md
shows a session. The commands:

    relay-ps              the process table, with signal masks and handlers
    relay-irq             the interrupt controller and the interrupt counters
    relay-tf [ADDR]       a trap frame: the registers of the interrupted code
    relay-sigflow [off]   breakpoints along the IRQ-to-signal path, each hop explained
    relay-user [PROGRAM]  load a user program's symbols (default: the current process's)

What the kernel defines (signal numbers, SA_* flags, vectors) is read from its
headers and its symbols, not repeated here. The formatting helpers at the top
need no gdb, so host tests import this file outside gdb.
"""

import os
import re
import struct

try:
    import gdb
except ImportError:         # imported by a host test, not by gdb
    gdb = None

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
USER_BUILD = os.path.join(ROOT, "build", "user")

# Architecture facts that no Relay header spells out.
EFLAGS_BITS = (("CF", 0), ("PF", 2), ("AF", 4), ("ZF", 6), ("SF", 7), ("TF", 8),
               ("IF", 9), ("DF", 10), ("OF", 11), ("NT", 14), ("RF", 16), ("VM", 17),
               ("AC", 18))   # Intel SDM Vol. 1 3.4.3, Figure 3-8
EFLAGS_ALWAYS_ONE = 1 << 1  # reserved bit 1 (the same figure)
RPL_MASK = 3                # the low two bits of a selector (Intel SDM Vol. 3A 3.4.2)
PIC_LINES = 8               # IRQ lines per 8259 (Intel 8259A datasheet)


# ---------------------------------------------------------------- the kernel's headers

def _header(name):
    try:
        with open(os.path.join(ROOT, "include", name), encoding="utf-8") as f:
            return f.read()
    except OSError:
        return ""


def header_define(header, name, default):
    """The value of `#define NAME number` in include/HEADER, else default."""
    match = re.search(rf"^#define {name}\s+(0x[0-9A-Fa-f]+|\d+)u?\b", _header(header), re.M)
    return int(match.group(1), 0) if match else default


def parse_signal_names(text):
    """{number: 'SIGINT', ...} from the `enum { SIGHUP = 1, SIGINT, ... }` in signal.h."""
    match = re.search(r"enum\s*\{([^}]*\bSIGHUP\b[^}]*)\}", text)
    names, number = {}, 0
    for item in (match.group(1).split(",") if match else []):
        name, _, value = item.strip().partition("=")
        name = name.strip()
        if not name:
            continue
        number = int(value, 0) if value.strip() else number + 1
        names[number] = name
    return names


def parse_sa_flags(text):
    """[('SA_NOCLDSTOP', 0x1), ...] from the SA_* defines in signal.h."""
    return [(name, int(value, 16)) for name, value in
            re.findall(r"^#define (SA_[A-Z]+)\s+(0x[0-9A-Fa-f]+)u?\b", text, re.M)]


SIGNAL_NAMES = parse_signal_names(_header("signal.h"))
SIGRTMIN_KERNEL = header_define("signal.h", "SIGRTMIN_KERNEL", 32)
SIGRTMAX = header_define("signal.h", "SIGRTMAX", 64)
# Real-time signals: SIGRT32 to SIGRT64, as the kernel's sig_name() says.
SIGNAL_NAMES.update({n: f"SIGRT{n}" for n in range(SIGRTMIN_KERNEL, SIGRTMAX + 1)})
SA_FLAGS = parse_sa_flags(_header("signal.h"))
SIG_DFL = header_define("signal.h", "SIG_DFL", 0)
SIG_IGN = header_define("signal.h", "SIG_IGN", 1)
IRQ_BASE_VECTOR = header_define("irq.h", "IRQ_BASE_VECTOR", 0x20)
ISA_IRQ_COUNT = header_define("irq.h", "ISA_IRQ_COUNT", 16)
SYSCALL_VECTOR = header_define("trap.h", "SYSCALL_VECTOR", 0x80)
NUM_EXCEPTIONS = 32         # enum exception_vector in trap.h: Intel reserves 0-31
RPL_USER = header_define("gdt.h", "RPL_USER", 3)
KEYBOARD_VECTOR = IRQ_BASE_VECTOR + 1   # IRQ_VECTOR(IRQ_KEYBOARD), include/irq.h
APIC_VECTORS = {header_define("apic.h", name, None): words for name, words in (
    ("LAPIC_TIMER_VECTOR", "LAPIC timer"), ("APIC_ERROR_VECTOR", "APIC error"),
    ("APIC_SPURIOUS_VECTOR", "APIC spurious"))}
CR0_PG = 1 << 31            # paging on (Intel SDM Vol. 3A 2.5)
PT_LOAD = 1                 # ELF program header type (System V ABI)


# ---------------------------------------------------------------- formatting

def signal_name(sig):
    return SIGNAL_NAMES.get(sig, f"SIG{sig}")


def format_sigset(mask):
    """'SIGINT,SIGQUIT' for a mask with bits 1 and 2 (bit n-1 is signal n), '-' if empty."""
    names = [signal_name(bit + 1) for bit in range(SIGRTMAX) if mask & (1 << bit)]
    return ",".join(names) if names else "-"


def format_flags(value, table):
    """'A|B' for the named bits set in value; leftover bits in hex; '0' for none."""
    names, rest = [], value
    for name, bit in table:
        if value & bit:
            names.append(name)
            rest &= ~bit
    if rest:
        names.append(f"{rest:#x}")
    return "|".join(names) if names else "0"


def format_sa_flags(flags):
    return format_flags(flags, SA_FLAGS)


def format_eflags(eflags):
    """'IF|ZF'-style names of the flags set; bit 1, which is always 1, is left out."""
    return format_flags(eflags & ~EFLAGS_ALWAYS_ONE, [(name, 1 << bit) for name, bit in EFLAGS_BITS])


def mode_of(cs):
    """'user' or 'kernel': who was running, from the saved cs (its RPL)."""
    rpl = cs & RPL_MASK
    return "user" if rpl == RPL_USER else "kernel" if rpl == 0 else f"ring {rpl}"


def vector_kind(vector, exception_name=None):
    """What a vector is, in words: an exception, the system call, an ISA IRQ."""
    if vector < NUM_EXCEPTIONS:
        name = exception_name(vector) if exception_name else None
        return f"exception {vector}" + (f" ({name})" if name else "")
    if vector == SYSCALL_VECTOR:
        return "system call (int 0x80)"
    if IRQ_BASE_VECTOR <= vector < IRQ_BASE_VECTOR + ISA_IRQ_COUNT:
        return f"IRQ {vector - IRQ_BASE_VECTOR}"
    return APIC_VECTORS.get(vector, "interrupt")


# ---------------------------------------------------------------- reading the kernel

def kvar(name, source=None):
    """A kernel variable; source ('irq.c') picks a file's static one."""
    return gdb.parse_and_eval(f"'{source}'::{name}" if source else name)


def u32(value):
    return int(value) & 0xFFFFFFFF


def u64(value):
    """A sig_set_t: signals 1-64."""
    return int(value) & 0xFFFFFFFFFFFFFFFF


def symbolic(addr):
    """'0x08049000 <on_int>' when gdb knows a symbol there, else the hex address."""
    text = f"{addr:#010x}"
    try:
        sym = gdb.execute(f"info symbol {addr:#x}", to_string=True).strip()
    except gdb.error:
        return text
    if sym.startswith("No symbol"):
        return text
    where = sym.split(" in section ")[0].replace(" + ", "+")
    return f"{text} <{where}>"


def cstring(value):
    try:
        return value.string(errors="replace").split("\0")[0]
    except gdb.error:
        return "?"


def current_proc():
    """The running process's struct proc * as a gdb.Value, or None (kernel/proc/sched.c)."""
    p = kvar("current", "sched.c")
    return p if int(p) else None


def current_pid():
    p = current_proc()
    return int(p["pid"]) if p is not None else None


def live_procs():
    """(struct proc value, state name) for each slot that is not UNUSED."""
    table = kvar("proc_table")
    count = table.type.range()[1] + 1
    for i in range(count):
        p = table[i]
        state = str(p["state"])
        if state != "PROC_UNUSED":
            yield p, state.replace("PROC_", "")


def exception_name(vector):
    try:
        return cstring(kvar("exception_names", "trap.c")[vector]) or "Reserved"
    except (gdb.error, gdb.MemoryError):
        return None


# ---------------------------------------------------------------- relay-ps

def proc_lines(p, state, running):
    parent = p["parent"]
    ppid = int(parent["pid"]) if int(parent) else 0
    sig = p["sig"]
    row = (f"{'*' if running else ' '}{int(p['pid']):4} {ppid:5} {int(p['pgid']):5} "
           f"{int(p['sid']):5}  {state:9} {cstring(p['name']):15} "
           f"{format_sigset(u64(sig['pending'])):15} {format_sigset(u64(sig['blocked']))}")
    lines = [row]
    actions = sig["action"]
    for n in range(1, actions.type.range()[1] + 1):
        a = actions[n]
        handler = u32(a["handler"])
        if handler == SIG_DFL:
            continue
        if handler == SIG_IGN:
            lines.append(f"        {signal_name(n)}: ignored")
            continue
        lines.append(f"        {signal_name(n)}: handler {symbolic(handler)}, "
                     f"flags {format_sa_flags(u32(a['flags']))}, "
                     f"mask {format_sigset(u64(a['mask']))}")
    return lines


class RelayPs(gdb.Command if gdb else object):
    """Show Relay's processes: pid, ppid, pgid, sid, state, name, the pending
    and blocked signal sets, and every signal that is not SIG_DFL (handler,
    flags, mask). '*' marks the process whose code runs now (current_proc())."""

    def __init__(self):
        super().__init__("relay-ps", gdb.COMMAND_DATA)

    def invoke(self, arg, from_tty):
        running = current_proc()
        running = int(running) if running is not None else 0
        gdb.write(f"  PID  PPID  PGID   SID  {'STATE':9} {'NAME':15} {'PENDING':15} BLOCKED\n")
        for p, state in live_procs():
            for line in proc_lines(p, state, int(p.address) == running):
                gdb.write(line + "\n")


# ---------------------------------------------------------------- relay-irq

class RelayIrq(gdb.Command if gdb else object):
    """Show the interrupt controller (kernel/irq.c's chip), how many handlers
    are running nested, the per-vector counters that are not zero, and the
    spurious and unknown counts. The controller's own registers (masks,
    in-service and requested interrupts, the LAPIC's priorities) are not in
    memory gdb can read: relay-irq asks QEMU's monitor for them."""

    def __init__(self):
        super().__init__("relay-irq", gdb.COMMAND_DATA)

    def invoke(self, arg, from_tty):
        name = cstring(kvar("chip", "irq.c")["name"])
        gdb.write(f"controller: {name}\n")
        gdb.write(f"nesting: {int(kvar('nesting', 'irq.c'))} interrupt handler(s) running\n")
        counts, handlers = kvar("vector_counts", "irq.c"), kvar("handlers", "irq.c")
        gdb.write("vector  count       what\n")
        for v in range(counts.type.range()[1] + 1):
            n = int(counts[v])
            if not n:
                continue
            what = vector_kind(v, exception_name)
            handler = u32(handlers[v])
            if handler:
                what += ", handler " + symbolic(handler).split(" ", 1)[-1].strip("<>")
            gdb.write(f"  {v:#04x}  {n:<10}  {what}\n")
        gdb.write(f"spurious {int(kvar('spurious_count', 'irq.c'))}, "
                  f"unknown {int(kvar('unknown_count', 'irq.c'))}\n")
        if name == "apic":
            self.show_lapic()
        else:
            self.show_pic()

    @staticmethod
    def show_lapic():
        text = monitor("info lapic")
        tpr = re.search(r"\bTPR (0x[0-9a-f]+)", text)
        ppr = re.search(r"\bPPR (0x[0-9a-f]+)", text)
        if not (tpr and ppr):
            gdb.write("LAPIC: QEMU's monitor did not answer `monitor info lapic`\n")
            return
        gdb.write(f"LAPIC (QEMU's monitor info lapic): TPR {tpr.group(1)}, processor priority "
                  f"{ppr.group(1)}: vectors of class <= {int(ppr.group(1), 16) >> 4:#x} wait\n")
        gdb.write(f"  in service: {monitor_vectors(text, 'ISR')}\n")
        gdb.write(f"  requested:  {monitor_vectors(text, 'IRR')}\n")
        pins = re.findall(r"^\s*pin (\d+)\s+0x[0-9a-f]+ .*?vec=(\d+)(.*)$", monitor("info pic"),
                          re.M)
        open_pins = [f"{pin}->{int(vec):#04x}" for pin, vec, rest in pins if "masked" not in rest]
        gdb.write("IOAPIC (monitor info pic): unmasked pins " + (" ".join(open_pins) or "-") +
                  "\n")

    @staticmethod
    def show_pic():
        gdb.write("8259 PIC: the masks (IMR) and in-service bits (ISR) live in the chips, behind "
                  "I/O ports 0x21 and 0xA1; gdb reads memory, not ports, and the kernel keeps "
                  "no copy.\n")
        chips = re.findall(r"^\s*(pic[01]): irr=([0-9a-f]+) imr=([0-9a-f]+) isr=([0-9a-f]+)",
                           monitor("info pic"), re.M)
        for name, irr, imr, isr in sorted(chips):
            first = 0 if name == "pic0" else PIC_LINES
            lines = lambda bits, want: " ".join(str(first + b) for b in range(PIC_LINES)
                                                if bool(int(bits, 16) >> b & 1) == want) or "-"
            gdb.write(f"  {'master' if name == 'pic0' else 'slave '} (QEMU's monitor info pic): "
                      f"unmasked IRQs {lines(imr, False)}; in service {lines(isr, True)}; "
                      f"requested {lines(irr, True)}\n")


def monitor(command):
    """The text of a QEMU monitor command, through the gdb stub ('' if refused)."""
    try:
        return gdb.execute(f"monitor {command}", to_string=True)
    except gdb.error:
        return ""


def monitor_vectors(text, register):
    """'0x21 0x30' for an ISR/IRR line of monitor info lapic (decimal vectors), or '-'."""
    match = re.search(rf"^{register}\s+(.*)$", text, re.M)
    vectors = [int(v) for v in match.group(1).split() if v.isdigit()] if match else []
    return " ".join(f"{v:#04x}" for v in vectors) or "-"


# ---------------------------------------------------------------- relay-tf

def _tf_argument(frame):
    """The value of a `struct trapframe *tf` argument of frame, or None."""
    try:
        block = frame.block()
    except RuntimeError:
        return None
    while block is not None and block.function is None:
        block = block.superblock
    if block is None:
        return None
    for sym in block:
        if sym.is_argument and sym.name == "tf":
            try:
                value = sym.value(frame)
                if not value.is_optimized_out and int(value):
                    return value
            except gdb.error:
                return None
    return None


def find_trapframe():
    """(struct trapframe * value, where it came from) for the selected frame."""
    tf_ptr = gdb.lookup_type("struct trapframe").pointer()
    frame, level = gdb.selected_frame(), 0
    while frame is not None:
        value = _tf_argument(frame)
        if value is not None:
            return value, f"argument tf of {frame.name()}, frame #{level}"
        if frame.name() == "trap_frame_link":
            # trap_common pushed the saved eip and ebp just below the trapframe.
            addr = u32(frame.read_register("ebp")) + 8
            return gdb.Value(addr).cast(tf_ptr), f"trap_frame_link, frame #{level}"
        frame, level = frame.older(), level + 1
    p = current_proc()
    if p is not None and int(p["tf"]):
        return p["tf"], f"proc_table entry of pid {int(p['pid'])} (its saved user registers)"
    return None, "no trap frame here: no tf argument in the stack, and no current process"


def format_trapframe(tf, where):
    t = tf.dereference()
    r = {f.name: u32(t[f.name]) for f in t.type.fields()}
    vector = r["vector"]
    lines = [f"struct trapframe at {u32(tf):#010x} ({where})",
             f"  vector {vector:#04x}: {vector_kind(vector, exception_name)}, "
             f"error code {r['error']:#x}"]
    lines.append(f"  from {mode_of(r['cs'])} mode (cs {r['cs']:#06x}, cs & 3 = "
                 f"{r['cs'] & RPL_MASK}); iret resumes at eip {symbolic(r['eip'])}")
    lines.append("  " + "  ".join(f"{n} {r[n]:#010x}" for n in ("eax", "ebx", "ecx", "edx")))
    lines.append("  " + "  ".join(f"{n} {r[n]:#010x}" for n in ("esi", "edi", "ebp")))
    lines.append("  " + "  ".join(f"{n} {r[n] & 0xFFFF:#06x}" for n in ("ds", "es", "fs", "gs")))
    lines.append(f"  eflags {r['eflags']:#010x} [{format_eflags(r['eflags'])}]")
    if mode_of(r["cs"]) == "user":
        lines.append(f"  user esp {r['user_esp']:#010x}  ss {r['user_ss'] & 0xFFFF:#06x}")
    else:
        lines.append("  (from kernel mode the CPU pushed no esp/ss: user_esp and user_ss "
                     "are not part of this frame)")
    return lines


class RelayTf(gdb.Command if gdb else object):
    """Show a trap frame: the registers trap_common saved for the interrupted
    code, the vector (named, for exceptions), and whether user or kernel mode
    was interrupted (cs & 3). Without ADDR: the nearest `tf` argument in the
    stack from the selected frame, else the trap_frame_link frame, else the
    current process's saved user registers (proc->tf).
    Usage: relay-tf [ADDR]"""

    def __init__(self):
        super().__init__("relay-tf", gdb.COMMAND_DATA, gdb.COMPLETE_EXPRESSION)

    def invoke(self, arg, from_tty):
        if arg.strip():
            tf_ptr = gdb.lookup_type("struct trapframe").pointer()
            tf, where = gdb.parse_and_eval(arg).cast(tf_ptr), f"from {arg.strip()}"
        else:
            tf, where = find_trapframe()
        if tf is None:
            raise gdb.GdbError(where)
        for line in format_trapframe(tf, where):
            gdb.write(line + "\n")


# ---------------------------------------------------------------- relay-user

class RelayUser(gdb.Command if gdb else object):
    """Load a user program's symbols next to the kernel's, replacing any user
    program's loaded before (all programs link at 0x08048000, so only one
    can be loaded at a time). PROGRAM is a path or a name in
    build/user; without it, the current process's program.
    Usage: relay-user [PROGRAM]"""

    def __init__(self):
        super().__init__("relay-user", gdb.COMMAND_FILES, gdb.COMPLETE_FILENAME)

    def invoke(self, arg, from_tty):
        name = arg.strip()
        if not name:
            p = current_proc()
            if p is None:
                raise gdb.GdbError("relay-user: no current process; name a PROGRAM")
            name = cstring(p["name"])
        path = name if os.sep in name else os.path.join(USER_BUILD, name)
        if not os.path.isfile(path):
            raise gdb.GdbError(f"relay-user: {path}: no such file")
        load_user_symbols(path)


def load_user_symbols(path):
    path = os.path.abspath(path)
    kernel = gdb.current_progspace().filename
    for objfile in gdb.objfiles():      # every add-symbol-file so far: a user program
        if objfile.is_valid() and objfile.filename != kernel:
            gdb.execute(f"remove-symbol-file {objfile.filename}", to_string=True)
    gdb.execute(f"add-symbol-file {path}", to_string=True)
    gdb.write(f"relay-user: symbols of {path} loaded\n")


# ---------------------------------------------------------------- relay-sigflow

ARMED, SENT, DELIVERING, IN_HANDLER, DONE = "armed", "sent", "delivering", "in handler", "done"
HOPS = 8


class Flow:
    """Where one signal is on its way from the keyboard to its handler.

    The delivery hops are set only once the signal is pending: sig_deliver_one
    runs on every return to user mode, and each hit stops the machine for a
    moment, even when stop() says no. QEMU drops key events that arrive while
    the machine is stopped, so fewer stops also mean no lost keys.
    """

    def __init__(self):
        self.state = ARMED
        self.sig = 0
        self.pids = set()
        self.handlers = {}          # handler address -> set of pids
        self.irq_hops = []          # deleted once the signal is pending
        self.hops = []
        self.delivery_set = False
        self.handler_hops = set()


flow = None


def _say(number, where, text):
    gdb.write(f"\nrelay-sigflow {number}/{HOPS}, {where}:\n")
    for line in _wrap(text):
        gdb.write(f"    {line}\n")


def _wrap(text, width=88):
    lines, line = [], ""
    for word in text.split():
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}" if line else word
    return lines + ([line] if line else [])


def _caller_name(level=1):
    frame = gdb.newest_frame()
    for _ in range(level):
        frame = frame.older() if frame is not None else None
    return frame.name() if frame is not None else None


def _modifier_held():
    """A modifier key is down (kbd.c's decoder): only Ctrl+key makes a tty signal."""
    return int(kvar("decoder", "kbd.c")["held"]) != 0


def _arg(name):
    return gdb.selected_frame().read_var(name)


class Hop(gdb.Breakpoint if gdb else object):
    """One hop of the path; stop() decides whether this hit belongs to the flow."""

    def __init__(self, spec, check):
        super().__init__(spec)
        self.check = check

    def stop(self):
        if flow is None or flow.state == DONE:
            return False
        try:
            return bool(self.check())
        except (gdb.error, gdb.MemoryError) as err:
            gdb.write(f"relay-sigflow: cannot follow this hop: {err}\n")
            return True


def hop_vector():
    if flow.state != ARMED or not _modifier_held():
        return False
    _say(1, f"vector_{KEYBOARD_VECTOR} (arch/x86/trapentry.asm)",
         f"IRQ 1 (the keyboard) has arrived with a modifier key down. The CPU found vector "
         f"{KEYBOARD_VECTOR:#x} in the IDT, saved eflags, cs and eip (and esp and ss, when it "
         f"interrupted user mode, switching to the kernel stack) and jumped to this stub. The "
         f"stub pushes a dummy error code and the vector number and jumps to trap_common, which "
         f"saves the other registers as a struct trapframe and calls trap_dispatch(tf).")
    return True


def hop_kbd_irq():
    if flow.state != ARMED or not _modifier_held():
        return False
    _say(2, "kbd_irq (drivers/kbd.c)",
         f"trap_dispatch (kernel/trap.c) passed vector {KEYBOARD_VECTOR:#x} to irq_dispatch "
         "(kernel/irq.c), which called the handler registered for it. kbd_irq reads one byte "
         "from the i8042 and decodes it; a finished key event goes to kbd_emit and then "
         "tty_key_event. Try `bt`: below trap_frame_link is the code this interrupt stopped; "
         "`relay-tf` shows its registers.")
    return True


def hop_send_group():
    if flow.state != ARMED or _caller_name() != "tty_key_event":
        return False
    flow.sig = int(_arg("sig"))
    flow.state = SENT
    pgid = int(_arg("pgid"))
    _say(3, "sig_send_group (kernel/signal/signal.c), called by tty_key_event (kernel/tty.c)",
         f"The key was a signal key: the terminal sends {signal_name(flow.sig)} to its "
         f"foreground process group, {pgid}: every process in it gets the signal.")
    return True


def hop_send():
    if flow.state != SENT or int(_arg("sig")) != flow.sig or _caller_name() != "sig_send_group":
        return False
    p = _arg("p")
    pid = int(p["pid"])
    flow.pids.add(pid)
    handler = u32(p["sig"]["action"][flow.sig]["handler"])
    if handler not in (SIG_DFL, SIG_IGN):
        flow.handlers.setdefault(handler, set()).add(pid)
    _say(4, "sig_send (kernel/signal/signal.c)",
         f"Generation: sig_send sets bit {flow.sig - 1} ({signal_name(flow.sig)}) in pid "
         f"{pid}'s sig.pending and, if it sleeps, makes it RUNNABLE. That is all an interrupt "
         f"handler does: the signal is delivered later, when pid {pid} returns to user mode. "
         f"`finish` and then `relay-ps` show the pending bit.")
    return True


def hop_deliver():
    pid = current_pid()
    if flow.state != SENT or pid not in flow.pids:
        return False
    p = current_proc()
    deliverable = u64(p["sig"]["pending"]) & ~u64(p["sig"]["blocked"])
    if not deliverable & (1 << (flow.sig - 1)):
        return False
    handler = u32(p["sig"]["action"][flow.sig]["handler"])
    if handler in (SIG_DFL, SIG_IGN):
        flow.state = DONE
        _say(5, "sig_deliver_one (kernel/signal/signal.c), called by return_to_user (kernel/proc/sched.c)",
             f"pid {pid} has {signal_name(flow.sig)} pending and not blocked, but no handler: "
             f"sig_deliver_one clears the bit and applies the "
             f"{'default action' if handler == SIG_DFL else 'ignore action'}. "
             f"relay-sigflow is done and removes its breakpoints.")
        return True
    _say(5, "sig_deliver_one (kernel/signal/signal.c), called by return_to_user (kernel/proc/sched.c)",
         f"Delivery happens in one place: on the way back to user mode. pid {pid} has "
         f"{signal_name(flow.sig)} pending and not blocked; sig_deliver_one takes the lowest "
         f"such signal, clears its pending bit and carries out its action: the default "
         f"action, or sigframe_setup when there is a handler.")
    return True


def hop_frame():
    pid = int(_arg("p")["pid"])
    if flow.state != SENT or pid not in flow.pids or int(_arg("sig")) != flow.sig:
        return False
    flow.state = DELIVERING
    handler = u32(_arg("a")["handler"])
    flow.handlers.setdefault(handler, set()).add(pid)
    _say(6, "sigframe_setup (kernel/signal/sigframe.c)",
         f"pid {pid} has a handler, {symbolic(handler)}. sigframe_setup copies the interrupted "
         f"user registers into a signal frame on the user stack, with the mask to restore "
         f"and a return address, then edits the trap frame: eip = the handler, esp = the "
         f"frame, eax = {flow.sig}. `relay-tf` shows the registers before; `finish` and "
         f"`relay-tf` after.")
    return True


def hop_handler():
    pid = current_pid()
    if flow.state != DELIVERING or pid not in flow.pids:
        return False
    flow.state = IN_HANDLER
    pc = u32(gdb.selected_frame().pc())
    _say(7, f"the handler {symbolic(pc)}, in user mode",
         f"trap_return's iret took pid {pid} into its handler, in ring 3, on the signal "
         f"frame. {signal_name(flow.sig)} is no longer pending, and it is blocked while the "
         f"handler runs (unless SA_NODEFER): `relay-ps`.")
    return True


def hop_sigreturn():
    pid = current_pid()
    if flow.state != IN_HANDLER or pid not in flow.pids:
        return False
    flow.state = DONE
    _say(8, f"{gdb.selected_frame().name()} (kernel/signal/sys_signal.c)",
         f"The handler returned into its restorer (the library's __restore with "
         f"SA_RESTORER, else the code in the frame), which made the sigreturn system call. "
         f"sigframe_return checks the registers saved in the frame and copies them back "
         f"into the trap frame, so pid {pid} goes on where the interrupt found it, with its "
         f"old mask. relay-sigflow is done and removes its breakpoints; run it again to "
         f"follow another signal.")
    return True


def elf_bytes(path, addr, size):
    """size bytes at virtual address addr in the ELF file at path, or None."""
    with open(path, "rb") as f:
        data = f.read()
    if data[:4] != b"\x7fELF" or data[4] != 1:
        return None
    phoff, = struct.unpack_from("<I", data, 28)
    phentsize, phnum = struct.unpack_from("<HH", data, 42)
    for i in range(phnum):
        p_type, p_offset, p_vaddr, _, p_filesz = struct.unpack_from(
            "<IIIII", data, phoff + i * phentsize)
        if p_type == PT_LOAD and p_vaddr <= addr and addr + size <= p_vaddr + p_filesz:
            start = p_offset + addr - p_vaddr
            return data[start:start + size]
    return None


_image_checked = False


def check_kernel_image():
    """Once paging is on: warn if the kernel in memory is not the ELF gdb loaded.
    A mismatch puts every breakpoint in the wrong place, silently."""
    global _image_checked
    if _image_checked or int(gdb.parse_and_eval("$cr0")) & CR0_PG == 0:
        return
    _image_checked = True
    path = gdb.current_progspace().filename
    addr = int(gdb.parse_and_eval("(unsigned int)&trap_dispatch"))
    try:
        expected = elf_bytes(path, addr, 64)
        actual = bytes(gdb.selected_inferior().read_memory(addr, 64))
    except (OSError, gdb.error, gdb.MemoryError):
        return
    if expected is not None and expected != actual:
        gdb.write(f"relay: WARNING: the kernel running is not {path}: breakpoints will land "
                  "in the wrong places. Rebuilt since QEMU started? Restart QEMU, or load the "
                  "ELF it booted with `file`.\n")


DELIVERY_HOPS = (("sig_deliver_one", hop_deliver), ("sigframe_setup", hop_frame),
                 ("sys_sigreturn", hop_sigreturn), ("sys_rt_sigreturn", hop_sigreturn))


def _on_stop(event):
    """After a stop: breakpoints are made and deleted here, never inside stop()."""
    try:
        check_kernel_image()
    except gdb.error:
        pass
    if flow is None:
        return
    if flow.state == DONE:
        stop_flow()
        return
    if flow.state != ARMED and not flow.delivery_set:
        flow.delivery_set = True
        for hop in flow.irq_hops:
            hop.delete()
        flow.irq_hops = []
        gdb.write("relay-sigflow: the signal is pending; breakpoints for its delivery:\n")
        for spec, check in DELIVERY_HOPS:
            flow.hops.append(Hop(spec, check))
    for addr in flow.handlers:
        if addr not in flow.handler_hops:
            flow.handler_hops.add(addr)
            flow.hops.append(Hop(f"*{addr:#x}", hop_handler))


def stop_flow():
    global flow
    if flow is None:
        return
    for hop in flow.irq_hops + flow.hops:
        if hop.is_valid():
            hop.delete()
    flow = None


class RelaySigflow(gdb.Command if gdb else object):
    """Follow a signal from the keyboard interrupt to the user handler and back.
    Sets breakpoints at each hop: the vector stub of IRQ 1, kbd_irq, the tty
    sending a signal to its foreground group (sig_send_group), sig_send,
    sig_deliver_one, sigframe_setup, the user handler and sys_sigreturn (or
    sys_rt_sigreturn), and prints what happens at each as it stops there.
    It follows one signal key (Ctrl-C, Ctrl-\\, Ctrl-Z), then removes its
    breakpoints. `relay-sigflow off` removes them at once.
    Usage: relay-sigflow [off]"""

    def __init__(self):
        super().__init__("relay-sigflow", gdb.COMMAND_BREAKPOINTS)

    def invoke(self, arg, from_tty):
        global flow
        stop_flow()
        if arg.strip() == "off":
            gdb.write("relay-sigflow: off\n")
            return
        if arg.strip():
            raise gdb.GdbError("usage: relay-sigflow [off]")
        flow = Flow()
        flow.irq_hops = [Hop(f"vector_{KEYBOARD_VECTOR}", hop_vector), Hop("kbd_irq", hop_kbd_irq),
                         Hop("sig_send_group", hop_send_group)]
        flow.hops = [Hop("sig_send", hop_send)]
        gdb.write("relay-sigflow: `continue`, then type Ctrl-C (or Ctrl-\\ or Ctrl-Z) for the "
                  "program; the delivery hops are set once the signal is pending.\n")


if gdb is not None:
    RelayPs()
    RelayIrq()
    RelayTf()
    RelayUser()
    RelaySigflow()
    gdb.events.stop.connect(_on_stop)
