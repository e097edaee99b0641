/* SPDX-License-Identifier: MIT */
/*
 * Reading a libFuzzer input as a stream of fields. Past the end every field
 * reads as zero, so any input (even an empty one) is a valid program and
 * the fuzzer never wastes executions on "too short" rejections.
 */
#ifndef IRQPATH_FUZZ_INPUT_H
#define IRQPATH_FUZZ_INPUT_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

struct fuzz_in {
	const uint8_t *p;
	size_t left;
};

static inline void fin_bytes(struct fuzz_in *in, void *dst, size_t n)
{
	size_t k = n < in->left ? n : in->left;
	memcpy(dst, in->p, k);
	memset((uint8_t *)dst + k, 0, n - k);
	in->p += k;
	in->left -= k;
}

static inline uint8_t fin_u8(struct fuzz_in *in)
{
	uint8_t v;
	fin_bytes(in, &v, 1);
	return v;
}

static inline uint16_t fin_u16(struct fuzz_in *in)
{
	uint16_t v;
	fin_bytes(in, &v, 2);
	return v;
}

static inline uint32_t fin_u32(struct fuzz_in *in)
{
	uint32_t v;
	fin_bytes(in, &v, 4);
	return v;
}

static inline uint64_t fin_u64(struct fuzz_in *in)
{
	uint64_t v;
	fin_bytes(in, &v, 8);
	return v;
}

/* Fails the run loudly: libFuzzer saves the input as a crash. */
#define FUZZ_ASSERT(cond)                                                                          \
	do {                                                                                       \
		if (!(cond)) {                                                                     \
			fprintf(stderr, "%s:%d: invariant broken: %s\n", __FILE__, __LINE__,       \
				#cond);                                                            \
			abort();                                                                   \
		}                                                                                  \
	} while (0)

#endif
