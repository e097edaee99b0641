// SPDX-License-Identifier: MIT
/*
 * The path from the guest's mailbox to the results (vmm/guest_results.c,
 * vmm/guest_text.c): any mailbox a guest can write, with any counts the
 * VMM could have seen, becomes a complete "guest" object whose strings are
 * printable ASCII within GTEXT_FIELD_MAX, and a count check that lists at
 * most GUEST_MAX_PROBLEMS problems and flags a run claiming more
 * transactions than the device carried. The tail of the input also drives
 * the escaper and the console budget directly.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "fuzz_input.h"
#include "guest_results.h"
#include "guest_text.h"

static const char *const names[] = {"rx", "tx"};

static void printable(const char *s, size_t max)
{
	size_t n = strlen(s);
	FUZZ_ASSERT(n < max);
	for (size_t i = 0; i < n; i++)
		FUZZ_ASSERT(s[i] >= 0x20 && s[i] < 0x7f);
}

static void mailbox(struct fuzz_in *in)
{
	struct gabi_mailbox raw, mb;
	fin_bytes(in, &raw, sizeof(raw));
	guest_snapshot(&mb, &raw);
	FUZZ_ASSERT(!memcmp(&mb, &raw, sizeof(mb)));
	struct guest_seen seen = {fin_u64(in), fin_u64(in), fin_u64(in),
				  (double)fin_u32(in) / 1000.0};

	json_t *g = guest_results_json(&mb, names, 1 + fin_u8(in) % 2);
	FUZZ_ASSERT(g); /* never vanishes, whatever the bytes */
	printable(json_string_value(json_object_get(g, "error")), GTEXT_FIELD_MAX);
	printable(json_string_value(json_object_get(g, "state")), 16);
	char *dump = json_dumps(g, JSON_COMPACT);
	FUZZ_ASSERT(dump);
	free(dump);
	json_decref(g);

	json_t *problems = json_array();
	unsigned bad = guest_counts_check(&mb, &seen, problems);
	FUZZ_ASSERT(json_array_size(problems) ==
		    (bad < GUEST_MAX_PROBLEMS ? bad : GUEST_MAX_PROBLEMS));
	if (mb.done > seen.tx_buffers || mb.done > seen.rx_buffers ||
	    (seen.transactions_asked && mb.done > seen.transactions_asked))
		FUZZ_ASSERT(bad > 0);
	json_decref(problems);
}

static void text(struct fuzz_in *in)
{
	size_t dstlen = 4 + fin_u8(in);
	char src[300], dst[260];
	size_t srclen = fin_u16(in) % sizeof(src);
	fin_bytes(in, src, srclen);
	gtext_escape(dst, dstlen, src, srclen);
	printable(dst, dstlen);

	struct gtext_stream s = {.budget = 1 + fin_u16(in)};
	while (in->left) {
		gtext_stream_put(&s, NULL, fin_u8(in));
		FUZZ_ASSERT(s.written <= s.budget);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_in in = {data, size};
	mailbox(&in);
	text(&in);
	return 0;
}
