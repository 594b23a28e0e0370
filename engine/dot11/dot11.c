/* SPDX-License-Identifier: BSD-3-Clause */
/* IEEE 802.11 framing: validation, encapsulation, sequence numbers,
 * access categories, radiotap, FCS. */

#include <errno.h>
#include <pthread.h>
#include <string.h>

#include <rte_branch_prediction.h>
#include <rte_common.h>
#include <rte_lcore.h>

#include "dot11tx/dot11.h"
#include "dot11_internal.h"
#include "dpdk_compat.h"

#define SUBTYPE_QOS 0x8         /* data subtypes 8..15 carry QoS Control */
#define HDR_3ADDR 24
#define SEQ_CTRL_OFFSET 22
#define ADDR1_OFFSET 4

static inline uint16_t
read_le16(const uint8_t *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}

static inline void
write_le16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
}

/*
 * Shortest frame by type and subtype (Frame Control bits 2-7); 0 where
 * reserved. Management and data start at 24 (the QoS, 4-address and +HTC
 * additions are dot11_hdr_len()'s). ACK and CTS carry one address (10);
 * RTS, PS-Poll and CF-End two (16); BlockAckReq and BlockAck add their
 * control and starting sequence (20); the Trigger frame its 8-byte Common
 * Info; the Beamforming Report Poll its retransmission bitmap (17); the VHT
 * NDP Announcement its sounding token and one STA Info (19). Extension frames
 * (DMG and S1G beacons) start with Frame Control, Duration and an address.
 */
#define MGMT(sub) [(sub) << 2 | D11TX_DOT11_MGMT]
#define CTRL(sub) [(sub) << 2 | D11TX_DOT11_CTRL]
#define DATA(sub) [(sub) << 2 | D11TX_DOT11_DATA]
#define EXT(sub) [(sub) << 2 | D11TX_DOT11_EXT]

const uint8_t d11tx_dot11_base_len[64] = {
	MGMT(0) = 24, MGMT(1) = 24, MGMT(2) = 24, MGMT(3) = 24,
	MGMT(4) = 24, MGMT(5) = 24, MGMT(6) = 24, /* 7 reserved */
	MGMT(8) = 24, MGMT(9) = 24, MGMT(10) = 24, MGMT(11) = 24,
	MGMT(12) = 24, MGMT(13) = 24, MGMT(14) = 24, /* 15 reserved */
	/* control 0 and 1 reserved */
	CTRL(2) = 24,   /* Trigger */
	CTRL(3) = 16,   /* TACK */
	CTRL(4) = 17,   /* Beamforming Report Poll: + retransmission bitmap */
	CTRL(5) = 19,   /* VHT NDP Announcement: + token, one STA Info */
	CTRL(6) = 10,   /* Control Frame Extension */
	CTRL(7) = 16,   /* Control Wrapper: carried FC and HT Control */
	CTRL(8) = 20,   /* BlockAckReq */
	CTRL(9) = 20,   /* BlockAck */
	CTRL(10) = 16,  /* PS-Poll */
	CTRL(11) = 16,  /* RTS */
	CTRL(12) = 10,  /* CTS */
	CTRL(13) = 10,  /* ACK */
	CTRL(14) = 16,  /* CF-End */
	CTRL(15) = 16,  /* CF-End + CF-Ack */
	DATA(0) = 24, DATA(1) = 24, DATA(2) = 24, DATA(3) = 24,
	DATA(4) = 24, DATA(5) = 24, DATA(6) = 24, DATA(7) = 24,
	DATA(8) = 24, DATA(9) = 24, DATA(10) = 24, DATA(11) = 24,
	DATA(12) = 24, /* 13 reserved */ DATA(14) = 24, DATA(15) = 24,
	EXT(0) = 10,    /* DMG beacon */
	EXT(1) = 10,    /* S1G beacon */
};

uint32_t
d11tx_dot11_hdr_len(uint16_t fc)
{
	return dot11_hdr_len(fc);
}

