/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The IHV host (include/dot11tx/ihv_host.h): the Windows WLAN service's
 * side of the Native WiFi IHV interface, on dot11tx queues.
 *
 * The interface's APIs carry no host pointer (Dot11ExtAllocateBuffer has
 * no handle at all), so there is one host per process, found through a
 * global. An hDot11SvcHandle is not a pointer but a token, slot + 1 and a
 * generation, so that a stale or forged one is recognised without touching
 * freed memory: a slot's generation grows at every add, and a handle of an
 * older generation, or of a removed adapter, is "deinitialised"
 * (ERROR_INVALID_STATE) rather than invalid (ERROR_INVALID_HANDLE).
 *
 * Each accepted packet takes a send record (its hSendCompletion, and the
 * host buffer it occupies), which is the dot11tx completion handle.
 */

#include <dlfcn.h>
#include <errno.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rte_common.h>
#include <rte_errno.h>
#include <rte_ethdev.h>
#include <rte_log.h>
#include <rte_spinlock.h>

#include "dot11tx/dot11tx.h"
#include "dot11tx/ihv_host.h"

#define DEFAULT_BUF_COUNT 4096
#define DEFAULT_BUF_SIZE 2048
#define DEFAULT_RING 1024
#define MAX_HOST_REGIONS 8
#define STOP_TIMEOUT_US 100000
#define SLOT_BITS 8
#define DESC_MAX 64

#define HOST_LOG(level, ...) \
	RTE_LOG(level, USER1, "dot11tx ihv: " __VA_ARGS__)

/* One accepted packet, until its completion. */
struct send_record {
	HANDLE completion;         /* the extension's hSendCompletion */
	int32_t buf;               /* host buffer it occupies, or -1 */
	bool copied;               /* the buffer is the host's copy */
};

struct adapter {
	uint32_t gen;              /* generation of the current handle */
	bool active;               /* sends accepted */
	bool present;              /* added, not yet removed */
	uint16_t port_id;
	int8_t tid;
	uint16_t client;
	struct d11tx_queue *q;
	HANDLE ext_adapter;        /* the extension's hIhvExtAdapter */
	struct send_record *records;
	uint32_t *free_records;
	uint32_t nb_free_records;
	DOT11_ADAPTER info;
	WCHAR description[DESC_MAX];
};

/* State of a host buffer (Dot11ExtAllocateBuffer's zero-copy ones). */
struct buf_state {
	uint16_t in_flight;        /* sends of it not yet completed */
	bool owned;                /* the extension holds it */
	bool free_pending;         /* freed by the extension while in flight */
};

/* A heap allocation larger than a host buffer (or made when none was
 * left), listed so that Dot11ExtFreeBuffer recognises its own without
 * reading memory in front of a foreign pointer. */
struct heap_header {
	struct heap_header *next;
	struct heap_header *prev;  /* keeps the caller's bytes 16-aligned */
};

struct d11tx_ihv_host {
	pthread_t owner;
	void *dl;
	DOT11EXT_APIS apis;
	DOT11EXT_IHV_HANDLERS handlers;
	DOT11TX_IHV_BATCH_HANDLERS batch;
	struct adapter adapters[D11TX_IHV_MAX_ADAPTERS];

	/* Host buffers: one page-aligned block, registered with every
	 * adapter's queue. */
	rte_spinlock_t buf_lock;
	uint8_t *bufs;
	size_t bufs_len;
	uint32_t buf_size;
	uint32_t buf_count;
	uint32_t *free_bufs;
	uint32_t nb_free_bufs;
	struct buf_state *buf_state;
	struct heap_header heap;   /* list head of heap allocations */

	struct { void *addr; size_t len; } regions[MAX_HOST_REGIONS];
	unsigned int nb_regions;

	struct d11tx_ihv_host_stats stats;
	/* The extension's completion handler is running: the host's control
	 * calls are refused (-EDEADLK) and its poll does nothing, as the
	 * engine's are inside a completion callback. */
	bool in_completion;
};

static struct d11tx_ihv_host *the_host;

/* ---------- handles ---------- */

static HANDLE
svc_handle(const struct d11tx_ihv_host *h, const struct adapter *a)
{
	const uintptr_t slot = (uintptr_t)(a - h->adapters);

	return (HANDLE)(((uintptr_t)a->gen << SLOT_BITS) | (slot + 1));
}

/* The slot @p svc names (-1: none) and the generation it carries. */
static int
handle_slot(HANDLE svc, uintptr_t *gen)
{
	const uintptr_t v = (uintptr_t)svc;
	const uintptr_t slot = (v & ((1u << SLOT_BITS) - 1)) - 1;

	*gen = v >> SLOT_BITS;
	return slot < D11TX_IHV_MAX_ADAPTERS ? (int)slot : -1;
}

/* The adapter of @p svc, or NULL with *err: ERROR_INVALID_HANDLE (never
 * issued) or ERROR_INVALID_STATE (deinitialised, or being). */
