/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * dot11tx-gen's DPDK telemetry commands, answered on DPDK's telemetry
 * thread from the workers' counter blocks (relaxed loads of single-writer
 * counters: no lock, nothing asked of the sending lcores):
 *
 *   /dot11tx/stats       totals
 *   /dot11tx/queues      per queue, one array per counter, index = queue
 *                        (statuses, bytes, latency p50/p99 in ns too);
 *   /dot11tx/queues,Q    one queue
 *   /dot11tx/info        port, driver, frame source, rate, mode
 *
 * Read them with dpdk-telemetry.py -f FILE_PREFIX.
 */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rte_cycles.h>
#include <rte_telemetry.h>

#include "dpdk_compat.h"

#include "gen.h"

static const struct gen_tel_info *tel;

double
gen_tel_elapsed(const struct gen_tel_info *info)
{
	const uint64_t t0 = __atomic_load_n(&info->t0, __ATOMIC_ACQUIRE);

	return t0 == 0 ? 0 : (double)(rte_get_tsc_cycles() - t0) / (double)info->hz;
}

static double
elapsed(void)
{
	return gen_tel_elapsed(tel);
}

static void
add_totals(struct rte_tel_data *d, const struct gen_totals *t)
{
	/* As in the JSON: frames offered, refused ones included. */
	rte_tel_data_add_dict_uint(d, "submitted", t->accepted + t->refused);
	rte_tel_data_add_dict_uint(d, "completed", t->completed);
	rte_tel_data_add_dict_uint(d, "in_flight",
				  t->accepted > t->completed ? t->accepted - t->completed : 0);
	rte_tel_data_add_dict_uint(d, "refused", t->refused);
	rte_tel_data_add_dict_uint(d, "backpressure", t->backpressure);
	rte_tel_data_add_dict_uint(d, "sent", t->status[GEN_ST_SENT]);
	rte_tel_data_add_dict_uint(d, "acked", t->status[GEN_ST_ACKED]);
	rte_tel_data_add_dict_uint(d, "noack", t->status[GEN_ST_NOACK]);
	rte_tel_data_add_dict_uint(d, "dropped", t->status[3]);
	rte_tel_data_add_dict_uint(d, "cancelled", t->status[4]);
	rte_tel_data_add_dict_uint(d, "retries", t->retries);
	rte_tel_data_add_dict_uint(d, "bytes", t->bytes);
}

static uint64_t
ns_of_cycles(uint64_t c)
{
	return (uint64_t)((double)c * 1e9 / (double)tel->hz);
}

static int
cmd_stats(const char *cmd, const char *params, struct rte_tel_data *d)
{
	/* Not static: DPDK answers each client on a thread of its own, and
	 * two readers (the exporter, dpdk-telemetry.py) may ask at once. */
	struct gen_tick *k = malloc(sizeof(*k));
	char buf[32];

	(void)cmd;
	(void)params;
	if (k == NULL)
		return -ENOMEM;
	gen_tick_take(k, tel->ctr, tel->nb_workers, elapsed());
	rte_tel_data_start_dict(d);
	snprintf(buf, sizeof(buf), "%.3f", k->t);
	rte_tel_data_add_dict_string(d, "elapsed_s", buf);
	add_totals(d, &k->tot);
	rte_tel_data_add_dict_uint(d, "latency_p50_ns",
				  ns_of_cycles(gen_hist_quantile(&k->lat, 0.5)));
	rte_tel_data_add_dict_uint(d, "latency_p99_ns",
				  ns_of_cycles(gen_hist_quantile(&k->lat, 0.99)));
	rte_tel_data_add_dict_uint(d, "queues", tel->nb_workers);
	free(k);
	return 0;
}

