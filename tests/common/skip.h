/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Skips. A test skips only for a prerequisite it checked by name (tshark,
 * the captures, root for a namespace), and says which in one line,
 * "SKIP: <what is missing>", on stdout. tools/test.sh collects those
 * lines from meson's log, names them in its summary, and fails the run
 * for any that is not on its allow-list. An EAL that cannot start is
 * never a skip (test_eal_start() in common.h).
 */
#ifndef D11TX_TESTS_SKIP_H
#define D11TX_TESTS_SKIP_H

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>

/* Exit code that meson counts as a skipped test (a whole program). */
#define TEST_SKIP 77

#define test_skip_line(...) do { \
	printf("SKIP: " __VA_ARGS__); \
	putchar('\n'); \
	fflush(stdout); \
} while (0)

/* Skip this cmocka case for a missing prerequisite, named. */
#define skip_missing(...) do { \
	test_skip_line(__VA_ARGS__); \
	skip(); \
} while (0)

/* Whether @p name is a program on PATH. */
static inline bool
test_have_program(const char *name)
{
	char cmd[256];

	snprintf(cmd, sizeof(cmd), "command -v '%s' >/dev/null 2>&1", name);
	return system(cmd) == 0;
}

#endif
