/* SPDX-License-Identifier: MIT */
/*
 * The micro-guest's report lines on QEMU's isa-debugcon (format in
 * include/irqpath/guest_abi.h): "IRQPATH-MG/1 KIND k=v ... crc32=XXXXXXXX".
 * Everything the guest sends is untrusted input: lengths are bounded,
 * bytes must be printable ASCII, keys unique, the CRC must match.
 */
#ifndef IRQPATH_MG_FRAME_H
#define IRQPATH_MG_FRAME_H

#include <stddef.h>
#include <stdint.h>

#define MG_MAX_KEYS 96
#define MG_KEY_MAX 32
#define MG_VAL_MAX 64

enum mg_kind { MG_RUN, MG_END, MG_RESULT };

struct mg_line {
	enum mg_kind kind;
	unsigned nkeys;
	char key[MG_MAX_KEYS][MG_KEY_MAX];
	char val[MG_MAX_KEYS][MG_VAL_MAX];
};

uint32_t mg_crc32(const void *data, size_t len);
/* Parses one line (without its '\n'); 0, or -1 with the reason in err. */
int mg_parse_line(const char *line, size_t len, struct mg_line *out, char *err, size_t errlen);
/* The value of key, or NULL. */
const char *mg_get(const struct mg_line *l, const char *key);
/* key's value as an unsigned number (decimal, or 0x hex); 0 or -1 (missing/bad). */
int mg_get_u64(const struct mg_line *l, const char *key, uint64_t *v);

/*
 * Accumulates the debugcon byte stream into lines. mg_stream_feed returns
 * the number of bytes consumed up to and including a complete line (then
 * *line_ready is set and the line is in s->buf, NUL-terminated, without
 * '\n'), or -1 on a byte that is not printable ASCII or a line over
 * GABI_REPORT_LINE_MAX.
 */
struct mg_stream {
	char buf[4096 + 1];
	size_t len;
	size_t total; /* bytes seen, bounded by MG_STREAM_MAX */
	int ready;    /* buf holds a complete line until the next feed */
};
#define MG_STREAM_MAX (64u * 1024)
void mg_stream_init(struct mg_stream *s);
long mg_stream_feed(struct mg_stream *s, const char *data, size_t n, int *line_ready, char *err,
		    size_t errlen);

#endif
