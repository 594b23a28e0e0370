/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Tracked pools: mempool ops that see every mbuf the PMD frees.
 *
 * The engine must learn when the NIC is done with a frame. Holding a
 * second mbuf reference works with any PMD on any thread, but makes the
 * PMD's free take the atomic path of rte_pktmbuf_prefree_seg for every
 * frame, which measured as about 30% of the engine's time on net_null.
 * A tracked pool lets the PMD free as usual (refcnt 1, no atomic) and
 * catches the mbuf as it returns. Each in-flight mbuf carries its FIFO
 * slot in its dynamic field (struct d11tx_mbuf_dyn); the enqueue marks the
 * slot done and reclaim completes done slots in order.
 *
 * The PMD frees into the pool's per-lcore cache, the inline fast path of
 * rte_mempool_put() (many PMDs free one mbuf at a time, and an ops call
 * per mbuf cost a sixth of an engine-owned frame): the owner sweeps its
 * lcore's cache through the enqueue before every reclaim
 * (d11tx_tracked_sweep()), and when the store runs short. What overflows
 * the cache, or is freed by a thread without a cache, reaches the enqueue
 * directly.
 *
 * The store is a plain LIFO stack: no locks, no atomics, and recently
 * freed (cache-warm) mbufs are handed out first. It is single-threaded,
 * which is why tracked pools are used only when every alloc and free of
 * the queue's mbufs happens on the owning thread: not in pipelined mode,
 * and not on ports whose peer frees what they send (net_ring).
 */


#include <stddef.h>
#include <string.h>

#include <rte_debug.h>
#include <rte_errno.h>
#include <rte_malloc.h>
#include <rte_mbuf_dyn.h>
#include <rte_mempool.h>

#include "internal.h"

#define TRACKED_OPS_NAME "d11tx_tracked"

int d11tx_mbuf_dyn_offset = -1;

static int
tracked_alloc(struct rte_mempool *mp)
{
	struct tracked_store *s;

	if (d11tx_mbuf_dyn_offset < 0)
		return -EINVAL;
	s = fi_zmalloc_socket("d11tx_tracked",
			      TRACKED_STORE_BYTES(mp->size),
			      RTE_CACHE_LINE_SIZE, mp->socket_id);
	if (s == NULL)
		return -ENOMEM;
	s->size = mp->size;
	/* Registered before any pool is made (d11tx_queue_create()); the
	 * enqueue writes the mark there from the first populate on. */
	s->dyn_off = d11tx_mbuf_dyn_offset;
	mp->pool_data = s;
	return 0;
}

static void
tracked_free(struct rte_mempool *mp)
{
	rte_free(mp->pool_data);
}

/*
 * Many PMDs free one mbuf at a time (net_null in 22.11, and NIC PMDs off
 * their fast-free path), so this runs per frame as often as per burst:
 * a plain loop, no memcpy call, and the dynfield offset and the done
 * array read once (stores through the mbufs could alias them otherwise).
 */
/* The same on a port that reports TX status: the frame's last segment
 * carries both the slot tag and the outcome, which the slot keeps. Out of
 * line, so that the plain path keeps its few registers: many PMDs call
 * the enqueue once per frame. */
static __rte_noinline void
tracked_enqueue_status(const struct d11tx_queue *q, void *const *objs,
		       unsigned int n, void **top)
{
	const int off = d11tx_mbuf_dyn_offset;
	const int status_off = q->tx_status_off;

	for (unsigned int i = 0; i < n; i++) {
		struct rte_mbuf *m = objs[i];
		struct d11tx_mbuf_dyn *d = RTE_MBUF_DYNFIELD(m, off,
						struct d11tx_mbuf_dyn *);
		const uint32_t slot = d->fifo_slot;

		/* A FIFO slot (see BUF_IN_POOL): in flight, given to the
		 * PMD. 0 and the markers wrap past the capacity. */
		if (slot - 1 < q->capacity) {
			const struct d11tx_tx_status *st = RTE_MBUF_DYNFIELD(m,
				status_off, const struct d11tx_tx_status *);

			/* Nonzero whatever the PMD wrote: an unknown outcome
			 * counts as none. */
			const uint8_t outcome = st->outcome < D11TX_TX_OUTCOME_MAX
				? st->outcome : D11TX_TX_OUTCOME_NONE;

			q->fifo_done[slot - 1] = (uint8_t)(1 + outcome);
			q->fifo_retries[slot - 1] = st->retries;
		}
		d->fifo_slot = BUF_IN_POOL;
		top[i] = objs[i];
	}
}

static int
tracked_enqueue(struct rte_mempool *mp, void *const *objs, unsigned int n)
{
	struct tracked_store *s = mp->pool_data;
	void **top = &s->objs[s->count];

	/* More back than the pool holds: an mbuf freed twice (the app freed
	 * one it had submitted, or freed on another thread). Carrying on
	 * would write past the store: stop here instead. This catches only
	 * the double frees that overfill the pool; one made while others are
	 * out goes unseen (the pools' fullness checks at stop see it). */
	RTE_VERIFY(s->count + n <= s->size);
	TRACKED_DEBUG_PUT(s, objs, n);
	s->count += n;
	if (unlikely(s->status)) {
		tracked_enqueue_status(s->q, objs, n, top);
		return 0;
	}
	/* Before attach (populate), capacity is 0: nothing is in flight,
	 * and every mark is BUF_IN_POOL. */
	uint8_t *const done = s->done;
	const uint32_t capacity = s->capacity;
	const int off = s->dyn_off;

	for (unsigned int i = 0; i < n; i++) {
		struct d11tx_mbuf_dyn *d = RTE_MBUF_DYNFIELD(
			(struct rte_mbuf *)objs[i], off, struct d11tx_mbuf_dyn *);
		const uint32_t slot = d->fifo_slot;

		/* A FIFO slot means: in flight, given to the PMD. Buffers
		 * given back unsent carry 0 or a marker (see BUF_IN_POOL),
		 * which wrap past the capacity. */
		if (slot - 1 < capacity)
			done[slot - 1] = 1;
		d->fifo_slot = BUF_IN_POOL;
		top[i] = objs[i];
	}
	return 0;
}

