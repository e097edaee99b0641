// SPDX-License-Identifier: MIT
#include "mg_ram.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Reads len bytes at guest-physical address gpa (the file offset, for RAM below 4 GiB). */
static int read_at(const char *path, uint64_t gpa, void *buf, size_t len, char *err, size_t errlen)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		snprintf(err, errlen, "guest RAM %s: %s", path, strerror(errno));
		return -1;
	}
	size_t got = 0;
	while (got < len) {
		ssize_t r = pread(fd, (char *)buf + got, len - got, (off_t)(gpa + got));
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		got += (size_t)r;
	}
	close(fd);
	if (got != len) {
		snprintf(err, errlen, "guest RAM %s: short read at 0x%llx", path,
			 (unsigned long long)gpa);
		return -1;
	}
	return 0;
}

int mg_ram_mailbox(const char *path, struct gabi_mailbox *mb, char *err, size_t errlen)
{
	if (read_at(path, GABI_MAILBOX_GPA, mb, sizeof *mb, err, errlen))
		return -1;
	if (mb->magic != GABI_MAGIC || mb->version != GABI_VERSION) {
		snprintf(err, errlen, "guest RAM: no mailbox at 0x%llx",
			 (unsigned long long)GABI_MAILBOX_GPA);
		return -1;
	}
	return 0;
}

static int cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
	return x < y ? -1 : x > y;
}

void mg_latency_of(uint32_t *v, uint64_t n, unsigned long tsc_khz, struct mg_latency *l)
{
	memset(l, 0, sizeof *l);
	if (!n || !tsc_khz)
		return;
	qsort(v, n, sizeof *v, cmp_u32);
	double us = 1000.0 / (double)tsc_khz, sum = 0;
	for (uint64_t i = 0; i < n; i++)
		sum += v[i];
	l->n = n;
	l->mean = sum / (double)n * us;
	l->p50 = v[(n - 1) * 50 / 100] * us;
	l->p90 = v[(n - 1) * 90 / 100] * us;
	l->p99 = v[(n - 1) * 99 / 100] * us;
}

int mg_ram_latency(const char *path, uint64_t n, unsigned long tsc_khz, struct mg_latency *l,
		   char *err, size_t errlen)
{
	if (n > GABI_LATENCY_MAX) {
		snprintf(err, errlen, "latency count %llu is past the ring (%u)",
			 (unsigned long long)n, GABI_LATENCY_MAX);
		return -1;
	}
	uint32_t *v = malloc(n ? n * sizeof *v : 1);
	if (!v) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	int rc = read_at(path, GABI_LATENCY_GPA, v, n * sizeof *v, err, errlen);
	if (!rc)
		mg_latency_of(v, n, tsc_khz, l);
	free(v);
	return rc;
}
