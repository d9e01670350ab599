/*
 * The ELF loader. elf_check() decides, before anything is mapped, whether
 * a file is a static i386 executable Relay can run, and says why not;
 * elf_load() then maps its PT_LOAD segments.
 *
 * The checks come in Linux's two stages (fs/binfmt_elf.c load_elf_binary):
 * the header is read before the point of no return, so a bad one makes
 * execve fail (ENOEXEC) and the caller goes on; the segments are found bad
 * only while they are mapped, after the old image is gone, so Linux kills
 * the process with SIGSEGV. Relay checks both before it touches anything,
 * and exec.c gives each failure Linux's outcome.
 */
#include "elf.h"
#include "errno.h"
#include "string.h"

#define MAX_PROGRAM_HEADERS 64
#define MAX_SEGMENT_SIZE (256u << 20) /* more than twice the machine's RAM is absurd */

static const struct elf_program_header *program_headers(const uint8_t *file)
{
    return (const void *)(file + ((const struct elf_header *)file)->phoff);
}

static const char *check_header(const struct elf_header *h, size_t size)
{
    if (size < sizeof(*h))
        return "truncated: shorter than an ELF header";
    if (h->magic != ELF_MAGIC)
        return "not an ELF file";
    if (h->class != ELFCLASS32)
        return "not a 32-bit ELF file";
    if (h->data != ELFDATA2LSB || h->machine != EM_386)
        return "not an i386 executable";
    if (h->type == ET_DYN)
        return "position-independent executables are not supported: link with -no-pie -static";
    if (h->type != ET_EXEC || h->version != EV_CURRENT)
        return "not an executable ELF file";
    if (h->phentsize != sizeof(struct elf_program_header) || h->phnum == 0 ||
        h->phnum > MAX_PROGRAM_HEADERS)
        return "bad program header table";
    if (h->phoff > size || size - h->phoff < (size_t)h->phnum * h->phentsize)
        return "truncated: program headers past the end of the file";
    return NULL;
}

static const char *check_segment(const struct elf_program_header *ph, size_t size)
{
    if (ph->filesz > ph->memsz)
        return "segment with more file bytes than memory bytes";
    /* Linux maps a segment's file bytes with mmap, whose file offset must
     * be page aligned: vaddr and offset must agree within the page (Linux
     * elf_map; vm_mmap refuses the rest with EINVAL). A segment with no
     * file bytes is not mapped from the file. */
    if (ph->filesz && (ph->vaddr - ph->offset) % PAGE_SIZE)
        return "segment address and file offset differ modulo the page size";
    if (ph->memsz > MAX_SEGMENT_SIZE)
        return "segment of absurd size";
    if (ph->offset > size || size - ph->offset < ph->filesz)
        return "truncated: segment data past the end of the file";
    if (ph->vaddr < USER_LOWEST_ADDRESS || ph->vaddr + ph->memsz < ph->vaddr ||
        ph->vaddr + ph->memsz > USER_STACK_BOTTOM)
        return "segment outside user space (it would reach the stack or the kernel)";
    return NULL;
}

static bool segments_overlap(const struct elf_program_header *a,
                             const struct elf_program_header *b)
{
    uintptr_t a_start = ALIGN_DOWN(a->vaddr, PAGE_SIZE), a_end = a->vaddr + a->memsz;
    uintptr_t b_start = ALIGN_DOWN(b->vaddr, PAGE_SIZE), b_end = b->vaddr + b->memsz;
    return a_start < b_end && b_start < a_end;
}

/* Checks every segment, pairwise overlaps, and that the entry is in one. */
static const char *check_segments(const struct elf_header *h, const uint8_t *file, size_t size)
{
    const struct elf_program_header *ph = program_headers(file);
    bool entry_found = false, any_load = false;
    const char *why;

    for (int i = 0; i < h->phnum; i++) {
        if (ph[i].type != PT_LOAD || ph[i].memsz == 0)
            continue;
        if ((why = check_segment(&ph[i], size)))
            return why;
        for (int j = 0; j < i; j++)
            if (ph[j].type == PT_LOAD && ph[j].memsz && segments_overlap(&ph[i], &ph[j]))
                return "segments overlap";
        any_load = true;
        if (h->entry >= ph[i].vaddr && h->entry < ph[i].vaddr + ph[i].memsz &&
            (ph[i].flags & PF_X))
            entry_found = true;
    }
    if (!any_load)
        return "no loadable segment";
    return entry_found ? NULL : "entry point outside the executable segments";
}

/* PT_INTERP is a header-stage refusal: Linux reads it before the point of
 * no return too (and would load the interpreter). */
static const char *check_interpreter(const struct elf_header *h, const uint8_t *file)
{
    const struct elf_program_header *ph = program_headers(file);

    for (int i = 0; i < h->phnum; i++)
        if (ph[i].type == PT_INTERP)
            return "dynamically linked: Relay runs static i386 executables";
    return NULL;
}

const char *elf_check_header(const uint8_t *file, size_t size)
{
    const struct elf_header *h = (const struct elf_header *)file;
    const char *why = check_header(h, size);
    return why ? why : check_interpreter(h, file);
}

const char *elf_check_segments(const uint8_t *file, size_t size)
{
    return check_segments((const struct elf_header *)file, file, size);
}

const char *elf_check(const uint8_t *file, size_t size)
{
    const char *why = elf_check_header(file, size);
    return why ? why : elf_check_segments(file, size);
}

int elf_load(pde_t *pd, const uint8_t *file, size_t size, struct elf_image *out)
{
    const struct elf_header *h = (const void *)file;
    const struct elf_program_header *ph = program_headers(file);

    (void)size; /* elf_check has bounded every offset */
    out->entry = h->entry;
    out->end = 0;
    for (int i = 0; i < h->phnum; i++) {
        uint32_t flags = ph[i].flags & PF_W ? PTE_USER_DATA : PTE_USER_TEXT;
        uintptr_t end = ph[i].vaddr + ph[i].memsz;

        if (ph[i].type != PT_LOAD || ph[i].memsz == 0)
            continue;
        /* Map writable while filling; read-only text is only read-only to
         * user code: the kernel copies through the direct map. */
        if (vm_map_range(pd, ph[i].vaddr, end, flags) < 0)
            return -ENOMEM;
        if (vm_fill(pd, ph[i].vaddr, file + ph[i].offset, ph[i].filesz) < 0)
            return -ENOMEM;
        if (ALIGN_UP(end, PAGE_SIZE) > out->end)
            out->end = ALIGN_UP(end, PAGE_SIZE);
    }
    return 0;
}