static int
tracked_dequeue(struct rte_mempool *mp, void **objs, unsigned int n)
{
	return tracked_pop(mp->pool_data, objs, n);
}

static unsigned int
tracked_get_count(const struct rte_mempool *mp)
{
	const struct tracked_store *s = mp->pool_data;

	return s->count;
}

static const struct rte_mempool_ops tracked_ops = {
	.name = TRACKED_OPS_NAME,
	.alloc = tracked_alloc,
	.free = tracked_free,
	.enqueue = tracked_enqueue,
	.dequeue = tracked_dequeue,
	.get_count = tracked_get_count,
};

RTE_MEMPOOL_REGISTER_OPS(tracked_ops);

int
d11tx_mbuf_dyn_register(void)
{
	static const struct rte_mbuf_dynfield desc = {
		.name = "d11tx_mbuf",
		.size = sizeof(struct d11tx_mbuf_dyn),
		.align = __alignof__(struct d11tx_mbuf_dyn),
	};

	if (d11tx_mbuf_dyn_offset < 0)
		d11tx_mbuf_dyn_offset = rte_mbuf_dynfield_register(&desc);
	return d11tx_mbuf_dyn_offset < 0 ? -rte_errno : 0;
}

/* The rearm word of the pool's mbufs, from one of them reset. */
static void
tracked_rearm_init(struct rte_mempool *mp)
{
	struct tracked_store *s = mp->pool_data;
	struct rte_mbuf *m;

	if (s->count == 0)
		return;
	m = s->objs[0];
	RTE_BUILD_BUG_ON(offsetof(struct rte_mbuf, refcnt) !=
			 offsetof(struct rte_mbuf, data_off) + 2);
	RTE_BUILD_BUG_ON(offsetof(struct rte_mbuf, nb_segs) !=
			 offsetof(struct rte_mbuf, data_off) + 4);
	RTE_BUILD_BUG_ON(offsetof(struct rte_mbuf, port) !=
			 offsetof(struct rte_mbuf, data_off) + 6);
	rte_pktmbuf_reset(m);
	memcpy(&s->rearm, &m->data_off, sizeof(s->rearm));
}

/* Put what the PMD freed into @p mp's cache of lcore @p lcore through
 * the enqueue: marked done, into the store. */
void
d11tx_tracked_sweep(struct rte_mempool *mp, unsigned int lcore)
{
	struct rte_mempool_cache *c = rte_mempool_default_cache(mp, lcore);

	if (c == NULL || c->len == 0)
		return;
	tracked_enqueue(mp, c->objs, c->len);
	c->len = 0;
}

/* The per-lcore cache of a pool of @p n: as big as DPDK allows a pool of
 * that size, up to 256 (frames freed between two sweeps beyond it only
 * take the slower way). None in the mbuf_debug build, which checks every
 * free as it happens. */
static unsigned int
tracked_cache_size(uint32_t n)
{
#ifdef D11TX_MBUF_DEBUG
	RTE_SET_USED(n);
	return 0;
#else
	return RTE_MIN(256u, n * 2 / 3);
#endif
}

struct rte_mempool *
d11tx_tracked_pool_create(const char *name, uint32_t n, uint16_t priv_size,
		    uint16_t data_room, int socket)
{
	struct rte_pktmbuf_pool_private priv = {
		.mbuf_data_room_size = data_room,
		.mbuf_priv_size = priv_size,
	};
	struct rte_mempool *mp;

	mp = fi_mempool_create_empty(name, n,
				     sizeof(struct rte_mbuf) + priv_size + data_room,
				     tracked_cache_size(n), sizeof(priv), socket, 0);
	if (mp == NULL)
		return NULL;
	if (rte_mempool_set_ops_byname(mp, TRACKED_OPS_NAME, NULL) != 0)
		goto fail;
	rte_pktmbuf_pool_init(mp, &priv);
	if (fi_mempool_populate_default(mp) < 0)
		goto fail;
	/* Zeroes every mbuf, the slot tag included. */
	rte_mempool_obj_iter(mp, rte_pktmbuf_init, NULL);
	tracked_rearm_init(mp);
	return mp;
fail:
	rte_mempool_free(mp);
	return NULL;
}

void
d11tx_tracked_pool_attach(struct rte_mempool *mp, struct d11tx_queue *q)
{
	struct tracked_store *s = mp->pool_data;

#ifdef D11TX_MBUF_DEBUG
	d11tx_tracked_debug_attach(s);
#endif
	for (uint32_t i = 0; i < s->count; i++)
		d11tx_mbuf_dyn(s->objs[i])->fifo_slot = BUF_IN_POOL;
	s->q = q;
	s->done = q->fifo_done;
	s->capacity = q->capacity;
	s->status = q->tx_status_off >= 0;
}
