/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Encapsulated sends (d11tx_send_eth_burst): Dot11ExtSendPacket-style
 * buffers go out as 802.11 data frames, header built by the engine,
 * payload attached zero-copy; exactly once, in both reclaim modes.
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <rte_errno.h>
#include <rte_ethdev.h>
#include <rte_malloc.h>
#include <rte_mbuf.h>
#include <rte_ring.h>

#include "common.h"

#define SLOT 512
/* A payload longer than the copy-break: zero-copy. */
#define LONG_PAYLOAD (D11TX_ENCAP_COPY_BREAK + 44)
#define SLOTS 64
#define NIC_RING 16

static uint16_t ring_port;
static struct rte_ring *nic;
static uint8_t *region;
static char pcap_path[64];   /* net_pcap0's capture file */

/* Send @p n eth frames on net_pcap0 as AP; returns after destroy, when
 * the capture file is closed; then sets its link type to @p linktype. */
static void set_pcap_linktype(uint8_t linktype);
static void send_to_pcap(const struct d11tx_radiotap_tx *rt, int n,
			 uint8_t linktype,
			 const struct d11tx_tx_params *txp);

static const struct d11tx_dot11_adapter sta = {
	.role = D11TX_DOT11_STATION,
	.own = { 0x02, 0x11, 0x11, 0x11, 0x11, 0x11 },
	.bssid = { 0x02, 0xbb, 0xbb, 0xbb, 0xbb, 0xbb },
};

/* An EAPOL frame in Dot11ExtSendPacket's layout in slot @p i: DA,
 * EtherType 0x888e, then @p payload bytes of i. */
static struct d11tx_eth_frame
eapol_at(uint32_t i, uint32_t payload, void *handle, uint16_t client, int8_t tid)
{
	uint8_t *p = region + (size_t)(i % SLOTS) * SLOT;
	static const uint8_t prefix[8] = { 0x02, 0xdd, 0xdd, 0xdd, 0xdd, 0xdd,
					   0x88, 0x8e };

	memcpy(p, prefix, sizeof(prefix));
	memset(p + 8, (int)(i & 0xff), payload);
	return (struct d11tx_eth_frame){ .data = p, .len = 8 + payload,
		.handle = handle, .client = client, .tid = tid };
}

static struct d11tx_queue *
queue_on(uint16_t port, uint32_t flags, uint32_t ring)
{
	struct d11tx_queue_conf c = { .port_id = port, .flags = flags,
				      .ring_size = ring };
	struct d11tx_queue *q = d11tx_queue_create(&c);

	assert_non_null(q);
	assert_int_equal(d11tx_mem_register(q, region, (size_t)SLOT * SLOTS), 0);
	assert_int_equal(d11tx_queue_set_adapter(q, &sta, D11TX_ADAPTER_ASSIGN_SEQ), 0);
	return q;
}

/* On net_null (tracked pools): many frames, QoS and not, exactly once. */
static void
test_exactly_once_null(void **state)
{
	enum { TOTAL = 100000 };
	struct d11tx_queue *q = queue_on(0, D11TX_QF_CONFIGURE_PORT, 256);
	struct d11tx_queue_stats s;
	struct ledger l;
	struct ledger_client lc;
	uint32_t sent = 0;

	(void)state;
	ledger_open(&l, &lc, q, TOTAL);
	while (sent < TOTAL) {
		struct d11tx_eth_frame f[32];
		uint16_t n = (uint16_t)RTE_MIN(32u, TOTAL - sent), taken;

		for (uint16_t i = 0; i < n; i++)
			f[i] = eapol_at(sent + i, (sent + i) % 3 == 0 ? 0 :
					(sent + i) % 3 == 1 ? 100 : LONG_PAYLOAD,
					ledger_take(&l, lc.id), lc.id,
					(int8_t)((sent + i) % 9 - 1));
		taken = d11tx_send_eth_burst(q, f, n);
		ledger_backpressure(&l, n, taken);
		sent += taken;
		d11tx_poll(q);
	}
	poll_until_idle(q, 1000000);
	ledger_assert_clean(&l);
	assert_int_equal(l.completed, TOTAL);
	assert_int_equal(d11tx_queue_stats_get(q, &s), 0);
	assert_int_equal(s.completed[D11TX_STATUS_SENT], TOTAL);
	queue_close(q, &l);
}

/* On net_ring (reference counts): what the NIC receives is the 802.11
 * frame, header then payload, and a long payload is the app's memory. */
