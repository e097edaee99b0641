// SPDX-License-Identifier: MIT
/*
 * irqpath-qemu-micro: runs the micro-guest under QEMU/KVM on QEMU's own
 * virtio-net (microvm: virtio-mmio; q35: virtio-pci), with a tap in a
 * private network namespace and irqpath-reflect as the peer, and writes
 * one irqpath-qemu-micro/1 result. QEMU is our direct child, so the pid we
 * report (stderr, --pid-file, the JSON) is the one a tracer filters on.
 */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <unistd.h>

#include "irqpath/atomic_json.h"
#include "micro_run.h"

static void usage(FILE *f)
{
	fprintf(f,
		"Usage: irqpath-qemu-micro --machine microvm|q35 [options]\n"
		"\n"
		"Boots the micro-guest (PVH entry) under qemu-system-x86_64 -accel kvm and runs\n"
		"its request/response loop over QEMU's virtio-net: microvm = virtio-mmio\n"
		"(version 2, one level IOAPIC line), q35 = virtio-pci modern (MSI-X). The peer\n"
		"is irqpath-reflect on a tap in a private network namespace. The guest's counts\n"
		"arrive on QEMU's isa-debugcon and are written as irqpath-qemu-micro/1 JSON.\n"
		"\n"
		"  --machine M         microvm (profile qemu-mmio) or q35 (profile qemu-pci)\n"
		"  --transactions N    request/response transactions (default 300)\n"
		"  --req B, --resp B   request / response payload bytes (32 / 1024)\n"
		"  --json FILE         write the result here (atomically; '-' = stdout)\n"
		"  --layout FILE       write an irqpath-layout/1 for irqpath-trace --layout when\n"
		"                      the guest starts its loop (QEMU's window as the guest found "
		"it)\n"
		"  --pid-file FILE     write QEMU's pid here as soon as QEMU runs\n"
		"  --hold              keep QEMU paused (-S) until this process gets SIGUSR1, so\n"
		"                      a tracer can attach to QEMU's pid before the guest starts\n"
		"  --timeout S         time limit for the whole QEMU run (default 60)\n"
		"  --irqchip MODE      QEMU's kernel-irqchip: on, split (default: QEMU's own)\n"
		"  --guest ELF         the micro-guest (default: BIN/../guest/microguest.elf, or\n"
		"                      BIN/../share/irqpath/guest/microguest.elf when installed)\n"
		"  --qemu BIN          qemu-system-x86_64 (default: from PATH)\n"
		"  --reflect BIN       irqpath-reflect (default: next to this program)\n"
		"  --console FILE      keep the guest's serial console here\n"
		"  --mem MIB           guest memory (default 64, at least 16)\n"
		"  -q                  no summary line\n"
		"  -h, --help          this text\n"
		"\n"
		"QEMU's pid is printed on stderr (\"irqpath-qemu-micro: qemu pid N\") and is the\n"
		"JSON's \"pid\". Exit: 0 ok; 1 runtime failure (QEMU, guest, peer, report, time\n"
		"limit; the JSON says which); 2 usage or bad input; 130 interrupted (SIGINT/\n"
		"SIGTERM: QEMU, the reflector and the namespace are removed, nothing written).\n"
		"Needs root (network namespace, tap) and /dev/kvm.\n");
}

static int bad(const char *msg, const char *arg)
{
	fprintf(stderr, "irqpath-qemu-micro: %s%s%s\n", msg, arg ? ": " : "", arg ? arg : "");
	return 2;
}

static int parse_uint(const char *opt, const char *s, unsigned long long lo, unsigned long long hi,
		      unsigned long long *v)
{
	char *e;
	errno = 0;
	unsigned long long x = strtoull(s, &e, 10);
	if (!*s || *e || errno || *s == '-' || x < lo || x > hi) {
		fprintf(stderr, "irqpath-qemu-micro: %s wants a number in %llu..%llu, got '%s'\n",
			opt, lo, hi, s);
		return -1;
	}
	*v = x;
	return 0;
}

/* The paths beside_self() allocated for defaults, freed when main ends. */
static char *owned_guest, *owned_reflect;

