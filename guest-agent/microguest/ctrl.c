// SPDX-License-Identifier: MIT
/*
 * The virtio-net control queue, driven the way Linux's virtnet_send_command
 * does: a header (class, command) and its data in a device-readable
 * buffer, a one-byte ack in a device-writable one, then poll the used ring
 * (the control queue asks for no interrupt).
 */
#include "transport.h"

#define CTRL_CLASS_MQ 4u
#define CTRL_MQ_VQ_PAIRS_SET 0u
#define CTRL_OK 0u
#define CTRL_ERR 1u
#define CTRL_POLL_MAX 100000000ull

/* Sends class/cmd with len bytes of data; returns the ack byte or -1. */
static int ctrl_send(u8 cls, u8 cmd, const void *data, u32 len)
{
	struct gvq *q = &vqs[2 * npairs];
	u8 *out = q->bufs, *ack = q->bufs + VQ_BUF_SIZE;
	out[0] = cls;
	out[1] = cmd;
	memcpy(out + 2, data, len);
	*ack = 0xff;
	gvq_post_cmd(q, 2 + len, 1);
	gvq_kick(q, false);
	for (u64 i = 0; !gvq_more_used(q); i++) {
		if (i == CTRL_POLL_MAX)
			return -1;
		cpu_relax();
	}
	u16 id;
	u32 got;
	gvq_get_used(q, &id, &got);
	rmb();
	return got == 1 ? *(volatile u8 *)ack : -1;
}

int net_ctrl_set_pairs(unsigned pairs)
{
	u16 n = (u16)pairs;
	/* An unknown class first: the device must answer ERR and carry on. */
	if (ctrl_send(0x7f, 0, &n, 2) != CTRL_ERR)
		fail("control queue: unknown class not refused", 0x7f);
	int ack = ctrl_send(CTRL_CLASS_MQ, CTRL_MQ_VQ_PAIRS_SET, &n, 2);
	return ack == CTRL_OK ? 0 : -1;
}
