/*
 * ACPI tables, read-only (kernel/acpi.c): finds the RSDP in BIOS memory, the
 * RSDT it points to, and the MADT ("APIC" table) that says where the local
 * APIC and the IO APICs are and how the ISA IRQs map onto global system
 * interrupts (GSIs). References: ACPI spec 5.2.5 (RSDP), 5.2.6 (table
 * header), 5.2.7 (RSDT), 5.2.12 (MADT).
 */
#pragma once

#include "types.h"

#define ACPI_MAX_IOAPICS   4
#define ACPI_MAX_OVERRIDES 16

/* The common header of every system description table (ACPI spec 5.2.6). */
struct acpi_sdt_header {
    char signature[4];
    uint32_t length; /* of the whole table, header included */
    uint8_t revision;
    uint8_t checksum; /* all length bytes sum to 0 mod 256 */
    char oem_id[6];
    char oem_table_id[8];
    uint32_t oem_revision;
    uint32_t creator_id;
    uint32_t creator_revision;
} PACKED;
_Static_assert(sizeof(struct acpi_sdt_header) == 36, "ACPI table header is 36 bytes");

struct acpi_ioapic {
    uint8_t id;
    uint32_t address;  /* physical */
    uint32_t gsi_base; /* the GSI of its redirection entry 0 */
};

/* An ISA IRQ that does not arrive on the GSI of the same number, or not with
 * the ISA defaults (edge triggered, active high). */
struct acpi_override {
    uint8_t isa_irq;
    uint32_t gsi;
    bool active_low;
    bool level_triggered;
};

/* What the MADT says, parsed. */
struct acpi_madt_info {
    uint32_t lapic_address; /* physical, after any 64-bit address override */
    unsigned lapic_count;   /* enabled processors */
    unsigned ioapic_count;
    struct acpi_ioapic ioapics[ACPI_MAX_IOAPICS];
    unsigned override_count;
    struct acpi_override overrides[ACPI_MAX_OVERRIDES];
};

/* The parsed MADT of this machine, found and parsed on the first call.
 * NULL with *why_not set (a constant string) when there is no usable one. */
const struct acpi_madt_info *acpi_madt(const char **why_not);

/* Parses a MADT already in memory into *out: checks its signature,
 * length and checksum and every entry's bounds. Returns false with *why_not
 * set on a malformed table. Exposed for tests that feed it broken tables. */
bool acpi_parse_madt(const struct acpi_sdt_header *madt, struct acpi_madt_info *out,
                     const char **why_not);

/* The override for isa_irq, or NULL when it keeps the ISA defaults. */
const struct acpi_override *acpi_isa_override(const struct acpi_madt_info *info, unsigned isa_irq);

/* True when len bytes at p sum to 0 mod 256, the ACPI checksum rule. */
bool acpi_checksum_ok(const void *p, size_t len);
