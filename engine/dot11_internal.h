/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef D11TX_ENGINE_DOT11_INTERNAL_H
#define D11TX_ENGINE_DOT11_INTERNAL_H

/* The 802.11 header arithmetic, inline, for dot11.c and the send path. */

#include <stdint.h>

#include "dot11tx/dot11.h"

#define DOT11_FC_VERSION_MASK 0x0003
#define DOT11_FC_TO_DS 0x0100
#define DOT11_FC_FROM_DS 0x0200
#define DOT11_FC_MORE_FRAGS 0x0400
#define DOT11_FC_ORDER 0x8000      /* +HTC in QoS data and management frames */

/* Shortest frame of each type and subtype, indexed by Frame Control bits
 * 2-7 (type, then subtype); 0 where reserved. Defined in dot11.c. */
extern const uint8_t dot11_base_len[64];

static inline uint32_t
dot11_hdr_len(uint16_t fc)
{
	const unsigned int type = (fc >> 2) & 0x3;
	uint32_t len = dot11_base_len[(fc >> 2) & 0x3f];

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

#endif
