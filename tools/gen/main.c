/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * dot11tx-gen: the lab traffic generator of dot11tx. Sends 802.11 frames
 * (templates, hex, pcap replay) through dot11tx queues of one DPDK port,
 * paced or at line rate, on one or more lcores, and counts the completion
 * of every frame. Usage: dot11tx-gen [EAL args] -- [options]; see --help.
 */

#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <math.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/wait.h>

#include <rte_common.h>
#include <rte_cycles.h>
#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_ethdev.h>
#include <rte_launch.h>
#include <rte_lcore.h>

#include <dot11tx/dot11tx.h>
#include <dot11tx/dot11tx_caps.h>

#include "eal_args.h"
#include "parse.h"
#include "gen.h"
#include "options.h"
#include "prometheus.h"
#include "rates.h"

_Static_assert(GEN_NB_STATUS == D11TX_STATUS_MAX, "stats.h: statuses");
_Static_assert(GEN_ST_ACKED == D11TX_STATUS_ACKED && GEN_ST_NOACK == D11TX_STATUS_NOACK,
	       "stats.h: statuses");

#define PROG GEN_PROG
/* Frame room of a buffer or slot for a replay; longer frames are skipped. */
#define PCAP_ROOM 8192
#define MIN_ROOM 2048

/* By enum d11tx_dot11_ac (BK, BE, VI, VO): the TID --spread ac gives the
 * category's queue, and its name. */
static const int8_t ac_tid[4] = { 1, 0, 5, 6 };
static const char *const ac_name[4] = { "BK", "BE", "VI", "VO" };

/* Everything the run shares with telemetry lives here, never freed: the
 * telemetry thread may answer until the process ends. */
static struct gen_options opt;
static struct gen_worker workers[GEN_MAX_WORKERS];
static struct gen_counters counters[GEN_MAX_WORKERS];
static unsigned int nb_workers;
static struct gen_tel_info tel;
static struct gen_tick tick_prev, tick_cur;
/* Per TX parameter set (--rates, --mcs ...): the same, set by set. */
static struct gen_set_tick sets_prev[GEN_MAX_RATES], sets_cur[GEN_MAX_RATES];
static FILE *stats_file;
/* --plot without --stats-file: the CSV goes to this temporary file. */
static char plot_csv[64];
static bool show_ack;
static uint64_t hz, t0;
/* --start-at: CLOCK_REALTIME at t0, in ns. */
static int64_t t0_realtime_ns;

/* Longest wait --start-at takes: further is more likely a typo. */
#define START_AT_MAX_AHEAD_S (30 * 86400)

static void
on_signal(int sig)
{
	(void)sig;
	__atomic_store_n(&gen_interrupted, 1, __ATOMIC_RELAXED);
}

static const char *
port_driver(uint16_t port)
{
	static struct rte_eth_dev_info info;

	if (rte_eth_dev_info_get(port, &info) != 0 || info.driver_name == NULL)
		return "unknown";
	return info.driver_name;
}

/* Several queues: one TX queue per worker (d11tx_port_configure(), as
 * D11TX_QF_CONFIGURE_PORT does for one), and the port started; a port
 * with too few queues is said so in one line. */
static int
configure_port(uint16_t port, uint16_t nb_queues)
{
	struct rte_eth_dev_info info;

	if (rte_eth_dev_info_get(port, &info) == 0 && nb_queues > info.max_tx_queues) {
		fprintf(stderr, PROG ": port %u (%s) has %u TX queue%s; %u worker lcores "
			"need one each%s\n", port, info.driver_name, info.max_tx_queues,
			info.max_tx_queues == 1 ? "" : "s", nb_queues,
			strcmp(info.driver_name, "net_wlansim") == 0 ?
			" (net_wlansim: queues=4)" : "");
		return -EINVAL;
	}
	return d11tx_port_configure(port, nb_queues, 0, -1);
}

/* Bytes of frame room each buffer or slot needs. */
static uint32_t
frame_room(const struct gen_options *o)
{
	uint32_t room = MIN_ROOM, max = 0;

	if (o->src.kind == GEN_SRC_PCAP)
		return PCAP_ROOM;
	if (o->src.kind == GEN_SRC_HEX)
		max = (uint32_t)strlen(o->src.hex) / 2;
	for (unsigned int i = 0; i < o->src.sizes.nb && i < GEN_MAX_SIZES; i++)
		max = RTE_MAX(max, (uint32_t)o->src.sizes.list[i]);
	max += D11TX_RADIOTAP_MAX;
	if (max > room)
		room = RTE_ALIGN_CEIL(max, 64);
	return RTE_MIN(room, (uint32_t)D11TX_MAX_FRAME_LEN);
}

static void
describe_source(const struct gen_options *o, char *buf, size_t len)
{
	const struct gen_source_conf *s = &o->src;

	switch (s->kind) {
	case GEN_SRC_HEX:
		snprintf(buf, len, "hex");
		break;
	case GEN_SRC_PCAP:
		snprintf(buf, len, "pcap %s%s", s->pcap_path, s->loop ? " (loop)" : "");
		break;
	default:
		snprintf(buf, len, "template %s", gen_template_name(s->tmpl));
		break;
	}
}

