/* SPDX-License-Identifier: MIT */
#include "layout.h"

#include <ctype.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "irqpath/guest_abi.h"
#include "irqpath/virtio_mmio_v3.h"
#include "irqpath/virtio_reg_names.h"

/* Register names come from irqpath/virtio_reg_names.h, shared with the device. */

void layout_init(struct layout *l)
{
	memset(l, 0, sizeof *l);
	l->ioapic_pin = -1;
	l->ipi_vector = -1;
}

static void add_reg(struct layout *l, uint32_t offset, const char *name)
{
	if (l->nregs >= LAYOUT_MAX_REGS)
		return;
	l->regs[l->nregs].offset = offset;
	snprintf(l->regs[l->nregs].name, LAYOUT_NAME, "%s", name);
	l->nregs++;
}

/* virtio-mmio registers of Version lo..hi (version 1 and 2 names do not collide). */
static void add_mmio_regs(struct layout *l, unsigned lo, unsigned hi)
{
	for (size_t i = 0; i < IRQPATH_MMIO_NREGS; i++)
		if (irqpath_mmio_regs[i].max_version >= lo &&
		    irqpath_mmio_regs[i].min_version <= hi)
			add_reg(l, irqpath_mmio_regs[i].offset, irqpath_mmio_regs[i].name);
}

/* irqpath-vmm's virtio-pci BAR0 arrangement. */
static void add_pci_regs(struct layout *l)
{
	for (size_t i = 0; i < IRQPATH_PCI_NCOMMON; i++)
		add_reg(l, irqpath_pci_common[i].offset, irqpath_pci_common[i].name);
	for (size_t i = 0; i < IRQPATH_PCI_NREGIONS; i++)
		add_reg(l, irqpath_pci_regions[i].offset, irqpath_pci_regions[i].name);
}

static void add_doorbell(struct layout *l, uint64_t gpa, const char *queue)
{
	if (l->ndoorbells >= LAYOUT_MAX_DOORBELLS)
		return;
	l->doorbells[l->ndoorbells].gpa = gpa;
	snprintf(l->doorbells[l->ndoorbells].queue, LAYOUT_NAME, "%s", queue);
	l->ndoorbells++;
}

/* A vector named by the queues it carries; an existing entry is renamed. */
static void set_vector(struct layout *l, uint32_t vector, const char *queue, int nqueues, int dest)
{
	int i;
	for (i = 0; i < l->nvectors && l->vectors[i].vector != vector; i++)
		;
	if (i == LAYOUT_MAX_VECTORS)
		return;
	if (i == l->nvectors) {
		l->nvectors++;
		l->vectors[i].dest_apic_id = -1;
	}
	l->vectors[i].vector = vector;
	snprintf(l->vectors[i].queue, LAYOUT_JOINED, "%s", queue);
	l->vectors[i].nqueues = nqueues;
	if (dest >= 0)
		l->vectors[i].dest_apic_id = dest;
}

static void add_vector(struct layout *l, uint32_t vector, const char *queue)
{
	set_vector(l, vector, queue, 1, -1);
}

/* Doorbells of irqpath-vmm's two queues at base + mult * q in the window. */
static void add_vmm_doorbells(struct layout *l, uint64_t window, unsigned base, unsigned mult)
{
	char buf[LAYOUT_NAME];
	for (unsigned q = 0; q < 2; q++)
		add_doorbell(l, window + irqpath_doorbell_off(base, mult, q),
			     layout_queue_index_name(q, buf, sizeof buf));
}

/*
 * A device spec names irqpath-vmm's register arrangement at an address:
 * registers and doorbells are the device's and known from its kind, but
 * which MSI vector carries which queue is the guest's choice, so MSIs stay
 * unnamed (--interrupts or a layout file names them).
 */
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
		add_mmio_regs(l, 1, 2); /* also decodes version 1 devices (QEMU's default) */
		l->queue_notify_gpa = addr + VIRTIO_MMIO_QUEUE_NOTIFY;
		l->ioapic_pin = GABI_LEGACY_IOAPIC_PIN; /* the pin irqpath-vmm wires */
	} else if (kl == 7 && !strncmp(spec, "mmio-v3", kl)) {
		snprintf(l->profile, LAYOUT_NAME, "mmio-v3");
		l->window_size = GABI_MMIO_DEV_SIZE;
		add_mmio_regs(l, 3, 3);
		l->queue_notify_gpa = addr + VIRTIO_MMIO_QUEUE_NOTIFY;
		add_vmm_doorbells(l, addr, IRQPATH_V3_NOTIFY_BASE, IRQPATH_V3_NOTIFY_MULT);
	} else if (kl == 3 && !strncmp(spec, "pci", kl)) {
		snprintf(l->profile, LAYOUT_NAME, "pci");
		l->window_size = IRQPATH_VPCI_BAR0_SIZE;
		add_pci_regs(l);
		add_vmm_doorbells(l, addr, IRQPATH_VPCI_NOTIFY_OFF, IRQPATH_VPCI_NOTIFY_MULT);
	} else {
		snprintf(err, errlen, "unknown device kind in '%s' (mmio-legacy, mmio-v3 or pci)",
			 spec);
		return -1;
	}
	l->have = 1;
	return 0;
}

