/* SPDX-License-Identifier: MIT */
/*
 * The side-by-side of irqpath-vmm's and QEMU's devices (vmm_vs_qemu.h).
 * Figures are summary means (marginal_summary when both runs had a
 * baseline); the "why" lines name the mechanism and quote the runs' own
 * counts (spurious re-deliveries from the guest's mailbox, port I/O by port
 * from the first repetition's tracer snapshot, QEMU's irqchip from its
 * record), so a line never states a figure the run did not measure.
 */
#include "vmm_vs_qemu.h"
#include "tab.h"
#include "../common/jsonio.h"
#include "../common/metrics.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define WHY_MAX 600

struct pair {
	const struct result *a, *b; /* irqpath-vmm, QEMU */
	int pci, marginal, split;   /* split: QEMU's IOAPIC in user space */
};

static const char *pstr(const struct result *r, const char *k)
{
	return json_string_value(json_object_get(json_object_get(r->doc, "profile"), k));
}

/* The first micro-guest result of TRANSPORT on QEMU (qemu) or irqpath-vmm. */
static const struct result *find(const struct result_set *set, const char *transport, int qemu)
{
	for (size_t i = 0; i < set->n; i++) {
		const struct result *r = &set->r[i];
		const char *g = pstr(r, "guest"), *v = pstr(r, "vmm"), *t = pstr(r, "transport");
		int on_qemu = v && !strcmp(v, "qemu");
		if (t && !strcmp(t, transport) && (!g || !strcmp(g, "microguest")) &&
		    on_qemu == qemu && result_kvm_counters(r))
			return r;
	}
	return NULL;
}

static double val(const struct pair *p, const struct result *r, const char *key)
{
	return p->marginal ? result_marginal_mean(r, key) : result_mean(r, key);
}

static double vid(const struct pair *p, const struct result *r, enum metric_id id)
{
	return val(p, r, metric_key(id));
}

/* The first ok repetition's record. */
static const json_t *first_rep(const struct result *r)
{
	const json_t *reps = json_object_get(r->doc, "repetitions");
	for (size_t i = 0; i < json_array_size(reps); i++) {
		const json_t *rep = json_array_get(reps, i);
		const char *st = json_string_value(json_object_get(rep, "status"));
		if (st && !strcmp(st, "ok"))
			return rep;
	}
	return NULL;
}

static const json_t *raw_trace(const struct result *r)
{
	return json_object_get(json_object_get(first_rep(r), "raw"), "trace");
}

/* Guest InterruptStatus reads that found nothing (reads - acks) per txn. */
static double spurious(const struct pair *p, const struct result *r)
{
	return vid(p, r, M_GUEST_STATUS_READS) - vid(p, r, M_GUEST_ACKS);
}

/* Port writes in B's first repetition: the debugcon, SeaBIOS's port, the rest. */
static void ports(const struct result *r, long *e9, long *bios, long *other)
{
	*e9 = *bios = *other = 0;
	const char *port;
	json_t *v;
	json_object_foreach(json_object_get(raw_trace(r), "pio_by_port"), port, v)
	{
		long n = (long)json_integer_value(json_object_get(v, "writes")) +
			 (long)json_integer_value(json_object_get(v, "reads"));
		if (!strcmp(port, "0xe9"))
			*e9 += n;
		else if (!strcmp(port, "0x402"))
			*bios += n;
		else
			*other += n;
	}
}

static void why_io(const struct pair *p, char *o, size_t n)
{
	long e9, bios, other;
	ports(p->b, &e9, &bios, &other);
	snprintf(o, n,
		 "port I/O is per run, not per transaction: QEMU's guest sends its report "
		 "over the isa-debugcon (port 0xe9: %ld accesses in the first run)%s, %ld "
		 "other port accesses (%s); irqpath-vmm's guest leaves its report in RAM "
		 "and boots with no firmware.%s",
		 e9, bios ? " and SeaBIOS prints on its debug port 0x402" : "", other,
		 p->pci ? "SeaBIOS: PCI config space, CMOS, PIC, PIT, fw_cfg"
			: "the guest's IOAPIC/PIC set-up and debug-exit",
		 p->marginal
		     ? " The baseline run cancels most of it; the rest is what differs between "
		       "the two runs' reports (longer numbers) and boots."
		     : "");
}

