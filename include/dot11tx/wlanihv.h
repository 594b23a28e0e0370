/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef DOT11TX_WLANIHV_H
#define DOT11TX_WLANIHV_H

/**
 * @file
 * The Windows Native WiFi IHV extensibility interface (wlanihv.h), declared
 * for Linux so that IHV extension code written against it compiles
 * unchanged in its send path, and runs on dot11tx (include/dot11tx/
 * ihv_host.h is the host that loads it).
 *
 * Written from the interface's published names and signatures. What
 * differs from Windows, and why:
 * - Base types have Windows' widths, not Linux's: DWORD and ULONG are 32
 *   bits (unsigned long is 64 on Linux), WCHAR is 16 bits (UTF-16), GUID's
 *   Data1 is 32 bits. WINAPI, APIENTRY and CALLBACK are empty: the host
 *   and the extension are built by the same compiler.
 * - Structures outside the send path (profiles, keys, notifications,
 *   802.1X) are incomplete types: code passes their pointers as on
 *   Windows, but dot11tx does not define their fields. The enums that
 *   handlers take by value are declared in full.
 * - Every member of DOT11EXT_APIS is filled, as Windows promises; those
 *   outside the send path answer ERROR_NOT_SUPPORTED.
 * - Dot11ExtSendPacket takes the layout of its reference page: destination
 *   MAC (6 bytes), EtherType (2 bytes, network order), payload. The host
 *   builds the 802.11 data frame (LLC/SNAP, addresses of the adapter's
 *   role). A unicast destination is not required, unlike Windows.
 * - The interface version is 0, the only one Windows documents.
 * - One service (host) per process: the APIs carry no handle of the
 *   service (Dot11ExtAllocateBuffer none at all), so a second host could
 *   not tell its calls from the first's.
 */

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ---------- Windows base types, at their Windows widths ---------- */

#ifndef WINAPI
#define WINAPI
#endif
#ifndef APIENTRY
#define APIENTRY WINAPI
#endif
#ifndef CALLBACK
#define CALLBACK
#endif
#ifndef VOID
#define VOID void
#endif
#ifndef TRUE
#define TRUE 1
#endif
#ifndef FALSE
#define FALSE 0
#endif

typedef uint32_t DWORD, *PDWORD;
typedef uint32_t ULONG, *PULONG;
typedef int32_t LONG;
typedef uint64_t ULONGLONG, *PULONGLONG;
typedef uint16_t USHORT, WORD;
typedef uint8_t UCHAR, *PUCHAR;
typedef uint8_t BYTE, *PBYTE;
typedef uint8_t BOOLEAN;
typedef int BOOL, *PBOOL;
typedef uint32_t UINT32;
typedef uint8_t UINT8;
typedef void *PVOID, *LPVOID;
typedef void *HANDLE, **PHANDLE;
typedef uint16_t WCHAR;
typedef WCHAR *LPWSTR, *PWSTR;

typedef struct _GUID {
	uint32_t Data1;
	uint16_t Data2;
	uint16_t Data3;
	uint8_t Data4[8];
} GUID, CLSID;

/* ---------- winerror.h: the codes the send path returns ---------- */

#define ERROR_SUCCESS               0u
#define NO_ERROR                    0u
#define ERROR_INVALID_FUNCTION      1u
#define ERROR_INVALID_HANDLE        6u
#define ERROR_NOT_ENOUGH_MEMORY     8u
#define ERROR_INVALID_DATA          13u
#define ERROR_OUTOFMEMORY           14u
#define ERROR_NOT_READY             21u
#define ERROR_BAD_LENGTH            24u
#define ERROR_NOT_SUPPORTED         50u
#define ERROR_INVALID_PARAMETER     87u
#define ERROR_BUFFER_OVERFLOW       111u
#define ERROR_CALL_NOT_IMPLEMENTED  120u
#define ERROR_INSUFFICIENT_BUFFER   122u
#define ERROR_BUSY                  170u
#define ERROR_MORE_DATA             234u
#define ERROR_NO_MORE_ITEMS         259u
#define ERROR_NOT_CAPABLE           775u
#define ERROR_SERVICE_NOT_ACTIVE    1062u
#define ERROR_DEVICE_NOT_CONNECTED  1167u
#define ERROR_NOT_FOUND             1168u
#define ERROR_NO_MATCH              1169u
#define ERROR_ALREADY_INITIALIZED   1247u
#define ERROR_NO_SYSTEM_RESOURCES   1450u
#define ERROR_INVALID_USER_BUFFER   1784u
#define ERROR_DEVICE_NOT_AVAILABLE  4319u
#define ERROR_INVALID_STATE         5023u

