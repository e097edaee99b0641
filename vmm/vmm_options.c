// SPDX-License-Identifier: MIT
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "irqpath/guest_abi.h"
#include "guest_text.h"
#include "vmm_options.h"
#include "vmm_transport.h"

static const char *const hostile_names[GABI_HOSTILE_COUNT] = {
    "none",	    "desc-out-of-ram", "bad-queue-index", "desc-loop",	   "zero-len",
    "huge-len",	    "ring-out-of-ram", "msi-bad-vector",  "doorbell-past", "bar-past",
    "msix-garbage", "status-register", "flood",		  "fake-counts",
};

/* The transports each scenario can misprogram (bit enum gabi_transport). */
#define T_ALL 7u
#define T_MSI (1u << GABI_TRANSPORT_MMIO_V3 | 1u << GABI_TRANSPORT_PCI)
#define T_PCI (1u << GABI_TRANSPORT_PCI)
static const unsigned hostile_transports[GABI_HOSTILE_COUNT] = {
    [GABI_HOSTILE_NONE] = T_ALL,
    [GABI_HOSTILE_DESC_OUT_OF_RAM] = T_ALL,
    [GABI_HOSTILE_BAD_QUEUE_INDEX] = T_ALL,
    [GABI_HOSTILE_DESC_LOOP] = T_ALL,
    [GABI_HOSTILE_ZERO_LEN] = T_ALL,
    [GABI_HOSTILE_HUGE_LEN] = T_ALL,
    [GABI_HOSTILE_RING_OUT_OF_RAM] = T_ALL,
    [GABI_HOSTILE_MSI_BAD_VECTOR] = T_MSI,
    [GABI_HOSTILE_DOORBELL_PAST] = T_MSI,
    [GABI_HOSTILE_BAR_PAST] = T_PCI,
    [GABI_HOSTILE_MSIX_GARBAGE] = T_PCI,
    [GABI_HOSTILE_STATUS_REG] = T_ALL,
    [GABI_HOSTILE_FLOOD] = T_ALL,
    [GABI_HOSTILE_FAKE_COUNTS] = T_ALL,
};

const char *vmm_profile_name(const struct vmm_transport *p)
{
	return p->name;
}

const char *vmm_hostile_name(unsigned h)
{
	return h < GABI_HOSTILE_COUNT ? hostile_names[h] : "?";
}

