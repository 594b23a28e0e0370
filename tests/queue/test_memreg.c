/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Memory registration abuse and integer edges: overlapping regions,
 * unregistering with frames in flight, addresses and lengths at every
 * integer edge, no length ever cut to 16 bits, and one test per class of
 * DPDK's own vhost-user CVEs showing that dot11tx is not open to it.
 *
 * Every bad input is refused at once with its errno, counted under its
 * reason, never completed, and leaves the pools full. Frames near the end
 * of mapped memory sit against PROT_NONE guard pages, and the app's
 * memory is read-only while the engine sends from it: a read past a
 * frame, or any write to app memory, kills the test (SIGSEGV).
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <rte_errno.h>
#include <rte_ethdev.h>
#include <rte_lcore.h>
#include <rte_malloc.h>
#include <rte_mbuf.h>
#include <rte_memzone.h>
#include <rte_mempool.h>
#include <rte_ring.h>

#include "common.h"
/* White box: region_lookup(), for lengths no frame limit lets through. */
#include "internal.h"

#define PAGE 4096
#define BIG_LEN (256 * 1024)        /* room for frames of 65537 bytes and more */

static uint16_t port_null;          /* net_null0 */
static uint16_t port_ring;          /* net_ring: the test plays the NIC */
static struct rte_ring *nic;

/* [PROT_NONE][page][PROT_NONE]: frames against the page's ends. */
static uint8_t *guarded;
static uint8_t *page;
/* BIG_LEN bytes, then a PROT_NONE page. Zeros: valid 802.11 frames
 * (association requests), and Ethernet-style frames from BIG_ETH on. */
static uint8_t *big;
#define BIG_ETH (128 * 1024)
/* A page that is never mapped readable: the "unchecked address". */
static uint8_t *wild;

static const struct d11tx_dot11_adapter ap = {
	.role = D11TX_DOT11_AP,
	.own = { 0x02, 0x33, 0x33, 0x33, 0x33, 0x33 },
	.bssid = { 0x02, 0x33, 0x33, 0x33, 0x33, 0x33 },
};

/* ---------- fixture ---------- */

struct fx {
	struct d11tx_queue *q;
	struct ledger l;
	struct ledger_client lc;
	bool ring;                  /* net_ring: drain the NIC */
	bool pipe;
};

/* The open fixture, for the teardown of a test that failed half way:
 * later tests need the port free. */
static struct fx *open_fx;

static int
teardown(void **state)
{
	(void)state;
	if (open_fx != NULL) {
		d11tx_queue_stop(open_fx->q, 0);
		d11tx_queue_destroy(open_fx->q);
		ledger_fini(&open_fx->l);
		open_fx = NULL;
	}
	return 0;
}

static void
fx_open_conf(struct fx *x, const struct d11tx_queue_conf *c)
{
	memset(x, 0, sizeof(*x));
	x->q = d11tx_queue_create(c);
	if (x->q == NULL)
		fail_msg("d11tx_queue_create: %s", rte_strerror(rte_errno));
	open_fx = x;
	x->ring = c->port_id == port_ring;
	x->pipe = c->pipe_ring_size != 0;
	assert_int_equal(d11tx_mem_register(x->q, big, BIG_LEN), 0);
	assert_int_equal(d11tx_queue_set_adapter(x->q, &ap, 0), 0);
	ledger_open(&x->l, &x->lc, x->q, 65536 * 8);
}

static void
fx_open(struct fx *x, uint16_t port, uint32_t flags)
{
	struct d11tx_queue_conf c = {
		.port_id = port, .ring_size = 256, .buf_count = 64,
		.flags = flags | (port == port_null ? D11TX_QF_CONFIGURE_PORT : 0),
	};

	fx_open_conf(x, &c);
}

static void
fx_idle(struct fx *x)
{
	for (uint64_t i = 0; i < 1000000 && d11tx_queue_inflight(x->q) != 0; i++) {
		if (x->ring)
			test_ring_drain(nic);
		d11tx_poll(x->q);
	}
	assert_int_equal(d11tx_queue_inflight(x->q), 0);
	ledger_assert_clean(&x->l);
	assert_int_equal(ledger_outstanding(&x->l), 0);
	assert_pools_full(x->q);
}

static void
fx_close(struct fx *x)
{
	fx_idle(x);
	queue_close(x->q, &x->l);
	open_fx = NULL;
}

/* A good app frame and a good Ethernet-style frame, in big. */
static struct d11tx_frame
good_frame(struct fx *x)
{
	return (struct d11tx_frame){ .data = big, .len = 64, .client = x->lc.id,
				     .handle = ledger_take(&x->l, x->lc.id) };
}

static struct d11tx_eth_frame
good_eth(struct fx *x)
{
	return (struct d11tx_eth_frame){ .data = big + BIG_ETH, .len = 8 + 64,
		.client = x->lc.id, .tid = 0,
		.handle = ledger_take(&x->l, x->lc.id) };
}

static void
stats(struct fx *x, struct d11tx_queue_stats *s)
{
	assert_int_equal(d11tx_queue_stats_get(x->q, s), 0);
}

/*
 * @p bad, second of three: the first is taken, @p bad is refused with
 * @p err and counted under @p reason, the third stays the caller's; after
 * a drain the accepted one completed once, nothing else, pools full.
 * Through d11tx_pipe_send_burst() on a pipelined queue.
 */
static void
refuse_app(struct fx *x, struct d11tx_frame bad, int err,
	   enum d11tx_refusal reason, const char *what)
{
	struct d11tx_queue_stats before, after;
	struct d11tx_frame f[3];
	uint16_t taken;

	stats(x, &before);
	f[0] = good_frame(x);
	bad.handle = ledger_take(&x->l, x->lc.id);
	f[1] = bad;
	f[2] = good_frame(x);
	rte_errno = 0;
	taken = x->pipe ? d11tx_pipe_send_burst(x->q, f, 3)
			: d11tx_send_burst(x->q, f, 3);
	if (taken != 1 || rte_errno != err)
		fail_msg("%s: took %u of 3 (not 1), rte_errno %d (%s), not %d (%s)",
			 what, taken, rte_errno, strerror(rte_errno), err, strerror(err));
	ledger_refused(f[1].handle);
	ledger_refused(f[2].handle);
	stats(x, &after);
	if (after.refused[reason] != before.refused[reason] + 1)
		fail_msg("%s: not counted as %s", what, d11tx_refusal_name(reason));
	fx_idle(x);
}

static void
refuse_eth(struct fx *x, struct d11tx_eth_frame bad, int err,
	   enum d11tx_refusal reason, const char *what)
{
	struct d11tx_queue_stats before, after;
	struct d11tx_eth_frame f[3];
	uint16_t taken;

	stats(x, &before);
	f[0] = good_eth(x);
	bad.handle = ledger_take(&x->l, x->lc.id);
	f[1] = bad;
	f[2] = good_eth(x);
	rte_errno = 0;
	taken = d11tx_send_eth_burst(x->q, f, 3);
	if (taken != 1 || rte_errno != err)
		fail_msg("%s: took %u of 3 (not 1), rte_errno %d (%s), not %d (%s)",
			 what, taken, rte_errno, strerror(rte_errno), err, strerror(err));
	ledger_refused(f[1].handle);
	ledger_refused(f[2].handle);
	stats(x, &after);
	if (after.refused[reason] != before.refused[reason] + 1)
		fail_msg("%s: not counted as %s", what, d11tx_refusal_name(reason));
	fx_idle(x);
}

/* An engine-owned buffer described with @p len and @p client, second of
 * three; the refused ones are given back. */
static void
refuse_buf(struct fx *x, uint32_t len, uint16_t client, int err,
	   enum d11tx_refusal reason, const char *what)
{
	struct d11tx_queue_stats before, after;
	struct d11tx_buf *b[3];
	uint16_t taken;

	stats(x, &before);
	assert_int_equal(d11tx_buf_alloc(x->q, b, 3), 3);
	for (int i = 0; i < 3; i++) {
		memset(d11tx_buf_data(b[i]), 0, 64);
		d11tx_buf_set(b[i], 64, x->lc.id, ledger_take(&x->l, x->lc.id));
	}
	d11tx_buf_set(b[1], len, client, &x->l.entries[x->l.used - 2]);
	rte_errno = 0;
	taken = x->pipe ? d11tx_pipe_buf_submit(x->q, b, 3)
			: d11tx_buf_submit(x->q, b, 3);
	if (taken != 1 || rte_errno != err)
		fail_msg("%s: took %u of 3 (not 1), rte_errno %d (%s), not %d (%s)",
			 what, taken, rte_errno, strerror(rte_errno), err, strerror(err));
	ledger_refused(&x->l.entries[x->l.used - 2]);
	ledger_refused(&x->l.entries[x->l.used - 1]);
	d11tx_buf_free(x->q, &b[1], 2);
	stats(x, &after);
	if (after.refused[reason] != before.refused[reason] + 1)
		fail_msg("%s: not counted as %s", what, d11tx_refusal_name(reason));
	fx_idle(x);
}