static struct adapter *
adapter_of(struct d11tx_ihv_host *h, HANDLE svc, DWORD *err)
{
	uintptr_t gen;
	const int slot = handle_slot(svc, &gen);
	struct adapter *a;

	*err = ERROR_INVALID_HANDLE;
	if (h == NULL || slot < 0 || gen == 0)
		return NULL;
	a = &h->adapters[slot];
	if (gen > a->gen)
		return NULL;
	if (gen < a->gen || !a->active) {
		*err = ERROR_INVALID_STATE;
		return NULL;
	}
	*err = ERROR_SUCCESS;
	return a;
}

/* ---------- host buffers ---------- */

static int32_t
buf_index(const struct d11tx_ihv_host *h, const void *p)
{
	const uintptr_t off = (uintptr_t)p - (uintptr_t)h->bufs;

	return off < (uintptr_t)h->buf_count * h->buf_size
		? (int32_t)(off / h->buf_size) : -1;
}

static void *
buf_addr(const struct d11tx_ihv_host *h, int32_t i)
{
	return h->bufs + (size_t)i * h->buf_size;
}

/* Caller holds buf_lock. */
static int32_t
buf_take(struct d11tx_ihv_host *h)
{
	return h->nb_free_bufs == 0 ? -1 : (int32_t)h->free_bufs[--h->nb_free_bufs];
}

static void
buf_give_back(struct d11tx_ihv_host *h, int32_t i)
{
	h->buf_state[i] = (struct buf_state){ 0 };
	h->free_bufs[h->nb_free_bufs++] = (uint32_t)i;
}

static DWORD WINAPI
ext_allocate_buffer(DWORD count, LPVOID *out)
{
	struct d11tx_ihv_host *h = the_host;
	int32_t i = -1;

	if (out == NULL)
		return ERROR_INVALID_PARAMETER;
	*out = NULL;
	if (h == NULL)
		return ERROR_SERVICE_NOT_ACTIVE;
	if (count <= h->buf_size) {
		rte_spinlock_lock(&h->buf_lock);
		i = buf_take(h);
		if (i >= 0)
			h->buf_state[i].owned = true;
		rte_spinlock_unlock(&h->buf_lock);
		if (i >= 0) {
			__atomic_fetch_add(&h->stats.buffers_out, 1, __ATOMIC_RELAXED);
			*out = buf_addr(h, i);
			return ERROR_SUCCESS;
		}
	}
	/* Larger than a host buffer, or none left: the heap. Such a buffer
	 * is sent by copy if it fits a host buffer, else not at all unless
	 * registered (d11tx_ihv_host_mem_register). */
	struct heap_header *hh = malloc(sizeof(*hh) + count);

	if (hh == NULL)
		return ERROR_OUTOFMEMORY;
	rte_spinlock_lock(&h->buf_lock);
	hh->next = h->heap.next;
	hh->prev = &h->heap;
	h->heap.next->prev = hh;
	h->heap.next = hh;
	rte_spinlock_unlock(&h->buf_lock);
	*out = hh + 1;
	__atomic_fetch_add(&h->stats.buffers_out, 1, __ATOMIC_RELAXED);
	return ERROR_SUCCESS;
}

static VOID WINAPI
ext_free_buffer(LPVOID p)
{
	struct d11tx_ihv_host *h = the_host;
	int32_t i;

	if (p == NULL || h == NULL)
		return;
	i = buf_index(h, p);
	rte_spinlock_lock(&h->buf_lock);
	if (i < 0) {
		struct heap_header *hh = h->heap.next;

		while (hh != &h->heap && (void *)(hh + 1) != p)
			hh = hh->next;
		if (hh == &h->heap) {
			rte_spinlock_unlock(&h->buf_lock);
			HOST_LOG(ERR, "Dot11ExtFreeBuffer(%p): not a buffer of "
				 "Dot11ExtAllocateBuffer; ignored\n", p);
			return;
		}
		hh->prev->next = hh->next;
		hh->next->prev = hh->prev;
		rte_spinlock_unlock(&h->buf_lock);
		free(hh);
		__atomic_fetch_sub(&h->stats.buffers_out, 1, __ATOMIC_RELAXED);
		return;
	}
	if (p != buf_addr(h, i) || !h->buf_state[i].owned) {
		rte_spinlock_unlock(&h->buf_lock);
		HOST_LOG(ERR, "Dot11ExtFreeBuffer(%p): %s; ignored\n", p,
			 p != buf_addr(h, i) ? "not the start of a buffer"
			 : "already freed");
		return;
	}
	h->buf_state[i].owned = false;
	__atomic_fetch_sub(&h->stats.buffers_out, 1, __ATOMIC_RELAXED);
	/* Windows leaves a buffer freed before its completion to chance; here
	 * it is given back when the NIC is done. */
	if (h->buf_state[i].in_flight != 0)
		h->buf_state[i].free_pending = true;
	else
		buf_give_back(h, i);
	rte_spinlock_unlock(&h->buf_lock);
}

