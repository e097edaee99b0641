// SPDX-License-Identifier: MIT
/*
 * The driver's vector plan (vmmio_vectors.h) against the device's
 * (gabi_plan_entry, include/irqpath/guest_abi.h, which irqpath-vmm's v3
 * device sends on): for every vector count the device implements and every
 * queue count, each queue must be handled on exactly the vector the device
 * will signal, among the vectors the driver allocates. Queue counts are
 * the device's shapes (rx + tx, or 2P + ctrl for P >= 2 pairs).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "../vmmio_vectors.h"
#include "irqpath/guest_abi.h"

static void test_every_queue_on_the_device_vector(void **state)
{
	(void)state;
	for (unsigned int count = 0; count <= 40; count++) {
		for (unsigned int nvqs = 0; nvqs <= 33; nvqs++) {
			/* the device's shapes: rx+tx, or P pairs + ctrl */
			if (nvqs > 2 && nvqs % 2 == 0)
				continue;
			if (nvqs == 3)
				continue;
			unsigned int nvec = vmmio_msi_nvec(count, nvqs);
			/* the device's pairs, as transport_mmio.c derives them */
			unsigned int pairs = nvqs > 2 ? nvqs / 2 : 1;

			if (count == 0 || (nvqs && count < 2)) {
				assert_int_equal(nvec, 0);
				continue;
			}
			assert_true(nvec >= 1 && nvec <= count && nvec <= nvqs + 1);
			for (unsigned int q = 0; q < nvqs; q++) {
				unsigned int mine = vmmio_queue_vector(q, nvec, nvqs);
				unsigned int dev = gabi_plan_entry(q, pairs, count);

				if (mine != dev || mine >= nvec)
					fail_msg("count %u, %u queues: queue %u on vector %u of %u, "
						 "the device sends %u",
						 count, nvqs, q, mine, nvec, dev);
			}
		}
	}
}

static void test_known_plans(void **state)
{
	(void)state;
	/* virtio-net rx/tx on irqpath-vmm's device: config + one per queue. */
	assert_int_equal(vmmio_msi_nvec(3, 2), 3);
	assert_int_equal(vmmio_msi_nvec(2048, 2), 3);
	assert_int_equal(vmmio_queue_vector(1, 3, 2), 2);
	/* Two vectors for two queues: vector 1 is shared by rx and tx. */
	assert_int_equal(vmmio_msi_nvec(2, 2), 2);
	assert_int_equal(vmmio_queue_vector(0, 2, 2), 1);
	assert_int_equal(vmmio_queue_vector(1, 2, 2), 1);
	/* Two pairs + ctrl with 6 vectors: one each, ctrl on 5. */
	assert_int_equal(vmmio_msi_nvec(6, 5), 6);
	assert_int_equal(vmmio_queue_vector(4, 6, 5), 5);
	/* ... with 3: pair p on 1 + p, ctrl with config on 0. */
	assert_int_equal(vmmio_queue_vector(1, 3, 5), 1);
	assert_int_equal(vmmio_queue_vector(2, 3, 5), 2);
	assert_int_equal(vmmio_queue_vector(4, 3, 5), 0);
	/* One vector cannot separate config from queues: the single interrupt. */
	assert_int_equal(vmmio_msi_nvec(1, 2), 0);
	assert_int_equal(vmmio_msi_nvec(0, 2), 0);
	/* A config-only device needs just vector 0. */
	assert_int_equal(vmmio_msi_nvec(1, 0), 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_every_queue_on_the_device_vector),
	    cmocka_unit_test(test_known_plans),
	};
	return cmocka_run_group_tests_name("vmmio-vectors", tests, NULL, NULL);
}
