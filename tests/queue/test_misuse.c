/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * API misuse: one test per row of the misuse table (docs/ARCHITECTURE.md,
 * "Misuse"). Each misuse gets its documented answer at once, the queue is
 * left intact, and each test ends with the exactly-once ledger clean and
 * every pool full. The callback rows run with tracked pools and again
 * counting references (the _refcnt variants).
 *
 * - From inside a completion callback: d11tx_poll() returns 0 and delivers
 *   nothing; stop, start, destroy, client and memory registration, the
 *   adapter and the radiotap header are refused with -EDEADLK; the
 *   callbacks that stop and destroy run too; frames submitted from a
 *   callback go out and complete once; queries answer.
 * - NULL: every control call -EINVAL, create NULL with rte_errno EINVAL.
 * - A second live queue on a port's TX queue: EBUSY, until the first is
 *   destroyed.
 * - Engine buffers: submitted twice (two bursts, or twice in one), freed
 *   while in flight, freed twice, submitted after a free, not from the
 *   queue: refused with EINVAL or EALREADY, the buffer where it was.
 */

#include <errno.h>
#include <string.h>

#include <rte_errno.h>
#include <rte_ethdev.h>
#include <rte_lcore.h>
#include <rte_malloc.h>
#include <rte_mbuf.h>

#include <dot11tx/dot11tx_buf.h>
#include <dot11tx/dot11tx_caps.h>

#include "common.h"

#define REGION_LEN 65536
#define FRAME_LEN 64
#define NB_FRAMES 64

static uint8_t *region;
static uint16_t port_null;

/* What a callback does to its own queue, once, the first time it runs. */
enum action {
	ACT_NONE,
	ACT_POLL,
	ACT_STOP,
	ACT_START,
	ACT_DESTROY,
	ACT_CLIENT_REGISTER,
	ACT_CLIENT_UNREGISTER,
	ACT_MEM_REGISTER,
	ACT_MEM_UNREGISTER,
	ACT_SET_ADAPTER,
	ACT_SET_RADIOTAP,
	ACT_SET_TX_PARAMS,
	ACT_SUBMIT,
	ACT_QUERY,
};

struct misuse {
	struct ledger_client lc;   /* first: the ledger callback's context */
	struct d11tx_queue *q;
	enum action action;
	int ret;                   /* what the call answered */
	bool acted;
	uint64_t nested;           /* completions a nested poll delivered */
	struct ledger_entry *resubmitted;
};

static const struct d11tx_dot11_adapter sta = {
	.role = D11TX_DOT11_STATION,
	.own = { 0x02, 1, 1, 1, 1, 1 }, .bssid = { 0x02, 2, 2, 2, 2, 2 },
};

static void misuse_cb(void *ctx, void *const handles[], const uint8_t status[],
		      const uint8_t retries[], uint16_t n);

static int
act(struct misuse *m)
{
	static const struct d11tx_radiotap_tx rt = { .rate_500k = 12 };
	struct d11tx_queue *q = m->q;
	struct d11tx_queue_stats st;
	struct d11tx_frame f;

	switch (m->action) {
	case ACT_POLL: {
		const uint64_t before = m->lc.completed;
		const uint16_t r = d11tx_poll(q);

		m->nested = m->lc.completed - before;
		return r;
	}
	case ACT_STOP:
		return d11tx_queue_stop(q, 0);
	case ACT_START:
		return d11tx_queue_start(q);
	case ACT_DESTROY:
		return d11tx_queue_destroy(q);
	case ACT_CLIENT_REGISTER:
		return d11tx_client_register(q, misuse_cb, m);
	case ACT_CLIENT_UNREGISTER:
		return d11tx_client_unregister(q, m->lc.id);
	case ACT_MEM_REGISTER:
		return d11tx_mem_register(q, region + REGION_LEN / 2, 4096);
	case ACT_MEM_UNREGISTER:
		return d11tx_mem_unregister(q, region);
	case ACT_SET_ADAPTER:
		return d11tx_queue_set_adapter(q, &sta, 0);
	case ACT_SET_RADIOTAP:
		return d11tx_queue_set_radiotap(q, &rt);
	case ACT_SET_TX_PARAMS:
		return d11tx_queue_set_tx_params(q, 1, &(struct d11tx_tx_params){
			.flags = D11TX_TXP_NO_ACK });
	case ACT_SUBMIT:
		/* A new frame from the callback: it must complete once. */
		m->resubmitted = ledger_take(m->lc.ledger, m->lc.id);
		f = (struct d11tx_frame){ .data = region, .len = FRAME_LEN,
			.client = m->lc.id, .handle = m->resubmitted };
		return d11tx_send_burst(q, &f, 1);
	case ACT_QUERY:
		/* (No adapter on this queue: no Ethernet-style frame fits.) */
		if (d11tx_queue_stats_get(q, &st) != 0 ||
		    !d11tx_mem_contains(q, region, FRAME_LEN) ||
		    d11tx_queue_eth_max_len(q, -1) != 0)
			return -1;
		return (int)d11tx_queue_inflight(q);
	default:
		return 0;
	}
}

