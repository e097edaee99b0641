// SPDX-License-Identifier: MIT
/*
 * PCI configuration space and the virtio-pci BAR: the capability walk a
 * driver does, BAR sizing, read-only fields, and bad accesses (unaligned,
 * wrong size, out of range), plus MSI-X masking and vector refusal.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "../virtio_net.h"
#include "../virtio_pci.h"

#define BAR 0xe0000000u

struct sink {
	unsigned programmed, fired[8];
};
static void s_pin(void *o)
{
	(void)o;
}
static int s_prog(void *o, unsigned i, uint64_t a, uint32_t d)
{
	(void)i;
	(void)a;
	(void)d;
	((struct sink *)o)->programmed++;
	return 0;
}
static void s_fire(void *o, unsigned i)
{
	((struct sink *)o)->fired[i % 8]++;
}

struct fx {
	uint8_t *ram;
	struct guest_mem m;
	struct virtio_net *net;
	struct virtio_pci p;
	struct sink s;
};

static struct fx *mk(unsigned vectors)
{
	struct fx *f = calloc(1, sizeof(*f));
	f->ram = calloc(1, 1 << 20);
	f->m = (struct guest_mem){f->ram, 1 << 20};
	static const uint8_t mac[6] = {2, 0, 0, 0, 0, 1};
	f->net = virtio_net_create(&f->m, net_reflect_create(64), mac, 1);
	struct irq_sink is = {s_pin, s_prog, s_fire, &f->s};
	assert_int_equal(virtio_pci_init(&f->p, virtio_net_dev(f->net), BAR, vectors, &is), 0);
	return f;
}
static void rm(struct fx *f)
{
	virtio_net_destroy(f->net);
	free(f->ram);
	free(f);
}

static uint32_t cfg_rd(struct fx *f, unsigned dev, unsigned off, unsigned len)
{
	uint32_t a = 0x80000000u | dev << 11 | (off & 0xfc), v = 0;
	virtio_pci_cfg_io(&f->p, 0, true, (uint8_t *)&a, 4);
	virtio_pci_cfg_io(&f->p, (uint16_t)(4 + (off & 3)), false, (uint8_t *)&v, len);
	return v;
}
static void cfg_wr(struct fx *f, unsigned dev, unsigned off, unsigned len, uint32_t v)
{
	uint32_t a = 0x80000000u | dev << 11 | (off & 0xfc);
	virtio_pci_cfg_io(&f->p, 0, true, (uint8_t *)&a, 4);
	virtio_pci_cfg_io(&f->p, (uint16_t)(4 + (off & 3)), true, (uint8_t *)&v, len);
}
static uint32_t bar_rd(struct fx *f, uint64_t off, unsigned len)
{
	uint32_t v = 0;
	virtio_pci_bar_access(&f->p, off, false, (uint8_t *)&v, len);
	return v;
}
static void bar_wr(struct fx *f, uint64_t off, unsigned len, uint32_t v)
{
	virtio_pci_bar_access(&f->p, off, true, (uint8_t *)&v, len);
}

static void test_enumeration(void **state)
{
	(void)state;
	struct fx *f = mk(3);
	assert_int_equal(cfg_rd(f, 0, 0, 4), 0x29c08086u); /* host bridge */
	assert_int_equal(cfg_rd(f, 1, 0, 4), 0x10411af4u); /* virtio-net */
	assert_int_equal(cfg_rd(f, 1, 0x0a, 2), 0x0200);   /* network controller */
	assert_int_equal(cfg_rd(f, 2, 0, 4), 0xffffffffu); /* empty slot */
	assert_int_equal(cfg_rd(f, 1, PCI_BAR0, 4), BAR);
	rm(f);
}

