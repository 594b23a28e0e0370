/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * An example Native WiFi IHV extension, written as Windows IHV code is
 * written: against wlanihv.h alone, with no DPDK or dot11tx call. It runs
 * on dot11tx's IHV host (include/dot11tx/ihv_host.h), linked in or loaded
 * as a shared object, and would build for Windows with wlanihv.h and a
 * .def file exporting its three entry points.
 *
 * What it does: on the Control command START (ihv_example.h) it sends
 * EAPOL-Key frames to a peer (a station's BSSID), each in a buffer of
 * Dot11ExtAllocateBuffer laid out as Dot11ExtSendPacket wants them:
 * destination MAC, EtherType 0x888E in network order, then the EAPOL
 * packet. Each packet's hSendCompletion is its send context; the
 * completion handler frees the buffer with Dot11ExtFreeBuffer, counts, and
 * sends more while the run lasts. A packet refused with
 * ERROR_NO_SYSTEM_RESOURCES is kept and sent again from the next
 * completion (or KICK); any other error is counted and ends the run.
 *
 * With usThreads (ihv_example.h), threads of the extension's own send,
 * each from its share of the send contexts; the completion handler frees
 * the buffer and hands the context back to its thread through the
 * context's state word.
 *
 * Threads: the host calls every handler on its one thread, so the state
 * below needs no lock (on Windows, where the service may call from
 * several threads, it would need a critical section), but for what the
 * sending threads share with the handlers: the contexts' state words and
 * the threads' counters, atomics (the Interlocked functions on Windows,
 * GCC's builtins here).
 */

#define _GNU_SOURCE     /* sched_getcpu, pthread_attr_setaffinity_np */
#include <pthread.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ihv_example.h"

#define EAPOL_VERSION_2004 2
#define EAPOL_TYPE_KEY 3
#define EAPOL_KEY_DESC_RSN 2
/* Key Information of message 2 of the 4-way handshake: descriptor
 * version 2 (HMAC-SHA1-128 / AES key wrap), Pairwise, Key MIC. */
#define EAPOL_KEY_INFO_MSG2 0x010a
/* Offsets in a packet: after the 8-byte DA + EtherType prefix. */
#define OFF_EAPOL 8
#define OFF_KEY_BODY (OFF_EAPOL + 4)
#define EAPOL_KEY_BODY_LEN (IHV_EXAMPLE_PACKET_LEN - OFF_KEY_BODY)
#define OFF_KEY_DATA 95                 /* in the body */

/* The RSN element a WPA2-Personal supplicant puts in message 2: version 1,
 * CCMP group and pairwise ciphers, PSK key management, no capabilities. */
static const UCHAR g_RsnElement[] = {
	0x30, 0x14, 0x01, 0x00,
	0x00, 0x0f, 0xac, 0x04,
	0x01, 0x00, 0x00, 0x0f, 0xac, 0x04,
	0x01, 0x00, 0x00, 0x0f, 0xac, 0x02,
	0x00, 0x00,
};

struct _IHV_ADAPTER;

/* A send context's state word (atomic: in a threaded run the sending
 * thread and the completion handler hand the context to each other). */
#define CTX_FREE 0u          /* nobody's: a thread may take it */
#define CTX_OWNED 1u         /* built by its sender, not accepted (yet) */
#define CTX_IN_FLIGHT 2u     /* the host's, until its completion */

/* One packet of an adapter: the hSendCompletion handed to the host. */
typedef struct _IHV_SEND_CONTEXT {
	struct _IHV_ADAPTER *pAdapter;
	PVOID pvBuffer;                 /* from Dot11ExtAllocateBuffer */
	ULONG uLength;
	DWORD dwSeq;                    /* 1, 2, ...: the EAPOL replay counter */
	DWORD dwState;                  /* CTX_* */
} IHV_SEND_CONTEXT, *PIHV_SEND_CONTEXT;

/* A sending thread of a threaded run. Its counters are written by it
 * alone and read by STATS (on the host's thread): atomics. */
typedef struct _IHV_WORKER {
	struct _IHV_ADAPTER *pAdapter;
	pthread_t hThread;
	DWORD dwIndex;
	DWORD dwFirst, dwContexts;      /* its share of Contexts[] */
	DWORD dwPacketsSent, dwSendCalls, dwNoResources, dwErrors, dwLastError;
	DWORD dwInjected, dwPending;
	ULONGLONG ullSeqSumSent;
	DWORD bDone;                    /* it has ended (release) */
} IHV_WORKER, *PIHV_WORKER;

typedef struct _IHV_ADAPTER {
	struct _IHV_ADAPTER *pNext;
	HANDLE hDot11SvcHandle;
	GUID gAdapterId;
	ULONG uOpMode;

	IHV_SEND_CONTEXT Contexts[IHV_EXAMPLE_MAX_OUTSTANDING];
	DWORD dwFree[IHV_EXAMPLE_MAX_OUTSTANDING];
	DWORD dwFreeCount;

	/* The run. */
	DOT11_MAC_ADDRESS PeerMac;
	DWORD dwBuilt;                  /* packets built so far */
	BOOL bPumping;                  /* inside PumpAdapter() */
	PIHV_SEND_CONTEXT Pending[IHV_EXAMPLE_BATCH];   /* built, not yet accepted */
	DWORD dwPendingCount;
	BOOL bInject;                   /* IHV_EXAMPLE_START_INJECT */
	DWORD dwInjectCalls;            /* send calls, for the injection */

	/* A threaded run: its threads, until joined. */
	IHV_WORKER Workers[IHV_EXAMPLE_MAX_THREADS];
	DWORD dwLiveThreads;
	DWORD bQuit;                    /* atomic: the threads end */

	/* The host thread's (handlers and Control); in a threaded run the
	 * send counters are the workers' and dwInFlight is derived. */
	IHV_EXAMPLE_STATS Stats;
} IHV_ADAPTER, *PIHV_ADAPTER;

static DOT11EXT_APIS g_Apis;
static BOOL g_bServiceUp;
static DOT11TX_IHV_BATCH_APIS g_BatchApis;
static BOOL g_bBatchApis;
static PIHV_ADAPTER g_pAdapters;
/* Completions whose handle is no send context of any adapter. */
static DWORD g_dwStrayCompletions;
/* The hSendCompletion of the injected bad sends: no send context. */
static UCHAR g_InjectMarker;

static DWORD
LoadAcquire(const DWORD *p)
{
	return __atomic_load_n(p, __ATOMIC_ACQUIRE);
}

static VOID
StoreRelease(DWORD *p, DWORD v)
{
	__atomic_store_n(p, v, __ATOMIC_RELEASE);
}

/* A counter of one writer that another thread reads. */
static VOID
CounterAdd(DWORD *p, DWORD v)
{
	__atomic_store_n(p, __atomic_load_n(p, __ATOMIC_RELAXED) + v, __ATOMIC_RELAXED);
}

static DWORD
CounterRead(const DWORD *p)
{
	return __atomic_load_n(p, __ATOMIC_RELAXED);
}

/* ---------- adapters and send contexts ---------- */

static PIHV_ADAPTER
FindAdapter(HANDLE hIhvExtAdapter)
{
	for (PIHV_ADAPTER p = g_pAdapters; p != NULL; p = p->pNext)
		if ((HANDLE)p == hIhvExtAdapter)
			return p;
	return NULL;
}

/* The send context a completion handle stands for, or NULL. */
static PIHV_SEND_CONTEXT
ContextOfHandle(HANDLE hSendCompletion)
{
	for (PIHV_ADAPTER p = g_pAdapters; p != NULL; p = p->pNext) {
		const char *pFirst = (const char *)&p->Contexts[0];
		const char *pEnd = (const char *)&p->Contexts[IHV_EXAMPLE_MAX_OUTSTANDING];
		const char *h = (const char *)hSendCompletion;

		if (h >= pFirst && h < pEnd &&
		    (size_t)(h - pFirst) % sizeof(IHV_SEND_CONTEXT) == 0)
			return (PIHV_SEND_CONTEXT)hSendCompletion;
	}
	return NULL;
}

static VOID
PutContext(PIHV_ADAPTER pAdapter, PIHV_SEND_CONTEXT pCtx)
{
	if (pCtx->pvBuffer != NULL)
		g_Apis.Dot11ExtFreeBuffer(pCtx->pvBuffer);
	pCtx->pvBuffer = NULL;
	pCtx->dwState = CTX_FREE;
	pAdapter->dwFree[pAdapter->dwFreeCount++] = (DWORD)(pCtx - pAdapter->Contexts);
}

/* An EAPOL-Key frame (message 2 of the 4-way handshake, as a supplicant
 * sends it) to the run's peer, with replay counter @p dwSeq. Key Nonce and
 * MIC are filler: nobody checks them here. */
_Static_assert(OFF_KEY_BODY + OFF_KEY_DATA + sizeof(g_RsnElement) == IHV_EXAMPLE_PACKET_LEN,
	       "the packet is the EAPOL-Key frame");
static VOID
BuildEapolKey(PIHV_ADAPTER pAdapter, PUCHAR p, DWORD dwSeq)
{
	PDOT11_SECURITY_PACKET_HEADER pHeader = (PDOT11_SECURITY_PACKET_HEADER)p;
	PUCHAR pBody = p + OFF_KEY_BODY;

	memset(p, 0, IHV_EXAMPLE_PACKET_LEN);
	memcpy(pHeader->PeerMac, pAdapter->PeerMac, sizeof(DOT11_MAC_ADDRESS));
	/* usEtherType is in network order, whatever the CPU's. */
	((PUCHAR)&pHeader->usEtherType)[0] = 0x88;
	((PUCHAR)&pHeader->usEtherType)[1] = 0x8e;
	p[OFF_EAPOL + 0] = EAPOL_VERSION_2004;
	p[OFF_EAPOL + 1] = EAPOL_TYPE_KEY;
	p[OFF_EAPOL + 2] = (UCHAR)(EAPOL_KEY_BODY_LEN >> 8);
	p[OFF_EAPOL + 3] = (UCHAR)EAPOL_KEY_BODY_LEN;
	pBody[0] = EAPOL_KEY_DESC_RSN;
	pBody[1] = (UCHAR)(EAPOL_KEY_INFO_MSG2 >> 8);
	pBody[2] = (UCHAR)EAPOL_KEY_INFO_MSG2;
	/* Key Length 0 (message 2); Replay Counter, 8 bytes big-endian. */
	pBody[9] = (UCHAR)(dwSeq >> 24);
	pBody[10] = (UCHAR)(dwSeq >> 16);
	pBody[11] = (UCHAR)(dwSeq >> 8);
	pBody[12] = (UCHAR)dwSeq;
	for (int i = 0; i < 32; i++)                    /* Key Nonce */
		pBody[13 + i] = (UCHAR)(dwSeq * 131u + (DWORD)i * 7u);
	for (int i = 0; i < 16; i++)                    /* Key MIC */
		pBody[77 + i] = (UCHAR)(dwSeq ^ (DWORD)(0xa5 + i));
	pBody[93] = 0;                                  /* Key Data Length */
	pBody[94] = sizeof(g_RsnElement);
	memcpy(pBody + OFF_KEY_DATA, g_RsnElement, sizeof(g_RsnElement));
}

/* A new packet of the run, or NULL when no send context or buffer is
 * free now (completions will free some). Sets *pdwError on a failure
 * that must end the run. */
static PIHV_SEND_CONTEXT
BuildPacket(PIHV_ADAPTER pAdapter, DWORD *pdwError)
{
	PIHV_SEND_CONTEXT pCtx;
	LPVOID pvBuffer = NULL;
	DWORD dwError;

	*pdwError = ERROR_SUCCESS;
	if (pAdapter->dwFreeCount == 0)
		return NULL;
	dwError = g_Apis.Dot11ExtAllocateBuffer(IHV_EXAMPLE_PACKET_LEN, &pvBuffer);
	if (dwError != ERROR_SUCCESS) {
		*pdwError = dwError;
		return NULL;
	}
	pCtx = &pAdapter->Contexts[pAdapter->dwFree[--pAdapter->dwFreeCount]];
	pCtx->pvBuffer = pvBuffer;
	pCtx->uLength = IHV_EXAMPLE_PACKET_LEN;
	pCtx->dwSeq = ++pAdapter->dwBuilt;
	pCtx->dwState = CTX_OWNED;
	BuildEapolKey(pAdapter, pvBuffer, pCtx->dwSeq);
	return pCtx;
}

/* Packets the host must refuse (IHV_EXAMPLE_START_INJECT): DA, then an
 * EtherType or, in the second, an 802.3 length. Never written: a wrong
 * acceptance copies them or sends them as they are. */
static const UCHAR g_OversizePacket[16384] = { 2, 0, 0, 0, 0, 1, 0x88, 0x8e };
static const UCHAR g_Ieee8023Packet[IHV_EXAMPLE_PACKET_LEN] = { 2, 0, 0, 0, 0, 1, 0x05, 0xdc };

/* Bad send number @p k of a run, through the API the run sends with.
 * ERROR_SUCCESS when the host refused it as documented, else what to
 * count as the run's error. */
static DWORD
InjectBadSend(PIHV_ADAPTER pAdapter, BOOL bBatch, DWORD k)
{
	HANDLE hSvc = pAdapter->hDot11SvcHandle;
	LPVOID pvPacket = (LPVOID)g_Ieee8023Packet;
	ULONG uLen = IHV_EXAMPLE_PACKET_LEN, uSent = 0;
	DWORD dwWant, dwGot;

	switch (k % 5) {
	case 0:
		pvPacket = NULL;
		dwWant = ERROR_INVALID_PARAMETER;
		break;
	case 1:
		pvPacket = (LPVOID)g_OversizePacket;
		uLen = 3;
		dwWant = ERROR_BAD_LENGTH;
		break;
	case 2:
		pvPacket = (LPVOID)g_OversizePacket;
		uLen = sizeof(g_OversizePacket);
		dwWant = ERROR_BAD_LENGTH;
		break;
	case 3:
		pvPacket = (LPVOID)g_OversizePacket;
		hSvc = (HANDLE)&g_InjectMarker;
		dwWant = ERROR_INVALID_HANDLE;
		break;
	default:
		dwWant = ERROR_INVALID_PARAMETER;
		break;
	}
	if (bBatch) {
		HANDLE h = (HANDLE)&g_InjectMarker;

		dwGot = g_BatchApis.Dot11txSendPackets(hSvc, 1, &uLen, &pvPacket, &h, &uSent);
	} else {
		dwGot = g_Apis.Dot11ExtSendPacket(hSvc, uLen, pvPacket, (HANDLE)&g_InjectMarker);
	}
	if (dwGot == dwWant && uSent == 0)
		return ERROR_SUCCESS;
	return dwGot != ERROR_SUCCESS ? dwGot : ERROR_INVALID_DATA;
}

/* One send call for built packets @p ppCtx[0, dwCount): Dot11txSendPackets
 * (batch) or Dot11ExtSendPacket (the first alone). *puSent: how many the
 * host accepted, from the first. */
static DWORD
SendPending(PIHV_ADAPTER pAdapter, BOOL bBatch, PIHV_SEND_CONTEXT const *ppCtx,
	    DWORD dwCount, ULONG *puSent)
{
	ULONG uLens[IHV_EXAMPLE_BATCH];
	LPVOID pvPackets[IHV_EXAMPLE_BATCH];
	HANDLE hCompletions[IHV_EXAMPLE_BATCH];
	DWORD dwError;

	if (!bBatch) {
		dwError = g_Apis.Dot11ExtSendPacket(pAdapter->hDot11SvcHandle,
			ppCtx[0]->uLength, ppCtx[0]->pvBuffer, (HANDLE)ppCtx[0]);
		*puSent = dwError == ERROR_SUCCESS ? 1 : 0;
		return dwError;
	}
	for (DWORD i = 0; i < dwCount; i++) {
		uLens[i] = ppCtx[i]->uLength;
		pvPackets[i] = ppCtx[i]->pvBuffer;
		hCompletions[i] = (HANDLE)ppCtx[i];
	}
	*puSent = 0;
	return g_BatchApis.Dot11txSendPackets(pAdapter->hDot11SvcHandle, dwCount, uLens,
					      pvPackets, hCompletions, puSent);
}

/* Drop the packets built and not sent. */
static VOID
DiscardPending(PIHV_ADAPTER pAdapter)
{
	for (DWORD i = 0; i < pAdapter->dwPendingCount; i++)
		PutContext(pAdapter, pAdapter->Pending[i]);
	pAdapter->dwPendingCount = 0;
	pAdapter->Stats.dwPending = 0;
}

static VOID
EndRun(PIHV_ADAPTER pAdapter, DWORD dwError)
{
	if (dwError != ERROR_SUCCESS) {
		pAdapter->Stats.dwErrors++;
		pAdapter->Stats.dwLastError = dwError;
	}
	DiscardPending(pAdapter);
	pAdapter->Stats.bRunning = FALSE;
}

/* Send what the run still has to send, until the host says it has no room
 * (ERROR_NO_SYSTEM_RESOURCES: keep the packets, try again later), the run
 * is done, or a send fails (ends the run). */
static VOID
PumpAdapter(PIHV_ADAPTER pAdapter)
{
	IHV_EXAMPLE_STATS *pStats = &pAdapter->Stats;
	const DWORD dwPerCall = pStats->bBatch ? IHV_EXAMPLE_BATCH : 1;

	/* A completion handler that runs inside a send of ours must not send;
	 * in a threaded run the threads send. */
	if (pAdapter->bPumping || pStats->dwThreads != 0)
		return;
	pAdapter->bPumping = TRUE;
	while (pStats->bRunning) {
		DWORD dwError = ERROR_SUCCESS;
		ULONG uSent = 0;

		/* Fill the pending list up to one call's worth. */
		while (pAdapter->dwPendingCount < dwPerCall &&
		       pAdapter->dwBuilt < pStats->dwTarget) {
			PIHV_SEND_CONTEXT pCtx = BuildPacket(pAdapter, &dwError);

			if (pCtx == NULL)
				break;
			pAdapter->Pending[pAdapter->dwPendingCount++] = pCtx;
		}
		if (dwError != ERROR_SUCCESS) {
			EndRun(pAdapter, dwError);
			break;
		}
		if (pAdapter->dwPendingCount == 0) {
			/* All sent, or no send context free: wait for completions. */
			if (pAdapter->dwBuilt == pStats->dwTarget && pStats->dwInFlight == 0)
				pStats->bRunning = FALSE;
			break;
		}

		if (pAdapter->bInject &&
		    ++pAdapter->dwInjectCalls % IHV_EXAMPLE_INJECT_EVERY == 0) {
			dwError = InjectBadSend(pAdapter, pStats->bBatch,
						pAdapter->dwInjectCalls / IHV_EXAMPLE_INJECT_EVERY);
			if (dwError != ERROR_SUCCESS) {
				EndRun(pAdapter, dwError);
				break;
			}
			pStats->dwInjected++;
		}
		/* In flight before the call: a completion may come inside it. */
		for (DWORD i = 0; i < pAdapter->dwPendingCount; i++)
			pAdapter->Pending[i]->dwState = CTX_IN_FLIGHT;
		dwError = SendPending(pAdapter, pStats->bBatch, pAdapter->Pending,
				      pAdapter->dwPendingCount, &uSent);
		pStats->dwSendCalls++;

		/* The first uSent are the host's until they complete. */
		for (ULONG i = 0; i < uSent; i++)
			pStats->ullSeqSumSent += pAdapter->Pending[i]->dwSeq;
		for (ULONG i = uSent; i < pAdapter->dwPendingCount; i++)
			pAdapter->Pending[i]->dwState = CTX_OWNED;
		pStats->dwPacketsSent += uSent;
		pStats->dwInFlight += uSent;
		pAdapter->dwPendingCount -= uSent;
		memmove(pAdapter->Pending, pAdapter->Pending + uSent,
			pAdapter->dwPendingCount * sizeof(pAdapter->Pending[0]));
		pStats->dwPending = pAdapter->dwPendingCount;

		if (dwError == ERROR_NO_SYSTEM_RESOURCES) {
			pStats->dwNoResources++;
			break;
		}
		if (dwError != ERROR_SUCCESS) {
			EndRun(pAdapter, dwError);
			break;
		}
	}
	pAdapter->bPumping = FALSE;
}

/* One packet is done: free its buffer, count it; in a threaded run, hand
 * the context back to its thread. */
static PIHV_ADAPTER
CompleteOne(HANDLE hSendCompletion)
{
	PIHV_SEND_CONTEXT pCtx = ContextOfHandle(hSendCompletion);
	PIHV_ADAPTER pAdapter;
	DWORD dwExpected = CTX_IN_FLIGHT;

	if (pCtx == NULL) {
		g_dwStrayCompletions++;
		return NULL;
	}
	pAdapter = pCtx->pAdapter;
	if (!__atomic_compare_exchange_n(&pCtx->dwState, &dwExpected, CTX_OWNED, 0,
					 __ATOMIC_ACQUIRE, __ATOMIC_RELAXED)) {
		pAdapter->Stats.dwBadCompletions++;
		return pAdapter;
	}
	pAdapter->Stats.dwCompletions++;
	pAdapter->Stats.ullSeqSumCompleted += pCtx->dwSeq;
	if (pAdapter->Stats.dwThreads != 0) {
		g_Apis.Dot11ExtFreeBuffer(pCtx->pvBuffer);
		pCtx->pvBuffer = NULL;
		StoreRelease(&pCtx->dwState, CTX_FREE);
		return pAdapter;
	}
	PutContext(pAdapter, pCtx);
	pAdapter->Stats.dwInFlight--;
	return pAdapter;
}

/* ---------- threaded runs ---------- */

static VOID
WorkerFail(PIHV_WORKER w, DWORD dwError)
{
	CounterAdd(&w->dwErrors, 1);
	__atomic_store_n(&w->dwLastError, dwError, __ATOMIC_RELAXED);
	/* An error ends the run: every thread. */
	__atomic_store_n(&w->pAdapter->bQuit, TRUE, __ATOMIC_RELAXED);
}

/* A sending thread: its packets (replay counters dwIndex+1, +N, ...) from
 * its contexts in turn, each taken when its completion has handed it
 * back; waits (yields) for contexts and for room in the host. */
static void *
WorkerMain(void *pv)
{
	PIHV_WORKER w = pv;
	PIHV_ADAPTER pAdapter = w->pAdapter;
	const IHV_EXAMPLE_STATS *pStats = &pAdapter->Stats;
	const DWORD dwTarget = pStats->dwTarget, dwStride = pStats->dwThreads;
	const BOOL bBatch = pStats->bBatch;
	const DWORD dwPerCall = bBatch ? IHV_EXAMPLE_BATCH : 1;
	PIHV_SEND_CONTEXT Pending[IHV_EXAMPLE_BATCH];
	DWORD dwPending = 0, dwCursor = 0, dwCalls = 0;
	ULONGLONG ullSeq = w->dwIndex + 1;

	while (!__atomic_load_n(&pAdapter->bQuit, __ATOMIC_RELAXED)) {
		DWORD dwError = ERROR_SUCCESS;
		ULONG uSent = 0;
		ULONGLONG ullSum = 0;

		while (dwPending < dwPerCall && ullSeq <= dwTarget) {
			PIHV_SEND_CONTEXT pCtx = &pAdapter->Contexts[w->dwFirst + dwCursor];
			LPVOID pvBuffer = NULL;

			if (LoadAcquire(&pCtx->dwState) != CTX_FREE)
				break;          /* still the host's */
			dwError = g_Apis.Dot11ExtAllocateBuffer(IHV_EXAMPLE_PACKET_LEN, &pvBuffer);
			if (dwError != ERROR_SUCCESS)
				break;
			pCtx->pvBuffer = pvBuffer;
			pCtx->uLength = IHV_EXAMPLE_PACKET_LEN;
			pCtx->dwSeq = (DWORD)ullSeq;
			pCtx->dwState = CTX_OWNED;
			BuildEapolKey(pAdapter, pvBuffer, pCtx->dwSeq);
			Pending[dwPending++] = pCtx;
			dwCursor = (dwCursor + 1) % w->dwContexts;
			ullSeq += dwStride;
		}
		__atomic_store_n(&w->dwPending, dwPending, __ATOMIC_RELAXED);
		if (dwError != ERROR_SUCCESS) {
			WorkerFail(w, dwError);
			break;
		}
		if (dwPending == 0) {
			if (ullSeq > dwTarget)
				break;          /* all of its packets accepted */
			sched_yield();          /* no context free: completions come */
			continue;
		}
		if (pAdapter->bInject && ++dwCalls % IHV_EXAMPLE_INJECT_EVERY == 0) {
			dwError = InjectBadSend(pAdapter, bBatch,
						w->dwIndex + dwCalls / IHV_EXAMPLE_INJECT_EVERY);
			if (dwError != ERROR_SUCCESS) {
				WorkerFail(w, dwError);
				break;
			}
			CounterAdd(&w->dwInjected, 1);
		}
		/* The host's from the call on: its completion may come on the
		 * host's thread before the call returns here. */
		for (DWORD i = 0; i < dwPending; i++)
			StoreRelease(&Pending[i]->dwState, CTX_IN_FLIGHT);
		dwError = SendPending(pAdapter, bBatch, Pending, dwPending, &uSent);
		/* Those refused were never the host's: no completion comes. */
		for (DWORD i = uSent; i < dwPending; i++)
			__atomic_store_n(&Pending[i]->dwState, CTX_OWNED, __ATOMIC_RELAXED);
		for (ULONG i = 0; i < uSent; i++)
			ullSum += Pending[i]->dwSeq;
		CounterAdd(&w->dwSendCalls, 1);
		CounterAdd(&w->dwPacketsSent, uSent);
		__atomic_store_n(&w->ullSeqSumSent,
				 __atomic_load_n(&w->ullSeqSumSent, __ATOMIC_RELAXED) + ullSum,
				 __ATOMIC_RELAXED);
		dwPending -= uSent;
		memmove(Pending, Pending + uSent, dwPending * sizeof(Pending[0]));
		__atomic_store_n(&w->dwPending, dwPending, __ATOMIC_RELAXED);
		if (dwError == ERROR_NO_SYSTEM_RESOURCES) {
			CounterAdd(&w->dwNoResources, 1);
			sched_yield();          /* the host thread drains */
		} else if (dwError != ERROR_SUCCESS) {
			WorkerFail(w, dwError);
			break;
		}
	}
	/* Built and never accepted: freed. */
	for (DWORD i = 0; i < dwPending; i++) {
		g_Apis.Dot11ExtFreeBuffer(Pending[i]->pvBuffer);
		Pending[i]->pvBuffer = NULL;
		StoreRelease(&Pending[i]->dwState, CTX_FREE);
	}
	__atomic_store_n(&w->dwPending, 0, __ATOMIC_RELAXED);
	StoreRelease(&w->bDone, TRUE);
	return NULL;
}

/* Join the run's threads: when all have ended, or (bWait) after telling
 * them to end. The run is over then. */
static VOID
ReapWorkers(PIHV_ADAPTER pAdapter, BOOL bWait)
{
	if (pAdapter->dwLiveThreads == 0)
		return;
	if (bWait)
		__atomic_store_n(&pAdapter->bQuit, TRUE, __ATOMIC_RELAXED);
	else
		for (DWORD i = 0; i < pAdapter->dwLiveThreads; i++)
			if (!LoadAcquire(&pAdapter->Workers[i].bDone))
				return;
	for (DWORD i = 0; i < pAdapter->dwLiveThreads; i++)
		pthread_join(pAdapter->Workers[i].hThread, NULL);
	pAdapter->dwLiveThreads = 0;
	pAdapter->Stats.bRunning = FALSE;
}

/* A thread inherits the CPU affinity of the thread that creates it, and
 * the host's thread is a DPDK lcore, pinned to one CPU: the workers get
 * every online CPU but that one (all of them on a machine of one). On
 * Windows, CreateThread's threads go where the scheduler puts them. */
static VOID
WorkerCpus(pthread_attr_t *pAttr)
{
	const int self = sched_getcpu();
	cpu_set_t cpus;

	CPU_ZERO(&cpus);
	for (long c = 0; c < sysconf(_SC_NPROCESSORS_ONLN) && c < CPU_SETSIZE; c++)
		if (c != self)
			CPU_SET((int)c, &cpus);
	if (CPU_COUNT(&cpus) == 0)
		for (long c = 0; c < sysconf(_SC_NPROCESSORS_ONLN) && c < CPU_SETSIZE; c++)
			CPU_SET((int)c, &cpus);
	pthread_attr_setaffinity_np(pAttr, sizeof(cpus), &cpus);
}

static DWORD
StartWorkers(PIHV_ADAPTER pAdapter, DWORD dwThreads)
{
	const DWORD dwShare = IHV_EXAMPLE_MAX_OUTSTANDING / dwThreads;
	pthread_attr_t attr;
	DWORD dwError = ERROR_SUCCESS;

	if (pthread_attr_init(&attr) != 0)
		return ERROR_NOT_ENOUGH_MEMORY;
	WorkerCpus(&attr);
	pAdapter->bQuit = FALSE;
	for (DWORD i = 0; i < dwThreads; i++) {
		PIHV_WORKER w = &pAdapter->Workers[i];

		memset(w, 0, sizeof(*w));
		w->pAdapter = pAdapter;
		w->dwIndex = i;
		w->dwFirst = i * dwShare;
		w->dwContexts = dwShare;
		if (pthread_create(&w->hThread, &attr, WorkerMain, w) != 0) {
			ReapWorkers(pAdapter, TRUE);
			dwError = ERROR_NOT_ENOUGH_MEMORY;
			break;
		}
		pAdapter->dwLiveThreads = i + 1;
	}
	pthread_attr_destroy(&attr);
	return dwError;
}

/* The adapter's STATS as Control answers them: in a threaded run, with
 * the threads' counters. */
static VOID
SnapshotStats(PIHV_ADAPTER pAdapter, IHV_EXAMPLE_STATS *pOut)
{
	*pOut = pAdapter->Stats;
	pOut->dwBadCompletions += g_dwStrayCompletions;
	if (pOut->dwThreads == 0)
		return;
	for (DWORD i = 0; i < pOut->dwThreads; i++) {
		PIHV_WORKER w = &pAdapter->Workers[i];
		const DWORD dwLastError = CounterRead(&w->dwLastError);

		pOut->dwPacketsSent += CounterRead(&w->dwPacketsSent);
		pOut->dwSendCalls += CounterRead(&w->dwSendCalls);
		pOut->dwNoResources += CounterRead(&w->dwNoResources);
		pOut->dwErrors += CounterRead(&w->dwErrors);
		pOut->dwInjected += CounterRead(&w->dwInjected);
		pOut->dwPending += CounterRead(&w->dwPending);
		pOut->ullSeqSumSent += __atomic_load_n(&w->ullSeqSumSent, __ATOMIC_RELAXED);
		if (dwLastError != ERROR_SUCCESS)
			pOut->dwLastError = dwLastError;
	}
	/* A completion may be counted before its send call returned. */
	pOut->dwInFlight = pOut->dwPacketsSent > pOut->dwCompletions ?
			   pOut->dwPacketsSent - pOut->dwCompletions : 0;
}

/* ---------- send-path handlers ---------- */

static DWORD WINAPI
IhvSendPacketCompletion(HANDLE hSendCompletion)
{
	PIHV_ADAPTER pAdapter = CompleteOne(hSendCompletion);

	if (pAdapter == NULL)
		return ERROR_INVALID_HANDLE;
	pAdapter->Stats.dwCompletionCalls++;
	PumpAdapter(pAdapter);
	return ERROR_SUCCESS;
}

/* dot11tx's batched completions: the same, once per call. */
static VOID WINAPI
IhvSendPacketCompletions(ULONG uCount, HANDLE const *phSendCompletions,
			 const UCHAR *pucStatus)
{
	PIHV_ADAPTER pLast = NULL;

	for (ULONG i = 0; i < uCount; i++) {
		PIHV_ADAPTER pAdapter = CompleteOne(phSendCompletions[i]);

		if (pAdapter == NULL)
			continue;
		if (pAdapter != pLast)
			pAdapter->Stats.dwBatchCompletionCalls++;
		pAdapter->Stats.dwStatus[pucStatus[i] < IHV_EXAMPLE_MAX_STATUS ?
					 pucStatus[i] : IHV_EXAMPLE_MAX_STATUS - 1]++;
		pLast = pAdapter;
	}
	/* One call holds the packets of one adapter (one dot11tx queue). */
	if (pLast != NULL)
		PumpAdapter(pLast);
}

static DWORD WINAPI
IhvInitAdapter(PDOT11_ADAPTER pDot11Adapter, HANDLE hDot11SvcHandle,
	       PHANDLE phIhvExtAdapter)
{
	PIHV_ADAPTER pAdapter;

	if (pDot11Adapter == NULL || phIhvExtAdapter == NULL)
		return ERROR_INVALID_PARAMETER;
	pAdapter = calloc(1, sizeof(*pAdapter));
	if (pAdapter == NULL)
		return ERROR_NOT_ENOUGH_MEMORY;
	pAdapter->hDot11SvcHandle = hDot11SvcHandle;
	pAdapter->gAdapterId = pDot11Adapter->gAdapterId;
	pAdapter->uOpMode = pDot11Adapter->Dot11CurrentOpMode.uCurrentOpMode;
	for (DWORD i = 0; i < IHV_EXAMPLE_MAX_OUTSTANDING; i++) {
		pAdapter->Contexts[i].pAdapter = pAdapter;
		pAdapter->dwFree[pAdapter->dwFreeCount++] = IHV_EXAMPLE_MAX_OUTSTANDING - 1 - i;
	}
	pAdapter->Stats.bBatchApis = g_bBatchApis;
	pAdapter->pNext = g_pAdapters;
	g_pAdapters = pAdapter;
	*phIhvExtAdapter = (HANDLE)pAdapter;
	return ERROR_SUCCESS;
}

/* The host has completed every packet of the adapter by now; what is left
 * is what was built and never accepted. */
static VOID WINAPI
IhvDeinitAdapter(HANDLE hIhvExtAdapter)
{
	PIHV_ADAPTER pAdapter = FindAdapter(hIhvExtAdapter);
	PIHV_ADAPTER *pp;

	if (pAdapter == NULL)
		return;
	ReapWorkers(pAdapter, TRUE);
	DiscardPending(pAdapter);
	for (pp = &g_pAdapters; *pp != pAdapter; pp = &(*pp)->pNext)
		;
	*pp = pAdapter->pNext;
	free(pAdapter);
}

static VOID WINAPI
IhvDeinitService(VOID)
{
	while (g_pAdapters != NULL)
		IhvDeinitAdapter((HANDLE)g_pAdapters);
	memset(&g_Apis, 0, sizeof(g_Apis));
	memset(&g_BatchApis, 0, sizeof(g_BatchApis));
	g_bBatchApis = FALSE;
	g_bServiceUp = FALSE;
	g_dwStrayCompletions = 0;
}

/* ---------- Control: the run's commands ---------- */

static DWORD WINAPI
IhvControl(HANDLE hIhvExtAdapter, DWORD dwInBufferSize, PBYTE pInBuffer,
	   DWORD dwOutBufferSize, PBYTE pOutBuffer, PDWORD pdwBytesReturned)
{
	PIHV_ADAPTER pAdapter = FindAdapter(hIhvExtAdapter);
	IHV_EXAMPLE_COMMAND cmd;
	IHV_EXAMPLE_STATS snap;
	DWORD dwError = ERROR_SUCCESS;

	if (pdwBytesReturned != NULL)
		*pdwBytesReturned = 0;
	if (pAdapter == NULL)
		return ERROR_INVALID_HANDLE;
	if (pInBuffer == NULL || dwInBufferSize != sizeof(cmd))
		return ERROR_INVALID_PARAMETER;
	memcpy(&cmd, pInBuffer, sizeof(cmd));
	if (cmd.dwMagic != IHV_EXAMPLE_MAGIC)
		return ERROR_INVALID_PARAMETER;

	switch (cmd.dwCommand) {
	case IHV_EXAMPLE_CMD_START:
		if (cmd.dwCount == 0 || cmd.usThreads > IHV_EXAMPLE_MAX_THREADS ||
		    (cmd.dwFlags & ~(IHV_EXAMPLE_START_BATCH | IHV_EXAMPLE_START_INJECT)) != 0)
			return ERROR_INVALID_PARAMETER;
		ReapWorkers(pAdapter, FALSE);
		SnapshotStats(pAdapter, &snap);
		if (snap.bRunning || snap.dwInFlight != 0)
			return ERROR_BUSY;
		if ((cmd.dwFlags & IHV_EXAMPLE_START_BATCH) && !g_bBatchApis)
			return ERROR_NOT_SUPPORTED;
		/* A new run: new counters (the send contexts are all free). */
		memset(&pAdapter->Stats, 0, sizeof(pAdapter->Stats));
		pAdapter->Stats.bBatchApis = g_bBatchApis;
		pAdapter->Stats.dwTarget = cmd.dwCount;
		pAdapter->Stats.bBatch = (cmd.dwFlags & IHV_EXAMPLE_START_BATCH) != 0;
		pAdapter->Stats.bRunning = TRUE;
		pAdapter->Stats.dwThreads = cmd.usThreads;
		pAdapter->bInject = (cmd.dwFlags & IHV_EXAMPLE_START_INJECT) != 0;
		pAdapter->dwInjectCalls = 0;
		pAdapter->dwBuilt = 0;
		memcpy(pAdapter->PeerMac, cmd.PeerMac, sizeof(DOT11_MAC_ADDRESS));
		if (cmd.usThreads == 0) {
			PumpAdapter(pAdapter);
			break;
		}
		dwError = StartWorkers(pAdapter, cmd.usThreads);
		if (dwError != ERROR_SUCCESS) {
			pAdapter->Stats.bRunning = FALSE;
			return dwError;
		}
		break;
	case IHV_EXAMPLE_CMD_STATS:
		if (pOutBuffer == NULL || dwOutBufferSize < sizeof(IHV_EXAMPLE_STATS))
			return ERROR_INSUFFICIENT_BUFFER;
		break;
	case IHV_EXAMPLE_CMD_KICK:
		PumpAdapter(pAdapter);
		break;
	case IHV_EXAMPLE_CMD_STOP:
		if (pAdapter->dwLiveThreads != 0)
			__atomic_store_n(&pAdapter->bQuit, TRUE, __ATOMIC_RELAXED);
		else if (pAdapter->Stats.bRunning)
			EndRun(pAdapter, ERROR_SUCCESS);
		break;
	default:
		return ERROR_INVALID_PARAMETER;
	}
	/* A threaded run is over when its threads have ended. */
	ReapWorkers(pAdapter, FALSE);
	if (pOutBuffer != NULL && dwOutBufferSize >= sizeof(IHV_EXAMPLE_STATS)) {
		SnapshotStats(pAdapter, &snap);
		memcpy(pOutBuffer, &snap, sizeof(snap));
		if (pdwBytesReturned != NULL)
			*pdwBytesReturned = sizeof(snap);
	}
	return dwError;
}

/* ---------- the rest of the interface ---------- */

static VOID
NoReason(PDWORD pdwReasonCode)
{
	if (pdwReasonCode != NULL)
		*pdwReasonCode = 0;   /* L2_REASON_CODE_SUCCESS */
}

/* Connection set-up and profiles belong to the parts of the interface the
 * example does not take part in: the service goes on without the IHV. */
static DWORD WINAPI
IhvPerformPreAssociate(HANDLE hIhvExtAdapter, HANDLE hConnectSession,
		       PDOT11EXT_IHV_PROFILE_PARAMS pIhvProfileParams,
		       PDOT11EXT_IHV_CONNECTIVITY_PROFILE pIhvConnProfile,
		       PDOT11EXT_IHV_SECURITY_PROFILE pIhvSecProfile,
		       PDOT11_BSS_LIST pConnectableBssid, PDWORD pdwReasonCode)
{
	(void)hIhvExtAdapter; (void)hConnectSession; (void)pIhvProfileParams;
	(void)pIhvConnProfile; (void)pIhvSecProfile; (void)pConnectableBssid;
	NoReason(pdwReasonCode);
	return ERROR_NOT_SUPPORTED;
}

/* A reset ends the run; packets in flight still complete. */
static DWORD WINAPI
IhvAdapterReset(HANDLE hIhvExtAdapter)
{
	PIHV_ADAPTER pAdapter = FindAdapter(hIhvExtAdapter);

	if (pAdapter == NULL)
		return ERROR_INVALID_HANDLE;
	if (pAdapter->dwLiveThreads != 0)
		ReapWorkers(pAdapter, TRUE);
	else if (pAdapter->Stats.bRunning)
		EndRun(pAdapter, ERROR_SUCCESS);
	return ERROR_SUCCESS;
}

static DWORD WINAPI
IhvPerformPostAssociate(HANDLE hIhvExtAdapter, HANDLE hSecuritySessionID,
			PDOT11_PORT_STATE pPortState, ULONG uDot11AssocParamsBytes,
			PDOT11_ASSOCIATION_COMPLETION_PARAMETERS pDot11AssocParams)
{
	(void)hIhvExtAdapter; (void)hSecuritySessionID; (void)pPortState;
	(void)uDot11AssocParamsBytes; (void)pDot11AssocParams;
	return ERROR_NOT_SUPPORTED;
}

static DWORD WINAPI
IhvStopPostAssociate(HANDLE hIhvExtAdapter, PDOT11_MAC_ADDRESS pPeer,
		     DOT11_ASSOC_STATUS dot11AssocStatus)
{
	(void)pPeer; (void)dot11AssocStatus;
	return IhvAdapterReset(hIhvExtAdapter);
}

static DWORD WINAPI
IhvValidateProfile(HANDLE hIhvExtAdapter, PDOT11EXT_IHV_PROFILE_PARAMS pIhvProfileParams,
		   PDOT11EXT_IHV_CONNECTIVITY_PROFILE pIhvConnProfile,
		   PDOT11EXT_IHV_SECURITY_PROFILE pIhvSecProfile, PDWORD pdwReasonCode)
{
	(void)hIhvExtAdapter; (void)pIhvProfileParams; (void)pIhvConnProfile;
	(void)pIhvSecProfile;
	NoReason(pdwReasonCode);
	return ERROR_NOT_SUPPORTED;
}

static DWORD WINAPI
IhvPerformCapabilityMatch(HANDLE hIhvExtAdapter, PDOT11EXT_IHV_PROFILE_PARAMS pIhvProfileParams,
			  PDOT11EXT_IHV_CONNECTIVITY_PROFILE pIhvConnProfile,
			  PDOT11EXT_IHV_SECURITY_PROFILE pIhvSecProfile,
			  PDOT11_BSS_LIST pConnectableBssid, PDWORD pdwReasonCode)
{
	(void)hIhvExtAdapter; (void)pIhvProfileParams; (void)pIhvConnProfile;
	(void)pIhvSecProfile; (void)pConnectableBssid;
	NoReason(pdwReasonCode);
	return ERROR_NOT_SUPPORTED;
}

static DWORD WINAPI
IhvCreateDiscoveryProfiles(HANDLE hIhvExtAdapter, BOOL bInsecure,
			   PDOT11EXT_IHV_PROFILE_PARAMS pIhvProfileParams,
			   PDOT11_BSS_LIST pConnectableBssid,
			   PDOT11EXT_IHV_DISCOVERY_PROFILE_LIST pIhvDiscoveryProfileList,
			   PDWORD pdwReasonCode)
{
	(void)hIhvExtAdapter; (void)bInsecure; (void)pIhvProfileParams;
	(void)pConnectableBssid;
	if (pIhvDiscoveryProfileList != NULL) {
		pIhvDiscoveryProfileList->dwCount = 0;
		pIhvDiscoveryProfileList->pIhvDiscoveryProfiles = NULL;
	}
	NoReason(pdwReasonCode);
	return ERROR_NOT_SUPPORTED;
}

static DWORD WINAPI
IhvProcessSessionChange(ULONG uEventType, PWTSSESSION_NOTIFICATION pSessionNotification)
{
	(void)uEventType; (void)pSessionNotification;
	return ERROR_SUCCESS;         /* no per-session state */
}

static DWORD WINAPI
IhvReceiveIndication(HANDLE hIhvExtAdapter, DOT11EXT_IHV_INDICATION_TYPE indicationType,
		     ULONG uBufferLength, LPVOID pvBuffer)
{
	(void)indicationType; (void)uBufferLength; (void)pvBuffer;
	return FindAdapter(hIhvExtAdapter) != NULL ? ERROR_SUCCESS : ERROR_INVALID_HANDLE;
}

static DWORD WINAPI
IhvReceivePacket(HANDLE hIhvExtAdapter, DWORD dwInBufferSize, LPVOID pvInBuffer)
{
	(void)dwInBufferSize; (void)pvInBuffer;
	/* Received EAPOL is not looked at: the example only sends. */
	return FindAdapter(hIhvExtAdapter) != NULL ? ERROR_SUCCESS : ERROR_INVALID_HANDLE;
}

static DWORD WINAPI
IhvIsUIRequestPending(GUID guidUIRequest, PBOOL pbIsRequestPending)
{
	(void)guidUIRequest;
	if (pbIsRequestPending == NULL)
		return ERROR_INVALID_PARAMETER;
	*pbIsRequestPending = FALSE;  /* it never asks the user anything */
	return ERROR_SUCCESS;
}

static DWORD WINAPI
IhvProcessUIResponse(GUID guidUIRequest, DWORD dwByteCount, LPVOID pvResponseBuffer)
{
	(void)guidUIRequest; (void)dwByteCount; (void)pvResponseBuffer;
	return ERROR_NOT_SUPPORTED;
}

static DWORD WINAPI
IhvQueryUIRequest(HANDLE hIhvExtAdapter, DOT11EXT_IHV_CONNECTION_PHASE connectionPhase,
		  PDOT11EXT_IHV_UI_REQUEST *ppIhvUIRequest)
{
	(void)hIhvExtAdapter; (void)connectionPhase;
	if (ppIhvUIRequest != NULL)
		*ppIhvUIRequest = NULL;
	return ERROR_NOT_SUPPORTED;
}

static DWORD WINAPI
IhvOnexIndicateResult(HANDLE hIhvExtAdapter, DOT11_MSONEX_RESULT msOneXResult,
		      PDOT11_MSONEX_RESULT_PARAMS pDot11MsOneXResultParams)
{
	(void)hIhvExtAdapter; (void)msOneXResult; (void)pDot11MsOneXResultParams;
	return ERROR_SUCCESS;         /* nothing to do with 802.1X results */
}

/* ---------- entry points ---------- */

DWORD WINAPI
Dot11ExtIhvGetVersionInfo(PDOT11_IHV_VERSION_INFO pDot11IHVVersionInfo)
{
	if (pDot11IHVVersionInfo == NULL)
		return ERROR_INVALID_PARAMETER;
	pDot11IHVVersionInfo->dwVerMin = 0;
	pDot11IHVVersionInfo->dwVerMax = 0;
	return ERROR_SUCCESS;
}

DWORD WINAPI
Dot11ExtIhvInitService(DWORD dwVerNumUsed, PDOT11EXT_APIS pDot11ExtAPI,
		       LPVOID pvReserved, PDOT11EXT_IHV_HANDLERS pDot11IHVHandlers)
{
	(void)pvReserved;
	if (dwVerNumUsed != 0)
		return ERROR_NOT_SUPPORTED;
	if (pDot11ExtAPI == NULL || pDot11IHVHandlers == NULL)
		return ERROR_INVALID_PARAMETER;
	if (g_bServiceUp)
		return ERROR_ALREADY_INITIALIZED;
	g_Apis = *pDot11ExtAPI;
	g_bServiceUp = TRUE;
	g_pAdapters = NULL;
	g_dwStrayCompletions = 0;

	pDot11IHVHandlers->Dot11ExtIhvDeinitService = IhvDeinitService;
	pDot11IHVHandlers->Dot11ExtIhvInitAdapter = IhvInitAdapter;
	pDot11IHVHandlers->Dot11ExtIhvDeinitAdapter = IhvDeinitAdapter;
	pDot11IHVHandlers->Dot11ExtIhvPerformPreAssociate = IhvPerformPreAssociate;
	pDot11IHVHandlers->Dot11ExtIhvAdapterReset = IhvAdapterReset;
	pDot11IHVHandlers->Dot11ExtIhvPerformPostAssociate = IhvPerformPostAssociate;
	pDot11IHVHandlers->Dot11ExtIhvStopPostAssociate = IhvStopPostAssociate;
	pDot11IHVHandlers->Dot11ExtIhvValidateProfile = IhvValidateProfile;
	pDot11IHVHandlers->Dot11ExtIhvPerformCapabilityMatch = IhvPerformCapabilityMatch;
	pDot11IHVHandlers->Dot11ExtIhvCreateDiscoveryProfiles = IhvCreateDiscoveryProfiles;
	pDot11IHVHandlers->Dot11ExtIhvProcessSessionChange = IhvProcessSessionChange;
	pDot11IHVHandlers->Dot11ExtIhvReceiveIndication = IhvReceiveIndication;
	pDot11IHVHandlers->Dot11ExtIhvReceivePacket = IhvReceivePacket;
	pDot11IHVHandlers->Dot11ExtIhvSendPacketCompletion = IhvSendPacketCompletion;
	pDot11IHVHandlers->Dot11ExtIhvIsUIRequestPending = IhvIsUIRequestPending;
	pDot11IHVHandlers->Dot11ExtIhvProcessUIResponse = IhvProcessUIResponse;
	pDot11IHVHandlers->Dot11ExtIhvQueryUIRequest = IhvQueryUIRequest;
	pDot11IHVHandlers->Dot11ExtIhvOnexIndicateResult = IhvOnexIndicateResult;
	pDot11IHVHandlers->Dot11ExtIhvControl = IhvControl;
	return ERROR_SUCCESS;
}

/* dot11tx's own addition (not part of Windows): the host calls it after
 * Dot11ExtIhvInitService when the extension exports it. From then on every
 * completion comes through IhvSendPacketCompletions, many per call, and a
 * START with IHV_EXAMPLE_START_BATCH sends with Dot11txSendPackets. */
DWORD WINAPI
Dot11txIhvInitBatch(const DOT11TX_IHV_BATCH_APIS *pApis, PDOT11TX_IHV_BATCH_HANDLERS pHandlers)
{
	if (pApis == NULL || pHandlers == NULL || pApis->Dot11txSendPackets == NULL)
		return ERROR_INVALID_PARAMETER;
	g_BatchApis = *pApis;
	g_bBatchApis = TRUE;
	pHandlers->Dot11txSendPacketCompletions = IhvSendPacketCompletions;
	return ERROR_SUCCESS;
}
