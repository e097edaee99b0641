/* SPDX-License-Identifier: MIT */
/*
 * A 16550A UART, transmit side, as a register file with no KVM in it: the
 * VMM feeds it port accesses and gets bytes out and the interrupt line's
 * level back through callbacks. What Linux's 8250 driver relies on:
 * - THR writes leave at once (LSR THRE|TEMT stay set), and each one ends
 *   with a transmit-empty interrupt pending, as a real UART's does when
 *   its shift register drains; the line drops on the write and rises again.
 * - IER bit 1 (ETBEI) enables that interrupt; enabling it with THR empty
 *   makes it pending at once (the driver's "THRE test" and start_tx).
 * - IIR reports it as 0x02 (with FIFO bits 0xc0 once FCR enables the FIFO)
 *   and reading IIR while it reports THRE clears it; nothing pending: 0x01.
 * - MCR loopback: MSR mirrors DTR/RTS/OUT1/OUT2 as DSR/CTS/RI/DCD (the
 *   driver's port probe); otherwise DCD, DSR, CTS are up.
 * - LCR bit 7 (DLAB) maps the divisor latch over THR/IER; SCR reads back.
 * There is no receive path: LSR never has DR, RBR reads 0.
 */
#ifndef IRQPATH_VMM_UART16550_H
#define IRQPATH_VMM_UART16550_H

#include <stdbool.h>
#include <stdint.h>

#define UART_REG_COUNT 8

struct uart16550 {
	uint8_t ier, lcr, mcr, scr, fcr, dll, dlm;
	bool thr_ipending; /* transmit-empty interrupt pending */
	bool irq_level;	   /* the line as last reported */
	uint64_t tx_bytes, irq_raises;
	void (*tx)(void *opaque, uint8_t byte);
	void (*set_irq)(void *opaque, bool level);
	void *opaque;
};

/* A reset UART (IER 0, no interrupt pending, line low). Callbacks may be NULL. */
void uart16550_init(struct uart16550 *u, void (*tx)(void *, uint8_t), void (*set_irq)(void *, bool),
		    void *opaque);

/* One byte-wide access to register reg (0..7, port - base). */
void uart16550_write(struct uart16550 *u, unsigned reg, uint8_t val);
uint8_t uart16550_read(struct uart16550 *u, unsigned reg);

#endif
