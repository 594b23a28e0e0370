/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Pipelined mode under contention: three producer threads submit through
 * the multi-producer ring (d11tx_pipe_send_burst, d11tx_pipe_buf_submit)
 * to the queue's owner, the main lcore, while completions flow back and
 * the owner stops and restarts the queue under them.
 *
 * As DPDK's ring stress tests stamp each object with its owner and check
 * the stamp at every hand-over, every handle here is its producer's id
 * and a sequence number of that producer's: a burst's accepted frames
 * take the next numbers, refused ones are offered again with the same
 * numbers, so producer p's accepted frames are exactly 1..accepted[p].
 * The producers move off the owner's CPU (test_thread_unpin) and share
 * what is left: on two cores, three producers share one.
 *
 * The owner also submits frames of its own, directly (d11tx_send_burst,
 * d11tx_buf_submit), as a fourth source numbered like the producers: its
 * frames and the pipelined ones share the FIFO. The port is configured by
 * the engine or, depending on the seed, by the test (then a stop stops the
 * TX queue alone).
 *
 * Producers 0 and 1 have their completions checked on the owner thread,
 * in their clients' callbacks; producer 2's callback only forwards them
 * through a ring of its own, and producer 2 checks them on its thread.
 * The checks, per producer:
 * - each sequence number completes exactly once, to that producer's
 *   client, and only numbers that were accepted;
 * - in increasing order (one queue completes in order), except inside a
 *   stop, where every completion is newer than those before it and the
 *   ones never handed to the NIC (CANCELLED) are newer than the ones it
 *   gave back;
 * - statuses fit: broadcast frames SENT, unicast ACKED or NOACK (after
 *   exactly retry_limit retries), DROPPED and CANCELLED only in a stop.
 * Refusals: ENOBUFS (ring or pool full) and ESHUTDOWN (stopped) are
 * retried; any other is a failure. Every stop returns 0 with nothing left
 * in flight, whatever the producers are doing. At the end the engine's
 * counters (submitted, completed by status, refused by reason, retries)
 * and the port's xstats equal the ledger's, and the pools are full.
 *
 * Usage: pipe_stress [EAL options --] [--long] [--frames N] [--seed S] [--quiet]
 * Exit 0 pass, 1 fail (an EAL that cannot start too).
 */
#include <errno.h>
#include <pthread.h>
#include <sched.h>

#include <rte_bus_vdev.h>
#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_ethdev.h>
#include <rte_lcore.h>
#include <rte_ring.h>
#include <rte_ring_elem.h>

#include <dot11tx/dot11tx.h>

#include "common.h"        /* test_thread_unpin() */
#include "soak_util.h"

#define SHORT_FRAMES 1000000ull
#define LONG_FRAMES 50000000ull

#define NB_PRODUCERS 3         /* threads */
#define FORWARDED 2            /* the producer that checks its own */
#define OWNER NB_PRODUCERS     /* the owner's direct submits, numbered alike */
#define NB_SOURCES (NB_PRODUCERS + 1)
#define MAX_BURST 64
#define TMPL_SIZE 2048
#define FWD_RING 8192
#define STOP_EVERY 4000        /* frames between stops, on average */
#define FLAP_EVERY 4000        /* ... and between link flaps by the owner */
#define H_PRODUCER_SHIFT 56

/* A completion as producer 2's callback forwards it. */
struct fwd_elem {
	uint64_t handle;
	uint32_t epoch;        /* the owner's stop count */
	uint8_t status;
	uint8_t retries;
	uint8_t in_stop;
	uint8_t pad;
};

/* The ledger of one producer's completions, kept by whoever checks them. */
struct checker {
	unsigned int producer;
	uint8_t *done;          /* a bit per sequence number */
	uint64_t cap;           /* sequence numbers it has room for */
	uint64_t last_seq;
	/* The stop being delivered. */
	bool stop_open;
	uint32_t stop_epoch;
	uint64_t stop_max, stop_max_returned, stop_min_cancelled;

	uint64_t completed;
	uint64_t by_status[D11TX_STATUS_MAX];
	uint64_t retries;
	uint64_t calls;
	uint64_t duplicates, out_of_order, bad_status, wrong_client, garbage,
		 stop_order;
};

