/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The IHV host (include/dot11tx/ihv_host.h): Windows Native WiFi IHV
 * extension code on dot11tx. A test extension defined here, linked in,
 * records every call the host makes (completions by hSendCompletion, the
 * order of completions and deinitialisations); the example extension of
 * tools/ihv-example runs as a shared object ($D11TX_IHV_EXAMPLE), and what
 * it sent is read back from the air with tshark.
 *
 * Covered: exactly-once completion; completion only after the NIC is done
 * (never for a packet the NIC still holds, all of them at removal, before
 * Dot11ExtIhvDeinitAdapter); every error code of Dot11ExtSendPacket, each
 * counted and never completed; the 19 APIs outside the send path; host
 * start-up errors; zero-copy against copied sends, and buffers freed in
 * flight; the batched addition; a port the application started; closing
 * with packets in flight. Each scenario has ports of its own (net_wlansim,
 * created at run time). The example's run on the air: 500 EAPOL-Key data
 * frames, station to AP, checked field by field with tshark (skipped
 * without it).
 */

#include <inttypes.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <rte_bus_vdev.h>
#include <rte_cycles.h>
#include <rte_errno.h>
#include <rte_ethdev.h>

#include <dot11tx/ihv_host.h>

#include "common.h"
#include "ihv_example.h"

#define EXAMPLE_ENV "D11TX_IHV_EXAMPLE"

/* Completion handles of the test extension: HBASE + index. */
#define MAX_H 8192
#define HBASE 0x10000000u
#define MAX_ADAPTERS 4
/* Handles of the sender threads: MT_HBASE + thread << 24 + sequence. */
#define MT_HBASE 0x40000000u
#define MT_THREADS 4
#define MT_SEQ_BITS 24

static const uint8_t bssid[6] = { 0x02, 0xbb, 0xbb, 0xbb, 0xbb, 0x01 };
static const uint8_t peer[6] = { 0x02, 0xdd, 0xdd, 0xdd, 0xdd, 0x02 };

/* ---------- the test extension ---------- */

static struct d11tx_ihv_host *H;   /* the host under test (one per process) */

static struct test_ext {
	/* How it behaves. */
	DWORD ver_min, ver_max, version_ret;
	DWORD init_service_ret;
	bool leave_completion_null;     /* a send-path handler left NULL */
	bool batch_completions;         /* fill Dot11txSendPacketCompletions */
	DWORD init_batch_ret;
	DWORD init_adapter_ret;
	bool send_in_init_adapter;      /* send one packet, then fail or not */
	bool send_in_deinit_adapter;    /* try to send from DeinitAdapter */
	bool free_on_completion;        /* Dot11ExtFreeBuffer(buf[i]) */
	HANDLE send_in_completion;      /* send from the handler, on this adapter */
	HANDLE misuse_in_completion;    /* the host's control calls from the handler */

	/* What the host gave it. */
	DOT11EXT_APIS apis;
	bool have_apis;
	DOT11TX_IHV_BATCH_APIS batch;
	bool have_batch;
	DWORD ver_used;

	/* What happened, in order: every call takes the next seq. */
	uint32_t seq;
	uint32_t init_service, deinit_service, init_adapter, deinit_adapter;
	uint32_t deinit_service_seq;
	uint32_t deinit_adapter_seq[MAX_ADAPTERS + 1];  /* by hIhvExtAdapter */
	HANDLE svc[MAX_ADAPTERS + 1];
	char desc[MAX_ADAPTERS + 1][32];
	ULONG op_mode[MAX_ADAPTERS + 1];
	DWORD deinit_send_ret;
	DWORD init_send_ret;
	int misuse_ret[5];              /* remove, close, add, mem, poll: their answers */
	bool misused;
	uint32_t completion_sends;      /* sends from the completion handler */
	uint32_t completion_sends_refused;  /* ... ERROR_INVALID_STATE */

	uint64_t completions;           /* handles completed, one way or the other */
	uint64_t completion_calls;      /* Dot11ExtIhvSendPacketCompletion */
	uint64_t batch_calls;           /* Dot11txSendPacketCompletions */
	uint64_t stray;                 /* a handle we never gave */
	uint64_t by_status[8];
	uint32_t count[MAX_H];
	uint32_t done_seq[MAX_H];
	uint8_t status[MAX_H];
	void *buf[MAX_H];
} X;

static HANDLE
hc(uint32_t i)
{
	return (HANDLE)(uintptr_t)(HBASE + i);
}

static void mt_record(uintptr_t v, int status);

static void
record(HANDLE h, int status)
{
	const uintptr_t v = (uintptr_t)h;
	uint32_t i;

	X.completions++;
	X.seq++;
	if (v >= MT_HBASE && v - MT_HBASE < ((uintptr_t)MT_THREADS << MT_SEQ_BITS)) {
		mt_record(v - MT_HBASE, status);
		return;
	}
	if (v < HBASE || v - HBASE >= MAX_H) {
		X.stray++;
		return;
	}
	i = (uint32_t)(v - HBASE);
	X.count[i]++;
	X.done_seq[i] = X.seq;
	if (status >= 0) {
		X.status[i] = (uint8_t)status;
		X.by_status[status & 7]++;
	}
	if (X.free_on_completion && X.buf[i] != NULL) {
		X.apis.Dot11ExtFreeBuffer(X.buf[i]);
		X.buf[i] = NULL;
	}
	if (X.misuse_in_completion != NULL && !X.misused) {
		static uint8_t region[4096];
		struct d11tx_ihv_adapter_conf c = { .port_id = 0, .tid = -1 };

		X.misused = true;
		X.misuse_ret[0] = d11tx_ihv_host_remove_adapter(H, X.misuse_in_completion);
		X.misuse_ret[1] = d11tx_ihv_host_close(H);
		X.misuse_ret[2] = d11tx_ihv_host_add_adapter(H, &c, NULL);
		X.misuse_ret[3] = d11tx_ihv_host_mem_register(H, region, sizeof(region));
		X.misuse_ret[4] = (int)d11tx_ihv_host_poll(H);
	}
	if (X.send_in_completion != NULL) {
		uint8_t p[64];

		memcpy(p, peer, 6);
		p[6] = 0x88;
		p[7] = 0x8e;
		memset(p + 8, 0, sizeof(p) - 8);
		X.completion_sends++;
		X.completion_sends_refused += X.apis.Dot11ExtSendPacket(X.send_in_completion,
			sizeof(p), p, hc(MAX_H - 5)) == ERROR_INVALID_STATE;
	}
}

static DWORD WINAPI
x_completion(HANDLE h)
{
	X.completion_calls++;
	record(h, -1);
	return ERROR_SUCCESS;
}

static VOID WINAPI
x_completions(ULONG n, HANDLE const *h, const UCHAR *status)
{
	X.batch_calls++;
	for (ULONG i = 0; i < n; i++)
		record(h[i], status[i]);
}

/* A 64-byte Ethernet-style packet, kept until it completes. */
static uint8_t init_packet[64];

static void fill_eth(uint8_t *p, uint32_t len, uint16_t ethertype);

static DWORD WINAPI
x_init_adapter(PDOT11_ADAPTER a, HANDLE svc, PHANDLE ph)
{
	const uint32_t k = ++X.init_adapter;

	X.seq++;
	assert_true(k <= MAX_ADAPTERS);
	X.svc[k] = svc;
	X.op_mode[k] = a->Dot11CurrentOpMode.uCurrentOpMode;
	for (unsigned int i = 0; i + 1 < sizeof(X.desc[k]) && a->pszDescription[i]; i++)
		X.desc[k][i] = (char)a->pszDescription[i];
	*ph = (HANDLE)(uintptr_t)k;
	if (X.send_in_init_adapter) {
		fill_eth(init_packet, sizeof(init_packet), 0x888e);
		X.init_send_ret = X.apis.Dot11ExtSendPacket(svc, sizeof(init_packet),
							    init_packet, hc(MAX_H - 1));
	}
	return X.init_adapter_ret;
}

static VOID WINAPI
x_deinit_adapter(HANDLE h)
{
	const uintptr_t k = (uintptr_t)h;

	X.deinit_adapter++;
	X.seq++;
	if (k >= 1 && k <= MAX_ADAPTERS)
		X.deinit_adapter_seq[k] = X.seq;
	if (X.send_in_deinit_adapter) {
		uint8_t p[64];

		fill_eth(p, sizeof(p), 0x888e);
		X.deinit_send_ret = X.apis.Dot11ExtSendPacket(X.svc[k], sizeof(p), p,
							      hc(MAX_H - 2));
	}
}

static VOID WINAPI
x_deinit_service(VOID)
{
	X.deinit_service++;
	X.deinit_service_seq = ++X.seq;
}

static DWORD WINAPI
x_get_version(PDOT11_IHV_VERSION_INFO v)
{
	v->dwVerMin = X.ver_min;
	v->dwVerMax = X.ver_max;
	return X.version_ret;
}

static DWORD WINAPI
x_init_service(DWORD ver, PDOT11EXT_APIS apis, LPVOID reserved, PDOT11EXT_IHV_HANDLERS hd)
{
	(void)reserved;
	X.init_service++;
	X.seq++;
	X.ver_used = ver;
	X.apis = *apis;
	X.have_apis = true;
	if (X.init_service_ret != ERROR_SUCCESS)
		return X.init_service_ret;
	/* The send path only; the host asks for nothing more. */
	hd->Dot11ExtIhvDeinitService = x_deinit_service;
	hd->Dot11ExtIhvInitAdapter = x_init_adapter;
	hd->Dot11ExtIhvDeinitAdapter = x_deinit_adapter;
	hd->Dot11ExtIhvSendPacketCompletion = X.leave_completion_null ? NULL : x_completion;
	return ERROR_SUCCESS;
}

static DWORD WINAPI
x_init_batch(const DOT11TX_IHV_BATCH_APIS *apis, PDOT11TX_IHV_BATCH_HANDLERS hd)
{
	X.batch = *apis;
	X.have_batch = true;
	if (X.batch_completions)
		hd->Dot11txSendPacketCompletions = x_completions;
	return X.init_batch_ret;
}

/* ---------- fixtures: the host, ports ---------- */


struct sim {
	char name[32];
	uint16_t port;
	bool open;
};

static struct sim sims[4];
static char pcap_path[128];

static int
reset(void **state)
{
	(void)state;
	memset(&X, 0, sizeof(X));
	H = NULL;
	return 0;
}

/* Whatever a failed test left: the host (one per process), the ports. */
static int
cleanup(void **state)
{
	(void)state;
	if (H != NULL)
		d11tx_ihv_host_close(H);
	H = NULL;
	for (unsigned int i = 0; i < RTE_DIM(sims); i++)
		if (sims[i].open) {
			rte_vdev_uninit(sims[i].name);
			sims[i].open = false;
		}
	return 0;
}

static uint16_t
sim_open(unsigned int slot, const char *args)
{
	struct sim *s = &sims[slot];

	s->port = test_wlansim_create(args, s->name, sizeof(s->name));
	s->open = true;
	return s->port;
}

static void
sim_close(unsigned int slot)
{
	assert_int_equal(rte_vdev_uninit(sims[slot].name), 0);
	sims[slot].open = false;
}

static void
host_open(bool batch, const struct d11tx_ihv_host_conf *conf)
{
	const struct d11tx_ihv_extension ext = {
		.get_version_info = x_get_version,
		.init_service = x_init_service,
		.init_batch = batch ? x_init_batch : NULL,
	};

	H = d11tx_ihv_host_open(&ext, conf);
	if (H == NULL)
		fail_msg("d11tx_ihv_host_open: %s", rte_strerror(rte_errno));
	assert_true(X.have_apis);
}

static HANDLE
adapter_add(uint16_t port, uint32_t ring)
{
	struct d11tx_ihv_adapter_conf c = {
		.port_id = port, .role = D11TX_DOT11_STATION, .tid = -1,
		.ring_size = ring, .description = "ihv-test",
	};
	HANDLE svc = NULL;
	int ret;

	memcpy(c.bssid, bssid, 6);
	ret = d11tx_ihv_host_add_adapter(H, &c, &svc);
	if (ret != 0)
		fail_msg("d11tx_ihv_host_add_adapter(port %u): %s", port, strerror(-ret));
	assert_non_null(svc);
	return svc;
}

static struct d11tx_ihv_host_stats
hstats(void)
{
	struct d11tx_ihv_host_stats s;

	assert_int_equal(d11tx_ihv_host_stats_get(H, &s), 0);
	return s;
}

/* ---------- packets ---------- */

/* DA (the peer), EtherType, then counting bytes. */
static void
fill_eth(uint8_t *p, uint32_t len, uint16_t ethertype)
{
	memcpy(p, peer, 6);
	p[6] = (uint8_t)(ethertype >> 8);
	p[7] = (uint8_t)ethertype;
	for (uint32_t i = 8; i < len; i++)
		p[i] = (uint8_t)(i * 3);
}

