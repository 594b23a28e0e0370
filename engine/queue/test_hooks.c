/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Test hooks (test_hooks.h): allocation failure injection
 * (-Dfault_injection=true) and mbuf sanity checks (-Dmbuf_debug=true).
 * Built only when one of the two options is on.
 */

#include <stdlib.h>
#include <string.h>

#include <rte_debug.h>
#include <rte_errno.h>
#include <rte_mbuf.h>

#include "internal.h"

#ifdef D11TX_FAULT_INJECTION

/* One countdown per site class, process-wide; producers of pipelined mode
 * allocate on their own threads, hence atomics. */
static struct {
	uint64_t calls;
	uint64_t fired;
	uint32_t countdown;        /* 0: disarmed */
} sites[D11TX_FAULT_MAX];

void
d11tx_fault_arm(enum d11tx_fault_site site, uint32_t n)
{
	RTE_VERIFY(site < D11TX_FAULT_MAX);
	__atomic_store_n(&sites[site].countdown, n, __ATOMIC_SEQ_CST);
}

uint64_t
d11tx_fault_calls(enum d11tx_fault_site site)
{
	RTE_VERIFY(site < D11TX_FAULT_MAX);
	return __atomic_load_n(&sites[site].calls, __ATOMIC_SEQ_CST);
}

uint64_t
d11tx_fault_fired(enum d11tx_fault_site site)
{
	RTE_VERIFY(site < D11TX_FAULT_MAX);
	return __atomic_load_n(&sites[site].fired, __ATOMIC_SEQ_CST);
}

bool
d11tx_fault_pending(enum d11tx_fault_site site)
{
	RTE_VERIFY(site < D11TX_FAULT_MAX);
	return __atomic_load_n(&sites[site].countdown, __ATOMIC_SEQ_CST) != 0;
}

bool
d11tx_fault_hit(enum d11tx_fault_site site)
{
	uint32_t c = __atomic_load_n(&sites[site].countdown, __ATOMIC_SEQ_CST);

	__atomic_fetch_add(&sites[site].calls, 1, __ATOMIC_SEQ_CST);
	while (c != 0) {
		if (!__atomic_compare_exchange_n(&sites[site].countdown, &c, c - 1,
						 false, __ATOMIC_SEQ_CST,
						 __ATOMIC_SEQ_CST))
			continue;          /* c reloaded: try again */
		if (c != 1)
			return false;
		__atomic_fetch_add(&sites[site].fired, 1, __ATOMIC_SEQ_CST);
		rte_errno = ENOMEM;
		return true;
	}
	return false;
}

#endif /* D11TX_FAULT_INJECTION */

#ifdef D11TX_MBUF_DEBUG

/* What a segment must look like in a pool, or when it leaves one: what
 * DPDK's __rte_mbuf_raw_sanity_check() asserts, always on here. */
static void
raw_check(const struct rte_mbuf *m, const char *when)
{
	rte_mbuf_sanity_check(m, 0);
	if (rte_mbuf_refcnt_read(m) != 1 || m->next != NULL ||
	    m->nb_segs != 1 || RTE_MBUF_HAS_EXTBUF(m))
		rte_panic("mbuf %p %s: refcnt %u, next %p, %u segments%s\n",
			  (const void *)m, when, rte_mbuf_refcnt_read(m),
			  (void *)m->next, m->nb_segs,
			  RTE_MBUF_HAS_EXTBUF(m) ? ", external buffer attached" : "");
}

/* Every segment of frame @p m sane, each at refcnt @p refcnt. */
static void
frame_check(const struct rte_mbuf *m, uint16_t refcnt, const char *when)
{
	rte_mbuf_sanity_check(m, 1);
	for (const struct rte_mbuf *seg = m; seg != NULL; seg = seg->next) {
		if (seg != m)
			rte_mbuf_sanity_check(seg, 0);
		if (rte_mbuf_refcnt_read(seg) != refcnt)
			rte_panic("frame %p %s: segment %p at refcnt %u, not %u\n",
				  (const void *)m, when, (const void *)seg,
				  rte_mbuf_refcnt_read(seg), refcnt);
	}
}