static void
test_wire_bytes_ring(void **state)
{
	static const uint8_t want_hdr[34] = {
		0x88, 0x01, 0x00, 0x00,
		0x02, 0xbb, 0xbb, 0xbb, 0xbb, 0xbb,
		0x02, 0x11, 0x11, 0x11, 0x11, 0x11,
		0x02, 0xdd, 0xdd, 0xdd, 0xdd, 0xdd,
		0x10, 0x00,                     /* sequence number 1 */
		0x05, 0x00,                     /* TID 5 */
		0xaa, 0xaa, 0x03, 0x00, 0x00, 0x00, 0x88, 0x8e,
	};
	struct d11tx_queue *q = queue_on(ring_port, 0, 64);
	struct ledger l;
	struct ledger_client lc;
	struct d11tx_eth_frame f[2];
	struct rte_mbuf *m[2];
	uint8_t wire[34 + LONG_PAYLOAD];

	(void)state;
	ledger_open(&l, &lc, q, 2);
	f[0] = eapol_at(0, LONG_PAYLOAD, ledger_take(&l, lc.id), lc.id, 5);
	f[1] = eapol_at(1, LONG_PAYLOAD, ledger_take(&l, lc.id), lc.id, 5);
	assert_int_equal(d11tx_send_eth_burst(q, f, 2), 2);
	d11tx_poll(q);
	assert_int_equal(rte_ring_dequeue_bulk(nic, (void **)m, 2, NULL), 2);
	assert_int_equal(l.completed, 0);   /* the "NIC" still holds them */

	assert_int_equal(m[1]->nb_segs, 2);
	assert_int_equal(m[1]->pkt_len, 34 + LONG_PAYLOAD);
	assert_int_equal(m[1]->data_len, 34);
	/* Zero-copy: the payload segment is the app's buffer itself. */
	assert_ptr_equal(rte_pktmbuf_mtod(m[1]->next, const uint8_t *),
			 (const uint8_t *)f[1].data + 8);
	assert_non_null(rte_pktmbuf_read(m[1], 0, sizeof(wire), wire));
	assert_memory_equal(wire, want_hdr, sizeof(want_hdr));
	for (int i = 0; i < LONG_PAYLOAD; i++)
		assert_int_equal(wire[34 + i], 1);
	assert_int_equal(d11tx_dot11_validate(wire, sizeof(wire), 0), D11TX_DOT11_VALID);

	rte_pktmbuf_free_bulk(m, 2);
	poll_until_idle(q, 1000);
	assert_int_equal(l.completed, 2);
	ledger_assert_clean(&l);
	queue_close(q, &l);
}

/*
 * Up to D11TX_ENCAP_COPY_BREAK bytes the payload is copied: one segment,
 * the same bytes on the wire, whatever the app writes into its buffer
 * afterwards, and the region no longer held; the handle still completes
 * only when the NIC lets go, once. One byte more goes zero-copy.
 */
static void
test_copy_break(void **state)
{
	static const uint32_t hl = 32;     /* non-QoS data + LLC/SNAP */
	struct d11tx_queue *q = queue_on(ring_port, 0, 64);
	struct ledger l;
	struct ledger_client lc;
	struct d11tx_eth_frame f[2];
	struct rte_mbuf *m[2];
	uint8_t want[32 + D11TX_ENCAP_COPY_BREAK];
	uint8_t *app;

	(void)state;
	ledger_open(&l, &lc, q, 2);
	f[0] = eapol_at(0, D11TX_ENCAP_COPY_BREAK, ledger_take(&l, lc.id), lc.id, -1);
	f[1] = eapol_at(1, D11TX_ENCAP_COPY_BREAK + 1, ledger_take(&l, lc.id), lc.id, -1);
	app = (uint8_t *)(uintptr_t)f[0].data;
	assert_int_equal(d11tx_send_eth_burst(q, &f[0], 1), 1);
	d11tx_poll(q);
	/* Copied: the app's buffer and region are free again at once. */
	memset(app + 8, 0xee, D11TX_ENCAP_COPY_BREAK);
	assert_int_equal(d11tx_mem_unregister(q, region), 0);
	assert_int_equal(d11tx_mem_register(q, region, (size_t)SLOT * SLOTS), 0);
	assert_int_equal(d11tx_send_eth_burst(q, &f[1], 1), 1);
	d11tx_poll(q);
	assert_int_equal(d11tx_mem_unregister(q, region), -EBUSY);
	assert_int_equal(rte_ring_dequeue_bulk(nic, (void **)m, 2, NULL), 2);
	assert_int_equal(l.completed, 0);   /* the "NIC" still holds them */

	assert_int_equal(m[0]->nb_segs, 1);
	assert_int_equal(m[0]->data_len, hl + D11TX_ENCAP_COPY_BREAK);
	assert_int_equal(m[0]->pkt_len, hl + D11TX_ENCAP_COPY_BREAK);
	assert_int_equal(d11tx_dot11_encap(&sta, app, -1, want), (int)hl);
	want[22] = 0;                       /* sequence number 0 */
	want[23] = 0;
	memset(want + hl, 0, D11TX_ENCAP_COPY_BREAK);   /* slot 0's payload */
	assert_memory_equal(rte_pktmbuf_mtod(m[0], const uint8_t *), want, sizeof(want));
	assert_int_equal(m[1]->nb_segs, 2);
	assert_int_equal(m[1]->data_len, hl);
	assert_int_equal(m[1]->pkt_len, hl + D11TX_ENCAP_COPY_BREAK + 1);
	assert_ptr_equal(rte_pktmbuf_mtod(m[1]->next, const uint8_t *),
			 (const uint8_t *)f[1].data + 8);

	rte_pktmbuf_free_bulk(m, 2);
	poll_until_idle(q, 1000);
	assert_int_equal(l.completed, 2);
	assert_int_equal(l.by_status[D11TX_STATUS_SENT], 2);
	ledger_assert_clean(&l);
	queue_close(q, &l);
}

