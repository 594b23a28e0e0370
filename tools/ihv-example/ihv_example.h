/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef IHV_EXAMPLE_H
#define IHV_EXAMPLE_H

/**
 * @file
 * The control protocol of the example IHV extension (ihv_example_ext.c),
 * shared with the program that drives it (dot11tx-ihv-example.c) and the
 * tests.
 *
 * On Windows a UI or an application reaches an IHV extension through
 * WlanIhvControl(), which the WLAN service turns into a call of the
 * extension's Dot11ExtIhvControl handler. Here the host program calls the
 * handler itself, from the host's thread (d11tx_ihv_host_handlers()):
 *
 *     IHV_EXAMPLE_COMMAND cmd = { IHV_EXAMPLE_MAGIC, IHV_EXAMPLE_CMD_START, ... };
 *     IHV_EXAMPLE_STATS stats;
 *     DWORD dwBytes;
 *     dwError = pHandlers->Dot11ExtIhvControl(hIhvExtAdapter,
 *             sizeof(cmd), (PBYTE)&cmd, sizeof(stats), (PBYTE)&stats, &dwBytes);
 *
 * Every command answers with the adapter's IHV_EXAMPLE_STATS when the out
 * buffer holds them (dwBytes then says so), and returns:
 * - ERROR_SUCCESS;
 * - ERROR_INVALID_HANDLE: hIhvExtAdapter is not an adapter of the extension;
 * - ERROR_INVALID_PARAMETER: no command, a wrong magic or size, an unknown
 *   command, a START of 0 packets or of more than IHV_EXAMPLE_MAX_THREADS
 *   threads;
 * - ERROR_BUSY: START while a run is in progress;
 * - ERROR_NOT_SUPPORTED: START asked for batches, and the host did not give
 *   the batched APIs (it calls Dot11txIhvInitBatch only when it has them);
 * - ERROR_INSUFFICIENT_BUFFER: STATS with an out buffer too small.
 *
 * Only wlanihv.h types are used, as in Windows IHV code.
 */

#include "dot11tx/wlanihv.h"

