/* SPDX-License-Identifier: MIT */
/* Unit tests for per-vCPU attribution (collectors/vcpu_attr.c,
 * report_vcpu.c): an MSI's destination from its address, thread -> vCPU
 * maps (layout, thread names in /proc, learned ids), shared vectors named
 * by all their queues from layout files, IPIs per pair, and the per_vcpu
 * keys of a snapshot of one VM and of every VM. */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cmocka.h>

#include "../counts.h"
#include "../layout.h"
#include "../live.h"
#include "../report.h"
#include "../tracer.h"
#include "../vcpu_attr.h"

static json_t *path_get(json_t *o, const char *path)
{
	char buf[256];
	snprintf(buf, sizeof buf, "%s", path);
	for (char *save = NULL, *k = strtok_r(buf, ".", &save); k && o;
	     k = strtok_r(NULL, ".", &save))
		o = json_object_get(o, k);
	return o;
}

static long long geti(json_t *o, const char *path)
{
	json_t *v = path_get(o, path);
	return json_is_integer(v) ? (long long)json_integer_value(v) : -1;
}

static const char *gets_(json_t *o, const char *path)
{
	return json_string_value(path_get(o, path));
}

static struct irqt_key key(uint32_t pid, uint32_t tid, uint16_t ev, uint64_t detail, uint64_t extra)
{
	struct irqt_key k = {.pid = pid, .tid = tid, .event = ev, .detail = detail, .extra = extra};
	if (ev == IRQT_EV_MMIO)
		k.sub = 1;
	return k;
}

/* kvm_msi_set_irq's address: destination APIC id in bits 19:12, the
 * extended id above 255 in the high dword's bits 31:8. */
static void test_msi_dest(void **state)
{
	(void)state;
	assert_int_equal(IRQT_MSI_DEST(0xfee00000ull), 0);
	assert_int_equal(IRQT_MSI_DEST(0xfee01000ull), 1);
	assert_int_equal(IRQT_MSI_DEST(0xfee3f00cull), 0x3f);
	assert_int_equal(IRQT_MSI_DEST(0xfeeff000ull), 0xff);
	assert_int_equal(IRQT_MSI_DEST((0x100ull << 32) | 0xfee05000ull), 0x105);
	/* the MSI is taken by that vCPU, whichever thread injected it */
	struct tracer t;
	memset(&t, 0, sizeof t);
	tracer_set_vcpu(&t, 11, 0);
	struct irqt_key k = key(100, 12, IRQT_EV_MSI, 0x41, IRQT_MSI_DEST(0xfee01000ull));
	struct attr a[2];
	assert_int_equal(attr_key(&k, &t, NULL, a), 1);
	assert_int_equal(a[0].vcpu, 1);
	assert_int_equal(a[0].metric, ATTR_TAKEN);
}

static void test_comm_names(void **state)
{
	(void)state;
	assert_int_equal(vcpu_from_comm("vcpu0"), 0);
	assert_int_equal(vcpu_from_comm("vcpu12\n"), 12);
	assert_int_equal(vcpu_from_comm("CPU 3/KVM"), 3);
	assert_int_equal(vcpu_from_comm("CPU 63/KVM\n"), 63);
	assert_int_equal(vcpu_from_comm("irqpath-vmm"), -1);
	assert_int_equal(vcpu_from_comm("vcpu"), -1);
	assert_int_equal(vcpu_from_comm("vcpu1a"), -1);
	assert_int_equal(vcpu_from_comm("CPU 1"), -1);
	assert_int_equal(vcpu_from_comm("CPU x/KVM"), -1);
	assert_int_equal(vcpu_from_comm("worker"), -1);
}

static pthread_barrier_t named, done;
static uint32_t named_tid;

static void *named_thread(void *arg)
{
	pthread_setname_np(pthread_self(), arg);
	named_tid = (uint32_t)syscall(SYS_gettid);
	pthread_barrier_wait(&named);
	pthread_barrier_wait(&done);
	return NULL;
}

