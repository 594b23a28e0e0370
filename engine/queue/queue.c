/* SPDX-License-Identifier: BSD-3-Clause */
/* Control path of a queue: create, stop, start, destroy, clients, stats. */

#include <assert.h>
#include <pthread.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include <rte_cycles.h>
#include <rte_errno.h>
#include <rte_ethdev.h>
#include <rte_lcore.h>
#include <rte_malloc.h>

#include "internal.h"

#define DEFAULT_RING_SIZE 4096
#define DEFAULT_TX_BURST 32
#define DEFAULT_BUF_SIZE 2048
#define DEFAULT_CLEANUP_US 20
#define DESTROY_TIMEOUT_US 100000
#define POOL_CACHE 256

static unsigned int queue_serial;

/* The layout that internal.h draws: the owner's hot state is the first
 * two cache lines; the state shared with producers is the third; the
 * owner's counters start on the fourth; the whole stays near 11 KB. */
static_assert(offsetof(struct d11tx_queue, stopped) == 2 * RTE_CACHE_LINE_SIZE,
	      "hot owner state must fill exactly two cache lines");
static_assert(offsetof(struct d11tx_queue, stats) == 3 * RTE_CACHE_LINE_SIZE,
	      "the producers' line must be one cache line");
static_assert(sizeof(struct d11tx_queue) <= 12 * 1024,
	      "the queue must stay small: large, rarely used parts go apart");
/* The per-frame metadata must fit the private area the pools reserve
 * without growing the mbuf beyond three cache lines. */
static_assert(sizeof(struct d11tx_mbuf_meta) <= RTE_CACHE_LINE_SIZE,
	      "mbuf metadata must fit one cache line");

static int
fill_defaults(struct d11tx_queue_conf *c)
{
	if (!rte_eth_dev_is_valid_port(c->port_id))
		return -EINVAL;
	if (c->ring_size == 0)
		c->ring_size = DEFAULT_RING_SIZE;
	if (c->ring_size > (1u << 24))
		return -EINVAL;
	c->ring_size = rte_align32pow2(c->ring_size);
	if (c->tx_burst == 0)
		c->tx_burst = DEFAULT_TX_BURST;
	if (c->max_frame_len == 0)
		c->max_frame_len = D11TX_DEFAULT_MAX_FRAME_LEN;
	if (c->max_frame_len > D11TX_MAX_FRAME_LEN)
		return -EINVAL;
	if (c->buf_size == 0)
		c->buf_size = DEFAULT_BUF_SIZE;
	if ((uint32_t)c->buf_size + RTE_PKTMBUF_HEADROOM > UINT16_MAX)
		return -EINVAL;
	if (c->pipe_ring_size != 0) {
		if (c->pipe_ring_size > (1u << 24))
			return -EINVAL;
		c->pipe_ring_size = rte_align32pow2(c->pipe_ring_size);
	}
	if (c->cleanup_interval_us == 0)
		c->cleanup_interval_us = DEFAULT_CLEANUP_US;
	if (c->socket_id <= 0) {
		c->socket_id = rte_eth_dev_socket_id(c->port_id);
		if (c->socket_id < 0)
			c->socket_id = (int)rte_socket_id();
	}
	return 0;
}

/* An attached port must be started and must not fast-free our mbufs. */
static int
check_attached_port(const struct d11tx_queue_conf *c)
{
	struct rte_eth_dev_info info;
	struct rte_eth_txq_info qinfo;
	struct rte_eth_conf conf;
	int ret;

	ret = rte_eth_dev_info_get(c->port_id, &info);
	if (ret != 0)
		return ret;
	if (c->queue_id >= info.nb_tx_queues)
		return -EINVAL;
	if (rte_eth_dev_conf_get(c->port_id, &conf) == 0 &&
	    (conf.txmode.offloads & RTE_ETH_TX_OFFLOAD_MBUF_FAST_FREE))
		return -ENOTSUP;
	if (rte_eth_tx_queue_info_get(c->port_id, c->queue_id, &qinfo) == 0) {
		if (qinfo.conf.offloads & RTE_ETH_TX_OFFLOAD_MBUF_FAST_FREE)
			return -ENOTSUP;
		if (qinfo.queue_state != RTE_ETH_QUEUE_STATE_STARTED)
			return -EINVAL;
	}
	return 0;
}

/*
 * Tracked pools (see tracked.c) need every alloc and free of the queue's
 * mbufs on the owning thread. Pipelined producers allocate on their own
 * threads, and ports whose peer frees what they send (net_ring) free
 * wherever that peer runs: those queues count references instead.
 */
