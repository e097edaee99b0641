// SPDX-License-Identifier: MIT
/*
 * Hostile-guest scenarios: program the device wrongly on purpose, record
 * what the device did (status, whether it still answers), then reset it so
 * the normal run that follows proves the device survived.
 */
#include "transport.h"

#define RXQ 0
#define TXQ 1

/* Brings the device to DRIVER_OK with both queues but posts nothing. */
static void bring_up(const struct transport *t)
{
	const char *why;
	if (t->probe(&why))
		fail(why, 0);
	t->set_status(0);
	t->set_status(VIRTIO_STATUS_ACKNOWLEDGE | VIRTIO_STATUS_DRIVER);
	t->set_features(VIRTIO_F_VERSION_1 | VIRTIO_NET_F_MAC);
	t->set_status(VIRTIO_STATUS_ACKNOWLEDGE | VIRTIO_STATUS_DRIVER | VIRTIO_STATUS_FEATURES_OK);
	/* the first pair only: MQ is not negotiated here */
	for (unsigned q = 0; q < 2; q++) {
		gvq_init(&vqs[q], q);
		if (t->setup_queue(&vqs[q]))
			fail("hostile: queue setup failed", q);
	}
	t->setup_irqs(vqs, 2);
	t->set_status(VIRTIO_STATUS_ACKNOWLEDGE | VIRTIO_STATUS_DRIVER | VIRTIO_STATUS_FEATURES_OK |
		      VIRTIO_STATUS_DRIVER_OK);
}

/* Posts one tx descriptor with a raw address/length/flags and kicks. */
static void post_raw_tx(u64 addr, u32 len, u16 flags, u16 next)
{
	struct gvq *q = &vqs[TXQ];
	q->desc[0].addr = addr;
	q->desc[0].len = len;
	q->desc[0].flags = flags;
	q->desc[0].next = next;
	q->avail->ring[q->avail_idx % VQ_SIZE] = 0;
	wmb();
	q->avail_idx++;
	*(volatile u16 *)&q->avail->idx = q->avail_idx;
	gvq_kick(q, false);
}

static const struct transport *cur;

/*
 * Doorbells are handled by the VMM's I/O thread, asynchronously: wait until
 * the device reports DEVICE_NEEDS_RESET, bounded so a device that just
 * drops the request does not hang the guest.
 */
static void settle(void)
{
	for (int i = 0; i < 20000; i++) {
		if (cur->get_status() & VIRTIO_STATUS_NEEDS_RESET)
			return;
		__asm__ volatile("sti; nop; cli");
	}
}

static void record(const struct transport *t, const char *what)
{
	u8 st = t->get_status();
	unsigned i = 0;
	for (; what[i] && i < sizeof(mb->error) - 1; i++)
		mb->error[i] = what[i];
	mb->error[i] = 0;
	mb->error_code = st;
	print("microguest: hostile ");
	print(what);
	print(": device status ");
	print_hex(st);
	print("\n");
}

static void ring_out_of_ram(const struct transport *t)
{
	/* Point the tx queue's rings past RAM before setting it ready. */
	const char *why;
	t->probe(&why);
	t->set_status(0);
	t->set_status(VIRTIO_STATUS_ACKNOWLEDGE | VIRTIO_STATUS_DRIVER);
	t->set_features(VIRTIO_F_VERSION_1 | VIRTIO_NET_F_MAC);
	t->set_status(VIRTIO_STATUS_ACKNOWLEDGE | VIRTIO_STATUS_DRIVER | VIRTIO_STATUS_FEATURES_OK);
	gvq_init(&vqs[TXQ], TXQ);
	vqs[TXQ].desc = (struct vring_desc *)(uptr)(mb->ram_bytes + 0x10000);
	t->setup_queue(&vqs[TXQ]);
	vqs[TXQ].desc = (struct vring_desc *)(uptr)0;
	record(t, "ring-out-of-ram");
}

int hostile_transport_specific(const struct transport *t, unsigned scenario);
int hostile_host_facing(const struct transport *t, unsigned scenario);

int hostile_run(const struct transport *t, unsigned scenario)
{
	u64 past_ram = mb->ram_bytes + 0x1000;
	cur = t;
	switch (scenario) {
	case GABI_HOSTILE_DESC_OUT_OF_RAM:
		bring_up(t);
		post_raw_tx(past_ram, 64, 0, 0);
		settle();
		record(t, "desc-out-of-ram");
		break;
	case GABI_HOSTILE_BAD_QUEUE_INDEX:
		bring_up(t);
		/* Notify a queue that does not exist. */
		if (t == &mmio_transport)
			wr32(GABI_MMIO_DEV_GPA + VIRTIO_MMIO_QUEUE_NOTIFY, 7);
		else
			hostile_transport_specific(t, scenario);
		settle();
		record(t, "bad-queue-index");
		break;
	case GABI_HOSTILE_DESC_LOOP: {
		bring_up(t);
		struct gvq *q = &vqs[TXQ];
		q->desc[1].addr = q->desc[0].addr;
		q->desc[1].len = 64;
		q->desc[1].flags = VRING_DESC_F_NEXT;
		q->desc[1].next = 0;
		post_raw_tx(q->desc[0].addr, 64, VRING_DESC_F_NEXT, 1);
		settle();
		record(t, "desc-loop");
		break;
	}
	case GABI_HOSTILE_ZERO_LEN:
		bring_up(t);
		post_raw_tx(vqs[TXQ].desc[0].addr, 0, 0, 0);
		settle();
		record(t, "zero-len");
		break;
	case GABI_HOSTILE_HUGE_LEN:
		bring_up(t);
		post_raw_tx(vqs[TXQ].desc[0].addr, 0xffffffffu, 0, 0);
		settle();
		record(t, "huge-len");
		break;
	case GABI_HOSTILE_RING_OUT_OF_RAM:
		ring_out_of_ram(t);
		break;
	default:
		if (hostile_host_facing(t, scenario) && hostile_transport_specific(t, scenario))
			fail("hostile scenario does not apply to this transport", scenario);
	}
	/* Reset: the normal run that follows must work. */
	t->set_status(0);
	for (unsigned q = 0; q < GABI_MAX_QUEUES; q++)
		mb->q[q] = (struct gabi_queue_counts){0};
	return 0;
}