/* Send @p f alone and complete it (a ledger entry is taken for it unless
 * it has a handle). */
static void
accept_app(struct fx *x, struct d11tx_frame f, const char *what)
{
	if (f.handle == NULL)
		f.handle = ledger_take(&x->l, x->lc.id);
	if ((x->pipe ? d11tx_pipe_send_burst(x->q, &f, 1)
		     : d11tx_send_burst(x->q, &f, 1)) != 1)
		fail_msg("%s: refused: %s", what, rte_strerror(rte_errno));
	fx_idle(x);
}

static void
accept_eth(struct fx *x, struct d11tx_eth_frame f, const char *what)
{
	if (f.handle == NULL)
		f.handle = ledger_take(&x->l, x->lc.id);
	if (d11tx_send_eth_burst(x->q, &f, 1) != 1)
		fail_msg("%s: refused: %s", what, rte_strerror(rte_errno));
	fx_idle(x);
}

/* ---------- overlapping regions ---------- */

/*
 * d11tx_mem_register() documents -EEXIST for a region that overlaps a
 * registered one (mem.c: two half-open spans overlap when each starts
 * before the other ends). Adjacent regions do not overlap. A refused
 * registration changes nothing.
 */
static void
test_overlap_refused(void **state)
{
	struct fx x;
	uint8_t *r = page;          /* registered: [page, page + PAGE) */
	static const struct { long off; size_t len; const char *what; } cases[] = {
		{ 0, PAGE, "the same region" },
		{ 0, 1, "its first byte" },
		{ PAGE - 1, 1, "its last byte" },
		{ 0, 2 * PAGE, "the same start, longer" },
		{ 100, 10, "inside it" },
		{ -10, PAGE + 20, "around it" },
		{ -10, 11, "ending on its first byte" },
		{ PAGE - 1, 64, "starting on its last byte" },
	};

	(void)state;
	fx_open(&x, port_null, D11TX_QF_NO_VALIDATE);
	assert_int_equal(d11tx_mem_register(x.q, r, PAGE), 0);
	for (size_t i = 0; i < RTE_DIM(cases); i++)
		if (d11tx_mem_register(x.q, r + cases[i].off, cases[i].len) != -EEXIST)
			fail_msg("overlap with %s: not -EEXIST", cases[i].what);
	/* Overlapping big, the fixture's region, too; and both at once. */
	assert_int_equal(d11tx_mem_register(x.q, big + BIG_LEN - 1, 1), -EEXIST);
	/* Adjacent on either side: separate regions. */
	assert_int_equal(d11tx_mem_register(x.q, r - 64, 64), 0);
	assert_int_equal(d11tx_mem_register(x.q, r + PAGE, 64), 0);
	/* Spanning the gap between two registered regions, touching both. */
	assert_int_equal(d11tx_mem_register(x.q, r - 65, 2), -EEXIST);
	/* A frame that straddles two adjacent regions lies wholly in
	 * neither: refused. */
	refuse_app(&x, (struct d11tx_frame){ .data = r + PAGE - 8, .len = 16,
		   .client = x.lc.id }, EFAULT, D11TX_REFUSED_REGION,
		   "frame across two adjacent regions");
	assert_int_equal(d11tx_mem_unregister(x.q, r - 64), 0);
	assert_int_equal(d11tx_mem_unregister(x.q, r + PAGE), 0);
	/* The refusals changed nothing: the region is there, once. */
	accept_app(&x, (struct d11tx_frame){ .data = r, .len = PAGE,
		   .client = x.lc.id }, "the whole registered page");
	assert_int_equal(d11tx_mem_unregister(x.q, r), 0);
	assert_int_equal(d11tx_mem_unregister(x.q, r), -ENOENT);
	/* Once unregistered, the same span registers again. */
	assert_int_equal(d11tx_mem_register(x.q, r, PAGE), 0);
	assert_int_equal(d11tx_mem_unregister(x.q, r), 0);
	fx_close(&x);
}

/* ---------- unregistering with frames in flight ---------- */

/* -EBUSY while any frame of the region is staged, at the NIC, or in the
 * pipelined ring; the region keeps working meanwhile; 0 once they all
 * completed. Frames of other regions do not hold it. */
static void
test_unregister_in_flight(void **state)
{
	struct fx x;
	struct d11tx_queue_conf c = { .port_id = port_ring, .ring_size = 256,
				      .pipe_ring_size = 64 };
	struct d11tx_frame f;
	struct d11tx_eth_frame e;

	(void)state;
	fx_open_conf(&x, &c);
	x.pipe = false;             /* owner sends unless said otherwise */
	assert_int_equal(d11tx_mem_register(x.q, page, PAGE), 0);
	f = (struct d11tx_frame){ .data = page, .len = 64, .client = x.lc.id };

	/* Staged. */
	f.handle = ledger_take(&x.l, x.lc.id);
	assert_int_equal(d11tx_send_burst(x.q, &f, 1), 1);
	assert_int_equal(d11tx_mem_unregister(x.q, page), -EBUSY);
	/* At the NIC: the ring port keeps it until the test drains it. */
	d11tx_poll(x.q);
	assert_int_equal(rte_ring_count(nic), 1);
	assert_int_equal(d11tx_mem_unregister(x.q, page), -EBUSY);
	/* Still registered after -EBUSY: more frames go. */
	f.handle = ledger_take(&x.l, x.lc.id);
	assert_int_equal(d11tx_send_burst(x.q, &f, 1), 1);
	/* Frames of another region do not hold this one... */
	fx_idle(&x);
	struct d11tx_frame other = good_frame(&x);

	assert_int_equal(d11tx_send_burst(x.q, &other, 1), 1);
	d11tx_poll(x.q);
	assert_int_equal(d11tx_mem_unregister(x.q, page), 0);
	assert_int_equal(d11tx_mem_register(x.q, page, PAGE), 0);

	/* Encapsulated: a copied payload does not hold its region... */
	e = (struct d11tx_eth_frame){ .data = page, .len = 8 + 100, .tid = 3,
		.client = x.lc.id, .handle = ledger_take(&x.l, x.lc.id) };
	page[6] = 0x88;
	assert_int_equal(d11tx_send_eth_burst(x.q, &e, 1), 1);
	assert_int_equal(d11tx_mem_unregister(x.q, page), 0);
	assert_int_equal(d11tx_mem_register(x.q, page, PAGE), 0);
	fx_idle(&x);
	/* ...a zero-copy one does. */
	e.len = 8 + D11TX_ENCAP_COPY_BREAK + 1;
	e.handle = ledger_take(&x.l, x.lc.id);
	assert_int_equal(d11tx_send_eth_burst(x.q, &e, 1), 1);
	assert_int_equal(d11tx_mem_unregister(x.q, page), -EBUSY);
	d11tx_poll(x.q);
	assert_int_equal(d11tx_mem_unregister(x.q, page), -EBUSY);
	fx_idle(&x);
	page[6] = 0;

	/* Pipelined: in the ring, then staged by the owner's poll. */
	f.handle = ledger_take(&x.l, x.lc.id);
	assert_int_equal(d11tx_pipe_send_burst(x.q, &f, 1), 1);
	assert_int_equal(d11tx_mem_unregister(x.q, page), -EBUSY);
	d11tx_poll(x.q);
	assert_int_equal(d11tx_mem_unregister(x.q, page), -EBUSY);
	fx_idle(&x);

	/* Cancelled by a stop: complete, so no longer in flight. */
	f.handle = ledger_take(&x.l, x.lc.id);
	assert_int_equal(d11tx_send_burst(x.q, &f, 1), 1);
	f.handle = ledger_take(&x.l, x.lc.id);
	assert_int_equal(d11tx_pipe_send_burst(x.q, &f, 1), 1);
	assert_int_equal(d11tx_mem_unregister(x.q, page), -EBUSY);
	assert_int_equal(d11tx_queue_stop(x.q, 0), 0);
	assert_int_equal(x.l.by_status[D11TX_STATUS_CANCELLED], 2);
	assert_int_equal(d11tx_mem_unregister(x.q, page), 0);
	assert_int_equal(d11tx_queue_start(x.q), 0);

	/* Gone: its frames are refused. */
	refuse_app(&x, (struct d11tx_frame){ .data = page, .len = 64,
		   .client = x.lc.id }, EFAULT, D11TX_REFUSED_REGION,
		   "frame in an unregistered region");
	x.pipe = true;
	refuse_app(&x, (struct d11tx_frame){ .data = page, .len = 64,
		   .client = x.lc.id }, EFAULT, D11TX_REFUSED_REGION,
		   "pipelined frame in an unregistered region");
	x.pipe = false;
	/* Unregister by an address inside a region, or never registered. */
	assert_int_equal(d11tx_mem_unregister(x.q, big + 1), -ENOENT);
	assert_int_equal(d11tx_mem_unregister(x.q, NULL), -EINVAL);
	assert_int_equal(d11tx_mem_unregister(NULL, big), -EINVAL);
	fx_close(&x);
}