/* A Dot11ExtAllocateBuffer buffer holding an EAPOL-type packet. */
static uint8_t *
alloc_packet(uint32_t len)
{
	LPVOID p = NULL;

	assert_int_equal(X.apis.Dot11ExtAllocateBuffer(len, &p), ERROR_SUCCESS);
	assert_non_null(p);
	fill_eth(p, len, 0x888e);
	return p;
}

static int
cmp_ptr(const void *a, const void *b)
{
	const uintptr_t x = *(const uintptr_t *)a, y = *(const uintptr_t *)b;

	return x < y ? -1 : x > y;
}

/* The host's pool of @p count buffers of @p size bytes is whole: that many
 * allocations give one contiguous block, buffer after buffer, and the next
 * one comes from elsewhere (the heap). Everything is freed again. */
static void
assert_pool_full(uint32_t count, uint32_t size)
{
	uintptr_t *p = calloc(count + 1, sizeof(*p));
	LPVOID extra = NULL;

	assert_non_null(p);
	assert_int_equal(hstats().buffers_out, 0);
	for (uint32_t i = 0; i < count; i++)
		assert_int_equal(X.apis.Dot11ExtAllocateBuffer(size, (LPVOID *)&p[i]),
				 ERROR_SUCCESS);
	assert_int_equal(X.apis.Dot11ExtAllocateBuffer(size, &extra), ERROR_SUCCESS);
	qsort(p, count, sizeof(*p), cmp_ptr);
	for (uint32_t i = 1; i < count; i++)
		assert_int_equal(p[i] - p[i - 1], size);
	assert_true((uintptr_t)extra < p[0] || (uintptr_t)extra >= p[count - 1] + size);
	X.apis.Dot11ExtFreeBuffer(extra);
	for (uint32_t i = 0; i < count; i++)
		X.apis.Dot11ExtFreeBuffer((LPVOID)p[i]);
	assert_int_equal(hstats().buffers_out, 0);
	free(p);
}

static DWORD
send1(HANDLE svc, uint32_t i, void *p, ULONG len)
{
	return X.apis.Dot11ExtSendPacket(svc, len, p, hc(i));
}

/* ---------- polling ---------- */

static uint64_t
ms_cycles(uint32_t ms)
{
	return rte_get_tsc_hz() / 1000 * ms;
}

/* Poll until @p want completions arrived or @p timeout_ms passed. */
static void
poll_until(uint64_t want, uint32_t timeout_ms)
{
	const uint64_t deadline = rte_get_tsc_cycles() + ms_cycles(timeout_ms);

	while (X.completions < want && rte_get_tsc_cycles() < deadline)
		d11tx_ihv_host_poll(H);
}

/* Poll for @p ms milliseconds, whatever happens. */
static void
poll_for(uint32_t ms)
{
	const uint64_t end = rte_get_tsc_cycles() + ms_cycles(ms);

	while (rte_get_tsc_cycles() < end)
		d11tx_ihv_host_poll(H);
}

static uint64_t
xstat(uint16_t port, const char *name)
{
	struct rte_eth_xstat_name names[128];
	struct rte_eth_xstat vals[128];
	const int n = rte_eth_xstats_get_names(port, names, RTE_DIM(names));
	uint64_t v = UINT64_MAX;

	assert_true(n > 0 && n <= (int)RTE_DIM(names));
	assert_int_equal(rte_eth_xstats_get(port, vals, (unsigned int)n), n);
	for (int i = 0; i < n; i++)
		if (strcmp(names[i].name, name) == 0)
			v = vals[i].value;
	if (v == UINT64_MAX)
		fail_msg("port %u has no xstat %s", port, name);
	return v;
}

/* ---------- 1. exactly once ---------- */

/* N sends with distinct hSendCompletion values, some failing on purpose,
 * on a lossy port: each accepted one completes exactly once, the failed
 * ones never; the host's counters agree; every buffer comes back. */
static void
test_exactly_once(void **state)
{
	enum { N = 5000, BAD_EVERY = 97 };
	struct d11tx_queue_stats qs;
	struct d11tx_ihv_host_stats s;
	uint64_t accepted = 0, failed = 0, full = 0;
	uint16_t port;
	HANDLE svc;

	(void)state;
	port = sim_open(0, "ack_loss=0.3,retry_limit=1");
	host_open(false, NULL);
	X.free_on_completion = true;
	svc = adapter_add(port, 0);
	assert_int_equal(X.init_adapter, 1);
	assert_ptr_equal(X.svc[1], svc);
	assert_string_equal(X.desc[1], "ihv-test");
	assert_int_equal(X.op_mode[1], DOT11_OPERATION_MODE_EXTENSIBLE_STATION);
	assert_ptr_equal(d11tx_ihv_host_ext_adapter(H, svc), (HANDLE)(uintptr_t)1);
	assert_int_equal(X.ver_used, 0);

	for (uint32_t i = 0; i < N; i++) {
		const bool bad = i % BAD_EVERY == BAD_EVERY - 1;
		const uint32_t len = 8 + (i * 13) % 400;
		uint8_t *p = alloc_packet(len);
		DWORD ret;

		X.buf[i] = p;
		while ((ret = send1(svc, i, p, bad ? 7 : len)) == ERROR_NO_SYSTEM_RESOURCES) {
			full++;
			d11tx_ihv_host_poll(H);
		}
		if (bad) {
			assert_int_equal(ret, ERROR_BAD_LENGTH);
			failed++;
			/* Refused: the buffer is still ours. */
			X.apis.Dot11ExtFreeBuffer(p);
			X.buf[i] = NULL;
		} else {
			assert_int_equal(ret, ERROR_SUCCESS);
			accepted++;
		}
	}
	poll_until(accepted, 5000);
	print_message("%" PRIu64 " accepted, %" PRIu64 " refused, %" PRIu64
		      " times full\n", accepted, failed, full);
	assert_int_equal(X.completions, accepted);
	assert_int_equal(X.completion_calls, accepted);
	assert_int_equal(X.stray, 0);
	for (uint32_t i = 0; i < N; i++)
		assert_int_equal(X.count[i], i % BAD_EVERY == BAD_EVERY - 1 ? 0 : 1);

	s = hstats();
	assert_int_equal(s.sends_ok, accepted);
	assert_int_equal(s.sends_failed, failed + full);
	assert_int_equal(s.completions, accepted);
	assert_int_equal(s.sends_copied, 0);
	assert_int_equal(s.in_flight, 0);
	assert_int_equal(s.buffers_out, 0);
	assert_pool_full(4096, 2048);           /* the defaults */
	/* The queue saw each one once, with its outcome on the air. */
	assert_int_equal(d11tx_queue_stats_get(d11tx_ihv_host_queue(H, svc), &qs), 0);
	assert_int_equal(qs.submitted, accepted);
	assert_int_equal(qs.completed[D11TX_STATUS_ACKED] + qs.completed[D11TX_STATUS_NOACK],
			 accepted);
	assert_true(qs.completed[D11TX_STATUS_NOACK] > 0);

	assert_int_equal(d11tx_ihv_host_remove_adapter(H, svc), 0);
	assert_int_equal(X.deinit_adapter, 1);
	assert_int_equal(X.completions, accepted);
	assert_null(d11tx_ihv_host_queue(H, svc));
	assert_int_equal(d11tx_ihv_host_remove_adapter(H, svc), -ENOENT);
	assert_int_equal(d11tx_ihv_host_close(H), 0);
	H = NULL;
	assert_int_equal(X.deinit_service, 1);
	sim_close(0);
}

/* The host's control calls from the extension's completion handler:
 * refused (-EDEADLK; poll does nothing), the adapter and the host left as
 * they were, and every packet completes once, sends from the handler
 * included. */
static void
test_handler_misuse(void **state)
{
	enum { N = 64 };
	uint16_t port;
	HANDLE svc;

	(void)state;
	port = sim_open(0, "");
	host_open(false, NULL);
	X.free_on_completion = true;
	svc = adapter_add(port, 0);
	X.misuse_in_completion = svc;
	X.send_in_completion = svc;
	for (uint32_t i = 0; i < N; i++) {
		X.buf[i] = alloc_packet(64);
		assert_int_equal(send1(svc, i, X.buf[i], 64), ERROR_SUCCESS);
	}
	poll_until(N, 5000);
	assert_true(X.misused);
	assert_int_equal(X.misuse_ret[0], -EDEADLK);
	assert_int_equal(X.misuse_ret[1], -EDEADLK);
	assert_int_equal(X.misuse_ret[2], -EDEADLK);
	assert_int_equal(X.misuse_ret[3], -EDEADLK);
	assert_int_equal(X.misuse_ret[4], 0);
	/* The adapter still sends; the handler's own sends complete too. */
	X.send_in_completion = NULL;
	assert_int_equal(send1(svc, N, X.buf[N] = alloc_packet(64), 64), ERROR_SUCCESS);
	poll_until(N + 1 + X.completion_sends, 5000);
	assert_int_equal(X.completion_sends_refused, 0);
	assert_int_equal(X.stray, 0);
	for (uint32_t i = 0; i <= N; i++)
		assert_int_equal(X.count[i], 1);
	assert_int_equal(X.count[MAX_H - 5], X.completion_sends);
	assert_int_equal(d11tx_ihv_host_remove_adapter(H, svc), 0);
	assert_int_equal(d11tx_ihv_host_close(H), 0);
	H = NULL;
	assert_int_equal(X.deinit_service, 1);
	sim_close(0);
}

/* ---------- 2. completion only after the NIC is done ---------- */

/* The link goes down after 50 frames and stays down: the 150 the NIC (or
 * the queue) still holds never complete while we poll; removal completes
 * them all, as dropped or cancelled, before Dot11ExtIhvDeinitAdapter, and
 * nothing comes after it. */
static void
test_completion_after_nic(void **state)
{
	enum { N = 200, K = 50 };
	struct d11tx_ihv_host_stats s;
	uint32_t last_done = 0;
	uint16_t port;
	HANDLE svc;

	(void)state;
	port = sim_open(0, "link_down_after=50,link_down_us=0");
	X.batch_completions = true;     /* for the statuses */
	host_open(true, NULL);
	X.free_on_completion = true;
	svc = adapter_add(port, 0);
	for (uint32_t i = 0; i < N; i++) {
		X.buf[i] = alloc_packet(100);
		assert_int_equal(send1(svc, i, X.buf[i], 100), ERROR_SUCCESS);
	}
	poll_for(30);
	assert_int_equal(X.completions, K);
	assert_int_equal(X.by_status[D11TX_STATUS_ACKED], K);
	for (uint32_t i = 0; i < N; i++)
		assert_int_equal(X.count[i], i < K ? 1 : 0);
	s = hstats();
	assert_int_equal(s.in_flight, N - K);
	assert_int_equal(xstat(port, "tx_q0_frames"), K);

	/* Completion handlers that send more during the removal are refused. */
	X.send_in_completion = svc;
	assert_int_equal(d11tx_ihv_host_remove_adapter(H, svc), 0);
	X.send_in_completion = NULL;
	assert_int_equal(X.completion_sends, N - K);
	assert_int_equal(X.completion_sends_refused, N - K);
	assert_int_equal(X.count[MAX_H - 5], 0);
	assert_int_equal(X.completions, N);
	assert_int_equal(X.stray, 0);
	assert_int_equal(X.by_status[D11TX_STATUS_ACKED], K);
	assert_int_equal(X.by_status[D11TX_STATUS_DROPPED] +
			 X.by_status[D11TX_STATUS_CANCELLED], N - K);
	assert_int_equal(X.deinit_adapter, 1);
	for (uint32_t i = 0; i < N; i++) {
		assert_int_equal(X.count[i], 1);
		if (X.done_seq[i] > last_done)
			last_done = X.done_seq[i];
	}
	assert_true(last_done < X.deinit_adapter_seq[1]);
	/* Nothing after. */
	poll_for(5);
	assert_int_equal(X.completions, N);
	s = hstats();
	assert_int_equal(s.completions, N);
	assert_int_equal(s.in_flight, 0);
	assert_int_equal(s.buffers_out, 0);
	sim_close(0);
}

/* At 6 Mbit/s a 1500-byte frame is on the air for 2 ms: at every poll, no
 * more packets have completed than frames have left the air. */
static void
test_completion_slow_rate(void **state)
{
	enum { N = 20 };
	uint32_t polls = 0, partial = 0;
	uint64_t deadline;
	uint16_t port;
	HANDLE svc;

	(void)state;
	port = sim_open(0, "rate=6");
	host_open(false, NULL);
	X.free_on_completion = true;
	svc = adapter_add(port, 0);
	for (uint32_t i = 0; i < N; i++) {
		X.buf[i] = alloc_packet(1500);
		assert_int_equal(send1(svc, i, X.buf[i], 1500), ERROR_SUCCESS);
	}
	d11tx_ihv_host_poll(H);
	assert_int_equal(X.completions, 0);
	deadline = rte_get_tsc_cycles() + ms_cycles(2000);
	while (X.completions < N && rte_get_tsc_cycles() < deadline) {
		d11tx_ihv_host_poll(H);
		assert_true(X.completions <= xstat(port, "tx_q0_frames"));
		polls++;
		partial += X.completions > 0 && X.completions < N;
	}
	print_message("%u polls, %u with some completed\n", polls, partial);
	assert_int_equal(X.completions, N);
	assert_true(partial > 0);
	for (uint32_t i = 0; i < N; i++)
		assert_int_equal(X.count[i], 1);
	assert_int_equal(d11tx_ihv_host_close(H), 0);
	H = NULL;
	sim_close(0);
}

