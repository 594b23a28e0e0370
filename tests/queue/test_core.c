/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The exactly-once contract on net_null (frees at once) and net_ring (a
 * tiny ring: partial bursts, and frames come back only when the test, as
 * the far side, frees them), in both buffer modes and pipelined mode.
 */

#include <inttypes.h>
#include <pthread.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>

#include <rte_cycles.h>
#include <rte_errno.h>
#include <rte_eth_ring.h>
#include <rte_ethdev.h>
#include <rte_lcore.h>
#include <rte_malloc.h>
#include <rte_mbuf.h>

#include "common.h"

#define FRAME_LEN 100
#define SLOT 128
#define SLOTS 1024
#define NIC_RING 16   /* net_ring TX ring: holds 15 frames */

static uint16_t null_port;
static uint16_t ring_port;
static struct rte_ring *nic_ring;
static uint8_t *region;   /* SLOTS frames of SLOT bytes, app-owned */

static struct d11tx_frame
frame_at(uint32_t slot, void *handle, uint16_t client)
{
	uint8_t *p = region + (size_t)(slot % SLOTS) * SLOT;

	return (struct d11tx_frame){ .data = p, .len = FRAME_LEN,
				     .handle = handle, .client = client };
}

/* Set by the *_refcnt tests: queues count references instead of using
 * tracked pools, so both ways of reclaiming run on net_null. */
static uint32_t extra_flags;

static struct d11tx_queue *
null_queue(uint32_t ring_size, uint32_t buf_count, uint32_t pipe)
{
	struct d11tx_queue_conf c = {
		.port_id = null_port,
		.flags = D11TX_QF_CONFIGURE_PORT | extra_flags,
		.ring_size = ring_size, .buf_count = buf_count,
		.pipe_ring_size = pipe,
	};
	struct d11tx_queue *q = d11tx_queue_create(&c);

	assert_non_null(q);
	assert_int_equal(d11tx_mem_register(q, region, (size_t)SLOT * SLOTS), 0);
	return q;
}

/* The ring port is configured by the test, as an app would: the engine
 * attaches to it. */
static struct d11tx_queue *
ring_queue(uint32_t ring_size, uint32_t pipe)
{
	struct d11tx_queue_conf c = { .port_id = ring_port,
				      .ring_size = ring_size,
				      .pipe_ring_size = pipe };
	struct d11tx_queue *q = d11tx_queue_create(&c);

	assert_non_null(q);
	assert_int_equal(d11tx_mem_register(q, region, (size_t)SLOT * SLOTS), 0);
	return q;
}

/* Play the far side of net_ring: take what the NIC sent, free it. */
static unsigned int
nic_drain(void)
{
	return test_ring_drain(nic_ring);
}

/* Send @p total app-owned frames for @p nb_clients clients, interleaved
 * inside every burst, and poll until all complete. */
static void
test_app_owned_exactly_once_null(void **state)
{
	enum { TOTAL = 200000, CLIENTS = 3, BURST = 32 };
	struct ledger l;
	struct ledger_client lc[CLIENTS];
	struct d11tx_queue_stats s;
	struct d11tx_queue *q = null_queue(512, 0, 0);
	uint32_t sent = 0;

	(void)state;
	ledger_init(&l, TOTAL);
	for (int c = 0; c < CLIENTS; c++) {
		lc[c] = (struct ledger_client){ .ledger = &l };
		lc[c].id = (uint16_t)d11tx_client_register(q, ledger_cb, &lc[c]);
		assert_int_equal(lc[c].id, c);
	}
	while (sent < TOTAL) {
		struct d11tx_frame f[BURST];
		struct ledger_entry *e[BURST];
		uint16_t n = (uint16_t)RTE_MIN(BURST, TOTAL - sent), taken;

		for (uint16_t i = 0; i < n; i++) {
			const uint16_t c = (uint16_t)((sent + i) % CLIENTS);

			e[i] = ledger_take(&l, c);
			f[i] = frame_at(sent + i, e[i], c);
		}
		taken = d11tx_send_burst(q, f, n);
		ledger_backpressure(&l, n, taken);
		sent += taken;
		d11tx_poll(q);
	}
	poll_until_idle(q, 1000000);
	ledger_assert_clean(&l);
	assert_int_equal(l.completed, TOTAL);
	assert_int_equal(l.by_status[D11TX_STATUS_SENT], TOTAL);
	for (int c = 0; c < CLIENTS; c++)
		assert_int_equal(lc[c].completed, (TOTAL + CLIENTS - 1 - c) / CLIENTS);
	assert_int_equal(d11tx_queue_stats_get(q, &s), 0);
	assert_int_equal(s.submitted, TOTAL);
	assert_int_equal(s.sent, TOTAL);
	assert_int_equal(s.completed[D11TX_STATUS_SENT], TOTAL);
	for (int r = 0; r < D11TX_REFUSED_MAX; r++)
		if (r != D11TX_REFUSED_FULL)
			assert_int_equal(s.refused[r], 0);
	queue_close(q, &l);
}

