/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * dot11tx-gen: the lab traffic generator of dot11tx. Sends 802.11 frames
 * (templates, hex, pcap replay) through dot11tx queues of one DPDK port,
 * paced or at line rate, on one or more lcores, and counts the completion
 * of every frame. Usage: dot11tx-gen [EAL args] -- [options]; see --help.
 */

#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <limits.h>
#include <math.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

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
#include "gen.h"

_Static_assert(GEN_NB_STATUS == D11TX_STATUS_MAX, "stats.h: statuses");
_Static_assert(GEN_ST_ACKED == D11TX_STATUS_ACKED && GEN_ST_NOACK == D11TX_STATUS_NOACK,
	       "stats.h: statuses");

#define PROG "dot11tx-gen"
#define DEFAULT_COUNT 10000000ull
#define DEFAULT_LEN 64
/* The embedded default port: net_wlansim with a lossy link, so that the
 * summary shows what a WLAN port reports (ACKs, no-ACKs, retries). */
#define DEFAULT_VDEV "net_wlansim0,ack_loss=0.1,retry_limit=2"
/* Frame room of a buffer or slot for a replay; longer frames are skipped. */
#define PCAP_ROOM 8192
#define MIN_ROOM 2048

enum {
	OPT_LOOP = 256, OPT_RENUMBER, OPT_RADIOTAP, OPT_RT_RATE, OPT_NO_VALIDATE,
	OPT_SEED, OPT_DA, OPT_SA, OPT_BSSID, OPT_SSID, OPT_TID, OPT_FROM_DS,
	OPT_REPLAY, OPT_REPLAY_SPEED, OPT_MAX_BURST, OPT_SPREAD, OPT_STATS_FILE,
};

static const struct option longopts[] = {
	{ "template", required_argument, NULL, 't' },
	{ "hex", required_argument, NULL, 'x' },
	{ "pcap", required_argument, NULL, 'P' },
	{ "loop", no_argument, NULL, OPT_LOOP },
	{ "renumber", no_argument, NULL, OPT_RENUMBER },
	{ "radiotap", no_argument, NULL, OPT_RADIOTAP },
	{ "rt-rate", required_argument, NULL, OPT_RT_RATE },
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
	{ "mode", required_argument, NULL, 'm' },
	{ "spread", required_argument, NULL, OPT_SPREAD },
	{ "port", required_argument, NULL, 'p' },
	{ "ring", required_argument, NULL, 'r' },
	{ "json", no_argument, NULL, 'j' },
	{ "quiet", no_argument, NULL, 'q' },
	{ "stats-file", required_argument, NULL, OPT_STATS_FILE },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};
static const char shortopts[] = ":t:x:P:s:S:R:b:n:d:m:p:r:jqh";

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
static FILE *stats_file;
static bool show_ack;
static uint64_t hz, t0;

static void
on_signal(int sig)
{
	(void)sig;
	__atomic_store_n(&gen_interrupted, 1, __ATOMIC_RELAXED);
}

static void
usage(const char *prog, FILE *out)
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
"    frame: it exits 1 unless each came back exactly once. Ctrl-C stops\n"
"    sending; frames in flight still complete before the summary.\n"
"\n"
"    Without EAL options it runs on one core with\n"
"    --vdev=" DEFAULT_VDEV "\n"
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
"    1 Mbit/s with radiotap into a monitor interface:\n"
"        dot11tx-gen -l 0 --in-memory --vdev=net_af_packet0,iface=mon0 -- \\\n"
"            -R 1Mbps --radiotap\n"
"\n"
"EXIT STATUS\n"
"    0 when every accepted frame completed exactly once (interrupted runs\n"
"    too), 1 when not, 2 on bad options, a frame source that cannot be\n"
"    read, or set-up errors.\n",
		prog, GEN_PACE_CATCHUP_MS, DEFAULT_COUNT);
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
	if (gen_mac_parse(s, mac) != 0)
		return bad("--%s: '%s' is not a MAC address (aa:bb:cc:dd:ee:ff)", name, s);
	return 0;
}

