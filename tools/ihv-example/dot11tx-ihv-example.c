/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * dot11tx-ihv-example: run the example IHV extension (ihv_example_ext.c,
 * Windows Native WiFi IHV code) on dot11tx's IHV host, as the Windows WLAN
 * service would run it: start it, add a port as its adapter, tell it
 * through Dot11ExtIhvControl to send EAPOL frames, poll the host until
 * every packet completed, then remove the adapter and stop the host.
 * Usage: dot11tx-ihv-example [EAL options --] [options]; see --help.
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

#include <dot11tx/dot11tx.h>
#include <dot11tx/ihv_host.h>

#include "eal_args.h"
#include "parse.h"
#include "ihv_example.h"

#define TOOL "dot11tx-ihv-example"
#define DEFAULT_VDEV "net_wlansim0"
#define DEFAULT_COUNT 1000
/* A station's default BSSID (its AP), and an AP's default peer station. */
#define DEFAULT_BSSID "02:00:00:00:00:01"
#define DEFAULT_STA_PEER "02:00:00:00:00:02"
/* --faults: every fault net_wlansim plays, at rates a run of millions
 * meets many times over (pmd/wlansim/README.md). */
#define FAULT_ARGS "ack_loss=0.1,retry_limit=2,refuse=0.01,stall_us=50," \
	"stall_every=20000,link_down_after=500000,link_down_us=300"
/* Give up when nothing moved for this long (a link that stays down). */
#define STALL_SECONDS 5

struct options {
	uint32_t count;
	uint16_t port;
	enum d11tx_dot11_role role;
	uint8_t bssid[6];
	bool bssid_given;
	uint8_t peer[6];
	bool peer_given;
	const char *pcap;
	bool faults;
	const char *extension;
	bool batch;
	uint16_t threads;
	bool inject;
	bool json;
	bool quiet;
};

