/* SPDX-License-Identifier: MIT */
/*
 * Where the differences between profiles come from: under the mailing-list
 * table, each profile minus the reference, item by item; and, when both are
 * in the set, "mmio-legacy - mmio-v3" exits per transaction by reason, each
 * row attributed to the events (registers, EOIs, doorbells) that the
 * registry says cause that exit reason (metrics.def, accounts).
 */
#include "summary.h"
#include "metrics.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define NEGLIGIBLE 0.005 /* below the table's two decimals */

/* Appends "ITEM" to a line wrapped at 72 columns, continued at INDENT. */
static void wrap_at(FILE *f, int *col, const char *item, int first, int indent)
{
	int len = (int)strlen(item) + (first ? 0 : 2);
	if (!first && *col + len + 1 > TAB_TEXT_WIDTH) { /* room for a trailing comma */
		fprintf(f, ",\n%*s", indent, "");
		*col = indent;
		len -= 2;
	} else if (!first) {
		fputs(", ", f);
	}
	fputs(item, f);
	*col += len;
}

static void wrap_item(FILE *f, int *col, const char *item, int first)
{
	wrap_at(f, col, item, first, 4);
}

/* Per transaction: the marginal figure when the run has one, else whole-run. */
static double per_txn(const struct result *r, const char *key)
{
	double m = result_marginal_mean(r, key);
	return isnan(m) ? result_mean(r, key) : m;
}

/* a - b, a missing count being 0 when the other side has it */
static double diff(const struct result *a, const struct result *b, const char *key)
{
	double x = per_txn(a, key), y = per_txn(b, key);
	if (isnan(x) && isnan(y))
		return NAN;
	return (isnan(x) ? 0 : x) - (isnan(y) ? 0 : y);
}

static void exit_causes(const struct result_set *set, const struct result *r,
			const struct result *b, FILE *f, int *col)
{
	size_t n;
	const char **keys = metric_members(set, M_EXITS_BY_REASON, &n);
	int first = 1;
	for (size_t k = 0; k < n; k++) {
		double dd = diff(r, b, keys[k]);
		if (isnan(dd) || fabs(dd) < NEGLIGIBLE)
			continue;
		char lab[METRIC_LABEL_MAX], item[96];
		metric_label(keys[k], lab, sizeof(lab));
		/* causes go in parentheses after the total */
		snprintf(item, sizeof(item), "%s%s %+.2f", first ? " (" : "", lab + 2, dd);
		if (first) {
			fputs(item, f);
			*col += (int)strlen(item);
		} else {
			wrap_item(f, col, item, 0);
		}
		first = 0;
	}
	if (!first) {
		fputc(')', f);
		(*col)++;
	}
	free(keys);
}

/* the interrupt path, item by item (short names: the line is wrapped at 72) */
static void path_items(const struct result *r, const struct result *b, FILE *f, int *col)
{
	static const struct {
		enum metric_id id;
		const char *name;
	} items[] = {{M_USERSPACE_EXITS, "userspace exits"},
		     {M_STATUS_READS, "status reads"},
		     {M_ACKS, "acks"},
		     {M_LINE_RAISES, "line raises"},
		     {M_LINE_LOWERS, "line lowers"},
		     {M_IOAPIC_EOI, "IOAPIC EOIs"},
		     {M_LAPIC_EOI, "LAPIC EOIs"},
		     {M_NOTIFIES_RX, "notifies rx"},
		     {M_NOTIFIES_TX, "notifies tx"}};
	char item[96];
	for (size_t k = 0; k < sizeof(items) / sizeof(items[0]); k++) {
		double dd = diff(r, b, metric_key(items[k].id));
		if (isnan(dd) || fabs(dd) < NEGLIGIBLE)
			continue;
		snprintf(item, sizeof(item), "%s %+.2f", items[k].name, dd);
		wrap_item(f, col, item, 0);
	}
	static const enum metric_id msis[] = {M_MSIS_RX, M_MSIS_TX, M_MSIS_CONFIG};
	double msi = 0;
	for (int q = 0; q < 3; q++) {
		double d = diff(r, b, metric_key(msis[q]));
		msi += isnan(d) ? 0 : d;
	}
	if (fabs(msi) >= NEGLIGIBLE) {
		snprintf(item, sizeof(item), "MSIs %+.2f", msi);
		wrap_item(f, col, item, 0);
	}
}

void summary_path_difference(const struct result *a, const struct result *b, FILE *f)
{
	if (!result_kvm_counters(a) || !result_kvm_counters(b))
		return;
	const char *head = "  interrupt path:";
	fputs(head, f);
	int col = (int)strlen(head);
	/* path_items separates items with ", ": the first one follows a colon */
	char *buf = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&buf, &len);
	if (!m)
		return;
	int mcol = col;
	path_items(a, b, m, &mcol);
	fclose(m);
	fprintf(f, "%s\n", len > 2 ? buf + 1 : " (no difference)");
	free(buf);
}

static void header_once(FILE *f, int *header, const struct result *b)
{
	if (!*header)
		fprintf(f, "Per transaction, %s minus %.20s (host counts):\n", "each profile",
			b->label);
	*header = 1;
}

