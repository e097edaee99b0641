/* SPDX-License-Identifier: MIT */
/* Reads a tracefs instance's ring buffers: one trace_pipe_raw fd per CPU,
 * opened once and read without blocking, sub-buffers parsed with kbuffer
 * and the CPUs' events merged oldest first (the tracefs backend's state —
 * open exits, irqfd work items — needs them in order). Opening the files
 * and allocating pages once, instead of at every drain as
 * tracefs_iterate_raw_events does, keeps the reader's CPU time low. */
#ifndef IRQPATH_TRACEFS_READER_H
#define IRQPATH_TRACEFS_READER_H

#include <stddef.h>
#include <tracefs/tracefs.h>

struct tf_reader;
typedef int (*tf_reader_cb)(struct tep_event *ev, struct tep_record *r, int cpu, void *ctx);

/* NULL with err naming the problem. */
struct tf_reader *tf_reader_open(struct tracefs_instance *inst, struct tep_handle *tep, char *err,
				 size_t errlen);
/* Calls cb for every event in the buffers now, oldest first; the number of
 * events, or -1 when a read failed. */
long tf_reader_drain(struct tf_reader *r, tf_reader_cb cb, void *ctx);
void tf_reader_close(struct tf_reader *r);

#endif
