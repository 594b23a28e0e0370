/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef WLANSIM_MODEL_H
#define WLANSIM_MODEL_H

/*
 * net_wlansim's air model and its radiotap tap header, apart from the driver so
 * that tests can check them without a port (tests/wlansim/test_wlansim.c).
 */

#include <stdbool.h>
#include <stdint.h>

#include "dot11tx/dot11.h"

#define WLANSIM_MAX_RETRY_LIMIT 15
/* Largest radiotap header accepted in front of a frame (radiotap=1). */
#define WLANSIM_MAX_RADIOTAP_IN 256
/* Largest radiotap header the pcap tap writes. */
#define WLANSIM_TAP_HDR_MAX 32

/* The device arguments the model and the faults need. */
struct wlansim_params {
	uint32_t rate_kbps;        /* 0: unlimited, zero airtime */
	double ack_loss;           /* per attempt */
	uint64_t retry_limit;
	uint64_t seed;
	double refuse;             /* share of bursts refused */
	uint64_t stall_us;
	uint64_t stall_every;
	uint64_t link_down_us;
};

struct wlansim_model {
	uint32_t rate_kbps;
	uint32_t retry_limit;
	uint64_t loss_threshold;   /* an attempt is lost below it, of 2^53 */
	uint64_t cycles_per_ns_q20;/* TSC cycles per ns, 20 fraction bits */
	/* Per attempt a: DIFS + mean backoff of its window, in ns; and
	 * SIFS + ACK, which an attempt that expects an ACK adds. */
	uint32_t contention_ns[WLANSIM_MAX_RETRY_LIMIT + 1];
	uint32_t ack_ns;
};

void wlansim_model_init(struct wlansim_model *m, const struct wlansim_params *p);

/* PPDU duration of an MPDU of @p mpdu_len bytes (FCS added here) at
 * @p rate_kbps, in ns; 0 for an unlimited rate. */
uint32_t wlansim_ppdu_ns(uint32_t mpdu_len, uint32_t rate_kbps);

/* How one frame asks to go: its rate (D11TX_PHY_DEFAULT: the port's),
 * its retry limit (negative: the port's), and whether an ACK is awaited
 * (the frame's own verdict, and its TX parameters' or radiotap NOACK). */
struct wlansim_tx {
	struct d11tx_tx_rate rate;
	int retry_limit;
	bool expects_ack;
};

/* PPDU duration of an MPDU of @p mpdu_len bytes (FCS added here) at rate
 * @p r, a rate d11tx_tx_rate_check() passed, not the default: DSSS/CCK
 * with the long preamble, OFDM, HT mixed format, VHT; in ns. */
uint32_t wlansim_rate_ppdu_ns(const struct d11tx_tx_rate *r, uint32_t mpdu_len);

/* Decide the fate of one frame of @p len MPDU bytes with the generator
 * state @p rng: its outcome (enum d11tx_tx_outcome), retries, and the TSC
 * cycles all its attempts take. The port's rate and retry limit. */
void wlansim_model_frame(const struct wlansim_model *m, uint64_t *rng,
			 uint32_t len, bool expects_ack, uint64_t *airtime,
			 uint8_t *outcome, uint8_t *retries);

/* The same for a frame that says how it goes (@p tx). Returns the airtime
 * in ns too (in *ns), for the tests of the model. */
void wlansim_model_frame_tx(const struct wlansim_model *m, uint64_t *rng,
			    uint32_t len, const struct wlansim_tx *tx,
			    uint64_t *airtime, uint64_t *ns, uint8_t *outcome,
			    uint8_t *retries);

uint64_t wlansim_us_to_tsc(uint64_t us);

/* splitmix64: small, fast, and every seed is a good one. */
static inline uint64_t
wlansim_rng_next(uint64_t *s)
{
	uint64_t z = (*s += 0x9e3779b97f4a7c15ull);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

/* Radiotap header for the pcap tap: TX flags (fail when no ACK came,
 * no-ACK when none was expected), data retries, and the rate where it fits
 * the Rate field. Returns its length (at most WLANSIM_TAP_HDR_MAX). */
/* @p rate is the one the frame went at; NULL or the default: the port's. */
uint32_t wlansim_tap_header(const struct wlansim_model *m,
			    const struct d11tx_tx_rate *rate, uint8_t outcome,
			    uint8_t retries, uint8_t *buf);

#endif
