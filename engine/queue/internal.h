/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef D11TX_ENGINE_INTERNAL_H
#define D11TX_ENGINE_INTERNAL_H

#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include <rte_common.h>
#include <rte_mbuf.h>
#include <rte_mbuf_dyn.h>
#include <rte_mempool.h>
#include <rte_ring.h>

#include "dot11tx/dot11tx.h"
#include "dot11tx/dot11tx_caps.h"
#include "dot11_internal.h"
#include "test_hooks.h"

/* Largest number of frames reclaimed and dispatched in one pass, and of
 * mbufs allocated in one chunk of a submit call. */
#define RECLAIM_MAX 256
#define SUBMIT_CHUNK 64
/* Longest Ethernet-layout payload copied behind its 802.11 header into
 * one mbuf instead of attached zero-copy in a second (submit.c). */
#define ENCAP_COPY_BREAK D11TX_ENCAP_COPY_BREAK
/* The room of a header mbuf: radiotap, the 802.11 header, a copied
 * payload and its FCS. */
#define ENCAP_ROOM (D11TX_RADIOTAP_MAX + D11TX_DOT11_ENCAP_MAX + ENCAP_COPY_BREAK + 4)
/* Handles a client bucket gathers before it is flushed to its callback,
 * when one reclaim pass holds frames of several clients. */
#define BUCKET_SIZE 64

/*
 * Clients and regions are counted twice: frames in the FIFO by the owner
 * (plain counters), frames on their way through the pipelined ring by the
 * producers (atomic). Producers and unregister follow Dekker's protocol:
 * a producer adds to pipe_pending, then checks the client or region is
 * still there; unregister removes it, then checks pipe_pending. Both use
 * sequentially consistent order, so one of the two always sees the other.
 * A successful unregister also bumps the slot's generation: a producer
 * reads it before its checks and compares it after counting, so a slot
 * unregistered and registered again (to another client or region) in
 * between is refused, never mistaken for the one it checked.
 */
struct client {
	d11tx_completion_cb cb;    /* NULL: slot free */
	void *ctx;
	uint32_t inflight;
	uint32_t pipe_pending;
	uint32_t gen;
};

struct region {
	uintptr_t base;
	size_t len;                /* 0: slot free; written last, with release */
	uint32_t inflight;
	uint32_t pipe_pending;
	uint32_t gen;
	bool dma_mapped;
};

struct bucket {
	uint16_t n;
	bool listed;               /* in touched[] during this pass */
	uint8_t status[BUCKET_SIZE];
	uint8_t retries[BUCKET_SIZE];
	void *handles[BUCKET_SIZE];
};

/*
 * The FIFO is one power-of-two ring of frames in submission order, split by
 * three free-running indices:
 *
 *   tail ........ tx ........ head
 *   [ at the NIC ][  staged   ]
 *
 * Frames in [tail, tx) were handed to the PMD; frames in [tx, head) are
 * staged. The engine learns that the NIC is done with a frame in one of
 * two ways, chosen per queue:
 * - tracked pools (tracked.c): the mbuf carries its FIFO slot; the pool
 *   sees the PMD free it and sets fifo_done[slot];
 * - reference counts: the engine holds a second mbuf reference, so the
 *   refcnt falls back to 1 when the PMD frees it, whatever the thread.
 * Handles, clients and regions live in arrays beside the mbuf pointers so
 * that reclaim reads them sequentially and never touches the mbuf beyond
 * its first cache line.
 */

/* What the engine had to stop in the port to get its frames back. */
enum halt {
	HALT_NONE,
	HALT_TX_QUEUE,             /* the application's TX queue */
	HALT_PORT,                 /* the port it configured itself */
};