/* ---------- 3. every error code ---------- */

struct thread_send {
	HANDLE svc;
	void *p;
	ULONG len;
	DWORD ret;
	DWORD batch_ret;
	ULONG batch_sent;
};

static void *
send_from_thread(void *arg)
{
	struct thread_send *t = arg;
	const ULONG len = t->len;
	HANDLE h = hc(MAX_H - 6);

	t->ret = X.apis.Dot11ExtSendPacket(t->svc, t->len, t->p, hc(MAX_H - 3));
	t->batch_sent = 99;
	if (X.have_batch)
		t->batch_ret = X.batch.Dot11txSendPackets(t->svc, 1, &len, &t->p, &h,
							  &t->batch_sent);
	return NULL;
}

static void *
fail_from_thread(void *arg)
{
	struct thread_send *t = arg;

	t->ret = X.apis.Dot11ExtSendPacket(t->svc, t->len, t->p, hc(MAX_H - 4));
	return NULL;
}

/* One failing send, made on the host's thread and then (@p both) on
 * another: the same code from both, one more sends_failed each, no
 * acceptance. */
static void
expect_fail_on(bool both, HANDLE svc, void *p, ULONG len, DWORD want, const char *what)
{
	const struct d11tx_ihv_host_stats before = hstats();
	const DWORD ret = X.apis.Dot11ExtSendPacket(svc, len, p, hc(MAX_H - 4));
	struct thread_send t = { .svc = svc, .p = p, .len = len, .ret = want };
	struct d11tx_ihv_host_stats after;
	pthread_t th;

	if (ret != want)
		fail_msg("%s: %u, expected %u", what, ret, want);
	if (both) {
		assert_int_equal(pthread_create(&th, NULL, fail_from_thread, &t), 0);
		assert_int_equal(pthread_join(th, NULL), 0);
	}
	if (t.ret != want)
		fail_msg("%s, from another thread: %u, expected %u", what, t.ret, want);
	after = hstats();
	assert_int_equal(after.sends_failed, before.sends_failed + 1 + both);
	assert_int_equal(after.sends_ok, before.sends_ok);
	assert_int_equal(after.in_flight, before.in_flight);
}

static void
expect_fail(HANDLE svc, void *p, ULONG len, DWORD want, const char *what)
{
	expect_fail_on(true, svc, p, len, want, what);
}

static void
test_errors(void **state)
{
	struct thread_send t;
	pthread_t th;
	uint8_t stack_pkt[64];
	uint8_t *big = malloc(12000), *region = malloc(16384);
	LPVOID heap3000 = NULL;
	uint8_t *freed;
	uint16_t port;
	HANDLE svc, svc2;

	(void)state;
	assert_non_null(big);
	assert_non_null(region);
	port = sim_open(0, "");
	host_open(false, NULL);
	svc = adapter_add(port, 0);
	fill_eth(stack_pkt, sizeof(stack_pkt), 0x888e);
	fill_eth(big, 12000, 0x888e);
	fill_eth(region, 9000, 0x888e);

	/* Handles never issued. The handle is a token (slot + 1, generation
	 * above 8 bits): the next slots and the next generation of ours were
	 * never issued either. */
	expect_fail(NULL, stack_pkt, 64, ERROR_INVALID_HANDLE, "NULL handle");
	expect_fail((HANDLE)0x12345, stack_pkt, 64, ERROR_INVALID_HANDLE, "forged");
	expect_fail((HANDLE)(uintptr_t)-1, stack_pkt, 64, ERROR_INVALID_HANDLE, "all ones");
	expect_fail((HANDLE)((uintptr_t)svc + 5), stack_pkt, 64, ERROR_INVALID_HANDLE,
		    "never-issued slot");
	expect_fail((HANDLE)((uintptr_t)svc + 0x100), stack_pkt, 64, ERROR_INVALID_HANDLE,
		    "future generation");
	expect_fail((HANDLE)((uintptr_t)svc & 0xff), stack_pkt, 64, ERROR_INVALID_HANDLE,
		    "generation 0");

	/* Another thread than the host's: accepted onto the adapter's ring,
	 * sent and completed once by the host thread's poll. */
	t = (struct thread_send){ .svc = svc, .p = stack_pkt, .len = 64 };
	{
		const struct d11tx_ihv_host_stats before = hstats();

		assert_int_equal(pthread_create(&th, NULL, send_from_thread, &t), 0);
		assert_int_equal(pthread_join(th, NULL), 0);
		assert_int_equal(t.ret, ERROR_SUCCESS);
		assert_int_equal(hstats().sends_failed, before.sends_failed);
		assert_int_equal(hstats().sends_ok, 1);
		assert_int_equal(hstats().in_flight, 1);
		assert_int_equal(X.completions, 0);
		poll_until(1, 1000);
		poll_for(2);
		assert_int_equal(X.completions, 1);
		assert_int_equal(X.count[MAX_H - 3], 1);
		assert_int_equal(hstats().in_flight, 0);
		assert_int_equal(hstats().sends_copied, 1);
		memset(&X.count[MAX_H - 3], 0, sizeof(X.count[0]));
		X.completions = 0;
	}

	/* Buffers and lengths. */
	expect_fail(svc, NULL, 64, ERROR_INVALID_PARAMETER, "NULL buffer");
	fill_eth(stack_pkt, sizeof(stack_pkt), 0x05dc);    /* an 802.3 length */
	expect_fail(svc, stack_pkt, 64, ERROR_INVALID_PARAMETER, "802.3 length");
	fill_eth(stack_pkt, sizeof(stack_pkt), 0x888e);
	expect_fail(svc, stack_pkt, 0, ERROR_BAD_LENGTH, "length 0");
	expect_fail(svc, stack_pkt, 7, ERROR_BAD_LENGTH, "length 7");
	expect_fail(svc, big, D11TX_MAX_FRAME_LEN + 1, ERROR_BAD_LENGTH, "over the max frame");
	/* Too long to copy into a host buffer (2048 bytes by default). */
	expect_fail(svc, big, 3000, ERROR_BAD_LENGTH, "too long to copy");
	assert_int_equal(X.apis.Dot11ExtAllocateBuffer(3000, &heap3000), ERROR_SUCCESS);
	fill_eth(heap3000, 3000, 0x888e);
	expect_fail(svc, heap3000, 3000, ERROR_BAD_LENGTH,
		    "a 3000-byte Dot11ExtAllocateBuffer buffer");
	X.apis.Dot11ExtFreeBuffer(heap3000);
	/* Zero-copy from registered memory, but over the queue's MPDU limit. */
	assert_int_equal(d11tx_ihv_host_mem_register(H, region, 16384), 0);
	expect_fail(svc, region, 9000, ERROR_BAD_LENGTH, "over the MPDU limit");

	/* A buffer of Dot11ExtAllocateBuffer freed before the send. */
	freed = alloc_packet(100);
	X.apis.Dot11ExtFreeBuffer(freed);
	expect_fail(svc, freed, 100, ERROR_INVALID_USER_BUFFER, "freed buffer");

	/* None of those completes; a good one does. */
	poll_for(5);
	assert_int_equal(X.completions, 0);
	assert_int_equal(send1(svc, 1, stack_pkt, 64), ERROR_SUCCESS);
	poll_until(1, 1000);
	assert_int_equal(X.completions, 1);
	assert_int_equal(X.count[1], 1);
	assert_int_equal(X.count[MAX_H - 3], 0);
	assert_int_equal(X.count[MAX_H - 4], 0);

	/* Deinitialised: from inside Dot11ExtIhvDeinitAdapter, and after. */
	{
		const uint64_t failed = hstats().sends_failed;

		X.send_in_deinit_adapter = true;
		assert_int_equal(d11tx_ihv_host_remove_adapter(H, svc), 0);
		X.send_in_deinit_adapter = false;
		assert_int_equal(X.deinit_send_ret, ERROR_INVALID_STATE);
		assert_int_equal(hstats().sends_failed, failed + 1);
	}
	expect_fail(svc, stack_pkt, 64, ERROR_INVALID_STATE, "removed adapter");

	/* The port again: a new handle; the old one stays deinitialised. */
	svc2 = adapter_add(port, 0);
	assert_ptr_not_equal(svc2, svc);
	expect_fail(svc, stack_pkt, 64, ERROR_INVALID_STATE, "old handle of a re-added slot");
	assert_int_equal(send1(svc2, 2, stack_pkt, 64), ERROR_SUCCESS);
	poll_until(2, 1000);
	assert_int_equal(X.count[2], 1);
	assert_int_equal(X.count[MAX_H - 2], 0);
	assert_int_equal(X.completions, 2);
	assert_int_equal(hstats().sends_ok, 3);
	assert_int_equal(hstats().sends_copied, 3);
	assert_int_equal(d11tx_ihv_host_close(H), 0);
	/* Closed twice: refused, the freed host not read (ASan would say). */
	assert_int_equal(d11tx_ihv_host_close(H), -EINVAL);
	H = NULL;
	/* After the host: no service, no handle. */
	{
		LPVOID p = NULL;

		assert_int_equal(X.apis.Dot11ExtAllocateBuffer(64, &p), ERROR_SERVICE_NOT_ACTIVE);
		assert_null(p);
		assert_int_equal(X.apis.Dot11ExtSendPacket(svc2, 64, stack_pkt, hc(3)),
				 ERROR_INVALID_HANDLE);
	}
	free(big);
	free(region);
	sim_close(0);
}

/* A full queue (8 packets, link down: nothing completes), and no host
 * buffer left for a copy: ERROR_NO_SYSTEM_RESOURCES, nothing completes,
 * and the packets held all complete at removal. */
static void
test_no_resources(void **state)
{
	enum { RING = 8, BUFS = 16 };
	const struct d11tx_ihv_host_conf conf = { .buf_count = BUFS };
	uint8_t *held[BUFS];
	uint8_t stack_pkt[64];
	LPVOID extra = NULL;
	uint16_t port;
	HANDLE svc;

	(void)state;
	port = sim_open(0, "");
	host_open(false, &conf);
	X.free_on_completion = true;
	svc = adapter_add(port, RING);
	assert_int_equal(rte_eth_dev_set_link_down(port), 0);
	fill_eth(stack_pkt, sizeof(stack_pkt), 0x888e);

	/* Every host buffer taken: a packet from elsewhere cannot be copied. */
	for (unsigned int i = 0; i < BUFS; i++)
		held[i] = alloc_packet(64);
	assert_int_equal(hstats().buffers_out, BUFS);
	assert_int_equal(X.apis.Dot11ExtAllocateBuffer(64, &extra), ERROR_SUCCESS);
	for (unsigned int i = 0; i < BUFS; i++)
		assert_ptr_not_equal(extra, held[i]);  /* from the heap */
	fill_eth(extra, 64, 0x888e);
	expect_fail(svc, stack_pkt, 64, ERROR_NO_SYSTEM_RESOURCES, "no buffer for a copy");
	expect_fail(svc, extra, 64, ERROR_NO_SYSTEM_RESOURCES, "heap buffer, no copy buffer");
	X.apis.Dot11ExtFreeBuffer(extra);

	/* The queue: RING packets fit, the next does not. */
	for (uint32_t i = 0; i < RING; i++) {
		X.buf[i] = held[i];
		assert_int_equal(send1(svc, i, held[i], 64), ERROR_SUCCESS);
	}
	/* (Another thread's send would still find room on the adapter's
	 * ring in front of the queue: test_threads_backpressure.) */
	expect_fail_on(false, svc, held[RING], 64, ERROR_NO_SYSTEM_RESOURCES, "queue full");
	poll_for(20);
	assert_int_equal(X.completions, 0);
	assert_int_equal(hstats().in_flight, RING);
	assert_int_equal(hstats().sends_failed, 5);
	for (unsigned int i = RING; i < BUFS; i++)
		X.apis.Dot11ExtFreeBuffer(held[i]);

	assert_int_equal(d11tx_ihv_host_remove_adapter(H, svc), 0);
	assert_int_equal(X.completions, RING);
	for (uint32_t i = 0; i < RING; i++)
		assert_int_equal(X.count[i], 1);
	assert_int_equal(X.count[MAX_H - 4], 0);
	assert_int_equal(hstats().buffers_out, 0);
	assert_int_equal(d11tx_ihv_host_close(H), 0);
	H = NULL;
	sim_close(0);
}

/* The 19 APIs outside the send path answer ERROR_NOT_SUPPORTED; every
 * member of the table is there; Dot11ExtAllocateBuffer checks its out
 * pointer; Dot11ExtFreeBuffer ignores NULL and a second free. */
