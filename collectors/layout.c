/* SPDX-License-Identifier: MIT */
#include "layout.h"

#include <ctype.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "irqpath/guest_abi.h"
#include "irqpath/virtio_mmio_v3.h"

struct reg_name {
	uint32_t offset;
	const char *name;
};

/* virtio-mmio registers, version 1 (legacy) and 2 names together; the
 * offsets that differ between versions do not collide. */
static const struct reg_name mmio_regs[] = {
    {VIRTIO_MMIO_MAGIC_VALUE, "MagicValue"},
    {VIRTIO_MMIO_VERSION, "Version"},
    {VIRTIO_MMIO_DEVICE_ID, "DeviceID"},
    {VIRTIO_MMIO_VENDOR_ID, "VendorID"},
    {VIRTIO_MMIO_DEVICE_FEATURES, "DeviceFeatures"},
    {VIRTIO_MMIO_DEVICE_FEATURES_SEL, "DeviceFeaturesSel"},
    {VIRTIO_MMIO_DRIVER_FEATURES, "DriverFeatures"},
    {VIRTIO_MMIO_DRIVER_FEATURES_SEL, "DriverFeaturesSel"},
    {0x028, "GuestPageSize"},
    {VIRTIO_MMIO_QUEUE_SEL, "QueueSel"},
    {VIRTIO_MMIO_QUEUE_NUM_MAX, "QueueNumMax"},
    {VIRTIO_MMIO_QUEUE_NUM, "QueueNum"},
    {0x03c, "QueueAlign"},
    {0x040, "QueuePFN"},
    {VIRTIO_MMIO_QUEUE_READY, "QueueReady"},
    {VIRTIO_MMIO_QUEUE_NOTIFY, "QueueNotify"},
    {VIRTIO_MMIO_INTERRUPT_STATUS, "InterruptStatus"},
    {VIRTIO_MMIO_INTERRUPT_ACK, "InterruptACK"},
    {VIRTIO_MMIO_STATUS, "Status"},
    {VIRTIO_MMIO_QUEUE_DESC_LOW, "QueueDescLow"},
    {VIRTIO_MMIO_QUEUE_DESC_HIGH, "QueueDescHigh"},
    {VIRTIO_MMIO_QUEUE_AVAIL_LOW, "QueueAvailLow"},
    {VIRTIO_MMIO_QUEUE_AVAIL_HIGH, "QueueAvailHigh"},
    {VIRTIO_MMIO_QUEUE_USED_LOW, "QueueUsedLow"},
    {VIRTIO_MMIO_QUEUE_USED_HIGH, "QueueUsedHigh"},
    {VIRTIO_MMIO_CONFIG_GENERATION, "ConfigGeneration"},
};

static const struct reg_name v3_regs[] = {
    {VIRTIO_MMIO_MSI_STATUS, "MsiStatus"},
    {VIRTIO_MMIO_MSI_COMMAND, "MsiCommand"},
    {VIRTIO_MMIO_MSI_ADDRESS_LOW, "MsiAddressLow"},
    {VIRTIO_MMIO_MSI_ADDRESS_HIGH, "MsiAddressHigh"},
    {VIRTIO_MMIO_MSI_DATA, "MsiData"},
};

/* virtio-pci modern, default BAR0 arrangement when no layout file is given
 * (irqpath-vmm's): common config at 0x0000, ISR at 0x1000, device config at
 * 0x2000, notify area at 0x3000 with a multiplier of 4, MSI-X table at
 * 0x4000 and PBA at 0x5000. Names as irqpath-vmm's layout file gives them. */
