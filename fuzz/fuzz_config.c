// SPDX-License-Identifier: MIT
/*
 * The bench profile parser (bench/config.c, INI through libinih) and its
 * cross-key check over arbitrary text. A profile it accepts must satisfy
 * the same bounds config_check enforces; a refusal must say why.
 */
#include <stdio.h>
#include <stdlib.h>
#include "config.h"
#include "fuzz_input.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct bench_config cfg;
	char err[512];

	/* The parser takes a C string: stop at the first NUL the fuzzer wrote. */
	char *text = malloc(size + 1);
	if (!text)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';

	config_defaults(&cfg);
	err[0] = '\0';
	int rc = config_parse_string("fuzz.conf", text, &cfg, err, sizeof(err));
	if (rc) {
		FUZZ_ASSERT(err[0] != '\0');
	} else {
		FUZZ_ASSERT(memchr(cfg.transport, '\0', sizeof(cfg.transport)));
		FUZZ_ASSERT(memchr(cfg.backend, '\0', sizeof(cfg.backend)));
		FUZZ_ASSERT(memchr(cfg.name, '\0', sizeof(cfg.name)));
		err[0] = '\0';
		if (config_check(&cfg, "fuzz.conf", err, sizeof(err)))
			FUZZ_ASSERT(err[0] != '\0');
	}
	FUZZ_ASSERT(memchr(err, '\0', sizeof(err)));
	(void)config_name_ok(text);
	free(text);
	return 0;
}