static bool
wants_tracked_pools(const struct d11tx_queue_conf *c,
		    const struct d11tx_port_caps *caps)
{
	if (c->pipe_ring_size != 0 || (c->flags & D11TX_QF_REFCNT_RECLAIM))
		return false;
	return !caps->peer_frees;
}

/* Offset of the TX status field on a port that reports it, else -1. */
static int
tx_status_offset(const struct d11tx_port_caps *caps)
{
	if (!caps->tx_status)
		return -1;
	/* The PMD registered it when it probed. */
	return rte_mbuf_dynfield_lookup(D11TX_TX_STATUS_DYNFIELD, NULL);
}

static struct rte_mempool *
make_pool(const char *kind, unsigned int serial, uint32_t n, uint16_t room,
	  int socket, bool tracked)
{
	char name[RTE_MEMPOOL_NAMESIZE];
	const uint16_t priv = RTE_ALIGN_CEIL(sizeof(struct d11tx_mbuf_meta),
					     RTE_MBUF_PRIV_ALIGN);

	snprintf(name, sizeof(name), "d11tx_%s%u", kind, serial);
	if (tracked)
		return d11tx_tracked_pool_create(name, n, priv, room, socket);

	/* A per-lcore cache speeds up alloc and free, but the objects in
	 * it are not free to others: size the pool so that the caches of
	 * every lcore can be full while the FIFO is full. */
	const unsigned int cache = n >= 4 * POOL_CACHE ? POOL_CACHE : 0;
	const uint64_t total = (uint64_t)n + 2ull * cache * rte_lcore_count();

	/* A count past 32 bits cannot be a pool (nor wrap into a small one). */
	if (total > UINT32_MAX)
		return NULL;
	return fi_pktmbuf_pool_create(name, (unsigned int)total, cache, priv,
				      room, socket);
}

/*
 * The live queues. Two queues must never call rte_eth_tx_burst() on one TX
 * queue (DPDK's PMDs do not allow it), and a queue that configures its
 * port (D11TX_QF_CONFIGURE_PORT) must not reconfigure it under live
 * queues of other TX queues; those may attach to a port such a queue
 * configured. Create and destroy are control calls: a mutex.
 */
static pthread_mutex_t live_lock = PTHREAD_MUTEX_INITIALIZER;
static struct d11tx_queue *live_queues;

/* Claim @p q's port and TX queue: 0, or -EBUSY when a live queue holds
 * them. */
static int
live_claim(struct d11tx_queue *q, bool configures)
{
	int ret = 0;

	pthread_mutex_lock(&live_lock);
	for (const struct d11tx_queue *l = live_queues; l != NULL; l = l->next_live)
		if (l->port_id == q->port_id && (configures || l->queue_id == q->queue_id))
			ret = -EBUSY;
	if (ret == 0) {
		q->configured_port = configures;
		q->next_live = live_queues;
		live_queues = q;
		q->live = true;
	}
	pthread_mutex_unlock(&live_lock);
	return ret;
}

static void
live_release(struct d11tx_queue *q)
{
	if (!q->live)
		return;
	pthread_mutex_lock(&live_lock);
	for (struct d11tx_queue **l = &live_queues; *l != NULL; l = &(*l)->next_live)
		if (*l == q) {
			*l = q->next_live;
			break;
		}
	pthread_mutex_unlock(&live_lock);
	q->live = false;
}

static void
queue_free(struct d11tx_queue *q)
{
	live_release(q);
	d11tx_regions_release_all(q);
	rte_ring_free(q->pipe);
	rte_mempool_free(q->buf_pool);
	rte_mempool_free(q->hdr_pool);
	rte_mempool_free(q->attach_pool);
	rte_free(q->fifo_mbuf);
	rte_free(q->fifo_handle);
	rte_free(q->fifo_client);
	rte_free(q->fifo_region);
	rte_free(q->fifo_done);
	rte_free(q->fifo_retries);
	rte_free(q->buckets);
	rte_free(q->txp);
	rte_free(q);
}

/* Whether a queue can be made on the port @p c names: its defaults
 * filled in, and the port's capabilities in @p caps. 0 or -errno. */
static int
check_conf(struct d11tx_queue_conf *c, struct d11tx_port_caps *caps)
{
	int ret = fill_defaults(c);

	if (ret == 0)
		ret = d11tx_port_caps_get(c->port_id, caps);
	/* A port whose hardware frees what it sends never tells anyone. */
	if (ret == 0 && caps->unobservable)
		ret = -ENOTSUP;
	if (ret == 0 && !(c->flags & D11TX_QF_CONFIGURE_PORT))
		ret = check_attached_port(c);
	if (ret == 0)
		ret = d11tx_mbuf_dyn_register();
	return ret;
}

