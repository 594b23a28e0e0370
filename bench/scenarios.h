/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef D11TX_BENCH_SCENARIOS_H
#define D11TX_BENCH_SCENARIOS_H

/*
 * The benchmark scenarios, in plain C so that dot11tx-bench and the Google
 * Benchmark shim measure the very same loops. Each runs on the calling
 * lcore against one TX queue of one port, which the scenario configures
 * and starts (and stops at teardown), so that all of them meet the port in
 * the same state.
 */

#include <stdbool.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

enum bench_kind {
	BENCH_RAW,          /* alloc_bulk + lengths + rte_eth_tx_burst: the ceiling */
	BENCH_ENGINE_OWNED, /* reserve, write the 802.11 header, submit, poll */
	BENCH_APP_OWNED,    /* registered app memory attached zero-copy */
	BENCH_ETH_ENCAP,    /* Dot11ExtSendPacket buffers (DA, EtherType, payload)
			       encapsulated by the engine, payload zero-copy */
	BENCH_CLIENTS_8,    /* engine_owned with 8 clients interleaved in every
			       burst: the per-client dispatch (callback array) */
	BENCH_IHV_1THREAD,  /* eth_encap's packets through the IHV host,
			       Dot11txSendPackets from the host's thread */
	BENCH_IHV_4THREADS, /* ... from 4 threads of the extension, the host
			       thread polling */
	/* engine_owned, app_owned and eth_encap with per-frame TX parameters
	 * on every frame, four sets in turn (6M, 54M, HT7, VHT9x2/80): in the
	 * mbuf's dynamic field on a port that reads them (net_wlansim), else
	 * in each frame's radiotap header, which the queue then has. */
	BENCH_ENGINE_TXP,
	BENCH_APP_TXP,
	BENCH_ETH_TXP,
	BENCH_KIND_MAX
};

struct bench;

/** Extra D11TX_QF_* flags for the engine scenarios' queues (default 0),
 *  e.g. D11TX_QF_REFCNT_RECLAIM to measure reference counting. */
void bench_set_queue_flags(uint32_t flags);

/** The scenario a *_txp one adds TX parameters to (itself for others). */
enum bench_kind bench_plain_kind(enum bench_kind kind);

/** Name of a scenario as the JSON output spells it. */
const char *bench_kind_name(enum bench_kind kind);

/**
 * Set up @p kind on @p port, queue 0, for frames of @p frame_len bytes
 * sent in bursts of @p burst. @return NULL with rte_errno set on failure.
 */
struct bench *bench_create(enum bench_kind kind, uint16_t port,
			   uint16_t frame_len, uint16_t burst);

/** Send @p frames frames (rounded up to whole bursts). @return frames
 *  sent (raw) or completed (engine scenarios) by this call. */
uint64_t bench_run(struct bench *b, uint64_t frames);

/**
 * Latency of single frames on an otherwise idle queue: send one, poll
 * until its completion arrives, @p count times. Engine scenarios only.
 * @return 0, filling nanoseconds at the 50th and 99th percentile and the
 *   largest; -ENOTSUP for raw, -ETIMEDOUT if a completion never came.
 */
int bench_latency(struct bench *b, uint32_t count, double *p50_ns,
		  double *p99_ns, double *max_ns);

/**
 * Drain, check and free. @return true when every accepted frame completed
 * exactly once (the sums of submitted and completed handles agree) and
 * the pools came back full; always true for raw.
 */
bool bench_destroy(struct bench *b);

#ifdef __cplusplus
}
#endif

#endif
