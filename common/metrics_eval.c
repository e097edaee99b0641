/* SPDX-License-Identifier: MIT */
/*
 * From a run's documents to metrics, by the registry's source strings
 * (grammar in common/metrics.def), and the per-transaction arithmetic and
 * summary statistics every tool shares.
 */
#include "metrics.h"
#include "jsonio.h"
#include "stats.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PATH_MAX_LEN 512
#define MAX_REPS 1024

/* One path segment: a name, or '*' with an optional [field=value] filter. */
struct seg {
	char name[96];
	char field[32], value[64]; /* filter of a '*' segment; field "" = none */
};

static const char *next_seg(const char *p, struct seg *s)
{
	size_t n = strcspn(p, ".[");
	snprintf(s->name, sizeof(s->name), "%.*s", (int)n, p);
	s->field[0] = s->value[0] = '\0';
	p += n;
	if (*p == '[') {
		size_t f = strcspn(p + 1, "="), v;
		snprintf(s->field, sizeof(s->field), "%.*s", (int)f, p + 1);
		p += 1 + f + (p[1 + f] == '=');
		v = strcspn(p, "]");
		snprintf(s->value, sizeof(s->value), "%.*s", (int)v, p);
		p += v + (p[v] == ']');
	}
	return *p == '.' ? p + 1 : p;
}

/* NAME against PAT: exact, or "rx*" = every name that starts with "rx" */
static int name_matches(const char *name, const char *pat)
{
	size_t n = strlen(pat);
	if (n && pat[n - 1] == '*')
		return !strncmp(name, pat, n - 1);
	return !strcmp(name, pat);
}

static int keep_member(const char *key, const json_t *m, const struct seg *s)
{
	if (!name_matches(key, s->name))
		return 0;
	if (!s->field[0])
		return 1;
	const char *v = json_string_value(json_object_get(m, s->field));
	return v && name_matches(v, s->value);
}

/* NaN when absent; '*' sums members (absent members add nothing) */
static double walk(const json_t *node, const char *path)
{
	if (!node)
		return NAN;
	if (!*path)
		return jnum(node);
	struct seg s;
	const char *rest = next_seg(path, &s);
	if (!strchr(s.name, '*'))
		return walk(json_object_get(node, s.name), rest);
	if (!json_is_object(node))
		return NAN;
	double sum = 0;
	const char *k;
	json_t *m;
	json_object_foreach((json_t *)node, k, m)
	{
		double v = keep_member(k, m, &s) ? walk(m, rest) : NAN;
		if (!isnan(v))
			sum += v;
	}
	return sum;
}

double metric_path_value(const json_t *doc, const char *path, int absent_is_zero)
{
	if (!doc)
		return NAN;
	double v = walk(doc, path);
	return isnan(v) && absent_is_zero ? 0 : v;
}

/* The document of ORIGIN ("trace:..."), and whether absence means 0. */
static const json_t *origin_doc(const struct metric_docs *d, const char *term, const char **path,
				int *zero)
{
	static const struct {
		const char *name;
		size_t off;
		int zero;
	} origins[] = {{"trace:", offsetof(struct metric_docs, trace), 1},
		       {"vmm:", offsetof(struct metric_docs, vmm), 1},
		       {"linux:", offsetof(struct metric_docs, linux_doc), 0}};
	for (size_t i = 0; i < sizeof(origins) / sizeof(origins[0]); i++) {
		size_t l = strlen(origins[i].name);
		if (!strncmp(term, origins[i].name, l)) {
			*path = term + l;
			*zero = origins[i].zero;
			return *(const json_t *const *)((const char *)d + origins[i].off);
		}
	}
	*path = term;
	*zero = 0;
	return NULL;
}

static char *trim(char *s)
{
	while (isspace((unsigned char)*s))
		s++;
	size_t n = strlen(s);
	while (n && isspace((unsigned char)s[n - 1]))
		s[--n] = '\0';
	return s;
}

/* "a + b" over the documents: NaN if a document is missing or a term unknown */
static double eval_sum(const struct metric_docs *d, char *sum)
{
	double total = 0;
	char *save;
	for (char *t = strtok_r(sum, "+", &save); t; t = strtok_r(NULL, "+", &save)) {
		const char *path;
		int zero;
		const json_t *doc = origin_doc(d, trim(t), &path, &zero);
		double v = metric_path_value(doc, path, zero);
		if (isnan(v))
			return NAN;
		total += v;
	}
	return total;
}

static json_t *num_or_null(double v)
{
	return isnan(v) || isinf(v) ? json_null() : json_real(v);
}

/*
 * A plain row: its first alternative whose document the run has; NULL
 * (row left out) when there is none and the row is not a host count.
 */
static json_t *eval_row(const struct metric_row *r, const struct metric_docs *d)
{
	char buf[PATH_MAX_LEN];
	snprintf(buf, sizeof(buf), "%s", r->source);
	char *save;
	for (char *alt = strtok_r(buf, "|", &save); alt; alt = strtok_r(NULL, "|", &save)) {
		const char *path;
		int zero;
		if (!origin_doc(d, trim(alt), &path, &zero))
			continue;
		char *den = strchr(alt, '/');
		if (den)
			*den++ = '\0';
		double num = eval_sum(d, alt);
		if (r->kind == MK_RATIO)
			return json_pack("[o, o]", num_or_null(num),
					 num_or_null(den ? eval_sum(d, den) : NAN));
		if (isnan(num) && r->group != MG_HOST)
			return NULL; /* the guest did not say: unknown, not a row */
		return num_or_null(num);
	}
	return r->group == MG_HOST ? (r->kind == MK_RATIO ? json_pack("[n, n]") : json_null())
				   : NULL;
}

