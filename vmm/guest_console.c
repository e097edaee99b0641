// SPDX-License-Identifier: MIT
/* Serial-console lines of a Linux guest and the run's verdict. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "guest_console.h"

#define RESULT_TAG "IRQPATH-RESULT "
#define ERROR_TAG "IRQPATH-ERROR: "
#define CLOCK_TAG "IRQPATH-INIT: clocksource "
#define IRQS_TAG "IRQPATH-IRQS "

void guest_console_init(struct guest_console *c)
{
	memset(c, 0, sizeof(*c));
}

void guest_console_free(struct guest_console *c)
{
	free(c->line);
	free(c->result);
	free(c->irqs);
	guest_console_init(c);
}

static void note(char *dst, size_t len, const char *s)
{
	snprintf(dst, len, "%s", s);
}

/* A JSON object at the start of s (anything after it is ignored). */
static bool json_object_at(const char *s)
{
	json_t *j = json_loads(s, JSON_DISABLE_EOF_CHECK, NULL);
	bool ok = json_is_object(j);
	json_decref(j);
	return ok;
}

/* Where a kernel message's "[ 41.553351] " prefix starts in s, or NULL. */
static char *kernel_stamp(char *s)
{
	for (char *p = strchr(s, '['); p; p = strchr(p + 1, '[')) {
		const char *q = p + 1;
		while (*q == ' ')
			q++;
		const char *d = q;
		while (*q >= '0' && *q <= '9')
			q++;
		if (q == d || *q++ != '.')
			continue;
		d = q;
		while (*q >= '0' && *q <= '9')
			q++;
		if (q - d == 6 && *q == ']')
			return p;
	}
	return NULL;
}

/*
 * The kernel's console output does not wait for user lines: a message can
 * land inside the agent's report line, which then ends at the message's
 * own newline and goes on in the next line. Cut the message out and join.
 */
static void take_result(struct guest_console *c, const char *s)
{
	size_t had = c->result_open && c->result ? strlen(c->result) : 0;
	char *r = realloc(c->result_open ? c->result : NULL, had + strlen(s) + 1);
	if (!r) {
		c->oom = true;
		return;
	}
	if (!c->result_open)
		free(c->result);
	strcpy(r + had, s);
	c->result = r;
	c->result_open = false;
	char *k;
	if (!json_object_at(r) && (k = kernel_stamp(r))) {
		*k = '\0';
		c->result_open = true; /* the rest comes in the next line */
	}
}

static void end_line(struct guest_console *c)
{
	if (!c->line)
		return;
	c->line[c->len] = '\0';
	while (c->len && (c->line[c->len - 1] == '\r' || c->line[c->len - 1] == ' '))
		c->line[--c->len] = '\0';
	char *s = c->line;
	c->lines++;
	if (c->result_open) {
		take_result(c, s);
	} else if (!strncmp(s, RESULT_TAG, strlen(RESULT_TAG))) {
		take_result(c, s + strlen(RESULT_TAG));
	} else if (!strncmp(s, IRQS_TAG, strlen(IRQS_TAG))) {
		free(c->irqs);
		c->irqs = strdup(s + strlen(IRQS_TAG));
		c->oom |= !c->irqs;
	} else if (!strncmp(s, ERROR_TAG, strlen(ERROR_TAG))) {
		note(c->error, sizeof(c->error), s + strlen(ERROR_TAG));
	} else if (!strncmp(s, CLOCK_TAG, strlen(CLOCK_TAG))) {
		note(c->clocksource, sizeof(c->clocksource), s + strlen(CLOCK_TAG));
	} else if (!strncmp(s, "IRQPATH-INIT: kernel", 20)) {
		c->init_seen = true;
	}
	if (strstr(s, "reboot: System halted") || strstr(s, "reboot: Power down"))
		c->halted = true;
	if (!c->panic[0] && strstr(s, "Kernel panic"))
		note(c->panic, sizeof(c->panic), s);
	if (c->len)
		note(c->last, sizeof(c->last), s);
	c->len = 0;
}

