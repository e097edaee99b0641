// SPDX-License-Identifier: MIT
/*
 * The threads of a run: one per vCPU (KVM_RUN and the exits that reach
 * user space, named "vcpu<i>" so a tracer maps a TID to a vCPU) and the
 * I/O thread (ioeventfd doorbells, resample events, tap frames, timers).
 * Only the I/O thread runs the device's queue processing for doorbells;
 * the vCPU threads run register accesses (under the device lock).
 */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/ioctl.h>
#include <sys/timerfd.h>
#include <time.h>
#include <unistd.h>
#include "vmm.h"

#define UART_ISA_IRQ 4	     /* COM1 */
#define PORT_KBD_STATUS 0x64 /* i8042 status / command */

static struct vmm *g_vmm; /* for the signal handler */

double vmm_now(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

/* immediate_exit for the next KVM_RUN, SIGUSR1 for the one under way. */
static void kick_vcpus(struct vmm *m)
{
	for (int i = 0; i < m->vm.nvcpus; i++)
		if (m->vm.vcpu[i].run)
			m->vm.vcpu[i].run->immediate_exit = 1;
	for (int i = 0; i < m->vm.nvcpus; i++)
		if (m->vm.vcpu[i].thread_started &&
		    !pthread_equal(m->vm.vcpu[i].thread, pthread_self()))
			pthread_kill(m->vm.vcpu[i].thread, SIGUSR1);
}

void vmm_stop_all(struct vmm *m, enum vmm_stop why)
{
	if (m->stop == STOP_NONE)
		m->stop = why;
	kick_vcpus(m);
}

static void on_signal(int sig)
{
	struct vmm *m = g_vmm;
	if (!m)
		return;
	if (sig == SIGUSR1) { /* a kick: only this thread's KVM_RUN must return */
		return;
	}
	vmm_stop_all(m, STOP_SIGNAL);
}

void vmm_install_signals(struct vmm *m)
{
	struct sigaction sa;
	g_vmm = m;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal; /* no SA_RESTART: KVM_RUN must return EINTR */
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGUSR1, &sa, NULL);
}

/* ---- I/O thread ---- */

enum { EV_NOTIFY0 = 0, EV_RESAMPLE = 64, EV_STOP, EV_DURATION, EV_TIMEOUT, EV_TAP0 };

static int add_fd(int ep, int fd, uint64_t tag)
{
	struct epoll_event e = {.events = EPOLLIN, .data.u64 = tag};
	return fd < 0 ? 0 : epoll_ctl(ep, EPOLL_CTL_ADD, fd, &e);
}

static uint64_t drain(int fd)
{
	uint64_t v = 0;
	if (read(fd, &v, sizeof(v)) != sizeof(v))
		return 0;
	return v;
}

static int arm_timer(double secs)
{
	int fd = timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC | TFD_NONBLOCK);
	if (fd < 0)
		return -1;
	struct itimerspec its = {0};
	its.it_value.tv_sec = (time_t)secs;
	its.it_value.tv_nsec = (long)((secs - (double)(time_t)secs) * 1e9);
	if (its.it_value.tv_sec == 0 && its.it_value.tv_nsec == 0)
		its.it_value.tv_nsec = 1;
	timerfd_settime(fd, 0, &its, NULL);
	return fd;
}

