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
 * Threads. The extension's APIs may be called from any thread. Every
 * call checks its packet where it is made, so that its error is returned
 * at once; then the host's own thread (the one that opened it) sends it
 * straight through the adapter's queue, and any other thread puts a
 * compact descriptor on the adapter's multi-producer ring, which the host
 * thread drains in bursts in d11tx_ihv_host_poll(). The queue keeps its
 * single producer. A Dot11ExtAllocateBuffer buffer is held by a send
 * through an atomic state word, not a lock. A call is "inside" from its
 * entry to its return (counted in one of two phase counters), so that
 * removing an adapter or closing the host can wait for every call that
 * may still see the old state, and never for a call that started after.
 *
 * Each packet the host thread sends takes a send record (its
 * hSendCompletion, and the host buffer it holds), which is the dot11tx
 * completion handle.
 */

#include <dlfcn.h>
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rte_common.h>
#include <rte_errno.h>
#include <rte_ethdev.h>
#include <rte_log.h>
#include <rte_pause.h>
#include <rte_ring.h>
#include <rte_ring_elem.h>
#include <rte_spinlock.h>

#include "dot11tx/dot11tx.h"
#include "dot11tx/ihv_host.h"

/*
 * ThreadSanitizer and the rings (the adapters' submission rings, the free
 * ring of host buffers). rte_ring's code is inline and
 * instrumented, but the ordering it gives is invisible to TSan: on x86
 * (no RTE_USE_C11_MEM_MODEL) it rests on compiler barriers, and in the C11
 * model the producer releases on one word and the consumer acquires on
 * another. What a sender wrote before its enqueue (the packet, the
 * descriptor) would be reported as racing with the host thread's reads
 * after the dequeue. These say the ring's release and acquire on the ring
 * itself; the release goes before the enqueue, which is what publishes.
 * Nothing without TSan.
 */
#if defined(__SANITIZE_THREAD__)
#include <sanitizer/tsan_interface.h>
#define RING_RELEASING(r) __tsan_release(r)
#define RING_ACQUIRED(r) __tsan_acquire(r)
#else
#define RING_RELEASING(r) ((void)(r))
#define RING_ACQUIRED(r) ((void)(r))
#endif

#define DEFAULT_BUF_COUNT 4096
#define DEFAULT_BUF_SIZE 2048
#define DEFAULT_RING 1024
#define MAX_HOST_REGIONS 8
#define STOP_TIMEOUT_US 100000
#define SLOT_BITS 8
#define DESC_MAX 64
#define BATCH_MAX 64
/* Bursts of the submission ring one poll sends per adapter. */
#define DRAIN_BURSTS 4

#define HOST_LOG(level, ...) \
	RTE_LOG(level, USER1, "dot11tx ihv: " __VA_ARGS__)

/* One accepted packet, on the queue until its completion. */
struct send_record {
	HANDLE completion;         /* the extension's hSendCompletion */
	int32_t buf;               /* host buffer it holds, or -1 */
};

/* A packet checked and accepted on some thread, not yet on the queue: the
 * descriptor of the submission ring. */
struct pending {
	LPVOID data;               /* what is sent: the packet, or its copy */
	HANDLE completion;
	ULONG len;
	/* The host buffer it holds (a Dot11ExtAllocateBuffer one, or the
	 * copy), or -1 (registered memory: zero-copy, nothing held). */
	int32_t buf;
};

struct adapter {
	uint32_t gen;              /* generation of the current handle */
	bool active;               /* sends accepted */
	bool present;              /* added, not yet removed */
	uint16_t port_id;
	int8_t tid;
	uint16_t client;           /* its handles are send records */
	uint16_t client_direct;    /* its handles are the hSendCompletions */
	uint32_t max_len;          /* longest packet (d11tx_queue_eth_max_len) */
	struct d11tx_queue *q;
	/* Packets of other threads: MP enqueue, drained by the host thread. */
	struct rte_ring *ring;
	/* Taken off the ring, not yet on the queue (it was full). */
	struct pending carry[BATCH_MAX];
	uint16_t nb_carry;
	HANDLE ext_adapter;        /* the extension's hIhvExtAdapter */
	struct send_record *records;
	uint32_t *free_records;
	uint32_t nb_free_records;
	DOT11_ADAPTER info;
	WCHAR description[DESC_MAX];
};

/* State word of a host buffer (Dot11ExtAllocateBuffer's zero-copy ones):
 * the extension holds it (OWNED), it was freed while sends of it were in
 * flight (FREE_PENDING), and how many sends hold it. It goes back to the
 * free list when neither OWNED nor any send holds it. */
