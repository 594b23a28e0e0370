/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The completion path, top-down: learn which frames the port is done with
 * (d11tx_reclaim), complete them in FIFO order with their outcome
 * (d11tx_complete_range), group their handles by client and call each
 * client's callback (d11tx_dispatch). The same path completes frames that
 * never reached the port, as CANCELLED (d11tx_cancel_staged), and asks an
 * idle port to release what it holds (d11tx_request_cleanup,
 * d11tx_drain). Nothing here calls back into submission or the pipelined
 * ring.
 */

#include <rte_branch_prediction.h>
#include <rte_cycles.h>
#include <rte_ethdev.h>

#include "internal.h"

static void read_tx_status(struct d11tx_queue *q, uint32_t start, uint32_t n);
static void dispatch_pass(struct d11tx_queue *q, uint32_t n, const uint8_t *retries);
static void bucket_flush(struct d11tx_queue *q, uint16_t c);

/* ---------- learn what the port freed ---------- */

/* Tracked: what the PMD freed into this lcore's caches of the pools. */
static inline void
tracked_sweep_all(struct d11tx_queue *q)
{
	const unsigned int lcore = rte_lcore_id();

	d11tx_tracked_sweep(q->hdr_pool, lcore);
	d11tx_tracked_sweep(q->attach_pool, lcore);
	if (q->buf_pool != NULL)
		d11tx_tracked_sweep(q->buf_pool, lcore);
}

/* Bytes of @p w that are all nonzero. */
static inline bool
no_zero_byte(uint64_t w)
{
	return ((w - 0x0101010101010101ull) & ~w & 0x8080808080808080ull) == 0;
}

/*
 * Tracked: how many of the @p max slots from @p from the PMD has freed, in
 * order. Eight done flags at a time: a full ring of frames done is a few
 * dozen loads, not one loop turn each.
 */
static inline uint32_t
done_run(const struct d11tx_queue *q, uint32_t from, uint32_t max)
{
	const uint8_t *done = q->fifo_done;
	uint32_t n = 0;

	while (n + 8 <= max) {
		const uint32_t idx = (from + n) & q->mask;
		uint64_t w;

		if (idx + 8 > q->capacity)
			break;      /* the ring's end: byte by byte */
		memcpy(&w, done + idx, sizeof(w));
		if (!no_zero_byte(w))
			break;
		n += 8;
	}
	while (n < max && done[(from + n) & q->mask])
		n++;
	return n;
}

uint32_t
d11tx_reclaim(struct d11tx_queue *q)
{
	const uint32_t tx = q->tx;
	uint32_t i = q->tail;
	uint32_t n = 0;

	/* In order: the first frame still held ends the pass. PMDs release
	 * a queue's frames in order, so this rarely waits for a straggler;
	 * it keeps completions in submission order per queue. */
	if (q->tracked) {
		tracked_sweep_all(q);
		n = done_run(q, i, RTE_MIN(tx - i, (uint32_t)RECLAIM_MAX));
		i += n;
	} else {
		while (i != tx && n < RECLAIM_MAX &&
		       frame_released(q->fifo_mbuf[i & q->mask])) {
			i++;
			n++;
		}
		/* Pairs with the release in the PMD's refcnt decrement:
		 * whatever the PMD did with the buffer happened before the
		 * owner may reuse it. */
		rte_atomic_thread_fence(__ATOMIC_ACQUIRE);
	}
	if (n == 0)
		return 0;
	q->tail = i;
	q->stats.reclaim_passes++;
	d11tx_complete_range(q, i - n, n, q->release_status, RELEASE_PMD_FREED);
	return n;
}

void
d11tx_request_cleanup(struct d11tx_queue *q)
{
	switch (q->cleanup_method) {
	case D11TX_CLEANUP_DONE_CLEANUP:
		q->stats.cleanup_calls++;
		if (rte_eth_tx_done_cleanup(q->port_id, q->queue_id, 0) == -ENOTSUP)
			/* A known PMD on a TX path without it (a vector
			 * path): it has no other way either. */
			q->cleanup_method = D11TX_CLEANUP_NONE;
		return;
	case D11TX_CLEANUP_PROBE:
		q->stats.cleanup_calls++;
		if (rte_eth_tx_done_cleanup(q->port_id, q->queue_id, 0) != -ENOTSUP) {
			q->cleanup_method = D11TX_CLEANUP_DONE_CLEANUP;
			return;
		}
		/* An unknown PMD without it: try empty bursts for good. */
		q->cleanup_method = D11TX_CLEANUP_EMPTY_BURST;
		/* fall through */
	case D11TX_CLEANUP_EMPTY_BURST:
		/* Many PMDs free the descriptors they are done with on
		 * every tx_burst call, empty or not. */
		q->stats.cleanup_calls++;
		rte_eth_tx_burst(q->port_id, q->queue_id, q->scratch_mbuf, 0);
		return;
	default:
		/* NOT_NEEDED frees in tx_burst; NONE has no way to ask. */
		return;
	}
}