static void *io_main(void *arg)
{
	struct vmm *m = arg;
	sigset_t all;
	sigfillset(&all);
	pthread_sigmask(SIG_BLOCK, &all, NULL); /* signals go to the vCPU thread */

	int ep = epoll_create1(EPOLL_CLOEXEC);
	int dur_fd = m->opt.duration_s > 0 ? arm_timer(m->opt.duration_s) : -1;
	int tmo_fd = arm_timer(m->opt.timeout_s);
	struct net_backend *be = virtio_net_backend(m->net);
	for (unsigned q = 0; q < VIRTIO_MAX_QUEUES; q++)
		add_fd(ep, m->notify_fd[q], EV_NOTIFY0 + q);
	add_fd(ep, m->resample_fd, EV_RESAMPLE);
	for (unsigned p = 0; p < be->nfds; p++)
		add_fd(ep, be->fds[p], EV_TAP0 + p);
	add_fd(ep, m->stop_fd, EV_STOP);
	add_fd(ep, dur_fd, EV_DURATION);
	add_fd(ep, tmo_fd, EV_TIMEOUT);

	for (bool done = false; !done;) {
		struct epoll_event ev[8];
		int n = epoll_wait(ep, ev, 8, -1);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			break;
		for (int i = 0; i < n; i++) {
			uint64_t tag = ev[i].data.u64;
			if (tag < EV_RESAMPLE) {
				uint64_t cnt = drain(m->notify_fd[tag]);
				if (!cnt)
					continue;
				pthread_mutex_lock(&m->dev->lock);
				virtio_dev_notify_n(m->dev, (unsigned)tag, cnt);
				pthread_mutex_unlock(&m->dev->lock);
			} else if (tag == EV_RESAMPLE) {
				drain(m->resample_fd);
				if (m->opt.profile->resample)
					m->opt.profile->resample(m);
			} else if (tag >= EV_TAP0) {
				pthread_mutex_lock(&m->dev->lock);
				be->poll_in(be, (unsigned)(tag - EV_TAP0));
				pthread_mutex_unlock(&m->dev->lock);
			} else if (tag == EV_DURATION) {
				drain(dur_fd);
				if (m->mb) {
					__atomic_store_n(&m->mb->stop, 1, __ATOMIC_RELEASE);
				} else { /* a Linux guest: the run simply ends */
					vmm_stop_all(m, STOP_DURATION);
				}
			} else if (tag == EV_TIMEOUT) {
				drain(tmo_fd);
				vmm_stop_all(m, STOP_TIMEOUT);
			} else if (tag == EV_STOP) {
				done = true;
			}
		}
	}
	close(ep);
	if (dur_fd >= 0)
		close(dur_fd);
	if (tmo_fd >= 0)
		close(tmo_fd);
	return NULL;
}

int vmm_start_io_thread(struct vmm *m, char *err, size_t errlen)
{
	int rc = pthread_create(&m->io_thread, NULL, io_main, m);
	if (rc) {
		snprintf(err, errlen, "cannot start the I/O thread: %s", strerror(rc));
		return -1;
	}
	m->io_running = true;
	return 0;
}

void vmm_stop_io_thread(struct vmm *m)
{
	if (!m->io_running)
		return;
	uint64_t one = 1;
	if (write(m->stop_fd, &one, sizeof(one)) != sizeof(one))
		perror("irqpath-vmm: stop I/O thread");
	pthread_join(m->io_thread, NULL);
	m->io_running = false;
}

/* ---- vCPU exits ---- */

static struct bus_region *find_region(struct bus_region *r, unsigned n, uint64_t addr, unsigned len)
{
	for (unsigned i = 0; i < n; i++)
		if (addr >= r[i].base && addr - r[i].base < r[i].size &&
		    len <= r[i].size - (addr - r[i].base))
			return &r[i];
	return NULL;
}

/* COM1 (uart16550.c): bytes to the console file and the console watcher. */
static void serial_tx(void *opaque, uint8_t byte)
{
	struct vmm *m = opaque;
	m->exits.serial_bytes++;
	if (!m->mb) {
		enum guest_console_event e = guest_console_feed(&m->gcon, byte);
		if (e == GCE_REPORT && m->console) {
			/* the agent's report begins: show it now */
			gtext_stream_put(&m->console_out, m->console, byte);
			fflush(m->console);
			return;
		}
		if (m->gcon.halted && m->stop == STOP_NONE) {
			m->end_reason = "guest halt or poweroff (\"reboot: System halted\")";
			vmm_stop_all(m, STOP_GUEST_EXIT);
		}
	}
	/* escaped and bounded: guest bytes never reach a terminal raw */
	gtext_stream_put(&m->console_out, m->console, byte);
}

/* The UART's line is ISA IRQ 4: edge on the IOAPIC (MP table), pin 4 on the PIC. */
static void serial_irq(void *opaque, bool level)
{
	struct vmm *m = opaque;
	if (kvm_irq_line(&m->vm, UART_ISA_IRQ, level))
		fprintf(stderr, "irqpath-vmm: KVM_IRQ_LINE %u: %s\n", UART_ISA_IRQ,
			strerror(errno));
}

