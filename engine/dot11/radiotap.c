/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Radiotap, the one codec of dot11tx: the writer of the queue's TX header
 * and of net_wlansim's tap, and the reader of the headers in front of
 * injected frames and of captures (d11tx_radiotap_parse()).
 */

#include <errno.h>
#include <string.h>

#include "dot11tx/dot11.h"
#include "dot11_internal.h"

/* Fields by presence bit (first namespace). */
#define RT_FLAGS 1
#define RT_RATE 2
#define RT_TX_FLAGS 15
#define RT_DATA_RETRIES 17
#define RT_XCHANNEL 18
#define RT_MCS 19
#define RT_AMPDU 20
#define RT_VHT 21
#define RT_EXT 31
#define RT_MCS_HAVE_BW 0x01
#define RT_MCS_HAVE_MCS 0x02
#define RT_MCS_HAVE_GI 0x04
#define RT_MCS_BW_40 0x01
#define RT_MCS_SGI 0x04
#define RT_VHT_KNOWN_GI 0x0004
#define RT_VHT_KNOWN_BW 0x0040
#define RT_VHT_FLAG_SGI 0x04

/* Size and alignment of the fields up to VHT (bits 0-21), from the
 * radiotap definitions: TSFT, Flags, Rate, Channel, FHSS, dBm antenna
 * signal and noise, lock quality, TX attenuation, dB TX attenuation, dBm
 * TX power, antenna, dB antenna signal and noise, RX flags, TX flags, RTS
 * retries, data retries, (18: XChannel, never defined: size 0, where the
 * reader stops), MCS, A-MPDU status, VHT. */
static const uint8_t field_size[RT_VHT + 1] = {
	8, 1, 1, 4, 2, 1, 1, 2, 2, 2, 1, 1, 1, 1, 2, 2, 1, 1, 0, 3, 8, 12 };
static const uint8_t field_align[RT_VHT + 1] = {
	8, 1, 1, 2, 1, 1, 1, 2, 2, 2, 1, 1, 1, 1, 2, 2, 1, 1, 1, 1, 4, 2 };

static inline uint16_t
le16(const uint8_t *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}

static inline uint32_t
le32(const uint8_t *p)
{
	return (uint32_t)(p[0] | p[1] << 8 | p[2] << 16 | (uint32_t)p[3] << 24);
}

static inline void
put_le16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
}

/* Room for a field of @p size at @p align from *off: pad with zeros;
 * false when it would pass @p room. */
static bool
field_room(uint8_t *buf, size_t *off, size_t align, size_t size, size_t room)
{
	while (*off % align != 0) {
		if (*off >= room)
			return false;
		buf[(*off)++] = 0;
	}
	return *off + size <= room;
}

int
d11tx_radiotap_write(const struct d11tx_radiotap_tx *rt, uint32_t always,
		     uint8_t data_retries, uint8_t *buf, size_t room)
{
	uint32_t present = 0;
	size_t off = 8;

	if (room < 8)
		return -ENOSPC;
	if (rt->flags != 0) {
		if (!field_room(buf, &off, 1, 1, room))
			return -ENOSPC;
		present |= 1u << RT_FLAGS;
		buf[off++] = rt->flags;
	}
	if (rt->rate_500k != 0) {
		if (!field_room(buf, &off, 1, 1, room))
			return -ENOSPC;
		present |= 1u << RT_RATE;
		buf[off++] = rt->rate_500k;
	}
	if (rt->tx_flags != 0 || (always & D11TX_RADIOTAP_PRESENT_TX_FLAGS)) {
		if (!field_room(buf, &off, 2, 2, room))
			return -ENOSPC;
		present |= 1u << RT_TX_FLAGS;
		put_le16(buf + off, rt->tx_flags);
		off += 2;
	}
	if (rt->retries || (always & D11TX_RADIOTAP_PRESENT_DATA_RETRIES)) {
		if (!field_room(buf, &off, 1, 1, room))
			return -ENOSPC;
		present |= 1u << RT_DATA_RETRIES;
		buf[off++] = rt->retries ? rt->data_retries : data_retries;
	}
	if (rt->mcs) {
		if (!field_room(buf, &off, 1, 3, room))
			return -ENOSPC;
		present |= 1u << RT_MCS;
		buf[off++] = RT_MCS_HAVE_BW | RT_MCS_HAVE_MCS | RT_MCS_HAVE_GI;
		buf[off++] = (uint8_t)((rt->mcs_40mhz ? RT_MCS_BW_40 : 0) |
				       (rt->mcs_short_gi ? RT_MCS_SGI : 0));
		buf[off++] = rt->mcs_index;
	}
	if (rt->vht) {
		if (!field_room(buf, &off, 2, 12, room))
			return -ENOSPC;
		present |= 1u << RT_VHT;
		put_le16(buf + off, RT_VHT_KNOWN_GI | RT_VHT_KNOWN_BW);
		buf[off + 2] = rt->vht_short_gi ? RT_VHT_FLAG_SGI : 0;
		buf[off + 3] = rt->vht_bandwidth;
		/* mcs_nss of user 0; users 1-3, coding, group and AID 0 */
		memset(buf + off + 4, 0, 8);
		buf[off + 4] = (uint8_t)(rt->vht_mcs << 4 | rt->vht_nss);
		off += 12;
	}
	buf[0] = 0;   /* version */
	buf[1] = 0;   /* pad */
	put_le16(buf + 2, (uint16_t)off);
	put_le16(buf + 4, (uint16_t)present);
	put_le16(buf + 6, (uint16_t)(present >> 16));
	return (int)off;
}