/* For every role, QoS or not, and a bridge-tunnel EtherType: the header
 * on the wire is the one d11tx_dot11_encap() builds. */
static void
test_headers_match_encap(void **state)
{
	static const enum d11tx_dot11_role roles[] = {
		D11TX_DOT11_STATION, D11TX_DOT11_AP, D11TX_DOT11_ADHOC };
	static const uint16_t ethertypes[] = { 0x888e, 0x8137, 0x80f3, 0x0800 };

	(void)state;
	for (size_t r = 0; r < RTE_DIM(roles); r++) {
		struct d11tx_dot11_adapter a = sta;
		struct d11tx_queue *q;
		struct ledger l;
		struct ledger_client lc;

		a.role = roles[r];
		q = queue_on(ring_port, 0, 64);
		assert_int_equal(d11tx_queue_set_adapter(q, &a, 0), 0);
		ledger_open(&l, &lc, q, 8);
		for (size_t e = 0; e < RTE_DIM(ethertypes); e++)
			for (int8_t tid = -1; tid <= 7; tid += 8) {
				struct d11tx_eth_frame f = eapol_at((uint32_t)e, 10,
					ledger_take(&l, lc.id), lc.id, tid);
				uint8_t *p = (uint8_t *)(uintptr_t)f.data;
				uint8_t want[D11TX_DOT11_ENCAP_MAX], got[D11TX_DOT11_ENCAP_MAX];
				struct rte_mbuf *m = NULL;
				int hl;

				p[6] = (uint8_t)(ethertypes[e] >> 8);
				p[7] = (uint8_t)ethertypes[e];
				p[5] = (uint8_t)(e + 0x40);   /* a DA of its own */
				if (ethertypes[e] == 0x0800)  /* and one broadcast */
					memset(p, 0xff, 6);
				hl = d11tx_dot11_encap(&a, p, tid, want);
				assert_int_equal(d11tx_send_eth_burst(q, &f, 1), 1);
				d11tx_poll(q);
				assert_int_equal(rte_ring_dequeue(nic, (void **)&m), 0);
				assert_int_equal(m->data_len, hl + 10);   /* copied */
				memcpy(got, rte_pktmbuf_mtod(m, const uint8_t *), (size_t)hl);
				rte_pktmbuf_free(m);
				assert_memory_equal(got, want, (size_t)hl);
			}
		poll_until_idle(q, 1000);
		assert_int_equal(l.completed, 8);
		ledger_assert_clean(&l);
		queue_close(q, &l);
	}
}

