/* SPDX-License-Identifier: BSD-3-Clause */
/* net_wlansim's air model and radiotap handling (see wlansim_model.h). */

#include <string.h>

#include <rte_common.h>
#include <rte_cycles.h>

#include "dot11tx/dot11tx.h"

#include "wlansim_model.h"

#define DIFS_NS 34000u
#define SIFS_NS 16000u
#define SLOT_NS 9000u
#define PREAMBLE_NS 20000u    /* legacy preamble and SIGNAL */
#define SYMBOL_NS 4000u
#define CW_MIN 15u
#define CW_MAX 1023u
#define ACK_LEN 10u           /* plus FCS: 14 bytes on the air */
#define ACK_RATE_MAX_KBPS 24000u

uint32_t
wlansim_ppdu_ns(uint32_t mpdu_len, uint32_t rate_kbps)
{
	/* SERVICE (16 bits) + MPDU + FCS + tail (6 bits), in 4 us symbols
	 * of rate * 4 us bits each. */
	const uint64_t bits = 16 + 8 * ((uint64_t)mpdu_len + 4) + 6;
	const uint64_t per_symbol_x1000 = (uint64_t)rate_kbps * 4;

	if (rate_kbps == 0)
		return 0;
	return PREAMBLE_NS + SYMBOL_NS *
		(uint32_t)((bits * 1000 + per_symbol_x1000 - 1) / per_symbol_x1000);
}

uint64_t
wlansim_us_to_tsc(uint64_t us)
{
	return us * (rte_get_tsc_hz() / 1000000);
}

void
wlansim_model_init(struct wlansim_model *m, const struct wlansim_params *p)
{
	memset(m, 0, sizeof(*m));
	m->rate_kbps = p->rate_kbps;
	m->retry_limit = (uint32_t)RTE_MIN(p->retry_limit,
					   (uint64_t)WLANSIM_MAX_RETRY_LIMIT);
	m->loss_threshold = (uint64_t)(p->ack_loss * (double)(1ull << 53));
	m->cycles_per_ns_q20 = (rte_get_tsc_hz() << 20) / 1000000000ull;
	if (p->rate_kbps == 0)
		return;
	for (uint32_t a = 0; a <= WLANSIM_MAX_RETRY_LIMIT; a++) {
		const uint32_t cw = RTE_MIN(((CW_MIN + 1) << a) - 1, CW_MAX);

		m->contention_ns[a] = DIFS_NS + cw * SLOT_NS / 2;
	}
	m->ack_ns = SIFS_NS + wlansim_ppdu_ns(ACK_LEN,
				RTE_MIN(p->rate_kbps, ACK_RATE_MAX_KBPS));
}

void
wlansim_model_frame(const struct wlansim_model *m, uint64_t *rng, uint32_t len,
		    bool expects_ack, uint64_t *airtime, uint8_t *outcome,
		    uint8_t *retries)
{
	const uint32_t ppdu = wlansim_ppdu_ns(len, m->rate_kbps);
	uint64_t ns = 0;
	uint32_t a;

	if (!expects_ack) {
		*outcome = D11TX_TX_OUTCOME_NO_ACK_POLICY;
		*retries = 0;
		ns = m->rate_kbps ? m->contention_ns[0] + ppdu : 0;
	} else {
		*outcome = D11TX_TX_OUTCOME_NOACK;
		for (a = 0; a <= m->retry_limit; a++) {
			if (m->rate_kbps)
				ns += m->contention_ns[a] + ppdu + m->ack_ns;
			if (m->loss_threshold == 0 ||
			    (wlansim_rng_next(rng) >> 11) >= m->loss_threshold) {
				*outcome = D11TX_TX_OUTCOME_ACKED;
				break;
			}
		}
		*retries = (uint8_t)RTE_MIN(a, m->retry_limit);
	}
	*airtime = (ns * m->cycles_per_ns_q20) >> 20;
}

