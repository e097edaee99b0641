/* SPDX-License-Identifier: MIT */
/*
 * The reasons counts of one run legitimately differ are facts of KVM's
 * irqfd/IOAPIC code, checked here rather than assumed:
 *  - the VMM writes the level pin's irqfd; KVM injects from a work item, and
 *    a signal arriving while that work is still pending is merged into it,
 *    so the line is raised at most as often as the VMM signalled;
 *  - with a resamplefd, KVM lowers the line at each IOAPIC EOI of the pin,
 *    then signals the resamplefd (the VMM's reads merge the same way);
 *  - kvm_ioapic_set_irq fires once per kvm_set_irq on the pin, raise or
 *    lower;
 *  - a raise while the pin awaits its EOI (remote IRR) or is already high
 *    delivers nothing: a level pin delivers once per assert/EOI cycle;
 *  - at teardown irqfd_shutdown lowers the line once more, in a kworker
 *    after the VMM has closed the VM, when the tracer no longer counts;
 *  - an interrupt the LAPIC accepted after the guest's last transaction
 *    may never be taken: the guest has stopped (one per run at most).
 * Any other difference is printed as UNEXPLAINED and counted.
 */
#include "reconcile.h"
#include "wrap.h"
#include "../common/metrics.h"

#include <math.h>
#include <string.h>

struct rec {
	FILE *f;
	const struct result *r;
	int nruns;
	int unexplained;
};

/* Sum over the ok repetitions of PATH in raw.ORIGIN; NaN if a run lacks it. */
static double total(const struct rec *c, const char *origin, const char *path)
{
	size_t i;
	json_t *rep;
	double sum = 0;
	int any = 0;
	json_array_foreach(json_object_get(c->r->doc, "repetitions"), i, rep)
	{
		const char *st = json_string_value(json_object_get(rep, "status"));
		if (!st || strcmp(st, "ok"))
			continue;
		const json_t *doc = json_object_get(json_object_get(rep, "raw"), origin);
		if (!json_is_object(doc))
			return NAN;
		/* the tracer writes every counter (absent: 0); a VMM or guest
		 * document without the field did not count it (unknown) */
		double v = metric_path_value(doc, path, !strcmp(origin, "trace"));
		if (isnan(v))
			return NAN;
		sum += v;
		any = 1;
	}
	return any ? sum : NAN;
}

/* a + b where either may be unknown (NaN); unknown only if both are */
static double plus(double a, double b)
{
	return isnan(a) ? b : isnan(b) ? a : a + b;
}

static void cell(char *buf, size_t len, double v)
{
	if (isnan(v))
		snprintf(buf, len, "-");
	else
		snprintf(buf, len, "%.0f", v);
}

/* WHY under the row, indented, wrapped at 72 columns. */
static void explain(FILE *f, const char *why)
{
	wrap_words(f, why, 72, "    ", "    ");
}

/*
 * One row: host, VMM, guest (NaN: that side does not count it). All the
 * present ones equal: "agree". Else the difference to the host's count and
 * WHY when EXPLAINED, or UNEXPLAINED. A row with one side only is a fact
 * of its own: WHY says what it is.
 */
static void row(struct rec *c, const char *label, double h, double v, double g, int explained,
		const char *why)
{
	double ref = !isnan(h) ? h : !isnan(v) ? v : g;
	if (isnan(ref) || ((isnan(h) || h == 0) && (isnan(v) || v == 0) && (isnan(g) || g == 0)))
		return; /* nothing counted on any side */
	char sh[24], sv[24], sg[24], verdict[48] = "";
	cell(sh, sizeof(sh), h);
	cell(sv, sizeof(sv), v);
	cell(sg, sizeof(sg), g);
	int sides = !isnan(h) + !isnan(v) + !isnan(g);
	int differ = (!isnan(v) && v != ref) || (!isnan(g) && g != ref);
	if (sides > 1 && !differ) {
		snprintf(verdict, sizeof(verdict), "agree");
	} else if (differ) {
		size_t o = 0;
		if (!isnan(v) && v != ref)
			o += (size_t)snprintf(verdict + o, sizeof(verdict) - o, "VMM %+.0f",
					      v - ref);
		if (!isnan(g) && g != ref)
			snprintf(verdict + o, sizeof(verdict) - o, "%sguest %+.0f", o ? ", " : "",
				 g - ref);
	}
	fprintf(c->f, "%-22.22s %9s %9s %9s%s%s\n", label, sh, sv, sg, *verdict ? "  " : "",
		verdict);
	if (differ && !explained) {
		c->unexplained++;
		explain(c->f, "UNEXPLAINED: these count the same events and should be equal");
	} else if (why && (differ || sides == 1)) {
		explain(c->f, why);
	}
}

