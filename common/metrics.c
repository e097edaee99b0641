/* SPDX-License-Identifier: MIT */
/* The registry table and lookups by key (families included). */
#include "metrics.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

const struct metric_row metric_rows[] = {
#define METRIC(id, key, label, unit, group, dec, better, kind, flags, source, accounts)            \
	{id, key, label, unit, group, dec, better, kind, flags, source, accounts},
#include "metrics.def"
#undef METRIC
};
const size_t metric_nrows = sizeof(metric_rows) / sizeof(metric_rows[0]);

int metric_is_family(const struct metric_row *r)
{
	return strstr(r->key, "%s") != NULL;
}

/* Does KEY match PATTERN, where each %s stands for one member [a-z0-9_-]+? */
static int match_family(const char *pattern, const char *key, char members[][METRIC_KEY_MAX],
			int *nm)
{
	*nm = 0;
	while (*pattern) {
		if (pattern[0] == '%' && pattern[1] == 's') {
			/* a member runs to the next literal character of the pattern */
			char stop = pattern[2];
			size_t n = 0;
			while (key[n] && key[n] != stop &&
			       (islower((unsigned char)key[n]) || isdigit((unsigned char)key[n]) ||
				key[n] == '_'))
				n++;
			if (!n || n >= METRIC_KEY_MAX || *nm >= 2)
				return 0;
			snprintf(members[*nm], METRIC_KEY_MAX, "%.*s", (int)n, key);
			(*nm)++;
			key += n;
			pattern += 2;
			continue;
		}
		if (*pattern++ != *key++)
			return 0;
	}
	return *key == '\0';
}

static const struct metric_row *find(const char *key, char members[][METRIC_KEY_MAX], int *nm)
{
	*nm = 0;
	for (size_t i = 0; i < metric_nrows; i++)
		if (!metric_is_family(&metric_rows[i]) && !strcmp(metric_rows[i].key, key))
			return &metric_rows[i];
	for (size_t i = 0; i < metric_nrows; i++)
		if (metric_is_family(&metric_rows[i]) &&
		    match_family(metric_rows[i].key, key, members, nm))
			return &metric_rows[i];
	return NULL;
}

const struct metric_row *metric_find(const char *key)
{
	char m[2][METRIC_KEY_MAX];
	int nm;
	return find(key, m, &nm);
}

size_t metric_rank(const char *key)
{
	const struct metric_row *r = metric_find(key);
	return r ? (size_t)(r - metric_rows) : metric_nrows;
}

const char *metric_label(const char *key, char *buf, size_t len)
{
	char m[2][METRIC_KEY_MAX];
	int nm;
	const struct metric_row *r = find(key, m, &nm);
	if (!r) {
		snprintf(buf, len, "%s", key);
		return buf;
	}
	for (int i = 0; i < nm; i++)
		for (char *p = m[i]; *p; p++)
			*p = (char)toupper((unsigned char)*p);
	/* labels hold at most two %s, as many as the key */
	snprintf(buf, len, r->label, nm > 0 ? m[0] : "", nm > 1 ? m[1] : "");
	return buf;
}

int metric_accounts_for(const struct metric_row *r, const char *reason)
{
	size_t n = strlen(reason);
	for (const char *p = r->accounts; p && *p;) {
		size_t l = strcspn(p, ",");
		if (l == n && !strncmp(p, reason, n))
			return 1;
		p += l + (p[l] == ',');
	}
	return 0;
}

const char *metric_key(enum metric_id id)
{
	return metric_rows[id].key;
}

/* member name as a key part: lower case, [a-z0-9_] */
void metric_member_name(const char *m, char *out, size_t len)
{
	size_t o = 0;
	for (; *m && o + 1 < len; m++)
		out[o++] = isalnum((unsigned char)*m) ? (char)tolower((unsigned char)*m) : '_';
	out[o] = '\0';
}

const char *metric_member_key(enum metric_id id, const char *member, char *buf, size_t len)
{
	char mk[METRIC_KEY_MAX];
	metric_member_name(member, mk, sizeof(mk));
	const char *pat = metric_rows[id].key, *ps = strstr(pat, "%s");
	if (!ps)
		snprintf(buf, len, "%s", pat);
	else
		snprintf(buf, len, "%.*s%s%s", (int)(ps - pat), pat, mk, ps + 2);
	return buf;
}

const char *metric_member_of(const char *key, enum metric_id id, char *buf, size_t len)
{
	char m[2][METRIC_KEY_MAX];
	int nm;
	if (!metric_is_family(&metric_rows[id]) || find(key, m, &nm) != &metric_rows[id])
		return NULL; /* a plain row (exits_per_txn.total) is no member */
	snprintf(buf, len, "%s", m[nm - 1]);
	return buf;
}

int metric_members_of(const char *key, enum metric_id id, char members[2][METRIC_KEY_MAX])
{
	int nm;
	if (!metric_is_family(&metric_rows[id]) || find(key, members, &nm) != &metric_rows[id])
		return 0;
	return nm;
}
