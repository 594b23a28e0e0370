/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * dot11tx-bench: the engine's throughput as a ratio to DPDK's own ceiling,
 * measured in one run on one lcore. Usage: dot11tx-bench [EAL --] [options].
 */

#include <errno.h>
#include <ctype.h>
#include <getopt.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <rte_cycles.h>
#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_ethdev.h>

#include <dot11tx/dot11tx.h>

#include "eal_args.h"
#include "parse.h"
#include "scenarios.h"

#define MAX_POINTS 16
#define MAX_ROUNDS 101
#define DEFAULT_ROUNDS 5
#define CHUNK_FRAMES 65536
#define WARMUP_FRAMES 20000

/* Defined by alloc_probe.so when it is preloaded (--check-alloc). */
void d11tx_alloc_probe_counts(uint64_t *allocs, uint64_t *locks)
	__attribute__((weak));

struct options {
	uint16_t sizes[MAX_POINTS];
	int nb_sizes;
	uint16_t bursts[MAX_POINTS];
	int nb_bursts;
	bool kinds[BENCH_KIND_MAX];
	double duration;
	uint64_t frames;
	uint32_t latency_samples;
	uint16_t port;
	bool json;
	bool quiet;
	bool vs_testpmd;
	bool refcnt;
	bool no_validate;
	bool check_alloc;
	uint32_t rounds;       /* 0: --rounds not given, one round */
};

struct result {
	enum bench_kind kind;
	uint16_t len;
	uint16_t burst;
	double mpps;           /* the median of the rounds */
	double mpps_min, mpps_max;
	double ratio_vs_raw;   /* the median of the rounds' ratios */
	double testpmd_mpps;   /* median; 0: not measured */
	double ratio_vs_testpmd;
	/* *_txp: the median of the rounds' ratios to the same scenario
	 * without TX parameters; 0: that one was not run. */
	double ratio_vs_plain;
	uint32_t rounds;
	bool ok;
	bool latency;
	double p50_ns, p99_ns, max_ns;
	bool alloc_checked;
	uint64_t allocs, locks;   /* during the measured loop */
};