struct producer {
	unsigned int id;
	pthread_t thread;
	struct rng rng;
	uint16_t client;
	uint64_t quota;
	uint64_t next_seq;      /* the first number not yet accepted */
	uint64_t accepted;      /* written by its thread, read by the owner */
	uint64_t accepted_app, accepted_buf;
	uint64_t calls, enobufs, eshutdown, other, alloc_fail, yields;
	uint64_t fwd_full;
	struct rte_ring *fwd;   /* FORWARDED: its completions */
	uint64_t drained;
	bool done;
	/* Written by whoever checks: the owner, or FORWARDED itself. */
	struct checker ck __rte_cache_aligned;
} __rte_cache_aligned;

static struct soak_opts opts;
static struct d11tx_queue *q;
static uint16_t port;
static char port_name[32] = "net_wlansim200";
static char port_args[256];
static uint8_t retry_limit;
static uint8_t *tmpl;          /* unicast at 0, broadcast at TMPL_SIZE */
static struct producer producers[NB_SOURCES];
static bool app_port;          /* the test configured the port */
static uint32_t ring_size, pipe_size;

/* The owner's stop state, read by the callbacks on its thread. */
static bool in_stop;
static uint32_t epoch;
static uint64_t stops, stop_max_tsc, forced_flaps;
static uint32_t producers_running;

/* Broadcast or unicast: a function of the frame's identity, so that the
 * checker knows which statuses fit. */
static inline bool
is_group(unsigned int p, uint64_t seq)
{
	uint64_t x = (uint64_t)p << H_PRODUCER_SHIFT | seq;

	return splitmix64(&x) % 10 == 0;
}

static inline void *
make_handle(unsigned int p, uint64_t seq)
{
	return (void *)(uintptr_t)((uint64_t)(p + 1) << H_PRODUCER_SHIFT | seq);
}

/* ---------- the checks ---------- */

static void
stop_close(struct checker *k)
{
	if (!k->stop_open)
		return;
	if (k->stop_min_cancelled != UINT64_MAX &&
	    k->stop_max_returned >= k->stop_min_cancelled) {
		k->stop_order++;
		soak_fail("producer %u: a stop cancelled frame %" PRIu64
			  " but the NIC gave back %" PRIu64, k->producer,
			  k->stop_min_cancelled, k->stop_max_returned);
	}
	if (k->stop_max > k->last_seq)
		k->last_seq = k->stop_max;
	k->stop_open = false;
}

static void
check_one(struct checker *k, uint64_t handle, uint8_t st, uint8_t r,
	  bool stopping, uint32_t ep)
{
	const unsigned int p = (unsigned int)(handle >> H_PRODUCER_SHIFT) - 1;
	const uint64_t seq = handle & ((1ull << H_PRODUCER_SHIFT) - 1);
	bool ok;

	if (k->stop_open && (!stopping || ep != k->stop_epoch))
		stop_close(k);
	if (stopping && !k->stop_open) {
		k->stop_open = true;
		k->stop_epoch = ep;
		k->stop_max = k->stop_max_returned = 0;
		k->stop_min_cancelled = UINT64_MAX;
	}
	if (p != k->producer) {
		k->wrong_client++;
		soak_fail("producer %u's client got a handle of producer %u",
			  k->producer, p);
		return;
	}
	if (seq == 0 || seq >= k->cap) {
		k->garbage++;
		soak_fail("producer %u: completion of number %" PRIu64
			  ", never submitted", p, seq);
		return;
	}
	if (k->done[seq / 8] & (1u << (seq % 8))) {
		k->duplicates++;
		soak_fail("producer %u: frame %" PRIu64 " completed twice", p, seq);
		return;
	}
	k->done[seq / 8] |= (uint8_t)(1u << (seq % 8));
	if (seq <= k->last_seq) {
		k->out_of_order++;
		soak_fail("producer %u: frame %" PRIu64 " completed after %" PRIu64 "%s",
			  p, seq, k->last_seq, stopping ? " (in a stop)" : "");
	}
	if (!stopping) {
		k->last_seq = seq;
	} else {
		if (seq > k->stop_max)
			k->stop_max = seq;
		if (st == D11TX_STATUS_CANCELLED) {
			if (seq < k->stop_min_cancelled)
				k->stop_min_cancelled = seq;
		} else if (seq > k->stop_max_returned) {
			k->stop_max_returned = seq;
		}
	}
	switch (st) {
	case D11TX_STATUS_ACKED:
		ok = !is_group(p, seq) && r <= retry_limit;
		break;
	case D11TX_STATUS_NOACK:
		ok = !is_group(p, seq) && r == retry_limit;
		break;
	case D11TX_STATUS_SENT:
		ok = is_group(p, seq) && r == 0;
		break;
	case D11TX_STATUS_DROPPED:
	case D11TX_STATUS_CANCELLED:
		ok = stopping && r == 0;
		break;
	default:
		ok = false;
	}
	if (!ok) {
		k->bad_status++;
		soak_fail("producer %u: frame %" PRIu64 " (%s) completed %s, %u retries%s",
			  p, seq, is_group(p, seq) ? "broadcast" : "unicast",
			  d11tx_status_name(st), r, stopping ? " in a stop" : "");
	}
	if (st < D11TX_STATUS_MAX)
		k->by_status[st]++;
	k->retries += r;
	k->completed++;
}