/* A file next to (or relative to) this program: bin/irqpath-reflect, guest/... */
static char *beside_self(const char *rel)
{
	char self[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
	if (n <= 0)
		return NULL;
	self[n] = 0;
	char *slash = strrchr(self, '/');
	if (slash)
		*slash = 0;
	char *out;
	if (asprintf(&out, "%s/%s", self, rel) < 0)
		return NULL;
	return out;
}

/* An executable path, or a name found in PATH (as execvp will look it up). */
static int runnable(const char *prog)
{
	if (strchr(prog, '/'))
		return !access(prog, X_OK);
	const char *path = getenv("PATH");
	char buf[PATH_MAX];
	for (const char *p = path ? path : "/usr/bin:/bin"; *p;) {
		size_t n = strcspn(p, ":");
		if (n && snprintf(buf, sizeof buf, "%.*s/%s", (int)n, p, prog) < (int)sizeof buf &&
		    !access(buf, X_OK))
			return 1;
		p += n + (p[n] == ':');
	}
	return 0;
}

enum {
	O_MACHINE = 256,
	O_TX,
	O_REQ,
	O_RESP,
	O_JSON,
	O_LAYOUT,
	O_PIDF,
	O_HOLD,
	O_TIMEOUT,
	O_IRQCHIP,
	O_GUEST,
	O_QEMU,
	O_REFLECT,
	O_CONSOLE,
	O_MEM
};

static int parse_opt(struct mg_opts *o, int c, const char *arg)
{
	unsigned long long v;
	switch (c) {
	case O_MACHINE:
		if (!strcmp(arg, "microvm"))
			o->cfg.machine = MG_MICROVM;
		else if (!strcmp(arg, "q35"))
			o->cfg.machine = MG_Q35;
		else
			return bad("--machine is microvm or q35, not", arg);
		o->have_machine = 1;
		return 0;
	case O_TX:
		if (parse_uint("--transactions", arg, 1, 1u << 20, &v))
			return 2;
		o->cfg.transactions = v;
		return 0;
	case O_REQ:
	case O_RESP:
		if (parse_uint(c == O_REQ ? "--req" : "--resp", arg, 8, c == O_REQ ? 1500 : 2000,
			       &v))
			return 2;
		*(c == O_REQ ? &o->cfg.req : &o->cfg.resp) = (unsigned)v;
		return 0;
	case O_TIMEOUT:
		if (parse_uint("--timeout", arg, 1, 3600, &v))
			return 2;
		o->timeout_s = (int)v;
		return 0;
	case O_MEM:
		if (parse_uint("--mem", arg, 16, 4096, &v))
			return 2;
		o->cfg.mem_mib = (unsigned)v;
		return 0;
	case O_IRQCHIP:
		if (strcmp(arg, "on") && strcmp(arg, "split"))
			return bad("--irqchip is on or split, not", arg);
		o->cfg.irqchip = arg;
		return 0;
	case O_JSON:
		o->json = arg;
		return 0;
	case O_LAYOUT:
		o->layout = arg;
		return 0;
	case O_PIDF:
		o->pid_file = arg;
		return 0;
	case O_HOLD:
		o->hold = 1;
		return 0;
	case O_GUEST:
		o->cfg.guest = arg;
		return 0;
	case O_QEMU:
		o->cfg.qemu = arg;
		return 0;
	case O_REFLECT:
		o->reflect = arg;
		return 0;
	case O_CONSOLE:
		o->console_keep = arg;
		return 0;
	case 'q':
		o->quiet = 1;
		return 0;
	default:
		usage(stderr);
		return 2;
	}
}

static int parse_args(struct mg_opts *o, int argc, char **argv)
{
	static const struct option lo[] = {{"machine", 1, 0, O_MACHINE},
					   {"transactions", 1, 0, O_TX},
					   {"req", 1, 0, O_REQ},
					   {"resp", 1, 0, O_RESP},
					   {"json", 1, 0, O_JSON},
					   {"layout", 1, 0, O_LAYOUT},
					   {"pid-file", 1, 0, O_PIDF},
					   {"hold", 0, 0, O_HOLD},
					   {"timeout", 1, 0, O_TIMEOUT},
					   {"irqchip", 1, 0, O_IRQCHIP},
					   {"guest", 1, 0, O_GUEST},
					   {"qemu", 1, 0, O_QEMU},
					   {"reflect", 1, 0, O_REFLECT},
					   {"console", 1, 0, O_CONSOLE},
					   {"mem", 1, 0, O_MEM},
					   {"help", 0, 0, 'h'},
					   {0, 0, 0, 0}};
	int c, rc;
	while ((c = getopt_long(argc, argv, "hq", lo, NULL)) != -1) {
		if (c == 'h') {
			usage(stdout);
			exit(0);
		}
		if ((rc = parse_opt(o, c, optarg)))
			return rc;
	}
	if (optind < argc)
		return bad("unexpected argument", argv[optind]);
	if (!o->have_machine)
		return bad("--machine microvm|q35 is required", NULL);
	if (!o->cfg.guest) {
		/* the build tree (build/bin -> build/guest), else `make install`'s place */
		owned_guest = beside_self("../guest/microguest.elf");
		if (owned_guest && access(owned_guest, F_OK)) {
			free(owned_guest);
			owned_guest = beside_self("../share/irqpath/guest/microguest.elf");
		}
		if (!(o->cfg.guest = owned_guest))
			return bad("cannot find the micro-guest; give --guest", NULL);
	}
	if (!o->reflect && !(o->reflect = owned_reflect = beside_self("irqpath-reflect")))
		return bad("cannot find irqpath-reflect; give --reflect", NULL);
	struct stat st;
	if (stat(o->cfg.guest, &st) || !S_ISREG(st.st_mode))
		return bad("no micro-guest ELF at", o->cfg.guest);
	if (access(o->reflect, X_OK))
		return bad("irqpath-reflect is not executable at", o->reflect);
	if (!runnable(o->cfg.qemu))
		return bad("QEMU not found (install qemu-system-x86 or give --qemu)", o->cfg.qemu);
	return 0;
}

int main(int argc, char **argv)
{
	struct mg_opts o = {.cfg = {.qemu = "qemu-system-x86_64",
				    .transactions = 300,
				    .req = 32,
				    .resp = 1024,
				    .mem_mib = 64},
			    .timeout_s = 60};
	int rc = parse_args(&o, argc, argv);
	if (!rc && geteuid() != 0) {
		fprintf(stderr, "irqpath-qemu-micro: needs root (network namespace and tap)\n");
		rc = 2;
	}
	if (!rc && access("/dev/kvm", R_OK | W_OK)) {
		fprintf(stderr, "irqpath-qemu-micro: /dev/kvm: %s\n", strerror(errno));
		rc = 1;
	}
	if (!rc)
		rc = mg_run_all(&o);
	free(owned_guest);
	free(owned_reflect);
	return rc;
}
