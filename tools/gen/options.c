/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * dot11tx-gen's options (see options.h): apart from main.c, without the
 * EAL, so that the fuzzer (tests/fuzz/fuzz_gen_cli.c) can call the parser
 * over and over.
 */

#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <rte_config.h>

#include "parse.h"
#include "options.h"

#define PROG GEN_PROG

enum {
	OPT_LOOP = 256, OPT_RENUMBER, OPT_RADIOTAP, OPT_RT_RATE, OPT_NO_VALIDATE,
	OPT_SEED, OPT_DA, OPT_SA, OPT_BSSID, OPT_SSID, OPT_TID, OPT_FROM_DS,
	OPT_REPLAY, OPT_REPLAY_SPEED, OPT_MAX_BURST, OPT_SPREAD, OPT_STATS_FILE,
	OPT_START_AT, OPT_PROMETHEUS, OPT_PROMETHEUS_BIND, OPT_PLOT,
	OPT_RT_MCS, OPT_NSS, OPT_BW, OPT_GI, OPT_RETRY_LIMIT, OPT_NO_ACK, OPT_RATES,
	OPT_MCS, OPT_RATE_INTERVAL,
};

static const struct option longopts[] = {
	{ "template", required_argument, NULL, 't' },
	{ "hex", required_argument, NULL, 'x' },
	{ "pcap", required_argument, NULL, 'P' },
	{ "loop", no_argument, NULL, OPT_LOOP },
	{ "renumber", no_argument, NULL, OPT_RENUMBER },
	{ "radiotap", no_argument, NULL, OPT_RADIOTAP },
	{ "rt-rate", required_argument, NULL, OPT_RT_RATE },
	{ "rt-mcs", required_argument, NULL, OPT_RT_MCS },
	{ "nss", required_argument, NULL, OPT_NSS },
	{ "bw", required_argument, NULL, OPT_BW },
	{ "gi", required_argument, NULL, OPT_GI },
	{ "retry-limit", required_argument, NULL, OPT_RETRY_LIMIT },
	{ "no-ack", no_argument, NULL, OPT_NO_ACK },
	{ "rates", required_argument, NULL, OPT_RATES },
	{ "mcs", required_argument, NULL, OPT_MCS },
	{ "rate-interval", required_argument, NULL, OPT_RATE_INTERVAL },
	{ "no-validate", no_argument, NULL, OPT_NO_VALIDATE },
	{ "len", required_argument, NULL, 's' },
	{ "sizes", required_argument, NULL, 'S' },
	{ "seed", required_argument, NULL, OPT_SEED },
	{ "da", required_argument, NULL, OPT_DA },
	{ "sa", required_argument, NULL, OPT_SA },
	{ "bssid", required_argument, NULL, OPT_BSSID },
	{ "ssid", required_argument, NULL, OPT_SSID },
	{ "tid", required_argument, NULL, OPT_TID },
	{ "from-ds", no_argument, NULL, OPT_FROM_DS },
	{ "rate", required_argument, NULL, 'R' },
	{ "replay", required_argument, NULL, OPT_REPLAY },
	{ "replay-speed", required_argument, NULL, OPT_REPLAY_SPEED },
	{ "burst", required_argument, NULL, 'b' },
	{ "max-burst", required_argument, NULL, OPT_MAX_BURST },
	{ "count", required_argument, NULL, 'n' },
	{ "duration", required_argument, NULL, 'd' },
	{ "start-at", required_argument, NULL, OPT_START_AT },
	{ "mode", required_argument, NULL, 'm' },
	{ "spread", required_argument, NULL, OPT_SPREAD },
	{ "port", required_argument, NULL, 'p' },
	{ "ring", required_argument, NULL, 'r' },
	{ "json", no_argument, NULL, 'j' },
	{ "quiet", no_argument, NULL, 'q' },
	{ "stats-file", required_argument, NULL, OPT_STATS_FILE },
	{ "prometheus", required_argument, NULL, OPT_PROMETHEUS },
	{ "plot", required_argument, NULL, OPT_PLOT },
	{ "prometheus-bind", required_argument, NULL, OPT_PROMETHEUS_BIND },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};
static const char shortopts[] = ":t:x:P:s:S:R:b:n:d:m:p:r:jqh";

