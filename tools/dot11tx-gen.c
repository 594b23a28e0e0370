/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * dot11tx-gen: send 802.11 frames through a dot11tx queue and count every
 * completion. Usage: dot11tx-gen [EAL args] -- [options]; see --help.
 */

#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rte_cycles.h>
#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_ethdev.h>
#include <rte_malloc.h>

#include <dot11tx/dot11tx.h>

#include "eal_args.h"

#define DEFAULT_COUNT 10000000ull
#define DEFAULT_LEN 64
#define MAX_BURST 512
/* 802.11 data header (24) + LLC/SNAP (8): the shortest frame we build. */
#define MIN_LEN 32
#define SLOT_ALIGN 64
/* The embedded default port: net_wlansim with a lossy link, so that the
 * summary shows what a WLAN port reports (ACKs, no-ACKs, retries). */
#define DEFAULT_VDEV "net_wlansim0,ack_loss=0.1,retry_limit=2"

enum mode { MODE_ENGINE, MODE_APP };

struct options {
	uint64_t count;
	double duration;
	uint32_t len;
	uint16_t burst;
	uint16_t port;
	uint32_t ring;
	enum mode mode;
	bool json;
	bool quiet;
};

struct gen {
	struct d11tx_queue *q;
	struct options opt;
	uint8_t template[D11TX_DEFAULT_MAX_FRAME_LEN];
	/* Exactly-once check: every handle is a frame number; the sums of
	 * submitted and completed numbers must match, and so must counts. */
	uint64_t handle_sum_submitted;
	uint64_t handle_sum_completed;
	uint64_t accepted;
	uint64_t refused;
	uint64_t backpressure;
	uint64_t completed;
	uint64_t status[D11TX_STATUS_MAX];
	uint64_t retries;            /* retries the port reported, summed */
	/* App mode: registered slots, and a stack of the free ones. */
	uint8_t *slots;
	size_t slot_size;
	uint64_t *slot_frame;
	uint32_t *free_slots;
	uint32_t nb_free;
};

static volatile sig_atomic_t interrupted;

static void
on_signal(int sig)
{
	(void)sig;
	interrupted = 1;
}

static void
usage(const char *prog, FILE *out)
{
	fprintf(out,
"NAME\n"
"    dot11tx-gen - send IEEE 802.11 frames through DPDK with dot11tx\n"
"\n"
"SYNOPSIS\n"
"    %s [EAL options --] [options]\n"
"\n"
"DESCRIPTION\n"
"    Sends a minimal 802.11 data frame (To-DS, LLC/SNAP) through one dot11tx\n"
"    queue and counts the completion of every frame. Without EAL options it\n"
"    runs on one core with --vdev=" DEFAULT_VDEV "\n"
"    (dot11tx's virtual WLAN NIC: 10%% of transmissions unacknowledged, up to\n"
"    two retries), on hugepages when free ones are reserved and with --no-huge\n"
"    otherwise. net_wlansim's arguments: pmd/wlansim/README.md.\n"
"\n"
"OPTIONS\n"
"    -n, --count N      frames to send (default %llu)\n"
"    -d, --duration S   send for S seconds instead (stops at whichever ends first\n"
"                       when both are given)\n"
"    -s, --len BYTES    frame length, %d..%d (default %d)\n"
"    -b, --burst N      frames per submit and per tx_burst, 1..%d (default 32)\n"
"    -p, --port ID      DPDK port (default 0)\n"
"    -r, --ring N       frames in flight at most (default 4096)\n"
"    -m, --mode MODE    engine: engine-owned buffers filled in place (default);\n"
"                       app: app-owned buffers attached zero-copy\n"
"    -j, --json         print one JSON object instead of the summary line\n"
"    -q, --quiet        no progress line\n"
"    -h, --help         this text\n"
"\n"
"EXIT STATUS\n"
"    0 when every accepted frame completed exactly once, 1 when not,\n"
"    2 on bad options or set-up errors.\n",
		prog, DEFAULT_COUNT, MIN_LEN, 2048, DEFAULT_LEN, MAX_BURST);
}

