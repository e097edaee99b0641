// SPDX-License-Identifier: MIT
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "json_util.h"

int json_write_atomic(json_t *j, const char *path)
{
	struct stat st;
	if (stat(path, &st) == 0 && !S_ISREG(st.st_mode)) {
		/* /dev/null, /dev/stdout, a FIFO: write in place; renaming over it
		 * would replace the device node with a regular file. */
		FILE *f = fopen(path, "w");
		if (!f)
			return -1;
		int rc = json_dumpf(j, f, JSON_INDENT(2) | JSON_SORT_KEYS) || fputc('\n', f) == EOF;
		return fclose(f) || rc ? -1 : 0;
	}
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
