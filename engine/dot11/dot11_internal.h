/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef D11TX_ENGINE_DOT11_INTERNAL_H
#define D11TX_ENGINE_DOT11_INTERNAL_H

/* The 802.11 header arithmetic, inline, for dot11.c and the send path. */

#include <stdbool.h>
#include <stdint.h>

#include "dot11tx/dot11.h"

#define DOT11_FC_VERSION_MASK 0x0003
#define DOT11_FC_TO_DS 0x0100
#define DOT11_FC_FROM_DS 0x0200
#define DOT11_FC_MORE_FRAGS 0x0400
#define DOT11_FC_ORDER 0x8000      /* +HTC in QoS data and management frames */

static inline unsigned int
dot11_fc_type(uint16_t fc)
{
	return (fc >> 2) & 0x3;
}

static inline unsigned int
dot11_fc_subtype(uint16_t fc)
{
	return (fc >> 4) & 0xf;
}

/* Shortest frame of each type and subtype, indexed by Frame Control bits
 * 2-7 (type, then subtype); 0 where reserved. Defined in dot11.c. */
extern const uint8_t d11tx_dot11_base_len[64];

static inline uint32_t
dot11_hdr_len(uint16_t fc)
{
	const unsigned int type = dot11_fc_type(fc);
	/* Indexed by type, then subtype: Frame Control bits 2-7. */
	uint32_t len = d11tx_dot11_base_len[(fc >> 2) & 0x3f];

	if (len == 0)
		return 0;
	if (type == D11TX_DOT11_DATA) {
		if ((fc & (DOT11_FC_TO_DS | DOT11_FC_FROM_DS)) ==
		    (DOT11_FC_TO_DS | DOT11_FC_FROM_DS))
			len += 6;
		if (fc & 0x0080)   /* QoS subtypes: QoS Control */
			len += 2 + ((fc & DOT11_FC_ORDER) ? 4 : 0);
	} else if (type == D11TX_DOT11_MGMT && (fc & DOT11_FC_ORDER)) {
		len += 4;
	}
	return len;
}

/* d11tx_dot11_validate() without the MPDU limit, which the caller checks:
 * the frame is at least 1 byte long. */
static inline int
dot11_check(const uint8_t *f, uint32_t len)
{
	uint16_t fc;
	uint32_t hdr;

	if (len < 2)
		return D11TX_DOT11_TOO_SHORT;
	fc = (uint16_t)(f[0] | f[1] << 8);
	if (fc & DOT11_FC_VERSION_MASK)
		return D11TX_DOT11_BAD_VERSION;
	hdr = dot11_hdr_len(fc);
	if (hdr == 0)
		return D11TX_DOT11_RESERVED;
	return len < hdr ? D11TX_DOT11_TOO_SHORT : D11TX_DOT11_VALID;
}

/*
 * dot11_check() for the frames of one burst, which mostly share a Frame
 * Control field: the last valid one and its shortest frame are kept, so
 * that a frame with the same one is checked with one compare of its
 * length. fc is UINT32_MAX before the first.
 */
struct dot11_memo {
	uint32_t fc;
	uint32_t min_len;
};

static inline int
dot11_check_memo(const uint8_t *f, uint32_t len, struct dot11_memo *m)
{
	uint32_t fc, hdr;

	if (len < 2)
		return D11TX_DOT11_TOO_SHORT;
	fc = (uint32_t)(f[0] | f[1] << 8);
	if (fc == m->fc && len >= m->min_len)
		return D11TX_DOT11_VALID;
	if (fc & DOT11_FC_VERSION_MASK)
		return D11TX_DOT11_BAD_VERSION;
	hdr = dot11_hdr_len((uint16_t)fc);
	if (hdr == 0)
		return D11TX_DOT11_RESERVED;
	m->fc = fc;
	m->min_len = hdr;
	return len < hdr ? D11TX_DOT11_TOO_SHORT : D11TX_DOT11_VALID;
}

/*
 * Encapsulation rules, shared by d11tx_dot11_encap() and the send path's
 * per-adapter template.
 */

/* @p type (network order, 2 bytes) is an EtherType: below 0x0600 it is an
 * 802.3 length, which has no LLC/SNAP encapsulation. */
static inline bool
dot11_is_ethertype(const uint8_t *type)
{
	return type[0] >= 0x06;
}

/* The last OUI byte of the SNAP header: the 802.1H bridge-tunnel OUI for
 * AARP and IPX, as mac80211 and every AP use so that the receiver does not
 * turn them into Ethernet II; RFC 1042 otherwise. */
static inline uint8_t
dot11_snap_oui_last(const uint8_t *type)
{
	const uint16_t ethertype = (uint16_t)(type[0] << 8 | type[1]);

	return ethertype == 0x80f3 || ethertype == 0x8137 ? 0xf8 : 0x00;
}

/* The first byte of QoS Control: the TID, and ack policy No Ack when the
 * receiver (Address 1) is a group, which acknowledges nothing. */
static inline uint8_t
dot11_qos_ctl(int tid, const uint8_t *addr1)
{
	return (uint8_t)(tid | ((addr1[0] & 1) ? 0x20 : 0));
}

/*
 * The radiotap writer behind d11tx_radiotap_build(), for net_wlansim's tap
 * too: the nonzero fields of @p rt, and the fields whose presence bits are
 * in @p always (D11TX_RADIOTAP_PRESENT_TX_FLAGS, _DATA_RETRIES) even when
 * zero, Data Retries with @p data_retries. Each field at its natural
 * alignment. Returns the length, or -ENOSPC past @p room.
 */
int d11tx_radiotap_write(const struct d11tx_radiotap_tx *rt, uint32_t always,
			 uint8_t data_retries, uint8_t *buf, size_t room);

/* Data bits per OFDM symbol of @p r, a rate d11tx_tx_rate_check()
 * passed: legacy OFDM, HT and VHT; 0 for DSSS/CCK and the default. */
uint32_t d11tx_dot11_rate_ndbps(const struct d11tx_tx_rate *r);

/* The width (enum d11tx_bw) of a radiotap VHT bandwidth code. */
uint8_t d11tx_dot11_vht_bw_from_code(uint8_t code);

/* Register the TX parameter dynamic field and flag (D11TX_TX_PARAMS_*),
 * or find them registered (the same name, size and alignment): for the
 * engine, which writes them, and net_wlansim, which reads them. 0 with
 * the field's offset and the flag's bit in *field_offset and *flag, or a
 * negative errno. */
int d11tx_dot11_txp_dyn_register(int *field_offset, uint64_t *flag);

#endif
