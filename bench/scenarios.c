/* SPDX-License-Identifier: BSD-3-Clause */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <rte_cycles.h>
#include <rte_errno.h>
#include <rte_ethdev.h>
#include <rte_malloc.h>
#include <rte_mbuf.h>

#include <dot11tx/dot11tx.h>
#include <dot11tx/dot11tx_caps.h>

#include "ihv_scenario.h"
#include "scenarios.h"

#define RING_SIZE 4096
#define MAX_BURST 512
#define HDR_LEN 24
#define SLOT_ALIGN 64
#define LATENCY_TIMEOUT_S 1
/* Clients of the clients_8 scenario: frame i is client i % NB_CLIENTS's. */
#define NB_CLIENTS 8

struct bench;

/* A client's callback context: whose completions it must get. */
struct client_ctx {
	struct bench *b;
	uint16_t index;            /* 0 .. NB_CLIENTS - 1 */
};

struct bench {
	enum bench_kind kind;
	uint16_t port;
	uint16_t len;
	uint16_t burst;
	struct rte_mempool *raw_pool;
	struct ihv_bench *ihv;
	struct d11tx_queue *q;
	uint16_t client;
	uint16_t clients[NB_CLIENTS];      /* clients_8: their ids */
	struct client_ctx ctx[NB_CLIENTS];
	uint8_t hdr[HDR_LEN];
	/* Exactly-once check: engine-owned handles are frame numbers whose
	 * sums must agree; app-owned handles are slots, each of which must
	 * be outstanding when it completes. */
	uint64_t next_frame;
	uint64_t sum_submitted;
	uint64_t sum_completed;
	uint64_t completed;
	uint64_t last_completion_tsc;
	bool ok;
	uint8_t *slots;
	size_t slot_size;
	uint32_t *free_slots;
	uint32_t nb_free;
	uint8_t *outstanding;
	/* *_txp: frames name TX parameter sets 1..TXP_SETS in turn. */
	bool txp;
	uint32_t txp_next;
};

/* The *_txp scenarios' sets: legacy OFDM, HT, VHT, as a sweep sends them,
 * with a retry limit or no-ACK. On a port that honours the rate (a
 * simulated radio gives it airtime) the rate is left to the port, whose
 * own is unlimited, so that the row measures the engine, not the air:
 * the engine's work per frame is the same whatever the set holds. */
#define TXP_SETS 4
static const struct d11tx_tx_params txp_sets[TXP_SETS] = {
	{ .rate = { .phy = D11TX_PHY_LEGACY, .rate = 12 } },
	{ .rate = { .phy = D11TX_PHY_LEGACY, .rate = 108 },
	  .flags = D11TX_TXP_RETRY_LIMIT, .retry_limit = 2 },
	{ .rate = { .phy = D11TX_PHY_HT, .rate = 7 } },
	{ .rate = { .phy = D11TX_PHY_VHT, .rate = 9, .nss = 2, .bw = D11TX_BW_80 },
	  .flags = D11TX_TXP_NO_ACK },
};

/* The set frame @p k of a run names: 1..TXP_SETS in turn. */
static inline uint8_t
txp_slot(uint64_t k)
{
	return (uint8_t)(1 + (k & (TXP_SETS - 1)));
}

enum bench_kind
bench_plain_kind(enum bench_kind kind)
{
	switch (kind) {
	case BENCH_ENGINE_TXP:
		return BENCH_ENGINE_OWNED;
	case BENCH_APP_TXP:
		return BENCH_APP_OWNED;
	case BENCH_ETH_TXP:
		return BENCH_ETH_ENCAP;
	default:
		return kind;
	}
}

static unsigned int serial;
static uint32_t queue_flags;

void
bench_set_queue_flags(uint32_t flags)
{
	queue_flags = flags;
}

const char *
bench_kind_name(enum bench_kind kind)
{
	static const char *const names[BENCH_KIND_MAX] = {
		[BENCH_RAW] = "raw",
		[BENCH_ENGINE_OWNED] = "engine_owned",
		[BENCH_APP_OWNED] = "app_owned",
		[BENCH_ETH_ENCAP] = "eth_encap",
		[BENCH_CLIENTS_8] = "clients_8",
		[BENCH_IHV_1THREAD] = "ihv_1thread",
		[BENCH_IHV_4THREADS] = "ihv_4threads",
		[BENCH_ENGINE_TXP] = "engine_txp",
		[BENCH_APP_TXP] = "app_txp",
		[BENCH_ETH_TXP] = "eth_txp",
	};

	return kind < BENCH_KIND_MAX ? names[kind] : "unknown";
}

