/* SPDX-License-Identifier: MIT */
/*
 * Temp files that must not survive SIGINT/SIGTERM. The handler unlinks
 * whatever is registered (unlink is async-signal-safe) and exits 130.
 */
#ifndef IRQPATH_COMMON_CLEANUP_H
#define IRQPATH_COMMON_CLEANUP_H

void cleanup_register(const char *path);
void cleanup_unregister(const char *path);
/* Unlinks every registered path now (also safe inside a signal handler). */
void cleanup_remove_all(void);
/* Installs the SIGINT/SIGTERM handler (report tool; bench has its own). */
void cleanup_install_exit_handler(void);

#endif
