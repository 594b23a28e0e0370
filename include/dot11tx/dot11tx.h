/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef DOT11TX_H
#define DOT11TX_H

/**
 * @file
 * dot11tx: zero-copy transmission of IEEE 802.11 frames through one TX queue
 * of one DPDK port, with every accepted frame handed back to its owner
 * exactly once, as arrays of completion handles.
 *
 * The contract is the one of the Windows Native WiFi send path
 * (Dot11ExtSendPacket / Dot11ExtIhvSendPacketCompletion): a caller gives a
 * buffer and an opaque handle; the buffer stays the caller's to keep alive
 * until the handle comes back through the caller's completion callback.
 *
 * Threading: a d11tx_queue is owned by one thread (the TX lcore). Every call
 * on it is made from that thread, except those marked "MT-safe" (the
 * pipelined producer calls, and in pipelined mode d11tx_buf_alloc and
 * d11tx_buf_free). Client and
 * memory registration are made from the owning thread too; they are safe
 * against pipelined producers running at the same time. A producer must
 * not call into a queue that is being destroyed.
 *
 * Error convention: burst calls return a count and, when it is short, set
 * rte_errno to say why the first frame not taken was refused; constructors
 * return NULL and set rte_errno; control calls return 0 (or a non-negative
 * id) on success and a negative errno value on failure.
 *
 * Which calls check what (docs/ARCHITECTURE.md has the whole misuse table):
 * - The fast path keeps DPDK's convention and does not check its queue
 *   pointer: d11tx_send_burst(), d11tx_send_eth_burst(),
 *   d11tx_buf_submit(), d11tx_buf_alloc(), d11tx_buf_free(),
 *   d11tx_buf_room(), d11tx_pipe_send_burst(), d11tx_pipe_buf_submit(),
 *   d11tx_poll(), d11tx_queue_inflight() and the inlines of
 *   dot11tx_buf.h. Their frames and buffers are checked, each.
 * - Every other call refuses a NULL queue or pointer argument: control
 *   calls with -EINVAL, d11tx_queue_create() with NULL and rte_errno
 *   EINVAL.
 * - Inside a completion callback the queue may be given frames (the submit
 *   and engine-buffer calls work, and those frames complete once, like any
 *   other) and asked questions (d11tx_queue_stats_get(),
 *   d11tx_queue_inflight(), d11tx_mem_contains()); d11tx_poll() returns 0
 *   and delivers nothing; every call that would change the queue under the
 *   running callback is refused with -EDEADLK, leaving it as it was:
 *   d11tx_queue_stop(), _start(), _destroy(), d11tx_client_register(),
 *   _unregister(), d11tx_mem_register(), _unregister(),
 *   d11tx_queue_set_adapter(), d11tx_queue_set_radiotap(). That holds for
 *   the callbacks that d11tx_queue_stop() and _destroy() run too.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <dot11tx/dot11.h>

#ifdef __cplusplus
extern "C" {
#endif

/** Highest number of completion clients per queue. */
#define D11TX_MAX_CLIENTS 64
/** Highest number of registered app memory regions per queue. */
#define D11TX_MAX_REGIONS 16
/** Default frame length limit: the default 802.11 MPDU limit (HT). */
#define D11TX_DEFAULT_MAX_FRAME_LEN 7991
/** Largest frame length: the largest 802.11 MPDU (VHT). */
#define D11TX_MAX_FRAME_LEN 11454

/** Outcome of one accepted frame, as delivered to its completion callback. */
enum d11tx_status {
	/** The PMD released the frame in normal operation: it was sent. */
	D11TX_STATUS_SENT = 0,
	/** A WLAN-aware PMD reported that the receiver acknowledged it. */
	D11TX_STATUS_ACKED,
	/** A WLAN-aware PMD reported no acknowledgement after all retries. */
	D11TX_STATUS_NOACK,
	/**
	 * The PMD released the frame only when the engine stopped the queue
	 * or port: it may not have been transmitted. A WLAN-aware PMD says
	 * so exactly: DROPPED then means it never went out.
	 */
	D11TX_STATUS_DROPPED,
	/** Never handed to the NIC: still staged when the queue stopped. */
	D11TX_STATUS_CANCELLED,
	D11TX_STATUS_MAX
};