/* The 802.11 header every engine frame gets: QoS-less data, To-DS. */
static void
build_header(uint8_t *h)
{
	static const uint8_t hdr[HDR_LEN] = {
		0x08, 0x01, 0x00, 0x00,
		0x02, 0x00, 0x00, 0x00, 0x00, 0x01,
		0x02, 0x00, 0x00, 0x00, 0x00, 0x02,
		0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
		0x00, 0x00,
	};

	memcpy(h, hdr, sizeof(hdr));
}

/* Engine-owned kinds: their handles are frame numbers. */
static inline bool
engine_owned(enum bench_kind kind)
{
	return kind == BENCH_ENGINE_OWNED || kind == BENCH_CLIENTS_8 ||
	       kind == BENCH_ENGINE_TXP;
}

static void
on_completion(void *ctx, void *const handles[], const uint8_t status[],
	      const uint8_t retries[], uint16_t n)
{
	struct bench *b = ctx;

	(void)status;
	(void)retries;
	if (!engine_owned(b->kind)) {
		for (uint16_t i = 0; i < n; i++) {
			const uint32_t slot = (uint32_t)(uintptr_t)handles[i];

			if (!b->outstanding[slot])
				b->ok = false;
			b->outstanding[slot] = 0;
			b->free_slots[b->nb_free++] = slot;
		}
	} else {
		for (uint16_t i = 0; i < n; i++)
			b->sum_completed += (uintptr_t)handles[i];
	}
	b->completed += n;
	b->last_completion_tsc = rte_rdtsc();
}

/* clients_8: each of the 8 clients gets its own frames, and only those
 * (frame numbers from 1: frame k is client (k - 1) % NB_CLIENTS's). */
static void
on_client_completion(void *ctx, void *const handles[], const uint8_t status[],
		     const uint8_t retries[], uint16_t n)
{
	const struct client_ctx *c = ctx;
	struct bench *b = c->b;

	(void)status;
	(void)retries;
	for (uint16_t i = 0; i < n; i++) {
		const uintptr_t frame = (uintptr_t)handles[i];

		if (((frame - 1) & (NB_CLIENTS - 1)) != c->index)
			b->ok = false;
		b->sum_completed += frame;
	}
	b->completed += n;
	b->last_completion_tsc = rte_rdtsc();
}

/* eth_encap: the app buffer that makes a @p frame_len-byte 802.11 frame:
 * the 32-byte data + LLC/SNAP header replaces the 8-byte DA + EtherType. */
static uint32_t
eth_buffer_len(uint16_t frame_len)
{
	return (uint32_t)frame_len - (D11TX_DOT11_ENCAP_MAX - 2) +
		D11TX_DOT11_ETH_PREFIX;
}

static int
setup_app_slots(struct bench *b)
{
	static const uint8_t eth_prefix[D11TX_DOT11_ETH_PREFIX] = {
		0x02, 0xdd, 0xdd, 0xdd, 0xdd, 0xdd, 0x88, 0xb5 };

	b->slot_size = RTE_ALIGN_CEIL(b->len, SLOT_ALIGN);
	b->slots = rte_zmalloc("bench_slots", b->slot_size * RING_SIZE, SLOT_ALIGN);
	b->free_slots = calloc(RING_SIZE, sizeof(*b->free_slots));
	b->outstanding = calloc(RING_SIZE, 1);
	if (b->slots == NULL || b->free_slots == NULL || b->outstanding == NULL)
		return -ENOMEM;
	for (uint32_t i = 0; i < RING_SIZE; i++) {
		if (bench_plain_kind(b->kind) == BENCH_ETH_ENCAP)
			memcpy(b->slots + (size_t)i * b->slot_size, eth_prefix,
			       sizeof(eth_prefix));
		else
			memcpy(b->slots + (size_t)i * b->slot_size, b->hdr, HDR_LEN);
		b->free_slots[b->nb_free++] = RING_SIZE - 1 - i;
	}
	return d11tx_mem_register(b->q, b->slots, b->slot_size * RING_SIZE);
}

