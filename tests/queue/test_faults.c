/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Allocation failure injection (-Dfault_injection=true, engine/queue/test_hooks.h):
 * every allocation a path makes is made to fail in turn, the n-th for
 * n = 1 .. the number of allocations the path makes when nothing fails.
 * Each time the call must fail with its documented errno, leave nothing
 * behind (pools full; rte_malloc heap, memzones, mempools and external
 * memory back to what they were, so that no name is left taken), complete
 * every frame accepted before the failure exactly once and never one it
 * refused. A fault that was armed and never fired fails the test.
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_ethdev.h>
#include <rte_lcore.h>
#include <rte_malloc.h>
#include <rte_memory.h>
#include <rte_memzone.h>
#include <rte_mempool.h>
#include <rte_ring.h>

#include "common.h"
#include "eal_args.h"
/* White box: the hooks, and the queue structure (DMA mapping on a vdev). */
#include "internal.h"

#define REGION_LEN (64 * 4096)
#define SLOT 256
#define ETH_CHUNK 32          /* frames per allocation in d11tx_send_eth_burst */

static uint16_t port_cfg;     /* net_null0: the engine configures it */
static uint16_t port_att;     /* net_null1: configured and started here */
static uint16_t port_sim;     /* net_wlansim0: TX status (fifo_retries) */
static uint16_t port_ring;    /* net_ring: frames stay at the NIC */
static struct rte_ring *nic;
static uint8_t *region;       /* page-aligned, mmap'd */

static const char *const site_names[D11TX_FAULT_MAX] = {
	[D11TX_FAULT_MBUF] = "mbuf", [D11TX_FAULT_MALLOC] = "malloc",
	[D11TX_FAULT_MEMPOOL] = "mempool", [D11TX_FAULT_RING] = "ring",
	[D11TX_FAULT_EXTMEM] = "extmem",
};

/* ---------- what must come back ---------- */

struct snapshot {
	uint64_t heap_allocs;
	uint64_t heap_bytes;
	unsigned int memzones;
	unsigned int mempools;
	unsigned int ext_memseg_lists;
};

static void
count_memzone(const struct rte_memzone *mz, void *arg)
{
	(void)mz;
	(*(unsigned int *)arg)++;
}

static void
count_mempool(struct rte_mempool *mp, void *arg)
{
	(void)mp;
	(*(unsigned int *)arg)++;
}

static int
count_ext_msl(const struct rte_memseg_list *msl, void *arg)
{
	if (msl->external)
		(*(unsigned int *)arg)++;
	return 0;
}

static void
snap(struct snapshot *s)
{
	memset(s, 0, sizeof(*s));
	for (unsigned int i = 0; i < rte_socket_count(); i++) {
		struct rte_malloc_socket_stats st;

		if (rte_malloc_get_socket_stats(rte_socket_id_by_idx(i), &st) != 0)
			continue;
		s->heap_allocs += st.alloc_count;
		s->heap_bytes += st.heap_allocsz_bytes;
	}
	rte_memzone_walk(count_memzone, &s->memzones);
	rte_mempool_walk(count_mempool, &s->mempools);
	rte_memseg_list_walk(count_ext_msl, &s->ext_memseg_lists);
}

/*
 * Everything in @p base is back. A path that failed touched nothing else,
 * so the heap must be byte for byte what it was; after a queue that
 * worked (@p slack), the port's own allocations, which a configure makes
 * again, may have landed elsewhere with other alignment padding: the
 * element count must match, the bytes within @p slack.
 */
static void
assert_heap_back(const struct snapshot *base, const char *what, uint64_t slack)
{
	struct snapshot now;

	snap(&now);
	if (now.heap_allocs != base->heap_allocs ||
	    now.heap_bytes > base->heap_bytes + slack ||
	    now.heap_bytes + slack < base->heap_bytes ||
	    now.memzones != base->memzones || now.mempools != base->mempools ||
	    now.ext_memseg_lists != base->ext_memseg_lists)
		fail_msg("%s: leaked: heap %" PRIu64 " allocs / %" PRIu64 " bytes (was %"
			 PRIu64 " / %" PRIu64 "), memzones %u (was %u), mempools %u "
			 "(was %u), external memseg lists %u (was %u)", what,
			 now.heap_allocs, now.heap_bytes, base->heap_allocs,
			 base->heap_bytes, now.memzones, base->memzones,
			 now.mempools, base->mempools, now.ext_memseg_lists,
			 base->ext_memseg_lists);
}

