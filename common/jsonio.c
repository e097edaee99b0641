/* SPDX-License-Identifier: MIT */
#include "jsonio.h"
#include "cleanup.h"
#include "irqpath/atomic_json.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

json_t *jsonio_load(const char *path, const char *name, char *err, size_t errlen)
{
	json_error_t je;
	json_t *doc = json_load_file(path, 0, &je);
	if (!doc) {
		if (je.line > 0)
			snprintf(err, errlen, "%s:%d: invalid JSON: %s", path, je.line, je.text);
		else
			snprintf(err, errlen, "%s: %s", path, je.text);
		return NULL;
	}
	const char *schema = json_string_value(json_object_get(doc, "schema"));
	char want[96];
	snprintf(want, sizeof(want), "%s/1", name);
	if (!schema || strcmp(schema, want)) {
		snprintf(err, errlen, "%s: schema is %s%s%s, expected \"%s\"", path,
			 schema ? "\"" : "", schema ? schema : "missing", schema ? "\"" : "", want);
		json_decref(doc);
		return NULL;
	}
	return doc;
}

/* Temp files are registered so irqpath-bench/report can remove them on a signal. */
static const struct irqpath_tmp_hooks cleanup_hooks = {cleanup_register, cleanup_unregister};

int atomic_write(const char *path, const void *data, size_t len)
{
	return irqpath_write_atomic(path, data, len, &cleanup_hooks);
}

int atomic_write_json(const char *path, const json_t *doc)
{
	return irqpath_write_json(path, doc, JSON_INDENT(1) | JSON_REAL_PRECISION(10),
				  &cleanup_hooks);
}

char *read_file_text(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	size_t cap = 8192, n = 0;
	char *buf = malloc(cap);
	while (buf) {
		size_t r = fread(buf + n, 1, cap - n - 1, f);
		n += r;
		if (n + 1 < cap)
			break;
		char *nb = realloc(buf, cap * 2);
		if (!nb) {
			free(buf);
			buf = NULL;
			break;
		}
		buf = nb;
		cap *= 2;
	}
	int bad = ferror(f);
	fclose(f);
	if (!buf || bad) {
		free(buf);
		return NULL;
	}
	buf[n] = '\0';
	if (len)
		*len = n;
	return buf;
}

double jnum(const json_t *v)
{
	if (json_is_integer(v))
		return (double)json_integer_value(v);
	if (json_is_real(v))
		return json_real_value(v);
	return NAN;
}
