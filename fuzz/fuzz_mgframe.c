// SPDX-License-Identifier: MIT
/*
 * The micro-guest's report lines as irqpath-qemu-micro reads them off
 * QEMU's isa-debugcon (guest-agent/qemu/mg_frame.c): arbitrary guest bytes
 * through the line assembler, every complete line through the parser. An
 * accepted line must hold only bounded, NUL-terminated, printable keys and
 * values; a refusal must say why.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "../guest-agent/qemu/mg_frame.h"
#include "fuzz_input.h"

static struct mg_stream stream;
static struct mg_line line;

static void check_line(const char *text, size_t len)
{
	char err[160] = "";
	if (mg_parse_line(text, len, &line, err, sizeof err)) {
		FUZZ_ASSERT(err[0] != '\0');
		return;
	}
	FUZZ_ASSERT(line.nkeys <= MG_MAX_KEYS);
	for (unsigned i = 0; i < line.nkeys; i++) {
		FUZZ_ASSERT(memchr(line.key[i], '\0', MG_KEY_MAX));
		FUZZ_ASSERT(memchr(line.val[i], '\0', MG_VAL_MAX));
		for (const char *p = line.val[i]; *p; p++)
			FUZZ_ASSERT(*p > ' ' && *p < 127);
		FUZZ_ASSERT(mg_get(&line, line.key[i]) == line.val[i]); /* keys are unique */
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *in = (const char *)data;
	check_line(in, size); /* the parser on its own, any length */
	mg_stream_init(&stream);
	char err[160];
	for (size_t off = 0; off < size;) {
		int ready;
		long used = mg_stream_feed(&stream, in + off, size - off, &ready, err, sizeof err);
		if (used < 0)
			break; /* the runner stops at the first bad byte */
		FUZZ_ASSERT(used > 0 && (size_t)used <= size - off);
		off += (size_t)used;
		if (ready) {
			FUZZ_ASSERT(strlen(stream.buf) == stream.len);
			check_line(stream.buf, stream.len);
		}
	}
	return 0;
}
