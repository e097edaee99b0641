// SPDX-License-Identifier: MIT
#include "guest_results.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include "guest_text.h"

void guest_snapshot(struct gabi_mailbox *dst, const volatile struct gabi_mailbox *src)
{
	const volatile uint8_t *s = (const volatile uint8_t *)src;
	uint8_t *d = (uint8_t *)dst;
	for (size_t i = 0; i < sizeof(*dst); i++)
		d[i] = s[i];
}

static json_t *queue_json(const struct gabi_queue_counts *q)
{
	return json_pack("{s:I,s:I,s:I,s:I}", "notifies", (json_int_t)q->notifies, "interrupts",
			 (json_int_t)q->interrupts, "callbacks", (json_int_t)q->callbacks, "used",
			 (json_int_t)q->used);
}

static const char *state_name(uint32_t s)
{
	return s == GABI_STATE_DONE	 ? "done"
	       : s == GABI_STATE_FAILED	 ? "failed"
	       : s == GABI_STATE_RUNNING ? "running"
	       : s == GABI_STATE_BOOT	 ? "boot"
					 : "invalid";
}

json_t *guest_results_json(const struct gabi_mailbox *mb, const char *const *queue_names,
			   unsigned nq)
{
	json_t *g = json_pack(
	    "{s:I,s:I,s:I,s:I,s:I,s:I,s:s,s:s}", "status_reads", (json_int_t)mb->status_reads,
	    "status_zero", (json_int_t)mb->status_zero, "acks", (json_int_t)mb->acks, "spurious",
	    (json_int_t)mb->spurious, "config_interrupts", (json_int_t)mb->config_interrupts,
	    "msi_vectors", (json_int_t)mb->msi_vectors, "state", state_name(mb->state), "error",
	    mb->state == GABI_STATE_FAILED ? GTEXT(mb->error) : "");
	if (!g)
		return NULL;
	json_t *qs = json_object();
	for (unsigned q = 0; q < nq && q < GABI_MAX_QUEUES; q++)
		json_object_set_new(qs, queue_names[q], queue_json(&mb->q[q]));
	json_object_set_new(g, "queues", qs);
	json_object_set_new(g, "rx_ignored", json_integer((json_int_t)mb->rx_ignored));
	json_t *vec = json_object();
	for (unsigned v = 0; v < 256; v++)
		if (mb->irqs_by_vector[v]) {
			char k[16];
			snprintf(k, sizeof(k), "%u", v);
			json_object_set_new(vec, k,
					    json_integer((json_int_t)mb->irqs_by_vector[v]));
		}
	json_object_set_new(g, "irqs_by_vector", vec);
	return g;
}

struct check {
	json_t *problems;
	unsigned n;
};

static void problem(struct check *c, const char *fmt, ...)
{
	if (c->problems && json_array_size(c->problems) < GUEST_MAX_PROBLEMS) {
		char buf[160];
		va_list ap;
		va_start(ap, fmt);
		vsnprintf(buf, sizeof(buf), fmt, ap);
		va_end(ap);
		json_array_append_new(c->problems, json_string(buf));
	}
	c->n++;
}

/* count <= limit, else a problem naming both. */
static void at_most(struct check *c, const char *what, uint64_t count, const char *limit_what,
		    uint64_t limit)
{
	if (count > limit)
		problem(c, "guest reports %s %llu, more than %s %llu", what,
			(unsigned long long)count, limit_what, (unsigned long long)limit);
}

unsigned guest_counts_check(const struct gabi_mailbox *mb, const struct guest_seen *seen,
			    json_t *problems)
{
	struct check c = {problems, 0};
	/* Each finished transaction sent one request and got one response through the device. */
	if (seen->transactions_asked)
		at_most(&c, "transactions", mb->done, "asked for", seen->transactions_asked);
	at_most(&c, "transactions", mb->done, "requests the device took", seen->tx_buffers);
	at_most(&c, "transactions", mb->done, "responses the device delivered", seen->rx_buffers);
	at_most(&c, "latency samples", mb->latency_count, "transactions", mb->done);
	at_most(&c, "MSI vectors", mb->msi_vectors, "the MSI-X limit", GUEST_MAX_MSI_VECTORS);
	if (mb->tsc_end < mb->tsc_start)
		problem(&c, "guest's TSC went backwards (start %llu, end %llu)",
			(unsigned long long)mb->tsc_start, (unsigned long long)mb->tsc_end);
	/* Counts with no exact witness: bounded by the time the guest ran. */
	double el = seen->elapsed_s > 0 ? seen->elapsed_s : 0;
	double cap_d = el * GUEST_MAX_EVENTS_PER_S + 1;
	uint64_t cap = cap_d >= 1.8e19 ? UINT64_MAX : (uint64_t)cap_d;
	const char *cap_what = "one per nanosecond of run time";
	const struct {
		const char *name;
		uint64_t v;
	} events[] = {
	    {"status reads", mb->status_reads},
	    {"status reads of 0", mb->status_zero},
	    {"acks", mb->acks},
	    {"config interrupts", mb->config_interrupts},
	    {"spurious interrupts", mb->spurious},
	    {"ignored frames", mb->rx_ignored},
	    {"rx notifies", mb->q[0].notifies},
	    {"rx interrupts", mb->q[0].interrupts},
	    {"rx callbacks", mb->q[0].callbacks},
	    {"rx used entries", mb->q[0].used},
	    {"tx notifies", mb->q[1].notifies},
	    {"tx interrupts", mb->q[1].interrupts},
	    {"tx callbacks", mb->q[1].callbacks},
	    {"tx used entries", mb->q[1].used},
	};
	for (size_t i = 0; i < sizeof(events) / sizeof(events[0]); i++)
		at_most(&c, events[i].name, events[i].v, cap_what, cap);
	at_most(&c, "status reads of 0", mb->status_zero, "status reads", mb->status_reads);
	uint64_t sum = 0;
	for (unsigned v = 0; v < 256; v++) {
		at_most(&c, "interrupts on one vector", mb->irqs_by_vector[v], cap_what, cap);
		sum = mb->irqs_by_vector[v] > UINT64_MAX - sum ? UINT64_MAX
							       : sum + mb->irqs_by_vector[v];
	}
	at_most(&c, "interrupts (all vectors)", sum, cap_what, cap);
	return c.n;
}