void
gen_usage(const char *prog, FILE *out)
{
	fprintf(out,
"NAME\n"
"    dot11tx-gen - 802.11 traffic generator on DPDK; counts every completion\n"
"\n"
"SYNOPSIS\n"
"    %s [EAL options --] [options]\n"
"\n"
"DESCRIPTION\n"
"    Sends 802.11 frames, built from a template, given in hex or replayed\n"
"    from a capture, through dot11tx queues of one DPDK port, at line rate\n"
"    or paced by the TSC, and counts the completion of every accepted\n"
"    frame: it exits 1 unless each came back exactly once. Ctrl-C (SIGINT)\n"
"    or SIGTERM (kill, a remote stop) stops sending; frames in flight still\n"
"    complete before the summary.\n"
"\n"
"    Without EAL options it runs on one core with\n"
"    --vdev=" GEN_DEFAULT_VDEV "\n"
"    (dot11tx's virtual WLAN NIC: 10%% of transmissions unacknowledged, up\n"
"    to two retries; pmd/wlansim/README.md), in memory, on hugepages when\n"
"    free ones are reserved and with --no-huge otherwise. Other ports come\n"
"    with EAL options: net_wlansim, net_null, net_pcap (tx_pcap=FILE),\n"
"    net_af_packet (iface=IF), NICs.\n"
"\n"
"    With several lcores (-l 0,1,2), the main lcore shows the live view and\n"
"    each other lcore sends on a TX queue of its own, worker i on queue i,\n"
"    from a frame source of its own; the port needs as many TX queues\n"
"    (net_wlansim: queues=4). With one lcore, it sends and shows the view.\n"
"\n"
"OPTIONS\n"
"  Frame source (default: the data template, 64 bytes)\n"
"    -t, --template NAME   beacon, probe-req, probe-resp, qos-data, data,\n"
"                          null, rts, cts, ack, deauth. data and qos-data\n"
"                          carry LLC/SNAP and IPv4/UDP, To-DS by default\n"
"    -x, --hex HEX         this frame, in hex (spaces and ':' allowed)\n"
"    -P, --pcap FILE       replay a capture: link type 105 (802.11), 127\n"
"                          (radiotap, stripped) or 119 (prism)\n"
"        --loop            replay: start again after the last frame\n"
"        --renumber        replay: new sequence numbers (default: as\n"
"                          captured)\n"
"        --radiotap        a radiotap TX header in front of every frame,\n"
"                          for injection ports (net_wlansim radiotap=1, a\n"
"                          monitor interface through net_af_packet); a\n"
"                          replay keeps the capture's own. The engine does\n"
"                          not check frames behind it (as --no-validate)\n"
"        --rt-rate MBIT    radiotap Rate field: 1, 5.5, 54... (default none)\n"
"        --no-validate     send frames the engine would refuse as malformed\n"
"                          802.11 (queue flag D11TX_QF_NO_VALIDATE)\n"
"\n"
"  Per-frame TX parameters (the port's defaults without them)\n"
"    They go with each frame as TX parameters (docs/ARCHITECTURE.md), to\n"
"    a port that reads them (net_wlansim); with --radiotap, for injection\n"
"    ports, also in a radiotap header per frame, which the engine writes\n"
"        --rt-mcs N        HT MCS N (0..31), or VHT MCS (0..9) with --nss\n"
"        --nss N           VHT: N spatial streams (1..8)\n"
"        --bw MHZ          20 (default), 40; VHT also 80, 160\n"
"        --gi long|short   guard interval, 800 (default) or 400 ns\n"
"        --retry-limit N   retransmissions after the first, 0..15 (default:\n"
"                          the port's)\n"
"        --no-ack          send each frame once, awaiting no ACK\n"
"        --rates LIST      sweep legacy rates in Mbit/s: 6,12,24,54 (1, 2,\n"
"                          5.5, 11, 6, 9, 12, 18, 24, 36, 48, 54; 16 at most)\n"
"        --mcs LIST        sweep MCS: 0-7 or 0,3,7 (HT, or VHT with --nss)\n"
"        --rate-interval S a sweep moves on every S seconds (default: every\n"
"                          frame); the summary, JSON and CSV give figures\n"
"                          per rate\n"
"\n"
"  Sizes and addresses\n"
"    -s, --len N           frame length: the MPDU without FCS or radiotap,\n"
"                          10..7991 (default: the template's own; data: 64)\n"
"    -S, --sizes LIST|LO-HI\n"
"                          lengths in turn (64,512,1500) or drawn uniformly\n"
"                          from a range (64-1500). rts, cts, ack, null and\n"
"                          deauth keep their size; the others are padded\n"
"        --seed N          seed of the drawn lengths (default 1)\n"
"        --da MAC          destination (default ff:ff:ff:ff:ff:ff)\n"
"        --sa MAC          own address (default 02:00:00:00:00:02)\n"
"        --bssid MAC       BSSID (default 02:00:00:00:00:01)\n"
"        --ssid SSID       up to 32 bytes (default dot11tx)\n"
"        --tid N           qos-data TID, 0..7 (default 0)\n"
"        --from-ds         data frames from the AP rather than to it\n"
"\n"
"  Pacing\n"
"    -R, --rate RATE       line (the default: as fast as the port takes\n"
"                          them), or a total over all queues: N pps, kpps,\n"
"                          Mpps, or N bps, kbps, Mbps, Gbps. A bit rate\n"
"                          counts each frame as its length * 8, the bytes\n"
"                          handed to the port (radiotap included; no\n"
"                          preamble, FCS or gaps). A replay with --rate\n"
"                          ignores the capture's timing\n"
"        --replay original replay at the capture's timing (the default)\n"
"        --replay-speed X  replay at X times the capture's speed (0.5: half)\n"
"    -b, --burst N         frames per submit and per tx_burst, 1..512\n"
"                          (default 32)\n"
"        --max-burst N     paced: most frames sent at once, also catching\n"
"                          up after a stall (default: --burst); credit\n"
"                          beyond %d ms of traffic is forgotten\n"
"\n"
"  Run and scale\n"
"    -n, --count N         frames in all, split across the queues (default\n"
"                          %llu; no limit with --duration or --pcap)\n"
"    -d, --duration S      stop sending after S seconds (with --count, or a\n"
"                          capture without --loop: whichever ends first)\n"
"        --start-at TIME   set up, then wait and send the first frame at TIME\n"
"                          (CLOCK_REALTIME: seconds since the epoch, or ISO\n"
"                          8601 with its zone, 2026-12-06T19:30:00Z); the\n"
"                          summary gives the measured start skew. Hosts whose\n"
"                          clocks agree (PTP, NTP) start together, and with\n"
"                          --duration end together\n"
"    -m, --mode MODE       engine: engine-owned buffers, written in place\n"
"                          (default); app: app-owned slots in registered\n"
"                          memory, sent zero-copy\n"
"        --spread HOW      rr: every queue sends the stream (a replay: its\n"
"                          share, frames i, i+N, ...; the default); ac:\n"
"                          queue i is an access category (VO 0, VI 1, BE 2,\n"
"                          BK 3; 4 queues at most) and sends qos-data with\n"
"                          TID 6, 5, 0, 1, or the capture's frames of that\n"
"                          category (non-QoS: BE)\n"
"    -p, --port ID         DPDK port (default 0)\n"
"    -r, --ring N          frames in flight at most, per queue (default 4096)\n"
"\n"
"  Output\n"
"    -q, --quiet           no live view. The live view is a line a second\n"
"                          on stderr: elapsed time, tx pps and bit/s,\n"
"                          completions/s, in flight, refused, ack/noack\n"
"                          where the port reports them, and completion\n"
"                          latency (submit to callback) p50/p99\n"
"    -j, --json            one JSON object instead of the summary line\n"
"        --stats-file FILE the live view's figures as CSV: a header, then a\n"
"                          row a second (with --quiet too)\n"
"        --plot FILE       at the end, draw the run (rates, refused and\n"
"                          backpressure, latency p50/p99 a second) into FILE,\n"
"                          .svg or .png, with dot11tx-plot (python3-matplotlib)\n"
"        --prometheus PORT serve the telemetry figures as Prometheus metrics\n"
"                          at http://127.0.0.1:PORT/metrics while it runs\n"
"                          (DPDK 24.07+ can use dpdk-telemetry-exporter.py\n"
"                          with tools/telemetry/dot11tx.py instead: same\n"
"                          names)\n"
"        --prometheus-bind ADDR  listen on ADDR instead (0.0.0.0 or :: for\n"
"                          every interface)\n"
"    -h, --help            this text\n"
"\n"
"TELEMETRY\n"
"    While it runs, DPDK telemetry answers /dot11tx/stats (totals),\n"
"    /dot11tx/queues (per queue; /dot11tx/queues,Q for one) and\n"
"    /dot11tx/info. Connect with dpdk-telemetry.py -f PREFIX: the EAL file\n"
"    prefix, printed at start (with the default EAL options\n"
"    dot11tx-gen-PID; else --file-prefix, default rte).\n"
"\n"
"EXAMPLES\n"
"    Beacons at 10 per second for 5 s on the default port:\n"
"        dot11tx-gen -- -d 5 -t beacon --ssid lab -R 10pps\n"
"    Four access categories on four lcores, a CSV for plotting:\n"
"        dot11tx-gen -l 0-4 --in-memory --no-pci \\\n"
"            --vdev=net_wlansim0,queues=4 -- \\\n"
"            -d 10 --spread ac -R 40kpps --stats-file run.csv\n"
"    A capture replayed twice as fast into another capture:\n"
"        dot11tx-gen -l 0 --in-memory --no-pci \\\n"
"            --vdev=net_pcap0,tx_pcap=out.pcap -- -P in.pcap --replay-speed 2\n"
"    A rate sweep on the simulated radio, figures per rate in the CSV:\n"
"        dot11tx-gen -- -d 10 --len 1500 --rates 6,12,24,54 \\\n"
"            --stats-file sweep.csv\n"
"    1 Mbit/s with radiotap into a monitor interface:\n"
"        dot11tx-gen -l 0 --in-memory --vdev=net_af_packet0,iface=mon0 -- \\\n"
"            -R 1Mbps --radiotap\n"
"\n"
"EXIT STATUS\n"
"    0 when every accepted frame completed exactly once (interrupted runs\n"
"    too), 1 when not, 2 on bad options, a frame source that cannot be\n"
"    read, or set-up errors.\n",
		prog, GEN_PACE_CATCHUP_MS, GEN_DEFAULT_COUNT);
}

