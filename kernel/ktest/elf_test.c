/*
 * Suite "elf": the loader's checks, on files built here byte by byte. Each
 * malformed file must be refused with its own reason and nothing mapped.
 */
#include "elf.h"
#include "ktest.h"
#include "string.h"

#define BASE 0x08048000u
#define CODE_OFFSET (sizeof(struct elf_header) + 2 * sizeof(struct elf_program_header))
#define FILE_SIZE (CODE_OFFSET + 16)

/* A small valid static executable: one text segment holding everything,
 * and a second program header the tests can turn into something else. */
static struct {
    struct elf_header h;
    struct elf_program_header ph[2];
    uint8_t code[16];
} PACKED file;

static void make_valid(void)
{
    memset(&file, 0, sizeof(file));
    file.h = (struct elf_header){
        .magic = ELF_MAGIC, .class = ELFCLASS32, .data = ELFDATA2LSB, .ident_version = 1,
        .type = ET_EXEC, .machine = EM_386, .version = EV_CURRENT,
        .entry = BASE + CODE_OFFSET, .phoff = sizeof(struct elf_header),
        .ehsize = sizeof(struct elf_header), .phentsize = sizeof(struct elf_program_header),
        .phnum = 1,
    };
    file.ph[0] = (struct elf_program_header){
        .type = PT_LOAD, .offset = 0, .vaddr = BASE, .paddr = BASE,
        .filesz = FILE_SIZE, .memsz = FILE_SIZE, .flags = PF_R | PF_X, .align = 4096,
    };
}

static const char *check(size_t size) { return elf_check((const uint8_t *)&file, size); }

static void expect_refused(size_t size, const char *reason)
{
    const char *why = check(size);
    if (EXPECT_TRUE(why != NULL))
        EXPECT_STREQ(why, reason);
}

KTEST("elf", valid_file_accepted)
{
    make_valid();
    EXPECT_TRUE(check(FILE_SIZE) == NULL);
}

KTEST("elf", truncated_header)
{
    make_valid();
    expect_refused(20, "truncated: shorter than an ELF header");
}

KTEST("elf", not_elf)
{
    make_valid();
    file.h.magic = 0x464C457E;
    expect_refused(FILE_SIZE, "not an ELF file");
}

KTEST("elf", wrong_class_or_machine)
{
    make_valid();
    file.h.class = 2; /* ELFCLASS64 */
    expect_refused(FILE_SIZE, "not a 32-bit ELF file");
    make_valid();
    file.h.machine = 62; /* EM_X86_64 */
    expect_refused(FILE_SIZE, "not an i386 executable");
}

KTEST("elf", dynamically_linked)
{
    make_valid();
    file.h.phnum = 2;
    file.ph[1] = (struct elf_program_header){.type = PT_INTERP, .offset = CODE_OFFSET,
                                             .filesz = 8, .memsz = 8};
    expect_refused(FILE_SIZE, "dynamically linked: Relay runs static i386 executables");
}

KTEST("elf", position_independent)
{
    make_valid();
    file.h.type = ET_DYN;
    expect_refused(FILE_SIZE,
                   "position-independent executables are not supported: link with -no-pie -static");
}

KTEST("elf", program_headers_past_the_end)
{
    make_valid();
    file.h.phoff = FILE_SIZE - 8;
    expect_refused(FILE_SIZE, "truncated: program headers past the end of the file");
}

KTEST("elf", segment_data_past_the_end)
{
    make_valid();
    file.ph[0].filesz = FILE_SIZE + 4096;
    file.ph[0].memsz = FILE_SIZE + 4096;
    expect_refused(FILE_SIZE, "truncated: segment data past the end of the file");
}

KTEST("elf", segments_overlap)
{
    make_valid();
    file.h.phnum = 2;
    file.ph[1] = file.ph[0];
    file.ph[1].vaddr = BASE + 0x800;
    file.ph[1].filesz = 0; /* no file bytes: only the overlap is wrong */
    file.ph[1].flags = PF_R | PF_W;
    expect_refused(FILE_SIZE, "segments overlap");
}

