/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Bad input: every kind is refused at once with its own error, counted by
 * reason, never completed, and leaks nothing.
 */

#include <string.h>

#include <rte_errno.h>
#include <rte_ethdev.h>
#include <rte_lcore.h>
#include <rte_malloc.h>
#include <rte_mbuf.h>

#include "common.h"

#define REGION_LEN 4096
#define MAX_LEN 2000

static uint8_t *region;
static uint8_t *outside;

struct fixture {
	struct d11tx_queue *q;
	struct ledger l;
	struct ledger_client lc;
};

static int
fixture_setup(void **state)
{
	static struct fixture fx;
	struct d11tx_queue_conf c = {
		.port_id = 0, .flags = D11TX_QF_CONFIGURE_PORT, .ring_size = 8,
		.max_frame_len = MAX_LEN, .buf_count = 16, .buf_size = 256,
	};

	memset(&fx, 0, sizeof(fx));
	fx.q = d11tx_queue_create(&c);
	assert_non_null(fx.q);
	assert_int_equal(d11tx_mem_register(fx.q, region, REGION_LEN), 0);
	ledger_init(&fx.l, 256);
	fx.lc.ledger = &fx.l;
	fx.lc.id = (uint16_t)d11tx_client_register(fx.q, ledger_cb, &fx.lc);
	*state = &fx;
	return 0;
}

static int
fixture_teardown(void **state)
{
	struct fixture *fx = *state;

	/* Whatever was accepted completes; refused ones never do. */
	poll_until_idle(fx->q, 100000);
	ledger_assert_clean(&fx->l);
	assert_pools_full(fx->q);
	assert_int_equal(d11tx_queue_destroy(fx->q), 0);
	ledger_fini(&fx->l);
	return 0;
}

struct bad_frame {
	const char *what;
	int err;
	enum d11tx_refusal reason;
	void (*make)(struct d11tx_frame *f, uint16_t client);
};

static void make_null(struct d11tx_frame *f, uint16_t c)
{ f->data = NULL; f->len = 64; f->client = c; }
static void make_empty(struct d11tx_frame *f, uint16_t c)
{ f->data = region; f->len = 0; f->client = c; }
static void make_too_long(struct d11tx_frame *f, uint16_t c)
{ f->data = region; f->len = MAX_LEN + 1; f->client = c; }
static void make_huge_len(struct d11tx_frame *f, uint16_t c)
{ f->data = region; f->len = UINT32_MAX; f->client = c; }
static void make_outside(struct d11tx_frame *f, uint16_t c)
{ f->data = outside; f->len = 64; f->client = c; }
static void make_before(struct d11tx_frame *f, uint16_t c)
{ f->data = region - 1; f->len = 64; f->client = c; }
static void make_straddle_end(struct d11tx_frame *f, uint16_t c)
{ f->data = region + REGION_LEN - 10; f->len = 64; f->client = c; }
static void make_one_past_end(struct d11tx_frame *f, uint16_t c)
{ f->data = region + REGION_LEN; f->len = 1; f->client = c; }
/* offset + length wraps around the address space */
static void make_wrap(struct d11tx_frame *f, uint16_t c)
{ f->data = (const void *)(UINTPTR_MAX - 10); f->len = 64; f->client = c; }
static void make_unknown_client(struct d11tx_frame *f, uint16_t c)
{ f->data = region; f->len = 64; f->client = (uint16_t)(c + 5); }
static void make_client_out_of_range(struct d11tx_frame *f, uint16_t c)
{ (void)c; f->data = region; f->len = 64; f->client = 1000; }
/* 802.11 frames that are not valid, set up in the region by main(). */
#define BAD_VERSION_AT 2048
#define RESERVED_AT 2112
#define SHORT_ACK_AT 2176
static void make_bad_version(struct d11tx_frame *f, uint16_t c)
{ f->data = region + BAD_VERSION_AT; f->len = 64; f->client = c; }
static void make_reserved(struct d11tx_frame *f, uint16_t c)
{ f->data = region + RESERVED_AT; f->len = 64; f->client = c; }
static void make_short_ack(struct d11tx_frame *f, uint16_t c)
{ f->data = region + SHORT_ACK_AT; f->len = 9; f->client = c; }
static void make_one_byte(struct d11tx_frame *f, uint16_t c)
{ f->data = region; f->len = 1; f->client = c; }

