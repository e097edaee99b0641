// SPDX-License-Identifier: MIT
/* The little of libc the micro-guest needs, and its way out. */
#include "guest.h"

void *memset(void *d, int c, unsigned long n)
{
	u8 *p = d;
	while (n--)
		*p++ = (u8)c;
	return d;
}

void *memcpy(void *d, const void *s, unsigned long n)
{
	u8 *p = d;
	const u8 *q = s;
	while (n--)
		*p++ = *q++;
	return d;
}

int memcmp(const void *a, const void *b, unsigned long n)
{
	const u8 *p = a, *q = b;
	for (; n; n--, p++, q++)
		if (*p != *q)
			return *p - *q;
	return 0;
}

/* Serial output costs one exit per byte: keep messages short. */
void print(const char *s)
{
	for (; *s; s++)
		outb(GABI_PORT_SERIAL, (u8)*s);
}

const char *fmt_dec(u64 v, char buf[21])
{
	int i = 20;
	buf[i] = 0;
	do {
		buf[--i] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	return &buf[i];
}

void fmt_hex(u64 v, int digits, char *buf)
{
	for (int i = 0; i < digits; i++)
		buf[i] = "0123456789abcdef"[(v >> (4 * (digits - 1 - i))) & 15];
	buf[digits] = 0;
}

void print_hex(u64 v)
{
	char buf[19] = "0x";
	fmt_hex(v, 16, buf + 2);
	print(buf);
}

void print_dec(u64 v)
{
	char buf[21];
	print(fmt_dec(v, buf));
}

void guest_exit(u32 status)
{
	if (booted_pvh) {
		/* QEMU: the counts go out on the debugcon, then isa-debug-exit. */
		report_final(status);
		outl(GABI_PORT_QEMU_EXIT, status);
		for (;;) /* no isa-debug-exit: wait for the runner's time limit */
			__asm__ volatile("cli; hlt");
	}
	for (;;)
		outl(GABI_PORT_EXIT, status);
}

void fail(const char *msg, u64 value)
{
	unsigned i = 0;
	for (; msg[i] && i < sizeof(mb->error) - 1; i++)
		mb->error[i] = msg[i];
	mb->error[i] = 0;
	mb->error_code = (u32)value;
	mb->state = GABI_STATE_FAILED;
	print("microguest: FAIL: ");
	print(msg);
	print(" ");
	print_hex(value);
	print("\n");
	guest_exit(1);
}
