// SPDX-License-Identifier: MIT
/*
 * The micro-guest: brings up one virtio-net device on the transport the
 * VMM names in the mailbox, then runs a request/response loop (send a
 * request frame, sleep until the response interrupt, check the echo) and
 * leaves its counts in the mailbox for the VMM.
 */
#include "transport.h"
#include "variants.h"

struct gabi_mailbox *mb;
struct gvq vqs[GABI_MAX_QUEUES];
static const struct transport *tr;
static u8 mac[6];

#define NET_HDR 12u
#define ETH_HDR 14u

/* Interrupt context: the RR loop waits for callbacks to advance. */
void net_vq_callback(unsigned q)
{
	(void)q;
}

void net_config_changed(void)
{
	mb->config_interrupts++;
}

static int net_init(void)
{
	const char *why = "";
	if (tr->probe(&why))
		fail(why, 0);
	tr->set_status(0);
	tr->set_status(VIRTIO_STATUS_ACKNOWLEDGE);
	tr->set_status(VIRTIO_STATUS_ACKNOWLEDGE | VIRTIO_STATUS_DRIVER);
	u64 want = VIRTIO_F_VERSION_1 | VIRTIO_NET_F_MAC;
	if (npairs > 1)
		want |= VIRTIO_NET_F_MQ | VIRTIO_NET_F_CTRL_VQ;
	u64 have = tr->get_features();
	if ((have & want) != want)
		fail("device lacks VERSION_1, MAC or (with pairs) MQ and CTRL_VQ", have);
	tr->set_features(want);
	u8 st = VIRTIO_STATUS_ACKNOWLEDGE | VIRTIO_STATUS_DRIVER | VIRTIO_STATUS_FEATURES_OK;
	tr->set_status(st);
	if (!(tr->get_status() & VIRTIO_STATUS_FEATURES_OK))
		fail("device refused FEATURES_OK", tr->get_status());
	for (unsigned i = 0; i < 6; i++)
		mac[i] = tr->config_read8(i);
	for (unsigned q = 0; q < nqueues; q++) {
		gvq_init(&vqs[q], q);
		if (tr->setup_queue(&vqs[q]))
			fail("queue setup failed", q);
		/*
		 * Like Linux virtio-net without napi tx: no interrupts for sent
		 * frames; the control queue is polled.
		 */
		if (q & 1 || q == 2 * npairs)
			vqs[q].avail->flags = VRING_AVAIL_F_NO_INTERRUPT;
	}
	if (tr->setup_irqs(vqs, nqueues))
		fail("interrupt setup failed", 0);
	tr->set_status(st | VIRTIO_STATUS_DRIVER_OK);
	if (tr->get_status() & VIRTIO_STATUS_NEEDS_RESET)
		return -1;
	/* As Linux: as many pairs as CPUs (the rest stay idle). */
	if (npairs > 1 && net_ctrl_set_pairs(ncpus < npairs ? ncpus : npairs))
		fail("control queue: VQ_PAIRS_SET not acknowledged", ncpus);
	for (unsigned p = 0; p < npairs; p++) {
		for (u16 i = 0; i < VQ_SIZE; i++)
			gvq_post(&vqs[2 * p], i, VQ_BUF_SIZE, true);
		gvq_kick(&vqs[2 * p], true);
	}
	return 0;
}

static void tx_reclaim(struct gvq *q)
{
	u16 id;
	u32 len;
	while (gvq_get_used(q, &id, &len))
		;
}

static void send_request(struct gvq *q, u64 seq, u32 req)
{
	tx_reclaim(q);
	if (q->in_flight == VQ_SIZE)
		fail("tx ring full", q->in_flight);
	u16 id = q->avail_idx % VQ_SIZE;
	u8 *b = q->bufs + id * VQ_BUF_SIZE;
	memset(b, 0, NET_HDR);
	u8 *eth = b + NET_HDR;
	memset(eth, 0xff, 6); /* broadcast: the peer answers to our source */
	memcpy(eth + 6, mac, 6);
	eth[12] = (u8)(0x88b5u >> 8);
	eth[13] = (u8)0x88b5u;
	memcpy(eth + ETH_HDR, &seq, 8);
	gvq_post(q, id, NET_HDR + ETH_HDR + req, false);
	gvq_kick(q, false);
}

/* Sleeps until the rx callback ran, then checks and recycles the response. */
static void wait_response(struct gvq *q, u64 seq, u32 resp)
{
	for (;;) {
		/*
		 * A sent request always gets its response: the VMM's stop flag is
		 * checked between transactions only, so none is left half done (a
		 * dead device ends in the VMM's --timeout instead).
		 */
		u64 seen = q->callbacks;
		while (q->callbacks == seen)
			wait_for_interrupt();
		u16 id;
		u32 len;
		bool got = false;
		while (gvq_get_used(q, &id, &len)) {
			u8 *eth = q->bufs + (u32)id * VQ_BUF_SIZE + NET_HDR;
			bool ours = len >= NET_HDR + ETH_HDR + 8 && !memcmp(eth, mac, 6) &&
				    eth[12] == 0x88 && eth[13] == 0xb5;
			if (ours) {
				if (len != NET_HDR + ETH_HDR + resp)
					fail("response frame has the wrong length", len);
				u64 echo;
				memcpy(&echo, eth + ETH_HDR, 8);
				if (echo != seq)
					fail("response echoes the wrong sequence number", echo);
				got = true;
			} else {
				/* A real network carries other frames (IPv6 RS, ARP): not ours. */
				cnt(&mb->rx_ignored);
			}
			gvq_post(q, id, VQ_BUF_SIZE, true);
		}
		gvq_kick(q, true);
		if (got)
			return;
	}
}