static double
secs(uint64_t cycles)
{
	return (double)cycles / (double)hz;
}

/* The per-second view: the live line and the CSV row. */
static uint64_t
main_tick(uint64_t now)
{
	struct gen_interval iv;
	char line[256];
	uint64_t next = t0 + hz * (uint64_t)(floor(secs(now - t0)) + 1);

	gen_tick_take(&tick_cur, counters, nb_workers, secs(now - t0));
	gen_interval_of(&iv, &tick_prev, &tick_cur, (double)hz);
	if (opt.txp.nb_sets != 0)
		gen_sets_take(sets_cur, workers, nb_workers, opt.txp.nb_sets);
	if (!opt.quiet) {
		gen_interval_line(&iv, show_ack, line, sizeof(line));
		fprintf(stderr, "%s\n", line);
		if (opt.txp.nb_sets != 0) {
			char sets[1024];

			gen_sets_line(&opt.txp, sets_prev, sets_cur, iv.dt, (double)hz,
				      sets, sizeof(sets));
			fprintf(stderr, "%s\n", sets);
		}
	}
	if (stats_file != NULL) {
		gen_interval_csv(&iv, line, sizeof(line));
		if (opt.txp.nb_sets != 0) {
			line[strcspn(line, "\n")] = '\0';
			fputs(line, stats_file);
			gen_sets_csv(&opt.txp, sets_prev, sets_cur, iv.dt, (double)hz,
				     stats_file);
			fputc('\n', stats_file);
		} else {
			fputs(line, stats_file);
		}
		fflush(stats_file);
	}
	tick_prev = tick_cur;
	memcpy(sets_prev, sets_cur, sizeof(sets_prev));
	return next;
}

static void
print_status_json(const uint64_t st[GEN_NB_STATUS])
{
	printf("{");
	for (int s = 0; s < GEN_NB_STATUS; s++)
		printf("%s\"%s\":%" PRIu64, s ? "," : "", d11tx_status_name(s), st[s]);
	printf("}");
}

static double
us_of(uint64_t cycles)
{
	return (double)cycles * 1e6 / (double)hz;
}

static int64_t
ns_of(const struct timespec *ts)
{
	return (int64_t)ts->tv_sec * 1000000000 + ts->tv_nsec;
}

static int64_t
realtime_ns(void)
{
	struct timespec now;

	clock_gettime(CLOCK_REALTIME, &now);
	return ns_of(&now);
}

/* --start-at TIME given on the command line: not passed already, nor
 * absurdly far. 0, or -1 after one line. */
static int
check_start_at(void)
{
	char when[40];
	const double ahead = opt.start_at_given ?
		(double)(ns_of(&opt.start_at) - realtime_ns()) / 1e9 : 0;

	if (!opt.start_at_given)
		return 0;
	tool_format_time(&opt.start_at, when, sizeof(when));
	if (ahead <= 0) {
		fprintf(stderr, PROG ": --start-at: %s passed %.3f s ago (this host's "
			"CLOCK_REALTIME)\n", when, -ahead);
		return -1;
	}
	if (ahead > START_AT_MAX_AHEAD_S) {
		fprintf(stderr, PROG ": --start-at: %s is %.0f days ahead: at most %d\n",
			when, ahead / 86400, START_AT_MAX_AHEAD_S / 86400);
		return -1;
	}
	return 0;
}

/* --start-at: once set up, sleep until a millisecond before TIME (in
 * slices, so that Ctrl-C and clock steps are seen), then spin on
 * CLOCK_REALTIME up to it; t0 is taken there. */
static void
wait_for_start(void)
{
	const int64_t target = ns_of(&opt.start_at);
	int64_t left = target - realtime_ns();
	char when[40];

	tool_format_time(&opt.start_at, when, sizeof(when));
	if (left <= 0) {
		fprintf(stderr, PROG ": --start-at: set-up ended %.3f s after %s: "
			"starting now\n", (double)-left / 1e9, when);
		return;
	}
	if (!opt.quiet)
		fprintf(stderr, PROG ": ready; the first frame at %s (in %.3f s)\n", when,
			(double)left / 1e9);
	while (left > 0 && !__atomic_load_n(&gen_interrupted, __ATOMIC_RELAXED)) {
		if (left > 2000000) {
			const int64_t nap = RTE_MIN(left - 1000000, (int64_t)100000000);
			const struct timespec ts = { .tv_sec = nap / 1000000000,
						     .tv_nsec = nap % 1000000000 };

			nanosleep(&ts, NULL);
		} else {
			rte_pause();
		}
		left = target - realtime_ns();
	}
}