static void
misuse_cb(void *ctx, void *const handles[], const uint8_t status[],
	  const uint8_t retries[], uint16_t n)
{
	struct misuse *m = ctx;

	ledger_cb(&m->lc, handles, status, retries, n);
	if (!m->acted) {
		m->acted = true;
		m->ret = act(m);
	}
}

/* A queue on net_null with one misuse client, the region registered. */
static struct d11tx_queue *
misuse_open(struct misuse *m, struct ledger *l, enum action action,
	    uint32_t extra_flags)
{
	const struct d11tx_queue_conf c = {
		.port_id = port_null, .ring_size = 256, .buf_count = 64,
		.buf_size = 256,
		.flags = D11TX_QF_CONFIGURE_PORT | test_reclaim_flags | extra_flags,
	};
	int id;

	memset(m, 0, sizeof(*m));
	m->q = d11tx_queue_create(&c);
	if (m->q == NULL)
		fail_msg("d11tx_queue_create: %s", rte_strerror(rte_errno));
	assert_int_equal(d11tx_mem_register(m->q, region, REGION_LEN / 2), 0);
	ledger_init(l, 4 * NB_FRAMES);
	m->lc.ledger = l;
	m->action = action;
	id = d11tx_client_register(m->q, misuse_cb, m);
	assert_true(id >= 0);
	m->lc.id = (uint16_t)id;
	return m->q;
}

/* Submit @p n app frames (valid management frames: the region is
 * zeros), all accepted. */
static void
submit_frames(struct misuse *m, uint32_t n)
{
	for (uint32_t i = 0; i < n; i++) {
		const struct d11tx_frame f = {
			.data = region + (i % 64) * FRAME_LEN, .len = FRAME_LEN,
			.client = m->lc.id, .handle = ledger_take(m->lc.ledger, m->lc.id),
		};

		assert_int_equal(d11tx_send_burst(m->q, &f, 1), 1);
	}
}

/* The end of every test: everything completed once, the pools full, the
 * queue destroyed. */
static void
misuse_close(struct misuse *m, struct ledger *l)
{
	poll_until_idle(m->q, 100000);
	assert_int_equal(d11tx_queue_inflight(m->q), 0);
	ledger_assert_clean(l);
	queue_close(m->q, l);
}

/* A row of the table: what the callback does, what it must be answered. */
struct row {
	enum action action;
	int want;
};

/* A callback's call into its own queue, from d11tx_poll() (@p state: a
 * struct row): the answer it got, and the queue still sends. */
static void
test_callback_call(void **state)
{
	const struct row *r = *state;
	struct misuse m;
	struct ledger l;

	misuse_open(&m, &l, r->action, 0);
	submit_frames(&m, NB_FRAMES);
	poll_until_idle(m.q, 100000);
	assert_true(m.acted);
	if (m.ret != r->want)
		fail_msg("action %d from a callback: %d, want %d", r->action, m.ret, r->want);
	/* Intact: it takes and completes frames as before. */
	submit_frames(&m, 8);
	misuse_close(&m, &l);
	assert_int_equal(l.completed, NB_FRAMES + 8 + (r->action == ACT_SUBMIT));
}