/* Radiotap field numbers and TX flags. */
#define RT_FLAGS 1
#define RT_RATE 2
#define RT_TX_FLAGS 15
#define RT_DATA_RETRIES 17
#define RT_EXT 31
#define RT_F_FCS 0x10
#define RT_TX_FAIL 0x0001
#define RT_TX_NOACK 0x0008

uint32_t
wlansim_tap_header(const struct wlansim_model *m, uint8_t outcome,
		   uint8_t retries, uint8_t *buf)
{
	uint32_t present = 1u << RT_TX_FLAGS | 1u << RT_DATA_RETRIES;
	uint32_t off = 8;
	uint16_t flags = 0;

	if (m->rate_kbps != 0 && m->rate_kbps % 500 == 0 &&
	    m->rate_kbps / 500 <= UINT8_MAX) {
		present |= 1u << RT_RATE;
		buf[off++] = (uint8_t)(m->rate_kbps / 500);
	}
	if (off & 1)
		buf[off++] = 0;
	if (outcome == D11TX_TX_OUTCOME_NOACK)
		flags |= RT_TX_FAIL;
	else if (outcome == D11TX_TX_OUTCOME_NO_ACK_POLICY)
		flags |= RT_TX_NOACK;
	buf[off++] = (uint8_t)flags;
	buf[off++] = (uint8_t)(flags >> 8);
	buf[off++] = retries;
	buf[0] = 0;                     /* version */
	buf[1] = 0;
	buf[2] = (uint8_t)off;
	buf[3] = (uint8_t)(off >> 8);
	buf[4] = (uint8_t)present;
	buf[5] = (uint8_t)(present >> 8);
	buf[6] = (uint8_t)(present >> 16);
	buf[7] = (uint8_t)(present >> 24);
	return off;
}

struct wlansim_radiotap_info
wlansim_radiotap_parse(const uint8_t *p, uint32_t avail)
{
	/* Size and alignment of fields 0 to 14, the ones that can come
	 * before TX flags (15) in the first namespace. */
	static const uint8_t size[15] = { 8, 1, 1, 4, 2, 1, 1, 2, 2, 2, 1, 1, 1, 1, 2 };
	static const uint8_t align[15] = { 8, 1, 1, 2, 1, 1, 1, 2, 2, 2, 1, 1, 1, 1, 2 };
	/* Nothing but zeros for a header that is not valid: not the flags
	 * of the fields read before its fault was found. */
	const struct wlansim_radiotap_info invalid = { 0 };
	struct wlansim_radiotap_info info = { 0 };
	uint32_t len, present, off, word;

	if (avail < 8 || p[0] != 0)
		return invalid;
	len = (uint32_t)(p[2] | p[3] << 8);
	if (len < 8 || len > avail || len > WLANSIM_MAX_RADIOTAP_IN)
		return invalid;
	present = (uint32_t)(p[4] | p[5] << 8 | p[6] << 16 | (uint32_t)p[7] << 24);
	/* Skip the extended present words; the fields follow them all. */
	off = 8;
	word = present;
	while (word & (1u << RT_EXT)) {
		if (off + 4 > len)
			return invalid;
		word = (uint32_t)(p[off] | p[off + 1] << 8 | p[off + 2] << 16 |
				  (uint32_t)p[off + 3] << 24);
		off += 4;
	}
	for (uint32_t b = 0; b <= RT_TX_FLAGS; b++) {
		const uint32_t sz = b < RT_TX_FLAGS ? size[b] : 2;
		const uint32_t al = b < RT_TX_FLAGS ? align[b] : 2;

		if (!(present & (1u << b)))
			continue;
		off = RTE_ALIGN_CEIL(off, al);
		if (off + sz > len)
			return invalid;
		if (b == RT_FLAGS)
			info.fcs = (p[off] & RT_F_FCS) != 0;
		else if (b == RT_TX_FLAGS)
			info.noack = ((p[off] | p[off + 1] << 8) & RT_TX_NOACK) != 0;
		off += sz;
	}
	info.len = len;
	return info;
}