/* The run's figures, as the summary and the JSON say them. */
struct summary {
	const struct gen_tick *all;
	double run_s, tx_s;        /* the run; the sending part of it */
	double mpps, tx_pps, tx_bps;
	uint64_t frame_len;
	bool interrupted, ok;
	char src[200], rate[48];
	bool started;              /* --start-at, and a frame was sent */
	double start_skew_us;      /* the first frame's time less TIME */
	const struct gen_set_tick *sets; /* per TX parameter set, or NULL */
};

/* --start-at: when worker @p w's first frame went, less TIME, in us. */
static double
start_skew_us(const struct gen_worker *w)
{
	const double after_t0 = secs(w->first_submit - t0);

	return ((double)(t0_realtime_ns - ns_of(&opt.start_at)) + after_t0 * 1e9) / 1e3;
}

/* The JSON of each queue, for --json. */
static void
report_json_queues(void)
{
	printf(",\"queues\":[");
		for (unsigned int i = 0; i < nb_workers; i++) {
		const struct gen_worker *w = &workers[i];
		struct gen_totals q = { 0 };
		const double qs = secs(w->send_end - t0);

		gen_totals_add(&q, &counters[i]);
		printf("%s{\"queue\":%u,\"lcore\":%u", i ? "," : "", w->queue_id, w->lcore);
		if (opt.start_at_given && w->first_submit != 0)
			printf(",\"start_skew_us\":%.3f", start_skew_us(w));
		if (w->ac >= 0)
			printf(",\"ac\":\"%s\"", ac_name[w->ac]);
		printf(",\"frames_submitted\":%" PRIu64 ",\"frames_refused\":%" PRIu64
		       ",\"frames_completed\":%" PRIu64 ",\"status\":",
		       q.accepted + q.refused, q.refused, q.completed);
		print_status_json(q.status);
		printf(",\"retries\":%" PRIu64 ",\"backpressure\":%" PRIu64
		       ",\"tx_bytes\":%" PRIu64 ",\"tx_pps\":%.3f"
		       ",\"latency_us\":{\"p50\":%.3f,\"p99\":%.3f,\"max\":%.3f}"
		       ",\"exactly_once\":%s}",
		       q.retries, q.backpressure, q.bytes,
		       qs > 0 ? (double)q.accepted / qs : 0,
		       us_of(gen_hist_quantile(&counters[i].lat, 0.5)),
		       us_of(gen_hist_quantile(&counters[i].lat, 0.99)),
		       us_of(counters[i].lat.max), w->ok ? "true" : "false");
	}
	printf("]");
}

static void
report_json(const struct summary *m)
{
	const struct gen_totals *t = &m->all->tot;
	const struct gen_tick *all = m->all;
	const double mpps = m->mpps, run_s = m->run_s, tx_s = m->tx_s;
	const double tx_pps = m->tx_pps, tx_bps = m->tx_bps;
	const uint64_t frame_len = m->frame_len;
	const char *rate = m->rate;
	const bool interrupted = m->interrupted, ok = m->ok;

	printf("{\"frames_submitted\":%" PRIu64 ",\"frames_refused\":%" PRIu64
	       ",\"frames_completed\":%" PRIu64 ",\"status\":",
	       t->accepted + t->refused, t->refused, t->completed);
	print_status_json(t->status);
	printf(",\"retries\":%" PRIu64 ",\"mpps\":%.3f,\"duration_s\":%.6f"
	       ",\"port_driver\":\"%s\",\"mode\":\"%s\",\"frame_len\":%" PRIu64
	       ",\"burst\":%u,\"backpressure\":%" PRIu64 ",\"interrupted\":%s"
	       ",\"exactly_once\":%s",
	       t->retries, mpps, run_s, port_driver(opt.port),
	       opt.mode == GEN_MODE_APP ? "app" : "engine", frame_len, opt.burst,
	       t->backpressure, interrupted ? "true" : "false",
	       ok ? "true" : "false");
	printf(",\"source\":\"%s\"", opt.src.kind == GEN_SRC_PCAP ? "pcap" :
	       opt.src.kind == GEN_SRC_HEX ? "hex" : "template");
	if (opt.src.kind == GEN_SRC_TEMPLATE)
		printf(",\"template\":\"%s\"", gen_template_name(opt.src.tmpl));
	if (opt.src.kind == GEN_SRC_PCAP) {
		printf(",\"pcap\":");
		tool_json_string(opt.src.pcap_path);
	}
	printf(",\"rate\":\"%s\",\"rate_pps\":%.3f,\"rate_bps\":%.3f"
	       ",\"max_burst\":%u,\"spread\":\"%s\",\"tx_bytes\":%" PRIu64
	       ",\"tx_duration_s\":%.6f,\"tx_pps\":%.3f,\"tx_bps\":%.3f"
	       ",\"skipped\":%" PRIu64 ",\"telemetry_prefix\":\"%s\"",
	       rate, opt.rate.unit == GEN_RATE_PPS ? opt.rate.value : 0,
	       opt.rate.unit == GEN_RATE_BPS ? opt.rate.value : 0,
	       opt.max_burst, opt.spread == GEN_SPREAD_AC ? "ac" : "rr",
	       t->bytes, tx_s, tx_pps, tx_bps, t->skipped,
	       strrchr(rte_eal_get_runtime_dir(), '/') + 1);
	printf(",\"latency_us\":{\"p50\":%.3f,\"p99\":%.3f,\"max\":%.3f}",
	       us_of(gen_hist_quantile(&all->lat, 0.5)),
	       us_of(gen_hist_quantile(&all->lat, 0.99)), us_of(all->lat.max));
	if (opt.start_at_given) {
		char when[40];

		tool_format_time(&opt.start_at, when, sizeof(when));
		printf(",\"start_at\":\"%s\"", when);
		if (m->started)
			printf(",\"start_skew_us\":%.3f", m->start_skew_us);
	}
	if (opt.txp.nb_sets != 0)
		gen_sets_report(&opt.txp, m->sets, (double)hz, true, stdout);
	report_json_queues();
	printf("}\n");
}