static void
test_refusals(void **state)
{
	struct d11tx_queue_conf c = { .port_id = 0, .flags = D11TX_QF_CONFIGURE_PORT,
				      .max_frame_len = 200 };
	struct d11tx_queue *q = d11tx_queue_create(&c);
	struct ledger l;
	struct ledger_client lc;
	struct d11tx_eth_frame f;
	static const struct {
		const char *what;
		uint32_t len;
		int8_t tid;
		int err;
	} bad[] = {
		{ "length 0", 0, -1, ENODATA },
		{ "shorter than DA + EtherType", 7, -1, EBADMSG },
		{ "TID 8", 50, 8, EINVAL },
		{ "TID -2", 50, -2, EINVAL },
		{ "802.11 frame over max_frame_len", 200 - 32 + 8 + 1, -1, EMSGSIZE },
		{ "QoS frame over max_frame_len", 200 - 34 + 8 + 1, 0, EMSGSIZE },
	};

	(void)state;
	assert_non_null(q);
	assert_int_equal(d11tx_mem_register(q, region, (size_t)SLOT * SLOTS), 0);
	ledger_open(&l, &lc, q, 16);
	f = eapol_at(0, 10, ledger_take(&l, lc.id), lc.id, -1);
	/* No adapter yet. */
	assert_int_equal(d11tx_send_eth_burst(q, &f, 1), 0);
	assert_int_equal(rte_errno, ENOTCONN);
	assert_int_equal(d11tx_queue_eth_max_len(q, -1), 0);
	/* An 802.3 length where the EtherType goes. */
	((uint8_t *)(uintptr_t)f.data)[6] = 0x05;
	assert_int_equal(d11tx_queue_set_adapter(q, &sta, 0), 0);
	assert_int_equal(d11tx_send_eth_burst(q, &f, 1), 0);
	assert_int_equal(rte_errno, EINVAL);
	((uint8_t *)(uintptr_t)f.data)[6] = 0x88;
	assert_int_equal(d11tx_queue_set_adapter(q, NULL, 0), -EINVAL);
	assert_int_equal(d11tx_queue_set_adapter(q, &sta, 0), 0);
	ledger_refused(f.handle);
	for (size_t i = 0; i < RTE_DIM(bad); i++) {
		f = eapol_at(0, 0, ledger_take(&l, lc.id), lc.id, bad[i].tid);
		f.len = bad[i].len;
		rte_errno = 0;
		if (d11tx_send_eth_burst(q, &f, 1) != 0 || rte_errno != bad[i].err)
			fail_msg("%s: accepted or errno %d", bad[i].what, rte_errno);
		ledger_refused(f.handle);
	}
	/* The longest frame each way, as d11tx_queue_eth_max_len() says:
	 * the MPDU limit less the 24- or 26-byte header and 8 of LLC/SNAP,
	 * plus the DA and EtherType the frame brings. */
	assert_int_equal(d11tx_queue_eth_max_len(q, -1), 200 - 32 + 8);
	assert_int_equal(d11tx_queue_eth_max_len(q, 7), 200 - 34 + 8);
	assert_int_equal(d11tx_queue_eth_max_len(q, 8), 0);
	assert_int_equal(d11tx_queue_eth_max_len(q, -2), 0);
	assert_int_equal(d11tx_queue_eth_max_len(NULL, -1), 0);
	/* Exactly at the limit is fine; outside the region is not. */
	f = eapol_at(0, 200 - 32, ledger_take(&l, lc.id), lc.id, -1);
	assert_int_equal(f.len, d11tx_queue_eth_max_len(q, -1));
	assert_int_equal(d11tx_send_eth_burst(q, &f, 1), 1);
	f = eapol_at(0, 10, ledger_take(&l, lc.id), lc.id, -1);
	f.data = region - 64;
	assert_int_equal(d11tx_send_eth_burst(q, &f, 1), 0);
	assert_int_equal(rte_errno, EFAULT);
	ledger_refused(f.handle);
	poll_until_idle(q, 100000);
	assert_int_equal(l.completed, 1);
	ledger_assert_clean(&l);
	queue_close(q, &l);
}

/* Stop with encapsulated frames staged (cancelled) and at the NIC (given
 * back when the NIC lets go), in both reclaim modes, copied (one segment)
 * and zero-copy (two, three with the FCS tail); pools come back full. */
static void
test_stop_in_flight(void **state)
{
	const uint16_t ports[2] = { 0, ring_port };
	const struct d11tx_radiotap_tx fcs = { .flags = D11TX_RADIOTAP_F_FCS };

	(void)state;
	for (int run = 0; run < 4; run++) {
		const int k = run & 1;
		struct d11tx_queue *q = queue_on(ports[k], k == 0 ?
						 D11TX_QF_CONFIGURE_PORT : 0, 64);
		struct d11tx_eth_frame f[40];
		struct ledger l;
		struct ledger_client lc;

		if (run >= 2)
			assert_int_equal(d11tx_queue_set_radiotap(q, &fcs), 0);
		ledger_open(&l, &lc, q, 40);
		for (int i = 0; i < 40; i++)
			f[i] = eapol_at((uint32_t)i, i % 2 ? LONG_PAYLOAD : 60,
					ledger_take(&l, lc.id), lc.id, 3);
		assert_int_equal(d11tx_send_eth_burst(q, f, 20), 20);
		d11tx_poll(q);   /* net_null: all sent; net_ring: 15 at the NIC */
		assert_int_equal(d11tx_send_eth_burst(q, &f[20], 20), 20);
		if (k == 1) {
			assert_int_equal(d11tx_queue_stop(q, 100), -EBUSY);
			assert_int_equal(test_ring_drain(nic), NIC_RING - 1);
		}
		assert_int_equal(d11tx_queue_stop(q, 100), 0);
		assert_int_equal(l.completed, 40);
		assert_int_equal(l.by_status[D11TX_STATUS_CANCELLED],
				 k == 0 ? 20 : 40 - (NIC_RING - 1));
		ledger_assert_clean(&l);
		queue_close(q, &l);
	}
}

/* tshark reading net_pcap0's capture, the FCS and checksums checked,
 * @p fields (-e ...) comma-separated, a line a frame. */
static FILE *
tshark_fields(const char *fields)
{
	char cmd[768];
	FILE *p;

	snprintf(cmd, sizeof(cmd), "tshark -n -o wlan.check_fcs:TRUE "
		 "-o wlan.check_checksum:TRUE -r %s -T fields -E separator=, %s "
		 "2>/dev/null", pcap_path, fields);
	p = popen(cmd, "r");
	assert_non_null(p);
	return p;
}

/* tshark's lines for the capture's frames, @p fields of each: exactly
 * @p want, one a frame, each printed. */