static void
assert_nothing_leaked(const struct snapshot *base, const char *what)
{
	assert_heap_back(base, what, 0);
}

/* Slack for the port's allocations after a configure: a few cache lines. */
#define PORT_SLACK 1024

/* ---------- arming ---------- */

static uint64_t total_armed, total_fired;

static uint64_t
calls(enum d11tx_fault_site site)
{
	return d11tx_fault_calls(site);
}

/* Arm the n-th next call of @p site; returns the fired count to check
 * against with fault_check_fired(). */
static uint64_t
fault_arm(enum d11tx_fault_site site, uint32_t n)
{
	const uint64_t fired = d11tx_fault_fired(site);

	assert_false(d11tx_fault_pending(site));
	d11tx_fault_arm(site, n);
	total_armed++;
	return fired;
}

static void
fault_check_fired(enum d11tx_fault_site site, uint64_t before, const char *what,
		  uint32_t n)
{
	if (d11tx_fault_fired(site) != before + 1 || d11tx_fault_pending(site)) {
		d11tx_fault_arm(site, 0);
		fail_msg("%s: %s fault %u armed, never fired", what, site_names[site], n);
	}
	total_fired++;
}

/* ---------- queue creation: every site, every configuration ---------- */

static const enum d11tx_fault_site create_sites[] = {
	D11TX_FAULT_MALLOC, D11TX_FAULT_MEMPOOL, D11TX_FAULT_RING,
};

static void
conf_label(const struct d11tx_queue_conf *c, char *buf, size_t len)
{
	snprintf(buf, len, "port %u%s%s%s buf %u pipe %u", c->port_id,
		 c->flags & D11TX_QF_CONFIGURE_PORT ? " configure" : "",
		 c->flags & D11TX_QF_REFCNT_RECLAIM ? " refcnt" : "",
		 c->flags & D11TX_QF_NO_VALIDATE ? " no-validate" : "",
		 c->buf_count, c->pipe_ring_size);
}

/* A queue works: frames of both kinds it has go out and complete. */
static void
queue_smoke(struct d11tx_queue *q, const struct d11tx_queue_conf *c)
{
	struct ledger l;
	struct ledger_client lc;
	struct d11tx_frame f[4];

	ledger_open(&l, &lc, q, 16);
	assert_int_equal(d11tx_mem_register(q, region, REGION_LEN), 0);
	for (int i = 0; i < (c->pipe_ring_size != 0 ? 4 : 2); i++)
		f[i] = (struct d11tx_frame){ .data = region + i * SLOT, .len = 64,
			.client = lc.id, .handle = ledger_take(&l, lc.id) };
	assert_int_equal(d11tx_send_burst(q, f, 2), 2);
	if (c->pipe_ring_size != 0)
		assert_int_equal(d11tx_pipe_send_burst(q, &f[2], 2), 2);
	if (c->buf_count != 0) {
		struct d11tx_buf *b;

		assert_int_equal(d11tx_buf_alloc(q, &b, 1), 1);
		memset(d11tx_buf_data(b), 0, 64);
		d11tx_buf_set(b, 64, lc.id, ledger_take(&l, lc.id));
		assert_int_equal(d11tx_buf_submit(q, &b, 1), 1);
	}
	poll_until_idle(q, 1000000);
	ledger_assert_clean(&l);
	assert_int_equal(ledger_outstanding(&l), 0);
	assert_int_equal(d11tx_mem_unregister(q, region), 0);
	queue_close(q, &l);
}