/* Producers 0 and 1: checked here, on the owner thread. */
static void
cb_check(void *ctx, void *const handles[], const uint8_t status[],
	 const uint8_t retries[], uint16_t n)
{
	struct checker *k = ctx;

	k->calls++;
	for (uint16_t i = 0; i < n; i++)
		check_one(k, (uint64_t)(uintptr_t)handles[i], status[i], retries[i],
			  in_stop, epoch);
}

/* Producer 2: forwarded to its own ring, checked on its thread. */
static void
cb_forward(void *ctx, void *const handles[], const uint8_t status[],
	   const uint8_t retries[], uint16_t n)
{
	struct producer *pr = ctx;
	struct fwd_elem e[MAX_BURST];

	pr->ck.calls++;
	for (uint16_t i = 0; i < n; i += MAX_BURST) {
		const uint16_t k = (uint16_t)RTE_MIN(n - i, MAX_BURST);

		for (uint16_t j = 0; j < k; j++)
			e[j] = (struct fwd_elem){
				.handle = (uint64_t)(uintptr_t)handles[i + j],
				.status = status[i + j], .retries = retries[i + j],
				.in_stop = in_stop, .epoch = epoch };
		if (rte_ring_sp_enqueue_bulk_elem(pr->fwd, e, sizeof(e[0]), k, NULL) != k) {
			pr->fwd_full++;
			soak_fail("producer %u's completion ring is full", pr->id);
		}
	}
}

static unsigned int
fwd_drain(struct producer *pr)
{
	struct fwd_elem e[MAX_BURST];
	const unsigned int n = rte_ring_sc_dequeue_burst_elem(pr->fwd, e, sizeof(e[0]),
							      MAX_BURST, NULL);

	for (unsigned int i = 0; i < n; i++)
		check_one(&pr->ck, e[i].handle, e[i].status, e[i].retries,
			  e[i].in_stop, e[i].epoch);
	__atomic_store_n(&pr->drained, pr->drained + n, __ATOMIC_RELAXED);
	return n;
}

/* ---------- producers ---------- */

static void
refused(struct producer *pr, uint16_t taken, uint16_t n)
{
	if (taken == n)
		return;
	if (rte_errno == ENOBUFS) {
		pr->enobufs++;
	} else if (rte_errno == ESHUTDOWN) {
		pr->eshutdown++;
	} else {
		pr->other++;
		soak_fail("producer %u: refused: %s", pr->id, rte_strerror(rte_errno));
	}
}

/*
 * One burst of source @p pr: pipelined from a producer thread, direct from
 * the owner. Returns false when it had to wait (refused, or no room for
 * its completions).
 */