/* ---------- registration at the integer edges ---------- */

static void
test_register_integer_edges(void **state)
{
	const uintptr_t top = UINTPTR_MAX;   /* the last byte of the address space */
	struct fx x;

	(void)state;
	/* No validation and no DMA: the engine never reads or maps these
	 * regions, so they may lie where nothing is mapped. */
	fx_open(&x, port_null, D11TX_QF_NO_VALIDATE);
	assert_int_equal(d11tx_mem_register(x.q, NULL, PAGE), -EINVAL);
	assert_int_equal(d11tx_mem_register(x.q, NULL, 0), -EINVAL);
	assert_int_equal(d11tx_mem_register(x.q, page, 0), -EINVAL);
	assert_int_equal(d11tx_mem_register(x.q, page, SIZE_MAX), -EINVAL);
	assert_int_equal(d11tx_mem_register(NULL, page, PAGE), -EINVAL);
	/* addr + len wraps, by one byte or by a lot. */
	assert_int_equal(d11tx_mem_register(x.q, (void *)(top - 10), 64), -EINVAL);
	assert_int_equal(d11tx_mem_register(x.q, (void *)(top - 0xfff), 0x1000), -EINVAL);
	assert_int_equal(d11tx_mem_register(x.q, (void *)top, 1), -EINVAL);
	assert_int_equal(d11tx_mem_register(x.q, (void *)(top - 0xfff),
					    SIZE_MAX - 0x10), -EINVAL);
	/* Ending exactly at the top (addr + len == UINTPTR_MAX): fine; the
	 * last byte of the address space can never be in a region. */
	assert_int_equal(d11tx_mem_register(x.q, (void *)(top - 0xfff), 0xfff), 0);
	/* Frames at its end: the last byte is in, one more is not. */
	accept_app(&x, (struct d11tx_frame){ .data = (void *)(top - 1), .len = 1,
		   .client = x.lc.id }, "frame on the region's last byte");
	accept_app(&x, (struct d11tx_frame){ .data = (void *)(top - 0xfff),
		   .len = 0xfff, .client = x.lc.id }, "frame filling the top region");
	refuse_app(&x, (struct d11tx_frame){ .data = (void *)(top - 1), .len = 2,
		   .client = x.lc.id }, EFAULT, D11TX_REFUSED_REGION,
		   "frame one byte past the top region (addr + len wraps to 0)");
	refuse_app(&x, (struct d11tx_frame){ .data = (void *)top, .len = 1,
		   .client = x.lc.id }, EFAULT, D11TX_REFUSED_REGION,
		   "frame on the address space's last byte");
	refuse_app(&x, (struct d11tx_frame){ .data = (void *)(top - 0x1000),
		   .len = 2, .client = x.lc.id }, EFAULT, D11TX_REFUSED_REGION,
		   "frame one byte before the top region");
	/* Adjacent below it, wrapping into it: overlap. */
	assert_int_equal(d11tx_mem_register(x.q, (void *)(top - 0x1fff), 0x1001),
			 -EEXIST);
	assert_int_equal(d11tx_mem_unregister(x.q, (void *)(top - 0xfff)), 0);

	/* The whole address space but its first and last byte: allowed (the
	 * engine cannot tell mapped memory from unmapped without DMA; the
	 * app vouches for what it registers), and then nothing else fits. */
	assert_int_equal(d11tx_mem_unregister(x.q, big), 0);
	assert_int_equal(d11tx_mem_register(x.q, (void *)1, SIZE_MAX - 1), 0);
	assert_int_equal(d11tx_mem_register(x.q, page, PAGE), -EEXIST);
	assert_int_equal(d11tx_mem_register(x.q, (void *)(top - 1), 1), -EEXIST);
	assert_int_equal(d11tx_mem_unregister(x.q, (void *)1), 0);
	assert_int_equal(d11tx_mem_register(x.q, big, BIG_LEN), 0);

	/* The table: D11TX_MAX_REGIONS, then -ENOSPC; slots are reused. */
	for (int i = 1; i < D11TX_MAX_REGIONS; i++)
		assert_int_equal(d11tx_mem_register(x.q, page + i * 64, 64), 0);
	assert_int_equal(d11tx_mem_register(x.q, page, 64), -ENOSPC);
	for (int i = 1; i < D11TX_MAX_REGIONS; i++)
		assert_int_equal(d11tx_mem_unregister(x.q, page + i * 64), 0);
	fx_close(&x);
}

/* region_lookup() itself, with lengths up to UINT32_MAX that the frame
 * limits never let reach it: off = addr - base and len <= rlen - off,
 * never addr + len. */
static void
test_region_lookup_edges(void **state)
{
	const uintptr_t top = UINTPTR_MAX;
	const uintptr_t hi = (uintptr_t)1 << 46;     /* a region of 8 GiB there */
	const size_t hi_len = (size_t)1 << 33;
	struct fx x;
	uint8_t hint = 0;
	uint32_t gen;
	static const struct { uintptr_t addr; uint32_t len; bool in; const char *what; } cases[] = {
		{ hi, UINT32_MAX, true, "UINT32_MAX at the start" },
		{ hi + ((size_t)1 << 33) - UINT32_MAX, UINT32_MAX, true, "UINT32_MAX ending on the last byte" },
		{ hi + ((size_t)1 << 33) - UINT32_MAX + 1, UINT32_MAX, false, "UINT32_MAX one byte past" },
		{ hi + ((size_t)1 << 33) - 1, 1, true, "last byte" },
		{ hi + ((size_t)1 << 33) - 1, 2, false, "last byte and one past" },
		{ hi + ((size_t)1 << 33), 1, false, "one past the end" },
		{ hi - 1, 2, false, "one byte before, into the start" },
		{ hi - 1, UINT32_MAX, false, "one byte before, UINT32_MAX" },
		{ hi + ((size_t)1 << 33) - 1, UINT32_MAX, false, "last byte, UINT32_MAX" },
		{ top - 1, 1, true, "top region's last byte" },
		{ top - 1, 2, false, "top region's last byte and the wrap" },
		{ top - 1, UINT32_MAX, false, "top region's last byte, UINT32_MAX (wraps)" },
		{ top, 1, false, "the address space's last byte" },
		{ top, UINT32_MAX, false, "the address space's last byte, UINT32_MAX" },
		{ top - 0xfff, 0xfff, true, "the whole top region" },
		{ top - 0xfff, 0x1000, false, "the whole top region and one more" },
		{ 0, 1, false, "address 0" },
		{ 0, UINT32_MAX, false, "address 0, UINT32_MAX" },
	};

	(void)state;
	fx_open(&x, port_null, D11TX_QF_NO_VALIDATE);
	assert_int_equal(d11tx_mem_register(x.q, (void *)hi, hi_len), 0);
	assert_int_equal(d11tx_mem_register(x.q, (void *)(top - 0xfff), 0xfff), 0);
	for (size_t i = 0; i < RTE_DIM(cases); i++) {
		/* Whatever the hint, fast path or slow. */
		for (uint8_t h = 0; h < 3; h++) {
			const int r = region_lookup(x.q, cases[i].addr, cases[i].len,
						    (hint = h, &hint), &gen);

			if ((r >= 0) != cases[i].in)
				fail_msg("region_lookup, %s (hint %u): %d", cases[i].what, h, r);
		}
		/* The public question is the same check. */
		if (cases[i].addr != 0 &&
		    d11tx_mem_contains(x.q, (const void *)cases[i].addr, cases[i].len) !=
		    cases[i].in)
			fail_msg("d11tx_mem_contains, %s", cases[i].what);
	}
	assert_true(d11tx_mem_contains(x.q, (const void *)hi, 1));
	assert_false(d11tx_mem_contains(NULL, (const void *)hi, 1));
	assert_false(d11tx_mem_contains(x.q, NULL, 1));
	assert_false(d11tx_mem_contains(x.q, (const void *)hi, 0));
	assert_false(d11tx_mem_contains(x.q, (const void *)hi, (size_t)UINT32_MAX + 1));
	assert_int_equal(d11tx_mem_unregister(x.q, (void *)hi), 0);
	assert_false(d11tx_mem_contains(x.q, (const void *)hi, 1));
	assert_int_equal(d11tx_mem_unregister(x.q, (void *)(top - 0xfff)), 0);
	fx_close(&x);
}