/* A live thread named like a VMM's vCPU thread, found in /proc. */
static void check_proc_name(const char *name, int want)
{
	struct tracer t;
	pthread_t th;
	memset(&t, 0, sizeof t);
	pthread_barrier_init(&named, NULL, 2);
	pthread_barrier_init(&done, NULL, 2);
	assert_int_equal(pthread_create(&th, NULL, named_thread, (void *)name), 0);
	pthread_barrier_wait(&named);
	vcpu_learn_tasks(&t, NULL, (uint32_t)getpid());
	assert_int_equal(tracer_vcpu_of(&t, named_tid), want);
	/* the same thread found from the counters' keys */
	struct tracer t2;
	struct counts c;
	memset(&t2, 0, sizeof t2);
	counts_init(&c);
	struct irqt_key k = key((uint32_t)getpid(), named_tid, IRQT_EV_MMIO, 0xd0000060, 0);
	counts_add(&c, &k, 1);
	vcpu_learn_comm(&t2, NULL, &c);
	assert_int_equal(tracer_vcpu_of(&t2, named_tid), want);
	counts_free(&c);
	pthread_barrier_wait(&done);
	pthread_join(th, NULL);
	pthread_barrier_destroy(&named);
	pthread_barrier_destroy(&done);
}

static void test_tid_map(void **state)
{
	(void)state;
	check_proc_name("vcpu5", 5);
	check_proc_name("CPU 2/KVM", 2);
	check_proc_name("io-thread", -1);

	/* the layout's vcpus come first, for its own pid only */
	struct layout l;
	struct tracer t;
	char err[256];
	memset(&t, 0, sizeof t);
	assert_int_equal(
	    layout_from_file(&l, TRACE_FIXTURES "/layout-mq-2x2-m3.json", err, sizeof err), 0);
	assert_int_equal(l.nvcpus, 2);
	tracer_set_vcpu(&t, 5002, 7); /* a learned id the layout overrides */
	tracer_set_vcpu(&t, 6000, 3);
	assert_int_equal(attr_thread_vcpu(&t, &l, 4242, 5001), 0);
	assert_int_equal(attr_thread_vcpu(&t, &l, 4242, 5002), 1);
	/* a thread the layout does not list is no vCPU, whatever its events said */
	assert_int_equal(attr_thread_vcpu(&t, &l, 4242, 6000), -1);
	assert_int_equal(attr_thread_vcpu(&t, &l, 999, 5002), 7);
	assert_int_equal(attr_thread_vcpu(&t, &l, 999, 6000), 3);
	assert_int_equal(attr_thread_vcpu(&t, &l, 4242, 6001), -1);
}

/* --msi-vectors 1 on mmio-v3, the layout a real run wrote: one vector for
 * config and both queues, named by all three (it was named "config"
 * or "rx" by whichever came first). */
static void test_shared_vector_msi1(void **state)
{
	(void)state;
	struct layout l;
	struct tracer t;
	char err[256];
	memset(&t, 0, sizeof t);
	t.backend = "bpf";
	assert_int_equal(
	    layout_from_file(&l, TRACE_FIXTURES "/layout-v3-msi1.json", err, sizeof err), 0);
	assert_string_equal(layout_vector_queue(&l, 64), "config+rx+tx");
	assert_int_equal(layout_vector_nqueues(&l, 64), 3);
	struct counts c;
	counts_init(&c);
	struct irqt_key k = key((uint32_t)l.pid, 7, IRQT_EV_MSI, 64, 0);
	counts_add(&c, &k, 300);
	struct report_ctx rc = {.tracer = &t, .layout = &l, .vcpu_filter = -1};
	json_t *s = report_snapshot(&c, &rc, (uint32_t)l.pid);
	assert_string_equal(gets_(s, "msi_by_vector.64.queue"), "config+rx+tx");
	json_t *qs = path_get(s, "msi_by_vector.64.queues");
	assert_int_equal(json_array_size(qs), 3);
	assert_string_equal(json_string_value(json_array_get(qs, 1)), "rx");
	assert_string_equal(gets_(s, "per_queue.rx.msi_shared"), "config+rx+tx");
	assert_string_equal(gets_(s, "per_queue.tx.msi_shared"), "config+rx+tx");
	assert_null(path_get(s, "per_queue.rx.msi"));
	assert_int_equal(geti(s, "per_vcpu.0.msi"), 300);
	json_decref(s);
	counts_free(&c);
}