/*
 * The queue, by 64-byte cache line, as the threads touch it (the way
 * rte_ring_core.h lays out its ring); queue.c asserts the boundaries:
 *
 *   line 0-1    owner, hot: FIFO indices and arrays, pools, the settings
 *               every call reads                          (every call)
 *   line 2      shared with pipelined producers: stopped,
 *               producers_active, the attach pool          (every burst)
 *   line 3-6    the owner's counters, 208 bytes           (every call)
 *   line 7-8    the producers' refusal counters, atomic   (refusals)
 *   2.5 KB      clients and regions                       (per frame)
 *   5.1 KB      the scratch of one reclaim pass           (per poll)
 *   2.6 KB      encapsulation: templates, radiotap, the sequence
 *               counters                                  (per Ethernet-
 *                                                          layout frame)
 *   cold        capabilities, how the port was set up and halted, and a
 *               pointer to the dispatch buckets (41 KB, allocated apart:
 *               only a pass that spans several clients uses them)
 * About 11 KB in all, instead of 52 KB with the buckets inside.
 */
struct d11tx_queue {
	/* Owner thread, hot: read or written on every call. */
	uint32_t head;
	uint32_t tx;
	uint32_t tail;
	uint32_t mask;
	uint32_t capacity;
	uint16_t port_id;
	uint16_t queue_id;
	uint16_t tx_burst;
	uint16_t max_frame_len;
	uint16_t buf_room;
	uint8_t release_status;    /* status of frames the PMD releases:
				      SENT, or DROPPED once halted */
	uint8_t cleanup_method;    /* enum d11tx_cleanup, never PROBE after
				      the first request */
	bool tracked;              /* tracked pools, else reference counts */
	bool validate;             /* check frames as 802.11 frames */
	bool has_adapter;          /* d11tx_queue_set_adapter() was called */
	bool assign_seq;
	int16_t tx_status_off;     /* TX status dynfield offset; -1: none */
	struct rte_mbuf **fifo_mbuf;
	void **fifo_handle;
	uint16_t *fifo_client;
	uint8_t *fifo_region;
	/* Tracked: nonzero once the PMD freed the slot; with TX status,
	 * 1 + the outcome it reported. */
	uint8_t *fifo_done;
	struct rte_mempool *hdr_pool;
	struct rte_mempool *buf_pool;
	struct rte_ring *pipe;
	uint64_t last_progress_tsc;
	uint64_t cleanup_interval_tsc;
	uint8_t region_hint;
	uint8_t region_slots;      /* slots in use are below this */
	/* A completion callback of this queue is running (d11tx_dispatch):
	 * calls that would change the queue under it are refused. */
	bool in_callback;

	/* Shared with the producers of pipelined mode. A producer counts
	 * itself in producers_active, then checks stopped; stop sets stopped,
	 * then waits for producers_active to reach 0: after that no frame
	 * can enter the pipelined ring. The owner reads this line on every
	 * burst anyway, so the owner field used only with TX status rides on
	 * it, and the attach pool, which both take app frames' mbufs from. */
	bool stopped __rte_cache_aligned;
	uint32_t producers_active;
	uint8_t *fifo_retries;     /* tracked, TX status: retries reported */
	/* Mbufs without a data room, which app memory is attached to
	 * (attach_app_buffer()): app frames, the owner's and the
	 * producers', and long encapsulated payloads. */
	struct rte_mempool *attach_pool;

	/* Counters of the owner thread. */
	struct d11tx_queue_stats stats __rte_cache_aligned;

	/* Refusals counted by pipelined producers, atomically, on their own
	 * cache line so that they do not bounce the owner's counters. */
	uint64_t pipe_refused[D11TX_REFUSED_MAX] __rte_cache_aligned;

	struct client clients[D11TX_MAX_CLIENTS] __rte_cache_aligned;
	struct region regions[D11TX_MAX_REGIONS];

	/* Scratch of one reclaim pass. */
	struct rte_mbuf *scratch_mbuf[RECLAIM_MAX] __rte_cache_aligned;
	void *scratch_handle[RECLAIM_MAX];
	uint16_t scratch_client[RECLAIM_MAX];
	uint8_t scratch_status[RECLAIM_MAX];
	uint8_t scratch_retries[RECLAIM_MAX];
	uint16_t touched[D11TX_MAX_CLIENTS];
	/* The statuses of a run of one client (complete.c), all
	 * run_status_value; refilled only when the status changes. */
	uint8_t run_status[RECLAIM_MAX];
	uint8_t run_status_value;