/* The vector of a programmed interrupt ({"vector": n}), -1 if none. */
static int vector_of(json_t *irq)
{
	json_t *v = json_object_get(irq, "vector");
	if (!json_is_integer(v) || json_integer_value(v) < 0 || json_integer_value(v) > 255)
		return -1;
	return (int)json_integer_value(v);
}

static int int_or(json_t *v, int dflt)
{
	return json_is_integer(v) ? (int)json_integer_value(v) : dflt;
}

/* Appends name to a '+'-joined list. */
static void join(char *buf, const char *name)
{
	size_t n = strlen(buf);
	snprintf(buf + n, LAYOUT_JOINED - n, "%s%s", n ? "+" : "", name);
}

/* Vector v named by everything it carries: config first, then the queues
 * in virtio order ("config+rx0+tx0"); the level pin's vector is "legacy". */
static void name_plan_vector(struct layout *l, int v, int cfg)
{
	char buf[LAYOUT_JOINED] = "";
	int n = 0;
	if (cfg == v) {
		join(buf, "config");
		n++;
	}
	for (int i = 0; i < l->nqueues; i++) {
		if (l->queues[i].vector != v)
			continue;
		if (!l->queues[i].msi) {
			set_vector(l, (uint32_t)v, "legacy", 1, -1);
			return;
		}
		join(buf, l->queues[i].name);
		n++;
	}
	set_vector(l, (uint32_t)v, buf, n, -1);
}

/*
 * The VMM's published plan: per queue its doorbell, the interrupt the
 * guest programmed for it (an MSI, or the level pin's vector) and the
 * vCPU owning its pair, and the config change's MSI. A vector several
 * queues share is named by all of them.
 */
static void read_queue_plan(struct layout *l, json_t *root)
{
	size_t i;
	json_t *q;
	json_array_foreach(json_object_get(root, "queues"), i, q)
	{
		const char *name = json_string_value(json_object_get(q, "queue"));
		json_t *gpa = json_object_get(json_object_get(q, "notify"), "gpa");
		if (!name || l->nqueues >= LAYOUT_MAX_QUEUES)
			continue;
		if (json_is_integer(gpa))
			add_doorbell(l, (uint64_t)json_integer_value(gpa), name);
		int v = vector_of(json_object_get(q, "msi"));
		l->queues[l->nqueues].msi = v >= 0;
		if (v < 0)
			v = vector_of(json_object_get(q, "ioapic"));
		snprintf(l->queues[l->nqueues].name, LAYOUT_NAME, "%s", name);
		l->queues[l->nqueues].vector = v;
		l->queues[l->nqueues].owner_vcpu = int_or(json_object_get(q, "owner_vcpu"), -1);
		l->nqueues++;
	}
	int cfg = vector_of(json_object_get(json_object_get(root, "config"), "msi"));
	if (cfg >= 0)
		name_plan_vector(l, cfg, cfg);
	for (int k = 0; k < l->nqueues; k++)
		if (l->queues[k].vector >= 0 &&
		    !layout_vector_queue(l, (uint32_t)l->queues[k].vector))
			name_plan_vector(l, l->queues[k].vector, cfg);
}

/* Adds an entry's queue names to CPU vector vec's name (set from an
 * earlier entry of the same list). */
static void join_vector(struct layout *l, uint32_t vec, const char *names, int n)
{
	for (int i = 0; i < l->nvectors; i++)
		if (l->vectors[i].vector == vec) {
			join(l->vectors[i].queue, names);
			l->vectors[i].nqueues += n;
		}
}

/*
 * The flat "vectors" list: the only source in a layout without "queues"
 * (first irqpath-vmm versions); where an entry lists its "queues" (the
 * multi-queue layout) its joined "queue" name is the VMM's word and wins.
 * Entries the guest gave one CPU vector (a design where the driver shares
 * by programming one message into several entries, as addrdata's) are one
 * interrupt: their names are joined.
 */