/* One readable line per bad option. */
static int __attribute__((format(printf, 1, 2)))
bad(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, PROG ": ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, " (see --help)\n");
	return -1;
}

static int
parse_mac_opt(const char *name, const char *s, uint8_t mac[6])
{
	if (tool_parse_mac(s, mac) != 0)
		return bad("--%s: '%s' is not a MAC address (aa:bb:cc:dd:ee:ff)", name, s);
	return 0;
}

/* What the parse has seen so far, for the checks of combinations. */
struct parse_state {
	bool sizes_given;
	bool replay_given;
	bool source_given;
	bool prom_bind_given;
	/* Per-frame TX parameters, put together in check_txp(). */
	uint8_t legacy[GEN_MAX_RATES];   /* --rates, 500 kbit/s */
	uint8_t mcs[GEN_MAX_RATES];      /* --mcs, --rt-mcs */
	unsigned int nb_legacy, nb_mcs;
	const char *mcs_opt;             /* which gave the MCS */
	uint8_t nss, bw, short_gi;
	bool bw_given, gi_given;
	uint8_t flags, retry_limit;
};

/* Not an option of this group: the next group's. */
#define NOT_MINE 2

/* The defaults: a 64-byte data frame template, To-DS, at line rate. */
static void
options_defaults(struct gen_options *o)
{
	struct gen_source_conf *s = &o->src;

	*o = (struct gen_options){
		.count = GEN_DEFAULT_COUNT, .burst = 32, .ring = 4096,
		.rate = { .unit = GEN_RATE_LINE }, .replay_speed = 1,
		.prom_bind = "127.0.0.1",
	};
	s->kind = GEN_SRC_TEMPLATE;
	s->tmpl = GEN_T_DATA;
	s->to_ds = true;
	s->seed = 1;
	memset(s->da, 0xff, 6);
	memcpy(s->sa, (const uint8_t[]){ 2, 0, 0, 0, 0, 2 }, 6);
	memcpy(s->bssid, (const uint8_t[]){ 2, 0, 0, 0, 0, 1 }, 6);
	snprintf(s->ssid, sizeof(s->ssid), "dot11tx");
}

