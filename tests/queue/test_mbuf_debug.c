/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The mbuf_debug build (-Dmbuf_debug=true, engine/queue/test_hooks.h): the checks
 * are there and they stop the process. Each case runs in a child process
 * of its own (this program again, with its own EAL), which must abort
 * with the check's message: a double free of an engine-owned buffer made
 * behind the engine's back (rte_pktmbuf_free(); d11tx_buf_free() refuses
 * them, tests/queue/test_misuse.c), and a frame whose lengths disagree
 * handed to the PMD. A last child sends every kind of frame in every mode
 * and must pass every check.
 */

#include <errno.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_ethdev.h>
#include <rte_mbuf.h>

#include "common.h"

extern char **environ;

/* ---------- the children ---------- */

#define CHILD_SETUP_FAILED 3

static void
nop_cb(void *ctx, void *const handles[], const uint8_t status[],
       const uint8_t retries[], uint16_t n)
{
	(void)handles;
	(void)status;
	(void)retries;
	*(uint64_t *)ctx += n;
}

static struct d11tx_queue *
child_queue(uint32_t flags, uint32_t pipe, uint64_t *completed, int *client)
{
	struct d11tx_queue_conf c = {
		.port_id = 0, .flags = D11TX_QF_CONFIGURE_PORT | flags,
		.ring_size = 64, .buf_count = 8, .buf_size = 256,
		.pipe_ring_size = pipe,
	};
	struct d11tx_queue *q = d11tx_queue_create(&c);

	if (q == NULL)
		exit(CHILD_SETUP_FAILED);
	*client = d11tx_client_register(q, nop_cb, completed);
	if (*client < 0)
		exit(CHILD_SETUP_FAILED);
	return q;
}

static void
child_idle(struct d11tx_queue *q)
{
	for (int i = 0; i < 1000000 && d11tx_queue_inflight(q) != 0; i++)
		d11tx_poll(q);
	if (d11tx_queue_inflight(q) != 0)
		exit(CHILD_SETUP_FAILED);
}

/* Buffers reserved, submitted, sent and completed, then freed again. */
static int
child_run(const char *what)
{
	static const char *const vdevs[] = { "net_null0", NULL };
	static uint8_t region[4096] __rte_aligned(64);
	uint64_t completed = 0;
	struct d11tx_buf *b[4];
	struct d11tx_queue *q;
	int client;

	test_eal_init("test_mbuf_debug child", vdevs);
	if (strcmp(what, "double_free") == 0) {
		/* The app frees a buffer twice, behind the engine's back
		 * (rte_pktmbuf_free: d11tx_buf_free() refuses the second),
		 * while others are reserved: the pool does not overfill. */
		q = child_queue(0, 0, &completed, &client);
		if (d11tx_buf_alloc(q, b, 4) != 4)
			return CHILD_SETUP_FAILED;
		rte_pktmbuf_free((struct rte_mbuf *)b[0]);
		rte_pktmbuf_free((struct rte_mbuf *)b[0]);
	} else if (strcmp(what, "double_free_burst") == 0) {
		struct d11tx_buf *twice[2];

		q = child_queue(0, 0, &completed, &client);
		if (d11tx_buf_alloc(q, b, 4) != 4)
			return CHILD_SETUP_FAILED;
		twice[0] = twice[1] = b[1];
		rte_pktmbuf_free_bulk((struct rte_mbuf **)twice, 2);
	} else if (strcmp(what, "free_after_submit") == 0) {
		/* The app frees a buffer it submitted, behind the engine's
		 * back: the engine gave it back to the pool at its completion
		 * already. */
		q = child_queue(0, 0, &completed, &client);
		if (d11tx_buf_alloc(q, b, 4) != 4)
			return CHILD_SETUP_FAILED;
		memset(d11tx_buf_data(b[0]), 0, 64);
		d11tx_buf_set(b[0], 64, (uint16_t)client, NULL);
		if (d11tx_buf_submit(q, b, 1) != 1)
			return CHILD_SETUP_FAILED;
		child_idle(q);
		if (completed != 1)
			return CHILD_SETUP_FAILED;
		rte_pktmbuf_free((struct rte_mbuf *)b[0]);
	} else if (strcmp(what, "bad_lengths") == 0) {
		/* A buffer whose mbuf lengths disagree (data_len past
		 * pkt_len) reaches the PMD: the check before tx_burst stops
		 * it. */
		q = child_queue(0, 0, &completed, &client);
		if (d11tx_buf_alloc(q, b, 1) != 1)
			return CHILD_SETUP_FAILED;
		memset(d11tx_buf_data(b[0]), 0, 128);
		d11tx_buf_set(b[0], 64, (uint16_t)client, NULL);
		((struct rte_mbuf *)b[0])->data_len = 100;
		if (d11tx_buf_submit(q, b, 1) != 1)
			return CHILD_SETUP_FAILED;
		d11tx_poll(q);
	} else if (strcmp(what, "clean") == 0) {
		static const struct d11tx_dot11_adapter sta = {
			.role = D11TX_DOT11_STATION,
			.own = { 0x02, 1, 1, 1, 1, 1 }, .bssid = { 0x02, 2, 2, 2, 2, 2 },
		};
		static const struct d11tx_radiotap_tx rt = {
			.flags = D11TX_RADIOTAP_F_FCS };
		const uint32_t modes[][2] = {
			{ 0, 0 }, { D11TX_QF_REFCNT_RECLAIM, 0 }, { 0, 16 },
		};
		uint64_t sent = 0;

		region[6] = 0x08;       /* EtherType 0x0800 at offset 6 */
		for (size_t m = 0; m < RTE_DIM(modes); m++) {
			q = child_queue(modes[m][0], modes[m][1], &completed, &client);
			if (d11tx_mem_register(q, region, sizeof(region)) != 0 ||
			    d11tx_queue_set_adapter(q, &sta, D11TX_ADAPTER_ASSIGN_SEQ) != 0)
				return CHILD_SETUP_FAILED;
			for (int round = 0; round < 200; round++) {
				struct d11tx_frame f = { .data = region + 64, .len = 64,
							 .client = (uint16_t)client };
				struct d11tx_eth_frame e = { .data = region,
					.len = round % 3 == 0 ? 8 : 100,
					.client = (uint16_t)client,
					.tid = (int8_t)(round % 9 - 1) };

				d11tx_queue_set_radiotap(q, round & 1 ? &rt : NULL);
				sent += d11tx_send_burst(q, &f, 1);
				sent += d11tx_send_eth_burst(q, &e, 1);
				if (modes[m][1] != 0)
					sent += d11tx_pipe_send_burst(q, &f, 1);
				if (d11tx_buf_alloc(q, b, 2) == 2) {
					memset(d11tx_buf_data(b[0]), 0, 64);
					d11tx_buf_set(b[0], 64, (uint16_t)client, NULL);
					sent += modes[m][1] != 0
						? d11tx_pipe_buf_submit(q, b, 1)
						: d11tx_buf_submit(q, b, 1);
					d11tx_buf_free(q, &b[1], 1);
				}
				d11tx_poll(q);
			}
			/* Some cancelled by the stop, checked as released. */
			for (int i = 0; i < 10; i++) {
				struct d11tx_frame f = { .data = region + 64, .len = 64,
							 .client = (uint16_t)client };

				sent += d11tx_send_burst(q, &f, 1);
				if (modes[m][1] != 0)
					sent += d11tx_pipe_send_burst(q, &f, 1);
			}
			if (d11tx_queue_destroy(q) != 0)
				return CHILD_SETUP_FAILED;
		}
		return sent == completed && sent > 1000 ? 0 : CHILD_SETUP_FAILED;
	} else {
		return CHILD_SETUP_FAILED;
	}
	return 0;                   /* the check did not stop it */
}