int
d11tx_dot11_validate(const void *frame, uint32_t len, uint32_t max_mpdu)
{
	const uint8_t *f = frame;
	int r;

	if (max_mpdu == 0)
		max_mpdu = D11TX_DOT11_DEFAULT_MAX_MPDU;
	if (f == NULL)
		return D11TX_DOT11_TOO_SHORT;
	r = dot11_check(f, len);
	if (r != D11TX_DOT11_VALID)
		return r;
	if (len > max_mpdu || len > D11TX_DOT11_MAX_MPDU)
		return D11TX_DOT11_TOO_LONG;
	return D11TX_DOT11_VALID;
}

bool
d11tx_dot11_expects_ack(const void *frame, uint32_t len)
{
	const uint8_t *f = frame;
	uint16_t fc;
	unsigned int type, subtype;

	if (f == NULL || len < 10)
		return false;
	fc = (uint16_t)(f[0] | f[1] << 8);
	type = dot11_fc_type(fc);
	subtype = dot11_fc_subtype(fc);
	if (f[4] & 1)                      /* group-addressed receiver */
		return false;
	switch (type) {
	case D11TX_DOT11_CTRL:
		/* CTS, ACK, CF-End and CF-End+CF-Ack are answers themselves;
		 * RTS, PS-Poll, BAR and the rest wait for one. */
		return subtype < 12;
	case D11TX_DOT11_MGMT:
		return subtype != 14;      /* Action No Ack */
	case D11TX_DOT11_DATA: {
		const uint32_t qos_off = (fc & (DOT11_FC_TO_DS | DOT11_FC_FROM_DS)) ==
			(DOT11_FC_TO_DS | DOT11_FC_FROM_DS) ? 30 : 24;

		if (!(fc & 0x0080) || len <= qos_off)
			return true;
		/* QoS Control bits 5-6: 0 is Normal Ack; No Ack, PSMP and
		 * Block Ack get no immediate response. */
		return (f[qos_off] & 0x60) == 0;
	}
	default:
		return false;
	}
}

static const struct {
	const char *name;
	int err;
} invalid_reasons[D11TX_DOT11_INVALID_MAX] = {
	[D11TX_DOT11_VALID] = { "valid", 0 },
	[D11TX_DOT11_BAD_VERSION] = { "bad_version", EPROTONOSUPPORT },
	[D11TX_DOT11_RESERVED] = { "reserved_type", EPROTO },
	[D11TX_DOT11_TOO_SHORT] = { "too_short", EBADMSG },
	[D11TX_DOT11_TOO_LONG] = { "too_long", EMSGSIZE },
};

const char *
d11tx_dot11_invalid_name(unsigned int reason)
{
	return reason < D11TX_DOT11_INVALID_MAX ? invalid_reasons[reason].name
						: "unknown";
}

int
d11tx_dot11_invalid_errno(unsigned int reason)
{
	return reason < D11TX_DOT11_INVALID_MAX ? invalid_reasons[reason].err
						: EINVAL;
}

