/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * libFuzzer target for radiotap, the codec of engine/dot11/radiotap.c: the
 * builder of the send path (d11tx_radiotap_build) and the parser that
 * net_wlansim and dot11tx-gen read headers with (d11tx_radiotap_parse).
 *
 * The builder: the first 10 bytes of the input give every field of a
 * struct d11tx_radiotap_tx, out-of-range MCS and VHT values included
 * (flags, rate, TX flags, a bit mask of MCS/40 MHz/short GI/VHT/VHT short
 * GI, MCS index, VHT MCS, NSS, bandwidth), and the room (byte 9: 0 to 40
 * bytes, an exact-size heap buffer, so that a write past it is caught).
 * Oracle: -EINVAL exactly when a value is out of range, else -ENOSPC
 * exactly when the room is below D11TX_RADIOTAP_MAX, else a header of the
 * length and presence bits the fields call for, nothing written past it,
 * every field read back as given (by a walker written here from the
 * radiotap spec), and d11tx_radiotap_parse() taking it, a frame behind
 * it or not, with the same length, flags, rate, TX flags, data retries and
 * PHY rate (struct d11tx_tx_rate, from the VHT, MCS or Rate field) as the
 * walker reads.
 *
 * The parser: the whole input as a header, from an exact-size copy (a
 * read past the bytes it is given is caught), and again from each shorter
 * prefix length up to 64; its answer compared with the walker's (an
 * implementation of its own, written from the spec: the point of the
 * oracle), and all zeros for a header that is not valid.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <dot11tx/dot11.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CANARY 0xa5

/* Radiotap fields 0..21, by presence bit: size and alignment. */
static const uint8_t rt_size[22] = {
	8, 1, 1, 4, 2, 1, 1, 2, 2, 2, 1, 1, 1, 1, 2, 2, 1, 1, 0, 3, 8, 12,
};
static const uint8_t rt_align[22] = {
	8, 1, 1, 2, 1, 1, 1, 2, 2, 2, 1, 1, 1, 1, 2, 2, 1, 1, 1, 1, 4, 2,
};

/* A header read the spec's way; fields beyond 21 stop the walk. */
struct walked {
	bool ok;                   /* version 0, length in bounds, fields fit */
	uint32_t len;
	uint32_t present;          /* the first word */
	uint32_t field_off[22];    /* of the first word's fields */
	uint8_t flags, rate;
	uint16_t tx_flags;
	uint8_t data_retries;
	struct d11tx_tx_rate tx_rate;  /* VHT's user 0, else MCS, else Rate */
	bool stopped;              /* a field this table does not know */
};

/* The width of a radiotap VHT bandwidth code (the spec's table: 0 is 20
 * MHz, 1-3 the 40 MHz ones, 4-10 the 80 MHz ones, 11 and up 160). */
static uint8_t
vht_bw(uint8_t code)
{
	return code == 0 ? D11TX_BW_20 : code <= 3 ? D11TX_BW_40 :
	       code <= 10 ? D11TX_BW_80 : D11TX_BW_160;
}

static uint32_t
le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[3] << 24;
}

/* Walk the header in [p, p + avail) as the radiotap spec says, through
 * every field up to 21 (VHT). */
