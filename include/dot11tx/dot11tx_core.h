/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef DOT11TX_CORE_H
#define DOT11TX_CORE_H

/**
 * @file
 * @internal
 * Layout that the inline fast-path functions of dot11tx_buf.h need. Not part
 * of the API: it may change with any release. Do not use it directly.
 */

#include <stdint.h>
#include <rte_mbuf.h>
#include <rte_mbuf_dyn.h>

#ifdef __cplusplus
extern "C" {
#endif

/**
 * @internal
 * Per-frame fields in a dynamic field of every engine mbuf, in its second
 * cache line, which alloc and free touch anyway: what d11tx_buf_set()
 * writes and submission reads costs no extra cache line.
 */
struct d11tx_mbuf_dyn {
	void *handle;
	/** Whose the buffer is: 0 the application's; the engine's while in
	 *  flight (tracked pools: FIFO slot + 1); all ones in its pool. */
	uint32_t fifo_slot;
	uint16_t client;
	uint8_t region;   /**< Registered region, or D11TX_NO_REGION. */
	uint8_t tx_params;/**< Engine buffers: TX parameter set, 0 none. */
};

/** @internal Offset of struct d11tx_mbuf_dyn, set by the first queue. */
extern int d11tx_mbuf_dyn_offset;

/** @internal The dynamic fields of engine mbuf @p m. */
static inline struct d11tx_mbuf_dyn *
d11tx_mbuf_dyn(struct rte_mbuf *m)
{
	return RTE_MBUF_DYNFIELD(m, d11tx_mbuf_dyn_offset,
				 struct d11tx_mbuf_dyn *);
}

/**
 * @internal
 * The private area of every engine mbuf: what pipelined frames need
 * besides.
 */
struct d11tx_mbuf_meta {
	/** Pipelined mode: generations of the client and region slots when
	 *  the producer checked them, compared again after it counted the
	 *  frame, so a slot reused in between is noticed. */
	uint32_t client_gen;
	uint32_t region_gen;
};

#define D11TX_NO_REGION UINT8_MAX

/** @internal The private area of engine mbuf @p m. */
static inline struct d11tx_mbuf_meta *
d11tx_mbuf_meta(struct rte_mbuf *m)
{
	return (struct d11tx_mbuf_meta *)rte_mbuf_to_priv(m);
}

#ifdef __cplusplus
}
#endif

#endif /* DOT11TX_CORE_H */
