/* SPDX-License-Identifier: MIT */
/* Unit tests of the exit-reason table read from kvm:kvm_exit format files
 * (collectors/tests/fixtures: an SVM host's Debian 6.1 kernel, this
 * project's 6.18 hosts, an older VMX-era 4.19 layout). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "../exit_names.h"

#define SVM 2 /* KVM_ISA_SVM: the isa value the tracepoint records */
#define VMX 1 /* KVM_ISA_VMX */

static char *fixture(const char *name, size_t *len)
{
	char path[512];
	const char *root = getenv("IRQPATH_ROOT");
	if (root)
		snprintf(path, sizeof path, "%s/collectors/tests/fixtures/%s", root, name);
	else
		snprintf(path, sizeof path, "%s/%s", TRACE_FIXTURES, name);
	FILE *f = fopen(path, "r");
	assert_non_null(f);
	char *buf = calloc(1, 1 << 16);
	assert_non_null(buf);
	*len = fread(buf, 1, (1 << 16) - 1, f);
	fclose(f);
	return buf;
}

static void load(struct exit_names *x, const char *name)
{
	char err[256];
	size_t len;
	char *text = fixture(name, &len);
	exit_names_init(x);
	assert_int_equal(exit_names_parse(x, text, len, name, err, sizeof err), 0);
	assert_string_equal(x->source, name);
	free(text);
}

#define NAME(x, isa, r, want)                                                                      \
	do {                                                                                       \
		char b_[32];                                                                       \
		assert_string_equal(exit_names_name(x, isa, r, b_, sizeof b_), want);              \
	} while (0)

static void test_svm_debian61(void **state)
{
	(void)state;
	struct exit_names x;
	load(&x, "kvm_exit-6.1-debian.format");
	/* what a micro-guest transaction costs on an SVM host */
	NAME(&x, SVM, 0x400, "npf");
	NAME(&x, SVM, 0x07c, "msr");
	NAME(&x, SVM, 0x078, "hlt");
	NAME(&x, SVM, 0x064, "vintr");
	NAME(&x, SVM, 0x060, "interrupt");
	/* exception exits: the table writes them 0x040 + vector */
	NAME(&x, SVM, 0x04e, "PF excp");
	NAME(&x, SVM, 0x04d, "GP excp");
	NAME(&x, SVM, 0x042, "0x42"); /* NMI vector: not in the table, printed as the kernel does */
	NAME(&x, SVM, 0xffffffffu, "invalid_guest_state"); /* { -1, ... } in a u32 field */
	NAME(&x, SVM, 0x0a6, "0xa6");			   /* idle-halt is newer than 6.1 */
	/* the same kernel on a VMX host: reasons masked with 0xffff */
	NAME(&x, VMX, 48, "EPT_VIOLATION");
	NAME(&x, VMX, 7, "INTERRUPT_WINDOW");
	NAME(&x, VMX, 0x80000021u, "INVALID_STATE"); /* failed VM-entry flag masked off */
	NAME(&x, VMX, 84, "0x54");
	exit_names_free(&x);
}

static void test_host_618(void **state)
{
	(void)state;
	struct exit_names x;
	load(&x, "kvm_exit-6.18-host.format");
	NAME(&x, SVM, 0x0a6, "idle-halt");
	NAME(&x, SVM, 0x400, "npf");
	NAME(&x, SVM, 0x80000010u, "vmgexit_page_state_change");
	NAME(&x, VMX, 84, "MSR_READ_IMM");
	NAME(&x, VMX, 12, "HLT");
	exit_names_free(&x);
}

static void test_vmx_419(void **state)
{
	(void)state;
	struct exit_names x;
	load(&x, "kvm_exit-4.19-vmx.format");
	NAME(&x, VMX, 7, "PENDING_INTERRUPT"); /* renamed INTERRUPT_WINDOW later */
	NAME(&x, VMX, 48, "EPT_VIOLATION");
	NAME(&x, VMX, 30, "IO_INSTRUCTION");
	NAME(&x, VMX, 0x80000021u, "0x80000021"); /* no 0xffff mask in this layout */
	NAME(&x, SVM, 0x04e, "PF excp");
	NAME(&x, SVM, 0x04d, "0x4d");
	exit_names_free(&x);
}

