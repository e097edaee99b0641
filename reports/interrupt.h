/* SPDX-License-Identifier: MIT */
/*
 * SIGINT/SIGTERM while a report is drawn: the handler only records the
 * signal, stops the gnuplot child and unlinks registered temp files; the
 * report then removes its unfinished charts directory in normal context
 * and exits 130, so nothing half-written is left (common/cleanup.h's
 * handler exits at once and cannot remove a directory tree).
 */
#ifndef IRQPATH_REPORTS_INTERRUPT_H
#define IRQPATH_REPORTS_INTERRUPT_H

#include <signal.h>
#include <sys/types.h>

extern volatile sig_atomic_t report_interrupted; /* the signal, 0 if none */

void report_interrupt_install(void);
/* The child to stop on a signal (gnuplot), 0 when none runs. */
void report_interrupt_child(pid_t pid);
/* Removes DIR and everything under it (no symlink is followed). */
void report_remove_tree(const char *dir);

#endif
