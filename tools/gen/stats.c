/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * dot11tx-gen's counters, latency histogram and per-second view (stats.h).
 */

#include <inttypes.h>
#include <string.h>

#include "stats.h"


uint64_t
gen_hist_bucket_low(unsigned int i)
{
	unsigned int msb;

	if (i < 2 * GEN_HIST_SUB)
		return i;
	msb = i / GEN_HIST_SUB + 2;
	return (uint64_t)(GEN_HIST_SUB + i % GEN_HIST_SUB) << (msb - 3);
}

uint64_t
gen_hist_bucket_width(unsigned int i)
{
	if (i < 2 * GEN_HIST_SUB)
		return 1;
	return (uint64_t)1 << (i / GEN_HIST_SUB + 2 - 3);
}

void
gen_hist_add(struct gen_hist *dst, const struct gen_hist *src)
{
	const uint64_t max = gen_ctr_load(&src->max);

	for (unsigned int i = 0; i < GEN_HIST_BUCKETS; i++)
		dst->b[i] += gen_ctr_load(&src->b[i]);
	dst->n += gen_ctr_load(&src->n);
	if (max > dst->max)
		dst->max = max;
}

void
gen_hist_sub(struct gen_hist *dst, const struct gen_hist *a,
	     const struct gen_hist *b)
{
	uint64_t n = 0;

	/* Summed from the buckets: a snapshot taken while a worker records
	 * may hold a bucket count a step ahead of n. */
	for (unsigned int i = 0; i < GEN_HIST_BUCKETS; i++) {
		dst->b[i] = a->b[i] >= b->b[i] ? a->b[i] - b->b[i] : 0;
		n += dst->b[i];
	}
	dst->n = n;
	dst->max = a->max;
}

uint64_t
gen_hist_quantile(const struct gen_hist *h, double q)
{
	uint64_t total = 0, rank, seen = 0;

	for (unsigned int i = 0; i < GEN_HIST_BUCKETS; i++)
		total += h->b[i];
	if (total == 0)
		return 0;
	if (q < 0)
		q = 0;
	if (q > 1)
		q = 1;
	/* The rank-th smallest sample, 1-based. */
	rank = (uint64_t)(q * (double)total + 0.5);
	if (rank < 1)
		rank = 1;
	if (rank > total)
		rank = total;
	for (unsigned int i = 0; i < GEN_HIST_BUCKETS; i++) {
		seen += h->b[i];
		if (seen >= rank) {
			uint64_t v = gen_hist_bucket_low(i) +
				     gen_hist_bucket_width(i) / 2;

			return h->max != 0 && v > h->max ? h->max : v;
		}
	}
	return h->max;
}

uint64_t
gen_status_add(uint64_t dst[GEN_NB_STATUS], const uint64_t src[GEN_NB_STATUS])
{
	uint64_t sum = 0;

	for (int s = 0; s < GEN_NB_STATUS; s++) {
		const uint64_t v = gen_ctr_load(&src[s]);

		dst[s] += v;
		sum += v;
	}
	return sum;
}

void
gen_totals_add(struct gen_totals *t, const struct gen_counters *c)
{
	/* Completions are read first and counted from their statuses, so a
	 * snapshot taken while the worker runs never shows more completed
	 * than accepted, nor a completed count the statuses do not add up
	 * to (the worker adds the statuses before its own completed count). */
	const uint64_t completed = gen_status_add(t->status, c->status);

	__atomic_thread_fence(__ATOMIC_ACQUIRE);
	t->completed += completed;
	t->accepted += gen_ctr_load(&c->accepted);
	t->refused += gen_ctr_load(&c->refused);
	t->backpressure += gen_ctr_load(&c->backpressure);
	t->bytes += gen_ctr_load(&c->bytes);
	t->retries += gen_ctr_load(&c->retries);
	t->skipped += gen_ctr_load(&c->skipped);
	t->filtered += gen_ctr_load(&c->filtered);
}

void
gen_tick_take(struct gen_tick *k, const struct gen_counters *c,
	      unsigned int n, double t)
{
	memset(k, 0, sizeof(*k));
	k->t = t;
	for (unsigned int i = 0; i < n; i++) {
		gen_totals_add(&k->tot, &c[i]);
		gen_hist_add(&k->lat, &c[i].lat);
	}
}

