// SPDX-License-Identifier: MIT
#include "irqstat.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void copy_trimmed(char *dst, size_t cap, const char *s, size_t len)
{
	while (len && isspace((unsigned char)*s)) {
		s++;
		len--;
	}
	while (len && isspace((unsigned char)s[len - 1]))
		len--;
	if (len >= cap)
		len = cap - 1;
	memcpy(dst, s, len);
	dst[len] = '\0';
}

static int push(struct irq_table *t, const struct irq_line *l)
{
	struct irq_line *v = realloc(t->v, (t->n + 1) * sizeof(*v));
	if (!v)
		return -1;
	t->v = v;
	t->v[t->n++] = *l;
	return 0;
}

/* One line: "  25:   12   0   PCI-MSI 16385-edge      virtio0-input.0". */
static int parse_line(const char *s, size_t len, int ncpus, struct irq_table *t)
{
	const char *end = s + len, *colon = memchr(s, ':', len);
	if (!colon)
		return 0; /* not an interrupt line */
	struct irq_line l = {0};
	copy_trimmed(l.irq, sizeof(l.irq), s, (size_t)(colon - s));
	const char *p = colon + 1;
	for (int cpu = 0; cpu < ncpus; cpu++) {
		while (p < end && (*p == ' ' || *p == '\t'))
			p++;
		if (p >= end || !isdigit((unsigned char)*p))
			break; /* ERR:/MIS: carry one number only */
		char *q;
		uint64_t v = strtoull(p, &q, 10);
		l.count += v;
		if (cpu < IRQSTAT_MAX_CPUS)
			l.cpu[cpu] = v;
		p = q;
	}
	/* The kernel prints the action list after two spaces; chip before. */
	const char *act = NULL;
	for (const char *q = p; q + 1 < end; q++)
		if (q[0] == ' ' && q[1] == ' ' && q + 2 < end && q[2] != ' ')
			act = q + 2;
	if (act) {
		copy_trimmed(l.chip, sizeof(l.chip), p, (size_t)(act - p));
		copy_trimmed(l.action, sizeof(l.action), act, (size_t)(end - act));
	} else {
		copy_trimmed(l.chip, sizeof(l.chip), p, (size_t)(end - p));
	}
	return push(t, &l);
}

int irqstat_parse(const char *text, struct irq_table *t)
{
	memset(t, 0, sizeof(*t));
	const char *nl = strchr(text, '\n');
	if (!nl)
		return -1;
	/* header: "           CPU0       CPU1" */
	for (const char *p = text; p < nl; p++)
		if (p[0] == 'C' && strncmp(p, "CPU", 3) == 0)
			t->ncpus++;
	if (t->ncpus == 0)
		return -1;
	for (const char *s = nl + 1; *s;) {
		const char *e = strchr(s, '\n');
		size_t len = e ? (size_t)(e - s) : strlen(s);
		if (parse_line(s, len, t->ncpus, t) < 0) {
			irqstat_free(t);
			return -1;
		}
		s += len + (e ? 1 : 0);
	}
	return 0;
}

int irqstat_read(const char *path, struct irq_table *t)
{
	FILE *f = fopen(path, "r");
	if (!f)
		return -1;
	/* procfs files have no size: read until EOF */
	size_t cap = 16384, n = 0;
	char *buf = malloc(cap);
	while (buf) {
		n += fread(buf + n, 1, cap - 1 - n, f);
		if (n < cap - 1)
			break;
		char *b = realloc(buf, cap * 2);
		if (!b) {
			free(buf);
			buf = NULL;
			break;
		}
		buf = b;
		cap *= 2;
	}
	int err = ferror(f);
	fclose(f);
	if (!buf || err) {
		free(buf);
		errno = buf ? EIO : ENOMEM;
		return -1;
	}
	buf[n] = '\0';
	int rc = irqstat_parse(buf, t);
	free(buf);
	if (rc < 0)
		errno = EINVAL;
	return rc;
}

void irqstat_filter(struct irq_table *t, const char *match)
{
	if (!match || !*match)
		return;
	size_t k = 0;
	for (size_t i = 0; i < t->n; i++)
		if (strstr(t->v[i].action, match))
			t->v[k++] = t->v[i];
	t->n = k;
}

int irqstat_delta(const struct irq_table *before, const struct irq_table *after,
		  struct irq_table *out)
{
	memset(out, 0, sizeof(*out));
	out->ncpus = after->ncpus;
	for (size_t i = 0; i < after->n; i++) {
		struct irq_line l = after->v[i];
		for (size_t j = 0; j < before->n; j++) {
			if (strcmp(before->v[j].irq, l.irq) == 0 &&
			    strcmp(before->v[j].action, l.action) == 0) {
				const struct irq_line *b = &before->v[j];
				l.count = l.count >= b->count ? l.count - b->count : 0;
				for (int c = 0; c < IRQSTAT_MAX_CPUS; c++)
					l.cpu[c] = l.cpu[c] >= b->cpu[c] ? l.cpu[c] - b->cpu[c] : 0;
				break;
			}
		}
		if (push(out, &l) < 0) {
			irqstat_free(out);
			return -1;
		}
	}
	return 0;
}

void irqstat_free(struct irq_table *t)
{
	free(t->v);
	memset(t, 0, sizeof(*t));
}
