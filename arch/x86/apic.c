/* Placeholder until the LAPIC/IOAPIC driver lands: reports the APIC as absent. */
#include "apic.h"
#include "irq.h"

bool apic_probe(const char **why_not)
{
    *why_not = "APIC driver not written yet";
    return false;
}

void lapic_timer_start(unsigned hz) { (void)hz; }
void apic_set_task_priority(uint8_t tpr) { (void)tpr; }
uint8_t apic_task_priority(void) { return 0; }
const struct irq_chip apic_chip = {.name = "apic"};
