// SPDX-License-Identifier: MIT
/* The device-side virtqueue walker against well-formed and hostile rings. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "../virtqueue.h"

#define RAM (64 * 1024)
#define DESC 0x1000
#define AVAIL 0x2000
#define USED 0x3000
#define BUF 0x8000

struct fixture {
	uint8_t ram[RAM];
	struct guest_mem m;
	struct virtqueue vq;
	char err[160];
};

struct desc {
	uint64_t addr;
	uint32_t len;
	uint16_t flags, next;
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	f->m = (struct guest_mem){f->ram, RAM};
	f->vq = (struct virtqueue){
	    .num = 8, .ready = true, .desc_gpa = DESC, .avail_gpa = AVAIL, .used_gpa = USED};
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	free(*state);
	return 0;
}

static struct desc *D(struct fixture *f, unsigned i)
{
	return (struct desc *)(f->ram + DESC) + i;
}

/* Makes head available (bumps avail idx by one). */
static void make_avail(struct fixture *f, uint16_t head)
{
	uint16_t *avail = (uint16_t *)(f->ram + AVAIL);
	avail[2 + avail[1] % f->vq.num] = head;
	avail[1]++;
}

static void test_empty(void **state)
{
	struct fixture *f = *state;
	struct vq_chain c;
	assert_int_equal(vq_pop(&f->vq, &f->m, &c, f->err, sizeof(f->err)), VQ_EMPTY);
}

static void test_two_segment_chain(void **state)
{
	struct fixture *f = *state;
	struct vq_chain c;
	*D(f, 0) = (struct desc){BUF, 12, 1, 3};
	*D(f, 3) = (struct desc){BUF + 0x100, 100, 2, 0};
	make_avail(f, 0);
	assert_int_equal(vq_pop(&f->vq, &f->m, &c, f->err, sizeof(f->err)), VQ_GOT);
	assert_int_equal(c.head, 0);
	assert_int_equal(c.nsegs, 2);
	assert_int_equal(c.readable_len, 12);
	assert_int_equal(c.writable_len, 100);
	assert_ptr_equal(c.seg[1].host, f->ram + BUF + 0x100);
	assert_int_equal(f->vq.last_avail, 1);
	/* push it back and check the used ring */
	assert_int_equal(vq_push(&f->vq, &f->m, c.head, 77), 0);
	uint16_t *used = (uint16_t *)(f->ram + USED);
	assert_int_equal(used[1], 1);
	uint32_t *elem = (uint32_t *)(f->ram + USED + 4);
	assert_int_equal(elem[0], 0);
	assert_int_equal(elem[1], 77);
}

static void expect_error(struct fixture *f, const char *needle)
{
	struct vq_chain c;
	uint16_t before = f->vq.last_avail;
	assert_int_equal(vq_pop(&f->vq, &f->m, &c, f->err, sizeof(f->err)), VQ_ERR);
	assert_non_null(strstr(f->err, needle));
	assert_int_equal(f->vq.last_avail, before); /* nothing consumed */
}

static void test_head_out_of_range(void **state)
{
	struct fixture *f = *state;
	make_avail(f, 8);
	expect_error(f, "names descriptor 8");
}

static void test_next_out_of_range(void **state)
{
	struct fixture *f = *state;
	*D(f, 0) = (struct desc){BUF, 16, 1, 200};
	make_avail(f, 0);
	expect_error(f, "links to 200");
}

static void test_loop(void **state)
{
	struct fixture *f = *state;
	*D(f, 0) = (struct desc){BUF, 16, 1, 1};
	*D(f, 1) = (struct desc){BUF, 16, 1, 0};
	make_avail(f, 0);
	expect_error(f, "loops");
}

static void test_zero_length(void **state)
{
	struct fixture *f = *state;
	*D(f, 0) = (struct desc){BUF, 0, 0, 0};
	make_avail(f, 0);
	expect_error(f, "length 0");
}