static void read_flat_vectors(struct layout *l, json_t *root, int have_plan)
{
	unsigned char seen[256] = {0};
	size_t i;
	json_t *v;
	json_array_foreach(json_object_get(root, "vectors"), i, v)
	{
		const char *q = json_string_value(json_object_get(v, "queue"));
		json_t *qs = json_object_get(v, "queues");
		int vec = int_or(json_object_get(v, "vector"), -1);
		if (vec < 0 || vec > 255)
			continue;
		if (json_is_array(qs) && json_array_size(qs)) {
			char buf[LAYOUT_JOINED] = "";
			size_t j;
			json_t *n;
			json_array_foreach(qs, j, n) if (json_is_string(n))
			    join(buf, json_string_value(n));
			if (seen[vec])
				join_vector(l, (uint32_t)vec, q ? q : buf,
					    (int)json_array_size(qs));
			else
				set_vector(l, (uint32_t)vec, q ? q : buf, (int)json_array_size(qs),
					   int_or(json_object_get(v, "dest_apic_id"), -1));
			seen[vec] = 1;
		} else if (!have_plan && !layout_vector_queue(l, (uint32_t)vec))
			add_vector(l, (uint32_t)vec, q ? q : "?"); /* a plan's word wins */
	}
}

/* A layout file without "queues": the flat doorbell list. */
static void read_flat_doorbells(struct layout *l, json_t *root)
{
	size_t i;
	json_t *v;
	json_array_foreach(json_object_get(root, "doorbells"), i, v)
	{
		const char *q = json_string_value(json_object_get(v, "queue"));
		add_doorbell(l, (uint64_t)json_integer_value(json_object_get(v, "gpa")),
			     q ? q : "?");
	}
}

/* "vcpus":[{"index","apic_id","tid"}] and "ipi_vector". */
static void read_vcpus(struct layout *l, json_t *root)
{
	size_t i;
	json_t *v;
	json_array_foreach(json_object_get(root, "vcpus"), i, v)
	{
		if (l->nvcpus >= LAYOUT_MAX_VCPUS)
			break;
		int index = int_or(json_object_get(v, "index"), (int)i);
		l->vcpus[l->nvcpus].index = index;
		l->vcpus[l->nvcpus].apic_id = int_or(json_object_get(v, "apic_id"), index);
		l->vcpus[l->nvcpus].tid = (uint32_t)int_or(json_object_get(v, "tid"), 0);
		l->nvcpus++;
	}
	l->ipi_vector = int_or(json_object_get(root, "ipi_vector"), -1);
}

int layout_from_file(struct layout *l, const char *path, char *err, size_t errlen)
{
	return layout_from_file_for(l, path, 0, err, errlen);
}

int layout_from_file_for(struct layout *l, const char *path, int pid, char *err, size_t errlen)
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
	json_int_t file_pid = json_integer_value(json_object_get(root, "pid"));
	if (pid > 0 && file_pid != pid) {
		snprintf(err, errlen,
			 "layout %s describes pid %lld, not the traced pid %d (a file left by an "
			 "earlier run?): refusing to decode with it",
			 path, (long long)file_pid, pid);
		rc = LAYOUT_OTHER_PID;
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
	json_t *pin = json_object_get(root, "ioapic_pin");
	l->ioapic_pin = json_is_integer(pin) ? (int)json_integer_value(pin) : -1;
	int have_plan = json_is_array(json_object_get(root, "queues"));
	if (have_plan)
		read_queue_plan(l, root);
	else
		read_flat_doorbells(l, root);
	read_flat_vectors(l, root, have_plan);
	read_vcpus(l, root);
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

int layout_vector_nqueues(const struct layout *l, uint32_t vector)
{
	for (int i = 0; i < l->nvectors; i++)
		if (l->vectors[i].vector == vector)
			return l->vectors[i].nqueues;
	return 0;
}

int layout_tid_vcpu(const struct layout *l, uint32_t pid, uint32_t tid)
{
	if (!l || !l->have || !tid || (l->pid && pid && (uint32_t)l->pid != pid))
		return -1;
	int listed = 0;
	for (int i = 0; i < l->nvcpus; i++) {
		if (l->vcpus[i].tid == tid)
			return l->vcpus[i].index;
		listed |= l->vcpus[i].tid != 0;
	}
	return listed && l->pid ? LAYOUT_NOT_VCPU : -1;
}

int layout_apic_vcpu(const struct layout *l, uint32_t apic_id)
{
	for (int i = 0; l && l->have && i < l->nvcpus; i++)
		if ((uint32_t)l->vcpus[i].apic_id == apic_id)
			return l->vcpus[i].index;
	return (int)apic_id; /* irqpath-vmm and QEMU: vCPU index == APIC id */
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