void vmm_serial_init(struct vmm *m)
{
	uart16550_init(&m->uart, serial_tx, serial_irq, m);
	guest_console_init(&m->gcon);
}

static bool serial_io(struct vmm *m, uint16_t port, bool out, uint8_t *data, unsigned size)
{
	if (port < GABI_PORT_SERIAL || port >= GABI_PORT_SERIAL + UART_REG_COUNT)
		return false;
	unsigned reg = port - GABI_PORT_SERIAL;
	pthread_mutex_lock(&m->serial_lock);
	if (out)
		uart16550_write(&m->uart, reg, data[0]);
	else {
		memset(data, 0, size);
		data[0] = uart16550_read(&m->uart, reg);
	}
	pthread_mutex_unlock(&m->serial_lock);
	return true;
}

static void handle_io(struct vmm *m, struct vmm_exit_counts *ex, struct kvm_run *run)
{
	uint8_t *base = (uint8_t *)run + run->io.data_offset;
	bool out = run->io.direction == KVM_EXIT_IO_OUT;
	ex->io++;
	for (uint32_t i = 0; i < run->io.count; i++) {
		uint8_t *data = base + i * run->io.size;
		uint16_t port = run->io.port;
		if (serial_io(m, port, out, data, run->io.size))
			continue;
		if (!m->mb && port == PORT_KBD_STATUS) {
			/* Linux's reboot: wait for an empty input buffer, then pulse reset */
			if (!out)
				memset(data, 0, run->io.size); /* status: buffers empty */
			else if (data[0] == 0xfe) {
				m->end_reason = "keyboard-controller reset";
				vmm_stop_all(m, STOP_GUEST_EXIT);
			}
			continue;
		}
		if (port == GABI_PORT_EXIT && out && run->io.size == 4 && m->mb) {
			memcpy(&m->guest_exit_status, data, 4);
			vmm_stop_all(m, STOP_GUEST_EXIT);
			continue;
		}
		struct bus_region *r =
		    find_region(m->pio_regions, m->n_pio_regions, port, run->io.size);
		if (r) {
			r->access(r->opaque, port - r->base, out, data, run->io.size);
			continue;
		}
		ex->io_unclaimed++;
		if (!out)
			memset(data, 0xff, run->io.size);
	}
}

static void handle_mmio(struct vmm *m, struct vmm_exit_counts *ex, struct kvm_run *run)
{
	uint64_t gpa = run->mmio.phys_addr;
	unsigned len = run->mmio.len;
	ex->mmio++;
	struct bus_region *r = find_region(m->mmio_regions, m->n_mmio_regions, gpa, len);
	if (r && len <= 8) {
		r->access(r->opaque, gpa - r->base, run->mmio.is_write, run->mmio.data, len);
		return;
	}
	ex->mmio_unclaimed++;
	if (!run->mmio.is_write)
		memset(run->mmio.data, 0xff, sizeof(run->mmio.data));
}

/* One exit that ends the run for every vCPU, with its registers on stderr. */
static void fatal_exit(struct vmm *m, struct kvm_vcpu *v, const char *why)
{
	kvm_vcpu_dump(v, why);
	vmm_stop_all(m, STOP_FATAL);
}

static void handle_exit(struct vmm *m, struct kvm_vcpu *v, struct vmm_exit_counts *ex)
{
	struct kvm_run *run = v->run;
	switch (run->exit_reason) {
	case KVM_EXIT_IO:
		handle_io(m, ex, run);
		break;
	case KVM_EXIT_MMIO:
		handle_mmio(m, ex, run);
		break;
	case KVM_EXIT_HLT:
		ex->hlt++;
		break;
	case KVM_EXIT_INTR:
		break;
	case KVM_EXIT_SHUTDOWN:
		ex->shutdown++;
		if (!m->mb) { /* Linux's last-resort reboot is a triple fault */
			m->end_reason = "triple fault (KVM_EXIT_SHUTDOWN)";
			vmm_stop_all(m, STOP_GUEST_EXIT);
			break;
		}
		fatal_exit(m, v, "guest shut down (triple fault)");
		break;
	case KVM_EXIT_INTERNAL_ERROR:
		ex->internal++;
		fatal_exit(m, v, "KVM internal error (instruction emulation failed)");
		break;
	case KVM_EXIT_FAIL_ENTRY:
		fatal_exit(m, v, "VM entry failed");
		break;
	default:
		ex->other++;
		fprintf(stderr, "irqpath-vmm: unexpected exit reason %u\n", run->exit_reason);
		fatal_exit(m, v, "unexpected exit");
	}
}

