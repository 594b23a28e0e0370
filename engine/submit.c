/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Submission: app-owned frames attached zero-copy as external buffers,
 * engine-owned buffers filled in place, on the owner thread or, in
 * pipelined mode, from any thread through the multi-producer ring.
 */

#include <rte_branch_prediction.h>
#include <rte_errno.h>

#include "internal.h"

#define NO_REFUSAL (-1)

/* The extbuf of an app-owned frame is the app's: nothing to free. */
static void
app_buffer_release(void *addr __rte_unused, void *opaque __rte_unused)
{
}

/* Why frame @p f cannot be accepted, or NO_REFUSAL with its region. */
static inline int
check_frame(struct d11tx_queue *q, const struct d11tx_frame *f,
	    uint8_t *region)
{
	int r;

	if (unlikely(f->data == NULL))
		return D11TX_REFUSED_INVALID;
	if (unlikely(f->len == 0))
		return D11TX_REFUSED_EMPTY;
	if (unlikely(f->len > q->max_frame_len))
		return D11TX_REFUSED_TOO_LONG;
	r = region_lookup(q, (uintptr_t)f->data, f->len);
	if (unlikely(r < 0))
		return D11TX_REFUSED_REGION;
	if (unlikely(!client_valid(q, f->client)))
		return D11TX_REFUSED_CLIENT;
	*region = (uint8_t)r;
	return NO_REFUSAL;
}

/* Why engine-owned buffer @p m cannot be accepted, or NO_REFUSAL. */
static inline int
check_buf(const struct d11tx_queue *q, const struct rte_mbuf *m)
{
	if (unlikely(m == NULL || m->pool != q->buf_pool))
		return D11TX_REFUSED_INVALID;
	if (unlikely(m->pkt_len == 0))
		return D11TX_REFUSED_EMPTY;
	if (unlikely(m->pkt_len > q->buf_room))
		return D11TX_REFUSED_TOO_LONG;
	if (unlikely(!client_valid(q,
			d11tx_mbuf_meta((struct rte_mbuf *)(uintptr_t)m)->client)))
		return D11TX_REFUSED_CLIENT;
	return NO_REFUSAL;
}

/*
 * Wrap the app's frame in header mbuf @p m without copying it. The shared
 * info lives in the mbuf's private area; its refcnt is reset on every use
 * because freeing the extbuf counted it down to zero.
 */
static inline void
attach_app_frame(struct rte_mbuf *m, const struct d11tx_frame *f)
{
	struct d11tx_mbuf_meta *meta = d11tx_mbuf_meta(m);
	void *addr = (void *)(uintptr_t)f->data;

	meta->shinfo.free_cb = app_buffer_release;
	meta->shinfo.fcb_opaque = NULL;
	rte_mbuf_ext_refcnt_set(&meta->shinfo, 1);
	/* Software PMDs ignore the IOVA; NICs that DMA need IOVA-as-VA,
	 * which d11tx_mem_register() checked when it mapped the region. */
	rte_pktmbuf_attach_extbuf(m, addr, (rte_iova_t)(uintptr_t)addr,
				  (uint16_t)f->len, &meta->shinfo);
	m->data_len = (uint16_t)f->len;
	m->pkt_len = f->len;
}

/* Put an accepted frame at the head of the FIFO. The second reference
 * is the engine's: see the FIFO comment in internal.h. */
static inline void
fifo_push(struct d11tx_queue *q, struct rte_mbuf *m, void *handle,
	  uint16_t client, uint8_t region)
{
	const uint32_t idx = q->head++ & q->mask;

	rte_mbuf_refcnt_set(m, 2);
	q->fifo_mbuf[idx] = m;
	q->fifo_handle[idx] = handle;
	q->fifo_client[idx] = client;
	q->fifo_region[idx] = region;
	q->clients[client].inflight++;
	if (region != D11TX_NO_REGION)
		q->regions[region].inflight++;
}

void __rte_cold
queue_refuse(struct d11tx_queue *q, enum d11tx_refusal reason)
{
	q->stats.refused[reason]++;
	rte_errno = d11tx_refusal_errno(reason);
}

void __rte_cold
queue_refuse_pipe(struct d11tx_queue *q, enum d11tx_refusal reason)
{
	__atomic_fetch_add(&q->pipe_refused[reason], 1, __ATOMIC_RELAXED);
	rte_errno = d11tx_refusal_errno(reason);
}

