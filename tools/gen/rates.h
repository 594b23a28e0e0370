/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef D11TX_GEN_RATES_H
#define D11TX_GEN_RATES_H

/*
 * dot11tx-gen's figures per TX parameter set (per rate of a sweep):
 * snapshots of the workers' per-set counters summed, and what the live
 * view, the CSV, the summary line and the JSON show of them.
 */

#include <stdio.h>

#include "gen.h"

/* The workers' counters of one set, summed. */
struct gen_set_tick {
	uint64_t completed;
	uint64_t status[GEN_NB_STATUS];
	uint64_t retries;
	struct gen_hist lat;
};

/* Snapshot set by set (relaxed loads) of @p nw workers' counters into
 * k[0 .. nb_sets - 1]. */
void gen_sets_take(struct gen_set_tick *k, const struct gen_worker *w,
		   unsigned int nw, unsigned int nb_sets);

/* The name of set @p i of @p t: its rate ("6M", "HT7", "VHT9x2/80"), or
 * "port-rate" for a set that leaves the rate to the port. */
void gen_set_name(const struct gen_txp *t, unsigned int i, char *buf, size_t len);

/* The CSV columns of the sets (after the live view's), each starting
 * with a comma, no newline. */
void gen_sets_csv_header(const struct gen_txp *t, FILE *f);
/* The CSV values of the interval prev..cur of @p dt seconds. */
void gen_sets_csv(const struct gen_txp *t, const struct gen_set_tick *prev,
		  const struct gen_set_tick *cur, double dt, double hz, FILE *f);
/* The live view's line of the sets for the interval. */
void gen_sets_line(const struct gen_txp *t, const struct gen_set_tick *prev,
		   const struct gen_set_tick *cur, double dt, double hz,
		   char *buf, size_t len);
/* The summary: one line per run (@p json false), or a JSON array. */
void gen_sets_report(const struct gen_txp *t, const struct gen_set_tick *all,
		     double hz, bool json, FILE *f);

#endif
