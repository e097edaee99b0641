// SPDX-License-Identifier: MIT
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "irqpath/atomic_json.h"

int irqpath_write_json(const char *path, const json_t *doc, size_t flags,
		       const struct irqpath_tmp_hooks *hooks)
{
	char *s = json_dumps(doc, flags);
	if (!s) {
		errno = ENOMEM;
		return -1;
	}
	size_t n = strlen(s);
	char *text = realloc(s, n + 2);
	if (!text) {
		free(s);
		errno = ENOMEM;
		return -1;
	}
	text[n] = '\n';
	text[n + 1] = '\0';
	int rc;
	if (!strcmp(path, "-"))
		rc = fwrite(text, 1, n + 1, stdout) == n + 1 && !fflush(stdout) ? 0 : -1;
	else
		rc = irqpath_write_atomic(path, text, n + 1, hooks);
	int saved = errno;
	free(text);
	errno = saved;
	return rc;
}
