/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Pipelined mode: producers on any thread submit through a multi-producer
 * (relaxed tail sync), single-consumer rte_ring (their burst calls are
 * submit.c's skeleton, which enters, publishes and leaves here); the
 * owner pulls the frames into its FIFO, or cancels them at stop.
 *
 * Three protocols keep it exactly-once (see internal.h):
 * - a producer counts itself in producers_active before it checks stopped,
 *   and stop waits for producers_active to drain, so nothing enters the
 *   ring after stop has emptied it;
 * - a producer adds its frames to their client's and region's
 *   pipe_pending before it re-checks that both are still registered, and
 *   unregister does the converse, so neither can vanish under a frame;
 * - accounting goes one atomic per run of frames with the same client and
 *   region, not one per frame.
 */

#include <rte_branch_prediction.h>
#include <rte_errno.h>

#include "internal.h"

/* Length of the run of frames from @p i that share client and region
 * (and the generations of both). */
static inline uint32_t
run_length(struct rte_mbuf *const *mbufs, uint32_t i, uint32_t n)
{
	const struct d11tx_mbuf_dyn *first = d11tx_mbuf_dyn(mbufs[i]);
	const struct d11tx_mbuf_meta *first_meta = d11tx_mbuf_meta(mbufs[i]);
	uint32_t run = 1;

	while (i + run < n) {
		const struct d11tx_mbuf_dyn *d = d11tx_mbuf_dyn(mbufs[i + run]);
		const struct d11tx_mbuf_meta *m = d11tx_mbuf_meta(mbufs[i + run]);

		if (d->client != first->client || d->region != first->region ||
		    m->client_gen != first_meta->client_gen ||
		    m->region_gen != first_meta->region_gen)
			break;
		run++;
	}
	return run;
}

static inline void
pending_sub(struct d11tx_queue *q, uint16_t client, uint8_t region,
	    uint32_t n)
{
	__atomic_fetch_sub(&q->clients[client].pipe_pending, n, __ATOMIC_RELEASE);
	if (region != D11TX_NO_REGION)
		__atomic_fetch_sub(&q->regions[region].pipe_pending, n,
				   __ATOMIC_RELEASE);
}

/* Un-count frames [0, n) that will not go through the ring after all. */
static void
pipe_unaccount(struct d11tx_queue *q, struct rte_mbuf *const *mbufs, uint32_t n)
{
	for (uint32_t i = 0, run; i < n; i += run) {
		const struct d11tx_mbuf_dyn *d = d11tx_mbuf_dyn(mbufs[i]);

		run = run_length(mbufs, i, n);
		pending_sub(q, d->client, d->region, run);
	}
}

/*
 * Count frames [0, n) as pending for their clients and regions. Returns
 * how many of the first frames are counted and still have their client
 * and region; *reason says why the next one does not.
 */
static uint32_t
pipe_account(struct d11tx_queue *q, struct rte_mbuf *const *mbufs, uint32_t n,
	     int *reason)
{
	for (uint32_t i = 0, run; i < n; i += run) {
		const struct d11tx_mbuf_dyn *d = d11tx_mbuf_dyn(mbufs[i]);
		const struct d11tx_mbuf_meta *m = d11tx_mbuf_meta(mbufs[i]);
		struct client *cl = &q->clients[d->client];
		struct region *r = d->region != D11TX_NO_REGION ?
			&q->regions[d->region] : NULL;

		run = run_length(mbufs, i, n);
		__atomic_fetch_add(&cl->pipe_pending, run, __ATOMIC_SEQ_CST);
		if (r != NULL)
			__atomic_fetch_add(&r->pipe_pending, run, __ATOMIC_SEQ_CST);
		if (unlikely(__atomic_load_n(&cl->cb, __ATOMIC_SEQ_CST) == NULL ||
			     __atomic_load_n(&cl->gen, __ATOMIC_SEQ_CST) !=
			     m->client_gen)) {
			*reason = D11TX_REFUSED_CLIENT;
		} else if (unlikely(r != NULL &&
				    (__atomic_load_n(&r->len, __ATOMIC_SEQ_CST) == 0 ||
				     __atomic_load_n(&r->gen, __ATOMIC_SEQ_CST) !=
				     m->region_gen))) {
			*reason = D11TX_REFUSED_REGION;
		} else {
			continue;
		}
		pending_sub(q, d->client, d->region, run);
		return i;
	}
	return n;
}

uint32_t
d11tx_pipe_publish(struct d11tx_queue *q, struct rte_mbuf **mbufs, uint32_t n,
		   int *reason)
{
	const uint32_t counted = pipe_account(q, mbufs, n, reason);
	/* The generic call: it follows the ring's RTS producer mode. */
	const uint32_t enq = rte_ring_enqueue_burst(q->pipe, (void **)mbufs,
						    counted, NULL);

	if (unlikely(enq < counted)) {
		pipe_unaccount(q, &mbufs[enq], counted - enq);
		*reason = D11TX_REFUSED_FULL;
	}
	return enq;
}

bool
d11tx_producer_enter(struct d11tx_queue *q, uint16_t n)
{
	if (unlikely(q->pipe == NULL)) {
		rte_errno = ENOTSUP;
		return false;
	}
	if (unlikely(n == 0))
		return false;
	__atomic_fetch_add(&q->producers_active, 1, __ATOMIC_SEQ_CST);
	if (unlikely(__atomic_load_n(&q->stopped, __ATOMIC_SEQ_CST))) {
		__atomic_fetch_sub(&q->producers_active, 1, __ATOMIC_RELEASE);
		d11tx_refuse_pipe(q, D11TX_REFUSED_STOPPED);
		return false;
	}
	return true;
}

void
d11tx_producer_exit(struct d11tx_queue *q)
{
	__atomic_fetch_sub(&q->producers_active, 1, __ATOMIC_RELEASE);
}

/* Move @p n dequeued frames' counts from pending to in flight. */
static void
pull_account(struct d11tx_queue *q, struct rte_mbuf *const *mbufs, uint32_t n)
{
	for (uint32_t i = 0, run; i < n; i += run) {
		const struct d11tx_mbuf_dyn *d = d11tx_mbuf_dyn(mbufs[i]);

		run = run_length(mbufs, i, n);
		q->clients[d->client].inflight += run;
		if (d->region != D11TX_NO_REGION)
			q->regions[d->region].inflight += run;
		pending_sub(q, d->client, d->region, run);
	}
}

uint32_t
d11tx_pipe_pull(struct d11tx_queue *q)
{
	const uint32_t room = q->capacity - (q->head - q->tail);
	uint32_t n;

	if (room == 0)
		return 0;
	n = rte_ring_sc_dequeue_burst(q->pipe, (void **)q->scratch_mbuf,
				      RTE_MIN(room, (uint32_t)RECLAIM_MAX), NULL);
	/* In flight before pending drops, so that unregister never sees
	 * both at zero while the frame exists. */
	pull_account(q, q->scratch_mbuf, n);
	for (uint32_t i = 0; i < n; i++) {
		struct rte_mbuf *m = q->scratch_mbuf[i];
		const struct d11tx_mbuf_dyn *d = d11tx_mbuf_dyn(m);
		const uint32_t idx = q->head++ & q->mask;

		q->fifo_mbuf[idx] = m;
		q->fifo_handle[idx] = d->handle;
		q->fifo_client[idx] = d->client;
		q->fifo_region[idx] = d->region;
	}
	q->stats.submitted += n;
	return n;
}

void
d11tx_pipe_cancel(struct d11tx_queue *q)
{
	uint32_t n;

	if (q->pipe == NULL)
		return;
	while ((n = rte_ring_sc_dequeue_burst(q->pipe, (void **)q->scratch_mbuf,
					      RECLAIM_MAX, NULL)) != 0) {
		for (uint32_t i = 0, run; i < n; i += run) {
			const struct d11tx_mbuf_dyn *d =
				d11tx_mbuf_dyn(q->scratch_mbuf[i]);

			run = run_length(q->scratch_mbuf, i, n);
			/* d11tx_dispatch() takes frames off the clients' in-flight
			 * counts: move them there first. */
			q->clients[d->client].inflight += run;
			pending_sub(q, d->client, d->region, run);
		}
		for (uint32_t i = 0; i < n; i++) {
			struct rte_mbuf *m = q->scratch_mbuf[i];
			struct d11tx_mbuf_dyn *d = d11tx_mbuf_dyn(m);

			q->scratch_handle[i] = d->handle;
			q->scratch_client[i] = d->client;
			q->scratch_status[i] = D11TX_STATUS_CANCELLED;
			d->fifo_slot = BUF_IN_POOL;
			rte_mbuf_refcnt_set(m, 1);
		}
		MBUF_DEBUG_RELEASE(q->scratch_mbuf, n);
		rte_pktmbuf_free_bulk(q->scratch_mbuf, n);
		q->stats.submitted += n;
		q->stats.completed[D11TX_STATUS_CANCELLED] += n;
		d11tx_dispatch(q, n, NULL);
	}
}
