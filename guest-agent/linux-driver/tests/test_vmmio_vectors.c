// SPDX-License-Identifier: MIT
/*
 * The driver's vector plan (vmmio_vectors.h) against the version 3 device
 * rule (include/irqpath/virtio_mmio_v3.h): vector 0 signals configuration
 * changes, queue q signals vector min(q + 1, count - 1). For every vector
 * count and queue count, each queue must be handled by exactly the vector
 * the device will send, and no vector may be allocated for nothing.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "../vmmio_vectors.h"

static unsigned int device_vector(unsigned int q, unsigned int count)
{
	return q + 1 < count - 1 ? q + 1 : count - 1;
}

static void test_every_queue_on_the_device_vector(void **state)
{
	(void)state;
	for (unsigned int count = 0; count <= 40; count++) {
		for (unsigned int nvqs = 0; nvqs <= 17; nvqs++) {
			unsigned int nvec = vmmio_msi_nvec(count, nvqs);

			if (count == 0 || (nvqs && count < 2)) {
				assert_int_equal(nvec, 0);
				continue;
			}
			assert_true(nvec >= 1 && nvec <= count && nvec <= nvqs + 1);
			for (unsigned int q = 0; q < nvqs; q++) {
				unsigned int hits = 0, which = 0;

				for (unsigned int v = 1; v < nvec; v++) {
					unsigned int first, last;

					vmmio_vector_queues(v, nvec, nvqs, &first, &last);
					if (first <= q && q <= last) {
						hits++;
						which = v;
					}
				}
				if (hits != 1 || which != device_vector(q, count))
					fail_msg(
					    "count %u, %u queues: queue %u handled by %u vector(s) "
					    "(last %u), the device sends vector %u",
					    count, nvqs, q, hits, which, device_vector(q, count));
			}
			for (unsigned int v = 1; v < nvec; v++) {
				unsigned int first, last;

				vmmio_vector_queues(v, nvec, nvqs, &first, &last);
				assert_true(first <= last && last < nvqs);
			}
		}
	}
}

static void test_known_plans(void **state)
{
	(void)state;
	unsigned int first, last;

	/* virtio-net rx/tx on irqpath-vmm's device: config + one per queue. */
	assert_int_equal(vmmio_msi_nvec(3, 2), 3);
	assert_int_equal(vmmio_msi_nvec(2048, 2), 3);
	/* Two vectors for two queues: vector 1 is shared by rx and tx. */
	assert_int_equal(vmmio_msi_nvec(2, 2), 2);
	vmmio_vector_queues(1, 2, 2, &first, &last);
	assert_int_equal(first, 0);
	assert_int_equal(last, 1);
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
