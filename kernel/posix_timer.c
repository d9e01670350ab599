/*
 * POSIX per-process timers (include/posix_timer.h). Not written yet: this
 * is the hook that signal delivery calls.
 */
#include "posix_timer.h"

void posix_timer_dequeued(struct proc *p, struct sig_info *info)
{
    (void)p;
    info->overrun = 0;
}
