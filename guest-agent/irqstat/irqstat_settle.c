// SPDX-License-Identifier: MIT
#include "irqstat_settle.h"

#include <string.h>
#include <time.h>

bool irqstat_same(const struct irq_table *a, const struct irq_table *b)
{
	if (a->n != b->n)
		return false;
	for (size_t i = 0; i < a->n; i++)
		if (a->v[i].count != b->v[i].count || strcmp(a->v[i].irq, b->v[i].irq) ||
		    strcmp(a->v[i].action, b->v[i].action))
			return false;
	return true;
}

static void sleep_ms(unsigned ms)
{
	struct timespec ts = {.tv_sec = ms / 1000, .tv_nsec = (long)(ms % 1000) * 1000000L};
	while (nanosleep(&ts, &ts) != 0)
		;
}

static int read_filtered(const char *path, const char *match, struct irq_table *t)
{
	if (irqstat_read(path, t) < 0)
		return -1;
	irqstat_filter(t, match);
	return 0;
}

int irqstat_read_settled(const char *path, const char *match, const struct irq_settle *s,
			 struct irq_table *t, unsigned *waited_ms, bool *settled)
{
	struct irq_table prev = {0};
	*waited_ms = 0;
	*settled = false;
	memset(t, 0, sizeof(*t));
	if (read_filtered(path, match, &prev) < 0)
		return -1;
	for (;;) {
		sleep_ms(s->quiet_ms);
		*waited_ms += s->quiet_ms;
		if (read_filtered(path, match, t) < 0) {
			irqstat_free(&prev);
			memset(t, 0, sizeof(*t));
			return -1;
		}
		*settled = irqstat_same(&prev, t);
		if (*settled || *waited_ms >= s->max_ms)
			break;
		irqstat_free(&prev);
		prev = *t;
		memset(t, 0, sizeof(*t));
	}
	irqstat_free(&prev);
	return 0;
}