/* ---------- the send path ---------- */

/* What a dot11tx refusal means in winerror.h terms. */
static DWORD
refusal_code(int err)
{
	switch (err) {
	case ENOBUFS: return ERROR_NO_SYSTEM_RESOURCES;
	case EMSGSIZE: case EBADMSG: case ENODATA: return ERROR_BAD_LENGTH;
	case ESHUTDOWN: case ENOTCONN: return ERROR_INVALID_STATE;
	case EFAULT: return ERROR_INVALID_USER_BUFFER;
	default: return ERROR_INVALID_PARAMETER;
	}
}

/*
 * Prepare one packet: check it, take a send record and, unless it lies in
 * a host buffer or a registered region, copy it into a host buffer.
 * Returns ERROR_SUCCESS with *f filled, or the code to return.
 */
static DWORD
prepare(struct d11tx_ihv_host *h, struct adapter *a, ULONG len, LPVOID pv,
	HANDLE completion, struct d11tx_eth_frame *f)
{
	struct send_record *rec;
	int32_t i;

	if (pv == NULL)
		return ERROR_INVALID_PARAMETER;
	if (len < D11TX_DOT11_ETH_PREFIX || len > D11TX_MAX_FRAME_LEN)
		return ERROR_BAD_LENGTH;
	if (a->nb_free_records == 0)
		return ERROR_NO_SYSTEM_RESOURCES;
	rec = &a->records[a->free_records[a->nb_free_records - 1]];
	rec->completion = completion;
	rec->buf = -1;
	rec->copied = false;
	*f = (struct d11tx_eth_frame){ .data = pv, .handle = rec, .len = len,
				       .client = a->client, .tid = a->tid };
	i = buf_index(h, pv);
	rte_spinlock_lock(&h->buf_lock);
	if (i >= 0 && (const uint8_t *)pv + len <= (uint8_t *)buf_addr(h, i) + h->buf_size) {
		/* Zero-copy from a buffer of Dot11ExtAllocateBuffer. */
		if (!h->buf_state[i].owned) {
			rte_spinlock_unlock(&h->buf_lock);
			return ERROR_INVALID_USER_BUFFER;   /* freed already */
		}
		h->buf_state[i].in_flight++;
		rec->buf = i;
	} else if (!d11tx_mem_contains(a->q, pv, len)) {
		if (len > h->buf_size) {
			rte_spinlock_unlock(&h->buf_lock);
			return ERROR_BAD_LENGTH;
		}
		i = buf_take(h);
		if (i < 0) {
			rte_spinlock_unlock(&h->buf_lock);
			return ERROR_NO_SYSTEM_RESOURCES;
		}
		h->buf_state[i].in_flight = 1;
		rec->buf = i;
		rec->copied = true;
		memcpy(buf_addr(h, i), pv, len);
		f->data = buf_addr(h, i);
	}
	rte_spinlock_unlock(&h->buf_lock);
	a->nb_free_records--;
	return ERROR_SUCCESS;
}

/* Release what a send record holds; caller holds buf_lock. */
static void
record_release_buf(struct d11tx_ihv_host *h, const struct send_record *rec)
{
	struct buf_state *b;

	if (rec->buf < 0)
		return;
	b = &h->buf_state[rec->buf];
	b->in_flight--;
	if (rec->copied || (b->in_flight == 0 && b->free_pending))
		buf_give_back(h, rec->buf);
}

static void
record_put(struct adapter *a, struct send_record *rec)
{
	a->free_records[a->nb_free_records++] = (uint32_t)(rec - a->records);
}

/* Undo prepare() for packets [from, to) of @p f that were not accepted. */
static void
unprepare(struct d11tx_ihv_host *h, struct adapter *a,
	  const struct d11tx_eth_frame *f, uint32_t from, uint32_t to)
{
	rte_spinlock_lock(&h->buf_lock);
	/* Newest first, so the record stack is as before. */
	for (uint32_t k = to; k-- > from;) {
		struct send_record *rec = f[k].handle;

		record_release_buf(h, rec);
		record_put(a, rec);
	}
	rte_spinlock_unlock(&h->buf_lock);
}

/* The adapter a send may use, or NULL with *err. */
static struct adapter *
sender_adapter(HANDLE svc, DWORD *err)
{
	struct d11tx_ihv_host *h = the_host;
	struct adapter *a = adapter_of(h, svc, err);

	if (a != NULL && !pthread_equal(pthread_self(), h->owner)) {
		*err = ERROR_INVALID_STATE;
		return NULL;
	}
	return a;
}

#define BATCH_MAX 64

