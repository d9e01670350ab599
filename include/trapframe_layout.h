/*
 * Byte offsets of struct trapframe (trap.h). This file is the one source of
 * truth for both languages: C checks them with _Static_assert, and the
 * Makefile turns each #define into a nasm %define for arch/x86/trapentry.asm.
 * Keep it to plain "#define NAME number" lines.
 */
#define TF_GS 0
#define TF_FS 4
#define TF_ES 8
#define TF_DS 12
#define TF_EDI 16
#define TF_ESI 20
#define TF_EBP 24
#define TF_ESP_PUSHA 28
#define TF_EBX 32
#define TF_EDX 36
#define TF_ECX 40
#define TF_EAX 44
#define TF_VECTOR 48
#define TF_ERROR 52
#define TF_EIP 56
#define TF_CS 60
#define TF_EFLAGS 64
#define TF_USER_ESP 68
#define TF_USER_SS 72
#define TF_SIZE 76
#define TF_KERNEL_SIZE 68