#define BUF_OWNED (1u << 31)
#define BUF_FREE_PENDING (1u << 30)
#define BUF_HOLDS ((1u << 24) - 1)

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
	 * adapter's queue. Their free list is a ring (taken and given back
	 * by any thread without a lock), their state words are atomic; the
	 * lock guards the list of heap allocations only. */
	uint8_t *bufs;
	size_t bufs_len;
	uint32_t buf_size;
	uint32_t buf_count;
	struct rte_ring *free_bufs;
	uint32_t *buf_state;
	rte_spinlock_t heap_lock;
	struct heap_header heap;   /* list head of heap allocations */

	/* Append-only, nb_regions published last: read by any thread. */
	struct { void *addr; size_t len; } regions[MAX_HOST_REGIONS];
	unsigned int nb_regions;

	/* Counted by every thread's calls (atomics): a line of their own, so
	 * that the host thread's writes below do not bounce it. */
	struct d11tx_ihv_host_stats stats __rte_cache_aligned;

	/* The host thread's alone. */
	uint64_t completions __rte_cache_aligned;
	/* The extension's completion handler is running: the host's control
	 * calls are refused (-EDEADLK) and its poll does nothing, as the
	 * engine's are inside a completion callback. */
	bool in_completion;
} __rte_cache_aligned;

static struct d11tx_ihv_host *the_host;

/* ---------- calls of the extension, from any thread ---------- */

/* Calls inside an API, by the phase they entered in. */
static uint32_t calls_phase;
static uint32_t calls_inside[2];

/* Enter an API call: the host, or NULL after its close. Sequentially
 * consistent with quiesce_calls(): either the call sees what the host
 * thread changed before it, or the host thread waits for the call. */
static struct d11tx_ihv_host *
call_enter(uint32_t *phase)
{
	*phase = __atomic_load_n(&calls_phase, __ATOMIC_RELAXED) & 1;
	__atomic_fetch_add(&calls_inside[*phase], 1, __ATOMIC_SEQ_CST);
	return __atomic_load_n(&the_host, __ATOMIC_SEQ_CST);
}

static void
call_exit(uint32_t phase)
{
	__atomic_fetch_sub(&calls_inside[phase], 1, __ATOMIC_RELEASE);
}

/* Wait until every API call that may have seen the state as it was
 * before now has returned. Calls entering meanwhile count in the other
 * phase and see the new state, so the wait ends however busy the senders
 * are: it lasts as long as the longest call in progress (a few hundred
 * nanoseconds of work; longer only if the OS preempted its thread). */
static void
quiesce_calls(void)
{
	const uint32_t old = __atomic_fetch_xor(&calls_phase, 1, __ATOMIC_SEQ_CST) & 1;

	for (unsigned int spins = 0;
	     __atomic_load_n(&calls_inside[old], __ATOMIC_SEQ_CST) != 0; spins++) {
		if (spins < 1000)
			rte_pause();
		else
			sched_yield();
	}
}

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
 * issued) or ERROR_INVALID_STATE (deinitialised, or being). From any
 * thread, inside call_enter(): an adapter is published (its generation,
 * then active) only once built, and unpublished before it is torn down. */