/* The level pin (mmio-legacy): raises, lowers, coalesced, deliveries. */
static void pin_rows(struct rec *c, double delivered_pin)
{
	char why[600];
	double raises = total(c, "trace", "set_irq_by_gsi.*.raise");
	double lowers = total(c, "trace", "set_irq_by_gsi.*.lower");
	double vraise = total(c, "vmm", "vmm.pin_raises");
	double vresample = total(c, "vmm", "vmm.resamples");
	double ioapic = total(c, "trace", "ioapic.*.set_irq");
	double coalesced = total(c, "trace", "ioapic.*.coalesced");
	double eoi = total(c, "trace", "totals.ioapic_eoi");
	if (!(raises > 0) && !(vraise > 0) && !(lowers > 0))
		return;
	snprintf(why, sizeof(why),
		 "the VMM signalled the pin's irqfd %.0f times (%.0f re-raises at resample); "
		 "KVM raised the line %.0f times: a signal that comes while the irqfd's "
		 "inject work is still pending is merged into it",
		 vraise, total(c, "vmm", "vmm.resample_raises"), raises);
	row(c, "line raises", raises, vraise, NAN, raises <= vraise, why);
	snprintf(why, sizeof(why),
		 "KVM lowers the line at each IOAPIC EOI of the pin (%.0f), then signals the "
		 "resamplefd; the VMM's %.0f reads merge signals that come before a read",
		 eoi, vresample);
	row(c, "line lowers", lowers, vresample, NAN, lowers == eoi && vresample <= lowers, why);
	snprintf(why, sizeof(why),
		 "not in the host's lowers: irqfd_shutdown lowers the line once per run "
		 "(%d here) when the VMM closes the VM, in a kworker after the VMM has "
		 "exited, when the tracer no longer counts",
		 c->nruns);
	fprintf(c->f, "%-22.22s %9s %9s %9s  %s\n", "teardown lower", "-", "-", "-",
		"1/run, no trace");
	explain(c->f, why);
	snprintf(why, sizeof(why),
		 "kvm_ioapic_set_irq fires once per kvm_set_irq on the pin: raises + lowers "
		 "= %.0f%s",
		 raises + lowers, ioapic == raises + lowers ? "" : " (UNEXPLAINED: differs)");
	row(c, "IOAPIC set_irq calls", ioapic, NAN, NAN, 1, why);
	if (!isnan(ioapic) && ioapic != raises + lowers)
		c->unexplained++;
	if (coalesced == 0) /* a row all the same: say it was counted */
		fprintf(c->f, "%-22.22s %9s %9s %9s\n", "IOAPIC coalesced", "0", "-", "-");
	row(c, "IOAPIC coalesced", coalesced, NAN, NAN, 1,
	    "raises the IOAPIC reported as coalesced (ioapic_set_irq returned 0: not "
	    "injected, a previous one still pending)");
	snprintf(why, sizeof(why),
		 "%.0f of the %.0f raises delivered nothing: the pin was awaiting its EOI "
		 "(remote IRR) or the line was already high; a level pin delivers once "
		 "per assert/EOI cycle%s",
		 raises - delivered_pin, raises,
		 delivered_pin <= raises ? "" : " (UNEXPLAINED: more deliveries than raises)");
	row(c, "pin deliveries", delivered_pin, NAN, NAN, 1, why);
	if (delivered_pin > raises)
		c->unexplained++;
}

static const char *host_kind(const struct result *r, char *buf, size_t len)
{
	const json_t *host = json_object_get(r->doc, "host");
	const char *kind = json_string_value(json_object_get(host, "host_kind"));
	if (!kind) /* files written before host_kind */
		kind = json_string_value(json_object_get(host, "kind"));
	const char *isa = json_string_value(json_object_get(
	    json_object_get(json_object_get(r->doc, "tracer"), "exit_reason_names"), "isa"));
	snprintf(buf, len, "this host (%s%s%s%s)", kind ? kind : "KVM",
		 json_is_true(json_object_get(host, "hypervisor")) ? ", nested" : "",
		 isa ? ", exits " : "", isa ? isa : "");
	return buf;
}

/* EOIs: what each count is on this host kind. */
static void eoi_rows(struct rec *c, double guest_irqs, double guest_pin)
{
	char why[600], kind[96];
	host_kind(c->r, kind, sizeof(kind));
	double x2 = total(c, "trace", "totals.x2apic_eoi");
	double kvm_eoi = total(c, "trace", "totals.eoi");
	double none = total(c, "trace", "eoi_by_vector.-1");
	snprintf(why, sizeof(why),
		 "on %s the guest's EOI is a WRMSR to x2APIC 0x80b, one MSR exit each; the "
		 "guest column is its interrupts, one EOI each",
		 kind);
	row(c, "EOI writes (x2APIC)", x2, NAN, guest_irqs, 0, why);
	row(c, "IOAPIC EOIs (pin)", total(c, "trace", "totals.ioapic_eoi"), NAN, guest_pin, 0,
	    "the LAPIC EOI of a level vector broadcast to the IOAPIC; the guest column is "
	    "its interrupts on the pin");
	if (!isnan(kvm_eoi) && !isnan(none)) {
		row(c, "kvm_eoi, a vector", kvm_eoi - none, NAN, guest_irqs, 0,
		    "kvm_eoi events that retired a vector in service");
		if (none > 0) {
			snprintf(why, sizeof(why),
				 "kvm_eoi events that found no vector in service (vector -1), "
				 "%.2f per EOI write on %s: they retire nothing and are not "
				 "interrupts",
				 x2 > 0 ? none / x2 : 0, kind);
			row(c, "kvm_eoi, ISR empty", none, NAN, NAN, 1, why);
		}
	}
}