static const struct bad_frame bad_frames[] = {
	{ "NULL address", EINVAL, D11TX_REFUSED_INVALID, make_null },
	{ "length 0", ENODATA, D11TX_REFUSED_EMPTY, make_empty },
	{ "longer than max_frame_len", EMSGSIZE, D11TX_REFUSED_TOO_LONG, make_too_long },
	{ "length UINT32_MAX", EMSGSIZE, D11TX_REFUSED_TOO_LONG, make_huge_len },
	{ "outside any region", EFAULT, D11TX_REFUSED_REGION, make_outside },
	{ "one byte before the region", EFAULT, D11TX_REFUSED_REGION, make_before },
	{ "straddles the region's end", EFAULT, D11TX_REFUSED_REGION, make_straddle_end },
	{ "starts one past the end", EFAULT, D11TX_REFUSED_REGION, make_one_past_end },
	{ "offset + length overflows", EFAULT, D11TX_REFUSED_REGION, make_wrap },
	{ "unregistered client", ENOENT, D11TX_REFUSED_CLIENT, make_unknown_client },
	{ "client id out of range", ENOENT, D11TX_REFUSED_CLIENT, make_client_out_of_range },
	{ "802.11 protocol version 1", EPROTONOSUPPORT, D11TX_REFUSED_BAD_VERSION, make_bad_version },
	{ "reserved management subtype", EPROTO, D11TX_REFUSED_RESERVED, make_reserved },
	{ "ACK of 9 bytes", EBADMSG, D11TX_REFUSED_TOO_SHORT, make_short_ack },
	{ "one byte", EBADMSG, D11TX_REFUSED_TOO_SHORT, make_one_byte },
};

/* Each bad frame, third in a burst of four: the two before it are
 * accepted, it is refused with its own errno, the last is untouched. */
static void
test_bad_frames_table(void **state)
{
	struct fixture *fx = *state;

	for (size_t i = 0; i < RTE_DIM(bad_frames); i++) {
		const struct bad_frame *b = &bad_frames[i];
		struct d11tx_queue_stats before, after;
		struct ledger_entry *e[4];
		struct d11tx_frame f[4];

		assert_int_equal(d11tx_queue_stats_get(fx->q, &before), 0);
		for (int k = 0; k < 4; k++) {
			e[k] = ledger_take(&fx->l, fx->lc.id);
			f[k] = (struct d11tx_frame){ .data = region + 64 * k,
				.len = 64, .client = fx->lc.id, .handle = e[k] };
		}
		b->make(&f[2], fx->lc.id);
		f[2].handle = e[2];
		rte_errno = 0;
		if (d11tx_send_burst(fx->q, f, 4) != 2 || rte_errno != b->err)
			fail_msg("%s: accepted or wrong errno %d (%s)", b->what,
				 rte_errno, strerror(rte_errno));
		ledger_refused(e[2]);
		ledger_refused(e[3]); /* never offered: the caller's */
		assert_int_equal(d11tx_queue_stats_get(fx->q, &after), 0);
		assert_int_equal(after.refused[b->reason], before.refused[b->reason] + 1);
		assert_int_equal(after.submitted, before.submitted + 2);
		assert_int_equal(d11tx_refusal_errno(b->reason), b->err);
		poll_until_idle(fx->q, 100000);
		assert_pools_full(fx->q);
	}
	ledger_assert_clean(&fx->l);
	assert_int_equal(fx->l.completed, 2 * RTE_DIM(bad_frames));
}

/* The queue holds 8: the ninth is refused with ENOBUFS, and accepted
 * again once completions made room. */
static void
test_full_queue(void **state)
{
	struct fixture *fx = *state;
	struct d11tx_frame f[9];
	struct ledger_entry *e[9];
	struct d11tx_queue_stats s;

	for (int k = 0; k < 9; k++) {
		e[k] = ledger_take(&fx->l, fx->lc.id);
		f[k] = (struct d11tx_frame){ .data = region, .len = 64,
					     .client = fx->lc.id, .handle = e[k] };
	}
	assert_int_equal(d11tx_send_burst(fx->q, f, 9), 8);
	assert_int_equal(rte_errno, ENOBUFS);
	assert_int_equal(d11tx_send_burst(fx->q, &f[8], 1), 0);
	assert_int_equal(rte_errno, ENOBUFS);
	assert_int_equal(d11tx_queue_stats_get(fx->q, &s), 0);
	assert_int_equal(s.refused[D11TX_REFUSED_FULL], 2);
	poll_until_idle(fx->q, 100000);
	assert_int_equal(fx->l.completed, 8);
	assert_int_equal(d11tx_send_burst(fx->q, &f[8], 1), 1);
}

