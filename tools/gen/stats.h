/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef D11TX_GEN_STATS_H
#define D11TX_GEN_STATS_H

/*
 * dot11tx-gen's counters: one block per worker, written by that worker
 * alone (relaxed atomic stores, plain moves on x86) and read by anyone
 * (the live view on the main lcore, the telemetry thread) with relaxed
 * loads. A completion latency histogram with log buckets (8 per power of
 * two, so a bucket is at most 12.5% wide) lives in the block too: nothing
 * is allocated in the send loop. Then the per-second view: the live line
 * and its CSV row, from two snapshots.
 *
 * No DPDK here, for the tests.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* enum d11tx_status's values (main.c checks that they agree). */
#define GEN_NB_STATUS 5
#define GEN_ST_SENT 0
#define GEN_ST_ACKED 1
#define GEN_ST_NOACK 2

/* Buckets: values 0..15 exactly, then 8 per power of two up to 2^64. */
#define GEN_HIST_SUB 8
#define GEN_HIST_BUCKETS (62 * GEN_HIST_SUB)

struct gen_hist {
	uint64_t n;                       /* samples */
	uint64_t max;
	uint64_t b[GEN_HIST_BUCKETS];
};

struct gen_counters {
	uint64_t accepted;       /* frames the queue took */
	uint64_t refused;        /* frames refused for good (not ENOBUFS) */
	uint64_t backpressure;   /* ENOBUFS events: full queue or pool */
	uint64_t bytes;          /* bytes of the accepted frames */
	uint64_t completed;
	uint64_t status[GEN_NB_STATUS];
	uint64_t retries;
	uint64_t skipped;        /* frames the source skipped: too long */
	uint64_t filtered;       /* --spread ac replay: another worker's */
	struct gen_hist lat;     /* submit to completion, in TSC cycles */
} __attribute__((aligned(64)));

/* Per rate of a sweep (--rates, --mcs): one block per worker and rate,
 * written as struct gen_counters is. */
struct gen_rate_counters {
	uint64_t completed;
	uint64_t status[GEN_NB_STATUS];
	uint64_t retries;
	struct gen_hist lat;
} __attribute__((aligned(64)));

/* Any thread's read of a counter another writes. */
static inline uint64_t
gen_ctr_load(const uint64_t *c)
{
	return __atomic_load_n(c, __ATOMIC_RELAXED);
}

/* Add the statuses @p src (read first, so that a snapshot taken while a
 * worker completes frames adds up) into @p dst: @return their sum, the
 * completions they count. */
uint64_t gen_status_add(uint64_t dst[GEN_NB_STATUS], const uint64_t src[GEN_NB_STATUS]);

/* Single-writer updates. */
static inline void
gen_ctr_add(uint64_t *c, uint64_t v)
{
	__atomic_store_n(c, __atomic_load_n(c, __ATOMIC_RELAXED) + v,
			 __ATOMIC_RELAXED);
}

static inline unsigned int
gen_hist_bucket(uint64_t v)
{
	unsigned int msb;

	if (v < 2 * GEN_HIST_SUB)
		return (unsigned int)v;
	msb = 63u - (unsigned int)__builtin_clzll(v);
	return (msb - 2) * GEN_HIST_SUB +
	       (unsigned int)((v >> (msb - 3)) & (GEN_HIST_SUB - 1));
}

static inline void
gen_hist_record_n(struct gen_hist *h, uint64_t v, uint64_t count)
{
	const unsigned int i = gen_hist_bucket(v);

	gen_ctr_add(&h->b[i], count);
	gen_ctr_add(&h->n, count);
	if (v > __atomic_load_n(&h->max, __ATOMIC_RELAXED))
		__atomic_store_n(&h->max, v, __ATOMIC_RELAXED);
}

static inline void
gen_hist_record(struct gen_hist *h, uint64_t v)
{
	gen_hist_record_n(h, v, 1);
}

/* Lowest value of bucket @p i, and its width. */
uint64_t gen_hist_bucket_low(unsigned int i);
uint64_t gen_hist_bucket_width(unsigned int i);

/* Add @p src (read with relaxed loads) into @p dst. */
void gen_hist_add(struct gen_hist *dst, const struct gen_hist *src);
/* dst = a - b, bucket by bucket (a later snapshot of the same counts);
 * max is a's. */
void gen_hist_sub(struct gen_hist *dst, const struct gen_hist *a,
		  const struct gen_hist *b);
/* The value at quantile @p q (0..1): the middle of its bucket, at most
 * the max. 0 when empty. */
uint64_t gen_hist_quantile(const struct gen_hist *h, double q);

/* Totals of one or more workers' counters. */
struct gen_totals {
	uint64_t accepted, refused, backpressure, bytes, completed;
	uint64_t status[GEN_NB_STATUS];
	uint64_t retries, skipped, filtered;
};

/* Add @p c (relaxed loads) into @p t. */
void gen_totals_add(struct gen_totals *t, const struct gen_counters *c);

/* One per-second snapshot. */
struct gen_tick {
	double t;                 /* seconds since the start */
	struct gen_totals tot;
	struct gen_hist lat;
};

/* Take a snapshot of @p n counter blocks at @p t. */
void gen_tick_take(struct gen_tick *k, const struct gen_counters *c,
		   unsigned int n, double t);

/* The interval between two snapshots, as the live view shows it. */
struct gen_interval {
	double t, dt;
	double tx_pps, tx_bps, cpl_ps;
	uint64_t in_flight, refused, backpressure;
	double acked_ps, noack_ps, retries_ps;
	bool has_lat;
	double p50_us, p99_us;
};

void gen_interval_of(struct gen_interval *iv, const struct gen_tick *prev,
		     const struct gen_tick *cur, double hz);

/* The live line (no newline); @p show_ack for ports that report TX
 * status. */
void gen_interval_line(const struct gen_interval *iv, bool show_ack,
		       char *buf, size_t len);

/* The CSV header line and one row (with newlines). */
extern const char gen_csv_header[];
void gen_interval_csv(const struct gen_interval *iv, char *buf, size_t len);

/* "12.3 kpps", "4.56 Mbit/s", "0 pps", "980/s": @p v with an SI prefix
 * and @p unit, 3 significant digits. */
void gen_si(double v, const char *unit, char *buf, size_t len);

/* A latency given in microseconds: "8.5 us", "250 us", "12.3 ms". */
void gen_us(double v, char *buf, size_t len);

#endif