/**
 * Name of the mbuf dynamic field (struct d11tx_tx_status) in which a
 * WLAN-aware PMD reports how each frame fared on the air. net_wlansim
 * registers it and writes it into every segment of a frame just before it
 * frees the frame; the engine reads it where the port's capabilities say
 * so (d11tx_port_caps.tx_status) and completes the frame with the status
 * it maps to.
 */
#define D11TX_TX_STATUS_DYNFIELD "d11tx_dynfield_tx_status"

/** TX outcome a PMD reports in struct d11tx_tx_status. */
enum d11tx_tx_outcome {
	D11TX_TX_OUTCOME_NONE = 0,     /**< not reported: the release decides */
	D11TX_TX_OUTCOME_ACKED,        /**< acknowledged (D11TX_STATUS_ACKED) */
	D11TX_TX_OUTCOME_NOACK,        /**< no ACK after every retry (NOACK) */
	D11TX_TX_OUTCOME_NO_ACK_POLICY,/**< sent once, no ACK expected (SENT) */
	D11TX_TX_OUTCOME_NOT_SENT,     /**< released unsent, at stop (DROPPED) */
	D11TX_TX_OUTCOME_MAX
};

/** The TX status dynamic field (D11TX_TX_STATUS_DYNFIELD). */
struct d11tx_tx_status {
	uint8_t outcome;   /**< enum d11tx_tx_outcome */
	uint8_t retries;   /**< transmissions after the first */
	/** The rate the frame went out at; D11TX_PHY_DEFAULT where the PMD
	 *  does not say (or the frame never went out). */
	struct d11tx_tx_rate rate;
};

/**
 * Name of the mbuf dynamic field (struct d11tx_tx_params) that carries a
 * frame's TX parameters to the PMD, in the frame's first segment. It is
 * valid only where that segment's ol_flags has the dynamic flag
 * D11TX_TX_PARAMS_DYNFLAG; a frame without it goes as the port's defaults
 * say. The first queue registers both; a WLAN-aware PMD looks them up
 * (rte_mbuf_dynfield_lookup(), rte_mbuf_dynflag_lookup()) and says so in
 * d11tx_port_caps.tx_params. The engine fills them from the queue's table
 * of parameter sets (d11tx_queue_set_tx_params()).
 */
#define D11TX_TX_PARAMS_DYNFIELD "d11tx_dynfield_tx_params"
/** Name of the mbuf dynamic flag: D11TX_TX_PARAMS_DYNFIELD is valid. */
#define D11TX_TX_PARAMS_DYNFLAG "d11tx_dynflag_tx_params"

/** Flag of struct d11tx_tx_params: send once, wait for no ACK. */
#define D11TX_TXP_NO_ACK (1u << 0)
/** Flag of struct d11tx_tx_params: retry_limit holds. */
#define D11TX_TXP_RETRY_LIMIT (1u << 1)
/** Largest retry limit: the most retransmissions 802.11's 4-bit
 *  contention-window doubling and net_wlansim model (15). */
#define D11TX_TX_MAX_RETRY_LIMIT 15

/**
 * How one frame goes on the air (8 bytes): its rate, how often it may be
 * retransmitted, whether an ACK is awaited. A zero field is the port's
 * default. The D11TX_TX_PARAMS_DYNFIELD dynamic field.
 */
struct d11tx_tx_params {
	struct d11tx_tx_rate rate; /**< D11TX_PHY_DEFAULT: the port's rate */
	uint8_t flags;             /**< D11TX_TXP_* */
	/** With D11TX_TXP_RETRY_LIMIT: retransmissions after the first,
	 *  0..D11TX_TX_MAX_RETRY_LIMIT. */
	uint8_t retry_limit;
	uint8_t reserved;          /**< Zero. */
};

/** Slots of a queue's table of TX parameter sets; a frame names one by
 *  its index, 1..D11TX_TX_PARAMS_SLOTS - 1, or 0 for none. */
#define D11TX_TX_PARAMS_SLOTS 256

