/* SPDX-License-Identifier: MIT */
/* Unit tests for the live view: classes in order (exits first), one row
 * per MMIO access, interval and since-start counts, sort keys, regex and
 * class filters, the JSON line's rows, and option errors. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "../live.h"

#define DEV 0xd0000000ull

static struct irqt_key key(uint16_t ev, uint8_t sub, uint64_t detail, uint64_t extra)
{
	struct irqt_key k = {
	    .pid = 100, .tid = 11, .event = ev, .sub = sub, .detail = detail, .extra = extra};
	return k;
}

struct fixture {
	struct counts cur, delta;
	struct layout l;
	struct tracer t;
	struct report_ctx rc;
};

/* A legacy interval: 10 interrupts; since the start 30. */
static int setup(void **state)
{
	static struct fixture f;
	char err[256];
	memset(&f, 0, sizeof f);
	f.t.backend = "bpf";
	counts_init(&f.cur);
	counts_init(&f.delta);
	if (layout_from_device(&f.l, "mmio-legacy@0xd0000000", err, sizeof err))
		return -1;
	struct {
		struct irqt_key k;
		uint64_t n;
	} in[] = {
	    {key(IRQT_EV_MMIO, 0, DEV + 0x60, 0), 10}, /* unsatisfied half of the reads below */
	    {key(IRQT_EV_MMIO, 1, DEV + 0x60, 0), 10},
	    {key(IRQT_EV_MMIO, 2, DEV + 0x64, 1), 10},
	    {key(IRQT_EV_MMIO, 2, DEV + 0x50, 1), 20}, /* QueueNotify tx */
	    {key(IRQT_EV_MSR, 1, 0x80b, 0), 10},
	    {key(IRQT_EV_IOAPIC_SET_IRQ, 0, 5, 0x30), 20},
	    {key(IRQT_EV_ACK_IRQ, 2, 5, 0), 10},
	    {key(IRQT_EV_APIC_ACCEPT, 0, 0x30, 0), 10},
	    {key(IRQT_EV_PIO, 1, 0x3f8, 0), 5},
	    {key(IRQT_EV_USERSPACE_EXIT, 0, 6, 0), 30},
	};
	for (size_t i = 0; i < sizeof in / sizeof *in; i++) {
		counts_add(&f.delta, &in[i].k, in[i].n);
		counts_add(&f.cur, &in[i].k, 3 * in[i].n);
	}
	struct irqt_key old = key(IRQT_EV_MSI, 0, 0x41, 0); /* seen before, not this interval */
	counts_add(&f.cur, &old, 7);
	f.rc = (struct report_ctx){.tracer = &f.t, .layout = &f.l, .vcpu_filter = -1};
	*state = &f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	counts_free(&f->cur);
	counts_free(&f->delta);
	return 0;
}

static const struct live_row *find(const struct live_rows *r, const char *label)
{
	for (size_t i = 0; i < r->n; i++)
		if (!strcmp(r->v[i].label, label))
			return &r->v[i];
	return NULL;
}

static void test_rows(void **state)
{
	struct fixture *f = *state;
	struct live_opts o = {.top = 12};
	struct live_rows r;
	assert_int_equal(live_rows_build(&r, &f->delta, &f->cur, &f->rc, 100, &o), 0);
	/* exits first: the total, by reason (derived here), userspace exits */
	assert_true(r.v[0].is_total);
	assert_string_equal(r.v[0].label, "exits (all)");
	assert_int_equal(r.v[0].n, 10 + 10 + 20 + 10 + 5); /* reads + writes + MSR + PIO */
	assert_int_equal(r.v[0].total, 3 * 55);
	assert_string_equal(r.v[1].label, "exit MMIO");
	assert_int_equal(r.v[1].n, 40);
	/* one row per access: no row for the unsatisfied half */
	for (size_t i = 0; i < r.n; i++)
		assert_null(strstr(r.v[i].label, "unsat"));
	const struct live_row *rd = find(&r, "mmio-read InterruptStatus");
	assert_non_null(rd);
	assert_int_equal(rd->cls, LIVE_REGISTERS);
	assert_int_equal(rd->n, 10);
	assert_int_equal(rd->total, 30);
	assert_int_equal(find(&r, "notify tx (QueueNotify)")->cls, LIVE_QUEUES);
	assert_int_equal(find(&r, "ioapic set_irq pin 5")->cls, LIVE_VECTORS);
	assert_int_equal(find(&r, "ioapic eoi pin 5")->cls, LIVE_EOIS);
	assert_int_equal(find(&r, "msr-write 0x80b (x2APIC EOI)")->cls, LIVE_EOIS);
	assert_int_equal(find(&r, "pio-out 0x3f8")->cls, LIVE_OTHER);
	assert_int_equal(find(&r, "userspace-exit MMIO")->cls, LIVE_EXITS);
	/* a vector seen before this interval keeps its row, 0 now */
	const struct live_row *msi = find(&r, "msi vector 65");
	assert_non_null(msi);
	assert_int_equal(msi->n, 0);
	assert_int_equal(msi->total, 7);
	/* classes never go backwards */
	for (size_t i = 1; i < r.n; i++)
		assert_true(r.v[i - 1].cls <= r.v[i].cls);
	live_rows_free(&r);
}

