/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * libFuzzer target for the send path's 802.11 encapsulation
 * (engine/dot11/dot11.c): d11tx_dot11_encap(), then d11tx_dot11_seq_assign()
 * and d11tx_dot11_expects_ack() on the frames it makes.
 *
 * The input: an adapter (role: byte 0 modulo 4, 3 being no role; own
 * address; BSSID), then records of 10 bytes, one frame each: a TID byte
 * ('0' to '9' for -1 to 8, any other byte as a signed value: -1..7 are
 * the valid ones), an option byte (bits 0-2: payload length in 7 bytes;
 * bit 5: the receiver is one of 40 made-up unicast addresses, more than
 * the 32 the sequence state tracks; bit 7: a later fragment, numbered by
 * bits 3-4), and the 8-byte Ethernet-style prefix (DA, EtherType). Text
 * makes meaningful inputs (seeds/fuzz_encap).
 *
 * Oracle:
 * - encap: -EINVAL exactly for a bad role, a TID out of -1..7 or a type
 *   below 0x0600; else 32 or 34 bytes that d11tx_dot11_validate() takes,
 *   whose header is d11tx_dot11_hdr_len() long, with the Frame Control,
 *   addresses and QoS Control the role and TID call for (No Ack to a
 *   group), Sequence Control 0, and RFC 1042 or 802.1H LLC/SNAP with the
 *   EtherType; the payload behind it untouched and the whole still valid.
 * - expects_ack: exactly when Address 1 is not a group.
 * - seq_assign: each frame's number is the one a model of 802.11's
 *   counters gives: one per (receiver, TID) for individually addressed QoS
 *   data, one shared by the rest; later fragments the number of their
 *   first; a receiver's counters start again at 0 when it comes back after
 *   32 others (the tracked table is least recently used first out, so it
 *   is still there exactly when fewer than 32 other receivers came since).
 */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <dot11tx/dot11.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define ADAPTER 13
#define RECORD 10
#define MAX_FRAMES 256
#define MAX_RX (MAX_FRAMES + 40)

/* The model: every receiver seen in this input, and the shared counter. */
struct model_rx {
	uint8_t addr[6];
	uint64_t last_access;      /* frame index of its last QoS frame */
	bool seen;
	uint16_t next[16], last[16];
};

struct model {
	struct model_rx rx[MAX_RX];
	unsigned int nb;
	uint64_t access[MAX_FRAMES];   /* receiver of each QoS frame, by index */
	unsigned int nb_access;
	uint16_t next, last;
};

/* Distinct receivers other than @p r accessed since r's last access. */
static unsigned int
others_since(const struct model *m, unsigned int r)
{
	bool counted[MAX_RX] = { false };
	unsigned int n = 0;

	for (uint64_t i = m->rx[r].last_access + 1; i < m->nb_access; i++) {
		const unsigned int o = (unsigned int)m->access[i];

		if (o != r && !counted[o]) {
			counted[o] = true;
			n++;
		}
	}
	return n;
}

/* The number 802.11 gives the next frame of a counter (next, last). */
static uint16_t
model_take(uint16_t *next, uint16_t *last, unsigned int frag)
{
	if (frag == 0) {
		*last = *next;
		*next = (uint16_t)((*next + 1) & 0xfff);
	}
	return *last;
}

static uint16_t
model_qos(struct model *m, const uint8_t *addr, unsigned int tid, unsigned int frag)
{
	unsigned int r;

	for (r = 0; r < m->nb; r++)
		if (memcmp(m->rx[r].addr, addr, 6) == 0)
			break;
	if (r == m->nb) {
		if (m->nb == MAX_RX)
			abort();
		memcpy(m->rx[r].addr, addr, 6);
		m->nb++;
	}
	/* Forgotten, or never seen: its counters start again. */
	if (!m->rx[r].seen || others_since(m, r) >= D11TX_DOT11_SEQ_RECEIVERS) {
		memset(m->rx[r].next, 0, sizeof(m->rx[r].next));
		memset(m->rx[r].last, 0, sizeof(m->rx[r].last));
		m->rx[r].seen = true;
	}
	m->rx[r].last_access = m->nb_access;
	m->access[m->nb_access++] = r;
	return model_take(&m->rx[r].next[tid], &m->rx[r].last[tid], frag);
}

static struct model model;
static struct d11tx_dot11_seq seq;