static void
test_engine_owned_exactly_once_null(void **state)
{
	enum { TOTAL = 200000, BURST = 32 };
	struct ledger l;
	struct ledger_client lc;
	struct d11tx_queue *q = null_queue(256, 512, 0);
	uint32_t sent = 0;

	(void)state;
	ledger_open(&l, &lc, q, TOTAL);
	assert_true(d11tx_buf_room(q) >= FRAME_LEN);
	while (sent < TOTAL) {
		struct d11tx_buf *b[BURST];
		uint16_t n = (uint16_t)RTE_MIN(BURST, TOTAL - sent), taken;

		if (d11tx_buf_alloc(q, b, n) != n) {
			assert_int_equal(rte_errno, ENOBUFS);
			d11tx_poll(q);
			continue;
		}
		for (uint16_t i = 0; i < n; i++) {
			uint8_t *data = d11tx_buf_data(b[i]);

			memset(data, 0x5a, FRAME_LEN);
			data[0] = 0x08;   /* a data frame, */
			data[1] = 0x01;   /* to the DS */
			d11tx_buf_set(b[i], FRAME_LEN, lc.id, ledger_take(&l, lc.id));
		}
		taken = d11tx_buf_submit(q, b, n);
		ledger_backpressure(&l, n, taken);
		if (taken < n)
			d11tx_buf_free(q, &b[taken], n - taken);
		sent += taken;
		d11tx_poll(q);
	}
	poll_until_idle(q, 1000000);
	ledger_assert_clean(&l);
	assert_int_equal(l.completed, TOTAL);
	queue_close(q, &l);
}

/* A 15-frame NIC ring: bursts are cut short, the tail stays staged, and
 * nothing completes until the far side frees what it received. */
static void
test_ring_partial_bursts_and_lazy_completion(void **state)
{
	enum { TOTAL = 5000 };
	struct ledger l;
	struct ledger_client lc;
	struct d11tx_queue_stats s;
	struct d11tx_queue *q = ring_queue(64, 0);
	uint32_t sent = 0, drained = 0;

	(void)state;
	ledger_open(&l, &lc, q, TOTAL);

	/* First round: fill the queue, poll, check nothing completed. */
	struct d11tx_frame f[64];

	for (int i = 0; i < 64; i++)
		f[i] = frame_at((uint32_t)i, ledger_take(&l, lc.id), lc.id);
	assert_int_equal(d11tx_send_burst(q, f, 64), 64);
	sent = 64;
	assert_int_equal(d11tx_poll(q), 0);
	assert_int_equal(d11tx_queue_stats_get(q, &s), 0);
	assert_int_equal(s.at_nic, NIC_RING - 1);
	assert_int_equal(s.staged, 64 - (NIC_RING - 1));
	assert_true(s.tx_partial_bursts >= 1);
	assert_int_equal(l.completed, 0);

	while (l.completed < TOTAL) {
		drained += nic_drain();
		d11tx_poll(q);
		while (sent < TOTAL) {
			struct ledger_entry *e = ledger_take(&l, lc.id);
			struct d11tx_frame one = frame_at(sent, e, lc.id);

			if (d11tx_send_burst(q, &one, 1) == 1) {
				sent++;
				continue;
			}
			assert_int_equal(rte_errno, ENOBUFS);
			l.used--;
			break;
		}
	}
	assert_int_equal(drained, TOTAL);
	ledger_assert_clean(&l);
	assert_int_equal(d11tx_queue_stats_get(q, &s), 0);
	assert_true(s.tx_partial_bursts > 0);
	assert_true(s.refused[D11TX_REFUSED_FULL] > 0);
	assert_int_equal(s.completed[D11TX_STATUS_SENT], TOTAL);
	queue_close(q, &l);
}

/* Stop with frames both staged and at the NIC: staged ones are cancelled
 * at once; the ones the NIC holds complete only when it lets them go. */