/* ---------- windot11.h, wlclient.h: what the send path uses ---------- */

typedef UCHAR DOT11_MAC_ADDRESS[6];
typedef DOT11_MAC_ADDRESS *PDOT11_MAC_ADDRESS;

#define DOT11_OPERATION_MODE_UNKNOWN            0x00000000u
#define DOT11_OPERATION_MODE_STATION            0x00000001u
#define DOT11_OPERATION_MODE_AP                 0x00000002u
#define DOT11_OPERATION_MODE_EXTENSIBLE_STATION 0x00000004u
#define DOT11_OPERATION_MODE_EXTENSIBLE_AP      0x00000008u
#define DOT11_OPERATION_MODE_WFD_DEVICE         0x00000010u
#define DOT11_OPERATION_MODE_WFD_GROUP_OWNER    0x00000020u
#define DOT11_OPERATION_MODE_WFD_CLIENT         0x00000040u
#define DOT11_OPERATION_MODE_MANUFACTURING      0x40000000u
#define DOT11_OPERATION_MODE_NETWORK_MONITOR    0x80000000u

typedef struct _DOT11_CURRENT_OPERATION_MODE {
	ULONG uReserved;
	ULONG uCurrentOpMode;         /**< DOT11_OPERATION_MODE_* */
} DOT11_CURRENT_OPERATION_MODE, *PDOT11_CURRENT_OPERATION_MODE;

typedef struct _DOT11_ADAPTER {
	GUID gAdapterId;
	LPWSTR pszDescription;        /**< UTF-16, NUL-terminated */
	DOT11_CURRENT_OPERATION_MODE Dot11CurrentOpMode;
} DOT11_ADAPTER, *PDOT11_ADAPTER;

/** What Dot11ExtSendPacket's buffer holds (packed, as on Windows). */
typedef struct __attribute__((packed)) _DOT11_SECURITY_PACKET_HEADER {
	DOT11_MAC_ADDRESS PeerMac;
	USHORT usEtherType;           /**< network order */
	UCHAR Data[1];
} DOT11_SECURITY_PACKET_HEADER, *PDOT11_SECURITY_PACKET_HEADER;

typedef ULONG DOT11_ASSOC_STATUS;

typedef enum _DOT11_DIRECTION {
	DOT11_DIR_INBOUND = 1,
	DOT11_DIR_OUTBOUND,
	DOT11_DIR_BOTH
} DOT11_DIRECTION;

/* Outside the send path: pointers to types whose fields dot11tx does not
 * declare. */
typedef struct _DOT11EXT_IHV_PROFILE_PARAMS *PDOT11EXT_IHV_PROFILE_PARAMS;
typedef struct _L2_NOTIFICATION_DATA *PL2_NOTIFICATION_DATA;
typedef struct _DOT11_PRIVACY_EXEMPTION *PDOT11_PRIVACY_EXEMPTION;
typedef struct _DOT11_CIPHER_DEFAULT_KEY_VALUE *PDOT11_CIPHER_DEFAULT_KEY_VALUE;
typedef struct _DOT11_CIPHER_KEY_MAPPING_KEY_VALUE *PDOT11_CIPHER_KEY_MAPPING_KEY_VALUE;
typedef struct _DOT11_ASSOCIATION_COMPLETION_PARAMETERS *PDOT11_ASSOCIATION_COMPLETION_PARAMETERS;
typedef struct _DOT11_BSS_LIST *PDOT11_BSS_LIST;
typedef struct _DOT11_PORT_STATE *PDOT11_PORT_STATE;
typedef struct _EAP_ATTRIBUTES EAP_ATTRIBUTES;
typedef struct _WTSSESSION_NOTIFICATION *PWTSSESSION_NOTIFICATION;
typedef struct _DOT11_EAP_RESULT *PDOT11_EAP_RESULT;
typedef struct _DOT11_MSONEX_RESULT_PARAMS *PDOT11_MSONEX_RESULT_PARAMS;

/* ---------- wlanihv.h ---------- */