static void
test_bad_engine_buffers(void **state)
{
	struct fixture *fx = *state;
	struct d11tx_buf *b[4];
	struct rte_mempool *foreign_pool;
	struct rte_mbuf *foreign;
	struct d11tx_queue_stats s;

	assert_int_equal(d11tx_buf_alloc(fx->q, b, 4), 4);
	d11tx_buf_set(b[0], 0, fx->lc.id, NULL);
	assert_int_equal(d11tx_buf_submit(fx->q, b, 1), 0);
	assert_int_equal(rte_errno, ENODATA);
	d11tx_buf_set(b[0], d11tx_buf_room(fx->q) + 1, fx->lc.id, NULL);
	assert_int_equal(d11tx_buf_submit(fx->q, b, 1), 0);
	assert_int_equal(rte_errno, EMSGSIZE);
	d11tx_buf_set(b[0], 70000, fx->lc.id, NULL); /* wraps data_len */
	assert_int_equal(d11tx_buf_submit(fx->q, b, 1), 0);
	assert_int_equal(rte_errno, EMSGSIZE);
	d11tx_buf_set(b[0], 64, 33, NULL);
	assert_int_equal(d11tx_buf_submit(fx->q, b, 1), 0);
	assert_int_equal(rte_errno, ENOENT);
	((uint8_t *)d11tx_buf_data(b[0]))[0] = 0x09;   /* version 1 */
	d11tx_buf_set(b[0], 64, fx->lc.id, NULL);
	assert_int_equal(d11tx_buf_submit(fx->q, b, 1), 0);
	assert_int_equal(rte_errno, EPROTONOSUPPORT);
	((uint8_t *)d11tx_buf_data(b[0]))[0] = 0x00;

	foreign_pool = rte_pktmbuf_pool_create("foreign", 64, 0, 64, 512,
					       (int)rte_socket_id());
	assert_non_null(foreign_pool);
	foreign = rte_pktmbuf_alloc(foreign_pool);
	assert_non_null(foreign);
	foreign->pkt_len = foreign->data_len = 64;
	assert_int_equal(d11tx_buf_submit(fx->q, (struct d11tx_buf **)&foreign, 1), 0);
	assert_int_equal(rte_errno, EINVAL);
	struct d11tx_buf *null_buf = NULL;

	assert_int_equal(d11tx_buf_submit(fx->q, &null_buf, 1), 0);
	assert_int_equal(rte_errno, EINVAL);
	rte_pktmbuf_free(foreign);
	assert_int_equal(rte_mempool_avail_count(foreign_pool), 64);
	rte_mempool_free(foreign_pool);

	assert_int_equal(d11tx_queue_stats_get(fx->q, &s), 0);
	assert_int_equal(s.submitted, 0);
	assert_int_equal(s.refused[D11TX_REFUSED_INVALID], 2);
	d11tx_buf_free(fx->q, b, 4);
	assert_pools_full(fx->q);
}