struct bench *
bench_create(enum bench_kind kind, uint16_t port, uint16_t frame_len,
	     uint16_t burst)
{
	struct bench *b;
	int ret = 0;

	if (kind >= BENCH_KIND_MAX || burst == 0 || burst > MAX_BURST ||
	    frame_len < HDR_LEN || frame_len > 2048) {
		rte_errno = EINVAL;
		return NULL;
	}
	b = calloc(1, sizeof(*b));
	if (b == NULL) {
		rte_errno = ENOMEM;
		return NULL;
	}
	*b = (struct bench){ .kind = kind, .port = port, .len = frame_len,
			     .burst = burst, .ok = true, .txp = bench_plain_kind(kind) != kind };
	build_header(b->hdr);
	/* The port as every scenario meets it: one TX queue, chains where
	 * the port takes them (eth_encap), no fast free. */
	ret = d11tx_port_configure(port, 1, 0, -1);
	if (ret != 0)
		goto fail;
	if (kind == BENCH_RAW) {
		char name[RTE_MEMPOOL_NAMESIZE];

		snprintf(name, sizeof(name), "bench_raw%u", serial++);
		b->raw_pool = rte_pktmbuf_pool_create(name, RING_SIZE * 2, 256, 0,
			(uint16_t)(RTE_PKTMBUF_HEADROOM + frame_len),
			(int)rte_socket_id());
		if (b->raw_pool == NULL) {
			ret = -rte_errno;
			goto fail;
		}
		return b;
	}
	if (kind == BENCH_IHV_1THREAD || kind == BENCH_IHV_4THREADS) {
		b->ihv = ihv_bench_create(kind == BENCH_IHV_4THREADS ? 4 : 0, port,
					  frame_len, burst);
		if (b->ihv == NULL) {
			ret = -rte_errno;
			goto fail;
		}
		return b;
	}

	struct d11tx_queue_conf conf = {
		.port_id = port, .ring_size = RING_SIZE, .tx_burst = burst,
		.flags = queue_flags,
		.buf_count = engine_owned(kind) ? RING_SIZE + 2 * MAX_BURST : 0,
		.buf_size = frame_len,
	};

	b->q = d11tx_queue_create(&conf);
	if (b->q == NULL) {
		ret = -rte_errno;
		goto fail;
	}
	ret = d11tx_client_register(b->q, on_completion, b);
	if (ret < 0)
		goto fail;
	b->client = (uint16_t)ret;
	for (uint16_t i = 0; kind == BENCH_CLIENTS_8 && i < NB_CLIENTS; i++) {
		b->ctx[i] = (struct client_ctx){ .b = b, .index = i };
		ret = d11tx_client_register(b->q, on_client_completion, &b->ctx[i]);
		if (ret < 0)
			goto fail;
		b->clients[i] = (uint16_t)ret;
	}
	if (bench_plain_kind(kind) == BENCH_APP_OWNED || bench_plain_kind(kind) == BENCH_ETH_ENCAP) {
		ret = setup_app_slots(b);
		if (ret != 0)
			goto fail;
	}
	if (bench_plain_kind(kind) == BENCH_ETH_ENCAP) {
		static const struct d11tx_dot11_adapter sta = {
			.role = D11TX_DOT11_STATION,
			.own = { 0x02, 0x11, 0x11, 0x11, 0x11, 0x11 },
			.bssid = { 0x02, 0xbb, 0xbb, 0xbb, 0xbb, 0xbb },
		};

		ret = d11tx_queue_set_adapter(b->q, &sta, D11TX_ADAPTER_ASSIGN_SEQ);
		if (ret != 0)
			goto fail;
	}
	/* A port that reads no TX parameters takes them in a radiotap header
	 * per frame, on a queue that has one (an app frame's in a segment of
	 * its own, an engine buffer's in its headroom). */
	if (b->txp) {
		struct d11tx_port_caps caps;

		ret = d11tx_port_caps_get(port, &caps);
		if (ret == 0 && !caps.tx_params)
			ret = d11tx_queue_set_radiotap(b->q, &(struct d11tx_radiotap_tx){ 0 });
		if (ret != 0)
			goto fail;
	}
	for (unsigned int i = 0; b->txp && i < TXP_SETS; i++) {
		struct d11tx_port_caps caps;
		struct d11tx_tx_params p = txp_sets[i];

		if (d11tx_port_caps_get(port, &caps) == 0 && caps.tx_params)
			p.rate = (struct d11tx_tx_rate){ 0 };
		ret = d11tx_queue_set_tx_params(b->q, i + 1, &p);
		if (ret != 0)
			goto fail;
	}
	return b;
fail:
	bench_destroy(b);
	rte_errno = -ret;
	return NULL;
}