static void usage(FILE *f)
{
	char names[256];
	fprintf(
	    f,
	    "Usage: irqpath-vmm --profile PROFILE --guest FILE [options]\n"
	    "       irqpath-vmm --profile PROFILE --kernel bzImage [--initrd F] [--append S]\n"
	    "\n"
	    "Runs a KVM guest with one virtio-net device and a request/response\n"
	    "workload, and reports what each transaction cost.\n"
	    "\n"
	    "  --profile P        %s (the device's transport)\n"
	    "  --guest FILE       ELF64 micro-guest (build/guest/microguest.elf)\n"
	    "  --kernel FILE      a Linux bzImage instead (Linux boot protocol; needs a\n"
	    "                     host where KVM runs guest code natively)\n"
	    "  --initrd FILE      its initramfs; --append adds to its command line\n"
	    "  --transactions N   run N request/response transactions (default 1000)\n"
	    "  --duration SECS    run for SECS seconds instead\n"
	    "  --req BYTES        request payload bytes (default 32)\n"
	    "  --resp BYTES       response payload bytes (default 1024, max 2000)\n"
	    "  --backend B        reflect (built-in peer, default) | tap\n"
	    "  --tap NAME         tap interface for --backend tap\n"
	    "  --notify MODE      ioeventfd (default: no exit to user space) | exit\n"
	    "  --vcpus N          vCPUs, 1..64 (default 1); vCPU i has x2APIC ID i and\n"
	    "                     runs the micro-guest's client on queue pair i\n"
	    "  --queues P         virtio-net queue pairs, 1..16 (default 1); P > 1 offers\n"
	    "                     VIRTIO_NET_F_MQ and the control queue (micro-guest: P >= N)\n"
	    "  --msi-vectors M    MSI entries the device offers: v3 vectors, pci MSI-X\n"
	    "                     table size (default one per queue + config: 2P + 2,\n"
	    "                     3 with one pair); fewer are shared (guest_abi.h)\n"
	    "  --hostile S        make the guest misprogram the device: desc-out-of-ram,\n"
	    "                     bad-queue-index, desc-loop, zero-len, huge-len,\n"
	    "                     ring-out-of-ram, msi-bad-vector, doorbell-past,\n"
	    "                     bar-past, msix-garbage (those four: v3/pci, pci only),\n"
	    "                     status-register, flood, fake-counts\n"
	    "  --mask-probe       mmio-v3: the micro-guest masks rx's vector, raises one\n"
	    "                     interrupt into the mask and unmasks (vmm.variant.mask_probe)\n"
	    "  --mem MIB          guest RAM (default 32)\n"
	    "  --json FILE        write results (schema irqpath-vmm/1) atomically (- for stdout)\n"
	    "  --layout FILE      write the device layout (irqpath-layout/1) for tracers\n"
	    "  --console FILE     guest serial output to FILE (default: stderr)\n"
	    "  --console-budget N at most N bytes of guest console output per run, escaped\n"
	    "                     (default 1 MiB); then one line says the rest is dropped\n"
	    "  --timeout SECS     give up after SECS (default 120)\n"
	    "  -q, --quiet        no progress or summary\n"
	    "  -h, --help         this text\n"
	    "\n"
	    "Exit status: 0 done; 1 guest or device failure (fault, timeout, guest\n"
	    "error); 2 bad usage or input; 3 KVM unavailable; 130 interrupted.\n",
	    vmm_transport_names(" | ", names, sizeof(names)));
}

static int parse_u64(const char *opt, const char *s, uint64_t min, uint64_t max, uint64_t *out)
{
	char *end;
	errno = 0;
	unsigned long long v = strtoull(s, &end, 0);
	if (errno || *end || end == s || s[0] == '-' || v < min || v > max) {
		fprintf(stderr, "irqpath-vmm: %s: '%s' is not an integer in %llu..%llu\n", opt, s,
			(unsigned long long)min, (unsigned long long)max);
		return -1;
	}
	*out = v;
	return 0;
}

static int parse_secs(const char *opt, const char *s, double *out)
{
	char *end;
	double v = strtod(s, &end);
	if (*end || end == s || !(v > 0) || v > 86400) {
		fprintf(stderr, "irqpath-vmm: %s: '%s' is not a number of seconds in (0, 86400]\n",
			opt, s);
		return -1;
	}
	*out = v;
	return 0;
}

static int parse_profile(struct vmm_options *o, const char *name)
{
	o->profile = vmm_transport_find(name);
	if (!o->profile) {
		char names[256];
		fprintf(stderr, "irqpath-vmm: unknown profile '%s' (%s)\n", name,
			vmm_transport_names(", ", names, sizeof(names)));
		return 2;
	}
	return 0;
}

static int parse_hostile(struct vmm_options *o, const char *name)
{
	for (unsigned h = 0; h < GABI_HOSTILE_COUNT; h++)
		if (!strcmp(name, hostile_names[h])) {
			o->hostile = h;
			return 0;
		}
	fprintf(stderr, "irqpath-vmm: unknown --hostile scenario '%s'\n", name);
	return 2;
}

static int parse_choice(const char *opt, const char *s, const char *a, const char *b)
{
	if (!strcmp(s, a) || !strcmp(s, b))
		return 0;
	fprintf(stderr, "irqpath-vmm: %s must be %s or %s, not '%s'\n", opt, a, b, s);
	return 2;
}

