// SPDX-License-Identifier: MIT
/* Unit tests: /proc/interrupts parsing, filtering and deltas. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "../irqstat.h"

/* Shapes as Debian 6.1 prints them in QEMU guests (pci on q35, microvm). */
static const char pci_2cpu[] =
    "           CPU0       CPU1       \n"
    "  0:         41          0   IO-APIC   2-edge      timer\n"
    " 24:          0          1   PCI-MSI 16384-edge      virtio0-config\n"
    " 25:        100         20   PCI-MSI 16385-edge      virtio0-input.0\n"
    " 26:          7          3   PCI-MSI 16386-edge      virtio0-output.0\n"
    "NMI:          0          0   Non-maskable interrupts\n"
    "ERR:          0\n"
    "MIS:          0\n";

static const char legacy_1cpu[] = "           CPU0       \n"
				  " 49:        512   IO-APIC  23-fasteoi   virtio0\n"
				  "LOC:       1234   Local timer interrupts\n";

static const struct irq_line *find(const struct irq_table *t, const char *action)
{
	for (size_t i = 0; i < t->n; i++)
		if (strcmp(t->v[i].action, action) == 0)
			return &t->v[i];
	return NULL;
}

static void test_parse_pci(void **state)
{
	(void)state;
	struct irq_table t;
	assert_int_equal(irqstat_parse(pci_2cpu, &t), 0);
	assert_int_equal(t.ncpus, 2);
	assert_int_equal(t.n, 7);
	const struct irq_line *in = find(&t, "virtio0-input.0");
	assert_non_null(in);
	assert_string_equal(in->irq, "25");
	assert_string_equal(in->chip, "PCI-MSI 16385-edge");
	assert_int_equal(in->count, 120);
	assert_int_equal(in->cpu[0], 100);
	assert_int_equal(in->cpu[1], 20);
	assert_int_equal(find(&t, "virtio0-config")->cpu[1], 1);
	assert_int_equal(find(&t, "virtio0-output.0")->count, 10);
	irqstat_filter(&t, "virtio");
	assert_int_equal(t.n, 3);
	irqstat_free(&t);
}

static void test_parse_legacy(void **state)
{
	(void)state;
	struct irq_table t;
	assert_int_equal(irqstat_parse(legacy_1cpu, &t), 0);
	assert_int_equal(t.ncpus, 1);
	irqstat_filter(&t, "virtio");
	assert_int_equal(t.n, 1);
	assert_string_equal(t.v[0].action, "virtio0");
	assert_string_equal(t.v[0].chip, "IO-APIC  23-fasteoi");
	assert_int_equal(t.v[0].count, 512);
	irqstat_free(&t);
}

static void test_delta(void **state)
{
	(void)state;
	static const char later[] =
	    "           CPU0       CPU1       \n"
	    " 24:          0          1   PCI-MSI 16384-edge      virtio0-config\n"
	    " 25:        150         20   PCI-MSI 16385-edge      virtio0-input.0\n"
	    " 26:          9          5   PCI-MSI 16386-edge      virtio0-output.0\n"
	    " 27:          4          0   PCI-MSI 32768-edge      virtio1-input.0\n";
	struct irq_table a, b, d;
	assert_int_equal(irqstat_parse(pci_2cpu, &a), 0);
	assert_int_equal(irqstat_parse(later, &b), 0);
	assert_int_equal(irqstat_delta(&a, &b, &d), 0);
	assert_int_equal(d.n, 4);
	assert_int_equal(find(&d, "virtio0-config")->count, 0);
	assert_int_equal(find(&d, "virtio0-input.0")->count, 50);
	assert_int_equal(find(&d, "virtio0-output.0")->count, 4);
	assert_int_equal(find(&d, "virtio0-output.0")->cpu[0], 2); /* per CPU too */
	assert_int_equal(find(&d, "virtio0-output.0")->cpu[1], 2);
	assert_int_equal(find(&d, "virtio0-input.0")->cpu[1], 0);
	assert_int_equal(find(&d, "virtio1-input.0")->count, 4); /* new line */
	irqstat_free(&a);
	irqstat_free(&b);
	irqstat_free(&d);
}

static void test_rejects_garbage(void **state)
{
	(void)state;
	struct irq_table t;
	assert_int_equal(irqstat_parse("", &t), -1);
	assert_int_equal(irqstat_parse("no header here\n 1: 2 x\n", &t), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_parse_pci),
	    cmocka_unit_test(test_parse_legacy),
	    cmocka_unit_test(test_delta),
	    cmocka_unit_test(test_rejects_garbage),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