#define PCI_NOTIFY_OFF 0x3000u
static const struct reg_name pci_regs[] = {
    {0x00, "device_feature_select"}, {0x04, "device_feature"},
    {0x08, "driver_feature_select"}, {0x0c, "driver_feature"},
    {0x10, "config_msix_vector"},    {0x12, "num_queues"},
    {0x14, "device_status"},	     {0x15, "config_generation"},
    {0x16, "queue_select"},	     {0x18, "queue_size"},
    {0x1a, "queue_msix_vector"},     {0x1c, "queue_enable"},
    {0x1e, "queue_notify_off"},	     {0x20, "queue_desc_lo"},
    {0x24, "queue_desc_hi"},	     {0x28, "queue_driver_lo"},
    {0x2c, "queue_driver_hi"},	     {0x30, "queue_device_lo"},
    {0x34, "queue_device_hi"},	     {0x1000, "isr"},
    {0x2000, "device_config"},	     {PCI_NOTIFY_OFF, "notify"},
    {0x4000, "msix_table"},	     {0x5000, "msix_pba"},
};

void layout_init(struct layout *l)
{
	memset(l, 0, sizeof *l);
	l->ioapic_pin = -1;
}

static void add_regs(struct layout *l, const struct reg_name *r, size_t n)
{
	for (size_t i = 0; i < n && l->nregs < LAYOUT_MAX_REGS; i++) {
		l->regs[l->nregs].offset = r[i].offset;
		snprintf(l->regs[l->nregs].name, LAYOUT_NAME, "%s", r[i].name);
		l->nregs++;
	}
}

static void add_doorbell(struct layout *l, uint64_t gpa, const char *queue)
{
	if (l->ndoorbells >= LAYOUT_MAX_DOORBELLS)
		return;
	l->doorbells[l->ndoorbells].gpa = gpa;
	snprintf(l->doorbells[l->ndoorbells].queue, LAYOUT_NAME, "%s", queue);
	l->ndoorbells++;
}

static void add_vector(struct layout *l, uint32_t vector, const char *queue)
{
	if (l->nvectors >= LAYOUT_MAX_VECTORS)
		return;
	l->vectors[l->nvectors].vector = vector;
	snprintf(l->vectors[l->nvectors].queue, LAYOUT_NAME, "%s", queue);
	l->nvectors++;
}

int layout_from_device(struct layout *l, const char *spec, char *err, size_t errlen)
{
	const char *at = strchr(spec, '@');
	char *end = NULL;
	if (!at || !at[1]) {
		snprintf(err, errlen, "bad --device '%s': expected KIND@ADDRESS", spec);
		return -1;
	}
	unsigned long long addr = strtoull(at + 1, &end, 0);
	if (*end) {
		snprintf(err, errlen, "bad --device address '%s'", at + 1);
		return -1;
	}
	size_t kl = (size_t)(at - spec);
	layout_init(l);
	l->window_gpa = addr;
	if (kl == 11 && !strncmp(spec, "mmio-legacy", kl)) {
		snprintf(l->profile, LAYOUT_NAME, "mmio-legacy");
		l->window_size = GABI_MMIO_DEV_SIZE;
		add_regs(l, mmio_regs, sizeof mmio_regs / sizeof *mmio_regs);
		l->queue_notify_gpa = addr + VIRTIO_MMIO_QUEUE_NOTIFY;
		l->ioapic_pin = GABI_LEGACY_IOAPIC_PIN;
		add_vector(l, GABI_VEC_LEGACY, "legacy");
	} else if (kl == 7 && !strncmp(spec, "mmio-v3", kl)) {
		snprintf(l->profile, LAYOUT_NAME, "mmio-v3");
		l->window_size = GABI_MMIO_DEV_SIZE;
		add_regs(l, mmio_regs, sizeof mmio_regs / sizeof *mmio_regs);
		add_regs(l, v3_regs, sizeof v3_regs / sizeof *v3_regs);
		l->queue_notify_gpa = addr + VIRTIO_MMIO_QUEUE_NOTIFY;
		add_doorbell(l, addr + GABI_V3_NOTIFY_BASE, "rx");
		add_doorbell(l, addr + GABI_V3_NOTIFY_BASE + GABI_V3_NOTIFY_MULTIPLIER, "tx");
		add_vector(l, GABI_VEC_CONFIG, "config");
		add_vector(l, GABI_VEC_QUEUE0, "rx");
		add_vector(l, GABI_VEC_QUEUE0 + 1, "tx");
	} else if (kl == 3 && !strncmp(spec, "pci", kl)) {
		snprintf(l->profile, LAYOUT_NAME, "pci");
		l->window_size = 0x8000;
		add_regs(l, pci_regs, sizeof pci_regs / sizeof *pci_regs);
		add_doorbell(l, addr + PCI_NOTIFY_OFF, "rx");
		add_doorbell(l, addr + PCI_NOTIFY_OFF + 4, "tx");
		add_vector(l, GABI_VEC_CONFIG, "config");
		add_vector(l, GABI_VEC_QUEUE0, "rx");
		add_vector(l, GABI_VEC_QUEUE0 + 1, "tx");
	} else {
		snprintf(err, errlen, "unknown device kind in '%s' (mmio-legacy, mmio-v3 or pci)",
			 spec);
		return -1;
	}
	l->have = 1;
	return 0;
}