static void
test_other_apis(void **state)
{
	const DOT11EXT_APIS *a = &X.apis;
	DOT11_MAC_ADDRESS mac = { 0 };
	DWORD size = 0, out = 0;
	LPVOID pv = NULL;
	USHORT ethertype = 0x888e;
	uint8_t *p;
	uint16_t port;
	HANDLE svc;
	unsigned int n = 0;

	(void)state;
	port = sim_open(0, "");
	host_open(false, NULL);
	svc = adapter_add(port, 0);
	for (unsigned int i = 0; i < sizeof(*a) / sizeof(void *); i++)
		assert_non_null(((void *const *)a)[i]);
	assert_int_equal(sizeof(*a) / sizeof(void *), 22);

#define NS(call) do { assert_int_equal(call, ERROR_NOT_SUPPORTED); n++; } while (0)
	NS(a->Dot11ExtSetProfileCustomUserData(svc, NULL, 0, 4, &out));
	NS(a->Dot11ExtGetProfileCustomUserData(svc, NULL, 0, &size, &pv));
	NS(a->Dot11ExtSetCurrentProfile(svc, NULL, NULL, NULL));
	NS(a->Dot11ExtSendUIRequest(svc, NULL));
	NS(a->Dot11ExtPreAssociateCompletion(svc, NULL, 0, ERROR_SUCCESS));
	NS(a->Dot11ExtPostAssociateCompletion(svc, NULL, &mac, 0, ERROR_SUCCESS));
	NS(a->Dot11ExtSendNotification(svc, NULL));
	NS(a->Dot11ExtSetEtherTypeHandling(svc, 0, 0, NULL, 1, &ethertype));
	NS(a->Dot11ExtSetAuthAlgorithm(svc, 1));
	NS(a->Dot11ExtSetUnicastCipherAlgorithm(svc, 4));
	NS(a->Dot11ExtSetMulticastCipherAlgorithm(svc, 4));
	NS(a->Dot11ExtSetDefaultKey(svc, NULL, DOT11_DIR_BOTH));
	NS(a->Dot11ExtSetKeyMappingKey(svc, NULL));
	NS(a->Dot11ExtSetDefaultKeyId(svc, 0));
	NS(a->Dot11ExtNicSpecificExtension(svc, 0, NULL, &size, NULL));
	NS(a->Dot11ExtSetExcludeUnencrypted(svc, TRUE));
	NS(a->Dot11ExtStartOneX(svc, NULL));
	NS(a->Dot11ExtStopOneX(svc));
	NS(a->Dot11ExtProcessSecurityPacket(svc, 0, NULL));
#undef NS
	assert_int_equal(n, 19);

	assert_int_equal(a->Dot11ExtAllocateBuffer(64, NULL), ERROR_INVALID_PARAMETER);
	assert_int_equal(hstats().buffers_out, 0);
	a->Dot11ExtFreeBuffer(NULL);
	p = alloc_packet(64);
	assert_int_equal(hstats().buffers_out, 1);
	a->Dot11ExtFreeBuffer(p);
	assert_int_equal(hstats().buffers_out, 0);
	a->Dot11ExtFreeBuffer(p);                     /* logged, ignored */
	assert_int_equal(hstats().buffers_out, 0);
	a->Dot11ExtFreeBuffer(p + 1);                 /* not a buffer's start */
	assert_int_equal(hstats().buffers_out, 0);
	/* A zero-byte allocation is a buffer too. */
	assert_int_equal(a->Dot11ExtAllocateBuffer(0, &pv), ERROR_SUCCESS);
	assert_non_null(pv);
	a->Dot11ExtFreeBuffer(pv);
	assert_int_equal(hstats().sends_failed, 0);
	assert_int_equal(d11tx_ihv_host_close(H), 0);
	H = NULL;
	sim_close(0);
}

/* ---------- 4. starting the host ---------- */

static void
expect_open_fails(bool batch, const struct d11tx_ihv_host_conf *conf, int want_errno,
		  const char *what)
{
	const struct d11tx_ihv_extension ext = {
		.get_version_info = x_get_version,
		.init_service = x_init_service,
		.init_batch = batch ? x_init_batch : NULL,
	};
	struct d11tx_ihv_host *h;

	rte_errno = 0;
	h = d11tx_ihv_host_open(&ext, conf);
	if (h != NULL) {
		d11tx_ihv_host_close(h);
		fail_msg("%s: the host opened", what);
	}
	if (rte_errno != want_errno)
		fail_msg("%s: rte_errno %d (%s), expected %d", what, rte_errno,
			 rte_strerror(rte_errno), want_errno);
}

static void
test_open_errors(void **state)
{
	const struct d11tx_ihv_extension half = { .get_version_info = x_get_version };
	const struct d11tx_ihv_host_conf huge_buf = { .buf_size = 65536 };
	const char *example = getenv(EXAMPLE_ENV);
	struct d11tx_ihv_host *h2;
	uint16_t port;
	HANDLE svc;

	(void)state;
	rte_errno = 0;
	assert_null(d11tx_ihv_host_open(NULL, NULL));
	assert_int_equal(rte_errno, EINVAL);
	assert_null(d11tx_ihv_host_open(&half, NULL));
	assert_int_equal(rte_errno, EINVAL);
	assert_int_equal(d11tx_ihv_host_close(NULL), -EINVAL);

	/* Versions: the host speaks 0 only. */
	X.ver_min = 1;
	X.ver_max = 2;
	expect_open_fails(false, NULL, ENOTSUP, "versions 1..2");
	assert_int_equal(X.init_service, 0);
	X.ver_min = X.ver_max = 0;
	X.version_ret = ERROR_NOT_SUPPORTED;
	expect_open_fails(false, NULL, ENOTSUP, "GetVersionInfo failing");
	assert_int_equal(X.init_service, 0);
	X.version_ret = ERROR_SUCCESS;

	/* InitService failing: not deinitialised (it never started). */
	X.init_service_ret = ERROR_NOT_ENOUGH_MEMORY;
	expect_open_fails(false, NULL, EPROTO, "InitService failing");
	assert_int_equal(X.init_service, 1);
	assert_int_equal(X.deinit_service, 0);
	X.init_service_ret = ERROR_SUCCESS;

	/* A send-path handler left NULL: it started, so it is stopped. */
	X.leave_completion_null = true;
	expect_open_fails(false, NULL, EPROTO, "NULL completion handler");
	assert_int_equal(X.init_service, 2);
	assert_int_equal(X.deinit_service, 1);
	X.leave_completion_null = false;

	/* Dot11txIhvInitBatch failing: the same. */
	X.init_batch_ret = ERROR_NOT_SUPPORTED;
	expect_open_fails(true, NULL, EPROTO, "InitBatch failing");
	assert_int_equal(X.deinit_service, 2);
	X.init_batch_ret = ERROR_SUCCESS;

	expect_open_fails(false, &huge_buf, EINVAL, "buffer size over the frame limit");
	assert_int_equal(X.init_service, 3);

	/* Shared objects. */
	rte_errno = 0;
	assert_null(d11tx_ihv_host_load("/nonexistent/libno_such_ihv.so", NULL));
	assert_int_equal(rte_errno, ENOENT);
	rte_errno = 0;
	assert_null(d11tx_ihv_host_load("libc.so.6", NULL));     /* no entry points */
	assert_int_equal(rte_errno, ENOEXEC);
	rte_errno = 0;
	assert_null(d11tx_ihv_host_load(NULL, NULL));
	assert_int_equal(rte_errno, EINVAL);

	/* One host per process. */
	host_open(false, NULL);
	rte_errno = 0;
	h2 = d11tx_ihv_host_open(&(struct d11tx_ihv_extension){
		.get_version_info = x_get_version, .init_service = x_init_service }, NULL);
	assert_null(h2);
	assert_int_equal(rte_errno, EBUSY);
	if (example != NULL) {
		rte_errno = 0;
		assert_null(d11tx_ihv_host_load(example, NULL));
		assert_int_equal(rte_errno, EBUSY);
	}
	/* The open host is untouched by those. */
	assert_int_equal(X.init_service, 4);

	/* Dot11ExtIhvInitAdapter failing, after one send: the packet still
	 * completes once, and DeinitAdapter is not called. */
	port = sim_open(0, "");
	X.init_adapter_ret = ERROR_NOT_ENOUGH_MEMORY;
	X.send_in_init_adapter = true;
	{
		struct d11tx_ihv_adapter_conf c = { .port_id = port, .tid = -1 };

		svc = (HANDLE)1;
		assert_int_equal(d11tx_ihv_host_add_adapter(H, &c, &svc), -EPROTO);
		assert_ptr_equal(svc, (HANDLE)1);
		assert_int_equal(d11tx_ihv_host_add_adapter(NULL, &c, &svc), -EINVAL);
		c.tid = 8;
		assert_int_equal(d11tx_ihv_host_add_adapter(H, &c, &svc), -EINVAL);
	}
	assert_int_equal(X.init_send_ret, ERROR_SUCCESS);
	assert_int_equal(X.count[MAX_H - 1], 1);
	assert_int_equal(X.completions, 1);
	assert_int_equal(X.deinit_adapter, 0);
	X.init_adapter_ret = ERROR_SUCCESS;
	X.send_in_init_adapter = false;
	/* The port is free again; adding it twice is not. */
	svc = adapter_add(port, 0);
	{
		struct d11tx_ihv_adapter_conf c = { .port_id = port, .tid = -1 };
		HANDLE dup = NULL;

		assert_int_equal(d11tx_ihv_host_add_adapter(H, &c, &dup), -EEXIST);
	}
	assert_int_equal(d11tx_ihv_host_close(H), 0);
	H = NULL;
	assert_int_equal(X.deinit_adapter, 1);

	/* And it opens again after all that. */
	host_open(false, NULL);
	assert_int_equal(d11tx_ihv_host_close(H), 0);
	H = NULL;
	sim_close(0);
}

/* ---------- 5. zero-copy and copies ---------- */

static void
send_all(HANDLE svc, uint32_t first, uint32_t n, uint8_t *const *pkts, ULONG len)
{
	for (uint32_t i = 0; i < n; i++) {
		DWORD ret;

		while ((ret = send1(svc, first + i, pkts[i], len)) == ERROR_NO_SYSTEM_RESOURCES)
			d11tx_ihv_host_poll(H);
		assert_int_equal(ret, ERROR_SUCCESS);
	}
}

static void
test_zero_copy_and_copies(void **state)
{
	enum { N = 100, LEN = 200 };
	uint8_t *pkts[N];
	uint8_t *heap = malloc((size_t)N * LEN);
	/* 64 KiB registered, and a page beyond that is not. */
	uint8_t *region = aligned_alloc(4096, 65536 + 4096);
	struct d11tx_ihv_host_stats s;
	uint16_t port, port2;
	HANDLE svc, svc2;

	(void)state;
	assert_non_null(heap);
	assert_non_null(region);
	port = sim_open(0, "");
	port2 = sim_open(1, "");
	host_open(false, NULL);
	X.free_on_completion = true;
	svc = adapter_add(port, 0);

	/* Buffers of Dot11ExtAllocateBuffer: zero-copy. */
	for (uint32_t i = 0; i < N; i++)
		pkts[i] = X.buf[i] = alloc_packet(LEN);
	send_all(svc, 0, N, pkts, LEN);
	poll_until(N, 1000);
	s = hstats();
	assert_int_equal(s.sends_ok, N);
	assert_int_equal(s.sends_copied, 0);
	assert_int_equal(s.buffers_out, 0);

	/* malloc'd memory: copied, once each; the caller may reuse it as soon
	 * as the send returns, though it is still the caller's to keep
	 * until the completion, as on Windows. */
	X.free_on_completion = false;
	for (uint32_t i = 0; i < N; i++) {
		pkts[i] = heap + (size_t)i * LEN;
		fill_eth(pkts[i], LEN, 0x888e);
	}
	send_all(svc, N, N, pkts, LEN);
	poll_until(2 * N, 1000);
	s = hstats();
	assert_int_equal(s.sends_ok, 2 * N);
	assert_int_equal(s.sends_copied, N);
	/* A stack buffer: copied too. */
	{
		uint8_t stack_pkt[LEN];

		fill_eth(stack_pkt, LEN, 0x888e);
		assert_int_equal(send1(svc, 2 * N, stack_pkt, LEN), ERROR_SUCCESS);
		memset(stack_pkt, 0, sizeof(stack_pkt));
	}
	poll_until(2 * N + 1, 1000);
	assert_int_equal(hstats().sends_copied, N + 1);

	/* Registered memory: zero-copy, on this adapter and on one added
	 * later. */
	assert_int_equal(d11tx_ihv_host_mem_register(H, region, 65536), 0);
	for (uint32_t i = 0; i < N; i++) {
		pkts[i] = region + (size_t)i * LEN;
		fill_eth(pkts[i], LEN, 0x888e);
	}
	send_all(svc, 2 * N + 1, N, pkts, LEN);
	svc2 = adapter_add(port2, 0);
	send_all(svc2, 3 * N + 1, N, pkts, LEN);
	poll_until(4 * N + 1, 1000);
	s = hstats();
	assert_int_equal(s.sends_ok, 4 * N + 1);
	assert_int_equal(s.sends_copied, N + 1);
	assert_int_equal(s.completions, 4 * N + 1);
	assert_int_equal(X.completions, 4 * N + 1);
	for (uint32_t i = 0; i < 4 * N + 1; i++)
		assert_int_equal(X.count[i], 1);
	/* The region's last bytes: zero-copy; a packet that crosses its end:
	 * copied. */
	fill_eth(region + 65536 - 100, 100, 0x888e);
	assert_int_equal(send1(svc, 4 * N + 1, region + 65536 - 100, 100), ERROR_SUCCESS);
	assert_int_equal(hstats().sends_copied, N + 1);
	fill_eth(region + 65536 - 50, 100, 0x888e);
	assert_int_equal(send1(svc, 4 * N + 2, region + 65536 - 50, 100), ERROR_SUCCESS);
	assert_int_equal(hstats().sends_copied, N + 2);
	poll_until(4 * N + 3, 1000);
	assert_int_equal(X.count[4 * N + 1], 1);
	assert_int_equal(X.count[4 * N + 2], 1);
	assert_int_equal(d11tx_ihv_host_mem_register(H, NULL, 10), -EINVAL);
	assert_int_equal(d11tx_ihv_host_close(H), 0);
	H = NULL;
	free(heap);
	free(region);
	sim_close(0);
	sim_close(1);
}