/* ---------- frames against guard pages ---------- */

/* The last byte of the page and one past it; validation and the eth
 * prefix read only what the length covers. The page is read-only while
 * the engine sends from it. */
static void
test_frames_at_page_end(void **state)
{
	uint8_t *end = page + PAGE;
	struct fx x;

	(void)state;
	fx_open(&x, port_null, 0);
	assert_int_equal(d11tx_mem_register(x.q, page, PAGE), 0);
	/* Frames to lay out: an ACK and an RTS ending on the last byte. */
	end[-10] = 0xd4;            /* ACK, 10 bytes */
	end[-26] = 0xb4;            /* RTS at end - 26: 16 bytes, then the ACK */
	end[-36] = 0x88;            /* QoS data at end - 36: 26 needed, 26 there */
	assert_int_equal(mprotect(page, PAGE, PROT_READ), 0);

	accept_app(&x, (struct d11tx_frame){ .data = end - 10, .len = 10,
		   .client = x.lc.id }, "ACK on the last 10 bytes");
	accept_app(&x, (struct d11tx_frame){ .data = end - 26, .len = 16,
		   .client = x.lc.id }, "RTS");
	refuse_app(&x, (struct d11tx_frame){ .data = end - 10, .len = 11,
		   .client = x.lc.id }, EFAULT, D11TX_REFUSED_REGION,
		   "ACK one byte past the page");
	refuse_app(&x, (struct d11tx_frame){ .data = end, .len = 1,
		   .client = x.lc.id }, EFAULT, D11TX_REFUSED_REGION,
		   "frame starting one past the page");
	refuse_app(&x, (struct d11tx_frame){ .data = page - 1, .len = 2,
		   .client = x.lc.id }, EFAULT, D11TX_REFUSED_REGION,
		   "frame starting one before the page");
	/* Shorter than its header, against the guard: refused without
	 * reading past the length. */
	refuse_app(&x, (struct d11tx_frame){ .data = end - 1, .len = 1,
		   .client = x.lc.id }, EBADMSG, D11TX_REFUSED_TOO_SHORT,
		   "one byte, the page's last");
	refuse_app(&x, (struct d11tx_frame){ .data = end - 10, .len = 9,
		   .client = x.lc.id }, EBADMSG, D11TX_REFUSED_TOO_SHORT,
		   "9-byte ACK");
	refuse_app(&x, (struct d11tx_frame){ .data = end - 36, .len = 25,
		   .client = x.lc.id }, EBADMSG, D11TX_REFUSED_TOO_SHORT,
		   "25-byte QoS data frame");

	/* Ethernet-style prefix at the page end: DA and EtherType are read
	 * only once the length covers them. */
	assert_int_equal(mprotect(page, PAGE, PROT_READ | PROT_WRITE), 0);
	memcpy(end - 8, (const uint8_t[8]){ 0x02, 1, 2, 3, 4, 5, 0x08, 0x00 }, 8);
	memcpy(end - 108, (const uint8_t[8]){ 0x02, 1, 2, 3, 4, 5, 0x88, 0x8e }, 8);
	assert_int_equal(mprotect(page, PAGE, PROT_READ), 0);
	accept_eth(&x, (struct d11tx_eth_frame){ .data = end - 8, .len = 8,
		   .client = x.lc.id, .tid = -1 }, "bare prefix on the last 8 bytes");
	accept_eth(&x, (struct d11tx_eth_frame){ .data = end - 108, .len = 108,
		   .client = x.lc.id, .tid = 6 }, "payload to the last byte");
	refuse_eth(&x, (struct d11tx_eth_frame){ .data = end - 7, .len = 7,
		   .client = x.lc.id }, EBADMSG, D11TX_REFUSED_TOO_SHORT,
		   "7 bytes at the page end (no EtherType)");
	refuse_eth(&x, (struct d11tx_eth_frame){ .data = end - 8, .len = 9,
		   .client = x.lc.id }, EFAULT, D11TX_REFUSED_REGION,
		   "prefix and one byte past the page");
	/* With the FCS, the CRC reads the payload where it lies, no further. */
	static const struct d11tx_radiotap_tx rt = { .flags = D11TX_RADIOTAP_F_FCS };

	assert_int_equal(d11tx_queue_set_radiotap(x.q, &rt), 0);
	accept_eth(&x, (struct d11tx_eth_frame){ .data = end - 108, .len = 108,
		   .client = x.lc.id, .tid = 6 }, "payload to the last byte, with FCS");
	assert_int_equal(d11tx_queue_set_radiotap(x.q, NULL), 0);
	assert_int_equal(mprotect(page, PAGE, PROT_READ | PROT_WRITE), 0);
	memset(page, 0, PAGE);
	assert_int_equal(d11tx_mem_unregister(x.q, page), 0);
	fx_close(&x);
}

/* ---------- no length cut to 16 bits ---------- */

/* What the NIC got: one frame from the net_ring port, checked, freed. */
static struct rte_mbuf *
nic_take(void)
{
	struct rte_mbuf *m = NULL;

	assert_int_equal(rte_ring_dequeue(nic, (void **)&m), 0);
	assert_int_equal(rte_mbuf_check(m, 1, &(const char *){ NULL }), 0);
	return m;
}

/* What makes attach_app_buffer()'s (uint16_t) casts safe: no frame
 * longer than max_frame_len reaches it, and max_frame_len is 16 bits and
 * at most D11TX_MAX_FRAME_LEN. */
_Static_assert(D11TX_MAX_FRAME_LEN <= UINT16_MAX,
	       "the engine narrows frame lengths to the mbuf's 16 bits");
_Static_assert(sizeof(((struct d11tx_queue_conf *)0)->max_frame_len) == 2,
	       "max_frame_len must stay 16 bits");

