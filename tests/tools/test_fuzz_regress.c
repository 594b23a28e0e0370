/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * What the fuzzers (tests/fuzz) found in the parsers, each a test of its
 * own, run in every build (the inputs are replayed by the fuzzers too,
 * from tests/fuzz/seeds, in clang builds only). No EAL.
 *
 * - net_wlansim's integer devargs took " 5", "+5" and " -1" (as 2^64 - 1)
 *   through strtoull(): plain digits only now (fuzz_wlansim_args).
 * - tool_parse_u64() took "010" as octal 8 (documented: decimal or 0x
 *   hexadecimal), "0x0x5" as 5, and " -1" as 2^64 - 1 (fuzz_gen_cli).
 * - dot11tx-gen's option parser, called a second time, went on from where
 *   getopt stopped in a group of short options of the first call's argv
 *   ("-4h": --help from the old argv) (fuzz_gen_cli).
 * - net_wlansim's radiotap parser (d11tx_radiotap_parse() now) said "FCS"
 *   or "no ACK" of a header it found invalid, when the fault came after
 *   those fields (fuzz_radiotap).
 * - On DPDK 24.11, net_wlansim refused a key given without a value
 *   ("radiotap") without saying why: rte_kvargs_process() skips the
 *   handler for such keys since 24.03 (fuzz_wlansim_args).
 */

#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <setjmp.h>
#include <cmocka.h>

#include <rte_log.h>

#include <dot11tx/dot11.h>

#include "parse.h"
#include "options.h"
#include "wlansim_args.h"
#include "wlansim_model.h"

static void
test_wlansim_args_digits_only(void **state)
{
	static const char *const bad[] = {
		"seed=+822", "seed= -1", "queues= 2", "ring=+16", "link_down_after= -1",
		"stall_every=\t5", "seed=-1", "seed=18446744073709551616",
	};
	struct wlansim_args a;

	(void)state;
	rte_log_set_level(wlansim_logtype, RTE_LOG_EMERG);   /* quiet refusals */
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (wlansim_args_parse(bad[i], &a) != -EINVAL)
			fail_msg("%s: accepted", bad[i]);
	assert_int_equal(wlansim_args_parse("seed=18446744073709551615,queues=02", &a), 0);
	assert_true(a.p.seed == UINT64_MAX);
	assert_int_equal(a.nb_queues, 2);
	/* The defaults. */
	assert_int_equal(wlansim_args_parse(NULL, &a), 0);
	assert_int_equal(a.nb_queues, 1);
	assert_int_equal(a.ring_default, WLANSIM_DEFAULT_RING);
	assert_true(a.p.seed == 1);
	assert_int_equal(a.pcap_path[0], '\0');
}

/* A key without a value is refused with one line that names it, on
 * every DPDK release. */
static void
test_wlansim_args_key_without_value(void **state)
{
	static const char *const keys[] = {
		"radiotap", "queues", "seed", "rate", "ack_loss", "refuse", "pcap",
	};
	struct wlansim_args a;

	(void)state;
	rte_log_set_level(wlansim_logtype, RTE_LOG_INFO);
	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		char *log = NULL, want[64];
		size_t len = 0;
		FILE *f = open_memstream(&log, &len);
		int ret;

		assert_non_null(f);
		rte_openlog_stream(f);
		ret = wlansim_args_parse(keys[i], &a);
		rte_openlog_stream(NULL);
		fclose(f);
		snprintf(want, sizeof(want), "%s: a value is missing", keys[i]);
		if (ret != -EINVAL || log == NULL || strstr(log, want) == NULL)
			fail_msg("\"%s\": returned %d, logged \"%s\"", keys[i], ret,
				 log != NULL ? log : "");
		free(log);
	}
}

