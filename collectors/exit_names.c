/* SPDX-License-Identifier: MIT */
#include "exit_names.h"

#include <errno.h>
#include <event-parse.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define FORMAT_REL "events/kvm/kvm_exit/format"

/* The record an exit is named from: the two fields the backends key on. */
struct rec {
	uint64_t isa, reason;
	int ok; /* 0 once the expression needs something else */
};

static int64_t eval_num(const struct tep_print_arg *a, struct rec *r);

static int64_t eval_op(const struct tep_print_arg *a, struct rec *r)
{
	const char *op = a->op.op;
	if (!strcmp(op, "?")) { /* cond ? x : y as a number */
		const struct tep_print_arg *alt = a->op.right;
		if (!alt || alt->type != TEP_PRINT_OP || strcmp(alt->op.op, ":")) {
			r->ok = 0;
			return 0;
		}
		return eval_num(a->op.left, r) ? eval_num(alt->op.left, r)
					       : eval_num(alt->op.right, r);
	}
	int unary = !a->op.left || a->op.left->type == TEP_PRINT_NULL;
	int64_t y = eval_num(a->op.right, r);
	if (unary) {
		if (!strcmp(op, "~"))
			return ~y;
		if (!strcmp(op, "!"))
			return !y;
		if (!strcmp(op, "-"))
			return -y;
		r->ok = 0;
		return 0;
	}
	int64_t x = eval_num(a->op.left, r);
	/* the binary operators a tracepoint's print format uses */
	const struct {
		const char *op;
		int64_t v;
	} bin[] = {
	    {"==", x == y},
	    {"!=", x != y},
	    {"&&", x && y},
	    {"||", x || y},
	    {"&", x & y},
	    {"|", x | y},
	    {"^", x ^ y},
	    {"+", (int64_t)((uint64_t)x + (uint64_t)y)},
	    {"-", (int64_t)((uint64_t)x - (uint64_t)y)},
	    {"<<", (int64_t)((uint64_t)x << (y & 63))},
	    {">>", (int64_t)((uint64_t)x >> (y & 63))},
	    {"<", x < y},
	    {">", x > y},
	    {"<=", x <= y},
	    {">=", x >= y},
	};
	for (size_t i = 0; i < sizeof bin / sizeof *bin; i++)
		if (!strcmp(op, bin[i].op))
			return bin[i].v;
	r->ok = 0;
	return 0;
}

static int64_t eval_num(const struct tep_print_arg *a, struct rec *r)
{
	if (!a) {
		r->ok = 0;
		return 0;
	}
	switch (a->type) {
	case TEP_PRINT_ATOM: {
		char *end;
		errno = 0;
		long long v = strtoll(a->atom.atom, &end, 0);
		if (errno || end == a->atom.atom || *end) /* e.g. 0xffffffff80000000 */
			v = (long long)strtoull(a->atom.atom, &end, 0);
		if (end == a->atom.atom || *end)
			r->ok = 0;
		return v;
	}
	case TEP_PRINT_FIELD:
		if (!strcmp(a->field.name, "isa"))
			return (int64_t)r->isa;
		if (!strcmp(a->field.name, "exit_reason"))
			return (int64_t)r->reason;
		r->ok = 0;
		return 0;
	case TEP_PRINT_TYPE:
		return eval_num(a->typecast.item, r);
	case TEP_PRINT_OP:
		return eval_op(a, r);
	default:
		r->ok = 0;
		return 0;
	}
}

/* The symbol the reason argument prints for r; NULL when it prints none,
 * with *val the value __print_symbolic looked up. */