typedef struct _DOT11EXT_APIS DOT11EXT_APIS, *PDOT11EXT_APIS;
typedef struct _DOT11EXT_IHV_HANDLERS DOT11EXT_IHV_HANDLERS, *PDOT11EXT_IHV_HANDLERS;

/** Names the host looks the extension's entry points up by (dlsym). */
#define IHV_VERSION_FUNCTION_NAME "Dot11ExtIhvGetVersionInfo"
#define IHV_INIT_FUNCTION_NAME "Dot11ExtIhvInitService"

typedef struct _DOT11_IHV_VERSION_INFO {
	DWORD dwVerMin;
	DWORD dwVerMax;
} DOT11_IHV_VERSION_INFO, *PDOT11_IHV_VERSION_INFO;

typedef enum _DOT11EXT_IHV_CONNECTION_PHASE {
	connection_phase_any,
	connection_phase_initial_connection,
	connection_phase_post_l3_connection
} DOT11EXT_IHV_CONNECTION_PHASE, *PDOT11EXT_IHV_CONNECTION_PHASE;

typedef enum _DOT11EXT_IHV_INDICATION_TYPE {
	IndicationTypeNicSpecificNotification,
	IndicationTypePmkidCandidateList,
	IndicationTypeTkipMicFailure,
	IndicationTypePhyStateChange,
	IndicationTypeLinkQuality
} DOT11EXT_IHV_INDICATION_TYPE, *PDOT11EXT_IHV_INDICATION_TYPE;

typedef enum _DOT11_MSONEX_RESULT {
	DOT11_MSONEX_SUCCESS,
	DOT11_MSONEX_FAILURE,
	DOT11_MSONEX_IN_PROGRESS
} DOT11_MSONEX_RESULT, *PDOT11_MSONEX_RESULT;

typedef struct _DOT11EXT_IHV_CONNECTIVITY_PROFILE {
	LPWSTR pszXmlFragmentIhvConnectivity;
} DOT11EXT_IHV_CONNECTIVITY_PROFILE, *PDOT11EXT_IHV_CONNECTIVITY_PROFILE;

typedef struct _DOT11EXT_IHV_SECURITY_PROFILE {
	LPWSTR pszXmlFragmentIhvSecurity;
	BOOL bUseMSOnex;
} DOT11EXT_IHV_SECURITY_PROFILE, *PDOT11EXT_IHV_SECURITY_PROFILE;

typedef struct _DOT11EXT_IHV_DISCOVERY_PROFILE {
	DOT11EXT_IHV_CONNECTIVITY_PROFILE IhvConnectivityProfile;
	DOT11EXT_IHV_SECURITY_PROFILE IhvSecurityProfile;
} DOT11EXT_IHV_DISCOVERY_PROFILE, *PDOT11EXT_IHV_DISCOVERY_PROFILE;

typedef struct _DOT11EXT_IHV_DISCOVERY_PROFILE_LIST {
	DWORD dwCount;
	PDOT11EXT_IHV_DISCOVERY_PROFILE pIhvDiscoveryProfiles;
} DOT11EXT_IHV_DISCOVERY_PROFILE_LIST, *PDOT11EXT_IHV_DISCOVERY_PROFILE_LIST;

typedef struct _DOT11EXT_IHV_UI_REQUEST {
	DWORD dwSessionId;
	GUID guidUIRequest;
	CLSID UIPageClsid;
	DWORD dwByteCount;
	BYTE *pvUIRequest;
} DOT11EXT_IHV_UI_REQUEST, *PDOT11EXT_IHV_UI_REQUEST;

/* The host's services (DOT11EXT_APIS), in table order. */
typedef DWORD (WINAPI *DOT11EXT_ALLOCATE_BUFFER)(DWORD dwByteCount, LPVOID *ppvBuffer);
typedef VOID (WINAPI *DOT11EXT_FREE_BUFFER)(LPVOID pvMemory);
typedef DWORD (WINAPI *DOT11EXT_SET_PROFILE_CUSTOM_USER_DATA)(HANDLE hDot11SvcHandle,
	HANDLE hConnectSession, DWORD dwSessionID, DWORD dwDataSize, LPVOID pvData);
typedef DWORD (WINAPI *DOT11EXT_GET_PROFILE_CUSTOM_USER_DATA)(HANDLE hDot11SvcHandle,
	HANDLE hConnectSession, DWORD dwSessionID, DWORD *pdwDataSize, LPVOID *ppvData);
