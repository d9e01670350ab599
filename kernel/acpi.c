/*
 * ACPI table discovery, just enough to find the interrupt controllers:
 * RSDP -> RSDT -> MADT. Everything is read through the direct map (P2V);
 * a table outside it, a bad checksum or a missing table gives a reason
 * string, never a fault. The RSDT (32-bit pointers) is used even on ACPI 2.0+
 * firmware, which must still provide it for 32-bit operating systems.
 */
#include "acpi.h"
#include "memlayout.h"
#include "string.h"

/* Where the BIOS may put the RSDP (ACPI spec 5.2.5.1). */
#define BDA_EBDA_SEGMENT        0x40E /* physical address of a 16-bit real-mode segment */
#define REAL_MODE_SEGMENT_SHIFT 4
#define EBDA_SEARCH_LEN         1024
#define BIOS_ROM_START          0xE0000
#define BIOS_ROM_END            0x100000
#define RSDP_ALIGN              16

#define RSDP_SIGNATURE    "RSD PTR "
#define RSDP_V1_LEN       20 /* the ACPI 1.0 part the first checksum covers */
#define RSDP_REVISION_2   2
#define RSDT_SIGNATURE    "RSDT"
#define MADT_SIGNATURE    "APIC"
#define SDT_SIGNATURE_LEN 4

/* The Root System Description Pointer (ACPI spec 5.2.5.3). */
struct acpi_rsdp {
    char signature[8];
    uint8_t checksum;
    char oem_id[6];
    uint8_t revision;
    uint32_t rsdt_address;
    /* From revision 2 on: */
    uint32_t length;
    uint64_t xsdt_address;
    uint8_t extended_checksum;
    uint8_t reserved[3];
} PACKED;
_Static_assert(sizeof(struct acpi_rsdp) == 36, "RSDP is 36 bytes");

/* MADT layout (ACPI spec 5.2.12): the header, two fixed fields, then
 * variable-length entries that each start with a type and a length byte. */
struct madt {
    struct acpi_sdt_header header;
    uint32_t lapic_address;
    uint32_t flags;
} PACKED;

enum madt_entry_type {
    MADT_LOCAL_APIC = 0,
    MADT_IO_APIC = 1,
    MADT_SOURCE_OVERRIDE = 2,
    MADT_LAPIC_ADDRESS_OVERRIDE = 5,
};

struct madt_entry {
    uint8_t type, length;
} PACKED;

struct madt_local_apic {
    struct madt_entry e;
    uint8_t processor_uid, apic_id;
    uint32_t flags;
} PACKED;
#define MADT_LAPIC_ENABLED BIT(0)

struct madt_io_apic {
    struct madt_entry e;
    uint8_t id, reserved;
    uint32_t address, gsi_base;
} PACKED;

struct madt_source_override {
    struct madt_entry e;
    uint8_t bus, source;
    uint32_t gsi;
    uint16_t flags; /* MPS INTI flags, below */
} PACKED;
#define MADT_BUS_ISA 0
/* MPS INTI flags (ACPI spec 5.2.12, Table "MPS INTI Flags"): 0 in a field
 * means "conforms to the bus", which for ISA is active high, edge triggered. */
#define MPS_INTI_POLARITY_MASK       0x3
#define MPS_INTI_POLARITY_ACTIVE_LOW 0x3
#define MPS_INTI_TRIGGER_SHIFT       2
#define MPS_INTI_TRIGGER_MASK        (0x3 << MPS_INTI_TRIGGER_SHIFT)
#define MPS_INTI_TRIGGER_LEVEL       (0x3 << MPS_INTI_TRIGGER_SHIFT)

struct madt_lapic_address_override {
    struct madt_entry e;
    uint16_t reserved;
    uint64_t address;
} PACKED;

bool acpi_checksum_ok(const void *p, size_t len)
{
    const uint8_t *b = p;
    uint8_t sum = 0;

    while (len--)
        sum += *b++;
    return sum == 0;
}

static bool rsdp_valid(const struct acpi_rsdp *r)
{
    if (!acpi_checksum_ok(r, RSDP_V1_LEN))
        return false;
    if (r->revision < RSDP_REVISION_2)
        return true;
    return r->length >= sizeof(*r) && acpi_checksum_ok(r, sizeof(*r));
}