/* A design where the guest shares by giving several entries one message
 * (addrdata's pairs, the Linux driver with msi_vectors=2): the entries are
 * one CPU vector, so one interrupt, named by both queues (the last entry's
 * name won before, and the shared vector read as "tx" alone). */
static void test_shared_message_entries(void **state)
{
	(void)state;
	struct layout l;
	struct tracer t;
	char err[256];
	memset(&t, 0, sizeof t);
	t.backend = "bpf";
	assert_int_equal(
	    layout_from_file(&l, TRACE_FIXTURES "/layout-addrdata-shared.json", err, sizeof err), 0);
	assert_string_equal(layout_vector_queue(&l, 35), "rx+tx");
	assert_int_equal(layout_vector_nqueues(&l, 35), 2);
	assert_string_equal(layout_vector_queue(&l, 34), "config");
	struct counts c;
	counts_init(&c);
	struct irqt_key k = key((uint32_t)l.pid, 7001, IRQT_EV_MSI, 35, 0);
	counts_add(&c, &k, 40);
	struct report_ctx rc = {.tracer = &t, .layout = &l, .vcpu_filter = -1};
	json_t *s = report_snapshot(&c, &rc, (uint32_t)l.pid);
	assert_string_equal(gets_(s, "msi_by_vector.35.queue"), "rx+tx");
	assert_int_equal(json_array_size(path_get(s, "msi_by_vector.35.queues")), 2);
	json_decref(s);
	counts_free(&c);
}

/* The multi-queue layout (SPEC-12): vectors list their queues; per_queue
 * gives owners; MSIs land on the vCPU their destination names. */
static void test_shared_vector_mq(void **state)
{
	(void)state;
	struct layout l;
	struct tracer t;
	char err[256];
	memset(&t, 0, sizeof t);
	t.backend = "tracefs";
	assert_int_equal(
	    layout_from_file(&l, TRACE_FIXTURES "/layout-mq-2x2-m3.json", err, sizeof err), 0);
	assert_string_equal(layout_vector_queue(&l, 64), "config+ctrl");
	assert_string_equal(layout_vector_queue(&l, 66), "rx1+tx1");
	assert_string_equal(layout_doorbell(&l, 3489662984ull), "rx1");
	struct counts c;
	counts_init(&c);
	struct irqt_key in[] = {
	    key(4242, 5003, IRQT_EV_MSI, 65, 0), /* the I/O thread injects */
	    key(4242, 5003, IRQT_EV_MSI, 66, 1),
	    key(4242, 5001, IRQT_EV_APIC_ACCEPT, 65, 0),
	    key(4242, 5003, IRQT_EV_APIC_ACCEPT, 66, 1),
	    key(4242, 5002, IRQT_EV_EOI, 66, 1),
	    key(4242, 5002, IRQT_EV_MMIO, 3489662984ull, 0),
	};
	in[5].sub = 2;
	uint64_t n[] = {10, 20, 10, 20, 20, 5};
	for (size_t i = 0; i < sizeof in / sizeof *in; i++)
		counts_add(&c, &in[i], n[i]);
	struct report_ctx rc = {.tracer = &t, .layout = &l, .vcpu_filter = -1};
	json_t *s = report_snapshot(&c, &rc, 4242);
	assert_int_equal(geti(s, "per_vcpu.0.msi"), 10);
	assert_int_equal(geti(s, "per_vcpu.1.msi"), 20);
	assert_int_equal(geti(s, "per_vcpu.1.apic_accept_by_vector.66"), 20);
	assert_int_equal(geti(s, "per_vcpu.1.eoi"), 20);
	assert_int_equal(geti(s, "per_vcpu.1.exits"), 5);
	assert_int_equal(geti(s, "per_vcpu.1.tid"), 5002);
	assert_null(path_get(s, "per_vcpu.tid-5003"));
	assert_int_equal(geti(s, "msi_by_vector.66.by_vcpu.1"), 20);
	assert_string_equal(gets_(s, "per_queue.rx1.msi_shared"), "rx1+tx1");
	assert_int_equal(geti(s, "per_queue.rx1.owner_vcpu"), 1);
	assert_int_equal(geti(s, "per_queue.rx1.notifies"), 5);
	json_decref(s);

	/* --vcpu 1: what vCPU 1 takes, wherever it was injected from */
	rc.vcpu_filter = 1;
	s = report_snapshot(&c, &rc, 4242);
	assert_int_equal(geti(s, "totals.msi"), 20);
	assert_null(path_get(s, "per_vcpu.0"));
	json_decref(s);
	counts_free(&c);
}

