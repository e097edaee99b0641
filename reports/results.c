/* SPDX-License-Identifier: MIT */
#include "results.h"
#include "../common/jsonio.h"
#include "../common/metrics.h"
#include "../common/stats.h"

#include <dirent.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/*
 * No metric of a run is beyond this: not a rate (1e12/s is a transaction
 * per picosecond), not a count per transaction. Larger, or not finite, is
 * not a measurement, and a sum of such values overflows.
 */
#define RESULT_VALUE_MAX 1e12
#define RESULT_MAX_REPS 1024 /* irqpath-bench writes at most 1000 */

static int bad(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
	return -1;
}

static int want_string(const json_t *o, const char *obj, const char *key, int nullable, char *err,
		       size_t errlen)
{
	const json_t *v = json_object_get(o, key);
	if (json_is_string(v) || (nullable && json_is_null(v)))
		return 0;
	return bad(err, errlen, "%s.%s: expected a string%s", obj, key, nullable ? " or null" : "");
}

static int want_int(const json_t *o, const char *obj, const char *key, char *err, size_t errlen)
{
	const json_t *v = json_object_get(o, key);
	if (json_is_integer(v) && json_integer_value(v) >= 0)
		return 0;
	return bad(err, errlen, "%s.%s: expected a non-negative integer", obj, key);
}

static int want_object(const json_t *o, const char *key, char *err, size_t errlen)
{
	if (json_is_object(json_object_get(o, key)))
		return 0;
	return bad(err, errlen, "%s: expected an object", key);
}

int result_is_host_metric(const char *key)
{
	const struct metric_row *r = metric_find(key);
	return !r || r->group == MG_HOST;
}

/* accel / kvm_counters / note of the document or of one repetition */
static int check_accel(const json_t *o, const char *where, int allow_mixed, char *err,
		       size_t errlen)
{
	const json_t *a = json_object_get(o, "accel");
	const char *as = json_string_value(a);
	if (a && !json_is_null(a) &&
	    (!as ||
	     (strcmp(as, "kvm") && strcmp(as, "tcg") && (!allow_mixed || strcmp(as, "mixed")))))
		return bad(err, errlen, "%saccel: expected \"kvm\", \"tcg\"%s or null", where,
			   allow_mixed ? ", \"mixed\"" : "");
	const json_t *kc = json_object_get(o, "kvm_counters");
	if (kc && !json_is_boolean(kc))
		return bad(err, errlen, "%skvm_counters: expected true or false", where);
	if (as && strcmp(as, "kvm") && json_is_true(kc))
		return bad(err, errlen, "%skvm_counters: true, but accel is \"%s\"", where, as);
	const json_t *n = json_object_get(o, "note");
	if (n && !json_is_string(n) && !json_is_null(n))
		return bad(err, errlen, "%snote: expected a string or null", where);
	return 0;
}

/* schema, ids and the host, profile, workload and tracer objects */
static int validate_head(const json_t *doc, char *err, size_t errlen)
{
	if (!json_is_object(doc))
		return bad(err, errlen, "top level: expected an object");
	const char *schema = json_string_value(json_object_get(doc, "schema"));
	if (!schema || strcmp(schema, RESULTS_SCHEMA))
		return bad(err, errlen, "schema: expected \"%s\"", RESULTS_SCHEMA);
	if (want_string(doc, "", "run_id", 0, err, errlen) ||
	    want_string(doc, "", "created", 0, err, errlen) ||
	    want_string(doc, "", "commit", 1, err, errlen))
		return -1;
	static const char *const objs[] = {"host",   "profile", "workload",
					   "tracer", "summary", "agreement"};
	for (size_t i = 0; i < sizeof(objs) / sizeof(objs[0]); i++)
		if (want_object(doc, objs[i], err, errlen))
			return -1;
	const json_t *host = json_object_get(doc, "host");
	if (want_string(host, "host", "kernel", 0, err, errlen) ||
	    want_string(host, "host", "cpu", 1, err, errlen) ||
	    want_int(host, "host", "cpus", err, errlen) ||
	    want_string(host, "host", "irqchip", 1, err, errlen))
		return -1;
	const json_t *ka = json_object_get(host, "kvm_exit_available");
	if (!json_is_boolean(ka) && !json_is_null(ka))
		return bad(err, errlen, "host.kvm_exit_available: expected true, false or null");
	const json_t *prof = json_object_get(doc, "profile");
	static const char *const pkeys[] = {"name", "transport", "guest", "backend", "runner"};
	for (size_t i = 0; i < sizeof(pkeys) / sizeof(pkeys[0]); i++)
		if (want_string(prof, "profile", pkeys[i], 0, err, errlen))
			return -1;
	if (json_object_get(prof, "vmm") && want_string(prof, "profile", "vmm", 0, err, errlen))
		return -1;
	if (check_accel(doc, "", 1, err, errlen))
		return -1;
	const json_t *wl = json_object_get(doc, "workload");
	static const char *const wkeys[] = {"req",	  "resp",	 "transactions",
					    "duration_s", "repetitions", "warmup"};
	for (size_t i = 0; i < sizeof(wkeys) / sizeof(wkeys[0]); i++)
		if (want_int(wl, "workload", wkeys[i], err, errlen))
			return -1;
	const json_t *tr = json_object_get(doc, "tracer");
	if (!json_is_boolean(json_object_get(tr, "available")))
		return bad(err, errlen, "tracer.available: expected true or false");
	return want_string(tr, "tracer", "backend", 1, err, errlen);
}

