/* CPU control bits the kernel sets once at boot. */
#include "cpu.h"
#include "x86.h"

void cpu_init(void)
{
    /* CR0.AM lets a user process that sets EFLAGS.AC get an alignment-check
     * exception (#AC, so SIGBUS) for misaligned accesses, as on Linux.
     * It has no effect in ring 0 (Intel SDM Vol. 3A 2.5 and 6.15, #AC). */
    write_cr0(read_cr0() | CR0_AM);
}
