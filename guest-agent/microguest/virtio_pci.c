// SPDX-License-Identifier: MIT
/* virtio-pci driver: not yet implemented. */
#include "transport.h"

static int pci_probe(const char **why)
{
	*why = "virtio-pci driver not implemented";
	return -1;
}

const struct transport pci_transport = {
    .name = "virtio-pci",
    .probe = pci_probe,
};

int hostile_pci_specific(unsigned scenario);
int hostile_pci_specific(unsigned scenario)
{
	(void)scenario;
	return -1;
}
