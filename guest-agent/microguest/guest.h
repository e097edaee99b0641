/* SPDX-License-Identifier: MIT */
/* Shared declarations of the micro-guest (freestanding, no libc). */
#ifndef MICROGUEST_GUEST_H
#define MICROGUEST_GUEST_H

#include "irqpath/guest_abi.h"
#include "irqpath/virtio_mmio_v3.h"

typedef gabi_u8 u8;
typedef gabi_u16 u16;
typedef gabi_u32 u32;
typedef gabi_u64 u64;
typedef unsigned long uptr;
#define NULL ((void *)0)
#define bool _Bool
#define true 1
#define false 0

extern struct gabi_mailbox *mb;

/* ---- port and memory-mapped I/O ---- */
static inline void outb(u16 port, u8 v)
{
	__asm__ volatile("outb %0, %1" : : "a"(v), "Nd"(port));
}
static inline void outl(u16 port, u32 v)
{
	__asm__ volatile("outl %0, %1" : : "a"(v), "Nd"(port));
}
static inline u32 inl(u16 port)
{
	u32 v;
	__asm__ volatile("inl %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}
static inline u16 inw(u16 port)
{
	u16 v;
	__asm__ volatile("inw %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}
static inline void outw(u16 port, u16 v)
{
	__asm__ volatile("outw %0, %1" : : "a"(v), "Nd"(port));
}
static inline u8 inb(u16 port)
{
	u8 v;
	__asm__ volatile("inb %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}
static inline u32 rd32(uptr a)
{
	return *(volatile u32 *)a;
}
static inline void wr32(uptr a, u32 v)
{
	*(volatile u32 *)a = v;
}
static inline u16 rd16(uptr a)
{
	return *(volatile u16 *)a;
}
static inline void wr16(uptr a, u16 v)
{
	*(volatile u16 *)a = v;
}
static inline u8 rd8(uptr a)
{
	return *(volatile u8 *)a;
}
static inline void wr8(uptr a, u8 v)
{
	*(volatile u8 *)a = v;
}
static inline u64 rdmsr(u32 msr)
{
	u32 lo, hi;
	__asm__ volatile("rdmsr" : "=a"(lo), "=d"(hi) : "c"(msr));
	return (u64)hi << 32 | lo;
}
static inline void wrmsr(u32 msr, u64 v)
{
	__asm__ volatile("wrmsr" : : "c"(msr), "a"((u32)v), "d"((u32)(v >> 32)));
}
static inline u64 rdtsc(void)
{
	u32 lo, hi;
	__asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
	return (u64)hi << 32 | lo;
}
static inline void barrier(void)
{
	__asm__ volatile("" ::: "memory");
}
/* x86 keeps stores ordered; a compiler barrier is enough between them. */
#define wmb() barrier()
#define rmb() barrier()
static inline void mb_full(void)
{
	__asm__ volatile("lock; addl $0,0(%%rsp)" ::: "memory");
}
/* Enable interrupts and halt atomically (sti's shadow covers hlt). */
static inline void wait_for_interrupt(void)
{
	__asm__ volatile("sti; hlt; cli" ::: "memory");
}

static inline void cpu_relax(void)
{
	__asm__ volatile("pause" ::: "memory");
}

/* ---- smp.c: which vCPU this is, and the per-vCPU counts ---- */
extern unsigned ncpus, npairs, nqueues; /* from the mailbox */
/* GS points at this vCPU's index (smp_cpu_init): no exit to find it. */
static inline unsigned this_cpu(void)
{
	unsigned v;
	__asm__ volatile("movl %%gs:0, %0" : "=r"(v));
	return v;
}
static inline struct gabi_vcpu *vcpu_counts(void)
{
	return (struct gabi_vcpu *)(uptr)(GABI_VCPU_GPA + (u64)this_cpu() * GABI_VCPU_STRIDE);
}
/* Totals in the mailbox are shared by every vCPU: locked increments. */
static inline void cnt(volatile u64 *p)
{
	__atomic_fetch_add(p, 1, __ATOMIC_RELAXED);
}
void smp_cpu_init(unsigned idx);
void count_status_read(bool zero);
void count_ack(void);
void count_spurious(void);
/* x2APIC ICR write: fixed GABI_VEC_IPI to the vCPU with APIC ID dest. */
void apic_send_ipi(unsigned dest);
void ipi_init(void);

/* ---- lib.c ---- */
void *memset(void *d, int c, unsigned long n);
void *memcpy(void *d, const void *s, unsigned long n);
int memcmp(const void *a, const void *b, unsigned long n);
void print(const char *s);
void print_hex(u64 v);
void print_dec(u64 v);
/* v in decimal into BUF; returns where its digits start */
const char *fmt_dec(u64 v, char buf[21]);
/* v as DIGITS hex digits (no prefix) into BUF, which holds DIGITS + 1 */
void fmt_hex(u64 v, int digits, char *buf);
__attribute__((noreturn)) void guest_exit(u32 status);
__attribute__((noreturn)) void fail(const char *msg, u64 value);

/* ---- apic.c ---- */
typedef void (*irq_handler_fn)(unsigned vector);
void apic_init(bool bsp);
void apic_eoi(void);
u32 apic_id(void);
void ioapic_route(unsigned pin, unsigned vector, bool level);
/* Routes a GSI: the first IOAPIC's pins, then microvm's second IOAPIC. */
void ioapic_route_gsi(unsigned gsi, unsigned vector, bool level);
void idt_init(void);
void irq_register(unsigned vector, irq_handler_fn fn);

/* ---- pvh.c: booted by QEMU through the PVH entry ---- */
#define MMIO_CANDIDATES_MAX 8u
struct mmio_candidate {
	uptr base;
	u32 gsi;
};
extern bool booted_pvh;
/* virtio_mmio.device= entries of the command line, in order */
extern struct mmio_candidate mmio_cands[MMIO_CANDIDATES_MAX];
extern unsigned mmio_ncands;

/* ---- where the driver found its device and how it wired it (reported under QEMU) ---- */
struct device_info {
	uptr window;		  /* mmio window, or the BAR holding common config */
	u32 gsi;		  /* the legacy interrupt line (mmio), else 0 */
	uptr common, isr, devcfg; /* pci: the capabilities' addresses */
	uptr notify, msix_table;  /* pci: notify base and MSI-X table */
	u32 notify_mult;
	u32 vec_legacy, vec_config; /* 0 when not in use */
	u32 vec_queue[GABI_MAX_QUEUES];
};
extern struct device_info devinfo;

/* ---- report.c: the debugcon report under QEMU (no-ops otherwise) ---- */
void report_run(void); /* the RR loop starts: where the device is */
void report_end(void); /* the RR loop ended */
void report_final(u32 status);

#endif