/* Looks for a valid RSDP on 16-byte boundaries of physical [start, end). */
static const struct acpi_rsdp *rsdp_scan(uint32_t start, uint32_t end, bool *bad_checksum)
{
    for (uint32_t pa = ALIGN_UP(start, RSDP_ALIGN); pa + sizeof(struct acpi_rsdp) <= end;
         pa += RSDP_ALIGN) {
        const struct acpi_rsdp *r = P2V(pa);
        if (memcmp(r->signature, RSDP_SIGNATURE, sizeof(r->signature)))
            continue;
        if (rsdp_valid(r))
            return r;
        *bad_checksum = true;
    }
    return NULL;
}

static const struct acpi_rsdp *rsdp_find(const char **why_not)
{
    const uint16_t *ebda_segment = P2V(BDA_EBDA_SEGMENT);
    uint32_t ebda = (uint32_t)*ebda_segment << REAL_MODE_SEGMENT_SHIFT;
    const struct acpi_rsdp *r = NULL;
    bool bad_checksum = false;

    if (ebda)
        r = rsdp_scan(ebda, ebda + EBDA_SEARCH_LEN, &bad_checksum);
    if (!r)
        r = rsdp_scan(BIOS_ROM_START, BIOS_ROM_END, &bad_checksum);
    if (!r)
        *why_not = bad_checksum ? "ACPI RSDP has a bad checksum" : "no ACPI RSDP";
    return r;
}

/* The table at physical pa, if it is whole inside the direct map and its
 * signature and checksum are right. */
static const struct acpi_sdt_header *table_at(uint32_t pa, const char *signature,
                                              const char **why_not)
{
    const struct acpi_sdt_header *t = P2V(pa);

    if (!phys_is_direct_mapped(pa, sizeof(*t)) || !phys_is_direct_mapped(pa, t->length)) {
        *why_not = "ACPI table outside the direct map";
        return NULL;
    }
    if (memcmp(t->signature, signature, SDT_SIGNATURE_LEN) || t->length < sizeof(*t)) {
        *why_not = "ACPI table has the wrong signature or length";
        return NULL;
    }
    if (!acpi_checksum_ok(t, t->length)) {
        *why_not = "ACPI table has a bad checksum";
        return NULL;
    }
    return t;
}

/* The RSDT entry whose table has this signature, unchecked beyond that. */
static uint32_t rsdt_lookup(const struct acpi_sdt_header *rsdt, const char *signature)
{
    const uint8_t *entries = (const uint8_t *)(rsdt + 1);
    unsigned n = (rsdt->length - sizeof(*rsdt)) / sizeof(uint32_t);

    for (unsigned i = 0; i < n; i++) {
        uint32_t pa;
        memcpy(&pa, entries + i * sizeof(pa), sizeof(pa)); /* entries are unaligned */
        if (phys_is_direct_mapped(pa, sizeof(struct acpi_sdt_header)) &&
            !memcmp(((const struct acpi_sdt_header *)P2V(pa))->signature, signature,
                    SDT_SIGNATURE_LEN))
            return pa;
    }
    return 0;
}

static const struct acpi_sdt_header *madt_find(const char **why_not)
{
    const struct acpi_rsdp *rsdp = rsdp_find(why_not);
    const struct acpi_sdt_header *rsdt;
    uint32_t madt_pa;

    if (!rsdp)
        return NULL;
    rsdt = table_at(rsdp->rsdt_address, RSDT_SIGNATURE, why_not);
    if (!rsdt)
        return NULL;
    madt_pa = rsdt_lookup(rsdt, MADT_SIGNATURE);
    if (!madt_pa) {
        *why_not = "no ACPI MADT";
        return NULL;
    }
    return table_at(madt_pa, MADT_SIGNATURE, why_not);
}

static void add_ioapic(struct acpi_madt_info *out, const struct madt_io_apic *e)
{
    if (out->ioapic_count == ACPI_MAX_IOAPICS)
        return; /* more than a small machine has; the ISA one comes first */
    out->ioapics[out->ioapic_count++] =
        (struct acpi_ioapic){.id = e->id, .address = e->address, .gsi_base = e->gsi_base};
}

