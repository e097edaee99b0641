/* SPDX-License-Identifier: MIT */
/* Unit tests for the tracefs backend's hist triggers: the trigger lines,
 * and the parser of `hist` files on files read from Debian 6.1's kernel
 * inside the svm-tcg host (collectors/tests/fixtures/hist-6.1-*.txt, an
 * irqpath-trace tracefs run of mmio-legacy): every entry folded into the
 * counters, per section the counts add up to the file's own "Hits:",
 * sections of other triggers skipped, the pid filter, errors. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "../tracefs_hist.h"

#define DEV 0xd0000000ull

static char *slurp(const char *name)
{
	char path[512];
	snprintf(path, sizeof path, "%s/%s", TRACE_FIXTURES, name);
	FILE *f = fopen(path, "r");
	assert_non_null(f);
	static char buf[1 << 16];
	size_t n = fread(buf, 1, sizeof buf - 1, f);
	fclose(f);
	buf[n] = 0;
	return buf;
}

/* every thread belongs to process 500, except tid 7 (process 7) */
static uint32_t tgid(void *ctx, uint32_t tid)
{
	(void)ctx;
	return tid == 7 ? 7 : 500;
}

static uint64_t sum_hits(const char *text)
{
	uint64_t s = 0;
	unsigned long long h;
	for (const char *p = strstr(text, "Hits:"); p; p = strstr(p + 1, "Hits:"))
		if (sscanf(p, "Hits: %llu", &h) == 1)
			s += h;
	return s;
}

static uint64_t total(const struct counts *c, uint16_t ev)
{
	uint64_t s = 0;
	counts_for_each(c, e) if (e->key.event == ev) s += e->value;
	return s;
}

static void test_trigger_text(void **state)
{
	(void)state;
	char buf[256];
	for (size_t i = 0; i < hist_nspecs; i++)
		if (hist_specs[i].cond && !strcmp(hist_specs[i].cond, "type == 2 && val < 256")) {
			hist_trigger_text(&hist_specs[i], buf, sizeof buf);
			assert_string_equal(buf,
					    "hist:keys=common_pid,gpa,val:vals=hitcount:size=16384 "
					    "if type == 2 && val < 256 && !(comm ~ \"kworker*\")");
		}
	for (size_t i = 0; i < hist_nspecs; i++) {
		/* a hist trigger takes at most 3 keys */
		int commas = 0;
		for (const char *p = hist_specs[i].keys; *p; p++)
			commas += *p == ',';
		assert_true(commas <= 2);
	}
	assert_true(hist_has_event("kvm_mmio"));
	assert_false(hist_has_event("kvm_exit")); /* streams: the latency pairs events */
	assert_false(hist_has_event("kvm_entry"));
}

/* Every fixture: folded counts = the file's own hit totals. */
static void test_fixtures_add_up(void **state)
{
	(void)state;
	static const struct {
		const char *ev;
		uint16_t code;
	} fx[] = {
	    {"kvm_mmio", IRQT_EV_MMIO},
	    {"kvm_msr", IRQT_EV_MSR},
	    {"kvm_eoi", IRQT_EV_EOI},
	    {"kvm_userspace_exit", IRQT_EV_USERSPACE_EXIT},
	    {"kvm_ioapic_set_irq", IRQT_EV_IOAPIC_SET_IRQ},
	    {"kvm_set_irq", IRQT_EV_SET_IRQ},
	    {"kvm_ack_irq", IRQT_EV_ACK_IRQ},
	    {"kvm_pio", IRQT_EV_PIO},
	};
	struct hist_fns fn = {.tgid = tgid};
	for (size_t i = 0; i < sizeof fx / sizeof *fx; i++) {
		char name[96];
		snprintf(name, sizeof name, "hist-6.1-%s.txt", fx[i].ev);
		const char *text = slurp(name);
		struct counts c;
		uint64_t dropped = 0;
		counts_init(&c);
		assert_int_equal(hist_fold(&c, fx[i].ev, text, &fn, 0, &dropped), 0);
		assert_true(sum_hits(text) > 0);
		assert_int_equal(total(&c, fx[i].code), sum_hits(text));
		assert_int_equal(dropped, 0);
		counts_free(&c);
	}
}

/* A section with no entries (legacy: APIC accepts happen in the kworker
 * that injects the pin, so they stream). */
static void test_empty_section(void **state)
{
	(void)state;
	struct hist_fns fn = {.tgid = tgid};
	struct counts c;
	uint64_t dropped = 0;
	counts_init(&c);
	assert_int_equal(hist_fold(&c, "kvm_apic_accept_irq",
				   slurp("hist-6.1-kvm_apic_accept_irq.txt"), &fn, 0, &dropped),
			 0);
	assert_int_equal(c.len, 0);
	counts_free(&c);
}

/* The keys per-vCPU attribution needs: an EOI's apicid (the 6.1 file) and
 * an IPI's dest_id and icr_low, in the shape kvm_apic_ipi's trigger
 * prints them (hist keys are printed in decimal). */
