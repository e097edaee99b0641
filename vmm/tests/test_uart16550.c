// SPDX-License-Identifier: MIT
/*
 * The 16550 register file driven the way Linux's 8250 driver drives it:
 * the port probe (scratch, loopback MSR, FIFO bits in IIR), the THRE test,
 * start_tx/transmit/stop_tx with the line's edges, the divisor latch.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include "../uart16550.h"

enum { THR = 0, IER = 1, IIR = 2, FCR = 2, LCR = 3, MCR = 4, LSR = 5, MSR = 6, SCR = 7 };

struct log {
	char out[64];
	unsigned n, rises, falls;
	bool level;
};

static void tx(void *o, uint8_t b)
{
	struct log *l = o;
	if (l->n < sizeof(l->out) - 1)
		l->out[l->n++] = (char)b;
}

static void irq(void *o, bool level)
{
	struct log *l = o;
	assert_true(level != l->level); /* only changes are reported */
	l->level = level;
	if (level)
		l->rises++;
	else
		l->falls++;
}

static void reset_state(void **state)
{
	(void)state;
	struct uart16550 u;
	struct log l = {0};
	uart16550_init(&u, tx, irq, &l);
	assert_int_equal(uart16550_read(&u, IER), 0);
	assert_int_equal(uart16550_read(&u, IIR), 0x01);
	assert_int_equal(uart16550_read(&u, LSR), 0x60);
	assert_int_equal(uart16550_read(&u, MSR), 0xb0);
	assert_int_equal(uart16550_read(&u, THR), 0);
	assert_false(l.level);
}

static void probe_registers(void **state)
{
	(void)state;
	struct uart16550 u;
	struct log l = {0};
	uart16550_init(&u, tx, irq, &l);
	uart16550_write(&u, SCR, 0xa5);
	assert_int_equal(uart16550_read(&u, SCR), 0xa5);
	/* loopback with RTS|OUT2: CTS|DCD, as the probe expects */
	uart16550_write(&u, MCR, 0x10 | 0x0a);
	assert_int_equal(uart16550_read(&u, MSR) & 0xf0, 0x90);
	uart16550_write(&u, MCR, 0x10 | 0x0f);
	assert_int_equal(uart16550_read(&u, MSR) & 0xf0, 0xf0);
	uart16550_write(&u, MCR, 0x0b);
	assert_int_equal(uart16550_read(&u, MSR), 0xb0);
	assert_int_equal(uart16550_read(&u, MCR), 0x0b);
	/* FIFO enable shows in IIR's top bits (a 16550A) */
	uart16550_write(&u, FCR, 0x07);
	assert_int_equal(uart16550_read(&u, IIR), 0xc1);
	uart16550_write(&u, FCR, 0x00);
	assert_int_equal(uart16550_read(&u, IIR), 0x01);
	/* DLAB maps the divisor over THR/IER; nothing is transmitted */
	uart16550_write(&u, LCR, 0x83);
	uart16550_write(&u, THR, 0x01);
	uart16550_write(&u, IER, 0x00);
	assert_int_equal(uart16550_read(&u, THR), 0x01);
	assert_int_equal(uart16550_read(&u, IER), 0x00);
	uart16550_write(&u, LCR, 0x03);
	assert_int_equal(uart16550_read(&u, LCR), 0x03);
	assert_int_equal(l.n, 0);
	assert_int_equal(l.rises, 0);
}

static void thre_interrupt(void **state)
{
	(void)state;
	struct uart16550 u;
	struct log l = {0};
	uart16550_init(&u, tx, irq, &l);
	/* polled output (IER 0): bytes leave, no interrupt */
	uart16550_write(&u, THR, 'a');
	assert_false(l.level);
	assert_int_equal(uart16550_read(&u, IIR), 0x01);
	/* start_tx: enabling ETBEI with THR empty raises the line at once */
	uart16550_write(&u, IER, 0x02);
	assert_true(l.level);
	assert_int_equal(l.rises, 1);
	/* the handler: IIR says THRE and reading it acknowledges */
	assert_int_equal(uart16550_read(&u, IIR), 0x02);
	assert_false(l.level);
	assert_int_equal(uart16550_read(&u, IIR), 0x01);
	/* each byte written drains at once and interrupts again: a new edge */
	uart16550_write(&u, THR, 'b');
	assert_true(l.level);
	assert_int_equal(l.rises, 2);
	uart16550_write(&u, THR, 'c');
	assert_int_equal(l.rises, 3);
	assert_int_equal(l.falls, 2);
	assert_int_equal(uart16550_read(&u, LSR), 0x60);
	/* stop_tx: clearing ETBEI drops the line; IIR has nothing */
	uart16550_write(&u, IER, 0x00);
	assert_false(l.level);
	assert_int_equal(uart16550_read(&u, IIR), 0x01);
	/* the driver's THRE test: IER THRI, read IIR, IER 0, IER THRI again */
	uart16550_write(&u, IER, 0x02);
	assert_int_equal(uart16550_read(&u, IIR) & 0x0f, 0x02);
	uart16550_write(&u, IER, 0x00);
	uart16550_write(&u, IER, 0x02);
	assert_int_equal(uart16550_read(&u, IIR) & 0x0f, 0x02);
	assert_int_equal(l.n, 3);
	assert_memory_equal(l.out, "abc", 3);
	assert_int_equal(u.tx_bytes, 3);
	assert_int_equal(u.irq_raises, l.rises);
}

static void ier_masks_high_bits(void **state)
{
	(void)state;
	struct uart16550 u;
	uart16550_init(&u, NULL, NULL, NULL); /* no callbacks: nothing breaks */
	uart16550_write(&u, IER, 0xff);
	assert_int_equal(uart16550_read(&u, IER), 0x0f);
	uart16550_write(&u, THR, 'x');
	assert_int_equal(uart16550_read(&u, IIR), 0x02);
	assert_int_equal(uart16550_read(&u, 8 + 0), 0xff); /* no such register */
	uart16550_write(&u, LSR, 0x00);			   /* read-only */
	assert_int_equal(uart16550_read(&u, LSR), 0x60);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(reset_state),
	    cmocka_unit_test(probe_registers),
	    cmocka_unit_test(thre_interrupt),
	    cmocka_unit_test(ier_masks_high_bits),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
