/* SPDX-License-Identifier: MIT */
#include "cleanup.h"

#include <signal.h>
#include <string.h>
#include <unistd.h>

#define SLOTS 16
#define PATHLEN 4096

static char slots[SLOTS][PATHLEN];
static volatile sig_atomic_t used[SLOTS];

void cleanup_register(const char *path)
{
	for (int i = 0; i < SLOTS; i++) {
		if (used[i])
			continue;
		size_t n = strlen(path);
		if (n >= PATHLEN)
			return;
		memcpy(slots[i], path, n + 1);
		used[i] = 1;
		return;
	}
}

void cleanup_unregister(const char *path)
{
	for (int i = 0; i < SLOTS; i++)
		if (used[i] && !strcmp(slots[i], path)) {
			used[i] = 0;
			return;
		}
}

void cleanup_remove_all(void)
{
	for (int i = 0; i < SLOTS; i++)
		if (used[i]) {
			unlink(slots[i]);
			used[i] = 0;
		}
}

static void on_signal(int sig)
{
	(void)sig;
	cleanup_remove_all();
	_exit(130);
}

void cleanup_install_exit_handler(void)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
}
