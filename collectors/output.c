/* SPDX-License-Identifier: MIT */
#include "output.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int output_json(json_t *j, const char *path, char *err, size_t errlen)
{
	if (!path || !strcmp(path, "-")) {
		if (json_dumpf(j, stdout, JSON_INDENT(1) | JSON_SORT_KEYS) ||
		    fputc('\n', stdout) == EOF || fflush(stdout)) {
			snprintf(err, errlen, "writing to stdout failed");
			return -1;
		}
		return 0;
	}
	size_t n = strlen(path) + 16;
	char *tmp = malloc(n);
	if (!tmp) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	snprintf(tmp, n, "%s.XXXXXX", path);
	int fd = mkstemp(tmp);
	if (fd < 0) {
		snprintf(err, errlen, "cannot create %s: %s", tmp, strerror(errno));
		free(tmp);
		return -1;
	}
	FILE *f = fdopen(fd, "w");
	int bad = !f || json_dumpf(j, f, JSON_INDENT(1) | JSON_SORT_KEYS) ||
		  fputc('\n', f) == EOF || fflush(f) || fsync(fileno(f));
	if (f)
		bad |= fclose(f) != 0;
	else
		close(fd);
	if (!bad && chmod(tmp, 0644) == 0 && rename(tmp, path) == 0) {
		free(tmp);
		return 0;
	}
	snprintf(err, errlen, "cannot write %s: %s", path, strerror(errno));
	unlink(tmp);
	free(tmp);
	return -1;
}