	/* Encapsulated sends (d11tx_send_eth_burst): the headers of the
	 * adapter built once, non-QoS and QoS, for each frame to copy and
	 * patch (DA, EtherType, TID). */
	uint8_t encap_tmpl[2][D11TX_DOT11_ENCAP_MAX] __rte_cache_aligned;
	uint8_t encap_da_offset;
	uint8_t radiotap_len;      /* 0: no radiotap header */
	bool append_fcs;           /* radiotap says the frame ends with its FCS */
	uint8_t radiotap[D11TX_RADIOTAP_MAX];
	struct d11tx_dot11_seq seq;
	/* TX parameter sets (d11tx_queue_set_tx_params()): NULL until the
	 * first is set, so that a queue without any pays nothing; the
	 * radiotap header they are built on. */
	struct txp_slot *txp;
	struct d11tx_radiotap_tx radiotap_conf;

	/* Cold: read at create, stop, start, destroy and registration. */
	struct d11tx_port_caps caps __rte_cache_aligned;
	bool configured_port;      /* D11TX_QF_CONFIGURE_PORT */
	uint8_t halted;            /* enum halt */
	/* Per-client buckets of a reclaim pass that spans several clients,
	 * D11TX_MAX_CLIENTS of them. */
	struct bucket *buckets;
	/* The list of live queues (queue.c), which no second queue's port
	 * and TX queue may clash with. */
	struct d11tx_queue *next_live;
	bool live;
};

/*
 * What the files of the queue engine call in one another. The calls run
 * one way: queue.c and poll.c call pipe.c and complete.c; submit.c and
 * pipe.c call refusal.c and mem.c; complete.c, refusal.c, mem.c and
 * tracked.c call none of the others.
 */

/* refusal.c: count a refused frame's reason and set rte_errno (cold);
 * _pipe from a producer thread of pipelined mode. */
void d11tx_refuse(struct d11tx_queue *q, enum d11tx_refusal reason);
void d11tx_refuse_pipe(struct d11tx_queue *q, enum d11tx_refusal reason);

/* mem.c: the registered regions. */
int d11tx_region_lookup_slow(const struct d11tx_queue *q, uintptr_t addr,
			     uint32_t len, uint8_t *hint, uint32_t *gen);
void d11tx_regions_release_all(struct d11tx_queue *q);

/* complete.c: the completion path. */
/* How d11tx_complete_range() treats the mbufs of the entries it completes. */
enum release_kind {
	RELEASE_PMD_FREED,   /* the PMD released them: the engine's last free,
				or, tracked, nothing (already in the pool) */
	RELEASE_CANCELLED,   /* never given to the PMD: the engine frees them */
};
/* Reclaim what the PMD released; returns the number completed. */
uint32_t d11tx_reclaim(struct d11tx_queue *q);
/* Ask the PMD to release what it holds. */
void d11tx_request_cleanup(struct d11tx_queue *q);
/* Reclaim until nothing is left at the NIC or @p timeout_us passed. */
void d11tx_drain(struct d11tx_queue *q, uint32_t timeout_us);
/* Complete @p n (<= RECLAIM_MAX) FIFO entries from @p start with
 * @p status and call the client callbacks. */
void d11tx_complete_range(struct d11tx_queue *q, uint32_t start, uint32_t n,
			  uint8_t status, enum release_kind kind);
/* Complete every staged frame as CANCELLED. */
void d11tx_cancel_staged(struct d11tx_queue *q);
/* Deliver scratch entries [0, n) to their clients, with @p retries
 * (scratch_retries; NULL: zeros). */
void d11tx_dispatch(struct d11tx_queue *q, uint32_t n, const uint8_t *retries);

/* pipe.c, the producers' side: enter as a producer (false, with
 * rte_errno set, when the queue takes no pipelined frames; a true return
 * must be paired with d11tx_producer_exit()); count a chunk for its
 * clients and regions and enqueue it, un-counting what the ring did not
 * take (returns the frames now in the ring; *reason is set when fewer). */
bool d11tx_producer_enter(struct d11tx_queue *q, uint16_t n);
void d11tx_producer_exit(struct d11tx_queue *q);
uint32_t d11tx_pipe_publish(struct d11tx_queue *q, struct rte_mbuf **mbufs,
			    uint32_t n, int *reason);