void summary_attribution(const struct result_set *set, FILE *f)
{
	if (set->n < 2)
		return;
	size_t ref = summary_reference(set);
	const struct result *b = &set->r[ref];
	int header = 0;
	for (size_t c = 0; c < set->n; c++) {
		const struct result *r = &set->r[c];
		if (c == ref)
			continue;
		if (!result_kvm_counters(r) || !result_kvm_counters(b)) {
			header_once(f, &header, b);
			fprintf(f, "  %.40s: %s\n", r->label,
				result_kvm_counters(r) ? "not compared, the reference has "
							 "no KVM counters (TCG)"
						       : RESULT_NO_KVM_TCG);
			continue;
		}
		double d = diff(r, b, metric_key(M_EXITS));
		if (isnan(d))
			continue;
		header_once(f, &header, b);
		char item[96];
		snprintf(item, sizeof(item), "  %.40s: exits %+.2f", r->label, d);
		fputs(item, f);
		int col = (int)strlen(item);
		exit_causes(set, r, b, f, &col);
		path_items(r, b, f, &col);
		fputs("\n", f);
	}
}

static const struct result *find_profile(const struct result_set *set, const char *name)
{
	for (size_t i = 0; i < set->n; i++)
		if (!strcmp(set->r[i].profile, name) && result_kvm_counters(&set->r[i]))
			return &set->r[i];
	return NULL;
}

/*
 * The events that account for REASON's difference: registry rows whose
 * accounts list REASON, as "label +d.dd" items; *sum gets their total.
 */
static void accounted(const struct result *a, const struct result *b, const char *reason, char *out,
		      size_t len, double *sum)
{
	out[0] = '\0';
	*sum = 0;
	for (size_t i = 0; i < metric_nrows; i++) {
		const struct metric_row *row = &metric_rows[i];
		if (metric_is_family(row) || !metric_accounts_for(row, reason))
			continue;
		double d = diff(a, b, row->key);
		if (isnan(d) || fabs(d) < NEGLIGIBLE)
			continue;
		size_t o = strlen(out);
		snprintf(out + o, len - o, "%s%s %+.2f", o ? ", " : "", row->label, d);
		*sum += d;
	}
}

/* The member name of an exit-reason key as the tracer wrote it (upper/lower kept). */
static const char *reason_of(const struct result *r, const char *key, char *buf, size_t len)
{
	const json_t *rep = json_array_get(json_object_get(r->doc, "repetitions"), 0);
	const json_t *by = json_object_get(json_object_get(json_object_get(rep, "raw"), "trace"),
					   "exits_by_reason");
	const char *k;
	json_t *v;
	char mk[METRIC_KEY_MAX], want[METRIC_KEY_MAX];
	metric_member_of(key, M_EXITS_BY_REASON, want, sizeof(want));
	json_object_foreach((json_t *)by, k, v)
	{
		metric_member_name(k, mk, sizeof(mk));
		if (!strcmp(mk, want)) {
			snprintf(buf, len, "%s", k);
			return buf;
		}
	}
	snprintf(buf, len, "%s", want);
	return buf;
}

/* one row: "  LABEL  +d.dd  accounted for by ..." wrapped at 72 columns */
static void difference_row(FILE *f, const char *label, double d, const char *why)
{
	char head[64];
	snprintf(head, sizeof(head), "  %-20.20s %+6.2f", label, d);
	fputs(head, f);
	int col = (int)strlen(head);
	if (!*why) {
		fputc('\n', f);
		return;
	}
	char buf[1024];
	snprintf(buf, sizeof(buf), "%s", why);
	int first = 1;
	for (char *save, *t = strtok_r(buf, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
		while (*t == ' ')
			t++;
		if (first) {
			fprintf(f, "  %s", t);
			col += 2 + (int)strlen(t);
		} else {
			wrap_at(f, &col, t, 0, 31); /* under the first item */
		}
		first = 0;
	}
	fputc('\n', f);
}

void summary_difference_pair(const struct result *a, const struct result *b, FILE *f)
{
	if (!result_kvm_counters(a) || !result_kvm_counters(b) ||
	    isnan(diff(a, b, metric_key(M_EXITS))))
		return;
	/* the reasons either side has: a two-result set for metric_members */
	struct result two[2] = {*a, *b};
	struct result_set set = {.n = 2, .r = two};
	int marginal = !isnan(result_marginal_mean(a, metric_key(M_EXITS))) &&
		       !isnan(result_marginal_mean(b, metric_key(M_EXITS)));
	fprintf(f, "%s - %s, exits per transaction (host%s):\n", a->label, b->label,
		marginal ? ", marginal" : "");
	difference_row(f, "exits, all causes", diff(a, b, metric_key(M_EXITS)), "");
	size_t n;
	const char **keys = metric_members(&set, M_EXITS_BY_REASON, &n);
	for (size_t k = 0; k < n; k++) {
		double d = diff(a, b, keys[k]);
		if (isnan(d) || fabs(d) < NEGLIGIBLE)
			continue;
		char reason[METRIC_KEY_MAX], why[900], lab[METRIC_LABEL_MAX];
		double sum;
		/* the reason's name as the side that has it spelled it */
		const struct result *named = isnan(per_txn(a, keys[k])) ? b : a;
		accounted(a, b, reason_of(named, keys[k], reason, sizeof(reason)), why, sizeof(why),
			  &sum);
		size_t o = strlen(why);
		if (!o)
			snprintf(why, sizeof(why), "not attributed to a counted event");
		else if (fabs(d - sum) >= NEGLIGIBLE)
			snprintf(why + o, sizeof(why) - o, ", other %+.2f", d - sum);
		difference_row(f, metric_label(keys[k], lab, sizeof(lab)) + 2, d, why);
	}
	free(keys);
	double u = diff(a, b, metric_key(M_USERSPACE_EXITS));
	if (!isnan(u) && fabs(u) >= NEGLIGIBLE)
		difference_row(f, "of which userspace", u, "");
}

void summary_difference(const struct result_set *set, const char *a_name, const char *b_name,
			FILE *f)
{
	const struct result *a = find_profile(set, a_name), *b = find_profile(set, b_name);
	if (a && b)
		summary_difference_pair(a, b, f);
}