static void
create_faults(const struct d11tx_queue_conf *c)
{
	struct snapshot base;
	uint64_t before[D11TX_FAULT_MAX], count[D11TX_FAULT_MAX];
	struct d11tx_queue *q;
	char label[128];

	conf_label(c, label, sizeof(label));
	/* Warm up: the port's queue arrays, the dynamic field, DPDK's lazily
	 * made state; from then on a create and destroy leave the heap as
	 * they found it. */
	q = d11tx_queue_create(c);
	if (q == NULL)
		fail_msg("%s: %s", label, rte_strerror(rte_errno));
	assert_int_equal(d11tx_queue_destroy(q), 0);
	snap(&base);

	for (int s = 0; s < D11TX_FAULT_MAX; s++)
		before[s] = calls(s);
	q = d11tx_queue_create(c);
	assert_non_null(q);
	for (int s = 0; s < D11TX_FAULT_MAX; s++)
		count[s] = calls(s) - before[s];
	assert_int_equal(d11tx_queue_destroy(q), 0);
	assert_heap_back(&base, label, PORT_SLACK);
	/* The queue, five FIFO arrays, a store per tracked pool. */
	assert_true(count[D11TX_FAULT_MALLOC] >= 6);
	assert_true(count[D11TX_FAULT_MEMPOOL] >= 1);
	assert_int_equal(count[D11TX_FAULT_RING], c->pipe_ring_size != 0);
	assert_int_equal(count[D11TX_FAULT_MBUF], 0);

	for (size_t i = 0; i < RTE_DIM(create_sites); i++) {
		const enum d11tx_fault_site site = create_sites[i];

		for (uint32_t n = 1; n <= count[site]; n++) {
			char what[192];
			uint64_t fired = fault_arm(site, n);

			snprintf(what, sizeof(what), "%s, %s %u of %" PRIu64, label,
				 site_names[site], n, count[site]);
			snap(&base);
			rte_errno = 0;
			q = d11tx_queue_create(c);
			if (q != NULL) {
				d11tx_fault_arm(site, 0);
				fail_msg("%s: created", what);
			}
			fault_check_fired(site, fired, what, n);
			if (rte_errno != ENOMEM)
				fail_msg("%s: rte_errno %d (%s), not ENOMEM", what,
					 rte_errno, rte_strerror(rte_errno));
			assert_nothing_leaked(&base, what);
		}
		/* One past the last: nothing fails, the fault stays armed. */
		d11tx_fault_arm(site, (uint32_t)count[site] + 1);
		q = d11tx_queue_create(c);
		assert_non_null(q);
		assert_true(d11tx_fault_pending(site));
		d11tx_fault_arm(site, 0);
		assert_int_equal(d11tx_queue_destroy(q), 0);
	}
	/* The same parameters still make a queue that works. */
	snap(&base);
	q = d11tx_queue_create(c);
	assert_non_null(q);
	queue_smoke(q, c);
	assert_heap_back(&base, label, PORT_SLACK);
}

static void
test_create_every_configuration(void **state)
{
	(void)state;
	for (uint32_t m = 0; m < 32; m++) {
		const bool configure = m & 1;
		struct d11tx_queue_conf c = {
			.port_id = configure ? port_cfg : port_att,
			.flags = (configure ? D11TX_QF_CONFIGURE_PORT : 0) |
				 (m & 2 ? D11TX_QF_REFCNT_RECLAIM : 0) |
				 (m & 4 ? D11TX_QF_NO_VALIDATE : 0),
			.ring_size = 64,
			.buf_count = m & 8 ? 32 : 0,
			.buf_size = 256,
			.pipe_ring_size = m & 16 ? 16 : 0,
		};

		create_faults(&c);
	}
	/* Everything allocated, then the port refuses its configuration:
	 * the same way back, nothing left. */
	struct d11tx_queue_conf late = { .port_id = port_cfg,
		.flags = D11TX_QF_CONFIGURE_PORT, .queue_id = 5000,
		.ring_size = 64, .buf_count = 32, .pipe_ring_size = 16 };
	struct snapshot base;

	snap(&base);
	assert_null(d11tx_queue_create(&late));
	assert_int_equal(rte_errno, EINVAL);
	assert_nothing_leaked(&base, "port configuration refused");

	/* A port that reports TX status: tracked queues keep retries. */
	for (uint32_t m = 0; m < 4; m++) {
		struct d11tx_queue_conf c = {
			.port_id = port_sim, .flags = D11TX_QF_CONFIGURE_PORT |
				(m & 1 ? D11TX_QF_REFCNT_RECLAIM : 0),
			.ring_size = 64, .buf_count = m & 2 ? 32 : 0,
		};

		create_faults(&c);
	}
}

/* ---------- the data path: mbuf allocation ---------- */

enum path { PATH_APP, PATH_ETH, PATH_ETH_EMPTY, PATH_ETH_FCS, PATH_PIPE };