static void
expect_tshark_lines(const char *fields, const char *const *want, int n)
{
	FILE *p = tshark_fields(fields);
	char line[256];

	for (int i = 0; i < n; i++) {
		assert_non_null(fgets(line, sizeof(line), p));
		line[strcspn(line, "\n")] = '\0';
		print_message("tshark, frame %d: %s\n", i, line);
		assert_string_equal(line, want[i]);
	}
	assert_null(fgets(line, sizeof(line), p));
	assert_int_equal(pclose(p), 0);
}

/* With a radiotap TX header in front, for injection: tshark decodes the
 * radiotap fields, then the same 802.11 frame. */
static void
test_tshark_decodes_radiotap(void **state)
{
	const struct d11tx_radiotap_tx rt = {
		.rate_500k = 12, .tx_flags = D11TX_RADIOTAP_TX_NOACK,
		.mcs = true, .mcs_index = 3 };
	struct d11tx_radiotap_tx with_fcs = rt;
	char cmd[512], line[256];
	FILE *p;


	(void)state;
	if (!test_have_program("tshark"))
		skip_missing("tshark not installed");
	send_to_pcap(&rt, 1, 127, NULL);    /* DLT_IEEE802_11_RADIO */
	snprintf(cmd, sizeof(cmd), "tshark -n -r %s -T fields -E separator=, "
		 "-e radiotap.datarate -e radiotap.txflags -e radiotap.mcs.index "
		 "-e wlan.fc.type_subtype -e wlan.da -e llc.type 2>/dev/null", pcap_path);
	p = popen(cmd, "r");
	assert_non_null(p);
	assert_non_null(fgets(line, sizeof(line), p));
	assert_int_equal(pclose(p), 0);
	line[strcspn(line, "\n")] = '\0';
	print_message("tshark: %s\n", line);
	/* 6 Mbit/s from Rate, 26 derived from MCS 3 (20 MHz, long GI) */
	assert_string_equal(line, "6,26,0x0008,3,0x0020,02:dd:dd:dd:dd:dd,0x888e");

	/* With the FCS: a third segment, and tshark finds it good. */
	with_fcs.flags = D11TX_RADIOTAP_F_FCS;
	send_to_pcap(&with_fcs, 3, 127, NULL);
	p = tshark_fields("-e radiotap.flags.fcs -e wlan.fcs.status -e wlan.seq "
			  "-e llc.type -e frame.len");
	for (int i = 0; i < 3; i++) {
		char want[64];

		assert_non_null(fgets(line, sizeof(line), p));
		line[strcspn(line, "\n")] = '\0';
		print_message("tshark: %s\n", line);
		/* radiotap (8 + Flags, Rate, TX flags, MCS: 15) + header (32,
		 * QoS 34) + payload (40) + FCS */
		snprintf(want, sizeof(want), "1,1,%d,0x888e,%d", i == 2 ? 0 : i,
			 15 + (i == 2 ? 34 : 32) + 40 + 4);
		assert_string_equal(line, want);
	}
	assert_int_equal(pclose(p), 0);
}

/* Per-frame TX parameters in each frame's radiotap header, one frame per
 * kind: a legacy rate with a retry limit, HT MCS 40 MHz short GI without
 * ACK, VHT MCS with streams and 80 MHz, and one of them again with the
 * FCS; tshark reads back what each asked for. */
static void
test_tshark_decodes_tx_params(void **state)
{
	static const struct d11tx_tx_params txp[4] = {
		{ .rate = { .phy = D11TX_PHY_LEGACY, .rate = 22 },
		  .flags = D11TX_TXP_RETRY_LIMIT, .retry_limit = 4 },
		{ .rate = { .phy = D11TX_PHY_HT, .rate = 15, .bw = D11TX_BW_40,
			    .short_gi = 1 }, .flags = D11TX_TXP_NO_ACK },
		{ .rate = { .phy = D11TX_PHY_VHT, .rate = 7, .nss = 3, .bw = D11TX_BW_80 },
		  .flags = D11TX_TXP_RETRY_LIMIT, .retry_limit = 0 },
		{ .rate = { .phy = D11TX_PHY_VHT, .rate = 9, .nss = 2, .bw = D11TX_BW_160,
			    .short_gi = 1 } },
	};
	/* Rate (Mbit/s), data retries, TX flags, MCS index, MCS bandwidth
	 * (1: 40 MHz), MCS GI (1: short), VHT MCS, NSS, bandwidth (4: 80,
	 * 11: 160 MHz), GI, VHT data rate (tshark's own tables, which agree
	 * with d11tx_tx_rate_kbps(), checked below), then the frame: the
	 * queue's radiotap asks for the FCS, which the 802.11 frame carries
	 * and tshark checks. tshark gives an HT rate as the datarate. */
	static const char *const want[4] = {
		"11,4,,,,,,,,,,1,0x888e",
		"300,,0x0008,15,1,1,,,,,,1,0x888e",
		",0,,,,,7,3,4,0,877.5,1,0x888e",
		",,,,,,9,2,11,1,1733.4,1,0x888e",   /* tshark rounds up */
	};
	const struct d11tx_radiotap_tx base = { .flags = D11TX_RADIOTAP_F_FCS };

	(void)state;
	if (!test_have_program("tshark"))
		skip_missing("tshark not installed");
	send_to_pcap(&base, 4, 127, txp);
	expect_tshark_lines("-e radiotap.datarate -e radiotap.data_retries "
			    "-e radiotap.txflags -e radiotap.mcs.index -e radiotap.mcs.bw "
			    "-e radiotap.mcs.gi -e radiotap.vht.mcs.0 -e radiotap.vht.nss.0 "
			    "-e radiotap.vht.bw -e radiotap.vht.gi -e radiotap.vht.datarate.0 "
			    "-e wlan.fcs.status -e llc.type", want, 4);
	assert_int_equal(d11tx_tx_rate_kbps(&txp[0].rate), 11000);
	assert_int_equal(d11tx_tx_rate_kbps(&txp[1].rate), 300000);
	assert_int_equal(d11tx_tx_rate_kbps(&txp[2].rate), 877500);
	assert_int_equal(d11tx_tx_rate_kbps(&txp[3].rate), 1733333);
}

