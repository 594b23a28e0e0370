/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The 802.11 framing layer: golden bytes for every builder, validation
 * against a table and against every frame of the real captures, and
 * tshark decoding what we build (skipped where tshark is missing).
 */

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <pcap/pcap.h>

#include "common.h"
#include <dot11tx/dot11.h>

static void
test_header_lengths(void **state)
{
	static const struct {
		uint16_t fc;
		uint32_t len;
	} cases[] = {
		{ 0x00d4, 10 },  /* ACK */
		{ 0x00c4, 10 },  /* CTS */
		{ 0x00b4, 16 },  /* RTS */
		{ 0x00a4, 16 },  /* PS-Poll */
		{ 0x0084, 20 },  /* BlockAckReq */
		{ 0x0024, 24 },  /* Trigger */
		{ 0x0044, 17 },  /* Beamforming Report Poll */
		{ 0x0054, 19 },  /* VHT NDP Announcement */
		{ 0x0080, 24 },  /* beacon */
		{ 0x8080, 28 },  /* beacon, +HTC */
		{ 0x00c0, 24 },  /* deauthentication */
		{ 0x0008, 24 },  /* data */
		{ 0x0308, 30 },  /* data, four addresses */
		{ 0x8008, 24 },  /* data with Order: no HT Control without QoS */
		{ 0x0088, 26 },  /* QoS data */
		{ 0x0388, 32 },  /* QoS data, four addresses */
		{ 0x8088, 30 },  /* QoS data, +HTC */
		{ 0x00c8, 26 },  /* QoS null */
		{ 0x0048, 24 },  /* null */
		{ 0x000c, 10 },  /* extension: DMG beacon */
		{ 0x0070, 0 },   /* management subtype 7: reserved */
		{ 0x00f0, 0 },   /* management subtype 15: reserved */
		{ 0x00d8, 0 },   /* data subtype 13: reserved */
		{ 0x0004, 0 },   /* control subtype 0: reserved */
		{ 0x0014, 0 },   /* control subtype 1: reserved */
		{ 0x002c, 0 },   /* extension subtype 2: reserved */
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		if (d11tx_dot11_hdr_len(cases[i].fc) != cases[i].len)
			fail_msg("fc 0x%04x: %u, want %u", cases[i].fc,
				 d11tx_dot11_hdr_len(cases[i].fc), cases[i].len);
}

static void
test_validation(void **state)
{
	uint8_t f[D11TX_DOT11_MAX_MPDU + 1] = { 0 };

	(void)state;
	f[0] = 0xd4;   /* ACK */
	assert_int_equal(d11tx_dot11_validate(f, 10, 0), D11TX_DOT11_VALID);
	assert_int_equal(d11tx_dot11_validate(f, 9, 0), D11TX_DOT11_TOO_SHORT);
	assert_int_equal(d11tx_dot11_validate(f, 1, 0), D11TX_DOT11_TOO_SHORT);
	assert_int_equal(d11tx_dot11_validate(NULL, 10, 0), D11TX_DOT11_TOO_SHORT);
	f[0] = 0xd5;   /* ACK, protocol version 1 */
	assert_int_equal(d11tx_dot11_validate(f, 10, 0), D11TX_DOT11_BAD_VERSION);
	f[0] = 0x70;   /* reserved management subtype */
	assert_int_equal(d11tx_dot11_validate(f, 100, 0), D11TX_DOT11_RESERVED);
	f[0] = 0x88;   /* QoS data */
	assert_int_equal(d11tx_dot11_validate(f, 25, 0), D11TX_DOT11_TOO_SHORT);
	assert_int_equal(d11tx_dot11_validate(f, 26, 0), D11TX_DOT11_VALID);
	assert_int_equal(d11tx_dot11_validate(f, 7991, 0), D11TX_DOT11_VALID);
	assert_int_equal(d11tx_dot11_validate(f, 7992, 0), D11TX_DOT11_TOO_LONG);
	assert_int_equal(d11tx_dot11_validate(f, 7992, 11454), D11TX_DOT11_VALID);
	assert_int_equal(d11tx_dot11_validate(f, 11455, 20000), D11TX_DOT11_TOO_LONG);
	assert_int_equal(d11tx_dot11_validate(f, 100, 50), D11TX_DOT11_TOO_LONG);
	/* Each reason its own name and errno. */
	assert_string_equal(d11tx_dot11_invalid_name(D11TX_DOT11_TOO_SHORT), "too_short");
	assert_int_equal(d11tx_dot11_invalid_errno(D11TX_DOT11_BAD_VERSION), EPROTONOSUPPORT);
	assert_int_equal(d11tx_dot11_invalid_errno(D11TX_DOT11_RESERVED), EPROTO);
	assert_int_equal(d11tx_dot11_invalid_errno(D11TX_DOT11_TOO_SHORT), EBADMSG);
	assert_int_equal(d11tx_dot11_invalid_errno(D11TX_DOT11_TOO_LONG), EMSGSIZE);
	assert_string_equal(d11tx_dot11_invalid_name(99), "unknown");
}

static const struct d11tx_dot11_adapter sta = {
	.role = D11TX_DOT11_STATION,
	.own = { 0x02, 0x11, 0x11, 0x11, 0x11, 0x11 },
	.bssid = { 0x02, 0xbb, 0xbb, 0xbb, 0xbb, 0xbb },
};
/* DA and EtherType of a Dot11ExtSendPacket buffer carrying EAPOL. */
static const uint8_t eapol_prefix[8] = { 0x02, 0xdd, 0xdd, 0xdd, 0xdd, 0xdd,
					 0x88, 0x8e };

static void
test_encap_golden(void **state)
{
	static const uint8_t want_sta[32] = {
		0x08, 0x01, 0x00, 0x00,
		0x02, 0xbb, 0xbb, 0xbb, 0xbb, 0xbb,   /* A1 BSSID */
		0x02, 0x11, 0x11, 0x11, 0x11, 0x11,   /* A2 own */
		0x02, 0xdd, 0xdd, 0xdd, 0xdd, 0xdd,   /* A3 DA */
		0x00, 0x00,
		0xaa, 0xaa, 0x03, 0x00, 0x00, 0x00, 0x88, 0x8e,
	};
	static const uint8_t want_ap_qos[34] = {
		0x88, 0x02, 0x00, 0x00,
		0x02, 0xdd, 0xdd, 0xdd, 0xdd, 0xdd,   /* A1 DA */
		0x02, 0xbb, 0xbb, 0xbb, 0xbb, 0xbb,   /* A2 BSSID */
		0x02, 0x11, 0x11, 0x11, 0x11, 0x11,   /* A3 own (SA) */
		0x00, 0x00,
		0x06, 0x00,                           /* QoS: TID 6 */
		0xaa, 0xaa, 0x03, 0x00, 0x00, 0x00, 0x88, 0x8e,
	};
	static const uint8_t want_adhoc_ipx[32] = {
		0x08, 0x00, 0x00, 0x00,
		0x02, 0xdd, 0xdd, 0xdd, 0xdd, 0xdd,   /* A1 DA */
		0x02, 0x11, 0x11, 0x11, 0x11, 0x11,   /* A2 own */
		0x02, 0xbb, 0xbb, 0xbb, 0xbb, 0xbb,   /* A3 BSSID */
		0x00, 0x00,
		0xaa, 0xaa, 0x03, 0x00, 0x00, 0xf8, 0x81, 0x37,  /* bridge-tunnel */
	};
	struct d11tx_dot11_adapter ap = sta, adhoc = sta;
	uint8_t hdr[D11TX_DOT11_ENCAP_MAX], ipx[8];

	(void)state;
	ap.role = D11TX_DOT11_AP;
	adhoc.role = D11TX_DOT11_ADHOC;
	assert_int_equal(d11tx_dot11_encap(&sta, eapol_prefix, -1, hdr), 32);
	assert_memory_equal(hdr, want_sta, 32);
	assert_int_equal(d11tx_dot11_encap(&ap, eapol_prefix, 6, hdr), 34);
	assert_memory_equal(hdr, want_ap_qos, 34);
	memcpy(ipx, eapol_prefix, 6);
	ipx[6] = 0x81;
	ipx[7] = 0x37;
	assert_int_equal(d11tx_dot11_encap(&adhoc, ipx, -1, hdr), 32);
	assert_memory_equal(hdr, want_adhoc_ipx, 32);
	/* What it builds is valid. */
	assert_int_equal(d11tx_dot11_validate(want_ap_qos, 34, 0), D11TX_DOT11_VALID);
	assert_int_equal(d11tx_dot11_encap(&sta, eapol_prefix, 8, hdr), -EINVAL);
	/* An 802.3 length (below 0x0600) is not an EtherType. */
	ipx[6] = 0x05;
	ipx[7] = 0xdc;
	assert_int_equal(d11tx_dot11_encap(&sta, ipx, -1, hdr), -EINVAL);
	/* QoS to a group receiver: ack policy No Ack. From an AP the
	 * receiver is the DA; from a station it is the AP, unicast. */
	memset(ipx, 0xff, 6);
	ipx[6] = 0x88;
	ipx[7] = 0x8e;
	assert_int_equal(d11tx_dot11_encap(&ap, ipx, 3, hdr), 34);
	assert_int_equal(hdr[24], 0x23);
	assert_int_equal(d11tx_dot11_encap(&sta, ipx, 3, hdr), 34);
	assert_int_equal(hdr[24], 0x03);
	assert_int_equal(d11tx_dot11_encap(&sta, eapol_prefix, -2, hdr), -EINVAL);
	assert_int_equal(d11tx_dot11_encap(NULL, eapol_prefix, 0, hdr), -EINVAL);
	adhoc.role = (enum d11tx_dot11_role)7;
	assert_int_equal(d11tx_dot11_encap(&adhoc, eapol_prefix, 0, hdr), -EINVAL);
}

static uint16_t
seq_of(const uint8_t *f)
{
	return (uint16_t)((f[22] | f[23] << 8) >> 4);
}

static void
test_sequence_numbers(void **state)
{
	struct d11tx_dot11_seq *s = calloc(1, sizeof(*s));
	uint8_t data[32], qos[34], qos_other_rx[34], ack[10] = { 0xd4 };

	(void)state;
	assert_non_null(s);
	d11tx_dot11_encap(&sta, eapol_prefix, -1, data);
	d11tx_dot11_encap(&sta, eapol_prefix, 5, qos);
	memcpy(qos_other_rx, qos, sizeof(qos));
	qos_other_rx[9] = 0x42;   /* another receiver (A1) */

	/* Non-QoS frames share one counter; QoS ones count per receiver
	 * and TID. */
	assert_int_equal(d11tx_dot11_seq_assign(s, data, 32), 0);
	assert_int_equal(d11tx_dot11_seq_assign(s, data, 32), 1);
	assert_int_equal(seq_of(data), 1);
	assert_int_equal(d11tx_dot11_seq_assign(s, qos, 34), 0);
	assert_int_equal(d11tx_dot11_seq_assign(s, qos, 34), 1);
	assert_int_equal(d11tx_dot11_seq_assign(s, qos_other_rx, 34), 0);
	qos[24] = 6;
	assert_int_equal(d11tx_dot11_seq_assign(s, qos, 34), 0);
	qos[24] = 5;
	assert_int_equal(d11tx_dot11_seq_assign(s, qos, 34), 2);

	/* Fragments: the first takes the next number, the others reuse it
	 * and keep their fragment numbers; the next MSDU goes on. */
	data[1] |= 0x04;          /* More Fragments */
	data[22] = 0x00;
	assert_int_equal(d11tx_dot11_seq_assign(s, data, 32), 2);
	data[22] = 0x01;          /* fragment 1, still more to come */
	assert_int_equal(d11tx_dot11_seq_assign(s, data, 32), 2);
	assert_int_equal(data[22] & 0x0f, 1);
	data[1] &= (uint8_t)~0x04;
	data[22] = 0x02;          /* last fragment */
	assert_int_equal(d11tx_dot11_seq_assign(s, data, 32), 2);
	assert_int_equal(data[22] & 0x0f, 2);
	data[22] = 0x00;
	assert_int_equal(d11tx_dot11_seq_assign(s, data, 32), 3);

	/* 12-bit wrap. */
	s->shared.next = 4095;
	assert_int_equal(d11tx_dot11_seq_assign(s, data, 32), 4095);
	assert_int_equal(seq_of(data), 4095);
	assert_int_equal(d11tx_dot11_seq_assign(s, data, 32), 0);

	/* Group-addressed QoS data takes the shared counter, not a TID's. */
	uint8_t group[34];

	memcpy(group, qos, sizeof(group));
	memset(group + 4, 0xff, 6);
	assert_int_equal(d11tx_dot11_seq_assign(s, group, 34), 1);
	assert_int_equal(d11tx_dot11_seq_assign(s, data, 32), 2);

	/* QoS Null takes no number: left as it is. */
	uint8_t qos_null[26] = { 0xc8, 0x01 };

	qos_null[22] = 0x50;      /* 5 << 4 */
	assert_int_equal(d11tx_dot11_seq_assign(s, qos_null, 26), 5);
	assert_int_equal(seq_of(qos_null), 5);
	assert_int_equal(d11tx_dot11_seq_assign(s, data, 32), 3);

	/* Control frames have none; short frames are refused. */
	assert_int_equal(d11tx_dot11_seq_assign(s, ack, 10), -EINVAL);
	assert_int_equal(d11tx_dot11_seq_assign(s, data, 20), -EINVAL);

	/* More receivers than the table holds: the least recently used one
	 * goes, and a receiver in steady use keeps its numbers. */
	qos[24] = 5;
	const int busy = d11tx_dot11_seq_assign(s, qos, 34);

	for (int i = 0; i < 2 * D11TX_DOT11_SEQ_RECEIVERS; i++) {
		qos_other_rx[8] = (uint8_t)i;
		assert_int_equal(d11tx_dot11_seq_assign(s, qos_other_rx, 34), 0);
		assert_int_equal(d11tx_dot11_seq_assign(s, qos, 34), busy + 1 + i);
	}
	assert_int_equal(s->nb_receivers, D11TX_DOT11_SEQ_RECEIVERS);
	/* Past 2^32 assignments the LRU order still holds. */
	s->clock = UINT32_MAX - 2;
	const int busy2 = d11tx_dot11_seq_assign(s, qos, 34);

	for (int i = 0; i < D11TX_DOT11_SEQ_RECEIVERS + 4; i++) {
		qos_other_rx[8] = (uint8_t)(100 + i);
		assert_int_equal(d11tx_dot11_seq_assign(s, qos_other_rx, 34), 0);
		assert_int_equal(d11tx_dot11_seq_assign(s, qos, 34), busy2 + 1 + i);
	}
	free(s);
}

static void
test_access_categories(void **state)
{
	static const enum d11tx_dot11_ac want[8] = {
		D11TX_AC_BE, D11TX_AC_BK, D11TX_AC_BK, D11TX_AC_BE,
		D11TX_AC_VI, D11TX_AC_VI, D11TX_AC_VO, D11TX_AC_VO,
	};

	(void)state;
	for (uint8_t tid = 0; tid < 16; tid++)
		assert_int_equal(d11tx_dot11_tid_to_ac(tid), want[tid & 7]);
	assert_int_equal(d11tx_dot11_ac_to_queue(D11TX_AC_VO), 0);
	assert_int_equal(d11tx_dot11_ac_to_queue(D11TX_AC_VI), 1);
	assert_int_equal(d11tx_dot11_ac_to_queue(D11TX_AC_BE), 2);
	assert_int_equal(d11tx_dot11_ac_to_queue(D11TX_AC_BK), 3);
}

static void
test_radiotap_golden(void **state)
{
	static const uint8_t want_legacy[12] = {
		0x00, 0x00, 0x0c, 0x00,    /* version, pad, length 12 */
		0x06, 0x80, 0x00, 0x00,    /* Flags, Rate, TX flags */
		0x10,                      /* Flags: FCS at end */
		0x0c,                      /* 6 Mbit/s */
		0x08, 0x00,                /* TX flags: no ACK (aligned at 10) */
	};
	static const uint8_t want_mcs_vht[24] = {
		0x00, 0x00, 0x18, 0x00,
		0x04, 0x00, 0x28, 0x00,    /* Rate, MCS, VHT */
		0x02,                      /* 1 Mbit/s */
		0x07, 0x05, 0x07,          /* MCS: known, 40 MHz + SGI, index 7 */
		0x44, 0x00,                /* VHT known: GI, bandwidth (at 12) */
		0x04, 0x04,                /* SGI, 80 MHz */
		0x92, 0x00, 0x00, 0x00,    /* MCS 9, 2 streams */
		0x00, 0x00, 0x00, 0x00,
	};
	struct d11tx_radiotap_tx rt = { .flags = D11TX_RADIOTAP_F_FCS,
					.rate_500k = 12,
					.tx_flags = D11TX_RADIOTAP_TX_NOACK };
	uint8_t buf[D11TX_RADIOTAP_MAX];

	(void)state;
	assert_int_equal(d11tx_radiotap_build(&rt, buf, sizeof(buf)), 12);
	assert_memory_equal(buf, want_legacy, 12);
	rt = (struct d11tx_radiotap_tx){ .rate_500k = 2, .mcs = true,
		.mcs_index = 7, .mcs_40mhz = true, .mcs_short_gi = true,
		.vht = true, .vht_mcs = 9, .vht_nss = 2, .vht_bandwidth = 4,
		.vht_short_gi = true };
	assert_int_equal(d11tx_radiotap_build(&rt, buf, sizeof(buf)), 24);
	assert_memory_equal(buf, want_mcs_vht, 24);
	rt.vht_mcs = 10;
	assert_int_equal(d11tx_radiotap_build(&rt, buf, sizeof(buf)), -EINVAL);
	rt.vht_mcs = 9;
	assert_int_equal(d11tx_radiotap_build(&rt, buf, 16), -ENOSPC);
	assert_int_equal(d11tx_radiotap_build(NULL, buf, sizeof(buf)), -EINVAL);
}

static void
test_fcs(void **state)
{
	uint8_t f[13] = "123456789";

	(void)state;
	/* The CRC-32 check value of the standard test vector. */
	assert_int_equal(d11tx_dot11_fcs(f, 9), 0xcbf43926);
	/* In pieces, as for a header and a payload apart. */
	uint32_t st = d11tx_dot11_fcs_update(D11TX_DOT11_FCS_INIT, f, 4);

	st = d11tx_dot11_fcs_update(st, f + 4, 5);
	assert_int_equal(d11tx_dot11_fcs_final(st), 0xcbf43926);
	assert_int_equal(d11tx_dot11_fcs_final(d11tx_dot11_fcs_update(
		D11TX_DOT11_FCS_INIT, f, 0)), 0);
	assert_int_equal(d11tx_dot11_fcs_append(f, 9), 13);
	assert_int_equal(f[9], 0x26);
	assert_int_equal(f[12], 0xcb);
}

/* The captures beside the project (../shared/captures), or NULL. */
static const char *
captures_dir(void)
{
	const char *dir = getenv("D11TX_CAPTURES");

	return dir != NULL && access(dir, R_OK) == 0 ? dir : NULL;
}

/* Every frame of every plain and radiotap capture, radiotap stripped,
 * FCS left on where the capture has it: real senders' frames validate. */
static void
test_validate_real_captures(void **state)
{
	static const char *const files[] = {
		"n-02.cap", "capture_wds-01.cap", "wpa2-psk-linksys.cap",
		"wpa2.eapol.cap", "Chinese-SSID-Name.pcap", "test1.pcap",
		"wpa3-psk.pcap", "zn2i.pcap", "80211ad_beacon.pcap",
	};
	const char *dir = captures_dir();
	uint64_t frames = 0, valid = 0, by_reason[D11TX_DOT11_INVALID_MAX] = { 0 };

	(void)state;
	if (dir == NULL)
		skip_missing("no captures (D11TX_CAPTURES, ../shared/captures)");
	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		char path[512], err[PCAP_ERRBUF_SIZE];
		struct pcap_pkthdr *h;
		const uint8_t *p;
		pcap_t *pc;

		snprintf(path, sizeof(path), "%s/%s", dir, files[i]);
		pc = pcap_open_offline(path, err);
		if (pc == NULL)
			fail_msg("%s: %s", path, err);
		const int link = pcap_datalink(pc);

		while (pcap_next_ex(pc, &h, &p) == 1) {
			const uint8_t *f = p;
			uint32_t len = h->caplen;
			int r;

			if (link == DLT_IEEE802_11_RADIO) {
				const uint32_t rt = (uint32_t)(p[2] | p[3] << 8);

				if (rt > len)
					continue;
				f += rt;
				len -= rt;
			}
			r = d11tx_dot11_validate(f, len, D11TX_DOT11_MAX_MPDU);
			frames++;
			by_reason[r]++;
			valid += r == D11TX_DOT11_VALID;
		}
		pcap_close(pc);
	}
	print_message("captures: %" PRIu64 " frames, %" PRIu64 " valid, %" PRIu64
		      " too short, %" PRIu64 " reserved, %" PRIu64 " bad version\n",
		      frames, valid, by_reason[D11TX_DOT11_TOO_SHORT],
		      by_reason[D11TX_DOT11_RESERVED], by_reason[D11TX_DOT11_BAD_VERSION]);
	assert_true(frames > 1000);
	assert_int_equal(valid, frames);
}