void
d11tx_mbuf_debug_tx(const struct d11tx_queue *q, struct rte_mbuf *const *mbufs,
	      uint32_t n, uint32_t first)
{
	for (uint32_t i = 0; i < n; i++) {
		struct rte_mbuf *m = mbufs[i];

		/* Tracked: the PMD frees with refcnt 1 and the pool sees it
		 * by the slot tag; else the engine holds a second reference. */
		frame_check(m, q->tracked ? 1 : 2, "handed to the PMD");
		if (q->tracked) {
			const uint32_t slot = d11tx_mbuf_dyn(last_seg(m))->fifo_slot;
			const uint32_t want = ((first + i) & q->mask) + 1;

			if (slot != want)
				rte_panic("frame %p handed to the PMD with slot tag %u, not %u\n",
					  (void *)m, slot, want);
		}
	}
}

void
d11tx_mbuf_debug_release(struct rte_mbuf *const *mbufs, uint32_t n)
{
	for (uint32_t i = 0; i < n; i++)
		frame_check(mbufs[i], 1, "released by the engine");
}

/* The sorted objects and the in-store flags after objs[] (see
 * TRACKED_STORE_BYTES). */
static void **
debug_sorted(struct tracked_store *s)
{
	return &s->objs[s->size];
}

static uint8_t *
debug_in(struct tracked_store *s)
{
	return (uint8_t *)&s->objs[2 * (size_t)s->size];
}

static int
cmp_addr(const void *a, const void *b)
{
	const uintptr_t x = (uintptr_t)*(void *const *)a;
	const uintptr_t y = (uintptr_t)*(void *const *)b;

	return x < y ? -1 : x > y;
}

/* Index of @p obj among the pool's objects; panics for a foreign one. */
static uint32_t
debug_index(struct tracked_store *s, const void *obj)
{
	void *const *sorted = debug_sorted(s);
	uint32_t lo = 0, hi = s->size;

	while (lo < hi) {
		const uint32_t mid = lo + (hi - lo) / 2;

		if ((uintptr_t)sorted[mid] < (uintptr_t)obj)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo == s->size || sorted[lo] != obj)
		rte_panic("tracked pool: %p is not one of its mbufs\n", obj);
	return lo;
}

void
d11tx_tracked_debug_attach(struct tracked_store *s)
{
	/* Populated: every object is in the store. */
	RTE_VERIFY(s->count == s->size);
	memcpy(debug_sorted(s), s->objs, sizeof(void *) * s->size);
	qsort(debug_sorted(s), s->size, sizeof(void *), cmp_addr);
	memset(debug_in(s), 1, s->size);
}

void
d11tx_tracked_debug_take(struct tracked_store *s, void *const *objs, unsigned int n)
{
	uint8_t *in = debug_in(s);

	if (s->q == NULL)          /* not attached yet */
		return;
	for (unsigned int i = 0; i < n; i++) {
		const uint32_t k = debug_index(s, objs[i]);

		if (!in[k])
			rte_panic("tracked pool: mbuf %p handed out twice\n", objs[i]);
		raw_check(objs[i], "allocated");
		in[k] = 0;
	}
}

void
d11tx_tracked_debug_put(struct tracked_store *s, void *const *objs, unsigned int n)
{
	uint8_t *in = debug_in(s);

	if (s->q == NULL)          /* being populated */
		return;
	/* Marked one by one: a double free within one burst is caught too
	 * (the second sees the first's mark). */
	for (unsigned int i = 0; i < n; i++) {
		const uint32_t k = debug_index(s, objs[i]);

		if (in[k])
			rte_panic("tracked pool: double free of mbuf %p (already in the pool)\n",
				  objs[i]);
		raw_check(objs[i], "freed");
		in[k] = 1;
	}
}

#endif /* D11TX_MBUF_DEBUG */