static void
test_ring_stop_in_flight(void **state)
{
	struct ledger l;
	struct ledger_client lc;
	struct d11tx_frame f[64];
	struct d11tx_queue *q = ring_queue(64, 0);
	int ret;

	(void)state;
	ledger_open(&l, &lc, q, 64);
	for (int i = 0; i < 64; i++)
		f[i] = frame_at((uint32_t)i, ledger_take(&l, lc.id), lc.id);
	assert_int_equal(d11tx_send_burst(q, f, 64), 64);
	d11tx_poll(q);

	ret = d11tx_queue_stop(q, 1000);
	assert_int_equal(l.by_status[D11TX_STATUS_CANCELLED], 64 - (NIC_RING - 1));
	/* net_ring cannot stop a TX queue: the frames it holds are not the
	 * engine's to complete yet. */
	assert_int_equal(ret, -EBUSY);
	assert_int_equal(d11tx_queue_inflight(q), NIC_RING - 1);
	/* net_ring's consumer frees what it sends: the capability table
	 * says there is nothing to ask the PMD, and the engine does not. */
	struct d11tx_queue_stats s;

	assert_int_equal(d11tx_queue_stats_get(q, &s), 0);
	assert_int_equal(s.cleanup_calls, 0);
	assert_int_equal(d11tx_send_burst(q, f, 1), 0);
	assert_int_equal(rte_errno, ESHUTDOWN);
	assert_int_equal(d11tx_client_unregister(q, lc.id), -EBUSY);

	assert_int_equal(nic_drain(), NIC_RING - 1);
	assert_int_equal(d11tx_queue_stop(q, 1000), 0);
	assert_int_equal(l.completed, 64);
	assert_int_equal(l.by_status[D11TX_STATUS_SENT], NIC_RING - 1);
	ledger_assert_clean(&l);
	assert_pools_full(q);
	assert_int_equal(d11tx_client_unregister(q, lc.id), 0);

	/* And it starts again. */
	assert_int_equal(d11tx_queue_start(q), 0);
	lc.id = (uint16_t)d11tx_client_register(q, ledger_cb, &lc);
	l.used = 0;
	l.completed = 0;
	memset(l.entries, 0, sizeof(*l.entries) * 64);
	f[0] = frame_at(0, ledger_take(&l, lc.id), lc.id);
	assert_int_equal(d11tx_send_burst(q, f, 1), 1);
	d11tx_poll(q);
	nic_drain();
	poll_until_idle(q, 1000);
	assert_int_equal(l.completed, 1);
	assert_int_equal(d11tx_queue_destroy(q), 0);
	ledger_fini(&l);
}

/* Destroy, without a stop first, with frames staged: every frame completes
 * as CANCELLED before destroy returns. A buffer the app still holds makes
 * destroy refuse, leaving the queue intact. */
static void
test_destroy_in_flight(void **state)
{
	struct ledger l;
	struct ledger_client lc;
	struct d11tx_queue *q = null_queue(128, 64, 0);
	struct d11tx_frame f[100];
	struct d11tx_buf *held;

	(void)state;
	ledger_open(&l, &lc, q, 100);
	for (int i = 0; i < 100; i++)
		f[i] = frame_at((uint32_t)i, ledger_take(&l, lc.id), lc.id);
	assert_int_equal(d11tx_send_burst(q, f, 100), 100);
	assert_int_equal(d11tx_buf_alloc(q, &held, 1), 1);
	assert_int_equal(d11tx_queue_destroy(q), -EBUSY);
	assert_int_equal(l.by_status[D11TX_STATUS_CANCELLED], 100);
	d11tx_buf_free(q, &held, 1);
	assert_int_equal(d11tx_queue_destroy(q), 0);
	assert_int_equal(l.completed, 100);
	ledger_assert_clean(&l);
	ledger_fini(&l);
}

/* Stop with everything staged: every frame completes as CANCELLED before
 * stop returns, and the pools are full again. */
static void
test_stop_cancels_staged(void **state)
{
	struct ledger l;
	struct ledger_client lc;
	struct d11tx_queue *q = null_queue(128, 64, 0);
	struct d11tx_frame f[100];
	struct d11tx_buf *b[20];

	(void)state;
	ledger_open(&l, &lc, q, 120);
	for (int i = 0; i < 100; i++)
		f[i] = frame_at((uint32_t)i, ledger_take(&l, lc.id), lc.id);
	assert_int_equal(d11tx_send_burst(q, f, 100), 100);
	assert_int_equal(d11tx_buf_alloc(q, b, 20), 20);
	for (int i = 0; i < 20; i++)
		d11tx_buf_set(b[i], FRAME_LEN, lc.id, ledger_take(&l, lc.id));
	assert_int_equal(d11tx_buf_submit(q, b, 20), 20);
	assert_int_equal(d11tx_queue_inflight(q), 120);

	assert_int_equal(d11tx_queue_stop(q, 0), 0);
	assert_int_equal(l.by_status[D11TX_STATUS_CANCELLED], 120);
	ledger_assert_clean(&l);
	assert_pools_full(q);
	assert_int_equal(d11tx_queue_destroy(q), 0);
	assert_int_equal(l.completed, 120);
	ledger_fini(&l);
}

/* Stop with the FIFO full (15 frames at the NIC, 1 staged) and frames
 * waiting in the pipelined ring, which cannot be pulled for lack of room:
 * they must be cancelled all the same. */