/* App frames and engine buffers naming a set on a radiotap queue: the
 * set's header goes in front (a segment of its own for an app frame, the
 * buffer's headroom for an engine buffer), the 802.11 frame behind it
 * as given; tshark reads both. */
static void
test_tshark_decodes_tx_params_802_11(void **state)
{
	static const struct d11tx_tx_params txp[2] = {
		{ .rate = { .phy = D11TX_PHY_HT, .rate = 4, .short_gi = 1 },
		  .flags = D11TX_TXP_RETRY_LIMIT, .retry_limit = 2 },
		{ .rate = { .phy = D11TX_PHY_VHT, .rate = 8, .nss = 1, .bw = D11TX_BW_40 },
		  .flags = D11TX_TXP_NO_ACK },
	};
	static const char *const want[4] = {
		"43.3333,2,,4,0,1,,,,,0x0020,0x888e",
		",,0x0008,,,,8,1,1,0,0x0020,0x888e",
		"43.3333,2,,4,0,1,,,,,0x0020,0x888e",
		",,0x0008,,,,8,1,1,0,0x0020,0x888e",
	};
	struct d11tx_queue_conf c = { .flags = D11TX_QF_CONFIGURE_PORT, .buf_count = 8 };
	struct d11tx_queue *q;
	struct ledger l;
	struct ledger_client lc;
	struct d11tx_frame f[2];
	struct d11tx_buf *b[2];
	uint8_t *frame = region + (size_t)(SLOTS - 1) * SLOT;
	int len;

	(void)state;
	if (!test_have_program("tshark"))
		skip_missing("tshark not installed");
	assert_int_equal(rte_eth_dev_get_port_by_name("net_pcap0", &c.port_id), 0);
	q = d11tx_queue_create(&c);
	assert_non_null(q);
	assert_int_equal(d11tx_mem_register(q, region, (size_t)SLOT * SLOTS), 0);
	assert_int_equal(d11tx_queue_set_radiotap(q, &(struct d11tx_radiotap_tx){ 0 }), 0);
	for (unsigned int i = 0; i < 2; i++)
		assert_int_equal(d11tx_queue_set_tx_params(q, i + 1, &txp[i]), 0);
	/* An EAPOL data frame to the AP, as the engine would encapsulate it. */
	len = d11tx_dot11_encap(&sta, (const uint8_t[8]){ 2, 0xdd, 0xdd, 0xdd, 0xdd, 0xdd,
							  0x88, 0x8e }, -1, frame);
	assert_true(len > 0);
	memset(frame + len, 0x5a, 40);
	len += 40;
	ledger_open(&l, &lc, q, 4);
	assert_int_equal(d11tx_buf_alloc(q, b, 2), 2);
	for (int i = 0; i < 2; i++) {
		f[i] = (struct d11tx_frame){ .data = frame, .len = (uint32_t)len,
			.client = lc.id, .tx_params = (uint16_t)(i + 1),
			.handle = ledger_take(&l, lc.id) };
		memcpy(d11tx_buf_data(b[i]), frame, (size_t)len);
		d11tx_buf_set(b[i], (uint32_t)len, lc.id, ledger_take(&l, lc.id));
		d11tx_buf_set_tx_params(b[i], (uint8_t)(i + 1));
	}
	assert_int_equal(d11tx_send_burst(q, f, 2), 2);
	assert_int_equal(d11tx_buf_submit(q, b, 2), 2);
	poll_until_idle(q, 100000);
	assert_int_equal(l.completed, 4);
	ledger_assert_clean(&l);
	queue_close(q, &l);
	set_pcap_linktype(127);
	/* Frames 0 and 1 the app frames, 2 and 3 the engine buffers. */
	expect_tshark_lines("-e radiotap.datarate -e radiotap.data_retries "
			    "-e radiotap.txflags -e radiotap.mcs.index -e radiotap.mcs.bw "
			    "-e radiotap.mcs.gi -e radiotap.vht.mcs.0 -e radiotap.vht.nss.0 "
			    "-e radiotap.vht.bw -e radiotap.vht.gi -e wlan.fc.type_subtype "
			    "-e llc.type", want, 4);
}

