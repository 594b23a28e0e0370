/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The IHV scenarios (ihv_scenario.h). The packets lie in memory
 * registered with the host, their bytes written once (DA, EtherType,
 * payload): like eth_encap's, they go zero-copy. Each sender's handles
 * are (sender + 1) << 48 | sequence, and the sums of those submitted and
 * completed must agree per sender.
 */
#define _GNU_SOURCE   /* pthread_attr_setaffinity_np */
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <rte_common.h>
#include <rte_cycles.h>
#include <rte_errno.h>
#include <rte_pause.h>

#include <dot11tx/dot11.h>
#include <dot11tx/ihv_host.h>

#include "ihv_scenario.h"

#define MAX_SENDERS 4
#define SLOTS 64
#define MAX_BURST 512
#define RING_SIZE 4096
#define SEQ_BITS 48

struct sender {
	struct ihv_bench *b;
	unsigned int index;
	pthread_t th;
	uint64_t next_seq;
	uint64_t sum_submitted;
	uint8_t *slots;
	/* Written by the host thread alone (completions). */
	uint64_t sum_completed __rte_cache_aligned;
	uint64_t completed;
} __rte_cache_aligned;

struct ihv_bench {
	struct d11tx_ihv_host *h;
	HANDLE svc;
	unsigned int nb_senders;   /* 0: the host thread sends, as sender 0 */
	uint16_t burst;
	ULONG len;                 /* Dot11ExtSendPacket's length */
	size_t slot_size;
	uint8_t *mem;
	volatile bool quit, paused;   /* read by the senders all the time */
	/* The host thread's (completions): a line of their own. */
	uint64_t completed __rte_cache_aligned;
	uint64_t last_completion_tsc;
	bool ok;
	struct sender s[MAX_SENDERS];
} __rte_cache_aligned;

/* The extension's view: one bench at a time (one host per process). */
static DOT11EXT_APIS apis;
static DOT11TX_IHV_BATCH_APIS batch_apis;
static struct ihv_bench *running;

static VOID WINAPI
on_completions(ULONG n, HANDLE const *h, const UCHAR *status)
{
	struct ihv_bench *b = running;

	RTE_SET_USED(status);
	for (ULONG i = 0; i < n; i++) {
		const uint64_t v = (uint64_t)(uintptr_t)h[i];
		const uint64_t who = (v >> SEQ_BITS) - 1;

		if (who >= MAX_SENDERS) {
			b->ok = false;
			continue;
		}
		b->s[who].sum_completed += v & ((UINT64_C(1) << SEQ_BITS) - 1);
		b->s[who].completed++;
	}
	b->completed += n;
	b->last_completion_tsc = rte_rdtsc();
}

static DWORD WINAPI
on_completion(HANDLE h)
{
	on_completions(1, &h, NULL);
	return ERROR_SUCCESS;
}

static VOID WINAPI ext_deinit_service(VOID) { }
static VOID WINAPI ext_deinit_adapter(HANDLE h) { RTE_SET_USED(h); }

static DWORD WINAPI
ext_init_adapter(PDOT11_ADAPTER a, HANDLE svc, PHANDLE out)
{
	RTE_SET_USED(a);
	RTE_SET_USED(svc);
	*out = NULL;
	return ERROR_SUCCESS;
}

static DWORD WINAPI
ext_version(PDOT11_IHV_VERSION_INFO v)
{
	v->dwVerMin = 0;
	v->dwVerMax = 0;
	return ERROR_SUCCESS;
}

static DWORD WINAPI
ext_init_service(DWORD ver, PDOT11EXT_APIS a, LPVOID reserved, PDOT11EXT_IHV_HANDLERS hd)
{
	RTE_SET_USED(ver);
	RTE_SET_USED(reserved);
	apis = *a;
	hd->Dot11ExtIhvDeinitService = ext_deinit_service;
	hd->Dot11ExtIhvInitAdapter = ext_init_adapter;
	hd->Dot11ExtIhvDeinitAdapter = ext_deinit_adapter;
	hd->Dot11ExtIhvSendPacketCompletion = on_completion;
	return ERROR_SUCCESS;
}