struct result {
	IHV_EXAMPLE_STATS ext;           /* the extension's STATS at the end */
	struct d11tx_ihv_host_stats host;/* after the adapter's removal */
	struct d11tx_queue_stats queue;  /* before it */
	uint64_t at_removal;             /* completions the removal delivered */
	bool have_queue;
	double secs;
	bool stalled;
	bool exactly_once;               /* each accepted packet completed once */
	bool ledger_ok;                  /* replay counters: sums agree */
	bool ok;                         /* ... and all were sent, none failed */
	char why[160];
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
"    " TOOL " - run a Windows Native WiFi IHV extension on dot11tx\n"
"\n"
"SYNOPSIS\n"
"    %s [EAL options --] [options]\n"
"\n"
"DESCRIPTION\n"
"    Starts the example IHV extension the way the Windows WLAN service starts\n"
"    one (Dot11ExtIhvGetVersionInfo, Dot11ExtIhvInitService), adds a DPDK port as\n"
"    its adapter (Dot11ExtIhvInitAdapter), and tells it through\n"
"    Dot11ExtIhvControl to send EAPOL-Key frames (EtherType 0x888E) to the peer.\n"
"    The extension sends them with Dot11ExtSendPacket from buffers of\n"
"    Dot11ExtAllocateBuffer; dot11tx sends each as an 802.11 data frame,\n"
"    zero-copy, and hands it back once through Dot11ExtIhvSendPacketCompletion,\n"
"    where the extension frees it and sends the next. The program polls the\n"
"    host until every packet has completed, then removes the adapter\n"
"    (Dot11ExtIhvDeinitAdapter) and stops the extension\n"
"    (Dot11ExtIhvDeinitService).\n"
"\n"
"    Without EAL options it runs on one core with --vdev=" DEFAULT_VDEV "\n"
"    (dot11tx's virtual WLAN NIC), on hugepages when free ones are reserved and\n"
"    with --no-huge otherwise. net_wlansim's arguments (rate=, ack_loss=,\n"
"    pcap=, ...): pmd/wlansim/README.md.\n"
"\n"
"OPTIONS\n"
"    -n, --count N         packets to send, 1..%u (default %d)\n"
"    -p, --port ID         DPDK port (default 0)\n"
"    -r, --role ROLE       sta: a station, To-DS frames to the BSSID (default);\n"
"                          ap: an access point, From-DS frames to the peer\n"
"    -B, --bssid MAC       the BSSID: a station's AP (default " DEFAULT_BSSID ");\n"
"                          an AP's own address (default: the port's)\n"
"    -P, --peer MAC        destination of the EAPOL frames (default: the BSSID\n"
"                          for a station, " DEFAULT_STA_PEER " for an AP)\n"
"    -b, --batch           send with Dot11txSendPackets, dot11tx's batched\n"
"                          addition, and take completions in batches\n"
"                          (Dot11txSendPacketCompletions)\n"
"    -t, --threads N       send from N threads of the extension's own (1..%d),\n"
"                          as a vendor's worker threads would; the host\n"
"                          thread only polls. Default 0: the extension sends\n"
"                          from the Control call and its completion handler\n"
"    -i, --inject          now and then also make a send the host must refuse\n"
"                          (NULL buffer, bad length, forged handle, 802.3\n"
"                          length); each must fail with its documented error\n"
"                          and never complete\n"
"    -e, --extension PATH  load the extension from this shared object (dlopen)\n"
"                          instead of the example linked in; it must speak the\n"
"                          example's Control protocol (build/tools/libihv_example.so).\n"
"                          One that exports Dot11txIhvInitBatch gets its\n"
"                          completions in batches, with or without --batch\n"
"    -f, --faults          run the default port with net_wlansim's faults on:\n"
"                          " FAULT_ARGS "\n"
"                          (lost ACKs and retries, refused bursts, stalls, link\n"
"                          losses). With EAL options of your own, put such\n"
"                          arguments on your net_wlansim vdev instead\n"
"    -c, --pcap FILE       capture what goes on the air (radiotap) in FILE: runs\n"
"                          the default port as " DEFAULT_VDEV ",pcap=FILE. With EAL\n"
"                          options of your own, add pcap=FILE to your net_wlansim\n"
"                          vdev instead\n"
"    -j, --json            print one JSON object instead of the summary\n"
"    -q, --quiet           no progress line\n"
"    -h, --help            this text\n"
"\n"
"EXAMPLES\n"
"    %s --count 500 --pcap /tmp/air.pcap\n"
"    tshark -r /tmp/air.pcap -Y eapol -T fields -e wlan.ra -e wlan.da -e llc.type\n"
"    %s --in-memory --no-pci --vdev=net_wlansim0,rate=54,ack_loss=0.1 -- --batch\n"
"    %s --threads 4 --batch --inject --faults --count 10000000   # the soak\n"
"\n"
"EXIT STATUS\n"
"    0 when every packet was sent and completed exactly once and no send\n"
"    failed, 1 when not, 2 on bad options or set-up errors.\n",
		prog, UINT32_MAX, DEFAULT_COUNT, IHV_EXAMPLE_MAX_THREADS, prog, prog, prog);
}

