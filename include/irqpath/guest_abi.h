/* SPDX-License-Identifier: MIT */
/*
 * The contract between irqpath-vmm and its freestanding micro-guest:
 * guest-physical memory map, the I/O ports the guest uses to talk to the
 * VMM, the interrupt vectors it programs and the results mailbox.
 * Freestanding (no libc headers) so the micro-guest can include it.
 */
#ifndef IRQPATH_GUEST_ABI_H
#define IRQPATH_GUEST_ABI_H

typedef unsigned char gabi_u8;
typedef unsigned short gabi_u16;
typedef unsigned int gabi_u32;
typedef unsigned long long gabi_u64;

/* ---- guest-physical memory map (identity-mapped, 2 MiB pages) ---- */
#define GABI_GDT_GPA 0x1000ull
#define GABI_PT_GPA 0x2000ull /* PML4, PDPT, 4 PDs: 0x2000..0x7fff */
#define GABI_IDT_GPA 0x8000ull
#define GABI_MAILBOX_GPA 0x9000ull     /* one page, struct gabi_mailbox */
#define GABI_STACK_TOP 0x80000ull      /* grows down */
#define GABI_IMAGE_MIN 0x100000ull     /* ELF segments must sit above this */
#define GABI_VCPU_GPA 0x200000ull      /* per-vCPU blocks, struct gabi_vcpu */
#define GABI_VCPU_STRIDE 0x1000ull     /* one page each (no shared cache lines) */
#define GABI_MAX_VCPUS 64u	       /* vCPU i = x2APIC ID i */
#define GABI_AP_STACKS_GPA 0x240000ull /* vCPU i >= 1: 16 KiB stack each */
#define GABI_AP_STACK_SIZE 0x4000ull   /* vCPU i: base + i * size up to the next */
#define GABI_HEAP_GPA 0x400000ull      /* rings and buffers from here */
#define GABI_LATENCY_GPA 0x800000ull   /* u32 TSC deltas, one per transaction */
#define GABI_LATENCY_MAX (1u << 20)    /* ring of that many entries */
#define GABI_RAM_MIN (16ull << 20)     /* the VMM gives at least this */

/* Device windows (above RAM, below the LAPIC/IOAPIC). */
#define GABI_MMIO_DEV_GPA 0xd0000000ull /* virtio-mmio window, 4 KiB */
#define GABI_MMIO_DEV_SIZE 0x1000u
#define GABI_PCI_BAR0_GPA 0xe0000000ull /* virtio-pci BAR0, 32 KiB */
#define GABI_IOAPIC_GPA 0xfec00000ull
#define GABI_LAPIC_GPA 0xfee00000ull

/* The legacy virtio-mmio interrupt pin on the IOAPIC */
#define GABI_LEGACY_IOAPIC_PIN 5u
/* virtio-pci INTA#, the fallback when MSI-X is off (level, active low) */
#define GABI_PCI_INTX_PIN 11u

/* ---- interrupt vectors the micro-guest programs ---- */
#define GABI_VEC_LEGACY 0x30u /* IOAPIC pin, level */
#define GABI_VEC_CONFIG 0x40u /* MSI vector 0 */
#define GABI_VEC_QUEUE0 0x41u /* MSI vector q+1 -> 0x41 + q */
#define GABI_VEC_IPI 0xf0u    /* mmio-legacy / shared vectors: wake a pair's owner */
#define GABI_VEC_SPURIOUS 0xffu

/* ---- I/O ports (guest -> VMM, each a userspace exit) ---- */
#define GABI_PORT_SERIAL 0x3f8u /* 8250 THR */
#define GABI_PORT_EXIT 0x501u	/* out32: guest finished; value = status */
#define GABI_PORT_PIC1_DATA 0x21u
#define GABI_PORT_PIC2_DATA 0xa1u

/* ---- mailbox ---- */
#define GABI_MAGIC 0x4854415051524931ull /* "1IRQPATH" */
#define GABI_VERSION 2u
/* rx0 tx0 rx1 tx1 ... and ctrl: 16 pairs + ctrl (one pair: rx 0, tx 1) */
#define GABI_MAX_PAIRS 16u
#define GABI_MAX_QUEUES (2u * GABI_MAX_PAIRS + 1u)

enum gabi_transport {
	GABI_TRANSPORT_MMIO_LEGACY = 0,
	GABI_TRANSPORT_MMIO_V3 = 1,
	GABI_TRANSPORT_PCI = 2,
	/* virtio-mmio interrupt variants (virtio_mmio_variants.h) */
	GABI_TRANSPORT_MMIO_DRAFT = 3,
	GABI_TRANSPORT_MMIO_ADDRDATA = 4,
	GABI_TRANSPORT_MMIO_ADDRDATA_SHARED = 5, /* one message for all queues */
	GABI_TRANSPORT_MMIO_DRAGONBALL = 6,
};

