/*
 * sysinfo(2): uptime, memory and process counts, in Linux's i386 layout
 * (include/uapi/linux/sysinfo.h there). Relay has no swap, no shared or
 * buffer memory and no load average, so those fields read 0.
 *
 * freeram is the frame allocator's free count, exact at every call: the
 * fuzzer (user/tests/fuzz.c) compares it before and after its children
 * have come and gone to catch frames the kernel leaked.
 */
#include "pmm.h"
#include "proc.h"
#include "syscall.h"
#include "timer.h"
#include "types.h"
#include "memlayout.h"
#include "vm.h"

#define SYSINFO_PADDING 8 /* Linux's _f[]: 20 - 2 * sizeof(long) - sizeof(int) */
#define SYSINFO_LOADS 3

struct sysinfo32 {
    int32_t uptime; /* seconds since boot */
    uint32_t loads[SYSINFO_LOADS];
    uint32_t totalram, freeram, sharedram, bufferram; /* in mem_unit bytes */
    uint32_t totalswap, freeswap;
    uint16_t procs, pad;
    uint32_t totalhigh, freehigh;
    uint32_t mem_unit;
    char padding[SYSINFO_PADDING];
};
_Static_assert(sizeof(struct sysinfo32) == 64, "Linux's i386 struct sysinfo is 64 bytes");

static uint16_t processes_in_use(void)
{
    uint16_t n = 0;

    for (struct proc *p = proc_table; p < proc_table + NPROC; p++)
        n += p->state != PROC_UNUSED;
    return n;
}

SYSCALL_DEFINE1(sysinfo, uintptr_t, info_ptr)
{
    struct sysinfo32 info = {0};

    info.uptime = (int32_t)(timer_ticks() / timer_hz());
    info.mem_unit = PAGE_SIZE; /* frames; 32-bit fields hold any Relay memory */
    info.totalram = pmm_total_count();
    info.freeram = pmm_free_count();
    info.procs = processes_in_use();
    return vm_copy_out(current_proc()->pd, info_ptr, &info, sizeof(info));
}
