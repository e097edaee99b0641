/* SPDX-License-Identifier: MIT */
#include "rundir.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#define MAX_SUFFIX 1000

static int lock_dir(struct rundir *r)
{
	r->lock_fd = open(r->path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (r->lock_fd < 0) {
		fprintf(stderr, "irqpath-bench: %s: %s\n", r->path, strerror(errno));
		return RUNDIR_ERR_RUNTIME;
	}
	if (flock(r->lock_fd, LOCK_EX | LOCK_NB)) {
		int busy = errno == EWOULDBLOCK;
		fprintf(stderr, "irqpath-bench: %s: %s\n", r->path,
			busy ? "in use by another irqpath-bench; choose another --run-id"
			     : strerror(errno));
		close(r->lock_fd);
		r->lock_fd = -1;
		return busy ? RUNDIR_ERR_BUSY : RUNDIR_ERR_RUNTIME;
	}
	return 0;
}

static int set_path(struct rundir *r, const char *out, const char *id, int n)
{
	int k = n > 1 ? snprintf(r->id, sizeof(r->id), "%s-%d", id, n)
		      : snprintf(r->id, sizeof(r->id), "%s", id);
	int p = snprintf(r->path, sizeof(r->path), "%s/%s", out, r->id);
	if (k < 0 || (size_t)k >= sizeof(r->id) || p < 0 || (size_t)p >= sizeof(r->path)) {
		fprintf(stderr, "irqpath-bench: run directory name too long: %s/%s\n", out, id);
		return -1;
	}
	return 0;
}

int rundir_create(struct rundir *r, const char *out, const char *id, int id_given)
{
	r->made = 0;
	r->lock_fd = -1;
	for (int n = 1; n <= MAX_SUFFIX; n++) {
		if (set_path(r, out, id, n))
			return RUNDIR_ERR_RUNTIME;
		if (!mkdir(r->path, 0755)) {
			r->made = 1;
			break;
		}
		if (errno != EEXIST) {
			fprintf(stderr, "irqpath-bench: %s: %s\n", r->path, strerror(errno));
			return RUNDIR_ERR_RUNTIME;
		}
		if (id_given)
			break; /* an existing run the user named: checked below */
	}
	if (!r->made && !id_given) {
		fprintf(stderr, "irqpath-bench: %s/%s: %d run directories of that name exist\n",
			out, id, MAX_SUFFIX);
		return RUNDIR_ERR_RUNTIME;
	}
	int rc = lock_dir(r);
	if (rc && r->made)
		rmdir(r->path);
	return rc;
}

void rundir_release(struct rundir *r)
{
	if (r->lock_fd >= 0)
		close(r->lock_fd);
	r->lock_fd = -1;
}