static uint64_t
run_raw(struct bench *b, uint64_t frames)
{
	struct rte_mbuf *m[MAX_BURST];
	uint64_t sent = 0;

	while (sent < frames) {
		uint16_t n;

		if (rte_pktmbuf_alloc_bulk(b->raw_pool, m, b->burst) != 0)
			continue;
		for (uint16_t i = 0; i < b->burst; i++) {
			m[i]->data_len = b->len;
			m[i]->pkt_len = b->len;
		}
		n = rte_eth_tx_burst(b->port, 0, m, b->burst);
		if (n < b->burst)
			rte_pktmbuf_free_bulk(&m[n], b->burst - n);
		sent += n;
	}
	return sent;
}

/* Submit one burst of engine-owned buffers. */
static inline void
submit_engine_owned(struct bench *b, uint16_t want)
{
	struct d11tx_buf *bufs[MAX_BURST];
	uint16_t taken;

	if (d11tx_buf_alloc(b->q, bufs, want) == 0)
		return;
	if (b->kind == BENCH_CLIENTS_8) {
		for (uint16_t i = 0; i < want; i++) {
			const uint64_t frame = b->next_frame + i + 1;

			memcpy(d11tx_buf_data(bufs[i]), b->hdr, HDR_LEN);
			d11tx_buf_set(bufs[i], b->len,
				      b->clients[(frame - 1) & (NB_CLIENTS - 1)],
				      (void *)(uintptr_t)frame);
		}
	} else {
		/* What a sender does: the header from a template, then the
		 * length, its client and a handle. */
		const uint16_t client = b->client;
		const uint32_t len = b->len;
		uint8_t hdr[HDR_LEN];

		memcpy(hdr, b->hdr, HDR_LEN);
		for (uint16_t i = 0; i < want; i++) {
			memcpy(d11tx_buf_data(bufs[i]), hdr, HDR_LEN);
			d11tx_buf_set(bufs[i], len, client,
				      (void *)(uintptr_t)(b->next_frame + i + 1));
		}
		if (b->txp)
			for (uint16_t i = 0; i < want; i++)
				d11tx_buf_set_tx_params(bufs[i], txp_slot(b->next_frame + i));
	}
	taken = d11tx_buf_submit(b->q, bufs, want);
	b->sum_submitted += (uint64_t)taken * (2 * b->next_frame + taken + 1) / 2;
	b->next_frame += taken;
	if (taken < want)
		d11tx_buf_free(b->q, &bufs[taken], (uint16_t)(want - taken));
}

/* Submit one burst of Dot11ExtSendPacket-style buffers from free slots. */
static inline void
submit_eth(struct bench *b, uint16_t want)
{
	struct d11tx_eth_frame f[MAX_BURST];
	const uint32_t len = eth_buffer_len(b->len);
	uint16_t taken;

	want = (uint16_t)RTE_MIN((uint32_t)want, b->nb_free);
	for (uint16_t i = 0; i < want; i++) {
		const uint32_t slot = b->free_slots[b->nb_free - 1 - i];

		f[i] = (struct d11tx_eth_frame){
			.data = b->slots + (size_t)slot * b->slot_size,
			.len = len, .client = b->client, .tid = -1,
			.tx_params = b->txp ? txp_slot(b->txp_next + i) : 0,
			.handle = (void *)(uintptr_t)slot };
	}
	taken = d11tx_send_eth_burst(b->q, f, want);
	b->txp_next += taken;
	for (uint16_t i = 0; i < taken; i++)
		b->outstanding[(uintptr_t)f[i].handle] = 1;
	b->nb_free -= taken;
}

/* Submit one burst of app-owned frames from free slots. */
static inline void
submit_app_owned(struct bench *b, uint16_t want)
{
	struct d11tx_frame f[MAX_BURST];
	uint16_t taken;

	want = (uint16_t)RTE_MIN((uint32_t)want, b->nb_free);
	for (uint16_t i = 0; i < want; i++) {
		const uint32_t slot = b->free_slots[b->nb_free - 1 - i];

		f[i] = (struct d11tx_frame){
			.data = b->slots + (size_t)slot * b->slot_size,
			.len = b->len, .client = b->client,
			.tx_params = b->txp ? txp_slot(b->txp_next + i) : 0,
			.handle = (void *)(uintptr_t)slot };
	}
	taken = d11tx_send_burst(b->q, f, want);
	b->txp_next += taken;
	for (uint16_t i = 0; i < taken; i++)
		b->outstanding[(uintptr_t)f[i].handle] = 1;
	b->nb_free -= taken;
}

