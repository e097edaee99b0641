/* SPDX-License-Identifier: MIT */
/*
 * virtio-pci (modern, device 0x1041) behind a configuration-mechanism-#1
 * host bridge, with MSI-X. The VMM-facing entry points live here; the
 * register files are in transport_pci.c and pci_config.c.
 */
#ifndef IRQPATH_VMM_TRANSPORT_PCI_H
#define IRQPATH_VMM_TRANSPORT_PCI_H

#include <jansson.h>
#include "irq_sink.h"

struct vmm;

int vmm_setup_pci(struct vmm *m, const struct irq_sink *sink, char *err, size_t errlen);
void vmm_teardown_pci(struct vmm *m);
uint64_t vmm_pci_bar_size(void);
uint64_t vmm_pci_doorbell_gpa(struct vmm *m, unsigned q);
const struct msi_vector *vmm_pci_msi(struct vmm *m, unsigned idx);
const char *vmm_pci_vector_queue(struct vmm *m, unsigned idx);
void vmm_pci_layout_registers(struct vmm *m, json_t *regs);
/* Adds the "pci" counters object to the results JSON (vmm section). */
void vmm_pci_report(struct vmm *m, json_t *vmm_obj);

#endif