static struct walked
walk(const uint8_t *p, size_t avail)
{
	bool have_mcs = false, have_vht = false;
	struct d11tx_tx_rate mcs = { 0 }, vht = { 0 };
	struct walked w;
	uint32_t off = 8, word;

	memset(&w, 0, sizeof(w));
	if (avail < 8 || p[0] != 0)
		return w;
	w.len = (uint32_t)(p[2] | p[3] << 8);
	if (w.len < 8 || w.len > avail)
		return w;
	w.present = le32(p + 4);
	for (word = w.present; word & (1u << 31); word = le32(p + off - 4)) {
		off += 4;
		if (off > w.len)
			return w;
	}
	for (uint32_t b = 0; b <= 21u; b++) {
		if (!(w.present & (1u << b)))
			continue;
		if (rt_size[b] == 0) {
			w.stopped = true;
			break;
		}
		off = (off + rt_align[b] - 1) / rt_align[b] * rt_align[b];
		if (off + rt_size[b] > w.len)
			return w;
		w.field_off[b] = off;
		if (b == 1)
			w.flags = p[off];
		if (b == 2)
			w.rate = p[off];
		if (b == 15)
			w.tx_flags = (uint16_t)(p[off] | p[off + 1] << 8);
		if (b == 17)
			w.data_retries = p[off];
		if (b == 19 && (p[off] & 0x02)) {
			/* known: bandwidth 0x01, index 0x02, GI 0x04 */
			have_mcs = true;
			mcs = (struct d11tx_tx_rate){ .phy = D11TX_PHY_HT,
				.rate = p[off + 2],
				.bw = (p[off] & 0x01) && (p[off + 1] & 0x03) == 1 ?
					D11TX_BW_40 : D11TX_BW_20,
				.short_gi = (p[off] & 0x04) && (p[off + 1] & 0x04) };
		}
		if (b == 21 && (p[off + 4] & 0x0f) != 0) {
			/* known (GI 0x0004, bandwidth 0x0040), flags,
			 * bandwidth, mcs_nss of user 0 */
			const uint16_t known = (uint16_t)(p[off] | p[off + 1] << 8);

			have_vht = true;
			vht = (struct d11tx_tx_rate){ .phy = D11TX_PHY_VHT,
				.rate = p[off + 4] >> 4, .nss = p[off + 4] & 0x0f,
				.bw = known & 0x0040 ? vht_bw(p[off + 3] & 0x1f) : D11TX_BW_20,
				.short_gi = (known & 0x0004) && (p[off + 2] & 0x04) };
		}
		off += rt_size[b];
	}
	if (have_vht)
		w.tx_rate = vht;
	else if (have_mcs)
		w.tx_rate = mcs;
	else if (w.rate != 0)
		w.tx_rate = (struct d11tx_tx_rate){ .phy = D11TX_PHY_LEGACY, .rate = w.rate };
	w.ok = true;
	return w;
}

static void
fuzz_builder(const uint8_t *d)
{
	/* With bit 6 of byte 9, the MCS and VHT values as they are (0..255);
	 * else reduced to just past their ranges, so that text seeds reach
	 * both sides of each bound. */
	const bool raw = d[9] & 0x40;
	const struct d11tx_radiotap_tx rt = {
		.flags = d[0],
		.rate_500k = d[1],
		.tx_flags = (uint16_t)(d[2] | d[3] << 8),
		.mcs = d[4] & 1,
		.mcs_40mhz = d[4] & 2,
		.mcs_short_gi = d[4] & 4,
		.vht = d[4] & 8,
		.vht_short_gi = d[4] & 16,
		.mcs_index = raw ? d[5] : d[5] % 80,
		.vht_mcs = raw ? d[6] : d[6] % 12,
		.vht_nss = raw ? d[7] : d[7] % 10,
		.vht_bandwidth = raw ? d[8] : d[8] % 28,
		.retries = d[4] & 32,
		.data_retries = (uint8_t)(d[1] ^ d[2]),
	};
	/* Mostly rooms around the limit, some far below it. */
	const size_t room = d[9] & 0x80 ? (size_t)(d[9] % 41)
					: D11TX_RADIOTAP_MAX + (d[9] & 7);
	const bool bad = (rt.mcs && rt.mcs_index > 76) ||
		(rt.vht && (rt.vht_mcs > 9 || rt.vht_nss < 1 || rt.vht_nss > 8 ||
			    rt.vht_bandwidth > 25));
	uint32_t want_present = 0;
	size_t want_len = 8;
	struct d11tx_radiotap_info info;
	struct walked w;
	uint8_t *buf;
	int r;

	/* What the header must be, field by field, in the spec's order. */
	if (rt.flags) {
		want_present |= 1u << 1;
		want_len += 1;
	}
	if (rt.rate_500k) {
		want_present |= 1u << 2;
		want_len += 1;
	}
	if (rt.tx_flags) {
		want_present |= 1u << 15;
		want_len = (want_len + 1) / 2 * 2 + 2;
	}
	if (rt.retries) {
		want_present |= 1u << 17;
		want_len += 1;
	}
	if (rt.mcs) {
		want_present |= 1u << 19;
		want_len += 3;
	}
	if (rt.vht) {
		want_present |= 1u << 21;
		want_len = (want_len + 1) / 2 * 2 + 12;
	}

	buf = malloc(room ? room : 1);
	if (buf == NULL)
		return;
	memset(buf, CANARY, room ? room : 1);
	r = d11tx_radiotap_build(&rt, buf, room);
	if (bad) {
		if (r != -EINVAL)
			abort();
		goto out;
	}
	if (room < D11TX_RADIOTAP_MAX) {
		if (r != -ENOSPC)
			abort();
		goto out;
	}
	if (r <= 0 || (size_t)r != want_len || (size_t)r > room || r > D11TX_RADIOTAP_MAX)
		abort();
	for (size_t i = (size_t)r; i < room; i++)
		if (buf[i] != CANARY)
			abort();   /* written past the header */
	if (buf[0] != 0 || buf[1] != 0 || (buf[2] | buf[3] << 8) != r ||
	    le32(buf + 4) != want_present)
		abort();

	/* Every field read back as given. */
	w = walk(buf, (size_t)r);
	if (!w.ok || w.stopped || w.len != (uint32_t)r)
		abort();
	if (rt.flags && buf[w.field_off[1]] != rt.flags)
		abort();
	if (rt.rate_500k && buf[w.field_off[2]] != rt.rate_500k)
		abort();
	if (rt.tx_flags &&
	    (buf[w.field_off[15]] | buf[w.field_off[15] + 1] << 8) != rt.tx_flags)
		abort();
	if (rt.retries && buf[w.field_off[17]] != rt.data_retries)
		abort();
	if (rt.mcs) {
		const uint8_t *m = buf + w.field_off[19];

		if (m[0] != 0x07 || m[2] != rt.mcs_index ||
		    m[1] != ((rt.mcs_40mhz ? 0x01 : 0) | (rt.mcs_short_gi ? 0x04 : 0)))
			abort();
	}
	if (rt.vht) {
		const uint8_t *v = buf + w.field_off[21];

		if ((v[0] | v[1] << 8) != 0x0044 ||
		    v[2] != (rt.vht_short_gi ? 0x04 : 0) || v[3] != rt.vht_bandwidth ||
		    v[4] != (rt.vht_mcs << 4 | rt.vht_nss) ||
		    v[5] != 0 || v[6] != 0 || v[7] != 0 || v[8] != 0 || v[9] != 0 ||
		    v[10] != 0 || v[11] != 0)
			abort();
	}
	/* ... and by the parser, alone and with a frame behind it. */
	for (size_t extra = 0; extra <= 4; extra += 4) {
		uint8_t *f = malloc((size_t)r + extra);

		if (f == NULL)
			break;
		memcpy(f, buf, (size_t)r);
		memset(f + r, 0x08, extra);
		if (d11tx_radiotap_parse(f, (uint32_t)r + (uint32_t)extra, &info) != 0)
			abort();
		free(f);
		if (info.len != (uint32_t)r || info.present != want_present ||
		    info.flags != rt.flags || info.rate_500k != rt.rate_500k ||
		    info.tx_flags != rt.tx_flags ||
		    info.data_retries != (rt.retries ? rt.data_retries : 0) ||
		    memcmp(&info.rate, &w.tx_rate, sizeof(info.rate)) != 0)
			abort();
	}
out:
	free(buf);
}

