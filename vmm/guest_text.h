/* SPDX-License-Identifier: MIT */
/*
 * Guest-supplied text made safe for the host: one bounded, escaped copy of
 * any string or byte stream a guest controls (the mailbox's error string,
 * serial output). Only printable ASCII passes; every other byte becomes
 * \xHH, so nothing a guest writes can move a terminal's cursor, change its
 * colours or make a JSON string invalid UTF-8. KVM-free and unit-tested.
 *
 * Bounds:
 *  - a string field: at most `srclen` bytes of guest memory are read (each
 *    once: the guest may be rewriting it), and at most GTEXT_FIELD_MAX - 1
 *    characters are written (4 per guest byte at worst, cut with "...");
 *  - a stream: at most GTEXT_STREAM_BUDGET bytes per run reach the host
 *    file, then one line saying so; later bytes are counted, not written.
 */
#ifndef IRQPATH_VMM_GUEST_TEXT_H
#define IRQPATH_VMM_GUEST_TEXT_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define GTEXT_FIELD_MAX 260u	       /* 64 guest bytes escaped (4 each) + NUL */
#define GTEXT_STREAM_BUDGET (1u << 20) /* 1 MiB of console output per run */

/*
 * Escapes at most srclen bytes of src, up to its first NUL, into dst
 * (dstlen >= 4; always NUL-terminated). Returns dst.
 */
char *gtext_escape(char *dst, size_t dstlen, const volatile void *src, size_t srclen);

/* The escaped copy of a guest char array, valid until the end of the statement's block. */
#define GTEXT(arr)                                                                                 \
	gtext_escape((char[GTEXT_FIELD_MAX]){0}, GTEXT_FIELD_MAX, (arr),                           \
		     sizeof(arr) +                                                                 \
			 0 * sizeof(char[1 - 2 * __builtin_types_compatible_p(                     \
						     __typeof__(arr), __typeof__(&(arr)[0]))]))

/* A guest byte stream written to a host file, under a per-run budget. */
struct gtext_stream {
	uint64_t budget;  /* 0: GTEXT_STREAM_BUDGET */
	uint64_t written; /* bytes that reached the file */
	uint64_t dropped; /* guest bytes dropped once the budget was spent */
	int over;	  /* the "over budget" line was written */
};

/*
 * One guest byte to f (NULL: counted only). Printable ASCII, '\n' and '\t'
 * pass; '\r' is dropped (CR LF becomes LF); anything else is written as
 * \xHH. f is flushed at each newline.
 */
void gtext_stream_put(struct gtext_stream *s, FILE *f, uint8_t c);

#endif
