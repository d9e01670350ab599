; Relay's first instructions: multiboot headers and the switch to the higher half.
;
; GRUB (multiboot2, the real path) and QEMU's -kernel (multiboot1, the fast
; path) both load this ELF at its physical addresses and jump to _start in
; 32-bit protected mode with paging off. We build a page directory that maps
; the first 992 MiB of physical memory twice, at 0 and at KERNEL_BASE, with
; 4 MiB pages, turn paging on, jump up to the kernel's linked addresses and
; call kmain(magic, info). kmain's paging code later drops the low alias.
;
; Multiboot 1: https://www.gnu.org/software/grub/manual/multiboot/ (3.1)
; Multiboot 2: https://www.gnu.org/software/grub/manual/multiboot2/ (3.1)

bits 32

KERNEL_BASE         equ 0xC0000000
KERNEL_PDE_FIRST    equ KERNEL_BASE >> 22      ; PDE index 768
DIRECT_MAP_PDES     equ 248                    ; 248 x 4 MiB = 992 MiB

MB1_MAGIC           equ 0x1BADB002
MB1_PAGE_ALIGN      equ 1 << 0                 ; modules on page boundaries
MB1_MEMORY_INFO     equ 1 << 1                 ; ask for mem_* and mmap_*
MB1_FLAGS           equ MB1_PAGE_ALIGN | MB1_MEMORY_INFO

MB2_MAGIC           equ 0xE85250D6
MB2_ARCH_I386       equ 0
MB2_TAG_END         equ 0

PDE_PRESENT         equ 1 << 0
PDE_WRITABLE        equ 1 << 1
PDE_4MB             equ 1 << 7                 ; PS bit, needs CR4.PSE
CR0_WP              equ 1 << 16                ; Intel SDM Vol. 3A 2.5
CR0_PG              equ 1 << 31
CR4_PSE             equ 1 << 4

BOOT_STACK_SIZE     equ 16384

section .multiboot
align 4
mb1_header:
    dd MB1_MAGIC
    dd MB1_FLAGS
    dd -(MB1_MAGIC + MB1_FLAGS)

align 8
mb2_header:
    dd MB2_MAGIC
    dd MB2_ARCH_I386
    dd mb2_header_end - mb2_header
    dd -(MB2_MAGIC + MB2_ARCH_I386 + (mb2_header_end - mb2_header))
    dw MB2_TAG_END, 0                          ; type, flags
    dd 8                                       ; size
mb2_header_end:

section .boot.data
align 4096
global boot_page_directory
boot_page_directory:
    times 1024 dd 0

section .boot.text
global _start
_start:
    cli
    mov esi, eax                    ; keep the bootloader's magic ...
    mov edi, ebx                    ; ... and its info pointer (physical)

    ; Fill PDE[i] and PDE[768 + i] with 4 MiB pages of physical i * 4 MiB.
    xor ecx, ecx
.map:
    mov eax, ecx
    shl eax, 22
    or eax, PDE_PRESENT | PDE_WRITABLE | PDE_4MB
    mov [boot_page_directory + ecx * 4], eax
    mov [boot_page_directory + (KERNEL_PDE_FIRST + ecx) * 4], eax
    inc ecx
    cmp ecx, DIRECT_MAP_PDES
    jb .map

    mov eax, cr4
    or eax, CR4_PSE
    mov cr4, eax
    mov eax, boot_page_directory
    mov cr3, eax
    mov eax, cr0
    or eax, CR0_PG | CR0_WP
    mov cr0, eax

    lea eax, [higher_half]          ; an absolute jump into the high mapping
    jmp eax

section .text
extern kmain
higher_half:
    mov esp, boot_stack_top
    xor ebp, ebp                    ; the end of every gdb backtrace
    push edi                        ; multiboot info (physical)
    push esi                        ; multiboot magic
    call kmain
.hang:
    cli
    hlt
    jmp .hang

section .bss
align 16
global boot_stack_bottom
boot_stack_bottom:
    resb BOOT_STACK_SIZE
global boot_stack_top
boot_stack_top:

section .note.GNU-stack noalloc noexec nowrite progbits
