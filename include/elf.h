/*
 * Loading static i386 ELF executables (kernel/proc/elf.c). Structures and
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
    uintptr_t args_start, args_end; /* the argv strings on the new stack (exec.c) */
};

#define ELF_MAX_PROGRAM_HEADERS 64

/* An executable's bytes, wherever they are (a file in the RAM file system,
 * a boot module, a test's buffer): read copies n bytes from file offset off
 * into kernel memory, and returns 0 or -errno. */
struct elf_source {
    size_t size;
    int (*read)(const void *src, uint32_t off, void *dst, size_t n);
    const void *src;
};

/* What the checks and the loader need of a file: its header and program
 * header table, read once by elf_open. About 2 KiB: keep it off the stack. */
struct elf_file {
    struct elf_source source;
    struct elf_header header;
    struct elf_program_header ph[ELF_MAX_PROGRAM_HEADERS];
};

/* The checks come in Linux's two stages (see kernel/proc/elf.c). elf_open reads
 * and checks what Linux checks before execve's point of no return (the file
 * header, the program header table, no interpreter); elf_check_loadable
 * what Linux finds only while mapping the segments. Each returns NULL, or a
 * sentence saying why the file cannot run. */
const char *elf_open(struct elf_file *ef, const struct elf_source *source);
const char *elf_check_loadable(const struct elf_file *ef);
/* Maps and fills the segments of a checked file into pd. 0, -ENOMEM or the
 * source's read error. */
int elf_load(pde_t *pd, const struct elf_file *ef, struct elf_image *out);
/* Where the program headers are in the loaded image, for AT_PHDR: inside
 * the segment that maps file offset 0, as in every static binary; 0 if none. */
uintptr_t elf_phdr_address(const struct elf_file *ef);

/* Both stages on a file in kernel memory (the elf suite's buffers). */
const char *elf_check(const uint8_t *file, size_t size);
const char *elf_check_header(const uint8_t *file, size_t size);
const char *elf_check_segments(const uint8_t *file, size_t size);