/** Why a frame was refused; each maps to one errno value (see below). */
enum d11tx_refusal {
	D11TX_REFUSED_INVALID = 0, /**< EINVAL: NULL address, a buffer not from this queue, or an engine buffer not the caller's to submit (submitted already and not completed, or free). */
	D11TX_REFUSED_EMPTY,     /**< ENODATA: length 0. */
	D11TX_REFUSED_TOO_LONG,  /**< EMSGSIZE: longer than max_frame_len or the buffer. */
	D11TX_REFUSED_REGION,    /**< EFAULT: not wholly inside one registered region. */
	D11TX_REFUSED_CLIENT,    /**< ENOENT: client id not registered. */
	D11TX_REFUSED_FULL,      /**< ENOBUFS: queue full; poll and try again. */
	D11TX_REFUSED_STOPPED,   /**< ESHUTDOWN: the queue is stopped. */
	D11TX_REFUSED_BAD_VERSION, /**< EPROTONOSUPPORT: 802.11 protocol version not 0. */
	D11TX_REFUSED_RESERVED,  /**< EPROTO: reserved 802.11 type or subtype. */
	D11TX_REFUSED_TOO_SHORT, /**< EBADMSG: shorter than its 802.11 header. */
	/** EBADSLT: the frame names a TX parameter set the queue does not
	 *  hold (an empty slot, an index past the table), or, from a
	 *  pipelined producer, an app frame or engine buffer names one that
	 *  would put a radiotap header in front of it. */
	D11TX_REFUSED_TX_PARAMS,
	D11TX_REFUSED_MAX
};

/**
 * Completion callback of a client: a burst of completions for this client.
 *
 * Called on the queue's owning thread from d11tx_poll(), d11tx_queue_stop()
 * or d11tx_queue_destroy(). Each handle appears exactly once over the life
 * of the queue; after the call the client may free or reuse the buffers.
 * The arrays belong to the engine and are valid only during the call. The
 * callback may submit frames to the same queue; the calls that would
 * change the queue under it are refused with -EDEADLK (see the top of
 * this file).
 *
 * @param ctx      The ctx given to d11tx_client_register().
 * @param handles  The completion handles given at submission.
 * @param status   One enum d11tx_status value per handle.
 * @param retries  Per handle, the transmissions after the first, as a
 *                 WLAN-aware PMD reported them; 0 where none reports.
 * @param n        Number of entries, at least 1.
 */
typedef void (*d11tx_completion_cb)(void *ctx, void *const handles[],
				    const uint8_t status[],
				    const uint8_t retries[], uint16_t n);

/**
 * Flag of struct d11tx_queue_conf: the engine configures the port with
 * queue_id + 1 TX queues and starts it; d11tx_queue_stop() stops the port
 * when the NIC holds frames past the timeout, d11tx_queue_destroy() always
 * does. Without it the port must already be configured and started by the
 * application, and the engine stops only its TX queue, when it must.
 */
#define D11TX_QF_CONFIGURE_PORT (1u << 0)
/**
 * Flag of struct d11tx_queue_conf: learn that the NIC is done with a frame
 * from the mbuf reference count (the engine holds a second reference),
 * which holds whatever thread frees the mbufs, at the cost of one atomic
 * per frame in the PMD's free. Without it the engine watches the frees
 * through its own mempool ops, which requires every free on the owning
 * thread; it then counts references anyway in pipelined mode and on
 * net_ring, whose consumer frees what it sends.
 */
#define D11TX_QF_REFCNT_RECLAIM (1u << 1)
/**
 * Flag of struct d11tx_queue_conf: send frames without checking them as
 * 802.11 frames (protocol version, reserved types, minimum length per
 * type and subtype; see d11tx_dot11_validate()), as a lab that injects
 * malformed frames on purpose wants. Without it every frame is checked,
 * after its bounds, and refused with its own reason.
 */
#define D11TX_QF_NO_VALIDATE (1u << 2)

/**
 * Queue configuration. A zero field takes its default.
 */
struct d11tx_queue_conf {
	uint16_t port_id;        /**< DPDK port. */
	uint16_t queue_id;       /**< TX queue of that port. */
	uint32_t flags;          /**< D11TX_QF_* flags. */
	/** Frames the engine holds at once, staged plus at the NIC: the
	 *  in-flight limit. Rounded up to a power of two. Default 4096. */
	uint32_t ring_size;
	/** Largest frame count per rte_eth_tx_burst() call. Default 32. */
	uint16_t tx_burst;
	/** Longest frame accepted, in bytes: the MPDU limit. Default 7991,
	 *  at most 11454. */
	uint16_t max_frame_len;
	/** Engine-owned buffers (d11tx_buf_alloc). Default 0: none. */
	uint32_t buf_count;
	/** Bytes of frame room in each engine-owned buffer. Default 2048. */
	uint16_t buf_size;
	/** With D11TX_QF_CONFIGURE_PORT: TX descriptors. Default: PMD's. */
	uint16_t nb_tx_desc;
	/** Slots of the multi-producer ring of pipelined mode; 0: no
	 *  pipelined mode. Rounded up to a power of two. */
	uint32_t pipe_ring_size;
	/** How long frames may sit at an idle, lazily freeing PMD before
	 *  the engine asks it to release them, in microseconds. Default 20. */
	uint32_t cleanup_interval_us;
	/** NUMA socket for the engine's memory; 0 or SOCKET_ID_ANY: the
	 *  port's (a port on socket 0 gets socket 0). */
	int socket_id;
};