/* Frames: their source, sizes and addresses. 0, -1 (said why), or
 * NOT_MINE. */
static int
source_option(int c, struct gen_options *o, struct parse_state *st)
{
	struct gen_source_conf *s = &o->src;
	char err[256];
	uint64_t v;
	char *end;
	double d;

	switch (c) {
	case 't': {
		const int t = gen_template_by_name(optarg);

		if (t < 0)
			return bad("--template: no template '%s' (beacon, probe-req, "
				   "probe-resp, qos-data, data, null, rts, cts, ack, deauth)",
				   optarg);
		if (st->source_given && (s->kind != GEN_SRC_TEMPLATE || o->template_given))
			return bad("--template: one frame source at most");
		s->kind = GEN_SRC_TEMPLATE;
		s->tmpl = (enum gen_template)t;
		o->template_given = st->source_given = true;
		break;
	}
	case 'x':
		if (st->source_given)
			return bad("--hex: one frame source at most");
		s->kind = GEN_SRC_HEX;
		s->hex = optarg;
		st->source_given = true;
		break;
	case 'P':
		if (st->source_given)
			return bad("--pcap: one frame source at most");
		s->kind = GEN_SRC_PCAP;
		s->pcap_path = optarg;
		st->source_given = true;
		break;
	case OPT_LOOP:
		s->loop = true;
		break;
	case OPT_RENUMBER:
		s->assign_seq = true;
		break;
	case OPT_RADIOTAP:
		s->radiotap = true;
		break;
	case OPT_RT_RATE:
		d = strtod(optarg, &end);
		if (*end != '\0' || !(d >= 0.5) || d > 127.5 ||
		    fabs(d * 2 - round(d * 2)) > 1e-9)
			return bad("--rt-rate: '%s' is not a legacy rate in Mbit/s "
				   "(0.5..127.5, in steps of 0.5)", optarg);
		s->rt_rate_500k = (uint8_t)lround(d * 2);
		s->radiotap = true;
		break;
	case OPT_NO_VALIDATE:
		o->no_validate = true;
		break;
	case 's':
	case 'S':
		if (st->sizes_given)
			return bad("--len and --sizes: one of them, once");
		if (gen_sizes_parse(optarg, &s->sizes, err, sizeof(err)) != 0)
			return bad("--%s: %s", c == 's' ? "len" : "sizes", err);
		if (c == 's' && (s->sizes.nb != 1 || s->sizes.range))
			return bad("--len: '%s' is not one length (--sizes takes lists "
				   "and ranges)", optarg);
		st->sizes_given = true;
		break;
	case OPT_SEED:
		if (tool_parse_u64(optarg, 0, UINT64_MAX, &s->seed) != 0)
			return bad("--seed: '%s' is not a number", optarg);
		break;
	case OPT_DA:
		if (parse_mac_opt("da", optarg, s->da) != 0)
			return -1;
		break;
	case OPT_SA:
		if (parse_mac_opt("sa", optarg, s->sa) != 0)
			return -1;
		break;
	case OPT_BSSID:
		if (parse_mac_opt("bssid", optarg, s->bssid) != 0)
			return -1;
		break;
	case OPT_SSID:
		if (strlen(optarg) > 32)
			return bad("--ssid: '%s' is longer than 32 bytes", optarg);
		snprintf(s->ssid, sizeof(s->ssid), "%s", optarg);
		break;
	case OPT_TID:
		if (tool_parse_u64(optarg, 0, 7, &v) != 0)
			return bad("--tid: '%s' is not a TID (0..7)", optarg);
		s->tid = (int8_t)v;
		o->tid_given = true;
		break;
	case OPT_FROM_DS:
		s->to_ds = false;
		break;
	default:
		return NOT_MINE;
	}
	return 0;
}