static void test_vcpu_keys(void **state)
{
	(void)state;
	struct hist_fns fn = {.tgid = tgid};
	struct counts c;
	uint64_t dropped = 0;
	counts_init(&c);
	assert_int_equal(hist_fold(&c, "kvm_eoi", slurp("hist-6.1-kvm_eoi.txt"), &fn, 0, &dropped),
			 0);
	struct irqt_key k = {
	    .pid = 500, .tid = 127, .event = IRQT_EV_EOI, .detail = 48, .extra = 0};
	assert_int_equal(counts_get(&c, &k), 1457);
	const char *ipi =
	    "# trigger info: hist:keys=common_pid,dest_id,icr_low:vals=hitcount:sort=hitcount:"
	    "size=16384 if !(comm ~ \"kworker*\") [active]\n"
	    "{ common_pid:        264, dest_id:          1, icr_low:      16624 } hitcount:        "
	    " 98\n"
	    "Totals:\n    Hits: 98\n    Entries: 1\n    Dropped: 0\n";
	assert_int_equal(hist_fold(&c, "kvm_apic_ipi", ipi, &fn, 0, &dropped), 0);
	struct irqt_key ik = {
	    .pid = 500, .tid = 264, .event = IRQT_EV_APIC_IPI, .detail = 1, .extra = 0x40f0};
	assert_int_equal(counts_get(&c, &ik), 98);
	counts_free(&c);
}

/* The legacy transport's registers, by their keys. */
static void test_mmio_keys(void **state)
{
	(void)state;
	const char *text = slurp("hist-6.1-kvm_mmio.txt");
	struct hist_fns fn = {.tgid = tgid};
	struct counts c;
	uint64_t dropped = 0, status = 0, ack = 0, notify_tx = 0;
	counts_init(&c);
	assert_int_equal(hist_fold(&c, "kvm_mmio", text, &fn, 0, &dropped), 0);
	counts_for_each(&c, e)
	{
		assert_int_equal(e->key.pid, 500);
		assert_int_equal(e->key.ctx, IRQT_CTX_THREAD);
		assert_true(e->key.sub == 1 || e->key.sub == 2); /* never the unsatisfied half */
		if (e->key.sub == 1 && e->key.detail == DEV + 0x60)
			status += e->value;
		if (e->key.sub == 2 && e->key.detail == DEV + 0x64 && e->key.extra == 1)
			ack += e->value;
		if (e->key.sub == 2 && e->key.detail == DEV + 0x50 && e->key.extra == 1)
			notify_tx += e->value;
		if (e->key.sub == 1)
			assert_int_equal(e->key.extra, 0);
		if (e->key.sub == 2)
			assert_true(e->key.extra <= IRQT_VALUE_LIMIT);
	}
	/* each interrupt: one InterruptStatus read, one InterruptACK write
	 * (the VM was stopped at some point: the last ACK may be missing) */
	assert_true(status > 100);
	assert_true(status == ack || status == ack + 1);
	assert_true(notify_tx > 100);
	counts_free(&c);
}

static void test_sections_and_errors(void **state)
{
	(void)state;
	struct hist_fns fn = {.tgid = tgid};
	struct counts c;
	uint64_t dropped = 0;
	counts_init(&c);
	/* a section of some other trigger is skipped; negative errno; pid 7 filtered */
	const char *text =
	    "# event histogram\n#\n"
	    "# trigger info: hist:keys=common_pid:vals=hitcount:sort=hitcount:size=2048 [active]\n"
	    "#\n\n{ common_pid:        126 } hitcount:         99\n\nTotals:\n    Hits: 99\n"
	    "    Entries: 1\n    Dropped: 5\n\n"
	    "# event histogram\n#\n"
	    "# trigger info: hist:keys=common_pid,reason,errno:vals=hitcount:sort=hitcount:"
	    "size=16384 if !(comm ~ \"kworker*\") [active]\n#\n\n"
	    "{ common_pid:        126, reason:          6, errno:          0 } hitcount:         "
	    "40\n"
	    "{ common_pid:        126, reason:          0, errno:         -4 } hitcount:          "
	    "2\n"
	    "{ common_pid:        126, reason:          0, errno: 4294967292 } hitcount:          "
	    "1\n"
	    "{ common_pid:          7, reason:          6, errno:          0 } hitcount:          "
	    "8\n"
	    "\nTotals:\n    Hits: 51\n    Entries: 4\n    Dropped: 3\n";
	assert_int_equal(hist_fold(&c, "kvm_userspace_exit", text, &fn, 500, &dropped), 0);
	struct irqt_key mmio = {.pid = 500,
				.tid = 126,
				.event = IRQT_EV_USERSPACE_EXIT,
				.ctx = IRQT_CTX_THREAD,
				.detail = 6};
	assert_int_equal(counts_get(&c, &mmio), 40);
	mmio.detail = 0x10004; /* -EINTR, printed either way */
	assert_int_equal(counts_get(&c, &mmio), 3);
	assert_int_equal(total(&c, IRQT_EV_USERSPACE_EXIT), 43); /* pid 7 not traced */
	assert_int_equal(dropped, 3);				 /* only our section's */
	/* the same text for an event it does not belong to: nothing */
	counts_clear(&c);
	assert_int_equal(hist_fold(&c, "kvm_mmio", text, &fn, 0, &dropped), 0);
	assert_int_equal(c.len, 0);
	/* a malformed entry in one of our sections */
	const char *bad = "# trigger info: hist:keys=common_pid,rw,port:vals=hitcount:size=16384 "
			  "if !(comm ~ \"kworker*\") [active]\n{ common_pid: x } hitcount: 1\n";
	assert_int_equal(hist_fold(&c, "kvm_pio", bad, &fn, 0, &dropped), -1);
	counts_free(&c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_trigger_text),	cmocka_unit_test(test_fixtures_add_up),
	    cmocka_unit_test(test_empty_section),	cmocka_unit_test(test_mmio_keys),
	    cmocka_unit_test(test_sections_and_errors), cmocka_unit_test(test_vcpu_keys)};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