static void
test_lengths_never_truncated(void **state)
{
	static const uint32_t too_long[] = {
		D11TX_MAX_FRAME_LEN + 1, 65535, 65536, 65537, 65536 + 64,
		131072 + 64, UINT32_MAX - 20, UINT32_MAX,
	};
	struct d11tx_queue_conf c = { .port_id = port_ring, .ring_size = 64,
		.max_frame_len = D11TX_MAX_FRAME_LEN, .buf_count = 8,
		.buf_size = D11TX_MAX_FRAME_LEN, .pipe_ring_size = 16 };
	struct fx x;
	struct rte_mbuf *m;
	char what[96];

	(void)state;
	fx_open_conf(&x, &c);
	x.pipe = false;
	assert_int_equal(d11tx_buf_room(x.q), D11TX_MAX_FRAME_LEN);
	for (size_t i = 0; i < RTE_DIM(too_long); i++) {
		const uint32_t len = too_long[i];

		snprintf(what, sizeof(what), "app frame of %u bytes", len);
		refuse_app(&x, (struct d11tx_frame){ .data = big, .len = len,
			   .client = x.lc.id }, EMSGSIZE, D11TX_REFUSED_TOO_LONG, what);
		x.pipe = true;
		snprintf(what, sizeof(what), "pipelined frame of %u bytes", len);
		refuse_app(&x, (struct d11tx_frame){ .data = big, .len = len,
			   .client = x.lc.id }, EMSGSIZE, D11TX_REFUSED_TOO_LONG, what);
		x.pipe = false;
		snprintf(what, sizeof(what), "engine buffer of %u bytes", len);
		refuse_buf(&x, len, x.lc.id, EMSGSIZE, D11TX_REFUSED_TOO_LONG, what);
		snprintf(what, sizeof(what), "eth frame of 8 + %u bytes", len);
		refuse_eth(&x, (struct d11tx_eth_frame){ .data = big + BIG_ETH,
			   .len = len + (len <= UINT32_MAX - 8 ? 8 : 0),
			   .client = x.lc.id, .tid = 1 },
			   EMSGSIZE, D11TX_REFUSED_TOO_LONG, what);
	}

	/* The longest of each kind goes, and the NIC sees its whole length. */
	struct d11tx_frame f = { .data = big, .len = D11TX_MAX_FRAME_LEN,
		.client = x.lc.id, .handle = ledger_take(&x.l, x.lc.id) };

	assert_int_equal(d11tx_send_burst(x.q, &f, 1), 1);
	d11tx_poll(x.q);
	m = nic_take();
	assert_int_equal(m->pkt_len, D11TX_MAX_FRAME_LEN);
	assert_int_equal(m->data_len, D11TX_MAX_FRAME_LEN);
	assert_int_equal(m->buf_len, D11TX_MAX_FRAME_LEN);
	assert_ptr_equal(rte_pktmbuf_mtod(m, void *), big);
	rte_pktmbuf_free(m);
	fx_idle(&x);

	f.handle = ledger_take(&x.l, x.lc.id);
	assert_int_equal(d11tx_pipe_send_burst(x.q, &f, 1), 1);
	d11tx_poll(x.q);
	m = nic_take();
	assert_int_equal(m->pkt_len, D11TX_MAX_FRAME_LEN);
	assert_int_equal(m->data_len, D11TX_MAX_FRAME_LEN);
	rte_pktmbuf_free(m);
	fx_idle(&x);

	struct d11tx_buf *b;

	assert_int_equal(d11tx_buf_alloc(x.q, &b, 1), 1);
	memset(d11tx_buf_data(b), 0, D11TX_MAX_FRAME_LEN);
	d11tx_buf_set(b, D11TX_MAX_FRAME_LEN, x.lc.id, ledger_take(&x.l, x.lc.id));
	assert_int_equal(d11tx_buf_submit(x.q, &b, 1), 1);
	d11tx_poll(x.q);
	m = nic_take();
	assert_int_equal(m->pkt_len, D11TX_MAX_FRAME_LEN);
	assert_int_equal(m->data_len, D11TX_MAX_FRAME_LEN);
	rte_pktmbuf_free(m);
	fx_idle(&x);

	/* Encapsulated: the MPDU limit counts header, payload and FCS. */
	for (int fcs = 0; fcs < 2; fcs++) {
		static const struct d11tx_radiotap_tx rt = { .flags = D11TX_RADIOTAP_F_FCS };
		const uint32_t hdr[2] = { D11TX_DOT11_ENCAP_MAX - 2, D11TX_DOT11_ENCAP_MAX };

		assert_int_equal(d11tx_queue_set_radiotap(x.q, fcs ? &rt : NULL), 0);
		for (int qos = 0; qos < 2; qos++) {
			const uint32_t payload = D11TX_MAX_FRAME_LEN - hdr[qos] - 4 * fcs;
			struct d11tx_eth_frame e = { .data = big + BIG_ETH,
				.len = 8 + payload, .client = x.lc.id,
				.tid = (int8_t)(qos ? 2 : -1) };
			uint32_t sum = 0;

			snprintf(what, sizeof(what), "eth frame one byte over (qos %d, fcs %d)",
				 qos, fcs);
			e.len++;
			refuse_eth(&x, e, EMSGSIZE, D11TX_REFUSED_TOO_LONG, what);
			e.len--;
			e.handle = ledger_take(&x.l, x.lc.id);
			assert_int_equal(d11tx_send_eth_burst(x.q, &e, 1), 1);
			d11tx_poll(x.q);
			m = nic_take();
			for (struct rte_mbuf *s = m; s != NULL; s = s->next)
				sum += s->data_len;
			assert_int_equal(sum, m->pkt_len);
			assert_int_equal(m->nb_segs, 2 + fcs);
			assert_int_equal(m->next->data_len, payload);
			assert_ptr_equal(rte_pktmbuf_mtod(m->next, uint8_t *),
					 big + BIG_ETH + 8);
			/* radiotap, if any, plus the MPDU at the limit */
			assert_int_equal(m->pkt_len - (m->data_len - hdr[qos]),
					 D11TX_MAX_FRAME_LEN);
			rte_pktmbuf_free(m);
			fx_idle(&x);
		}
	}
	assert_int_equal(d11tx_queue_set_radiotap(x.q, NULL), 0);
	fx_close(&x);

	/* Configuration fields that could wrap: refused, never truncated. */
	struct d11tx_queue_conf bad = { .port_id = port_null,
					.flags = D11TX_QF_CONFIGURE_PORT };

	bad.buf_size = UINT16_MAX;              /* + headroom > 16 bits */
	bad.buf_count = 4;
	assert_null(d11tx_queue_create(&bad));
	assert_int_equal(rte_errno, EINVAL);
	bad.buf_size = UINT16_MAX - RTE_PKTMBUF_HEADROOM + 1;
	assert_null(d11tx_queue_create(&bad));
	assert_int_equal(rte_errno, EINVAL);
	bad.buf_size = 0;
	bad.buf_count = 0;
	bad.ring_size = (1u << 31) + 1;         /* would round up to 0 */
	assert_null(d11tx_queue_create(&bad));
	assert_int_equal(rte_errno, EINVAL);
	bad.ring_size = UINT32_MAX;
	assert_null(d11tx_queue_create(&bad));
	assert_int_equal(rte_errno, EINVAL);
	bad.ring_size = 0;
	bad.pipe_ring_size = UINT32_MAX;
	assert_null(d11tx_queue_create(&bad));
	assert_int_equal(rte_errno, EINVAL);
	bad.pipe_ring_size = 0;
	bad.max_frame_len = D11TX_MAX_FRAME_LEN + 1;
	assert_null(d11tx_queue_create(&bad));
	assert_int_equal(rte_errno, EINVAL);

	/* The largest buffer room allowed: buf_size + headroom == 65535. */
	struct d11tx_queue_conf edge = { .port_id = port_null,
		.flags = D11TX_QF_CONFIGURE_PORT, .ring_size = 8, .buf_count = 2,
		.buf_size = UINT16_MAX - RTE_PKTMBUF_HEADROOM };
	struct d11tx_queue *q = d11tx_queue_create(&edge);

	assert_non_null(q);
	assert_int_equal(d11tx_buf_room(q), D11TX_DEFAULT_MAX_FRAME_LEN);
	assert_int_equal(d11tx_queue_destroy(q), 0);
}

/* ---------- DPDK's vhost-user CVE classes ---------- */

/*
 * CVE-2020-10722, integer overflow (vhost_user_set_log_base: the log's
 * mmap_offset + mmap_size wrapped past the checks). dot11tx adds no two
 * untrusted numbers anywhere it checks bounds: regions refuse addr + len
 * past the address space, frames are checked as off = addr - base against
 * rlen - off, and the MPDU length of an encapsulated frame is summed in
 * 64 bits.
 */
static void
test_cve_2020_10722_offset_size_overflow(void **state)
{
	struct fx x;

	(void)state;
	fx_open(&x, port_null, 0);
	assert_int_equal(d11tx_mem_register(x.q, (void *)(UINTPTR_MAX - 63), 64), -EINVAL);
	assert_int_equal(d11tx_mem_register(x.q, big, SIZE_MAX - (uintptr_t)big + 1),
			 -EINVAL);
	assert_int_equal(d11tx_mem_register(x.q, page, -(size_t)(uintptr_t)page), -EINVAL);
	/* A frame whose end wraps around to below the region's start. */
	refuse_app(&x, (struct d11tx_frame){ .data = (void *)(UINTPTR_MAX - 31),
		   .len = 64, .client = x.lc.id }, EFAULT, D11TX_REFUSED_REGION,
		   "frame whose addr + len wraps to the start of the region");
	refuse_app(&x, (struct d11tx_frame){ .data = big + BIG_LEN - 1,
		   .len = 64, .client = x.lc.id }, EFAULT, D11TX_REFUSED_REGION,
		   "frame running off the region's end");
	/* 32 + (len - 8) wraps in 32 bits for these; not in 64. */
	refuse_eth(&x, (struct d11tx_eth_frame){ .data = big + BIG_ETH,
		   .len = UINT32_MAX - 20, .client = x.lc.id, .tid = -1 },
		   EMSGSIZE, D11TX_REFUSED_TOO_LONG, "eth length wrapping the MPDU sum");
	refuse_eth(&x, (struct d11tx_eth_frame){ .data = big + BIG_ETH,
		   .len = UINT32_MAX - 25, .client = x.lc.id, .tid = 3 },
		   EMSGSIZE, D11TX_REFUSED_TOO_LONG, "QoS eth length wrapping the sum");
	fx_close(&x);
}

