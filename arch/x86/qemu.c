#include "qemu.h"
#include "x86.h"

void qemu_exit(enum qemu_exit_code code) { outl(QEMU_EXIT_PORT, code); }
