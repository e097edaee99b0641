/* SPDX-License-Identifier: MIT */
/*
 * Writing result files so that no reader ever sees half of one: a temp
 * file in the same directory, fsync, rename. Every irqpath tool writes its
 * JSON through here. A path that exists and is not a regular file
 * (/dev/null, /dev/stdout, a FIFO) is written in place: renaming over it
 * would replace the device node with a regular file.
 */
#ifndef IRQPATH_ATOMIC_FILE_H
#define IRQPATH_ATOMIC_FILE_H

#include <stddef.h>

/* Optional: told the temp file's name, so a signal handler can unlink it. */
struct irqpath_tmp_hooks {
	void (*created)(const char *tmp);
	void (*finished)(const char *tmp); /* renamed or removed */
};

/* 0, or -1 with errno set (ENOSPC, EACCES, ...); nothing half-written remains. */
int irqpath_write_atomic(const char *path, const void *data, size_t len,
			 const struct irqpath_tmp_hooks *hooks);

#endif