/*
 * CVE-2020-10723, integer truncation (vhost_user_check_and_alloc_queue_pair:
 * a 32-bit ring index cut to 16 bits before its range check). Every
 * length is checked at its full width before it is narrowed: 65536 + 64
 * is a 65600-byte frame (refused), never a 64-byte one; engine buffers
 * keep the true length in pkt_len, which is what is checked; conf fields
 * that would wrap are refused.
 */
static void
test_cve_2020_10723_truncation(void **state)
{
	static const uint32_t lens[] = { 65536, 65536 + 64, 65536 * 2 + 64,
					 (1u << 31) + 64, UINT32_MAX - 65535 + 64 };
	struct fx x;
	char what[64];

	(void)state;
	for (int pipe = 0; pipe < 2; pipe++) {
		struct d11tx_queue_conf c = { .port_id = port_null,
			.flags = D11TX_QF_CONFIGURE_PORT, .ring_size = 64,
			.buf_count = 8, .pipe_ring_size = pipe ? 16 : 0 };

		fx_open_conf(&x, &c);
		for (size_t i = 0; i < RTE_DIM(lens); i++) {
			snprintf(what, sizeof(what), "%s frame of %u bytes (%u in 16 bits)",
				 pipe ? "pipelined" : "app", lens[i], lens[i] & 0xffff);
			refuse_app(&x, (struct d11tx_frame){ .data = big, .len = lens[i],
				   .client = x.lc.id }, EMSGSIZE, D11TX_REFUSED_TOO_LONG, what);
			snprintf(what, sizeof(what), "buffer of %u bytes", lens[i]);
			refuse_buf(&x, lens[i], x.lc.id, EMSGSIZE, D11TX_REFUSED_TOO_LONG,
				   what);
			if (!pipe)
				refuse_eth(&x, (struct d11tx_eth_frame){ .data = big + BIG_ETH,
					   .len = lens[i], .client = x.lc.id, .tid = 0 },
					   EMSGSIZE, D11TX_REFUSED_TOO_LONG, what);
		}
		fx_close(&x);
	}
	/* A buffer count that would wrap the pool size in 32 bits (the
	 * per-lcore cache room is added to it) is refused, not cut down to
	 * a pool of a few hundred buffers. */
	for (int refcnt = 0; refcnt < 2; refcnt++) {
		struct d11tx_queue_conf c = { .port_id = port_null,
			.flags = D11TX_QF_CONFIGURE_PORT |
				 (refcnt ? D11TX_QF_REFCNT_RECLAIM : 0),
			.ring_size = 8, .buf_size = 64 };
		const uint32_t wraps_to = 400;

		c.buf_count = (uint32_t)(0u - 2u * 256u * rte_lcore_count() + wraps_to);
		struct d11tx_queue *q = d11tx_queue_create(&c);

		if (q != NULL) {
			struct d11tx_queue_stats s;

			assert_int_equal(d11tx_queue_stats_get(q, &s), 0);
			assert_int_equal(d11tx_queue_destroy(q), 0);
			fail_msg("buf_count %u: a queue with %u buffers", c.buf_count,
				 s.buf_pool_size);
		}
		assert_int_equal(rte_errno, ENOMEM);
	}
}

/*
 * CVE-2020-10724, missing input validation (vhost-crypto: lengths from the
 * guest not checked against the buffers they describe). A frame is read
 * only within [data, data + len), and only once that span is known to be
 * registered; app memory is never written: frames against guard pages
 * and in read-only memory (test_frames_at_page_end), and here every
 * frame type one byte short of its header at a page end.
 */
static void
test_cve_2020_10724_lengths_before_access(void **state)
{
	uint8_t *end = page + PAGE;
	struct fx x;

	(void)state;
	fx_open(&x, port_null, 0);
	assert_int_equal(d11tx_mem_register(x.q, page, PAGE), 0);
	/* Every type and subtype (version 0), with and without both DS bits
	 * and Order: each one byte short of its header, then exactly its
	 * header, ending on the page's last byte. */
	static const uint8_t flags[] = { 0x00, 0x03, 0x80, 0x83 };
	unsigned int checked = 0;

	for (unsigned int fc0 = 0; fc0 < 256; fc0 += 4) {
		for (size_t k = 0; k < RTE_DIM(flags); k++) {
			const uint8_t fc[2] = { (uint8_t)fc0, flags[k] };
			const uint32_t hdr = d11tx_dot11_hdr_len((uint16_t)(fc[0] | fc[1] << 8));
			char what[64];

			if (hdr == 0)
				continue;          /* reserved */
			assert_int_equal(mprotect(page, PAGE, PROT_READ | PROT_WRITE), 0);
			memset(end - hdr, 0, hdr);
			memcpy(end - (hdr - 1), fc, 2);
			assert_int_equal(mprotect(page, PAGE, PROT_READ), 0);
			snprintf(what, sizeof(what), "FC %02x %02x in %u bytes (header %u)",
				 fc[0], fc[1], hdr - 1, hdr);
			refuse_app(&x, (struct d11tx_frame){ .data = end - (hdr - 1),
				   .len = hdr - 1, .client = x.lc.id },
				   EBADMSG, D11TX_REFUSED_TOO_SHORT, what);
			assert_int_equal(mprotect(page, PAGE, PROT_READ | PROT_WRITE), 0);
			memset(end - hdr, 0, hdr);
			memcpy(end - hdr, fc, 2);
			assert_int_equal(mprotect(page, PAGE, PROT_READ), 0);
			if (d11tx_dot11_validate(end - hdr, hdr, 0) == D11TX_DOT11_VALID)
				accept_app(&x, (struct d11tx_frame){ .data = end - hdr,
					   .len = hdr, .client = x.lc.id }, what);
			checked++;
		}
	}
	assert_true(checked > 100);
	assert_int_equal(mprotect(page, PAGE, PROT_READ | PROT_WRITE), 0);
	memset(page, 0, PAGE);
	assert_int_equal(d11tx_mem_unregister(x.q, page), 0);
	fx_close(&x);
}

/*
 * CVE-2020-10725, crash on invalid descriptors (a zero-length descriptor,
 * an address that translated to nothing and was used unchecked). A frame
 * of length 0 is refused before its address is looked at; NULL is
 * refused; an address outside every region is refused before it is read.
 * The "wild" page below is mapped PROT_NONE: touching it kills the test.
 */
static void
test_cve_2020_10725_zero_length_unchecked_address(void **state)
{
	struct fx x;

	(void)state;
	for (int pipe = 0; pipe < 2; pipe++) {
		struct d11tx_queue_conf c = { .port_id = port_null,
			.flags = D11TX_QF_CONFIGURE_PORT, .ring_size = 64,
			.buf_count = 8, .pipe_ring_size = pipe ? 16 : 0 };

		fx_open_conf(&x, &c);
		refuse_app(&x, (struct d11tx_frame){ .data = wild, .len = 0,
			   .client = x.lc.id }, ENODATA, D11TX_REFUSED_EMPTY,
			   "length 0 at an unmapped address");
		refuse_app(&x, (struct d11tx_frame){ .data = NULL, .len = 0,
			   .client = x.lc.id }, EINVAL, D11TX_REFUSED_INVALID,
			   "length 0 at NULL");
		refuse_app(&x, (struct d11tx_frame){ .data = NULL, .len = 64,
			   .client = x.lc.id }, EINVAL, D11TX_REFUSED_INVALID, "NULL");
		refuse_app(&x, (struct d11tx_frame){ .data = wild, .len = 64,
			   .client = x.lc.id }, EFAULT, D11TX_REFUSED_REGION,
			   "unmapped, unregistered address");
		refuse_app(&x, (struct d11tx_frame){ .data = (void *)1, .len = 1,
			   .client = x.lc.id }, EFAULT, D11TX_REFUSED_REGION, "address 1");
		refuse_buf(&x, 0, x.lc.id, ENODATA, D11TX_REFUSED_EMPTY,
			   "engine buffer of length 0");
		if (!pipe) {
			refuse_eth(&x, (struct d11tx_eth_frame){ .data = wild, .len = 0,
				   .client = x.lc.id }, ENODATA, D11TX_REFUSED_EMPTY,
				   "eth length 0 at an unmapped address");
			refuse_eth(&x, (struct d11tx_eth_frame){ .data = NULL, .len = 0,
				   .client = x.lc.id }, EINVAL, D11TX_REFUSED_INVALID,
				   "eth length 0 at NULL");
			refuse_eth(&x, (struct d11tx_eth_frame){ .data = wild, .len = 7,
				   .client = x.lc.id }, EBADMSG, D11TX_REFUSED_TOO_SHORT,
				   "eth prefix cut short at an unmapped address");
			refuse_eth(&x, (struct d11tx_eth_frame){ .data = wild, .len = 8,
				   .client = x.lc.id }, EFAULT, D11TX_REFUSED_REGION,
				   "eth frame at an unmapped, unregistered address");
		}
		assert_int_equal(d11tx_mem_register(x.q, NULL, 64), -EINVAL);
		assert_int_equal(d11tx_mem_register(x.q, wild, 0), -EINVAL);
		fx_close(&x);
	}
	/* Registered but unreadable memory, on a queue that does not check
	 * frames and adds no FCS: the engine never reads app memory it has
	 * no need to, so frames there go out and complete. */
	fx_open(&x, port_null, D11TX_QF_NO_VALIDATE);
	assert_int_equal(d11tx_mem_register(x.q, wild, PAGE), 0);
	accept_app(&x, (struct d11tx_frame){ .data = wild, .len = PAGE,
		   .client = x.lc.id }, "frame in PROT_NONE memory, unvalidated");
	assert_int_equal(d11tx_mem_unregister(x.q, wild), 0);
	fx_close(&x);
}