static void
test_pipe_stop_with_full_fifo(void **state)
{
	struct ledger l;
	struct ledger_client lc;
	struct d11tx_frame f[16];
	struct d11tx_queue *q = ring_queue(16, 64);
	struct d11tx_queue_stats s;

	(void)state;
	ledger_open(&l, &lc, q, 26);
	for (int i = 0; i < 16; i++)
		f[i] = frame_at((uint32_t)i, ledger_take(&l, lc.id), lc.id);
	assert_int_equal(d11tx_send_burst(q, f, 16), 16);
	d11tx_poll(q);
	for (int i = 0; i < 10; i++)
		f[i] = frame_at((uint32_t)i, ledger_take(&l, lc.id), lc.id);
	assert_int_equal(d11tx_pipe_send_burst(q, f, 10), 10);
	d11tx_poll(q);
	assert_int_equal(d11tx_queue_stats_get(q, &s), 0);
	assert_int_equal(s.at_nic, NIC_RING - 1);
	assert_int_equal(s.staged, 1);
	assert_int_equal(s.pipe_pending, 10);
	assert_int_equal(d11tx_queue_inflight(q), 26);

	assert_int_equal(nic_drain(), NIC_RING - 1);
	assert_int_equal(d11tx_queue_stop(q, 1000), 0);
	assert_int_equal(d11tx_queue_inflight(q), 0);
	assert_int_equal(l.completed, 26);
	assert_int_equal(l.by_status[D11TX_STATUS_CANCELLED], 11);
	assert_int_equal(l.by_status[D11TX_STATUS_SENT], NIC_RING - 1);
	ledger_assert_clean(&l);
	assert_pools_full(q);
	/* Stopped: pipelined sends are refused, and polls send nothing. */
	assert_int_equal(d11tx_pipe_send_burst(q, f, 1), 0);
	assert_int_equal(rte_errno, ESHUTDOWN);
	assert_int_equal(d11tx_queue_destroy(q), 0);
	ledger_fini(&l);
}

/* A client or region whose frames wait in the pipelined ring cannot be
 * unregistered; once they completed, it can. */
static void
test_pipe_pending_blocks_unregister(void **state)
{
	static uint8_t other[256];
	struct ledger l;
	struct ledger_client lc;
	struct d11tx_queue *q = null_queue(64, 0, 64);
	struct d11tx_frame f;

	(void)state;
	ledger_open(&l, &lc, q, 4);
	assert_int_equal(d11tx_mem_register(q, other, sizeof(other)), 0);
	f = (struct d11tx_frame){ .data = other, .len = 64, .client = lc.id,
				  .handle = ledger_take(&l, lc.id) };
	assert_int_equal(d11tx_pipe_send_burst(q, &f, 1), 1);
	assert_int_equal(d11tx_mem_unregister(q, other), -EBUSY);
	assert_int_equal(d11tx_client_unregister(q, lc.id), -EBUSY);
	/* Still registered after the refused attempts. */
	f.handle = ledger_take(&l, lc.id);
	assert_int_equal(d11tx_pipe_send_burst(q, &f, 1), 1);
	poll_until_idle(q, 1000);
	assert_int_equal(l.completed, 2);
	assert_int_equal(d11tx_mem_unregister(q, other), 0);
	assert_int_equal(d11tx_client_unregister(q, lc.id), 0);
	/* Gone: refused with their own errors. */
	f.handle = ledger_take(&l, lc.id);
	assert_int_equal(d11tx_pipe_send_burst(q, &f, 1), 0);
	assert_int_equal(rte_errno, EFAULT);
	ledger_refused(f.handle);
	f = frame_at(0, ledger_take(&l, lc.id), lc.id);
	assert_int_equal(d11tx_pipe_send_burst(q, &f, 1), 0);
	assert_int_equal(rte_errno, ENOENT);
	ledger_refused(f.handle);
	ledger_assert_clean(&l);
	queue_close(q, &l);
}

struct producer {
	struct d11tx_queue *q;
	struct ledger ledger;
	struct ledger_client lc;
	uint32_t total;
	uint32_t first_slot;
	bool engine_bufs;
	uint64_t full;
};