/**
 * An app-owned frame to send zero-copy. The bytes [data, data + len) must
 * lie in a region registered with d11tx_mem_register() and stay untouched
 * until the handle completes.
 */
struct d11tx_frame {
	const void *data;  /**< First byte of the 802.11 frame. */
	void *handle;      /**< Opaque completion handle, given back once. */
	uint32_t len;      /**< Frame length in bytes. */
	uint16_t client;   /**< Client id from d11tx_client_register(). */
	/** TX parameter set (d11tx_queue_set_tx_params()); 0: none, the
	 *  frame goes as the port's defaults say. */
	uint16_t tx_params;
};

/**
 * An Ethernet-style frame, as Dot11ExtSendPacket takes it: destination MAC
 * (6 bytes), EtherType (2 bytes), payload, in network order. The engine
 * sends it as an 802.11 data frame: a header it builds (d11tx_dot11_encap()
 * for the queue's adapter), then the payload, attached zero-copy.
 */
struct d11tx_eth_frame {
	const void *data;  /**< The DA; must lie in a registered region. */
	void *handle;      /**< Opaque completion handle, given back once. */
	uint32_t len;      /**< 8 + payload length. */
	uint16_t client;   /**< Client id from d11tx_client_register(). */
	int8_t tid;        /**< 0..7: QoS data with this TID; -1: non-QoS. */
	/** TX parameter set (d11tx_queue_set_tx_params()); 0: none. */
	uint8_t tx_params;
};

/** Flag of d11tx_queue_set_adapter(): give encapsulated frames their
 *  sequence numbers (d11tx_dot11_seq_assign()); else they carry 0. */
#define D11TX_ADAPTER_ASSIGN_SEQ (1u << 0)

/** Counters of one queue. Read with d11tx_queue_stats_get(). */
struct d11tx_queue_stats {
	/** Frames accepted; pipelined ones once the owner pulls them from
	 *  the ring (or cancels them there). */
	uint64_t submitted;
	uint64_t refused[D11TX_REFUSED_MAX];    /**< Frames refused, by reason. */
	uint64_t sent;                          /**< Frames taken by the PMD. */
	uint64_t completed[D11TX_STATUS_MAX];   /**< Completions, by status. */
	uint64_t tx_burst_calls;                /**< rte_eth_tx_burst() calls. */
	uint64_t tx_partial_bursts;             /**< Calls that took fewer than offered. */
	uint64_t reclaim_passes;                /**< Polls that reclaimed frames. */
	uint64_t cleanup_calls;                 /**< Idle-queue release requests. */
	uint64_t retries;                       /**< Retries the PMD reported, summed. */
	uint32_t staged;                        /**< Accepted, not yet taken by the PMD. */
	uint32_t at_nic;                        /**< Taken by the PMD, not yet released. */
	uint32_t pipe_pending;                  /**< In the pipelined ring. */
	uint32_t hdr_pool_size;                 /**< Mbufs for app-owned and encapsulated frames. */
	uint32_t hdr_pool_free;                 /**< ... of which free now. */
	uint32_t buf_pool_size;                 /**< Engine-owned buffers. */
	uint32_t buf_pool_free;                 /**< ... of which free now. */
};

struct d11tx_queue;
/** An engine-owned frame buffer (it is an rte_mbuf underneath). */
struct d11tx_buf;