/* Heap, memzones and mempools, for the two tests that follow. */
struct usage {
	uint64_t heap_allocs;
	uint64_t heap_bytes;
	unsigned int memzones;
	unsigned int mempools;
};

static void
count_mz(const struct rte_memzone *mz, void *arg)
{
	(void)mz;
	(*(unsigned int *)arg)++;
}

static void
count_mp(struct rte_mempool *mp, void *arg)
{
	(void)mp;
	(*(unsigned int *)arg)++;
}

static void
usage_get(struct usage *u)
{
	memset(u, 0, sizeof(*u));
	for (unsigned int i = 0; i < rte_socket_count(); i++) {
		struct rte_malloc_socket_stats st;

		if (rte_malloc_get_socket_stats(rte_socket_id_by_idx(i), &st) == 0) {
			u->heap_allocs += st.alloc_count;
			u->heap_bytes += st.heap_allocsz_bytes;
		}
	}
	rte_memzone_walk(count_mz, &u->memzones);
	rte_mempool_walk(count_mp, &u->mempools);
}

/* @p slack: bytes a port reconfiguration may move (alignment padding). */
static void
usage_same(const struct usage *a, uint64_t slack, const char *what)
{
	struct usage b;

	usage_get(&b);
	if (a->heap_allocs != b.heap_allocs || a->memzones != b.memzones ||
	    a->mempools != b.mempools || b.heap_bytes > a->heap_bytes + slack ||
	    b.heap_bytes + slack < a->heap_bytes)
		fail_msg("%s: heap %" PRIu64 " allocs %" PRIu64 " bytes, %u memzones, "
			 "%u mempools; was %" PRIu64 ", %" PRIu64 ", %u, %u", what,
			 b.heap_allocs, b.heap_bytes, b.memzones, b.mempools,
			 a->heap_allocs, a->heap_bytes, a->memzones, a->mempools);
}

/*
 * CVE-2020-10726, resource exhaustion by message flooding (each
 * VHOST_USER_GET_INFLIGHT_FD allocated anew). Control calls repeated
 * without end allocate nothing that stays: regions and clients reuse
 * their slots, adapter and radiotap changes allocate nothing, and a
 * queue created and destroyed over and over gives everything back.
 */
static void
test_cve_2020_10726_control_flood(void **state)
{
	static const struct d11tx_radiotap_tx rt = { .flags = D11TX_RADIOTAP_F_FCS,
						      .rate_500k = 2 };
	struct usage u;
	struct fx x;

	(void)state;
	fx_open(&x, port_null, 0);
	usage_get(&u);
	for (int i = 0; i < 100000; i++) {
		uint8_t *r = page + (i % 64) * 64;
		int id;

		assert_int_equal(d11tx_mem_register(x.q, r, 64), 0);
		assert_int_equal(d11tx_mem_unregister(x.q, r), 0);
		id = d11tx_client_register(x.q, ledger_cb, &x.lc);
		assert_true(id > x.lc.id && id < D11TX_MAX_CLIENTS);
		assert_int_equal(d11tx_client_unregister(x.q, (uint16_t)id), 0);
		assert_int_equal(d11tx_queue_set_adapter(x.q, &ap, 0), 0);
		assert_int_equal(d11tx_queue_set_radiotap(x.q, i & 1 ? &rt : NULL), 0);
	}
	usage_same(&u, 0, "control calls, 100000 times");
	/* Still one region and one client: the table never grew. */
	for (int i = 1; i < D11TX_MAX_REGIONS; i++)
		assert_int_equal(d11tx_mem_register(x.q, page + i * 64, 64), 0);
	assert_int_equal(d11tx_mem_register(x.q, page, 64), -ENOSPC);
	for (int i = 1; i < D11TX_MAX_REGIONS; i++)
		assert_int_equal(d11tx_mem_unregister(x.q, page + i * 64), 0);
	accept_eth(&x, good_eth(&x), "after the flood");
	fx_close(&x);

	/* Queues: after the first (the port's own allocations), each create
	 * and destroy leaves the heap as it found it. */
	struct d11tx_queue_conf c = { .port_id = port_null,
		.flags = D11TX_QF_CONFIGURE_PORT, .ring_size = 64, .buf_count = 16,
		.pipe_ring_size = 16 };

	usage_get(&u);
	for (int i = 0; i < 300; i++) {
		c.flags = D11TX_QF_CONFIGURE_PORT | (i & 1 ? D11TX_QF_REFCNT_RECLAIM : 0);
		c.pipe_ring_size = i & 2 ? 16 : 0;
		struct d11tx_queue *q = d11tx_queue_create(&c);

		assert_non_null(q);
		assert_int_equal(d11tx_mem_register(q, big, BIG_LEN), 0);
		assert_int_equal(d11tx_queue_destroy(q), 0);
	}
	usage_same(&u, 1024, "300 queues created and destroyed");
}

/*
 * CVE-2022-0669, resource leak on the error path (file descriptors sent
 * with malformed messages never closed, until none were left). Every
 * refusal gives back what the call took for the frame: mbufs allocated
 * for a chunk before one of its frames is refused go back to the pool.
 * 100000 refusals later the pools are full, the heap unchanged, and
 * the queue still takes a full ring.
 */
static void
test_cve_2022_0669_refusals_release_everything(void **state)
{
	enum { ROUNDS = 20000 };
	struct d11tx_queue_conf c = { .port_id = port_null,
		.flags = D11TX_QF_CONFIGURE_PORT, .ring_size = 256,
		.buf_count = 64, .pipe_ring_size = 64 };
	const struct d11tx_frame bad_app[] = {
		{ .data = NULL, .len = 64 }, { .data = big, .len = 0 },
		{ .data = big, .len = 70000 }, { .data = wild, .len = 64 },
		{ .data = big, .len = 64, .client = 60 },
		{ .data = big + 2, .len = 64 },        /* protocol version 1 */
	};
	static const struct d11tx_radiotap_tx rt = { .flags = D11TX_RADIOTAP_F_FCS };
	struct d11tx_queue_stats s;
	struct usage u;
	struct fx x;

	(void)state;
	fx_open_conf(&x, &c);
	x.pipe = false;
	assert_int_equal(d11tx_queue_set_radiotap(x.q, &rt), 0);  /* 3 mbufs a frame */
	big[2] = 0x09;              /* bad_app[5]: protocol version 1 */
	usage_get(&u);
	for (int r = 0; r < ROUNDS; r++) {
		struct d11tx_frame f[40];
		struct d11tx_eth_frame e[40];
		struct d11tx_buf *b[8];
		const struct d11tx_frame *bad = &bad_app[r % RTE_DIM(bad_app)];
		const uint16_t at = (uint16_t)(r % 40);   /* where in the burst */

		for (int i = 0; i < 40; i++) {
			f[i] = (struct d11tx_frame){ .data = big + 1024, .len = 64,
				.client = x.lc.id, .handle = &x.l.entries[0] };
			e[i] = (struct d11tx_eth_frame){ .data = big + BIG_ETH,
				.len = 72, .client = x.lc.id, .tid = 2,
				.handle = &x.l.entries[0] };
		}
		f[at] = *bad;
		if (f[at].client == 0)
			f[at].client = x.lc.id;
		e[at].tid = 9;
		/* Nothing before the bad frame is sent either: offer only the
		 * bad one and what follows, the whole chunk allocated. */
		assert_int_equal(d11tx_send_burst(x.q, &f[at], (uint16_t)(40 - at)), 0);
		assert_int_equal(d11tx_pipe_send_burst(x.q, &f[at], (uint16_t)(40 - at)), 0);
		assert_int_equal(d11tx_send_eth_burst(x.q, &e[at], (uint16_t)(40 - at)), 0);
		assert_int_equal(d11tx_buf_alloc(x.q, b, 8), 8);
		d11tx_buf_set(b[0], r & 1 ? 0 : 5000, x.lc.id, NULL);
		assert_int_equal(d11tx_buf_submit(x.q, b, 8), 0);
		assert_int_equal(d11tx_pipe_buf_submit(x.q, b, 8), 0);
		d11tx_buf_free(x.q, b, 8);
	}
	assert_pools_full(x.q);
	usage_same(&u, 0, "100000 refusals");
	stats(&x, &s);
	assert_int_equal(s.submitted, 0);
	uint64_t refused = 0;

	for (int i = 0; i < D11TX_REFUSED_MAX; i++)
		refused += s.refused[i];
	assert_int_equal(refused, 5 * ROUNDS);
	assert_int_equal(x.l.completed, 0);
	/* And a full ring still fits. */
	struct d11tx_eth_frame full[256];

	for (int i = 0; i < 256; i++)
		full[i] = good_eth(&x);
	assert_int_equal(d11tx_send_eth_burst(x.q, full, 256), 256);
	assert_int_equal(d11tx_queue_inflight(x.q), 256);
	big[2] = 0;
	assert_int_equal(d11tx_queue_set_radiotap(x.q, NULL), 0);
	fx_close(&x);
}