/* A list of MCS (0-7, 0,3,7, or both: 0-3,7) into st->mcs. */
static int
parse_mcs_list(const char *opt, const char *arg, struct parse_state *st)
{
	const char *p = arg;

	st->nb_mcs = 0;
	st->mcs_opt = opt;
	while (*p != '\0') {
		char *end;
		const unsigned long lo = strtoul(p, &end, 10);
		unsigned long hi = lo;

		if (end == p || lo > 31)
			return bad("--%s: '%s' is not a list of MCS indexes (0-7, 0,3,7; "
				   "0..31 HT, 0..9 VHT)", opt, arg);
		p = end;
		if (*p == '-') {
			hi = strtoul(p + 1, &end, 10);
			if (end == p + 1 || hi < lo || hi > 31)
				return bad("--%s: '%s': a range goes up (0-7)", opt, arg);
			p = end;
		}
		for (unsigned long m = lo; m <= hi; m++) {
			if (st->nb_mcs == GEN_MAX_RATES)
				return bad("--%s: %d rates at most", opt, GEN_MAX_RATES);
			st->mcs[st->nb_mcs++] = (uint8_t)m;
		}
		if (*p == ',' && p[1] != '\0')
			p++;
		else if (*p != '\0')
			return bad("--%s: '%s' is not a list of MCS indexes", opt, arg);
	}
	return st->nb_mcs != 0 ? 0 : bad("--%s: give at least one MCS", opt);
}

