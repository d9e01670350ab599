/*
 * Multiboot 1 and 2 information parsing.
 *
 * Multiboot 1 spec, 3.3 "Boot information format"; Multiboot 2 spec,
 * 3.6 "Boot information format". Both pass a physical pointer; the
 * direct map makes it readable through P2V.
 */
#include "bootinfo.h"
#include "memlayout.h"
#include "string.h"

#define MB1_BOOTLOADER_MAGIC 0x2BADB002
#define MB2_BOOTLOADER_MAGIC 0x36D76289

#define MB1_INFO_CMDLINE BIT(2)
#define MB1_INFO_MODS BIT(3)
#define MB1_INFO_MMAP BIT(6)
#define MB1_INFO_LOADER_NAME BIT(9)

struct mb1_info {
    uint32_t flags, mem_lower, mem_upper, boot_device, cmdline;
    uint32_t mods_count, mods_addr;
    uint32_t syms[4];
    uint32_t mmap_length, mmap_addr;
    uint32_t drives_length, drives_addr, config_table, boot_loader_name;
} PACKED;

struct mb1_module {
    uint32_t mod_start, mod_end, string, reserved;
} PACKED;

struct mb1_mmap_entry {
    uint32_t size; /* of the rest of the entry, not counting this field */
    uint64_t base, length;
    uint32_t type;
} PACKED;

#define MB2_TAG_END 0
#define MB2_TAG_CMDLINE 1
#define MB2_TAG_LOADER_NAME 2
#define MB2_TAG_MODULE 3
#define MB2_TAG_MMAP 6
#define MB2_TAG_ALIGN 8

struct mb2_tag {
    uint32_t type, size;
};

struct mb2_module {
    struct mb2_tag tag;
    uint32_t mod_start, mod_end;
    char cmdline[];
};

struct mb2_mmap {
    struct mb2_tag tag;
    uint32_t entry_size, entry_version;
};

struct mb2_mmap_entry {
    uint64_t base, length;
    uint32_t type, reserved;
};

struct boot_info boot_info;

/* Copies what fits; returns the whole string's length (>= size: it was cut). */
static size_t copy_phys_string(char *dst, size_t size, uint32_t phys)
{
    if (phys && phys_is_direct_mapped(phys, 1))
        return strlcpy(dst, P2V(phys), size);
    return 0;
}

static void add_memory(uint64_t base, uint64_t length, uint32_t type)
{
    if (boot_info.memory_count == BOOT_MAX_MEMORY_RANGES)
        return;
    boot_info.memory[boot_info.memory_count++] = (struct memory_range){base, length, type};
}

static void add_module(uint32_t start, uint32_t end, const char *cmdline, size_t cmdline_len)
{
    struct boot_module *m;

    if (boot_info.module_count == BOOT_MAX_MODULES) {
        boot_info.modules_dropped++;
        return;
    }
    m = &boot_info.modules[boot_info.module_count++];
    m->start = start;
    m->end = end;
    strlcpy(m->cmdline, cmdline, sizeof(m->cmdline));
    m->cmdline_cut = cmdline_len >= sizeof(m->cmdline);
}

/* Multiboot 1 command lines start with the kernel's own path: drop it. */
static void copy_mb1_cmdline(uint32_t phys)
{
    char raw[BOOT_CMDLINE_MAX] = "";
    const char *args;

    copy_phys_string(raw, sizeof(raw), phys);
    args = strchr(raw, ' ');
    strlcpy(boot_info.cmdline, args ? args + 1 : "", sizeof(boot_info.cmdline));
}

static void parse_mb1(const struct mb1_info *mb)
{
    boot_info.protocol = "multiboot1";
    if (mb->flags & MB1_INFO_CMDLINE)
        copy_mb1_cmdline(mb->cmdline);
    if (mb->flags & MB1_INFO_LOADER_NAME)
        copy_phys_string(boot_info.bootloader, sizeof(boot_info.bootloader), mb->boot_loader_name);
    if (mb->flags & MB1_INFO_MODS) {
        const struct mb1_module *mods = P2V(mb->mods_addr);
        for (uint32_t i = 0; i < mb->mods_count; i++) {
            char name[BOOT_CMDLINE_MAX] = "";
            size_t len = copy_phys_string(name, sizeof(name), mods[i].string);
            add_module(mods[i].mod_start, mods[i].mod_end, name, len);
        }
    }
    if (mb->flags & MB1_INFO_MMAP) {
        uint32_t off = 0;
        while (off < mb->mmap_length) {
            const struct mb1_mmap_entry *e = P2V(mb->mmap_addr + off);
            add_memory(e->base, e->length, e->type);
            off += e->size + sizeof(e->size);
        }
    }
}

static void parse_mb2_mmap(const struct mb2_mmap *t)
{
    const uint8_t *p = (const uint8_t *)(t + 1);
    const uint8_t *end = (const uint8_t *)t + t->tag.size;

    for (; p + sizeof(struct mb2_mmap_entry) <= end; p += t->entry_size) {
        const struct mb2_mmap_entry *e = (const void *)p;
        add_memory(e->base, e->length, e->type);
    }
}

static void parse_mb2_tag(const struct mb2_tag *tag)
{
    const struct mb2_module *mod;

    switch (tag->type) {
    case MB2_TAG_CMDLINE:
        strlcpy(boot_info.cmdline, (const char *)(tag + 1), sizeof(boot_info.cmdline));
        break;
    case MB2_TAG_LOADER_NAME:
        strlcpy(boot_info.bootloader, (const char *)(tag + 1), sizeof(boot_info.bootloader));
        break;
    case MB2_TAG_MODULE:
        mod = (const void *)tag;
        add_module(mod->mod_start, mod->mod_end, mod->cmdline, strlen(mod->cmdline));
        break;
    case MB2_TAG_MMAP:
        parse_mb2_mmap((const void *)tag);
        break;
    }
}

static void parse_mb2(const uint8_t *info)
{
    uint32_t total = *(const uint32_t *)info;
    const uint8_t *p = info + MB2_TAG_ALIGN; /* skip total_size and reserved */

    boot_info.protocol = "multiboot2";
    while (p < info + total) {
        const struct mb2_tag *tag = (const void *)p;
        if (tag->type == MB2_TAG_END || tag->size < sizeof(*tag))
            break;
        parse_mb2_tag(tag);
        p += ALIGN_UP(tag->size, MB2_TAG_ALIGN);
    }
}

bool bootinfo_parse(uint32_t magic, uint32_t info_phys)
{
    if (!phys_is_direct_mapped(info_phys, PAGE_SIZE))
        return false;
    strlcpy(boot_info.bootloader, "unknown", sizeof(boot_info.bootloader));
    if (magic == MB1_BOOTLOADER_MAGIC)
        parse_mb1(P2V(info_phys));
    else if (magic == MB2_BOOTLOADER_MAGIC)
        parse_mb2(P2V(info_phys));
    else
        return false;
    return true;
}