/**
 * Create a queue object bound to (conf->port_id, conf->queue_id).
 *
 * Allocates the FIFO, the header mbuf pool for app-owned frames, the
 * engine-owned buffer pool and the pipelined ring; with
 * D11TX_QF_CONFIGURE_PORT also configures and starts the port.
 * Not thread-safe.
 *
 * @param conf  The configuration; copied.
 * @return The queue, or NULL with rte_errno set: EINVAL (bad port, queue
 *   or field; without D11TX_QF_CONFIGURE_PORT, a TX queue the port does
 *   not have, or, where the PMD reports queue state, one not started),
 *   ENOTSUP (the port wants fast-free, which zero-copy cannot
 *   allow, or its hardware frees sent buffers itself, so that no one
 *   can learn when a frame is done: d11tx_port_caps.unobservable),
 *   EBUSY (a live queue sends on this port's TX queue already, and two
 *   would call rte_eth_tx_burst() on one TX queue; or, with
 *   D11TX_QF_CONFIGURE_PORT, a live queue sends on the port, which this
 *   one would reconfigure under it; until that queue is destroyed),
 *   ENOMEM, or the errno of a failed port configuration.
 */
struct d11tx_queue *d11tx_queue_create(const struct d11tx_queue_conf *conf);

/**
 * Stop the queue: refuse new frames (ESHUTDOWN), complete staged and
 * pipelined frames as CANCELLED, and wait up to @p timeout_us for the NIC
 * to release what it holds (SENT). If frames remain after that, stop the
 * TX queue (or, with D11TX_QF_CONFIGURE_PORT, the port), which makes the
 * PMD release them (DROPPED). Waits for pipelined producers inside a call
 * to leave it; later ones are refused.
 *
 * @return 0 when no frame is left in flight; -EBUSY when the PMD still
 *   holds frames and the TX queue cannot be stopped (stop the port, then
 *   call again); -EINVAL (NULL); -EDEADLK (from a completion callback).
 *   Frames are never completed while the NIC may still read them.
 */
int d11tx_queue_stop(struct d11tx_queue *q, uint32_t timeout_us);

/**
 * Start a stopped queue again (restarting its TX queue or port).
 * @return 0, -EINVAL (NULL), -EDEADLK (from a completion callback), or a
 *   negative errno from the PMD.
 */
int d11tx_queue_start(struct d11tx_queue *q);

/**
 * Stop the queue (as d11tx_queue_stop() with a 100 ms wait), then free it;
 * with D11TX_QF_CONFIGURE_PORT the port is left stopped, without it a TX
 * queue the stop had to stop is started again. Every accepted
 * frame has completed when it returns 0. No producer may call into the
 * queue once destroy has begun.
 *
 * @return 0; -EBUSY, leaving the queue intact, if frames are still held by
 *   the PMD (stop the port and call again) or engine-owned buffers are
 *   still reserved by the app (submit or free them first); -EINVAL (NULL);
 *   -EDEADLK (from a completion callback, leaving the queue intact).
 */
int d11tx_queue_destroy(struct d11tx_queue *q);

/**
 * Register a completion client. Its callback receives all completions of
 * frames submitted with the returned id.
 *
 * @return The client id (0 .. D11TX_MAX_CLIENTS - 1), or -EINVAL (NULL
 *   queue or callback), -ENOSPC (table full), -EDEADLK (from a
 *   completion callback).
 */
int d11tx_client_register(struct d11tx_queue *q, d11tx_completion_cb cb,
			  void *ctx);

/**
 * Unregister a client. Safe against pipelined producers: a frame that a
 * producer is submitting at the same time is either counted, and this
 * returns -EBUSY, or refused with ENOENT (a producer racing an unregister
 * that fails may still be refused). A later client that gets the same id
 * never receives frames checked against this one.
 * @return 0, -ENOENT (not registered), -EBUSY (frames still in flight,
 *   pipelined ones included), -EINVAL (NULL), -EDEADLK (from a
 *   completion callback).
 */
int d11tx_client_unregister(struct d11tx_queue *q, uint16_t client);

/**
 * Register app memory [addr, addr + len) for zero-copy sends. On a port
 * whose device does DMA (a bus other than vdev), the region is also
 * registered with rte_extmem_register() and mapped with rte_dev_dma_map();
 * there it must cover whole pages (page-aligned address and length, as an
 * AF_XDP UMEM), and the EAL must run in IOVA-as-VA mode.
 *
 * @return 0, or -EINVAL (NULL, zero length, addr + len overflows, or not
 *   page-aligned on a DMA device),
 *   -EEXIST (overlaps a registered region), -ENOSPC (table full),
 *   -ENOTSUP (DMA mapping needs IOVA-as-VA), -EDEADLK (from a completion
 *   callback), or the mapping's error.
 */
int d11tx_mem_register(struct d11tx_queue *q, void *addr, size_t len);