enum guest_console_event guest_console_feed(struct guest_console *c, uint8_t byte)
{
	c->bytes++;
	if (byte == '\n') {
		end_line(c);
		return GCE_NONE;
	}
	if (byte == '\0')
		return GCE_NONE;
	if (c->len + 2 > c->cap) {
		if (c->cap >= GUEST_CONSOLE_LINE_MAX)
			return GCE_NONE; /* an over-long line is cut, the rest dropped */
		size_t cap = c->cap ? c->cap * 2 : 256;
		char *p = realloc(c->line, cap);
		if (!p) {
			c->oom = true;
			return GCE_NONE;
		}
		c->line = p;
		c->cap = cap;
	}
	c->line[c->len++] = (char)byte;
	if (c->len == strlen(RESULT_TAG) && !memcmp(c->line, RESULT_TAG, c->len))
		return GCE_REPORT;
	return GCE_NONE;
}

void guest_console_flush(struct guest_console *c)
{
	if (c->len)
		end_line(c);
}

json_t *guest_console_irqs(const struct guest_console *c)
{
	json_t *j = c->irqs ? json_loads(c->irqs, JSON_DISABLE_EOF_CHECK, NULL) : NULL;
	if (j && !json_is_object(j)) {
		json_decref(j);
		return NULL;
	}
	return j;
}

const char *guest_verdict_name(enum guest_verdict v)
{
	static const char *const names[] = {"ok",	  "no-console",	 "no-report",
					    "bad-report", "guest-error", "no-transactions"};
	return v <= GV_NO_TRANSACTIONS ? names[v] : "?";
}

/* The console's own words on why, for the message. */
static const char *hint(const struct guest_console *c)
{
	return c->panic[0] ? c->panic : c->error[0] ? c->error : c->last;
}

enum guest_verdict guest_console_verdict(const struct guest_console *c, json_t **agent, char *why,
					 size_t whylen)
{
	*agent = NULL;
	why[0] = '\0';
	if (!c->bytes) {
		snprintf(why, whylen,
			 "the guest wrote nothing on its serial console (the kernel did not "
			 "start, or console=ttyS0 is missing)");
		return GV_NO_CONSOLE;
	}
	if (!c->result) {
		snprintf(why, whylen,
			 "the guest never printed its agent report (IRQPATH-RESULT)%s; last "
			 "console line: %s",
			 c->init_seen ? "" : " and never reached its init", hint(c));
		return GV_NO_REPORT;
	}
	json_error_t jerr;
	json_t *j = json_loads(c->result, JSON_DISABLE_EOF_CHECK, &jerr);
	if (!json_is_object(j)) {
		json_decref(j);
		size_t at = jerr.position > 40 ? (size_t)jerr.position - 40 : 0;
		if (at > strlen(c->result))
			at = strlen(c->result);
		snprintf(
		    why, whylen,
		    "the guest's IRQPATH-RESULT line is not a JSON object: %s (near \"%.80s\")",
		    jerr.text, c->result + at);
		return GV_BAD_REPORT;
	}
	*agent = j;
	const char *status = json_string_value(json_object_get(j, "status"));
	if (!status || strcmp(status, "ok")) {
		const char *e = json_string_value(json_object_get(j, "error"));
		snprintf(why, whylen, "the guest agent reported status %s: %s",
			 status ? status : "(none)",
			 e ? e : (status && !strcmp(status, "idle") ? "no workload ran" : hint(c)));
		return GV_GUEST_ERROR;
	}
	json_t *n = json_object_get(json_object_get(j, "rr"), "transactions");
	if (!json_is_integer(n) || json_integer_value(n) <= 0) {
		snprintf(why, whylen, "the guest's TCP_RR client completed no transactions");
		return GV_NO_TRANSACTIONS;
	}
	return GV_OK;
}