static DWORD WINAPI
ext_init_batch(const DOT11TX_IHV_BATCH_APIS *a, PDOT11TX_IHV_BATCH_HANDLERS hd)
{
	batch_apis = *a;
	hd->Dot11txSendPacketCompletions = on_completions;
	return ERROR_SUCCESS;
}

/* One call of Dot11txSendPackets: up to @p want packets of sender @p s.
 * Returns how many were accepted. */
static ULONG
send_some(struct ihv_bench *b, struct sender *s, uint16_t want)
{
	ULONG lens[MAX_BURST];
	LPVOID pkts[MAX_BURST];
	HANDLE hs[MAX_BURST];
	ULONG sent = 0;
	const uint64_t tag = (uint64_t)(s->index + 1) << SEQ_BITS;

	for (uint16_t i = 0; i < want; i++) {
		const uint64_t seq = s->next_seq + i;

		lens[i] = b->len;
		pkts[i] = s->slots + (seq % SLOTS) * b->slot_size;
		hs[i] = (HANDLE)(uintptr_t)(tag | seq);
	}
	batch_apis.Dot11txSendPackets(b->svc, want, lens, pkts, hs, &sent);
	/* Sequences from next_seq: their sum in closed form. */
	s->sum_submitted += (uint64_t)sent * (2 * s->next_seq + sent - 1) / 2;
	s->next_seq += sent;
	return sent;
}

static void *
sender_main(void *arg)
{
	struct sender *s = arg;
	struct ihv_bench *b = s->b;

	while (!b->quit) {
		if (b->paused) {
			usleep(50);
			continue;
		}
		/* A full ring: let the other senders (and the host) run. */
		if (send_some(b, s, b->burst) < b->burst)
			sched_yield();
	}
	return NULL;
}

/* The senders run on every CPU but the host thread's, where there is
 * another: the host thread is the EAL's lcore, pinned. */
static int
start_senders(struct ihv_bench *b)
{
	const int self = sched_getcpu();
	pthread_attr_t attr;
	cpu_set_t cpus;
	int ret;

	pthread_attr_init(&attr);
	CPU_ZERO(&cpus);
	for (long c = 0; c < sysconf(_SC_NPROCESSORS_ONLN); c++)
		if (c != self)
			CPU_SET((int)c, &cpus);
	if (CPU_COUNT(&cpus) != 0)
		pthread_attr_setaffinity_np(&attr, sizeof(cpus), &cpus);
	for (unsigned int i = 0; i < b->nb_senders; i++) {
		ret = pthread_create(&b->s[i].th, &attr, sender_main, &b->s[i]);
		if (ret != 0) {
			b->nb_senders = i;
			pthread_attr_destroy(&attr);
			return -ret;
		}
	}
	pthread_attr_destroy(&attr);
	return 0;
}

struct ihv_bench *
ihv_bench_create(unsigned int senders, uint16_t port, uint16_t frame_len, uint16_t burst)
{
	const struct d11tx_ihv_extension ext = {
		.get_version_info = ext_version, .init_service = ext_init_service,
		.init_batch = ext_init_batch,
	};
	static const uint8_t prefix[D11TX_DOT11_ETH_PREFIX] = {
		0x02, 0xdd, 0xdd, 0xdd, 0xdd, 0xdd, 0x88, 0xb5 };
	struct d11tx_ihv_adapter_conf ac = {
		.port_id = port, .role = D11TX_DOT11_STATION, .tid = -1,
		.ring_size = RING_SIZE, .port_started = 1,
		.bssid = { 0x02, 0xbb, 0xbb, 0xbb, 0xbb, 0xbb },
	};
	const unsigned int nb_regions = senders ? senders : 1;
	struct ihv_bench *b;
	int ret;

	if (senders > MAX_SENDERS || burst > MAX_BURST || running != NULL) {
		rte_errno = EINVAL;
		return NULL;
	}
	b = aligned_alloc(RTE_CACHE_LINE_SIZE, sizeof(*b));
	if (b == NULL) {
		rte_errno = ENOMEM;
		return NULL;
	}
	memset(b, 0, sizeof(*b));
	b->nb_senders = senders;
	b->burst = burst;
	b->ok = true;
	/* The 24-byte data header and 8 of LLC/SNAP replace DA and EtherType. */
	b->len = (ULONG)frame_len - (D11TX_DOT11_ENCAP_MAX - 2) + D11TX_DOT11_ETH_PREFIX;
	b->slot_size = RTE_ALIGN_CEIL(b->len, 64);
	b->mem = aligned_alloc(4096, RTE_ALIGN_CEIL(b->slot_size * SLOTS * nb_regions, 4096));
	if (b->mem == NULL) {
		free(b);
		rte_errno = ENOMEM;
		return NULL;
	}
	for (unsigned int i = 0; i < SLOTS * nb_regions; i++) {
		uint8_t *p = b->mem + i * b->slot_size;

		memcpy(p, prefix, sizeof(prefix));
		memset(p + sizeof(prefix), (int)i, b->len - sizeof(prefix));
	}
	for (unsigned int i = 0; i < MAX_SENDERS; i++)
		b->s[i] = (struct sender){ .b = b, .index = i, .next_seq = 1,
			.slots = b->mem + (size_t)(i % nb_regions) * SLOTS * b->slot_size };
	running = b;
	b->h = d11tx_ihv_host_open(&ext, NULL);
	if (b->h == NULL) {
		ret = -rte_errno;
		goto fail;
	}
	ret = d11tx_ihv_host_mem_register(b->h, b->mem,
					  RTE_ALIGN_CEIL(b->slot_size * SLOTS * nb_regions, 4096));
	if (ret == 0)
		ret = d11tx_ihv_host_add_adapter(b->h, &ac, &b->svc);
	if (ret == 0)
		ret = start_senders(b);
	if (ret == 0)
		return b;
fail:
	ihv_bench_destroy(b);
	rte_errno = -ret;
	return NULL;
}