static int
cmd_queues(const char *cmd, const char *params, struct rte_tel_data *d)
{
	static const char *const names[] = {
		"submitted", "completed", "in_flight", "refused", "acked",
		"noack", "retries", "lcore", "sent", "dropped", "cancelled",
		"backpressure", "bytes", "latency_p50_ns", "latency_p99_ns",
		"latency_samples",
	};
	struct gen_totals t[GEN_MAX_WORKERS];
	uint64_t p50[GEN_MAX_WORKERS], p99[GEN_MAX_WORKERS], samples[GEN_MAX_WORKERS];
	struct gen_tick *k = malloc(sizeof(*k));
	const unsigned int n = tel->nb_workers;

	(void)cmd;
	if (k == NULL)
		return -ENOMEM;
	for (unsigned int i = 0; i < n; i++) {
		gen_tick_take(k, &tel->ctr[i], 1, 0);
		t[i] = k->tot;
		p50[i] = ns_of_cycles(gen_hist_quantile(&k->lat, 0.5));
		p99[i] = ns_of_cycles(gen_hist_quantile(&k->lat, 0.99));
		samples[i] = k->lat.n;
	}
	free(k);
	rte_tel_data_start_dict(d);
	if (params != NULL && params[0] != '\0') {
		char *end;
		const unsigned long q = strtoul(params, &end, 10);

		if (*end != '\0' || q >= n)
			return -EINVAL;
		rte_tel_data_add_dict_uint(d, "queue", q);
		rte_tel_data_add_dict_uint(d, "lcore", tel->workers[q].lcore);
		add_totals(d, &t[q]);
		return 0;
	}
	for (size_t f = 0; f < sizeof(names) / sizeof(names[0]); f++) {
		struct rte_tel_data *a = rte_tel_data_alloc();

		if (a == NULL)
			return -ENOMEM;
		rte_tel_data_start_array(a, RTE_TEL_UINT_VAL);
		for (unsigned int i = 0; i < n; i++) {
			uint64_t v = 0;

			switch (f) {
			case 0: v = t[i].accepted + t[i].refused; break;
			case 1: v = t[i].completed; break;
			case 2: v = t[i].accepted > t[i].completed ?
				    t[i].accepted - t[i].completed : 0; break;
			case 3: v = t[i].refused; break;
			case 4: v = t[i].status[GEN_ST_ACKED]; break;
			case 5: v = t[i].status[GEN_ST_NOACK]; break;
			case 6: v = t[i].retries; break;
			case 7: v = tel->workers[i].lcore; break;
			case 8: v = t[i].status[GEN_ST_SENT]; break;
			case 9: v = t[i].status[3]; break;
			case 10: v = t[i].status[4]; break;
			case 11: v = t[i].backpressure; break;
			case 12: v = t[i].bytes; break;
			case 13: v = p50[i]; break;
			case 14: v = p99[i]; break;
			default: v = samples[i]; break;
			}
			rte_tel_data_add_array_uint(a, v);
		}
		rte_tel_data_add_dict_container(d, names[f], a, 0);
	}
	return 0;
}

static int
cmd_info(const char *cmd, const char *params, struct rte_tel_data *d)
{
	(void)cmd;
	(void)params;
	rte_tel_data_start_dict(d);
	rte_tel_data_add_dict_uint(d, "port", tel->port);
	rte_tel_data_add_dict_string(d, "driver", tel->driver);
	rte_tel_data_add_dict_string(d, "source", tel->source);
	rte_tel_data_add_dict_string(d, "rate", tel->rate);
	rte_tel_data_add_dict_string(d, "mode", tel->mode);
	rte_tel_data_add_dict_uint(d, "queues", tel->nb_workers);
	return 0;
}

int
gen_telemetry_register(const struct gen_tel_info *info)
{
	int ret;

	tel = info;
	ret = rte_telemetry_register_cmd("/dot11tx/stats", cmd_stats,
		"dot11tx-gen totals: submitted, completed, in flight, refused, statuses, retries, latency. No parameters");
	if (ret == 0)
		ret = rte_telemetry_register_cmd("/dot11tx/queues", cmd_queues,
			"dot11tx-gen per queue: arrays indexed by queue. Parameter: a queue, for that one alone");
	if (ret == 0)
		ret = rte_telemetry_register_cmd("/dot11tx/info", cmd_info,
			"dot11tx-gen: port, driver, frame source, rate, mode. No parameters");
	return ret;
}