typedef DWORD (WINAPI *DOT11EXT_SET_CURRENT_PROFILE)(HANDLE hDot11SvcHandle,
	HANDLE hConnectSession, PDOT11EXT_IHV_CONNECTIVITY_PROFILE pIhvConnProfile,
	PDOT11EXT_IHV_SECURITY_PROFILE pIhvSecProfile);
typedef DWORD (WINAPI *DOT11EXT_SEND_UI_REQUEST)(HANDLE hDot11SvcHandle,
	PDOT11EXT_IHV_UI_REQUEST pIhvUIRequest);
typedef DWORD (WINAPI *DOT11EXT_PRE_ASSOCIATE_COMPLETION)(HANDLE hDot11SvcHandle,
	HANDLE hConnectSession, DWORD dwReasonCode, DWORD dwWin32Error);
typedef DWORD (WINAPI *DOT11EXT_POST_ASSOCIATE_COMPLETION)(HANDLE hDot11SvcHandle,
	HANDLE hSecuritySessionID, PDOT11_MAC_ADDRESS pPeer, DWORD dwReasonCode,
	DWORD dwWin32Error);
typedef DWORD (WINAPI *DOT11EXT_SEND_NOTIFICATION)(HANDLE hDot11SvcHandle,
	PL2_NOTIFICATION_DATA pNotificationData);
typedef DWORD (WINAPI *DOT11EXT_SEND_PACKET)(HANDLE hDot11SvcHandle, ULONG uPacketLen,
	LPVOID pvPacket, HANDLE hSendCompletion);
typedef DWORD (WINAPI *DOT11EXT_SET_ETHERTYPE_HANDLING)(HANDLE hDot11SvcHandle,
	ULONG uMaxBackLog, ULONG uNumOfExemption, PDOT11_PRIVACY_EXEMPTION pExemption,
	ULONG uNumOfRegistration, USHORT *pusRegistration);
typedef DWORD (WINAPI *DOT11EXT_SET_AUTH_ALGORITHM)(HANDLE hDot11SvcHandle, DWORD dwAuthAlgo);
typedef DWORD (WINAPI *DOT11EXT_SET_UNICAST_CIPHER_ALGORITHM)(HANDLE hDot11SvcHandle,
	DWORD dwUnicastCipherAlgo);
typedef DWORD (WINAPI *DOT11EXT_SET_MULTICAST_CIPHER_ALGORITHM)(HANDLE hDot11SvcHandle,
	DWORD dwMulticastCipherAlgo);
typedef DWORD (WINAPI *DOT11EXT_SET_DEFAULT_KEY)(HANDLE hDot11SvcHandle,
	PDOT11_CIPHER_DEFAULT_KEY_VALUE pKey, DOT11_DIRECTION dot11Direction);
typedef DWORD (WINAPI *DOT11EXT_SET_KEY_MAPPING_KEY)(HANDLE hDot11SvcHandle,
	PDOT11_CIPHER_KEY_MAPPING_KEY_VALUE pKey);
typedef DWORD (WINAPI *DOT11EXT_SET_DEFAULT_KEY_ID)(HANDLE hDot11SvcHandle, ULONG uDefaultKeyId);
typedef DWORD (WINAPI *DOT11EXT_NIC_SPECIFIC_EXTENSION)(HANDLE hDot11SvcHandle,
	DWORD dwInBufferSize, LPVOID pvInBuffer, DWORD *pdwOutBufferSize, LPVOID pvOutBuffer);
typedef DWORD (WINAPI *DOT11EXT_SET_EXCLUDE_UNENCRYPTED)(HANDLE hDot11SvcHandle,
	BOOL bExcludeUnencrypted);
typedef DWORD (WINAPI *DOT11EXT_ONEX_START)(HANDLE hDot11SvcHandle, EAP_ATTRIBUTES *pEapAttributes);
typedef DWORD (WINAPI *DOT11EXT_ONEX_STOP)(HANDLE hDot11SvcHandle);
typedef DWORD (WINAPI *DOT11EXT_PROCESS_ONEX_PACKET)(HANDLE hDot11SvcHandle,
	DWORD dwInPacketSize, LPVOID pvInPacket);

