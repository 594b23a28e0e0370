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
#define DSSS_PREAMBLE_NS 192000u /* long preamble and PLCP header */
#define SGI_SYMBOL_NS 3600u

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


/* The contention of attempt @p a: DIFS and the mean backoff of its
 * window, which doubles from CW 15 on every retry up to 1023. */
static uint32_t
contention_ns(uint32_t a)
{
	const uint32_t cw = RTE_MIN(((CW_MIN + 1) << RTE_MIN(a, 10u)) - 1, CW_MAX);

	return DIFS_NS + cw * SLOT_NS / 2;
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
	/* Whatever the port's rate: frames with a rate of their own contend
	 * on an unlimited port too. */
	for (uint32_t a = 0; a <= WLANSIM_MAX_RETRY_LIMIT; a++)
		m->contention_ns[a] = contention_ns(a);
	if (p->rate_kbps == 0)
		return;
	m->ack_ns = SIFS_NS + wlansim_ppdu_ns(ACK_LEN,
				RTE_MIN(p->rate_kbps, ACK_RATE_MAX_KBPS));
}

/* HT-LTFs (VHT-LTFs) per spatial stream count, 1..8. */
static const uint8_t ht_ltf[9] = { 0, 1, 2, 4, 4, 6, 6, 8, 8 };

uint32_t
wlansim_rate_ppdu_ns(const struct d11tx_tx_rate *r, uint32_t mpdu_len)
{
	const uint64_t bits = 16 + 8 * ((uint64_t)mpdu_len + 4) + 6;
	uint32_t ndbps, nss, preamble;
	uint64_t nsym;

	if (r->phy == D11TX_PHY_LEGACY && r->rate < 12) {
		/* DSSS/CCK: 192 us of long preamble and PLCP header, then
		 * the MPDU and FCS at the rate, no SERVICE or tail. */
		const uint64_t kbps = r->rate * 500ull;

		return DSSS_PREAMBLE_NS +
			(uint32_t)((8 * ((uint64_t)mpdu_len + 4) * 1000000 + kbps - 1) / kbps);
	}
	ndbps = d11tx_dot11_rate_ndbps(r);
	if (ndbps == 0)
		return 0;
	nsym = (bits + ndbps - 1) / ndbps;
	if (r->phy == D11TX_PHY_LEGACY)
		return PREAMBLE_NS + SYMBOL_NS * (uint32_t)nsym;
	/* HT mixed format: L-STF, L-LTF, L-SIG, HT-SIG, HT-STF (32 us) and
	 * the HT-LTFs; VHT has VHT-SIG-A, -STF, -LTFs and -SIG-B (36 us and
	 * the LTFs). A short guard interval makes a symbol 3.6 us, the
	 * whole rounded up to 4 us (802.11n/ac TXTIME). */
	nss = r->phy == D11TX_PHY_HT ? r->rate / 8u + 1 : r->nss;
	preamble = (r->phy == D11TX_PHY_HT ? 32000u : 36000u) + SYMBOL_NS * ht_ltf[nss];
	if (r->short_gi)
		return preamble + SYMBOL_NS *
			(uint32_t)((nsym * SGI_SYMBOL_NS + SYMBOL_NS - 1) / SYMBOL_NS);
	return preamble + SYMBOL_NS * (uint32_t)nsym;
}

/* SIFS and the ACK of a frame at @p r: at the highest basic rate not
 * above it, OFDM 24 Mbit/s for HT and VHT, 2 Mbit/s DSSS for DSSS/CCK. */
static uint32_t
rate_ack_ns(const struct d11tx_tx_rate *r)
{
	struct d11tx_tx_rate ack = { .phy = D11TX_PHY_LEGACY, .rate = 48 };

	if (r->phy == D11TX_PHY_LEGACY) {
		if (r->rate < 12)
			ack.rate = r->rate < 4 ? r->rate : 4;
		else
			ack.rate = r->rate >= 48 ? 48 : r->rate >= 24 ? 24 : 12;
	}
	return SIFS_NS + wlansim_rate_ppdu_ns(&ack, ACK_LEN);
}

void
wlansim_model_frame_tx(const struct wlansim_model *m, uint64_t *rng,
		       uint32_t len, const struct wlansim_tx *tx,
		       uint64_t *airtime, uint64_t *ns_out, uint8_t *outcome,
		       uint8_t *retries)
{
	const bool own_rate = tx->rate.phy != D11TX_PHY_DEFAULT;
	const bool timed = own_rate || m->rate_kbps != 0;
	const uint32_t ppdu = own_rate ? wlansim_rate_ppdu_ns(&tx->rate, len) :
		wlansim_ppdu_ns(len, m->rate_kbps);
	const uint32_t ack = own_rate ? rate_ack_ns(&tx->rate) : m->ack_ns;
	const uint32_t limit = tx->retry_limit < 0 ? m->retry_limit :
		(uint32_t)RTE_MIN(tx->retry_limit, WLANSIM_MAX_RETRY_LIMIT);
	uint64_t ns = 0;
	uint32_t a;

	if (!tx->expects_ack) {
		*outcome = D11TX_TX_OUTCOME_NO_ACK_POLICY;
		*retries = 0;
		ns = timed ? m->contention_ns[0] + ppdu : 0;
	} else {
		*outcome = D11TX_TX_OUTCOME_NOACK;
		for (a = 0; a <= limit; a++) {
			if (timed)
				ns += m->contention_ns[a] + ppdu + ack;
			if (m->loss_threshold == 0 ||
			    (wlansim_rng_next(rng) >> 11) >= m->loss_threshold) {
				*outcome = D11TX_TX_OUTCOME_ACKED;
				break;
			}
		}
		*retries = (uint8_t)RTE_MIN(a, limit);
	}
	if (ns_out != NULL)
		*ns_out = ns;
	*airtime = (ns * m->cycles_per_ns_q20) >> 20;
}

void
wlansim_model_frame(const struct wlansim_model *m, uint64_t *rng, uint32_t len,
		    bool expects_ack, uint64_t *airtime, uint8_t *outcome,
		    uint8_t *retries)
{
	const struct wlansim_tx tx = { .retry_limit = -1, .expects_ack = expects_ack };

	wlansim_model_frame_tx(m, rng, len, &tx, airtime, NULL, outcome, retries);
}

/* Radiotap TX flags the tap writes (IEEE80211_RADIOTAP_F_TX_FAIL, _NOACK). */
#define RT_TX_FAIL 0x0001
#define RT_TX_NOACK D11TX_RADIOTAP_TX_NOACK

uint32_t
wlansim_tap_header(const struct wlansim_model *m, const struct d11tx_tx_rate *rate,
		   uint8_t outcome, uint8_t retries, uint8_t *buf)
{
	struct d11tx_radiotap_tx rt = { 0 };

	if (rate != NULL && rate->phy != D11TX_PHY_DEFAULT)
		/* Rate, MCS or VHT: the frame's own. */
		d11tx_radiotap_set_rate(&rt, rate);
	/* The Rate field holds 500 kbit/s steps up to 127.5 Mbit/s. */
	else if (m->rate_kbps != 0 && m->rate_kbps % 500 == 0 &&
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
