/* long syscall6(long nr, long a1, long a2, long a3, long a4, long a5, long a6)
 *
 * The one place user space enters the kernel: Linux i386 convention, int $0x80 with the number
 * in eax and arguments in ebx, ecx, edx, esi, edi, ebp. Returns eax as the kernel left it:
 * -4095..-1 is -errno. ebx, esi, edi and ebp are callee-saved in C, so they are saved here. */

    .text
    .globl syscall6
    .type syscall6, @function
syscall6:
    pushl %ebx
    pushl %esi
    pushl %edi
    pushl %ebp
    movl 20(%esp), %eax             /* 4 saved registers + return address = 20 */
    movl 24(%esp), %ebx
    movl 28(%esp), %ecx
    movl 32(%esp), %edx
    movl 36(%esp), %esi
    movl 40(%esp), %edi
    movl 44(%esp), %ebp
    int $0x80
    popl %ebp
    popl %edi
    popl %esi
    popl %ebx
    ret
    .size syscall6, . - syscall6

    .section .note.GNU-stack, "", @progbits
