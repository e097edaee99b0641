// SPDX-License-Identifier: MIT
/* The 16550A register file (see uart16550.h for the semantics kept). */
#include <string.h>
#include "uart16550.h"

#define IER_ETBEI 0x02
#define IIR_NO_INT 0x01
#define IIR_THRI 0x02
#define IIR_FIFO 0xc0
#define LCR_DLAB 0x80
#define LSR_THRE 0x20
#define LSR_TEMT 0x40
#define MCR_LOOP 0x10
#define FCR_ENABLE 0x01

static bool thr_interrupt(const struct uart16550 *u)
{
	return u->thr_ipending && (u->ier & IER_ETBEI);
}

/* Reports the line when its level changes (an edge for the ISA IOAPIC pin). */
static void update_irq(struct uart16550 *u)
{
	bool level = thr_interrupt(u);
	if (level == u->irq_level)
		return;
	u->irq_level = level;
	if (level)
		u->irq_raises++;
	if (u->set_irq)
		u->set_irq(u->opaque, level);
}

void uart16550_init(struct uart16550 *u, void (*tx)(void *, uint8_t), void (*set_irq)(void *, bool),
		    void *opaque)
{
	memset(u, 0, sizeof(*u));
	u->tx = tx;
	u->set_irq = set_irq;
	u->opaque = opaque;
}

void uart16550_write(struct uart16550 *u, unsigned reg, uint8_t val)
{
	if ((u->lcr & LCR_DLAB) && reg < 2) {
		if (reg == 0)
			u->dll = val;
		else
			u->dlm = val;
		return;
	}
	switch (reg) {
	case 0: /* THR: the byte leaves at once; the emptied THR interrupts again */
		u->thr_ipending = false;
		update_irq(u);
		u->tx_bytes++;
		if (u->tx)
			u->tx(u->opaque, val);
		u->thr_ipending = true;
		update_irq(u);
		break;
	case 1: { /* IER: enabling ETBEI with THR empty makes THRE pending */
		uint8_t old = u->ier;
		u->ier = val & 0x0f;
		if ((u->ier & IER_ETBEI) && !(old & IER_ETBEI))
			u->thr_ipending = true;
		update_irq(u);
		break;
	}
	case 2: /* FCR (write-only): only the FIFO enable is visible, in IIR */
		u->fcr = val & FCR_ENABLE;
		break;
	case 3:
		u->lcr = val;
		break;
	case 4:
		u->mcr = val & 0x1f;
		break;
	case 7:
		u->scr = val;
		break;
	default: /* LSR, MSR: read-only */
		break;
	}
}

static uint8_t read_msr(const struct uart16550 *u)
{
	if (!(u->mcr & MCR_LOOP))
		return 0xb0; /* DCD, DSR, CTS */
	uint8_t m = u->mcr;
	/* DTR->DSR, RTS->CTS, OUT1->RI, OUT2->DCD */
	return (uint8_t)(((m & 0x01) << 5) | ((m & 0x02) << 3) | ((m & 0x04) << 4) |
			 ((m & 0x08) << 4));
}

uint8_t uart16550_read(struct uart16550 *u, unsigned reg)
{
	if ((u->lcr & LCR_DLAB) && reg < 2)
		return reg == 0 ? u->dll : u->dlm;
	switch (reg) {
	case 0: /* RBR: nothing is ever received */
		return 0;
	case 1:
		return u->ier;
	case 2: {
		uint8_t fifo = u->fcr & FCR_ENABLE ? IIR_FIFO : 0;
		if (thr_interrupt(u)) {
			u->thr_ipending = false; /* reading IIR acknowledges THRE */
			update_irq(u);
			return fifo | IIR_THRI;
		}
		return fifo | IIR_NO_INT;
	}
	case 3:
		return u->lcr;
	case 4:
		return u->mcr;
	case 5:
		return LSR_THRE | LSR_TEMT;
	case 6:
		return read_msr(u);
	case 7:
		return u->scr;
	}
	return 0xff;
}
