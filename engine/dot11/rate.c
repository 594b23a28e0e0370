/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Per-frame rates (struct d11tx_tx_rate): which ones 802.11 defines, their
 * data rates and their radiotap fields. The data rate of an OFDM PHY is
 * its data bits per symbol (d11tx_dot11_rate_ndbps()), which net_wlansim's air
 * model uses too.
 */

#include <errno.h>
#include <stdio.h>

#include <rte_errno.h>
#include <rte_mbuf_dyn.h>

#include "dot11tx/dot11.h"
#include "dot11tx/dot11tx.h"
#include "dot11_internal.h"

/* Data subcarriers per width (20, 40, 80, 160 MHz): 802.11n/ac. */
static const uint16_t data_subcarriers[4] = { 52, 108, 234, 468 };

/* Coded bits per subcarrier times the coding rate, in sixths, per MCS of
 * one stream: BPSK 1/2, QPSK 1/2, QPSK 3/4, 16-QAM 1/2, 16-QAM 3/4,
 * 64-QAM 2/3, 64-QAM 3/4, 64-QAM 5/6, 256-QAM 3/4, 256-QAM 5/6. */
static const uint8_t bits_sixths[10] = { 3, 6, 9, 12, 18, 24, 27, 30, 36, 40 };

static bool
legacy_rate(uint8_t r)
{
	switch (r) {
	case 2: case 4: case 11: case 22:                       /* DSSS/CCK */
	case 12: case 18: case 24: case 36: case 48: case 72: case 96: case 108:
		return true;
	default:
		return false;
	}
}

/* The VHT MCS, streams and width combinations 802.11ac leaves out: those
 * whose bits per symbol do not divide among the encoders. */
static bool
vht_excluded(uint8_t mcs, uint8_t nss, uint8_t bw)
{
	if (bw == D11TX_BW_20)
		return mcs == 9 && nss != 3 && nss != 6;
	if (bw == D11TX_BW_80)
		return (mcs == 6 && (nss == 3 || nss == 7)) || (mcs == 9 && nss == 6);
	if (bw == D11TX_BW_160)
		return mcs == 9 && nss == 3;
	return false;
}

int
d11tx_tx_rate_check(const struct d11tx_tx_rate *r)
{
	if (r == NULL)
		return -EINVAL;
	switch (r->phy) {
	case D11TX_PHY_DEFAULT:
		return r->rate == 0 && r->nss == 0 && r->bw == 0 && r->short_gi == 0 ?
			0 : -EINVAL;
	case D11TX_PHY_LEGACY:
		return legacy_rate(r->rate) && r->nss == 0 && r->bw == 0 &&
			r->short_gi == 0 ? 0 : -EINVAL;
	case D11TX_PHY_HT:
		if (r->rate > 31 || r->bw > D11TX_BW_40 || r->short_gi > 1)
			return -EINVAL;
		return r->nss == 0 || r->nss == r->rate / 8 + 1 ? 0 : -EINVAL;
	case D11TX_PHY_VHT:
		if (r->rate > 9 || r->nss < 1 || r->nss > 8 || r->bw > D11TX_BW_160 ||
		    r->short_gi > 1)
			return -EINVAL;
		return vht_excluded(r->rate, r->nss, r->bw) ? -EINVAL : 0;
	default:
		return -EINVAL;
	}
}

uint32_t
d11tx_dot11_rate_ndbps(const struct d11tx_tx_rate *r)
{
	uint32_t nss, mcs;

	if (r->phy == D11TX_PHY_LEGACY)
		return r->rate >= 12 ? (uint32_t)r->rate * 2 : 0;  /* OFDM */
	if (r->phy == D11TX_PHY_HT) {
		mcs = r->rate % 8;
		nss = r->rate / 8 + 1u;
	} else if (r->phy == D11TX_PHY_VHT) {
		mcs = r->rate;
		nss = r->nss;
	} else {
		return 0;
	}
	return data_subcarriers[r->bw] * nss * bits_sixths[mcs] / 6;
}