/* ---------- the parent ---------- */

/* Run this program as the child for @p what; its stderr into @p out. */
static int
run_child(const char *what, char *out, size_t out_len)
{
	char *const argv[] = { (char *)"test_mbuf_debug", (char *)"--child",
			       (char *)what, NULL };
	posix_spawn_file_actions_t fa;
	int fds[2], status;
	size_t len = 0;
	pid_t pid;
	ssize_t r;

	assert_int_equal(pipe(fds), 0);
	assert_int_equal(posix_spawn_file_actions_init(&fa), 0);
	assert_int_equal(posix_spawn_file_actions_adddup2(&fa, fds[1], STDERR_FILENO), 0);
	assert_int_equal(posix_spawn_file_actions_addclose(&fa, fds[0]), 0);
	assert_int_equal(posix_spawn(&pid, "/proc/self/exe", &fa, NULL, argv, environ), 0);
	posix_spawn_file_actions_destroy(&fa);
	close(fds[1]);
	while ((r = read(fds[0], out + len, out_len - 1 - len)) > 0 ||
	       (r < 0 && errno == EINTR))
		if (r > 0)
			len += (size_t)r;
	out[len] = '\0';
	close(fds[0]);
	while (waitpid(pid, &status, 0) < 0)
		assert_int_equal(errno, EINTR);
	return status;
}

static void
expect_abort(const char *what, const char *message)
{
	static char out[65536];
	const int status = run_child(what, out, sizeof(out));

	if (!WIFSIGNALED(status) || WTERMSIG(status) != SIGABRT)
		fail_msg("%s: child %s %d, not killed by SIGABRT; its stderr:\n%s", what,
			 WIFEXITED(status) ? "exited with" : "killed by signal",
			 WIFEXITED(status) ? WEXITSTATUS(status) : WTERMSIG(status), out);
	if (strstr(out, message) == NULL)
		fail_msg("%s: aborted without \"%s\"; its stderr:\n%s", what, message, out);
}

static void
test_double_free(void **state)
{
	(void)state;
	expect_abort("double_free", "double free of mbuf");
}

static void
test_double_free_in_one_burst(void **state)
{
	(void)state;
	expect_abort("double_free_burst", "double free of mbuf");
}

static void
test_free_after_submit(void **state)
{
	(void)state;
	expect_abort("free_after_submit", "double free of mbuf");
}

static void
test_bad_lengths_to_pmd(void **state)
{
	(void)state;
	expect_abort("bad_lengths", "bad data_len");
}

/* Every kind of frame, in every mode, passes every check. */
static void
test_clean_traffic(void **state)
{
	static char out[65536];
	const int status = run_child("clean", out, sizeof(out));

	(void)state;
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
		fail_msg("clean traffic: child status %#x; its stderr:\n%s", status, out);
}

int
main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_double_free),
		cmocka_unit_test(test_double_free_in_one_burst),
		cmocka_unit_test(test_free_after_submit),
		cmocka_unit_test(test_bad_lengths_to_pmd),
		cmocka_unit_test(test_clean_traffic),
	};

	if (argc == 3 && strcmp(argv[1], "--child") == 0)
		return child_run(argv[2]);
	apply_test_filter();
	return cmocka_run_group_tests_name("mbuf_debug", tests, NULL, NULL);
}