void
gen_interval_of(struct gen_interval *iv, const struct gen_tick *prev,
		const struct gen_tick *cur, double hz)
{
	static struct gen_hist d;   /* 4 KiB: not on the stack */
	const double dt = cur->t - prev->t > 1e-9 ? cur->t - prev->t : 1e-9;
	const struct gen_totals *a = &cur->tot, *b = &prev->tot;

	memset(iv, 0, sizeof(*iv));
	iv->t = cur->t;
	iv->dt = dt;
	iv->tx_pps = (double)(a->accepted - b->accepted) / dt;
	iv->tx_bps = (double)(a->bytes - b->bytes) * 8 / dt;
	iv->cpl_ps = (double)(a->completed - b->completed) / dt;
	iv->in_flight = a->accepted >= a->completed ? a->accepted - a->completed : 0;
	iv->refused = a->refused;
	iv->backpressure = a->backpressure;
	iv->acked_ps = (double)(a->status[GEN_ST_ACKED] - b->status[GEN_ST_ACKED]) / dt;
	iv->noack_ps = (double)(a->status[GEN_ST_NOACK] - b->status[GEN_ST_NOACK]) / dt;
	iv->retries_ps = (double)(a->retries - b->retries) / dt;
	gen_hist_sub(&d, &cur->lat, &prev->lat);
	if (d.n != 0) {
		iv->has_lat = true;
		iv->p50_us = (double)gen_hist_quantile(&d, 0.50) / hz * 1e6;
		iv->p99_us = (double)gen_hist_quantile(&d, 0.99) / hz * 1e6;
	}
}

void
gen_si(double v, const char *unit, char *buf, size_t len)
{
	static const char prefix[] = { ' ', 'k', 'M', 'G', 'T' };
	int i = 0;

	while (i < 4 && v >= 999.5) {
		v /= 1000;
		i++;
	}
	if (i == 0)
		snprintf(buf, len, "%.0f%s%s", v, unit[0] == '/' ? "" : " ", unit);
	else
		snprintf(buf, len, v < 9.995 ? "%.2f %c%s" : v < 99.95 ? "%.1f %c%s" :
			 "%.0f %c%s", v, prefix[i], unit);
}

void
gen_us(double v, char *buf, size_t len)
{
	if (v >= 10000)
		snprintf(buf, len, "%.1f ms", v / 1000);
	else if (v >= 100)
		snprintf(buf, len, "%.0f us", v);
	else
		snprintf(buf, len, "%.1f us", v);
}

void
gen_interval_line(const struct gen_interval *iv, bool show_ack, char *buf,
		  size_t len)
{
	char pps[24], bps[24], cpl[24], p50[16], p99[16];
	size_t n;

	gen_si(iv->tx_pps, "pps", pps, sizeof(pps));
	gen_si(iv->tx_bps, "bit/s", bps, sizeof(bps));
	gen_si(iv->cpl_ps, "/s", cpl, sizeof(cpl));
	n = (size_t)snprintf(buf, len,
		"dot11tx-gen: %6.1f s  tx %10s %13s  done %9s  in flight %5" PRIu64
		"  refused %" PRIu64,
		iv->t, pps, bps, cpl, iv->in_flight, iv->refused);
	if (n < len && show_ack) {
		char a[16], na[16];

		gen_si(iv->acked_ps, "/s", a, sizeof(a));
		gen_si(iv->noack_ps, "/s", na, sizeof(na));
		n += (size_t)snprintf(buf + n, len - n, "  ack %s noack %s", a, na);
	}
	if (n < len) {
		if (iv->has_lat) {
			gen_us(iv->p50_us, p50, sizeof(p50));
			gen_us(iv->p99_us, p99, sizeof(p99));
			snprintf(buf + n, len - n, "  latency p50 %s p99 %s", p50, p99);
		} else {
			snprintf(buf + n, len - n, "  latency -");
		}
	}
}

const char gen_csv_header[] =
	"elapsed_s,tx_pps,tx_bps,completions_ps,in_flight,refused,backpressure,"
	"acked_ps,noack_ps,retries_ps,latency_p50_us,latency_p99_us\n";

void
gen_interval_csv(const struct gen_interval *iv, char *buf, size_t len)
{
	size_t n = (size_t)snprintf(buf, len,
		"%.3f,%.1f,%.1f,%.1f,%" PRIu64 ",%" PRIu64 ",%" PRIu64 ",%.1f,%.1f,%.1f,",
		iv->t, iv->tx_pps, iv->tx_bps, iv->cpl_ps, iv->in_flight,
		iv->refused, iv->backpressure, iv->acked_ps, iv->noack_ps,
		iv->retries_ps);

	if (n >= len)
		return;
	if (iv->has_lat)
		snprintf(buf + n, len - n, "%.2f,%.2f\n", iv->p50_us, iv->p99_us);
	else
		snprintf(buf + n, len - n, ",\n");
}
