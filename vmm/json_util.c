// SPDX-License-Identifier: MIT
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "json_util.h"

int json_write_atomic(json_t *j, const char *path)
{
	size_t n = strlen(path) + 16;
	char *tmp = malloc(n);
	if (!tmp)
		return -1;
	snprintf(tmp, n, "%s.tmpXXXXXX", path);
	int fd = mkstemp(tmp);
	if (fd < 0) {
		free(tmp);
		return -1;
	}
	FILE *f = fdopen(fd, "w");
	int rc = -1;
	if (f && json_dumpf(j, f, JSON_INDENT(2) | JSON_SORT_KEYS) == 0 && fputc('\n', f) != EOF &&
	    fflush(f) == 0 && fsync(fd) == 0)
		rc = 0;
	if (f)
		rc |= fclose(f);
	else
		close(fd);
	if (rc == 0)
		rc = rename(tmp, path);
	if (rc)
		unlink(tmp);
	free(tmp);
	return rc;
}
