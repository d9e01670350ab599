"""The `suite()` helper that tests/suites.py uses to describe QEMU suites.

Each call returns a list of plain dicts (one, or two for `both_irq=True`),
so the suite table stays data that anyone can read, print or check, while
the defaults and the rules live here in one place.
"""

BOOT_KERNEL = "kernel"          # qemu -kernel build/relay.elf -append ...
BOOT_ISO = "iso"                # qemu -cdrom build/relay-test.iso (GRUB)
BOOTS = (BOOT_KERNEL, BOOT_ISO)

EXPECT_PASS = "pass"            # an ordinary suite
EXPECT_FAIL = "fail"            # runner-proof: must fail at named cases
EXPECT_PANIC = "panic"          # runner-proof: must panic, and quickly
EXPECTS = (EXPECT_PASS, EXPECT_FAIL, EXPECT_PANIC)

KERNEL_TIMEOUT = 30.0           # seconds; a -kernel boot takes ~0.1 s
ISO_TIMEOUT = 60.0              # seconds; BIOS + GRUB are slower and scale badly
PANIC_DEADLINE = 10.0           # seconds an expect='panic' suite may take
IRQ_VARIANTS = ("pic", "apic")  # what both_irq=True expands to


def suite(name, args="", boot=BOOT_KERNEL, icount=None, timeout=None,
          expect=EXPECT_PASS, must_fail=(), within=PANIC_DEADLINE,
          initrd=(), both_irq=False):
    """Describe one suite; returns a list of entries for SUITES.

    name      -- suite name; the kernel command line starts with test=NAME
                 unless `args` already holds a test= word.
    args      -- extra kernel command line words, e.g. "irq=pic ticks=300".
    boot      -- 'kernel' (fast -kernel boot) or 'iso' (GRUB test ISO,
                 whose grub.cfg fixes the command line; args are ignored).
    icount    -- deterministic instruction counting; defaults to on for
                 'kernel' boots and must stay off for 'iso' boots.
    timeout   -- seconds before QEMU is killed as hung.
    expect    -- 'pass', or 'fail'/'panic' for suites that prove the runner.
    must_fail -- for expect='fail': the exact cases, as 'suite.case', that
                 must be the ones reported failing.
    within    -- for expect='panic': seconds the panic must come within.
    initrd    -- module list, each "file args" (file relative to the repo).
    both_irq  -- expand into NAME@pic and NAME@apic with irq=pic / irq=apic.
    """
    if both_irq:
        return [_entry(f"{name}@{irq}", name, f"{args} irq={irq}".strip(), boot,
                       icount, timeout, expect, must_fail, within, initrd)
                for irq in IRQ_VARIANTS]
    return [_entry(name, name, args, boot, icount, timeout, expect,
                   must_fail, within, initrd)]


def _entry(name, base, args, boot, icount, timeout, expect, must_fail,
           within, initrd):
    """Build one suite dict with defaults filled in."""
    words = args.split()
    if not any(word.startswith("test=") for word in words):
        words.insert(0, f"test={base}")
    if icount is None:
        icount = boot == BOOT_KERNEL
    if timeout is None:
        timeout = ISO_TIMEOUT if boot == BOOT_ISO else KERNEL_TIMEOUT
    return {"name": name, "base": base, "cmdline": " ".join(words),
            "boot": boot, "icount": icount, "timeout": float(timeout),
            "expect": expect, "must_fail": tuple(must_fail),
            "within": float(within), "initrd": tuple(initrd)}


def table(*groups):
    """Flatten suite() results into one list, keeping their order."""
    return [entry for group in groups for entry in group]


def check_table(entries):
    """Return a list of problems with a suite table (empty when sane)."""
    problems, seen = [], set()
    for entry in entries:
        name = entry["name"]
        if name in seen:
            problems.append(f"duplicate suite name {name!r}")
        seen.add(name)
        problems += [f"{name}: {p}" for p in _entry_problems(entry)]
    return problems


def _entry_problems(entry):
    """Problems with one suite dict."""
    problems = []
    if not entry["name"] or any(c.isspace() for c in entry["name"]):
        problems.append("name must be non-empty and without spaces")
    if entry["boot"] not in BOOTS:
        problems.append(f"boot must be one of {BOOTS}")
    if entry["expect"] not in EXPECTS:
        problems.append(f"expect must be one of {EXPECTS}")
    if entry["timeout"] <= 0:
        problems.append("timeout must be positive")
    if entry["boot"] == BOOT_ISO and entry["icount"]:
        problems.append("icount is for -kernel boots only (GRUB under icount is slow)")
    if entry["expect"] == EXPECT_FAIL and not entry["must_fail"]:
        problems.append("expect='fail' needs must_fail=('suite.case', ...)")
    if entry["expect"] == EXPECT_PANIC and entry["within"] >= entry["timeout"]:
        problems.append("expect='panic' needs within < timeout")
    return problems


def select(entries, names):
    """Entries matching names (exact, or a base name selecting its variants).

    Returns (selected, unknown_names).
    """
    selected, unknown = [], []
    for wanted in names:
        hits = [e for e in entries if wanted in (e["name"], e["base"])]
        if not hits:
            unknown.append(wanted)
        selected += [e for e in hits if e not in selected]
    return selected, unknown
