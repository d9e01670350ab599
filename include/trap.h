/*
 * Traps: the one structure and the one entry/return path shared by every
 * exception, hardware interrupt and system call (arch/x86/trapentry.asm,
 * arch/x86/idt.c, kernel/trap.c).
 */
#pragma once

#include "gdt.h"
#include "trapframe_layout.h"
#include "types.h"

/*
 * The registers of the interrupted code, as saved on the kernel stack.
 * From the bottom (lowest address) up: what trap_common pushes, what the
 * vector stub pushes, what the CPU pushes (Intel SDM Vol. 3A 6.12.1).
 * user_esp and user_ss exist only when the trap came from ring 3.
 */
struct trapframe {
    uint32_t gs, fs, es, ds;
    uint32_t edi, esi, ebp, esp_pusha, ebx, edx, ecx, eax; /* pusha order */
    uint32_t vector;
    uint32_t error; /* the CPU's error code, or 0 for vectors without one */
    uint32_t eip, cs, eflags;
    uint32_t user_esp, user_ss;
};

#define TF_CHECK(field, off) _Static_assert(offsetof(struct trapframe, field) == off, #field)
TF_CHECK(gs, TF_GS);
TF_CHECK(ds, TF_DS);
TF_CHECK(edi, TF_EDI);
TF_CHECK(ebp, TF_EBP);
TF_CHECK(eax, TF_EAX);
TF_CHECK(vector, TF_VECTOR);
TF_CHECK(error, TF_ERROR);
TF_CHECK(eip, TF_EIP);
TF_CHECK(cs, TF_CS);
TF_CHECK(eflags, TF_EFLAGS);
TF_CHECK(user_esp, TF_USER_ESP);
TF_CHECK(user_ss, TF_USER_SS);
_Static_assert(sizeof(struct trapframe) == TF_SIZE, "trapframe size");
#undef TF_CHECK

/* Exception vectors (Intel SDM Vol. 3A 6.3.1, Table 6-1). */
enum exception_vector {
    EXC_DIVIDE_ERROR = 0,
    EXC_DEBUG = 1,
    EXC_NMI = 2,
    EXC_BREAKPOINT = 3,
    EXC_OVERFLOW = 4,
    EXC_BOUND_RANGE = 5,
    EXC_INVALID_OPCODE = 6,
    EXC_DEVICE_NOT_AVAILABLE = 7,
    EXC_DOUBLE_FAULT = 8,
    EXC_COPROCESSOR_OVERRUN = 9,
    EXC_INVALID_TSS = 10,
    EXC_SEGMENT_NOT_PRESENT = 11,
    EXC_STACK_FAULT = 12,
    EXC_GENERAL_PROTECTION = 13,
    EXC_PAGE_FAULT = 14,
    EXC_X87_FPU_ERROR = 16,
    EXC_ALIGNMENT_CHECK = 17,
    EXC_MACHINE_CHECK = 18,
    EXC_SIMD_FP = 19,
    EXC_VIRTUALIZATION = 20,
    EXC_CONTROL_PROTECTION = 21,
    NUM_EXCEPTIONS = 32
};

/* Page-fault error code bits (Intel SDM Vol. 3A 4.7). */
#define PF_PRESENT BIT(0)
#define PF_WRITE BIT(1)
#define PF_USER BIT(2)
#define PF_RESERVED BIT(3)
#define PF_FETCH BIT(4)

/* Selector error code bits (Intel SDM Vol. 3A 6.13). */
#define SEL_ERR_EXTERNAL BIT(0)
#define SEL_ERR_IDT BIT(1)
#define SEL_ERR_LDT BIT(2)

#define NUM_VECTORS 256
#define SYSCALL_VECTOR 0x80

static inline bool trap_from_user(const struct trapframe *tf) { return (tf->cs & 3) == RPL_USER; }

/* Vector entry stubs, generated in trapentry.asm; idt_init installs them. */
extern const uint32_t vector_stubs[NUM_VECTORS];
/* The common return path: restores a trapframe at esp and irets. */
extern void trap_return(void);
/* The double-fault task's entry point (runs on its own TSS and stack). */
extern void double_fault_entry(void);

void idt_init(void);
/* Called by trap_common for every vector, with the saved registers. */
void trap_dispatch(struct trapframe *tf);
const char *exception_name(unsigned vector);
void trapframe_dump(const struct trapframe *tf);

/*
 * Catching kernel-mode exceptions, for tests that raise them on purpose:
 *
 *     if (trap_catch_begin(&caught) == 0) { raise it; }   // resumes here with 1
 *     trap_catch_end();
 */
struct kjmp_buf {
    uint32_t ebx, esi, edi, ebp, esp, eip;
};
struct trap_catch {
    struct kjmp_buf jmp;
    bool caught;
    uint32_t vector, error, eip, cr2;
};
int ksetjmp(struct kjmp_buf *buf) __attribute__((returns_twice));
NORETURN void klongjmp(struct kjmp_buf *buf, int value);
#define trap_catch_begin(c) (trap_catch_arm(c), ksetjmp(&(c)->jmp))
void trap_catch_arm(struct trap_catch *c);
void trap_catch_end(void);
