"""The QEMU test suites, as data. Add one `suite(...)` line per suite.

See tests/harness/suitedef.py for every option. Common forms:

    suite("timer", both_irq=True),            # timer@pic and timer@apic
    suite("kbd", "layout=us", timeout=20),    # test=kbd layout=us
    suite("boot-grub", boot="iso"),           # GRUB ISO, fixed cmdline
"""

from harness.suitedef import suite, table

SUITES = table(
    suite("boot"),
    suite("boot-grub", boot="iso"),
    suite("qmp"),
    suite("exceptions", both_irq=True),
    suite("timer", "hz=250", both_irq=True),
    suite("priority", both_irq=True),
    suite("kbd", both_irq=True),
    suite("apic", "irq=apic"),
    suite("elf"),
    suite("gdt"),
    suite("mem"),
    suite("fs"),
    suite("signal"),
    suite("irq", both_irq=True),
    suite("monitor", "live=on"),
    suite("proc", "stdio=split",
          initrd=["build/user/forktree", "build/user/spin", "build/user/sleepy", "build/user/memtour"]),
    suite("tty", "stdio=split", initrd=["build/user/spin", "build/user/sleepy"]),
    # Runner-proof suites: they show the runner notices failures and panics.
    suite("meta-fail", expect="fail", must_fail=["meta-fail.deliberate_failure"]),
    suite("meta-panic", expect="panic", within=10),
    suite("meta-double-fault", expect="panic", within=10),
)