static inline void
submit(struct bench *b, uint16_t want)
{
	if (engine_owned(b->kind))
		submit_engine_owned(b, want);
	else if (bench_plain_kind(b->kind) == BENCH_ETH_ENCAP)
		submit_eth(b, want);
	else
		submit_app_owned(b, want);
}

uint64_t
bench_run(struct bench *b, uint64_t frames)
{
	const uint64_t start = b->completed;

	if (b->kind == BENCH_RAW)
		return run_raw(b, frames);
	if (b->ihv != NULL)
		return ihv_bench_run(b->ihv, frames);
	while (b->completed - start < frames) {
		submit(b, b->burst);
		d11tx_poll(b->q);
	}
	return b->completed - start;
}

static int
compare_u64(const void *a, const void *b)
{
	const uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

int
bench_latency(struct bench *b, uint32_t count, double *p50_ns, double *p99_ns,
	      double *max_ns)
{
	const double ns_per_tsc = 1e9 / (double)rte_get_tsc_hz();
	const uint64_t timeout = rte_get_tsc_hz() * LATENCY_TIMEOUT_S;
	uint64_t *samples;
	int ret = 0;

	if (b->kind == BENCH_RAW)
		return -ENOTSUP;
	samples = calloc(count, sizeof(*samples));
	if (samples == NULL)
		return -ENOMEM;
	if (b->ihv != NULL)
		ret = ihv_bench_latency(b->ihv, count, samples);
	for (uint32_t i = 0; b->ihv == NULL && i < count && ret == 0; i++) {
		const uint64_t before = b->completed;
		uint64_t t0;

		/* Measured from the moment the frame is handed over. */
		t0 = rte_rdtsc();
		submit(b, 1);
		while (b->completed == before) {
			d11tx_poll(b->q);
			if (rte_rdtsc() - t0 > timeout) {
				ret = -ETIMEDOUT;
				break;
			}
		}
		samples[i] = b->last_completion_tsc - t0;
	}
	if (ret == 0) {
		qsort(samples, count, sizeof(*samples), compare_u64);
		*p50_ns = (double)samples[count / 2] * ns_per_tsc;
		*p99_ns = (double)samples[(uint64_t)count * 99 / 100] * ns_per_tsc;
		*max_ns = (double)samples[count - 1] * ns_per_tsc;
	}
	free(samples);
	return ret;
}

/* Frames that went out: sent, or, on a WLAN port, acked or not. */
static uint64_t
delivered(const struct d11tx_queue_stats *s)
{
	return s->completed[D11TX_STATUS_SENT] + s->completed[D11TX_STATUS_ACKED] +
	       s->completed[D11TX_STATUS_NOACK];
}

bool
bench_destroy(struct bench *b)
{
	bool ok;

	if (b == NULL)
		return false;
	ok = b->ok;
	if (b->ihv != NULL)
		ok = ihv_bench_destroy(b->ihv) && ok;
	if (b->q != NULL) {
		struct d11tx_queue_stats s;

		for (uint64_t spin = 0; d11tx_queue_inflight(b->q) != 0 && spin < 10000000; spin++)
			d11tx_poll(b->q);
		ok = ok && d11tx_queue_inflight(b->q) == 0 &&
		     d11tx_queue_stats_get(b->q, &s) == 0 &&
		     s.hdr_pool_free == s.hdr_pool_size &&
		     s.buf_pool_free == s.buf_pool_size &&
		     delivered(&s) == s.submitted;
		if (engine_owned(b->kind))
			ok = ok && b->sum_completed == b->sum_submitted &&
			     b->completed == b->next_frame;
		else
			ok = ok && b->nb_free == RING_SIZE;
		ok = d11tx_queue_destroy(b->q) == 0 && ok;
	}
	rte_eth_dev_stop(b->port);
	rte_mempool_free(b->raw_pool);
	rte_free(b->slots);
	free(b->free_slots);
	free(b->outstanding);
	free(b);
	return ok;
}