static void test_huge_length(void **state)
{
	struct fixture *f = *state;
	*D(f, 0) = (struct desc){BUF, 0xffffffffu, 0, 0};
	make_avail(f, 0);
	expect_error(f, "outside guest RAM");
}

static void test_address_wraps(void **state)
{
	struct fixture *f = *state;
	*D(f, 0) = (struct desc){0xfffffffffffff000ull, 0x2000, 0, 0};
	make_avail(f, 0);
	expect_error(f, "outside guest RAM");
}

static void test_avail_too_far_ahead(void **state)
{
	struct fixture *f = *state;
	uint16_t *avail = (uint16_t *)(f->ram + AVAIL);
	avail[1] = 9; /* 9 new entries in an 8-entry ring */
	expect_error(f, "ahead of the device");
}

static void test_indirect_refused(void **state)
{
	struct fixture *f = *state;
	*D(f, 0) = (struct desc){BUF, 16, 4, 0};
	make_avail(f, 0);
	expect_error(f, "indirect");
}

static void test_readable_after_writable(void **state)
{
	struct fixture *f = *state;
	*D(f, 0) = (struct desc){BUF, 16, 1 | 2, 1};
	*D(f, 1) = (struct desc){BUF, 16, 0, 0};
	make_avail(f, 0);
	expect_error(f, "readable after a writable");
}

static void test_rings_outside_ram(void **state)
{
	struct fixture *f = *state;
	f->vq.used_gpa = RAM - 8;
	assert_int_equal(vq_validate(&f->vq, &f->m, f->err, sizeof(f->err)), -1);
	assert_non_null(strstr(f->err, "used ring"));
	f->vq.used_gpa = USED;
	f->vq.num = 6;
	assert_int_equal(vq_validate(&f->vq, &f->m, f->err, sizeof(f->err)), -1);
	assert_non_null(strstr(f->err, "power of 2"));
}

static void test_chain_copy(void **state)
{
	struct fixture *f = *state;
	struct vq_chain c;
	memcpy(f->ram + BUF, "hello", 5);
	memcpy(f->ram + BUF + 0x10, "world", 5);
	*D(f, 0) = (struct desc){BUF, 5, 1, 1};
	*D(f, 1) = (struct desc){BUF + 0x10, 5, 1, 2};
	*D(f, 2) = (struct desc){BUF + 0x20, 4, 2, 0};
	make_avail(f, 0);
	assert_int_equal(vq_pop(&f->vq, &f->m, &c, f->err, sizeof(f->err)), VQ_GOT);
	char buf[16] = {0};
	assert_int_equal(vq_chain_read(&c, buf, sizeof(buf)), 10);
	assert_string_equal(buf, "helloworld");
	/* writes stop at the writable capacity */
	assert_int_equal(vq_chain_write(&c, "abcdefgh", 8), 4);
	assert_memory_equal(f->ram + BUF + 0x20, "abcd", 4);
}

static void test_interrupt_suppression(void **state)
{
	struct fixture *f = *state;
	assert_true(vq_wants_interrupt(&f->vq, &f->m));
	*(uint16_t *)(f->ram + AVAIL) = 1; /* VRING_AVAIL_F_NO_INTERRUPT */
	assert_false(vq_wants_interrupt(&f->vq, &f->m));
	vq_set_no_notify(&f->vq, &f->m, true);
	assert_int_equal(*(uint16_t *)(f->ram + USED), 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_empty, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_two_segment_chain, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_head_out_of_range, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_next_out_of_range, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_loop, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_zero_length, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_huge_length, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_address_wraps, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_avail_too_far_ahead, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_indirect_refused, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_readable_after_writable, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_rings_outside_ram, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_chain_copy, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_interrupt_suppression, setup, teardown),
	};
	return cmocka_run_group_tests_name("virtqueue", tests, NULL, NULL);
}