/* pipe.c, the owner's side: move frames from the ring into the FIFO;
 * complete every frame in the ring as CANCELLED, once no producer can add
 * more (stopped, and producers_active is 0). */
uint32_t d11tx_pipe_pull(struct d11tx_queue *q);
void d11tx_pipe_cancel(struct d11tx_queue *q);

/* Register struct d11tx_mbuf_dyn (once per process). */
int d11tx_mbuf_dyn_register(void);

/* tracked.c: tracked pools, whose store is a LIFO stack of free mbufs. */
struct tracked_store {
	uint32_t count;
	uint32_t size;
	/* What the enqueue needs, copied from the queue at attach so that
	 * a PMD's free reads one line: the FIFO's done flags and capacity,
	 * the dynamic field's offset, and whether the port reports TX
	 * status (then q is read too). */
	uint8_t *done;
	uint32_t capacity;
	int32_t dyn_off;
	bool status;
	/* data_off, refcnt, nb_segs and port of a reset mbuf of the pool,
	 * as they lie in struct rte_mbuf (pool_alloc_bulk()). */
	uint64_t rearm;
	struct d11tx_queue *q;     /* NULL while the pool is being populated */
	void *objs[];
};

/* Bytes of the store of a pool of @p n mbufs. With mbuf_debug, objs[] is
 * followed by every mbuf of the pool sorted by address and, for each, a
 * byte that says whether it is in the store (see d11tx_tracked_debug_put()). */
#ifdef D11TX_MBUF_DEBUG
#define TRACKED_STORE_BYTES(n) \
	(sizeof(struct tracked_store) + (size_t)(n) * (2 * sizeof(void *) + 1))
#else
#define TRACKED_STORE_BYTES(n) \
	(sizeof(struct tracked_store) + sizeof(void *) * (n))
#endif

struct rte_mempool *d11tx_tracked_pool_create(const char *name, uint32_t n,
					uint16_t priv_size, uint16_t data_room,
					int socket);
void d11tx_tracked_pool_attach(struct rte_mempool *mp, struct d11tx_queue *q);
void d11tx_tracked_sweep(struct rte_mempool *mp, unsigned int lcore);

/* The generation of a client slot, read before the slot is checked. */
static inline uint32_t
client_gen(const struct d11tx_queue *q, uint16_t client)
{
	return client < D11TX_MAX_CLIENTS ?
		__atomic_load_n(&q->clients[client].gen, __ATOMIC_ACQUIRE) : 0;
}

/* The guard of a control call on @p q: -EINVAL for NULL, -EDEADLK from
 * one of its completion callbacks, which the call would change the queue
 * under; else 0. Per call, never per frame. */
static inline int
control_guard(const struct d11tx_queue *q)
{
	if (q == NULL)
		return -EINVAL;
	return unlikely(q->in_callback) ? -EDEADLK : 0;
}

static inline bool
client_valid(const struct d11tx_queue *q, uint16_t client)
{
	return client < D11TX_MAX_CLIENTS &&
		__atomic_load_n(&q->clients[client].cb, __ATOMIC_ACQUIRE) != NULL;
}

/*
 * Whether region @p r holds all of [addr, addr + len); *gen gets its
 * generation, read before its bounds (see struct client). Overflow-safe:
 * off = addr - base wraps to a huge value when addr < base, and len is
 * compared with the room left after off, never added to it. The one
 * bounds check of registered memory.
 */
static inline bool
region_holds(const struct region *r, uintptr_t addr, uint32_t len, uint32_t *gen)
{
	const uint32_t g = __atomic_load_n(&r->gen, __ATOMIC_ACQUIRE);
	const size_t rlen = __atomic_load_n(&r->len, __ATOMIC_ACQUIRE);
	const uintptr_t off = addr - __atomic_load_n(&r->base, __ATOMIC_ACQUIRE);

	if (off < rlen && len <= rlen - off) {
		*gen = g;
		return true;
	}
	return false;
}