/* The guest's own view: interrupts are not callbacks. */
static void guest_rows(struct rec *c, double irqs)
{
	double spurious = total(c, "vmm", "guest.spurious");
	row(c, "guest interrupts", NAN, NAN, irqs, 1,
	    "interrupts the guest took, every vector (irqs_by_vector)");
	if (spurious > 0)
		row(c, "  nothing to do", NAN, NAN, spurious, 1,
		    "interrupts whose status read was 0: re-deliveries after the VMM "
		    "re-raised the line at a resample that came before the guest's ack");
	row(c, "callbacks rx", NAN, NAN, total(c, "vmm", "guest.queues.rx.callbacks"), 1,
	    "virtqueue callbacks run, not interrupts: one legacy interrupt runs the "
	    "callback of every queue with work");
	row(c, "callbacks tx", NAN, NAN, total(c, "vmm", "guest.queues.tx.callbacks"), 1,
	    "the same for tx (the micro-guest asks no tx interrupts with MSIs)");
}

static void reconcile_one(struct rec *c)
{
	FILE *f = c->f;
	fprintf(f, "Counts reconciled, %.30s (%d run%s, totals):\n", c->r->label, c->nruns,
		c->nruns == 1 ? "" : "s");
	fprintf(f, "%-22s %9s %9s %9s\n", "", "host", "VMM", "guest");
	row(c, "InterruptStatus reads",
	    total(c, "trace", "mmio_by_register.InterruptStatus.reads") +
		total(c, "trace", "mmio_by_register.isr.reads"),
	    plus(total(c, "vmm", "vmm.mmio_by_register.InterruptStatus.reads"),
		 total(c, "vmm", "vmm.pci_by_register.isr.reads")),
	    total(c, "vmm", "guest.status_reads"), 0, NULL);
	row(c, "InterruptACK writes", total(c, "trace", "mmio_by_register.InterruptACK.writes"),
	    total(c, "vmm", "vmm.mmio_by_register.InterruptACK.writes"),
	    total(c, "vmm", "guest.acks"), 0, NULL);
	row(c, "notifies rx", total(c, "trace", "notifies.rx"),
	    total(c, "vmm", "vmm.queues.rx.notifies"), total(c, "vmm", "guest.queues.rx.notifies"),
	    0, NULL);
	row(c, "notifies tx", total(c, "trace", "notifies.tx"),
	    total(c, "vmm", "vmm.queues.tx.notifies"), total(c, "vmm", "guest.queues.tx.notifies"),
	    0, NULL);
	row(c, "userspace exits", total(c, "trace", "totals.userspace_exits"),
	    total(c, "vmm", "vmm.userspace_exits"), NAN, 0, NULL);
	double msi = total(c, "trace", "totals.msi");
	row(c, "MSIs", msi, total(c, "vmm", "vmm.msi.*.fired"), NAN, 0, NULL);
	double irqs = total(c, "vmm", "guest.irqs_by_vector.*");
	double delivered = total(c, "trace", "totals.apic_accept_irq");
	double x2 = total(c, "trace", "totals.x2apic_eoi");
	char why[400];
	snprintf(why, sizeof(why),
		 "%.0f accepted by the LAPIC but never taken: pending when the guest "
		 "stopped after its last transaction (at most one per run; the guest "
		 "EOI'd each of the %.0f it took)",
		 delivered - irqs, irqs);
	row(c, "interrupts delivered", delivered, NAN, irqs,
	    delivered >= irqs && delivered - irqs <= c->nruns && x2 == irqs, why);
	pin_rows(c, delivered - msi);
	eoi_rows(c, irqs, irqs - msi);
	guest_rows(c, irqs);
	fputc('\n', f);
}

int reconcile_print(const struct result_set *set, FILE *f)
{
	int bad = 0;
	for (size_t i = 0; i < set->n; i++) {
		struct rec c = {.f = f, .r = &set->r[i]};
		size_t k;
		json_t *rep;
		int have = 0;
		json_array_foreach(json_object_get(c.r->doc, "repetitions"), k, rep)
		{
			const char *st = json_string_value(json_object_get(rep, "status"));
			const json_t *raw = json_object_get(rep, "raw");
			if (!st || strcmp(st, "ok"))
				continue;
			c.nruns++;
			have += json_is_object(json_object_get(raw, "trace")) &&
				json_is_object(json_object_get(raw, "vmm"));
		}
		if (!c.nruns || have != c.nruns) {
			fprintf(f, "Counts reconciled, %.30s: %s\n\n", c.r->label,
				!c.nruns ? "no run completed" : "no raw trace + VMM documents");
			continue;
		}
		reconcile_one(&c);
		bad += c.unexplained;
	}
	return bad;
}