/* Reclaim until nothing is left at the NIC or @p timeout_us passed. */
void
d11tx_drain(struct d11tx_queue *q, uint32_t timeout_us)
{
	const uint64_t deadline = rte_get_tsc_cycles() +
		rte_get_tsc_hz() / 1000000 * timeout_us;

	for (;;) {
		while (d11tx_reclaim(q) != 0)
			;
		if (q->tail == q->tx || rte_get_tsc_cycles() >= deadline)
			return;
		d11tx_request_cleanup(q);
		rte_pause();
	}
}

/* ---------- complete, in FIFO order ---------- */

/*
 * Whether the @p n entries from FIFO index @p idx (no wrap) all belong to
 * one client and one region: the common case, completed as a run.
 * Compared four clients and eight regions at a time.
 */
static inline bool
uniform_run(const struct d11tx_queue *q, uint32_t idx, uint32_t n)
{
	const uint16_t *client = &q->fifo_client[idx];
	const uint8_t *region = &q->fifo_region[idx];
	const uint64_t c4 = client[0] * 0x0001000100010001ull;
	const uint64_t r8 = region[0] * 0x0101010101010101ull;
	uint64_t diff = 0;
	uint32_t i = 0;

	for (; i + 8 <= n; i += 8) {
		uint64_t c[2], r;

		memcpy(c, client + i, sizeof(c));
		memcpy(&r, region + i, sizeof(r));
		diff |= (c[0] ^ c4) | (c[1] ^ c4) | (r ^ r8);
	}
	for (; i < n; i++)
		diff |= (uint64_t)(client[i] ^ client[0]) | (region[i] ^ region[0]);
	return diff == 0;
}

/* The statuses of a pass without reported outcomes: run_status, all
 * @p status. */
static inline void
run_status_fill(struct d11tx_queue *q, uint8_t status)
{
	if (unlikely(q->run_status_value != status)) {
		memset(q->run_status, status, sizeof(q->run_status));
		q->run_status_value = status;
	}
}

/*
 * The common completion: frames a tracked pool saw the PMD free, of one
 * client and one region, not across the ring's end. Whole arrays at a
 * time instead of one entry at a time: the handles copied out (the
 * callback may submit into the slots freed), the done flags cleared, the
 * statuses from an array kept filled with the last status used.
 */
static void
complete_run(struct d11tx_queue *q, uint32_t idx, uint32_t n, uint8_t status)
{
	static const uint8_t no_retries[RECLAIM_MAX];
	const uint16_t c = q->fifo_client[idx];
	const uint8_t r = q->fifo_region[idx];
	struct client *cl = &q->clients[c];

	q->stats.completed[status] += n;
	memcpy(q->scratch_handle, &q->fifo_handle[idx], n * sizeof(void *));
	memset(&q->fifo_done[idx], 0, n);
	run_status_fill(q, status);
	if (r != D11TX_NO_REGION)
		q->regions[r].inflight -= n;
	cl->inflight -= n;
	q->in_callback = true;
	cl->cb(cl->ctx, q->scratch_handle, q->run_status, no_retries, (uint16_t)n);
	q->in_callback = false;
}

/* Copy @p n entries of FIFO array @p fifo (of @p size-byte entries) from
 * index @p start, across the ring's end, to @p to. */
static inline void
fifo_copy(const struct d11tx_queue *q, void *to, const void *fifo, size_t size,
	  uint32_t start, uint32_t n)
{
	const uint32_t idx = start & q->mask;
	const uint32_t first = RTE_MIN(n, q->capacity - idx);

	memcpy(to, (const char *)fifo + (size_t)idx * size, first * size);
	if (first < n)
		memcpy((char *)to + (size_t)first * size, fifo, (n - first) * size);
}

/*
 * The same completion when the run holds several clients, or regions, or
 * crosses the ring's end: the handles and clients copied out whole, the
 * regions counted down, then each client's handles gathered into its
 * bucket and called back as the bucket fills, and at the end. The
 * statuses are run_status for every bucket.
 */
