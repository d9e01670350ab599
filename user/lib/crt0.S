/* Process entry. The kernel starts a static ELF here with esp pointing at the initial stack
 * Linux lays out: argc, argv[0..argc-1], NULL, envp..., NULL, auxv pairs, then the strings.
 * _start hands argc, argv and envp to libc_start (start.c), which never returns. */

    .text
    .globl _start
    .type _start, @function
_start:
    xorl %ebp, %ebp                 /* the outermost frame, for debuggers */
    movl (%esp), %eax               /* argc */
    leal 4(%esp), %ecx              /* argv */
    leal 8(%esp,%eax,4), %edx       /* envp = argv + argc + 1 */
    andl $-16, %esp                 /* the i386 SysV ABI wants 16-byte alignment at a call */
    subl $4, %esp
    pushl %edx
    pushl %ecx
    pushl %eax
    call libc_start
    hlt                             /* not reached; faults if it ever is */
    .size _start, . - _start

    .section .note.GNU-stack, "", @progbits
