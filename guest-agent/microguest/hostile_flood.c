// SPDX-License-Identifier: MIT
/*
 * Hostile scenarios aimed at the host rather than the device model: what
 * the guest writes that the VMM prints or publishes. Each must leave the
 * VMM's output bounded and its results honest (the test says the bounds).
 *  - status-register: a 32-bit 0x100 (mmio), FAILED, DRIVER_OK after the
 *    device refused FEATURES_OK; records the status after each.
 *  - flood: DRIVER_OK toggled, megabytes of escape sequences on the serial
 *    port, the mailbox and the RAM after it non-zero, an unterminated
 *    error string; ends failed.
 *  - fake-counts: reports a finished run with counts it never did.
 */
#include "irqpath/virtio_mmio_v3.h"
#include "transport.h"

int hostile_host_facing(const struct transport *t, unsigned scenario);

#define STATUS_UP (VIRTIO_STATUS_ACKNOWLEDGE | VIRTIO_STATUS_DRIVER | VIRTIO_STATUS_FEATURES_OK)
#define VIRTIO_STATUS_FAILED 0x80
#define DRIVER_OK_TOGGLES 500
#define SERIAL_CHUNK 4096
#define SERIAL_CHUNKS 16 /* 64 KiB, mostly bytes that must be escaped (one exit each here) */
#define FILL 0x41	 /* 'A': 0x4141414141414141 as a count is 4.7e18 */

static u8 chunk[SERIAL_CHUNK];

/* Word by word: ring-0 guest code is slow where it is emulated. */
static void fill(uptr from, uptr to, u8 v)
{
	u64 w = 0x0101010101010101ull * v;
	volatile u8 *p = (volatile u8 *)from;
	for (; (uptr)p < to && ((uptr)p & 7); p++)
		*p = v;
	for (; (uptr)p + 8 <= to; p += 8)
		*(volatile u64 *)p = w;
	for (; (uptr)p < to; p++)
		*p = v;
}

/* Features without VERSION_1: the device refuses FEATURES_OK. */
static void negotiate(const struct transport *t, u64 features)
{
	const char *why;
	if (t->probe(&why))
		fail(why, 0);
	t->set_status(0);
	t->set_status(VIRTIO_STATUS_ACKNOWLEDGE | VIRTIO_STATUS_DRIVER);
	t->set_features(features);
	t->set_status(STATUS_UP);
}

static void status_register(const struct transport *t)
{
	negotiate(t, VIRTIO_F_VERSION_1 | VIRTIO_NET_F_MAC);
	t->set_status(STATUS_UP | VIRTIO_STATUS_DRIVER_OK);
	if (t == &mmio_transport)
		wr32(GABI_MMIO_DEV_GPA + VIRTIO_MMIO_STATUS, 0x100); /* 9 bits */
	u32 wide = t->get_status(); /* still DRIVER_OK, not reset */
	t->set_status(STATUS_UP | VIRTIO_STATUS_DRIVER_OK | VIRTIO_STATUS_FAILED);
	u32 failed = t->get_status();
	negotiate(t, VIRTIO_NET_F_MAC); /* refused */
	t->set_status(VIRTIO_STATUS_ACKNOWLEDGE | VIRTIO_STATUS_DRIVER | VIRTIO_STATUS_DRIVER_OK);
	u32 refused = t->get_status(); /* DRIVER_OK must not stick */
	const char *what = "status-register";
	unsigned i = 0;
	for (; what[i]; i++)
		mb->error[i] = what[i];
	mb->error[i] = 0;
	mb->error_code = wide | failed << 8 | refused << 16;
	print("microguest: hostile status-register: ");
	print_hex(mb->error_code);
	print("\n");
}

static void serial_flood(void)
{
	static const char esc[] = "\x1b[2J\x1b]0;owned\x07\x1b[31m\r\xff\xfe";
	for (unsigned i = 0; i < SERIAL_CHUNK; i++)
		chunk[i] = (u8)esc[i % (sizeof(esc) - 1)];
	for (unsigned n = 0; n < SERIAL_CHUNKS; n++) {
		const u8 *p = chunk;
		u64 c = SERIAL_CHUNK;
		/* rep outsb: up to a page per exit */
		__asm__ volatile("rep outsb"
				 : "+S"(p), "+c"(c)
				 : "d"((u16)GABI_PORT_SERIAL)
				 : "memory");
	}
}

__attribute__((noreturn)) static void flood(const struct transport *t)
{
	negotiate(t, VIRTIO_F_VERSION_1 | VIRTIO_NET_F_MAC);
	for (int i = 0; i < DRIVER_OK_TOGGLES; i++) {
		t->set_status(STATUS_UP | VIRTIO_STATUS_DRIVER_OK);
		t->set_status(STATUS_UP);
	}
	serial_flood();
	/* The mailbox and the 344 KiB after it, up to the stack: no zero byte. */
	fill(GABI_MAILBOX_GPA + 0x1000, GABI_STACK_TOP - 0x20000, FILL);
	fill((uptr)&mb->error_code, GABI_MAILBOX_GPA + 0x1000, FILL);
	static const char err[] = "\x1b[2J\x1b]0;owned\x07\xff\xfe";
	for (unsigned i = 0; i < sizeof(mb->error); i++)
		mb->error[i] = err[i % (sizeof(err) - 1)]; /* no NUL anywhere */
	mb->state = GABI_STATE_FAILED;
	guest_exit(1);
}

__attribute__((noreturn)) static void fake_counts(void)
{
	fill((uptr)&mb->done, (uptr)(mb + 1), FILL);
	mb->tsc_end = mb->tsc_start + 1000;
	mb->state = GABI_STATE_DONE;
	guest_exit(0);
}

/* 0 if the scenario is one of these (flood and fake-counts do not return). */
int hostile_host_facing(const struct transport *t, unsigned scenario)
{
	switch (scenario) {
	case GABI_HOSTILE_STATUS_REG:
		status_register(t);
		return 0;
	case GABI_HOSTILE_FLOOD:
		flood(t);
	case GABI_HOSTILE_FAKE_COUNTS:
		fake_counts();
	default:
		return -1;
	}
}