/* The one-line summary. */
static void
report_line(const struct summary *m)
{
	const struct gen_totals *t = &m->all->tot;
	const struct gen_tick *all = m->all;
	char pps[24], bps[24];

	printf(PROG ": port %u (%s), %s buffers, %s, %" PRIu64 "-byte frames, burst %u, "
	       "%u queue%s, rate %s: %" PRIu64 " submitted, %" PRIu64 " refused, %" PRIu64
	       " completed (", opt.port, port_driver(opt.port),
	       opt.mode == GEN_MODE_APP ? "app-owned" : "engine-owned", m->src, m->frame_len,
	       opt.burst, nb_workers, nb_workers == 1 ? "" : "s", m->rate,
	       t->accepted + t->refused, t->refused, t->completed);
	for (int s = 0, first = 1; s < GEN_NB_STATUS; s++)
		if (t->status[s] != 0) {
			printf("%s%s %" PRIu64, first ? "" : ", ", d11tx_status_name(s),
			       t->status[s]);
			first = 0;
		}
	if (t->retries != 0)
		printf("; %" PRIu64 " retries", t->retries);
	gen_si(m->tx_pps, "pps", pps, sizeof(pps));
	gen_si(m->tx_bps, "bit/s", bps, sizeof(bps));
	printf(") in %.3f s = %.2f Mpps; sent %s, %s over %.3f s",
	       m->run_s, m->mpps, pps, bps, m->tx_s);
	if (all->lat.n != 0) {
		char p50[16], p99[16], max[16];

		gen_us(us_of(gen_hist_quantile(&all->lat, 0.5)), p50, sizeof(p50));
		gen_us(us_of(gen_hist_quantile(&all->lat, 0.99)), p99, sizeof(p99));
		gen_us(us_of(all->lat.max), max, sizeof(max));
		printf("; latency p50 %s, p99 %s, max %s", p50, p99, max);
	}
	if (t->skipped != 0)
		printf("; %" PRIu64 " frames skipped (longer than %u bytes)", t->skipped,
		       PCAP_ROOM);
	if (m->started)
		printf("; first frame %.1f us after --start-at", m->start_skew_us);
	printf("%s; exactly once: %s\n", m->interrupted ? " (interrupted)" : "",
	       m->ok ? "yes" : "NO");
	if (opt.txp.nb_sets != 0)
		gen_sets_report(&opt.txp, m->sets, (double)hz, false, stdout);
}

/* The end of a run: the summary line, or the JSON. */
static void
report(double run_s, double tx_s, bool ok)
{
	static struct gen_tick all;
	struct summary m = { .all = &all, .run_s = run_s, .tx_s = tx_s, .ok = ok };
	const struct gen_totals *t = &all.tot;

	gen_tick_take(&all, counters, nb_workers, run_s);
	if (opt.txp.nb_sets != 0) {
		static struct gen_set_tick sets[GEN_MAX_RATES];

		gen_sets_take(sets, workers, nb_workers, opt.txp.nb_sets);
		m.sets = sets;
	}
	m.interrupted = __atomic_load_n(&gen_interrupted, __ATOMIC_RELAXED);
	m.mpps = run_s > 0 ? (double)t->completed / run_s / 1e6 : 0;
	m.tx_pps = tx_s > 0 ? (double)t->accepted / tx_s : 0;
	m.tx_bps = tx_s > 0 ? (double)t->bytes * 8 / tx_s : 0;
	m.frame_len = t->accepted != 0 ? (t->bytes + t->accepted / 2) / t->accepted :
		      opt.src.sizes.nb != 0 ? opt.src.sizes.list[0] : 0;
	describe_source(&opt, m.src, sizeof(m.src));
	gen_rate_format(&opt.rate, m.rate, sizeof(m.rate));
	/* The run's first frame: the earliest of the workers'. */
	for (unsigned int i = 0; opt.start_at_given && i < nb_workers; i++)
		if (workers[i].first_submit != 0 &&
		    (!m.started || start_skew_us(&workers[i]) < m.start_skew_us)) {
			m.started = true;
			m.start_skew_us = start_skew_us(&workers[i]);
		}
	if (opt.src.kind == GEN_SRC_PCAP && !opt.rate_given)
		snprintf(m.rate, sizeof(m.rate), "replay x%g", opt.replay_speed);
	if (opt.json)
		report_json(&m);
	else
		report_line(&m);
}

