/* SPDX-License-Identifier: MIT */
/* Profile parsing: good files load, every kind of bad input names file:line. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../config.h"

static char err[512];

static int parse(const char *text, struct bench_config *cfg)
{
	config_defaults(cfg);
	err[0] = '\0';
	return config_parse_string("t.conf", text, cfg, err, sizeof(err));
}

static void good_profile(void **state)
{
	(void)state;
	struct bench_config c;
	assert_int_equal(parse("[profile]\ntransport = mmio-v3\nguest=microguest\n"
			       "backend=reflect\n[workload]\nreq=64\nresp=2048\n"
			       "transactions=500\nrepetitions=5\nwarmup=0\n[trace]\nbackend=bpf\n",
			       &c),
			 0);
	assert_string_equal(c.transport, "mmio-v3");
	assert_int_equal(c.req, 64);
	assert_int_equal(c.resp, 2048);
	assert_int_equal(c.transactions, 500);
	assert_int_equal(c.repetitions, 5);
	assert_int_equal(c.warmup, 0);
	assert_string_equal(c.trace_backend, "bpf");
}

static void defaults_fill_gaps(void **state)
{
	(void)state;
	struct bench_config c;
	assert_int_equal(parse("[profile]\ntransport=pci\n", &c), 0);
	assert_string_equal(c.guest, "microguest");
	assert_int_equal(c.req, 32);
	assert_int_equal(c.resp, 1024);
}

struct bad_case {
	const char *text;
	const char *expect; /* substring of the message */
};

static void bad_inputs(void **state)
{
	(void)state;
	static const struct bad_case cases[] = {
	    {"[profile]\ntransport=mmio-v4\n", "t.conf:2: bad value 'mmio-v4' for transport"},
	    {"[profile]\ntransport=pci\ncolour=blue\n", "t.conf:3: unknown key 'colour'"},
	    {"[profile]\ntransport=pci\n[nope]\nx=1\n", "t.conf:4: unknown section [nope]"},
	    {"[profile]\ntransport=pci\n[workload]\nreq=abc\n",
	     "t.conf:4: bad value 'abc' for req"},
	    {"[profile]\ntransport=pci\n[workload]\nreq=-5\n", "t.conf:4: bad value '-5'"},
	    {"[profile]\ntransport=pci\n[workload]\nrepetitions=0\n", "t.conf:4: bad value '0'"},
	    {"[profile]\ntransport=pci\n[workload]\nreq=99999999999999999999\n",
	     "t.conf:4: bad value"},
	    {"[profile]\ntransport=pci\n[workload]\nreq=32 # c\n", "t.conf:4: bad value"},
	    {"[profile]\ntransport=pci\ntransport=pci\n",
	     "t.conf:3: [profile] transport given twice"},
	    {"[profile]\ntransport=pci\nthis line is junk\n", "t.conf:3: syntax error"},
	    {"[profile\ntransport=pci\n", "t.conf:1: syntax error"},
	    {"[workload]\nreq=32\n", "t.conf: missing [profile] transport"},
	    {"[profile]\ntransport=pci\n[workload]\ntransactions=0\n",
	     "needs exactly one of transactions and duration"},
	    {"[profile]\ntransport=pci\n[workload]\nduration=5\n",
	     "needs exactly one of transactions and duration"},
	    {"[profile]\ntransport=pci\n[trace]\nbackend=magic\n", "t.conf:4: bad value 'magic'"},
	    /* the first problem is reported even when a later line is also wrong */
	    {"[profile]\ntransport=pci\nfoo=1\n[workload]\nreq=x\n", "t.conf:3: unknown key"},
	    {"[profile]\ntransport=pci\nreq=1\njunk\n", "t.conf:3: unknown key 'req' in [profile]"},
	    {"[profile]\ntransport=pci\njunk\nreq=1\n", "t.conf:3: syntax error"},
	    /* a section given twice: which of its keys would win is not obvious */
	    {"[profile]\ntransport=pci\n[workload]\nreq=1\n[profile]\nguest=microguest\n",
	     "t.conf:5: section [profile] given twice"},
	    {"[workload]\nreq=1\n[profile]\ntransport=pci\n [ workload ]\nresp=2\n",
	     "t.conf:5: section [workload] given twice"},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct bench_config c;
		int rc = parse(cases[i].text, &c);
		if (rc != -1 || !strstr(err, cases[i].expect))
			fail_msg("case %zu: rc=%d message '%s', expected '%s'", i, rc, err,
				 cases[i].expect);
	}
}

static char tmpl[64];

static const char *write_tmp(const void *data, size_t len)
{
	snprintf(tmpl, sizeof(tmpl), "/tmp/irqpath-test-config-XXXXXX");
	int fd = mkstemp(tmpl);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, data, len), (ssize_t)len);
	close(fd);
	return tmpl;
}

/* A NUL byte inside a value cut it short silently: now it is an error naming the line. */
static void nul_byte_in_value(void **state)
{
	(void)state;
	static const char text[] = "[profile]\ntransport=pci\n[workload]\nreq=3\0002\n";
	const char *path = write_tmp(text, sizeof(text) - 1);
	struct bench_config c;
	config_defaults(&c);
	assert_int_equal(config_load(path, &c, err, sizeof(err)), -1);
	char want[128];
	snprintf(want, sizeof(want), "%s:4: NUL byte", path);
	if (!strstr(err, want))
		fail_msg("message '%s', expected '%s'", err, want);
	unlink(path);
}