/* One call spreads frames over the four access-category queues of a
 * port; each queue's callback sees exactly its frames. */
static void
test_spread_over_access_categories(void **state)
{
	static const int8_t tids[] = { -1, 0, 1, 2, 3, 4, 5, 6, 7, 7, 6, 1 };
	/* TX queue per TID: VO 0 (6, 7), VI 1 (4, 5), BE 2 (0, 3, non-QoS),
	 * BK 3 (1, 2). */
	static const uint64_t want_per_queue[4] = { 4, 2, 3, 3 };
	struct rte_eth_conf conf = { 0 };
	struct rte_eth_dev_info info;
	struct d11tx_queue *qs[4];
	struct ledger l;
	struct ledger_client lc[4];
	struct d11tx_eth_frame f[RTE_DIM(tids)];
	struct d11tx_queue_stats st;

	(void)state;
	/* Chains allowed where the port says it takes them (net_null does
	 * since 25.11): the engine refuses a port that could take chains but
	 * was configured without. */
	assert_int_equal(rte_eth_dev_info_get(0, &info), 0);
	conf.txmode.offloads = info.tx_offload_capa & RTE_ETH_TX_OFFLOAD_MULTI_SEGS;
	assert_int_equal(rte_eth_dev_configure(0, 0, 4, &conf), 0);
	for (uint16_t i = 0; i < 4; i++)
		assert_int_equal(rte_eth_tx_queue_setup(0, i, 0, rte_socket_id(), NULL), 0);
	assert_int_equal(rte_eth_dev_start(0), 0);
	ledger_init(&l, 2 * RTE_DIM(tids));   /* two rounds */
	for (uint16_t i = 0; i < 4; i++) {
		struct d11tx_queue_conf c = { .port_id = 0, .queue_id = i };

		qs[i] = d11tx_queue_create(&c);
		assert_non_null(qs[i]);
		assert_int_equal(d11tx_mem_register(qs[i], region, (size_t)SLOT * SLOTS), 0);
		assert_int_equal(d11tx_queue_set_adapter(qs[i], &sta, 0), 0);
		lc[i] = (struct ledger_client){ .ledger = &l };
		/* Client id 0 on every queue: each queue has its own table. */
		assert_int_equal(d11tx_client_register(qs[i], ledger_cb, &lc[i]), 0);
	}
	for (size_t i = 0; i < RTE_DIM(tids); i++)
		f[i] = eapol_at((uint32_t)i, 20, ledger_take(&l, 0), 0, tids[i]);
	assert_int_equal(d11tx_send_eth_burst_ac(qs, f, RTE_DIM(tids)), RTE_DIM(tids));
	for (uint16_t i = 0; i < 4; i++) {
		poll_until_idle(qs[i], 10000);
		assert_int_equal(d11tx_queue_stats_get(qs[i], &st), 0);
		assert_int_equal(st.submitted, want_per_queue[i]);
		assert_int_equal(lc[i].completed, want_per_queue[i]);
	}
	ledger_assert_clean(&l);
	/* A refusal in the middle ends the call there. */
	f[3].len = 3;
	for (size_t i = 0; i < RTE_DIM(tids); i++)
		f[i].handle = ledger_take(&l, 0);
	assert_int_equal(d11tx_send_eth_burst_ac(qs, f, RTE_DIM(tids)), 3);
	assert_int_equal(rte_errno, EBADMSG);
	for (size_t i = 3; i < RTE_DIM(tids); i++)
		ledger_refused(f[i].handle);
	for (uint16_t i = 0; i < 4; i++) {
		poll_until_idle(qs[i], 10000);
		assert_int_equal(d11tx_queue_destroy(qs[i]), 0);
	}
	ledger_assert_clean(&l);
	assert_int_equal(l.completed, RTE_DIM(tids) + 3);
	ledger_fini(&l);
	assert_int_equal(rte_eth_dev_stop(0), 0);
}

/* The whole path through a real capture: frames sent on net_pcap, the file
 * decoded by tshark. net_pcap writes Ethernet's link type whatever it
 * sends, so the test sets 802.11 (105) in the file header first. */
