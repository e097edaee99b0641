/* SPDX-License-Identifier: MIT */
/*
 * Profile files are INI (libinih). inih does not hand the line number to
 * the handler in Debian's build, so we feed it through our own line reader
 * that counts lines; the handler reads the count from the shared context.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <ini.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PATH_MAX_MSG 4200

struct parse_ctx {
	const char *path;
	struct bench_config *cfg;
	/* line source: either a FILE or a string cursor */
	FILE *file;
	const char *cursor;
	int lineno;
	int err_line; /* first line our handler rejected, 0 if none */
	char msg[256];
	unsigned seen;	      /* bit per key index: duplicates are errors */
	char sections[8][32]; /* sections met so far: a second [x] is an error */
	unsigned nsections;
};

static int reject(struct parse_ctx *c, const char *fmt, const char *a, const char *b,
		  const char *d);

/* A "[name]" line: remembers name, rejects it the second time. */
static void note_section(struct parse_ctx *c, const char *line)
{
	const char *p = line + strspn(line, " \t");
	if (*p != '[')
		return;
	p++;
	p += strspn(p, " \t");
	size_t n = strcspn(p, "]");
	if (!p[n])
		return; /* inih reports the syntax error */
	while (n && (p[n - 1] == ' ' || p[n - 1] == '\t'))
		n--;
	char name[32];
	snprintf(name, sizeof(name), "%.*s", (int)n, p);
	for (unsigned i = 0; i < c->nsections; i++)
		if (!strcmp(c->sections[i], name)) {
			reject(c,
			       "section [%s] given twice (give each key once, in one section)%s%s",
			       name, "", "");
			return;
		}
	if (c->nsections < sizeof(c->sections) / sizeof(c->sections[0]))
		snprintf(c->sections[c->nsections++], sizeof(c->sections[0]), "%s", name);
}

static char *read_line(char *str, int num, void *stream)
{
	struct parse_ctx *c = stream;
	if (c->file) {
		if (!fgets(str, num, c->file))
			return NULL;
	} else {
		if (!c->cursor || !*c->cursor)
			return NULL;
		const char *nl = strchr(c->cursor, '\n');
		size_t n = nl ? (size_t)(nl - c->cursor + 1) : strlen(c->cursor);
		if (n > (size_t)num - 1)
			n = (size_t)num - 1;
		memcpy(str, c->cursor, n);
		str[n] = '\0';
		c->cursor += n;
	}
	c->lineno++;
	note_section(c, str);
	return str;
}

static const char *const transports[] = {
    "mmio-legacy", "mmio-v3", "pci",
    /* the virtio-mmio interrupt variants (configs/README.md) */
    "mmio-draft", "mmio-draft-shared", "mmio-draft-fewer", "mmio-addrdata", "mmio-addrdata-shared",
    "mmio-dragonball", "mmio-dragonball-fewer", "mmio-dragonball-intx", NULL};
static const char *const guests[] = {"microguest", "linux", NULL};
static const char *const vmms[] = {"irqpath-vmm", "qemu", NULL};
static const char *const backends[] = {"reflect", "tap", NULL};
static const char *const notifies[] = {"ioeventfd", "exit", NULL};
static const char *const trace_backends[] = {"auto", "bpf", "tracefs", "none", NULL};

enum key_kind { K_ENUM, K_UINT };

struct key_def {
	const char *section, *name;
	enum key_kind kind;
	const char *const *choices; /* K_ENUM */
	unsigned long min, max;	    /* K_UINT */
	size_t offset, size;
};

#define ENUM_KEY(sec, key, field, ch)                                                              \
	{                                                                                          \
		sec, key, K_ENUM, ch, 0, 0, offsetof(struct bench_config, field),                  \
		    sizeof(((struct bench_config *)0)->field)                                      \
	}
#define UINT_KEY(sec, key, field, lo, hi)                                                          \
	{                                                                                          \
		sec, key, K_UINT, NULL, lo, hi, offsetof(struct bench_config, field),              \
		    sizeof(((struct bench_config *)0)->field)                                      \
	}

static const struct key_def keys[] = {
    ENUM_KEY("profile", "transport", transport, transports),
    ENUM_KEY("profile", "guest", guest, guests),
    ENUM_KEY("profile", "vmm", vmm, vmms),
    ENUM_KEY("profile", "backend", backend, backends),
    ENUM_KEY("profile", "notify", notify, notifies),
    UINT_KEY("workload", "req", req, 1, 65000),
    UINT_KEY("workload", "resp", resp, 1, 65000),
    UINT_KEY("workload", "transactions", transactions, 0, 100000000),
    UINT_KEY("workload", "duration", duration_s, 0, 86400),
    UINT_KEY("workload", "repetitions", repetitions, 1, 1000),
    UINT_KEY("workload", "warmup", warmup, 0, 100000000),
    UINT_KEY("workload", "timeout", timeout_s, 1, 86400),
    ENUM_KEY("trace", "backend", trace_backend, trace_backends),
};
#define NKEYS (sizeof(keys) / sizeof(keys[0]))