/* Hostile-guest scenarios (one per run; 0 = well-behaved). */
enum gabi_hostile {
	GABI_HOSTILE_NONE = 0,
	GABI_HOSTILE_DESC_OUT_OF_RAM, /* descriptor address past guest RAM */
	GABI_HOSTILE_BAD_QUEUE_INDEX, /* notify / select a queue past the last */
	GABI_HOSTILE_DESC_LOOP,	      /* descriptor chain that loops */
	GABI_HOSTILE_ZERO_LEN,	      /* descriptor of length 0 */
	GABI_HOSTILE_HUGE_LEN,	      /* descriptor of length 2^32-1 */
	GABI_HOSTILE_RING_OUT_OF_RAM, /* ring addresses outside guest RAM */
	GABI_HOSTILE_MSI_BAD_VECTOR,  /* v3/pci: MSI vector index past the count */
	GABI_HOSTILE_DOORBELL_PAST,   /* v3/pci: doorbell past the window */
	GABI_HOSTILE_BAR_PAST,	      /* pci: access past BAR size */
	GABI_HOSTILE_MSIX_GARBAGE,    /* pci: garbage MSI-X table writes */
	GABI_HOSTILE_STATUS_REG,      /* status: 0x100, FAILED, DRIVER_OK after refused features */
	GABI_HOSTILE_FLOOD,	      /* toggle DRIVER_OK, flood serial, RAM and mailbox; fail */
	GABI_HOSTILE_FAKE_COUNTS,     /* claim done with counts it never did */
	GABI_HOSTILE_COUNT,
};

enum gabi_state {
	GABI_STATE_BOOT = 0,
	GABI_STATE_RUNNING = 1,
	GABI_STATE_DONE = 2,
	GABI_STATE_FAILED = 3,
};

struct gabi_queue_counts {
	gabi_u64 notifies;   /* doorbell / QueueNotify writes */
	gabi_u64 interrupts; /* interrupts taken that named this queue */
	gabi_u64 callbacks;  /* vq callbacks run (used buffers seen) */
	gabi_u64 used;	     /* used-ring entries consumed */
};

struct gabi_mailbox {
	/* Written by the VMM before the vCPU starts. */
	gabi_u64 magic;
	gabi_u32 version;
	gabi_u32 transport;    /* enum gabi_transport */
	gabi_u64 transactions; /* 0 = until stop */
	gabi_u32 req_bytes;
	gabi_u32 resp_bytes;
	gabi_u32 hostile; /* enum gabi_hostile */
	gabi_u32 x2apic;  /* 1: the VMM set CPUID x2APIC; guest uses MSRs */
	gabi_u64 ram_bytes;
	volatile gabi_u32 stop; /* VMM sets 1 to end a duration run */
	gabi_u32 vcpus;		/* vCPUs started (0 read as 1); vCPU i runs pair i */
	gabi_u32 queue_pairs;	/* rx/tx pairs the device offers (0 read as 1) */
	gabi_u32 mask_probe;	/* 1: mmio-v3 runs the masked-interrupt probe (--mask-probe) */

	/* Written by the guest. */
	volatile gabi_u32 state; /* enum gabi_state */
	gabi_u32 error_code;
	char error[64];
	volatile gabi_u64 done;	    /* transactions completed */
	gabi_u64 status_reads;	    /* InterruptStatus / ISR reads */
	gabi_u64 status_zero;	    /* ... that returned 0 (spurious) */
	gabi_u64 acks;		    /* InterruptACK writes */
	gabi_u64 config_interrupts; /* config-change interrupts */
	gabi_u64 spurious;	    /* interrupts with nothing to do */
	gabi_u64 msi_vectors;	    /* MSI/MSI-X vectors in use (0 legacy) */
	gabi_u64 tsc_start, tsc_end;
	gabi_u64 latency_count; /* entries written at GABI_LATENCY_GPA */
	gabi_u64 rx_ignored;	/* received frames that were not our responses */
	struct gabi_queue_counts q[GABI_MAX_QUEUES];
	gabi_u64 irqs_by_vector[256];
	/* SMP: vCPUs that reached the start line / finished their client. */
	volatile gabi_u32 vcpus_ready, vcpus_done;
	volatile gabi_u32 go; /* the BSP brought the device up: clients start */
	gabi_u32 pad1;
};