KTEST("elf", segment_reaching_kernel_space)
{
    make_valid();
    file.ph[0].vaddr = 0xBFFFF000;
    file.h.entry = 0xBFFFF000 + CODE_OFFSET;
    expect_refused(FILE_SIZE, "segment outside user space (it would reach the stack or the kernel)");
}

KTEST("elf", absurd_size)
{
    make_valid();
    file.ph[0].memsz = 0x40000000; /* 1 GiB */
    expect_refused(FILE_SIZE, "segment of absurd size");
}

KTEST("elf", more_file_than_memory)
{
    make_valid();
    file.ph[0].memsz = 8;
    expect_refused(FILE_SIZE, "segment with more file bytes than memory bytes");
}

KTEST("elf", entry_outside_segments)
{
    make_valid();
    file.h.entry = 0x09000000;
    expect_refused(FILE_SIZE, "entry point outside the executable segments");
    make_valid();
    file.ph[0].flags = PF_R | PF_W; /* the entry is in a segment, but not an executable one */
    expect_refused(FILE_SIZE, "entry point outside the executable segments");
}

KTEST("elf", no_loadable_segment)
{
    make_valid();
    file.ph[0].type = 4; /* PT_NOTE */
    expect_refused(FILE_SIZE, "no loadable segment");
}

/* Linux maps file bytes with mmap, whose file offset is page aligned: a
 * segment whose address and offset disagree within the page cannot be
 * loaded as the file says (Relay used to load it one byte off). */
KTEST("elf", address_and_offset_disagree)
{
    make_valid();
    file.ph[0].vaddr = BASE + 1;
    file.h.entry = BASE + 1 + CODE_OFFSET;
    expect_refused(FILE_SIZE, "segment address and file offset differ modulo the page size");
}

KTEST("elf", zero_fill_segment_may_start_anywhere)
{
    make_valid();
    file.h.phnum = 2;
    file.ph[1] = (struct elf_program_header){.type = PT_LOAD, .offset = 0, .vaddr = BASE + 0x2001,
                                             .filesz = 0, .memsz = 16, .flags = PF_R | PF_W};
    EXPECT_TRUE(check(FILE_SIZE) == NULL);
}

/* An executable's p_align does not matter to Linux (only a PIE's load
 * address is aligned by it), nor to Relay. */
KTEST("elf", any_alignment_accepted)
{
    make_valid();
    file.ph[0].align = 3;
    EXPECT_TRUE(check(FILE_SIZE) == NULL);
}

/* Linux maps an executable's segments in table order, wherever they are,
 * and so does Relay: a data segment listed before the text is fine. */
KTEST("elf", segments_in_any_order)
{
    make_valid();
    file.h.phnum = 2;
    file.ph[1] = file.ph[0];
    file.ph[0] = (struct elf_program_header){.type = PT_LOAD, .vaddr = BASE + 0x3000,
                                             .memsz = 64, .flags = PF_R | PF_W};
    EXPECT_TRUE(check(FILE_SIZE) == NULL);
}

/* Two stages, as Linux: the header is checked before execve's point of no
 * return (ENOEXEC), the segments after it (SIGSEGV); see kernel/proc/exec.c. */
KTEST("elf", header_and_segment_stages)
{
    const uint8_t *f = (const uint8_t *)&file;

    make_valid();
    file.ph[0].memsz = 8;
    EXPECT_TRUE(elf_check_header(f, FILE_SIZE) == NULL);
    EXPECT_STREQ(elf_check_segments(f, FILE_SIZE),
                 "segment with more file bytes than memory bytes");
    make_valid();
    file.h.machine = 62; /* EM_X86_64 */
    EXPECT_STREQ(elf_check_header(f, FILE_SIZE), "not an i386 executable");
    make_valid();
    file.h.phnum = 2;
    file.ph[1] = (struct elf_program_header){.type = PT_INTERP, .offset = CODE_OFFSET,
                                             .filesz = 8, .memsz = 8};
    EXPECT_STREQ(elf_check_header(f, FILE_SIZE),
                 "dynamically linked: Relay runs static i386 executables");
}