static void *
producer_main(void *arg)
{
	struct producer *p = arg;
	uint32_t sent = 0;

	test_thread_unpin();
	while (sent < p->total) {
		struct ledger_entry *e[16];
		uint16_t n = (uint16_t)RTE_MIN(16u, p->total - sent), taken;

		for (uint16_t i = 0; i < n; i++)
			e[i] = ledger_take(&p->ledger, p->lc.id);
		if (p->engine_bufs) {
			struct d11tx_buf *b[16];

			if (d11tx_buf_alloc(p->q, b, n) != n) {
				p->ledger.used -= n;
				p->full++;
				sched_yield();
				continue;
			}
			for (uint16_t i = 0; i < n; i++)
				d11tx_buf_set(b[i], FRAME_LEN, p->lc.id, e[i]);
			taken = d11tx_pipe_buf_submit(p->q, b, n);
			if (taken < n)
				d11tx_buf_free(p->q, &b[taken], n - taken);
		} else {
			struct d11tx_frame f[16];

			for (uint16_t i = 0; i < n; i++)
				f[i] = frame_at(p->first_slot + (sent + i) % 256,
						e[i], p->lc.id);
			taken = d11tx_pipe_send_burst(p->q, f, n);
		}
		if (taken < n) {
			/* Backpressure: let the owner run. */
			p->full++;
			p->ledger.used -= n - taken;
			sched_yield();
		}
		sent += taken;
	}
	return NULL;
}

/* Two producer threads (one per buffer mode) feed the TX thread through
 * the MP ring; each handle is stamped with its producer's client and
 * must come back to it, once. */
static void
test_pipelined_producers(void **state)
{
	enum { PER_PRODUCER = 100000 };
	struct d11tx_queue *q = null_queue(1024, 2048, 256);
	struct producer p[2];
	pthread_t tid[2];
	uint64_t polls = 0;

	(void)state;
	for (int i = 0; i < 2; i++) {
		p[i] = (struct producer){ .q = q, .total = PER_PRODUCER,
					  .first_slot = (uint32_t)i * 256,
					  .engine_bufs = i == 1 };
		ledger_init(&p[i].ledger, PER_PRODUCER + 16);
		p[i].lc.ledger = &p[i].ledger;
		p[i].lc.id = (uint16_t)d11tx_client_register(q, ledger_cb, &p[i].lc);
	}
	for (int i = 0; i < 2; i++)
		assert_int_equal(pthread_create(&tid[i], NULL, producer_main, &p[i]), 0);
	while (p[0].ledger.completed + p[1].ledger.completed < 2ull * PER_PRODUCER &&
	       polls++ < 2000000000ull)
		d11tx_poll(q);
	for (int i = 0; i < 2; i++)
		pthread_join(tid[i], NULL);
	poll_until_idle(q, 1000000);
	for (int i = 0; i < 2; i++) {
		ledger_assert_clean(&p[i].ledger);
		assert_int_equal(p[i].ledger.completed, PER_PRODUCER);
		assert_int_equal(p[i].lc.completed, PER_PRODUCER);
	}
	assert_pools_full(q);
	assert_int_equal(d11tx_queue_destroy(q), 0);
	for (int i = 0; i < 2; i++)
		ledger_fini(&p[i].ledger);
}

struct churn {
	struct d11tx_queue *q;
	struct ledger ledger;
	struct ledger_client lc[2];   /* registered in turn at the same id */
	uint16_t id;
	volatile bool stop;
	uint64_t accepted;
	uint64_t refused_client;
	uint64_t refused_stopped;
	uint64_t unexpected_errno;
};

static void *
churn_producer(void *arg)
{
	struct churn *c = arg;
	uint32_t i = 0;

	test_thread_unpin();
	while (!c->stop && c->ledger.used < c->ledger.size) {
		struct ledger_entry *e = ledger_take(&c->ledger, c->id);
		struct d11tx_frame f = frame_at(i++, e, c->id);

		if (d11tx_pipe_send_burst(c->q, &f, 1) == 1) {
			c->accepted++;
			continue;
		}
		if (rte_errno == ENOENT || rte_errno == ESHUTDOWN) {
			if (rte_errno == ENOENT)
				c->refused_client++;
			else
				c->refused_stopped++;
			e->state = ENTRY_REFUSED;
			continue;
		}
		if (rte_errno != ENOBUFS)
			c->unexpected_errno++;
		c->ledger.used--; /* not offered: retry */
		sched_yield();
	}
	return NULL;
}

/* The owner unregisters the client and registers it again, with another
 * context, while a producer submits for it: every frame is either refused
 * with ENOENT or counted and completed once, and each registration's
 * callback gets frames only while it is the registered one. Runs until
 * every outcome was seen, so it cannot pass without racing. */