uint16_t
d11tx_send_burst(struct d11tx_queue *q, const struct d11tx_frame *frames,
		 uint16_t n)
{
	uint16_t done = 0;
	int reason = NO_REFUSAL;

	if (unlikely(q->stopped) && n != 0) {
		queue_refuse(q, D11TX_REFUSED_STOPPED);
		return 0;
	}
	while (done < n) {
		struct rte_mbuf *mbufs[SUBMIT_CHUNK];
		const uint32_t room = q->capacity - (q->head - q->tail);
		const uint32_t k = RTE_MIN(RTE_MIN((uint32_t)(n - done),
						   (uint32_t)SUBMIT_CHUNK), room);
		uint32_t i;

		if (unlikely(k == 0 ||
			     rte_pktmbuf_alloc_bulk(q->hdr_pool, mbufs, k) != 0)) {
			reason = D11TX_REFUSED_FULL;
			break;
		}
		for (i = 0; i < k; i++) {
			const struct d11tx_frame *f = &frames[done + i];
			uint8_t region;

			reason = check_frame(q, f, &region);
			if (unlikely(reason != NO_REFUSAL))
				break;
			attach_app_frame(mbufs[i], f);
			fifo_push(q, mbufs[i], f->handle, f->client, region);
		}
		if (unlikely(i < k))
			rte_mempool_put_bulk(q->hdr_pool, (void **)&mbufs[i],
					     k - i);
		done += i;
		if (unlikely(reason != NO_REFUSAL))
			break;
	}
	if (unlikely(reason != NO_REFUSAL))
		queue_refuse(q, reason);
	q->stats.submitted += done;
	return done;
}

uint16_t
d11tx_buf_alloc(struct d11tx_queue *q, struct d11tx_buf **bufs, uint16_t n)
{
	if (unlikely(q->buf_pool == NULL)) {
		rte_errno = EINVAL;
		return 0;
	}
	if (unlikely(rte_pktmbuf_alloc_bulk(q->buf_pool,
					    (struct rte_mbuf **)bufs, n) != 0)) {
		rte_errno = ENOBUFS;
		return 0;
	}
	return n;
}

void
d11tx_buf_free(struct d11tx_queue *q __rte_unused,
	       struct d11tx_buf *const bufs[], uint16_t n)
{
	rte_pktmbuf_free_bulk((struct rte_mbuf **)(uintptr_t)bufs, n);
}

uint16_t
d11tx_buf_room(const struct d11tx_queue *q)
{
	return q->buf_room;
}

uint16_t
d11tx_buf_submit(struct d11tx_queue *q, struct d11tx_buf *const bufs[],
		 uint16_t n)
{
	const uint32_t room = q->capacity - (q->head - q->tail);
	const uint32_t k = RTE_MIN((uint32_t)n, room);
	int reason = NO_REFUSAL;
	uint32_t i;

	if (unlikely(q->stopped) && n != 0) {
		queue_refuse(q, D11TX_REFUSED_STOPPED);
		return 0;
	}
	for (i = 0; i < k; i++) {
		struct rte_mbuf *m = (struct rte_mbuf *)bufs[i];

		reason = check_buf(q, m);
		if (unlikely(reason != NO_REFUSAL))
			break;
		const struct d11tx_mbuf_meta *meta = d11tx_mbuf_meta(m);

		fifo_push(q, m, meta->handle, meta->client, D11TX_NO_REGION);
	}
	if (unlikely(reason == NO_REFUSAL && i < n))
		reason = D11TX_REFUSED_FULL;
	if (unlikely(reason != NO_REFUSAL))
		queue_refuse(q, reason);
	q->stats.submitted += i;
	return (uint16_t)i;
}

/*
 * Pipelined mode. Producers count their frames as pending for their client
 * before the enqueue (so that the client cannot be unregistered under
 * them, and the owner's decrement at pull time never runs ahead), one
 * atomic per run of frames of one client.
 */
static inline void
pipe_count_pending(struct d11tx_queue *q, struct rte_mbuf *const *mbufs,
		   uint32_t n, int sign)
{
	uint32_t i = 0;

	while (i < n) {
		const uint16_t c = d11tx_mbuf_meta(mbufs[i])->client;
		uint32_t run = 1;

		while (i + run < n && d11tx_mbuf_meta(mbufs[i + run])->client == c)
			run++;
		if (sign > 0)
			__atomic_fetch_add(&q->clients[c].pipe_pending, run,
					   __ATOMIC_RELAXED);
		else
			__atomic_fetch_sub(&q->clients[c].pipe_pending, run,
					   __ATOMIC_RELAXED);
		i += run;
	}
}

