// SPDX-License-Identifier: MIT
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "irqpath/atomic_file.h"

static int write_all(int fd, const void *data, size_t len)
{
	const char *p = data;
	while (len) {
		ssize_t w = write(fd, p, len);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0) {
			if (w == 0)
				errno = EIO;
			return -1;
		}
		p += w;
		len -= (size_t)w;
	}
	return 0;
}

/* /dev/null, /dev/stdout, a FIFO: no temp file, no rename. */
static int write_in_place(const char *path, const void *data, size_t len)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	int rc = write_all(fd, data, len);
	int saved = errno;
	if (close(fd) && !rc)
		return -1;
	errno = saved;
	return rc;
}

int irqpath_write_atomic(const char *path, const void *data, size_t len,
			 const struct irqpath_tmp_hooks *hooks)
{
	struct stat st;
	if (stat(path, &st) == 0 && !S_ISREG(st.st_mode))
		return write_in_place(path, data, len);

	size_t pl = strlen(path);
	char *tmp = malloc(pl + 16);
	if (!tmp)
		return -1;
	memcpy(tmp, path, pl);
	memcpy(tmp + pl, ".tmp.XXXXXX", 12);
	int fd = mkstemp(tmp);
	if (fd < 0) {
		free(tmp);
		return -1;
	}
	if (hooks && hooks->created)
		hooks->created(tmp);
	int rc = -1;
	if (!write_all(fd, data, len) && !fchmod(fd, 0644) && !fsync(fd)) {
		int cl = close(fd);
		fd = -1;
		if (!cl && !rename(tmp, path))
			rc = 0;
	}
	int saved = errno;
	if (fd >= 0)
		close(fd);
	if (rc)
		unlink(tmp);
	if (hooks && hooks->finished)
		hooks->finished(tmp);
	free(tmp);
	errno = saved;
	return rc;
}
