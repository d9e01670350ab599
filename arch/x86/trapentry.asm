; The one way into the kernel and the one way back out.
;
; Every vector 0-255 has a tiny stub that makes the stack uniform (a dummy
; error code where the CPU pushes none, then the vector number) and jumps to
; trap_common, which saves the rest of the registers as a struct trapframe
; (include/trap.h), calls trap_dispatch(tf) in kernel/trap.c, and falls into
; trap_return, which restores a trapframe and irets. Later chapters deliver
; signals on exactly that return path, and a new process's first entry to
; ring 3 also goes out through trap_return.

bits 32

%include "trapframe.inc"        ; TF_* offsets, generated from trapframe_layout.h

KERNEL_DS       equ 0x10        ; SELECTOR(GDT_KERNEL_DATA, 0), include/gdt.h

; Vectors whose exceptions push an error code (Intel SDM Vol. 3A Table 6-1).
%macro VECTOR_STUB 1
align 16
vector_%1:
%if %1 == 8 || (%1 >= 10 && %1 <= 14) || %1 == 17 || %1 == 21 || %1 == 29 || %1 == 30
    ; the CPU has pushed an error code
%else
    push 0
%endif
    push %1
    jmp trap_common
%endmacro

section .text

%assign v 0
%rep 256
    VECTOR_STUB v
%assign v v+1
%endrep

extern trap_dispatch

trap_common:
    pusha
    push ds
    push es
    push fs
    push gs
    mov ax, KERNEL_DS
    mov ds, ax
    mov es, ax
    mov fs, ax
    mov gs, ax
    cld                             ; the C ABI expects DF clear
    mov ebx, esp                    ; ebx = struct trapframe *
    ; Build a frame that looks like a call from the interrupted code, so that
    ; gdb's backtrace walks from the handler into what was interrupted.
    push dword [ebx + TF_EIP]
global trap_frame_link
trap_frame_link:
    push ebp
    mov ebp, esp
    push ebx
    call trap_dispatch
    mov esp, ebx                    ; drop the argument and the fake frame

global trap_return
trap_return:                        ; esp -> struct trapframe
    pop gs
    pop fs
    pop es
    pop ds
    popa
    add esp, 8                      ; vector and error code
    iret

; Table of stub addresses for idt_init's loop.
section .rodata
align 4
global vector_stubs
vector_stubs:
%assign v 0
%rep 256
    dd vector_ %+ v
%assign v v+1
%endrep

; A double fault arrives through a task gate: the CPU has switched to the
; double-fault TSS, whose stack is fresh, so even a kernel stack overflow
; reaches this code. The error code (always 0) is on the new stack.
section .text
extern double_fault_handler
global double_fault_entry
double_fault_entry:
    xor ebp, ebp
    call double_fault_handler       ; does not return
.hang:
    cli
    hlt
    jmp .hang

; int ksetjmp(struct kjmp_buf *buf): returns 0, and 1 again on klongjmp.
global ksetjmp
ksetjmp:
    mov eax, [esp + 4]
    mov [eax + 0], ebx
    mov [eax + 4], esi
    mov [eax + 8], edi
    mov [eax + 12], ebp
    lea ecx, [esp + 4]              ; esp as it will be after ret
    mov [eax + 16], ecx
    mov ecx, [esp]                  ; return address
    mov [eax + 20], ecx
    xor eax, eax
    ret

; void klongjmp(struct kjmp_buf *buf, int value)
global klongjmp
klongjmp:
    mov edx, [esp + 4]
    mov eax, [esp + 8]
    mov ebx, [edx + 0]
    mov esi, [edx + 4]
    mov edi, [edx + 8]
    mov ebp, [edx + 12]
    mov esp, [edx + 16]
    jmp [edx + 20]

; Where a caught kernel exception resumes (see trap_catch_arm in kernel/trap.c):
; trap_dispatch pointed the saved eip here and the saved eax at the jump buffer.
global trap_catch_resume
trap_catch_resume:
    push 1
    push eax
    call klongjmp

section .note.GNU-stack noalloc noexec nowrite progbits
