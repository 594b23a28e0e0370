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

#ifdef __cplusplus
extern "C" {
#endif

/**
 * @internal
 * Per-frame metadata in the private area of every engine mbuf. The FIFO of
 * the owning thread carries handle and client for frames submitted there;
 * this copy travels with the mbuf for engine-owned buffers and pipelined
 * frames, which are filled on other threads.
 */
struct d11tx_mbuf_meta {
	void *handle;
	uint16_t client;
	uint8_t region;   /**< Registered region, or D11TX_NO_REGION. */
	uint8_t reserved;
	/** Pipelined mode: generations of the client and region slots when
	 *  the producer checked them, compared again after it counted the
	 *  frame, so a slot reused in between is noticed. */
	uint32_t client_gen;
	uint32_t region_gen;
	/** Shared info of the external buffer of an app-owned frame: it
	 *  lives here, not in the app's memory, which the engine never
	 *  writes. */
	struct rte_mbuf_ext_shared_info shinfo;
};

#define D11TX_NO_REGION UINT8_MAX

/** @internal The metadata of engine mbuf @p m. */
static inline struct d11tx_mbuf_meta *
d11tx_mbuf_meta(struct rte_mbuf *m)
{
	return (struct d11tx_mbuf_meta *)rte_mbuf_to_priv(m);
}

#ifdef __cplusplus
}
#endif

#endif /* DOT11TX_CORE_H */
