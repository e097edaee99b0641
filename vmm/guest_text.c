// SPDX-License-Identifier: MIT
#include "guest_text.h"

#include <string.h>

static int printable(uint8_t c)
{
	return c >= 0x20 && c < 0x7f;
}

/* The escaped form of c into out (at most 4 bytes, not terminated); its length. */
static size_t escape_byte(uint8_t c, char out[4])
{
	static const char hex[] = "0123456789abcdef";
	if (printable(c) && c != '\\') {
		out[0] = (char)c;
		return 1;
	}
	if (c == '\\') {
		out[0] = out[1] = '\\';
		return 2;
	}
	out[0] = '\\';
	out[1] = 'x';
	out[2] = hex[c >> 4];
	out[3] = hex[c & 15];
	return 4;
}

char *gtext_escape(char *dst, size_t dstlen, const volatile void *src, size_t srclen)
{
	const volatile uint8_t *p = src;
	size_t n = 0, mark = 0; /* mark: the longest prefix that leaves room for "..." */
	for (size_t i = 0; i < srclen; i++) {
		uint8_t c = p[i]; /* read once: the guest may change it under us */
		if (!c)
			break;
		char e[4];
		size_t k = escape_byte(c, e);
		if (n + k + 1 > dstlen) { /* cut: back to the mark, then the marker */
			memcpy(dst + mark, "...", 3);
			n = mark + 3;
			break;
		}
		memcpy(dst + n, e, k);
		n += k;
		if (n + 4 <= dstlen)
			mark = n;
	}
	dst[n] = '\0';
	return dst;
}

void gtext_stream_put(struct gtext_stream *s, FILE *f, uint8_t c)
{
	uint64_t budget = s->budget ? s->budget : GTEXT_STREAM_BUDGET;
	if (c == '\r')
		return;
	char e[4];
	size_t k = c == '\n' || c == '\t' ? (e[0] = (char)c, 1) : escape_byte(c, e);
	if (s->over || s->written + k > budget) {
		s->dropped++;
		if (!s->over && f) {
			fprintf(f,
				"\n[irqpath-vmm: guest console output reached its budget of %llu "
				"bytes; the rest is dropped]\n",
				(unsigned long long)budget);
			fflush(f);
		}
		s->over = 1;
		return;
	}
	s->written += k;
	if (!f)
		return;
	fwrite(e, 1, k, f);
	if (c == '\n')
		fflush(f);
}
