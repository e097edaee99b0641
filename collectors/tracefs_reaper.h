/* SPDX-License-Identifier: MIT */
/* Keeps the tracefs backend's private instance from outliving the tracer,
 * even when the tracer is SIGKILLed: a small helper process waits on a pipe
 * and removes the instance when the pipe closes without a "done" byte. */
#ifndef IRQPATH_TRACEFS_REAPER_H
#define IRQPATH_TRACEFS_REAPER_H

#include <sys/types.h>

struct reaper {
	pid_t pid;
	int fd; /* write end; -1 when none */
};

/* Starts the helper for instance_dir; 0 ok, -1 (errno) on failure. */
int reaper_start(struct reaper *r, const char *instance_dir, const char *tracefs_dir);
/* The tracer turned the global record-tgid option on: turn it off if we die. */
void reaper_note_record_tgid(struct reaper *r);
/* Normal exit: the tracer cleaned up itself; the helper just exits. */
void reaper_stop(struct reaper *r);
/* Removes irqpath-trace-<pid> instances whose tracer is gone (left by a
 * tracer killed before this helper existed, or whose helper was killed too). */
void reaper_collect_stale(const char *tracefs_dir);

#endif
