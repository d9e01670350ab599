/*
 * The ELF loader. elf_open() and elf_check_loadable() decide, before
 * anything is mapped, whether a file is a static i386 executable Relay can
 * run, and say why not; elf_load() then maps its PT_LOAD segments. The file
 * is read through its struct elf_source, so it may sit anywhere: in the
 * RAM file system's scattered pages, or in one piece in memory.
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
#include "pmm.h"
#include "string.h"

#define MAX_SEGMENT_SIZE (256u << 20) /* more than twice the machine's RAM is absurd */

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
        h->phnum > ELF_MAX_PROGRAM_HEADERS)
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

static bool is_loaded(const struct elf_program_header *ph)
{
    return ph->type == PT_LOAD && ph->memsz != 0;
}

/* Checks every segment, pairwise overlaps, and that the entry is in one. */
const char *elf_check_loadable(const struct elf_file *ef)
{
    const struct elf_program_header *ph = ef->ph;
    const struct elf_header *h = &ef->header;
    bool entry_found = false, any_load = false;
    const char *why;

    for (int i = 0; i < h->phnum; i++) {
        if (!is_loaded(&ph[i]))
            continue;
        if ((why = check_segment(&ph[i], ef->source.size)))
            return why;
        for (int j = 0; j < i; j++)
            if (is_loaded(&ph[j]) && segments_overlap(&ph[i], &ph[j]))
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
static const char *check_interpreter(const struct elf_file *ef)
{
    for (int i = 0; i < ef->header.phnum; i++)
        if (ef->ph[i].type == PT_INTERP)
            return "dynamically linked: Relay runs static i386 executables";
    return NULL;
}

const char *elf_open(struct elf_file *ef, const struct elf_source *source)
{
    struct elf_header *h = &ef->header;
    const char *why;

    ef->source = *source;
    memset(h, 0, sizeof(*h));
    if (source->size >= sizeof(*h) && source->read(source->src, 0, h, sizeof(*h)))
        return "cannot read the ELF header";
    if ((why = check_header(h, source->size)))
        return why;
    if (source->read(source->src, h->phoff, ef->ph, (size_t)h->phnum * sizeof(ef->ph[0])))
        return "cannot read the program headers";
    return check_interpreter(ef);
}

/* Copies a segment's file bytes into pd a page at a time, through a bounce
 * frame: the source's bytes need not be contiguous, nor mapped. */
static int fill_segment(pde_t *pd, const struct elf_file *ef, const struct elf_program_header *ph,
                        uint8_t *bounce)
{
    for (uint32_t done = 0; done < ph->filesz;) {
        size_t n = ph->filesz - done < PAGE_SIZE ? ph->filesz - done : PAGE_SIZE;
        int err = ef->source.read(ef->source.src, ph->offset + done, bounce, n);

        if (err)
            return err;
        if (vm_fill(pd, ph->vaddr + done, bounce, n) < 0)
            return -ENOMEM;
        done += n;
    }
    return 0;
}

static int load_segment(pde_t *pd, const struct elf_file *ef, const struct elf_program_header *ph,
                        uint8_t *bounce)
{
    uint32_t flags = ph->flags & PF_W ? PTE_USER_DATA : PTE_USER_TEXT;

    /* Mapped writable or not, the kernel fills it through the direct map. */
    if (vm_map_range(pd, ph->vaddr, ph->vaddr + ph->memsz, flags) < 0)
        return -ENOMEM;
    return fill_segment(pd, ef, ph, bounce);
}

int elf_load(pde_t *pd, const struct elf_file *ef, struct elf_image *out)
{
    uint8_t *bounce = frame_alloc();
    int err = bounce ? 0 : -ENOMEM;

    out->entry = ef->header.entry;
    out->end = 0;
    for (int i = 0; i < ef->header.phnum && !err; i++) {
        const struct elf_program_header *ph = &ef->ph[i];
        if (!is_loaded(ph))
            continue;
        err = load_segment(pd, ef, ph, bounce);
        if (ALIGN_UP(ph->vaddr + ph->memsz, PAGE_SIZE) > out->end)
            out->end = ALIGN_UP(ph->vaddr + ph->memsz, PAGE_SIZE);
    }
    if (bounce)
        frame_free(bounce);
    return err;
}

uintptr_t elf_phdr_address(const struct elf_file *ef)
{
    for (int i = 0; i < ef->header.phnum; i++)
        if (ef->ph[i].type == PT_LOAD && ef->ph[i].offset == 0)
            return ef->ph[i].vaddr + ef->header.phoff;
    return 0;
}

/* ---------------------------------------------------------------- files in memory */

static int read_memory(const void *src, uint32_t off, void *dst, size_t n)
{
    memcpy(dst, (const uint8_t *)src + off, n);
    return 0;
}

/* One file at a time: the elf suite's, in process context. */
static struct elf_file memory_file;

const char *elf_check_header(const uint8_t *file, size_t size)
{
    const struct elf_source source = {size, read_memory, file};

    return elf_open(&memory_file, &source);
}

const char *elf_check_segments(const uint8_t *file, size_t size)
{
    const char *why = elf_check_header(file, size);

    return why ? why : elf_check_loadable(&memory_file);
}

const char *elf_check(const uint8_t *file, size_t size) { return elf_check_segments(file, size); }
