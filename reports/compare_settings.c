/* SPDX-License-Identifier: MIT */
/*
 * The settings two results files were produced with, side by side: a
 * comparison of runs that differ in more than the thing under test (notify
 * by exit vs ioeventfd, another kernel, whole-run vs marginal figures)
 * must say so next to its p-values.
 */
#include "compare.h"

#include <stdlib.h>
#include <string.h>

/* What shapes the figures; profile.name and profile.config are the labels. */
static const char *const setting_paths[] = {
    "profile.transport",
    "profile.guest",
    "profile.vmm",
    "profile.backend",
    "profile.notify",
    "profile.runner",
    "profile.trace_backend",
    "accel",
    "workload.req",
    "workload.resp",
    "workload.transactions",
    "workload.duration_s",
    "workload.repetitions",
    "workload.warmup",
    "per_transaction.definition",
    "per_transaction.baseline_transactions",
    "host.kernel",
    "host.cpu",
    "host.kind",
    "host.irqchip",
    "host.hypervisor",
    "tracer.backend",
    "tracer.exit_source",
    "commit",
};

static const json_t *at(const json_t *doc, const char *path)
{
	char buf[128];
	snprintf(buf, sizeof(buf), "%s", path);
	const json_t *v = doc;
	for (char *save, *t = strtok_r(buf, ".", &save); t && v; t = strtok_r(NULL, ".", &save))
		v = json_object_get(v, t);
	return v;
}

static void show(char *out, size_t len, const json_t *v)
{
	if (!v) {
		snprintf(out, len, "(absent)");
		return;
	}
	if (json_is_string(v)) {
		snprintf(out, len, "%s", json_string_value(v));
		return;
	}
	char *s = json_dumps(v, JSON_ENCODE_ANY | JSON_COMPACT);
	snprintf(out, len, "%s", s ? s : "?");
	free(s);
}

json_t *compare_settings(const struct result *base, const struct result *new)
{
	json_t *out = json_array();
	for (size_t i = 0; i < sizeof(setting_paths) / sizeof(*setting_paths); i++) {
		const json_t *a = at(base->doc, setting_paths[i]);
		const json_t *b = at(new->doc, setting_paths[i]);
		if ((!a && !b) || (a && b && json_equal((json_t *)a, (json_t *)b)))
			continue;
		char sa[160], sb[160];
		show(sa, sizeof(sa), a);
		show(sb, sizeof(sb), b);
		json_array_append_new(out, json_pack("{s:s, s:s, s:s}", "setting", setting_paths[i],
						     "base", sa, "new", sb));
	}
	return out;
}