/* kvm_apic_ipi: sent by the ICR-writing thread's vCPU, received by dest_id
 * (a shorthand: self, or all). */
static void test_ipis(void **state)
{
	(void)state;
	struct tracer t;
	memset(&t, 0, sizeof t);
	t.backend = "bpf";
	tracer_set_vcpu(&t, 11, 0);
	tracer_set_vcpu(&t, 12, 1);
	struct counts c;
	counts_init(&c);
	struct irqt_key in[] = {
	    key(100, 11, IRQT_EV_APIC_IPI, 1, 0x40f0),	/* fixed, physical, dest 1 */
	    key(100, 12, IRQT_EV_APIC_IPI, 0, 0x40f0),	/* back to 0 */
	    key(100, 11, IRQT_EV_APIC_IPI, 0, 0x440f0), /* self */
	    key(100, 11, IRQT_EV_APIC_IPI, 0, 0xc40f0), /* all but self */
	    key(100, 13, IRQT_EV_APIC_IPI, 1, 0x40f0),	/* a thread no map names */
	};
	uint64_t n[] = {7, 2, 1, 3, 4};
	for (size_t i = 0; i < sizeof in / sizeof *in; i++)
		counts_add(&c, &in[i], n[i]);
	struct report_ctx rc = {.tracer = &t, .vcpu_filter = -1};
	json_t *s = report_snapshot(&c, &rc, 100);
	assert_int_equal(geti(s, "ipis.total"), 17);
	assert_int_equal(geti(s, "ipis.by_pair.0->1"), 7);
	assert_int_equal(geti(s, "ipis.by_pair.1->0"), 2);
	assert_int_equal(geti(s, "ipis.by_pair.0->0"), 1);
	assert_int_equal(geti(s, "ipis.by_pair.0->all"), 3);
	assert_int_equal(geti(s, "ipis.by_pair.tid-13->1"), 4);
	assert_int_equal(geti(s, "per_vcpu.0.ipis_sent"), 7 + 1 + 3);
	assert_int_equal(geti(s, "per_vcpu.0.ipis_received"), 2 + 1);
	assert_int_equal(geti(s, "per_vcpu.1.ipis_received"), 7 + 4);
	assert_int_equal(geti(s, "per_vcpu.1.ipis_sent"), 2);
	assert_int_equal(geti(s, "totals.ipis"), 17);
	json_decref(s);
	counts_free(&c);
}

