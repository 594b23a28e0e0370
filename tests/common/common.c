/* SPDX-License-Identifier: BSD-3-Clause */
#define _GNU_SOURCE
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <rte_bus_vdev.h>
#include <rte_eth_ring.h>
#include <rte_ethdev.h>
#include <rte_lcore.h>
#include <rte_mbuf.h>
#include <rte_ring.h>

#include <rte_eal.h>
#include <rte_errno.h>

#include "common.h"
#include "eal_args.h"

static struct eal_args eal;
/* EAL may keep pointers into the argv it was given: these live on. */
static char *eal_extra_words;
static char **eal_argv_all;
static char **eal_argv_test;

void
test_eal_start(const char *prog, int argc, char *const argv[])
{
	const char *extra = getenv(TEST_EAL_ARGS_ENV);
	char *words = strdup(extra != NULL ? extra : "");
	char **all = calloc((size_t)argc + (words ? strlen(words) : 0) / 2 + 2,
			    sizeof(*all));
	int n = 0;

	eal_extra_words = words;
	eal_argv_all = all;
	if (words == NULL || all == NULL) {
		fprintf(stderr, "%s: out of memory\n", prog);
		exit(1);
	}
	for (int i = 0; i < argc; i++)
		all[n++] = argv[i];
	for (char *save = NULL, *w = strtok_r(words, " \t", &save); w != NULL;
	     w = strtok_r(NULL, " \t", &save))
		all[n++] = w;
	if (rte_eal_init(n, all) < 0) {
		fprintf(stderr, "%s: FAIL: EAL cannot start: %s\n", prog,
			rte_strerror(rte_errno));
		exit(1);
	}
}

void
test_eal_init_args(const char *prog, const char *const vdevs[],
		   const char *const extra[])
{
	char *argv[] = { (char *)prog, NULL };
	char **args;
	int argc = 0, nb_extra = 0;

	while (extra != NULL && extra[nb_extra] != NULL)
		nb_extra++;
	if (eal_args_build(&eal, 1, argv, vdevs) != 0 ||
	    (args = calloc((size_t)(eal.eal_argc + nb_extra + 1), sizeof(*args))) == NULL) {
		fprintf(stderr, "%s: out of memory\n", prog);
		exit(1);
	}
	eal_argv_test = args;
	for (int i = 0; i < eal.eal_argc; i++)
		args[argc++] = eal.eal_argv[i];
	for (int i = 0; i < nb_extra; i++)
		args[argc++] = (char *)(uintptr_t)extra[i];
	test_eal_start(prog, argc, args);
	fprintf(stderr, "%s: EAL up, %s\n", prog,
		eal.hugepages ? "hugepages" : "--no-huge");
}

void
test_eal_init(const char *prog, const char *const vdevs[])
{
	test_eal_init_args(prog, vdevs, NULL);
}

void
test_thread_unpin(void)
{
	const long cpus = sysconf(_SC_NPROCESSORS_ONLN);
	const unsigned int main_cpu = rte_lcore_to_cpu_id((int)rte_get_main_lcore());
	cpu_set_t set;

	CPU_ZERO(&set);
	for (long i = 0; i < cpus && i < CPU_SETSIZE; i++)
		if (cpus == 1 || (unsigned int)i != main_cpu)
			CPU_SET(i, &set);
	/* Best effort: where the cpuset forbids it, stay where we are. */
	(void)sched_setaffinity(0, sizeof(set), &set);
}

uint32_t test_reclaim_flags;

int
test_mode_tracked(void **state)
{
	(void)state;
	test_reclaim_flags = 0;
	return 0;
}

int
test_mode_refcnt(void **state)
{
	(void)state;
	test_reclaim_flags = D11TX_QF_REFCNT_RECLAIM;
	return 0;
}

void
apply_test_filter(void)
{
	const char *filter = getenv("D11TX_TEST_FILTER");

	if (filter != NULL && *filter != '\0')
		cmocka_set_test_filter(filter);
}

void
ledger_init(struct ledger *l, uint32_t size)
{
	*l = (struct ledger){ .size = size };
	l->entries = calloc(size, sizeof(*l->entries));
	assert_non_null(l->entries);
}

void
ledger_fini(struct ledger *l)
{
	free(l->entries);
	l->entries = NULL;
}

struct ledger_entry *
ledger_take(struct ledger *l, uint16_t client)
{
	struct ledger_entry *e;

	assert_true(l->used < l->size);
	e = &l->entries[l->used++];
	e->client = client;
	e->state = ENTRY_OUTSTANDING;
	return e;
}

void
ledger_backpressure(struct ledger *l, uint16_t offered, uint16_t taken)
{
	if (taken == offered)
		return;
	assert_int_equal(rte_errno, ENOBUFS);
	l->used -= (uint32_t)(offered - taken);
}

void
ledger_refused(struct ledger_entry *e)
{
	assert_int_equal(e->state, ENTRY_OUTSTANDING);
	e->state = ENTRY_REFUSED;
}