uint64_t
ihv_bench_run(struct ihv_bench *b, uint64_t frames)
{
	const uint64_t start = b->completed;

	while (b->completed - start < frames) {
		if (b->nb_senders == 0)
			send_some(b, &b->s[0], b->burst);
		d11tx_ihv_host_poll(b->h);
	}
	return b->completed - start;
}

/* Single packets from the host thread on an otherwise idle adapter: the
 * senders paused and everything of theirs completed first. */
int
ihv_bench_latency(struct ihv_bench *b, uint32_t count, uint64_t *samples)
{
	const uint64_t timeout = rte_get_tsc_hz();
	struct d11tx_ihv_host_stats st;

	b->paused = true;
	rte_delay_us_block(200);
	do
		d11tx_ihv_host_poll(b->h);
	while (d11tx_ihv_host_stats_get(b->h, &st) == 0 && st.in_flight != 0);
	for (uint32_t i = 0; i < count; i++) {
		const uint64_t before = b->completed, t0 = rte_rdtsc();

		/* Sender 0's sequence: its sums stay exact (its thread is
		 * paused, or it is the host thread). */
		if (send_some(b, &b->s[0], 1) != 1) {
			b->paused = false;
			return -EIO;
		}
		while (b->completed == before) {
			d11tx_ihv_host_poll(b->h);
			if (rte_rdtsc() - t0 > timeout) {
				b->paused = false;
				return -ETIMEDOUT;
			}
		}
		samples[i] = b->last_completion_tsc - t0;
	}
	b->paused = false;
	return 0;
}

bool
ihv_bench_destroy(struct ihv_bench *b)
{
	struct d11tx_ihv_host_stats st = { 0 };
	bool ok;

	if (b == NULL)
		return false;
	b->quit = true;
	for (unsigned int i = 0; i < b->nb_senders; i++)
		pthread_join(b->s[i].th, NULL);
	ok = b->ok && b->h != NULL;
	if (b->h != NULL) {
		for (uint64_t spin = 0; spin < 10000000; spin++) {
			d11tx_ihv_host_poll(b->h);
			if (d11tx_ihv_host_stats_get(b->h, &st) != 0 || st.in_flight == 0)
				break;
		}
		ok = ok && st.in_flight == 0 && st.sends_ok == b->completed &&
		     st.buffers_out == 0;
		for (unsigned int i = 0; i < MAX_SENDERS; i++)
			ok = ok && b->s[i].sum_completed == b->s[i].sum_submitted &&
			     b->s[i].completed == b->s[i].next_seq - 1;
		ok = d11tx_ihv_host_close(b->h) == 0 && ok;
	}
	running = NULL;
	free(b->mem);
	free(b);
	return ok;
}