/* Expands the first '*' of PATH under NODE into KEYPAT's first %s. */
static void expand(const json_t *node, const char *path, const char *keypat, json_t *out)
{
	const char *star = strstr(path, "*");
	if (!star) {
		json_object_set_new(out, keypat, num_or_null(metric_path_value(node, path, 1)));
		return;
	}
	char prefix[PATH_MAX_LEN];
	snprintf(prefix, sizeof(prefix), "%.*s", (int)(star - path), path);
	size_t pl = strlen(prefix);
	if (pl && prefix[pl - 1] == '.')
		prefix[pl - 1] = '\0';
	const json_t *obj = node;
	for (char *save, *s = strtok_r(prefix, ".", &save); s && obj;
	     s = strtok_r(NULL, ".", &save))
		obj = json_object_get(obj, s);
	const char *rest = star[1] == '.' ? star + 2 : star + 1;
	const char *k;
	json_t *m;
	json_object_foreach((json_t *)obj, k, m)
	{
		char mk[METRIC_KEY_MAX / 2], key[METRIC_KEY_MAX * 2];
		metric_member_name(k, mk, sizeof(mk));
		const char *ps = strstr(keypat, "%s");
		snprintf(key, sizeof(key), "%.*s%s%s", (int)(ps - keypat), keypat, mk, ps + 2);
		expand(m, rest, key, out);
	}
}

json_t *metric_counts(const struct metric_docs *d)
{
	json_t *out = json_object();
	for (size_t i = 0; i < metric_nrows; i++) {
		const struct metric_row *r = &metric_rows[i];
		if (!metric_is_family(r)) {
			json_t *v = eval_row(r, d);
			if (v)
				json_object_set_new(out, r->key, v);
			continue;
		}
		const char *path;
		int zero;
		const json_t *doc = origin_doc(d, r->source, &path, &zero);
		if (doc)
			expand(doc, path, r->key, out);
	}
	return out;
}

static double ratio(const json_t *v, int part)
{
	return jnum(json_array_get(v, (size_t)part));
}

json_t *metric_whole_run(const json_t *counts, double txn)
{
	json_t *out = json_object();
	const char *k;
	json_t *v;
	json_object_foreach((json_t *)counts, k, v)
	{
		const struct metric_row *r = metric_find(k);
		double x;
		if (r && r->kind == MK_RATIO)
			x = ratio(v, 1) > 0 ? ratio(v, 0) / ratio(v, 1) : NAN;
		else if (r && r->kind == MK_VALUE)
			x = jnum(v);
		else
			x = txn > 0 ? jnum(v) / txn : NAN;
		json_object_set_new(out, k, num_or_null(x));
	}
	return out;
}

json_t *metric_marginal(const json_t *counts_n, double n, const json_t *counts_b, double b)
{
	json_t *out = json_object();
	const char *k;
	json_t *v;
	json_object_foreach((json_t *)counts_n, k, v)
	{
		const struct metric_row *r = metric_find(k);
		const json_t *w = json_object_get(counts_b, k);
		double x;
		if (r && r->kind == MK_VALUE) { /* the N run's own figure */
			x = jnum(v);
		} else if (r && r->kind == MK_RATIO) {
			/* per event, not per transaction: the N run's own ratio */
			x = ratio(v, 1) > 0 ? ratio(v, 0) / ratio(v, 1) : NAN;
		} else {
			/* a count the baseline never saw (a reason it did not hit) is 0 there */
			double cb = w ? jnum(w) : 0;
			x = n > b ? (jnum(v) - cb) / (n - b) : NAN;
		}
		json_object_set_new(out, k, num_or_null(x));
	}
	return out;
}

static int rep_ok(const json_t *rep)
{
	const char *st = json_string_value(json_object_get(rep, "status"));
	return st && !strcmp(st, "ok");
}

json_t *metric_summarize(const json_t *reps, const char *field)
{
	json_t *summary = json_object();
	size_t i;
	const json_t *rep;
	json_array_foreach(reps, i, rep)
	{
		const char *k;
		json_t *v;
		json_object_foreach(json_object_get(rep, field), k, v)
		{
			if (!json_object_get(summary, k))
				json_object_set_new(summary, k, json_object());
		}
	}
	const char *k;
	json_t *s;
	double vals[MAX_REPS];
	json_object_foreach(summary, k, s)
	{
		size_t n = 0;
		json_array_foreach(reps, i, rep)
		{
			double x = jnum(json_object_get(json_object_get(rep, field), k));
			if (rep_ok(rep) && !isnan(x) && n < MAX_REPS)
				vals[n++] = x;
		}
		json_object_set_new(s, "mean", n ? json_real(stats_mean(vals, n)) : json_null());
		json_object_set_new(s, "stddev",
				    n ? json_real(stats_stddev(vals, n)) : json_null());
		json_object_set_new(s, "n", json_integer((json_int_t)n));
	}
	return summary;
}