struct _DOT11EXT_APIS {
	DOT11EXT_ALLOCATE_BUFFER Dot11ExtAllocateBuffer;
	DOT11EXT_FREE_BUFFER Dot11ExtFreeBuffer;
	DOT11EXT_SET_PROFILE_CUSTOM_USER_DATA Dot11ExtSetProfileCustomUserData;
	DOT11EXT_GET_PROFILE_CUSTOM_USER_DATA Dot11ExtGetProfileCustomUserData;
	DOT11EXT_SET_CURRENT_PROFILE Dot11ExtSetCurrentProfile;
	DOT11EXT_SEND_UI_REQUEST Dot11ExtSendUIRequest;
	DOT11EXT_PRE_ASSOCIATE_COMPLETION Dot11ExtPreAssociateCompletion;
	DOT11EXT_POST_ASSOCIATE_COMPLETION Dot11ExtPostAssociateCompletion;
	DOT11EXT_SEND_NOTIFICATION Dot11ExtSendNotification;
	DOT11EXT_SEND_PACKET Dot11ExtSendPacket;
	DOT11EXT_SET_ETHERTYPE_HANDLING Dot11ExtSetEtherTypeHandling;
	DOT11EXT_SET_AUTH_ALGORITHM Dot11ExtSetAuthAlgorithm;
	DOT11EXT_SET_UNICAST_CIPHER_ALGORITHM Dot11ExtSetUnicastCipherAlgorithm;
	DOT11EXT_SET_MULTICAST_CIPHER_ALGORITHM Dot11ExtSetMulticastCipherAlgorithm;
	DOT11EXT_SET_DEFAULT_KEY Dot11ExtSetDefaultKey;
	DOT11EXT_SET_KEY_MAPPING_KEY Dot11ExtSetKeyMappingKey;
	DOT11EXT_SET_DEFAULT_KEY_ID Dot11ExtSetDefaultKeyId;
	DOT11EXT_NIC_SPECIFIC_EXTENSION Dot11ExtNicSpecificExtension;
	DOT11EXT_SET_EXCLUDE_UNENCRYPTED Dot11ExtSetExcludeUnencrypted;
	DOT11EXT_ONEX_START Dot11ExtStartOneX;
	DOT11EXT_ONEX_STOP Dot11ExtStopOneX;
	DOT11EXT_PROCESS_ONEX_PACKET Dot11ExtProcessSecurityPacket;
};

/* The extension's handlers (DOT11EXT_IHV_HANDLERS), in table order. */
typedef VOID (WINAPI *DOT11EXTIHV_DEINIT_SERVICE)(VOID);
typedef DWORD (WINAPI *DOT11EXTIHV_INIT_ADAPTER)(PDOT11_ADAPTER pDot11Adapter,
	HANDLE hDot11SvcHandle, PHANDLE phIhvExtAdapter);
typedef VOID (WINAPI *DOT11EXTIHV_DEINIT_ADAPTER)(HANDLE hIhvExtAdapter);
typedef DWORD (WINAPI *DOT11EXTIHV_PERFORM_PRE_ASSOCIATE)(HANDLE hIhvExtAdapter,
	HANDLE hConnectSession, PDOT11EXT_IHV_PROFILE_PARAMS pIhvProfileParams,
	PDOT11EXT_IHV_CONNECTIVITY_PROFILE pIhvConnProfile,
	PDOT11EXT_IHV_SECURITY_PROFILE pIhvSecProfile, PDOT11_BSS_LIST pConnectableBssid,
	PDWORD pdwReasonCode);
typedef DWORD (WINAPI *DOT11EXTIHV_ADAPTER_RESET)(HANDLE hIhvExtAdapter);
typedef DWORD (WINAPI *DOT11EXTIHV_PERFORM_POST_ASSOCIATE)(HANDLE hIhvExtAdapter,
	HANDLE hSecuritySessionID, PDOT11_PORT_STATE pPortState,
	ULONG uDot11AssocParamsBytes, PDOT11_ASSOCIATION_COMPLETION_PARAMETERS pDot11AssocParams);
typedef DWORD (WINAPI *DOT11EXTIHV_STOP_POST_ASSOCIATE)(HANDLE hIhvExtAdapter,
	PDOT11_MAC_ADDRESS pPeer, DOT11_ASSOC_STATUS dot11AssocStatus);