int
d11tx_dot11_encap(const struct d11tx_dot11_adapter *a, const uint8_t *eth,
		  int tid, uint8_t *hdr)
{
	const uint8_t *da = eth;
	uint8_t *addr1 = hdr + 4, *addr2 = hdr + 10, *addr3 = hdr + 16;
	uint32_t len;

	if (a == NULL || eth == NULL || hdr == NULL || tid < -1 || tid > 7 ||
	    !dot11_is_ethertype(eth + 6))
		return -EINVAL;
	memset(hdr, 0, HDR_3ADDR);
	hdr[0] = tid >= 0 ? 0x88 : 0x08;   /* QoS data or data */
	switch (a->role) {
	case D11TX_DOT11_STATION:
		hdr[1] = DOT11_FC_TO_DS >> 8;
		memcpy(addr1, a->bssid, 6);
		memcpy(addr2, a->own, 6);
		memcpy(addr3, da, 6);
		break;
	case D11TX_DOT11_AP:
		hdr[1] = DOT11_FC_FROM_DS >> 8;
		memcpy(addr1, da, 6);
		memcpy(addr2, a->bssid, 6);
		memcpy(addr3, a->own, 6);
		break;
	case D11TX_DOT11_ADHOC:
		memcpy(addr1, da, 6);
		memcpy(addr2, a->own, 6);
		memcpy(addr3, a->bssid, 6);
		break;
	default:
		return -EINVAL;
	}
	len = HDR_3ADDR;
	if (tid >= 0) {
		/* A station's frames go to the AP, unicast, whatever
		 * their DA. */
		hdr[len++] = dot11_qos_ctl(tid, addr1);
		hdr[len++] = 0;
	}
	/* LLC/SNAP: DSAP, SSAP, UI, then the OUI and the EtherType. */
	hdr[len++] = 0xaa;
	hdr[len++] = 0xaa;
	hdr[len++] = 0x03;
	hdr[len++] = 0x00;
	hdr[len++] = 0x00;
	hdr[len++] = dot11_snap_oui_last(eth + 6);
	hdr[len++] = eth[6];
	hdr[len++] = eth[7];
	return (int)len;
}

enum d11tx_dot11_ac
d11tx_dot11_tid_to_ac(uint8_t tid)
{
	/* 802.1D user priority to access category (802.11 Table 10-1). */
	static const uint8_t up_to_ac[8] = {
		D11TX_AC_BE, D11TX_AC_BK, D11TX_AC_BK, D11TX_AC_BE,
		D11TX_AC_VI, D11TX_AC_VI, D11TX_AC_VO, D11TX_AC_VO,
	};

	return (enum d11tx_dot11_ac)up_to_ac[tid & 7];
}

uint16_t
d11tx_dot11_ac_to_queue(enum d11tx_dot11_ac ac)
{
	return (uint16_t)(D11TX_AC_VO - (ac & 3));
}

/* The QoS counters of receiver @p addr. A new receiver takes a free entry
 * or the least recently used one (its numbers restart at 0, as for a new
 * transmitter after a reassociation). */
static struct d11tx_dot11_seq_counter *
receiver_counters(struct d11tx_dot11_seq *s, const uint8_t *addr)
{
	uint16_t victim = 0;

	s->clock++;   /* 64 bits: it never wraps, so the LRU order holds */
	for (uint16_t i = 0; i < s->nb_receivers; i++) {
		if (memcmp(s->rx[i].addr, addr, 6) == 0) {
			s->rx[i].last_use = s->clock;
			return s->rx[i].tid;
		}
		if (s->rx[i].last_use < s->rx[victim].last_use)
			victim = i;
	}
	if (s->nb_receivers < D11TX_DOT11_SEQ_RECEIVERS)
		victim = s->nb_receivers++;
	memcpy(s->rx[victim].addr, addr, 6);
	memset(s->rx[victim].tid, 0, sizeof(s->rx[victim].tid));
	s->rx[victim].last_use = s->clock;
	return s->rx[victim].tid;
}