/* A repetition's FIELD ("metrics", "marginal"): registry keys, numbers or null. */
static int validate_metrics(const json_t *rep, const char *where, const char *field,
			    const json_t *summary, const char *sname, int no_kvm, char *err,
			    size_t errlen)
{
	const json_t *m = json_object_get(rep, field);
	const char *k;
	const json_t *v;
	json_object_foreach((json_t *)m, k, v)
	{
		if (!metric_find(k))
			return bad(err, errlen,
				   "%s.%s.%s: not a metric of the registry (common/metrics.def)",
				   where, field, k);
		if (!json_is_number(v) && !json_is_null(v))
			return bad(err, errlen, "%s.%s.%s: expected a number or null", where, field,
				   k);
		if (json_is_number(v) && !(fabs(jnum(v)) <= RESULT_VALUE_MAX))
			return bad(
			    err, errlen,
			    "%s.%s.%s: %g is not a plausible value (beyond %g, or not finite)",
			    where, field, k, jnum(v), RESULT_VALUE_MAX);
		if (!json_object_get(summary, k))
			return bad(err, errlen, "%s.%s: missing (in %s.%s)", sname, k, where,
				   field);
		/* no KVM counters: host counts are null, never numbers (zeros) */
		if (no_kvm && result_is_host_metric(k) && !json_is_null(v))
			return bad(err, errlen,
				   "%s.%s.%s: kvm_counters is false, so host counts must be null",
				   where, field, k);
	}
	return 0;
}

static int validate_rep(const json_t *doc, const json_t *rep, size_t i, char *err, size_t errlen)
{
	char where[48];
	snprintf(where, sizeof(where), "repetitions[%zu]", i);
	if (!json_is_object(rep))
		return bad(err, errlen, "%s: expected an object", where);
	if (json_integer_value(json_object_get(rep, "index")) != (json_int_t)i + 1)
		return bad(err, errlen, "%s.index: expected %zu", where, i + 1);
	const char *st = json_string_value(json_object_get(rep, "status"));
	if (!st || (strcmp(st, "ok") && strcmp(st, "failed")))
		return bad(err, errlen, "%s.status: expected \"ok\" or \"failed\"", where);
	const json_t *m = json_object_get(rep, "metrics");
	if (!json_is_object(m))
		return bad(err, errlen, "%s.metrics: expected an object", where);
	const json_t *n = json_object_get(rep, "transactions");
	if (!strcmp(st, "ok") && !(json_is_integer(n) && json_integer_value(n) > 0))
		return bad(err, errlen, "%s.transactions: expected a positive integer", where);
	char rwhere[64];
	snprintf(rwhere, sizeof(rwhere), "%s.", where);
	if (check_accel(rep, rwhere, 0, err, errlen))
		return -1;
	int no_kvm = json_is_false(json_object_get(doc, "kvm_counters")) ||
		     json_is_false(json_object_get(rep, "kvm_counters"));
	if (validate_metrics(rep, where, "metrics", json_object_get(doc, "summary"), "summary",
			     no_kvm, err, errlen) ||
	    validate_metrics(rep, where, "marginal", json_object_get(doc, "marginal_summary"),
			     "marginal_summary", no_kvm, err, errlen))
		return -1;
	if (!strcmp(st, "ok") && !json_is_number(json_object_get(m, metric_key(M_TRANS_PER_S))))
		return bad(err, errlen, "%s.metrics.%s: expected a number", where,
			   metric_key(M_TRANS_PER_S));
	return 0;
}