typedef DWORD (WINAPI *DOT11EXTIHV_VALIDATE_PROFILE)(HANDLE hIhvExtAdapter,
	PDOT11EXT_IHV_PROFILE_PARAMS pIhvProfileParams,
	PDOT11EXT_IHV_CONNECTIVITY_PROFILE pIhvConnProfile,
	PDOT11EXT_IHV_SECURITY_PROFILE pIhvSecProfile, PDWORD pdwReasonCode);
typedef DWORD (WINAPI *DOT11EXTIHV_PERFORM_CAPABILITY_MATCH)(HANDLE hIhvExtAdapter,
	PDOT11EXT_IHV_PROFILE_PARAMS pIhvProfileParams,
	PDOT11EXT_IHV_CONNECTIVITY_PROFILE pIhvConnProfile,
	PDOT11EXT_IHV_SECURITY_PROFILE pIhvSecProfile, PDOT11_BSS_LIST pConnectableBssid,
	PDWORD pdwReasonCode);
typedef DWORD (WINAPI *DOT11EXTIHV_CREATE_DISCOVERY_PROFILES)(HANDLE hIhvExtAdapter,
	BOOL bInsecure, PDOT11EXT_IHV_PROFILE_PARAMS pIhvProfileParams,
	PDOT11_BSS_LIST pConnectableBssid,
	PDOT11EXT_IHV_DISCOVERY_PROFILE_LIST pIhvDiscoveryProfileList, PDWORD pdwReasonCode);
typedef DWORD (WINAPI *DOT11EXTIHV_PROCESS_SESSION_CHANGE)(ULONG uEventType,
	PWTSSESSION_NOTIFICATION pSessionNotification);
typedef DWORD (WINAPI *DOT11EXTIHV_RECEIVE_INDICATION)(HANDLE hIhvExtAdapter,
	DOT11EXT_IHV_INDICATION_TYPE indicationType, ULONG uBufferLength, LPVOID pvBuffer);
typedef DWORD (WINAPI *DOT11EXTIHV_RECEIVE_PACKET)(HANDLE hIhvExtAdapter,
	DWORD dwInBufferSize, LPVOID pvInBuffer);
typedef DWORD (WINAPI *DOT11EXTIHV_SEND_PACKET_COMPLETION)(HANDLE hSendCompletion);
typedef DWORD (WINAPI *DOT11EXTIHV_IS_UI_REQUEST_PENDING)(GUID guidUIRequest,
	PBOOL pbIsRequestPending);
typedef DWORD (WINAPI *DOT11EXTIHV_PROCESS_UI_RESPONSE)(GUID guidUIRequest,
	DWORD dwByteCount, LPVOID pvResponseBuffer);
typedef DWORD (WINAPI *DOT11EXTIHV_QUERY_UI_REQUEST)(HANDLE hIhvExtAdapter,
	DOT11EXT_IHV_CONNECTION_PHASE connectionPhase, PDOT11EXT_IHV_UI_REQUEST *ppIhvUIRequest);
typedef DWORD (WINAPI *DOT11EXTIHV_ONEX_INDICATE_RESULT)(HANDLE hIhvExtAdapter,
	DOT11_MSONEX_RESULT msOneXResult, PDOT11_MSONEX_RESULT_PARAMS pDot11MsOneXResultParams);
typedef DWORD (WINAPI *DOT11EXTIHV_CONTROL)(HANDLE hIhvExtAdapter, DWORD dwInBufferSize,
	PBYTE pInBuffer, DWORD dwOutBufferSize, PBYTE pOutBuffer, PDWORD pdwBytesReturned);

