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
 * Threads: the host calls every handler on its one thread, so the state
 * below needs no lock (on Windows, where the service may call from
 * several threads, it would need a critical section).
 */

#include <stdlib.h>
#include <string.h>

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

/* One packet of an adapter: the hSendCompletion handed to the host. */
typedef struct _IHV_SEND_CONTEXT {
	struct _IHV_ADAPTER *pAdapter;
	PVOID pvBuffer;                 /* from Dot11ExtAllocateBuffer */
	ULONG uLength;
	DWORD dwSeq;                    /* 1, 2, ...: the EAPOL replay counter */
	BOOL bInFlight;                 /* accepted by the host, not completed */
} IHV_SEND_CONTEXT, *PIHV_SEND_CONTEXT;

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

	IHV_EXAMPLE_STATS Stats;
} IHV_ADAPTER, *PIHV_ADAPTER;

static DOT11EXT_APIS g_Apis;
static BOOL g_bServiceUp;
static DOT11TX_IHV_BATCH_APIS g_BatchApis;
static BOOL g_bBatchApis;
static PIHV_ADAPTER g_pAdapters;
/* Completions whose handle is no send context of any adapter. */
static DWORD g_dwStrayCompletions;

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
	pCtx->bInFlight = FALSE;
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
	pCtx->pAdapter = pAdapter;
	pCtx->pvBuffer = pvBuffer;
	pCtx->uLength = IHV_EXAMPLE_PACKET_LEN;
	pCtx->dwSeq = ++pAdapter->dwBuilt;
	pCtx->bInFlight = FALSE;
	BuildEapolKey(pAdapter, pvBuffer, pCtx->dwSeq);
	return pCtx;
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

	/* A completion handler that runs inside a send of ours must not send. */
	if (pAdapter->bPumping)
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

		if (pStats->bBatch) {
			ULONG uLens[IHV_EXAMPLE_BATCH];
			LPVOID pvPackets[IHV_EXAMPLE_BATCH];
			HANDLE hCompletions[IHV_EXAMPLE_BATCH];

			for (DWORD i = 0; i < pAdapter->dwPendingCount; i++) {
				uLens[i] = pAdapter->Pending[i]->uLength;
				pvPackets[i] = pAdapter->Pending[i]->pvBuffer;
				hCompletions[i] = (HANDLE)pAdapter->Pending[i];
			}
			dwError = g_BatchApis.Dot11txSendPackets(pAdapter->hDot11SvcHandle,
				pAdapter->dwPendingCount, uLens, pvPackets, hCompletions, &uSent);
		} else {
			PIHV_SEND_CONTEXT pCtx = pAdapter->Pending[0];

			dwError = g_Apis.Dot11ExtSendPacket(pAdapter->hDot11SvcHandle,
				pCtx->uLength, pCtx->pvBuffer, (HANDLE)pCtx);
			uSent = dwError == ERROR_SUCCESS ? 1 : 0;
		}
		pStats->dwSendCalls++;

		/* The first uSent are the host's until they complete. */
		for (ULONG i = 0; i < uSent; i++)
			pAdapter->Pending[i]->bInFlight = TRUE;
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

/* One packet is done: free its buffer, count it. */
static PIHV_ADAPTER
CompleteOne(HANDLE hSendCompletion)
{
	PIHV_SEND_CONTEXT pCtx = ContextOfHandle(hSendCompletion);
	PIHV_ADAPTER pAdapter;

	if (pCtx == NULL) {
		g_dwStrayCompletions++;
		return NULL;
	}
	pAdapter = pCtx->pAdapter;
	if (!pCtx->bInFlight) {
		pAdapter->Stats.dwBadCompletions++;
		return pAdapter;
	}
	PutContext(pAdapter, pCtx);
	pAdapter->Stats.dwCompletions++;
	pAdapter->Stats.dwInFlight--;
	return pAdapter;
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
	for (DWORD i = 0; i < IHV_EXAMPLE_MAX_OUTSTANDING; i++)
		pAdapter->dwFree[pAdapter->dwFreeCount++] = IHV_EXAMPLE_MAX_OUTSTANDING - 1 - i;
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
		if (cmd.dwCount == 0 || (cmd.dwFlags & ~IHV_EXAMPLE_START_BATCH) != 0)
			return ERROR_INVALID_PARAMETER;
		if (pAdapter->Stats.bRunning || pAdapter->Stats.dwInFlight != 0)
			return ERROR_BUSY;
		if ((cmd.dwFlags & IHV_EXAMPLE_START_BATCH) && !g_bBatchApis)
			return ERROR_NOT_SUPPORTED;
		/* A new run: new counters (the send contexts are all free). */
		memset(&pAdapter->Stats, 0, sizeof(pAdapter->Stats));
		pAdapter->Stats.bBatchApis = g_bBatchApis;
		pAdapter->Stats.dwTarget = cmd.dwCount;
		pAdapter->Stats.bBatch = (cmd.dwFlags & IHV_EXAMPLE_START_BATCH) != 0;
		pAdapter->Stats.bRunning = TRUE;
		pAdapter->dwBuilt = 0;
		memcpy(pAdapter->PeerMac, cmd.PeerMac, sizeof(DOT11_MAC_ADDRESS));
		PumpAdapter(pAdapter);
		break;
	case IHV_EXAMPLE_CMD_STATS:
		if (pOutBuffer == NULL || dwOutBufferSize < sizeof(IHV_EXAMPLE_STATS))
			return ERROR_INSUFFICIENT_BUFFER;
		break;
	case IHV_EXAMPLE_CMD_KICK:
		PumpAdapter(pAdapter);
		break;
	case IHV_EXAMPLE_CMD_STOP:
		if (pAdapter->Stats.bRunning)
			EndRun(pAdapter, ERROR_SUCCESS);
		break;
	default:
		return ERROR_INVALID_PARAMETER;
	}
	if (pOutBuffer != NULL && dwOutBufferSize >= sizeof(IHV_EXAMPLE_STATS)) {
		IHV_EXAMPLE_STATS stats = pAdapter->Stats;

		stats.dwBadCompletions += g_dwStrayCompletions;
		memcpy(pOutBuffer, &stats, sizeof(stats));
		if (pdwBytesReturned != NULL)
			*pdwBytesReturned = sizeof(stats);
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
	if (pAdapter->Stats.bRunning)
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