/*
 * The registered region that holds all of [addr, addr + len), or -1.
 * Frames of a burst usually share a region: try the one in *hint first.
 * The owner passes &q->region_hint; producers a hint of their own, since
 * they may run while the owner registers regions. *gen gets the slot's
 * generation.
 */
static inline int
region_lookup(const struct d11tx_queue *q, uintptr_t addr, uint32_t len,
	      uint8_t *hint, uint32_t *gen)
{
	if (likely(region_holds(&q->regions[*hint], addr, len, gen)))
		return *hint;
	return d11tx_region_lookup_slow(q, addr, len, hint, gen);
}

#define NO_REFUSAL (-1)

/* The refusal that goes with an 802.11 validation reason. */
static inline int
dot11_refusal(int invalid)
{
	static const int8_t map[D11TX_DOT11_INVALID_MAX] = {
		[D11TX_DOT11_VALID] = NO_REFUSAL,
		[D11TX_DOT11_BAD_VERSION] = D11TX_REFUSED_BAD_VERSION,
		[D11TX_DOT11_RESERVED] = D11TX_REFUSED_RESERVED,
		[D11TX_DOT11_TOO_SHORT] = D11TX_REFUSED_TOO_SHORT,
		[D11TX_DOT11_TOO_LONG] = D11TX_REFUSED_TOO_LONG,
	};

	return map[invalid];
}

/*
 * Whose an engine mbuf is, in its dynamic field's fifo_slot (struct
 * d11tx_mbuf_dyn), so that a buffer submitted twice, or freed while the
 * engine has it, is refused instead of corrupting a pool:
 *   0              the application's: allocated, not submitted (or given
 *                  back by a refusal)
 *   BUF_IN_POOL    in its pool
 *   anything else  the engine's: tracked pools, its FIFO slot + 1 (at most
 *                  2^24); reference counting, BUF_IN_ENGINE
 * Submission writes it; the pools' frees (tracked.c) and the engine's own
 * (complete.c, pipe.c) set BUF_IN_POOL; d11tx_buf_alloc() clears it.
 */
#define BUF_IN_POOL UINT32_MAX
#define BUF_IN_ENGINE (UINT32_MAX - 1)

/*
 * Point mbuf @p m of the attach pool at [data, data + len) of the app's
 * memory, without copying it. Not as an external buffer: a direct mbuf
 * whose buffer is the app's, so that freeing it is the plain free, with no
 * detach and no shared info to count down (that cost as much as the rest
 * of an app-owned frame's free). The pool's mbufs have no room of their
 * own to lose, and every use sets the buffer afresh. data_off 0 leaves no
 * headroom, so that no PMD prepends into the app's memory; software PMDs
 * ignore the IOVA, and NICs that DMA need IOVA-as-VA, which
 * d11tx_mem_register() checked when it mapped the region.
 */
static inline void
attach_app_buffer(struct rte_mbuf *m, const void *data, uint32_t len)
{
	m->buf_addr = (void *)(uintptr_t)data;
	rte_mbuf_iova_set(m, (rte_iova_t)(uintptr_t)data);
	m->buf_len = (uint16_t)len;
	m->data_off = 0;
	m->data_len = (uint16_t)len;
	m->pkt_len = len;
}

/* One TX parameter set of a queue's table, with the radiotap header that
 * an Ethernet-layout frame naming it carries on a radiotap queue. */
struct txp_slot {
	struct d11tx_tx_params params;
	bool set;
	uint8_t rt_len;
	uint8_t rt[D11TX_RADIOTAP_MAX];
};

/* Offsets of the TX parameter dynamic field and flag bit, set when a
 * queue first gets a parameter set. */
extern int d11tx_txp_field_offset;
extern uint64_t d11tx_txp_flag;

/* The set that frame index @p idx names, or NULL when the queue holds
 * none there (D11TX_REFUSED_TX_PARAMS). A set with a radiotap header
 * (rt_len != 0: the queue has one) goes in front of the frame; one
 * without exists only where the PMD reads the dynamic field. */
static inline const struct txp_slot *
txp_lookup(const struct d11tx_queue *q, unsigned int idx)
{
	const struct txp_slot *s;

	if (q->txp == NULL || idx >= D11TX_TX_PARAMS_SLOTS)
		return NULL;
	s = &q->txp[idx];
	return s->set ? s : NULL;
}