/* A FIFO or a directory is not a profile; loading one must not block or read garbage. */
static void not_a_regular_file(void **state)
{
	(void)state;
	char dir[] = "/tmp/irqpath-test-config-XXXXXX";
	assert_non_null(mkdtemp(dir));
	char fifo[128];
	snprintf(fifo, sizeof(fifo), "%s/f.conf", dir);
	assert_int_equal(mkfifo(fifo, 0600), 0);
	struct bench_config c;
	config_defaults(&c);
	assert_int_equal(config_load(fifo, &c, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "not a regular file"));
	assert_int_equal(config_load(dir, &c, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "not a regular file"));
	unlink(fifo);
	rmdir(dir);
}

static void missing_file(void **state)
{
	(void)state;
	struct bench_config c;
	config_defaults(&c);
	assert_int_equal(config_load("/nonexistent/x.conf", &c, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "/nonexistent/x.conf: cannot open"));
}

static void shipped_profiles_load(void **state)
{
	(void)state;
	static const char *const names[] = {"mmio-legacy", "mmio-v3", "pci"};
	for (size_t i = 0; i < 3; i++) {
		char path[256];
		snprintf(path, sizeof(path), "%s/configs/%s.conf",
			 getenv("IRQPATH_ROOT") ? getenv("IRQPATH_ROOT") : ".", names[i]);
		struct bench_config c;
		config_defaults(&c);
		if (config_load(path, &c, err, sizeof(err)))
			fail_msg("%s", err);
		assert_string_equal(c.transport, names[i]);
	}
}

static void linux_on_qemu(void **state)
{
	(void)state;
	struct bench_config c;
	assert_int_equal(parse("[profile]\ntransport=pci\nguest=linux\nvmm=qemu\n"
			       "[workload]\nduration=3\ntransactions=0\n",
			       &c),
			 0);
	assert_string_equal(c.vmm, "qemu");
	assert_string_equal(c.guest, "linux");
	assert_int_equal(c.duration_s, 3);
	assert_int_equal(c.vmm_line, 4);
	assert_int_equal(parse("[profile]\ntransport=mmio-legacy\nvmm=qemu\nguest=linux\n", &c), 0);
	/* the micro-guest on QEMU's devices (qemu-mmio, qemu-pci) */
	assert_int_equal(parse("[profile]\ntransport=mmio-legacy\nvmm=qemu\n", &c), 0);
	assert_string_equal(c.guest, "microguest");
	/* the default stays the micro-guest on irqpath-vmm */
	assert_int_equal(parse("[profile]\ntransport=pci\n", &c), 0);
	assert_string_equal(c.vmm, "irqpath-vmm");
	/* a Linux guest on irqpath-vmm (VMX/SVM hosts), all three transports, tap */
	assert_int_equal(parse("[profile]\ntransport=mmio-v3\nguest=linux\nbackend=tap\n"
			       "[workload]\ntransactions=0\nduration=5\n",
			       &c),
			 0);
	assert_string_equal(c.vmm, "irqpath-vmm");

	static const struct bad_case cases[] = {
	    /* QEMU has no v3 device: the later of the two keys is named */
	    {"[profile]\ntransport=mmio-v3\nguest=linux\nvmm=qemu\n",
	     "t.conf:4: transport mmio-v3 cannot run on vmm qemu"},
	    {"[profile]\nvmm=qemu\nguest=linux\ntransport=mmio-v3\n",
	     "t.conf:4: transport mmio-v3 cannot run on vmm qemu"},
	    {"[profile]\ntransport=pci\nvmm=qemu\n[workload]\ntransactions=0\nduration=5\n",
	     "t.conf: the micro-guest on vmm qemu runs a number of transactions"},
	    {"[profile]\ntransport=pci\nvmm=kvmtool\n", "t.conf:3: bad value 'kvmtool' for vmm"},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		if (!parse(cases[i].text, &c))
			fail_msg("case %zu accepted: %s", i, cases[i].text);
		if (!strstr(err, cases[i].expect))
			fail_msg("case %zu: expected '%s' in '%s'", i, cases[i].expect, err);
	}
	/* a command-line override is checked too; the file's transport line is named */
	assert_int_equal(parse("[profile]\n\ntransport=mmio-v3\n", &c), 0);
	strcpy(c.vmm, "qemu");
	strcpy(c.guest, "linux");
	assert_int_equal(config_check(&c, "v3.conf", err, sizeof(err)), -1);
	assert_non_null(strstr(err, "v3.conf:3: transport mmio-v3 cannot run on vmm qemu"));
}

static void names(void **state)
{
	(void)state;
	assert_true(config_name_ok("mmio-v3"));
	assert_false(config_name_ok("../etc/passwd"));
	assert_false(config_name_ok(""));
	assert_false(config_name_ok(".hidden"));
	assert_false(config_name_ok("a b"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(good_profile),
	    cmocka_unit_test(defaults_fill_gaps),
	    cmocka_unit_test(bad_inputs),
	    cmocka_unit_test(missing_file),
	    cmocka_unit_test(nul_byte_in_value),
	    cmocka_unit_test(not_a_regular_file),
	    cmocka_unit_test(shipped_profiles_load),
	    cmocka_unit_test(linux_on_qemu),
	    cmocka_unit_test(names),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
