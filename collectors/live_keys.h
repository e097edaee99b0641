/* SPDX-License-Identifier: MIT */
/* Keys of the live table on a terminal: s cycles the sort (rate, total,
 * name), q quits. The terminal is put back on every exit path. */
#ifndef IRQPATH_LIVE_KEYS_H
#define IRQPATH_LIVE_KEYS_H

#include <time.h>

#include "live.h"

/* 1 when stdin and stdout are terminals and keys are read, else 0. */
int live_keys_start(void);
/* Sleeps up to *ts or until a key; returns 1 when a key was handled. */
int live_keys_wait(struct live_opts *o, const struct timespec *ts);
int live_keys_quit(void);
void live_keys_stop(void);

#endif