/* Open worker @p i's frame source. */
static int
open_source(struct gen_worker *w)
{
	struct gen_source_conf c = opt.src;
	char err[256];
	int ret;

	if (c.kind == GEN_SRC_PCAP && opt.spread == GEN_SPREAD_RR) {
		c.share = w->idx;
		c.nb_shares = nb_workers;
	} else {
		c.share = 0;
		c.nb_shares = 1;
	}
	if (w->ac >= 0 && c.kind == GEN_SRC_TEMPLATE)
		c.tid = ac_tid[w->ac];
	c.seed = opt.src.seed + w->idx;
	ret = gen_source_open(&w->src, &c, err, sizeof(err));
	if (ret < 0)
		fprintf(stderr, PROG ": %s\n", err);
	return ret;
}

static int
setup_workers(void)
{
	const uint32_t room = frame_room(&opt);
	const bool many = nb_workers > 1;
	const bool on_workers = rte_lcore_count() > 1;
	unsigned int lcore = rte_get_main_lcore();
	int ret;

	if (many) {
		ret = configure_port(opt.port, (uint16_t)nb_workers);
		if (ret != 0) {
			if (ret != -EINVAL)
				fprintf(stderr, PROG ": cannot configure port %u with %u TX queues: %s\n",
					opt.port, nb_workers, strerror(-ret));
			return ret;
		}
	}
	for (unsigned int i = 0; i < nb_workers; i++) {
		struct gen_worker *w = &workers[i];
		struct d11tx_queue_conf conf = {
			.port_id = opt.port, .queue_id = (uint16_t)i,
			.flags = many ? 0 : D11TX_QF_CONFIGURE_PORT,
			.ring_size = opt.ring, .tx_burst = opt.burst,
			.max_frame_len = opt.src.radiotap || opt.src.kind == GEN_SRC_PCAP ?
					 D11TX_MAX_FRAME_LEN : 0,
		};

		if (on_workers)
			lcore = rte_get_next_lcore(i == 0 ? (unsigned int)-1 : lcore, 1, 0);
		*w = (struct gen_worker){
			.idx = i, .lcore = lcore, .queue_id = (uint16_t)i, .ac = -1,
			.opt = &opt, .ctr = &counters[i], .hz = hz,
			.slot_size = RTE_ALIGN_CEIL(room, 64),
		};
		if (opt.spread == GEN_SPREAD_AC) {
			/* Queue i is the access category whose queue it is. */
			for (int ac = 0; ac < 4; ac++)
				if (d11tx_dot11_ac_to_queue((enum d11tx_dot11_ac)ac) == i)
					w->ac = (int8_t)ac;
			w->ac_filter = opt.src.kind == GEN_SRC_PCAP;
		}
		/* Behind a radiotap header the engine would check the header's
		 * bytes as 802.11: the frames behind it go unchecked. */
		if (opt.no_validate || opt.src.radiotap)
			conf.flags |= D11TX_QF_NO_VALIDATE;
		if (opt.mode == GEN_MODE_ENGINE) {
			conf.buf_count = rte_align32pow2(opt.ring) + 2 * GEN_MAX_BURST;
			conf.buf_size = (uint16_t)room;
		}
		w->q = d11tx_queue_create(&conf);
		if (w->q == NULL) {
			fprintf(stderr, PROG ": cannot set up port %u queue %u: %s\n",
				opt.port, i, rte_strerror(rte_errno));
			return -rte_errno;
		}
		/* The count, split: the first ones take the remainder. */
		w->count = opt.count / nb_workers + (i < opt.count % nb_workers);
		if (opt.count >= UINT64_MAX / 2)
			w->count = UINT64_MAX / 2;
		ret = open_source(w);
		if (ret < 0)
			return ret;
		ret = gen_worker_setup(w);
		if (ret == -ENOTSUP && opt.txp.nb_sets != 0) {
			fprintf(stderr, PROG ": port %u (%s) takes no per-frame TX parameters "
				"(--rt-mcs, --rates, --mcs, --retry-limit, --no-ack): its driver "
				"does not read them (an injection port takes them in a radiotap "
				"header per frame: --radiotap)\n", opt.port, port_driver(opt.port));
			return ret;
		}
		if (ret < 0) {
			fprintf(stderr, PROG ": queue %u: cannot set up %s: %s\n", i,
				opt.mode == GEN_MODE_APP ? "app-owned frame memory" : "the worker",
				strerror(-ret));
			return ret;
		}
	}
	return 0;
}