static bool
source_step(struct producer *pr)
{
	const bool direct = pr->id == OWNER;
	uint16_t n = (uint16_t)(rng_one_in(&pr->rng, 8) ? 1
				: rng_range(&pr->rng, 1, MAX_BURST));
	const bool app = rng_one_in(&pr->rng, 2);
	uint16_t taken;

	if (pr->fwd != NULL) {
		fwd_drain(pr);
		/* Room in its ring for every completion to come. */
		if (pr->accepted - pr->drained + MAX_BURST >= FWD_RING - 1)
			return false;
	}
	n = (uint16_t)RTE_MIN((uint64_t)n, pr->quota - pr->accepted);
	if (n == 0)
		return false;
	pr->calls++;
	if (app) {
		struct d11tx_frame f[MAX_BURST];

		for (uint16_t i = 0; i < n; i++) {
			const uint64_t seq = pr->next_seq + i;

			f[i] = (struct d11tx_frame){
				.data = tmpl + (is_group(pr->id, seq) ? TMPL_SIZE : 0),
				.len = rng_range(&pr->rng, SOAK_MIN_LEN, TMPL_SIZE),
				.handle = make_handle(pr->id, seq),
				.client = pr->client };
		}
		rte_errno = 0;
		taken = direct ? d11tx_send_burst(q, f, n) : d11tx_pipe_send_burst(q, f, n);
		pr->accepted_app += taken;
	} else {
		struct d11tx_buf *b[MAX_BURST];

		if (d11tx_buf_alloc(q, b, n) != n) {
			if (rte_errno != ENOBUFS)
				soak_fail("producer %u: d11tx_buf_alloc: %s", pr->id,
					  rte_strerror(rte_errno));
			pr->alloc_fail++;
			return false;
		}
		for (uint16_t i = 0; i < n; i++) {
			const uint64_t seq = pr->next_seq + i;
			const uint32_t len = rng_range(&pr->rng, SOAK_MIN_LEN,
						       d11tx_buf_room(q));

			soak_write_frame(d11tx_buf_data(b[i]), len,
					 is_group(pr->id, seq), seq);
			d11tx_buf_set(b[i], len, pr->client, make_handle(pr->id, seq));
		}
		rte_errno = 0;
		taken = direct ? d11tx_buf_submit(q, b, n) : d11tx_pipe_buf_submit(q, b, n);
		if (taken < n)
			d11tx_buf_free(q, &b[taken], (uint16_t)(n - taken));
		pr->accepted_buf += taken;
	}
	refused(pr, taken, n);
	/* Accepted: the next numbers. Refused: offered again. */
	pr->next_seq += taken;
	__atomic_store_n(&pr->accepted, pr->accepted + taken, __ATOMIC_RELEASE);
	return taken == n;
}

static void *
producer_main(void *arg)
{
	struct producer *pr = arg;

	test_thread_unpin();
	while (pr->accepted < pr->quota && !soak_failed())
		if (!source_step(pr)) {
			pr->yields++;
			sched_yield();
		}
	/* The forwarded producer waits for all its completions. */
	while (pr->fwd != NULL && !soak_failed() &&
	       __atomic_load_n(&pr->drained, __ATOMIC_RELAXED) < pr->accepted)
		if (fwd_drain(pr) == 0)
			sched_yield();
	__atomic_store_n(&pr->done, true, __ATOMIC_RELEASE);
	__atomic_fetch_sub(&producers_running, 1, __ATOMIC_RELEASE);
	return NULL;
}

/* ---------- the owner ---------- */

static void
check_quiet(const char *when)
{
	struct d11tx_queue_stats s;

	CHECK(d11tx_queue_inflight(q) == 0, "%s: %u frames in flight", when,
	      d11tx_queue_inflight(q));
	d11tx_queue_stats_get(q, &s);
	CHECK(s.staged + s.at_nic + s.pipe_pending == 0,
	      "%s: staged %u, at the NIC %u, pipelined %u", when, s.staged, s.at_nic,
	      s.pipe_pending);
}

static void
owner_stop(struct rng *rng, uint32_t timeout_us)
{
	static const uint32_t timeouts[] = { 0, 0, 10, 100, 1000 };
	uint64_t t0, dt;
	int ret;

	if (timeout_us == UINT32_MAX)
		timeout_us = timeouts[rng_range(rng, 0, RTE_DIM(timeouts) - 1)];
	epoch++;
	in_stop = true;
	t0 = rte_get_tsc_cycles();
	ret = d11tx_queue_stop(q, timeout_us);
	dt = rte_get_tsc_cycles() - t0;
	in_stop = false;
	stops++;
	if (dt > stop_max_tsc)
		stop_max_tsc = dt;
	CHECK(ret == 0, "d11tx_queue_stop: %d", ret);
	check_quiet("after a stop");
	for (unsigned int p = 0; p < NB_SOURCES; p++)
		if (p != FORWARDED)
			stop_close(&producers[p].ck);
}