int layout_from_file(struct layout *l, const char *path, char *err, size_t errlen)
{
	json_error_t je;
	json_t *root = json_load_file(path, 0, &je);
	if (!root) {
		snprintf(err, errlen, "layout %s: %s (line %d)", path, je.text, je.line);
		return -1;
	}
	int rc = -1;
	const char *schema = json_string_value(json_object_get(root, "schema"));
	if (!schema || strcmp(schema, "irqpath-layout/1")) {
		snprintf(err, errlen, "layout %s: schema is '%s', expected irqpath-layout/1", path,
			 schema ? schema : "(none)");
		goto out;
	}
	layout_init(l);
	const char *profile = json_string_value(json_object_get(root, "profile"));
	snprintf(l->profile, LAYOUT_NAME, "%s", profile ? profile : "unknown");
	l->pid = (int)json_integer_value(json_object_get(root, "pid"));
	json_t *w = json_object_get(root, "window");
	l->window_gpa = (uint64_t)json_integer_value(json_object_get(w, "gpa"));
	l->window_size = (uint64_t)json_integer_value(json_object_get(w, "size"));
	size_t i;
	json_t *v;
	json_array_foreach(json_object_get(root, "registers"), i, v)
	{
		const char *name = json_string_value(json_object_get(v, "name"));
		if (!name || l->nregs >= LAYOUT_MAX_REGS)
			continue;
		l->regs[l->nregs].offset =
		    (uint32_t)json_integer_value(json_object_get(v, "offset"));
		snprintf(l->regs[l->nregs].name, LAYOUT_NAME, "%s", name);
		if (!strcmp(name, "QueueNotify"))
			l->queue_notify_gpa = l->window_gpa + l->regs[l->nregs].offset;
		l->nregs++;
	}
	json_array_foreach(json_object_get(root, "doorbells"), i, v)
	{
		const char *q = json_string_value(json_object_get(v, "queue"));
		add_doorbell(l, (uint64_t)json_integer_value(json_object_get(v, "gpa")),
			     q ? q : "?");
	}
	json_t *pin = json_object_get(root, "ioapic_pin");
	l->ioapic_pin = json_is_integer(pin) ? (int)json_integer_value(pin) : -1;
	json_array_foreach(json_object_get(root, "vectors"), i, v)
	{
		const char *q = json_string_value(json_object_get(v, "queue"));
		add_vector(l, (uint32_t)json_integer_value(json_object_get(v, "vector")),
			   q ? q : "?");
	}
	if (!l->window_gpa) {
		snprintf(err, errlen, "layout %s: no window.gpa", path);
		goto out;
	}
	l->have = 1;
	rc = 0;
out:
	json_decref(root);
	return rc;
}