/* Workload and guest options; 0 ok, 2 bad value, -1 not one of these. */
static int parse_workload(struct vmm_options *o, int c, const char *arg, bool *have_n)
{
	uint64_t v;
	switch (c) {
	case 'n':
		*have_n = true;
		return parse_u64("--transactions", arg, 1, 1ull << 40, &o->transactions) ? 2 : 0;
	case 'd':
		return parse_secs("--duration", arg, &o->duration_s) ? 2 : 0;
	case 'r':
		if (parse_u64("--req", arg, 8, 1500, &v))
			return 2;
		o->req = (unsigned)v;
		return 0;
	case 'R':
		if (parse_u64("--resp", arg, 8, 2000, &v))
			return 2;
		o->resp = (unsigned)v;
		return 0;
	case 'H':
		return parse_hostile(o, arg);
	case 'P':
		o->mask_probe = true;
		return 0;
	case 'g':
		o->guest = arg;
		return 0;
	case 'K':
		o->kernel = arg;
		return 0;
	case 'I':
		o->initrd = arg;
		return 0;
	case 'A':
		o->append = arg;
		return 0;
	}
	return -1;
}

/* Device and machine options; 0 ok, 2 bad value, -1 not one of these. */
static int parse_device(struct vmm_options *o, int c, const char *arg)
{
	uint64_t v;
	switch (c) {
	case 'p':
		return parse_profile(o, arg);
	case 'b':
		if (parse_choice("--backend", arg, "reflect", "tap"))
			return 2;
		o->backend = arg;
		return 0;
	case 't':
		o->tap = arg;
		return 0;
	case 'N':
		if (parse_choice("--notify", arg, "ioeventfd", "exit"))
			return 2;
		o->notify_exit = !strcmp(arg, "exit");
		return 0;
	case 'v':
		if (parse_u64("--msi-vectors", arg, 1, 64, &v))
			return 2;
		o->msi_vectors = (unsigned)v;
		o->msi_vectors_given = true;
		return 0;
	case 'C':
		if (parse_u64("--vcpus", arg, 1, GABI_MAX_VCPUS, &v))
			return 2;
		o->vcpus = (unsigned)v;
		return 0;
	case 'Q':
		if (parse_u64("--queues", arg, 1, GABI_MAX_PAIRS, &v))
			return 2;
		o->queues = (unsigned)v;
		return 0;
	case 'm':
		if (parse_u64("--mem", arg, 16, 3072, &v))
			return 2;
		o->mem_mib = (unsigned)v;
		return 0;
	}
	return -1;
}

/* Output options; 0 ok, 2 bad value, -1 not one of these. */
static int parse_output(struct vmm_options *o, int c, const char *arg)
{
	switch (c) {
	case 'j':
		o->json = arg;
		return 0;
	case 'l':
		o->layout = arg;
		return 0;
	case 'c':
		o->console = arg;
		return 0;
	case 'B': {
		uint64_t v;
		if (parse_u64("--console-budget", arg, 1, 1ull << 40, &v))
			return 2;
		o->console_budget = v;
		return 0;
	}
	case 'T':
		return parse_secs("--timeout", arg, &o->timeout_s) ? 2 : 0;
	case 'q':
		o->quiet = true;
		return 0;
	}
	return -1;
}