int
d11tx_radiotap_build(const struct d11tx_radiotap_tx *rt, uint8_t *buf,
		     size_t room)
{
	/* Radiotap's VHT bandwidth codes run from 0 (20 MHz) to 25. */
	if (rt == NULL || buf == NULL || (rt->mcs && rt->mcs_index > 76) ||
	    (rt->vht && (rt->vht_mcs > 9 || rt->vht_nss < 1 || rt->vht_nss > 8 ||
			 rt->vht_bandwidth > 25)))
		return -EINVAL;
	if (room < D11TX_RADIOTAP_MAX)
		return -ENOSPC;
	return d11tx_radiotap_write(rt, 0, 0, buf, room);
}

/* The rate an MCS field asks for (known, flags, index), unless a VHT
 * field came first; a field that leaves the index unknown asks none. */
static void
read_mcs(const uint8_t *f, struct d11tx_tx_rate *rate)
{
	if (!(f[0] & RT_MCS_HAVE_MCS))
		return;
	*rate = (struct d11tx_tx_rate){
		.phy = D11TX_PHY_HT, .rate = f[2],
		.bw = (f[0] & RT_MCS_HAVE_BW) && (f[1] & 0x03) == RT_MCS_BW_40 ?
			D11TX_BW_40 : D11TX_BW_20,
		.short_gi = (f[0] & RT_MCS_HAVE_GI) && (f[1] & RT_MCS_SGI) ? 1 : 0,
	};
}

/* The rate of user 0 of a VHT field (known, flags, bandwidth, mcs_nss[4],
 * ...); a stream count of 0 means user 0 is not there. */
static void
read_vht(const uint8_t *f, struct d11tx_tx_rate *rate)
{
	const uint16_t known = le16(f);
	const uint8_t mcs_nss = f[4];

	if ((mcs_nss & 0x0f) == 0)
		return;
	*rate = (struct d11tx_tx_rate){
		.phy = D11TX_PHY_VHT, .rate = mcs_nss >> 4, .nss = mcs_nss & 0x0f,
		.bw = known & RT_VHT_KNOWN_BW ? d11tx_dot11_vht_bw_from_code(f[3] & 0x1f) :
			D11TX_BW_20,
		.short_gi = (known & RT_VHT_KNOWN_GI) && (f[2] & RT_VHT_FLAG_SGI) ? 1 : 0,
	};
}

int
d11tx_radiotap_parse(const void *hdr, uint32_t avail,
		     struct d11tx_radiotap_info *info)
{
	const uint8_t *p = hdr;
	struct d11tx_radiotap_info r = { 0 };
	uint32_t len, off, word;

	if (info == NULL)
		return -EINVAL;
	*info = r;
	if (p == NULL)
		return -EINVAL;
	if (avail < 8)
		return -ENODATA;
	if (p[0] != 0)
		return -EPROTONOSUPPORT;
	len = le16(p + 2);
	if (len < 8 || len > avail)
		return -EMSGSIZE;
	r.len = (uint16_t)len;
	r.present = le32(p + 4);
	/* The fields follow every present word, extended ones too. */
	off = 8;
	word = r.present;
	while (word & (1u << RT_EXT)) {
		if (off + 4 > len)
			return -EBADMSG;
		word = le32(p + off);
		off += 4;
	}
	for (uint32_t b = 0; b <= RT_VHT; b++) {
		if (!(r.present & (1u << b)))
			continue;
		/* A field of unknown size: the ones after it cannot be
		 * found, and are left out. */
		if (field_size[b] == 0)
			break;
		off = (off + field_align[b] - 1) & ~(uint32_t)(field_align[b] - 1);
		if (off + field_size[b] > len)
			return -EBADMSG;
		if (b == RT_FLAGS)
			r.flags = p[off];
		else if (b == RT_RATE)
			r.rate_500k = p[off];
		else if (b == RT_TX_FLAGS)
			r.tx_flags = le16(p + off);
		else if (b == RT_DATA_RETRIES)
			r.data_retries = p[off];
		else if (b == RT_MCS)
			read_mcs(p + off, &r.rate);
		else if (b == RT_VHT)
			read_vht(p + off, &r.rate);
		off += field_size[b];
	}
	if (r.rate.phy == D11TX_PHY_DEFAULT && r.rate_500k != 0)
		r.rate = (struct d11tx_tx_rate){ .phy = D11TX_PHY_LEGACY,
						 .rate = r.rate_500k };
	*info = r;
	return 0;
}