const char *layout_register(const struct layout *l, uint64_t gpa, char *buf, size_t len)
{
	if (!l->have || gpa < l->window_gpa || gpa >= l->window_gpa + l->window_size)
		return NULL;
	uint64_t off = gpa - l->window_gpa;
	for (int i = 0; i < l->nregs; i++)
		if (l->regs[i].offset == off)
			return l->regs[i].name;
	if (!strncmp(l->profile, "mmio", 4) && off >= VIRTIO_MMIO_CONFIG && off < 0x800)
		return "Config";
	if (!strcmp(l->profile, "pci") && off >= 0x1000) {
		/* BAR regions are 4 KiB: name an access by the region it falls in */
		for (int i = 0; i < l->nregs; i++)
			if (l->regs[i].offset == (off & ~0xfffull))
				return l->regs[i].name;
	}
	snprintf(buf, len, "0x%03llx", (unsigned long long)off);
	return buf;
}

const char *layout_doorbell(const struct layout *l, uint64_t gpa)
{
	for (int i = 0; i < l->ndoorbells; i++)
		if (l->doorbells[i].gpa == gpa)
			return l->doorbells[i].queue;
	return NULL;
}

const char *layout_vector_queue(const struct layout *l, uint32_t vector)
{
	for (int i = 0; i < l->nvectors; i++)
		if (l->vectors[i].vector == vector)
			return l->vectors[i].queue;
	return NULL;
}

int layout_notify_by_value(const struct layout *l, uint64_t gpa)
{
	int n = 0;
	if (l->queue_notify_gpa && gpa == l->queue_notify_gpa)
		return 1;
	for (int i = 0; i < l->ndoorbells; i++)
		n += l->doorbells[i].gpa == gpa;
	return n > 1;
}

const char *layout_value_queue(const struct layout *l, uint64_t gpa, unsigned idx, char *buf,
			       size_t len)
{
	unsigned n = 0;
	for (int i = 0; i < l->ndoorbells; i++)
		if (l->doorbells[i].gpa == gpa && n++ == idx)
			return l->doorbells[i].queue;
	return layout_queue_index_name(idx, buf, len);
}

const char *layout_queue_index_name(unsigned idx, char *buf, size_t len)
{
	if (idx == 0)
		return "rx";
	if (idx == 1)
		return "tx";
	snprintf(buf, len, "q%u", idx);
	return buf;
}

/* Queue name from a /proc/interrupts action name: virtio0-input.0 -> rx,
 * virtio0-output.0 -> tx, virtio0-config -> config. */
static const char *queue_of_action(const char *action)
{
	if (strstr(action, "config"))
		return "config";
	if (strstr(action, "input") || strstr(action, "-rx"))
		return "rx";
	if (strstr(action, "output") || strstr(action, "-tx"))
		return "tx";
	return NULL;
}

int layout_vectors_from_interrupts(struct layout *l, const char *path,
				   const uint64_t *msi_by_vector, char *err, size_t errlen)
{
	FILE *f = fopen(path, "r");
	if (!f) {
		snprintf(err, errlen, "cannot open interrupts file %s", path);
		return -1;
	}
	char line[1024];
	int used[256] = {0};
	while (fgets(line, sizeof line, f)) {
		char *p = line;
		while (isspace((unsigned char)*p))
			p++;
		if (!isdigit((unsigned char)*p))
			continue; /* header, NMI, LOC, ... */
		p = strchr(p, ':');
		if (!p)
			continue;
		p++;
		uint64_t total = 0;
		for (;;) {
			while (*p == ' ' || *p == '\t')
				p++;
			if (!isdigit((unsigned char)*p))
				break;
			total += strtoull(p, &p, 10);
		}
		char *nl = strchr(p, '\n');
		if (nl)
			*nl = 0;
		char *action = strrchr(p, ' ');
		action = action ? action + 1 : p;
		const char *q = queue_of_action(action);
		if (!q || !total)
			continue;
		/* the host vector whose MSI count equals the guest's IRQ count */
		for (int v = 0; v < 256; v++)
			if (!used[v] && msi_by_vector[v] == total &&
			    !layout_vector_queue(l, (uint32_t)v)) {
				used[v] = 1;
				add_vector(l, (uint32_t)v, q);
				break;
			}
	}
	fclose(f);
	return 0;
}
