// SPDX-License-Identifier: MIT
#include "mg_qemu.h"

#include <errno.h>
#include <inttypes.h>
#include <jansson.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "irqpath/guest_abi.h"
#include "mg_proc.h"

/* Appends a printf-formatted string to store and returns it. */
static char *sfmt(char **store, size_t *left, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static char *sfmt(char **store, size_t *left, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(*store, *left, fmt, ap);
	va_end(ap);
	char *s = *store;
	if (n < 0 || (size_t)n >= *left)
		n = (int)*left - 1; /* truncated: the caller sized store for the worst case */
	*store += n + 1;
	*left -= (size_t)n + 1;
	return s;
}

void mg_qemu_argv(const struct mg_qemu_cfg *c, char *argv[MG_ARGV_MAX], char *store,
		  size_t store_len)
{
	int n = 0;
	size_t left = store_len;
	argv[n++] = (char *)c->qemu;
	argv[n++] = "-accel";
	argv[n++] = c->irqchip ? sfmt(&store, &left, "kvm,kernel-irqchip=%s", c->irqchip) : "kvm";
	/* microvm with acpi=off lists its virtio-mmio devices on the command
	 * line (virtio_mmio.device=), which is how the micro-guest finds them. */
	argv[n++] = "-M";
	argv[n++] = sfmt(&store, &left, "%s,memory-backend=ram",
			 c->machine == MG_MICROVM ? "microvm,acpi=off" : "q35");
	argv[n++] = "-m";
	argv[n++] = sfmt(&store, &left, "%u", c->mem_mib);
	/* Guest RAM in a file the runner reads afterwards: the mailbox and the
	 * per-transaction TSC deltas, as irqpath-vmm reads them from its own RAM. */
	argv[n++] = "-object";
	argv[n++] = sfmt(&store, &left, "memory-backend-file,id=ram,size=%uM,mem-path=%s,share=on",
			 c->mem_mib, c->ram_path);
	argv[n++] = "-smp";
	argv[n++] = "1";
	argv[n++] = "-nodefaults";
	argv[n++] = "-no-user-config";
	argv[n++] = "-display";
	argv[n++] = "none";
	argv[n++] = "-no-reboot";
	argv[n++] = "-S"; /* started by QMP `cont`, once the runner (or a tracer) is ready */
	argv[n++] = "-qmp";
	argv[n++] = sfmt(&store, &left, "unix:%s,server=on,wait=off", c->qmp_sock);
	argv[n++] = "-kernel";
	argv[n++] = (char *)c->guest;
	argv[n++] = "-append";
	argv[n++] =
	    sfmt(&store, &left,
		 GABI_CMDLINE_TRANSACTIONS "%llu " GABI_CMDLINE_REQ "%u " GABI_CMDLINE_RESP "%u",
		 c->transactions, c->req, c->resp);
	argv[n++] = "-netdev";
	argv[n++] = sfmt(&store, &left, "tap,id=n0,ifname=%s,script=no,downscript=no", c->tap);
	argv[n++] = "-device";
	if (c->machine == MG_MICROVM) {
		argv[n++] = "virtio-net-device,netdev=n0";
		/* Version 2 (virtio 1.x) registers, what the guest drives, not legacy Version 1. */
		argv[n++] = "-global";
		argv[n++] = "virtio-mmio.force-legacy=false";
	} else {
		argv[n++] = "virtio-net-pci,netdev=n0,disable-legacy=on,romfile=";
	}
	argv[n++] = "-serial";
	argv[n++] = sfmt(&store, &left, "file:%s", c->console);
	/* The report channel: QEMU's stdout, which the runner reads. */
	argv[n++] = "-chardev";
	argv[n++] = "stdio,id=report,signal=off";
	argv[n++] = "-device";
	argv[n++] =
	    sfmt(&store, &left, "isa-debugcon,iobase=0x%x,chardev=report", GABI_PORT_DEBUGCON);
	argv[n++] = "-device";
	argv[n++] = sfmt(&store, &left, "isa-debug-exit,iobase=0x%x,iosize=4", GABI_PORT_QEMU_EXIT);
	argv[n] = NULL;
}

static long long now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

#define QMP_REPLY_MAX (512u * 1024) /* `info mtree` and query-pci fit easily */

/* One complete reply line: 1 = a return (value to *ret), 0 = an event or
 * greeting to skip, -1 = an error reply or not JSON (err set). */
static int qmp_line(const char *line, json_t **ret, char *err, size_t errlen)
{
	json_t *doc = json_loads(line, 0, NULL);
	if (!json_is_object(doc)) {
		snprintf(err, errlen, "QMP: not a JSON object: %.120s", line);
		json_decref(doc);
		return -1;
	}
	json_t *e = json_object_get(doc, "error"), *v = json_object_get(doc, "return");
	int rc = 0;
	if (e) {
		const char *desc = json_string_value(json_object_get(e, "desc"));
		snprintf(err, errlen, "QMP error: %.200s", desc ? desc : "(no description)");
		rc = -1;
	} else if (v) {
		if (ret)
			*ret = json_incref(v);
		rc = 1;
	}
	json_decref(doc);
	return rc;
}

/* Reads QMP replies until a return (events are skipped) or an error. */
static int qmp_expect_return(int fd, long long deadline, json_t **ret, char *err, size_t errlen)
{
	char *buf = malloc(QMP_REPLY_MAX);
	size_t len = 0;
	int rc = -1;
	if (!buf) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	for (;;) {
		int left = (int)(deadline - now_ms());
		struct pollfd p = {.fd = fd, .events = POLLIN};
		if (left <= 0 || poll(&p, 1, left) <= 0) {
			snprintf(err, errlen, "QMP: no reply in time");
			break;
		}
		ssize_t r = read(fd, buf + len, QMP_REPLY_MAX - 1 - len);
		if (r <= 0) {
			snprintf(err, errlen, "QMP: connection closed");
			break;
		}
		len += (size_t)r;
		buf[len] = 0;
		char *nl, *start = buf;
		int got = 0;
		while (!got && (nl = strchr(start, '\n'))) {
			*nl = 0;
			got = qmp_line(start, ret, err, errlen);
			start = nl + 1;
		}
		if (got) {
			rc = got > 0 ? 0 : -1;
			break;
		}
		len -= (size_t)(start - buf);
		memmove(buf, start, len + 1);
		if (len == QMP_REPLY_MAX - 1) {
			snprintf(err, errlen, "QMP: reply longer than %u bytes", QMP_REPLY_MAX);
			break;
		}
	}
	free(buf);
	return rc;
}

static int qmp_command(int fd, const char *cmd, json_t **ret, char *err, size_t errlen)
{
	size_t n = strlen(cmd);
	if (write(fd, cmd, n) != (ssize_t)n) {
		snprintf(err, errlen, "QMP: write: %s", strerror(errno));
		return -1;
	}
	return qmp_expect_return(fd, now_ms() + 10000, ret, err, errlen);
}

/* True if pid has exited (left a zombie we have not reaped). */
static int exited(pid_t pid)
{
	siginfo_t si = {0};
	return !waitid(P_PID, (id_t)pid, &si, WEXITED | WNOHANG | WNOWAIT) && si.si_pid == pid;
}

int mg_qmp_open(const char *path, pid_t qemu, int deadline_ms, int *fdp, char *err, size_t errlen)
{
	long long deadline = now_ms() + deadline_ms;
	struct sockaddr_un sa = {.sun_family = AF_UNIX};
	if (strlen(path) >= sizeof sa.sun_path) {
		snprintf(err, errlen, "QMP socket path too long: %s", path);
		return -1;
	}
	strcpy(sa.sun_path, path);
	int fd = -1;
	while (now_ms() < deadline) {
		fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
		if (fd < 0)
			break;
		if (!connect(fd, (struct sockaddr *)&sa, sizeof sa))
			break;
		close(fd);
		fd = -1;
		if (exited(qemu)) {
			snprintf(err, errlen,
				 "QEMU exited before its QMP socket was up (its stderr says why)");
			return -1;
		}
		nanosleep(&(struct timespec){0, 20 * 1000 * 1000}, NULL);
	}
	if (fd < 0) {
		snprintf(err, errlen, "QMP: cannot connect to %s", path);
		return -1;
	}
	/* greeting {"QMP": ...}, then capabilities negotiation */
	char buf[4096];
	struct pollfd p = {.fd = fd, .events = POLLIN};
	int left = (int)(deadline - now_ms());
	if (poll(&p, 1, left > 1000 ? left : 1000) <= 0 || read(fd, buf, sizeof buf) <= 0 ||
	    qmp_command(fd, "{\"execute\":\"qmp_capabilities\"}\n", NULL, err, errlen)) {
		if (!*err)
			snprintf(err, errlen, "QMP: no greeting");
		close(fd);
		return -1;
	}
	*fdp = fd;
	return 0;
}

int mg_qmp_cont(int fd, char *err, size_t errlen)
{
	return qmp_command(fd, "{\"execute\":\"cont\"}\n", NULL, err, errlen);
}

unsigned long mg_qmp_tsc_khz(int fd, char *err, size_t errlen)
{
	json_t *cpus = NULL, *hz = NULL;
	unsigned long khz = 0;
	if (qmp_command(fd, "{\"execute\":\"query-cpus-fast\"}\n", &cpus, err, errlen))
		return 0;
	const char *path = json_string_value(json_object_get(json_array_get(cpus, 0), "qom-path"));
	char cmd[512];
	if (!path || strlen(path) > 200 || strchr(path, '"') || strchr(path, '\\')) {
		snprintf(err, errlen, "QMP: query-cpus-fast gave no usable qom-path");
	} else {
		snprintf(cmd, sizeof cmd,
			 "{\"execute\":\"qom-get\",\"arguments\":{\"path\":\"%s\","
			 "\"property\":\"tsc-frequency\"}}\n",
			 path);
		if (!qmp_command(fd, cmd, &hz, err, errlen)) {
			if (json_is_integer(hz) && json_integer_value(hz) >= 1000)
				khz = (unsigned long)(json_integer_value(hz) / 1000);
			else
				snprintf(err, errlen, "QMP: no tsc-frequency for the vCPU");
		}
	}
	json_decref(cpus);
	json_decref(hz);
	return khz;
}

void mg_qemu_version(const char *qemu, char *buf, size_t len)
{
	buf[0] = 0;
	int pfd[2];
	if (pipe2(pfd, O_CLOEXEC))
		return;
	pid_t pid = mg_spawn((char *[]){(char *)qemu, "--version", NULL}, -1, -1, pfd[1], -1);
	close(pfd[1]);
	if (pid > 0) {
		ssize_t r = read(pfd[0], buf, len - 1);
		buf[r > 0 ? r : 0] = 0;
		char *nl = strchr(buf, '\n');
		if (nl)
			*nl = 0;
		waitpid(pid, NULL, 0);
	}
	close(pfd[0]);
}

/* microvm: the window must be one of QEMU's virtio-mmio regions (info mtree). */
static int mtree_has(int fd, uint64_t window, char *err, size_t errlen)
{
	json_t *out = NULL;
	if (qmp_command(fd,
			"{\"execute\":\"human-monitor-command\",\"arguments\":"
			"{\"command-line\":\"info mtree -f\"}}\n",
			&out, err, errlen))
		return -1;
	char want[64];
	snprintf(want, sizeof want, "%016" PRIx64 "-", window);
	const char *text = json_string_value(out), *at = text ? strstr(text, want) : NULL;
	const char *eol = at ? strchr(at, '\n') : NULL;
	size_t n = at ? (eol ? (size_t)(eol - at) : strlen(at)) : 0;
	int ok = at && memmem(at, n, "): virtio-mmio", 14);
	json_decref(out);
	if (!ok)
		snprintf(err, errlen, "QEMU's memory map has no virtio-mmio region at 0x%" PRIx64,
			 window);
	return ok ? 0 : -1;
}

/* q35: the window must be a memory BAR of QEMU's 1af4:1041 (query-pci). */
static int pci_bar_is(int fd, uint64_t window, char *err, size_t errlen)
{
	json_t *buses = NULL, *bus, *dev, *reg;
	size_t i, j, k;
	int ok = 0;
	if (qmp_command(fd, "{\"execute\":\"query-pci\"}\n", &buses, err, errlen))
		return -1;
	json_array_foreach(buses, i, bus)
	{
		json_array_foreach(json_object_get(bus, "devices"), j, dev)
		{
			json_t *id = json_object_get(dev, "id");
			if (json_integer_value(json_object_get(id, "vendor")) != 0x1af4 ||
			    json_integer_value(json_object_get(id, "device")) != 0x1041)
				continue;
			json_array_foreach(json_object_get(dev, "regions"), k, reg)
			{
				const char *type = json_string_value(json_object_get(reg, "type"));
				json_t *a = json_object_get(reg, "address");
				ok |= type && !strcmp(type, "memory") && json_is_integer(a) &&
				      (uint64_t)json_integer_value(a) == window;
			}
		}
	}
	json_decref(buses);
	if (!ok)
		snprintf(err, errlen, "QEMU reports no BAR of 1af4:1041 at 0x%" PRIx64, window);
	return ok ? 0 : -1;
}

int mg_qmp_window_check(int fd, enum mg_machine m, uint64_t window, char *err, size_t errlen)
{
	return m == MG_MICROVM ? mtree_has(fd, window, err, errlen)
			       : pci_bar_is(fd, window, err, errlen);
}

char *mg_qmp_hmp(int fd, const char *command, char *err, size_t errlen)
{
	json_t *out = NULL;
	json_t *req = json_pack("{s:s, s:{s:s}}", "execute", "human-monitor-command", "arguments",
				"command-line", command);
	char *text = json_dumps(req, JSON_COMPACT), *copy = NULL, *line = NULL;
	json_decref(req);
	if (text && asprintf(&line, "%s\n", text) > 0 &&
	    !qmp_command(fd, line, &out, err, errlen) && json_is_string(out))
		copy = strdup(json_string_value(out));
	free(text);
	free(line);
	json_decref(out);
	return copy;
}