static void
test_tool_parse_u64(void **state)
{
	static const struct {
		const char *s;
		uint64_t v;
	} good[] = {
		{ "0", 0 }, { "010", 10 }, { "0x1F", 31 }, { "0X10", 16 },
		{ "18446744073709551615", UINT64_MAX }, { "0xffffffffffffffff", UINT64_MAX },
	};
	static const char *const bad[] = {
		"", "0x", "0x0x5", "0X0x1", " 5", "+5", " -1", "-1", "5 ", "1e3",
		"18446744073709551616", "0x10000000000000000", "08x", "0b1",
	};
	uint64_t v;

	(void)state;
	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		v = 12345;
		if (tool_parse_u64(good[i].s, 0, UINT64_MAX, &v) != 0 || v != good[i].v)
			fail_msg("\"%s\": not %llu", good[i].s, (unsigned long long)good[i].v);
	}
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (tool_parse_u64(bad[i], 0, UINT64_MAX, &v) != -1)
			fail_msg("\"%s\": accepted", bad[i]);
	assert_int_equal(tool_parse_u64("8", 1, 7, &v), -1);
}

/* Parse a NULL-terminated argv with stderr silenced. */
static int
parse(struct gen_options *o, const char *const *args)
{
	char *argv[16];
	int argc = 0, r;
	FILE *saved = stderr;

	while (args[argc] != NULL) {
		argv[argc] = strdup(args[argc]);
		assert_non_null(argv[argc]);
		argc++;
	}
	argv[argc] = NULL;
	stderr = fopen("/dev/null", "w");
	assert_non_null(stderr);
	r = gen_options_parse(argc, argv, o);
	fclose(stderr);
	stderr = saved;
	/* Freed: a later call must not read this argv. */
	for (int i = 0; i < argc; i++)
		free(argv[i]);
	return r;
}

static void
test_gen_options_twice(void **state)
{
	struct gen_options o;

	(void)state;
	/* Stops at '4' inside "-4h", then must start afresh. */
	assert_int_equal(parse(&o, (const char *const[]){ "dot11tx-gen", "-4h", NULL }), -1);
	assert_int_equal(parse(&o, (const char *const[]){ "dot11tx-gen", "--count", "5",
							 NULL }), 0);
	assert_true(o.count == 5 && o.count_given);
	assert_int_equal(parse(&o, (const char *const[]){ "dot11tx-gen", "-jZq", NULL }), -1);
	assert_int_equal(parse(&o, (const char *const[]){ "dot11tx-gen", NULL }), 0);
	assert_false(o.quiet);
	assert_false(o.json);
	/* Decimal, as --help says. */
	assert_int_equal(parse(&o, (const char *const[]){ "dot11tx-gen", "--burst", "010",
							 NULL }), 0);
	assert_int_equal(o.burst, 10);
	assert_int_equal(parse(&o, (const char *const[]){ "dot11tx-gen", "--help", NULL }),
			 GEN_OPTIONS_HELP);
}

static void
test_radiotap_invalid_says_nothing(void **state)
{
	/* Flags (FCS) read, then a Channel field past it_len = 10. */
	static const uint8_t hdr[12] = {
		0x00, 0x35, 0x0a, 0x00, 0x0a, 0x41, 0x00, 0x5d, 0x33, 0x33, 0x00, 0x00,
	};
	/* Flags (FCS), then a Channel field past it_len = 12. */
	static const uint8_t hdr2[14] = {
		0x00, 0x00, 0x0c, 0x00, 0x0a, 0x80, 0x00, 0x00, 0x10, 0x00, 0x08, 0x00,
		0x00, 0x00,
	};
	struct d11tx_radiotap_info info;

	(void)state;
	assert_int_equal(d11tx_radiotap_parse(hdr, sizeof(hdr), &info), -EBADMSG);
	assert_int_equal(info.len, 0);
	assert_int_equal(info.flags, 0);
	assert_int_equal(info.tx_flags, 0);
	assert_int_equal(d11tx_radiotap_parse(hdr2, sizeof(hdr2), &info), -EBADMSG);
	assert_int_equal(info.len, 0);
	assert_int_equal(info.flags, 0);
	assert_int_equal(info.tx_flags, 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_wlansim_args_digits_only),
		cmocka_unit_test(test_wlansim_args_key_without_value),
		cmocka_unit_test(test_tool_parse_u64),
		cmocka_unit_test(test_gen_options_twice),
		cmocka_unit_test(test_radiotap_invalid_says_nothing),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