/* Run tshark on @p path and return its first output line's fields. */
static int
tshark_fields(const char *path, const char *fields, char *out, size_t size)
{
	char cmd[1024];
	FILE *p;

	snprintf(cmd, sizeof(cmd),
		 "tshark -n -o wlan.check_fcs:TRUE -o wlan.check_checksum:TRUE -r %s -T fields -E separator=, %s 2>/dev/null",
		 path, fields);
	p = popen(cmd, "r");
	if (p == NULL)
		return -1;
	if (fgets(out, (int)size, p) == NULL)
		out[0] = '\0';
	out[strcspn(out, "\n")] = '\0';
	return pclose(p);
}

static void
write_pcap(const char *path, int linktype, const uint8_t *frame, uint32_t len)
{
	pcap_t *dead = pcap_open_dead(linktype, 65535);
	pcap_dumper_t *d;
	struct pcap_pkthdr h = { .caplen = len, .len = len };

	assert_non_null(dead);
	d = pcap_dump_open(dead, path);
	assert_non_null(d);
	pcap_dump((u_char *)d, &h, frame);
	pcap_dump_close(d);
	pcap_close(dead);
}

/* What we build, decoded by tshark field by field. */
static void
test_tshark_decodes(void **state)
{
	struct d11tx_dot11_seq *s = calloc(1, sizeof(*s));
	uint8_t frame[128] = { 0 }, rtframe[160];
	char path[64], out[512];
	struct d11tx_radiotap_tx rt = { .flags = D11TX_RADIOTAP_F_FCS,
		.tx_flags = D11TX_RADIOTAP_TX_NOACK | D11TX_RADIOTAP_TX_NOSEQ,
		.mcs = true, .mcs_index = 5, .mcs_short_gi = true };
	int hl, rl, len;

	(void)state;
	if (!test_have_program("tshark")) {
		free(s);
		skip_missing("tshark not installed");
	}
	/* A QoS data frame, station to AP, TID 6, carrying EAPOL, with
	 * sequence number 42. */
	hl = d11tx_dot11_encap(&sta, eapol_prefix, 6, frame);
	memset(frame + hl, 0x01, 20);
	len = hl + 20;
	s->nb_receivers = 1;
	memcpy(s->rx[0].addr, sta.bssid, 6);
	s->rx[0].tid[6].next = 42;
	assert_int_equal(d11tx_dot11_seq_assign(s, frame, (uint32_t)len), 42);
	snprintf(path, sizeof(path), "/tmp/d11tx_plain_%d.pcap", (int)getpid());
	write_pcap(path, DLT_IEEE802_11, frame, (uint32_t)len);
	assert_int_equal(tshark_fields(path, "-e wlan.fc.type_subtype -e wlan.bssid "
				       "-e wlan.sa -e wlan.da -e wlan.seq -e wlan.qos.tid "
				       "-e llc.type -e wlan.fc.ds", out, sizeof(out)), 0);
	unlink(path);
	print_message("tshark plain: %s\n", out);
	assert_string_equal(out, "0x0028,02:bb:bb:bb:bb:bb,02:11:11:11:11:11,"
			    "02:dd:dd:dd:dd:dd,42,6,0x888e,0x01");

	/* The same frame with its FCS, behind a radiotap TX header. */
	len = (int)d11tx_dot11_fcs_append(frame, (uint32_t)len);
	rl = d11tx_radiotap_build(&rt, rtframe, sizeof(rtframe));
	assert_true(rl > 0);
	memcpy(rtframe + rl, frame, (size_t)len);
	snprintf(path, sizeof(path), "/tmp/d11tx_rt_%d.pcap", (int)getpid());
	write_pcap(path, DLT_IEEE802_11_RADIO, rtframe, (uint32_t)(rl + len));
	assert_int_equal(tshark_fields(path, "-e radiotap.flags.fcs -e radiotap.mcs.index "
				       "-e radiotap.mcs.gi -e wlan.fcs.status -e wlan.seq "
				       "-e llc.type", out, sizeof(out)), 0);
	unlink(path);
	print_message("tshark radiotap: %s\n", out);
	assert_string_equal(out, "1,5,1,1,42,0x888e");
	free(s);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_header_lengths),
		cmocka_unit_test(test_validation),
		cmocka_unit_test(test_encap_golden),
		cmocka_unit_test(test_sequence_numbers),
		cmocka_unit_test(test_access_categories),
		cmocka_unit_test(test_radiotap_golden),
		cmocka_unit_test(test_fcs),
		cmocka_unit_test(test_validate_real_captures),
		cmocka_unit_test(test_tshark_decodes),
	};

	apply_test_filter();
	return cmocka_run_group_tests_name("dot11", tests, NULL, NULL);
}