static const char *const path_names[] = {
	[PATH_APP] = "d11tx_send_burst", [PATH_ETH] = "d11tx_send_eth_burst",
	[PATH_ETH_EMPTY] = "d11tx_send_eth_burst (no payload)",
	[PATH_ETH_FCS] = "d11tx_send_eth_burst (radiotap, FCS)",
	[PATH_PIPE] = "d11tx_pipe_send_burst",
};

struct dp {
	struct d11tx_queue *q;
	struct ledger l;
	struct ledger_client lc;
	bool ring;                 /* on net_ring: frames stay at the NIC */
};

static void
dp_open(struct dp *d, uint16_t port, uint32_t flags, uint32_t pipe)
{
	static const struct d11tx_dot11_adapter ap = {
		.role = D11TX_DOT11_AP,
		.own = { 0x02, 0x22, 0x22, 0x22, 0x22, 0x22 },
		.bssid = { 0x02, 0x22, 0x22, 0x22, 0x22, 0x22 },
	};
	struct d11tx_queue_conf c = {
		.port_id = port, .flags = flags, .ring_size = 512,
		.buf_count = 64, .buf_size = 256, .pipe_ring_size = pipe,
	};

	memset(d, 0, sizeof(*d));
	d->q = d11tx_queue_create(&c);
	assert_non_null(d->q);
	d->ring = port == port_ring;
	assert_int_equal(d11tx_mem_register(d->q, region, REGION_LEN), 0);
	assert_int_equal(d11tx_queue_set_adapter(d->q, &ap, D11TX_ADAPTER_ASSIGN_SEQ), 0);
	ledger_open(&d->l, &d->lc, d->q, 16384);
}

static void
dp_idle(struct dp *d)
{
	for (uint64_t i = 0; i < 1000000 && d11tx_queue_inflight(d->q) != 0; i++) {
		if (d->ring)
			test_ring_drain(nic);
		d11tx_poll(d->q);
	}
	assert_int_equal(d11tx_queue_inflight(d->q), 0);
	ledger_assert_clean(&d->l);
	assert_int_equal(ledger_outstanding(&d->l), 0);
	assert_pools_full(d->q);
}

static void
dp_close(struct dp *d)
{
	dp_idle(d);
	assert_int_equal(d11tx_mem_unregister(d->q, region), 0);
	queue_close(d->q, &d->l);
}

/* Frames accepted before the fault: some staged and, on net_ring, some
 * at the NIC (the port keeps them until the test drains it). */
static void
backlog(struct dp *d)
{
	struct d11tx_frame f[6];

	for (int i = 0; i < 6; i++)
		f[i] = (struct d11tx_frame){ .data = region + i * SLOT, .len = 64,
			.client = d->lc.id, .handle = ledger_take(&d->l, d->lc.id) };
	assert_int_equal(d11tx_send_burst(d->q, f, 3), 3);
	d11tx_poll(d->q);          /* to the NIC (net_ring keeps them) */
	assert_int_equal(d11tx_send_burst(d->q, &f[3], 3), 3);  /* staged */
}

/* Offer @p n frames of @p path; the ones not taken are refused in the
 * ledger. Returns how many were taken. */
static uint16_t
offer(struct dp *d, enum path path, uint16_t n)
{
	struct d11tx_frame f[256];
	struct d11tx_eth_frame e[256];
	uint16_t taken;

	assert_true(n <= RTE_DIM(f));
	for (uint16_t i = 0; i < n; i++) {
		uint8_t *p = region + (size_t)(i % 512) * SLOT;
		void *h = ledger_take(&d->l, d->lc.id);

		f[i] = (struct d11tx_frame){ .data = p, .len = 64,
					     .client = d->lc.id, .handle = h };
		e[i] = (struct d11tx_eth_frame){ .data = p,
			.len = path == PATH_ETH_EMPTY ? 8 : 8 + 100,
			.client = d->lc.id, .handle = h,
			.tid = (int8_t)(i % 3 == 0 ? -1 : i % 8) };
	}
	/* The region is zeros, which app frames read as association
	 * requests; Ethernet-style ones need an EtherType (0x8800). */
	for (uint16_t i = 0; i < n; i++)
		((uint8_t *)(uintptr_t)e[i].data)[6] = 0x88;
	switch (path) {
	case PATH_APP:
		taken = d11tx_send_burst(d->q, f, n);
		break;
	case PATH_PIPE:
		taken = d11tx_pipe_send_burst(d->q, f, n);
		break;
	default:
		taken = d11tx_send_eth_burst(d->q, e, n);
		break;
	}
	for (uint16_t i = taken; i < n; i++)
		ledger_refused(&d->l.entries[d->l.used - n + i]);
	return taken;
}