/* Per-frame TX parameters. 0, -1 (said why), or NOT_MINE. */
static int
txp_option(int c, struct gen_options *o, struct parse_state *st)
{
	const char *p;
	uint64_t v;
	char *end;
	double d;

	switch (c) {
	case OPT_RT_MCS:
		return parse_mcs_list("rt-mcs", optarg, st) != 0 ? -1 :
			st->nb_mcs == 1 ? 0 : bad("--rt-mcs: one MCS (--mcs for a sweep)");
	case OPT_MCS:
		return parse_mcs_list("mcs", optarg, st);
	case OPT_NSS:
		if (tool_parse_u64(optarg, 1, 8, &v) != 0)
			return bad("--nss: '%s' is not 1..8 spatial streams", optarg);
		st->nss = (uint8_t)v;
		break;
	case OPT_BW:
		if (tool_parse_u64(optarg, 20, 160, &v) != 0 ||
		    (v != 20 && v != 40 && v != 80 && v != 160))
			return bad("--bw: '%s' is not 20, 40, 80 or 160 (MHz)", optarg);
		st->bw = v == 20 ? D11TX_BW_20 : v == 40 ? D11TX_BW_40 :
			 v == 80 ? D11TX_BW_80 : D11TX_BW_160;
		st->bw_given = true;
		break;
	case OPT_GI:
		if (strcmp(optarg, "long") == 0 || strcmp(optarg, "800") == 0)
			st->short_gi = 0;
		else if (strcmp(optarg, "short") == 0 || strcmp(optarg, "400") == 0)
			st->short_gi = 1;
		else
			return bad("--gi: '%s' is not long (800 ns) or short (400 ns)", optarg);
		st->gi_given = true;
		break;
	case OPT_RETRY_LIMIT:
		if (tool_parse_u64(optarg, 0, D11TX_TX_MAX_RETRY_LIMIT, &v) != 0)
			return bad("--retry-limit: '%s' is not 0..%d retransmissions", optarg,
				   D11TX_TX_MAX_RETRY_LIMIT);
		st->flags |= D11TX_TXP_RETRY_LIMIT;
		st->retry_limit = (uint8_t)v;
		break;
	case OPT_NO_ACK:
		st->flags |= D11TX_TXP_NO_ACK;
		break;
	case OPT_RATES:
		st->nb_legacy = 0;
		for (p = optarg; *p != '\0';) {
			const struct d11tx_tx_rate r = { .phy = D11TX_PHY_LEGACY };

			d = strtod(p, &end);
			if (end == p || !(d > 0) || d > 54 || fabs(d * 2 - round(d * 2)) > 1e-9)
				return bad("--rates: '%s' is not a list of legacy rates in Mbit/s "
					   "(1, 2, 5.5, 11, 6, 9, 12, 18, 24, 36, 48, 54)", optarg);
			if (st->nb_legacy == GEN_MAX_RATES)
				return bad("--rates: %d rates at most", GEN_MAX_RATES);
			st->legacy[st->nb_legacy] = (uint8_t)lround(d * 2);
			if (d11tx_tx_rate_check(&(struct d11tx_tx_rate){ .phy = r.phy,
					.rate = st->legacy[st->nb_legacy] }) != 0)
				return bad("--rates: %g Mbit/s is no 802.11 rate (1, 2, 5.5, 11, "
					   "6, 9, 12, 18, 24, 36, 48, 54)", d);
			st->nb_legacy++;
			p = end;
			if (*p == ',' && p[1] != '\0')
				p++;
			else if (*p != '\0')
				return bad("--rates: '%s' is not a list of rates (6,12,24,54)",
					   optarg);
		}
		break;
	case OPT_RATE_INTERVAL:
		o->txp.interval = strtod(optarg, &end);
		if (*end != '\0' || !(o->txp.interval > 0) || o->txp.interval > 1e6)
			return bad("--rate-interval: '%s' is not a number of seconds", optarg);
		break;
	default:
		return NOT_MINE;
	}
	return 0;
}

/* The TX parameter options together: the sets of o->txp, or with
 * --radiotap the source's header. 0 or -1 (said why). */
static int
check_txp(struct gen_options *o, const struct parse_state *st)
{
	struct gen_txp *t = &o->txp;
	const bool vht = st->nss != 0;

	if (st->nb_legacy != 0 && st->nb_mcs != 0)
		return bad("--rates and --%s: legacy rates or MCS, not both", st->mcs_opt);
	if (st->nb_mcs == 0 && (st->nss != 0 || st->bw_given || st->gi_given))
		return bad("--nss, --bw and --gi: with --rt-mcs or --mcs");
	if (st->nb_legacy != 0 && o->src.rt_rate_500k != 0)
		return bad("--rates and --rt-rate: one way to give the rate");
	if (st->nb_mcs != 0 && o->src.rt_rate_500k != 0)
		return bad("--%s and --rt-rate: one way to give the rate", st->mcs_opt);
	if ((st->flags & D11TX_TXP_NO_ACK) && (st->flags & D11TX_TXP_RETRY_LIMIT))
		return bad("--no-ack and --retry-limit: a frame without ACK is sent once");
	t->nb_sets = st->nb_legacy + st->nb_mcs;
	for (unsigned int i = 0; i < t->nb_sets; i++) {
		struct d11tx_tx_params *p = &t->sets[i];

		*p = (struct d11tx_tx_params){ .flags = st->flags,
					       .retry_limit = st->retry_limit };
		if (st->nb_legacy != 0)
			p->rate = (struct d11tx_tx_rate){ .phy = D11TX_PHY_LEGACY,
							  .rate = st->legacy[i] };
		else
			p->rate = (struct d11tx_tx_rate){
				.phy = vht ? D11TX_PHY_VHT : D11TX_PHY_HT,
				.rate = st->mcs[i], .nss = st->nss, .bw = st->bw,
				.short_gi = st->short_gi };
		if (d11tx_tx_rate_check(&p->rate) != 0) {
			if (!vht && (st->mcs[i] > 31 || st->bw > D11TX_BW_40))
				return bad("--%s %u: HT has MCS 0..31 at 20 or 40 MHz "
					   "(--nss N for VHT)", st->mcs_opt, st->mcs[i]);
			return bad("--%s %u: VHT MCS %u with %u stream%s at %s MHz is not "
				   "an 802.11ac rate", st->mcs_opt, st->mcs[i], st->mcs[i],
				   st->nss, st->nss == 1 ? "" : "s",
				   (const char *[]){ "20", "40", "80", "160" }[st->bw]);
		}
	}
	if (t->nb_sets == 0 && st->flags != 0) {
		/* Retry limit or no-ACK alone: one set, the port's rate. */
		t->nb_sets = 1;
		t->sets[0] = (struct d11tx_tx_params){ .flags = st->flags,
						       .retry_limit = st->retry_limit };
	}
	if (t->interval > 0 && t->nb_sets < 2)
		return bad("--rate-interval: with a sweep (--rates or --mcs of two or more)");
	if (t->nb_sets != 0 && o->src.radiotap) {
		/* The engine writes each set's radiotap header in front of the
		 * frame; the source writes none. A replay's own header would
		 * then come twice. */
		if (o->src.kind == GEN_SRC_PCAP)
			return bad("--radiotap with a replay and TX parameters: the "
				   "capture's radiotap header would come twice");
		t->radiotap = true;
		o->src.radiotap = false;
	}
	return 0;
}

