/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The owner thread's loop: pull pipelined frames into the FIFO, hand
 * staged frames to the PMD, then take back what it released
 * (complete.c), asking an idle port after a quiet interval.
 */

#include <rte_branch_prediction.h>
#include <rte_cycles.h>
#include <rte_ethdev.h>

#include "internal.h"

/* Hand staged frames to the PMD. A partial burst means the NIC is full:
 * stop there and keep the tail staged for the next poll. */
static inline void
transmit(struct d11tx_queue *q)
{
	while (q->tx != q->head) {
		const uint32_t idx = q->tx & q->mask;
		uint32_t n = RTE_MIN(q->head - q->tx, (uint32_t)q->tx_burst);
		uint16_t sent;

		/* The FIFO is a ring: never offer entries past its end. */
		n = RTE_MIN(n, q->capacity - idx);
		MBUF_DEBUG_TX(q, &q->fifo_mbuf[idx], n, idx);
		sent = rte_eth_tx_burst(q->port_id, q->queue_id,
					&q->fifo_mbuf[idx], (uint16_t)n);
		q->tx += sent;
		q->stats.sent += sent;
		q->stats.tx_burst_calls++;
		if (unlikely(sent < n)) {
			q->stats.tx_partial_bursts++;
			break;
		}
	}
}

uint16_t
d11tx_poll(struct d11tx_queue *q)
{
	uint32_t done;

	/* From a completion callback: the pass that called it is still
	 * reading its scratch arrays. */
	if (unlikely(q->in_callback))
		return 0;

	/* A stopped queue sends nothing, but still takes back what the PMD
	 * releases. */
	if (likely(!q->stopped)) {
		if (q->pipe != NULL)
			d11tx_pipe_pull(q);
		if (q->tx != q->head)
			transmit(q);
	}
	if (q->tail == q->tx)
		return 0;
	done = d11tx_reclaim(q);
	if (likely(done != 0)) {
		q->last_progress_tsc = 0;
		return (uint16_t)done;
	}
	/* Frames sit at the NIC and nothing came back. A PMD that frees
	 * lazily (on its next burst, past a threshold) would keep them
	 * forever on an idle queue: after a quiet interval, ask it. */
	const uint64_t now = rte_rdtsc();

	if (q->last_progress_tsc == 0) {
		q->last_progress_tsc = now;
	} else if (now - q->last_progress_tsc >= q->cleanup_interval_tsc) {
		d11tx_request_cleanup(q);
		q->last_progress_tsc = now;
		done = d11tx_reclaim(q);
	}
	return (uint16_t)done;
}