static uint64_t
total_accepted(void)
{
	uint64_t n = 0;

	for (unsigned int p = 0; p < NB_SOURCES; p++)
		n += __atomic_load_n(&producers[p].accepted, __ATOMIC_ACQUIRE);
	return n;
}

static void
owner_run(struct rng *rng)
{
	const uint64_t hz = rte_get_tsc_hz();
	const uint64_t t0 = rte_get_tsc_cycles();
	uint64_t next_progress = t0 + hz, last = 0, last_tsc = t0;
	bool link_down = false;
	uint64_t link_up_at = 0, polls = 0;
	/* Faults by frames accepted, so that their share does not depend
	 * on how fast the producers get the CPU. */
	uint64_t next_stop = rng_range(rng, 1, 2 * STOP_EVERY);
	uint64_t next_flap = rng_range(rng, 1, 2 * FLAP_EVERY);

	while (__atomic_load_n(&producers_running, __ATOMIC_ACQUIRE) != 0) {
		const uint64_t accepted = total_accepted();

		for (uint32_t k = rng_range(rng, 1, 8); k > 0; k--, polls++)
			d11tx_poll(q);
		if (rng_one_in(rng, 4))
			source_step(&producers[OWNER]);
		if (link_down && polls >= link_up_at) {
			CHECK(rte_eth_dev_set_link_up(port) == 0, "set_link_up failed");
			link_down = false;
		} else if (!link_down && accepted >= next_flap &&
			   rte_eth_dev_set_link_down(port) == 0) {
			link_down = true;
			forced_flaps++;
			link_up_at = polls + rng_range(rng, 10, 500);
			next_flap = accepted + rng_range(rng, 1, 2 * FLAP_EVERY);
		}
		if (accepted >= next_stop) {
			owner_stop(rng, UINT32_MAX);
			/* Stopped a while: producers meet ESHUTDOWN. */
			const uint64_t until = rte_get_tsc_cycles() +
				hz / 1000000 * rng_range(rng, 0, 100);

			while (rte_get_tsc_cycles() < until)
				CHECK(d11tx_poll(q) == 0, "a stopped queue completed frames");
			CHECK(d11tx_queue_start(q) == 0, "d11tx_queue_start failed");
			next_stop = accepted + rng_range(rng, 1, 2 * STOP_EVERY);
		}
		if (opts.long_run && !opts.quiet && rte_get_tsc_cycles() >= next_progress) {
			const uint64_t now = rte_get_tsc_cycles(), n = total_accepted();

			printf("[%6.0f s] %8.2f M frames  %5.2f M/s  stops %" PRIu64
			       " (longest %.2f ms)  in flight %u\n", soak_seconds(t0, now),
			       (double)n / 1e6, (double)(n - last) / soak_seconds(last_tsc, now) / 1e6,
			       stops, 1e3 * (double)stop_max_tsc / (double)hz,
			       d11tx_queue_inflight(q));
			fflush(stdout);
			last = n;
			last_tsc = now;
			next_progress += hz;
		}
	}
	if (link_down)
		CHECK(rte_eth_dev_set_link_up(port) == 0, "set_link_up failed");
	const uint64_t deadline = rte_get_tsc_cycles() + 10 * hz;

	while (d11tx_queue_inflight(q) != 0 && rte_get_tsc_cycles() < deadline)
		d11tx_poll(q);
	CHECK(d11tx_queue_inflight(q) == 0, "%u frames in flight 10 s after the last "
	      "submit with the link up", d11tx_queue_inflight(q));
	owner_stop(rng, 1000);
}

/* ---------- the end ---------- */