void
ledger_cb(void *ctx, void *const handles[], const uint8_t status[],
	  const uint8_t retries[], uint16_t n)
{
	struct ledger_client *c = ctx;
	struct ledger *l = c->ledger;

	c->calls++;
	c->completed += n;
	for (uint16_t i = 0; i < n; i++) {
		struct ledger_entry *e = handles[i];

		if (e->client != c->id)
			l->wrong_client++;
		if (e->state != ENTRY_OUTSTANDING)
			l->not_outstanding++;
		e->state = ENTRY_DONE;
		e->status = status[i];
		e->retries = retries[i];
		l->retries += retries[i];
		e->completions++;
		l->by_status[status[i] < D11TX_STATUS_MAX ? status[i] : 0]++;
		l->completed++;
	}
}

uint32_t
ledger_outstanding(const struct ledger *l)
{
	uint32_t n = 0;

	for (uint32_t i = 0; i < l->used; i++)
		n += l->entries[i].state == ENTRY_OUTSTANDING;
	return n;
}

void
ledger_assert_clean(const struct ledger *l)
{
	uint64_t done = 0;

	assert_int_equal(l->wrong_client, 0);
	assert_int_equal(l->not_outstanding, 0);
	for (uint32_t i = 0; i < l->used; i++) {
		const struct ledger_entry *e = &l->entries[i];

		if (e->state == ENTRY_REFUSED) {
			assert_int_equal(e->completions, 0);
			continue;
		}
		assert_int_equal(e->state, ENTRY_DONE);
		assert_int_equal(e->completions, 1);
		done++;
	}
	assert_int_equal(done, l->completed);
}

void
ledger_open(struct ledger *l, struct ledger_client *lc, struct d11tx_queue *q,
	    uint32_t size)
{
	int id;

	ledger_init(l, size);
	*lc = (struct ledger_client){ .ledger = l };
	id = d11tx_client_register(q, ledger_cb, lc);
	assert_true(id >= 0);
	lc->id = (uint16_t)id;
}

void
queue_close(struct d11tx_queue *q, struct ledger *l)
{
	assert_pools_full(q);
	assert_int_equal(d11tx_queue_destroy(q), 0);
	ledger_fini(l);
}

void
assert_pools_full(const struct d11tx_queue *q)
{
	struct d11tx_queue_stats s;

	assert_int_equal(d11tx_queue_stats_get(q, &s), 0);
	assert_int_equal(s.hdr_pool_free, s.hdr_pool_size);
	assert_int_equal(s.buf_pool_free, s.buf_pool_size);
	assert_int_equal(s.staged + s.at_nic + s.pipe_pending, 0);
}

void
poll_until_idle(struct d11tx_queue *q, uint64_t max_polls)
{
	while (d11tx_queue_inflight(q) != 0 && max_polls-- != 0)
		d11tx_poll(q);
}

uint16_t
test_ring_port(const char *name, unsigned int size, struct rte_ring **nic)
{
	/* Chains allowed, as encapsulated sends need (net_ring offers it). */
	struct rte_eth_conf conf = {
		.txmode.offloads = RTE_ETH_TX_OFFLOAD_MULTI_SEGS };
	struct rte_mempool *mp;
	char ring_name[64], pool_name[64];
	int port;

	snprintf(ring_name, sizeof(ring_name), "%s_nic", name);
	snprintf(pool_name, sizeof(pool_name), "%s_rx", name);
	*nic = rte_ring_create(ring_name, size, (int)rte_socket_id(),
			       RING_F_SP_ENQ | RING_F_SC_DEQ);
	assert_non_null(*nic);
	port = rte_eth_from_rings(name, nic, 1, nic, 1, rte_socket_id());
	assert_true(port >= 0);
	mp = rte_pktmbuf_pool_create(pool_name, 512, 0, 0, 256, (int)rte_socket_id());
	assert_non_null(mp);
	assert_int_equal(rte_eth_dev_configure((uint16_t)port, 1, 1, &conf), 0);
	assert_int_equal(rte_eth_rx_queue_setup((uint16_t)port, 0, 64,
						rte_socket_id(), NULL, mp), 0);
	assert_int_equal(rte_eth_tx_queue_setup((uint16_t)port, 0, 64,
						rte_socket_id(), NULL), 0);
	assert_int_equal(rte_eth_dev_start((uint16_t)port), 0);
	return (uint16_t)port;
}

unsigned int
test_ring_drain(struct rte_ring *nic)
{
	struct rte_mbuf *m[64];
	unsigned int n = rte_ring_dequeue_burst(nic, (void **)m, 64, NULL);

	rte_pktmbuf_free_bulk(m, n);
	return n;
}

uint16_t
test_wlansim_create(const char *args, char *name, size_t size)
{
	static unsigned int serial = 10;
	uint16_t port;
	int ret;

	snprintf(name, size, "net_wlansim%u", serial++);
	ret = rte_vdev_init(name, args);
	if (ret != 0)
		fail_msg("rte_vdev_init(%s, \"%s\"): %d", name, args, ret);
	assert_int_equal(rte_eth_dev_get_port_by_name(name, &port), 0);
	return port;
}
