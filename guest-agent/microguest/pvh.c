// SPDX-License-Identifier: MIT
/*
 * Booted by QEMU (-kernel, PVH entry): there is no VMM to fill the
 * mailbox, so the guest fills it itself from the command line QEMU passes
 * in the hvm_start_info, and picks its transport the way a guest finds
 * devices on each machine type:
 * - microvm: QEMU appends "virtio_mmio.device=<size>@<base>:<gsi>" for
 *   every virtio-mmio transport that has a device (what Linux's
 *   CONFIG_VIRTIO_MMIO_CMDLINE_DEVICES parses). That gives the interrupt
 *   line as well as the window, which probing the window range for the
 *   magic value would not: every one of microvm's transports answers the
 *   magic, with DeviceID 0 when empty.
 * - no such entry (q35): virtio-pci, found by enumerating bus 0.
 */
#include "transport.h"

#define HVM_START_MAGIC 0x336ec578u
#define CMDLINE_MAX 1024u

struct hvm_start_info {
	u32 magic, version, flags, nr_modules;
	u64 modlist_paddr, cmdline_paddr, rsdp_paddr, memmap_paddr;
	u32 memmap_entries, reserved;
};

bool booted_pvh;
struct mmio_candidate mmio_cands[MMIO_CANDIDATES_MAX];
unsigned mmio_ncands;
static char cmdline[CMDLINE_MAX];

/* Parses an unsigned number (0x hex or decimal) at *p; advances *p. */
static bool parse_num(const char **p, u64 *out)
{
	const char *s = *p;
	u64 v = 0;
	unsigned base = 10, digits = 0;
	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		base = 16;
		s += 2;
	}
	for (;; s++, digits++) {
		unsigned d;
		if (*s >= '0' && *s <= '9')
			d = (unsigned)(*s - '0');
		else if (base == 16 && *s >= 'a' && *s <= 'f')
			d = (unsigned)(*s - 'a' + 10);
		else if (base == 16 && *s >= 'A' && *s <= 'F')
			d = (unsigned)(*s - 'A' + 10);
		else
			break;
		if (v > (~0ull - d) / base)
			return false;
		v = v * base + d;
	}
	*p = s;
	*out = v;
	return digits > 0;
}

static bool has_prefix(const char *s, const char *prefix)
{
	for (; *prefix; s++, prefix++)
		if (*s != *prefix)
			return false;
	return true;
}

static unsigned str_len(const char *s)
{
	unsigned n = 0;
	while (s[n])
		n++;
	return n;
}

/* "<size>[K|M]@<base>:<gsi>[:<id>]", as Linux's virtio_mmio.device= */
static void parse_mmio_device(const char *s)
{
	u64 size, base, gsi;
	if (!parse_num(&s, &size))
		fail("virtio_mmio.device=: bad size", 0);
	if (*s == 'K' || *s == 'k')
		size <<= 10, s++;
	else if (*s == 'M' || *s == 'm')
		size <<= 20, s++;
	if (*s++ != '@' || !parse_num(&s, &base) || *s++ != ':' || !parse_num(&s, &gsi))
		fail("virtio_mmio.device=: expected size@base:irq", 0);
	if (size < 0x100 || base >= (4ull << 30) - size || gsi > 255)
		fail("virtio_mmio.device=: window or irq out of range", base);
	if (mmio_ncands == MMIO_CANDIDATES_MAX)
		return; /* more devices than we look at: ours is a net device among the first */
	mmio_cands[mmio_ncands].base = (uptr)base;
	mmio_cands[mmio_ncands].gsi = (u32)gsi;
	mmio_ncands++;
}

static u64 cmdline_u64(const char *word, u64 lo, u64 hi, const char *what)
{
	const char *p = word;
	u64 v;
	if (!parse_num(&p, &v) || (*p && *p != ' ') || v < lo || v > hi)
		fail(what, 0);
	return v;
}

/* Walks the space-separated words of the command line. */
static void parse_cmdline(void)
{
	for (const char *w = cmdline; *w;) {
		while (*w == ' ')
			w++;
		if (has_prefix(w, "virtio_mmio.device="))
			parse_mmio_device(w + str_len("virtio_mmio.device="));
		else if (has_prefix(w, GABI_CMDLINE_TRANSACTIONS))
			mb->transactions =
			    cmdline_u64(w + str_len(GABI_CMDLINE_TRANSACTIONS), 1, GABI_LATENCY_MAX,
					"bad irqpath.transactions=");
		else if (has_prefix(w, GABI_CMDLINE_REQ))
			mb->req_bytes = (u32)cmdline_u64(w + str_len(GABI_CMDLINE_REQ), 8, 1500,
							 "bad irqpath.req= (8..1500)");
		else if (has_prefix(w, GABI_CMDLINE_RESP))
			mb->resp_bytes = (u32)cmdline_u64(w + str_len(GABI_CMDLINE_RESP), 8, 2000,
							  "bad irqpath.resp= (8..2000)");
		while (*w && *w != ' ')
			w++;
	}
}

static bool cpu_has_x2apic(void)
{
	u32 a = 1, b, c = 0, d;
	__asm__ volatile("cpuid" : "+a"(a), "=b"(b), "+c"(c), "=d"(d));
	return (c >> 21) & 1;
}

void gmain(struct gabi_mailbox *m, unsigned idx);
void pvh_main(u32 start_info);
void pvh_main(u32 start_info)
{
	const struct hvm_start_info *si = (const struct hvm_start_info *)(uptr)start_info;
	booted_pvh = true;
	/* Copy the command line before anything writes low memory. */
	if (si->magic == HVM_START_MAGIC && si->cmdline_paddr) {
		const char *src = (const char *)(uptr)si->cmdline_paddr;
		unsigned i = 0;
		for (; src[i] && i < CMDLINE_MAX - 1; i++)
			cmdline[i] = src[i];
		cmdline[i] = 0;
	}
	mb = (struct gabi_mailbox *)GABI_MAILBOX_GPA;
	memset(mb, 0, sizeof(*mb));
	mb->magic = GABI_MAGIC;
	mb->version = GABI_VERSION;
	mb->transactions = 300;
	mb->req_bytes = 32;
	mb->resp_bytes = 1024;
	mb->x2apic = 1;
	if (si->magic != HVM_START_MAGIC)
		fail("PVH start_info has the wrong magic", si->magic);
	parse_cmdline();
	if (!cpu_has_x2apic())
		fail("CPU model without x2APIC (QEMU/KVM enables it by default)", 0);
	mb->transport = mmio_ncands ? GABI_TRANSPORT_MMIO_LEGACY : GABI_TRANSPORT_PCI;
	gmain(mb, 0);
}