static void
verify(double secs)
{
	struct d11tx_queue_stats s;
	uint64_t accepted = 0, completed = 0, by_status[D11TX_STATUS_MAX] = { 0 };
	uint64_t retries = 0, enobufs = 0, eshutdown = 0, lost = 0, bad = 0;

	/* Producer 2's last completions, if its thread left any. */
	fwd_drain(&producers[FORWARDED]);
	stop_close(&producers[FORWARDED].ck);
	for (unsigned int p = 0; p < NB_SOURCES; p++) {
		struct producer *pr = &producers[p];
		struct checker *k = &pr->ck;
		uint64_t missing = 0;

		for (uint64_t seq = 1; seq <= pr->accepted; seq++)
			if (!(k->done[seq / 8] & (1u << (seq % 8))))
				missing++;
		CHECK(missing == 0, "producer %u: %" PRIu64 " accepted frames never completed",
		      p, missing);
		CHECK(k->completed == pr->accepted, "producer %u: %" PRIu64 " accepted, %"
		      PRIu64 " completed", p, pr->accepted, k->completed);
		CHECK(pr->next_seq == pr->accepted + 1, "producer %u: numbering", p);
		lost += missing;
		accepted += pr->accepted;
		completed += k->completed;
		retries += k->retries;
		enobufs += pr->enobufs;
		eshutdown += pr->eshutdown;
		for (int st = 0; st < D11TX_STATUS_MAX; st++)
			by_status[st] += k->by_status[st];
		bad += k->duplicates + k->out_of_order + k->bad_status + k->wrong_client +
			k->garbage + k->stop_order + pr->other + pr->fwd_full;
	}
	d11tx_queue_stats_get(q, &s);
	CHECK_EQ("engine submitted", s.submitted, accepted);
	for (unsigned int st = 0; st < D11TX_STATUS_MAX; st++)
		if (s.completed[st] != by_status[st])
			soak_fail("engine completed %" PRIu64 " %s, the ledger %" PRIu64,
				  s.completed[st], d11tx_status_name(st), by_status[st]);
	CHECK_EQ("engine retries", s.retries, retries);
	for (unsigned int r = 0; r < D11TX_REFUSED_MAX; r++) {
		const uint64_t want = r == D11TX_REFUSED_FULL ? enobufs
			: r == D11TX_REFUSED_STOPPED ? eshutdown : 0;

		if (s.refused[r] != want)
			soak_fail("engine refused %" PRIu64 " calls %s, the producers saw %"
				  PRIu64, s.refused[r], d11tx_refusal_name(r), want);
	}
	CHECK(s.hdr_pool_free == s.hdr_pool_size, "header pool %u of %u free",
	      s.hdr_pool_free, s.hdr_pool_size);
	CHECK(s.buf_pool_free == s.buf_pool_size, "buffer pool %u of %u free",
	      s.buf_pool_free, s.buf_pool_size);
	CHECK_EQ("xstat acked", soak_qxstat(port, 0, "acked"), by_status[D11TX_STATUS_ACKED]);
	CHECK_EQ("xstat noack", soak_qxstat(port, 0, "noack"), by_status[D11TX_STATUS_NOACK]);
	CHECK_EQ("xstat no_ack_policy", soak_qxstat(port, 0, "no_ack_policy"),
		 by_status[D11TX_STATUS_SENT]);
	CHECK_EQ("xstat dropped", soak_qxstat(port, 0, "dropped"),
		 by_status[D11TX_STATUS_DROPPED]);
	CHECK_EQ("xstat retries", soak_qxstat(port, 0, "retries"), retries);

	if (!opts.quiet) {
		printf("\nport %s,%s (configured by %s)\nqueue: ring %u, pipelined ring %u\n",
		       port_name, port_args, app_port ? "the test" : "the engine",
		       ring_size, pipe_size);
		for (unsigned int p = 0; p < NB_SOURCES; p++) {
			const struct producer *pr = &producers[p];

			printf("  %s %u (%s): %" PRIu64 " accepted (%" PRIu64 " app-owned, %"
			       PRIu64 " engine-owned) in %" PRIu64 " calls; refused %" PRIu64
			       " full, %" PRIu64 " stopped; %" PRIu64 " buffer reservations "
			       "failed; %" PRIu64 " completion calls\n",
			       p == OWNER ? "source" : "producer", p,
			       p == OWNER ? "the owner, direct submits" :
			       p == FORWARDED ? "checks its own completions" : "checked by the owner",
			       pr->accepted, pr->accepted_app, pr->accepted_buf, pr->calls,
			       pr->enobufs, pr->eshutdown, pr->alloc_fail, pr->ck.calls);
		}
		printf("\n");
	}
	printf("pipe_stress: seed %" PRIu64 " (--seed %" PRIu64 " replays it)\n",
	       opts.seed, opts.seed);
	printf("  producers            %d threads on %ld CPUs less the owner's, and the owner\n",
	       NB_PRODUCERS, sysconf(_SC_NPROCESSORS_ONLN));
	printf("  frames accepted      %" PRIu64 " in %.1f s, %.2f M/s\n", accepted, secs,
	       (double)accepted / secs / 1e6);
	printf("  refused and retried  %" PRIu64 " full, %" PRIu64 " stopped (engine agrees)\n",
	       enobufs, eshutdown);
	printf("  completed            %" PRIu64 ": acked %" PRIu64 ", noack %" PRIu64
	       ", sent %" PRIu64 ", dropped %" PRIu64 ", cancelled %" PRIu64 "\n",
	       completed, by_status[D11TX_STATUS_ACKED], by_status[D11TX_STATUS_NOACK],
	       by_status[D11TX_STATUS_SENT], by_status[D11TX_STATUS_DROPPED],
	       by_status[D11TX_STATUS_CANCELLED]);
	printf("  stops                %" PRIu64 " with producers running, longest %.2f ms\n",
	       stops, 1e3 * (double)stop_max_tsc / (double)rte_get_tsc_hz());
	printf("  link flaps           %" PRIu64 " (devargs %" PRIu64 ", by the owner %" PRIu64
	       ")\n", soak_xstat(port, "link_down_events") + forced_flaps,
	       soak_xstat(port, "link_down_events"), forced_flaps);
	printf("  lost                 %" PRIu64 "\n", lost);
	printf("  duplicates, out of order, wrong producer, bad status: %" PRIu64 "\n", bad);
	printf("  pools full, engine stats and xstats agree: %s\n",
	       soak_failures == 0 ? "yes" : "see failures");
}