/* SNAME (summary, marginal_summary) must be what the repetitions' FIELD say */
static int validate_summary(const json_t *doc, const char *sname, const char *field, char *err,
			    size_t errlen)
{
	const json_t *summary = json_object_get(doc, sname), *reps;
	reps = json_object_get(doc, "repetitions");
	const char *k;
	const json_t *s;
	json_object_foreach((json_t *)summary, k, s)
	{
		if (!json_is_object(s))
			return bad(err, errlen, "%s.%s: expected an object", sname, k);
		const json_t *n = json_object_get(s, "n");
		if (!json_is_integer(n))
			return bad(err, errlen, "%s.%s.n: expected an integer", sname, k);
		double vals[1024];
		size_t cnt = 0, i;
		const json_t *rep;
		json_array_foreach(reps, i, rep)
		{
			if (strcmp(json_string_value(json_object_get(rep, "status")), "ok"))
				continue;
			double v = jnum(json_object_get(json_object_get(rep, field), k));
			if (!isnan(v) && cnt < 1024)
				vals[cnt++] = v;
		}
		if ((json_int_t)cnt != json_integer_value(n))
			return bad(err, errlen, "%s.%s.n: %lld but %zu repetitions have it", sname,
				   k, (long long)json_integer_value(n), cnt);
		const json_t *mean = json_object_get(s, "mean"), *sd = json_object_get(s, "stddev");
		if (cnt == 0) {
			if (!json_is_null(mean) || !json_is_null(sd))
				return bad(err, errlen, "%s.%s: n is 0, mean/stddev must be null",
					   sname, k);
			continue;
		}
		if (!json_is_number(mean) || !json_is_number(sd) ||
		    !(fabs(jnum(mean)) <= RESULT_VALUE_MAX) || !(jnum(sd) <= RESULT_VALUE_MAX))
			return bad(err, errlen, "%s.%s: mean and stddev must be finite numbers",
				   sname, k);
		double want = stats_mean(vals, cnt), got = jnum(mean);
		if (fabs(got - want) > 1e-6 * fmax(1, fabs(want)))
			return bad(err, errlen, "%s.%s.mean: %g but the repetitions give %g", sname,
				   k, got, want);
		if (jnum(sd) < 0)
			return bad(err, errlen, "%s.%s.stddev: negative", sname, k);
	}
	return 0;
}

/* exit_latency_log2_ns: null, or {reason: {bucket: non-negative integer}} */
static int validate_latency(const json_t *doc, char *err, size_t errlen)
{
	const json_t *lat = json_object_get(doc, "exit_latency_log2_ns");
	if (!lat || json_is_null(lat))
		return 0;
	if (!json_is_object(lat))
		return bad(err, errlen, "exit_latency_log2_ns: expected an object or null");
	const char *reason, *b;
	const json_t *h, *v;
	json_object_foreach((json_t *)lat, reason, h)
	{
		if (!json_is_object(h))
			return bad(err, errlen, "exit_latency_log2_ns.%s: expected an object",
				   reason);
		json_object_foreach((json_t *)h, b, v)
		{
			char *end;
			long k = strtol(b, &end, 10);
			if (*end || k < 0 || k > 63 || !json_is_integer(v) ||
			    json_integer_value(v) < 0)
				return bad(err, errlen,
					   "exit_latency_log2_ns.%s.%s: expected a bucket 0..63 "
					   "with a non-negative count",
					   reason, b);
		}
	}
	return 0;
}

