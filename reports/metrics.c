/* SPDX-License-Identifier: MIT */
#include "metrics.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const struct metric_def *metric_def(const char *key, struct metric_def *buf, char *label,
				    size_t labellen)
{
	const struct metric_row *r = metric_find(key);
	buf->key = key;
	buf->row = r;
	buf->label = metric_label(key, label, labellen);
	buf->higher_better = r && r->better == MB_HIGHER;
	buf->decimals = r ? r->decimals : 2;
	buf->group = r ? r->group : MG_HOST;
	buf->flags = r ? r->flags : 0;
	return buf;
}

static int has_key(const char **keys, size_t n, const char *k)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(keys[i], k))
			return 1;
	return 0;
}

/* registry order, then by name (family members) */
static int cmp_key(const void *a, const void *b)
{
	const char *x = *(const char *const *)a, *y = *(const char *const *)b;
	size_t rx = metric_rank(x), ry = metric_rank(y);
	if (rx != ry)
		return rx < ry ? -1 : 1;
	return strcmp(x, y);
}

const char **metric_keys(const struct result_set *set, size_t *n)
{
	const char **keys = NULL;
	*n = 0;
	for (size_t i = 0; i < set->n; i++) {
		const char *k;
		json_t *v;
		json_object_foreach(json_object_get(set->r[i].doc, "summary"), k, v)
		{
			if (has_key(keys, *n, k))
				continue;
			const char **nk = realloc(keys, (*n + 2) * sizeof(*nk));
			if (!nk)
				return keys;
			keys = nk;
			keys[(*n)++] = k;
		}
	}
	if (!keys)
		return calloc(1, sizeof(*keys));
	qsort(keys, *n, sizeof(*keys), cmp_key);
	return keys;
}

const char **metric_members(const struct result_set *set, enum metric_id family, size_t *n)
{
	size_t na;
	const char **all = metric_keys(set, &na);
	*n = 0;
	char m[METRIC_KEY_MAX];
	for (size_t i = 0; all && i < na; i++)
		if (metric_member_of(all[i], family, m, sizeof(m)))
			all[(*n)++] = all[i];
	return all;
}