static const char *eval_name(const struct tep_print_arg *a, struct rec *r, int size, uint64_t *val)
{
	if (!a)
		return NULL;
	if (a->type == TEP_PRINT_TYPE)
		return eval_name(a->typecast.item, r, size, val);
	if (a->type == TEP_PRINT_OP && !strcmp(a->op.op, "?")) {
		const struct tep_print_arg *alt = a->op.right;
		int64_t c = eval_num(a->op.left, r);
		if (!r->ok || !alt || alt->type != TEP_PRINT_OP || strcmp(alt->op.op, ":"))
			return NULL;
		return eval_name(c ? alt->op.left : alt->op.right, r, size, val);
	}
	if (a->type != TEP_PRINT_SYMBOL)
		return NULL;
	uint64_t v = (uint64_t)eval_num(a->symbol.field, r);
	/* symbols compare in the field's width (SVM's -1 is the u32 0xffffffff) */
	uint64_t mask = size >= 8 ? ~0ull : (1ull << (8 * size)) - 1;
	if (!r->ok)
		return NULL;
	*val = v;
	for (const struct tep_print_flag_sym *s = a->symbol.symbols; s; s = s->next) {
		struct rec sr = {.ok = 1};
		struct tep_print_arg atom = {.type = TEP_PRINT_ATOM};
		atom.atom.atom = s->value;
		uint64_t sv = (uint64_t)eval_num(&atom, &sr);
		if (sr.ok && (sv & mask) == (v & mask))
			return s->str;
	}
	return NULL;
}

static int has_symbol(const struct tep_print_arg *a)
{
	if (!a)
		return 0;
	switch (a->type) {
	case TEP_PRINT_SYMBOL:
		return 1;
	case TEP_PRINT_TYPE:
		return has_symbol(a->typecast.item);
	case TEP_PRINT_OP:
		return has_symbol(a->op.left) || has_symbol(a->op.right);
	default:
		return 0;
	}
}

void exit_names_init(struct exit_names *x)
{
	memset(x, 0, sizeof *x);
}

void exit_names_free(struct exit_names *x)
{
	if (x->tep)
		tep_free(x->tep);
	exit_names_init(x);
}

int exit_names_parse(struct exit_names *x, const char *text, size_t len, const char *source,
		     char *err, size_t errlen)
{
	exit_names_free(x);
	tep_set_loglevel(TEP_LOG_NONE);
	x->tep = tep_alloc();
	if (!x->tep) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	if (tep_parse_event(x->tep, text, len, "kvm") ||
	    !(x->event = tep_find_event_by_name(x->tep, "kvm", "kvm_exit"))) {
		snprintf(err, errlen, "%s: not a parsable kvm:kvm_exit format", source);
		goto fail;
	}
	struct tep_format_field *reason = tep_find_field(x->event, "exit_reason");
	if (!reason || !tep_find_field(x->event, "isa")) {
		snprintf(err, errlen, "%s: kvm_exit has no %s field", source,
			 reason ? "isa" : "exit_reason");
		goto fail;
	}
	x->reason_size = reason->size;
	for (struct tep_print_arg *a = x->event->print_fmt.args; a; a = a->next)
		if (has_symbol(a)) {
			x->reason = a;
			break;
		}
	if (!x->reason) {
		snprintf(err, errlen,
			 "%s: the print format names no exit reason (__print_symbolic)", source);
		goto fail;
	}
	snprintf(x->source, sizeof x->source, "%s", source);
	return 0;
fail:
	exit_names_free(x);
	return -1;
}

int exit_names_load(struct exit_names *x, const char *tracefs, char *err, size_t errlen)
{
	char path[512];
	snprintf(path, sizeof path, "%s/" FORMAT_REL, tracefs);
	FILE *f = fopen(path, "r");
	if (!f) {
		snprintf(err, errlen, "cannot read %s: %s", path, strerror(errno));
		return -1;
	}
	static char text[1 << 16];
	size_t n = fread(text, 1, sizeof text, f);
	int bad = ferror(f) || n == sizeof text;
	fclose(f);
	if (bad) {
		snprintf(err, errlen, "cannot read %s (read error or larger than %zu bytes)", path,
			 sizeof text - 1);
		return -1;
	}
	if (exit_names_parse(x, text, n, "tracefs:kvm/kvm_exit/format", err, errlen))
		return -1;
	if (!access("/sys/module/kvm_amd", F_OK))
		snprintf(x->isa, sizeof x->isa, "svm");
	else if (!access("/sys/module/kvm_intel", F_OK))
		snprintf(x->isa, sizeof x->isa, "vmx");
	return 0;
}

const char *exit_names_name(const struct exit_names *x, unsigned isa, uint64_t reason, char *buf,
			    size_t len)
{
	struct rec r = {.isa = isa, .reason = reason, .ok = 1};
	uint64_t val = reason;
	const char *n = x && x->reason ? eval_name(x->reason, &r, x->reason_size, &val) : NULL;
	if (n)
		return n;
	snprintf(buf, len, "0x%llx", (unsigned long long)val);
	return buf;
}