json_t *guest_per_vcpu_json(const struct gabi_vcpu *vc, unsigned n)
{
	json_t *o = json_object();
	for (unsigned i = 0; i < n; i++) {
		const struct gabi_vcpu *v = &vc[i];
		json_t *vec = json_object();
		for (unsigned k = 0; k < 256; k++)
			if (v->irqs_by_vector[k]) {
				char key[16];
				snprintf(key, sizeof(key), "%u", k);
				json_object_set_new(vec, key,
						    json_integer((json_int_t)v->irqs_by_vector[k]));
			}
		char key[16];
		snprintf(key, sizeof(key), "%u", i);
		json_object_set_new(
		    o, key,
		    json_pack("{s:I,s:I,s:o,s:I,s:I,s:I,s:I,s:I,s:I}", "transactions",
			      (json_int_t)v->transactions, "interrupts", (json_int_t)v->interrupts,
			      "irqs_by_vector", vec, "status_reads", (json_int_t)v->status_reads,
			      "acks", (json_int_t)v->acks, "ipis_sent", (json_int_t)v->ipis_sent,
			      "ipis_received", (json_int_t)v->ipis_received, "spurious",
			      (json_int_t)v->spurious, "apic_id", (json_int_t)v->apic_id));
	}
	return o;
}

static uint64_t add_sat(uint64_t a, uint64_t b)
{
	return a > UINT64_MAX - b ? UINT64_MAX : a + b;
}

/* sum over vCPUs == total, else a problem naming both. */
static void sums_to(struct check *c, const char *what, uint64_t sum, uint64_t total)
{
	if (sum != total)
		problem(c, "per-vCPU %s add up to %llu, the total says %llu", what,
			(unsigned long long)sum, (unsigned long long)total);
}

unsigned guest_vcpu_check(const struct gabi_mailbox *mb, const struct gabi_vcpu *vc, unsigned n,
			  const struct guest_pairs_seen *seen, json_t *problems)
{
	struct check c = {problems, 0};
	uint64_t tr = 0, st = 0, ack = 0, sp = 0, sent = 0, recv = 0, vec_sum[256] = {0};
	for (unsigned i = 0; i < n; i++) {
		const struct gabi_vcpu *v = &vc[i];
		uint64_t irqs = 0;
		tr = add_sat(tr, v->transactions);
		st = add_sat(st, v->status_reads);
		ack = add_sat(ack, v->acks);
		sp = add_sat(sp, v->spurious);
		sent = add_sat(sent, v->ipis_sent);
		recv = add_sat(recv, v->ipis_received);
		for (unsigned k = 0; k < 256; k++) {
			vec_sum[k] = add_sat(vec_sum[k], v->irqs_by_vector[k]);
			irqs = add_sat(irqs, v->irqs_by_vector[k]);
		}
		if (irqs != v->interrupts)
			problem(&c, "vCPU %u reports %llu interrupts but %llu by vector", i,
				(unsigned long long)v->interrupts, (unsigned long long)irqs);
		/* vCPU i's client runs on pair i: one request and one response each */
		if (seen && i < seen->pairs) {
			at_most(&c, "one vCPU's transactions", v->transactions,
				"requests its pair's tx queue took", seen->tx_buffers[i]);
			at_most(&c, "one vCPU's transactions", v->transactions,
				"responses its pair's rx queue delivered", seen->rx_buffers[i]);
		}
	}
	sums_to(&c, "transactions", tr, mb->done);
	sums_to(&c, "status reads", st, mb->status_reads);
	sums_to(&c, "acks", ack, mb->acks);
	sums_to(&c, "spurious interrupts", sp, mb->spurious);
	at_most(&c, "IPIs received", recv, "IPIs sent", sent);
	for (unsigned k = 0; k < 256; k++)
		if (vec_sum[k] != mb->irqs_by_vector[k]) {
			char what[48];
			snprintf(what, sizeof(what), "interrupts on vector %u", k);
			sums_to(&c, what, vec_sum[k], mb->irqs_by_vector[k]);
		}
	return c.n;
}