/**
 * Unregister the region that starts at @p addr. Safe against pipelined
 * producers, as d11tx_client_unregister() is.
 * @return 0, -ENOENT (no such region), -EBUSY (frames in it in flight,
 *   pipelined ones included), -EINVAL (NULL), -EDEADLK (from a
 *   completion callback).
 */
int d11tx_mem_unregister(struct d11tx_queue *q, void *addr);

/**
 * Whether [addr, addr + len) lies wholly inside one region registered
 * with @p q: the check d11tx_send_burst() makes of an app-owned frame,
 * for applications that choose between zero-copy and a copy before they
 * send (the IHV host does). It reads only: from the owner thread, or any
 * thread of a pipelined queue.
 * @return true when it does; false when not, or for a NULL @p q or
 *   @p addr, or a @p len of 0 or past UINT32_MAX.
 */
bool d11tx_mem_contains(const struct d11tx_queue *q, const void *addr, size_t len);

/**
 * Send app-owned frames zero-copy: each is attached to an mbuf as an
 * external buffer and staged; d11tx_poll() hands them to the PMD.
 *
 * Frames are taken in order; the first one refused stops the burst.
 * Ownership: the accepted frames [0, return) now complete exactly once
 * each; the rest stay the caller's and never complete.
 *
 * @return Frames accepted. When fewer than @p n, rte_errno says why
 *   frames[return] was refused: ENOBUFS (full: poll, then retry),
 *   ESHUTDOWN, ENOENT, EINVAL, ENODATA, EMSGSIZE, EFAULT, and unless
 *   D11TX_QF_NO_VALIDATE, EPROTONOSUPPORT, EPROTO, EBADMSG (see enum
 *   d11tx_refusal).
 */
uint16_t d11tx_send_burst(struct d11tx_queue *q,
			  const struct d11tx_frame *frames, uint16_t n);

/**
 * Set the adapter role and addresses that d11tx_send_eth_burst() builds
 * headers for. Owner thread only; may be called again.
 * @return 0, -EINVAL (NULL, bad role), -ENOTSUP (the port cannot send
 *   multi-segment frames, which zero-copy encapsulation needs), -EDEADLK
 *   (from a completion callback).
 */
int d11tx_queue_set_adapter(struct d11tx_queue *q,
			    const struct d11tx_dot11_adapter *a, uint32_t flags);

/**
 * Longest Ethernet-style frame (DA, EtherType, payload) that
 * d11tx_send_eth_burst() takes for TID @p tid (-1: non-QoS data) with the
 * queue's frame limit, radiotap header and FCS as they are now: a longer
 * one is refused TOO_LONG. For a caller that checks frames before they
 * reach the queue (the IHV host does, on its senders' threads).
 * @return The length; 0 for a NULL queue, a TID outside -1..7, or a queue
 *   with no adapter.
 */
uint32_t d11tx_queue_eth_max_len(const struct d11tx_queue *q, int tid);

/**
 * Put a radiotap TX header in front of every frame d11tx_send_eth_burst()
 * sends, as injection interfaces want (a monitor-mode WLAN through
 * net_af_packet, a radiotap capture). NULL removes it. Owner thread only.
 * A frame with a TX parameter set gets a header of its own: this one with
 * the set's rate, NOACK and Data Retries, app frames and engine buffers
 * too (d11tx_queue_set_tx_params()). Removing it is refused (-EBUSY)
 * while the table holds sets that only it lets the port take; setting it
 * while the table holds sets, on a port that cannot send chains
 * (-ENOTSUP).
 * With D11TX_RADIOTAP_F_FCS in its flags, each frame also ends with its
 * FCS: behind a copied payload, or in a tail segment of its own (the
 * payload is app memory, which the engine reads for the CRC but never
 * writes); max_frame_len then counts it.
 * @return 0, -EINVAL (NULL queue; see d11tx_radiotap_build()), -EBUSY,
 *   -ENOTSUP (see above), -EDEADLK (from a completion callback).
 */
int d11tx_queue_set_radiotap(struct d11tx_queue *q,
			     const struct d11tx_radiotap_tx *rt);

/**
 * Whether @p p is a TX parameter set a frame may carry: its rate passes
 * d11tx_tx_rate_check(), its flags are known, its retry limit (with
 * D11TX_TXP_RETRY_LIMIT) at most D11TX_TX_MAX_RETRY_LIMIT and absent
 * (zero) without it or with D11TX_TXP_NO_ACK, which is sent once.
 * @return 0, -EINVAL (NULL, the rate, unknown flags, reserved not zero),
 *   -ERANGE (the retry limit).
 */