static void why_mmio(const struct pair *p, char *o, size_t n)
{
	double ds = vid(p, p->b, M_STATUS_READS) - vid(p, p->a, M_STATUS_READS);
	double da = vid(p, p->b, M_ACKS) - vid(p, p->a, M_ACKS);
	double dn = vid(p, p->b, M_NOTIFIES_RX) + vid(p, p->b, M_NOTIFIES_TX) -
		    vid(p, p->a, M_NOTIFIES_RX) - vid(p, p->a, M_NOTIFIES_TX);
	const char *k = metric_member_key(M_EXITS_BY_REASON, "mmio", (char[96]){0}, 96);
	double dm = val(p, p->b, k) - val(p, p->a, k);
	snprintf(o, n,
		 "InterruptStatus reads %+.2f, InterruptACK writes %+.2f, "
		 "doorbells %+.2f, the rest %+.2f: device set-up%s, amortised over the run.",
		 isnan(ds) ? 0 : ds, isnan(da) ? 0 : da, isnan(dn) ? 0 : dn,
		 dm - (isnan(ds) ? 0 : ds) - (isnan(da) ? 0 : da) - (isnan(dn) ? 0 : dn),
		 p->pci ? " and SeaBIOS's PCI enumeration, BAR sizing and MSI-X table writes"
			: " and the IOAPIC redirection entries the guest programs");
}

static void why_status(const struct pair *p, char *o, size_t n)
{
	snprintf(o, n,
		 "spurious re-deliveries (guest: status reads - acks) irqpath-vmm %.2f, QEMU "
		 "%.2f per transaction. This host's hypervisor EOIs at delivery; "
		 "irqpath-vmm's irqfd with resample has KVM lower the line at that EOI and "
		 "re-raises it only if InterruptStatus is still set, while QEMU's "
		 "virtio-mmio has no irqfd and holds the line until InterruptACK, so the "
		 "early EOI finds it high and the IOAPIC delivers again.",
		 spurious(p, p->a), spurious(p, p->b));
}

static void why_set_irq(const struct pair *p, char *o, size_t n)
{
	double ia = vid(p, p->a, M_ACKS), ib = vid(p, p->b, M_ACKS);
	if (p->split) {
		snprintf(o, n,
			 "QEMU's IOAPIC is in user space (kernel-irqchip=split): it "
			 "injects the line as an MSI, KVM's IOAPIC never sees it.");
		return;
	}
	snprintf(o, n,
		 "per acked interrupt irqpath-vmm %.2f, QEMU %.2f: QEMU drives the line with "
		 "KVM_IRQ_LINE (assert, then de-assert at InterruptACK); irqpath-vmm asserts "
		 "through its irqfd, KVM de-asserts at the EOI (resample) and irqpath-vmm "
		 "re-asserts when InterruptStatus is still set.",
		 ia > 0 ? vid(p, p->a, M_IOAPIC_SET_IRQ) / ia : NAN,
		 ib > 0 ? vid(p, p->b, M_IOAPIC_SET_IRQ) / ib : NAN);
}

static void why_userspace(const struct pair *p, char *o, size_t n)
{
	const json_t *t = raw_trace(p->b);
	double txn = jnum(json_object_get(first_rep(p->b), "transactions"));
	double eintr =
	    jnum(json_object_get(json_object_get(t, "userspace_exits_by_reason"), "ERRNO_4"));
	char extra[160] = "";
	if (!isnan(eintr) && txn > 0 && eintr / txn >= 0.005)
		snprintf(extra, sizeof(extra),
			 " Over the run QEMU's KVM_RUN also returned EINTR %.2f times per "
			 "transaction (a "
			 "signal kick of its vCPU thread; cause not investigated), not an exit.",
			 eintr / txn);
	snprintf(o, n, "%s%s%s",
		 p->pci ? "both take the doorbell through an ioeventfd and send MSIs through "
			  "KVM without leaving it; what QEMU adds is per run: port I/O and "
			  "SeaBIOS's MMIO, all handled in QEMU."
			: "both handle InterruptStatus and InterruptACK in user space and take "
			  "the doorbell through an ioeventfd; QEMU adds its spurious reads and "
			  "per-run port I/O.",
		 p->split ? " With the split irqchip every EOI also exits to QEMU's IOAPIC "
			    "(KVM_EXIT_IOAPIC_EOI)."
			  : "",
		 extra);
}