static int
parse_options(int argc, char **argv, struct gen_options *o)
{
	struct gen_source_conf *s = &o->src;
	bool sizes_given = false, replay_given = false, source_given = false;
	char err[256];
	uint64_t v;
	char *end;
	double d;
	int c;

	*o = (struct gen_options){
		.count = DEFAULT_COUNT, .burst = 32, .ring = 4096,
		.rate = { .unit = GEN_RATE_LINE }, .replay_speed = 1,
	};
	s->kind = GEN_SRC_TEMPLATE;
	s->tmpl = GEN_T_DATA;
	s->to_ds = true;
	s->seed = 1;
	memset(s->da, 0xff, 6);
	memcpy(s->sa, (const uint8_t[]){ 2, 0, 0, 0, 0, 2 }, 6);
	memcpy(s->bssid, (const uint8_t[]){ 2, 0, 0, 0, 0, 1 }, 6);
	snprintf(s->ssid, sizeof(s->ssid), "dot11tx");

	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, shortopts, longopts, NULL)) != -1) {
		switch (c) {
		case 't': {
			const int t = gen_template_by_name(optarg);

			if (t < 0)
				return bad("--template: no template '%s' (beacon, probe-req, "
					   "probe-resp, qos-data, data, null, rts, cts, ack, deauth)",
					   optarg);
			if (source_given && (s->kind != GEN_SRC_TEMPLATE || o->template_given))
				return bad("--template: one frame source at most");
			s->kind = GEN_SRC_TEMPLATE;
			s->tmpl = (enum gen_template)t;
			o->template_given = source_given = true;
			break;
		}
		case 'x':
			if (source_given)
				return bad("--hex: one frame source at most");
			s->kind = GEN_SRC_HEX;
			s->hex = optarg;
			source_given = true;
			break;
		case 'P':
			if (source_given)
				return bad("--pcap: one frame source at most");
			s->kind = GEN_SRC_PCAP;
			s->pcap_path = optarg;
			source_given = true;
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
			if (sizes_given)
				return bad("--len and --sizes: one of them, once");
			if (gen_sizes_parse(optarg, &s->sizes, err, sizeof(err)) != 0)
				return bad("--%s: %s", c == 's' ? "len" : "sizes", err);
			if (c == 's' && (s->sizes.nb != 1 || s->sizes.range))
				return bad("--len: '%s' is not one length (--sizes takes lists "
					   "and ranges)", optarg);
			sizes_given = true;
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
			replay_given = true;
			break;
		case OPT_REPLAY_SPEED:
			d = strtod(optarg, &end);
			if (*end != '\0' || !(d >= 1e-3) || d > 1e6)
				return bad("--replay-speed: '%s' is not a factor (0.001..1000000)",
					   optarg);
			o->replay_speed = d;
			replay_given = true;
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
		case 'h':
			usage(argv[0], stdout);
			exit(0);
		case ':':
			return bad("option '%s' needs a value", argv[optind - 1]);
		default:
			if (optopt != 0)
				return bad("unknown option '-%c'", optopt);
			return bad("unknown option '%s'", argv[optind - 1]);
		}
	}
	if (tool_no_extra_args(PROG, argc, argv, optind) != 0)
		return -1;

	/* Combinations. */
	if (s->kind != GEN_SRC_PCAP) {
		if (s->loop)
			return bad("--loop: only with --pcap");
		if (s->assign_seq)
			return bad("--renumber: only with --pcap");
		if (replay_given)
			return bad("--replay and --replay-speed: only with --pcap");
		s->assign_seq = true;
	} else {
		if (sizes_given)
			return bad("--len and --sizes: not with --pcap (frames keep their size)");
		if (replay_given && o->rate_given)
			return bad("--replay/--replay-speed and --rate: one timing at most");
	}
	if (s->kind == GEN_SRC_TEMPLATE && !o->template_given && !sizes_given) {
		/* The default frame: a 64-byte data frame. */
		s->sizes.nb = 1;
		s->sizes.list[0] = DEFAULT_LEN;
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
	if (o->max_burst == 0)
		o->max_burst = o->burst;
	if (o->duration > 0 && !o->count_given)
		o->count = UINT64_MAX / 2;
	if (s->kind == GEN_SRC_PCAP && !o->count_given)
		o->count = UINT64_MAX / 2;   /* the capture, or --loop forever */
	return 0;
}

static const char *
port_driver(uint16_t port)
{
	static struct rte_eth_dev_info info;

	if (rte_eth_dev_info_get(port, &info) != 0 || info.driver_name == NULL)
		return "unknown";
	return info.driver_name;
}

/* Several queues: configure the port with one TX queue per worker, as
 * D11TX_QF_CONFIGURE_PORT does for one (MULTI_SEGS where offered, never
 * fast free), and start it. */