/* Pacing, scale, the port and the output. 0, -1 (said why), or
 * NOT_MINE. */
static int
run_option(int c, struct gen_options *o, struct parse_state *st)
{
	uint64_t v;
	char *end;
	double d;

	switch (c) {
	case 'R':
		if (gen_rate_parse(optarg, &o->rate) != 0)
			return bad("--rate: '%s' is not a rate (line, or a number with pps, "
				   "kpps, Mpps, bps, kbps, Mbps or Gbps)", optarg);
		o->rate_given = true;
		break;
	case OPT_REPLAY:
		if (strcmp(optarg, "original") != 0)
			return bad("--replay: '%s' is not a timing (original; --replay-speed X "
				   "for a multiple, --rate for a fixed rate)", optarg);
		st->replay_given = true;
		break;
	case OPT_REPLAY_SPEED:
		d = strtod(optarg, &end);
		if (*end != '\0' || !(d >= 1e-3) || d > 1e6)
			return bad("--replay-speed: '%s' is not a factor (0.001..1000000)",
				   optarg);
		o->replay_speed = d;
		st->replay_given = true;
		break;
	case 'b':
		if (tool_parse_u64(optarg, 1, GEN_MAX_BURST, &v) != 0)
			return bad("--burst: '%s' is not 1..%d", optarg, GEN_MAX_BURST);
		o->burst = (uint16_t)v;
		break;
	case OPT_MAX_BURST:
		if (tool_parse_u64(optarg, 1, GEN_MAX_BURST, &v) != 0)
			return bad("--max-burst: '%s' is not 1..%d", optarg, GEN_MAX_BURST);
		o->max_burst = (uint16_t)v;
		break;
	case 'n':
		if (tool_parse_u64(optarg, 1, UINT64_MAX / 2, &o->count) != 0)
			return bad("--count: '%s' is not a frame count", optarg);
		o->count_given = true;
		break;
	case 'd':
		o->duration = strtod(optarg, &end);
		if (*end != '\0' || !(o->duration > 0) || o->duration > 1e7)
			return bad("--duration: '%s' is not a number of seconds", optarg);
		break;
	case 'm':
		if (strcmp(optarg, "engine") == 0)
			o->mode = GEN_MODE_ENGINE;
		else if (strcmp(optarg, "app") == 0)
			o->mode = GEN_MODE_APP;
		else
			return bad("--mode: '%s' is not engine or app", optarg);
		break;
	case OPT_SPREAD:
		if (strcmp(optarg, "rr") == 0)
			o->spread = GEN_SPREAD_RR;
		else if (strcmp(optarg, "ac") == 0)
			o->spread = GEN_SPREAD_AC;
		else
			return bad("--spread: '%s' is not rr or ac", optarg);
		break;
	case 'p':
		if (tool_parse_u64(optarg, 0, RTE_MAX_ETHPORTS - 1, &v) != 0)
			return bad("--port: '%s' is not a port id (0..%d)", optarg,
				   RTE_MAX_ETHPORTS - 1);
		o->port = (uint16_t)v;
		break;
	case 'r':
		if (tool_parse_u64(optarg, 1, 1u << 20, &v) != 0)
			return bad("--ring: '%s' is not 1..%u", optarg, 1u << 20);
		o->ring = (uint32_t)v;
		break;
	case 'j':
		o->json = true;
		break;
	case 'q':
		o->quiet = true;
		break;
	case OPT_STATS_FILE:
		o->stats_file = optarg;
		break;
	case OPT_PROMETHEUS:
		if (tool_parse_u64(optarg, 1, 65535, &v) != 0)
			return bad("--prometheus: '%s' is not a TCP port (1..65535)", optarg);
		o->prom_port = (uint16_t)v;
		break;
	case OPT_PLOT: {
		const char *dot = strrchr(optarg, '.');

		if (dot == NULL || (strcasecmp(dot, ".svg") != 0 && strcasecmp(dot, ".png") != 0))
			return bad("--plot: '%s': give a .svg or .png file", optarg);
		o->plot = optarg;
		break;
	}
	case OPT_PROMETHEUS_BIND:
		o->prom_bind = optarg;
		st->prom_bind_given = true;
		break;
	case OPT_START_AT:
		if (tool_parse_time(optarg, &o->start_at) != 0)
			return bad("--start-at: '%s' is not a time: seconds since the epoch "
				   "(1796585400.5) or ISO 8601 with its zone "
				   "(2026-12-06T19:30:00Z, ...+01:00)", optarg);
		o->start_at_given = true;
		break;
	default:
		return NOT_MINE;
	}
	return 0;
}

