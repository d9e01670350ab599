#include "qemu.h"
#include "serial.h"
#include "x86.h"

void qemu_exit(enum qemu_exit_code code)
{
    serial_drain_all(); /* the program's last bytes reach the host before QEMU ends */
    outl(QEMU_EXIT_PORT, code);
}
