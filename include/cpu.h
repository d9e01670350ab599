/* One-time CPU setup (arch/x86/cpu.c). */
#pragma once

void cpu_init(void);