static void test_sort_filter(void **state)
{
	struct fixture *f = *state;
	struct live_opts o = {.top = 12};
	struct live_rows r;
	char err[256];
	/* rate: vectors by interval count, msi (0 now) last */
	assert_int_equal(live_rows_build(&r, &f->delta, &f->cur, &f->rc, 100, &o), 0);
	const struct live_row *first = NULL, *last = NULL;
	for (size_t i = 0; i < r.n; i++)
		if (r.v[i].cls == LIVE_VECTORS) {
			first = first ? first : &r.v[i];
			last = &r.v[i];
		}
	assert_string_equal(first->label, "ioapic set_irq pin 5");
	assert_string_equal(last->label, "msi vector 65");
	live_rows_free(&r);
	/* name */
	assert_int_equal(live_parse_sort(&o, "name", err, sizeof err), 0);
	assert_int_equal(live_rows_build(&r, &f->delta, &f->cur, &f->rc, 100, &o), 0);
	for (size_t i = 0; i < r.n; i++)
		if (r.v[i].cls == LIVE_VECTORS) {
			assert_string_equal(r.v[i].label, "apic accept vector 48");
			break;
		}
	live_rows_free(&r);
	/* filter: a regex on the label, any case */
	assert_int_equal(live_parse_filter(&o, "interrupt(status|ack)", err, sizeof err), 0);
	assert_int_equal(live_rows_build(&r, &f->delta, &f->cur, &f->rc, 100, &o), 0);
	assert_int_equal(r.n, 2);
	assert_string_equal(r.v[0].label, "mmio-read InterruptStatus");
	assert_string_equal(r.v[1].label, "mmio-write InterruptACK");
	live_rows_free(&r);
	live_opts_free(&o);
	/* classes */
	assert_int_equal(live_parse_classes(&o, "eois,exits", err, sizeof err), 0);
	assert_int_equal(live_rows_build(&r, &f->delta, &f->cur, &f->rc, 100, &o), 0);
	for (size_t i = 0; i < r.n; i++)
		assert_true(r.v[i].cls == LIVE_EOIS || r.v[i].cls == LIVE_EXITS);
	assert_non_null(find(&r, "ioapic eoi pin 5"));
	live_rows_free(&r);
	/* top: rows per class, the exits total kept */
	o.classes = 0;
	o.top = 1;
	assert_int_equal(live_rows_build(&r, &f->delta, &f->cur, &f->rc, 100, &o), 0);
	int per[LIVE_NCLASSES] = {0};
	for (size_t i = 0; i < r.n; i++)
		per[r.v[i].cls] += !r.v[i].is_total;
	for (int c = 0; c < LIVE_NCLASSES; c++)
		assert_true(per[c] <= 1);
	assert_true(r.v[0].is_total);
	live_rows_free(&r);
}

static void test_option_errors(void **state)
{
	(void)state;
	struct live_opts o = {0};
	char err[256];
	assert_int_equal(live_parse_sort(&o, "speed", err, sizeof err), -1);
	assert_non_null(strstr(err, "unknown sort key 'speed'"));
	assert_int_equal(live_parse_classes(&o, "exits,irqs", err, sizeof err), -1);
	assert_non_null(strstr(err, "unknown event class 'irqs'"));
	assert_int_equal(live_parse_classes(&o, ",", err, sizeof err), -1);
	assert_int_equal(live_parse_filter(&o, "a(b", err, sizeof err), -1);
	assert_non_null(strstr(err, "bad --filter regular expression 'a(b'"));
	live_opts_free(&o);
}

static void test_table_and_json(void **state)
{
	struct fixture *f = *state;
	struct live_opts o = {.top = 12};
	char *buf = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&buf, &len);
	live_table(m, &f->delta, &f->cur, &f->rc, 2.0, &o);
	fclose(m);
	/* labelled columns, exits above everything, per second = count / 2 s */
	assert_non_null(strstr(buf, "PER SECOND"));
	assert_non_null(strstr(buf, "INTERVAL"));
	assert_non_null(strstr(buf, "TOTAL"));
	/* section headings, in order, below the exits */
	const char *order[] = {"exits (all)",	"\n  registers\n", "\n  queues\n",
			       "\n  vectors\n", "\n  eois\n",	   "\n  other\n"};
	char *prev = buf;
	for (size_t i = 0; i < sizeof order / sizeof *order; i++) {
		char *at = strstr(buf, order[i]);
		assert_non_null(at);
		assert_true(at > prev);
		prev = at;
	}
	assert_non_null(strstr(buf, "27.5")); /* 55 exits / 2 s */
	assert_null(strstr(buf, "unsat"));
	free(buf);

	json_t *line = live_json(&f->delta, &f->cur, &f->rc, 2.0, 3, &o);
	json_t *vm = json_array_get(json_object_get(line, "vms"), 0);
	assert_int_equal(json_integer_value(json_object_get(vm, "pid")), 100);
	assert_int_equal(
	    json_integer_value(json_object_get(json_object_get(vm, "totals_since_start"), "mmio")),
	    3 * 40);
	json_t *ev = json_object_get(vm, "events"), *row;
	size_t i;
	int seen = 0;
	json_array_foreach(ev, i, row)
	{
		if (strcmp(json_string_value(json_object_get(row, "event")),
			   "mmio-write InterruptACK"))
			continue;
		seen = 1;
		assert_string_equal(json_string_value(json_object_get(row, "class")), "registers");
		assert_int_equal(json_integer_value(json_object_get(row, "count")), 10);
		assert_int_equal(json_integer_value(json_object_get(row, "total")), 30);
		assert_true(json_real_value(json_object_get(row, "per_second")) == 5.0);
	}
	assert_true(seen);
	json_decref(line);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_rows), cmocka_unit_test(test_sort_filter),
	    cmocka_unit_test(test_option_errors), cmocka_unit_test(test_table_and_json)};
	return cmocka_run_group_tests(tests, setup, teardown);
}