/* A Dot11ExtAllocateBuffer buffer freed while its send is in flight goes
 * back to the pool only after the completion. With every host buffer
 * handed out, an allocation in between comes from the heap. */
static void
test_free_in_flight(void **state)
{
	enum { BUFS = 8 };
	const struct d11tx_ihv_host_conf conf = { .buf_count = BUFS };
	uint8_t *b[BUFS];
	LPVOID x = NULL, y = NULL;
	uint16_t port;
	HANDLE svc;

	(void)state;
	port = sim_open(0, "");
	host_open(false, &conf);
	svc = adapter_add(port, 0);
	for (unsigned int i = 0; i < BUFS; i++)
		b[i] = alloc_packet(100);
	assert_int_equal(send1(svc, 0, b[0], 100), ERROR_SUCCESS);
	/* Twice in flight at once, from the same buffer. */
	assert_int_equal(send1(svc, 1, b[0], 100), ERROR_SUCCESS);
	X.apis.Dot11ExtFreeBuffer(b[0]);
	assert_int_equal(hstats().buffers_out, BUFS - 1);
	assert_int_equal(hstats().sends_copied, 0);
	assert_int_equal(X.apis.Dot11ExtAllocateBuffer(100, &x), ERROR_SUCCESS);
	for (unsigned int i = 0; i < BUFS; i++)
		assert_ptr_not_equal(x, b[i]);
	/* Freed: sending it again is refused, though the host still holds it. */
	expect_fail(svc, b[0], 100, ERROR_INVALID_USER_BUFFER, "freed, in flight");
	poll_until(2, 1000);
	assert_int_equal(X.completions, 2);
	assert_int_equal(X.count[0], 1);
	assert_int_equal(X.count[1], 1);
	/* Now it is back. */
	assert_int_equal(X.apis.Dot11ExtAllocateBuffer(100, &y), ERROR_SUCCESS);
	assert_ptr_equal(y, b[0]);
	X.apis.Dot11ExtFreeBuffer(x);
	X.apis.Dot11ExtFreeBuffer(y);
	for (unsigned int i = 1; i < BUFS; i++)
		X.apis.Dot11ExtFreeBuffer(b[i]);
	assert_int_equal(hstats().buffers_out, 0);
	assert_int_equal(d11tx_ihv_host_close(H), 0);
	H = NULL;
	sim_close(0);
}

/* ---------- 6. the batched addition ---------- */

static void
test_batched(void **state)
{
	enum { N = 200 };
	ULONG lens[N], sent = 0;
	LPVOID pkts[N];
	HANDLE hs[N];
	struct d11tx_ihv_host_stats before;
	struct thread_send t;
	pthread_t th;
	uint16_t port, port2;
	HANDLE svc, svc2;
	DWORD ret;

	(void)state;
	port = sim_open(0, "");
	port2 = sim_open(1, "");
	X.batch_completions = true;
	host_open(true, NULL);
	assert_true(X.have_batch);
	X.free_on_completion = true;
	svc = adapter_add(port, 0);

	/* N in one call (more than the host's internal bursts of 64). */
	for (uint32_t i = 0; i < N; i++) {
		lens[i] = 8 + i;
		pkts[i] = X.buf[i] = alloc_packet(lens[i]);
		hs[i] = hc(i);
	}
	ret = X.batch.Dot11txSendPackets(svc, N, lens, pkts, hs, &sent);
	assert_int_equal(ret, ERROR_SUCCESS);
	assert_int_equal(sent, N);
	assert_int_equal(hstats().sends_ok, N);
	poll_until(N, 1000);
	print_message("%u completions in %" PRIu64 " calls\n", N, X.batch_calls);
	assert_int_equal(X.completions, N);
	assert_int_equal(X.completion_calls, 0);
	assert_true(X.batch_calls >= 1 && X.batch_calls < N);
	assert_int_equal(X.by_status[D11TX_STATUS_ACKED], N);
	for (uint32_t i = 0; i < N; i++) {
		assert_int_equal(X.count[i], 1);
		assert_int_equal(X.status[i], D11TX_STATUS_ACKED);
	}

	/* Packet 3 of 5 is too short: 3 accepted, its code returned. */
	before = hstats();
	for (uint32_t i = 0; i < 5; i++) {
		lens[i] = i == 3 ? 7 : 64;
		pkts[i] = X.buf[N + i] = alloc_packet(64);
		hs[i] = hc(N + i);
	}
	ret = X.batch.Dot11txSendPackets(svc, 5, lens, pkts, hs, &sent);
	assert_int_equal(ret, ERROR_BAD_LENGTH);
	assert_int_equal(sent, 3);
	assert_int_equal(hstats().sends_ok, before.sends_ok + 3);
	assert_int_equal(hstats().sends_failed, before.sends_failed + 1);
	poll_until(N + 3, 1000);
	poll_for(2);
	assert_int_equal(X.completions, N + 3);
	assert_int_equal(X.count[N + 3], 0);
	assert_int_equal(X.count[N + 4], 0);
	for (uint32_t i = 3; i < 5; i++) {
		X.apis.Dot11ExtFreeBuffer(X.buf[N + i]);
		X.buf[N + i] = NULL;
	}

	/* Nothing to send; another thread; a dead handle. */
	sent = 99;
	assert_int_equal(X.batch.Dot11txSendPackets(svc, 0, NULL, NULL, NULL, &sent),
			 ERROR_SUCCESS);
	assert_int_equal(sent, 0);
	t = (struct thread_send){ .svc = svc, .p = X.buf[0] = alloc_packet(64), .len = 64 };
	assert_int_equal(pthread_create(&th, NULL, send_from_thread, &t), 0);
	assert_int_equal(pthread_join(th, NULL), 0);
	/* Both sends of the other thread accepted; the buffer, freed while
	 * they are in flight, comes back after both completed. */
	assert_int_equal(t.ret, ERROR_SUCCESS);
	assert_int_equal(t.batch_ret, ERROR_SUCCESS);
	assert_int_equal(t.batch_sent, 1);
	X.apis.Dot11ExtFreeBuffer(X.buf[0]);
	X.buf[0] = NULL;
	poll_until(X.completions + 2, 1000);
	poll_for(2);
	assert_int_equal(X.count[MAX_H - 3], 1);
	assert_int_equal(X.count[MAX_H - 6], 1);
	assert_int_equal(hstats().in_flight, 0);
	sent = 99;
	assert_int_equal(X.batch.Dot11txSendPackets((HANDLE)0x12345, 1, lens, pkts, hs, &sent),
			 ERROR_INVALID_HANDLE);
	assert_int_equal(sent, 0);

	/* Full: 8 fit a ring of 8 on a link that is down, the 9th does not. */
	svc2 = adapter_add(port2, 8);
	assert_int_equal(rte_eth_dev_set_link_down(port2), 0);
	for (uint32_t i = 0; i < 12; i++) {
		lens[i] = 64;
		pkts[i] = X.buf[1000 + i] = alloc_packet(64);
		hs[i] = hc(1000 + i);
	}
	ret = X.batch.Dot11txSendPackets(svc2, 12, lens, pkts, hs, &sent);
	assert_int_equal(ret, ERROR_NO_SYSTEM_RESOURCES);
	assert_int_equal(sent, 8);
	poll_for(10);
	assert_int_equal(X.completions, N + 3 + 2);   /* and the other thread's 2 */
	/* The rest, once room is made: the removal completes the 8. */
	assert_int_equal(d11tx_ihv_host_remove_adapter(H, svc2), 0);
	assert_int_equal(X.completions, N + 3 + 2 + 8);
	for (uint32_t i = 0; i < 8; i++) {
		assert_int_equal(X.count[1000 + i], 1);
		assert_true(X.status[1000 + i] == D11TX_STATUS_CANCELLED ||
			    X.status[1000 + i] == D11TX_STATUS_DROPPED);
	}
	for (uint32_t i = 8; i < 12; i++) {
		assert_int_equal(X.count[1000 + i], 0);
		X.apis.Dot11ExtFreeBuffer(X.buf[1000 + i]);
		X.buf[1000 + i] = NULL;
	}
	assert_int_equal(X.stray, 0);
	assert_int_equal(hstats().buffers_out, 0);
	assert_int_equal(d11tx_ihv_host_close(H), 0);
	H = NULL;
	sim_close(0);
	sim_close(1);
}

/* NULL arrays: ERROR_INVALID_PARAMETER, nothing sent, and counted as a
 * failed send like every other error of the send path. */
static void
test_batched_null_arrays(void **state)
{
	ULONG len = 64, sent = 99;
	LPVOID pkt;
	HANDLE h = hc(0);
	struct d11tx_ihv_host_stats before;
	uint16_t port;
	HANDLE svc;

	(void)state;
	port = sim_open(0, "");
	host_open(true, NULL);
	svc = adapter_add(port, 0);
	pkt = alloc_packet(64);
	before = hstats();
	assert_int_equal(X.batch.Dot11txSendPackets(svc, 1, NULL, &pkt, &h, &sent),
			 ERROR_INVALID_PARAMETER);
	assert_int_equal(sent, 0);
	sent = 99;
	assert_int_equal(X.batch.Dot11txSendPackets(svc, 1, &len, NULL, &h, &sent),
			 ERROR_INVALID_PARAMETER);
	assert_int_equal(sent, 0);
	sent = 99;
	assert_int_equal(X.batch.Dot11txSendPackets(svc, 1, &len, &pkt, NULL, &sent),
			 ERROR_INVALID_PARAMETER);
	assert_int_equal(sent, 0);
	poll_for(2);
	assert_int_equal(X.completions, 0);
	assert_int_equal(hstats().sends_ok, before.sends_ok);
	X.apis.Dot11ExtFreeBuffer(pkt);
	/* engine/ihv/ihv_host.c ext_send_packets() returns before send_packets()
	 * counts the failure. */
	assert_int_equal(hstats().sends_failed, before.sends_failed + 3);
	assert_int_equal(d11tx_ihv_host_close(H), 0);
	H = NULL;
	sim_close(0);
}

/* A batch refused in its middle by dot11tx itself (an 802.3 length where
 * the EtherType goes, which only the encapsulation sees): the packets
 * prepared after the accepted ones give their copy buffers back. */
static void
test_batched_refused_midway(void **state)
{
	enum { BUFS = 16, LEN = 100 };
	const struct d11tx_ihv_host_conf conf = { .buf_count = BUFS };
	uint8_t pkt[5][LEN];
	ULONG lens[5], sent = 99;
	LPVOID pkts[5];
	HANDLE hs[5];
	uint16_t port;
	HANDLE svc;

	(void)state;
	port = sim_open(0, "");
	X.batch_completions = true;
	host_open(true, &conf);
	svc = adapter_add(port, 0);
	for (uint32_t i = 0; i < 5; i++) {
		fill_eth(pkt[i], LEN, i == 2 ? 0x05dc : 0x888e);
		lens[i] = LEN;
		pkts[i] = pkt[i];
		hs[i] = hc(i);
	}
	assert_int_equal(X.batch.Dot11txSendPackets(svc, 5, lens, pkts, hs, &sent),
			 ERROR_INVALID_PARAMETER);
	assert_int_equal(sent, 2);
	assert_int_equal(hstats().sends_copied, 2);
	assert_int_equal(hstats().sends_failed, 1);
	poll_until(2, 1000);
	poll_for(2);
	assert_int_equal(X.completions, 2);
	assert_int_equal(X.count[0] + X.count[1], 2);
	assert_int_equal(X.count[2] + X.count[3] + X.count[4], 0);
	assert_pool_full(BUFS, 2048);
	/* The rest goes when fixed. */
	fill_eth(pkt[2], LEN, 0x888e);
	assert_int_equal(X.batch.Dot11txSendPackets(svc, 3, lens + 2, pkts + 2, hs + 2, &sent),
			 ERROR_SUCCESS);
	assert_int_equal(sent, 3);
	poll_until(5, 1000);
	for (uint32_t i = 0; i < 5; i++)
		assert_int_equal(X.count[i], 1);
	assert_pool_full(BUFS, 2048);
	assert_int_equal(d11tx_ihv_host_close(H), 0);
	H = NULL;
	sim_close(0);
}