/* The explanation of KEY's difference; "" if none applies. */
static void why(const struct pair *p, const char *key, char *o, size_t n)
{
	char member[64];
	o[0] = '\0';
	if (metric_member_of(key, M_EXITS_BY_REASON, member, sizeof(member))) {
		if (!strcmp(member, "io") || !strcmp(member, "ioio"))
			why_io(p, o, n);
		else if (!strcmp(member, "mmio") || !strcmp(member, "npf") || strstr(member, "ept"))
			why_mmio(p, o, n);
		else if (strstr(member, "msr"))
			snprintf(o, n,
				 "x2APIC EOI writes: one per interrupt the guest takes, "
				 "spurious re-deliveries included (LAPIC EOIs below).");
		else
			snprintf(o, n,
				 "exits of this cause come and go with timing (the vCPU "
				 "waits for the peer); not a device cost.");
		return;
	}
	const struct metric_row *r = metric_find(key);
	if (!r)
		return;
	switch (r->id) {
	case M_EXITS:
		snprintf(o, n, "the sum of the causes below.");
		break;
	case M_USERSPACE_EXITS:
		why_userspace(p, o, n);
		break;
	case M_STATUS_READS:
		why_status(p, o, n);
		break;
	case M_LAPIC_EOI:
		snprintf(o, n,
			 "one per interrupt delivered, spurious re-deliveries "
			 "included: follows InterruptStatus reads.");
		break;
	case M_IOAPIC_EOI:
		snprintf(o, n,
			 p->split ? "the EOIs go to QEMU's IOAPIC as user-space exits "
				    "(kernel-irqchip=split): KVM's IOAPIC counts none."
				  : "one per level interrupt delivered, spurious "
				    "re-deliveries included: follows InterruptStatus reads.");
		break;
	case M_IOAPIC_SET_IRQ:
		why_set_irq(p, o, n);
		break;
	case M_MSIS_RX:
	case M_MSIS_TX:
		snprintf(o, n,
			 p->split ? "QEMU's user-space IOAPIC delivers the level line as "
				    "an MSI (kvm_msi_set_irq)."
				  : "MSIs follow the interrupts each device raised.");
		break;
	case M_TRANS_PER_S:
	case M_LATENCY_P50:
		snprintf(o, n,
			 "wall-clock figures of a shared host: they swing with its "
			 "load from run to run and do not compare the two VMMs.");
		break;
	default:
		snprintf(o, n,
			 "the same driver on both: a difference here follows the "
			 "interrupts the guest took (see InterruptStatus reads).");
	}
}

/* Prints TEXT after PREFIX, wrapped at 72 columns, continuation indented. */
static void wrap(FILE *f, const char *prefix, const char *text)
{
	int col = fprintf(f, "%s", prefix);
	const char *s = text;
	while (*s) {
		size_t w = strcspn(s, " ");
		if (col + (int)w + 1 > TAB_TEXT_WIDTH && col > 4) {
			fputs("\n   ", f);
			col = 3;
		}
		col += fprintf(f, " %.*s", (int)w, s);
		s += w;
		while (*s == ' ')
			s++;
	}
	fputc('\n', f);
}

static void cell(struct tab_row *row, int col, double v)
{
	if (isnan(v))
		tab_set(row, col, "n/a");
	else
		tab_set(row, col, "%.2f", v);
}

/* One row and, when the two differ, its explanation into WHYS. */
static void row(struct tab *t, const struct pair *p, const char *key, FILE *whys)
{
	char label[METRIC_LABEL_MAX], w[WHY_MAX];
	double a = val(p, p->a, key), b = val(p, p->b, key);
	if (isnan(a) && isnan(b))
		return;
	if (!isnan(a) && !isnan(b) && fabs(a) < 0.005 && fabs(b) < 0.005)
		return;
	const char *l = metric_label(key, label, sizeof(label));
	struct tab_row *r = tab_add(t, TR_ROW, l);
	cell(r, 0, a);
	cell(r, 1, b);
	cell(r, 2, b - a);
	if (!isnan(a) && !isnan(b) && fabs(b - a) < 0.005)
		return;
	if (isnan(b) && metric_find(key) && metric_find(key)->group == MG_GUEST)
		snprintf(w, sizeof(w),
			 "irqpath-vmm's own count; QEMU does not report one "
			 "(n/a, not zero). The tracer's row above is the host's.");
	else
		why(p, key, w, sizeof(w));
	char prefix[80];
	snprintf(prefix, sizeof(prefix), "- %s:", l[0] == ' ' ? l + 2 : l);
	wrap(whys, prefix, w);
}

/* Exit reasons either run has, in the registry's order. */
static void reason_rows(struct tab *t, const struct pair *p, FILE *whys)
{
	const char *seen[32];
	size_t ns = 0;
	const struct result *both[2] = {p->a, p->b};
	for (int i = 0; i < 2; i++) {
		const char *k;
		json_t *v;
		json_object_foreach(json_object_get(both[i]->doc, "summary"), k, v)
		{
			char m[64];
			size_t j;
			if (!metric_member_of(k, M_EXITS_BY_REASON, m, sizeof(m)))
				continue;
			for (j = 0; j < ns && strcmp(seen[j], k); j++)
				;
			if (j == ns && ns < 32)
				seen[ns++] = k;
		}
	}
	for (size_t i = 0; i < ns; i++)
		row(t, p, seen[i], whys);
}