static void
start_pacing(struct gen_worker *w, uint64_t now)
{
	const bool replay = opt.src.kind == GEN_SRC_PCAP && !opt.rate_given;

	w->send_end = now;
	w->set_t0 = now;
	if (replay) {
		gen_pace_init_replay(&w->pace, opt.replay_speed, hz, opt.max_burst,
				     opt.spread == GEN_SPREAD_RR ? nb_workers : 1, now);
	} else if (opt.rate.unit == GEN_RATE_LINE) {
		gen_pace_init_line(&w->pace, opt.burst);
	} else {
		struct gen_rate r = opt.rate;

		r.value /= nb_workers;
		gen_pace_init_rate(&w->pace, &r, hz, opt.max_burst, now);
	}
}

/* With the default EAL arguments, a file prefix of our own, so that
 * the telemetry socket has a known path (and runs do not share one). */
static char **
eal_argv_with_prefix(const struct eal_args *ea, int *argc, char *prefix_arg, size_t len)
{
	char **argv = calloc((size_t)ea->eal_argc + 2, sizeof(*argv));
	bool has_prefix = false;

	if (argv == NULL)
		return NULL;
	for (int i = 0; i < ea->eal_argc; i++) {
		argv[i] = ea->eal_argv[i];
		if (strncmp(argv[i], "--file-prefix", 13) == 0)
			has_prefix = true;
	}
	*argc = ea->eal_argc;
	if (ea->defaults && !has_prefix) {
		snprintf(prefix_arg, len, "--file-prefix=" PROG "-%d", (int)getpid());
		argv[(*argc)++] = prefix_arg;
	}
	return argv;
}

static char runtime_dir[PATH_MAX];

/* The runtime folder of a default file prefix is ours: remove it at exit
 * (after DPDK's own handler has removed the telemetry socket). */
static void
remove_runtime_dir(void)
{
	if (runtime_dir[0] != '\0')
		rmdir(runtime_dir);
}

/* A frame source that cannot be read fails here, before the EAL. */
static int
probe_source(void)
{
	struct gen_source_conf c = opt.src;
	struct gen_source *probe;
	char err[256];

	if (opt.spread == GEN_SPREAD_AC && c.kind == GEN_SRC_TEMPLATE)
		c.tid = ac_tid[D11TX_AC_VO];
	c.nb_shares = 1;
	if (gen_source_open(&probe, &c, err, sizeof(err)) < 0) {
		fprintf(stderr, PROG ": %s\n", err);
		return -1;
	}
	gen_source_close(probe);
	return 0;
}

/* The live view's columns, then the TX parameter sets'. */
static void
write_csv_header(void)
{
	if (opt.txp.nb_sets != 0) {
		fwrite(gen_csv_header, 1, strlen(gen_csv_header) - 1, stats_file);
		gen_sets_csv_header(&opt.txp, stats_file);
		fputc('\n', stats_file);
	} else {
		fputs(gen_csv_header, stats_file);
	}
	fflush(stats_file);
}

static int
open_stats_file(void)
{
	if (opt.stats_file == NULL && opt.plot != NULL) {
		int fd;

		snprintf(plot_csv, sizeof(plot_csv), "/tmp/dot11tx-gen-%d-XXXXXX.csv",
			 (int)getpid());
		fd = mkstemps(plot_csv, 4);
		stats_file = fd < 0 ? NULL : fdopen(fd, "w");
		if (stats_file == NULL) {
			fprintf(stderr, PROG ": --plot: cannot write a CSV in /tmp: %s\n",
				strerror(errno));
			if (fd >= 0) {
				close(fd);
				unlink(plot_csv);
			}
			plot_csv[0] = '\0';
			return -1;
		}
		write_csv_header();
		return 0;
	}
	if (opt.stats_file == NULL)
		return 0;
	stats_file = fopen(opt.stats_file, "w");
	if (stats_file == NULL) {
		fprintf(stderr, PROG ": --stats-file: cannot write %s: %s\n",
			opt.stats_file, strerror(errno));
		return -1;
	}
	write_csv_header();
	return 0;
}

extern char **environ;

/* dot11tx-plot: beside this program (a build's tools/, an install's bin/),
 * else from PATH. */
static void
plot_program(char *path, size_t len)
{
	char self[PATH_MAX];
	const ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);

	snprintf(path, len, "dot11tx-plot");
	if (n <= 0)
		return;
	self[n] = '\0';
	if (strrchr(self, '/') != NULL)
		*strrchr(self, '/') = '\0';
	if ((size_t)snprintf(path, len, "%s/dot11tx-plot", self) >= len ||
	    access(path, X_OK) != 0)
		snprintf(path, len, "dot11tx-plot");
}