int results_validate(const json_t *doc, char *err, size_t errlen)
{
	if (validate_head(doc, err, errlen))
		return -1;
	const json_t *wl = json_object_get(doc, "workload");
	const json_t *reps = json_object_get(doc, "repetitions");
	if (!json_is_array(reps) || json_array_size(reps) == 0)
		return bad(err, errlen, "repetitions: expected a non-empty array");
	size_t nreps = json_array_size(reps);
	if (nreps > RESULT_MAX_REPS)
		return bad(err, errlen,
			   "repetitions: %zu entries, more than the %d a results file "
			   "may hold",
			   nreps, RESULT_MAX_REPS);
	if ((json_int_t)nreps != json_integer_value(json_object_get(wl, "repetitions")))
		return bad(err, errlen, "repetitions: %zu entries but workload.repetitions is %lld",
			   nreps,
			   (long long)json_integer_value(json_object_get(wl, "repetitions")));
	const json_t *ms = json_object_get(doc, "marginal_summary");
	if (ms && !json_is_object(ms))
		return bad(err, errlen, "marginal_summary: expected an object");
	size_t i;
	const json_t *rep;
	json_array_foreach(reps, i, rep) if (validate_rep(doc, rep, i, err, errlen)) return -1;
	if (validate_summary(doc, "summary", "metrics", err, errlen) ||
	    validate_summary(doc, "marginal_summary", "marginal", err, errlen) ||
	    validate_latency(doc, err, errlen))
		return -1;
	const char *ak;
	const json_t *av;
	json_object_foreach((json_t *)json_object_get(doc, "agreement"), ak, av)
	{
		const json_t *a = json_object_get(av, "agree");
		if (!json_is_boolean(a) && !json_is_null(a))
			return bad(err, errlen, "agreement.%s.agree: expected true, false or null",
				   ak);
	}
	return 0;
}

/* profile names the struct's own buffer at a sweep point: again after it moved */
static void point_fixup(struct result_set *set)
{
	for (size_t i = 0; i < set->n; i++)
		if (set->r[i].point_profile[0])
			set->r[i].profile = set->r[i].point_profile;
}

