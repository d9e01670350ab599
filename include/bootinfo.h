/*
 * What the bootloader told us, whichever protocol it used (kernel/bootinfo.c).
 * Multiboot 1 (QEMU -kernel) and multiboot 2 (GRUB) are parsed into this one
 * structure; nothing after boot looks at the raw multiboot data again.
 */
#pragma once

#include "types.h"

#define BOOT_CMDLINE_MAX 256
#define BOOT_NAME_MAX 64
#define BOOT_MAX_MODULES 16
#define BOOT_MAX_MEMORY_RANGES 32

enum memory_type {
    MEMORY_AVAILABLE = 1, /* both multiboot versions use the BIOS e820 numbering */
    MEMORY_RESERVED = 2,
    MEMORY_ACPI_RECLAIMABLE = 3,
    MEMORY_NVS = 4,
    MEMORY_BAD = 5,
};

struct memory_range {
    uint64_t base, length;
    uint32_t type;
};

struct boot_module {
    uint32_t start, end; /* physical, end exclusive */
    char cmdline[BOOT_CMDLINE_MAX];
    bool cmdline_cut; /* the loader's was longer: its end is lost */
};

struct boot_info {
    const char *protocol; /* "multiboot1" or "multiboot2" */
    char bootloader[BOOT_NAME_MAX];
    char cmdline[BOOT_CMDLINE_MAX];
    struct memory_range memory[BOOT_MAX_MEMORY_RANGES];
    int memory_count;
    struct boot_module modules[BOOT_MAX_MODULES];
    int module_count;
    int modules_dropped; /* more modules than BOOT_MAX_MODULES */
};

extern struct boot_info boot_info;

/* Fills boot_info from the bootloader's magic and physical info pointer.
 * Returns false if the magic matches neither protocol. */
bool bootinfo_parse(uint32_t magic, uint32_t info_phys);