/* A port the application configured and started: the host uses its TX
 * queue 0 as it is and leaves the port to the application when the adapter
 * goes ("otherwise the host configures and starts it, and stops it at
 * removal"), so the port can be an adapter again. First a removal with
 * nothing at the NIC, then one where the NIC held packets (the link went
 * down after 45 frames) that the removal had to take back. */
static void
test_app_started_port(void **state)
{
	enum { N = 40, K = 5 };
	struct rte_eth_conf ec = { .txmode.offloads = RTE_ETH_TX_OFFLOAD_MULTI_SEGS };
	struct d11tx_ihv_adapter_conf c = { .role = D11TX_DOT11_STATION, .tid = 3,
					    .port_started = 1 };
	struct rte_eth_txq_info qi;
	struct rte_mempool *mp;
	uint8_t pkt[64];
	uint16_t port;
	HANDLE svc = NULL;
	int ret;

	(void)state;
	port = sim_open(0, "link_down_after=45,link_down_us=0");
	mp = rte_mempool_lookup("ihv_test_rx");
	if (mp == NULL)
		mp = rte_pktmbuf_pool_create("ihv_test_rx", 512, 0, 0, 256, (int)rte_socket_id());
	assert_non_null(mp);
	assert_int_equal(rte_eth_dev_configure(port, 1, 1, &ec), 0);
	assert_int_equal(rte_eth_rx_queue_setup(port, 0, 64, rte_socket_id(), NULL, mp), 0);
	assert_int_equal(rte_eth_tx_queue_setup(port, 0, 256, rte_socket_id(), NULL), 0);
	assert_int_equal(rte_eth_dev_start(port), 0);
	host_open(false, NULL);
	c.port_id = port;
	memcpy(c.bssid, bssid, 6);
	fill_eth(pkt, sizeof(pkt), 0x888e);

	/* 1. Everything completes before the removal. */
	assert_int_equal(d11tx_ihv_host_add_adapter(H, &c, &svc), 0);
	for (uint32_t i = 0; i < N; i++)
		assert_int_equal(send1(svc, i, pkt, sizeof(pkt)), ERROR_SUCCESS);
	poll_until(N, 1000);
	assert_int_equal(X.completions, N);
	assert_int_equal(d11tx_ihv_host_remove_adapter(H, svc), 0);
	assert_int_equal(rte_eth_tx_queue_info_get(port, 0, &qi), 0);
	assert_int_equal(qi.queue_state, RTE_ETH_QUEUE_STATE_STARTED);

	/* 2. The NIC holds 35 when the adapter goes. */
	assert_int_equal(d11tx_ihv_host_add_adapter(H, &c, &svc), 0);
	for (uint32_t i = N; i < 2 * N; i++)
		assert_int_equal(send1(svc, i, pkt, sizeof(pkt)), ERROR_SUCCESS);
	poll_for(20);
	assert_int_equal(X.completions, N + K);
	assert_int_equal(d11tx_ihv_host_remove_adapter(H, svc), 0);
	assert_int_equal(X.completions, 2 * N);
	for (uint32_t i = 0; i < 2 * N; i++)
		assert_int_equal(X.count[i], 1);
	assert_int_equal(rte_eth_tx_queue_info_get(port, 0, &qi), 0);
	print_message("TX queue 0 after a removal that took packets back: %s\n",
		      qi.queue_state == RTE_ETH_QUEUE_STATE_STARTED ? "started" : "stopped");
	assert_int_equal(rte_eth_dev_set_link_up(port), 0);
	ret = d11tx_ihv_host_add_adapter(H, &c, &svc);
	if (ret != 0)
		fail_msg("adding the application's port again: %s (TX queue 0 %s)",
			 strerror(-ret), qi.queue_state == RTE_ETH_QUEUE_STATE_STARTED
			 ? "started" : "left stopped by the removal");
	assert_int_equal(send1(svc, 2 * N, pkt, sizeof(pkt)), ERROR_SUCCESS);
	poll_until(2 * N + 1, 1000);
	assert_int_equal(X.count[2 * N], 1);
	assert_int_equal(d11tx_ihv_host_close(H), 0);
	H = NULL;
	assert_int_equal(rte_eth_dev_stop(port), 0);
	sim_close(0);
}

/* ---------- 7. the example, as a shared object ---------- */

static DWORD
example_control(const DOT11EXT_IHV_HANDLERS *hd, HANDLE ext_adapter, DWORD command,
		DWORD count, DWORD flags, const uint8_t mac[6], IHV_EXAMPLE_STATS *st)
{
	IHV_EXAMPLE_COMMAND cmd = { .dwMagic = IHV_EXAMPLE_MAGIC, .dwCommand = command,
				    .dwCount = count, .dwFlags = flags };
	DWORD bytes = 0;
	DWORD ret;

	if (mac != NULL)
		memcpy(cmd.PeerMac, mac, 6);
	memset(st, 0xee, sizeof(*st));
	ret = hd->Dot11ExtIhvControl(ext_adapter, sizeof(cmd), (PBYTE)&cmd,
				     sizeof(*st), (PBYTE)st, &bytes);
	if (ret == ERROR_SUCCESS)
		assert_int_equal(bytes, sizeof(*st));
	return ret;
}

static void
run_example(const DOT11EXT_IHV_HANDLERS *hd, HANDLE ext_adapter, IHV_EXAMPLE_STATS *st,
	    DWORD count)
{
	const uint64_t deadline = rte_get_tsc_cycles() + ms_cycles(5000);

	do {
		d11tx_ihv_host_poll(H);
		assert_int_equal(example_control(hd, ext_adapter, IHV_EXAMPLE_CMD_STATS, 0, 0,
						 NULL, st), ERROR_SUCCESS);
	} while (st->dwCompletions < count && rte_get_tsc_cycles() < deadline);
}

/* tshark on what the example put on the air: @p n EAPOL-Key data frames,
 * station to AP (To-DS: A1 the BSSID, A2 us, A3 the destination), LLC/SNAP
 * EtherType 0x888E, replay counters 1..n, each once. */
static void
check_air(const char *path, uint32_t n, const char *own_str, const char *bssid_str)
{
	char cmd[512], line[512];
	uint8_t *seen = calloc(n + 1, 1);
	uint32_t lines = 0;
	FILE *p;

	assert_non_null(seen);
	snprintf(cmd, sizeof(cmd), "tshark -n -r %s -T fields -E separator=/t "
		 "-e wlan.fc.type_subtype -e wlan.fc.ds -e wlan.ra -e wlan.ta -e wlan.da "
		 "-e wlan.bssid -e llc.type -e eapol.type -e eapol.keydes.replay_counter "
		 "2>/dev/null", path);
	p = popen(cmd, "r");
	assert_non_null(p);
	while (fgets(line, sizeof(line), p) != NULL) {
		char *f[9], *rest = line;
		unsigned long rc;

		line[strcspn(line, "\n")] = '\0';
		if (lines == 0)
			print_message("tshark: %s\n", line);
		for (int i = 0; i < 9; i++) {
			f[i] = strsep(&rest, "\t");
			assert_non_null(f[i]);
		}
		assert_string_equal(f[0], "0x0020");            /* data */
		assert_string_equal(f[1], "0x01");              /* To-DS */
		assert_string_equal(f[2], bssid_str);           /* A1: the AP */
		assert_string_equal(f[3], own_str);             /* A2: us */
		assert_string_equal(f[4], bssid_str);           /* the peer */
		assert_string_equal(f[5], bssid_str);
		assert_string_equal(f[6], "0x888e");
		assert_string_equal(f[7], "3");                 /* EAPOL-Key */
		rc = strtoul(f[8], NULL, 10);
		assert_true(rc >= 1 && rc <= n);
		assert_int_equal(seen[rc], 0);
		seen[rc] = 1;
		lines++;
	}
	assert_int_equal(pclose(p), 0);
	free(seen);
	assert_int_equal(lines, n);
}

static void
test_example_shared_object(void **state)
{
	enum { N = 500, NB = 300 };
	const char *path = getenv(EXAMPLE_ENV);
	const DOT11EXT_IHV_HANDLERS *hd;
	struct rte_ether_addr own;
	struct d11tx_ihv_host_stats s;
	IHV_EXAMPLE_STATS st;
	char args[192], own_str[18], bssid_str[18];
	uint16_t port, port2;
	HANDLE svc, svc2, ext, ext2;
	IHV_EXAMPLE_COMMAND bad = { .dwMagic = 0, .dwCommand = IHV_EXAMPLE_CMD_STATS };
	DWORD bytes;

	(void)state;
	if (path == NULL || *path == '\0') {
		skip_missing("$" EXAMPLE_ENV " not set (the example extension's path)");
	}
	snprintf(args, sizeof(args), "pcap=%s", pcap_path);
	port = sim_open(0, args);
	port2 = sim_open(1, "ack_loss=0.2,retry_limit=1");
	H = d11tx_ihv_host_load(path, NULL);
	if (H == NULL)
		fail_msg("d11tx_ihv_host_load(%s): %s", path, rte_strerror(rte_errno));
	hd = d11tx_ihv_host_handlers(H);
	assert_non_null(hd);
	/* The example fills every handler. */
	for (unsigned int i = 0; i < sizeof(*hd) / sizeof(void *); i++)
		assert_non_null(((void *const *)hd)[i]);
	svc = adapter_add(port, 0);
	svc2 = adapter_add(port2, 0);
	ext = d11tx_ihv_host_ext_adapter(H, svc);
	ext2 = d11tx_ihv_host_ext_adapter(H, svc2);
	assert_non_null(ext);
	assert_non_null(ext2);
	assert_ptr_not_equal(ext, ext2);

	/* Its Control protocol refuses what it should. */
	assert_int_equal(example_control(hd, NULL, IHV_EXAMPLE_CMD_STATS, 0, 0, NULL, &st),
			 ERROR_INVALID_HANDLE);
	assert_int_equal(hd->Dot11ExtIhvControl(ext, sizeof(bad), (PBYTE)&bad, sizeof(st),
						(PBYTE)&st, &bytes), ERROR_INVALID_PARAMETER);
	assert_int_equal(hd->Dot11ExtIhvControl(ext, sizeof(bad) - 1, (PBYTE)&bad, 0, NULL,
						&bytes), ERROR_INVALID_PARAMETER);
	assert_int_equal(example_control(hd, ext, IHV_EXAMPLE_CMD_START, 0, 0, bssid, &st),
			 ERROR_INVALID_PARAMETER);
	assert_int_equal(example_control(hd, ext, 99, 0, 0, NULL, &st), ERROR_INVALID_PARAMETER);
	{
		IHV_EXAMPLE_COMMAND c = { IHV_EXAMPLE_MAGIC, IHV_EXAMPLE_CMD_STATS, 0, 0, { 0 }, 0 };

		assert_int_equal(hd->Dot11ExtIhvControl(ext, sizeof(c), (PBYTE)&c, 8,
							(PBYTE)&st, &bytes),
				 ERROR_INSUFFICIENT_BUFFER);
	}

	/* One by one on the first adapter (the pcap), batched on the second. */
	assert_int_equal(example_control(hd, ext, IHV_EXAMPLE_CMD_START, N, 0, bssid, &st),
			 ERROR_SUCCESS);
	assert_true(st.bRunning);
	assert_true(st.dwPacketsSent > 0);
	assert_int_equal(example_control(hd, ext, IHV_EXAMPLE_CMD_START, N, 0, bssid, &st),
			 ERROR_BUSY);
	assert_int_equal(example_control(hd, ext2, IHV_EXAMPLE_CMD_START, NB,
					 IHV_EXAMPLE_START_BATCH, bssid, &st), ERROR_SUCCESS);
	run_example(hd, ext, &st, N);
	print_message("example: %u sent, %u completed, %u errors, %u batched completion "
		      "calls\n", st.dwPacketsSent, st.dwCompletions, st.dwErrors,
		      st.dwBatchCompletionCalls);
	assert_int_equal(st.dwPacketsSent, N);
	assert_int_equal(st.dwCompletions, N);
	assert_int_equal(st.dwErrors, 0);
	assert_int_equal(st.dwBadCompletions, 0);
	assert_int_equal(st.dwInFlight, 0);
	assert_false(st.bRunning);
	assert_true(st.bBatchApis);   /* a shared object that exports it gets it */
	assert_int_equal(st.dwStatus[D11TX_STATUS_ACKED], N);
	assert_int_equal(st.dwSendCalls, N + st.dwNoResources);
	run_example(hd, ext2, &st, NB);
	assert_int_equal(st.dwPacketsSent, NB);
	assert_int_equal(st.dwCompletions, NB);
	assert_int_equal(st.dwErrors, 0);
	assert_int_equal(st.dwBadCompletions, 0);
	assert_true(st.bBatch);
	assert_true(st.dwSendCalls <= (NB + 31) / 32 + st.dwNoResources);
	assert_int_equal(st.dwStatus[D11TX_STATUS_ACKED] + st.dwStatus[D11TX_STATUS_NOACK], NB);
	assert_true(st.dwStatus[D11TX_STATUS_NOACK] > 0);
	s = hstats();
	assert_int_equal(s.sends_ok, N + NB);
	assert_int_equal(s.completions, N + NB);
	assert_int_equal(s.sends_copied, 0);
	assert_int_equal(s.buffers_out, 0);
	assert_int_equal(s.in_flight, 0);

	rte_eth_macaddr_get(port, &own);
	assert_int_equal(d11tx_ihv_host_close(H), 0);
	H = NULL;
	sim_close(0);                   /* closes the capture */
	sim_close(1);

	if (!test_have_program("tshark")) {
		unlink(pcap_path);
		skip_missing("tshark not installed");
	}
	snprintf(own_str, sizeof(own_str), "%02x:%02x:%02x:%02x:%02x:%02x",
		 own.addr_bytes[0], own.addr_bytes[1], own.addr_bytes[2],
		 own.addr_bytes[3], own.addr_bytes[4], own.addr_bytes[5]);
	snprintf(bssid_str, sizeof(bssid_str), "%02x:%02x:%02x:%02x:%02x:%02x",
		 bssid[0], bssid[1], bssid[2], bssid[3], bssid[4], bssid[5]);
	check_air(pcap_path, N, own_str, bssid_str);
	unlink(pcap_path);
}

