/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef DOT11TX_BUF_H
#define DOT11TX_BUF_H

/**
 * @file
 * Inline accessors of engine-owned buffers (the fast path of the
 * reserve -> fill in place -> submit cycle). Included by dot11tx.h.
 */

#include <dot11tx/dot11tx_core.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Opaque: an engine mbuf (dot11tx.h). Declared here too, so that this
 * header stands on its own. */
struct d11tx_buf;

/**
 * First byte of an engine-owned buffer's frame room, where the caller
 * writes the 802.11 frame. It holds d11tx_buf_room() bytes.
 */
static inline void *
d11tx_buf_data(struct d11tx_buf *b)
{
	return rte_pktmbuf_mtod((struct rte_mbuf *)b, void *);
}

/**
 * Describe a filled engine-owned buffer before it is submitted.
 * The length is checked at submission (EMSGSIZE beyond the room).
 *
 * @param b       A buffer reserved with d11tx_buf_alloc().
 * @param len     Frame length written at d11tx_buf_data(b).
 * @param client  Client whose callback receives the completion.
 * @param handle  Opaque completion handle.
 */
static inline void
d11tx_buf_set(struct d11tx_buf *b, uint32_t len, uint16_t client, void *handle)
{
	struct rte_mbuf *m = (struct rte_mbuf *)b;
	struct d11tx_mbuf_dyn *d = d11tx_mbuf_dyn(m);

	/* data_len is 16 bits: keep the true length in pkt_len so that an
	 * oversized length is refused rather than truncated. */
	m->pkt_len = len;
	m->data_len = (uint16_t)len;
	d->handle = handle;
	d->client = client;
	d->tx_params = 0;
}

/**
 * Name TX parameter set @p slot (d11tx_queue_set_tx_params()) for a
 * buffer, after d11tx_buf_set(), which names none.
 */
static inline void
d11tx_buf_set_tx_params(struct d11tx_buf *b, uint8_t slot)
{
	d11tx_mbuf_dyn((struct rte_mbuf *)b)->tx_params = slot;
}

#ifdef __cplusplus
}
#endif

#endif /* DOT11TX_BUF_H */
