/* A complete static i386 ELF file, written byte by byte: one PT_LOAD segment holding the
 * headers and a program that prints "loaded and ran" and exits 0. The Makefile assembles it
 * once per elf-* file, each with one -D that spoils one field, for test-exec-elf. Nothing is
 * linked: objcopy keeps exactly these bytes. Layout: System V ABI "ELF Object Files". */

#define BASE 0x08048000
#ifndef SEG_VADDR
#define SEG_VADDR BASE
#endif
#ifndef SEG_MEMSZ_DELTA
#define SEG_MEMSZ_DELTA 0 /* memsz = filesz + this */
#endif
#ifndef SEG_ALIGN
#define SEG_ALIGN 0x1000
#endif
#ifndef ENTRY_DELTA
#define ENTRY_DELTA 0 /* the entry point, moved away from the code */
#endif
#ifndef MACHINE
#define MACHINE 3 /* EM_386 */
#endif

#define ELFCLASS32 1
#define ELFDATA2LSB 1
#define EV_CURRENT 1
#define ET_EXEC 2
#define PT_LOAD 1
#define PF_X 1
#define PF_R 4
#define EHDR_SIZE 52
#define PHDR_SIZE 32
#define SHDR_SIZE 40
#define SYS_exit 1
#define SYS_write 4
#define STDOUT 1
#define AT(label) (SEG_VADDR + ((label) - ehdr)) /* where a byte of the file is loaded */

    .text
ehdr:
    .byte 0x7f, 'E', 'L', 'F', ELFCLASS32, ELFDATA2LSB, EV_CURRENT, 0
    .space 8
    .word ET_EXEC, MACHINE
    .long EV_CURRENT
    .long AT(code) + ENTRY_DELTA /* e_entry */
    .long EHDR_SIZE              /* e_phoff */
    .long 0, 0                   /* e_shoff, e_flags */
    .word EHDR_SIZE, PHDR_SIZE, 1, SHDR_SIZE, 0, 0
phdr:
    .long PT_LOAD, 0, SEG_VADDR, SEG_VADDR
    .long end - ehdr, end - ehdr + SEG_MEMSZ_DELTA
    .long PF_R | PF_X, SEG_ALIGN
code:
    movl $SYS_write, %eax
    movl $STDOUT, %ebx
    movl $AT(msg), %ecx
    movl $(end - msg), %edx
    int $0x80
    movl $SYS_exit, %eax
    xorl %ebx, %ebx
    int $0x80
msg:
    .ascii "loaded and ran\n"
end:
