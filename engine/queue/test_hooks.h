/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef D11TX_ENGINE_TEST_HOOKS_H
#define D11TX_ENGINE_TEST_HOOKS_H

/*
 * Test hooks of the engine, compiled in only by two meson options; with
 * both off (the default) every macro and wrapper here is the plain call it
 * wraps, and the engine's code is the same instruction for instruction.
 * Not part of the API: the tests include this header from engine/.
 *
 * -Dfault_injection=true (D11TX_FAULT_INJECTION): every allocation of the
 *  engine goes through a wrapper (fi_*) that can be made to fail. A test
 *  arms a site with d11tx_fault_arm(site, n): the n-th call of that site
 *  from then on fails as the real call would (NULL, or -1 with rte_errno
 *  ENOMEM, or -ENOBUFS for mbufs), once. Counters tell how many calls each
 *  site saw and how many faults fired, so that a test can walk n over
 *  every allocation a path makes and fail when an armed fault never fired.
 *
 * -Dmbuf_debug=true (D11TX_MBUF_DEBUG): rte_mbuf_sanity_check() on every
 *  segment of every frame handed to the PMD and of every mbuf taken back
 *  from it (tracked pools: at the enqueue; reference counts: before the
 *  engine's last free), the engine's own invariants beside (the hold on
 *  each frame), and a double-free check in tracked pools. A failed check
 *  panics (rte_panic: abort), which is what a debug build wants.
 */

#include <stdbool.h>
#include <stdint.h>

#include <rte_branch_prediction.h>
#include <rte_dev.h>
#include <rte_errno.h>
#include <rte_malloc.h>
#include <rte_mbuf.h>
#include <rte_memory.h>
#include <rte_mempool.h>
#include <rte_ring.h>

/* Allocation sites, by class. */
enum d11tx_fault_site {
	/* Mbufs on the data path: pool_alloc_bulk() (the tracked pop or
	 * rte_pktmbuf_alloc_bulk) and the pipelined producers' alloc. */
	D11TX_FAULT_MBUF = 0,
	/* rte_zmalloc_socket(): the queue, its FIFO arrays, a tracked
	 * pool's store. */
	D11TX_FAULT_MALLOC,
	/* Pool creation: rte_pktmbuf_pool_create(), and a tracked pool's
	 * rte_mempool_create_empty() and rte_mempool_populate_default(). */
	D11TX_FAULT_MEMPOOL,
	/* rte_ring_create(): the pipelined ring. */
	D11TX_FAULT_RING,
	/* DMA registration: rte_extmem_register(), rte_dev_dma_map(). */
	D11TX_FAULT_EXTMEM,
	D11TX_FAULT_MAX
};

#ifdef D11TX_FAULT_INJECTION

/* Make the n-th next call of @p site fail (n = 1: the next one); 0
 * disarms. One fault per site at a time; it fires once. */
void d11tx_fault_arm(enum d11tx_fault_site site, uint32_t n);
/* Calls of @p site since the process started. */
uint64_t d11tx_fault_calls(enum d11tx_fault_site site);
/* Faults of @p site that fired since the process started. */
uint64_t d11tx_fault_fired(enum d11tx_fault_site site);
/* Whether a fault of @p site is armed and has not fired yet. */
bool d11tx_fault_pending(enum d11tx_fault_site site);
/* Counts the call; true when it must fail (rte_errno is then ENOMEM). */
bool d11tx_fault_hit(enum d11tx_fault_site site);

#define FAULT_INJECT(site) unlikely(d11tx_fault_hit(site))

#else

#define FAULT_INJECT(site) false

#endif /* D11TX_FAULT_INJECTION */

/* The engine's allocations, each one a site of its class. */

static inline void *
fi_zmalloc_socket(const char *type, size_t size, unsigned int align, int socket)
{
	if (FAULT_INJECT(D11TX_FAULT_MALLOC))
		return NULL;
	return rte_zmalloc_socket(type, size, align, socket);
}

static inline struct rte_mempool *
fi_pktmbuf_pool_create(const char *name, unsigned int n, unsigned int cache,
		       uint16_t priv_size, uint16_t data_room, int socket)
{
	if (FAULT_INJECT(D11TX_FAULT_MEMPOOL))
		return NULL;
	return rte_pktmbuf_pool_create(name, n, cache, priv_size, data_room,
				       socket);
}

