// SPDX-License-Identifier: MIT
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "irqpath/guest_abi.h"
#include "vmm_options.h"

static const char *const profile_names[] = {"mmio-legacy", "mmio-v3", "pci"};

static const char *const hostile_names[GABI_HOSTILE_COUNT] = {
    "none",	     "desc-out-of-ram", "bad-queue-index", "desc-loop",
    "zero-len",	     "huge-len",	"ring-out-of-ram", "msi-bad-vector",
    "doorbell-past", "bar-past",	"msix-garbage",
};

const char *vmm_profile_name(enum vmm_profile p)
{
	return profile_names[p];
}

int vmm_profile_parse(const char *s, enum vmm_profile *p)
{
	for (unsigned i = 0; i < 3; i++)
		if (!strcmp(s, profile_names[i])) {
			*p = (enum vmm_profile)i;
			return 0;
		}
	return -1;
}

const char *vmm_hostile_name(unsigned h)
{
	return h < GABI_HOSTILE_COUNT ? hostile_names[h] : "?";
}

static void usage(FILE *f)
{
	fprintf(f,
		"Usage: irqpath-vmm --profile PROFILE --guest FILE [options]\n"
		"       irqpath-vmm --profile PROFILE --kernel bzImage [--initrd F] [--append S]\n"
		"\n"
		"Runs a KVM guest with one virtio-net device and a request/response\n"
		"workload, and reports what each transaction cost.\n"
		"\n"
		"  --profile P        mmio-legacy | mmio-v3 | pci (the device's transport)\n"
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
		"  --msi-vectors N    MSI vectors a v3 device offers (default 3)\n"
		"  --hostile S        make the guest misprogram the device: desc-out-of-ram,\n"
		"                     bad-queue-index, desc-loop, zero-len, huge-len,\n"
		"                     ring-out-of-ram, msi-bad-vector, doorbell-past,\n"
		"                     bar-past, msix-garbage\n"
		"  --mem MIB          guest RAM (default 32)\n"
		"  --json FILE        write results (schema irqpath-vmm/1) atomically (- for stdout)\n"
		"  --layout FILE      write the device layout (irqpath-layout/1) for tracers\n"
		"  --console FILE     guest serial output to FILE (default: stderr)\n"
		"  --timeout SECS     give up after SECS (default 120)\n"
		"  -q, --quiet        no progress or summary\n"
		"  -h, --help         this text\n"
		"\n"
		"Exit status: 0 done; 1 guest or device failure (fault, timeout, guest\n"
		"error); 2 bad usage or input; 3 KVM unavailable; 130 interrupted.\n");
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
	    {"hostile", required_argument, 0, 'H'},
	    {"mem", required_argument, 0, 'm'},
	    {"json", required_argument, 0, 'j'},
	    {"layout", required_argument, 0, 'l'},
	    {"console", required_argument, 0, 'c'},
	    {"timeout", required_argument, 0, 'T'},
	    {"quiet", no_argument, 0, 'q'},
	    {"help", no_argument, 0, 'h'},
	    {0, 0, 0, 0},
	};
	memset(o, 0, sizeof(*o));
	o->transactions = 1000;
	o->req = 32;
	o->resp = 1024;
	o->backend = "reflect";
	o->msi_vectors = 3;
	o->mem_mib = 32;
	o->timeout_s = 120;
	bool have_profile = false, have_n = false;
	uint64_t v;
	int c;

	optind = 1;
	while ((c = getopt_long(argc, argv, "qh", longopts, NULL)) != -1) {
		switch (c) {
		case 'p':
			if (vmm_profile_parse(optarg, &o->profile)) {
				fprintf(stderr,
					"irqpath-vmm: unknown profile '%s' (mmio-legacy, mmio-v3, "
					"pci)\n",
					optarg);
				return 2;
			}
			have_profile = true;
			break;
		case 'g':
			o->guest = optarg;
			break;
		case 'K':
			o->kernel = optarg;
			break;
		case 'I':
			o->initrd = optarg;
			break;
		case 'A':
			o->append = optarg;
			break;
		case 'n':
			if (parse_u64("--transactions", optarg, 1, 1ull << 40, &o->transactions))
				return 2;
			have_n = true;
			break;
		case 'd':
			if (parse_secs("--duration", optarg, &o->duration_s))
				return 2;
			break;
		case 'r':
			if (parse_u64("--req", optarg, 8, 1500, &v))
				return 2;
			o->req = (unsigned)v;
			break;
		case 'R':
			if (parse_u64("--resp", optarg, 8, 2000, &v))
				return 2;
			o->resp = (unsigned)v;
			break;
		case 'b':
			if (strcmp(optarg, "reflect") && strcmp(optarg, "tap")) {
				fprintf(stderr,
					"irqpath-vmm: unknown backend '%s' (reflect, tap)\n",
					optarg);
				return 2;
			}
			o->backend = optarg;
			break;
		case 't':
			o->tap = optarg;
			break;
		case 'N':
			if (strcmp(optarg, "ioeventfd") && strcmp(optarg, "exit")) {
				fprintf(stderr,
					"irqpath-vmm: --notify must be ioeventfd or exit\n");
				return 2;
			}
			o->notify_exit = !strcmp(optarg, "exit");
			break;
		case 'v':
			if (parse_u64("--msi-vectors", optarg, 1, 64, &v))
				return 2;
			o->msi_vectors = (unsigned)v;
			break;
		case 'H': {
			unsigned h;
			for (h = 0; h < GABI_HOSTILE_COUNT; h++)
				if (!strcmp(optarg, hostile_names[h]))
					break;
			if (h == GABI_HOSTILE_COUNT) {
				fprintf(stderr, "irqpath-vmm: unknown --hostile scenario '%s'\n",
					optarg);
				return 2;
			}
			o->hostile = h;
			break;
		}
		case 'm':
			if (parse_u64("--mem", optarg, 16, 3072, &v))
				return 2;
			o->mem_mib = (unsigned)v;
			break;
		case 'j':
			o->json = optarg;
			break;
		case 'l':
			o->layout = optarg;
			break;
		case 'c':
			o->console = optarg;
			break;
		case 'T':
			if (parse_secs("--timeout", optarg, &o->timeout_s))
				return 2;
			break;
		case 'q':
			o->quiet = true;
			break;
		case 'h':
			usage(stdout);
			return 1;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "irqpath-vmm: unexpected argument '%s'\n", argv[optind]);
		return 2;
	}
	if (!have_profile || !o->guest == !o->kernel) {
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
	if (o->duration_s > 0 && have_n) {
		fprintf(stderr, "irqpath-vmm: give --transactions or --duration, not both\n");
		return 2;
	}
	if (o->duration_s > 0 || o->kernel)
		o->transactions = 0;
	if (!strcmp(o->backend, "tap") && !o->tap) {
		fprintf(stderr, "irqpath-vmm: --backend tap needs --tap NAME\n");
		return 2;
	}
	if (o->duration_s > 0 && o->timeout_s <= o->duration_s)
		o->timeout_s = o->duration_s + 60;
	return 0;
}
