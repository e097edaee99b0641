// SPDX-License-Identifier: MIT
#include "mg_net.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "mg_proc.h"

void mg_net_init(struct mg_net *n)
{
	memset(n, 0, sizeof *n);
	n->netns_fd = -1;
	n->reflect_pid = -1;
	n->reflect_out = -1;
	/* Unique per process: other runs (and tests) may be up at the same time. */
	snprintf(n->netns, sizeof n->netns, "irqpath-mg%d", (int)getpid());
	snprintf(n->tap, sizeof n->tap, "mgtap%d", (int)getpid());
}

static int ip(const char *what, char *const argv[])
{
	int rc = mg_run(argv, 0);
	if (rc != 0) {
		fprintf(stderr, "irqpath-qemu-micro: %s failed (ip exit %d)\n", what, rc);
		return -1;
	}
	return 0;
}

int mg_net_up(struct mg_net *n, const char *reflect_bin, unsigned resp)
{
	char path[64], resp_s[16], sysctl[96];
	if (ip("creating the network namespace", (char *[]){"ip", "netns", "add", n->netns, NULL}))
		return -1;
	n->created = 1;
	snprintf(path, sizeof path, "/run/netns/%s", n->netns);
	n->netns_fd = open(path, O_RDONLY | O_CLOEXEC);
	if (n->netns_fd < 0) {
		fprintf(stderr, "irqpath-qemu-micro: %s: %s\n", path, strerror(errno));
		return -1;
	}
	if (ip("creating the tap", (char *[]){"ip", "-n", n->netns, "tuntap", "add", "dev", n->tap,
					      "mode", "tap", NULL}))
		return -1;
	/* No IPv6 router solicitations on the wire: only our frames. */
	snprintf(sysctl, sizeof sysctl, "net.ipv6.conf.%s.disable_ipv6=1", n->tap);
	if (ip("disabling IPv6 on the tap",
	       (char *[]){"ip", "netns", "exec", n->netns, "sysctl", "-qw", sysctl, NULL}) ||
	    ip("bringing the tap up",
	       (char *[]){"ip", "-n", n->netns, "link", "set", n->tap, "up", NULL}))
		return -1;
	int pfd[2];
	if (pipe2(pfd, O_CLOEXEC)) {
		perror("irqpath-qemu-micro: pipe");
		return -1;
	}
	snprintf(resp_s, sizeof resp_s, "%u", resp);
	n->reflect_pid =
	    mg_spawn((char *[]){(char *)reflect_bin, "--if", n->tap, "--resp", resp_s, NULL},
		     n->netns_fd, -1, pfd[1], -1);
	close(pfd[1]);
	n->reflect_out = pfd[0];
	if (n->reflect_pid < 0) {
		perror("irqpath-qemu-micro: starting irqpath-reflect");
		return -1;
	}
	return 0;
}

long long mg_net_down(struct mg_net *n)
{
	long long answered = -1;
	if (n->reflect_pid > 0) {
		mg_stop(n->reflect_pid, 2000);
		n->reflect_pid = -1;
		char buf[32] = {0};
		ssize_t r = read(n->reflect_out, buf, sizeof buf - 1);
		char *e;
		if (r > 0) {
			long long v = strtoll(buf, &e, 10);
			if (e != buf && (*e == '\n' || !*e) && v >= 0)
				answered = v;
		}
	}
	if (n->reflect_out >= 0)
		close(n->reflect_out);
	n->reflect_out = -1;
	if (n->netns_fd >= 0)
		close(n->netns_fd);
	n->netns_fd = -1;
	if (n->created)
		mg_run((char *[]){"ip", "netns", "del", n->netns, NULL}, 1);
	n->created = 0;
	return answered;
}