/* START of the example with its own threads. */
static DWORD
example_start_threads(const DOT11EXT_IHV_HANDLERS *hd, HANDLE ext_adapter, DWORD count,
		      DWORD flags, USHORT threads, IHV_EXAMPLE_STATS *st)
{
	IHV_EXAMPLE_COMMAND cmd = { .dwMagic = IHV_EXAMPLE_MAGIC,
		.dwCommand = IHV_EXAMPLE_CMD_START, .dwCount = count, .dwFlags = flags,
		.usThreads = threads };
	DWORD bytes = 0;

	memcpy(cmd.PeerMac, bssid, 6);
	return hd->Dot11ExtIhvControl(ext_adapter, sizeof(cmd), (PBYTE)&cmd,
				      sizeof(*st), (PBYTE)st, &bytes);
}

/* The example sending from 4 threads of its own, with bad sends mixed in:
 * each replay counter accepted once and completed once (the sums), each
 * bad send refused as documented; then a run removed while its threads
 * send: the removal ends them, and every accepted packet completes. */
static void
test_example_threads(void **state)
{
	enum { N = 20000 };
	const char *path = getenv(EXAMPLE_ENV);
	const DOT11EXT_IHV_HANDLERS *hd;
	struct d11tx_ihv_host_stats s;
	IHV_EXAMPLE_STATS st;
	uint64_t deadline;
	uint16_t port;
	HANDLE svc, ext;

	(void)state;
	if (path == NULL || *path == '\0')
		skip_missing("$" EXAMPLE_ENV " not set (the example extension's path)");
	port = sim_open(0, "ack_loss=0.1,retry_limit=2,refuse=0.02");
	H = d11tx_ihv_host_load(path, NULL);
	if (H == NULL)
		fail_msg("d11tx_ihv_host_load(%s): %s", path, rte_strerror(rte_errno));
	hd = d11tx_ihv_host_handlers(H);
	svc = adapter_add(port, 0);
	ext = d11tx_ihv_host_ext_adapter(H, svc);

	assert_int_equal(example_start_threads(hd, ext, N, 0, IHV_EXAMPLE_MAX_THREADS + 1, &st),
			 ERROR_INVALID_PARAMETER);
	assert_int_equal(example_start_threads(hd, ext, N,
		IHV_EXAMPLE_START_BATCH | IHV_EXAMPLE_START_INJECT, 4, &st), ERROR_SUCCESS);
	assert_int_equal(example_start_threads(hd, ext, N, 0, 4, &st), ERROR_BUSY);
	deadline = rte_get_tsc_cycles() + ms_cycles(20000);
	do {
		d11tx_ihv_host_poll(H);
		assert_int_equal(example_control(hd, ext, IHV_EXAMPLE_CMD_STATS, 0, 0, NULL, &st),
				 ERROR_SUCCESS);
	} while ((st.bRunning || st.dwInFlight != 0) && rte_get_tsc_cycles() < deadline);
	print_message("example, 4 threads: %u sent, %u completed (%u acked, %u no ACK), "
		      "%u bad sends refused, %u ring/queue full\n", st.dwPacketsSent,
		      st.dwCompletions, st.dwStatus[D11TX_STATUS_ACKED],
		      st.dwStatus[D11TX_STATUS_NOACK], st.dwInjected, st.dwNoResources);
	assert_false(st.bRunning);
	assert_int_equal(st.dwThreads, 4);
	assert_int_equal(st.dwErrors, 0);
	assert_int_equal(st.dwBadCompletions, 0);
	assert_int_equal(st.dwPacketsSent, N);
	assert_int_equal(st.dwCompletions, N);
	assert_int_equal(st.dwStatus[D11TX_STATUS_ACKED] + st.dwStatus[D11TX_STATUS_NOACK], N);
	assert_true(st.ullSeqSumSent == (ULONGLONG)N * (N + 1) / 2);
	assert_true(st.ullSeqSumCompleted == st.ullSeqSumSent);
	/* One in IHV_EXAMPLE_INJECT_EVERY send calls of each thread. */
	assert_true(st.dwInjected + 4 >= st.dwSendCalls / IHV_EXAMPLE_INJECT_EVERY);
	assert_true(st.dwInjected > 0);

	/* Removed while its threads send: DeinitAdapter ends and joins them;
	 * what they had accepted completes (sent or cancelled). */
	assert_int_equal(example_start_threads(hd, ext, 10000000, 0, 4, &st), ERROR_SUCCESS);
	/* Until the threads are well into it (they start when the
	 * scheduler lets them), so that the removal meets them sending. */
	deadline = rte_get_tsc_cycles() + ms_cycles(10000);
	do {
		d11tx_ihv_host_poll(H);
		assert_int_equal(example_control(hd, ext, IHV_EXAMPLE_CMD_STATS, 0, 0, NULL, &st),
				 ERROR_SUCCESS);
	} while (st.dwPacketsSent < 5000 && rte_get_tsc_cycles() < deadline);
	assert_true(st.bRunning);
	assert_true(st.dwPacketsSent >= 5000);
	assert_int_equal(d11tx_ihv_host_remove_adapter(H, svc), 0);
	s = hstats();
	print_message("example removed while 4 threads sent: %" PRIu64 " accepted, %"
		      PRIu64 " completed\n", s.sends_ok - N, s.completions - N);
	assert_true(s.sends_ok >= N + 5000);
	assert_int_equal(s.completions, s.sends_ok);
	assert_int_equal(s.in_flight, 0);
	assert_int_equal(s.buffers_out, 0);
	assert_int_equal(d11tx_ihv_host_close(H), 0);
	H = NULL;
	sim_close(0);
}

/* ---------- 8. closing with packets in flight ---------- */

/* Two adapters whose links went down after 10 frames: closing the host
 * completes every packet of an adapter before its DeinitAdapter, and
 * every DeinitAdapter comes before DeinitService. */
static void
test_close_in_flight(void **state)
{
	enum { N = 100, K = 10 };
	uint16_t port[2];
	HANDLE svc[2];
	uint32_t last[2] = { 0, 0 };

	(void)state;
	port[0] = sim_open(0, "link_down_after=10,link_down_us=0");
	port[1] = sim_open(1, "link_down_after=10,link_down_us=0");
	host_open(false, NULL);
	X.free_on_completion = true;
	for (int a = 0; a < 2; a++) {
		svc[a] = adapter_add(port[a], 0);
		for (uint32_t i = 0; i < N; i++) {
			const uint32_t k = (uint32_t)a * 1000 + i;

			X.buf[k] = alloc_packet(80);
			assert_int_equal(send1(svc[a], k, X.buf[k], 80), ERROR_SUCCESS);
		}
	}
	poll_for(20);
	assert_int_equal(X.completions, 2 * K);
	assert_int_equal(hstats().in_flight, 2 * (N - K));

	assert_int_equal(d11tx_ihv_host_close(H), 0);
	H = NULL;
	assert_int_equal(X.completions, 2 * N);
	assert_int_equal(X.deinit_adapter, 2);
	assert_int_equal(X.deinit_service, 1);
	for (int a = 0; a < 2; a++) {
		for (uint32_t i = 0; i < N; i++) {
			const uint32_t k = (uint32_t)a * 1000 + i;

			assert_int_equal(X.count[k], 1);
			if (X.done_seq[k] > last[a])
				last[a] = X.done_seq[k];
			assert_null(X.buf[k]);  /* freed by the completion */
		}
		/* hIhvExtAdapter a + 1 */
		assert_true(last[a] < X.deinit_adapter_seq[a + 1]);
		assert_true(X.deinit_adapter_seq[a + 1] < X.deinit_service_seq);
	}
	assert_int_equal(X.stray, 0);
	sim_close(0);
	sim_close(1);
}

/* ---------- 8. sends from other threads ---------- */

/* One sender thread: packets of three kinds in turn (a buffer of
 * Dot11ExtAllocateBuffer, freed right after the send, while in flight; a
 * stack packet, copied; a slot of registered memory, zero-copy), 64 to
 * 264 bytes, packets [first, end) of its ledger, handle MT_HBASE +
 * id << 24 + sequence. */
struct mt_sender {
	pthread_t th;
	unsigned int id;
	HANDLE svc;
	uint32_t first, end;       /* the packets of this round */
	bool retry;                /* on ERROR_NO_SYSTEM_RESOURCES */
	const uint8_t *slots;      /* registered memory, pre-filled */
	uint8_t *accepted;         /* [ledger]: 1 if the send was accepted */
	uint32_t nb_accepted, nb_full;
	DWORD end_code;            /* what ended it early, else ERROR_SUCCESS */
	bool done;
};

#define MT_SLOT 512
#define MT_SLOTS 64

static uint8_t *mt_count[MT_THREADS];   /* completions by thread, sequence */
static uint32_t mt_ledger;              /* packets each ledger holds */
static volatile bool mt_stop;
static uint8_t *mt_slots;

static void
mt_record(uintptr_t v, int status)
{
	const uintptr_t t = v >> MT_SEQ_BITS, i = v & ((1u << MT_SEQ_BITS) - 1);

	if (mt_count[t] == NULL || i >= mt_ledger) {
		X.stray++;
		return;
	}
	mt_count[t][i]++;
	if (status >= 0)
		X.by_status[status & 7]++;
}

static void *
mt_send(void *arg)
{
	struct mt_sender *s = arg;
	uint8_t stack[512];

	for (uint32_t i = s->first; i < s->end && !mt_stop; i++) {
		const ULONG len = 64 + (i % 5) * 50;
		const HANDLE hs = (HANDLE)(uintptr_t)(MT_HBASE +
			((uintptr_t)s->id << MT_SEQ_BITS) + i);
		LPVOID ab = NULL;
		void *p;
		DWORD ret;

		switch (i % 3) {
		case 0:
			ret = X.apis.Dot11ExtAllocateBuffer(len, &ab);
			if (ret != ERROR_SUCCESS) {
				s->end_code = ret;
				goto out;
			}
			fill_eth(ab, len, 0x888e);
			p = ab;
			break;
		case 1:
			fill_eth(stack, len, 0x88b5);
			p = stack;
			break;
		default:
			p = (void *)(uintptr_t)(s->slots + (size_t)(i % MT_SLOTS) * MT_SLOT);
			break;
		}
		while ((ret = X.apis.Dot11ExtSendPacket(s->svc, len, p, hs)) ==
		       ERROR_NO_SYSTEM_RESOURCES) {
			s->nb_full++;
			if (!s->retry || mt_stop)
				break;
			sched_yield();
		}
		if (ab != NULL)
			X.apis.Dot11ExtFreeBuffer(ab);
		if (ret == ERROR_SUCCESS) {
			s->accepted[i] = 1;
			s->nb_accepted++;
		} else if (ret != ERROR_NO_SYSTEM_RESOURCES) {
			s->end_code = ret;
			break;
		}
	}
out:
	__atomic_store_n(&s->done, true, __ATOMIC_RELEASE);
	return NULL;
}

/* Ledgers of @p ledger packets for MT_THREADS senders on adapters
 * @p svc[thread % nb_svc]; the registered slots. */