/* Enqueue @p n prepared mbufs; the ones the ring does not take are
 * un-counted and returned to the caller's care. */
static inline uint32_t
pipe_enqueue(struct d11tx_queue *q, struct rte_mbuf **mbufs, uint32_t n)
{
	uint32_t enq;

	pipe_count_pending(q, mbufs, n, 1);
	enq = rte_ring_mp_enqueue_burst(q->pipe, (void **)mbufs, n, NULL);
	if (unlikely(enq < n))
		pipe_count_pending(q, &mbufs[enq], n - enq, -1);
	return enq;
}

static inline bool
pipe_refuse_early(struct d11tx_queue *q, uint16_t n)
{
	if (unlikely(q->pipe == NULL)) {
		rte_errno = ENOTSUP;
		return true;
	}
	if (unlikely(__atomic_load_n(&q->stopped, __ATOMIC_ACQUIRE)) && n != 0) {
		queue_refuse_pipe(q, D11TX_REFUSED_STOPPED);
		return true;
	}
	return false;
}

uint16_t
d11tx_pipe_send_burst(struct d11tx_queue *q, const struct d11tx_frame *frames,
		      uint16_t n)
{
	uint16_t done = 0;
	int reason = NO_REFUSAL;

	if (pipe_refuse_early(q, n))
		return 0;
	while (done < n) {
		struct rte_mbuf *mbufs[SUBMIT_CHUNK];
		const uint32_t k = RTE_MIN((uint32_t)(n - done),
					   (uint32_t)SUBMIT_CHUNK);
		uint32_t i, enq;

		if (unlikely(rte_pktmbuf_alloc_bulk(q->hdr_pool, mbufs, k) != 0)) {
			reason = D11TX_REFUSED_FULL;
			break;
		}
		for (i = 0; i < k; i++) {
			const struct d11tx_frame *f = &frames[done + i];
			struct d11tx_mbuf_meta *meta = d11tx_mbuf_meta(mbufs[i]);
			uint8_t region;

			reason = check_frame(q, f, &region);
			if (unlikely(reason != NO_REFUSAL))
				break;
			attach_app_frame(mbufs[i], f);
			meta->handle = f->handle;
			meta->client = f->client;
			meta->region = region;
			rte_mbuf_refcnt_set(mbufs[i], 2);
		}
		enq = pipe_enqueue(q, mbufs, i);
		if (unlikely(enq < i)) {
			reason = D11TX_REFUSED_FULL;
			/* Not accepted after all: back to one reference,
			 * and the free detaches the app's buffer. */
			for (uint32_t j = enq; j < i; j++)
				rte_mbuf_refcnt_set(mbufs[j], 1);
		}
		if (unlikely(enq < k))
			rte_pktmbuf_free_bulk(&mbufs[enq], k - enq);
		done += enq;
		if (unlikely(reason != NO_REFUSAL))
			break;
	}
	if (unlikely(reason != NO_REFUSAL))
		queue_refuse_pipe(q, reason);
	return done;
}

uint16_t
d11tx_pipe_buf_submit(struct d11tx_queue *q, struct d11tx_buf *const bufs[],
		      uint16_t n)
{
	struct rte_mbuf **mbufs = (struct rte_mbuf **)(uintptr_t)bufs;
	int reason = NO_REFUSAL;
	uint32_t i, enq;

	if (pipe_refuse_early(q, n))
		return 0;
	for (i = 0; i < n; i++) {
		reason = check_buf(q, mbufs[i]);
		if (unlikely(reason != NO_REFUSAL))
			break;
		d11tx_mbuf_meta(mbufs[i])->region = D11TX_NO_REGION;
		rte_mbuf_refcnt_set(mbufs[i], 2);
	}
	enq = pipe_enqueue(q, mbufs, i);
	/* Buffers not taken stay the caller's, with one reference. */
	for (uint32_t j = enq; j < i; j++)
		rte_mbuf_refcnt_set(mbufs[j], 1);
	if (reason == NO_REFUSAL && enq < n)
		reason = D11TX_REFUSED_FULL;
	if (unlikely(reason != NO_REFUSAL))
		queue_refuse_pipe(q, reason);
	return (uint16_t)enq;
}