/* The options together: what goes with what, and the defaults that
 * depend on others. 0 or -1 (said why). */
static int
check_combinations(struct gen_options *o, const struct parse_state *st)
{
	struct gen_source_conf *s = &o->src;

	if (s->kind != GEN_SRC_PCAP) {
		if (s->loop)
			return bad("--loop: only with --pcap");
		if (s->assign_seq)
			return bad("--renumber: only with --pcap");
		if (st->replay_given)
			return bad("--replay and --replay-speed: only with --pcap");
		s->assign_seq = true;
	} else {
		if (st->sizes_given)
			return bad("--len and --sizes: not with --pcap (frames keep their size)");
		if (st->replay_given && o->rate_given)
			return bad("--replay/--replay-speed and --rate: one timing at most");
	}
	if (s->kind == GEN_SRC_TEMPLATE && !o->template_given && !st->sizes_given) {
		/* The default frame: a 64-byte data frame. */
		s->sizes.nb = 1;
		s->sizes.list[0] = GEN_DEFAULT_LEN;
	}
	if (o->spread == GEN_SPREAD_AC) {
		if (s->kind == GEN_SRC_HEX ||
		    (s->kind == GEN_SRC_TEMPLATE && o->template_given &&
		     s->tmpl != GEN_T_QOS_DATA))
			return bad("--spread ac: qos-data frames (the default template with "
				   "it) or a capture");
		if (o->tid_given)
			return bad("--spread ac and --tid: the access category picks the TID");
		if (s->kind == GEN_SRC_TEMPLATE)
			s->tmpl = GEN_T_QOS_DATA;
	}
	if (o->tid_given && s->kind == GEN_SRC_TEMPLATE && s->tmpl != GEN_T_QOS_DATA)
		return bad("--tid: only for --template qos-data");
	if (st->prom_bind_given && o->prom_port == 0)
		return bad("--prometheus-bind: give --prometheus PORT too");
	if (o->max_burst == 0)
		o->max_burst = o->burst;
	if (o->duration > 0 && !o->count_given)
		o->count = UINT64_MAX / 2;
	if (s->kind == GEN_SRC_PCAP && !o->count_given)
		o->count = UINT64_MAX / 2;   /* the capture, or --loop forever */
	return 0;
}

int
gen_options_parse(int argc, char **argv, struct gen_options *o)
{
	struct parse_state st = { 0 };
	int c, r;

	options_defaults(o);
	/* 0, not 1: glibc's getopt then starts afresh, forgetting where it
	 * was in a group of short options ("-qZ") when a previous call
	 * stopped there, a pointer into that call's argv. */
	optind = 0;
	opterr = 0;
	while ((c = getopt_long(argc, argv, shortopts, longopts, NULL)) != -1) {
		r = source_option(c, o, &st);
		if (r == NOT_MINE)
			r = run_option(c, o, &st);
		if (r == NOT_MINE)
			r = txp_option(c, o, &st);
		if (r != NOT_MINE) {
			if (r != 0)
				return r;
			continue;
		}
		if (c == 'h')
			return GEN_OPTIONS_HELP;
		if (c == ':')
			return bad("option '%s' needs a value", argv[optind - 1]);
		if (optopt != 0)
			return bad("unknown option '-%c'", optopt);
		return bad("unknown option '%s'", argv[optind - 1]);
	}
	if (tool_no_extra_args(PROG, argc, argv, optind) != 0)
		return -1;
	if (check_txp(o, &st) != 0)
		return -1;
	return check_combinations(o, &st);
}