/* --plot: the run's CSV drawn into opt.plot. 0, or -1 (said why). */
static int
draw_plot(void)
{
	const char *csv = opt.stats_file != NULL ? opt.stats_file : plot_csv;
	char prog[PATH_MAX], title[256];
	char *argv[] = { prog, (char *)csv, "-o", (char *)opt.plot, "--title", title, NULL };
	pid_t pid;
	int status, ret;

	fflush(stats_file);
	plot_program(prog, sizeof(prog));
	snprintf(title, sizeof(title), "dot11tx-gen: port %u (%s), %s, %s", opt.port,
		 port_driver(opt.port), tel.source, tel.rate);
	ret = posix_spawnp(&pid, prog, NULL, NULL, argv, environ);
	if (ret != 0) {
		fprintf(stderr, PROG ": --plot: cannot run %s: %s\n", prog, strerror(ret));
		return -1;
	}
	if (waitpid(pid, &status, 0) < 0 || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		fprintf(stderr, PROG ": --plot: %s did not draw %s (see above)\n", prog, opt.plot);
		return -1;
	}
	if (!opt.quiet)
		fprintf(stderr, PROG ": --plot: the run is drawn in %s\n", opt.plot);
	return 0;
}

/* One worker a lcore besides the main one (or the main one alone), and
 * the port they send on. */
static int
check_lcores_and_port(void)
{
	struct d11tx_port_caps caps;

	if (!rte_eth_dev_is_valid_port(opt.port)) {
		fprintf(stderr, PROG ": no DPDK port %u (give one with --vdev=... or a NIC)\n",
			opt.port);
		return -1;
	}
	nb_workers = rte_lcore_count() > 1 ? rte_lcore_count() - 1 : 1;
	if (nb_workers > GEN_MAX_WORKERS) {
		fprintf(stderr, PROG ": %u worker lcores: at most %d\n", nb_workers,
			GEN_MAX_WORKERS);
		nb_workers = 0;
		return -1;
	}
	if (opt.spread == GEN_SPREAD_AC && nb_workers > 4) {
		fprintf(stderr, PROG ": --spread ac: %u worker lcores, but there are 4 "
			"access categories\n", nb_workers);
		nb_workers = 0;
		return -1;
	}
	show_ack = d11tx_port_caps_get(opt.port, &caps) == 0 && caps.tx_status;
	return 0;
}

/* The /dot11tx/ telemetry commands, and where to read them. */
static void
register_telemetry(void)
{
	int ret;

	tel = (struct gen_tel_info){
		.ctr = counters, .workers = workers, .nb_workers = nb_workers,
		.port = opt.port, .mode = opt.mode == GEN_MODE_APP ? "app" : "engine",
		.hz = hz,
	};
	snprintf(tel.driver, sizeof(tel.driver), "%s", port_driver(opt.port));
	describe_source(&opt, tel.source, sizeof(tel.source));
	gen_rate_format(&opt.rate, tel.rate, sizeof(tel.rate));
	if (opt.src.kind == GEN_SRC_PCAP && !opt.rate_given)
		snprintf(tel.rate, sizeof(tel.rate), "replay x%g", opt.replay_speed);
	ret = gen_telemetry_register(&tel);
	if (ret != 0 && !opt.quiet)
		fprintf(stderr, PROG ": telemetry commands not registered: %s\n",
			strerror(-ret));
	else if (!opt.quiet)
		fprintf(stderr, PROG ": telemetry: dpdk-telemetry.py -f %s (/dot11tx/stats, "
			"/dot11tx/queues, /dot11tx/info)\n",
			strrchr(rte_eal_get_runtime_dir(), '/') + 1);
}

/* Run the workers until @p end, the count, or Ctrl-C: on the main lcore
 * when it is the only one, else one a lcore while the main one shows the
 * live view. False when a lcore could not be launched. */
static bool
run_workers(uint64_t end)
{
	uint64_t tick_at = t0 + hz;
	unsigned int done;
	bool ok = true;

	for (unsigned int i = 0; i < nb_workers; i++) {
		workers[i].end = end;
		start_pacing(&workers[i], t0);
	}
	if (nb_workers == 1 && rte_lcore_count() == 1) {
		workers[0].tick = main_tick;
		workers[0].tick_at = tick_at;
		gen_worker_run(&workers[0]);
		return true;
	}
	for (unsigned int i = 0; i < nb_workers; i++) {
		const int ret = rte_eal_remote_launch(gen_worker_run, &workers[i],
						      workers[i].lcore);

		if (ret != 0) {
			fprintf(stderr, PROG ": cannot launch lcore %u: %s\n",
				workers[i].lcore, strerror(-ret));
			__atomic_store_n(&gen_interrupted, 1, __ATOMIC_RELAXED);
			workers[i].done = true;
			ok = false;
		}
	}
	do {
		const uint64_t now = rte_get_tsc_cycles();
		const struct timespec nap = { .tv_nsec = 5 * 1000 * 1000 };

		if (now >= tick_at)
			tick_at = main_tick(now);
		done = 0;
		for (unsigned int i = 0; i < nb_workers; i++)
			done += __atomic_load_n(&workers[i].done, __ATOMIC_ACQUIRE);
		if (done < nb_workers)
			nanosleep(&nap, NULL);
	} while (done < nb_workers);
	rte_eal_mp_wait_lcore();
	return ok;
}