static void
complete_mixed(struct d11tx_queue *q, uint32_t start, uint32_t n, uint8_t status)
{
	static const uint8_t no_retries[RECLAIM_MAX];
	/* In locals: the byte stores below (flags, done) may alias q. */
	const uint8_t *const fifo_region = q->fifo_region;
	uint8_t *const fifo_done = q->fifo_done;
	const uint32_t mask = q->mask;
	struct region *const regions = q->regions;
	struct bucket *const buckets = q->buckets;
	struct client *const clients = q->clients;
	const uint16_t *const client_of = q->scratch_client;
	void *const *const handle_of = q->scratch_handle;
	const uint8_t *const statuses = q->run_status;
	uint16_t *const touched = q->touched;
	uint16_t nb_touched = 0;
	uint32_t i;

	q->stats.completed[status] += n;
	run_status_fill(q, status);
	fifo_copy(q, q->scratch_handle, q->fifo_handle, sizeof(void *), start, n);
	fifo_copy(q, q->scratch_client, q->fifo_client, sizeof(uint16_t), start, n);
	for (i = 0; i < n; i++) {
		const uint32_t idx = (start + i) & mask;
		const uint8_t r = fifo_region[idx];

		fifo_done[idx] = 0;
		if (r != D11TX_NO_REGION)
			regions[r].inflight--;
	}
	q->in_callback = true;
	for (i = 0; i < n; i++) {
		const uint16_t c = client_of[i];
		struct bucket *b = &buckets[c];

		if (!b->listed) {
			b->listed = true;
			touched[nb_touched++] = c;
		}
		b->handles[b->n] = handle_of[i];
		if (++b->n == BUCKET_SIZE) {
			clients[c].inflight -= b->n;
			clients[c].cb(clients[c].ctx, b->handles, statuses, no_retries, b->n);
			b->n = 0;
		}
	}
	for (i = 0; i < nb_touched; i++) {
		const uint16_t c = touched[i];
		struct bucket *b = &buckets[c];

		b->listed = false;
		if (b->n == 0)
			continue;
		clients[c].inflight -= b->n;
		clients[c].cb(clients[c].ctx, b->handles, statuses, no_retries, b->n);
		b->n = 0;
	}
	q->in_callback = false;
}

void
d11tx_complete_range(struct d11tx_queue *q, uint32_t start, uint32_t n,
	       uint8_t status, enum release_kind kind)
{
	/* Tracked mbufs the PMD freed are already back in their pool. */
	const bool free_mbufs = !(q->tracked && kind == RELEASE_PMD_FREED);
	const bool reported = q->tx_status_off >= 0 && kind == RELEASE_PMD_FREED;
	uint32_t i;

	RTE_ASSERT(n > 0 && n <= RECLAIM_MAX);
	if (!free_mbufs && !reported) {
		const uint32_t idx = start & q->mask;

		if (likely(idx + n <= q->capacity && uniform_run(q, idx, n)))
			complete_run(q, idx, n, status);
		else
			complete_mixed(q, start, n, status);
		return;
	}
	if (unlikely(reported))
		read_tx_status(q, start, n);
	else
		q->stats.completed[status] += n;
	for (i = 0; i < n; i++) {
		const uint32_t idx = (start + i) & q->mask;
		const uint8_t r = q->fifo_region[idx];

		q->scratch_handle[i] = q->fifo_handle[idx];
		q->scratch_client[i] = q->fifo_client[idx];
		if (likely(!reported))
			q->scratch_status[i] = status;
		if (r != D11TX_NO_REGION)
			q->regions[r].inflight--;
		if (!free_mbufs) {
			q->fifo_done[idx] = 0;
			continue;
		}
		q->scratch_mbuf[i] = q->fifo_mbuf[idx];
		/* Counting references, the free below is the pool's only
		 * sight of it (see BUF_IN_POOL); a tracked pool marks what
		 * it takes back itself. */
		if (!q->tracked)
			d11tx_mbuf_dyn(q->scratch_mbuf[i])->fifo_slot = BUF_IN_POOL;
		if (kind == RELEASE_CANCELLED) {
			/* Never at the PMD: drop the engine's hold, so that
			 * the free below returns it without a completion. */
			struct rte_mbuf *m = q->scratch_mbuf[i];

			if (q->tracked)
				d11tx_mbuf_dyn(last_seg(m))->fifo_slot = 0;
			else
				for (; m != NULL; m = m->next)
					rte_mbuf_refcnt_set(m, 1);
		}
	}
	/* Each mbuf is down to one reference, the engine's: this is its
	 * last free, and it returns to the pool (an external buffer is
	 * detached first, so the app's memory is no longer referenced). */
	if (free_mbufs) {
		MBUF_DEBUG_RELEASE(q->scratch_mbuf, n);
		rte_pktmbuf_free_bulk(q->scratch_mbuf, n);
	}
	d11tx_dispatch(q, n, reported ? q->scratch_retries : NULL);
}