static void
test_callback_poll(void **state)
{
	struct misuse m;
	struct ledger l;

	(void)state;
	misuse_open(&m, &l, ACT_POLL, 0);
	submit_frames(&m, NB_FRAMES);
	poll_until_idle(m.q, 100000);
	assert_int_equal(m.ret, 0);
	assert_int_equal(m.nested, 0);
	misuse_close(&m, &l);
	/* Net_null: every frame SENT, once, none with a made-up status. */
	assert_int_equal(l.by_status[D11TX_STATUS_SENT], NB_FRAMES);
}

/* Queries answer: inflight counts what is at the port. */
static void
test_callback_query(void **state)
{
	struct misuse m;
	struct ledger l;

	(void)state;
	misuse_open(&m, &l, ACT_QUERY, 0);
	submit_frames(&m, NB_FRAMES);
	poll_until_idle(m.q, 100000);
	assert_true(m.ret >= 0);
	misuse_close(&m, &l);
}

/* The callbacks that stop runs (@p state: a struct row): a destroy, a
 * stop or a poll of theirs is refused too, and the stop still completes
 * everything. */
static void
test_stop_callback(void **state)
{
	const struct row *r = *state;
	struct misuse m;
	struct ledger l;

	misuse_open(&m, &l, r->action, 0);
	/* Staged, never polled: stop cancels them, calling back. */
	submit_frames(&m, NB_FRAMES);
	assert_int_equal(d11tx_queue_stop(m.q, 0), 0);
	assert_true(m.acted);
	assert_int_equal(m.ret, r->want);
	assert_int_equal(l.by_status[D11TX_STATUS_CANCELLED], NB_FRAMES);
	assert_int_equal(d11tx_queue_start(m.q), 0);
	misuse_close(&m, &l);
}

/* The callbacks that destroy runs (through its stop): refused the same. */
static void
test_destroy_callback_destroy(void **state)
{
	struct misuse m;
	struct ledger l;

	(void)state;
	misuse_open(&m, &l, ACT_DESTROY, 0);
	submit_frames(&m, NB_FRAMES);
	assert_int_equal(d11tx_queue_destroy(m.q), 0);
	assert_true(m.acted);
	assert_int_equal(m.ret, -EDEADLK);
	assert_int_equal(l.completed, NB_FRAMES);
	ledger_assert_clean(&l);
	ledger_fini(&l);
}

/* Every control call given NULL: -EINVAL, nothing else touched. */
static void
test_null_arguments(void **state)
{
	struct misuse m;
	struct ledger l;
	struct d11tx_queue_stats st;

	(void)state;
	rte_errno = 0;
	assert_null(d11tx_queue_create(NULL));
	assert_int_equal(rte_errno, EINVAL);
	assert_int_equal(d11tx_queue_stop(NULL, 0), -EINVAL);
	assert_int_equal(d11tx_queue_start(NULL), -EINVAL);
	assert_int_equal(d11tx_queue_destroy(NULL), -EINVAL);
	assert_int_equal(d11tx_client_register(NULL, misuse_cb, NULL), -EINVAL);
	assert_int_equal(d11tx_client_unregister(NULL, 0), -EINVAL);
	assert_int_equal(d11tx_mem_register(NULL, region, 64), -EINVAL);
	assert_int_equal(d11tx_mem_unregister(NULL, region), -EINVAL);
	assert_false(d11tx_mem_contains(NULL, region, 64));
	assert_int_equal(d11tx_queue_stats_get(NULL, &st), -EINVAL);
	assert_int_equal(d11tx_queue_eth_max_len(NULL, -1), 0);
	assert_int_equal(d11tx_queue_set_adapter(NULL, &sta, 0), -EINVAL);
	assert_int_equal(d11tx_queue_set_radiotap(NULL, NULL), -EINVAL);
	assert_int_equal(d11tx_queue_set_tx_params(NULL, 1, NULL), -EINVAL);
	assert_int_equal(d11tx_port_caps_get(port_null, NULL), -EINVAL);
	/* NULL pointer arguments of a real queue. */
	misuse_open(&m, &l, ACT_NONE, 0);
	assert_int_equal(d11tx_client_register(m.q, NULL, NULL), -EINVAL);
	assert_int_equal(d11tx_mem_register(m.q, NULL, 64), -EINVAL);
	assert_int_equal(d11tx_mem_unregister(m.q, NULL), -EINVAL);
	assert_int_equal(d11tx_queue_stats_get(m.q, NULL), -EINVAL);
	assert_int_equal(d11tx_queue_set_adapter(m.q, NULL, 0), -EINVAL);
	submit_frames(&m, 8);
	misuse_close(&m, &l);
}

