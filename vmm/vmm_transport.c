// SPDX-License-Identifier: MIT
/* The registry of transports (filled at start-up by VMM_TRANSPORT()). */
#include <stdio.h>
#include <string.h>
#include "vmm_transport.h"

#define MAX_TRANSPORTS 32

static const struct vmm_transport *registry[MAX_TRANSPORTS];
static unsigned n_registered;

void vmm_transport_register(const struct vmm_transport *t)
{
	if (n_registered == MAX_TRANSPORTS) {
		fprintf(stderr, "irqpath-vmm: more than %d transports registered\n",
			MAX_TRANSPORTS);
		return;
	}
	/* insertion by name: --help and error messages list them in a stable order */
	unsigned i = n_registered++;
	for (; i > 0 && strcmp(registry[i - 1]->name, t->name) > 0; i--)
		registry[i] = registry[i - 1];
	registry[i] = t;
}

const struct vmm_transport *vmm_transport_find(const char *name)
{
	for (unsigned i = 0; i < n_registered; i++)
		if (!strcmp(registry[i]->name, name))
			return registry[i];
	return NULL;
}

const char *vmm_transport_names(const char *sep, char *buf, size_t len)
{
	size_t used = 0;
	buf[0] = 0;
	for (unsigned i = 0; i < n_registered && used < len; i++) {
		int n = snprintf(buf + used, len - used, "%s%s", i ? sep : "", registry[i]->name);
		if (n < 0)
			break;
		used += (size_t)n;
	}
	return buf;
}

unsigned msi_dest_apic_id(uint64_t addr)
{
	return (unsigned)((addr >> 12) & 0xff);
}

json_t *vmm_msi_vectors_json(const struct msi_vector *msi, unsigned n)
{
	json_t *o = json_object();
	for (unsigned i = 0; i < n; i++) {
		char k[16];
		snprintf(k, sizeof(k), "%u", i);
		json_object_set_new(o, k,
				    json_pack("{s:I,s:i,s:b,s:I}", "fired",
					      (json_int_t)msi[i].fired, "vector",
					      msi[i].data & 0xff, "masked", msi[i].masked,
					      "pending", (json_int_t)msi[i].pending));
	}
	return o;
}
