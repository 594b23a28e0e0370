/* SPDX-License-Identifier: BSD-3-Clause */
/* dot11tx-gen's figures per TX parameter set (see rates.h). */

#include <inttypes.h>
#include <string.h>

#include "rates.h"

void
gen_sets_take(struct gen_set_tick *k, const struct gen_worker *w,
	      unsigned int nw, unsigned int nb_sets)
{
	memset(k, 0, nb_sets * sizeof(*k));
	for (unsigned int i = 0; i < nw; i++) {
		if (w[i].rc == NULL)
			continue;
		for (unsigned int s = 0; s < nb_sets; s++) {
			const struct gen_rate_counters *c = &w[i].rc[s];

			k[s].completed += gen_status_add(k[s].status, c->status);
			k[s].retries += gen_ctr_load(&c->retries);
			gen_hist_add(&k[s].lat, &c->lat);
		}
	}
}

void
gen_set_name(const struct gen_txp *t, unsigned int i, char *buf, size_t len)
{
	if (t->sets[i].rate.phy == D11TX_PHY_DEFAULT)
		snprintf(buf, len, "port-rate");
	else
		d11tx_tx_rate_name(&t->sets[i].rate, buf, len);
}

void
gen_sets_csv_header(const struct gen_txp *t, FILE *f)
{
	for (unsigned int i = 0; i < t->nb_sets; i++) {
		char n[32];

		gen_set_name(t, i, n, sizeof(n));
		fprintf(f, ",%s_completions_ps,%s_acked_ps,%s_retries_ps,%s_latency_p99_us",
			n, n, n, n);
	}
}

/* The interval of one set: completions, ACKs and retries a second, and
 * the p99 of its latency (-1: no sample). */
static void
interval(const struct gen_set_tick *a, const struct gen_set_tick *b, double dt,
	 double hz, double *cpl, double *acked, double *retries, double *p99_us)
{
	static struct gen_hist d;

	*cpl = (double)(a->completed - b->completed) / dt;
	*acked = (double)(a->status[GEN_ST_ACKED] - b->status[GEN_ST_ACKED]) / dt;
	*retries = (double)(a->retries - b->retries) / dt;
	gen_hist_sub(&d, &a->lat, &b->lat);
	*p99_us = d.n != 0 ? (double)gen_hist_quantile(&d, 0.99) * 1e6 / hz : -1;
}

void
gen_sets_csv(const struct gen_txp *t, const struct gen_set_tick *prev,
	     const struct gen_set_tick *cur, double dt, double hz, FILE *f)
{
	for (unsigned int i = 0; i < t->nb_sets; i++) {
		double cpl, acked, retries, p99;

		interval(&cur[i], &prev[i], dt > 0 ? dt : 1, hz, &cpl, &acked, &retries, &p99);
		fprintf(f, ",%.1f,%.1f,%.1f,", cpl, acked, retries);
		if (p99 >= 0)
			fprintf(f, "%.2f", p99);
	}
}

void
gen_sets_line(const struct gen_txp *t, const struct gen_set_tick *prev,
	      const struct gen_set_tick *cur, double dt, double hz, char *buf,
	      size_t len)
{
	size_t n = (size_t)snprintf(buf, len, "  per rate:");

	for (unsigned int i = 0; i < t->nb_sets && n < len; i++) {
		double cpl, acked, retries, p99;
		char name[32], rate[24], lat[16] = "-";

		interval(&cur[i], &prev[i], dt > 0 ? dt : 1, hz, &cpl, &acked, &retries, &p99);
		gen_set_name(t, i, name, sizeof(name));
		gen_si(cpl, "/s", rate, sizeof(rate));
		if (p99 >= 0)
			gen_us(p99, lat, sizeof(lat));
		n += (size_t)snprintf(buf + n, len - n, "%s %s %s acked %.0f%% %.2f retries p99 %s",
				      i ? ";" : "", name, rate,
				      cpl > 0 ? 100 * acked / cpl : 0,
				      cpl > 0 ? retries / cpl : 0, lat);
	}
}

void
gen_sets_report(const struct gen_txp *t, const struct gen_set_tick *all,
		double hz, bool json, FILE *f)
{
	fputs(json ? ",\"rates\":[" : "dot11tx-gen: per rate:", f);
	for (unsigned int i = 0; i < t->nb_sets; i++) {
		const struct gen_set_tick *k = &all[i];
		const double p50 = (double)gen_hist_quantile(&k->lat, 0.5) * 1e6 / hz;
		const double p99 = (double)gen_hist_quantile(&k->lat, 0.99) * 1e6 / hz;
		const double max = (double)k->lat.max * 1e6 / hz;
		char name[32];

		gen_set_name(t, i, name, sizeof(name));
		if (json) {
			fprintf(f, "%s{\"rate\":\"%s\",\"kbps\":%u,\"completed\":%" PRIu64
				",\"sent\":%" PRIu64 ",\"acked\":%" PRIu64 ",\"noack\":%" PRIu64
				",\"dropped\":%" PRIu64 ",\"cancelled\":%" PRIu64
				",\"retries\":%" PRIu64, i ? "," : "", name,
				d11tx_tx_rate_kbps(&t->sets[i].rate), k->completed,
				k->status[GEN_ST_SENT], k->status[GEN_ST_ACKED],
				k->status[GEN_ST_NOACK], k->status[3], k->status[4],
				k->retries);
			if (k->lat.n != 0)
				fprintf(f, ",\"latency_us\":{\"p50\":%.3f,\"p99\":%.3f,\"max\":%.3f}",
					p50, p99, max);
			fputc('}', f);
			continue;
		}
		fprintf(f, "%s %s: %" PRIu64 " completed (acked %" PRIu64 ", noack %" PRIu64
			", sent %" PRIu64 "), %" PRIu64 " retries", i ? ";" : "", name,
			k->completed, k->status[GEN_ST_ACKED], k->status[GEN_ST_NOACK],
			k->status[GEN_ST_SENT], k->retries);
		if (k->lat.n != 0) {
			char a[16], b[16];

			gen_us(p50, a, sizeof(a));
			gen_us(p99, b, sizeof(b));
			fprintf(f, ", latency p50 %s p99 %s", a, b);
		}
	}
	fputs(json ? "]" : "\n", f);
}