static void
check_header(const struct d11tx_dot11_adapter *a, const uint8_t *eth, int tid,
	     const uint8_t *h, int r)
{
	const uint16_t type = (uint16_t)(eth[6] << 8 | eth[7]);
	const uint16_t fc = (uint16_t)(h[0] | h[1] << 8);
	const uint8_t *a1 = h + 4, *a2 = h + 10, *a3 = h + 16, *llc;
	const uint8_t *own = a->own, *bssid = a->bssid, *da = eth;

	if (r != (tid >= 0 ? 34 : 32) ||
	    d11tx_dot11_validate(h, (uint32_t)r, 0) != D11TX_DOT11_VALID ||
	    d11tx_dot11_hdr_len(fc) != (uint32_t)r - 8)
		abort();
	/* Data or QoS data, version 0, no flag but the DS bits. */
	if (h[0] != (tid >= 0 ? 0x88 : 0x08))
		abort();
	switch (a->role) {
	case D11TX_DOT11_STATION:
		if (h[1] != 0x01 || memcmp(a1, bssid, 6) || memcmp(a2, own, 6) ||
		    memcmp(a3, da, 6))
			abort();
		break;
	case D11TX_DOT11_AP:
		if (h[1] != 0x02 || memcmp(a1, da, 6) || memcmp(a2, bssid, 6) ||
		    memcmp(a3, own, 6))
			abort();
		break;
	case D11TX_DOT11_ADHOC:
		if (h[1] != 0x00 || memcmp(a1, da, 6) || memcmp(a2, own, 6) ||
		    memcmp(a3, bssid, 6))
			abort();
		break;
	default:
		abort();
	}
	if (h[2] != 0 || h[3] != 0 || h[22] != 0 || h[23] != 0)
		abort();   /* Duration and Sequence Control 0 */
	if (tid >= 0 && (h[24] != (tid | ((a1[0] & 1) ? 0x20 : 0)) || h[25] != 0))
		abort();
	llc = h + r - 8;
	if (llc[0] != 0xaa || llc[1] != 0xaa || llc[2] != 0x03 || llc[3] != 0 ||
	    llc[4] != 0 || llc[5] != ((type == 0x80f3 || type == 0x8137) ? 0xf8 : 0) ||
	    llc[6] != eth[6] || llc[7] != eth[7])
		abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct d11tx_dot11_adapter a;
	size_t nb_frames;

	if (size < ADAPTER)
		return 0;
	memset(&a, 0, sizeof(a));
	a.role = (enum d11tx_dot11_role)(data[0] % 4);
	memcpy(a.own, data + 1, 6);
	memcpy(a.bssid, data + 7, 6);
	memset(&seq, 0, sizeof(seq));
	memset(&model, 0, sizeof(model));
	nb_frames = (size - ADAPTER) / RECORD;
	if (nb_frames > MAX_FRAMES)
		nb_frames = MAX_FRAMES;

	for (size_t i = 0; i < nb_frames; i++) {
		const uint8_t *rec = data + ADAPTER + i * RECORD;
		const int tid = rec[0] >= '0' && rec[0] <= '9' ? rec[0] - '0' - 1
							       : (int8_t)rec[0];
		const uint8_t opt = rec[1];
		const uint32_t payload = (opt & 0x7) * 7u;
		const unsigned int frag = opt & 0x80 ? 1 + ((opt >> 3) & 0x3) : 0;
		const bool bad = a.role > D11TX_DOT11_ADHOC || tid < -1 || tid > 7 ||
				 rec[8] < 0x06;
		uint8_t eth[D11TX_DOT11_ETH_PREFIX];
		uint8_t hdr[D11TX_DOT11_ENCAP_MAX];
		uint8_t *frame;
		uint32_t len;
		int r, s, want;

		memcpy(eth, rec + 2, sizeof(eth));
		if (opt & 0x20) {
			/* One of 40 unicast receivers. */
			memcpy(eth, (const uint8_t[]){ 0x02, 0x11, 0x22, 0x33, 0x44 }, 5);
			eth[5] = (uint8_t)(rec[2] % 40);
		}
		memset(hdr, 0xee, sizeof(hdr));
		r = d11tx_dot11_encap(&a, eth, tid, hdr);
		if (bad) {
			if (r != -EINVAL)
				abort();
			continue;
		}
		check_header(&a, eth, tid, hdr, r);
		if (r == 32 && (hdr[32] != 0xee || hdr[33] != 0xee))
			abort();   /* written past its header */

		/* The frame: header, payload, in an exact-size buffer. */
		len = (uint32_t)r + payload;
		frame = malloc(len);
		if (frame == NULL)
			return 0;
		memcpy(frame, hdr, (size_t)r);
		memset(frame + r, 0x5a, payload);
		frame[22] = (uint8_t)frag;   /* a later fragment, at times */
		if (d11tx_dot11_validate(frame, len, 0) != D11TX_DOT11_VALID)
			abort();
		if (d11tx_dot11_expects_ack(frame, len) != !(frame[4] & 1))
			abort();

		s = d11tx_dot11_seq_assign(&seq, frame, len);
		if (tid >= 0 && !(frame[4] & 1))
			want = model_qos(&model, frame + 4, (unsigned int)tid, frag);
		else
			want = model_take(&model.next, &model.last, frag);
		if (s != want || (frame[22] | frame[23] << 8) != (s << 4 | (int)frag))
			abort();
		/* Nothing else of the frame changed. */
		frame[22] = hdr[22];
		frame[23] = hdr[23];
		if (memcmp(frame, hdr, (size_t)r) != 0)
			abort();
		for (uint32_t k = (uint32_t)r; k < len; k++)
			if (frame[k] != 0x5a)
				abort();
		free(frame);
	}
	return 0;
}