#ifdef __cplusplus
extern "C" {
#endif

/** First DWORD of every command. */
#define IHV_EXAMPLE_MAGIC 0x58454849u       /* "IHEX" */

/**
 * Start a run: send dwCount EAPOL-Key frames (802.1X, EtherType 0x888E)
 * to PeerMac, each in a buffer of Dot11ExtAllocateBuffer.
 * ERROR_NO_SYSTEM_RESOURCES keeps the packet for later; any other send
 * error is counted and ends the run.
 *
 * With usThreads 0, the packets go from the thread of the Control call,
 * as many as the host accepts now, the rest from the completion handler
 * as packets complete. With usThreads N (1 to IHV_EXAMPLE_MAX_THREADS), N
 * threads of the extension's own send them, as a vendor's worker threads
 * would: thread i the packets of replay counter i+1, i+1+N, ..., each
 * from a share of the send contexts it reuses as they complete; the
 * completion handler (on the host's thread) only frees and counts. The
 * run is over when every thread has ended and nothing is in flight.
 */
#define IHV_EXAMPLE_CMD_START 1u
/** Answer the adapter's IHV_EXAMPLE_STATS; changes nothing. */
#define IHV_EXAMPLE_CMD_STATS 2u
/** Try again now to send what the host refused for lack of resources. */
#define IHV_EXAMPLE_CMD_KICK 3u
/** End the run: build no more packets, free the ones not yet sent (the
 *  ones in flight still complete). */
#define IHV_EXAMPLE_CMD_STOP 4u

/** START flag: send with Dot11txSendPackets, dot11tx's batched addition,
 *  up to IHV_EXAMPLE_BATCH packets per call. */
#define IHV_EXAMPLE_START_BATCH 0x1u

/** START flag: now and then (one send call in IHV_EXAMPLE_INJECT_EVERY)
 *  also make a send the host must refuse: a NULL buffer, a length under
 *  8 or past the frame limit, a forged hDot11SvcHandle, an 802.3 length
 *  where the EtherType goes. Each must fail with its documented error
 *  (dwInjected counts them; another answer is an error of the run) and
 *  never complete (its handle is no send context: a completion would
 *  count as a bad one). */
#define IHV_EXAMPLE_START_INJECT 0x2u
/** Send calls per injected bad send. */
#define IHV_EXAMPLE_INJECT_EVERY 64
/** Threads a START may ask for. */
#define IHV_EXAMPLE_MAX_THREADS 8

/** Packets per Dot11txSendPackets call. */
#define IHV_EXAMPLE_BATCH 32
/** Packets an adapter keeps track of at once (sent, or built and waiting). */
#define IHV_EXAMPLE_MAX_OUTSTANDING 4096
/** Bytes of each packet: DA (6), EtherType (2), EAPOL header (4), the
 *  EAPOL-Key body of an RSN 4-way handshake message 2 (95 bytes, then
 *  22 of Key Data: the supplicant's RSN element). */
#define IHV_EXAMPLE_PACKET_LEN 129
/** Entries of IHV_EXAMPLE_STATS.dwStatus. */
#define IHV_EXAMPLE_MAX_STATUS 8

typedef struct _IHV_EXAMPLE_COMMAND {
	DWORD dwMagic;                  /**< IHV_EXAMPLE_MAGIC */
	DWORD dwCommand;                /**< IHV_EXAMPLE_CMD_* */
	DWORD dwCount;                  /**< START: packets to send, >= 1 */
	DWORD dwFlags;                  /**< START: IHV_EXAMPLE_START_* */
	DOT11_MAC_ADDRESS PeerMac;      /**< START: the destination; a station's is its BSSID */
	USHORT usThreads;               /**< START: threads that send, 0 to
	                                     IHV_EXAMPLE_MAX_THREADS (0: none of
	                                     the extension's own) */
} IHV_EXAMPLE_COMMAND, *PIHV_EXAMPLE_COMMAND;

typedef struct _IHV_EXAMPLE_STATS {
	DWORD dwTarget;                 /**< dwCount of the last START */
	DWORD dwPacketsSent;            /**< accepted by the host (each completes once) */
	DWORD dwCompletions;            /**< completions of those */
	DWORD dwErrors;                 /**< sends that failed with another code than
	                                     ERROR_NO_SYSTEM_RESOURCES (each ends the run) */
	DWORD dwLastError;              /**< the code of the last of those */
	DWORD dwNoResources;            /**< ERROR_NO_SYSTEM_RESOURCES answers (retried) */
	DWORD dwPending;                /**< built, waiting to be sent again */
	DWORD dwInFlight;               /**< sent, not yet completed */
	DWORD dwBadCompletions;         /**< completions of a packet not in flight */
	DWORD dwSendCalls;              /**< Dot11ExtSendPacket / Dot11txSendPackets calls */
	DWORD dwCompletionCalls;        /**< Dot11ExtIhvSendPacketCompletion calls */
	DWORD dwBatchCompletionCalls;   /**< Dot11txSendPacketCompletions calls */
	/** Batched completions by status (enum d11tx_status of dot11tx.h:
	 *  0 sent, 1 acked, 2 no ACK, 3 dropped, 4 cancelled). */
	DWORD dwStatus[IHV_EXAMPLE_MAX_STATUS];
	BOOL bRunning;                  /**< a run is in progress */
	BOOL bBatch;                    /**< ... sending with Dot11txSendPackets */
	BOOL bBatchApis;                /**< the host gave the batched APIs */
	DWORD dwThreads;                /**< usThreads of the last START */
	DWORD dwInjected;               /**< bad sends refused as documented */
	/** The ledger: sums of the replay counters (1 to dwCount, one per
	 *  packet) of the packets accepted, and of those completed. Equal
	 *  sums with equal counts: each packet completed once. */
	ULONGLONG ullSeqSumSent;
	ULONGLONG ullSeqSumCompleted;
} IHV_EXAMPLE_STATS, *PIHV_EXAMPLE_STATS;

/* The extension's exported entry points (the host finds them by name in
 * the shared object, or is given them when the extension is linked in). */
DWORD WINAPI Dot11ExtIhvGetVersionInfo(PDOT11_IHV_VERSION_INFO pDot11IHVVersionInfo);
DWORD WINAPI Dot11ExtIhvInitService(DWORD dwVerNumUsed, PDOT11EXT_APIS pDot11ExtAPI,
	LPVOID pvReserved, PDOT11EXT_IHV_HANDLERS pDot11IHVHandlers);
/* dot11tx's own addition (wlanihv.h): the batched APIs and handlers. */
DWORD WINAPI Dot11txIhvInitBatch(const DOT11TX_IHV_BATCH_APIS *pApis,
	PDOT11TX_IHV_BATCH_HANDLERS pHandlers);

#ifdef __cplusplus
}
#endif

#endif
