/* SPDX-License-Identifier: MIT */
#include "tracefs_hist.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../bpf/irqpath_trace.h"

enum shape {
	S_USERSPACE_EXIT, /* reason, errno */
	S_MMIO_READ,	  /* gpa */
	S_MMIO_WRITE_VAL, /* gpa, val (< IRQT_VALUE_LIMIT) */
	S_MMIO_WRITE_BIG, /* gpa (val >= IRQT_VALUE_LIMIT) */
	S_PIO,		  /* rw, port */
	S_MSR,		  /* write, ecx */
	S_MSI,		  /* address, data */
	S_IOAPIC,	  /* pin, e (coalesced == 0) */
	S_IOAPIC_COAL,	  /* pin, e (coalesced != 0) */
	S_SET_IRQ,	  /* level, gsi */
	S_ACK_IRQ,	  /* irqchip, pin */
	S_EOI,		  /* apicid, vector */
	S_APIC_ACCEPT,	  /* vec, apicid */
	S_APIC_IPI,	  /* dest_id, icr_low */
	S_EMULATE_INSN,	  /* failed */
};

/* IRQT_VALUE_LIMIT is 256: the written value is kept below it */
const struct hist_spec hist_specs[] = {
    {"kvm_userspace_exit", "common_pid,reason,errno", NULL, S_USERSPACE_EXIT},
    {"kvm_mmio", "common_pid,gpa", "type == 1", S_MMIO_READ},
    {"kvm_mmio", "common_pid,gpa,val", "type == 2 && val < 256", S_MMIO_WRITE_VAL},
    {"kvm_mmio", "common_pid,gpa", "type == 2 && val >= 256", S_MMIO_WRITE_BIG},
    {"kvm_pio", "common_pid,rw,port", NULL, S_PIO},
    {"kvm_msr", "common_pid,write,ecx", NULL, S_MSR},
    {"kvm_msi_set_irq", "common_pid,address,data", NULL, S_MSI},
    {"kvm_ioapic_set_irq", "common_pid,pin,e", "coalesced == 0", S_IOAPIC},
    {"kvm_ioapic_set_irq", "common_pid,pin,e", "coalesced != 0", S_IOAPIC_COAL},
    {"kvm_set_irq", "common_pid,level,gsi", NULL, S_SET_IRQ},
    {"kvm_ack_irq", "common_pid,irqchip,pin", NULL, S_ACK_IRQ},
    {"kvm_eoi", "common_pid,apicid,vector", NULL, S_EOI},
    {"kvm_apic_accept_irq", "common_pid,vec,apicid", NULL, S_APIC_ACCEPT},
    {"kvm_apic_ipi", "common_pid,dest_id,icr_low", NULL, S_APIC_IPI},
    {"kvm_emulate_insn", "common_pid,failed", NULL, S_EMULATE_INSN},
};
const size_t hist_nspecs = sizeof hist_specs / sizeof *hist_specs;

static void cond_text(const struct hist_spec *s, char *buf, size_t len)
{
	if (s->cond)
		snprintf(buf, len, "%s && %s", s->cond, HIST_NOT_KWORKER);
	else
		snprintf(buf, len, "%s", HIST_NOT_KWORKER);
}

void hist_trigger_text(const struct hist_spec *s, char *buf, size_t len)
{
	char cond[160];
	cond_text(s, cond, sizeof cond);
	/* 16384 entries: as many as the BPF map holds */
	snprintf(buf, len, "hist:keys=%s:vals=hitcount:size=%d if %s", s->keys, IRQT_MAX_ENTRIES,
		 cond);
}

int hist_has_event(const char *event)
{
	for (size_t i = 0; i < hist_nspecs; i++)
		if (!strcmp(hist_specs[i].event, event))
			return 1;
	return 0;
}

/* The spec a section's "# trigger info: hist:keys=K:...:size=N if C [active]"
 * line belongs to, NULL if none of event's. */
static const struct hist_spec *section_spec(const char *event, const char *info)
{
	const char *k = strstr(info, "keys="), *c = strstr(info, " if ");
	if (!k)
		return NULL;
	k += 5;
	size_t klen = strcspn(k, ": ");
	for (size_t i = 0; i < hist_nspecs; i++) {
		const struct hist_spec *s = &hist_specs[i];
		char cond[160];
		if (strcmp(s->event, event) || strlen(s->keys) != klen || strncmp(s->keys, k, klen))
			continue;
		cond_text(s, cond, sizeof cond);
		if (c && !strncmp(c + 4, cond, strlen(cond)))
			return s;
	}
	return NULL;
}

/* "{ common_pid:        126, gpa: 3489660936 } hitcount:          1":
 * the key values in order and the count; the number of values, -1 if the
 * line is no entry. */