static void test_capability_walk(void **state)
{
	(void)state;
	struct fx *f = mk(3);
	assert_true(cfg_rd(f, 1, PCI_STATUS, 2) & PCI_STATUS_CAP_LIST);
	unsigned seen_types = 0, msix = 0, n = 0;
	for (unsigned p = cfg_rd(f, 1, PCI_CAP_PTR, 1); p; p = cfg_rd(f, 1, p + 1, 1), n++) {
		assert_true(n < 16); /* the list terminates */
		assert_int_equal(p & 3, 0);
		unsigned id = cfg_rd(f, 1, p, 1);
		if (id == PCI_CAP_ID_VNDR) {
			unsigned type = cfg_rd(f, 1, p + 3, 1);
			seen_types |= 1u << type;
			if (type == 2)
				assert_int_equal(cfg_rd(f, 1, p + 16, 4), VPCI_NOTIFY_MULT);
			if (type == 1)
				assert_int_equal(cfg_rd(f, 1, p + 8, 4), VPCI_COMMON_OFF);
		} else if (id == PCI_CAP_ID_MSIX) {
			msix = p;
			assert_int_equal((cfg_rd(f, 1, p + 2, 2) & 0x7ff) + 1, 3);
			assert_int_equal(cfg_rd(f, 1, p + 4, 4), VPCI_MSIX_TABLE_OFF);
		}
	}
	assert_int_equal(seen_types, 0x1e); /* common, notify, isr, device */
	assert_int_not_equal(msix, 0);
	rm(f);
}

static void test_config_writes(void **state)
{
	(void)state;
	struct fx *f = mk(3);
	cfg_wr(f, 1, 0, 4, 0x12345678); /* vendor/device are read-only */
	assert_int_equal(cfg_rd(f, 1, 0, 4), 0x10411af4u);
	cfg_wr(f, 1, PCI_BAR0, 4, 0xffffffffu); /* sizing */
	assert_int_equal(cfg_rd(f, 1, PCI_BAR0, 4), ~(VPCI_BAR0_SIZE - 1));
	cfg_wr(f, 1, PCI_BAR0, 4, BAR);
	assert_int_equal(cfg_rd(f, 1, PCI_BAR0, 4), BAR);
	cfg_wr(f, 1, PCI_BAR0, 4, 0xc0000000u); /* relocation is refused */
	assert_int_equal(cfg_rd(f, 1, PCI_BAR0, 4), BAR);
	assert_int_equal(f->p.bus.bar_moves_refused, 1);
	/* memory decoding off: BAR accesses go nowhere */
	assert_int_equal(bar_rd(f, VPCI_NUM_QUEUES, 2), 0xffff);
	cfg_wr(f, 1, PCI_COMMAND, 2, PCI_COMMAND_MEMORY);
	assert_int_equal(bar_rd(f, VPCI_NUM_QUEUES, 2), 2);
	rm(f);
}

static void test_bad_config_accesses(void **state)
{
	(void)state;
	struct fx *f = mk(3);
	uint64_t bad0 = f->p.bus.bad_accesses;
	uint16_t w = 0;
	virtio_pci_cfg_io(&f->p, 0, true, (uint8_t *)&w, 2); /* CONFIG_ADDRESS must be 32-bit */
	virtio_pci_cfg_io(&f->p, 1, false, (uint8_t *)&w, 1);
	uint64_t q = 0;
	cfg_rd(f, 1, 0, 4);
	virtio_pci_cfg_io(&f->p, 4, false, (uint8_t *)&q, 3); /* odd size */
	assert_int_equal(f->p.bus.bad_accesses, bad0 + 3);
	assert_int_equal(pci_cfg_read(&f->p.ep, 0xfe, 4), 0xffffffffu); /* runs past 256 */
	assert_int_equal(pci_cfg_read(&f->p.ep, 0x400, 1), 0xffffffffu);
	rm(f);
}