int
d11tx_dot11_seq_assign(struct d11tx_dot11_seq *s, void *frame, uint32_t len)
{
	uint8_t *f = frame;
	struct d11tx_dot11_seq_counter *c;
	uint16_t fc, sc, seq;
	uint32_t hdr;

	if (s == NULL || f == NULL || len < 2)
		return -EINVAL;
	fc = read_le16(f);
	hdr = d11tx_dot11_hdr_len(fc);
	if (dot11_fc_type(fc) == D11TX_DOT11_CTRL || dot11_fc_type(fc) == D11TX_DOT11_EXT ||
	    hdr == 0 || len < hdr)
		return -EINVAL;
	sc = read_le16(f + SEQ_CTRL_OFFSET);
	/* QoS Null carries no MSDU: it takes no number from a TID. */
	if (dot11_fc_type(fc) == D11TX_DOT11_DATA && dot11_fc_subtype(fc) == 12)
		return sc >> 4;
	if (dot11_fc_type(fc) == D11TX_DOT11_DATA && (dot11_fc_subtype(fc) & SUBTYPE_QOS) &&
	    !(f[ADDR1_OFFSET] & 1)) {
		/* Individually addressed QoS data: per receiver and TID; the
		 * QoS Control follows the third or fourth address. */
		const uint32_t qos = HDR_3ADDR +
			((fc & (DOT11_FC_TO_DS | DOT11_FC_FROM_DS)) ==
			 (DOT11_FC_TO_DS | DOT11_FC_FROM_DS) ? 6 : 0);

		c = &receiver_counters(s, f + ADDR1_OFFSET)[f[qos] & 0xf];
	} else {
		/* Management, non-QoS data, group-addressed: one counter. */
		c = &s->shared;
	}
	/* Every fragment of an MSDU has the number its first one took. */
	if ((sc & 0xf) == 0) {
		c->last = c->next & 0xfff;
		c->next = (uint16_t)((c->last + 1) & 0xfff);
	}
	seq = c->last;
	write_le16(f + SEQ_CTRL_OFFSET, (uint16_t)(seq << 4 | (sc & 0xf)));
	return seq;
}

/*
 * DPDK's CRC picks its implementation on its first call, setting its
 * handler table to NULL meanwhile: a second thread's first call could jump
 * through NULL. Pick it once, here, under pthread_once. Before
 * rte_eal_init() it would settle on the scalar code for good (the SIMD
 * width is not known yet): compute with the bytewise table instead.
 */
static pthread_once_t crc_once = PTHREAD_ONCE_INIT;
static const compat_crc32 *crc_ctx;   /* NULL: the bytewise table */

static void
crc_select(void)
{
	crc_ctx = compat_crc32_eth_new(RTE_NET_CRC_AVX512); /* or SSE4.2, scalar */
}

uint32_t
d11tx_dot11_fcs(const void *frame, uint32_t len)
{
	if (unlikely(rte_lcore_count() == 0))
		return d11tx_dot11_fcs_final(d11tx_dot11_fcs_update(D11TX_DOT11_FCS_INIT,
								     frame, len));
	pthread_once(&crc_once, crc_select);
	if (unlikely(crc_ctx == NULL))
		return d11tx_dot11_fcs_final(d11tx_dot11_fcs_update(D11TX_DOT11_FCS_INIT,
								     frame, len));
	return compat_crc32_calc(crc_ctx, frame, len);
}

/* CRC-32 (IEEE 802.3, reflected polynomial 0xEDB88320), a byte at a
 * time, for frames in pieces. The table is built when the library loads,
 * before any thread can use it: built lazily, a second thread could read
 * it half-filled and send frames with a wrong FCS. */
static uint32_t crc_table[256];

RTE_INIT(crc_table_init)
{
	for (uint32_t i = 0; i < 256; i++) {
		uint32_t c = i;

		for (int k = 0; k < 8; k++)
			c = (c & 1) ? 0xedb88320u ^ (c >> 1) : c >> 1;
		crc_table[i] = c;
	}
}

uint32_t
d11tx_dot11_fcs_update(uint32_t state, const void *data, uint32_t len)
{
	const uint8_t *p = data;

	for (uint32_t i = 0; i < len; i++)
		state = crc_table[(state ^ p[i]) & 0xff] ^ (state >> 8);
	return state;
}

uint32_t
d11tx_dot11_fcs_append(void *frame, uint32_t len)
{
	uint8_t *f = frame;
	const uint32_t fcs = d11tx_dot11_fcs(frame, len);

	f[len] = (uint8_t)fcs;
	f[len + 1] = (uint8_t)(fcs >> 8);
	f[len + 2] = (uint8_t)(fcs >> 16);
	f[len + 3] = (uint8_t)(fcs >> 24);
	return len + 4;
}
