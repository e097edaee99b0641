/* SPDX-License-Identifier: MIT */
/* A benchmark profile: configs/<name>.conf parsed and checked. */
#ifndef IRQPATH_BENCH_CONFIG_H
#define IRQPATH_BENCH_CONFIG_H

#include <stddef.h>

#define PROFILE_NAME_MAX 64

struct bench_config {
	char name[PROFILE_NAME_MAX]; /* profile name: the file's basename */
	char transport[32];	     /* mmio-legacy | mmio-v3 | pci | a variant */
	char guest[16];		     /* microguest | linux */
	char vmm[16];		     /* irqpath-vmm | qemu */
	char backend[16];	     /* reflect | tap */
	char notify[16];	     /* ioeventfd | exit */
	unsigned req, resp;	     /* bytes per request / response */
	unsigned long transactions;  /* per repetition (0: use duration) */
	unsigned duration_s;	     /* per repetition (0: use transactions) */
	unsigned repetitions;
	unsigned long warmup;	/* transactions of an untimed run first */
	unsigned timeout_s;	/* per repetition, handed to the VMM */
	char trace_backend[16]; /* auto | bpf | tracefs | none */
	unsigned queues, vcpus; /* the sweep point (--queues/--vcpus); 1, 1 by default */
	/* lines of the file that set these keys (0: default or command line) */
	int transport_line, guest_line, vmm_line;
};

/* Fills *cfg with the built-in defaults (those of configs/). */
void config_defaults(struct bench_config *cfg);

/*
 * Parses PATH over the defaults. On error returns -1 and writes a message
 * naming "PATH:LINE: problem" (or "PATH: problem") into err.
 */
int config_load(const char *path, struct bench_config *cfg, char *err, size_t errlen);

/* Same, from a string (for tests); NAME stands in for the path in messages. */
int config_parse_string(const char *name, const char *text, struct bench_config *cfg, char *err,
			size_t errlen);

/*
 * Checks cross-key constraints (also after command-line overrides); -1 and
 * a message naming PATH:LINE of the key at fault on error. A qemu profile
 * runs mmio-legacy or pci (QEMU has no v3 device); the micro-guest on qemu
 * counts transactions, a linux guest runs only on qemu.
 */
int config_check(const struct bench_config *cfg, const char *path, char *err, size_t errlen);

/* True if NAME is a safe profile name (letters, digits, '-', '_', '.'). */
int config_name_ok(const char *name);

#endif