static void
path_faults(uint16_t port, uint32_t flags, uint32_t pipe, enum path path,
	    uint16_t n, uint16_t chunk)
{
	static const struct d11tx_radiotap_tx rt_fcs = {
		.flags = D11TX_RADIOTAP_F_FCS, .rate_500k = 12,
	};
	struct dp d;
	uint64_t c0, count;
	char what[160];

	dp_open(&d, port, flags, pipe);
	if (path == PATH_ETH_FCS)
		assert_int_equal(d11tx_queue_set_radiotap(d.q, &rt_fcs), 0);
	/* How many allocations the path makes when none fails. */
	c0 = calls(D11TX_FAULT_MBUF);
	assert_int_equal(offer(&d, path, n), n);
	count = calls(D11TX_FAULT_MBUF) - c0;
	assert_int_equal(count, (n + chunk - 1) / chunk);
	dp_idle(&d);

	for (uint32_t k = 1; k <= count; k++) {
		struct d11tx_queue_stats before, after;
		const uint16_t expect = (uint16_t)RTE_MIN((uint32_t)n, (k - 1) * chunk);
		uint64_t fired;
		uint16_t taken;

		snprintf(what, sizeof(what), "%s on port %u flags %#x pipe %u, mbuf %u of %"
			 PRIu64, path_names[path], port, flags, pipe, k, count);
		backlog(&d);
		assert_int_equal(d11tx_queue_stats_get(d.q, &before), 0);
		fired = fault_arm(D11TX_FAULT_MBUF, k);
		rte_errno = 0;
		taken = offer(&d, path, n);
		fault_check_fired(D11TX_FAULT_MBUF, fired, what, k);
		if (taken != expect || rte_errno != ENOBUFS)
			fail_msg("%s: took %u (not %u), rte_errno %d (%s)", what, taken,
				 expect, rte_errno, rte_strerror(rte_errno));
		assert_int_equal(d11tx_queue_stats_get(d.q, &after), 0);
		assert_int_equal(after.refused[D11TX_REFUSED_FULL],
				 before.refused[D11TX_REFUSED_FULL] + 1);
		if (path != PATH_PIPE)
			assert_int_equal(after.submitted, before.submitted + taken);
		/* The backlog and the accepted prefix complete once each; the
		 * rest never. */
		dp_idle(&d);
	}
	dp_close(&d);
}

static void
test_send_paths(void **state)
{
	const uint32_t modes[] = { 0, D11TX_QF_REFCNT_RECLAIM };

	(void)state;
	for (size_t m = 0; m < RTE_DIM(modes); m++) {
		const uint32_t f = D11TX_QF_CONFIGURE_PORT | modes[m];

		path_faults(port_cfg, f, 0, PATH_APP, 200, SUBMIT_CHUNK);
		path_faults(port_cfg, f, 0, PATH_ETH, 80, ETH_CHUNK);
		path_faults(port_cfg, f, 0, PATH_ETH_EMPTY, 80, ETH_CHUNK);
		path_faults(port_cfg, f, 0, PATH_ETH_FCS, 80, ETH_CHUNK);
	}
	/* Pipelined: producers allocate; the owner's own sends too. */
	path_faults(port_cfg, D11TX_QF_CONFIGURE_PORT, 256, PATH_PIPE, 150, SUBMIT_CHUNK);
	path_faults(port_cfg, D11TX_QF_CONFIGURE_PORT, 256, PATH_APP, 150, SUBMIT_CHUNK);
	/* net_ring: the backlog sits at the NIC while the fault strikes. */
	path_faults(port_ring, 0, 0, PATH_APP, 200, SUBMIT_CHUNK);
	path_faults(port_ring, 0, 0, PATH_ETH_FCS, 80, ETH_CHUNK);
}