struct _DOT11EXT_IHV_HANDLERS {
	DOT11EXTIHV_DEINIT_SERVICE Dot11ExtIhvDeinitService;
	DOT11EXTIHV_INIT_ADAPTER Dot11ExtIhvInitAdapter;
	DOT11EXTIHV_DEINIT_ADAPTER Dot11ExtIhvDeinitAdapter;
	DOT11EXTIHV_PERFORM_PRE_ASSOCIATE Dot11ExtIhvPerformPreAssociate;
	DOT11EXTIHV_ADAPTER_RESET Dot11ExtIhvAdapterReset;
	DOT11EXTIHV_PERFORM_POST_ASSOCIATE Dot11ExtIhvPerformPostAssociate;
	DOT11EXTIHV_STOP_POST_ASSOCIATE Dot11ExtIhvStopPostAssociate;
	DOT11EXTIHV_VALIDATE_PROFILE Dot11ExtIhvValidateProfile;
	DOT11EXTIHV_PERFORM_CAPABILITY_MATCH Dot11ExtIhvPerformCapabilityMatch;
	DOT11EXTIHV_CREATE_DISCOVERY_PROFILES Dot11ExtIhvCreateDiscoveryProfiles;
	DOT11EXTIHV_PROCESS_SESSION_CHANGE Dot11ExtIhvProcessSessionChange;
	DOT11EXTIHV_RECEIVE_INDICATION Dot11ExtIhvReceiveIndication;
	DOT11EXTIHV_RECEIVE_PACKET Dot11ExtIhvReceivePacket;
	DOT11EXTIHV_SEND_PACKET_COMPLETION Dot11ExtIhvSendPacketCompletion;
	DOT11EXTIHV_IS_UI_REQUEST_PENDING Dot11ExtIhvIsUIRequestPending;
	DOT11EXTIHV_PROCESS_UI_RESPONSE Dot11ExtIhvProcessUIResponse;
	DOT11EXTIHV_QUERY_UI_REQUEST Dot11ExtIhvQueryUIRequest;
	DOT11EXTIHV_ONEX_INDICATE_RESULT Dot11ExtIhvOnexIndicateResult;
	DOT11EXTIHV_CONTROL Dot11ExtIhvControl;
};

/* The extension's entry points, which the host finds by name. */
typedef DWORD (WINAPI *DOT11EXTIHV_GET_VERSION_INFO)(PDOT11_IHV_VERSION_INFO pDot11IHVVersionInfo);
typedef DWORD (WINAPI *DOT11EXTIHV_INIT_SERVICE)(DWORD dwVerNumUsed,
	PDOT11EXT_APIS pDot11ExtAPI, LPVOID pvReserved,
	PDOT11EXT_IHV_HANDLERS pDot11IHVHandlers);

/* ---------- dot11tx's own addition: batched sends ---------- */

/**
 * Name of the optional third entry point, dot11tx's own: an extension
 * that exports it is given the batched APIs after Dot11ExtIhvInitService,
 * and fills the batched handlers it wants.
 */
#define D11TX_IHV_INIT_BATCH_FUNCTION_NAME "Dot11txIhvInitBatch"

/**
 * Send @p uCount packets of one adapter in one call: as many calls of
 * Dot11ExtSendPacket, in order, stopping at the first failure.
 * @p puSent gets the number accepted; each of those completes once.
 * @return ERROR_SUCCESS when all were accepted, else the failure of packet
 *   *puSent (the same codes as Dot11ExtSendPacket).
 */
typedef DWORD (WINAPI *DOT11TX_SEND_PACKETS)(HANDLE hDot11SvcHandle, ULONG uCount,
	const ULONG *puPacketLens, LPVOID const *ppvPackets,
	HANDLE const *phSendCompletions, PULONG puSent);

/**
 * Completions of many packets in one call, instead of one call of
 * Dot11ExtIhvSendPacketCompletion each. @p pucStatus gives, per packet,
 * how it fared (enum d11tx_status of dot11tx.h: sent, acked, no ACK,
 * dropped, cancelled).
 */
typedef VOID (WINAPI *DOT11TX_SEND_PACKET_COMPLETIONS)(ULONG uCount,
	HANDLE const *phSendCompletions, const UCHAR *pucStatus);

typedef struct _DOT11TX_IHV_BATCH_APIS {
	DOT11TX_SEND_PACKETS Dot11txSendPackets;
} DOT11TX_IHV_BATCH_APIS, *PDOT11TX_IHV_BATCH_APIS;

typedef struct _DOT11TX_IHV_BATCH_HANDLERS {
	/** NULL: completions go one by one to Dot11ExtIhvSendPacketCompletion. */
	DOT11TX_SEND_PACKET_COMPLETIONS Dot11txSendPacketCompletions;
} DOT11TX_IHV_BATCH_HANDLERS, *PDOT11TX_IHV_BATCH_HANDLERS;

typedef DWORD (WINAPI *DOT11TX_IHV_INIT_BATCH)(const DOT11TX_IHV_BATCH_APIS *pApis,
	PDOT11TX_IHV_BATCH_HANDLERS pHandlers);

#ifdef __cplusplus
}
#endif

#endif