static void
send_to_pcap(const struct d11tx_radiotap_tx *rt, int n, uint8_t linktype,
	     const struct d11tx_tx_params *txp)
{
	struct d11tx_queue_conf c = { .flags = D11TX_QF_CONFIGURE_PORT };
	struct d11tx_dot11_adapter ap = sta;
	struct d11tx_queue *q;
	struct ledger l;
	struct ledger_client lc;
	struct d11tx_eth_frame f[4];
	uint16_t port;

	assert_true(n <= 4);
	assert_int_equal(rte_eth_dev_get_port_by_name("net_pcap0", &port), 0);
	c.port_id = port;
	q = d11tx_queue_create(&c);
	assert_non_null(q);
	assert_int_equal(d11tx_mem_register(q, region, (size_t)SLOT * SLOTS), 0);
	ap.role = D11TX_DOT11_AP;
	assert_int_equal(d11tx_queue_set_adapter(q, &ap, D11TX_ADAPTER_ASSIGN_SEQ), 0);
	assert_int_equal(d11tx_queue_set_radiotap(q, rt), 0);
	ledger_open(&l, &lc, q, (uint32_t)n);
	for (int i = 0; i < n; i++) {
		f[i] = eapol_at((uint32_t)i, 40, ledger_take(&l, lc.id), lc.id,
				(int8_t)(i == 2 ? 6 : -1));
		/* Frame i with set i + 1 of @p txp, in slot i + 1. */
		if (txp != NULL) {
			assert_int_equal(d11tx_queue_set_tx_params(q, (unsigned int)i + 1,
								   &txp[i]), 0);
			f[i].tx_params = (uint8_t)(i + 1);
		}
	}
	assert_int_equal(d11tx_send_eth_burst(q, f, (uint16_t)n), n);
	poll_until_idle(q, 100000);
	assert_int_equal(l.completed, (uint64_t)n);
	ledger_assert_clean(&l);
	/* Destroy stops the port, which closes the capture file. */
	queue_close(q, &l);
	set_pcap_linktype(linktype);
}

/* net_pcap writes Ethernet's link type whatever it sends: set the real
 * one in the closed capture's file header. */
static void
set_pcap_linktype(uint8_t linktype)
{
	FILE *file = fopen(pcap_path, "r+b");
	const uint8_t dlt[4] = { linktype, 0, 0, 0 };

	assert_non_null(file);
	assert_int_equal(fseek(file, 20, SEEK_SET), 0);
	assert_int_equal(fwrite(dlt, 1, 4, file), 4);
	fclose(file);
}

static void
test_tshark_decodes_net_pcap(void **state)
{
	char cmd[512], line[256];
	FILE *p;
	int lines = 0;

	(void)state;
	if (!test_have_program("tshark"))
		skip_missing("tshark not installed");
	send_to_pcap(NULL, 3, 105, NULL);   /* DLT_IEEE802_11 */
	snprintf(cmd, sizeof(cmd), "tshark -n -r %s -T fields -E separator=, "
		 "-e wlan.fc.type_subtype -e wlan.fc.ds -e wlan.da -e wlan.bssid "
		 "-e wlan.seq -e wlan.qos.tid -e llc.type -e frame.len 2>/dev/null",
		 pcap_path);
	p = popen(cmd, "r");
	assert_non_null(p);
	while (fgets(line, sizeof(line), p) != NULL) {
		static const char *const want[3] = {
			"0x0020,0x02,02:dd:dd:dd:dd:dd,02:bb:bb:bb:bb:bb,0,,0x888e,72",
			"0x0020,0x02,02:dd:dd:dd:dd:dd,02:bb:bb:bb:bb:bb,1,,0x888e,72",
			"0x0028,0x02,02:dd:dd:dd:dd:dd,02:bb:bb:bb:bb:bb,0,6,0x888e,74",
		};

		line[strcspn(line, "\n")] = '\0';
		print_message("tshark: %s\n", line);
		assert_true(lines < 3);
		assert_string_equal(line, want[lines]);
		lines++;
	}
	assert_int_equal(pclose(p), 0);
	assert_int_equal(lines, 3);
}

static int
setup(void **state)
{
	static char pcap_vdev[96];
	static const char *vdevs[] = { "net_null0", pcap_vdev, NULL };

	(void)state;
	snprintf(pcap_path, sizeof(pcap_path), "/tmp/d11tx_encap_%d.pcap", (int)getpid());
	snprintf(pcap_vdev, sizeof(pcap_vdev), "net_pcap0,tx_pcap=%s", pcap_path);
	test_eal_init("test_encap", vdevs);
	ring_port = test_ring_port("net_ring_encap", NIC_RING, &nic);
	region = rte_zmalloc("eth_frames", (size_t)SLOT * SLOTS, 64);
	assert_non_null(region);
	return 0;
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_exactly_once_null),
		cmocka_unit_test(test_copy_break),
		cmocka_unit_test(test_wire_bytes_ring),
		cmocka_unit_test(test_headers_match_encap),
		cmocka_unit_test(test_refusals),
		cmocka_unit_test(test_stop_in_flight),
		cmocka_unit_test(test_tshark_decodes_net_pcap),
		cmocka_unit_test(test_tshark_decodes_radiotap),
		cmocka_unit_test(test_tshark_decodes_tx_params),
		cmocka_unit_test(test_tshark_decodes_tx_params_802_11),
		cmocka_unit_test(test_spread_over_access_categories),
	};

	int ret;

	apply_test_filter();
	ret = cmocka_run_group_tests_name("encap", tests, setup, NULL);
	unlink(pcap_path);
	return ret;
}