static void
mt_setup(struct mt_sender *s, const HANDLE *svc, unsigned int nb_svc, uint32_t ledger,
	 bool retry)
{
	mt_ledger = ledger;
	mt_stop = false;
	if (mt_slots == NULL) {
		mt_slots = aligned_alloc(4096, MT_SLOT * MT_SLOTS);
		assert_non_null(mt_slots);
		for (unsigned int i = 0; i < MT_SLOTS; i++)
			fill_eth(mt_slots + i * MT_SLOT, MT_SLOT, 0x88b6);
	}
	assert_int_equal(d11tx_ihv_host_mem_register(H, mt_slots, MT_SLOT * MT_SLOTS), 0);
	for (unsigned int t = 0; t < MT_THREADS; t++) {
		mt_count[t] = calloc(ledger, 1);
		s[t] = (struct mt_sender){ .id = t, .svc = svc[t % nb_svc], .retry = retry,
			.slots = mt_slots, .accepted = calloc(ledger, 1) };
		assert_non_null(mt_count[t]);
		assert_non_null(s[t].accepted);
	}
}

/* A round: each sender tries packets [first, end). */
static void
mt_run(struct mt_sender *s, uint32_t first, uint32_t end)
{
	for (unsigned int t = 0; t < MT_THREADS; t++) {
		s[t].first = first;
		s[t].end = end;
		s[t].done = false;
		assert_int_equal(pthread_create(&s[t].th, NULL, mt_send, &s[t]), 0);
	}
}

/* Join the senders: none may still be blocked 5 s on. */
static void
mt_join(struct mt_sender *s)
{
	const uint64_t deadline = rte_get_tsc_cycles() + ms_cycles(5000);

	for (unsigned int t = 0; t < MT_THREADS; t++) {
		while (!__atomic_load_n(&s[t].done, __ATOMIC_ACQUIRE))
			if (rte_get_tsc_cycles() > deadline)
				fail_msg("sender thread %u still blocked 5 s on", t);
		assert_int_equal(pthread_join(s[t].th, NULL), 0);
	}
}

static bool
mt_all_done(const struct mt_sender *s)
{
	for (unsigned int t = 0; t < MT_THREADS; t++)
		if (!__atomic_load_n(&s[t].done, __ATOMIC_ACQUIRE))
			return false;
	return true;
}

static uint64_t
mt_accepted(const struct mt_sender *s)
{
	uint64_t n = 0;

	for (unsigned int t = 0; t < MT_THREADS; t++)
		n += s[t].nb_accepted;
	return n;
}

static uint64_t
mt_full(const struct mt_sender *s)
{
	uint64_t n = 0;

	for (unsigned int t = 0; t < MT_THREADS; t++)
		n += s[t].nb_full;
	return n;
}

/* Every accepted packet completed exactly once, no refused one did; the
 * ledgers are freed. */
static void
mt_check_and_free(struct mt_sender *s)
{
	for (unsigned int t = 0; t < MT_THREADS; t++) {
		for (uint32_t i = 0; i < mt_ledger; i++)
			if (mt_count[t][i] != s[t].accepted[i])
				fail_msg("thread %u packet %u: accepted %u, completed %u times",
					 t, i, s[t].accepted[i], mt_count[t][i]);
		free(mt_count[t]);
		free(s[t].accepted);
		mt_count[t] = NULL;
	}
	assert_int_equal(X.stray, 0);
}

/* 4 threads send 2000 packets each to one adapter while the host thread
 * polls: every packet accepted (retrying backpressure), each completed
 * once, every buffer back, nothing left in flight. */
static void
test_threads_exactly_once(void **state)
{
	enum { LIMIT = 2000 };
	struct mt_sender s[MT_THREADS];
	struct d11tx_ihv_host_stats st;
	uint16_t port;
	HANDLE svc;

	(void)state;
	port = sim_open(0, "ack_loss=0.2,retry_limit=2,seed=16");
	X.batch_completions = true;
	host_open(true, NULL);
	svc = adapter_add(port, 256);
	mt_setup(s, &svc, 1, LIMIT, true);
	mt_run(s, 0, LIMIT);
	while (!mt_all_done(s) || X.completions < mt_accepted(s))
		d11tx_ihv_host_poll(H);
	mt_join(s);
	poll_for(2);
	for (unsigned int t = 0; t < MT_THREADS; t++) {
		assert_int_equal(s[t].end_code, ERROR_SUCCESS);
		assert_int_equal(s[t].nb_accepted, LIMIT);
	}
	assert_int_equal(X.completions, MT_THREADS * LIMIT);
	assert_int_equal(X.by_status[D11TX_STATUS_ACKED] + X.by_status[D11TX_STATUS_NOACK],
			 MT_THREADS * LIMIT);
	st = hstats();
	assert_int_equal(st.sends_ok, MT_THREADS * LIMIT);
	assert_int_equal(st.completions, MT_THREADS * LIMIT);
	/* The stack packets, one in three, were copied. */
	assert_int_equal(st.sends_copied, MT_THREADS * ((LIMIT + 1) / 3));
	assert_int_equal(st.in_flight, 0);
	assert_int_equal(st.buffers_out, 0);
	print_message("4 threads, %u packets: %" PRIu64 " acked, %" PRIu64 " no ACK, "
		      "%u ring-full retries\n", MT_THREADS * LIMIT,
		      X.by_status[D11TX_STATUS_ACKED], X.by_status[D11TX_STATUS_NOACK],
		      (unsigned int)mt_full(s));
	mt_check_and_free(s);
	assert_pool_full(4096, 2048);           /* the defaults */
	assert_int_equal(d11tx_ihv_host_close(H), 0);
	H = NULL;
	sim_close(0);
}

/* A link that is down and a queue of 8: other threads' sends fill the
 * adapter's ring (7 usable) and then get ERROR_NO_SYSTEM_RESOURCES at
 * once; the host thread's poll moves 7 on to the queue, which makes room
 * on the ring for 7 more; the removal completes every accepted one once
 * (cancelled if never queued), never a refused one. */
static void
test_threads_backpressure(void **state)
{
	enum { RING = 8, TRIES = 10 };
	struct mt_sender s[MT_THREADS];
	uint16_t port;
	HANDLE svc;

	(void)state;
	port = sim_open(0, "");
	X.batch_completions = true;
	host_open(true, NULL);
	svc = adapter_add(port, RING);
	assert_int_equal(rte_eth_dev_set_link_down(port), 0);
	mt_setup(s, &svc, 1, 2 * TRIES, false);

	/* No poll: the ring alone. */
	mt_run(s, 0, TRIES);
	mt_join(s);
	assert_int_equal(mt_accepted(s), RING - 1);
	assert_int_equal(mt_full(s), MT_THREADS * TRIES - (RING - 1));
	assert_int_equal(hstats().sends_failed, MT_THREADS * TRIES - (RING - 1));
	assert_int_equal(hstats().in_flight, RING - 1);
	/* The poll puts them on the queue; the link is down: they stay. */
	poll_for(5);
	assert_int_equal(X.completions, 0);
	assert_int_equal(hstats().in_flight, RING - 1);
	assert_int_equal(d11tx_queue_inflight(d11tx_ihv_host_queue(H, svc)), RING - 1);

	/* A second round: 7 more on the ring; the poll moves one of them to
	 * the queue (now full), the rest wait. */
	mt_run(s, TRIES, 2 * TRIES);
	mt_join(s);
	assert_int_equal(mt_accepted(s), 2 * (RING - 1));
	poll_for(5);
	assert_int_equal(X.completions, 0);
	assert_int_equal(hstats().in_flight, 2 * (RING - 1));
	assert_int_equal(d11tx_queue_inflight(d11tx_ihv_host_queue(H, svc)), RING);

	assert_int_equal(d11tx_ihv_host_remove_adapter(H, svc), 0);
	assert_int_equal(X.completions, 2 * (RING - 1));
	/* Never on the air: those of the ring, and those the queue staged
	 * for a port whose link stayed down. */
	assert_int_equal(X.by_status[D11TX_STATUS_CANCELLED], 2 * (RING - 1));
	mt_check_and_free(s);
	assert_int_equal(hstats().in_flight, 0);
	assert_int_equal(hstats().buffers_out, 0);
	assert_int_equal(d11tx_ihv_host_close(H), 0);
	H = NULL;
	sim_close(0);
}

/* Closing the host while 4 threads keep sending to two adapters, one a
 * port the application started: every accepted packet completes once
 * (sent, or cancelled if it never reached the queue: told apart by
 * status), the threads all return (ERROR_INVALID_STATE, then
 * ERROR_INVALID_HANDLE or ERROR_SERVICE_NOT_ACTIVE once the host is
 * gone), the application's port is left started, and the close takes
 * less than the documented bound (STOP_TIMEOUT_US, 100 ms, per adapter,
 * plus the longest call in progress). */
static void
test_close_while_threads_send(void **state)
{
	enum { LEDGER = 1u << 20, ROUNDS = 3 };
	struct rte_eth_conf ec = { .txmode.offloads = RTE_ETH_TX_OFFLOAD_MULTI_SEGS };
	struct d11tx_ihv_adapter_conf c = { .role = D11TX_DOT11_STATION, .tid = 5,
					    .port_started = 1 };
	struct rte_eth_txq_info qi;
	struct rte_mempool *mp;
	uint16_t port[2];
	HANDLE svc[2];
	double worst_ms = 0;

	(void)state;
	port[0] = sim_open(0, "rate=54");
	port[1] = sim_open(1, "");
	mp = rte_mempool_lookup("ihv_test_rx");
	if (mp == NULL)
		mp = rte_pktmbuf_pool_create("ihv_test_rx", 512, 0, 0, 256, (int)rte_socket_id());
	assert_non_null(mp);
	assert_int_equal(rte_eth_dev_configure(port[1], 1, 1, &ec), 0);
	assert_int_equal(rte_eth_rx_queue_setup(port[1], 0, 64, rte_socket_id(), NULL, mp), 0);
	assert_int_equal(rte_eth_tx_queue_setup(port[1], 0, 512, rte_socket_id(), NULL), 0);
	assert_int_equal(rte_eth_dev_start(port[1]), 0);
	c.port_id = port[1];
	memcpy(c.bssid, bssid, 6);

	for (int round = 0; round < ROUNDS; round++) {
		struct mt_sender s[MT_THREADS];
		uint64_t t0, cancelled, sent;
		double ms;

		memset(&X, 0, sizeof(X));
		X.batch_completions = true;
		host_open(true, NULL);
		svc[0] = adapter_add(port[0], 512);
		assert_int_equal(d11tx_ihv_host_add_adapter(H, &c, &svc[1]), 0);
		mt_setup(s, svc, 2, LEDGER, true);
		mt_run(s, 0, LEDGER);
		poll_for(30);
		t0 = rte_get_tsc_cycles();
		assert_int_equal(d11tx_ihv_host_close(H), 0);
		ms = (double)(rte_get_tsc_cycles() - t0) * 1000 / rte_get_tsc_hz();
		H = NULL;
		mt_join(s);
		for (unsigned int t = 0; t < MT_THREADS; t++)
			if (s[t].end_code != ERROR_INVALID_STATE &&
			    s[t].end_code != ERROR_INVALID_HANDLE &&
			    s[t].end_code != ERROR_SERVICE_NOT_ACTIVE)
				fail_msg("thread %u ended with %u", t, s[t].end_code);
		assert_int_equal(X.completions, mt_accepted(s));
		cancelled = X.by_status[D11TX_STATUS_CANCELLED];
		sent = X.completions - cancelled - X.by_status[D11TX_STATUS_DROPPED];
		print_message("close with 4 threads sending: %.2f ms; %" PRIu64 " accepted: "
			      "%" PRIu64 " sent, %" PRIu64 " dropped at the NIC, %" PRIu64
			      " cancelled\n", ms, mt_accepted(s), sent,
			      X.by_status[D11TX_STATUS_DROPPED], cancelled);
		assert_true(mt_accepted(s) > 0);
		mt_check_and_free(s);
		if (ms > worst_ms)
			worst_ms = ms;
		assert_int_equal(rte_eth_tx_queue_info_get(port[1], 0, &qi), 0);
		assert_int_equal(qi.queue_state, RTE_ETH_QUEUE_STATE_STARTED);
	}
	assert_true(worst_ms < 2 * 100 + 100);
	assert_int_equal(rte_eth_dev_stop(port[1]), 0);
	sim_close(0);
	sim_close(1);
}

static int
setup(void **state)
{
	static const char *const vdevs[] = { NULL };

	(void)state;
	test_eal_init("test_ihv", vdevs);
	snprintf(pcap_path, sizeof(pcap_path), "/tmp/d11tx_ihv_%d.pcap", (int)getpid());
	return 0;
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, reset, cleanup)

int
main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_exactly_once),
		T(test_completion_after_nic),
		T(test_completion_slow_rate),
		T(test_errors),
		T(test_no_resources),
		T(test_other_apis),
		T(test_open_errors),
		T(test_zero_copy_and_copies),
		T(test_free_in_flight),
		T(test_batched),
		T(test_batched_null_arrays),
		T(test_batched_refused_midway),
		T(test_app_started_port),
		T(test_example_shared_object),
		T(test_example_threads),
		T(test_close_in_flight),
		T(test_handler_misuse),
		T(test_threads_exactly_once),
		T(test_threads_backpressure),
		T(test_close_while_threads_send),
	};
	int ret;

	apply_test_filter();
	ret = cmocka_run_group_tests_name("ihv", tests, setup, NULL);
	unlink(pcap_path);
	return ret;
}