static void
usage(const char *prog, FILE *out)
{
	fprintf(out,
"NAME\n"
"    dot11tx-bench - dot11tx throughput against DPDK's own ceiling, in one run\n"
"\n"
"SYNOPSIS\n"
"    %s [EAL options --] [options]\n"
"\n"
"DESCRIPTION\n"
"    On one lcore and one port (by default net_null0, on hugepages when free\n"
"    ones exist, else --no-huge), runs for every frame size and burst:\n"
"      raw           rte_pktmbuf_alloc_bulk + lengths + rte_eth_tx_burst, no\n"
"                    completion tracking: the ceiling\n"
"      engine_owned  reserve engine buffers, write the 802.11 header, submit,\n"
"                    poll; every completion reaches the callback\n"
"      app_owned     registered app memory attached zero-copy, same callbacks\n"
"      eth_encap     Dot11ExtSendPacket buffers (DA, EtherType, payload): the\n"
"                    engine builds the 802.11 header, payload zero-copy\n"
"      clients_8     engine_owned with 8 clients interleaved in every burst:\n"
"                    the per-client dispatch of completions\n"
"      ihv_1thread   eth_encap's packets through the IHV host: an extension\n"
"                    calls Dot11txSendPackets (a burst a call) on the host's\n"
"                    thread, which polls (only with -k)\n"
"      ihv_4threads  the same from 4 threads of the extension, on the CPUs\n"
"                    other than the lcore's; the lcore only polls (only with -k)\n"
"      engine_txp, app_txp, eth_txp\n"
"                    engine_owned, app_owned, eth_encap with per-frame TX\n"
"                    parameters on every frame (6M, 54M, HT7, VHT9x2/80 in\n"
"                    turn), with their ratio to the plain scenario when it\n"
"                    runs too (only with -k). On a port that reads no TX\n"
"                    parameters (net_null) they go in a radiotap header per\n"
"                    frame; on net_wlansim in the mbuf's dynamic field\n"
"    and prints Mpps, ns per frame and the ratio to raw from the same run. A\n"
"    scenario that loses or doubles a completion is reported as failed.\n"
"    Engine scenarios also report single-frame latency, submit to callback.\n"
"\n"
"OPTIONS\n"
"    -s, --sizes LIST      frame sizes (default 64,256,1500)\n"
"    -b, --bursts LIST     bursts (default 1,8,32,128)\n"
"    -k, --scenarios LIST  raw,engine_owned,app_owned,eth_encap,clients_8,\n"
"                          ihv_1thread,ihv_4threads,engine_txp,app_txp,\n"
"                          eth_txp (default the first five)\n"
"    -d, --duration S      seconds per point (default 0.5)\n"
"    -n, --frames N        frames per point instead of a duration\n"
"    -l, --latency N       latency samples per engine point (default 10000, 0: off)\n"
"    -p, --port ID         DPDK port (default 0)\n"
"    -t, --vs-testpmd      also run dpdk-testpmd --forward-mode=txonly on the\n"
"                          same vdev for the same time, per point\n"
"    -r, --refcnt          engine queues reclaim by reference count\n"
"                          (D11TX_QF_REFCNT_RECLAIM) instead of tracked pools\n"
"    -V, --no-validate     engine queues skip the 802.11 frame check\n"
"                          (D11TX_QF_NO_VALIDATE), to measure what it costs\n"
"    -a, --check-alloc     count heap allocations and mutex locks of the sending\n"
"                          thread during each measured loop and fail unless\n"
"                          there are none; needs\n"
"                          LD_PRELOAD=<build>/bench/alloc_probe.so\n"
"    -R, --rounds[=N]      run every point N times (default 5), the scenarios\n"
"                          interleaved (raw, engine_owned, app_owned, eth_encap,\n"
"                          clients_8, testpmd with -t; raw, ...), and report\n"
"                          per row the medians of the rounds (Mpps, ns/frame,\n"
"                          ratio_vs_raw and ratio_vs_testpmd of each round),\n"
"                          min and max: one noisy round does not decide\n"
"    -j, --json            one JSON array of result objects\n"
"    -q, --quiet           no progress lines\n"
"    -h, --help            this text\n"
"\n"
"EXIT STATUS\n"
"    0 when every scenario kept every completion, 1 when not, 2 on errors.\n",
		prog);
}

static int
parse_list(const char *s, uint16_t *out, int *n, unsigned long min,
	   unsigned long max)
{
	char *copy = strdup(s), *save = NULL;
	int ret = 0;

	*n = 0;
	for (char *tok = strtok_r(copy, ",", &save); tok != NULL;
	     tok = strtok_r(NULL, ",", &save)) {
		uint64_t v;

		if (tool_parse_u64(tok, min, max, &v) != 0 || *n == MAX_POINTS) {
			ret = -1;
			break;
		}
		out[(*n)++] = (uint16_t)v;
	}
	free(copy);
	return ret == 0 && *n > 0 ? 0 : -1;
}

static int
parse_kinds(const char *s, bool *kinds)
{
	char *copy = strdup(s), *save = NULL;
	int ret = 0;

	memset(kinds, 0, sizeof(bool) * BENCH_KIND_MAX);
	for (char *tok = strtok_r(copy, ",", &save); tok != NULL;
	     tok = strtok_r(NULL, ",", &save)) {
		int k;

		for (k = 0; k < BENCH_KIND_MAX; k++)
			if (strcmp(tok, bench_kind_name(k)) == 0)
				break;
		if (k == BENCH_KIND_MAX) {
			ret = -1;
			break;
		}
		kinds[k] = true;
	}
	free(copy);
	return ret;
}