static int
parse_options(int argc, char **argv, struct options *o)
{
	static const struct option longopts[] = {
		{ "count", required_argument, NULL, 'n' },
		{ "duration", required_argument, NULL, 'd' },
		{ "len", required_argument, NULL, 's' },
		{ "burst", required_argument, NULL, 'b' },
		{ "port", required_argument, NULL, 'p' },
		{ "ring", required_argument, NULL, 'r' },
		{ "mode", required_argument, NULL, 'm' },
		{ "json", no_argument, NULL, 'j' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	bool count_given = false;
	uint64_t v;
	char *end;
	int c;

	*o = (struct options){ .count = DEFAULT_COUNT, .len = DEFAULT_LEN,
			       .burst = 32, .ring = 4096 };
	optind = 1;
	while ((c = getopt_long(argc, argv, "n:d:s:b:p:r:m:jqh", longopts,
				NULL)) != -1) {
		switch (c) {
		case 'n':
			if (tool_parse_u64(optarg, 1, UINT64_MAX / 2, &o->count) != 0)
				goto bad;
			count_given = true;
			break;
		case 'd':
			o->duration = strtod(optarg, &end);
			if (*end != '\0' || !(o->duration > 0) || o->duration > 1e7)
				goto bad;
			break;
		case 's':
			if (tool_parse_u64(optarg, MIN_LEN, 2048, &v) != 0)
				goto bad;
			o->len = (uint32_t)v;
			break;
		case 'b':
			if (tool_parse_u64(optarg, 1, MAX_BURST, &v) != 0)
				goto bad;
			o->burst = (uint16_t)v;
			break;
		case 'p':
			if (tool_parse_u64(optarg, 0, RTE_MAX_ETHPORTS - 1, &v) != 0)
				goto bad;
			o->port = (uint16_t)v;
			break;
		case 'r':
			if (tool_parse_u64(optarg, 1, 1u << 20, &v) != 0)
				goto bad;
			o->ring = (uint32_t)v;
			break;
		case 'm':
			if (strcmp(optarg, "engine") == 0)
				o->mode = MODE_ENGINE;
			else if (strcmp(optarg, "app") == 0)
				o->mode = MODE_APP;
			else
				goto bad;
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
			fprintf(stderr, "dot11tx-gen: see --help\n");
			return -1;
		}
	}
	if (tool_no_extra_args("dot11tx-gen", argc, argv, optind) != 0)
		return -1;
	if (o->duration > 0 && !count_given)
		o->count = UINT64_MAX / 2;
	return 0;
bad:
	fprintf(stderr, "dot11tx-gen: invalid value '%s' for option -%c (see --help)\n",
		optarg, c);
	return -1;
}

/* A minimal 802.11 data frame, station to AP (To-DS), with LLC/SNAP. */
static void
build_template(uint8_t *f, uint32_t len)
{
	static const uint8_t hdr[] = {
		0x08, 0x01,                         /* data, To-DS */
		0x00, 0x00,                         /* duration */
		0x02, 0x00, 0x00, 0x00, 0x00, 0x01, /* addr1: BSSID */
		0x02, 0x00, 0x00, 0x00, 0x00, 0x02, /* addr2: source */
		0xff, 0xff, 0xff, 0xff, 0xff, 0xff, /* addr3: destination */
		0x00, 0x00,                         /* sequence control */
		0xaa, 0xaa, 0x03, 0x00, 0x00, 0x00, /* LLC/SNAP, RFC 1042 */
		0x88, 0xb5,                         /* local experimental EtherType */
	};

	memset(f, 0, len);
	memcpy(f, hdr, sizeof(hdr));
	for (uint32_t i = sizeof(hdr); i < len; i++)
		f[i] = (uint8_t)i;
}

static inline void
set_sequence(uint8_t *f, uint64_t frame)
{
	const uint16_t sc = (uint16_t)((frame & 0xfff) << 4);

	f[22] = (uint8_t)sc;
	f[23] = (uint8_t)(sc >> 8);
}

static void
on_completion(void *ctx, void *const handles[], const uint8_t status[],
	      const uint8_t retries[], uint16_t n)
{
	struct gen *g = ctx;

	for (uint16_t i = 0; i < n; i++) {
		uintptr_t h = (uintptr_t)handles[i];

		g->status[status[i]]++;
		g->retries += retries[i];
		if (g->opt.mode == MODE_APP) {
			g->handle_sum_completed += g->slot_frame[h];
			g->free_slots[g->nb_free++] = (uint32_t)h;
		} else {
			g->handle_sum_completed += h;
		}
	}
	g->completed += n;
}

static void
note_refusal(struct gen *g, uint16_t taken, uint16_t offered)
{
	if (taken == offered)
		return;
	if (rte_errno == ENOBUFS) {
		g->backpressure++;
	} else {
		/* Not retried: this frame's fate is final. */
		g->refused++;
		if (g->refused == 1)
			fprintf(stderr, "dot11tx-gen: frame refused: %s\n",
				rte_strerror(rte_errno));
	}
}

static int
send_engine_burst(struct gen *g, uint16_t client, uint16_t want)
{
	struct d11tx_buf *bufs[MAX_BURST];
	uint16_t taken;

	if (d11tx_buf_alloc(g->q, bufs, want) == 0) {
		g->backpressure++;
		return 0;
	}
	for (uint16_t i = 0; i < want; i++) {
		uint8_t *f = d11tx_buf_data(bufs[i]);
		const uint64_t frame = g->accepted + i + 1;

		memcpy(f, g->template, g->opt.len);
		set_sequence(f, frame);
		d11tx_buf_set(bufs[i], g->opt.len, client, (void *)(uintptr_t)frame);
	}
	taken = d11tx_buf_submit(g->q, bufs, want);
	note_refusal(g, taken, want);
	g->handle_sum_submitted += (uint64_t)taken * (2 * g->accepted + taken + 1) / 2;
	g->accepted += taken;
	/* Buffers not taken are still ours: give them back. */
	if (taken < want)
		d11tx_buf_free(g->q, &bufs[taken], (uint16_t)(want - taken));
	return 0;
}

static int
send_app_burst(struct gen *g, uint16_t client, uint16_t want)
{
	struct d11tx_frame frames[MAX_BURST];
	uint16_t taken;

	want = (uint16_t)RTE_MIN((uint32_t)want, g->nb_free);
	if (want == 0) {
		g->backpressure++;
		return 0;
	}
	for (uint16_t i = 0; i < want; i++) {
		const uint32_t slot = g->free_slots[g->nb_free - 1 - i];
		uint8_t *f = g->slots + (size_t)slot * g->slot_size;
		const uint64_t frame = g->accepted + i + 1;

		set_sequence(f, frame);
		g->slot_frame[slot] = frame;
		frames[i] = (struct d11tx_frame){ .data = f, .len = g->opt.len,
			.client = client, .handle = (void *)(uintptr_t)slot };
	}
	taken = d11tx_send_burst(g->q, frames, want);
	note_refusal(g, taken, want);
	for (uint16_t i = 0; i < taken; i++)
		g->handle_sum_submitted += g->slot_frame[(uintptr_t)frames[i].handle];
	/* Slots of frames not taken stay on the free stack. */
	g->nb_free -= taken;
	g->accepted += taken;
	return 0;
}

static int
setup_app_slots(struct gen *g)
{
	const uint32_t n = g->opt.ring;

	g->slot_size = RTE_ALIGN_CEIL(g->opt.len, SLOT_ALIGN);
	g->slots = rte_malloc("gen_slots", g->slot_size * n, SLOT_ALIGN);
	g->slot_frame = calloc(n, sizeof(*g->slot_frame));
	g->free_slots = calloc(n, sizeof(*g->free_slots));
	if (g->slots == NULL || g->slot_frame == NULL || g->free_slots == NULL)
		return -ENOMEM;
	for (uint32_t i = 0; i < n; i++) {
		memcpy(g->slots + (size_t)i * g->slot_size, g->template, g->opt.len);
		g->free_slots[g->nb_free++] = n - 1 - i;
	}
	return d11tx_mem_register(g->q, g->slots, g->slot_size * n);
}

static const char *
port_driver(uint16_t port)
{
	static struct rte_eth_dev_info info;

	if (rte_eth_dev_info_get(port, &info) != 0)
		return "unknown";
	return info.driver_name;
}

static void
report(const struct gen *g, double secs, bool ok)
{
	const struct options *o = &g->opt;
	const double mpps = secs > 0 ? (double)g->completed / secs / 1e6 : 0;
	const uint64_t submitted = g->accepted + g->refused;

	if (o->json) {
		printf("{\"frames_submitted\":%" PRIu64 ",\"frames_refused\":%" PRIu64
		       ",\"frames_completed\":%" PRIu64 ",\"status\":{",
		       submitted, g->refused, g->completed);
		for (int s = 0; s < D11TX_STATUS_MAX; s++)
			printf("%s\"%s\":%" PRIu64, s ? "," : "",
			       d11tx_status_name(s), g->status[s]);
		printf("},\"retries\":%" PRIu64 ",\"mpps\":%.3f,\"duration_s\":%.6f,\"port_driver\":\"%s\""
		       ",\"mode\":\"%s\",\"frame_len\":%u,\"burst\":%u"
		       ",\"backpressure\":%" PRIu64 ",\"interrupted\":%s"
		       ",\"exactly_once\":%s}\n",
		       g->retries, mpps, secs, port_driver(o->port),
		       o->mode == MODE_APP ? "app" : "engine", o->len, o->burst,
		       g->backpressure, interrupted ? "true" : "false",
		       ok ? "true" : "false");
		return;
	}
	printf("dot11tx-gen: port %u (%s), %s buffers, %u-byte frames, burst %u: "
	       "%" PRIu64 " submitted, %" PRIu64 " refused, %" PRIu64
	       " completed (", o->port, port_driver(o->port),
	       o->mode == MODE_APP ? "app-owned" : "engine-owned", o->len,
	       o->burst, submitted, g->refused, g->completed);
	for (int s = 0, first = 1; s < D11TX_STATUS_MAX; s++)
		if (g->status[s] != 0) {
			printf("%s%s %" PRIu64, first ? "" : ", ",
			       d11tx_status_name(s), g->status[s]);
			first = 0;
		}
	if (g->retries != 0)
		printf("; %" PRIu64 " retries", g->retries);
	printf(") in %.3f s = %.2f Mpps%s; exactly once: %s\n", secs, mpps,
	       interrupted ? " (interrupted)" : "", ok ? "yes" : "NO");
}

static int
run(struct gen *g)
{
	const struct options *o = &g->opt;
	const uint64_t hz = rte_get_tsc_hz();
	const uint64_t start = rte_get_tsc_cycles();
	const uint64_t end = o->duration > 0 ?
		start + (uint64_t)(o->duration * (double)hz) : UINT64_MAX;
	uint64_t next_progress = start + hz, now = start, last_completed = 0;
	int client, ret;

	client = d11tx_client_register(g->q, on_completion, g);
	if (client < 0)
		return client;
	if (o->mode == MODE_APP) {
		ret = setup_app_slots(g);
		if (ret != 0) {
			fprintf(stderr, "dot11tx-gen: cannot register frame memory: %s\n",
				strerror(-ret));
			return ret;
		}
	}
	while (!interrupted && g->accepted + g->refused < o->count && now < end) {
		const uint64_t left = o->count - g->accepted - g->refused;
		const uint16_t want = (uint16_t)RTE_MIN(left, (uint64_t)o->burst);

		if (o->mode == MODE_APP)
			send_app_burst(g, (uint16_t)client, want);
		else
			send_engine_burst(g, (uint16_t)client, want);
		d11tx_poll(g->q);
		now = rte_get_tsc_cycles();
		if (now >= next_progress && !o->quiet) {
			fprintf(stderr, "dot11tx-gen: %5.1f s  %7.2f Mpps  submitted %" PRIu64
				"  completed %" PRIu64 "  in flight %u\n",
				(double)(now - start) / (double)hz,
				(double)(g->completed - last_completed) / 1e6,
				g->accepted, g->completed, d11tx_queue_inflight(g->q));
			last_completed = g->completed;
			next_progress += hz;
		}
	}
	/* Every accepted frame completes before the summary: poll the rest
	 * out (a slow port may take a while: give up only after a second
	 * without progress, or at Ctrl-C), then stop, which cancels what is
	 * still staged and drops what a stuck port holds. */
	uint64_t progress_deadline = rte_get_tsc_cycles() + hz;

	while (!interrupted && d11tx_queue_inflight(g->q) != 0) {
		const uint64_t before = g->completed;

		d11tx_poll(g->q);
		now = rte_get_tsc_cycles();
		if (g->completed != before)
			progress_deadline = now + hz;
		else if (now >= progress_deadline)
			break;
	}
	ret = d11tx_queue_stop(g->q, 100000);
	return ret;
}

int
main(int argc, char **argv)
{
	static const char *const default_vdevs[] = { DEFAULT_VDEV, NULL };
	struct eal_args ea;
	struct gen *g;
	struct d11tx_queue_conf conf = { 0 };
	double secs;
	bool ok;
	int ret;

	if (eal_args_build(&ea, argc, argv, default_vdevs) != 0) {
		fprintf(stderr, "dot11tx-gen: out of memory\n");
		return 2;
	}
	g = calloc(1, sizeof(*g));
	if (g == NULL || parse_options(ea.app_argc, ea.app_argv, &g->opt) != 0)
		return 2;
	if (rte_eal_init(ea.eal_argc, ea.eal_argv) < 0) {
		fprintf(stderr, "dot11tx-gen: EAL init failed: %s\n",
			rte_strerror(rte_errno));
		return 2;
	}
	if (ea.defaults && !g->opt.quiet && !ea.hugepages)
		fprintf(stderr, "dot11tx-gen: no free hugepages: running with --no-huge "
			"(about half the speed; see tools/setup.sh)\n");
	if (!rte_eth_dev_is_valid_port(g->opt.port)) {
		fprintf(stderr, "dot11tx-gen: no DPDK port %u (give one with --vdev=... or a NIC)\n",
			g->opt.port);
		return 2;
	}
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);

	build_template(g->template, g->opt.len);
	conf.port_id = g->opt.port;
	conf.flags = D11TX_QF_CONFIGURE_PORT;
	conf.ring_size = g->opt.ring;
	conf.tx_burst = g->opt.burst;
	if (g->opt.mode == MODE_ENGINE)
		conf.buf_count = rte_align32pow2(g->opt.ring) + 2 * MAX_BURST;
	g->q = d11tx_queue_create(&conf);
	if (g->q == NULL) {
		fprintf(stderr, "dot11tx-gen: cannot set up port %u queue 0: %s\n",
			g->opt.port, rte_strerror(rte_errno));
		return 2;
	}
	/* Round the ring as the engine does, for the app-mode slots. */
	g->opt.ring = rte_align32pow2(g->opt.ring);

	const uint64_t start = rte_get_tsc_cycles();

	ret = run(g);
	secs = (double)(rte_get_tsc_cycles() - start) / (double)rte_get_tsc_hz();
	if (ret != 0)
		fprintf(stderr, "dot11tx-gen: %s\n", strerror(-ret));
	ok = ret == 0 && g->completed == g->accepted &&
	     g->handle_sum_completed == g->handle_sum_submitted;
	report(g, secs, ok);
	d11tx_queue_destroy(g->q);
	rte_free(g->slots);
	free(g->slot_frame);
	free(g->free_slots);
	free(g);
	rte_eal_cleanup();
	eal_args_free(&ea);
	return ok ? 0 : 1;
}