static void
test_pipe_unregister_race(void **state)
{
	enum { FRAMES = 2000000, SEEN = 200 };
	struct churn c = { .q = null_queue(256, 0, 64) };
	uint64_t unregistered = 0, busy = 0;
	const uint64_t deadline = rte_get_timer_cycles() + 60 * rte_get_timer_hz();
	unsigned int current = 0;
	pthread_t tid;

	(void)state;
	ledger_init(&c.ledger, FRAMES);
	for (int i = 0; i < 2; i++)
		c.lc[i] = (struct ledger_client){ .ledger = &c.ledger };
	c.id = (uint16_t)d11tx_client_register(c.q, ledger_cb, &c.lc[0]);
	c.lc[0].id = c.lc[1].id = c.id;
	assert_int_equal(pthread_create(&tid, NULL, churn_producer, &c), 0);
	while ((c.accepted < SEEN || c.refused_client < SEEN || busy < SEEN ||
		unregistered < SEEN || c.lc[0].completed == 0 ||
		c.lc[1].completed == 0) &&
	       c.ledger.used < c.ledger.size - 1 &&
	       rte_get_timer_cycles() < deadline) {
		for (int i = 0; i < 16; i++)
			d11tx_poll(c.q);
		int ret = d11tx_client_unregister(c.q, c.id);

		if (ret != 0) {
			assert_int_equal(ret, -EBUSY);
			busy++;
			continue;
		}
		unregistered++;
		/* Now and then stay away a while, so that the producer
		 * meets ENOENT too. */
		for (volatile int spin = 0; unregistered % 8 == 0 && spin < 500; spin++)
			;
		current ^= 1;
		assert_int_equal(d11tx_client_register(c.q, ledger_cb, &c.lc[current]),
				 c.id);
	}
	c.stop = true;
	pthread_join(tid, NULL);
	poll_until_idle(c.q, 1000000);
	print_message("churn: %" PRIu64 " accepted, %" PRIu64 " refused ENOENT, "
		      "%" PRIu64 " unregistered, %" PRIu64 " busy\n", c.accepted,
		      c.refused_client, unregistered, busy);
	assert_int_equal(c.unexpected_errno, 0);
	assert_true(c.accepted >= SEEN && c.refused_client >= SEEN);
	assert_true(busy >= SEEN && unregistered >= SEEN);
	ledger_assert_clean(&c.ledger);
	assert_int_equal(c.ledger.completed, c.accepted);
	assert_int_equal(c.lc[0].completed + c.lc[1].completed, c.accepted);
	assert_true(c.lc[0].completed > 0 && c.lc[1].completed > 0);
	queue_close(c.q, &c.ledger);
}

/* The owner stops and starts the queue while a producer submits: each
 * frame is accepted and completes once (SENT, or CANCELLED when the stop
 * found it still in the ring or staged), or is refused with ESHUTDOWN;
 * after every stop nothing is left in flight. */
static void
test_pipe_stop_start_race(void **state)
{
	enum { FRAMES = 2000000, SEEN = 200 };
	struct churn c = { .q = null_queue(256, 0, 64) };
	const uint64_t deadline = rte_get_timer_cycles() + 60 * rte_get_timer_hz();
	uint64_t stops = 0;
	pthread_t tid;

	(void)state;
	ledger_open(&c.ledger, &c.lc[0], c.q, FRAMES);
	c.id = c.lc[0].id;
	assert_int_equal(pthread_create(&tid, NULL, churn_producer, &c), 0);
	while ((c.accepted < SEEN || c.refused_stopped < SEEN || stops < SEEN ||
		c.ledger.by_status[D11TX_STATUS_CANCELLED] == 0) &&
	       c.ledger.used < c.ledger.size - 1 &&
	       rte_get_timer_cycles() < deadline) {
		for (int i = 0; i < 16; i++)
			d11tx_poll(c.q);
		assert_int_equal(d11tx_queue_stop(c.q, 1000), 0);
		stops++;
		assert_int_equal(d11tx_queue_inflight(c.q), 0);
		for (volatile int spin = 0; stops % 4 == 0 && spin < 500; spin++)
			;
		assert_int_equal(d11tx_queue_start(c.q), 0);
	}
	c.stop = true;
	pthread_join(tid, NULL);
	poll_until_idle(c.q, 1000000);
	print_message("stop/start: %" PRIu64 " stops, %" PRIu64 " accepted (%" PRIu64
		      " cancelled), %" PRIu64 " refused ESHUTDOWN\n", stops, c.accepted,
		      c.ledger.by_status[D11TX_STATUS_CANCELLED], c.refused_stopped);
	assert_int_equal(c.unexpected_errno, 0);
	assert_true(stops >= SEEN && c.accepted >= SEEN && c.refused_stopped >= SEEN);
	assert_true(c.ledger.by_status[D11TX_STATUS_CANCELLED] > 0);
	ledger_assert_clean(&c.ledger);
	assert_int_equal(c.ledger.completed, c.accepted);
	queue_close(c.q, &c.ledger);
}

struct region_swap {
	struct d11tx_queue *q;
	uint8_t *a;
	volatile bool stop;
	volatile bool a_registered;   /* owner's view, read by the callback */
	uint64_t accepted;
	uint64_t refused_region;
	uint64_t completed;
	uint64_t completed_while_gone;
};

