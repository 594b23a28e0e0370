/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef DOT11TX_IHV_HOST_H
#define DOT11TX_IHV_HOST_H

/**
 * @file
 * The IHV host: runs a Native WiFi IHV extension (wlanihv.h) on dot11tx,
 * as the Windows WLAN service runs one on Windows.
 *
 * The host starts the extension the Windows way (Dot11ExtIhvGetVersionInfo,
 * then Dot11ExtIhvInitService with the APIs table and a handlers table to
 * fill), then calls Dot11ExtIhvInitAdapter for each DPDK port added, with
 * that adapter's hDot11SvcHandle. Dot11ExtSendPacket builds an 802.11 data
 * frame for the adapter's role and addresses and sends it through a dot11tx
 * queue; Dot11ExtIhvSendPacketCompletion is called exactly once per
 * successful Dot11ExtSendPacket, after the NIC is done with it, never for a
 * failed one. Dot11ExtSendPacket carries no rate, retry limit or ACK
 * policy (on Windows those are the adapter's settings, not a packet's):
 * the host's frames name no TX parameter set and go as the port's
 * defaults say.
 *
 * Threads. The host's own calls (d11tx_ihv_host_*) belong to one thread,
 * the one that opened it: the host thread. The extension's handlers run
 * there: completions in d11tx_ihv_host_poll(), and in the removal and
 * close that complete what is in flight. The extension's APIs
 * (Dot11ExtSendPacket, Dot11txSendPackets, Dot11ExtAllocateBuffer,
 * Dot11ExtFreeBuffer) may be called from any thread, concurrently, with
 * no lock on the send path. A send is checked where it is made and every
 * error returned at once; from the host thread it goes straight to the
 * adapter's queue, from any other onto the adapter's submission ring (as
 * many entries as the queue), which the host thread's next poll sends
 * on. A full ring is ERROR_NO_SYSTEM_RESOURCES. Inside the completion
 * handler the extension may send, allocate and free; the host's own
 * calls answer -EDEADLK there (poll: 0). A thread the extension creates
 * inside a handler inherits the host thread's CPU affinity: when that
 * is an EAL lcore, one CPU, shared with the polling (the example in
 * tools/ihv-example moves its threads to the other CPUs).
 *
 * Memory: a packet is sent zero-copy when it lies in a buffer of
 * Dot11ExtAllocateBuffer (of at most d11tx_ihv_host_conf.buf_size bytes) or
 * in memory given to d11tx_ihv_host_mem_register(); anywhere else it is
 * copied once into a host buffer. Either way the caller keeps it until the
 * completion, as on Windows.
 */

#include <stdint.h>

#include "dot11tx/dot11.h"
#include "dot11tx/wlanihv.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Adapters a host serves at once. */
#define D11TX_IHV_MAX_ADAPTERS 16

/** The extension, linked in: its two (or three) entry points. */
struct d11tx_ihv_extension {
	DOT11EXTIHV_GET_VERSION_INFO get_version_info;   /**< required */
	DOT11EXTIHV_INIT_SERVICE init_service;            /**< required */
	DOT11TX_IHV_INIT_BATCH init_batch;                /**< optional */
};

/** Host configuration; a zero field takes its default. */
struct d11tx_ihv_host_conf {
	/** Buffers Dot11ExtAllocateBuffer hands out zero-copy (and copies of
	 *  packets from elsewhere use). Default 4096. */
	uint32_t buf_count;
	/** Bytes per buffer; larger allocations come from the heap, and can
	 *  be sent only from memory registered with
	 *  d11tx_ihv_host_mem_register() (else ERROR_BAD_LENGTH). Default
	 *  2048. */
	uint32_t buf_size;
};

/** One DPDK port as an adapter of the extension. */
struct d11tx_ihv_adapter_conf {
	uint16_t port_id;
	/** The adapter's role; STATION: To-DS frames to the BSSID. */
	enum d11tx_dot11_role role;
	/** BSSID (for STATION, the AP's address). */
	uint8_t bssid[6];
	/** Own address; all zero: the port's MAC address. */
	uint8_t own[6];
	/** 0..7: send QoS data with this TID; -1: non-QoS data. */
	int8_t tid;
	/** Frames in flight at most; default 1024. */
	uint32_t ring_size;
	/** Description given to the extension (DOT11_ADAPTER); NULL: the
	 *  port's name. */
	const char *description;
	/** The port is already configured and started by the application:
	 *  the host uses its TX queue 0 as it is. Otherwise the host
	 *  configures and starts it, and stops it at removal. */
	uint8_t port_started;
};

/** Counters of a host (read on the host thread; the send counters count
 *  every thread's calls). */
struct d11tx_ihv_host_stats {
	uint64_t sends_ok;        /**< Dot11ExtSendPacket returned ERROR_SUCCESS */
	uint64_t sends_failed;    /**< ... returned an error */
	uint64_t sends_copied;    /**< accepted packets that were copied */
	uint64_t completions;     /**< completions handed to the extension */
	uint32_t buffers_out;     /**< Dot11ExtAllocateBuffer buffers not freed */
	uint32_t in_flight;       /**< accepted, not yet completed (on the
				       submission rings too) */
};

