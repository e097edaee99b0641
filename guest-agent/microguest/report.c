// SPDX-License-Identifier: MIT
/*
 * The report channel under QEMU: lines on the isa-debugcon port (one
 * output instruction per byte, no flow control, nothing else writes there;
 * guest-agent/qemu/README.md says why not the serial console). The format
 * is in include/irqpath/guest_abi.h; irqpath-qemu-micro parses it. Every
 * line is "IRQPATH-MG/1 KIND k=v ... crc32=XXXXXXXX".
 */
#include "transport.h"

static u32 crc;

static void crc_byte(u8 b)
{
	crc ^= b;
	for (int i = 0; i < 8; i++)
		crc = (crc >> 1) ^ (0xedb88320u & (0u - (crc & 1)));
}

static void put(const char *s)
{
	for (; *s; s++) {
		outb(GABI_PORT_DEBUGCON, (u8)*s);
		crc_byte((u8)*s);
	}
}

static void put_dec(u64 v)
{
	char buf[21];
	put(fmt_dec(v, buf));
}

/* v as 0x + `digits` hex digits (0 digits: no prefix, 8 digits) */
static void put_hex(u64 v, int digits)
{
	char buf[19] = "0x";
	fmt_hex(v, digits ? digits : 8, digits ? buf + 2 : buf);
	put(buf);
}

static void line_begin(const char *kind)
{
	crc = ~0u;
	put(GABI_REPORT_PREFIX);
	put(kind);
}

static void line_end(void)
{
	u32 sum = ~crc;
	put(" crc32=");
	put_hex(sum, 0);
	put("\n");
}

static void kv(const char *k, u64 v)
{
	put(" ");
	put(k);
	put("=");
	put_dec(v);
}

static void kvx(const char *k, u64 v)
{
	put(" ");
	put(k);
	put("=");
	put_hex(v, 16);
}

/* " rx.NAME=v" / " tx.NAME=v" */
static void kvq(unsigned q, const char *name, u64 v)
{
	put(q == 0 ? " rx." : " tx.");
	put(name);
	put("=");
	put_dec(v);
}

void report_run(void)
{
	if (!booted_pvh)
		return;
	bool pci = mb->transport == GABI_TRANSPORT_PCI;
	line_begin("run");
	put(pci ? " transport=pci" : " transport=mmio");
	kvx("window", devinfo.window);
	kv("gsi", devinfo.gsi);
	kvx("common", devinfo.common);
	kvx("isr", devinfo.isr);
	kvx("device", devinfo.devcfg);
	kvx("notify", devinfo.notify);
	kv("notify_mult", devinfo.notify_mult);
	kvx("msix_table", devinfo.msix_table);
	kvx("rx.doorbell", vqs[0].notify_addr);
	kvx("tx.doorbell", vqs[1].notify_addr);
	kv("vec_legacy", devinfo.vec_legacy);
	kv("vec_config", devinfo.vec_config);
	kvq(0, "vector", devinfo.vec_queue[0]);
	kvq(1, "vector", devinfo.vec_queue[1]);
	line_end();
}

void report_end(void)
{
	if (!booted_pvh)
		return;
	line_begin("end");
	kv("done", mb->done);
	line_end();
}

/* The error text as one token: printable, no spaces, '-' when empty. */
static void put_error_token(void)
{
	char tok[sizeof(mb->error)];
	unsigned i = 0;
	for (; i < sizeof(tok) - 1 && mb->error[i]; i++) {
		char c = mb->error[i];
		tok[i] = (c > ' ' && c < 127 && c != '=') ? c : '_';
	}
	tok[i] = 0;
	put(i ? tok : "-");
}

void report_final(u32 status)
{
	static const char *const state_names[] = {"boot", "running", "done", "failed"};
	line_begin("result");
	kv("status", status);
	put(" state=");
	put(mb->state < 4 ? state_names[mb->state] : "unknown");
	put(mb->transport == GABI_TRANSPORT_PCI ? " transport=pci" : " transport=mmio");
	kv("requested", mb->transactions);
	kv("req", mb->req_bytes);
	kv("resp", mb->resp_bytes);
	kv("done", mb->done);
	kv("tsc_cycles", mb->tsc_end > mb->tsc_start ? mb->tsc_end - mb->tsc_start : 0);
	kv("status_reads", mb->status_reads);
	kv("status_zero", mb->status_zero);
	kv("acks", mb->acks);
	kv("config_interrupts", mb->config_interrupts);
	kv("spurious", mb->spurious);
	kv("msi_vectors", mb->msi_vectors);
	kv("rx_ignored", mb->rx_ignored);
	for (unsigned q = 0; q < nqueues; q++) {
		kvq(q, "notifies", mb->q[q].notifies);
		kvq(q, "interrupts", mb->q[q].interrupts);
		kvq(q, "callbacks", mb->q[q].callbacks);
		kvq(q, "used", mb->q[q].used);
	}
	for (unsigned v = 0; v < 256; v++)
		if (mb->irqs_by_vector[v]) {
			put(" vec");
			put_dec(v);
			put("=");
			put_dec(mb->irqs_by_vector[v]);
		}
	kv("error_code", mb->error_code);
	put(" error=");
	put_error_token();
	line_end();
}