/* The queue's own settings, from its configuration and its port. */
static void
settings_init(struct d11tx_queue *q, const struct d11tx_queue_conf *c,
	      const struct d11tx_port_caps *caps)
{
	q->port_id = c->port_id;
	q->queue_id = c->queue_id;
	q->capacity = c->ring_size;
	q->mask = c->ring_size - 1;
	q->tx_burst = c->tx_burst;
	q->max_frame_len = c->max_frame_len;
	q->buf_room = RTE_MIN(c->buf_size, c->max_frame_len);
	q->release_status = D11TX_STATUS_SENT;
	q->caps = *caps;
	q->cleanup_method = caps->cleanup;
	q->cleanup_interval_tsc = rte_get_tsc_hz() / 1000000 * c->cleanup_interval_us;
	q->tracked = wants_tracked_pools(c, caps);
	q->tx_status_off = tx_status_offset(caps);
	q->validate = !(c->flags & D11TX_QF_NO_VALIDATE);
}

/* A fresh buffer is in its pool (see BUF_IN_POOL); tracked pools mark
 * theirs when they are attached. */
static void
mark_in_pool(struct rte_mempool *mp __rte_unused, void *opaque __rte_unused,
	     void *obj, unsigned int idx __rte_unused)
{
	d11tx_mbuf_dyn(obj)->fifo_slot = BUF_IN_POOL;
}

/* The FIFO arrays, the dispatch buckets, the pools and the pipelined
 * ring, on the configured socket: 0, or -ENOMEM (the caller frees what
 * was made). */
static int
storage_alloc(struct d11tx_queue *q, const struct d11tx_queue_conf *c,
	      unsigned int serial)
{
	const int socket = c->socket_id;
	const uint32_t n = c->ring_size;

	q->fifo_mbuf = fi_zmalloc_socket(NULL, sizeof(*q->fifo_mbuf) * n,
					 RTE_CACHE_LINE_SIZE, socket);
	q->fifo_handle = fi_zmalloc_socket(NULL, sizeof(*q->fifo_handle) * n,
					   RTE_CACHE_LINE_SIZE, socket);
	q->fifo_client = fi_zmalloc_socket(NULL, sizeof(*q->fifo_client) * n,
					   RTE_CACHE_LINE_SIZE, socket);
	q->fifo_region = fi_zmalloc_socket(NULL, sizeof(*q->fifo_region) * n,
					   RTE_CACHE_LINE_SIZE, socket);
	q->fifo_done = fi_zmalloc_socket(NULL, n, RTE_CACHE_LINE_SIZE, socket);
	q->buckets = fi_zmalloc_socket(NULL, sizeof(*q->buckets) * D11TX_MAX_CLIENTS,
				       RTE_CACHE_LINE_SIZE, socket);
	if (q->tracked && q->tx_status_off >= 0)
		q->fifo_retries = fi_zmalloc_socket(NULL, n, RTE_CACHE_LINE_SIZE, socket);
	/* Header mbufs, ENCAP_ROOM bytes of room: an encapsulated frame's
	 * headers (and a short payload), its FCS tail. Attach mbufs, no room:
	 * an app frame, an encapsulated frame's long payload; pipelined
	 * frames wait in the ring on theirs. */
	q->hdr_pool = make_pool("h", serial, 2 * n, ENCAP_ROOM, socket, q->tracked);
	q->attach_pool = make_pool("a", serial, 2 * n + c->pipe_ring_size, 0,
				   socket, q->tracked);
	if (c->buf_count != 0)
		q->buf_pool = make_pool("b", serial, c->buf_count,
					(uint16_t)(c->buf_size + RTE_PKTMBUF_HEADROOM),
					socket, q->tracked);
	if (q->buf_pool != NULL && !q->tracked)
		rte_mempool_obj_iter(q->buf_pool, mark_in_pool, NULL);
	if (c->pipe_ring_size != 0) {
		char name[RTE_RING_NAMESIZE];

		snprintf(name, sizeof(name), "d11tx_p%u", serial);
		/* Exact size: pipe_ring_size frames fit, no more. Producers
		 * may be preemptible threads sharing cores: relaxed tail sync
		 * keeps one preempted producer from making the others spin
		 * on its tail update, as the classic MP mode would. */
		q->pipe = fi_ring_create(name, c->pipe_ring_size, socket,
					 RING_F_MP_RTS_ENQ | RING_F_SC_DEQ |
					 RING_F_EXACT_SZ);
	}
	if (q->fifo_mbuf == NULL || q->fifo_handle == NULL ||
	    q->fifo_client == NULL || q->fifo_region == NULL ||
	    q->fifo_done == NULL || q->buckets == NULL ||
	    (q->tracked && q->tx_status_off >= 0 && q->fifo_retries == NULL) ||
	    q->hdr_pool == NULL || q->attach_pool == NULL ||
	    (c->buf_count != 0 && q->buf_pool == NULL) ||
	    (c->pipe_ring_size != 0 && q->pipe == NULL))
		return -ENOMEM;
	return 0;
}