struct d11tx_ihv_host;

/**
 * Start a linked-in extension: Dot11ExtIhvGetVersionInfo, then
 * Dot11ExtIhvInitService with version 0.
 * @return The host, or NULL with rte_errno set: EINVAL (NULL or missing
 *   entry points), ENOTSUP (the extension does not speak version 0),
 *   ENOMEM, EPROTO (Dot11ExtIhvInitService failed, or left a handler
 *   NULL).
 */
struct d11tx_ihv_host *d11tx_ihv_host_open(const struct d11tx_ihv_extension *ext,
					   const struct d11tx_ihv_host_conf *conf);

/**
 * Load an extension from a shared object (dlopen) and start it: it must
 * export Dot11ExtIhvGetVersionInfo and Dot11ExtIhvInitService, and may
 * export Dot11txIhvInitBatch.
 * @return The host, or NULL with rte_errno set: ENOENT (cannot be loaded;
 *   the dlerror() text is logged), ENOEXEC (an entry point is missing), or
 *   those of d11tx_ihv_host_open().
 */
struct d11tx_ihv_host *d11tx_ihv_host_load(const char *path,
					   const struct d11tx_ihv_host_conf *conf);

/**
 * Add a DPDK port as an adapter: create its dot11tx queue, then call
 * Dot11ExtIhvInitAdapter with a new hDot11SvcHandle.
 * @param svc_handle  Receives the hDot11SvcHandle (may be NULL).
 * @return 0; -EINVAL (bad port or field), -ENOSPC (D11TX_IHV_MAX_ADAPTERS
 *   reached), -EEXIST (port already an adapter), -EPROTO (the extension's
 *   Dot11ExtIhvInitAdapter failed), -EDEADLK (from the extension's
 *   completion handler), or a queue creation errno.
 */
int d11tx_ihv_host_add_adapter(struct d11tx_ihv_host *h,
			       const struct d11tx_ihv_adapter_conf *conf,
			       HANDLE *svc_handle);

/**
 * Remove an adapter: refuse its further sends (ERROR_INVALID_STATE), wait
 * for the sends of other threads already inside the call, complete every
 * packet in flight (the extension's completion handler is called for
 * each: D11TX_STATUS_CANCELLED for those still on the submission ring or
 * staged, the NIC's outcome for the others), then call
 * Dot11ExtIhvDeinitAdapter and free the queue. It takes at most the
 * queue's stop timeout, 100 ms, plus the longest send call in progress;
 * no other thread is ever left waiting.
 * @return 0; -EINVAL (NULL host); -ENOENT (not an adapter of this host);
 *   -EBUSY if the port still holds frames it cannot be made to release
 *   (nothing is freed; call again); -EDEADLK (from the extension's
 *   completion handler: the adapter stays as it was).
 */
int d11tx_ihv_host_remove_adapter(struct d11tx_ihv_host *h, HANDLE svc_handle);

/**
 * Drive every adapter's queue once: transmit, reclaim, and call the
 * extension's completion handlers.
 * @return Completions delivered; 0, doing nothing, for a NULL host or
 *   from the extension's completion handler.
 */
uint32_t d11tx_ihv_host_poll(struct d11tx_ihv_host *h);

/**
 * Register app memory for zero-copy sends on every adapter (now and
 * later ones). Up to 8 regions.
 * @return 0, -EINVAL, -ENOSPC, -EDEADLK (from the extension's completion
 *   handler), or a d11tx_mem_register() errno.
 */
int d11tx_ihv_host_mem_register(struct d11tx_ihv_host *h, void *addr, size_t len);

/** The extension's handlers table, as it filled it (for the application
 *  to call, e.g., Dot11ExtIhvControl). */
const DOT11EXT_IHV_HANDLERS *d11tx_ihv_host_handlers(const struct d11tx_ihv_host *h);

/** The extension's own handle for an adapter (hIhvExtAdapter), or NULL. */
HANDLE d11tx_ihv_host_ext_adapter(const struct d11tx_ihv_host *h, HANDLE svc_handle);

/** The dot11tx queue behind an adapter, or NULL (for its statistics). */
struct d11tx_queue *d11tx_ihv_host_queue(const struct d11tx_ihv_host *h,
					 HANDLE svc_handle);

/** Counters; -EINVAL on NULL. */
int d11tx_ihv_host_stats_get(const struct d11tx_ihv_host *h,
			     struct d11tx_ihv_host_stats *stats);

/**
 * Stop the host: remove every adapter (completing what is in flight),
 * call Dot11ExtIhvDeinitService, wait for the extension's calls still in
 * progress on other threads, unload a loaded extension, free the host.
 * Calls after it answer ERROR_INVALID_HANDLE (sends) or
 * ERROR_SERVICE_NOT_ACTIVE (Dot11ExtAllocateBuffer).
 * @return 0, -EBUSY (an adapter could not be removed: the host is left
 *   open; call again), -EINVAL (NULL, or a host closed already: it is
 *   not read), -EDEADLK (from the extension's completion handler: the
 *   host stays open).
 */
int d11tx_ihv_host_close(struct d11tx_ihv_host *h);

#ifdef __cplusplus
}
#endif

#endif