static int parse_entry(const char *line, uint64_t *v, int max, uint64_t *hits)
{
	const char *p = strchr(line, '{'), *end = strchr(line, '}');
	int n = 0;
	if (!p || !end || p > end)
		return -1;
	while (p < end && n < max) {
		const char *colon = strchr(p, ':');
		if (!colon || colon > end)
			break;
		const char *num = colon + 1 + strspn(colon + 1, " ");
		char *after;
		/* signed fields (errno) may print negative */
		v[n++] =
		    *num == '-' ? (uint64_t)strtoll(num, &after, 10) : strtoull(num, &after, 10);
		if (after == num)
			return -1;
		p = after;
	}
	const char *h = strstr(end, "hitcount:");
	if (!h)
		return -1;
	*hits = strtoull(h + 9, NULL, 10);
	return n;
}

static int fold_entry(struct counts *out, int shape, const uint64_t *v, uint64_t hits,
		      const struct hist_fns *fn, uint32_t pid)
{
	hist_tgid_fn tgid = fn->tgid;
	void *ctx = fn->ctx;
	struct irqt_key k = {.tid = (uint32_t)v[0], .ctx = IRQT_CTX_THREAD};
	k.pid = tgid(ctx, k.tid);
	if (pid && k.pid != pid)
		return 0;
	switch (shape) {
	case S_USERSPACE_EXIT: {
		int64_t err = (int32_t)v[2];
		k.event = IRQT_EV_USERSPACE_EXIT;
		k.detail = err < 0 ? 0x10000 + (uint64_t)(-err) : v[1];
		break;
	}
	case S_MMIO_READ:
	case S_MMIO_WRITE_VAL:
	case S_MMIO_WRITE_BIG:
		k.event = IRQT_EV_MMIO;
		k.sub = shape == S_MMIO_READ ? 1 : 2;
		k.detail = v[1];
		k.extra = shape == S_MMIO_WRITE_VAL   ? v[2]
			  : shape == S_MMIO_WRITE_BIG ? IRQT_VALUE_LIMIT
						      : 0;
		break;
	case S_PIO:
	case S_MSR:
	case S_SET_IRQ:
		k.event = shape == S_PIO   ? IRQT_EV_PIO
			  : shape == S_MSR ? IRQT_EV_MSR
					   : IRQT_EV_SET_IRQ;
		k.sub = v[1] ? 1 : 0;
		k.detail = v[2];
		break;
	case S_MSI:
		k.event = IRQT_EV_MSI;
		k.detail = v[2] & 0xff;
		k.extra = IRQT_MSI_DEST(v[1]);
		break;
	case S_IOAPIC:
	case S_IOAPIC_COAL:
		k.event = IRQT_EV_IOAPIC_SET_IRQ;
		k.sub = shape == S_IOAPIC_COAL;
		k.detail = (uint32_t)v[1];
		k.extra = v[2] & 0xff;
		break;
	case S_ACK_IRQ:
		k.event = IRQT_EV_ACK_IRQ;
		k.sub = (uint8_t)v[1];
		k.detail = v[2];
		break;
	case S_EOI:
		if (fn->vcpu)
			fn->vcpu(ctx, k.tid, (uint32_t)v[1]); /* apicid: the vCPU of that thread */
		k.event = IRQT_EV_EOI;
		k.detail = (uint32_t)v[2];
		k.extra = (uint32_t)v[1];
		break;
	case S_APIC_ACCEPT:
		k.event = IRQT_EV_APIC_ACCEPT;
		k.detail = v[1];
		k.extra = v[2];
		break;
	case S_APIC_IPI:
		k.event = IRQT_EV_APIC_IPI;
		k.detail = (uint32_t)v[1];
		k.extra = (uint32_t)v[2];
		break;
	case S_EMULATE_INSN:
		k.event = IRQT_EV_EMULATE_INSN;
		k.detail = v[1] ? 1 : 0;
		break;
	default:
		return 0;
	}
	return counts_add(out, &k, hits);
}

int hist_fold(struct counts *out, const char *event, const char *text, const struct hist_fns *fn,
	      uint32_t pid, uint64_t *dropped)
{
	const struct hist_spec *s = NULL;
	const char *line = text;
	while (line && *line) {
		const char *nl = strchr(line, '\n');
		size_t len = nl ? (size_t)(nl - line) : strlen(line);
		char buf[512];
		snprintf(buf, sizeof buf, "%.*s", (int)(len < sizeof buf ? len : sizeof buf - 1),
			 line);
		uint64_t v[3] = {0}, hits;
		unsigned long long d;
		if (!strncmp(buf, "# trigger info:", 15))
			s = section_spec(event, buf);
		else if (s && buf[0] == '{') {
			int n = parse_entry(buf, v, 3, &hits);
			if (n < 1)
				return -1;
			if (fold_entry(out, s->shape, v, hits, fn, pid))
				return -1;
		} else if (s && sscanf(buf, " Dropped: %llu", &d) == 1)
			*dropped += d;
		line = nl ? nl + 1 : NULL;
	}
	return 0;
}