static int
parse_options(int argc, char **argv, struct options *o)
{
	static const struct option longopts[] = {
		{ "count", required_argument, NULL, 'n' },
		{ "port", required_argument, NULL, 'p' },
		{ "role", required_argument, NULL, 'r' },
		{ "bssid", required_argument, NULL, 'B' },
		{ "peer", required_argument, NULL, 'P' },
		{ "batch", no_argument, NULL, 'b' },
		{ "threads", required_argument, NULL, 't' },
		{ "inject", no_argument, NULL, 'i' },
		{ "extension", required_argument, NULL, 'e' },
		{ "pcap", required_argument, NULL, 'c' },
		{ "faults", no_argument, NULL, 'f' },
		{ "json", no_argument, NULL, 'j' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	uint64_t v;
	int c;

	*o = (struct options){ .count = DEFAULT_COUNT, .role = D11TX_DOT11_STATION };
	optind = 1;
	while ((c = getopt_long(argc, argv, "n:p:r:B:P:bt:ie:c:fjqh", longopts, NULL)) != -1) {
		switch (c) {
		case 'n':
			if (tool_parse_u64(optarg, 1, UINT32_MAX, &v) != 0)
				goto bad;
			o->count = (uint32_t)v;
			break;
		case 'p':
			if (tool_parse_u64(optarg, 0, RTE_MAX_ETHPORTS - 1, &v) != 0)
				goto bad;
			o->port = (uint16_t)v;
			break;
		case 'r':
			if (strcmp(optarg, "sta") == 0 || strcmp(optarg, "station") == 0)
				o->role = D11TX_DOT11_STATION;
			else if (strcmp(optarg, "ap") == 0)
				o->role = D11TX_DOT11_AP;
			else
				goto bad;
			break;
		case 'B':
			if (tool_parse_mac(optarg, o->bssid) != 0)
				goto bad_mac;
			o->bssid_given = true;
			break;
		case 'P':
			if (tool_parse_mac(optarg, o->peer) != 0)
				goto bad_mac;
			o->peer_given = true;
			break;
		case 'b':
			o->batch = true;
			break;
		case 't':
			if (tool_parse_u64(optarg, 0, IHV_EXAMPLE_MAX_THREADS, &v) != 0)
				goto bad;
			o->threads = (uint16_t)v;
			break;
		case 'i':
			o->inject = true;
			break;
		case 'e':
			o->extension = optarg;
			break;
		case 'c':
			if (*optarg == '\0' || strchr(optarg, ',') != NULL) {
				fprintf(stderr, TOOL ": --pcap '%s': give a file name "
					"without commas (it goes into the vdev's arguments)\n",
					optarg);
				return -1;
			}
			o->pcap = optarg;
			break;
		case 'f':
			o->faults = true;
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
			fprintf(stderr, TOOL ": see --help\n");
			return -1;
		}
	}
	if (tool_no_extra_args(TOOL, argc, argv, optind) != 0)
		return -1;
	return 0;
bad:
	fprintf(stderr, TOOL ": invalid value '%s' for option -%c (see --help)\n",
		optarg, c);
	return -1;
bad_mac:
	fprintf(stderr, TOOL ": invalid MAC address '%s' for option -%c "
		"(want six hex bytes, e.g. 02:00:00:00:00:01)\n", optarg, c);
	return -1;
}

static const char *
port_driver(uint16_t port)
{
	static struct rte_eth_dev_info info;

	if (rte_eth_dev_info_get(port, &info) != 0)
		return "unknown";
	return info.driver_name;
}

static const char *
mac_str(const uint8_t m[6])
{
	static char buf[2][18];
	static int which;

	which ^= 1;
	snprintf(buf[which], sizeof(buf[which]), "%02x:%02x:%02x:%02x:%02x:%02x",
		 m[0], m[1], m[2], m[3], m[4], m[5]);
	return buf[which];
}

/* One Control command; answers the extension's STATS. */
static DWORD
control(const DOT11EXT_IHV_HANDLERS *hd, HANDLE ext_adapter, DWORD command,
	const IHV_EXAMPLE_COMMAND *start, IHV_EXAMPLE_STATS *stats)
{
	IHV_EXAMPLE_COMMAND cmd = { .dwMagic = IHV_EXAMPLE_MAGIC, .dwCommand = command };
	DWORD bytes = 0;

	if (start != NULL)
		cmd = *start;
	return hd->Dot11ExtIhvControl(ext_adapter, sizeof(cmd), (PBYTE)&cmd,
				      sizeof(*stats), (PBYTE)stats, &bytes);
}

static const char *
win32_error_name(DWORD e)
{
	switch (e) {
	case ERROR_SUCCESS: return "ERROR_SUCCESS";
	case ERROR_INVALID_HANDLE: return "ERROR_INVALID_HANDLE";
	case ERROR_BAD_LENGTH: return "ERROR_BAD_LENGTH";
	case ERROR_NOT_SUPPORTED: return "ERROR_NOT_SUPPORTED";
	case ERROR_INVALID_PARAMETER: return "ERROR_INVALID_PARAMETER";
	case ERROR_INSUFFICIENT_BUFFER: return "ERROR_INSUFFICIENT_BUFFER";
	case ERROR_BUSY: return "ERROR_BUSY";
	case ERROR_NO_SYSTEM_RESOURCES: return "ERROR_NO_SYSTEM_RESOURCES";
	case ERROR_INVALID_USER_BUFFER: return "ERROR_INVALID_USER_BUFFER";
	case ERROR_INVALID_STATE: return "ERROR_INVALID_STATE";
	case ERROR_OUTOFMEMORY: return "ERROR_OUTOFMEMORY";
	case ERROR_NOT_ENOUGH_MEMORY: return "ERROR_NOT_ENOUGH_MEMORY";
	default: return "error";
	}
}

/* Poll the host until the run is over: every packet sent and completed, a
 * send error with nothing left in flight, Ctrl-C, or no progress for
 * STALL_SECONDS. */
static void
run(struct d11tx_ihv_host *h, const DOT11EXT_IHV_HANDLERS *hd, HANDLE ext_adapter,
    const struct options *o, uint64_t start, struct result *r)
{
	const uint64_t hz = rte_get_tsc_hz();
	uint64_t now = start, next_progress = start + hz;
	uint64_t last_move = start, last_kick = start;
	DWORD last_sent = 0, last_done = 0, prev_done = 0;
	IHV_EXAMPLE_STATS *s = &r->ext;
	bool stopping = false;

	for (;;) {
		const uint32_t n = d11tx_ihv_host_poll(h);

		control(hd, ext_adapter, IHV_EXAMPLE_CMD_STATS, NULL, s);
		now = rte_get_tsc_cycles();
		if (!s->bRunning && s->dwInFlight == 0)
			break;
		if (interrupted && !stopping) {
			/* Build no more; what is in flight still completes. */
			control(hd, ext_adapter, IHV_EXAMPLE_CMD_STOP, NULL, s);
			stopping = true;
		}
		/* Packets refused for lack of room are sent again from the next
		 * completion; nudge the extension when none came. */
		if (n == 0 && s->dwPending != 0 && now - last_kick > hz / 1000) {
			control(hd, ext_adapter, IHV_EXAMPLE_CMD_KICK, NULL, s);
			last_kick = now;
		}
		if (s->dwPacketsSent != last_sent || s->dwCompletions != last_done) {
			last_sent = s->dwPacketsSent;
			last_done = s->dwCompletions;
			last_move = now;
		} else if (now - last_move > STALL_SECONDS * hz) {
			r->stalled = true;
			break;
		}
		if (now >= next_progress && !o->quiet) {
			fprintf(stderr, TOOL ": %5.1f s  sent %" PRIu32 "  completed %" PRIu32
				" (+%" PRIu32 ")  in flight %" PRIu32 "  errors %" PRIu32 "\n",
				(double)(now - start) / (double)hz, s->dwPacketsSent,
				s->dwCompletions, s->dwCompletions - prev_done,
				s->dwInFlight, s->dwErrors);
			prev_done = s->dwCompletions;
			next_progress += hz;
		}
	}
	r->secs = (double)(now - start) / (double)hz;
}

static void
report(const struct options *o, const struct result *r)
{
	const IHV_EXAMPLE_STATS *s = &r->ext;
	const struct d11tx_queue_stats *q = &r->queue;
	const double pps = r->secs > 0 ? (double)s->dwCompletions / r->secs : 0;

	if (o->json) {
		printf("{\"count\":%" PRIu32 ",\"packets_sent\":%" PRIu32
		       ",\"completions\":%" PRIu32 ",\"errors\":%" PRIu32
		       ",\"last_error\":%" PRIu32 ",\"no_resources\":%" PRIu32,
		       o->count, s->dwPacketsSent, s->dwCompletions, s->dwErrors,
		       s->dwLastError, s->dwNoResources);
		if (r->have_queue) {
			printf(",\"acked\":%" PRIu64 ",\"noack\":%" PRIu64 ",\"status\":{",
			       q->completed[D11TX_STATUS_ACKED],
			       q->completed[D11TX_STATUS_NOACK]);
			for (int i = 0; i < D11TX_STATUS_MAX; i++)
				printf("%s\"%s\":%" PRIu64, i ? "," : "",
				       d11tx_status_name((unsigned int)i), q->completed[i]);
			printf("},\"retries\":%" PRIu64, q->retries);
		}
		printf(",\"host\":{\"sends_ok\":%" PRIu64 ",\"sends_failed\":%" PRIu64
		       ",\"sends_copied\":%" PRIu64 ",\"completions\":%" PRIu64
		       ",\"buffers_out\":%" PRIu32 "},\"completed_at_removal\":%" PRIu64,
		       r->host.sends_ok, r->host.sends_failed, r->host.sends_copied,
		       r->host.completions, r->host.buffers_out, r->at_removal);
		printf(",\"threads\":%u,\"injected_refused\":%" PRIu32
		       ",\"seq_sum_sent\":%" PRIu64 ",\"seq_sum_completed\":%" PRIu64
		       ",\"ledger_ok\":%s",
		       o->threads, s->dwInjected, (uint64_t)s->ullSeqSumSent,
		       (uint64_t)s->ullSeqSumCompleted, r->ledger_ok ? "true" : "false");
		printf(",\"duration_s\":%.6f,\"pps\":%.0f,\"port_driver\":\"%s\""
		       ",\"role\":\"%s\",\"batch\":%s,\"batched_completions\":%s"
		       ",\"extension\":",
		       r->secs, pps, port_driver(o->port),
		       o->role == D11TX_DOT11_AP ? "ap" : "sta",
		       o->batch ? "true" : "false",
		       s->dwBatchCompletionCalls != 0 ? "true" : "false");
		tool_json_string(o->extension != NULL ? o->extension : "linked-in");
		printf(",\"interrupted\":%s,\"stalled\":%s,\"exactly_once\":%s,\"ok\":%s}\n",
		       interrupted ? "true" : "false", r->stalled ? "true" : "false",
		       r->exactly_once ? "true" : "false", r->ok ? "true" : "false");
		if (!r->ok && r->why[0] != '\0')
			fprintf(stderr, TOOL ": %s\n", r->why);
		return;
	}
	printf(TOOL ": port %u (%s), %s to %s, %s extension, %s: %" PRIu32
	       " EAPOL frames sent, %" PRIu32 " completed",
	       o->port, port_driver(o->port),
	       o->role == D11TX_DOT11_AP ? "AP" : "station", mac_str(o->peer),
	       o->extension != NULL ? "loaded" : "linked-in",
	       o->batch ? "Dot11txSendPackets"
			: s->dwBatchCompletionCalls != 0
			? "Dot11ExtSendPacket, batched completions"
			: "Dot11ExtSendPacket",
	       s->dwPacketsSent, s->dwCompletions);
	if (r->have_queue) {
		printf(" (");
		for (int i = 0, first = 1; i < D11TX_STATUS_MAX; i++)
			if (q->completed[i] != 0) {
				printf("%s%s %" PRIu64, first ? "" : ", ",
				       d11tx_status_name((unsigned int)i), q->completed[i]);
				first = 0;
			}
		printf(")");
	}
	if (r->at_removal != 0)
		printf(", %" PRIu64 " more when the adapter was removed", r->at_removal);
	printf(", %" PRIu32 " errors", s->dwErrors);
	if (s->dwErrors != 0)
		printf(" (last %s, %" PRIu32 ")", win32_error_name(s->dwLastError),
		       s->dwLastError);
	printf(" in %.3f s = %.0f packets/s%s; each completed exactly once: %s; %s\n",
	       r->secs, pps, interrupted ? " (interrupted)" : "",
	       r->exactly_once ? "yes" : "NO", r->ok ? "OK" : "FAILED");
	printf(TOOL ": ledger: %s, %" PRIu32 " accepted, %" PRIu32 " completed, replay "
	       "counters summed %" PRIu64 " sent, %" PRIu64 " completed (1..%" PRIu32
	       ": %" PRIu64 "), %" PRIu32 " bad completions, %" PRIu32 " bad sends "
	       "refused as documented, %" PRIu32 " ring/queue-full answers; host: %"
	       PRIu64 " accepted, %" PRIu64 " completed, %" PRIu32 " buffers out\n",
	       o->threads != 0 ? "threads" : "host thread", s->dwPacketsSent,
	       s->dwCompletions, (uint64_t)s->ullSeqSumSent, (uint64_t)s->ullSeqSumCompleted,
	       o->count, (uint64_t)o->count * (o->count + UINT64_C(1)) / 2, s->dwBadCompletions,
	       s->dwInjected, s->dwNoResources, r->host.sends_ok, r->host.completions,
	       r->host.buffers_out);
	if (!r->ok && r->why[0] != '\0')
		fprintf(stderr, TOOL ": %s\n", r->why);
}

static void
judge(const struct options *o, struct result *r)
{
	const IHV_EXAMPLE_STATS *s = &r->ext;

	r->ok = false;
	r->exactly_once = s->dwBadCompletions == 0 &&
		r->host.completions == r->host.sends_ok &&
		r->host.sends_ok == s->dwPacketsSent &&
		r->host.completions == s->dwCompletions + r->at_removal;
	/* Packets completed at the removal are not in the last STATS. */
	r->ledger_ok = r->at_removal != 0 ||
		s->ullSeqSumSent == s->ullSeqSumCompleted;
	r->exactly_once = r->exactly_once && r->ledger_ok;
	if (r->stalled)
		snprintf(r->why, sizeof(r->why), "no progress for %d s: %" PRIu32
			 " packets still in flight", STALL_SECONDS, s->dwInFlight);
	else if (s->dwErrors != 0)
		snprintf(r->why, sizeof(r->why), "%" PRIu32 " send(s) failed, the last "
			 "with %s (%" PRIu32 ")", s->dwErrors,
			 win32_error_name(s->dwLastError), s->dwLastError);
	else if (s->dwBadCompletions != 0)
		snprintf(r->why, sizeof(r->why), "%" PRIu32 " completion(s) of packets "
			 "not in flight", s->dwBadCompletions);
	else if (!r->ledger_ok)
		snprintf(r->why, sizeof(r->why), "replay counters of the packets accepted "
			 "sum to %" PRIu64 ", of those completed to %" PRIu64,
			 (uint64_t)s->ullSeqSumSent, (uint64_t)s->ullSeqSumCompleted);
	else if (s->dwPacketsSent == o->count &&
		 s->ullSeqSumSent != (uint64_t)o->count * (o->count + UINT64_C(1)) / 2)
		snprintf(r->why, sizeof(r->why), "the replay counters 1..%" PRIu32
			 " were not each sent once (sum %" PRIu64 ")", o->count,
			 (uint64_t)s->ullSeqSumSent);
	else if (s->dwPacketsSent != o->count)
		snprintf(r->why, sizeof(r->why), "%" PRIu32 " of %" PRIu32
			 " packets sent", s->dwPacketsSent, o->count);
	else if (s->dwCompletions != s->dwPacketsSent)
		snprintf(r->why, sizeof(r->why), "%" PRIu32 " completions for %" PRIu32
			 " packets", s->dwCompletions, s->dwPacketsSent);
	else if (r->host.completions != r->host.sends_ok ||
		 r->host.sends_ok != s->dwPacketsSent)
		snprintf(r->why, sizeof(r->why), "the host counts %" PRIu64 " accepted, %"
			 PRIu64 " completed; the extension %" PRIu32 " sent",
			 r->host.sends_ok, r->host.completions, s->dwPacketsSent);
	else
		r->ok = true;
}

/* Split the arguments, parse ours; with --pcap or --faults and the
 * defaults, split again so that the default port captures or has its
 * faults. */
static int
setup_args(int argc, char **argv, struct eal_args *ea, struct options *o,
	   char *vdev, size_t vdev_len)
{
	static const char *default_vdevs[2] = { DEFAULT_VDEV, NULL };

	if (eal_args_build(ea, argc, argv, default_vdevs) != 0) {
		fprintf(stderr, TOOL ": out of memory\n");
		return -1;
	}
	if (parse_options(ea->app_argc, ea->app_argv, o) != 0)
		return -1;
	if (o->pcap == NULL && !o->faults)
		return 0;
	if (!ea->defaults) {
		if (o->faults)
			fprintf(stderr, TOOL ": --faults works with the default port only; "
				"with EAL options of your own, put the faults on your "
				"net_wlansim vdev (e.g. --vdev=net_wlansim0,%s)\n", FAULT_ARGS);
		else
			fprintf(stderr, TOOL ": --pcap works with the default port only; with "
				"EAL options of your own, add pcap=%s to your net_wlansim vdev "
				"(e.g. --vdev=net_wlansim0,pcap=%s)\n", o->pcap, o->pcap);
		return -1;
	}
	if ((size_t)snprintf(vdev, vdev_len, DEFAULT_VDEV "%s%s%s",
			     o->faults ? "," FAULT_ARGS : "", o->pcap ? ",pcap=" : "",
			     o->pcap ? o->pcap : "") >= vdev_len) {
		fprintf(stderr, TOOL ": --pcap: file name too long\n");
		return -1;
	}
	default_vdevs[0] = vdev;
	eal_args_free(ea);
	if (eal_args_build(ea, argc, argv, default_vdevs) != 0) {
		fprintf(stderr, TOOL ": out of memory\n");
		return -1;
	}
	/* The options live in argv, which both splits share. */
	return parse_options(ea->app_argc, ea->app_argv, o);
}

/* The addresses not given: from the port's MAC (@p mac) and the role. */
static void
default_addresses(struct options *o, const struct rte_ether_addr *mac)
{
	if (!o->bssid_given) {
		if (o->role == D11TX_DOT11_AP)
			memcpy(o->bssid, mac->addr_bytes, 6);
		else
			tool_parse_mac(DEFAULT_BSSID, o->bssid);
	}
	if (!o->peer_given) {
		if (o->role == D11TX_DOT11_AP)
			tool_parse_mac(DEFAULT_STA_PEER, o->peer);
		else
			memcpy(o->peer, o->bssid, 6);
	}
}

/* Start the extension. Linked in, the batched addition is offered only
 * with --batch, so that a plain run is the Windows interface alone; a
 * shared object gets it when it exports Dot11txIhvInitBatch. NULL when it
 * cannot start (said why). */
static struct d11tx_ihv_host *
start_extension(const struct options *o)
{
	static const struct d11tx_ihv_extension linked_in = {
		.get_version_info = Dot11ExtIhvGetVersionInfo,
		.init_service = Dot11ExtIhvInitService,
		.init_batch = Dot11txIhvInitBatch,
	};
	struct d11tx_ihv_extension ext = linked_in;
	struct d11tx_ihv_host *h;

	if (o->extension != NULL) {
		h = d11tx_ihv_host_load(o->extension, NULL);
		if (h == NULL)
			fprintf(stderr, TOOL ": cannot start the extension %s: %s\n",
				o->extension,
				rte_errno == ENOENT ? "it cannot be loaded (see the log above)"
				: rte_errno == ENOEXEC ? "it exports no Dot11ExtIhvGetVersionInfo "
				  "or Dot11ExtIhvInitService"
				: rte_errno == ENOTSUP ? "it does not speak interface version 0"
				: rte_errno == EPROTO ? "Dot11ExtIhvInitService failed"
				: rte_strerror(rte_errno));
		return h;
	}
	if (!o->batch)
		ext.init_batch = NULL;
	h = d11tx_ihv_host_open(&ext, NULL);
	if (h == NULL)
		fprintf(stderr, TOOL ": cannot start the example extension: %s\n",
			rte_strerror(rte_errno));
	return h;
}

/* The port as the extension's adapter: *svc its handle for the host.
 * 0, or -1 (said why). */
static int
add_adapter(struct d11tx_ihv_host *h, const struct options *o, HANDLE *svc)
{
	struct d11tx_ihv_adapter_conf ac = { 0 };
	int ret;

	ac.port_id = o->port;
	ac.role = o->role;
	memcpy(ac.bssid, o->bssid, 6);
	ac.tid = -1;
	ac.description = TOOL;
	ret = d11tx_ihv_host_add_adapter(h, &ac, svc);
	if (ret != 0) {
		fprintf(stderr, TOOL ": cannot add port %u as an adapter: %s\n", o->port,
			ret == -EPROTO ? "Dot11ExtIhvInitAdapter failed" : strerror(-ret));
		return -1;
	}
	return 0;
}

/* Ask the extension to start sending, through its Control handler;
 * *start_tsc, when. 0, or -1 (said why). */
static int
start_sending(const DOT11EXT_IHV_HANDLERS *hd, HANDLE ext_adapter,
	      const struct options *o, const struct rte_ether_addr *mac,
	      struct result *r, uint64_t *start_tsc)
{
	IHV_EXAMPLE_COMMAND start = { .dwMagic = IHV_EXAMPLE_MAGIC,
		.dwCommand = IHV_EXAMPLE_CMD_START, .dwCount = o->count,
		.dwFlags = (o->batch ? IHV_EXAMPLE_START_BATCH : 0) |
			   (o->inject ? IHV_EXAMPLE_START_INJECT : 0),
		.usThreads = o->threads };
	DWORD err;

	memcpy(start.PeerMac, o->peer, 6);
	if (!o->quiet && !o->json)
		fprintf(stderr, TOOL ": port %u (%s) as %s, BSSID %s, own %s: "
			"sending %" PRIu32 " EAPOL frames to %s%s\n", o->port,
			port_driver(o->port), o->role == D11TX_DOT11_AP ? "AP" : "station",
			mac_str(o->bssid), mac_str(mac->addr_bytes), o->count,
			mac_str(o->peer), o->threads != 0 ? " from the extension's threads" : "");
	*start_tsc = rte_get_tsc_cycles();
	err = control(hd, ext_adapter, IHV_EXAMPLE_CMD_START, &start, &r->ext);
	if (err == ERROR_SUCCESS)
		return 0;
	fprintf(stderr, TOOL ": the extension refused START: %s (%" PRIu32 ")%s\n",
		win32_error_name(err), err,
		err == ERROR_NOT_SUPPORTED && o->batch
		? "; it has no batched APIs (does it export Dot11txIhvInitBatch?)"
		: err == ERROR_INVALID_PARAMETER
		? "; does it speak the example's Control protocol?" : "");
	return -1;
}

/* After the run: the queue's counters (ACKs), which die with the
 * adapter, then the adapter removed and the host's counters; the verdict
 * and the report. */
static void
finish(struct d11tx_ihv_host *h, HANDLE svc, const struct options *o,
       struct result *r)
{
	int ret;

	r->have_queue = d11tx_queue_stats_get(d11tx_ihv_host_queue(h, svc), &r->queue) == 0;
	ret = d11tx_ihv_host_remove_adapter(h, svc);
	if (ret != 0)
		fprintf(stderr, TOOL ": removing the adapter: %s\n", strerror(-ret));
	d11tx_ihv_host_stats_get(h, &r->host);
	if (r->host.completions > r->ext.dwCompletions)
		r->at_removal = r->host.completions - r->ext.dwCompletions;
	judge(o, r);
	if (ret != 0)
		r->ok = false;
	report(o, r);
}

int
main(int argc, char **argv)
{
	struct eal_args ea;
	struct options o;
	struct result r;
	struct rte_ether_addr mac;
	const DOT11EXT_IHV_HANDLERS *hd;
	struct d11tx_ihv_host *h;
	HANDLE svc = NULL;
	char vdev[4096];
	uint64_t start_tsc;

	memset(&r, 0, sizeof(r));
	if (setup_args(argc, argv, &ea, &o, vdev, sizeof(vdev)) != 0)
		return 2;
	if (rte_eal_init(ea.eal_argc, ea.eal_argv) < 0) {
		fprintf(stderr, TOOL ": EAL init failed: %s\n", rte_strerror(rte_errno));
		return 2;
	}
	if (!rte_eth_dev_is_valid_port(o.port)) {
		fprintf(stderr, TOOL ": no DPDK port %u (give one with --vdev=... or a NIC)\n",
			o.port);
		return 2;
	}
	if (rte_eth_macaddr_get(o.port, &mac) != 0)
		memset(&mac, 0, sizeof(mac));
	default_addresses(&o, &mac);
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);

	h = start_extension(&o);
	if (h == NULL)
		return 2;
	hd = d11tx_ihv_host_handlers(h);
	if (hd->Dot11ExtIhvControl == NULL) {
		fprintf(stderr, TOOL ": the extension has no Dot11ExtIhvControl handler\n");
		d11tx_ihv_host_close(h);
		return 2;
	}
	if (add_adapter(h, &o, &svc) != 0 ||
	    start_sending(hd, d11tx_ihv_host_ext_adapter(h, svc), &o, &mac, &r,
			  &start_tsc) != 0) {
		d11tx_ihv_host_close(h);
		return 2;
	}
	run(h, hd, d11tx_ihv_host_ext_adapter(h, svc), &o, start_tsc, &r);
	finish(h, svc, &o, &r);
	if (d11tx_ihv_host_close(h) != 0) {
		fprintf(stderr, TOOL ": the host could not be stopped\n");
		r.ok = false;
	} else if (o.pcap != NULL && !o.quiet && !o.json) {
		fprintf(stderr, TOOL ": the air is in %s (radiotap; e.g. tshark -r %s "
			"-Y eapol)\n", o.pcap, o.pcap);
	}
	rte_eal_cleanup();
	eal_args_free(&ea);
	return r.ok ? 0 : 1;
}