static void
test_memory_registration_errors(void **state)
{
	struct fixture *fx = *state;
	static uint8_t extra[D11TX_MAX_REGIONS + 1][64];

	assert_int_equal(d11tx_mem_register(fx->q, NULL, 64), -EINVAL);
	assert_int_equal(d11tx_mem_register(fx->q, outside, 0), -EINVAL);
	assert_int_equal(d11tx_mem_register(fx->q, (void *)(UINTPTR_MAX - 10), 64),
			 -EINVAL);
	assert_int_equal(d11tx_mem_register(fx->q, region + 100, 10), -EEXIST);
	assert_int_equal(d11tx_mem_register(fx->q, region - 10, 11), -EEXIST);
	assert_int_equal(d11tx_mem_register(fx->q, region + REGION_LEN - 1, 64), -EEXIST);
	/* Adjacent is not overlapping. */
	assert_int_equal(d11tx_mem_register(fx->q, region + REGION_LEN, 64), 0);
	assert_int_equal(d11tx_mem_unregister(fx->q, region + REGION_LEN), 0);
	assert_int_equal(d11tx_mem_unregister(fx->q, region + REGION_LEN), -ENOENT);

	/* One region is taken by the fixture. */
	for (int i = 0; i < D11TX_MAX_REGIONS - 1; i++)
		assert_int_equal(d11tx_mem_register(fx->q, extra[i], 64), 0);
	assert_int_equal(d11tx_mem_register(fx->q, extra[D11TX_MAX_REGIONS - 1], 64),
			 -ENOSPC);

	/* A region with a frame in flight cannot go. */
	struct ledger_entry *e = ledger_take(&fx->l, fx->lc.id);
	struct d11tx_frame f = { .data = extra[3], .len = 64,
				 .client = fx->lc.id, .handle = e };

	assert_int_equal(d11tx_send_burst(fx->q, &f, 1), 1);
	assert_int_equal(d11tx_mem_unregister(fx->q, extra[3]), -EBUSY);
	poll_until_idle(fx->q, 100000);
	assert_int_equal(d11tx_mem_unregister(fx->q, extra[3]), 0);
	/* Its slot is reused. */
	assert_int_equal(d11tx_mem_register(fx->q, extra[D11TX_MAX_REGIONS - 1], 64), 0);
	for (int i = 0; i < D11TX_MAX_REGIONS; i++)
		if (i != 3)
			assert_int_equal(d11tx_mem_unregister(fx->q, extra[i]), 0);
	/* Sending from an unregistered region is refused again. */
	f.handle = ledger_take(&fx->l, fx->lc.id);
	assert_int_equal(d11tx_send_burst(fx->q, &f, 1), 0);
	assert_int_equal(rte_errno, EFAULT);
	ledger_refused(f.handle);
}

static void
test_client_errors(void **state)
{
	struct fixture *fx = *state;
	struct ledger_client spare = { .ledger = &fx->l };
	int ids[D11TX_MAX_CLIENTS];
	int n = 0;

	assert_int_equal(d11tx_client_register(fx->q, NULL, NULL), -EINVAL);
	while (n < D11TX_MAX_CLIENTS) {
		int id = d11tx_client_register(fx->q, ledger_cb, &spare);

		if (id < 0) {
			assert_int_equal(id, -ENOSPC);
			break;
		}
		ids[n++] = id;
	}
	assert_int_equal(n, D11TX_MAX_CLIENTS - 1); /* the fixture has one */
	for (int i = 0; i < n; i++)
		assert_int_equal(d11tx_client_unregister(fx->q, (uint16_t)ids[i]), 0);
	assert_int_equal(d11tx_client_unregister(fx->q, (uint16_t)ids[0]), -ENOENT);
	assert_int_equal(d11tx_client_unregister(fx->q, 999), -ENOENT);

	/* Busy while its frame is in flight. */
	struct d11tx_frame f = { .data = region, .len = 64, .client = fx->lc.id,
				 .handle = ledger_take(&fx->l, fx->lc.id) };

	assert_int_equal(d11tx_send_burst(fx->q, &f, 1), 1);
	assert_int_equal(d11tx_client_unregister(fx->q, fx->lc.id), -EBUSY);
	poll_until_idle(fx->q, 100000);
	assert_int_equal(fx->l.completed, 1);
}

static void
test_stopped_queue_refuses(void **state)
{
	struct fixture *fx = *state;
	struct d11tx_frame f = { .data = region, .len = 64, .client = fx->lc.id,
				 .handle = ledger_take(&fx->l, fx->lc.id) };
	struct d11tx_buf *b;

	assert_int_equal(d11tx_queue_stop(fx->q, 0), 0);
	assert_int_equal(d11tx_send_burst(fx->q, &f, 1), 0);
	assert_int_equal(rte_errno, ESHUTDOWN);
	ledger_refused(f.handle);
	assert_int_equal(d11tx_buf_alloc(fx->q, &b, 1), 1);
	d11tx_buf_set(b, 64, fx->lc.id, NULL);
	assert_int_equal(d11tx_buf_submit(fx->q, &b, 1), 0);
	assert_int_equal(rte_errno, ESHUTDOWN);
	d11tx_buf_free(fx->q, &b, 1);
	/* Pipelined calls on a queue without pipelined mode. */
	assert_int_equal(d11tx_pipe_send_burst(fx->q, &f, 1), 0);
	assert_int_equal(rte_errno, ENOTSUP);
	assert_int_equal(d11tx_queue_start(fx->q), 0);
}