/* One TX queue, one live engine queue. */
static void
test_second_queue_on_a_tx_queue(void **state)
{
	struct d11tx_queue_conf attach = { .port_id = port_null, .queue_id = 0 };
	struct d11tx_queue_conf conf = { .port_id = port_null,
					 .flags = D11TX_QF_CONFIGURE_PORT };
	struct misuse m;
	struct ledger l;
	struct d11tx_queue *q2;

	(void)state;
	misuse_open(&m, &l, ACT_NONE, 0);
	submit_frames(&m, 8);
	assert_null(d11tx_queue_create(&attach));
	assert_int_equal(rte_errno, EBUSY);
	/* Configuring the port under a live queue: no either. */
	assert_null(d11tx_queue_create(&conf));
	assert_int_equal(rte_errno, EBUSY);
	misuse_close(&m, &l);
	/* Once it is destroyed, the TX queue is free again. */
	q2 = d11tx_queue_create(&conf);
	assert_non_null(q2);
	assert_int_equal(d11tx_queue_destroy(q2), 0);
}

/* ---------- engine buffers ---------- */

/* One engine buffer, filled: a zero management frame, its handle a new
 * ledger entry (*e, when asked). */
static struct d11tx_buf *
one_buf(struct misuse *m, struct ledger_entry **e)
{
	struct ledger_entry *entry = ledger_take(m->lc.ledger, m->lc.id);
	struct d11tx_buf *b;

	assert_int_equal(d11tx_buf_alloc(m->q, &b, 1), 1);
	memset(d11tx_buf_data(b), 0, FRAME_LEN);
	d11tx_buf_set(b, FRAME_LEN, m->lc.id, entry);
	if (e != NULL)
		*e = entry;
	return b;
}

static uint64_t
refused(const struct d11tx_queue *q, enum d11tx_refusal r)
{
	struct d11tx_queue_stats st;

	assert_int_equal(d11tx_queue_stats_get(q, &st), 0);
	return st.refused[r];
}

/* The same buffer submitted again while in flight: refused (EINVAL), the
 * first submission completes once. */
static void
test_buf_submitted_twice(void **state)
{
	struct misuse m;
	struct ledger l;
	struct d11tx_buf *b;

	(void)state;
	misuse_open(&m, &l, ACT_NONE, 0);
	b = one_buf(&m, NULL);
	assert_int_equal(d11tx_buf_submit(m.q, &b, 1), 1);
	rte_errno = 0;
	assert_int_equal(d11tx_buf_submit(m.q, &b, 1), 0);
	assert_int_equal(rte_errno, EINVAL);
	assert_int_equal(refused(m.q, D11TX_REFUSED_INVALID), 1);
	misuse_close(&m, &l);
	assert_int_equal(l.completed, 1);
}

/* Twice in one burst: the first taken, the second refused. */
static void
test_buf_twice_in_one_burst(void **state)
{
	struct misuse m;
	struct ledger l;
	struct d11tx_buf *b[2];

	(void)state;
	misuse_open(&m, &l, ACT_NONE, 0);
	b[0] = b[1] = one_buf(&m, NULL);
	assert_int_equal(d11tx_buf_submit(m.q, b, 2), 1);
	assert_int_equal(rte_errno, EINVAL);
	misuse_close(&m, &l);
	assert_int_equal(l.completed, 1);
}

/* Freed while in flight: refused (EALREADY), it stays the engine's and
 * completes once; afterwards it is in the pool, and a free of it is
 * refused (EINVAL). */