/* Combinations the options allow; 0 or 2 (message printed). */
static int check_options(struct vmm_options *o, bool have_n)
{
	if (!o->profile || !o->guest == !o->kernel) {
		fprintf(stderr,
			"irqpath-vmm: --profile and one of --guest or --kernel are required "
			"(see --help)\n");
		return 2;
	}
	if (!o->kernel && (o->initrd || o->append)) {
		fprintf(stderr, "irqpath-vmm: --initrd and --append go with --kernel\n");
		return 2;
	}
	if (o->kernel && (o->hostile || have_n)) {
		fprintf(stderr,
			"irqpath-vmm: a Linux guest runs its own workload: --transactions and "
			"--hostile apply to the micro-guest only\n");
		return 2;
	}
	if (o->hostile && !(hostile_transports[o->hostile] & 1u << o->profile->gabi_transport)) {
		fprintf(stderr,
			"irqpath-vmm: --hostile %s does not apply to profile %s (it needs %s)\n",
			hostile_names[o->hostile], o->profile->name,
			hostile_transports[o->hostile] == T_PCI ? "pci" : "mmio-v3 or pci");
		return 2;
	}
	if (o->mask_probe && (o->kernel || o->profile->gabi_transport != GABI_TRANSPORT_MMIO_V3)) {
		/* the variants with a mask probe in every run */
		fprintf(stderr, "irqpath-vmm: --mask-probe is for mmio-v3's micro-guest\n");
		return 2;
	}
	if (o->duration_s > 0 && have_n) {
		fprintf(stderr, "irqpath-vmm: give --transactions or --duration, not both\n");
		return 2;
	}
	if (!strcmp(o->backend, "tap") && !o->tap) {
		fprintf(stderr, "irqpath-vmm: --backend tap needs --tap NAME\n");
		return 2;
	}
	if (!o->kernel && o->vcpus > o->queues) {
		fprintf(stderr,
			"irqpath-vmm: --vcpus %u needs --queues %u or more: the micro-guest runs "
			"one client per vCPU, each on its own queue pair\n",
			o->vcpus, o->vcpus);
		return 2;
	}
	if (!o->msi_vectors_given)
		o->msi_vectors = gabi_num_queues(o->queues) + 1;
	if (o->duration_s > 0 || o->kernel)
		o->transactions = 0;
	if (o->duration_s > 0 && o->timeout_s <= o->duration_s)
		o->timeout_s = o->duration_s + 60;
	return 0;
}

static void set_defaults(struct vmm_options *o)
{
	memset(o, 0, sizeof(*o));
	o->transactions = 1000;
	o->req = 32;
	o->resp = 1024;
	o->backend = "reflect";
	o->msi_vectors = 3;
	o->vcpus = 1;
	o->queues = 1;
	o->mem_mib = 32;
	o->console_budget = GTEXT_STREAM_BUDGET;
	o->timeout_s = 120;
}

int vmm_options_parse(struct vmm_options *o, int argc, char **argv)
{
	static const struct option longopts[] = {
	    {"profile", required_argument, 0, 'p'},
	    {"guest", required_argument, 0, 'g'},
	    {"kernel", required_argument, 0, 'K'},
	    {"initrd", required_argument, 0, 'I'},
	    {"append", required_argument, 0, 'A'},
	    {"transactions", required_argument, 0, 'n'},
	    {"duration", required_argument, 0, 'd'},
	    {"req", required_argument, 0, 'r'},
	    {"resp", required_argument, 0, 'R'},
	    {"backend", required_argument, 0, 'b'},
	    {"tap", required_argument, 0, 't'},
	    {"notify", required_argument, 0, 'N'},
	    {"msi-vectors", required_argument, 0, 'v'},
	    {"vcpus", required_argument, 0, 'C'},
	    {"queues", required_argument, 0, 'Q'},
	    {"hostile", required_argument, 0, 'H'},
	    {"mask-probe", no_argument, 0, 'P'},
	    {"mem", required_argument, 0, 'm'},
	    {"json", required_argument, 0, 'j'},
	    {"layout", required_argument, 0, 'l'},
	    {"console", required_argument, 0, 'c'},
	    {"console-budget", required_argument, 0, 'B'},
	    {"timeout", required_argument, 0, 'T'},
	    {"quiet", no_argument, 0, 'q'},
	    {"help", no_argument, 0, 'h'},
	    {0, 0, 0, 0},
	};
	bool have_n = false;
	int c;
	set_defaults(o);
	optind = 1;
	while ((c = getopt_long(argc, argv, "qh", longopts, NULL)) != -1) {
		if (c == 'h') {
			usage(stdout);
			return 1;
		}
		int rc = parse_workload(o, c, optarg, &have_n);
		if (rc < 0)
			rc = parse_device(o, c, optarg);
		if (rc < 0)
			rc = parse_output(o, c, optarg);
		if (rc < 0)
			usage(stderr);
		if (rc)
			return 2;
	}
	if (optind < argc) {
		fprintf(stderr, "irqpath-vmm: unexpected argument '%s'\n", argv[optind]);
		return 2;
	}
	return check_options(o, have_n);
}