static DWORD
send_packets(HANDLE svc, ULONG count, const ULONG *lens, LPVOID const *packets,
	     HANDLE const *completions, ULONG *sent)
{
	struct d11tx_ihv_host *h = the_host;
	struct d11tx_eth_frame f[BATCH_MAX];
	DWORD err;
	struct adapter *a = sender_adapter(svc, &err);
	ULONG done = 0;

	if (sent != NULL)
		*sent = 0;
	if (a == NULL)
		goto out;
	while (done < count) {
		const uint32_t want = RTE_MIN(count - done, (ULONG)BATCH_MAX);
		uint32_t k = 0;
		uint16_t taken;

		err = ERROR_SUCCESS;
		while (k < want && (err = prepare(h, a, lens[done + k], packets[done + k],
						  completions[done + k], &f[k])) == ERROR_SUCCESS)
			k++;
		taken = k != 0 ? d11tx_send_eth_burst(a->q, f, (uint16_t)k) : 0;
		if (taken < k) {
			err = refusal_code(rte_errno);
			unprepare(h, a, f, taken, k);
		}
		done += taken;
		h->stats.sends_ok += taken;
		for (uint16_t j = 0; j < taken; j++)
			h->stats.sends_copied += ((struct send_record *)f[j].handle)->copied;
		if (err != ERROR_SUCCESS)
			break;
	}
	if (sent != NULL)
		*sent = done;
out:
	/* Atomic: a send from a wrong thread counts its failure too. */
	if (err != ERROR_SUCCESS && h != NULL)
		__atomic_fetch_add(&h->stats.sends_failed, 1, __ATOMIC_RELAXED);
	return err;
}

static DWORD WINAPI
ext_send_packet(HANDLE svc, ULONG len, LPVOID pv, HANDLE completion)
{
	return send_packets(svc, 1, &len, &pv, &completion, NULL);
}

static DWORD WINAPI
ext_send_packets(HANDLE svc, ULONG count, const ULONG *lens, LPVOID const *packets,
		 HANDLE const *completions, PULONG sent)
{
	if (count != 0 && (lens == NULL || packets == NULL || completions == NULL)) {
		if (sent != NULL)
			*sent = 0;
		if (the_host != NULL)
			__atomic_fetch_add(&the_host->stats.sends_failed, 1, __ATOMIC_RELAXED);
		return ERROR_INVALID_PARAMETER;
	}
	return send_packets(svc, count, lens, packets, completions, sent);
}

/* dot11tx completions of one adapter: give the buffers back, then tell the
 * extension, in one call if it asked for batches. */
static void
on_completion(void *ctx, void *const handles[], const uint8_t status[],
	      const uint8_t retries[], uint16_t n)
{
	struct adapter *a = ctx;
	struct d11tx_ihv_host *h = the_host;
	HANDLE done[RTE_MAX(BATCH_MAX, 256)];

	(void)retries;
	for (uint16_t base = 0; base < n; base += RTE_DIM(done)) {
		const uint16_t k = (uint16_t)RTE_MIN((unsigned int)(n - base), RTE_DIM(done));

		rte_spinlock_lock(&h->buf_lock);
		for (uint16_t i = 0; i < k; i++) {
			struct send_record *rec = handles[base + i];

			done[i] = rec->completion;
			record_release_buf(h, rec);
			record_put(a, rec);
		}
		rte_spinlock_unlock(&h->buf_lock);
		h->stats.completions += k;
		h->in_completion = true;
		if (h->batch.Dot11txSendPacketCompletions != NULL)
			h->batch.Dot11txSendPacketCompletions(k, done, status + base);
		else
			for (uint16_t i = 0; i < k; i++)
				h->handlers.Dot11ExtIhvSendPacketCompletion(done[i]);
		h->in_completion = false;
	}
}

/* ---------- the rest of DOT11EXT_APIS: not supported ---------- */

#define UNSUPPORTED(name, ...) \
	static DWORD WINAPI name(__VA_ARGS__) { return ERROR_NOT_SUPPORTED; }

/* Their parameters are there for the signature only. */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wunused-parameter"

UNSUPPORTED(ext_set_profile_custom_user_data, HANDLE a, HANDLE b, DWORD c, DWORD d, LPVOID e)
UNSUPPORTED(ext_get_profile_custom_user_data, HANDLE a, HANDLE b, DWORD c, DWORD *d, LPVOID *e)
UNSUPPORTED(ext_set_current_profile, HANDLE a, HANDLE b, PDOT11EXT_IHV_CONNECTIVITY_PROFILE c,
	    PDOT11EXT_IHV_SECURITY_PROFILE d)
UNSUPPORTED(ext_send_ui_request, HANDLE a, PDOT11EXT_IHV_UI_REQUEST b)
UNSUPPORTED(ext_pre_associate_completion, HANDLE a, HANDLE b, DWORD c, DWORD d)
UNSUPPORTED(ext_post_associate_completion, HANDLE a, HANDLE b, PDOT11_MAC_ADDRESS c, DWORD d,
	    DWORD e)