static inline struct rte_mempool *
fi_mempool_create_empty(const char *name, unsigned int n, unsigned int elt_size,
			unsigned int cache, unsigned int priv_size, int socket,
			unsigned int flags)
{
	if (FAULT_INJECT(D11TX_FAULT_MEMPOOL))
		return NULL;
	return rte_mempool_create_empty(name, n, elt_size, cache, priv_size,
					socket, flags);
}

static inline int
fi_mempool_populate_default(struct rte_mempool *mp)
{
	if (FAULT_INJECT(D11TX_FAULT_MEMPOOL))
		return -ENOMEM;
	return rte_mempool_populate_default(mp);
}

static inline struct rte_ring *
fi_ring_create(const char *name, unsigned int count, int socket,
	       unsigned int flags)
{
	if (FAULT_INJECT(D11TX_FAULT_RING))
		return NULL;
	return rte_ring_create(name, count, socket, flags);
}

static inline int
fi_extmem_register(void *va, size_t len, rte_iova_t iova_addrs[],
		   unsigned int n_pages, size_t page_sz)
{
	if (FAULT_INJECT(D11TX_FAULT_EXTMEM))
		return -1;
	return rte_extmem_register(va, len, iova_addrs, n_pages, page_sz);
}

static inline int
fi_dev_dma_map(struct rte_device *dev, void *addr, uint64_t iova, size_t len)
{
	if (FAULT_INJECT(D11TX_FAULT_EXTMEM))
		return -1;
	return rte_dev_dma_map(dev, addr, iova, len);
}

static inline int
fi_pktmbuf_alloc_bulk(struct rte_mempool *mp, struct rte_mbuf **m,
		      unsigned int n)
{
	if (FAULT_INJECT(D11TX_FAULT_MBUF))
		return -ENOBUFS;
	return rte_pktmbuf_alloc_bulk(mp, m, n);
}

/* ---------- mbuf sanity (mbuf_debug) ---------- */

#ifdef D11TX_MBUF_DEBUG

struct d11tx_queue;
struct tracked_store;

/* Frames [0, n) of @p mbufs are about to go to the PMD, from FIFO index
 * @p first on: each is sane, segment by segment, and carries the engine's
 * hold (tracked: its slot tag on the last segment; else refcnt 2). */
void d11tx_mbuf_debug_tx(const struct d11tx_queue *q, struct rte_mbuf *const *mbufs,
		   uint32_t n, uint32_t first);
/* Frames [0, n) are back, with only the engine's reference left, and the
 * engine is about to free them: each is sane, every segment at refcnt 1. */
void d11tx_mbuf_debug_release(struct rte_mbuf *const *mbufs, uint32_t n);
/* Tracked pools: objects leave the store (alloc) or enter it (free):
 * each must be one of the pool's, sane and reset, and out of (into) the
 * store exactly once. A second free of the same mbuf panics. */
void d11tx_tracked_debug_attach(struct tracked_store *s);
void d11tx_tracked_debug_take(struct tracked_store *s, void *const *objs,
			unsigned int n);
void d11tx_tracked_debug_put(struct tracked_store *s, void *const *objs,
		       unsigned int n);

#define MBUF_DEBUG_TX(q, mbufs, n, first) d11tx_mbuf_debug_tx(q, mbufs, n, first)
#define MBUF_DEBUG_RELEASE(mbufs, n) d11tx_mbuf_debug_release(mbufs, n)
#define TRACKED_DEBUG_TAKE(s, objs, n) d11tx_tracked_debug_take(s, objs, n)
#define TRACKED_DEBUG_PUT(s, objs, n) d11tx_tracked_debug_put(s, objs, n)

#else

#define MBUF_DEBUG_TX(q, mbufs, n, first) do { } while (0)
#define MBUF_DEBUG_RELEASE(mbufs, n) do { } while (0)
#define TRACKED_DEBUG_TAKE(s, objs, n) do { } while (0)
#define TRACKED_DEBUG_PUT(s, objs, n) do { } while (0)

#endif /* D11TX_MBUF_DEBUG */

#endif /* D11TX_ENGINE_TEST_HOOKS_H */