struct vcpu_arg {
	struct vmm *m;
	int index;
};

static void *vcpu_main(void *arg)
{
	struct vmm *m = ((struct vcpu_arg *)arg)->m;
	int i = ((struct vcpu_arg *)arg)->index;
	struct kvm_vcpu *v = &m->vm.vcpu[i];
	struct vmm_exit_counts *ex = &m->vcpu_exits[i];
	v->tid = gettid();
	pthread_barrier_wait(&m->vcpu_start);
	while (m->stop == STOP_NONE) {
		int rc = ioctl(v->fd, KVM_RUN, 0);
		if (rc < 0) {
			if (errno == EINTR || errno == EAGAIN) {
				v->run->immediate_exit = 0;
				continue;
			}
			fprintf(stderr, "irqpath-vmm: vCPU %d: KVM_RUN: %s\n", i, strerror(errno));
			vmm_stop_all(m, STOP_FATAL);
			break;
		}
		ex->total++;
		handle_exit(m, v, ex);
	}
	pthread_mutex_lock(&m->exit_lock);
	m->vcpus_exited++;
	pthread_cond_signal(&m->exit_cv);
	pthread_mutex_unlock(&m->exit_lock);
	return NULL;
}

static void sum_exits(struct vmm *m)
{
	struct vmm_exit_counts *t = &m->exits;
	for (int i = 0; i < m->vm.nvcpus; i++) {
		const struct vmm_exit_counts *e = &m->vcpu_exits[i];
		t->total += e->total;
		t->io += e->io;
		t->mmio += e->mmio;
		t->hlt += e->hlt;
		t->shutdown += e->shutdown;
		t->internal += e->internal;
		t->other += e->other;
		t->mmio_unclaimed += e->mmio_unclaimed;
		t->io_unclaimed += e->io_unclaimed;
	}
}

enum vmm_stop vmm_run_vcpus(struct vmm *m)
{
	int n = m->vm.nvcpus;
	struct vcpu_arg args[KVM_MAX_VCPUS];
	pthread_barrier_init(&m->vcpu_start, NULL, (unsigned)n + 1);
	m->t_start = vmm_now();
	for (int i = 0; i < n; i++) {
		struct kvm_vcpu *v = &m->vm.vcpu[i];
		args[i] = (struct vcpu_arg){m, i};
		int rc = pthread_create(&v->thread, NULL, vcpu_main, &args[i]);
		if (rc) {
			fprintf(stderr, "irqpath-vmm: cannot start vCPU %d: %s\n", i, strerror(rc));
			exit(1); /* the barrier would wait for it forever */
		}
		v->thread_started = true;
		char name[16];
		snprintf(name, sizeof(name), "vcpu%d", i);
		pthread_setname_np(v->thread, name);
	}
	pthread_barrier_wait(&m->vcpu_start); /* names and TIDs are set: go */
	/*
	 * Wait for every vCPU thread to leave its loop, but join them only
	 * once nothing can kick them any more (vmm_join_vcpus).
	 */
	pthread_mutex_lock(&m->exit_lock);
	while (m->vcpus_exited < n)
		pthread_cond_wait(&m->exit_cv, &m->exit_lock);
	pthread_mutex_unlock(&m->exit_lock);
	m->t_end = vmm_now();
	sum_exits(m);
	if (m->stop == STOP_TIMEOUT)
		kvm_vcpu_dump(&m->vm.vcpu[0], "timeout: guest did not finish");
	return (enum vmm_stop)m->stop;
}

void vmm_join_vcpus(struct vmm *m)
{
	for (int i = 0; i < m->vm.nvcpus; i++) {
		struct kvm_vcpu *v = &m->vm.vcpu[i];
		if (!v->thread_started)
			continue;
		v->thread_started = false; /* no kick reaches a joined thread */
		pthread_join(v->thread, NULL);
	}
}