static void test_bar_bad_accesses(void **state)
{
	(void)state;
	struct fx *f = mk(3);
	cfg_wr(f, 1, PCI_COMMAND, 2, PCI_COMMAND_MEMORY);
	uint64_t b0 = f->p.bad_accesses;
	bar_rd(f, VPCI_NUM_QUEUES, 4);		       /* wrong width for a 16-bit field */
	bar_rd(f, 0x13, 1);			       /* inside a field */
	bar_wr(f, VPCI_NOTIFY_OFF + 4 * 7, 2, 7);      /* no queue 7 */
	bar_wr(f, VPCI_NOTIFY_OFF + 2, 2, 0);	       /* between doorbells */
	bar_wr(f, VPCI_MSIX_TABLE_OFF + 2, 2, 0);      /* MSI-X table needs 4/8 bytes */
	bar_wr(f, VPCI_MSIX_TABLE_OFF + 16 * 3, 4, 0); /* entry past the table */
	bar_wr(f, VPCI_MSIX_PBA_OFF, 4, 1);	       /* PBA is read-only */
	bar_rd(f, 0x6000, 4);			       /* hole */
	assert_int_equal(f->p.bad_accesses, b0 + 8);
	rm(f);
}

static void test_msix_mask_and_refusal(void **state)
{
	(void)state;
	struct fx *f = mk(2);
	cfg_wr(f, 1, PCI_COMMAND, 2, PCI_COMMAND_MEMORY);
	/* a vector past the table reads back as NO_VECTOR */
	bar_wr(f, VPCI_MSIX_CONFIG, 2, 5);
	assert_int_equal(bar_rd(f, VPCI_MSIX_CONFIG, 2), VIRTIO_MSI_NO_VECTOR);
	bar_wr(f, VPCI_MSIX_CONFIG, 2, 0);
	assert_int_equal(bar_rd(f, VPCI_MSIX_CONFIG, 2), 0);
	/* program entry 0 (masked at reset), enable MSI-X, raise a config change */
	bar_wr(f, VPCI_MSIX_TABLE_OFF + 0, 4, 0xfee00000u);
	bar_wr(f, VPCI_MSIX_TABLE_OFF + 8, 4, 0x40);
	uint8_t cap = f->p.ep.msix_cap;
	cfg_wr(f, 1, cap + 2, 2, PCI_MSIX_FLAGS_ENABLE);
	pthread_mutex_lock(&virtio_net_dev(f->net)->lock);
	virtio_net_dev(f->net)->tops->signal_config(virtio_net_dev(f->net));
	pthread_mutex_unlock(&virtio_net_dev(f->net)->lock);
	assert_int_equal(f->s.fired[0], 0);
	assert_int_equal(bar_rd(f, VPCI_MSIX_PBA_OFF, 4) & 1, 1); /* pending */
	bar_wr(f, VPCI_MSIX_TABLE_OFF + 12, 4, 0);		  /* unmask */
	assert_int_equal(f->s.fired[0], 1);
	assert_int_equal(f->s.programmed, 1);
	assert_int_equal(bar_rd(f, VPCI_MSIX_PBA_OFF, 4) & 1, 0);
	/* a garbage address is never routed */
	bar_wr(f, VPCI_MSIX_TABLE_OFF + 16, 4, 0xdeadbeef);
	bar_wr(f, VPCI_MSIX_TABLE_OFF + 16 + 12, 4, 0);
	bar_wr(f, VPCI_Q_SELECT, 2, 0);
	bar_wr(f, VPCI_Q_MSIX, 2, 1);
	pthread_mutex_lock(&virtio_net_dev(f->net)->lock);
	virtio_net_dev(f->net)->tops->signal_queue(virtio_net_dev(f->net), 0);
	pthread_mutex_unlock(&virtio_net_dev(f->net)->lock);
	assert_int_equal(f->s.fired[1], 0);
	assert_int_equal(f->p.msix_dropped, 1);
	rm(f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_enumeration),	     cmocka_unit_test(test_capability_walk),
	    cmocka_unit_test(test_config_writes),    cmocka_unit_test(test_bad_config_accesses),
	    cmocka_unit_test(test_bar_bad_accesses), cmocka_unit_test(test_msix_mask_and_refusal),
	};
	return cmocka_run_group_tests_name("pci_config", tests, NULL, NULL);
}
