/* SPDX-License-Identifier: MIT */
#include "tracefs_reader.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <traceevent/kbuffer.h>
#include <unistd.h>

struct tf_cpu {
	int fd;
	void *page;
	struct kbuffer *kbuf;
	int loaded; /* kbuf holds a sub-buffer */
	int have;   /* rec is the next event of this CPU, not yet handed out */
	struct tep_record rec;
};

#define TF_EVENT_IDS 4096

struct tf_reader {
	struct tep_handle *tep;
	struct tep_event *by_id[TF_EVENT_IDS]; /* common_type -> event, as met */
	size_t subbuf;			       /* bytes of one ring-buffer sub-buffer */
	int ncpu;
	struct tf_cpu *cpu;
};

void tf_reader_close(struct tf_reader *r)
{
	if (!r)
		return;
	for (int i = 0; r->cpu && i < r->ncpu; i++) {
		if (r->cpu[i].fd >= 0)
			close(r->cpu[i].fd);
		free(r->cpu[i].page);
		if (r->cpu[i].kbuf)
			kbuffer_free(r->cpu[i].kbuf);
	}
	free(r->cpu);
	free(r);
}

/* The sub-buffer size (buffer_subbuf_size_kb where the kernel has it, else
 * a page). */
static size_t subbuf_size(struct tracefs_instance *inst)
{
	char *s = tracefs_instance_file_read(inst, "buffer_subbuf_size_kb", NULL);
	long kb = s ? strtol(s, NULL, 10) : 0;
	free(s);
	return kb > 0 ? (size_t)kb * 1024 : (size_t)getpagesize();
}

struct tf_reader *tf_reader_open(struct tracefs_instance *inst, struct tep_handle *tep, char *err,
				 size_t errlen)
{
	struct tf_reader *r = calloc(1, sizeof *r);
	long ncpu = sysconf(_SC_NPROCESSORS_CONF);
	if (!r || ncpu < 1 || !(r->cpu = calloc((size_t)ncpu, sizeof *r->cpu))) {
		snprintf(err, errlen, "out of memory");
		free(r);
		return NULL;
	}
	r->tep = tep;
	r->ncpu = (int)ncpu;
	r->subbuf = subbuf_size(inst);
	for (int i = 0; i < r->ncpu; i++)
		r->cpu[i].fd = -1;
	for (int i = 0; i < r->ncpu; i++) {
		struct tf_cpu *c = &r->cpu[i];
		char name[64];
		snprintf(name, sizeof name, "per_cpu/cpu%d/trace_pipe_raw", i);
		char *path = tracefs_instance_get_file(inst, name);
		c->fd = path ? open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC) : -1;
		if (c->fd < 0 && errno == ENOENT) { /* a CPU that is not possible */
			tracefs_put_tracing_file(path);
			continue;
		}
		if (c->fd < 0) {
			snprintf(err, errlen, "cannot open %s: %s", path ? path : name,
				 strerror(errno));
			tracefs_put_tracing_file(path);
			tf_reader_close(r);
			return NULL;
		}
		tracefs_put_tracing_file(path);
		c->page = malloc(r->subbuf);
		c->kbuf = kbuffer_alloc(sizeof(long) == 8 ? KBUFFER_LSIZE_8 : KBUFFER_LSIZE_4,
					KBUFFER_ENDIAN_LITTLE);
		if (!c->page || !c->kbuf) {
			snprintf(err, errlen, "out of memory");
			tf_reader_close(r);
			return NULL;
		}
	}
	return r;
}

/* Makes c->rec the CPU's next event; 0 when its buffer is empty for now,
 * -1 on a read error. */
static int cpu_next(struct tf_reader *r, struct tf_cpu *c, int cpu)
{
	unsigned long long ts;
	void *data;
	while (c->fd >= 0) {
		if (c->loaded && (data = kbuffer_read_event(c->kbuf, &ts))) {
			memset(&c->rec, 0, sizeof c->rec);
			c->rec.ts = ts;
			c->rec.data = data;
			c->rec.size = kbuffer_event_size(c->kbuf);
			c->rec.cpu = cpu;
			return 1;
		}
		c->loaded = 0;
		ssize_t n = read(c->fd, c->page, r->subbuf);
		if (n < 0 && (errno == EAGAIN || errno == EINTR))
			return 0;
		if (n < 0)
			return -1;
		if (n == 0)
			return 0;
		if (kbuffer_load_subbuffer(c->kbuf, c->page) < 0)
			return -1;
		c->loaded = 1;
	}
	return 0;
}

long tf_reader_drain(struct tf_reader *r, tf_reader_cb cb, void *ctx)
{
	long n = 0;
	for (;;) {
		struct tf_cpu *min = NULL;
		int min_cpu = 0;
		for (int i = 0; i < r->ncpu; i++) {
			struct tf_cpu *c = &r->cpu[i];
			if (!c->have) {
				int rc = cpu_next(r, c, i);
				if (rc < 0)
					return -1;
				c->have = rc;
			}
			if (c->have && (!min || c->rec.ts < min->rec.ts)) {
				min = c;
				min_cpu = i;
			}
		}
		if (!min)
			return n;
		/* common_type is the record's first field (u16) */
		unsigned short id = *(const unsigned short *)min->rec.data;
		struct tep_event *ev = id < TF_EVENT_IDS ? r->by_id[id] : NULL;
		if (!ev && (ev = tep_find_event_by_record(r->tep, &min->rec)) && id < TF_EVENT_IDS)
			r->by_id[id] = ev;
		if (ev)
			cb(ev, &min->rec, min_cpu, ctx);
		kbuffer_next_event(min->kbuf, NULL);
		min->have = 0;
		n++;
	}
}