static const enum metric_id rows_after[] = {
    M_USERSPACE_EXITS, M_VMM_USERSPACE_EXITS, M_STATUS_READS, M_ACKS,	   M_NOTIFIES_RX,
    M_NOTIFIES_TX,     M_IOAPIC_SET_IRQ,      M_IOAPIC_EOI,   M_LAPIC_EOI, M_MSIS_RX,
    M_MSIS_TX,	       M_TRANS_PER_S,	      M_LATENCY_P50};

static void show_pair(const struct pair *p, FILE *f)
{
	const json_t *q = json_object_get(first_rep(p->b), "qemu");
	fprintf(f, "%s (irqpath-vmm) vs %s (QEMU -M %s, irqchip %s)\n", p->a->label, p->b->label,
		json_string_value(json_object_get(q, "machine")) ?: "?",
		json_string_value(json_object_get(q, "irqchip")) ?: "?");
	char dev[200];
	snprintf(dev, sizeof(dev), "QEMU's device: %s",
		 json_string_value(json_object_get(q, "transport")) ?: pstr(p->b, "transport"));
	wrap(f, "", dev);
	struct tab t;
	tab_init(&t, 3);
	struct tab_row *h = tab_add(&t, TR_HEADER, "per transaction");
	tab_set(h, 0, "irqpath-vmm");
	tab_set(h, 1, "QEMU");
	tab_set(h, 2, "QEMU - ivmm");
	char *buf = NULL;
	size_t len = 0;
	FILE *whys = open_memstream(&buf, &len);
	if (!whys) {
		tab_free(&t);
		return;
	}
	row(&t, p, metric_key(M_EXITS), whys);
	reason_rows(&t, p, whys);
	for (size_t i = 0; i < sizeof(rows_after) / sizeof(rows_after[0]); i++)
		row(&t, p, metric_key(rows_after[i]), whys);
	fclose(whys);
	tab_print_text(&t, f);
	tab_free(&t);
	fprintf(f, "Why they differ:\n%s\n", len ? buf : "- (no row differs)\n");
	free(buf);
}

/* The closing note: how the per-transaction costs compare, and why. */
static void closing(const struct pair *ps, int np, FILE *f)
{
	char text[1200];
	size_t o = snprintf(text, sizeof(text), "Per transaction");
	for (int i = 0; i < np; i++) {
		const struct pair *p = &ps[i];
		o += snprintf(text + o, sizeof(text) - o,
			      "%s QEMU's %s costs %.2f exits (%.2f in user space) against "
			      "irqpath-vmm's %s %.2f (%.2f)",
			      i ? ";" : "", p->pci ? "virtio-pci" : "virtio-mmio",
			      vid(p, p->b, M_EXITS), vid(p, p->b, M_USERSPACE_EXITS), p->a->label,
			      vid(p, p->a, M_EXITS), vid(p, p->a, M_USERSPACE_EXITS));
		if (o >= sizeof(text))
			break;
	}
	if (o < sizeof(text))
		snprintf(text + o, sizeof(text) - o,
			 ". Register for register the two VMMs' devices take the same "
			 "exits: doorbells through an ioeventfd, InterruptStatus and "
			 "InterruptACK in user space on virtio-mmio, one MSI and one EOI per "
			 "interrupt on virtio-pci. What differs is how the level line reaches "
			 "the guest (QEMU's virtio-mmio has no irqfd, so this host's early EOI "
			 "re-delivers more often; a split irqchip adds an EOI exit to QEMU) "
			 "and per-run costs (QEMU's debugcon report, SeaBIOS on q35) that %s.",
			 ps[0].marginal ? "the baseline run mostly cancels"
					: "a baseline run (--baseline-transactions) would cancel");
	wrap(f, "Closing note:", text);
}

int vmm_vs_qemu_text(const struct result_set *set, FILE *f)
{
	struct pair ps[2];
	int np = 0;
	for (int pci = 0; pci < 2; pci++) {
		const char *tr = pci ? "pci" : "mmio-legacy";
		const struct result *a = find(set, tr, 0), *b = find(set, tr, 1);
		if (!a || !b)
			continue;
		const char *chip = json_string_value(
		    json_object_get(json_object_get(first_rep(b), "qemu"), "irqchip"));
		struct pair p = {a, b, pci,
				 json_object_get(a->doc, "marginal_summary") &&
				     json_object_get(b->doc, "marginal_summary"),
				 !pci && !(chip && !strcmp(chip, "on"))};
		ps[np++] = p;
	}
	if (!np)
		return 0;
	fprintf(f,
		"\nirqpath-vmm vs QEMU, the micro-guest on each VMM's devices\n"
		"(per transaction, %s)\n\n",
		ps[0].marginal ? "marginal against the baseline run" : "whole run");
	for (int i = 0; i < np; i++)
		show_pair(&ps[i], f);
	closing(ps, np, f);
	return np;
}