static void
region_swap_cb(void *ctx, void *const handles[], const uint8_t status[],
	       const uint8_t retries[], uint16_t n)
{
	struct region_swap *rs = ctx;

	(void)handles;
	(void)status;
	(void)retries;
	rs->completed += n;
	if (!rs->a_registered)
		rs->completed_while_gone += n;
}

static void *
region_swap_producer(void *arg)
{
	struct region_swap *rs = arg;
	struct d11tx_frame f[16];

	test_thread_unpin();
	for (int i = 0; i < 16; i++)
		f[i] = (struct d11tx_frame){ .data = rs->a + 64 * i, .len = 64 };
	while (!rs->stop) {
		uint16_t k = d11tx_pipe_send_burst(rs->q, f, 16);

		rs->accepted += k;
		if (k < 16 && rte_errno == EFAULT)
			rs->refused_region++;
		if (k < 16)
			sched_yield();
	}
	return NULL;
}

/* A producer sends only from region A; the owner unregisters A and
 * registers B in the same slot, and back. Once unregister(A) returned 0,
 * no frame from A may complete until A is registered again: a frame
 * checked against A must not be accepted under B. */
static void
test_pipe_region_reuse_race(void **state)
{
	enum { SEEN = 200 };
	struct region_swap rs = { .q = null_queue(1024, 0, 256) };
	uint8_t *b;
	uint64_t swaps = 0;
	const uint64_t deadline = rte_get_timer_cycles() + 60 * rte_get_timer_hz();
	pthread_t tid;

	(void)state;
	/* The fixture's region is not needed here: only A and B. */
	assert_int_equal(d11tx_mem_unregister(rs.q, region), 0);
	rs.a = region;
	b = region + 4096;
	assert_int_equal(d11tx_client_register(rs.q, region_swap_cb, &rs), 0);
	assert_int_equal(d11tx_mem_register(rs.q, rs.a, 4096), 0);
	rs.a_registered = true;
	assert_int_equal(pthread_create(&tid, NULL, region_swap_producer, &rs), 0);
	while ((swaps < SEEN || rs.accepted < SEEN || rs.refused_region < SEEN) &&
	       rte_get_timer_cycles() < deadline) {
		for (int i = 0; i < 4; i++)
			d11tx_poll(rs.q);
		if (d11tx_mem_unregister(rs.q, rs.a) != 0)
			continue;
		rs.a_registered = false;
		assert_int_equal(d11tx_mem_register(rs.q, b, 4096), 0);
		swaps++;
		for (int i = 0; i < 8; i++)
			d11tx_poll(rs.q);
		/* Nothing is sent from B, but the counter is the slot's: a
		 * producer backing out of A may hold it for a moment. It
		 * must come free, never stay stuck. */
		int ret, tries = 0;

		while ((ret = d11tx_mem_unregister(rs.q, b)) == -EBUSY &&
		       ++tries < 1000000)
			d11tx_poll(rs.q);
		assert_int_equal(ret, 0);
		assert_int_equal(d11tx_mem_register(rs.q, rs.a, 4096), 0);
		rs.a_registered = true;
	}
	rs.stop = true;
	pthread_join(tid, NULL);
	poll_until_idle(rs.q, 1000000);
	print_message("region swap: %" PRIu64 " swaps, %" PRIu64 " accepted, %" PRIu64
		      " bursts refused EFAULT\n", swaps, rs.accepted, rs.refused_region);
	assert_int_equal(rs.completed_while_gone, 0);
	assert_int_equal(rs.completed, rs.accepted);
	assert_true(swaps >= SEEN && rs.accepted >= SEEN && rs.refused_region >= SEEN);
	assert_pools_full(rs.q);
	assert_int_equal(d11tx_queue_destroy(rs.q), 0);
}

/* One reclaim pass of 256 frames for three clients, interleaved: each
 * client gets its own frames, in calls of at most 64. */
struct bucket_client {
	struct ledger_client lc;
	uint16_t largest_call;
};

static void
bucket_cb(void *ctx, void *const handles[], const uint8_t status[],
	  const uint8_t retries[], uint16_t n)
{
	struct bucket_client *bc = ctx;

	if (n > bc->largest_call)
		bc->largest_call = n;
	ledger_cb(&bc->lc, handles, status, retries, n);
}

