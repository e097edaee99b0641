/* SPDX-License-Identifier: MIT */
#include "live_keys.h"

#include <poll.h>
#include <stdlib.h>
#include <termios.h>
#include <unistd.h>

static struct termios saved;
static int active, quit;

void live_keys_stop(void)
{
	if (active)
		tcsetattr(STDIN_FILENO, TCSANOW, &saved);
	active = 0;
}

int live_keys_start(void)
{
	struct termios raw;
	if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO) || tcgetattr(STDIN_FILENO, &saved))
		return 0;
	raw = saved;
	raw.c_lflag &= ~(tcflag_t)(ICANON | ECHO); /* keys without Enter; ^C still signals */
	raw.c_cc[VMIN] = 0;
	raw.c_cc[VTIME] = 0;
	if (tcsetattr(STDIN_FILENO, TCSANOW, &raw))
		return 0;
	active = 1;
	atexit(live_keys_stop);
	return 1;
}

int live_keys_wait(struct live_opts *o, const struct timespec *ts)
{
	struct pollfd p = {.fd = STDIN_FILENO, .events = POLLIN};
	char c;
	int ms = (int)(ts->tv_sec * 1000 + ts->tv_nsec / 1000000);
	if (poll(&p, 1, ms) <= 0 || read(STDIN_FILENO, &c, 1) != 1)
		return 0;
	if (c == 'q' || c == 'Q')
		quit = 1;
	else if (c == 's' || c == 'S')
		o->sort = (enum live_sort)((o->sort + 1) % 3);
	else
		return 0;
	return 1;
}

int live_keys_quit(void)
{
	return quit;
}