uint32_t
d11tx_tx_rate_kbps(const struct d11tx_tx_rate *r)
{
	uint32_t ndbps;

	if (d11tx_tx_rate_check(r) != 0 || r->phy == D11TX_PHY_DEFAULT)
		return 0;
	if (r->phy == D11TX_PHY_LEGACY)
		return r->rate * 500u;
	ndbps = d11tx_dot11_rate_ndbps(r);
	/* A symbol is 4 us, or 3.6 us with the short guard interval. */
	return r->short_gi ? ndbps * 10000u / 36 : ndbps * 250u;
}

int
d11tx_tx_rate_name(const struct d11tx_tx_rate *r, char *buf, size_t size)
{
	static const char *const bw_name[4] = { "", "/40", "/80", "/160" };

	if (d11tx_tx_rate_check(r) != 0)
		return snprintf(buf, size, "invalid");
	switch (r->phy) {
	case D11TX_PHY_LEGACY:
		return r->rate % 2 ? snprintf(buf, size, "%u.5M", r->rate / 2u)
				   : snprintf(buf, size, "%uM", r->rate / 2u);
	case D11TX_PHY_HT:
		return snprintf(buf, size, "HT%u%s%s", r->rate, bw_name[r->bw],
				r->short_gi ? "/sgi" : "");
	case D11TX_PHY_VHT:
		return snprintf(buf, size, "VHT%ux%u%s%s", r->rate, r->nss,
				bw_name[r->bw], r->short_gi ? "/sgi" : "");
	default:
		return snprintf(buf, size, "default");
	}
}

/* Radiotap's VHT bandwidth codes for 20, 40, 80, 160 MHz. */
static const uint8_t vht_bw_code[4] = { 0, 1, 4, 11 };

int
d11tx_radiotap_set_rate(struct d11tx_radiotap_tx *rt, const struct d11tx_tx_rate *r)
{
	if (rt == NULL || d11tx_tx_rate_check(r) != 0)
		return -EINVAL;
	rt->rate_500k = 0;
	rt->mcs = false;
	rt->vht = false;
	switch (r->phy) {
	case D11TX_PHY_LEGACY:
		rt->rate_500k = r->rate;
		break;
	case D11TX_PHY_HT:
		rt->mcs = true;
		rt->mcs_index = r->rate;
		rt->mcs_40mhz = r->bw == D11TX_BW_40;
		rt->mcs_short_gi = r->short_gi;
		break;
	case D11TX_PHY_VHT:
		rt->vht = true;
		rt->vht_mcs = r->rate;
		rt->vht_nss = r->nss;
		rt->vht_bandwidth = vht_bw_code[r->bw];
		rt->vht_short_gi = r->short_gi;
		break;
	default:
		break;
	}
	return 0;
}

uint8_t
d11tx_dot11_vht_bw_from_code(uint8_t code)
{
	/* 20, 40, 80, 160 MHz, and 40/80/160 MHz sideband codes by width. */
	if (code == 0)
		return D11TX_BW_20;
	if (code <= 3)
		return D11TX_BW_40;
	if (code <= 10)
		return D11TX_BW_80;
	return D11TX_BW_160;
}

int
d11tx_dot11_txp_dyn_register(int *field_offset, uint64_t *flag)
{
	static const struct rte_mbuf_dynfield field = {
		.name = D11TX_TX_PARAMS_DYNFIELD,
		.size = sizeof(struct d11tx_tx_params),
		.align = __alignof__(struct d11tx_tx_params),
	};
	static const struct rte_mbuf_dynflag dynflag = {
		.name = D11TX_TX_PARAMS_DYNFLAG,
	};
	int off, bit;

	off = rte_mbuf_dynfield_register(&field);
	if (off < 0)
		return -rte_errno;
	bit = rte_mbuf_dynflag_register(&dynflag);
	if (bit < 0)
		return -rte_errno;
	*field_offset = off;
	*flag = UINT64_C(1) << bit;
	return 0;
}
