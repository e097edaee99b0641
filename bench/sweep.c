/* SPDX-License-Identifier: MIT */
#include "sweep.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int sweep_parse_list(const char *what, const char *s, unsigned *out, size_t *n, char *err,
		     size_t errlen)
{
	*n = 0;
	const char *p = s;
	for (;;) {
		char *end;
		errno = 0;
		/* strtoul takes "-1" and " 2": the list is digits and commas only */
		long v = (*p >= '0' && *p <= '9') ? strtol(p, &end, 10) : -1;
		if (v < 1 || v > SWEEP_MAX || errno || (*end && *end != ',')) {
			snprintf(err, errlen,
				 "%s: expected a comma-separated list of integers in 1..%d "
				 "(got '%s')",
				 what, SWEEP_MAX, s);
			return -1;
		}
		if (*n == SWEEP_MAX_POINTS) {
			snprintf(err, errlen, "%s: at most %d values (got '%s')", what,
				 SWEEP_MAX_POINTS, s);
			return -1;
		}
		out[(*n)++] = (unsigned)v;
		if (!*end)
			return 0;
		p = end + 1;
	}
}

int sweep_build(const char *queues, const char *vcpus, struct sweep *sw, char *err, size_t errlen)
{
	unsigned q[SWEEP_MAX_POINTS], v[SWEEP_MAX_POINTS];
	size_t nq, nv = 0;
	sw->n = 0;
	if (sweep_parse_list("--queues", queues ? queues : "1", q, &nq, err, errlen) ||
	    (vcpus && sweep_parse_list("--vcpus", vcpus, v, &nv, err, errlen)))
		return -1;
	if (nv > 1 && nv != nq) {
		snprintf(err, errlen,
			 "--vcpus: %zu values for %zu queue counts (give one value, or one "
			 "per queue count)",
			 nv, nq);
		return -1;
	}
	for (size_t i = 0; i < nq; i++) {
		struct sweep_point pt = {q[i], nv == 0 ? q[i] : nv == 1 ? v[0] : v[i]};
		for (size_t j = 0; j < sw->n; j++)
			if (sw->p[j].queues == pt.queues && sw->p[j].vcpus == pt.vcpus) {
				snprintf(err, errlen,
					 "--queues/--vcpus: the point of %u queues and %u vCPUs "
					 "is given twice",
					 pt.queues, pt.vcpus);
				return -1;
			}
		sw->p[sw->n++] = pt;
	}
	return 0;
}

int sweep_point_is_default(const struct sweep_point *p)
{
	return p->queues == 1 && p->vcpus == 1;
}

const char *sweep_point_name(const struct sweep_point *p, char *buf, size_t len)
{
	if (sweep_point_is_default(p))
		snprintf(buf, len, "%s", "");
	else
		snprintf(buf, len, "q%uv%u", p->queues, p->vcpus);
	return buf;
}

const char *sweep_file_base(const char *profile, const struct sweep_point *p, char *buf, size_t len)
{
	char name[32];
	sweep_point_name(p, name, sizeof(name));
	snprintf(buf, len, "%s%s%s", profile, name[0] ? "-" : "", name);
	return buf;
}
