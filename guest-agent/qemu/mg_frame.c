// SPDX-License-Identifier: MIT
#include "mg_frame.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "irqpath/guest_abi.h"

_Static_assert(sizeof(((struct mg_stream *)0)->buf) == GABI_REPORT_LINE_MAX + 1,
	       "stream buffer holds one maximal line");

uint32_t mg_crc32(const void *data, size_t len)
{
	const unsigned char *p = data;
	uint32_t c = ~0u;
	while (len--) {
		c ^= *p++;
		for (int i = 0; i < 8; i++)
			c = (c >> 1) ^ (0xedb88320u & (0u - (c & 1)));
	}
	return ~c;
}

static int key_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '.';
}

static int val_char(char c)
{
	return c > ' ' && c < 127 && c != '=';
}

/* Splits "k=v k=v ..." (between the kind and " crc32=") into out. */
static int parse_pairs(const char *p, const char *end, struct mg_line *out, char *err,
		       size_t errlen)
{
	while (p < end) {
		if (*p++ != ' ') {
			snprintf(err, errlen, "expected one space between fields");
			return -1;
		}
		const char *k = p;
		while (p < end && key_char(*p))
			p++;
		size_t kl = (size_t)(p - k);
		if (!kl || kl >= MG_KEY_MAX || p >= end || *p != '=') {
			snprintf(err, errlen, "bad key near '%.*s'",
				 (int)(kl + 1 < 24 ? kl + 1 : 24), k);
			return -1;
		}
		const char *v = ++p;
		while (p < end && val_char(*p))
			p++;
		size_t vl = (size_t)(p - v);
		if (!vl || vl >= MG_VAL_MAX) {
			snprintf(err, errlen, "bad value for %.*s", (int)kl, k);
			return -1;
		}
		if (out->nkeys == MG_MAX_KEYS) {
			snprintf(err, errlen, "more than %d fields", MG_MAX_KEYS);
			return -1;
		}
		memcpy(out->key[out->nkeys], k, kl);
		out->key[out->nkeys][kl] = 0;
		if (mg_get(out, out->key[out->nkeys])) {
			snprintf(err, errlen, "field %s given twice", out->key[out->nkeys]);
			return -1;
		}
		memcpy(out->val[out->nkeys], v, vl);
		out->val[out->nkeys][vl] = 0;
		out->nkeys++;
	}
	return 0;
}

int mg_parse_line(const char *line, size_t len, struct mg_line *out, char *err, size_t errlen)
{
	static const char crc_tag[] = " crc32=";
	const size_t plen = strlen(GABI_REPORT_PREFIX), clen = strlen(crc_tag);
	memset(out, 0, sizeof *out);
	if (len > GABI_REPORT_LINE_MAX) {
		snprintf(err, errlen, "line of %zu bytes (max %u)", len, GABI_REPORT_LINE_MAX);
		return -1;
	}
	for (size_t i = 0; i < len; i++)
		if (line[i] < ' ' || line[i] > '~') {
			snprintf(err, errlen, "byte 0x%02x at column %zu is not printable ASCII",
				 (unsigned char)line[i], i);
			return -1;
		}
	if (len < plen + clen + 8 || memcmp(line, GABI_REPORT_PREFIX, plen)) {
		snprintf(err, errlen, "not a report line (no '%s' prefix)", GABI_REPORT_PREFIX);
		return -1;
	}
	const char *c = line + len - 8 - clen;
	if (memcmp(c, crc_tag, clen)) {
		snprintf(err, errlen, "no crc32 at the end of the line");
		return -1;
	}
	char hex[9];
	memcpy(hex, c + clen, 8);
	hex[8] = 0;
	char *e;
	errno = 0;
	unsigned long want = strtoul(hex, &e, 16);
	if (*e || errno || strspn(hex, "0123456789abcdef") != 8) {
		snprintf(err, errlen, "crc32 '%s' is not 8 lower-case hex digits", hex);
		return -1;
	}
	uint32_t got = mg_crc32(line, (size_t)(c - line));
	if (got != (uint32_t)want) {
		snprintf(err, errlen, "crc32 mismatch: line says %08lx, bytes give %08x", want,
			 got);
		return -1;
	}
	const char *k = line + plen, *ke = k;
	while (ke < c && *ke != ' ')
		ke++;
	size_t kl = (size_t)(ke - k);
	if (kl == 3 && !memcmp(k, "run", 3))
		out->kind = MG_RUN;
	else if (kl == 3 && !memcmp(k, "end", 3))
		out->kind = MG_END;
	else if (kl == 6 && !memcmp(k, "result", 6))
		out->kind = MG_RESULT;
	else {
		snprintf(err, errlen, "unknown line kind '%.*s'", (int)(kl < 16 ? kl : 16), k);
		return -1;
	}
	return parse_pairs(ke, c, out, err, errlen);
}

const char *mg_get(const struct mg_line *l, const char *key)
{
	for (unsigned i = 0; i < l->nkeys; i++)
		if (!strcmp(l->key[i], key))
			return l->val[i];
	return NULL;
}

int mg_get_u64(const struct mg_line *l, const char *key, uint64_t *v)
{
	const char *s = mg_get(l, key);
	if (!s || !*s || *s == '-' || *s == '+')
		return -1;
	char *e;
	errno = 0;
	unsigned long long x = strtoull(s, &e, 0);
	if (*e || errno)
		return -1;
	*v = x;
	return 0;
}

void mg_stream_init(struct mg_stream *s)
{
	s->len = 0;
	s->total = 0;
	s->ready = 0;
}

long mg_stream_feed(struct mg_stream *s, const char *data, size_t n, int *line_ready, char *err,
		    size_t errlen)
{
	*line_ready = 0;
	if (s->ready) { /* the previous line has been taken */
		s->len = 0;
		s->ready = 0;
	}
	for (size_t i = 0; i < n; i++) {
		char ch = data[i];
		if (++s->total > MG_STREAM_MAX) {
			snprintf(err, errlen, "more than %u bytes on the report channel",
				 MG_STREAM_MAX);
			return -1;
		}
		if (ch == '\n') {
			s->buf[s->len] = 0;
			s->ready = 1;
			*line_ready = 1;
			return (long)i + 1;
		}
		if (ch < ' ' || ch > '~') {
			snprintf(err, errlen, "byte 0x%02x on the report channel is not printable",
				 (unsigned char)ch);
			return -1;
		}
		if (s->len == GABI_REPORT_LINE_MAX) {
			snprintf(err, errlen, "report line longer than %u bytes",
				 GABI_REPORT_LINE_MAX);
			return -1;
		}
		s->buf[s->len++] = ch;
	}
	return (long)n;
}