/* The parser on [data, data + avail), from an exact-size copy. */
static void
fuzz_parser(const uint8_t *data, size_t avail)
{
	uint8_t *p = malloc(avail ? avail : 1);
	struct d11tx_radiotap_info info;
	struct walked w;
	int r;

	if (p == NULL)
		return;
	memcpy(p, data, avail);
	r = d11tx_radiotap_parse(p, (uint32_t)avail, &info);
	w = walk(p, avail);
	if (r == 0) {
		if (info.len < 8 || info.len > avail || p[0] != 0 ||
		    info.len != (uint32_t)(p[2] | p[3] << 8))
			abort();
	} else if (r != -ENODATA && r != -EPROTONOSUPPORT && r != -EMSGSIZE &&
		   r != -EBADMSG) {
		abort();   /* an undocumented error */
	} else if (info.len || info.present || info.flags || info.rate_500k ||
		   info.tx_flags || info.data_retries || info.rate.phy) {
		abort();   /* an invalid header says nothing */
	}
	/* The same answer as the spec's walk. */
	if (w.ok != (r == 0) ||
	    (w.ok && (w.flags != info.flags || w.rate != info.rate_500k ||
		      w.tx_flags != info.tx_flags || w.data_retries != info.data_retries ||
		      memcmp(&w.tx_rate, &info.rate, sizeof(info.rate)) != 0)))
		abort();
	free(p);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* avail is a uint32_t: larger inputs are not what a frame can be. */
	if (size > 65536)
		return 0;
	if (size >= 10)
		fuzz_builder(data);
	fuzz_parser(data, size);
	for (size_t n = 0; n < size && n < 64; n++)
		fuzz_parser(data, n);
	/* No buffer at all. */
	if (size == 0) {
		struct d11tx_radiotap_info info;

		if (d11tx_radiotap_parse(NULL, 0, &info) != -EINVAL ||
		    d11tx_radiotap_build(NULL, NULL, 64) != -EINVAL)
			abort();
	}
	return 0;
}