/* Every VM traced (pid 0): per_vcpu keys carry the VM, "<pid>/<index>". */
static void test_multi_vm_keys(void **state)
{
	(void)state;
	struct tracer t;
	memset(&t, 0, sizeof t);
	t.backend = "bpf";
	tracer_set_vcpu(&t, 11, 0);
	tracer_set_vcpu(&t, 21, 0);
	struct counts c;
	counts_init(&c);
	struct irqt_key in[] = {
	    key(100, 11, IRQT_EV_MMIO, 0xd0000060, 0), key(100, 12, IRQT_EV_MSI, 65, 0),
	    key(200, 21, IRQT_EV_MMIO, 0xd0000060, 0), key(200, 22, IRQT_EV_MSI, 65, 1),
	    key(200, 23, IRQT_EV_PIO, 0x3f8, 0),
	};
	uint64_t n[] = {3, 4, 5, 6, 2};
	for (size_t i = 0; i < sizeof in / sizeof *in; i++)
		counts_add(&c, &in[i], n[i]);
	struct report_ctx rc = {.tracer = &t, .vcpu_filter = -1};
	json_t *s = report_snapshot(&c, &rc, 0);
	json_t *pv = json_object_get(s, "per_vcpu");
	assert_int_equal(geti(pv, "100/0.exits"), 3);
	assert_int_equal(geti(pv, "100/0.msi"), 4);
	assert_int_equal(geti(pv, "200/0.exits"), 5);
	assert_int_equal(geti(pv, "200/1.msi"), 6);
	assert_int_equal(geti(pv, "200/tid-23.exits"), 2);
	assert_null(json_object_get(pv, "0"));
	json_decref(s);
	s = report_snapshot(&c, &rc, 200);
	pv = json_object_get(s, "per_vcpu");
	assert_int_equal(geti(pv, "0.exits"), 5);
	assert_int_equal(geti(pv, "1.msi"), 6);
	assert_null(json_object_get(pv, "100/0"));
	json_decref(s);
	counts_free(&c);
}

/* live: the vcpus class has a row per vCPU and metric. */
static void test_live_vcpus(void **state)
{
	(void)state;
	struct tracer t;
	memset(&t, 0, sizeof t);
	t.backend = "bpf";
	tracer_set_vcpu(&t, 11, 0);
	tracer_set_vcpu(&t, 12, 1);
	struct counts c;
	counts_init(&c);
	struct irqt_key in[] = {
	    key(100, 9, IRQT_EV_MSI, 65, 1),
	    key(100, 11, IRQT_EV_APIC_IPI, 1, 0x40f0),
	    key(100, 12, IRQT_EV_MMIO, 0xd0000060, 0),
	};
	uint64_t n[] = {4, 2, 6};
	for (size_t i = 0; i < sizeof in / sizeof *in; i++)
		counts_add(&c, &in[i], n[i]);
	struct report_ctx rc = {.tracer = &t, .vcpu_filter = -1};
	struct live_opts o = {.sort = LIVE_SORT_NAME};
	char err[128];
	assert_int_equal(live_parse_classes(&o, "vcpus", err, sizeof err), 0);
	struct live_rows r;
	assert_int_equal(live_rows_build(&r, &c, &c, &rc, 100, &o), 0);
	const char *want[] = {"vcpu 0 ipis sent", "vcpu 1 exits", "vcpu 1 ipis received",
			      "vcpu 1 msi"};
	uint64_t wn[] = {2, 6, 2, 4};
	assert_int_equal(r.n, 4);
	for (size_t i = 0; i < r.n; i++) {
		assert_int_equal(r.v[i].cls, LIVE_VCPUS);
		assert_string_equal(r.v[i].label, want[i]);
		assert_int_equal(r.v[i].total, wn[i]);
	}
	live_rows_free(&r);
	counts_free(&c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_msi_dest),	     cmocka_unit_test(test_comm_names),
	    cmocka_unit_test(test_tid_map),	     cmocka_unit_test(test_shared_vector_msi1),
	    cmocka_unit_test(test_shared_vector_mq),
	    cmocka_unit_test(test_shared_message_entries), cmocka_unit_test(test_ipis),
	    cmocka_unit_test(test_multi_vm_keys),    cmocka_unit_test(test_live_vcpus),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