static int parse_uint(const char *s, unsigned long *out)
{
	char *end;
	if (!*s || *s == '-' || *s == '+')
		return -1;
	errno = 0;
	unsigned long v = strtoul(s, &end, 10);
	if (errno || *end)
		return -1;
	*out = v;
	return 0;
}

static int reject(struct parse_ctx *c, const char *fmt, const char *a, const char *b, const char *d)
{
	if (!c->err_line) {
		c->err_line = c->lineno;
		char what[200];
		snprintf(what, sizeof(what), fmt, a, b, d);
		snprintf(c->msg, sizeof(c->msg), "%s:%d: %s", c->path, c->lineno, what);
	}
	return 0;
}

static int handle(void *user, const char *section, const char *name, const char *value)
{
	struct parse_ctx *c = user;
	for (size_t i = 0; i < NKEYS; i++) {
		const struct key_def *k = &keys[i];
		if (strcmp(k->section, section) || strcmp(k->name, name))
			continue;
		if (c->seen & (1u << i))
			return reject(c, "[%s] %s given twice%s", section, name, "");
		c->seen |= 1u << i;
		char *field = (char *)c->cfg + k->offset;
		if (k->kind == K_ENUM) {
			for (const char *const *ch = k->choices; *ch; ch++) {
				if (!strcmp(*ch, value)) {
					snprintf(field, k->size, "%s", value);
					if (k->offset == offsetof(struct bench_config, transport))
						c->cfg->transport_line = c->lineno;
					else if (k->offset == offsetof(struct bench_config, guest))
						c->cfg->guest_line = c->lineno;
					else if (k->offset == offsetof(struct bench_config, vmm))
						c->cfg->vmm_line = c->lineno;
					return 1;
				}
			}
			char list[128] = "";
			for (const char *const *ch = k->choices; *ch; ch++) {
				strncat(list, *ch, sizeof(list) - strlen(list) - 1);
				if (ch[1])
					strncat(list, ", ", sizeof(list) - strlen(list) - 1);
			}
			return reject(c, "bad value '%s' for %s (expected one of: %s)", value, name,
				      list);
		}
		unsigned long v;
		if (parse_uint(value, &v) || v < k->min || v > k->max) {
			char range[64];
			snprintf(range, sizeof(range), "an integer in %lu..%lu", k->min, k->max);
			return reject(c, "bad value '%s' for %s (expected %s)", value, name, range);
		}
		if (k->size == sizeof(unsigned long))
			*(unsigned long *)field = v;
		else
			*(unsigned *)field = (unsigned)v;
		return 1;
	}
	for (size_t i = 0; i < NKEYS; i++)
		if (!strcmp(keys[i].section, section))
			return reject(c, "unknown key '%s' in [%s]%s", name, section, "");
	return reject(c, "unknown section [%s] (key '%s')%s", section, name, "");
}

void config_defaults(struct bench_config *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	strcpy(cfg->transport, "mmio-legacy");
	strcpy(cfg->guest, "microguest");
	strcpy(cfg->vmm, "irqpath-vmm");
	strcpy(cfg->backend, "reflect");
	strcpy(cfg->notify, "ioeventfd");
	cfg->req = 32;
	cfg->resp = 1024;
	cfg->transactions = 1000;
	cfg->repetitions = 3;
	cfg->warmup = 100;
	cfg->timeout_s = 120;
	strcpy(cfg->trace_backend, "auto");
	cfg->queues = cfg->vcpus = 1;
}

/* "PATH:LINE" when the key came from the file, else "PATH" */
static void where(char *buf, size_t len, const char *path, int line)
{
	if (line > 0)
		snprintf(buf, len, "%s:%d", path, line);
	else
		snprintf(buf, len, "%s", path);
}

static int later(int a, int b)
{
	return a > b ? a : b;
}

