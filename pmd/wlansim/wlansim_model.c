/* SPDX-License-Identifier: BSD-3-Clause */
/* net_wlansim's air model and radiotap handling (see wlansim_model.h). */

#include <string.h>

#include <rte_common.h>
#include <rte_cycles.h>

#include "dot11tx/dot11.h"
#include "dot11tx/dot11tx.h"
#include "dot11_internal.h"

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

/* Radiotap TX flags the tap writes (IEEE80211_RADIOTAP_F_TX_FAIL, _NOACK). */
#define RT_TX_FAIL 0x0001
#define RT_TX_NOACK D11TX_RADIOTAP_TX_NOACK

uint32_t
wlansim_tap_header(const struct wlansim_model *m, uint8_t outcome,
		   uint8_t retries, uint8_t *buf)
{
	struct d11tx_radiotap_tx rt = { 0 };

	/* The Rate field holds 500 kbit/s steps up to 127.5 Mbit/s. */
	if (m->rate_kbps != 0 && m->rate_kbps % 500 == 0 &&
	    m->rate_kbps / 500 <= UINT8_MAX)
		rt.rate_500k = (uint8_t)(m->rate_kbps / 500);
	if (outcome == D11TX_TX_OUTCOME_NOACK)
		rt.tx_flags = RT_TX_FAIL;
	else if (outcome == D11TX_TX_OUTCOME_NO_ACK_POLICY)
		rt.tx_flags = RT_TX_NOACK;
	/* TX flags and data retries always, zero or not. */
	return (uint32_t)d11tx_radiotap_write(&rt, D11TX_RADIOTAP_PRESENT_TX_FLAGS |
					      D11TX_RADIOTAP_PRESENT_DATA_RETRIES,
					      retries, buf, WLANSIM_TAP_HDR_MAX);
}
