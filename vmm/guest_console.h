/* SPDX-License-Identifier: MIT */
/*
 * What a Linux guest says on its serial console, line by line, and the
 * verdict on a run from it (no KVM here; unit-tested). The guest agent
 * (guest-agent/irqstat) prints one "IRQPATH-RESULT {json}" line; a run
 * is good only when that line came, says "ok", and counts transactions.
 *
 * Without ACPI a Linux poweroff becomes a halt: the kernel prints
 * "reboot: System halted" (or "reboot: Power down") and stops its CPUs
 * with interrupts off, which KVM keeps inside the kernel. That line is the
 * only sign the VMM gets, so it ends the run on it (halted).
 */
#ifndef IRQPATH_VMM_GUEST_CONSOLE_H
#define IRQPATH_VMM_GUEST_CONSOLE_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define GUEST_CONSOLE_LINE_MAX (256u * 1024u) /* longer lines are cut */
#define GUEST_CONSOLE_NOTE 200

struct guest_console {
	char *line; /* the line being received */
	size_t len, cap;
	uint64_t bytes, lines;
	char *result;			/* payload of the last IRQPATH-RESULT line */
	char *irqs;			/* payload of the last IRQPATH-IRQS line */
	bool init_seen;			/* "IRQPATH-INIT: kernel" */
	bool result_open;		/* the report line was cut by a kernel message */
	bool halted;			/* the kernel said it halts or powers off */
	char panic[GUEST_CONSOLE_NOTE]; /* first "Kernel panic" line */
	char error[GUEST_CONSOLE_NOTE]; /* last "IRQPATH-ERROR:" line */
	char last[GUEST_CONSOLE_NOTE];	/* last non-empty line */
	char clocksource[64];		/* "IRQPATH-INIT: clocksource X" */
	bool oom;
};

enum guest_verdict {
	GV_OK = 0,
	GV_NO_CONSOLE,	    /* not one byte on the serial port */
	GV_NO_REPORT,	    /* console output, no IRQPATH-RESULT line */
	GV_BAD_REPORT,	    /* the line is not a JSON object */
	GV_GUEST_ERROR,	    /* the agent said status != ok */
	GV_NO_TRANSACTIONS, /* ok, but rr.transactions is 0 or missing */
};

void guest_console_init(struct guest_console *c);
void guest_console_free(struct guest_console *c);
/* What a byte completed: the start of a line the VMM acts on at once. */
enum guest_console_event {
	GCE_NONE = 0,
	GCE_REPORT, /* "IRQPATH-RESULT": the workload is over (the VMM flushes its
		     * console file so a watcher sees it at once) */
};

/* Takes one byte; returns the event the line so far has just become. */
enum guest_console_event guest_console_feed(struct guest_console *c, uint8_t byte);
/* Ends the line in progress (at the end of a run). */
void guest_console_flush(struct guest_console *c);

/*
 * Judges the run. Returns the verdict; *agent gets the parsed result line
 * (new reference, NULL if none) and why a sentence for the failure cases.
 */
enum guest_verdict guest_console_verdict(const struct guest_console *c, json_t **agent, char *why,
					 size_t whylen);
/* The guest's final virtio interrupt counts (IRQPATH-IRQS {"virtio0-input.0":N,...},
 * printed by the driver hook just before it halts), or NULL. New reference. */
json_t *guest_console_irqs(const struct guest_console *c);
/* Short name of a verdict for the JSON status ("ok", "no-console", ...). */
const char *guest_verdict_name(enum guest_verdict v);

#endif
