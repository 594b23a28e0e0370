/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef D11TX_GEN_OPTIONS_H
#define D11TX_GEN_OPTIONS_H

/*
 * dot11tx-gen's command line (options.c): the options after "--", parsed
 * into struct gen_options, and --help. Calls nothing of the EAL, exits
 * nothing: main.c and the fuzzer (tests/fuzz/fuzz_gen_cli.c) call it.
 */

#include <stdio.h>

#include "gen.h"

#define GEN_PROG "dot11tx-gen"
#define GEN_DEFAULT_COUNT 10000000ull
#define GEN_DEFAULT_LEN 64
/* The embedded default port: net_wlansim with a lossy link, so that the
 * summary shows what a WLAN port reports (ACKs, no-ACKs, retries). */
#define GEN_DEFAULT_VDEV "net_wlansim0,ack_loss=0.1,retry_limit=2"
/* gen_options_parse(): --help was given. */
#define GEN_OPTIONS_HELP 1

/*
 * Parse the tool's options, argv[0] being the program, into @p o (entirely
 * written). @return 0; GEN_OPTIONS_HELP when --help came before any bad
 * option (the options after it are not read); or -1 after one line on
 * stderr naming the bad option or combination. The strings of @p o
 * (hex, pcap_path, stats_file) point into @p argv.
 */
int gen_options_parse(int argc, char **argv, struct gen_options *o);

/* The --help text, with @p prog as the program's name. */
void gen_usage(const char *prog, FILE *out);

#endif