/* Engine-owned buffers: a reservation that fails reserves nothing. */
static void
buf_faults(uint32_t flags, uint32_t pipe)
{
	struct dp d;
	struct d11tx_buf *b[8];
	char what[96];

	dp_open(&d, port_cfg, D11TX_QF_CONFIGURE_PORT | flags, pipe);
	snprintf(what, sizeof(what), "d11tx_buf_alloc flags %#x pipe %u", flags, pipe);
	backlog(&d);
	const uint64_t c0 = calls(D11TX_FAULT_MBUF);
	const uint64_t fired = fault_arm(D11TX_FAULT_MBUF, 1);

	rte_errno = 0;
	assert_int_equal(d11tx_buf_alloc(d.q, b, 8), 0);
	fault_check_fired(D11TX_FAULT_MBUF, fired, what, 1);
	assert_int_equal(calls(D11TX_FAULT_MBUF), c0 + 1);
	assert_int_equal(rte_errno, ENOBUFS);
	dp_idle(&d);
	/* And the next one works: submit them. */
	assert_int_equal(d11tx_buf_alloc(d.q, b, 8), 8);
	for (int i = 0; i < 8; i++) {
		memset(d11tx_buf_data(b[i]), 0, 64);
		d11tx_buf_set(b[i], 64, d.lc.id, ledger_take(&d.l, d.lc.id));
	}
	if (pipe != 0)
		assert_int_equal(d11tx_pipe_buf_submit(d.q, b, 8), 8);
	else
		assert_int_equal(d11tx_buf_submit(d.q, b, 8), 8);
	dp_close(&d);
}

static void
test_buf_alloc(void **state)
{
	(void)state;
	buf_faults(0, 0);
	buf_faults(D11TX_QF_REFCNT_RECLAIM, 0);
	buf_faults(0, 64);
}

/* ---------- memory registration on a device that DMAs ---------- */

/* rte_extmem_register() and rte_dev_dma_map() (vdev's answers 0 for a
 * driver without DMA of its own): a registration that fails half way
 * unregisters what it did, and the region is not registered. */
static void
test_mem_register_dma(void **state)
{
	struct d11tx_queue_conf c = { .port_id = port_cfg,
		.flags = D11TX_QF_CONFIGURE_PORT, .ring_size = 64 };
	struct snapshot base;
	struct ledger l;
	struct ledger_client lc;
	struct d11tx_queue *q;
	uint64_t c0, count;

	(void)state;
	if (rte_eal_iova_mode() != RTE_IOVA_VA)
		fail_msg("EAL not in IOVA-as-VA mode (started with --iova-mode=va)");
	q = d11tx_queue_create(&c);
	assert_non_null(q);
	q->caps.dma = true;   /* as on a PCI port */
	ledger_open(&l, &lc, q, 64);
	snap(&base);

	/* Not whole pages: refused before any mapping. */
	c0 = calls(D11TX_FAULT_EXTMEM);
	assert_int_equal(d11tx_mem_register(q, region + 64, 4096), -EINVAL);
	assert_int_equal(d11tx_mem_register(q, region, 4096 + 64), -EINVAL);
	assert_int_equal(calls(D11TX_FAULT_EXTMEM), c0);

	c0 = calls(D11TX_FAULT_EXTMEM);
	assert_int_equal(d11tx_mem_register(q, region, REGION_LEN), 0);
	count = calls(D11TX_FAULT_EXTMEM) - c0;
	assert_int_equal(count, 2);
	assert_non_null(rte_mem_virt2memseg_list(region));
	assert_int_equal(d11tx_mem_unregister(q, region), 0);
	assert_null(rte_mem_virt2memseg_list(region));
	/* Unregistered with EAL too: the same memory registers again. */
	assert_int_equal(d11tx_mem_register(q, region, REGION_LEN), 0);
	assert_int_equal(d11tx_mem_unregister(q, region), 0);
	assert_null(rte_mem_virt2memseg_list(region));
	assert_nothing_leaked(&base, "DMA register and unregister");

	for (uint32_t n = 1; n <= count; n++) {
		char what[64];
		const uint64_t fired = fault_arm(D11TX_FAULT_EXTMEM, n);
		struct d11tx_frame f = { .data = region, .len = 64, .client = lc.id,
					 .handle = ledger_take(&l, lc.id) };

		snprintf(what, sizeof(what), "d11tx_mem_register, extmem %u of %" PRIu64,
			 n, count);
		assert_int_equal(d11tx_mem_register(q, region, REGION_LEN), -ENOMEM);
		fault_check_fired(D11TX_FAULT_EXTMEM, fired, what, n);
		/* Not left registered with EAL, nor with the queue. */
		assert_null(rte_mem_virt2memseg_list(region));
		assert_nothing_leaked(&base, what);
		assert_int_equal(d11tx_send_burst(q, &f, 1), 0);
		assert_int_equal(rte_errno, EFAULT);
		ledger_refused(f.handle);
		assert_int_equal(d11tx_mem_unregister(q, region), -ENOENT);
	}
	/* And then it registers, frames go, and it unregisters. */
	assert_int_equal(d11tx_mem_register(q, region, REGION_LEN), 0);
	struct d11tx_frame f = { .data = region, .len = 64, .client = lc.id,
				 .handle = ledger_take(&l, lc.id) };

	assert_int_equal(d11tx_send_burst(q, &f, 1), 1);
	assert_int_equal(d11tx_mem_unregister(q, region), -EBUSY);
	poll_until_idle(q, 1000000);
	ledger_assert_clean(&l);
	assert_int_equal(d11tx_mem_unregister(q, region), 0);
	assert_null(rte_mem_virt2memseg_list(region));
	/* Destroy with a region still mapped unmaps it. */
	assert_int_equal(d11tx_mem_register(q, region, REGION_LEN), 0);
	queue_close(q, &l);
	assert_null(rte_mem_virt2memseg_list(region));
}

