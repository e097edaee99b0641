/* SPDX-License-Identifier: MIT */
/* Open-addressing hash table of counters (FNV-1a over the key bytes). */
#include "counts.h"

#include <stdlib.h>
#include <string.h>

static uint64_t hash_key(const struct irqt_key *k)
{
	const unsigned char *p = (const unsigned char *)k;
	uint64_t h = 1469598103934665603ull;
	for (size_t i = 0; i < sizeof *k; i++)
		h = (h ^ p[i]) * 1099511628211ull;
	return h;
}

void counts_init(struct counts *c)
{
	memset(c, 0, sizeof *c);
}

void counts_free(struct counts *c)
{
	free(c->slots);
	counts_init(c);
}

void counts_clear(struct counts *c)
{
	if (c->slots)
		memset(c->slots, 0, c->cap * sizeof *c->slots);
	c->len = 0;
}

static struct count_entry *find(const struct counts *c, const struct irqt_key *k, int *found)
{
	size_t i = hash_key(k) & (c->cap - 1);
	for (;;) {
		struct count_entry *e = &c->slots[i];
		if (!e->used) {
			*found = 0;
			return e;
		}
		if (!memcmp(&e->key, k, sizeof *k)) {
			*found = 1;
			return e;
		}
		i = (i + 1) & (c->cap - 1);
	}
}

static int grow(struct counts *c)
{
	size_t ncap = c->cap ? c->cap * 2 : 256;
	struct counts n = {.slots = calloc(ncap, sizeof(struct count_entry)), .cap = ncap};
	if (!n.slots)
		return -1;
	for (size_t i = 0; i < c->cap; i++)
		if (c->slots[i].used) {
			int found;
			struct count_entry *e = find(&n, &c->slots[i].key, &found);
			*e = c->slots[i];
			n.len++;
		}
	free(c->slots);
	*c = n;
	return 0;
}

int counts_add(struct counts *c, const struct irqt_key *key, uint64_t n)
{
	if ((c->len + 1) * 2 > c->cap && grow(c))
		return -1;
	int found;
	struct count_entry *e = find(c, key, &found);
	if (!found) {
		e->used = 1;
		e->key = *key;
		e->value = 0;
		c->len++;
	}
	e->value += n;
	return 0;
}

uint64_t counts_get(const struct counts *c, const struct irqt_key *key)
{
	if (!c->cap)
		return 0;
	int found;
	struct count_entry *e = find(c, key, &found);
	return found ? e->value : 0;
}

int counts_copy(struct counts *dst, const struct counts *src)
{
	counts_clear(dst);
	counts_for_each(src, e) if (counts_add(dst, &e->key, e->value)) return -1;
	return 0;
}

int counts_diff(struct counts *out, const struct counts *a, const struct counts *b)
{
	counts_clear(out);
	counts_for_each(a, e)
	{
		uint64_t old = counts_get(b, &e->key);
		if (e->value > old && counts_add(out, &e->key, e->value - old))
			return -1;
	}
	return 0;
}
