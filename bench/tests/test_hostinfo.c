/* SPDX-License-Identifier: MIT */
/* The host facts hostinfo records: this machine's KVM, or the svm-tcg L1. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <cmocka.h>
#include <jansson.h>

#include "../hostinfo.h"

static const char *const host_vars[] = {"IRQPATH_HOST_KIND",	  "IRQPATH_HOST_QEMU",
					"IRQPATH_HOST_ACCEL",	  "IRQPATH_HOST_CPU_MODEL",
					"IRQPATH_HOST_L1_MEM_MB", "IRQPATH_HOST_L1_SMP"};

static int clear_env(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof host_vars / sizeof *host_vars; i++)
		unsetenv(host_vars[i]);
	return 0;
}

static const char *str(const json_t *o, const char *k)
{
	return json_string_value(json_object_get(o, k));
}

static void native_host(void **state)
{
	(void)state;
	json_t *h = hostinfo_json(NULL, NULL);
	assert_string_equal(str(h, "host_kind"), "native");
	assert_string_equal(str(h, "timings"), "native");
	assert_null(json_object_get(h, "emulator"));
	assert_null(json_object_get(h, "l1_kernel"));
	json_decref(h);
}

static void svm_tcg_host(void **state)
{
	(void)state;
	setenv("IRQPATH_HOST_KIND", "svm-tcg", 1);
	setenv("IRQPATH_HOST_QEMU", "10.0.2", 1);
	setenv("IRQPATH_HOST_ACCEL", "tcg", 1);
	setenv("IRQPATH_HOST_CPU_MODEL", "max", 1);
	setenv("IRQPATH_HOST_L1_MEM_MB", "2048", 1);
	setenv("IRQPATH_HOST_L1_SMP", "one", 1);
	json_t *trace = json_pack("{s:s}", "exit_source", "kvm_exit");
	json_t *h = hostinfo_json(trace, NULL);
	struct utsname u;
	uname(&u);
	assert_string_equal(str(h, "host_kind"), "svm-tcg");
	assert_string_equal(str(h, "l1_kernel"), u.release);
	assert_non_null(strstr(str(h, "timings"), "tcg"));
	assert_non_null(strstr(str(h, "exits_from"), "kvm_exit"));
	assert_true(json_is_true(json_object_get(h, "kvm_exit_available")));
	const json_t *e = json_object_get(h, "emulator");
	assert_string_equal(str(e, "version"), "10.0.2");
	assert_string_equal(str(e, "accel"), "tcg");
	assert_string_equal(str(e, "cpu_model"), "max");
	assert_int_equal(json_integer_value(json_object_get(e, "mem_mb")), 2048);
	/* a fact the runner did not give (or garbled) is null, never invented */
	assert_true(json_is_null(json_object_get(e, "vcpus")));
	json_decref(h);
	json_decref(trace);
}

static void svm_tcg_derived_exits(void **state)
{
	(void)state;
	setenv("IRQPATH_HOST_KIND", "svm-tcg", 1);
	json_t *trace = json_pack("{s:s}", "exit_source", "derived");
	json_t *h = hostinfo_json(trace, NULL);
	assert_null(strstr(str(h, "exits_from"), "kvm_amd"));
	assert_true(json_is_false(json_object_get(h, "kvm_exit_available")));
	json_decref(h);
	json_decref(trace);
}

static void unknown_kind(void **state)
{
	(void)state;
	setenv("IRQPATH_HOST_KIND", "mystery", 1);
	json_t *h = hostinfo_json(NULL, NULL);
	assert_string_equal(str(h, "host_kind"), "mystery");
	assert_string_equal(str(h, "timings"), "unknown host kind");
	assert_null(json_object_get(h, "emulator"));
	json_decref(h);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup(native_host, clear_env),
	    cmocka_unit_test_setup(svm_tcg_host, clear_env),
	    cmocka_unit_test_setup(svm_tcg_derived_exits, clear_env),
	    cmocka_unit_test_setup(unknown_kind, clear_env),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