int d11tx_tx_params_check(const struct d11tx_tx_params *p);

/**
 * Put TX parameter set @p p into slot @p slot (1..D11TX_TX_PARAMS_SLOTS -
 * 1) of the queue's table, or empty the slot (NULL). A frame names the
 * slot in d11tx_frame.tx_params, d11tx_eth_frame.tx_params or with
 * d11tx_buf_set_tx_params(); the engine then writes the set into the
 * frame's D11TX_TX_PARAMS_DYNFIELD and, on a queue with a radiotap header
 * (d11tx_queue_set_radiotap()), into a radiotap header of the frame's own
 * (the queue's fields, then Rate, MCS or VHT, TX flags NOACK, Data
 * Retries): an Ethernet-layout frame's instead of the queue's, in front
 * of an app frame in a segment of its own, in an engine buffer's
 * headroom. App memory is never written. (With D11TX_RADIOTAP_F_FCS in
 * the queue's header, app frames and engine buffers bring their own FCS:
 * the engine appends it to Ethernet-layout frames only.) Frames naming no
 * slot cost nothing more. Owner thread only; the table is allocated on first
 * use (about 11 KiB). A slot may be changed while frames that named it
 * are in flight: they carry what it held when they were accepted.
 * Pipelined producers read the table: change a slot only while no
 * producer sends frames that name it.
 * @return 0; -EINVAL (NULL queue, slot 0 or past the table, see
 *   d11tx_tx_params_check()), -ERANGE (the retry limit), -ENOTSUP (the
 *   port can take no TX parameters: its PMD does not read the dynamic
 *   field, d11tx_port_caps.tx_params, and the queue has no radiotap
 *   header; or it has one and the port cannot send chains), -ENOMEM,
 *   -EDEADLK (from a completion callback).
 */
int d11tx_queue_set_tx_params(struct d11tx_queue *q, unsigned int slot,
			      const struct d11tx_tx_params *p);

/**
 * Longest payload (bytes after the DA and EtherType) that
 * d11tx_send_eth_burst() copies instead of attaching: one segment is
 * cheaper to build, send and free than two, up to about this size
 * (docs/PERFORMANCE.md).
 */
#define D11TX_ENCAP_COPY_BREAK 256

/**
 * Send Ethernet-style frames (the Dot11ExtSendPacket layout) as 802.11 data
 * frames: a header mbuf with the radiotap (if set), 802.11 and LLC/SNAP
 * headers, then the payload, and the FCS (if the radiotap header says so).
 * A payload of up to D11TX_ENCAP_COPY_BREAK bytes is copied behind the
 * headers, in one segment; a longer one goes zero-copy, attached as an
 * external buffer in a second segment, the FCS in a third. Either way the
 * handle completes when the port releases the frame, with its outcome;
 * a copied frame no longer holds its registered region meanwhile. The DA
 * and EtherType are read, never written. Same return and ownership rules
 * as d11tx_send_burst();
 * refusals: EINVAL (NULL, TID out of range, an 802.3 length below 0x0600
 * where the EtherType goes), ENODATA (length 0), EBADMSG (shorter than the
 * 8-byte prefix), EMSGSIZE (the 802.11 frame, FCS included, would exceed
 * max_frame_len; the radiotap header is not counted, so a port with a
 * wire-size limit of its own needs room for it), EFAULT, ENOENT, ENOBUFS,
 * ESHUTDOWN. Returns 0 with rte_errno ENOTCONN when no adapter was set.
 */
uint16_t d11tx_send_eth_burst(struct d11tx_queue *q,
			      const struct d11tx_eth_frame *frames, uint16_t n);

/**
 * Send Ethernet-style frames over the four queues of a port's access
 * categories, in one call: each frame goes to
 * qs[d11tx_dot11_ac_to_queue(d11tx_dot11_tid_to_ac(tid))], a non-QoS
 * frame (tid -1) to best effort's. Frames are taken in order, in runs per
 * queue, with d11tx_send_eth_burst(); the first refused frame ends the
 * call, so the accepted frames are still a prefix of @p frames. All four
 * queues must be owned by the calling thread.
 *
 * @param qs  The queues by TX queue number: VO 0, VI 1, BE 2, BK 3.
 * @return Frames accepted; when fewer than @p n, rte_errno says why the
 *   next one was refused (as d11tx_send_eth_burst()), or EINVAL for a
 *   NULL queue.
 */