static void
test_buf_freed_in_flight(void **state)
{
	struct misuse m;
	struct ledger l;
	struct d11tx_buf *b;

	(void)state;
	misuse_open(&m, &l, ACT_NONE, 0);
	b = one_buf(&m, NULL);
	assert_int_equal(d11tx_buf_submit(m.q, &b, 1), 1);
	rte_errno = 0;
	assert_int_equal(d11tx_buf_free(m.q, &b, 1), 0);
	assert_int_equal(rte_errno, EALREADY);
	poll_until_idle(m.q, 100000);
	assert_int_equal(l.completed, 1);
	rte_errno = 0;
	assert_int_equal(d11tx_buf_free(m.q, &b, 1), 0);
	assert_int_equal(rte_errno, EINVAL);
	misuse_close(&m, &l);
}

/* Freed twice, in two calls or in one: the second refused (EINVAL), the
 * pool not overfilled. */
static void
test_buf_freed_twice(void **state)
{
	struct misuse m;
	struct ledger l;
	struct d11tx_buf *b[3];

	(void)state;
	misuse_open(&m, &l, ACT_NONE, 0);
	assert_int_equal(d11tx_buf_alloc(m.q, b, 2), 2);
	assert_int_equal(d11tx_buf_free(m.q, &b[0], 1), 1);
	assert_int_equal(d11tx_buf_free(m.q, &b[0], 1), 0);
	assert_int_equal(rte_errno, EINVAL);
	b[2] = b[1];
	assert_int_equal(d11tx_buf_free(m.q, &b[1], 2), 1);
	assert_int_equal(rte_errno, EINVAL);
	misuse_close(&m, &l);
}

/* A freed buffer submitted: refused (EINVAL), never completes. */
static void
test_buf_submitted_after_free(void **state)
{
	struct misuse m;
	struct ledger l;
	struct ledger_entry *e;
	struct d11tx_buf *b;

	(void)state;
	misuse_open(&m, &l, ACT_NONE, 0);
	b = one_buf(&m, &e);
	assert_int_equal(d11tx_buf_free(m.q, &b, 1), 1);
	assert_int_equal(d11tx_buf_submit(m.q, &b, 1), 0);
	assert_int_equal(rte_errno, EINVAL);
	ledger_refused(e);
	misuse_close(&m, &l);
	assert_int_equal(l.completed, 0);
}

/* Not an engine buffer of this queue: NULL, a foreign mbuf. */
static void
test_buf_foreign(void **state)
{
	struct misuse m;
	struct ledger l;
	struct rte_mempool *mp;
	struct rte_mbuf *foreign;
	struct d11tx_buf *b;

	(void)state;
	misuse_open(&m, &l, ACT_NONE, 0);
	mp = rte_pktmbuf_pool_create("misuse_foreign", 63, 0, 0, 256, (int)rte_socket_id());
	if (mp == NULL)
		mp = rte_mempool_lookup("misuse_foreign");
	assert_non_null(mp);
	foreign = rte_pktmbuf_alloc(mp);
	assert_non_null(foreign);
	b = (struct d11tx_buf *)foreign;
	assert_int_equal(d11tx_buf_free(m.q, &b, 1), 0);
	assert_int_equal(rte_errno, EINVAL);
	assert_int_equal(d11tx_buf_submit(m.q, &b, 1), 0);
	assert_int_equal(rte_errno, EINVAL);
	b = NULL;
	assert_int_equal(d11tx_buf_free(m.q, &b, 1), 0);
	assert_int_equal(rte_errno, EINVAL);
	rte_pktmbuf_free(foreign);
	assert_int_equal(rte_mempool_avail_count(mp), 63);
	misuse_close(&m, &l);
}