int config_check(const struct bench_config *cfg, const char *path, char *err, size_t errlen)
{
	char at[PATH_MAX_MSG];
	int qemu = !strcmp(cfg->vmm, "qemu"), linux_guest = !strcmp(cfg->guest, "linux");
	if (qemu && !strcmp(cfg->transport, "mmio-v3")) {
		where(at, sizeof(at), path, later(cfg->transport_line, cfg->vmm_line));
		snprintf(err, errlen,
			 "%s: transport mmio-v3 cannot run on vmm qemu: QEMU has no virtio-mmio "
			 "version 3 device (qemu runs mmio-legacy and pci; mmio-v3 needs "
			 "vmm = irqpath-vmm)",
			 at);
		return -1;
	}
	/* irqpath-qemu-micro counts transactions; it has no duration mode */
	if (qemu && !linux_guest && !cfg->transactions) {
		snprintf(err, errlen,
			 "%s: the micro-guest on vmm qemu runs a number of transactions: "
			 "[workload] transactions must be non-zero",
			 path);
		return -1;
	}
	if ((cfg->transactions == 0) == (cfg->duration_s == 0) &&
	    !(linux_guest && cfg->duration_s)) {
		snprintf(err, errlen,
			 "%s: [workload] needs exactly one of transactions and duration non-zero "
			 "(transactions=%lu duration=%u)",
			 path, cfg->transactions, cfg->duration_s);
		return -1;
	}
	/* tap: Linux guests (either VMM) and QEMU's devices (a tap is their peer) */
	if (!linux_guest && !qemu && !strcmp(cfg->backend, "tap")) {
		snprintf(err, errlen,
			 "%s: backend 'tap' is not supported for the micro-guest on irqpath-vmm "
			 "(use reflect)",
			 path);
		return -1;
	}
	return 0;
}

static int finish(struct parse_ctx *c, int rc, char *err, size_t errlen)
{
	if (rc < 0) {
		snprintf(err, errlen, "%s: cannot read: %s", c->path,
			 rc == -1 ? strerror(errno) : "out of memory");
		return -1;
	}
	if (rc == 0 && c->err_line) { /* found by the line reader: inih did not see it */
		snprintf(err, errlen, "%s", c->msg);
		return -1;
	}
	if (rc > 0) {
		if (c->err_line && c->err_line <= rc)
			snprintf(err, errlen, "%s", c->msg);
		else
			snprintf(err, errlen,
				 "%s:%d: syntax error (expected [section] or key = value)", c->path,
				 rc);
		return -1;
	}
	if (!(c->seen & 1u)) { /* keys[0] */
		snprintf(err, errlen, "%s: missing [profile] transport", c->path);
		return -1;
	}
	return config_check(c->cfg, c->path, err, errlen);
}

int config_parse_string(const char *name, const char *text, struct bench_config *cfg, char *err,
			size_t errlen)
{
	struct parse_ctx c = {.path = name, .cfg = cfg, .cursor = text};
	int rc = ini_parse_stream(read_line, &c, handle, &c);
	return finish(&c, rc, err, errlen);
}

#define CONFIG_MAX_BYTES (64 * 1024) /* a profile is a few lines */

/*
 * The whole file, NUL-terminated, or NULL (err says why). Only a regular
 * file: opening a FIFO must not block, a directory is not a profile.
 */
static char *read_profile(const char *path, char *err, size_t errlen)
{
	int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	struct stat st;
	if (fd < 0 || fstat(fd, &st)) {
		snprintf(err, errlen, "%s: cannot open: %s", path, strerror(errno));
		if (fd >= 0)
			close(fd);
		return NULL;
	}
	if (!S_ISREG(st.st_mode) || st.st_size > CONFIG_MAX_BYTES) {
		snprintf(err, errlen, "%s: %s", path,
			 S_ISREG(st.st_mode) ? "too large for a profile (over 64 KiB)"
					     : "not a regular file");
		close(fd);
		return NULL;
	}
	char *buf = malloc((size_t)st.st_size + 1);
	ssize_t n = buf ? read(fd, buf, (size_t)st.st_size) : -1;
	int e = errno;
	close(fd);
	if (n < 0) {
		snprintf(err, errlen, "%s: cannot read: %s", path, buf ? strerror(e) : "no memory");
		free(buf);
		return NULL;
	}
	const char *nul = memchr(buf, '\0', (size_t)n);
	if (nul) {
		int line = 1;
		for (const char *p = buf; p < nul; p++)
			line += *p == '\n';
		snprintf(err, errlen, "%s:%d: NUL byte in the file (a profile is text)", path,
			 line);
		free(buf);
		return NULL;
	}
	buf[n] = '\0';
	return buf;
}

int config_load(const char *path, struct bench_config *cfg, char *err, size_t errlen)
{
	char *text = read_profile(path, err, errlen);
	if (!text)
		return -1;
	struct parse_ctx c = {.path = path, .cfg = cfg, .cursor = text};
	int rc = ini_parse_stream(read_line, &c, handle, &c);
	free(text);
	return finish(&c, rc, err, errlen);
}

int config_name_ok(const char *name)
{
	if (!*name || strlen(name) >= PROFILE_NAME_MAX || name[0] == '.')
		return 0;
	for (const char *p = name; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		      (*p >= '0' && *p <= '9') || *p == '-' || *p == '_' || *p == '.'))
			return 0;
	return 1;
}