UNSUPPORTED(ext_send_notification, HANDLE a, PL2_NOTIFICATION_DATA b)
UNSUPPORTED(ext_set_ethertype_handling, HANDLE a, ULONG b, ULONG c, PDOT11_PRIVACY_EXEMPTION d,
	    ULONG e, USHORT *f)
UNSUPPORTED(ext_set_auth_algorithm, HANDLE a, DWORD b)
UNSUPPORTED(ext_set_unicast_cipher_algorithm, HANDLE a, DWORD b)
UNSUPPORTED(ext_set_multicast_cipher_algorithm, HANDLE a, DWORD b)
UNSUPPORTED(ext_set_default_key, HANDLE a, PDOT11_CIPHER_DEFAULT_KEY_VALUE b, DOT11_DIRECTION c)
UNSUPPORTED(ext_set_key_mapping_key, HANDLE a, PDOT11_CIPHER_KEY_MAPPING_KEY_VALUE b)
UNSUPPORTED(ext_set_default_key_id, HANDLE a, ULONG b)
UNSUPPORTED(ext_nic_specific_extension, HANDLE a, DWORD b, LPVOID c, DWORD *d, LPVOID e)
UNSUPPORTED(ext_set_exclude_unencrypted, HANDLE a, BOOL b)
UNSUPPORTED(ext_start_onex, HANDLE a, EAP_ATTRIBUTES *b)
UNSUPPORTED(ext_stop_onex, HANDLE a)
UNSUPPORTED(ext_process_security_packet, HANDLE a, DWORD b, LPVOID c)
#pragma GCC diagnostic pop

static const DOT11EXT_APIS host_apis = {
	.Dot11ExtAllocateBuffer = ext_allocate_buffer,
	.Dot11ExtFreeBuffer = ext_free_buffer,
	.Dot11ExtSetProfileCustomUserData = ext_set_profile_custom_user_data,
	.Dot11ExtGetProfileCustomUserData = ext_get_profile_custom_user_data,
	.Dot11ExtSetCurrentProfile = ext_set_current_profile,
	.Dot11ExtSendUIRequest = ext_send_ui_request,
	.Dot11ExtPreAssociateCompletion = ext_pre_associate_completion,
	.Dot11ExtPostAssociateCompletion = ext_post_associate_completion,
	.Dot11ExtSendNotification = ext_send_notification,
	.Dot11ExtSendPacket = ext_send_packet,
	.Dot11ExtSetEtherTypeHandling = ext_set_ethertype_handling,
	.Dot11ExtSetAuthAlgorithm = ext_set_auth_algorithm,
	.Dot11ExtSetUnicastCipherAlgorithm = ext_set_unicast_cipher_algorithm,
	.Dot11ExtSetMulticastCipherAlgorithm = ext_set_multicast_cipher_algorithm,
	.Dot11ExtSetDefaultKey = ext_set_default_key,
	.Dot11ExtSetKeyMappingKey = ext_set_key_mapping_key,
	.Dot11ExtSetDefaultKeyId = ext_set_default_key_id,
	.Dot11ExtNicSpecificExtension = ext_nic_specific_extension,
	.Dot11ExtSetExcludeUnencrypted = ext_set_exclude_unencrypted,
	.Dot11ExtStartOneX = ext_start_onex,
	.Dot11ExtStopOneX = ext_stop_onex,
	.Dot11ExtProcessSecurityPacket = ext_process_security_packet,
};

static const DOT11TX_IHV_BATCH_APIS host_batch_apis = {
	.Dot11txSendPackets = ext_send_packets,
};

/* ---------- host life cycle ---------- */

static void
host_free(struct d11tx_ihv_host *h)
{
	/* Heap buffers the extension never freed. */
	while (h->heap.next != NULL && h->heap.next != &h->heap) {
		struct heap_header *hh = h->heap.next;

		h->heap.next = hh->next;
		free(hh);
	}
	if (h->dl != NULL)
		dlclose(h->dl);
	free(h->bufs);
	free(h->free_bufs);
	free(h->buf_state);
	free(h);
}