/* Give frame @p m (its first segment) the set of slot @p s. */
static inline void
txp_apply(struct rte_mbuf *m, const struct txp_slot *s)
{
	memcpy(RTE_MBUF_DYNFIELD(m, d11tx_txp_field_offset, void *), &s->params,
	       sizeof(s->params));
	m->ol_flags |= d11tx_txp_flag;
}

/* The last segment of a frame (the frame itself when it has one). */
static inline struct rte_mbuf *
last_seg(struct rte_mbuf *m)
{
	while (m->next != NULL)
		m = m->next;
	return m;
}

/* Reference counting: the PMD let go of every segment of the frame. */
static inline bool
frame_released(const struct rte_mbuf *m)
{
	for (; m != NULL; m = m->next)
		if (rte_mbuf_refcnt_read(m) != 1)
			return false;
	return true;
}

/* Take @p n objects off a tracked store, all or none; -ENOBUFS. */
static inline int
tracked_pop(struct tracked_store *s, void **objs, unsigned int n)
{
	void *const *top;

	if (unlikely(s->count < n))
		return -ENOBUFS;
	s->count -= n;
	top = &s->objs[s->count];
	for (unsigned int i = 0; i < n; i++)
		objs[i] = top[i];
	TRACKED_DEBUG_TAKE(s, objs, n);
	return 0;
}

/*
 * Allocate @p n mbufs of one of the queue's pools, all or none. A tracked
 * pool is popped directly: the same as rte_pktmbuf_alloc_bulk() without the
 * lcore lookup (a TLS access) and the ops call, which it has no use for.
 */
static inline int
pool_alloc_bulk(const struct d11tx_queue *q, struct rte_mempool *mp,
		struct rte_mbuf **m, unsigned int n)
{
	if (FAULT_INJECT(D11TX_FAULT_MBUF))
		return -ENOBUFS;
	if (!q->tracked)
		return rte_pktmbuf_alloc_bulk(mp, m, n);

	struct tracked_store *s = mp->pool_data;

	if (unlikely(s->count < n)) {
		/* Freed mbufs may wait in the lcore's cache. */
		d11tx_tracked_sweep(mp, rte_lcore_id());
		if (s->count < n)
			return -ENOBUFS;
	}
	s->count -= n;

	void *const *const top = &s->objs[s->count];
	/* rte_pktmbuf_reset() less what a pooled mbuf has already: one
	 * segment, no next, one reference (rte_pktmbuf_prefree_seg() saw to
	 * it) and a headroom of the pool's size, which the four fields from
	 * data_off take in one store. Out of the pool, the caller's (see
	 * BUF_IN_POOL), in the same loop. */
	const uint64_t rearm = s->rearm;
	const int off = s->dyn_off;

	for (unsigned int i = 0; i < n; i++) {
		struct rte_mbuf *b = top[i];

		m[i] = b;
		memcpy(&b->data_off, &rearm, sizeof(rearm));
		b->ol_flags = 0;
		b->packet_type = 0;
		b->pkt_len = 0;
		b->data_len = 0;
		b->vlan_tci = 0;
		b->vlan_tci_outer = 0;
		b->tx_offload = 0;
		RTE_MBUF_DYNFIELD(b, off, struct d11tx_mbuf_dyn *)->fifo_slot = 0;
	}
	TRACKED_DEBUG_TAKE(s, (void **)m, n);
	return 0;
}

/* How many bytes an Ethernet-style frame may carry after its DA and
 * EtherType (the LLC/SNAP header excluded): a frame whose len - 8 is this
 * or more is TOO_LONG. One formula for the submit loop and
 * d11tx_queue_eth_max_len(). */
static inline uint32_t
eth_room(const struct d11tx_queue *q, bool qos)
{
	const int64_t room = (int64_t)q->max_frame_len + 1 -
		(D11TX_DOT11_ENCAP_MAX - 2 + 2 * qos) - (q->append_fcs ? 4 : 0);

	return room > 0 ? (uint32_t)room : 0;
}

#endif /* D11TX_ENGINE_INTERNAL_H */