struct d11tx_queue *
d11tx_queue_create(const struct d11tx_queue_conf *conf)
{
	struct d11tx_queue_conf c;
	struct d11tx_port_caps caps;
	struct d11tx_queue *q;
	int ret;

	if (conf == NULL) {
		rte_errno = EINVAL;
		return NULL;
	}
	c = *conf;
	ret = check_conf(&c, &caps);
	if (ret != 0) {
		rte_errno = -ret;
		return NULL;
	}
	q = fi_zmalloc_socket("d11tx_queue", sizeof(*q), RTE_CACHE_LINE_SIZE,
			      c.socket_id);
	if (q == NULL) {
		rte_errno = ENOMEM;
		return NULL;
	}
	settings_init(q, &c, &caps);
	ret = live_claim(q, c.flags & D11TX_QF_CONFIGURE_PORT);
	if (ret == 0)
		ret = storage_alloc(q, &c, __atomic_fetch_add(&queue_serial, 1,
							       __ATOMIC_RELAXED));
	if (ret == 0 && q->tracked) {
		/* Populated and zeroed: from now on, frees are watched. */
		d11tx_tracked_pool_attach(q->hdr_pool, q);
		d11tx_tracked_pool_attach(q->attach_pool, q);
		if (q->buf_pool != NULL)
			d11tx_tracked_pool_attach(q->buf_pool, q);
	}
	if (ret == 0 && (c.flags & D11TX_QF_CONFIGURE_PORT)) {
		ret = d11tx_port_configure(c.port_id, c.queue_id + 1, c.nb_tx_desc,
					   c.socket_id);
		/* The TX path the PMD picked can decide how it cleans up. */
		if (ret == 0 && d11tx_port_caps_get(c.port_id, &q->caps) == 0)
			q->cleanup_method = q->caps.cleanup;
	}
	if (ret != 0) {
		queue_free(q);
		rte_errno = -ret;
		return NULL;
	}
	return q;
}

/* Record what the engine stopped; frames the PMD releases while it is
 * stopped may not have gone out. */
static void
halt_set(struct d11tx_queue *q, enum halt h)
{
	q->halted = (uint8_t)h;
	q->release_status = h == HALT_NONE ? D11TX_STATUS_SENT : D11TX_STATUS_DROPPED;
}

int
d11tx_queue_stop(struct d11tx_queue *q, uint32_t timeout_us)
{
	const int ret = control_guard(q);

	if (ret != 0)
		return ret;
	__atomic_store_n(&q->stopped, true, __ATOMIC_SEQ_CST);
	/* Producers inside a pipelined call may still enqueue: wait until
	 * they are out; later ones see stopped (see pipe.c). */
	while (__atomic_load_n(&q->producers_active, __ATOMIC_SEQ_CST) != 0)
		rte_pause();
	d11tx_pipe_cancel(q);
	d11tx_cancel_staged(q);
	d11tx_drain(q, timeout_us);
	if (q->tail == q->tx)
		return 0;

	/* The PMD still holds frames. Stopping the queue (or our own port)
	 * makes it release them; they may not have gone out. */
	if (q->halted == HALT_NONE) {
		const enum halt h = q->configured_port ? HALT_PORT : HALT_TX_QUEUE;

		if ((h == HALT_PORT ? rte_eth_dev_stop(q->port_id) :
		     rte_eth_dev_tx_queue_stop(q->port_id, q->queue_id)) != 0)
			return -EBUSY;
		halt_set(q, h);
	}
	d11tx_drain(q, 0);
	return q->tail == q->tx ? 0 : -EBUSY;
}

int
d11tx_queue_start(struct d11tx_queue *q)
{
	int ret = control_guard(q);

	if (ret != 0)
		return ret;

	if (q->halted == HALT_PORT)
		ret = rte_eth_dev_start(q->port_id);
	else if (q->halted == HALT_TX_QUEUE)
		ret = rte_eth_dev_tx_queue_start(q->port_id, q->queue_id);
	if (ret != 0)
		return ret;
	halt_set(q, HALT_NONE);
	__atomic_store_n(&q->stopped, false, __ATOMIC_RELEASE);
	return 0;
}