/* Last: every fault armed by this binary fired. */
static void
test_all_fired(void **state)
{
	(void)state;
	for (int s = 0; s < D11TX_FAULT_MAX; s++)
		assert_false(d11tx_fault_pending(s));
	fprintf(stderr, "test_faults: %" PRIu64 " faults armed, %" PRIu64 " fired:",
		total_armed, total_fired);
	for (int s = 0; s < D11TX_FAULT_MAX; s++)
		fprintf(stderr, " %s %" PRIu64 "%s", site_names[s], d11tx_fault_fired(s),
			s + 1 < D11TX_FAULT_MAX ? "," : "\n");
	assert_true(total_armed > 0);
	assert_int_equal(total_armed, total_fired);
}

/* EAL with the test defaults plus IOVA-as-VA, which DMA mapping needs. */
static void
eal_init(const char *prog)
{
	static const char *const vdevs[] = { "net_null0", "net_null1",
					     "net_wlansim0", NULL };
	static const char *const iova_va[] = { "--iova-mode=va", NULL };

	test_eal_init_args(prog, vdevs, iova_va);
}

/* net_ring is made under cmocka, whose asserts test_ring_port() uses. */
static int
group_setup(void **state)
{
	(void)state;
	port_ring = test_ring_port("faults_ring", 1024, &nic);
	return 0;
}

static uint16_t
port_by_name(const char *name)
{
	uint16_t port;

	if (rte_eth_dev_get_port_by_name(name, &port) != 0) {
		fprintf(stderr, "test_faults: no port %s\n", name);
		exit(1);
	}
	return port;
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_create_every_configuration),
		cmocka_unit_test(test_send_paths),
		cmocka_unit_test(test_buf_alloc),
		cmocka_unit_test(test_mem_register_dma),
		cmocka_unit_test(test_all_fired),
	};
	struct rte_eth_conf conf = {
		.txmode.offloads = RTE_ETH_TX_OFFLOAD_MULTI_SEGS };
	struct rte_eth_dev_info info;

	eal_init("test_faults");
	port_cfg = port_by_name("net_null0");
	port_att = port_by_name("net_null1");
	port_sim = port_by_name("net_wlansim0");
	/* net_null1: the application's port, configured and started. */
	if (rte_eth_dev_info_get(port_att, &info) != 0)
		return 1;
	conf.txmode.offloads &= info.tx_offload_capa;
	if (rte_eth_dev_configure(port_att, 0, 1, &conf) != 0 ||
	    rte_eth_tx_queue_setup(port_att, 0, 0, rte_socket_id(), NULL) != 0 ||
	    rte_eth_dev_start(port_att) != 0)
		return 1;
	region = mmap(NULL, REGION_LEN, PROT_READ | PROT_WRITE,
		      MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (region == MAP_FAILED)
		return 1;
	apply_test_filter();
	return cmocka_run_group_tests_name("faults", tests, group_setup, NULL);
}
