/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef D11TX_BENCH_IHV_SCENARIO_H
#define D11TX_BENCH_IHV_SCENARIO_H

/*
 * The IHV scenarios of dot11tx-bench: an extension linked into the bench
 * sends through the IHV host with Dot11txSendPackets, a burst a call,
 * from the host's own thread (ihv_1thread) or from 4 threads of its own
 * while the host thread only polls (ihv_4threads). scenarios.c calls
 * these for BENCH_IHV_1THREAD and BENCH_IHV_4THREADS.
 */

#include <stdbool.h>
#include <stdint.h>

struct ihv_bench;

/** @p senders 0: the host thread sends; else that many threads do. The
 *  port must be configured and started. NULL with rte_errno on failure. */
struct ihv_bench *ihv_bench_create(unsigned int senders, uint16_t port,
				   uint16_t frame_len, uint16_t burst);
uint64_t ihv_bench_run(struct ihv_bench *b, uint64_t frames);
int ihv_bench_latency(struct ihv_bench *b, uint32_t count, uint64_t *samples);
/** Stop the senders, complete everything, close the host: true when every
 *  accepted packet completed exactly once and nothing is left. */
bool ihv_bench_destroy(struct ihv_bench *b);

#endif
