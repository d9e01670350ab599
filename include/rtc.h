/* The CMOS real-time clock (arch/x86/rtc.c). */
#pragma once

#include "types.h"

/* The wall-clock time now, in seconds since 1970-01-01 00:00 UTC (the RTC
 * holds UTC under QEMU, whose -rtc base says so). */
int64_t rtc_read_unix_time(void);