/*
 * CVE-2021-3839, an unvalidated count used as an index (vhost_user_set_
 * inflight_fd trusted num_queues from the message). Every number the
 * caller gives that selects a table entry is range-checked first: client
 * ids (all 65536 values, through every send call and unregister), TIDs
 * (all 256, through the per-AC dispatch too), status and refusal codes.
 */
static void
test_cve_2021_3839_unvalidated_index(void **state)
{
	struct fx x;

	(void)state;
	for (int pipe = 0; pipe < 2; pipe++) {
		struct d11tx_queue_conf c = { .port_id = port_null,
			.flags = D11TX_QF_CONFIGURE_PORT, .ring_size = 64,
			.buf_count = 8, .pipe_ring_size = pipe ? 16 : 0 };
		struct d11tx_queue_stats s;
		struct d11tx_buf *b;
		uint64_t n = 0;

		fx_open_conf(&x, &c);
		assert_int_equal(d11tx_buf_alloc(x.q, &b, 1), 1);
		memset(d11tx_buf_data(b), 0, 64);
		for (uint32_t id = 0; id <= UINT16_MAX; id++) {
			struct d11tx_frame f = { .data = big, .len = 64,
						 .client = (uint16_t)id };
			struct d11tx_eth_frame e = { .data = big + BIG_ETH, .len = 72,
						     .client = (uint16_t)id };

			if (id == x.lc.id)
				continue;
			if ((pipe ? d11tx_pipe_send_burst(x.q, &f, 1)
				  : d11tx_send_burst(x.q, &f, 1)) != 0 || rte_errno != ENOENT)
				fail_msg("client %u: accepted or not ENOENT", id);
			if (!pipe && (d11tx_send_eth_burst(x.q, &e, 1) != 0 ||
				      rte_errno != ENOENT))
				fail_msg("eth client %u: accepted or not ENOENT", id);
			d11tx_buf_set(b, 64, (uint16_t)id, NULL);
			if ((pipe ? d11tx_pipe_buf_submit(x.q, &b, 1)
				  : d11tx_buf_submit(x.q, &b, 1)) != 0 || rte_errno != ENOENT)
				fail_msg("buffer client %u: accepted or not ENOENT", id);
			if (d11tx_client_unregister(x.q, (uint16_t)id) != -ENOENT)
				fail_msg("unregister client %u: not -ENOENT", id);
			n += pipe ? 2 : 3;
		}
		d11tx_buf_free(x.q, &b, 1);
		stats(&x, &s);
		assert_int_equal(s.refused[D11TX_REFUSED_CLIENT], n);
		fx_close(&x);
	}

	/* TIDs: -1 .. 7, nothing else, whichever queue the AC picks. */
	fx_open(&x, port_null, 0);
	struct d11tx_queue *const qs[4] = { x.q, x.q, x.q, x.q };

	for (int tid = INT8_MIN; tid <= INT8_MAX; tid++) {
		struct d11tx_eth_frame e = { .data = big + BIG_ETH, .len = 72,
			.client = x.lc.id, .tid = (int8_t)tid };
		const bool ok = tid >= -1 && tid <= 7;

		e.handle = ledger_take(&x.l, x.lc.id);
		if (d11tx_send_eth_burst(x.q, &e, 1) != ok ||
		    (!ok && rte_errno != EINVAL))
			fail_msg("TID %d: %s", tid, ok ? "refused" : "accepted or not EINVAL");
		if (!ok)
			ledger_refused(e.handle);
		e.handle = ledger_take(&x.l, x.lc.id);
		if (d11tx_send_eth_burst_ac(qs, &e, 1) != ok ||
		    (!ok && rte_errno != EINVAL))
			fail_msg("TID %d per AC: %s", tid, ok ? "refused" : "accepted or not EINVAL");
		if (!ok)
			ledger_refused(e.handle);
		fx_idle(&x);
	}
	fx_close(&x);

	assert_string_equal(d11tx_status_name(D11TX_STATUS_MAX), "unknown");
	assert_string_equal(d11tx_status_name(UINT32_MAX), "unknown");
	assert_string_equal(d11tx_refusal_name(D11TX_REFUSED_MAX), "unknown");
	assert_string_equal(d11tx_refusal_name(UINT32_MAX), "unknown");
	assert_int_equal(d11tx_refusal_errno(UINT32_MAX), EINVAL);
}

static int
group_setup(void **state)
{
	(void)state;
	port_ring = test_ring_port("memreg_ring", 256, &nic);
	return 0;
}

int
main(void)
{
	static const char *const vdevs[] = { "net_null0", NULL };
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_overlap_refused, teardown),
		cmocka_unit_test_teardown(test_unregister_in_flight, teardown),
		cmocka_unit_test_teardown(test_register_integer_edges, teardown),
		cmocka_unit_test_teardown(test_region_lookup_edges, teardown),
		cmocka_unit_test_teardown(test_frames_at_page_end, teardown),
		cmocka_unit_test_teardown(test_lengths_never_truncated, teardown),
		cmocka_unit_test_teardown(test_cve_2020_10722_offset_size_overflow, teardown),
		cmocka_unit_test_teardown(test_cve_2020_10723_truncation, teardown),
		cmocka_unit_test_teardown(test_cve_2020_10724_lengths_before_access, teardown),
		cmocka_unit_test_teardown(test_cve_2020_10725_zero_length_unchecked_address, teardown),
		cmocka_unit_test_teardown(test_cve_2020_10726_control_flood, teardown),
		cmocka_unit_test_teardown(test_cve_2022_0669_refusals_release_everything, teardown),
		cmocka_unit_test_teardown(test_cve_2021_3839_unvalidated_index, teardown),
	};
	uint8_t *m;

	test_eal_init("test_memreg", vdevs);
	if (rte_eth_dev_get_port_by_name("net_null0", &port_null) != 0)
		return 1;
	/* guard, page, guard */
	guarded = mmap(NULL, 3 * PAGE, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	m = mmap(NULL, BIG_LEN + 2 * PAGE, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (guarded == MAP_FAILED || m == MAP_FAILED)
		return 1;
	page = guarded + PAGE;
	big = m;
	wild = m + BIG_LEN + PAGE;  /* stays PROT_NONE */
	if (mprotect(page, PAGE, PROT_READ | PROT_WRITE) != 0 ||
	    mprotect(big, BIG_LEN, PROT_READ | PROT_WRITE) != 0)
		return 1;
	/* Ethernet-style frames in the upper half: DA, EtherType 0x888e. */
	for (size_t off = BIG_ETH; off + 8 <= BIG_LEN; off += 8192) {
		memcpy(big + off, (const uint8_t[8]){ 0x02, 9, 9, 9, 9, 9, 0x88, 0x8e }, 8);
	}
	apply_test_filter();
	return cmocka_run_group_tests_name("memreg", tests, group_setup, NULL);
}