int
main(int argc, char **argv)
{
	static const uint32_t rings[] = { 256, 512, 1024, 2048 };
	static const uint32_t pipes[] = { 32, 64, 256, 1024 };
	struct eal_args eal;
	struct d11tx_queue_conf c = { 0 };
	struct rng rng;
	uint64_t t0;
	double secs;
	int ret;

	soak_start("pipe_stress", "pipelined producers under contention, with stops",
		   SHORT_FRAMES, LONG_FRAMES, argc, argv, &eal, &opts, &rng);
	retry_limit = (uint8_t)rng_range(&rng, 0, 7);
	snprintf(port_args, sizeof(port_args),
		 "seed=%" PRIu64 ",ack_loss=%.3f,retry_limit=%u,refuse=%.3f,"
		 "stall_us=%u,stall_every=%u,link_down_after=%u,link_down_us=%u,ring=%u",
		 opts.seed, 0.05 + 0.3 * rng_unit(&rng), retry_limit,
		 0.02 + 0.2 * rng_unit(&rng), rng_range(&rng, 50, 500),
		 rng_range(&rng, 500, 5000), rng_range(&rng, 2000, 20000),
		 rng_range(&rng, 50, 1000), 64u << rng_range(&rng, 0, 3));
	if (rte_vdev_init(port_name, port_args) != 0 ||
	    rte_eth_dev_get_port_by_name(port_name, &port) != 0) {
		fprintf(stderr, "pipe_stress: cannot create %s,%s\n", port_name, port_args);
		return SOAK_FAIL;
	}
	ring_size = rings[rng_range(&rng, 0, RTE_DIM(rings) - 1)];
	pipe_size = pipes[rng_range(&rng, 0, RTE_DIM(pipes) - 1)];
	app_port = rng_one_in(&rng, 2);
	if (app_port) {
		const struct rte_eth_conf conf = {
			.txmode.offloads = RTE_ETH_TX_OFFLOAD_MULTI_SEGS };

		if (rte_eth_dev_configure(port, 0, 1, &conf) != 0 ||
		    rte_eth_tx_queue_setup(port, 0, 0, rte_socket_id(), NULL) != 0 ||
		    rte_eth_dev_start(port) != 0) {
			fprintf(stderr, "pipe_stress: cannot start %s\n", port_name);
			return SOAK_FAIL;
		}
	}
	c.port_id = port;
	c.flags = app_port ? 0 : D11TX_QF_CONFIGURE_PORT;
	c.ring_size = ring_size;
	c.pipe_ring_size = pipe_size;
	c.buf_count = ring_size + pipe_size + NB_SOURCES * MAX_BURST;
	q = d11tx_queue_create(&c);
	if (q == NULL) {
		fprintf(stderr, "pipe_stress: d11tx_queue_create: %s\n",
			rte_strerror(rte_errno));
		return SOAK_FAIL;
	}
	tmpl = aligned_alloc(4096, 2 * TMPL_SIZE);
	if (tmpl == NULL || d11tx_mem_register(q, tmpl, 2 * TMPL_SIZE) != 0) {
		fprintf(stderr, "pipe_stress: cannot register the templates\n");
		return SOAK_FAIL;
	}
	memset(tmpl, 0x5a, 2 * TMPL_SIZE);
	soak_write_frame(tmpl, TMPL_SIZE, false, 0);
	soak_write_frame(tmpl + TMPL_SIZE, TMPL_SIZE, true, 0);

	for (unsigned int p = 0; p < NB_SOURCES; p++) {
		struct producer *pr = &producers[p];
		int id;

		pr->id = p;
		rng_seed(&pr->rng, opts.seed, 1 + p);
		/* The threads share the frames; the owner adds up to a quarter
		 * while they run. */
		pr->quota = p == OWNER ? opts.frames / 4 + 1 :
			opts.frames / NB_PRODUCERS + (p < opts.frames % NB_PRODUCERS);
		pr->next_seq = 1;
		pr->ck.producer = p;
		pr->ck.cap = pr->quota + 1;
		pr->ck.done = calloc(pr->ck.cap / 8 + 1, 1);
		if (pr->ck.done == NULL) {
			fprintf(stderr, "pipe_stress: out of memory\n");
			return SOAK_FAIL;
		}
		if (p == FORWARDED) {
			char name[RTE_RING_NAMESIZE];

			snprintf(name, sizeof(name), "soak_fwd%u", p);
			pr->fwd = rte_ring_create_elem(name, sizeof(struct fwd_elem), FWD_RING,
						       (int)rte_socket_id(),
						       RING_F_SP_ENQ | RING_F_SC_DEQ);
			if (pr->fwd == NULL) {
				fprintf(stderr, "pipe_stress: cannot create a ring\n");
				return SOAK_FAIL;
			}
			id = d11tx_client_register(q, cb_forward, pr);
		} else {
			id = d11tx_client_register(q, cb_check, &pr->ck);
		}
		if (id < 0) {
			fprintf(stderr, "pipe_stress: d11tx_client_register: %d\n", id);
			return SOAK_FAIL;
		}
		pr->client = (uint16_t)id;
	}

	producers_running = NB_PRODUCERS;
	t0 = rte_get_tsc_cycles();
	for (unsigned int p = 0; p < NB_PRODUCERS; p++)
		if (pthread_create(&producers[p].thread, NULL, producer_main, &producers[p]) != 0) {
			fprintf(stderr, "pipe_stress: pthread_create failed\n");
			return SOAK_FAIL;
		}
	owner_run(&rng);
	for (unsigned int p = 0; p < NB_PRODUCERS; p++)
		pthread_join(producers[p].thread, NULL);
	secs = soak_seconds(t0, rte_get_tsc_cycles());
	verify(secs);

	for (unsigned int p = 0; p < NB_SOURCES; p++)
		CHECK(d11tx_client_unregister(q, producers[p].client) == 0,
		      "client %u cannot be unregistered at the end", p);
	CHECK(d11tx_mem_unregister(q, tmpl) == 0, "the templates cannot be unregistered");
	ret = d11tx_queue_destroy(q);
	CHECK(ret == 0, "d11tx_queue_destroy: %d", ret);
	if (app_port)
		CHECK(rte_eth_dev_stop(port) == 0, "%s: stop failed", port_name);
	CHECK(rte_vdev_uninit(port_name) == 0, "%s: uninit failed", port_name);
	for (unsigned int p = 0; p < NB_SOURCES; p++) {
		free(producers[p].ck.done);
		rte_ring_free(producers[p].fwd);
	}
	free(tmpl);
	ret = soak_failures == 0 ? SOAK_PASS : SOAK_FAIL;
	printf("%s: %" PRIu64 " failure(s)\n", ret == SOAK_PASS ? "PASS" : "FAIL",
	       soak_failures);
	rte_eal_cleanup();
	eal_args_free(&eal);
	return ret;
}