static int
configure_port(uint16_t port, uint16_t nb_queues)
{
	struct rte_eth_conf conf = { 0 };
	struct rte_eth_dev_info info;
	struct rte_eth_txconf txc;
	int ret;

	ret = rte_eth_dev_info_get(port, &info);
	if (ret != 0)
		return ret;
	if (nb_queues > info.max_tx_queues) {
		fprintf(stderr, PROG ": port %u (%s) has %u TX queue%s; %u worker lcores "
			"need one each%s\n", port, info.driver_name, info.max_tx_queues,
			info.max_tx_queues == 1 ? "" : "s", nb_queues,
			strcmp(info.driver_name, "net_wlansim") == 0 ?
			" (net_wlansim: queues=4)" : "");
		return -EINVAL;
	}
	conf.txmode.offloads = info.tx_offload_capa & RTE_ETH_TX_OFFLOAD_MULTI_SEGS;
	ret = rte_eth_dev_configure(port, 0, nb_queues, &conf);
	if (ret != 0)
		return ret;
	txc = info.default_txconf;
	txc.offloads &= ~RTE_ETH_TX_OFFLOAD_MBUF_FAST_FREE;
	txc.offloads |= conf.txmode.offloads;
	for (uint16_t i = 0; i < nb_queues; i++) {
		ret = rte_eth_tx_queue_setup(port, i, 0,
			(unsigned int)rte_eth_dev_socket_id(port), &txc);
		if (ret != 0)
			return ret;
	}
	return rte_eth_dev_start(port);
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
	if (!opt.quiet) {
		gen_interval_line(&iv, show_ack, line, sizeof(line));
		fprintf(stderr, "%s\n", line);
	}
	if (stats_file != NULL) {
		gen_interval_csv(&iv, line, sizeof(line));
		fputs(line, stats_file);
		fflush(stats_file);
	}
	tick_prev = tick_cur;
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

static void
report(double run_s, double tx_s, bool ok)
{
	static struct gen_tick all;
	const struct gen_totals *t = &all.tot;
	const bool interrupted = __atomic_load_n(&gen_interrupted, __ATOMIC_RELAXED);
	char src[200], rate[48], pps[24], bps[24];
	uint64_t frame_len;
	double mpps, tx_pps, tx_bps;

	gen_tick_take(&all, counters, nb_workers, run_s);
	mpps = run_s > 0 ? (double)t->completed / run_s / 1e6 : 0;
	tx_pps = tx_s > 0 ? (double)t->accepted / tx_s : 0;
	tx_bps = tx_s > 0 ? (double)t->bytes * 8 / tx_s : 0;
	frame_len = t->accepted != 0 ? (t->bytes + t->accepted / 2) / t->accepted :
		    opt.src.sizes.nb != 0 ? opt.src.sizes.list[0] : 0;
	describe_source(&opt, src, sizeof(src));
	gen_rate_format(&opt.rate, rate, sizeof(rate));
	if (opt.src.kind == GEN_SRC_PCAP && !opt.rate_given)
		snprintf(rate, sizeof(rate), "replay x%g", opt.replay_speed);

	if (opt.json) {
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
		       us_of(gen_hist_quantile(&all.lat, 0.5)),
		       us_of(gen_hist_quantile(&all.lat, 0.99)), us_of(all.lat.max));
		printf(",\"queues\":[");
		for (unsigned int i = 0; i < nb_workers; i++) {
			const struct gen_worker *w = &workers[i];
			struct gen_totals q = { 0 };
			const double qs = secs(w->send_end - t0);

			gen_totals_add(&q, &counters[i]);
			printf("%s{\"queue\":%u,\"lcore\":%u", i ? "," : "", w->queue_id, w->lcore);
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
		printf("]}\n");
		return;
	}
	printf(PROG ": port %u (%s), %s buffers, %s, %" PRIu64 "-byte frames, burst %u, "
	       "%u queue%s, rate %s: %" PRIu64 " submitted, %" PRIu64 " refused, %" PRIu64
	       " completed (", opt.port, port_driver(opt.port),
	       opt.mode == GEN_MODE_APP ? "app-owned" : "engine-owned", src, frame_len,
	       opt.burst, nb_workers, nb_workers == 1 ? "" : "s", rate,
	       t->accepted + t->refused, t->refused, t->completed);
	for (int s = 0, first = 1; s < GEN_NB_STATUS; s++)
		if (t->status[s] != 0) {
			printf("%s%s %" PRIu64, first ? "" : ", ", d11tx_status_name(s),
			       t->status[s]);
			first = 0;
		}
	if (t->retries != 0)
		printf("; %" PRIu64 " retries", t->retries);
	gen_si(tx_pps, "pps", pps, sizeof(pps));
	gen_si(tx_bps, "bit/s", bps, sizeof(bps));
	printf(") in %.3f s = %.2f Mpps; sent %s, %s over %.3f s",
	       run_s, mpps, pps, bps, tx_s);
	if (all.lat.n != 0) {
		char p50[16], p99[16], max[16];

		gen_us(us_of(gen_hist_quantile(&all.lat, 0.5)), p50, sizeof(p50));
		gen_us(us_of(gen_hist_quantile(&all.lat, 0.99)), p99, sizeof(p99));
		gen_us(us_of(all.lat.max), max, sizeof(max));
		printf("; latency p50 %s, p99 %s, max %s", p50, p99, max);
	}
	if (t->skipped != 0)
		printf("; %" PRIu64 " frames skipped (longer than %u bytes)", t->skipped,
		       PCAP_ROOM);
	printf("%s; exactly once: %s\n", interrupted ? " (interrupted)" : "",
	       ok ? "yes" : "NO");
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

int
main(int argc, char **argv)
{
	static const char *const default_vdevs[] = { DEFAULT_VDEV, NULL };
	struct eal_args ea;
	struct gen_source *probe;
	char prefix_arg[64], err[256];
	char **eal_argv = NULL;
	int eal_argc, ret, rc = 2;
	uint64_t end, send_end = 0;
	bool ok = true;

	if (eal_args_build(&ea, argc, argv, default_vdevs) != 0) {
		fprintf(stderr, PROG ": out of memory\n");
		goto out_args;
	}
	if (parse_options(ea.app_argc, ea.app_argv, &opt) != 0)
		goto out_args;
	/* A frame source that cannot be read fails here, before the EAL. */
	{
		struct gen_source_conf c = opt.src;

		if (opt.spread == GEN_SPREAD_AC && c.kind == GEN_SRC_TEMPLATE)
			c.tid = ac_tid[D11TX_AC_VO];
		c.nb_shares = 1;
		if (gen_source_open(&probe, &c, err, sizeof(err)) < 0) {
			fprintf(stderr, PROG ": %s\n", err);
			goto out_args;
		}
		gen_source_close(probe);
	}
	if (opt.stats_file != NULL) {
		stats_file = fopen(opt.stats_file, "w");
		if (stats_file == NULL) {
			fprintf(stderr, PROG ": --stats-file: cannot write %s: %s\n",
				opt.stats_file, strerror(errno));
			goto out_args;
		}
		fputs(gen_csv_header, stats_file);
		fflush(stats_file);
	}
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
	if (!rte_eth_dev_is_valid_port(opt.port)) {
		fprintf(stderr, PROG ": no DPDK port %u (give one with --vdev=... or a NIC)\n",
			opt.port);
		goto out_eal;
	}
	hz = rte_get_tsc_hz();
	nb_workers = rte_lcore_count() > 1 ? rte_lcore_count() - 1 : 1;
	if (nb_workers > GEN_MAX_WORKERS) {
		fprintf(stderr, PROG ": %u worker lcores: at most %d\n", nb_workers,
			GEN_MAX_WORKERS);
		nb_workers = 0;
		goto out_eal;
	}
	if (opt.spread == GEN_SPREAD_AC && nb_workers > 4) {
		fprintf(stderr, PROG ": --spread ac: %u worker lcores, but there are 4 "
			"access categories\n", nb_workers);
		nb_workers = 0;
		goto out_eal;
	}
	{
		struct d11tx_port_caps caps;

		show_ack = d11tx_port_caps_get(opt.port, &caps) == 0 && caps.tx_status;
	}
	if (setup_workers() != 0)
		goto out_eal;

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

	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);

	t0 = rte_get_tsc_cycles();
	tel.t0 = t0;
	end = opt.duration > 0 ? t0 + (uint64_t)(opt.duration * (double)hz) : UINT64_MAX;
	gen_tick_take(&tick_prev, counters, nb_workers, 0);
	for (unsigned int i = 0; i < nb_workers; i++) {
		workers[i].end = end;
		start_pacing(&workers[i], t0);
	}
	if (nb_workers == 1 && rte_lcore_count() == 1) {
		workers[0].tick = main_tick;
		workers[0].tick_at = t0 + hz;
		gen_worker_run(&workers[0]);
	} else {
		uint64_t tick_at = t0 + hz;
		unsigned int done;

		for (unsigned int i = 0; i < nb_workers; i++) {
			ret = rte_eal_remote_launch(gen_worker_run, &workers[i],
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
	}
	const uint64_t run_end = rte_get_tsc_cycles();

	for (unsigned int i = 0; i < nb_workers; i++) {
		struct gen_worker *w = &workers[i];

		send_end = RTE_MAX(send_end, w->send_end);
		if (w->stop_ret != 0)
			fprintf(stderr, PROG ": queue %u: stop: %s\n", i, strerror(-w->stop_ret));
		if (w->destroy_ret != 0)
			fprintf(stderr, PROG ": queue %u: destroy: %s\n", i,
				strerror(-w->destroy_ret));
		ok &= w->ok;
	}
	if (nb_workers > 1) {
		ret = rte_eth_dev_stop(opt.port);
		if (ret != 0)
			fprintf(stderr, PROG ": port %u: stop: %s\n", opt.port, strerror(-ret));
	}
	report(secs(run_end - t0), secs(send_end - t0), ok);
	rc = ok ? 0 : 1;
out_eal:
	for (unsigned int i = 0; i < nb_workers; i++)
		gen_worker_free(&workers[i]);
	rte_eal_cleanup();
out_args:
	if (stats_file != NULL)
		fclose(stats_file);
	free(eal_argv);
	eal_args_free(&ea);
	return rc;
}
