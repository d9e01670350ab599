/* The signal restorers: where a handler returns to. The kernel put the return address
 * (sa_restorer) at the top of the signal frame, so the handler's ret lands here with esp just
 * above it, and the frame's saved registers and mask are put back by the call below.
 *
 * __restore     for handlers without SA_SIGINFO (old frame): sigreturn (119) finds its frame
 *               at esp - 8, so first pop the signal number the frame holds for the handler.
 * __restore_rt  for SA_SIGINFO handlers (rt frame): rt_sigreturn (173) finds its frame at
 *               esp - 4, so no pop.
 * Neither returns: the process continues where the signal interrupted it. */

#include <sys/syscall.h>

    .text
    .globl __restore
    .type __restore, @function
__restore:
    popl %eax
    movl $SYS_sigreturn, %eax
    int $0x80
    .size __restore, . - __restore

    .globl __restore_rt
    .type __restore_rt, @function
__restore_rt:
    movl $SYS_rt_sigreturn, %eax
    int $0x80
    .size __restore_rt, . - __restore_rt

    .section .note.GNU-stack, "", @progbits