static struct adapter *
adapter_of(struct d11tx_ihv_host *h, HANDLE svc, DWORD *err)
{
	uintptr_t gen;
	const int slot = handle_slot(svc, &gen);
	struct adapter *a;
	uint32_t cur;

	*err = ERROR_INVALID_HANDLE;
	if (h == NULL || slot < 0 || gen == 0)
		return NULL;
	a = &h->adapters[slot];
	cur = __atomic_load_n(&a->gen, __ATOMIC_ACQUIRE);
	if (gen > cur)
		return NULL;
	if (gen < cur || !__atomic_load_n(&a->active, __ATOMIC_SEQ_CST)) {
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

/* A free host buffer, -1 if none is left, its state word @p state. */
static int32_t
buf_take(struct d11tx_ihv_host *h, uint32_t state)
{
	uint32_t i;

	if (rte_ring_dequeue_elem(h->free_bufs, &i, sizeof(i)) != 0)
		return -1;
	RING_ACQUIRED(h->free_bufs);
	__atomic_store_n(&h->buf_state[i], state, __ATOMIC_RELAXED);
	return (int32_t)i;
}

/* Nothing holds buffer @p i any more. The ring holds every buffer. */
static void
buf_give_back(struct d11tx_ihv_host *h, int32_t i)
{
	uint32_t u = (uint32_t)i;

	__atomic_store_n(&h->buf_state[i], 0, __ATOMIC_RELAXED);
	RING_RELEASING(h->free_bufs);
	rte_ring_enqueue_elem(h->free_bufs, &u, sizeof(u));
}

/* A send holds buffer @p i: only while the extension owns it. */
static DWORD
buf_hold(struct d11tx_ihv_host *h, int32_t i)
{
	uint32_t s = __atomic_load_n(&h->buf_state[i], __ATOMIC_RELAXED);

	do {
		if (!(s & BUF_OWNED))
			return ERROR_INVALID_USER_BUFFER;   /* freed already */
		if ((s & BUF_HOLDS) == BUF_HOLDS)
			return ERROR_NO_SYSTEM_RESOURCES;
	} while (!__atomic_compare_exchange_n(&h->buf_state[i], &s, s + 1, true,
					      __ATOMIC_ACQUIRE, __ATOMIC_RELAXED));
	return ERROR_SUCCESS;
}

/* A send lets go of buffer @p i; the last one of a freed buffer (or of a
 * copy, which is FREE_PENDING from the start) gives it back. */
static void
buf_release(struct d11tx_ihv_host *h, int32_t i)
{
	if (__atomic_sub_fetch(&h->buf_state[i], 1, __ATOMIC_ACQ_REL) == BUF_FREE_PENDING)
		buf_give_back(h, i);
}

static DWORD WINAPI
ext_allocate_buffer(DWORD count, LPVOID *out)
{
	uint32_t phase;
	struct d11tx_ihv_host *h;
	struct heap_header *hh;
	int32_t i = -1;

	if (out == NULL)
		return ERROR_INVALID_PARAMETER;
	*out = NULL;
	h = call_enter(&phase);
	if (h == NULL) {
		call_exit(phase);
		return ERROR_SERVICE_NOT_ACTIVE;
	}
	if (count <= h->buf_size) {
		i = buf_take(h, BUF_OWNED);
		if (i >= 0) {
			__atomic_fetch_add(&h->stats.buffers_out, 1, __ATOMIC_RELAXED);
			*out = buf_addr(h, i);
			call_exit(phase);
			return ERROR_SUCCESS;
		}
	}
	/* Larger than a host buffer, or none left: the heap. Such a buffer
	 * is sent by copy if it fits a host buffer, else not at all unless
	 * registered (d11tx_ihv_host_mem_register). */
	hh = malloc(sizeof(*hh) + count);
	if (hh == NULL) {
		call_exit(phase);
		return ERROR_OUTOFMEMORY;
	}
	rte_spinlock_lock(&h->heap_lock);
	hh->next = h->heap.next;
	hh->prev = &h->heap;
	h->heap.next->prev = hh;
	h->heap.next = hh;
	rte_spinlock_unlock(&h->heap_lock);
	*out = hh + 1;
	__atomic_fetch_add(&h->stats.buffers_out, 1, __ATOMIC_RELAXED);
	call_exit(phase);
	return ERROR_SUCCESS;
}

/* Dot11ExtFreeBuffer of heap allocation @p p; false: not one of ours. */
static bool
heap_free(struct d11tx_ihv_host *h, LPVOID p)
{
	struct heap_header *hh;

	rte_spinlock_lock(&h->heap_lock);
	for (hh = h->heap.next; hh != &h->heap && (void *)(hh + 1) != p; hh = hh->next)
		;
	if (hh == &h->heap) {
		rte_spinlock_unlock(&h->heap_lock);
		return false;
	}
	hh->prev->next = hh->next;
	hh->next->prev = hh->prev;
	rte_spinlock_unlock(&h->heap_lock);
	free(hh);
	return true;
}

static VOID WINAPI
ext_free_buffer(LPVOID p)
{
	uint32_t phase;
	struct d11tx_ihv_host *h = call_enter(&phase);
	const char *why = NULL;
	uint32_t s, next;
	int32_t i;

	if (p == NULL || h == NULL)
		goto out;
	i = buf_index(h, p);
	if (i < 0) {
		if (!heap_free(h, p))
			why = "not a buffer of Dot11ExtAllocateBuffer";
		else
			__atomic_fetch_sub(&h->stats.buffers_out, 1, __ATOMIC_RELAXED);
		goto out;
	}
	if (p != buf_addr(h, i)) {
		why = "not the start of a buffer";
		goto out;
	}
	/* Windows leaves a buffer freed before its completion to chance;
	 * here it is given back when the last send holding it completes. */
	s = __atomic_load_n(&h->buf_state[i], __ATOMIC_RELAXED);
	do {
		if (!(s & BUF_OWNED)) {
			why = "already freed";
			goto out;
		}
		next = (s & BUF_HOLDS) == 0 ? 0 : (s & ~BUF_OWNED) | BUF_FREE_PENDING;
	} while (!__atomic_compare_exchange_n(&h->buf_state[i], &s, next, true,
					      __ATOMIC_ACQ_REL, __ATOMIC_RELAXED));
	__atomic_fetch_sub(&h->stats.buffers_out, 1, __ATOMIC_RELAXED);
	if (next == 0)
		buf_give_back(h, i);
out:
	call_exit(phase);
	if (why != NULL)
		HOST_LOG(ERR, "Dot11ExtFreeBuffer(%p): %s; ignored\n", p, why);
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

/* Whether [p, p + len) lies in memory given to d11tx_ihv_host_mem_register(). */
static bool
in_regions(const struct d11tx_ihv_host *h, const void *p, ULONG len)
{
	const unsigned int n = __atomic_load_n(&h->nb_regions, __ATOMIC_ACQUIRE);
	const uintptr_t v = (uintptr_t)p;

	for (unsigned int r = 0; r < n; r++) {
		const uintptr_t off = v - (uintptr_t)h->regions[r].addr;

		if (off < h->regions[r].len && len <= h->regions[r].len - off)
			return true;
	}
	return false;
}

/* A packet that starts in the host buffers' memory: held when it lies in
 * one buffer, else (registered with the queue all the same) sent from
 * where it is. ERROR_NOT_FOUND when it runs past that memory. */
static __rte_noinline DWORD
place_in_host_buffers(struct d11tx_ihv_host *h, const uint8_t *p, ULONG len, uintptr_t off,
		      struct pending *out)
{
	const int32_t i = (int32_t)(off / h->buf_size);
	DWORD err;

	if ((uint32_t)i < h->buf_count &&
	    p + len <= (const uint8_t *)buf_addr(h, i) + h->buf_size) {
		err = buf_hold(h, i);
		if (err == ERROR_SUCCESS)
			out->buf = i;
		return err;
	}
	if (len <= h->bufs_len - off) {
		out->buf = -1;
		return ERROR_SUCCESS;
	}
	return ERROR_NOT_FOUND;
}

/* A packet in memory the queue does not know: copied into a host buffer
 * held by this send alone (its release gives the buffer back). */
static __rte_noinline DWORD
place_by_copy(struct d11tx_ihv_host *h, LPVOID pv, ULONG len, struct pending *out)
{
	int32_t i;

	if (len > h->buf_size)
		return ERROR_BAD_LENGTH;       /* too long to copy */
	i = buf_take(h, BUF_FREE_PENDING | 1);
	if (i < 0)
		return ERROR_NO_SYSTEM_RESOURCES;
	out->data = buf_addr(h, i);
	out->buf = i;
	memcpy(out->data, pv, len);
	return ERROR_SUCCESS;
}

/*
 * Check one packet where the extension sends it, on any thread, so that
 * every refusal is returned at once: the checks d11tx_send_eth_burst()
 * would make, and where it is sent from. A Dot11ExtAllocateBuffer buffer
 * is held from here on, and a packet from elsewhere copied into a host
 * buffer, on the caller's thread (unhold() undoes either).
 */
static __rte_always_inline DWORD
check_packet(struct d11tx_ihv_host *h, const struct adapter *a, ULONG len, LPVOID pv,
	     HANDLE completion, struct pending *out)
{
	const uint8_t *p = pv;
	const uintptr_t off = (uintptr_t)pv - (uintptr_t)h->bufs;
	DWORD err;

	if (pv == NULL)
		return ERROR_INVALID_PARAMETER;
	if (len < D11TX_DOT11_ETH_PREFIX || len > a->max_len)
		return ERROR_BAD_LENGTH;
	/* An 802.3 length has no LLC/SNAP encapsulation. */
	if (((uint32_t)p[6] << 8 | p[7]) < 0x600)
		return ERROR_INVALID_PARAMETER;
	*out = (struct pending){ .data = pv, .completion = completion, .len = len, .buf = -1 };
	if (unlikely(off < h->bufs_len)) {
		err = place_in_host_buffers(h, p, len, off, out);
		if (err != ERROR_NOT_FOUND)
			return err;
	}
	if (likely(in_regions(h, pv, len)))
		return ERROR_SUCCESS;
	return place_by_copy(h, pv, len, out);
}

/* Let go of what check_packet() took for packets [from, to) of @p p. */
static void
unhold(struct d11tx_ihv_host *h, const struct pending *p, uint32_t from, uint32_t to)
{
	for (uint32_t k = from; k < to; k++)
		if (p[k].buf >= 0)
			buf_release(h, p[k].buf);
}

static void
record_put(struct adapter *a, struct send_record *rec)
{
	a->free_records[a->nb_free_records++] = (uint32_t)(rec - a->records);
}

/* A send record for checked packet @p p (one must be free). */
static inline struct send_record *
record_take(struct adapter *a, const struct pending *p)
{
	struct send_record *rec = &a->records[a->free_records[--a->nb_free_records]];

	rec->completion = p->completion;
	rec->buf = p->buf;
	return rec;
}

/*
 * Host thread: put checked packets @p p[0, n) on the adapter's queue.
 * One that holds nothing (registered memory) goes with its
 * hSendCompletion as the dot11tx handle, on the direct client; one that
 * holds a host buffer takes a send record, whose release gives it back.
 * Returns how many the queue took; *err is why the next one was not
 * (ERROR_NO_SYSTEM_RESOURCES: queue full, or no record left). Those not
 * taken keep their holds.
 */
static uint16_t
submit_checked(struct adapter *a, const struct pending *p, uint16_t n, DWORD *err)
{
	struct d11tx_eth_frame f[BATCH_MAX];
	uint16_t k, taken;

	*err = ERROR_SUCCESS;
	for (k = 0; k < n; k++) {
		f[k] = (struct d11tx_eth_frame){ .data = p[k].data, .handle = p[k].completion,
			.len = p[k].len, .client = a->client_direct, .tid = a->tid };
		if (p[k].buf < 0)
			continue;
		if (a->nb_free_records == 0) {
			*err = ERROR_NO_SYSTEM_RESOURCES;
			break;
		}
		f[k].handle = record_take(a, &p[k]);
		f[k].client = a->client;
	}
	taken = k != 0 ? d11tx_send_eth_burst(a->q, f, k) : 0;
	if (taken < k) {
		*err = refusal_code(rte_errno);
		/* Newest first, so the record stack is as before. */
		for (uint16_t j = k; j-- > taken;)
			if (f[j].client == a->client)
				record_put(a, f[j].handle);
	}
	return taken;
}

/* Hand completions to the extension: in one call if it asked for batches,
 * else one call of Dot11ExtIhvSendPacketCompletion each. Host thread. */
static void
deliver(struct d11tx_ihv_host *h, const HANDLE *done, const uint8_t *status, uint16_t k)
{
	h->completions += k;
	h->in_completion = true;
	if (h->batch.Dot11txSendPacketCompletions != NULL)
		h->batch.Dot11txSendPacketCompletions(k, done, status);
	else
		for (uint16_t i = 0; i < k; i++)
			h->handlers.Dot11ExtIhvSendPacketCompletion(done[i]);
	h->in_completion = false;
}

/* Complete packets @p p[0, n), accepted but never queued, as cancelled. */
static void
cancel_pending(struct d11tx_ihv_host *h, const struct pending *p, uint32_t n)
{
	HANDLE done[BATCH_MAX];
	uint8_t status[BATCH_MAX];

	for (uint32_t base = 0; base < n; base += BATCH_MAX) {
		const uint16_t k = (uint16_t)RTE_MIN(n - base, (uint32_t)BATCH_MAX);

		for (uint16_t i = 0; i < k; i++) {
			done[i] = p[base + i].completion;
			status[i] = D11TX_STATUS_CANCELLED;
		}
		unhold(h, p, base, base + k);
		deliver(h, done, status, k);
	}
}

/*
 * Host thread: send what other threads put on adapter @p a's ring, a
 * burst at a time, the leftovers of a full queue first. A packet the
 * queue refuses for another reason than backpressure (possible only if
 * the application changed the queue since: its radiotap header, its frame
 * limit) completes at once as cancelled.
 */
static void
drain_adapter(struct d11tx_ihv_host *h, struct adapter *a)
{
	for (int burst = 0; burst < DRAIN_BURSTS; burst++) {
		uint16_t n = a->nb_carry, taken;
		DWORD err;

		n += (uint16_t)rte_ring_dequeue_burst_elem(a->ring, &a->carry[n],
			sizeof(struct pending), BATCH_MAX - n, NULL);
		RING_ACQUIRED(a->ring);
		if (n == 0)
			return;
		taken = submit_checked(a, a->carry, n, &err);
		if (taken < n && err != ERROR_NO_SYSTEM_RESOURCES) {
			HOST_LOG(WARNING, "port %u refused a checked packet (error %u): "
				 "cancelled\n", a->port_id, err);
			cancel_pending(h, &a->carry[taken], 1);
			taken++;
			err = ERROR_SUCCESS;
		}
		a->nb_carry = (uint16_t)(n - taken);
		memmove(a->carry, a->carry + taken, a->nb_carry * sizeof(a->carry[0]));
		if (err == ERROR_NO_SYSTEM_RESOURCES)
			return;    /* full: the next poll tries again */
	}
}

/* Packets of @p p[0, n) that are copies of the extension's. */
static uint32_t
count_copies(const struct pending *p, LPVOID const *packets, uint32_t n)
{
	uint32_t c = 0;

	for (uint32_t k = 0; k < n; k++)
		c += p[k].data != packets[k];
	return c;
}

/* Another thread's packets: checked here, queued on the ring. */
static ULONG
send_via_ring(struct d11tx_ihv_host *h, struct adapter *a, ULONG count, const ULONG *lens,
	      LPVOID const *packets, HANDLE const *completions, DWORD *err,
	      uint32_t *copies)
{
	struct pending p[BATCH_MAX];
	ULONG done = 0;

	*err = ERROR_SUCCESS;
	while (done < count && *err == ERROR_SUCCESS) {
		const uint32_t want = RTE_MIN(count - done, (ULONG)BATCH_MAX);
		uint32_t k = 0, queued;

		while (k < want && (*err = check_packet(h, a, lens[done + k], packets[done + k],
				completions[done + k], &p[k])) == ERROR_SUCCESS)
			k++;
		RING_RELEASING(a->ring);
		queued = k != 0 ? rte_ring_enqueue_burst_elem(a->ring, p, sizeof(p[0]),
								 k, NULL) : 0;
		if (queued < k) {
			unhold(h, p, queued, k);
			*err = ERROR_NO_SYSTEM_RESOURCES;
		}
		*copies += count_copies(p, packets + done, queued);
		done += queued;
	}
	return done;
}

/* The host thread's packets: checked, then straight onto the queue. The
 * checks write the queue's frames themselves (no struct pending between),
 * since this is the path a single-threaded extension takes for every
 * packet. */
static ULONG
send_direct(struct d11tx_ihv_host *h, struct adapter *a, ULONG count, const ULONG *lens,
	    LPVOID const *packets, HANDLE const *completions, DWORD *err,
	    uint32_t *copies)
{
	struct d11tx_eth_frame f[BATCH_MAX];
	int32_t held[BATCH_MAX];
	ULONG done = 0;

	*err = ERROR_SUCCESS;
	while (done < count && *err == ERROR_SUCCESS) {
		const uint32_t want = RTE_MIN(count - done, (ULONG)BATCH_MAX);
		uint32_t copied = 0;
		uint16_t k, taken;

		for (k = 0; k < want; k++) {
			struct pending p;

			*err = check_packet(h, a, lens[done + k], packets[done + k],
					    completions[done + k], &p);
			if (*err != ERROR_SUCCESS)
				break;
			f[k] = (struct d11tx_eth_frame){ .data = p.data, .handle = p.completion,
				.len = p.len, .client = a->client_direct, .tid = a->tid };
			held[k] = p.buf;
			if (p.buf < 0)
				continue;
			/* A held buffer goes back at the completion: a record. */
			if (a->nb_free_records == 0) {
				unhold(h, &p, 0, 1);
				*err = ERROR_NO_SYSTEM_RESOURCES;
				break;
			}
			f[k].handle = record_take(a, &p);
			f[k].client = a->client;
			copied += p.data != packets[done + k];
		}
		taken = k != 0 ? d11tx_send_eth_burst(a->q, f, k) : 0;
		if (taken < k) {
			*err = refusal_code(rte_errno);
			/* Newest first, so the record stack is as before. */
			for (uint16_t j = k; j-- > taken;) {
				if (held[j] < 0)
					continue;
				record_put(a, f[j].handle);
				buf_release(h, held[j]);
				copied -= f[j].data != packets[done + j];
			}
		}
		*copies += copied;
		done += taken;
	}
	return done;
}

static DWORD
send_packets(HANDLE svc, ULONG count, const ULONG *lens, LPVOID const *packets,
	     HANDLE const *completions, ULONG *sent)
{
	uint32_t phase;
	struct d11tx_ihv_host *h = call_enter(&phase);
	DWORD err;
	struct adapter *a = adapter_of(h, svc, &err);
	ULONG done = 0;
	uint32_t copies = 0;

	if (a != NULL) {
		done = pthread_equal(pthread_self(), h->owner)
			? send_direct(h, a, count, lens, packets, completions, &err, &copies)
			: send_via_ring(h, a, count, lens, packets, completions, &err, &copies);
		if (done != 0)
			__atomic_fetch_add(&h->stats.sends_ok, done, __ATOMIC_RELAXED);
		if (copies != 0)
			__atomic_fetch_add(&h->stats.sends_copied, copies, __ATOMIC_RELAXED);
	}
	if (err != ERROR_SUCCESS && h != NULL)
		__atomic_fetch_add(&h->stats.sends_failed, 1, __ATOMIC_RELAXED);
	call_exit(phase);
	if (sent != NULL)
		*sent = done;
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
		uint32_t phase;
		struct d11tx_ihv_host *h = call_enter(&phase);

		if (sent != NULL)
			*sent = 0;
		if (h != NULL)
			__atomic_fetch_add(&h->stats.sends_failed, 1, __ATOMIC_RELAXED);
		call_exit(phase);
		return ERROR_INVALID_PARAMETER;
	}
	return send_packets(svc, count, lens, packets, completions, sent);
}

/* dot11tx completions of packets that held nothing: their handles are
 * the extension's own. */
static void
on_completion_direct(void *ctx, void *const handles[], const uint8_t status[],
		     const uint8_t retries[], uint16_t n)
{
	(void)ctx;
	(void)retries;
	deliver(the_host, (const HANDLE *)handles, status, n);
}

/* dot11tx completions of send records: give the buffers back, then tell
 * the extension. */
static void
on_completion(void *ctx, void *const handles[], const uint8_t status[],
	      const uint8_t retries[], uint16_t n)
{
	struct adapter *a = ctx;
	struct d11tx_ihv_host *h = the_host;
	HANDLE done[256];

	(void)retries;
	for (uint16_t base = 0; base < n; base += RTE_DIM(done)) {
		const uint16_t k = (uint16_t)RTE_MIN((unsigned int)(n - base), RTE_DIM(done));

		for (uint16_t i = 0; i < k; i++) {
			struct send_record *rec = handles[base + i];

			done[i] = rec->completion;
			if (rec->buf >= 0)
				buf_release(h, rec->buf);
			record_put(a, rec);
		}
		deliver(h, done, status + base, k);
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

/* A ring of @p count (a power of 2) elements of @p esize bytes, in
 * ordinary memory: rte_ring_create() would want a unique name and a
 * memzone, neither of which the host needs. The extension's threads are
 * not lcores and may be preempted inside an enqueue (more threads than
 * CPUs is the common case): their side of a ring is RTS (relaxed tail
 * sync), where a preempted producer does not make the others spin on the
 * tail as the classic MP mode does. */
static struct rte_ring *
ring_alloc(const char *name, unsigned int esize, unsigned int count, unsigned int flags)
{
	const ssize_t size = rte_ring_get_memsize_elem(esize, count);
	struct rte_ring *r;

	if (size < 0)
		return NULL;
	r = aligned_alloc(RTE_CACHE_LINE_SIZE, RTE_ALIGN_CEIL((size_t)size, RTE_CACHE_LINE_SIZE));
	if (r != NULL && rte_ring_init(r, name, count, flags) != 0) {
		free(r);
		r = NULL;
	}
	return r;
}

/* No API call reaches the host any more, nor is inside one. */
static void
host_unpublish(void)
{
	__atomic_store_n(&the_host, NULL, __ATOMIC_SEQ_CST);
	quiesce_calls();
}

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
	h = aligned_alloc(RTE_CACHE_LINE_SIZE, sizeof(*h));
	if (h == NULL) {
		rte_errno = ENOMEM;
		return NULL;
	}
	memset(h, 0, sizeof(*h));
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
	h->free_bufs = ring_alloc("d11tx_ihv_bufs", sizeof(uint32_t),
				  rte_align32pow2(h->buf_count + 1),
				  RING_F_MP_RTS_ENQ | RING_F_MC_RTS_DEQ);
	h->buf_state = calloc(h->buf_count, sizeof(*h->buf_state));
	if (h->bufs == NULL || h->free_bufs == NULL || h->buf_state == NULL) {
		host_free(h);
		rte_errno = ENOMEM;
		return NULL;
	}
	rte_spinlock_init(&h->heap_lock);
	h->heap.next = h->heap.prev = &h->heap;
	for (uint32_t i = 0; i < h->buf_count; i++)
		rte_ring_enqueue_elem(h->free_bufs, &i, sizeof(i));
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
	__atomic_store_n(&the_host, h, __ATOMIC_SEQ_CST);
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
		host_unpublish();
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
	free(a->ring);
	a->q = NULL;
	a->records = NULL;
	a->free_records = NULL;
	a->ring = NULL;
	a->present = false;
	__atomic_store_n(&a->active, false, __ATOMIC_RELAXED);
}

/*
 * Kill adapter @p a's handle (sends get ERROR_INVALID_STATE from now on),
 * wait for the sends already inside, then complete what they left on the
 * ring, never queued, as cancelled. Host thread.
 */
static void
adapter_unpublish(struct d11tx_ihv_host *h, struct adapter *a)
{
	struct pending p[BATCH_MAX];
	unsigned int n;

	__atomic_store_n(&a->active, false, __ATOMIC_SEQ_CST);
	quiesce_calls();
	cancel_pending(h, a->carry, a->nb_carry);
	a->nb_carry = 0;
	while ((n = rte_ring_dequeue_burst_elem(a->ring, p, sizeof(p[0]),
						   BATCH_MAX, NULL)) != 0) {
		RING_ACQUIRED(a->ring);
		cancel_pending(h, p, n);
	}
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
	/* The ring of other threads' packets: as many as the queue holds. */
	a->nb_carry = 0;
	a->ring = ring_alloc("d11tx_ihv_send", sizeof(struct pending), qc.ring_size,
			     RING_F_MP_RTS_ENQ | RING_F_SC_DEQ);
	if (a->ring == NULL) {
		err = -ENOMEM;
		goto fail;
	}
	err = d11tx_client_register(a->q, on_completion, a);
	if (err < 0)
		goto fail;
	a->client = (uint16_t)err;
	err = d11tx_client_register(a->q, on_completion_direct, a);
	if (err < 0)
		goto fail;
	a->client_direct = (uint16_t)err;
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
	a->max_len = d11tx_queue_eth_max_len(a->q, a->tid);

	/* Published: other threads' sends see a built adapter. */
	__atomic_store_n(&a->gen, a->gen + 1, __ATOMIC_RELEASE);
	__atomic_store_n(&a->active, true, __ATOMIC_SEQ_CST);
	svc = svc_handle(h, a);
	a->ext_adapter = NULL;
	ret = h->handlers.Dot11ExtIhvInitAdapter(&a->info, svc, &a->ext_adapter);
	if (ret != ERROR_SUCCESS) {
		HOST_LOG(ERR, "Dot11ExtIhvInitAdapter(port %u) failed: error %u\n",
			 c->port_id, ret);
		/* Whatever it sent before failing completes first. */
		adapter_unpublish(h, a);
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
	adapter_unpublish(h, a);
	ret = d11tx_queue_stop(a->q, STOP_TIMEOUT_US);
	if (ret != 0)
		return ret;
	h->handlers.Dot11ExtIhvDeinitAdapter(a->ext_adapter);
	d11tx_client_unregister(a->q, a->client);
	d11tx_client_unregister(a->q, a->client_direct);
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
	for (unsigned int i = 0; i < D11TX_IHV_MAX_ADAPTERS; i++) {
		struct adapter *a = &h->adapters[i];

		if (!a->present)
			continue;
		drain_adapter(h, a);
		n += d11tx_poll(a->q);
	}
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
	/* Other threads' sends read the regions up to nb_regions. */
	__atomic_store_n(&h->nb_regions, h->nb_regions + 1, __ATOMIC_RELEASE);
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
	/* Field by field: other threads' calls count in them. */
	memset(stats, 0, sizeof(*stats));
	stats->completions = h->completions;
	stats->sends_ok = __atomic_load_n(&h->stats.sends_ok, __ATOMIC_RELAXED);
	stats->sends_failed = __atomic_load_n(&h->stats.sends_failed, __ATOMIC_RELAXED);
	stats->sends_copied = __atomic_load_n(&h->stats.sends_copied, __ATOMIC_RELAXED);
	stats->buffers_out = __atomic_load_n(&h->stats.buffers_out, __ATOMIC_RELAXED);
	stats->in_flight = 0;
	for (unsigned int i = 0; i < D11TX_IHV_MAX_ADAPTERS; i++) {
		const struct adapter *a = &h->adapters[i];

		if (a->present)
			stats->in_flight += d11tx_queue_inflight(a->q) + a->nb_carry +
				rte_ring_count(a->ring);
	}
	return 0;
}

int
d11tx_ihv_host_close(struct d11tx_ihv_host *h)
{
	uint32_t left;

	/* A host closed already is freed: it is not read. */
	if (h == NULL || h != __atomic_load_n(&the_host, __ATOMIC_RELAXED))
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
	left = __atomic_load_n(&h->stats.buffers_out, __ATOMIC_RELAXED);
	if (left != 0)
		HOST_LOG(WARNING, "the extension left %u buffers of "
			 "Dot11ExtAllocateBuffer unfreed\n", left);
	/* The extension's own threads may still be calling in. */
	host_unpublish();
	host_free(h);
	return 0;
}
