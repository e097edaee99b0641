// SPDX-License-Identifier: MIT
/* The control queue's command parser: VQ_PAIRS_SET honoured, everything else ERR. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include "../virtio_net_ctrl.h"

static uint8_t set_pairs(struct net_ctrl *c, unsigned n)
{
	uint8_t cmd[4] = {VIRTIO_NET_CTRL_MQ, VIRTIO_NET_CTRL_MQ_VQ_PAIRS_SET, (uint8_t)n,
			  (uint8_t)(n >> 8)};
	return net_ctrl_exec(c, cmd, sizeof(cmd));
}

static void pairs_set_in_range(void **state)
{
	(void)state;
	struct net_ctrl c;
	net_ctrl_init(&c, 4);
	assert_int_equal(c.curr_pairs, 1);
	assert_int_equal(set_pairs(&c, 4), VIRTIO_NET_OK);
	assert_int_equal(c.curr_pairs, 4);
	assert_int_equal(set_pairs(&c, 1), VIRTIO_NET_OK);
	assert_int_equal(c.curr_pairs, 1);
	assert_int_equal(c.ok, 2);
	assert_int_equal(c.err, 0);
}

static void pairs_out_of_range(void **state)
{
	(void)state;
	struct net_ctrl c;
	net_ctrl_init(&c, 4);
	assert_int_equal(set_pairs(&c, 0), VIRTIO_NET_ERR);
	assert_int_equal(set_pairs(&c, 5), VIRTIO_NET_ERR);
	assert_int_equal(set_pairs(&c, 0x8000), VIRTIO_NET_ERR);
	assert_int_equal(c.curr_pairs, 1); /* unchanged by refused commands */
	assert_int_equal(c.err, 3);
}

static void unknown_class_and_command(void **state)
{
	(void)state;
	struct net_ctrl c;
	net_ctrl_init(&c, 2);
	uint8_t rx_mode[3] = {0 /* VIRTIO_NET_CTRL_RX */, 0, 1};
	uint8_t rss[4] = {VIRTIO_NET_CTRL_MQ, 1 /* RSS_CONFIG */, 2, 0};
	uint8_t bogus[4] = {0x7f, 0, 2, 0};
	assert_int_equal(net_ctrl_exec(&c, rx_mode, sizeof(rx_mode)), VIRTIO_NET_ERR);
	assert_int_equal(net_ctrl_exec(&c, rss, sizeof(rss)), VIRTIO_NET_ERR);
	assert_int_equal(net_ctrl_exec(&c, bogus, sizeof(bogus)), VIRTIO_NET_ERR);
	assert_int_equal(c.curr_pairs, 1);
	assert_int_equal(c.err, 3);
}

static void bad_lengths(void **state)
{
	(void)state;
	struct net_ctrl c;
	net_ctrl_init(&c, 2);
	uint8_t cmd[VIRTIO_NET_CTRL_CMD_MAX + 1] = {VIRTIO_NET_CTRL_MQ,
						    VIRTIO_NET_CTRL_MQ_VQ_PAIRS_SET, 2, 0};
	assert_int_equal(net_ctrl_exec(&c, cmd, 0), VIRTIO_NET_ERR);
	assert_int_equal(net_ctrl_exec(&c, cmd, 1), VIRTIO_NET_ERR);
	assert_int_equal(net_ctrl_exec(&c, cmd, 3), VIRTIO_NET_ERR); /* half a le16 */
	assert_int_equal(net_ctrl_exec(&c, cmd, 5), VIRTIO_NET_ERR); /* trailing byte */
	assert_int_equal(net_ctrl_exec(&c, cmd, sizeof(cmd)), VIRTIO_NET_ERR);
	assert_int_equal(net_ctrl_exec(&c, cmd, 4), VIRTIO_NET_OK);
	assert_int_equal(c.curr_pairs, 2);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(pairs_set_in_range),
	    cmocka_unit_test(pairs_out_of_range),
	    cmocka_unit_test(unknown_class_and_command),
	    cmocka_unit_test(bad_lengths),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
