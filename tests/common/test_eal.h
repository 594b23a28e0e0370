/* SPDX-License-Identifier: BSD-3-Clause */
/* Starting EAL in a test program (tests/common/common.c). */
#ifndef D11TX_TESTS_TEST_EAL_H
#define D11TX_TESTS_TEST_EAL_H

/*
 * Extra EAL arguments for every test binary, appended to its own
 * (space-separated). tests/meson.build sets a broken one to prove that a
 * test whose EAL cannot start fails.
 */
#define TEST_EAL_ARGS_ENV "D11TX_TEST_EAL_ARGS"

/**
 * rte_eal_init() for a test program, with @p argv (argv[0] first) and
 * then $D11TX_TEST_EAL_ARGS. An EAL that cannot start is a failure, never
 * a skip: exit 1, after EAL's own reason and one line naming @p prog.
 * The argument arrays are kept for EAL's lifetime.
 */
void test_eal_start(const char *prog, int argc, char *const argv[]);

#endif
