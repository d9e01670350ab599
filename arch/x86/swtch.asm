; void swtch(struct context **old, struct context *new)
;
; Saves the callee-saved registers and the return address on the current
; kernel stack, stores that stack pointer in *old, and switches to the stack
; of new, popping its registers and returning into whatever code called
; swtch() there (or proc_first_run, for a new process). The layout matches
; struct context in include/proc.h: edi, esi, ebx, ebp, eip from the bottom.

bits 32
section .text
global swtch
swtch:
    mov eax, [esp + 4]              ; old
    mov edx, [esp + 8]              ; new
    push ebp
    push ebx
    push esi
    push edi
    mov [eax], esp
    mov esp, edx
    pop edi
    pop esi
    pop ebx
    pop ebp
    ret

section .note.GNU-stack noalloc noexec nowrite progbits