void
d11tx_cancel_staged(struct d11tx_queue *q)
{
	/* Frames staged but never handed to the PMD, newest last: complete
	 * them from the head side, so the FIFO simply shrinks. */
	while (q->head != q->tx) {
		const uint32_t n = RTE_MIN(q->head - q->tx, (uint32_t)RECLAIM_MAX);

		q->head -= n;
		d11tx_complete_range(q, q->head, n, D11TX_STATUS_CANCELLED, RELEASE_CANCELLED);
	}
}

/* The status of a frame the PMD released, from the TX outcome it
 * reported; without one, the queue's release status. */
static inline uint8_t
outcome_status(const struct d11tx_queue *q, unsigned int outcome)
{
	static const uint8_t map[D11TX_TX_OUTCOME_MAX] = {
		[D11TX_TX_OUTCOME_ACKED] = D11TX_STATUS_ACKED,
		[D11TX_TX_OUTCOME_NOACK] = D11TX_STATUS_NOACK,
		[D11TX_TX_OUTCOME_NO_ACK_POLICY] = D11TX_STATUS_SENT,
		[D11TX_TX_OUTCOME_NOT_SENT] = D11TX_STATUS_DROPPED,
	};

	if (outcome == D11TX_TX_OUTCOME_NONE || outcome >= D11TX_TX_OUTCOME_MAX)
		return q->release_status;
	return map[outcome];
}

/*
 * Statuses of @p n released frames from @p start, as the PMD reported
 * them in the TX status field: caught by the tracked pool (fifo_done holds
 * 1 + the outcome), or read from the frame's first segment, which the
 * engine's reference keeps from reuse.
 */
static void
read_tx_status(struct d11tx_queue *q, uint32_t start, uint32_t n)
{
	for (uint32_t i = 0; i < n; i++) {
		const uint32_t idx = (start + i) & q->mask;
		unsigned int outcome;
		uint8_t retries;

		if (q->tracked) {
			outcome = q->fifo_done[idx] - 1u;
			retries = q->fifo_retries[idx];
		} else {
			const struct d11tx_tx_status *st = RTE_MBUF_DYNFIELD(
				q->fifo_mbuf[idx], q->tx_status_off,
				const struct d11tx_tx_status *);

			outcome = st->outcome;
			retries = st->retries;
		}
		q->scratch_status[i] = outcome_status(q, outcome);
		q->scratch_retries[i] = retries;
		q->stats.completed[q->scratch_status[i]]++;
		q->stats.retries += retries;
	}
}

/* ---------- group by client, call back ---------- */

/* The callbacks run with the queue marked, so that what they may not do
 * to it (control_guard()) is refused, and a d11tx_poll() of theirs does
 * nothing: the scratch arrays are still being read. */
void
d11tx_dispatch(struct d11tx_queue *q, uint32_t n, const uint8_t *retries)
{
	q->in_callback = true;
	dispatch_pass(q, n, retries);
	q->in_callback = false;
}

/*
 * Deliver scratch entries [0, n) to their clients. The common case, one
 * client for the whole pass, is one callback on the scratch arrays as they
 * are; otherwise one pass sorts the handles into per-client buckets, so each
 * client gets its share of the burst in as few calls as the buckets allow.
 */
static void
dispatch_pass(struct d11tx_queue *q, uint32_t n, const uint8_t *retries)
{
	/* Retry counts of completions no PMD reported on. */
	static const uint8_t no_retries[RECLAIM_MAX];
	const uint16_t first = q->scratch_client[0];
	uint32_t i;

	if (retries == NULL)
		retries = no_retries;

	for (i = 1; i < n; i++)
		if (q->scratch_client[i] != first)
			break;
	if (likely(i == n)) {
		struct client *cl = &q->clients[first];

		cl->inflight -= n;
		cl->cb(cl->ctx, q->scratch_handle, q->scratch_status, retries,
		       (uint16_t)n);
		return;
	}

	uint16_t nb_touched = 0;

	for (i = 0; i < n; i++) {
		const uint16_t c = q->scratch_client[i];
		struct bucket *b = &q->buckets[c];

		if (!b->listed) {
			b->listed = true;
			q->touched[nb_touched++] = c;
		}
		b->handles[b->n] = q->scratch_handle[i];
		b->status[b->n] = q->scratch_status[i];
		b->retries[b->n] = retries[i];
		q->clients[c].inflight--;
		if (++b->n == BUCKET_SIZE)
			bucket_flush(q, c);
	}
	for (i = 0; i < nb_touched; i++) {
		struct bucket *b = &q->buckets[q->touched[i]];

		b->listed = false;
		if (b->n != 0)
			bucket_flush(q, q->touched[i]);
	}
}


static void
bucket_flush(struct d11tx_queue *q, uint16_t c)
{
	struct bucket *b = &q->buckets[c];
	const struct client *cl = &q->clients[c];

	cl->cb(cl->ctx, b->handles, b->status, b->retries, b->n);
	b->n = 0;
}