/* Mid-burst refusal of engine-owned buffers: the ones before it are
 * taken, it and the ones after stay the caller's. */
static void
test_engine_buffers_partial(void **state)
{
	struct fixture *fx = *state;
	struct d11tx_buf *b[4];

	assert_int_equal(d11tx_buf_alloc(fx->q, b, 4), 4);
	for (int i = 0; i < 4; i++)
		d11tx_buf_set(b[i], 64, fx->lc.id, ledger_take(&fx->l, fx->lc.id));
	d11tx_buf_set(b[2], 0, fx->lc.id, &fx->l.entries[fx->l.used - 2]);
	assert_int_equal(d11tx_buf_submit(fx->q, b, 4), 2);
	assert_int_equal(rte_errno, ENODATA);
	ledger_refused(&fx->l.entries[fx->l.used - 2]);
	ledger_refused(&fx->l.entries[fx->l.used - 1]);
	d11tx_buf_free(fx->q, &b[2], 2);
	poll_until_idle(fx->q, 100000);
	assert_int_equal(fx->l.completed, 2);
}

/* Pipelined producers get the same refusals, with the same errno values,
 * counted in the same stats. */
static void
test_pipelined_refusals(void **state)
{
	struct d11tx_queue_conf c = {
		.port_id = 0, .flags = D11TX_QF_CONFIGURE_PORT, .ring_size = 8,
		.max_frame_len = MAX_LEN, .buf_count = 16, .buf_size = 256,
		.pipe_ring_size = 4,
	};
	struct d11tx_queue *q = d11tx_queue_create(&c);
	struct d11tx_queue_stats st;
	struct ledger l;
	struct ledger_client lc;
	struct d11tx_buf *b[2];

	(void)state;
	assert_non_null(q);
	assert_int_equal(d11tx_mem_register(q, region, REGION_LEN), 0);
	ledger_open(&l, &lc, q, 64);
	for (size_t i = 0; i < RTE_DIM(bad_frames); i++) {
		const struct bad_frame *bf = &bad_frames[i];
		struct d11tx_frame f = { .handle = ledger_take(&l, lc.id) };

		bf->make(&f, lc.id);
		rte_errno = 0;
		if (d11tx_pipe_send_burst(q, &f, 1) != 0 || rte_errno != bf->err)
			fail_msg("pipelined %s: accepted or wrong errno %d", bf->what,
				 rte_errno);
		ledger_refused(f.handle);
	}
	/* The ring holds 4: the fifth is refused with ENOBUFS. */
	struct d11tx_frame f[5];

	for (int i = 0; i < 5; i++)
		f[i] = (struct d11tx_frame){ .data = region, .len = 64,
			.client = lc.id, .handle = ledger_take(&l, lc.id) };
	assert_int_equal(d11tx_pipe_send_burst(q, f, 5), 4);
	assert_int_equal(rte_errno, ENOBUFS);
	ledger_refused(f[4].handle);
	/* Engine-owned: a bad one, then one the full ring refuses. */
	assert_int_equal(d11tx_buf_alloc(q, b, 2), 2);
	d11tx_buf_set(b[0], 64, 40, NULL);
	assert_int_equal(d11tx_pipe_buf_submit(q, b, 1), 0);
	assert_int_equal(rte_errno, ENOENT);
	d11tx_buf_set(b[0], 64, lc.id, NULL);
	assert_int_equal(d11tx_pipe_buf_submit(q, b, 1), 0);
	assert_int_equal(rte_errno, ENOBUFS);
	d11tx_buf_free(q, b, 2);

	assert_int_equal(d11tx_queue_stats_get(q, &st), 0);
	assert_int_equal(st.pipe_pending, 4);
	for (size_t i = 0; i < RTE_DIM(bad_frames); i++) {
		const enum d11tx_refusal r = bad_frames[i].reason;
		uint64_t expected = 0;

		for (size_t k = 0; k < RTE_DIM(bad_frames); k++)
			expected += bad_frames[k].reason == r;
		if (r == D11TX_REFUSED_CLIENT)
			expected++;   /* the engine-owned buffer */
		assert_int_equal(st.refused[r], expected);
	}
	assert_int_equal(st.refused[D11TX_REFUSED_FULL], 2);
	poll_until_idle(q, 100000);
	assert_int_equal(l.completed, 4);
	ledger_assert_clean(&l);
	queue_close(q, &l);
}