struct d11tx_ihv_host *
d11tx_ihv_host_open(const struct d11tx_ihv_extension *ext,
		    const struct d11tx_ihv_host_conf *conf)
{
	const struct d11tx_ihv_host_conf none = { 0 };
	DOT11_IHV_VERSION_INFO version = { 0 };
	struct d11tx_ihv_host *h;
	DWORD ret;

	if (ext == NULL || ext->get_version_info == NULL || ext->init_service == NULL) {
		rte_errno = EINVAL;
		return NULL;
	}
	if (the_host != NULL) {
		rte_errno = EBUSY;      /* the interface allows one service */
		return NULL;
	}
	if (conf == NULL)
		conf = &none;
	h = calloc(1, sizeof(*h));
	if (h == NULL) {
		rte_errno = ENOMEM;
		return NULL;
	}
	h->owner = pthread_self();
	h->buf_count = conf->buf_count ? conf->buf_count : DEFAULT_BUF_COUNT;
	h->buf_size = RTE_ALIGN_CEIL(conf->buf_size ? conf->buf_size : DEFAULT_BUF_SIZE, 64);
	if (h->buf_size > D11TX_MAX_FRAME_LEN + 64 || h->buf_count > (1u << 20)) {
		free(h);
		rte_errno = EINVAL;
		return NULL;
	}
	h->bufs_len = RTE_ALIGN_CEIL((size_t)h->buf_count * h->buf_size, 4096);
	h->bufs = aligned_alloc(4096, h->bufs_len);
	h->free_bufs = calloc(h->buf_count, sizeof(*h->free_bufs));
	h->buf_state = calloc(h->buf_count, sizeof(*h->buf_state));
	if (h->bufs == NULL || h->free_bufs == NULL || h->buf_state == NULL) {
		host_free(h);
		rte_errno = ENOMEM;
		return NULL;
	}
	rte_spinlock_init(&h->buf_lock);
	h->heap.next = h->heap.prev = &h->heap;
	for (uint32_t i = 0; i < h->buf_count; i++)
		h->free_bufs[h->nb_free_bufs++] = h->buf_count - 1 - i;
	h->apis = host_apis;

	ret = ext->get_version_info(&version);
	if (ret != ERROR_SUCCESS || version.dwVerMin != 0) {
		HOST_LOG(ERR, "the extension speaks versions %u to %u (error %u); "
			 "the host speaks 0\n", version.dwVerMin, version.dwVerMax, ret);
		host_free(h);
		rte_errno = ENOTSUP;
		return NULL;
	}
	/* The extension may allocate buffers from InitService on. */
	the_host = h;
	ret = ext->init_service(0, &h->apis, NULL, &h->handlers);
	if (ret == ERROR_SUCCESS && (h->handlers.Dot11ExtIhvInitAdapter == NULL ||
				     h->handlers.Dot11ExtIhvDeinitAdapter == NULL ||
				     h->handlers.Dot11ExtIhvDeinitService == NULL ||
				     h->handlers.Dot11ExtIhvSendPacketCompletion == NULL)) {
		HOST_LOG(ERR, "the extension left a send-path handler NULL\n");
		h->handlers.Dot11ExtIhvDeinitService ?
			h->handlers.Dot11ExtIhvDeinitService() : (void)0;
		ret = ERROR_INVALID_FUNCTION;
	} else if (ret == ERROR_SUCCESS && ext->init_batch != NULL &&
		   ext->init_batch(&host_batch_apis, &h->batch) != ERROR_SUCCESS) {
		HOST_LOG(ERR, "Dot11txIhvInitBatch failed\n");
		h->handlers.Dot11ExtIhvDeinitService();
		ret = ERROR_INVALID_FUNCTION;
	}
	if (ret != ERROR_SUCCESS) {
		if (ret != ERROR_INVALID_FUNCTION)
			HOST_LOG(ERR, "Dot11ExtIhvInitService failed: error %u\n", ret);
		the_host = NULL;
		host_free(h);
		rte_errno = EPROTO;
		return NULL;
	}
	return h;
}

struct d11tx_ihv_host *
d11tx_ihv_host_load(const char *path, const struct d11tx_ihv_host_conf *conf)
{
	struct d11tx_ihv_extension ext;
	struct d11tx_ihv_host *h;
	void *dl;

	if (path == NULL) {
		rte_errno = EINVAL;
		return NULL;
	}
	dl = dlopen(path, RTLD_NOW | RTLD_LOCAL);
	if (dl == NULL) {
		HOST_LOG(ERR, "cannot load %s: %s\n", path, dlerror());
		rte_errno = ENOENT;
		return NULL;
	}
	ext.get_version_info = (DOT11EXTIHV_GET_VERSION_INFO)dlsym(dl, IHV_VERSION_FUNCTION_NAME);
	ext.init_service = (DOT11EXTIHV_INIT_SERVICE)dlsym(dl, IHV_INIT_FUNCTION_NAME);
	ext.init_batch = (DOT11TX_IHV_INIT_BATCH)dlsym(dl, D11TX_IHV_INIT_BATCH_FUNCTION_NAME);
	if (ext.get_version_info == NULL || ext.init_service == NULL) {
		HOST_LOG(ERR, "%s exports no %s or %s\n", path, IHV_VERSION_FUNCTION_NAME,
			 IHV_INIT_FUNCTION_NAME);
		dlclose(dl);
		rte_errno = ENOEXEC;
		return NULL;
	}
	h = d11tx_ihv_host_open(&ext, conf);
	if (h == NULL) {
		const int err = rte_errno;

		dlclose(dl);
		rte_errno = err;
		return NULL;
	}
	h->dl = dl;
	return h;
}

/* DOT11_ADAPTER for a port: a GUID from the port id and MAC, the
 * description in UTF-16, the mode of the role. */