/* Pipelined: the same buffer through the ring twice, refused the same. */
static void
test_pipe_buf_submitted_twice(void **state)
{
	const struct d11tx_queue_conf c = {
		.port_id = port_null, .ring_size = 256, .buf_count = 64,
		.buf_size = 256, .pipe_ring_size = 64,
		.flags = D11TX_QF_CONFIGURE_PORT,
	};
	struct misuse m;
	struct ledger l;
	struct d11tx_buf *b;

	(void)state;
	memset(&m, 0, sizeof(m));
	m.q = d11tx_queue_create(&c);
	assert_non_null(m.q);
	ledger_init(&l, 8);
	m.lc.ledger = &l;
	m.lc.id = (uint16_t)d11tx_client_register(m.q, misuse_cb, &m);
	b = one_buf(&m, NULL);
	assert_int_equal(d11tx_pipe_buf_submit(m.q, &b, 1), 1);
	assert_int_equal(d11tx_pipe_buf_submit(m.q, &b, 1), 0);
	assert_int_equal(rte_errno, EINVAL);
	assert_int_equal(d11tx_buf_free(m.q, &b, 1), 0);
	assert_int_equal(rte_errno, EALREADY);
	misuse_close(&m, &l);
	assert_int_equal(l.completed, 1);
}

/* ---------- main ---------- */

/* The rows of the callback tests. */
static const struct row poll_row = { ACT_POLL, 0 };
static const struct row stop_row = { ACT_STOP, -EDEADLK };
static const struct row start_row = { ACT_START, -EDEADLK };
static const struct row destroy_row = { ACT_DESTROY, -EDEADLK };
static const struct row client_register_row = { ACT_CLIENT_REGISTER, -EDEADLK };
static const struct row client_unregister_row = { ACT_CLIENT_UNREGISTER, -EDEADLK };
static const struct row mem_register_row = { ACT_MEM_REGISTER, -EDEADLK };
static const struct row mem_unregister_row = { ACT_MEM_UNREGISTER, -EDEADLK };
static const struct row set_adapter_row = { ACT_SET_ADAPTER, -EDEADLK };
static const struct row set_radiotap_row = { ACT_SET_RADIOTAP, -EDEADLK };
static const struct row set_tx_params_row = { ACT_SET_TX_PARAMS, -EDEADLK };
static const struct row submit_row = { ACT_SUBMIT, 1 };

#define CALLBACK_ROW(what) \
	TEST_BOTH_STATE("callback_" #what, test_callback_call, (void *)&what##_row)
#define STOP_CALLBACK_ROW(what) \
	TEST_BOTH_STATE("stop_callback_" #what, test_stop_callback, (void *)&what##_row)

int
main(void)
{
	static const char *const vdevs[] = { "net_null0", NULL };
	const struct CMUnitTest tests[] = {
		TEST_BOTH(test_callback_poll),
		CALLBACK_ROW(stop),
		CALLBACK_ROW(start),
		CALLBACK_ROW(destroy),
		CALLBACK_ROW(client_register),
		CALLBACK_ROW(client_unregister),
		CALLBACK_ROW(mem_register),
		CALLBACK_ROW(mem_unregister),
		CALLBACK_ROW(set_adapter),
		CALLBACK_ROW(set_radiotap),
		CALLBACK_ROW(set_tx_params),
		CALLBACK_ROW(submit),
		TEST_BOTH(test_callback_query),
		STOP_CALLBACK_ROW(destroy),
		STOP_CALLBACK_ROW(stop),
		STOP_CALLBACK_ROW(poll),
		TEST_BOTH(test_destroy_callback_destroy),
		cmocka_unit_test(test_null_arguments),
		cmocka_unit_test(test_second_queue_on_a_tx_queue),
		TEST_BOTH(test_buf_submitted_twice),
		TEST_BOTH(test_buf_twice_in_one_burst),
		TEST_BOTH(test_buf_freed_in_flight),
		TEST_BOTH(test_buf_freed_twice),
		TEST_BOTH(test_buf_submitted_after_free),
		cmocka_unit_test(test_buf_foreign),
		cmocka_unit_test(test_pipe_buf_submitted_twice),
	};

	test_eal_init("test_misuse", vdevs);
	assert_int_equal(rte_eth_dev_get_port_by_name("net_null0", &port_null), 0);
	region = rte_zmalloc("misuse_region", REGION_LEN, 4096);
	if (region == NULL)
		return 1;
	apply_test_filter();
	return cmocka_run_group_tests_name("misuse", tests, NULL, NULL);
}