static void add_override(struct acpi_madt_info *out, const struct madt_source_override *e)
{
    if (e->bus != MADT_BUS_ISA || out->override_count == ACPI_MAX_OVERRIDES)
        return;
    out->overrides[out->override_count++] = (struct acpi_override){
        .isa_irq = e->source,
        .gsi = e->gsi,
        .active_low = (e->flags & MPS_INTI_POLARITY_MASK) == MPS_INTI_POLARITY_ACTIVE_LOW,
        .level_triggered = (e->flags & MPS_INTI_TRIGGER_MASK) == MPS_INTI_TRIGGER_LEVEL,
    };
}

/* The smallest length an entry of this type may have; 0 for types we skip. */
static size_t entry_min_length(uint8_t type)
{
    switch (type) {
    case MADT_LOCAL_APIC:
        return sizeof(struct madt_local_apic);
    case MADT_IO_APIC:
        return sizeof(struct madt_io_apic);
    case MADT_SOURCE_OVERRIDE:
        return sizeof(struct madt_source_override);
    case MADT_LAPIC_ADDRESS_OVERRIDE:
        return sizeof(struct madt_lapic_address_override);
    default:
        return sizeof(struct madt_entry);
    }
}

/* Records one entry; false when it cannot be used. */
static bool parse_entry(const struct madt_entry *e, struct acpi_madt_info *out)
{
    const struct madt_lapic_address_override *lao = (const void *)e;

    switch (e->type) {
    case MADT_LOCAL_APIC:
        if (((const struct madt_local_apic *)e)->flags & MADT_LAPIC_ENABLED)
            out->lapic_count++;
        return true;
    case MADT_IO_APIC:
        add_ioapic(out, (const void *)e);
        return true;
    case MADT_SOURCE_OVERRIDE:
        add_override(out, (const void *)e);
        return true;
    case MADT_LAPIC_ADDRESS_OVERRIDE:
        if (lao->address >> 32)
            return false; /* unreachable without PAE */
        out->lapic_address = (uint32_t)lao->address;
        return true;
    default:
        return true;
    }
}

bool acpi_parse_madt(const struct acpi_sdt_header *t, struct acpi_madt_info *out,
                     const char **why_not)
{
    const struct madt *m = (const void *)t;
    const uint8_t *base = (const uint8_t *)t;

    memset(out, 0, sizeof(*out));
    if (memcmp(t->signature, MADT_SIGNATURE, SDT_SIGNATURE_LEN) || t->length < sizeof(*m)) {
        *why_not = "ACPI MADT has the wrong signature or length";
        return false;
    }
    if (!acpi_checksum_ok(t, t->length)) {
        *why_not = "ACPI MADT has a bad checksum";
        return false;
    }
    out->lapic_address = m->lapic_address;
    for (uint32_t off = sizeof(*m); off + sizeof(struct madt_entry) <= t->length;) {
        const struct madt_entry *e = (const void *)(base + off);
        if (e->length < entry_min_length(e->type) || off + e->length > t->length) {
            *why_not = "ACPI MADT entry has a bad length";
            return false;
        }
        if (!parse_entry(e, out)) {
            *why_not = "ACPI MADT puts the local APIC above 4 GiB";
            return false;
        }
        off += e->length;
    }
    return true;
}

const struct acpi_madt_info *acpi_madt(const char **why_not)
{
    static struct acpi_madt_info info;
    static const char *why;
    static bool looked, found;

    if (!looked) {
        const struct acpi_sdt_header *t = madt_find(&why);
        found = t && acpi_parse_madt(t, &info, &why);
        looked = true;
    }
    if (!found)
        *why_not = why;
    return found ? &info : NULL;
}

const struct acpi_override *acpi_isa_override(const struct acpi_madt_info *info, unsigned isa_irq)
{
    for (unsigned i = 0; i < info->override_count; i++)
        if (info->overrides[i].isa_irq == isa_irq)
            return &info->overrides[i];
    return NULL;
}