/* What the workers say at the end: whether every one kept its count
 * exactly once and closed its queue; *send_end, the last send. */
static bool
collect_workers(uint64_t *send_end)
{
	bool ok = true;

	*send_end = 0;
	for (unsigned int i = 0; i < nb_workers; i++) {
		struct gen_worker *w = &workers[i];

		*send_end = RTE_MAX(*send_end, w->send_end);
		if (w->stop_ret != 0)
			fprintf(stderr, PROG ": queue %u: stop: %s\n", i, strerror(-w->stop_ret));
		if (w->destroy_ret != 0)
			fprintf(stderr, PROG ": queue %u: destroy: %s\n", i,
				strerror(-w->destroy_ret));
		ok &= w->ok;
	}
	if (nb_workers > 1) {
		const int ret = rte_eth_dev_stop(opt.port);

		if (ret != 0)
			fprintf(stderr, PROG ": port %u: stop: %s\n", opt.port, strerror(-ret));
	}
	return ok;
}

int
main(int argc, char **argv)
{
	static const char *const default_vdevs[] = { GEN_DEFAULT_VDEV, NULL };
	struct eal_args ea;
	char prefix_arg[64];
	char **eal_argv = NULL;
	int eal_argc, ret, rc = 2;
	uint64_t run_end, send_end;
	bool ok;

	if (eal_args_build(&ea, argc, argv, default_vdevs) != 0) {
		fprintf(stderr, PROG ": out of memory\n");
		goto out_args;
	}
	ret = gen_options_parse(ea.app_argc, ea.app_argv, &opt);
	if (ret == GEN_OPTIONS_HELP) {
		gen_usage(ea.app_argv[0], stdout);
		rc = 0;
		goto out_args;
	}
	if (ret != 0 || check_start_at() != 0 || probe_source() != 0 ||
	    open_stats_file() != 0)
		goto out_args;
	eal_argv = eal_argv_with_prefix(&ea, &eal_argc, prefix_arg, sizeof(prefix_arg));
	if (eal_argv == NULL)
		goto out_args;
	if (ea.defaults)
		atexit(remove_runtime_dir);   /* before DPDK's: runs after it */
	if (rte_eal_init(eal_argc, eal_argv) < 0) {
		fprintf(stderr, PROG ": EAL init failed: %s\n", rte_strerror(rte_errno));
		goto out_args;
	}
	if (ea.defaults)
		snprintf(runtime_dir, sizeof(runtime_dir), "%s", rte_eal_get_runtime_dir());
	if (ea.defaults && !opt.quiet && !ea.hugepages)
		fprintf(stderr, PROG ": no free hugepages: running with --no-huge "
			"(about half the speed; see tools/setup.sh)\n");
	hz = rte_get_tsc_hz();
	if (check_lcores_and_port() != 0 || setup_workers() != 0)
		goto out_eal;
	register_telemetry();
	if (opt.prom_port != 0) {
		char err[160];

		if (gen_prom_start(&tel, opt.prom_bind, opt.prom_port, err, sizeof(err)) != 0) {
			fprintf(stderr, PROG ": %s\n", err);
			goto out_eal;
		}
		if (!opt.quiet)
			fprintf(stderr, PROG ": prometheus: http://%s%s%s:%u/metrics\n",
				strchr(opt.prom_bind, ':') ? "[" : "", opt.prom_bind,
				strchr(opt.prom_bind, ':') ? "]" : "", opt.prom_port);
	}
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);

	/* The first view's baseline (nothing sent yet): taken before the
	 * wait, so that nothing stands between TIME and the first frame. */
	gen_tick_take(&tick_prev, counters, nb_workers, 0);
	if (opt.start_at_given)
		wait_for_start();
	t0 = rte_get_tsc_cycles();
	t0_realtime_ns = realtime_ns();
	/* Telemetry's elapsed time counts from here (0 before). */
	__atomic_store_n(&tel.t0, t0, __ATOMIC_RELEASE);
	ok = run_workers(opt.duration > 0 ? t0 + (uint64_t)(opt.duration * (double)hz)
					  : UINT64_MAX);
	run_end = rte_get_tsc_cycles();
	ok &= collect_workers(&send_end);
	report(secs(run_end - t0), secs(send_end - t0), ok);
	rc = ok ? 0 : 1;
	if (opt.plot != NULL && draw_plot() != 0 && rc == 0)
		rc = 2;
out_eal:
	gen_prom_stop();
	for (unsigned int i = 0; i < nb_workers; i++)
		gen_worker_free(&workers[i]);
	rte_eal_cleanup();
out_args:
	if (stats_file != NULL)
		fclose(stats_file);
	if (plot_csv[0] != '\0')
		unlink(plot_csv);
	free(eal_argv);
	eal_args_free(&ea);
	return rc;
}