/* The names come from the file: rename one and the lookup follows. */
static void test_names_follow_file(void **state)
{
	(void)state;
	struct exit_names x;
	char err[256];
	size_t len;
	char *text = fixture("kvm_exit-6.1-debian.format", &len);
	char *p = strstr(text, "\"npf\"");
	assert_non_null(p);
	memcpy(p, "\"NPF\"", 5);
	exit_names_init(&x);
	assert_int_equal(exit_names_parse(&x, text, len, "edited", err, sizeof err), 0);
	NAME(&x, SVM, 0x400, "NPF");
	exit_names_free(&x);
	free(text);
}

static void test_errors(void **state)
{
	(void)state;
	struct exit_names x;
	char err[256];
	const char *nofield =
	    "name: kvm_exit\nID: 5\nformat:\n"
	    "\tfield:unsigned short common_type;\toffset:0;\tsize:2;\tsigned:0;\n\n"
	    "\tfield:u32 isa;\toffset:8;\tsize:4;\tsigned:0;\n\n"
	    "print fmt: \"isa %u\", REC->isa\n";
	exit_names_init(&x);
	assert_int_equal(exit_names_parse(&x, nofield, strlen(nofield), "f1", err, sizeof err), -1);
	assert_non_null(strstr(err, "no exit_reason field"));
	const char *nosym = "name: kvm_exit\nID: 5\nformat:\n"
			    "\tfield:unsigned short common_type;\toffset:0;\tsize:2;\tsigned:0;\n\n"
			    "\tfield:unsigned int exit_reason;\toffset:8;\tsize:4;\tsigned:0;\n"
			    "\tfield:u32 isa;\toffset:12;\tsize:4;\tsigned:0;\n\n"
			    "print fmt: \"reason %u\", REC->exit_reason\n";
	assert_int_equal(exit_names_parse(&x, nosym, strlen(nosym), "f2", err, sizeof err), -1);
	assert_non_null(strstr(err, "__print_symbolic"));
	assert_int_equal(exit_names_parse(&x, "garbage", 7, "f3", err, sizeof err), -1);
	assert_non_null(strstr(err, "f3"));
	/* no table: numbers, never a guessed name */
	NAME(&x, SVM, 0x400, "0x400");
	NAME(NULL, SVM, 0x78, "0x78");
}

/* exit_names_load reads <tracefs>/events/kvm/kvm_exit/format. */
static void test_load_dir(void **state)
{
	(void)state;
	char dir[] = "/tmp/irqpath-exit-names.XXXXXX", path[600], err[600];
	size_t len;
	struct exit_names x;
	assert_non_null(mkdtemp(dir));
	exit_names_init(&x);
	assert_int_equal(exit_names_load(&x, dir, err, sizeof err), -1);
	assert_non_null(strstr(err, "events/kvm/kvm_exit/format"));
	char *text = fixture("kvm_exit-6.1-debian.format", &len);
	snprintf(path, sizeof path, "%s/events", dir);
	mkdir(path, 0700);
	snprintf(path, sizeof path, "%s/events/kvm", dir);
	mkdir(path, 0700);
	snprintf(path, sizeof path, "%s/events/kvm/kvm_exit", dir);
	mkdir(path, 0700);
	snprintf(path, sizeof path, "%s/events/kvm/kvm_exit/format", dir);
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	assert_int_equal(fwrite(text, 1, len, f), len);
	fclose(f);
	assert_int_equal(exit_names_load(&x, dir, err, sizeof err), 0);
	assert_string_equal(x.source, "tracefs:kvm/kvm_exit/format");
	NAME(&x, SVM, 0x78, "hlt");
	exit_names_free(&x);
	free(text);
	unlink(path);
	for (int i = 0; i < 3; i++) {
		*strrchr(path, '/') = 0;
		rmdir(path);
	}
	rmdir(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_svm_debian61), cmocka_unit_test(test_host_618),
	    cmocka_unit_test(test_vmx_419),	 cmocka_unit_test(test_names_follow_file),
	    cmocka_unit_test(test_errors),	 cmocka_unit_test(test_load_dir),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