static void
adapter_info(struct adapter *a, const struct d11tx_ihv_adapter_conf *c,
	     const struct rte_ether_addr *mac)
{
	char name[RTE_ETH_NAME_MAX_LEN] = "";
	const char *desc = c->description;
	unsigned int i;

	if (desc == NULL) {
		rte_eth_dev_get_name_by_port(c->port_id, name);
		desc = name;
	}
	for (i = 0; i + 1 < DESC_MAX && desc[i] != '\0'; i++)
		a->description[i] = (unsigned char)desc[i];
	a->description[i] = 0;
	a->info.gAdapterId = (GUID){ .Data1 = 0xd11c0000u | c->port_id,
				     .Data2 = 0x0d11, .Data3 = 0x4000 };
	memcpy(a->info.gAdapterId.Data4 + 2, mac->addr_bytes, 6);
	a->info.pszDescription = a->description;
	a->info.Dot11CurrentOpMode.uCurrentOpMode = c->role == D11TX_DOT11_AP
		? DOT11_OPERATION_MODE_EXTENSIBLE_AP
		: DOT11_OPERATION_MODE_EXTENSIBLE_STATION;
}

/* Free what add_adapter built; the queue must hold nothing. */
static void
adapter_teardown(struct adapter *a)
{
	d11tx_queue_destroy(a->q);
	free(a->records);
	free(a->free_records);
	a->q = NULL;
	a->records = NULL;
	a->free_records = NULL;
	a->present = false;
	a->active = false;
}

int
d11tx_ihv_host_add_adapter(struct d11tx_ihv_host *h,
			   const struct d11tx_ihv_adapter_conf *c, HANDLE *svc_out)
{
	static const uint8_t zero[6];
	struct d11tx_queue_conf qc = { 0 };
	struct d11tx_dot11_adapter dot11 = { 0 };
	struct rte_ether_addr mac;
	struct adapter *a = NULL;
	HANDLE svc;
	DWORD ret;
	int err;

	if (h == NULL || c == NULL || !rte_eth_dev_is_valid_port(c->port_id) ||
	    c->tid < -1 || c->tid > 7 || c->role > D11TX_DOT11_ADHOC)
		return -EINVAL;
	if (h->in_completion)
		return -EDEADLK;
	for (unsigned int i = 0; i < D11TX_IHV_MAX_ADAPTERS; i++) {
		if (h->adapters[i].present && h->adapters[i].port_id == c->port_id)
			return -EEXIST;
		if (a == NULL && !h->adapters[i].present)
			a = &h->adapters[i];
	}
	if (a == NULL)
		return -ENOSPC;

	qc.port_id = c->port_id;
	qc.ring_size = c->ring_size ? c->ring_size : DEFAULT_RING;
	qc.flags = c->port_started ? 0 : D11TX_QF_CONFIGURE_PORT;
	a->q = d11tx_queue_create(&qc);
	if (a->q == NULL)
		return -rte_errno;
	a->present = true;
	a->port_id = c->port_id;
	a->tid = c->tid;
	qc.ring_size = rte_align32pow2(qc.ring_size);
	a->records = calloc(qc.ring_size, sizeof(*a->records));
	a->free_records = calloc(qc.ring_size, sizeof(*a->free_records));
	if (a->records == NULL || a->free_records == NULL) {
		err = -ENOMEM;
		goto fail;
	}
	a->nb_free_records = 0;
	for (uint32_t i = 0; i < qc.ring_size; i++)
		a->free_records[a->nb_free_records++] = qc.ring_size - 1 - i;
	err = d11tx_client_register(a->q, on_completion, a);
	if (err < 0)
		goto fail;
	a->client = (uint16_t)err;
	err = d11tx_mem_register(a->q, h->bufs, h->bufs_len);
	for (unsigned int r = 0; err == 0 && r < h->nb_regions; r++)
		err = d11tx_mem_register(a->q, h->regions[r].addr, h->regions[r].len);
	if (err != 0)
		goto fail;
	rte_eth_macaddr_get(c->port_id, &mac);
	dot11.role = c->role;
	memcpy(dot11.own, memcmp(c->own, zero, 6) ? c->own : mac.addr_bytes, 6);
	memcpy(dot11.bssid, c->bssid, 6);
	err = d11tx_queue_set_adapter(a->q, &dot11, D11TX_ADAPTER_ASSIGN_SEQ);
	if (err != 0)
		goto fail;
	adapter_info(a, c, &mac);

	a->gen++;
	a->active = true;
	svc = svc_handle(h, a);
	a->ext_adapter = NULL;
	ret = h->handlers.Dot11ExtIhvInitAdapter(&a->info, svc, &a->ext_adapter);
	if (ret != ERROR_SUCCESS) {
		HOST_LOG(ERR, "Dot11ExtIhvInitAdapter(port %u) failed: error %u\n",
			 c->port_id, ret);
		/* Whatever it sent before failing completes first. */
		a->active = false;
		d11tx_queue_stop(a->q, STOP_TIMEOUT_US);
		err = -EPROTO;
		goto fail;
	}
	if (svc_out != NULL)
		*svc_out = svc;
	return 0;
fail:
	adapter_teardown(a);
	return err;
}