static void
test_dispatch_buckets(void **state)
{
	enum { CLIENTS = 3, TOTAL = 256 };
	struct d11tx_queue *q = null_queue(512, 0, 0);
	struct bucket_client bc[CLIENTS];
	struct d11tx_frame f[TOTAL];
	struct d11tx_queue_stats s;
	struct ledger l;

	(void)state;
	ledger_init(&l, TOTAL);
	for (int c = 0; c < CLIENTS; c++) {
		bc[c] = (struct bucket_client){ .lc.ledger = &l };
		bc[c].lc.id = (uint16_t)d11tx_client_register(q, bucket_cb, &bc[c]);
	}
	for (int i = 0; i < TOTAL; i++) {
		const uint16_t c = (uint16_t)(i % CLIENTS);

		f[i] = frame_at((uint32_t)i, ledger_take(&l, c), c);
	}
	assert_int_equal(d11tx_send_burst(q, f, TOTAL), TOTAL);
	/* net_null frees in tx_burst: one poll sends and reclaims all. */
	assert_int_equal(d11tx_poll(q), TOTAL);
	assert_int_equal(d11tx_queue_stats_get(q, &s), 0);
	assert_int_equal(s.reclaim_passes, 1);
	for (int c = 0; c < CLIENTS; c++) {
		assert_int_equal(bc[c].lc.completed, (TOTAL + CLIENTS - 1 - c) / CLIENTS);
		assert_int_equal(bc[c].largest_call, 64);
		/* 86 or 85 frames: one full bucket and the rest. */
		assert_int_equal(bc[c].lc.calls, 2);
	}
	ledger_assert_clean(&l);
	queue_close(q, &l);
}

/* Attaching to a TX queue the port does not have is refused; a port set
 * up by the app is attached to, and destroy leaves it to the app. */
static void
test_attach_queue_checks(void **state)
{
	struct d11tx_queue_conf c = { .port_id = ring_port, .queue_id = 1 };
	struct d11tx_queue *q;

	(void)state;
	rte_errno = 0;
	assert_null(d11tx_queue_create(&c));
	assert_int_equal(rte_errno, EINVAL);
	c.queue_id = 0;
	q = d11tx_queue_create(&c);
	assert_non_null(q);
	assert_int_equal(d11tx_queue_destroy(q), 0);
	/* Still started: the engine did not stop what it did not start. */
	struct rte_mbuf *m = rte_pktmbuf_alloc(rte_mempool_lookup("net_ring_test_rx"));

	assert_non_null(m);
	m->pkt_len = m->data_len = 60;
	assert_int_equal(rte_eth_tx_burst(ring_port, 0, &m, 1), 1);
	assert_int_equal(nic_drain(), 1);
}

static void
test_app_owned_exactly_once_null_refcnt(void **state)
{
	extra_flags = D11TX_QF_REFCNT_RECLAIM;
	test_app_owned_exactly_once_null(state);
	extra_flags = 0;
}

static void
test_engine_owned_exactly_once_null_refcnt(void **state)
{
	extra_flags = D11TX_QF_REFCNT_RECLAIM;
	test_engine_owned_exactly_once_null(state);
	extra_flags = 0;
}

static void
test_destroy_in_flight_refcnt(void **state)
{
	extra_flags = D11TX_QF_REFCNT_RECLAIM;
	test_destroy_in_flight(state);
	extra_flags = 0;
}

static int
setup_ports(void **state)
{
	static const char *const vdevs[] = { "net_null0", NULL };
	(void)state;
	test_eal_init("test_core", vdevs);
	null_port = 0;
	/* Frames sent on the ring port land in nic_ring, where the test
	 * plays the receiver. */
	ring_port = test_ring_port("net_ring_test", NIC_RING, &nic_ring);
	region = rte_zmalloc("frames", (size_t)SLOT * SLOTS, 64);
	assert_non_null(region);
	return 0;
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_app_owned_exactly_once_null),
		cmocka_unit_test(test_engine_owned_exactly_once_null),
		cmocka_unit_test(test_app_owned_exactly_once_null_refcnt),
		cmocka_unit_test(test_engine_owned_exactly_once_null_refcnt),
		cmocka_unit_test(test_destroy_in_flight_refcnt),
		cmocka_unit_test(test_ring_partial_bursts_and_lazy_completion),
		cmocka_unit_test(test_ring_stop_in_flight),
		cmocka_unit_test(test_destroy_in_flight),
		cmocka_unit_test(test_stop_cancels_staged),
		cmocka_unit_test(test_dispatch_buckets),
		cmocka_unit_test(test_attach_queue_checks),
		cmocka_unit_test(test_pipelined_producers),
		cmocka_unit_test(test_pipe_stop_with_full_fifo),
		cmocka_unit_test(test_pipe_pending_blocks_unregister),
		cmocka_unit_test(test_pipe_unregister_race),
		cmocka_unit_test(test_pipe_region_reuse_race),
		cmocka_unit_test(test_pipe_stop_start_race),
	};

	apply_test_filter();
	return cmocka_run_group_tests_name("core", tests, setup_ports, NULL);
}