int
d11tx_queue_destroy(struct d11tx_queue *q)
{
	int ret = control_guard(q);

	if (ret != 0)
		return ret;
	ret = d11tx_queue_stop(q, DESTROY_TIMEOUT_US);
	if (ret != 0)
		return ret;
	/* Every frame has completed, so a pool that is not full means the
	 * app still holds reserved buffers: freeing it would pull them out
	 * from under the app. */
	if (!rte_mempool_full(q->hdr_pool) || !rte_mempool_full(q->attach_pool) ||
	    (q->buf_pool != NULL && !rte_mempool_full(q->buf_pool)))
		return -EBUSY;
	if (q->configured_port && q->halted != HALT_PORT)
		rte_eth_dev_stop(q->port_id);
	/* The application's port is left as the application had it: a TX
	 * queue the stop had to stop runs again. */
	if (q->halted == HALT_TX_QUEUE)
		rte_eth_dev_tx_queue_start(q->port_id, q->queue_id);
	queue_free(q);
	return 0;
}

int
d11tx_client_register(struct d11tx_queue *q, d11tx_completion_cb cb, void *ctx)
{
	const int ret = control_guard(q);

	if (ret != 0)
		return ret;
	if (cb == NULL)
		return -EINVAL;
	for (int i = 0; i < D11TX_MAX_CLIENTS; i++) {
		struct client *cl = &q->clients[i];

		if (cl->cb == NULL) {
			cl->ctx = ctx;
			cl->inflight = 0;
			__atomic_store_n(&cl->cb, cb, __ATOMIC_RELEASE);
			return i;
		}
	}
	return -ENOSPC;
}

int
d11tx_client_unregister(struct d11tx_queue *q, uint16_t client)
{
	struct client *cl;
	const int ret = control_guard(q);

	if (ret != 0)
		return ret;
	if (!client_valid(q, client))
		return -ENOENT;
	cl = &q->clients[client];
	if (cl->inflight != 0)
		return -EBUSY;
	/* Dekker with the producers (see struct client in internal.h). */
	const d11tx_completion_cb cb = cl->cb;

	__atomic_store_n(&cl->cb, NULL, __ATOMIC_SEQ_CST);
	if (__atomic_load_n(&cl->pipe_pending, __ATOMIC_SEQ_CST) != 0) {
		__atomic_store_n(&cl->cb, cb, __ATOMIC_RELEASE);
		return -EBUSY;
	}
	__atomic_fetch_add(&cl->gen, 1, __ATOMIC_SEQ_CST);
	cl->ctx = NULL;
	return 0;
}

uint32_t
d11tx_queue_inflight(const struct d11tx_queue *q)
{
	return (q->head - q->tail) +
		(q->pipe != NULL ? rte_ring_count(q->pipe) : 0);
}

int
d11tx_queue_stats_get(const struct d11tx_queue *q,
		      struct d11tx_queue_stats *stats)
{
	if (q == NULL || stats == NULL)
		return -EINVAL;
	*stats = q->stats;
	for (int i = 0; i < D11TX_REFUSED_MAX; i++)
		stats->refused[i] += __atomic_load_n(&q->pipe_refused[i],
						     __ATOMIC_RELAXED);
	stats->staged = q->head - q->tx;
	stats->at_nic = q->tx - q->tail;
	stats->pipe_pending = q->pipe != NULL ? rte_ring_count(q->pipe) : 0;
	stats->hdr_pool_size = q->hdr_pool->size + q->attach_pool->size;
	stats->hdr_pool_free = rte_mempool_avail_count(q->hdr_pool) +
			       rte_mempool_avail_count(q->attach_pool);
	if (q->buf_pool != NULL) {
		stats->buf_pool_size = q->buf_pool->size;
		stats->buf_pool_free = rte_mempool_avail_count(q->buf_pool);
	}
	return 0;
}

const char *
d11tx_status_name(unsigned int status)
{
	static const char *const names[D11TX_STATUS_MAX] = {
		[D11TX_STATUS_SENT] = "sent",
		[D11TX_STATUS_ACKED] = "acked",
		[D11TX_STATUS_NOACK] = "noack",
		[D11TX_STATUS_DROPPED] = "dropped",
		[D11TX_STATUS_CANCELLED] = "cancelled",
	};

	return status < D11TX_STATUS_MAX ? names[status] : "unknown";
}