/* The adapter added with @p svc, not yet removed (active or not), or
 * NULL. */
static const struct adapter *
adapter_present(const struct d11tx_ihv_host *h, HANDLE svc)
{
	uintptr_t gen;
	const int slot = handle_slot(svc, &gen);

	if (h == NULL || slot < 0 || !h->adapters[slot].present ||
	    gen != h->adapters[slot].gen)
		return NULL;
	return &h->adapters[slot];
}

int
d11tx_ihv_host_remove_adapter(struct d11tx_ihv_host *h, HANDLE svc)
{
	const struct adapter *found;
	struct adapter *a;
	int ret;

	if (h == NULL)
		return -EINVAL;
	if (h->in_completion)
		return -EDEADLK;
	found = adapter_present(h, svc);
	if (found == NULL)
		return -ENOENT;
	a = &h->adapters[found - h->adapters];
	/* The handle is dead from now on: sends get ERROR_INVALID_STATE. */
	a->active = false;
	ret = d11tx_queue_stop(a->q, STOP_TIMEOUT_US);
	if (ret != 0)
		return ret;
	h->handlers.Dot11ExtIhvDeinitAdapter(a->ext_adapter);
	d11tx_client_unregister(a->q, a->client);
	/* A port the application started is left as it was (the queue's
	 * destroy starts a TX queue the stop had to stop). */
	adapter_teardown(a);
	return 0;
}

uint32_t
d11tx_ihv_host_poll(struct d11tx_ihv_host *h)
{
	uint32_t n = 0;

	if (h == NULL || h->in_completion)
		return 0;
	for (unsigned int i = 0; i < D11TX_IHV_MAX_ADAPTERS; i++)
		if (h->adapters[i].present)
			n += d11tx_poll(h->adapters[i].q);
	return n;
}

int
d11tx_ihv_host_mem_register(struct d11tx_ihv_host *h, void *addr, size_t len)
{
	int ret;

	if (h == NULL || addr == NULL || len == 0)
		return -EINVAL;
	if (h->in_completion)
		return -EDEADLK;
	if (h->nb_regions == MAX_HOST_REGIONS)
		return -ENOSPC;
	for (unsigned int i = 0; i < D11TX_IHV_MAX_ADAPTERS; i++) {
		if (!h->adapters[i].present)
			continue;
		ret = d11tx_mem_register(h->adapters[i].q, addr, len);
		if (ret != 0) {
			/* All or none. */
			while (i-- > 0)
				if (h->adapters[i].present)
					d11tx_mem_unregister(h->adapters[i].q, addr);
			return ret;
		}
	}
	h->regions[h->nb_regions].addr = addr;
	h->regions[h->nb_regions].len = len;
	h->nb_regions++;
	return 0;
}

const DOT11EXT_IHV_HANDLERS *
d11tx_ihv_host_handlers(const struct d11tx_ihv_host *h)
{
	return h != NULL ? &h->handlers : NULL;
}

HANDLE
d11tx_ihv_host_ext_adapter(const struct d11tx_ihv_host *h, HANDLE svc)
{
	const struct adapter *a = adapter_present(h, svc);

	return a != NULL ? a->ext_adapter : NULL;
}

struct d11tx_queue *
d11tx_ihv_host_queue(const struct d11tx_ihv_host *h, HANDLE svc)
{
	const struct adapter *a = adapter_present(h, svc);

	return a != NULL ? a->q : NULL;
}

int
d11tx_ihv_host_stats_get(const struct d11tx_ihv_host *h,
			 struct d11tx_ihv_host_stats *stats)
{
	if (h == NULL || stats == NULL)
		return -EINVAL;
	*stats = h->stats;
	stats->in_flight = 0;
	for (unsigned int i = 0; i < D11TX_IHV_MAX_ADAPTERS; i++)
		if (h->adapters[i].present)
			stats->in_flight += d11tx_queue_inflight(h->adapters[i].q);
	return 0;
}

int
d11tx_ihv_host_close(struct d11tx_ihv_host *h)
{
	if (h == NULL)
		return -EINVAL;
	if (h->in_completion)
		return -EDEADLK;
	for (unsigned int i = 0; i < D11TX_IHV_MAX_ADAPTERS; i++) {
		struct adapter *a = &h->adapters[i];
		int ret;

		if (!a->present)
			continue;
		ret = d11tx_ihv_host_remove_adapter(h, svc_handle(h, a));
		if (ret != 0)
			return ret;
	}
	h->handlers.Dot11ExtIhvDeinitService();
	if (h->stats.buffers_out != 0)
		HOST_LOG(WARNING, "the extension left %u buffers of "
			 "Dot11ExtAllocateBuffer unfreed\n", h->stats.buffers_out);
	the_host = NULL;
	host_free(h);
	return 0;
}