static int add_file(struct result_set *set, const char *path, char *err, size_t errlen)
{
	json_t *doc = jsonio_load(path, RESULTS_SCHEMA_NAME, err, errlen);
	if (!doc)
		return -1;
	char why[400];
	if (results_validate(doc, why, sizeof(why))) {
		snprintf(err, errlen, "%s: not valid %s: %s", path, RESULTS_SCHEMA, why);
		json_decref(doc);
		return -1;
	}
	struct result *nr = realloc(set->r, (set->n + 1) * sizeof(*nr));
	if (!nr) {
		json_decref(doc);
		return bad(err, errlen, "out of memory");
	}
	set->r = nr;
	point_fixup(set);
	struct result *r = &set->r[set->n++];
	memset(r, 0, sizeof(*r));
	r->path = strdup(path);
	r->doc = doc;
	r->profile = json_string_value(json_object_get(json_object_get(doc, "profile"), "name"));
	r->run_id = json_string_value(json_object_get(doc, "run_id"));
	r->transport_profile = r->profile;
	/* a sweep point is a profile of its own for compare, history and the
	 * tables: "pci-q2v2", as irqpath-bench names its file */
	const json_t *wl = json_object_get(doc, "workload");
	json_int_t q = json_integer_value(json_object_get(wl, "queues"));
	json_int_t v = json_integer_value(json_object_get(wl, "vcpus"));
	r->queues = q > 0 ? (unsigned)q : 1;
	r->vcpus = v > 0 ? (unsigned)v : 1;
	if (r->queues != 1 || r->vcpus != 1) {
		snprintf(r->point_profile, sizeof(r->point_profile), "%.60s-q%uv%u", r->profile,
			 r->queues, r->vcpus);
		r->profile = r->point_profile;
	}
	return 0;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int results_add(struct result_set *set, const char *path, char *err, size_t errlen)
{
	struct stat st;
	if (stat(path, &st))
		return bad(err, errlen, "%s: %s", path, strerror(errno));
	if (!S_ISDIR(st.st_mode))
		return add_file(set, path, err, errlen);
	DIR *d = opendir(path);
	if (!d)
		return bad(err, errlen, "%s: %s", path, strerror(errno));
	char **names = NULL;
	size_t n = 0;
	struct dirent *de;
	while ((de = readdir(d))) {
		size_t l = strlen(de->d_name);
		if (de->d_name[0] == '.' || l < 6 || strcmp(de->d_name + l - 5, ".json"))
			continue;
		char **nn = realloc(names, (n + 1) * sizeof(*nn));
		if (!nn)
			break;
		names = nn;
		names[n++] = strdup(de->d_name);
	}
	closedir(d);
	qsort(names, n, sizeof(*names), cmp_str);
	int rc = 0;
	size_t added = 0;
	for (size_t i = 0; i < n; i++) {
		char p[4096];
		snprintf(p, sizeof(p), "%s/%s", path, names[i]);
		/* other JSON in a run directory (e.g. compare output) is not ours */
		json_t *peek = json_load_file(p, 0, NULL);
		const char *sc = json_string_value(json_object_get(peek, "schema"));
		int ours =
		    sc && !strncmp(sc, RESULTS_SCHEMA_NAME "/", strlen(RESULTS_SCHEMA_NAME) + 1);
		json_decref(peek);
		if (ours && !rc) {
			rc = add_file(set, p, err, errlen);
			added++;
		}
		free(names[i]);
	}
	free(names);
	if (!rc && !added)
		return bad(err, errlen, "%s: no %s files in this directory", path, RESULTS_SCHEMA);
	return rc;
}

static int rank(const char *profile)
{
	static const char *const order[] = {"pci", "mmio-legacy", "mmio-v3"};
	for (int i = 0; i < 3; i++)
		if (!strcmp(profile, order[i]))
			return i;
	return 3;
}

/* by transport, then sweep point (queues, vCPUs), then run */
static int cmp_result(const void *a, const void *b)
{
	const struct result *x = a, *y = b;
	int d = rank(x->transport_profile) - rank(y->transport_profile);
	if (d)
		return d;
	d = strcmp(x->transport_profile, y->transport_profile);
	if (d)
		return d;
	if (x->queues != y->queues)
		return x->queues < y->queues ? -1 : 1;
	if (x->vcpus != y->vcpus)
		return x->vcpus < y->vcpus ? -1 : 1;
	return strcmp(x->run_id, y->run_id);
}

void results_finish(struct result_set *set)
{
	if (set->n > 1)
		qsort(set->r, set->n, sizeof(*set->r), cmp_result);
	point_fixup(set);
	for (size_t i = 0; i < set->n; i++) {
		int dup = 0;
		for (size_t j = 0; j < set->n; j++)
			if (j != i && !strcmp(set->r[i].profile, set->r[j].profile))
				dup = 1;
		/* run ids end in the commit: profile@<last 7> fits a 15-column cell */
		size_t rl = strlen(set->r[i].run_id);
		if (dup)
			snprintf(set->r[i].label, sizeof(set->r[i].label), "%s@%s",
				 set->r[i].profile, set->r[i].run_id + (rl > 7 ? rl - 7 : 0));
		else
			snprintf(set->r[i].label, sizeof(set->r[i].label), "%s", set->r[i].profile);
	}
}

void results_free(struct result_set *set)
{
	for (size_t i = 0; i < set->n; i++) {
		free(set->r[i].path);
		json_decref(set->r[i].doc);
	}
	free(set->r);
	set->r = NULL;
	set->n = 0;
}

static const json_t *summary_of(const struct result *r, const char *key)
{
	return json_object_get(json_object_get(r->doc, "summary"), key);
}

static const json_t *marginal_of(const struct result *r, const char *key)
{
	return json_object_get(json_object_get(r->doc, "marginal_summary"), key);
}

double result_marginal_mean(const struct result *r, const char *key)
{
	return jnum(json_object_get(marginal_of(r, key), "mean"));
}

double result_marginal_stddev(const struct result *r, const char *key)
{
	return jnum(json_object_get(marginal_of(r, key), "stddev"));
}

double result_mean(const struct result *r, const char *key)
{
	return jnum(json_object_get(summary_of(r, key), "mean"));
}

double result_stddev(const struct result *r, const char *key)
{
	return jnum(json_object_get(summary_of(r, key), "stddev"));
}

int result_n(const struct result *r, const char *key)
{
	return (int)json_integer_value(json_object_get(summary_of(r, key), "n"));
}

size_t result_reps(const struct result *r)
{
	return json_array_size(json_object_get(r->doc, "repetitions"));
}

double result_rep_value(const struct result *r, size_t i, const char *key)
{
	const json_t *rep = json_array_get(json_object_get(r->doc, "repetitions"), i);
	const char *st = json_string_value(json_object_get(rep, "status"));
	if (!st || strcmp(st, "ok"))
		return NAN;
	return jnum(json_object_get(json_object_get(rep, "metrics"), key));
}

size_t result_samples(const struct result *r, const char *key, double *out, size_t max)
{
	size_t n = 0;
	for (size_t i = 0; i < result_reps(r) && n < max; i++) {
		double v = result_rep_value(r, i, key);
		if (!isnan(v))
			out[n++] = v;
	}
	return n;
}

int result_kvm_counters(const struct result *r)
{
	return !json_is_false(json_object_get(r->doc, "kvm_counters"));
}

const char *result_accel(const struct result *r)
{
	const char *a = json_string_value(json_object_get(r->doc, "accel"));
	return a ? a : "kvm";
}