/*
 * Per-vCPU counts, vCPU i's at GABI_VCPU_GPA + i * GABI_VCPU_STRIDE,
 * written by that vCPU only (the mailbox keeps the totals): the guest's
 * own word on where each interrupt and IPI was taken.
 */
struct gabi_vcpu {
	gabi_u64 transactions;	/* its RR client's completed transactions */
	gabi_u64 interrupts;	/* interrupts taken on it (all vectors) */
	gabi_u64 status_reads;	/* InterruptStatus / ISR reads it did */
	gabi_u64 acks;		/* InterruptACK writes it did */
	gabi_u64 ipis_sent;	/* x2APIC ICR writes (GABI_VEC_IPI) */
	gabi_u64 ipis_received; /* GABI_VEC_IPI taken */
	gabi_u64 spurious;	/* interrupts with nothing to do */
	gabi_u64 apic_id;	/* what its x2APIC ID register said */
	gabi_u64 irqs_by_vector[256];
};

/*
 * ---- queues, owners and the MSI vector plan (irqpath-vmm, micro-guest) ----
 * P queue pairs: virtio queues rx0 tx0 rx1 tx1 ... (2p, 2p + 1) and, with
 * P > 1, the control queue 2P. Pair p is owned by vCPU p % N; ctrl by vCPU 0.
 * MSI entries (mmio-v3 vectors, pci MSI-X entries), M of them in use:
 *  - M >= queues + 1: entry 0 config, queue q on entry q + 1 (ctrl last);
 *  - M == 1: config and every queue on entry 0;
 *  - M == 2P + 1 (P > 1): data queue q on entry q + 1, ctrl on entry 0;
 *  - otherwise: entry 0 config; both queues of pair p on entry
 *    1 + p % (M - 1); ctrl, when it has no entry of its own, on entry 0
 *    (it is polled, as Linux polls it, and never signalled).
 * Entry k targets the owner of the first queue (virtio order) on it;
 * entry 0 and entries with no queue target vCPU 0. Guest vector of entry
 * k: GABI_VEC_CONFIG + k.
 */
static inline unsigned gabi_num_queues(unsigned pairs)
{
	return pairs > 1 ? 2 * pairs + 1 : 2;
}

static inline unsigned gabi_queue_owner(unsigned q, unsigned pairs, unsigned vcpus)
{
	if (!vcpus || q >= 2 * pairs)
		return 0;
	return (q / 2) % vcpus;
}

static inline unsigned gabi_plan_entry(unsigned q, unsigned pairs, unsigned entries)
{
	if (entries >= gabi_num_queues(pairs) + 1)
		return q + 1;
	if (entries <= 1 || q >= 2 * pairs)
		return 0; /* ctrl without an entry of its own rides on config's */
	if (entries >= 2 * pairs + 1)
		return q + 1; /* every data queue still has its own */
	return 1 + (q / 2) % (entries - 1);
}

static inline unsigned gabi_plan_dest(unsigned entry, unsigned pairs, unsigned vcpus,
				      unsigned entries)
{
	if (entry == 0)
		return 0;
	for (unsigned q = 0; q < gabi_num_queues(pairs); q++)
		if (gabi_plan_entry(q, pairs, entries) == entry)
			return gabi_queue_owner(q, pairs, vcpus);
	return 0;
}

/* ---- under QEMU: the same ELF booted through its PVH entry (pvh_start.S) ---- */
#define GABI_PORT_DEBUGCON 0xe9u  /* isa-debugcon: progress marks and the report frame */
#define GABI_PORT_QEMU_EXIT 0xf4u /* isa-debug-exit (iosize 4): QEMU exits (v << 1) | 1 */
/* microvm's second IOAPIC (GSIs after the first one's pins; virtio-mmio lines) */
#define GABI_QEMU_IOAPIC2_GPA 0xfec10000ull
/*
 * Report lines on the debugcon: "IRQPATH-MG/1 KIND k=v k=v ... crc32=XXXXXXXX\n",
 * printable ASCII, at most GABI_REPORT_LINE_MAX bytes; the CRC-32 (IEEE
 * 802.3) covers every byte before " crc32=". KIND is run (the RR loop
 * starts: where the device is and how it is wired), end (the loop ended)
 * or result (the mailbox counts, also sent when the guest fails).
 */
#define GABI_REPORT_PREFIX "IRQPATH-MG/1 "
#define GABI_REPORT_LINE_MAX 4096u
/* Kernel command-line keys the PVH boot reads (defaults in brackets). */
#define GABI_CMDLINE_TRANSACTIONS "irqpath.transactions=" /* [300] */
#define GABI_CMDLINE_REQ "irqpath.req="			  /* [32] */
#define GABI_CMDLINE_RESP "irqpath.resp="		  /* [1024] */

#endif