/* With D11TX_QF_NO_VALIDATE, frames that are not valid 802.11 go out
 * (a lab fuzzing a receiver), and complete like any other. */
static void
test_no_validate(void **state)
{
	struct d11tx_queue_conf c = {
		.port_id = 0, .flags = D11TX_QF_CONFIGURE_PORT | D11TX_QF_NO_VALIDATE,
	};
	struct d11tx_queue *q = d11tx_queue_create(&c);
	struct ledger l;
	struct ledger_client lc;
	struct d11tx_frame f[3];

	(void)state;
	assert_non_null(q);
	assert_int_equal(d11tx_mem_register(q, region, REGION_LEN), 0);
	ledger_open(&l, &lc, q, 3);
	make_bad_version(&f[0], lc.id);
	make_reserved(&f[1], lc.id);
	make_short_ack(&f[2], lc.id);
	for (int i = 0; i < 3; i++)
		f[i].handle = ledger_take(&l, lc.id);
	assert_int_equal(d11tx_send_burst(q, f, 3), 3);
	poll_until_idle(q, 100000);
	assert_int_equal(l.completed, 3);
	ledger_assert_clean(&l);
	queue_close(q, &l);
}

static void
test_create_errors(void **state)
{
	struct d11tx_queue_conf c = { .port_id = 0 };

	(void)state;
	rte_errno = 0;
	assert_null(d11tx_queue_create(NULL));
	assert_int_equal(rte_errno, EINVAL);
	c.port_id = RTE_MAX_ETHPORTS - 1;
	assert_null(d11tx_queue_create(&c));
	assert_int_equal(rte_errno, EINVAL);
	c.port_id = 0;
	c.max_frame_len = D11TX_MAX_FRAME_LEN + 1;
	assert_null(d11tx_queue_create(&c));
	assert_int_equal(rte_errno, EINVAL);
	c.max_frame_len = 0;
	c.flags = D11TX_QF_CONFIGURE_PORT;
	c.queue_id = 5000;
	assert_null(d11tx_queue_create(&c));
	assert_int_equal(rte_errno, EINVAL);
	assert_int_equal(d11tx_queue_destroy(NULL), -EINVAL);
	assert_string_equal(d11tx_status_name(D11TX_STATUS_CANCELLED), "cancelled");
	assert_string_equal(d11tx_status_name(99), "unknown");
	assert_string_equal(d11tx_refusal_name(D11TX_REFUSED_REGION), "region");
	assert_string_equal(d11tx_refusal_name(D11TX_REFUSED_RESERVED), "reserved_type");
	assert_int_equal(d11tx_refusal_errno(D11TX_REFUSED_TOO_SHORT), EBADMSG);
}

int
main(void)
{
	static const char *const vdevs[] = { "net_null0", NULL };
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_bad_frames_table, fixture_setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(test_full_queue, fixture_setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(test_bad_engine_buffers, fixture_setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(test_memory_registration_errors, fixture_setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(test_client_errors, fixture_setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(test_stopped_queue_refuses, fixture_setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(test_engine_buffers_partial, fixture_setup, fixture_teardown),
		cmocka_unit_test(test_pipelined_refusals),
		cmocka_unit_test(test_no_validate),
		cmocka_unit_test(test_create_errors),
	};

	test_eal_init("test_badinput", vdevs);
	region = rte_zmalloc("region", REGION_LEN, 64);
	outside = rte_zmalloc("outside", REGION_LEN, 64);
	if (region == NULL || outside == NULL)
		return 1;
	/* The rest of the region is zeros: association requests, valid. */
	region[BAD_VERSION_AT] = 0x09;   /* data, protocol version 1 */
	region[RESERVED_AT] = 0x70;      /* management subtype 7 */
	region[SHORT_ACK_AT] = 0xd4;     /* ACK */
	apply_test_filter();
	return cmocka_run_group_tests_name("badinput", tests, NULL, NULL);
}