/* Transactions of vCPU idx: its share of the total (0: until stopped). */
static u64 share(unsigned idx)
{
	u64 t = mb->transactions;
	return t / ncpus + (idx < t % ncpus);
}

/* One RR client: vCPU idx on queue pair idx. */
static void rr_client(unsigned idx)
{
	struct gvq *rx = &vqs[2 * idx], *tx = &vqs[2 * idx + 1];
	struct gabi_vcpu *vc = vcpu_counts();
	u32 *lat = (u32 *)GABI_LATENCY_GPA;
	u64 n = share(idx);
	if (mb->transactions && !n)
		return;
	for (u64 i = 0; n == 0 || i < n; i++) {
		if (mb->stop)
			break;
		u64 t0 = rdtsc();
		send_request(tx, i + 1, mb->req_bytes);
		wait_response(rx, i + 1, mb->resp_bytes);
		u64 dt = rdtsc() - t0;
		u64 slot = __atomic_fetch_add(&mb->latency_count, 1, __ATOMIC_RELAXED);
		lat[slot % GABI_LATENCY_MAX] = dt > 0xffffffffull ? 0xffffffffu : (u32)dt;
		vc->transactions++;
		cnt(&mb->done);
	}
}

/* Waits with interrupts on: the BSP still takes and forwards them. */
static void wait_all_done(void)
{
	while (__atomic_load_n(&mb->vcpus_done, __ATOMIC_ACQUIRE) < ncpus)
		__asm__ volatile("sti; pause; cli" ::: "memory");
}

static void rr_run(void)
{
	mb->state = GABI_STATE_RUNNING;
	report_run();
	while (__atomic_load_n(&mb->vcpus_ready, __ATOMIC_ACQUIRE) < ncpus - 1)
		cpu_relax();
	mb->tsc_start = rdtsc();
	__atomic_store_n(&mb->go, 1, __ATOMIC_RELEASE);
	rr_client(0);
	__atomic_fetch_add(&mb->vcpus_done, 1, __ATOMIC_RELEASE);
	wait_all_done();
	mb->tsc_end = rdtsc();
	report_end();
}

/* vCPU idx >= 1: its own APIC, then its client once the device is up. */
static void ap_main(unsigned idx)
{
	smp_cpu_init(idx);
	apic_init(false);
	vcpu_counts()->apic_id = apic_id();
	__atomic_fetch_add(&mb->vcpus_ready, 1, __ATOMIC_RELEASE);
	while (!__atomic_load_n(&mb->go, __ATOMIC_ACQUIRE))
		cpu_relax();
	rr_client(idx);
	__atomic_fetch_add(&mb->vcpus_done, 1, __ATOMIC_RELEASE);
	for (;;) /* late IPIs are still taken and counted */
		wait_for_interrupt();
}

int hostile_run(const struct transport *t, unsigned scenario);

/* irqpath-vmm enters every vCPU here: rdi = mailbox, rsi = vCPU index. */
void gmain(struct gabi_mailbox *m, unsigned idx);
void gmain(struct gabi_mailbox *m, unsigned idx)
{
	mb = m;
	if (idx) {
		ap_main(idx);
		return;
	}
	smp_cpu_init(0);
	if (mb->magic != GABI_MAGIC || mb->version != GABI_VERSION)
		guest_exit(2);
	ncpus = mb->vcpus ? mb->vcpus : 1;
	npairs = mb->queue_pairs ? mb->queue_pairs : 1;
	if (ncpus > GABI_MAX_VCPUS || npairs > GABI_MAX_PAIRS || ncpus > npairs)
		fail("vCPUs and queue pairs out of range (one pair per vCPU)", ncpus);
	nqueues = gabi_num_queues(npairs);
	idt_init();
	apic_init(true);
	ipi_init();
	vcpu_counts()->apic_id = apic_id();
	switch (mb->transport) {
	case GABI_TRANSPORT_MMIO_LEGACY:
	case GABI_TRANSPORT_MMIO_V3:
		tr = &mmio_transport;
		break;
	case GABI_TRANSPORT_PCI:
		tr = &pci_transport;
		break;
	case GABI_TRANSPORT_MMIO_DRAFT:
		tr = &mmio_draft_transport;
		break;
	case GABI_TRANSPORT_MMIO_ADDRDATA:
	case GABI_TRANSPORT_MMIO_ADDRDATA_SHARED:
		tr = &mmio_addrdata_transport;
		break;
	case GABI_TRANSPORT_MMIO_DRAGONBALL:
		tr = &mmio_dragonball_transport;
		break;
	default:
		fail("unknown transport", mb->transport);
	}
	if (mb->hostile) {
		/* Misprogram the device, then prove it still works after a reset. */
		hostile_run(tr, mb->hostile);
	}
	if (net_init())
		fail("device needs reset right after DRIVER_OK", tr->get_status());
	mask_probe_run(tr); /* variants with a mask only */
	rr_run();
	/* Let a last interrupt in flight land before the counts are final. */
	for (int i = 0; i < 1000; i++)
		__asm__ volatile("sti; nop; cli");
	mb->state = GABI_STATE_DONE;
	guest_exit(0);
}
