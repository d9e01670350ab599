/*
 * Loading static i386 ELF executables (kernel/elf.c). Structures and
 * constants: the System V ABI, "ELF Object Files", and its Intel386
 * supplement.
 */
#pragma once

#include "types.h"
#include "vm.h"

#define ELF_MAGIC 0x464C457Fu /* "\x7fELF" read as a little-endian word */
#define ELFCLASS32 1
#define ELFDATA2LSB 1
#define ET_EXEC 2
#define ET_DYN 3
#define EM_386 3
#define EV_CURRENT 1
#define PT_LOAD 1
#define PT_INTERP 3
#define PF_X 1
#define PF_W 2
#define PF_R 4

struct elf_header {
    uint32_t magic;
    uint8_t class, data, ident_version, osabi, pad[8];
    uint16_t type, machine;
    uint32_t version, entry, phoff, shoff, flags;
    uint16_t ehsize, phentsize, phnum, shentsize, shnum, shstrndx;
} PACKED;
_Static_assert(sizeof(struct elf_header) == 52, "Elf32_Ehdr");

struct elf_program_header {
    uint32_t type, offset, vaddr, paddr, filesz, memsz, flags, align;
} PACKED;
_Static_assert(sizeof(struct elf_program_header) == 32, "Elf32_Phdr");

struct elf_image {
    uintptr_t entry;
    uintptr_t end; /* the highest byte of any segment, page-rounded: brk starts here */
};

/* Checks an ELF file without touching any address space. Returns NULL if
 * it can be loaded, or a sentence saying why not. elf_check is both stages:
 * elf_check_header, what Linux checks before execve's point of no return
 * (the file header, the program header table, no interpreter), then
 * elf_check_segments, what Linux finds only while mapping the segments.
 * elf_check_segments expects a file that passed elf_check_header. */
const char *elf_check(const uint8_t *file, size_t size);
const char *elf_check_header(const uint8_t *file, size_t size);
const char *elf_check_segments(const uint8_t *file, size_t size);
/* Maps and fills the segments of a checked file into pd. 0 or -ENOMEM. */
int elf_load(pde_t *pd, const uint8_t *file, size_t size, struct elf_image *out);
