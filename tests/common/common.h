/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef D11TX_TESTS_COMMON_H
#define D11TX_TESTS_COMMON_H

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "skip.h"
#include "test_eal.h"

#include <dot11tx/dot11tx.h>


/**
 * Start EAL once for this test binary, with the tools' defaults
 * (hugepages when free, --no-huge otherwise), @p vdevs and @p extra
 * (NULL-terminated, or NULL), through test_eal_start().
 */
void test_eal_init_args(const char *prog, const char *const vdevs[],
			const char *const extra[]);

/** test_eal_init_args() without extra arguments. */
void test_eal_init(const char *prog, const char *const vdevs[]);


/* One frame's account: a ledger of outstanding handles, as the AF_XDP
 * selftests keep. The handle given to the engine is the entry itself. */
enum { ENTRY_UNUSED, ENTRY_OUTSTANDING, ENTRY_DONE, ENTRY_REFUSED };

struct ledger_entry {
	uint16_t client;
	uint8_t state;
	uint8_t status;
	uint8_t retries;
	uint32_t completions;
};

struct ledger {
	struct ledger_entry *entries;
	uint32_t size;
	uint32_t used;
	uint64_t completed;
	uint64_t by_status[D11TX_STATUS_MAX];
	uint64_t retries;        /* summed over completions */
	uint64_t wrong_client;   /* delivered to a client that did not send it */
	uint64_t not_outstanding;/* a second completion, or one for a refused frame */
};

/* Context of a client's callback: which client it is, which ledger. */
struct ledger_client {
	struct ledger *ledger;
	uint16_t id;
	uint64_t calls;
	uint64_t completed;
};

void ledger_init(struct ledger *l, uint32_t size);
void ledger_fini(struct ledger *l);
/* A new outstanding entry for @p client: the handle to submit with. */
struct ledger_entry *ledger_take(struct ledger *l, uint16_t client);
/* A burst took @p taken of @p offered frames for backpressure alone
 * (ENOBUFS): give the untaken entries back to the ledger for a retry. */
void ledger_backpressure(struct ledger *l, uint16_t offered, uint16_t taken);
/* The frame of @p e was refused: it must never complete. */
void ledger_refused(struct ledger_entry *e);
/* The completion callback: ctx is a struct ledger_client. */
void ledger_cb(void *ctx, void *const handles[], const uint8_t status[],
	       const uint8_t retries[], uint16_t n);
/* Assert: every outstanding entry completed exactly once, to its client,
 * refused ones never; returns how many are still outstanding. */
uint32_t ledger_outstanding(const struct ledger *l);
void ledger_assert_clean(const struct ledger *l);

/* A ledger of @p size entries and one client, registered on @p q. */
void ledger_open(struct ledger *l, struct ledger_client *lc,
		 struct d11tx_queue *q, uint32_t size);
/* End of a test: the pools of @p q are full, it is destroyed (which must
 * succeed), and the ledger is freed. */
void queue_close(struct d11tx_queue *q, struct ledger *l);

/* Assert both pools of @p q are full: nothing leaked. */
void assert_pools_full(const struct d11tx_queue *q);

/* Called first in a test's own pthread: move it off the main lcore's CPU.
 * EAL pins the main thread, and threads it creates inherit the pin, so a
 * producer thread would otherwise share one core with the owner. */
void test_thread_unpin(void);

/* Run only the tests whose names match $D11TX_TEST_FILTER (a cmocka
 * glob pattern), when it is set. */
void apply_test_filter(void);

/* The reclaim mode of the queues a test makes: 0 (tracked pools) or
 * D11TX_QF_REFCNT_RECLAIM, as the setups of TEST_BOTH set it. */
extern uint32_t test_reclaim_flags;
int test_mode_tracked(void **state);
int test_mode_refcnt(void **state);

/* A test twice: with tracked pools, then counting references ("_refcnt");
 * @p st its initial state (cmocka's state argument). */
#define TEST_BOTH_STATE(name, fn, st) \
	{ name, fn, test_mode_tracked, NULL, st }, \
	{ name "_refcnt", fn, test_mode_refcnt, test_mode_tracked, st }
#define TEST_BOTH(fn) TEST_BOTH_STATE(#fn, fn, NULL)

struct rte_ring;

/**
 * A net_ring port whose TX lands in a ring of @p size slots (size - 1
 * frames), where the test plays the receiver; configured with the
 * multi-segment offload, and started.
 * @return The port id (the test fails if it cannot be made).
 */
uint16_t test_ring_port(const char *name, unsigned int size,
			struct rte_ring **nic);

/* Take what the NIC sent (up to 64), free it; returns how many. */
unsigned int test_ring_drain(struct rte_ring *nic);

/**
 * Create a net_wlansim port at run time, named net_wlansimN (N from 10
 * up: lower numbers are left to the tests' fixed names), with devargs
 * @p args; the test fails if it cannot. @p name gets the name (for
 * rte_vdev_uninit), @p size bytes at most.
 * @return The port id.
 */
uint16_t test_wlansim_create(const char *args, char *name, size_t size);

/* Poll until nothing is in flight or @p max_polls ran out. */
void poll_until_idle(struct d11tx_queue *q, uint64_t max_polls);

#endif