uint16_t d11tx_send_eth_burst_ac(struct d11tx_queue *const qs[4],
				 const struct d11tx_eth_frame *frames, uint16_t n);

/**
 * Reserve engine-owned buffers, all or none. MT-safe on a queue that
 * counts references (pipelined mode, D11TX_QF_REFCNT_RECLAIM, net_ring);
 * otherwise from the owning thread only.
 * Fill each with d11tx_buf_data() and d11tx_buf_set(), then submit.
 * @return @p n, or 0 with rte_errno ENOBUFS (or EINVAL: no buffers
 *   configured).
 */
uint16_t d11tx_buf_alloc(struct d11tx_queue *q, struct d11tx_buf **bufs,
			 uint16_t n);

/**
 * Give back reserved buffers that will not be submitted. Same thread rules
 * as d11tx_buf_alloc(). Only buffers the caller holds: the first one that
 * is not stops the call, and it and those after it stay where they are.
 * @return Buffers given back. When fewer than @p n, rte_errno says why
 *   bufs[return] was not: EALREADY (submitted and not completed yet: the
 *   engine has it, and its completion will come), EINVAL (NULL, not from
 *   this queue, or free already; a completed buffer returns to the pool
 *   by itself).
 */
uint16_t d11tx_buf_free(struct d11tx_queue *q, struct d11tx_buf *const bufs[],
			uint16_t n);

/** Bytes of frame room in each engine-owned buffer of @p q. */
uint16_t d11tx_buf_room(const struct d11tx_queue *q);

/**
 * Submit filled engine-owned buffers. Same rules as d11tx_send_burst();
 * buffers not taken stay reserved by the caller (submit or free them).
 * Accepted buffers return to the engine's pool once completed.
 */
uint16_t d11tx_buf_submit(struct d11tx_queue *q, struct d11tx_buf *const bufs[],
			  uint16_t n);

/**
 * The poll-mode step: pull pipelined frames, hand staged frames to the
 * PMD (a partial burst leaves the tail staged), reclaim the frames the
 * PMD released, in bulk, and dispatch their completions, grouped per
 * client. On an idle queue whose PMD frees lazily, asks the PMD to release
 * them after cleanup_interval_us (rte_eth_tx_done_cleanup(), or an empty
 * rte_eth_tx_burst() where the PMD lacks it).
 *
 * @return Completions delivered by this call; 0, doing nothing, when
 *   called from a completion callback of @p q.
 */
uint16_t d11tx_poll(struct d11tx_queue *q);

/**
 * Pipelined mode: send app-owned frames from any thread. MT-safe.
 * The frames go through a multi-producer ring to the owning thread, which
 * stages them at its next d11tx_poll(); completions arrive through the
 * client callbacks on the owning thread. Same return and ownership rules
 * as d11tx_send_burst(); ENOBUFS when the ring is full.
 *
 * Run producers on cores other than the owner's (EAL worker lcores, or
 * threads with their own affinity: a pthread created after rte_eal_init()
 * inherits the main lcore's single-CPU affinity), and let a producer that
 * meets ENOBUFS yield rather than spin when it shares a core.
 */
uint16_t d11tx_pipe_send_burst(struct d11tx_queue *q,
			       const struct d11tx_frame *frames, uint16_t n);

/** Pipelined mode: submit engine-owned buffers from any thread. MT-safe. */
uint16_t d11tx_pipe_buf_submit(struct d11tx_queue *q,
			       struct d11tx_buf *const bufs[], uint16_t n);

/** Copy the queue's counters into @p stats. @return 0 or -EINVAL. */
int d11tx_queue_stats_get(const struct d11tx_queue *q,
			  struct d11tx_queue_stats *stats);

/** Frames accepted and not yet completed (staged, at the NIC, pipelined). */
uint32_t d11tx_queue_inflight(const struct d11tx_queue *q);

/** Name of a status ("sent", "acked", ...), or "unknown". */
const char *d11tx_status_name(unsigned int status);

/** Name of a refusal reason ("full", "region", ...), or "unknown". */
const char *d11tx_refusal_name(unsigned int reason);

/** The errno value that goes with a refusal reason (ENOBUFS, ...). */
int d11tx_refusal_errno(unsigned int reason);

#ifdef __cplusplus
}
#endif

#include <dot11tx/dot11tx_buf.h>

#endif /* DOT11TX_H */
