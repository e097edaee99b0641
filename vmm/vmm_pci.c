// SPDX-License-Identifier: MIT
/* Placeholder until the PCI transport lands: the profile reports itself unsupported. */
#include <stdio.h>
#include "transport_pci.h"
#include "vmm.h"

int vmm_setup_pci(struct vmm *m, const struct irq_sink *sink, char *err, size_t errlen)
{
	(void)m;
	(void)sink;
	snprintf(err, errlen, "profile pci: not implemented");
	return -2;
}
void vmm_teardown_pci(struct vmm *m)
{
	(void)m;
}
uint64_t vmm_pci_bar_size(void)
{
	return 0;
}
uint64_t vmm_pci_doorbell_gpa(struct vmm *m, unsigned q)
{
	(void)m;
	(void)q;
	return 0;
}
const struct msi_vector *vmm_pci_msi(struct vmm *m, unsigned idx)
{
	(void)m;
	(void)idx;
	return NULL;
}
const char *vmm_pci_vector_queue(struct vmm *m, unsigned idx)
{
	(void)m;
	(void)idx;
	return "?";
}
void vmm_pci_layout_registers(struct vmm *m, json_t *regs)
{
	(void)m;
	(void)regs;
}
void vmm_pci_report(struct vmm *m, json_t *o)
{
	(void)m;
	(void)o;
}
