/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef DOT11TX_CAPS_H
#define DOT11TX_CAPS_H

/**
 * @file
 * What the engine must do for each DPDK port: a table of the drivers it
 * knows (engine/caps/caps.c; docs/ARCHITECTURE.md lists them), and for any other
 * driver what rte_eth_dev_info says. The engine reads this once, when it
 * creates a queue, never in the data path.
 */

#include <stdbool.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/** How an idle port is made to release the frames it is done with. */
enum d11tx_cleanup {
	/** Frees every frame inside rte_eth_tx_burst(): nothing to ask. */
	D11TX_CLEANUP_NOT_NEEDED = 0,
	/** rte_eth_tx_done_cleanup(). */
	D11TX_CLEANUP_DONE_CLEANUP,
	/** No tx_done_cleanup, but an empty rte_eth_tx_burst() reclaims
	 *  finished descriptors. */
	D11TX_CLEANUP_EMPTY_BURST,
	/** Neither: frames the NIC finished come back with later traffic,
	 *  or when the queue stops (then as DROPPED). */
	D11TX_CLEANUP_NONE,
	/** Not known: try rte_eth_tx_done_cleanup(), and an empty burst if
	 *  the PMD answers -ENOTSUP. */
	D11TX_CLEANUP_PROBE,
};

/** Capabilities of one port, as the engine uses them. */
struct d11tx_port_caps {
	char driver_name[32];     /**< rte_eth_dev_info.driver_name */
	bool known;               /**< from the table, not only dev_info */
	uint8_t cleanup;          /**< enum d11tx_cleanup */
	/** Sends chained mbufs (encapsulated frames are chains) whole. */
	bool multi_seg;
	/** Whether the PMD offers MBUF_FAST_FREE. The engine never turns it
	 *  on: app-owned frames are external buffers and chains, and a
	 *  fast-freed mbuf would skip the engine's watch of the free. */
	bool fast_free;
	/** The device reads frames by DMA: app memory must be mapped. */
	bool dma;
	/** Another thread frees what the port sends (net_ring's consumer):
	 *  the engine must count references, not watch its pools. */
	bool peer_frees;
	/** Reports each frame's TX outcome in D11TX_TX_STATUS_DYNFIELD. */
	bool tx_status;
	/** Sends each frame as its D11TX_TX_PARAMS_DYNFIELD says. */
	bool tx_params;
	/** The hardware frees sent buffers itself (cnxk), or the driver
	 *  never frees them (net_null's copy mode since DPDK 25.03): the
	 *  engine cannot learn when a frame is done, and refuses the port
	 *  (ENOTSUP). */
	bool unobservable;
};

/**
 * Capabilities of @p port_id.
 * @return 0, or -EINVAL (no such port, or @p caps NULL).
 */
int d11tx_port_caps_get(uint16_t port_id, struct d11tx_port_caps *caps);

/**
 * Whether RTE_ETH_TX_OFFLOAD_MULTI_SEGS is enabled on @p port_id, for the
 * whole port or for TX queue @p queue_id. A PMD that advertises the
 * offload picks a single-segment TX path without it.
 */
bool d11tx_port_multi_seg_enabled(uint16_t port_id, uint16_t queue_id);

/**
 * Configure @p port_id the way dot11tx sends on it, and start it: no RX
 * queue, @p nb_tx_queues TX queues of @p nb_tx_desc descriptors each (0:
 * the PMD's default) on NUMA socket @p socket_id (negative: the port's),
 * multi-segment TX where the PMD offers it (Ethernet-layout frames are
 * chains, which NIC PMDs otherwise send as their first segment alone),
 * and never MBUF_FAST_FREE (it would recycle mbufs the engine still
 * holds). What D11TX_QF_CONFIGURE_PORT does for a queue; for applications
 * that run several queues on a port, or set the port up themselves.
 * Control path; not thread-safe against other calls on the same port.
 * @return 0; -EINVAL when @p port_id is not a port or @p nb_tx_queues is
 *   0 or more than it has; else the -errno of the ethdev call that failed.
 */
int d11tx_port_configure(uint16_t port_id, uint16_t nb_tx_queues,
			 uint16_t nb_tx_desc, int socket_id);

/** Name of an enum d11tx_cleanup value ("done_cleanup", ...). */
const char *d11tx_cleanup_name(unsigned int cleanup);

#ifdef __cplusplus
}
#endif

#endif