static int
parse_options(int argc, char **argv, struct options *o)
{
	static const struct option longopts[] = {
		{ "sizes", required_argument, NULL, 's' },
		{ "bursts", required_argument, NULL, 'b' },
		{ "scenarios", required_argument, NULL, 'k' },
		{ "duration", required_argument, NULL, 'd' },
		{ "frames", required_argument, NULL, 'n' },
		{ "latency", required_argument, NULL, 'l' },
		{ "port", required_argument, NULL, 'p' },
		{ "vs-testpmd", no_argument, NULL, 't' },
		{ "refcnt", no_argument, NULL, 'r' },
		{ "no-validate", no_argument, NULL, 'V' },
		{ "check-alloc", no_argument, NULL, 'a' },
		{ "rounds", optional_argument, NULL, 'R' },
		{ "json", no_argument, NULL, 'j' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	char *end;
	uint64_t v;
	int c;

	*o = (struct options){ .sizes = { 64, 256, 1500 }, .nb_sizes = 3,
			       .bursts = { 1, 8, 32, 128 }, .nb_bursts = 4,
			       .duration = 0.5, .latency_samples = 10000,
			       .kinds = { true, true, true, true, true } };
	optind = 1;
	while ((c = getopt_long(argc, argv, "s:b:k:d:n:l:p:trVaR::jqh", longopts,
				NULL)) != -1) {
		switch (c) {
		case 's':
			if (parse_list(optarg, o->sizes, &o->nb_sizes, 24, 2048) != 0)
				goto bad;
			break;
		case 'b':
			if (parse_list(optarg, o->bursts, &o->nb_bursts, 1, 512) != 0)
				goto bad;
			break;
		case 'k':
			if (parse_kinds(optarg, o->kinds) != 0)
				goto bad;
			break;
		case 'd':
			o->duration = strtod(optarg, &end);
			if (*end != '\0' || !(o->duration > 0) || o->duration > 3600)
				goto bad;
			break;
		case 'n':
			if (tool_parse_u64(optarg, 1, UINT64_MAX, &v) != 0)
				goto bad;
			o->frames = v;
			break;
		case 'l':
			if (tool_parse_u64(optarg, 0, 10000000, &v) != 0)
				goto bad;
			o->latency_samples = (uint32_t)v;
			break;
		case 'p':
			if (tool_parse_u64(optarg, 0, RTE_MAX_ETHPORTS - 1, &v) != 0)
				goto bad;
			o->port = (uint16_t)v;
			break;
		case 't':
			o->vs_testpmd = true;
			break;
		case 'r':
			o->refcnt = true;
			break;
		case 'a':
			o->check_alloc = true;
			break;
		case 'V':
			o->no_validate = true;
			break;
		case 'R':
			/* "--rounds N" as well as "--rounds=N" and "-RN": a
			 * number in the next word is the count. */
			if (optarg == NULL && optind < argc &&
			    isdigit((unsigned char)argv[optind][0]))
				optarg = argv[optind++];
			o->rounds = DEFAULT_ROUNDS;
			if (optarg != NULL &&
			    tool_parse_u64(optarg, 1, MAX_ROUNDS, &v) != 0)
				goto bad;
			if (optarg != NULL)
				o->rounds = (uint32_t)v;
			break;
		case 'j':
			o->json = true;
			break;
		case 'q':
			o->quiet = true;
			break;
		case 'h':
			usage(argv[0], stdout);
			exit(0);
		default:
			fprintf(stderr, "dot11tx-bench: see --help\n");
			return -1;
		}
	}
	if (tool_no_extra_args("dot11tx-bench", argc, argv, optind) != 0)
		return -1;
	return 0;
bad:
	for (const struct option *lo = longopts; lo->name != NULL; lo++)
		if (lo->val == c)
			fprintf(stderr, "dot11tx-bench: invalid value '%s' for --%s "
				"(see --help)\n", optarg, lo->name);
	return -1;
}

/* Run one point of one scenario, with its latency when @p latency. */
static int
measure(const struct options *o, enum bench_kind kind, uint16_t len,
	uint16_t burst, bool latency, struct result *r)
{
	const uint64_t hz = rte_get_tsc_hz();
	uint64_t frames = 0, start, end, setup_allocs = 0, unused;
	struct bench *b;

	*r = (struct result){ .kind = kind, .len = len, .burst = burst };
	if (o->check_alloc)
		d11tx_alloc_probe_counts(&setup_allocs, &unused);
	b = bench_create(kind, o->port, len, burst);
	if (o->check_alloc && b != NULL) {
		uint64_t after;

		/* Set-up allocates (calloc of the scenario at least): a
		 * probe that saw nothing is not counting, and its zeros
		 * below would prove nothing. */
		d11tx_alloc_probe_counts(&after, &unused);
		if (after == setup_allocs) {
			fprintf(stderr, "dot11tx-bench: the allocation probe counts nothing\n");
			bench_destroy(b);
			return -1;
		}
	}
	if (b == NULL) {
		fprintf(stderr, "dot11tx-bench: cannot set up %s on port %u: %s%s\n",
			bench_kind_name(kind), o->port, rte_strerror(rte_errno),
			rte_errno == ENOTSUP && bench_plain_kind(kind) != kind ?
			" (the port takes no per-frame TX parameters: it reads none, "
			"and sends no chains for a radiotap header in front)" : "");
		return -1;
	}
	bench_run(b, WARMUP_FRAMES);
	uint64_t allocs0 = 0, locks0 = 0;

	if (o->check_alloc)
		d11tx_alloc_probe_counts(&allocs0, &locks0);
	start = rte_get_tsc_cycles();
	if (o->frames != 0) {
		frames = bench_run(b, o->frames);
		end = rte_get_tsc_cycles();
	} else {
		const uint64_t deadline = start + (uint64_t)(o->duration * (double)hz);

		do {
			frames += bench_run(b, CHUNK_FRAMES);
			end = rte_get_tsc_cycles();
		} while (end < deadline);
	}
	if (o->check_alloc) {
		d11tx_alloc_probe_counts(&r->allocs, &r->locks);
		r->allocs -= allocs0;
		r->locks -= locks0;
		r->alloc_checked = true;
	}
	r->mpps = (double)frames * (double)hz / (double)(end - start) / 1e6;
	if (kind != BENCH_RAW && latency && o->latency_samples != 0) {
		r->latency = bench_latency(b, o->latency_samples, &r->p50_ns,
					   &r->p99_ns, &r->max_ns) == 0;
		if (!r->latency)
			fprintf(stderr, "dot11tx-bench: %s: a completion did not come within 1 s\n",
				bench_kind_name(kind));
	}
	r->ok = bench_destroy(b) && (kind == BENCH_RAW || !latency ||
				     o->latency_samples == 0 || r->latency) &&
		(!r->alloc_checked || (r->allocs == 0 && r->locks == 0));
	return 0;
}

/* The --vdev arguments of our own EAL line, for testpmd to use too. */
static int
collect_vdevs(const struct eal_args *ea, char *buf, size_t size)
{
	size_t used = 0;
	int n = 0;

	buf[0] = '\0';
	for (int i = 1; i < ea->eal_argc; i++) {
		const char *a = ea->owned[i];
		const char *v = NULL;

		if (strncmp(a, "--vdev=", 7) == 0)
			v = a;
		if (v != NULL && used + strlen(v) + 2 < size) {
			used += (size_t)snprintf(buf + used, size - used, " '%s'", v);
			n++;
		}
	}
	return n;
}

/*
 * net_wlansim is built into this program; testpmd loads it as the plugin
 * of the same build (meson compiles in its path). "" when not needed or
 * not there.
 */
static const char *
wlansim_plugin_arg(const char *vdevs)
{
	static char arg[PATH_MAX + 8];

	if (strstr(vdevs, "net_wlansim") == NULL ||
	    access(D11TX_WLANSIM_PLUGIN, R_OK) != 0)
		return "";
	snprintf(arg, sizeof(arg), "-d '%s'", D11TX_WLANSIM_PLUGIN);
	return arg;
}

/*
 * The dpdk-testpmd of the DPDK this program was built against (meson
 * compiles in its path and libdir), so that testpmd, its drivers and the
 * net_wlansim plugin all match our libraries; $D11TX_TESTPMD overrides,
 * and without either, the one on PATH.
 */
static const char *
testpmd_program(void)
{
	const char *env = getenv("D11TX_TESTPMD");

	if (env != NULL && *env != '\0')
		return env;
	if (access(D11TX_DPDK_TESTPMD, X_OK) == 0)
		return D11TX_DPDK_TESTPMD;
	return "dpdk-testpmd";
}

/*
 * dpdk-testpmd txonly on the same vdev, for as long as one of our points,
 * with the same frame size and burst. Its Tx-pps lines are per stats
 * period; the median of the non-zero ones is its rate.
 */
static double
testpmd_mpps(const struct eal_args *ea, bool hugepages, double seconds,
	     uint16_t len, uint16_t burst)
{
	char vdevs[512], cmd[PATH_MAX + 2048], line[256];
	double rates[64];
	int n = 0;
	FILE *p;

	if (collect_vdevs(ea, vdevs, sizeof(vdevs)) == 0)
		return -1;
	snprintf(cmd, sizeof(cmd),
		 "LD_LIBRARY_PATH='%s' timeout -s INT %d '%s' -l 0,1 --no-pci %s %s %s "
		 "--log-level=warning -- --forward-mode=txonly --auto-start "
		 "--stats-period=1 --txpkts=%u --burst=%u --nb-cores=1 "
		 "--txq=1 --rxq=1 --total-num-mbufs=16384 2>&1",
		 D11TX_DPDK_LIBDIR, (int)(seconds + 4), testpmd_program(),
		 wlansim_plugin_arg(vdevs), vdevs,
		 hugepages ? "--in-memory" : "--no-huge -m 512 --no-shconf",
		 len, burst);
	p = popen(cmd, "r");
	if (p == NULL)
		return -1;
	while (fgets(line, sizeof(line), p) != NULL) {
		double pps;

		if (sscanf(line, " Tx-pps: %lf", &pps) == 1 && pps > 0 && n < 64)
			rates[n++] = pps;
	}
	pclose(p);
	if (n == 0)
		return -1;
	for (int i = 1; i < n; i++)   /* insertion sort: a handful of values */
		for (int j = i; j > 0 && rates[j] < rates[j - 1]; j--) {
			double t = rates[j];

			rates[j] = rates[j - 1];
			rates[j - 1] = t;
		}
	return rates[n / 2] / 1e6;
}

static int
compare_double(const void *a, const void *b)
{
	const double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/* The median of @p n values (sorted in place); the mean of the middle
 * two when @p n is even. */
static double
median(double *v, uint32_t n)
{
	qsort(v, n, sizeof(*v), compare_double);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

static void
print_json(const struct result *r, int n)
{
	printf("[");
	for (int i = 0; i < n; i++) {
		const struct result *x = &r[i];

		printf("%s\n{\"name\":\"%s\",\"frame_len\":%u,\"burst\":%u,"
		       "\"mpps\":%.3f,\"ns_per_frame\":%.2f,\"ratio_vs_raw\":%.3f,"
		       "\"completions_ok\":%s,\"rounds\":%u,\"mpps_min\":%.3f,"
		       "\"mpps_max\":%.3f", i ? "," : "", bench_kind_name(x->kind),
		       x->len, x->burst, x->mpps, x->mpps > 0 ? 1e3 / x->mpps : 0,
		       x->ratio_vs_raw, x->ok ? "true" : "false", x->rounds,
		       x->mpps_min, x->mpps_max);
		if (x->testpmd_mpps > 0)
			printf(",\"testpmd_mpps\":%.3f,\"ratio_vs_testpmd\":%.3f",
			       x->testpmd_mpps, x->ratio_vs_testpmd);
		if (x->ratio_vs_plain > 0)
			printf(",\"plain\":\"%s\",\"ratio_vs_plain\":%.3f",
			       bench_kind_name(bench_plain_kind(x->kind)), x->ratio_vs_plain);
		if (x->latency)
			printf(",\"latency_p50_ns\":%.0f,\"latency_p99_ns\":%.0f,"
			       "\"latency_max_ns\":%.0f", x->p50_ns, x->p99_ns,
			       x->max_ns);
		if (x->alloc_checked)
			printf(",\"allocs_in_loop\":%" PRIu64 ",\"locks_in_loop\":%" PRIu64,
			       x->allocs, x->locks);
		printf("}");
	}
	printf("\n]\n");
}

static void
print_line(const struct result *x)
{
	printf("%-13s len %4u burst %3u: %7.2f Mpps %7.2f ns/frame  ratio_vs_raw %5.3f",
	       bench_kind_name(x->kind), x->len, x->burst, x->mpps,
	       x->mpps > 0 ? 1e3 / x->mpps : 0, x->ratio_vs_raw);
	if (x->rounds > 1)
		printf("  (median of %u rounds, %.2f..%.2f)", x->rounds, x->mpps_min,
		       x->mpps_max);
	if (x->testpmd_mpps > 0)
		printf("  testpmd %6.2f Mpps ratio %5.3f", x->testpmd_mpps,
		       x->ratio_vs_testpmd);
	if (x->ratio_vs_plain > 0)
		printf("  ratio_vs_%s %5.3f", bench_kind_name(bench_plain_kind(x->kind)),
		       x->ratio_vs_plain);
	if (x->latency)
		printf("  latency p50 %.0f p99 %.0f max %.0f ns", x->p50_ns,
		       x->p99_ns, x->max_ns);
	if (x->alloc_checked)
		printf("  allocs %" PRIu64 " locks %" PRIu64, x->allocs, x->locks);
	printf("%s\n", x->ok ? "" : "  FAILED (completions lost, or allocs/locks in the loop)");
	fflush(stdout);
}

/* Every selected scenario at one size and burst, o->rounds times (at
 * least once), interleaved in each round, testpmd last. The rows go to
 * @p out (*nb of them); progress and the lines to the terminal. */
static int
run_point(const struct options *o, const struct eal_args *ea, bool testpmd_found,
	  uint16_t len, uint16_t burst, struct result *out, int *nb, bool *all_ok)
{
	static double mpps[BENCH_KIND_MAX][MAX_ROUNDS], vs_raw[BENCH_KIND_MAX][MAX_ROUNDS];
	static double vs_tp[BENCH_KIND_MAX][MAX_ROUNDS], tp[MAX_ROUNDS];
	static double vs_plain[BENCH_KIND_MAX][MAX_ROUNDS];
	const uint32_t rounds = o->rounds ? o->rounds : 1;
	struct result first[BENCH_KIND_MAX];
	bool ok[BENCH_KIND_MAX];
	int n = 0;

	for (int k = 0; k < BENCH_KIND_MAX; k++)
		ok[k] = true;
	for (uint32_t round = 0; round < rounds; round++) {
		double raw = 0;

		for (int k = 0; k < BENCH_KIND_MAX; k++) {
			struct result r;

			if (!o->kinds[k])
				continue;
			/* Latency once, in the first round. */
			if (measure(o, k, len, burst, round == 0, &r) != 0)
				return -1;
			if (round == 0)
				first[k] = r;
			ok[k] = ok[k] && r.ok;
			mpps[k][round] = r.mpps;
			if (k == BENCH_RAW)
				raw = r.mpps;
		}
		tp[round] = 0;
		if (o->vs_testpmd && testpmd_found) {
			tp[round] = testpmd_mpps(ea, ea->hugepages || !ea->defaults,
						 o->frames ? 1 : o->duration, len, burst);
			if (tp[round] < 0) {
				fprintf(stderr, "dot11tx-bench: testpmd gave no rate "
					"(only --vdev ports are supported)\n");
				tp[round] = 0;
			}
		}
		for (int k = 0; k < BENCH_KIND_MAX; k++) {
			const enum bench_kind plain = bench_plain_kind((enum bench_kind)k);

			vs_raw[k][round] = raw > 0 ? mpps[k][round] / raw : 0;
			vs_tp[k][round] = tp[round] > 0 ? mpps[k][round] / tp[round] : 0;
			vs_plain[k][round] = plain != (enum bench_kind)k && o->kinds[plain] &&
				mpps[plain][round] > 0 ? mpps[k][round] / mpps[plain][round] : 0;
		}
		if (rounds > 1 && !o->quiet)
			fprintf(stderr, "dot11tx-bench: len %u burst %u: round %u of %u done\n",
				len, burst, round + 1, rounds);
	}
	const double tp_median = median(tp, rounds);

	for (int k = 0; k < BENCH_KIND_MAX; k++) {
		struct result *r = &out[n];

		if (!o->kinds[k])
			continue;
		*r = first[k];
		r->rounds = rounds;
		r->ok = ok[k];
		r->mpps = median(mpps[k], rounds);    /* sorted: min first */
		r->mpps_min = mpps[k][0];
		r->mpps_max = mpps[k][rounds - 1];
		r->ratio_vs_raw = median(vs_raw[k], rounds);
		r->testpmd_mpps = tp_median;
		r->ratio_vs_testpmd = median(vs_tp[k], rounds);
		r->ratio_vs_plain = median(vs_plain[k], rounds);
		*all_ok = *all_ok && r->ok;
		if (!o->json)
			print_line(r);
		else if (!o->quiet)
			fprintf(stderr, "dot11tx-bench: %s len %u burst %u: %.2f Mpps\n",
				bench_kind_name(k), len, burst, r->mpps);
		n++;
	}
	*nb += n;
	return 0;
}

int
main(int argc, char **argv)
{
	static const char *const default_vdevs[] = { "net_null0", NULL };
	static struct result results[MAX_POINTS * MAX_POINTS * BENCH_KIND_MAX];
	struct eal_args ea;
	struct options o;
	char cmd[PATH_MAX + 64];
	bool all_ok = true, testpmd_found;
	int nb = 0, ret = 0;

	if (eal_args_build(&ea, argc, argv, default_vdevs) != 0 ||
	    parse_options(ea.app_argc, ea.app_argv, &o) != 0) {
		eal_args_free(&ea);
		return 2;
	}
	if (rte_eal_init(ea.eal_argc, ea.eal_argv) < 0) {
		fprintf(stderr, "dot11tx-bench: EAL init failed: %s\n",
			rte_strerror(rte_errno));
		eal_args_free(&ea);
		return 2;
	}
	bench_set_queue_flags((o.refcnt ? D11TX_QF_REFCNT_RECLAIM : 0) |
			      (o.no_validate ? D11TX_QF_NO_VALIDATE : 0));
	if (o.check_alloc && d11tx_alloc_probe_counts == NULL) {
		fprintf(stderr, "dot11tx-bench: --check-alloc needs the probe: "
			"LD_PRELOAD=<build>/bench/alloc_probe.so\n");
		ret = 2;
		goto out;
	}
	if (!rte_eth_dev_is_valid_port(o.port)) {
		fprintf(stderr, "dot11tx-bench: no DPDK port %u (give one with --vdev=...)\n",
			o.port);
		ret = 2;
		goto out;
	}
	if (!o.quiet)
		fprintf(stderr, "dot11tx-bench: port %u, %s, %.2f s per point\n", o.port,
			ea.defaults ? (ea.hugepages ? "hugepages" : "--no-huge (no free hugepages)")
				    : "EAL options as given", o.duration);
	snprintf(cmd, sizeof(cmd), "command -v '%s' >/dev/null 2>&1", testpmd_program());
	testpmd_found = system(cmd) == 0;
	if (o.vs_testpmd && !testpmd_found)
		fprintf(stderr, "dot11tx-bench: %s not found (apt-get install dpdk-dev, "
			"or set D11TX_TESTPMD): skipping --vs-testpmd\n", testpmd_program());
	for (int s = 0; s < o.nb_sizes && ret == 0; s++)
		for (int bi = 0; bi < o.nb_bursts && ret == 0; bi++)
			if (run_point(&o, &ea, testpmd_found, o.sizes[s], o.bursts[bi],
				      &results[nb], &nb, &all_ok) != 0)
				ret = 2;
	if (ret == 0 && o.json)
		print_json(results, nb);
	if (ret == 0 && !all_ok)
		ret = 1;
out:
	rte_eal_cleanup();
	eal_args_free(&ea);
	return ret;
}
