/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * dot11tx-gen's frame sources (see source.h).
 *
 * Templates and hex frames are built once, at open, into one buffer: the
 * radiotap header (when asked) and the frame at the largest size asked
 * for. gen_source_next() copies it with one memcpy, patches the few bytes
 * a size changes (the last vendor element's header, or the IPv4 and UDP
 * lengths and the IPv4 checksum) and assigns the sequence number.
 *  - Management templates (beacon, probe-req, probe-resp) always end with
 *    one vendor-specific element (0xdd, OUI 02:d1:1d, type 0; 6 bytes at
 *    least, as Wireshark wants the type byte); a size grows it, then adds
 *    more, each up to 257 bytes. So every size from the natural one up is
 *    reached exactly: beacon and probe-resp 57 + SSID length, probe-req
 *    42 + SSID length.
 *  - Data templates carry IPv4 + UDP (192.0.2.1 -> 192.0.2.2, port 9, no
 *    UDP checksum) after the LLC/SNAP header, with a counting payload: 60
 *    bytes at least, 62 for QoS data. Their natural size is that minimum.
 *  - The fixed ones: null 24, rts 16, cts and ack 10, deauth 26.
 *  - No radiotap field but the Rate (when rt_rate_500k is set): no TX
 *    flags, so a driver may number the frames again (NOSEQ is not asked).
 *
 * Pcap files are read whole at open (at most GEN_PCAP_MAX_FILE bytes) by a
 * small strict reader of classic pcap (both byte orders, micro- and
 * nanosecond timestamps). Every record is checked before anything is sent;
 * one malformed record refuses the file with a line naming the record
 * (numbered from 1, as Wireshark numbers frames) and the problem. The
 * frames are kept as offsets into the file, so gen_source_next() is one or
 * two memcpy calls. Choices where the formats leave room:
 *  - A snap length of 0 means "unset" (as libpcap reads it): records are
 *    then held to the 262144-byte limit alone.
 *  - The link-type field's FCS bits (the "P" flag with an FCS length of 4)
 *    mark a file whose every frame ends with its FCS, stripped like a
 *    radiotap FCS; other FCS lengths and reserved bits are refused.
 *  - A record shorter than on the air (caplen < len) is handed out as
 *    captured; its FCS, if it had one, was not captured, so nothing is
 *    stripped from it.
 *  - Radiotap (127), read by d11tx_radiotap_parse(): version 0, length
 *    8..caplen, the chain of present words and every present field up to
 *    Data Retries inside that length.
 *    Flags bit 0x10 (FCS at end) strips the 4-byte FCS. The data-pad flag
 *    (0x20) is not undone.
 *  - Prism (119): the header is a Prism one (message code 0x41 or 0x44, in
 *    either byte order, which sets the order of its msglen, usually 144) or
 *    an AVS one (big-endian magic 0x80211001/2 and length); anything else,
 *    which Wireshark would decode as a bare 802.11 frame, is refused.
 *  - Every record must leave at least one byte of 802.11 frame once its
 *    radio header and FCS are off. Frames that d11tx_dot11_validate()
 *    refuses are still handed out: the engine (or --no-validate) decides.
 *  - Timestamps: ts_ns is the record's time minus the first record's (of
 *    the whole file, whatever the share); a record older than the one
 *    before it is taken at the same time as that one, so that ts_ns never
 *    decreases. Looping, each pass adds one period: the file's duration
 *    plus its mean gap between frames (duration / (frames - 1)), or plus
 *    1 ms when the file has no duration (a single frame, or all at once);
 *    the times saturate at UINT64_MAX rather than wrap.
 */

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <dot11tx/dot11.h>

#include "parse.h"
#include "source.h"

#define GEN_MIN_SIZE 10
#define GEN_MAX_SIZE D11TX_DOT11_DEFAULT_MAX_MPDU   /* 7991 */

#define GEN_PCAP_MAX_FILE (256u << 20)   /* 256 MiB */
#define PCAP_MAX_CAPLEN 262144u
#define PCAP_HDR 24
#define PCAP_REC_HDR 16
#define LINKTYPE_IEEE802_11 105
#define LINKTYPE_PRISM 119
#define LINKTYPE_RADIOTAP 127
#define LOOP_GAP_NS 1000000ull           /* 1 ms: see above */

/* Management templates: a vendor-specific element pads them, with this
 * made-up, locally administered OUI and vendor type 0. Wireshark reads the
 * type byte after the OUI, so the shortest element carries it. */
#define VENDOR_EID 0xdd
static const uint8_t vendor_oui[3] = { 0x02, 0xd1, 0x1d };
#define VENDOR_MIN 6                     /* ID, length, OUI, type */
#define VENDOR_FULL 257                  /* ID, length 255 */

/* How a template's bytes change with its size. */
enum size_patch {
	PATCH_NONE,       /* fixed size */
	PATCH_VENDOR,     /* management: vendor elements from pad_off */
	PATCH_IPV4,       /* data: IPv4 + UDP at pad_off */
};

struct pcap_frame {
	uint64_t ts_ns;
	uint32_t off;     /* the bytes handed out, in the file buffer */
	uint32_t len;
	uint16_t mpdu;    /* where the MPDU starts in them (a kept radiotap) */
	uint8_t fcs;      /* they end with the 4-byte FCS */
	int8_t tid;
};

struct gen_source {
	enum gen_source_kind kind;
	int8_t tid;
	bool seq;                 /* assign sequence numbers */
	/* A template's receiver and TID never change, so the framing
	 * layer's counter for it goes up by one a frame. Once two numbers in
	 * a row show it, next() writes them itself (seq_assign parses the
	 * header and looks the receiver up: 12% of a line-rate run). */
	bool seq_fast;
	bool seq_seen;
	uint16_t seq_last;

	/* Templates and hex: radiotap + frame, at the largest size. */
	uint8_t *tmpl;
	uint32_t rtlen;           /* radiotap in front (templates, hex, pcap) */
	uint32_t natural;         /* frame size without sizes */
	enum size_patch patch;
	uint32_t pad_off;         /* in the frame */
	uint32_t ip_sum;          /* IPv4 header sum without the total length */
	bool sized;
	struct gen_sizes sizes;
	unsigned int size_idx;
	uint64_t rng;

	/* A template of one size (fixed_len > 0): radiotap and frame at
	 * that size, patched once (gen_source_fill_fixed()). */
	uint8_t *fixed;
	uint32_t fixed_len;

	/* Pcap. */
	uint8_t *file;
	struct pcap_frame *frames;
	uint64_t nb;
	uint64_t cur;
	uint64_t base_ns;         /* loops done times the period */
	uint64_t period_ns;
	bool loop;
	uint8_t rt[D11TX_RADIOTAP_MAX];  /* built for 105 and 119 */

	struct d11tx_dot11_seq seqs;
};

static int
fail(char *err, size_t errlen, int rc, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
static uint8_t *build_frame(const struct gen_source *s, uint8_t *buf, uint32_t size);

static int
fail(char *err, size_t errlen, int rc, const char *fmt, ...)
{
	va_list ap;

	if (err != NULL && errlen > 0) {
		va_start(ap, fmt);
		vsnprintf(err, errlen, fmt, ap);
		va_end(ap);
	}
	return rc;
}

static inline uint16_t
le16(const uint8_t *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}

static inline uint32_t
le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[3] << 24;
}

static inline uint32_t
be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 |
	       (uint32_t)p[3];
}

static inline uint32_t
rd32(const uint8_t *p, bool big)
{
	return big ? be32(p) : le32(p);
}

static inline void
put_be16(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static uint64_t
splitmix64(uint64_t *x)
{
	uint64_t z = (*x += 0x9e3779b97f4a7c15ull);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

/* The TID of a QoS data frame (0..15, as in its QoS Control), or -1. */
static int8_t
frame_tid(const uint8_t *f, uint32_t len)
{
	uint16_t fc;
	uint32_t hdr;

	if (len < 2)
		return -1;
	fc = le16(f);
	if ((fc & 0x0003) != 0 || ((fc >> 2) & 3) != D11TX_DOT11_DATA || !(fc & 0x0080))
		return -1;
	hdr = d11tx_dot11_hdr_len(fc);
	if (hdr == 0 || len < hdr)
		return -1;
	return (int8_t)(f[(fc & 0x0300) == 0x0300 ? 30 : 24] & 0x0f);
}

/* Whether d11tx_dot11_seq_assign() numbers this frame. */
static bool
frame_has_seq(const uint8_t *f, uint32_t len)
{
	uint16_t fc;
	uint32_t hdr;

	if (len < 2)
		return false;
	fc = le16(f);
	hdr = d11tx_dot11_hdr_len(fc);
	return hdr != 0 && len >= hdr &&
	       (((fc >> 2) & 3) == D11TX_DOT11_MGMT || ((fc >> 2) & 3) == D11TX_DOT11_DATA);
}

/* ------------------------------------------------------------------ */
/* Names, sizes, MACs                                                   */

static const char *const template_names[GEN_T_MAX] = {
	[GEN_T_BEACON] = "beacon",
	[GEN_T_PROBE_REQ] = "probe-req",
	[GEN_T_PROBE_RESP] = "probe-resp",
	[GEN_T_QOS_DATA] = "qos-data",
	[GEN_T_DATA] = "data",
	[GEN_T_NULL] = "null",
	[GEN_T_RTS] = "rts",
	[GEN_T_CTS] = "cts",
	[GEN_T_ACK] = "ack",
	[GEN_T_DEAUTH] = "deauth",
};

int
gen_template_by_name(const char *name)
{
	if (name == NULL)
		return -1;
	for (unsigned int t = 0; t < GEN_T_MAX; t++)
		if (strcmp(name, template_names[t]) == 0)
			return (int)t;
	return -1;
}

const char *
gen_template_name(unsigned int t)
{
	return t < GEN_T_MAX ? template_names[t] : "unknown";
}

/* A decimal size at *p, up to a non-digit; advances *p. */
static int
parse_size(const char **p, const char *all, uint16_t *out, char *err, size_t errlen)
{
	const char *s = *p;
	unsigned long v = 0;

	if (*s < '0' || *s > '9')
		return fail(err, errlen, -EINVAL, "sizes \"%.32s\": a number expected at \"%.16s\"",
			    all, s);
	while (*s >= '0' && *s <= '9') {
		v = v * 10 + (unsigned long)(*s - '0');
		if (v > 1000000)
			v = 1000000;   /* out of bounds anyway; no overflow */
		s++;
	}
	if (v < GEN_MIN_SIZE || v > GEN_MAX_SIZE)
		return fail(err, errlen, -EINVAL,
			    "sizes \"%.32s\": %lu is out of bounds (%u..%u)", all, v,
			    GEN_MIN_SIZE, GEN_MAX_SIZE);
	*out = (uint16_t)v;
	*p = s;
	return 0;
}

int
gen_sizes_parse(const char *s, struct gen_sizes *sizes, char *err, size_t errlen)
{
	struct gen_sizes r = { .nb = 0 };
	const char *p = s;
	int rc;

	if (s == NULL || sizes == NULL)
		return fail(err, errlen, -EINVAL, "sizes: none given");
	if (*s == '\0')
		return fail(err, errlen, -EINVAL, "sizes: empty");
	rc = parse_size(&p, s, &r.list[0], err, errlen);
	if (rc < 0)
		return rc;
	r.nb = 1;
	if (*p == '-') {
		p++;
		rc = parse_size(&p, s, &r.list[1], err, errlen);
		if (rc < 0)
			return rc;
		if (*p != '\0')
			return fail(err, errlen, -EINVAL,
				    "sizes \"%.32s\": unexpected \"%.16s\" after the range", s, p);
		if (r.list[0] >= r.list[1])
			return fail(err, errlen, -EINVAL,
				    "sizes \"%.32s\": the range's low end must be below its high end",
				    s);
		r.nb = 2;
		r.range = true;
		*sizes = r;
		return 0;
	}
	while (*p == ',') {
		p++;
		if (r.nb == GEN_MAX_SIZES)
			return fail(err, errlen, -EINVAL, "sizes: more than %d sizes",
				    GEN_MAX_SIZES);
		rc = parse_size(&p, s, &r.list[r.nb], err, errlen);
		if (rc < 0)
			return rc;
		r.nb++;
	}
	if (*p != '\0')
		return fail(err, errlen, -EINVAL, "sizes \"%.32s\": unexpected \"%.16s\"", s, p);
	*sizes = r;
	return 0;
}

/* ------------------------------------------------------------------ */
/* Templates                                                           */

static const uint8_t bcast[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };
static const uint8_t rates[8] = { 0x82, 0x84, 0x8b, 0x96, 0x0c, 0x12, 0x18, 0x24 };

#define IPV4_UDP 28

/* The frame's header: Frame Control, Duration 0, addresses. */
static uint32_t
mgmt_hdr(uint8_t *f, uint8_t fc0, uint8_t fc1, const uint8_t *a1, const uint8_t *a2,
	 const uint8_t *a3)
{
	f[0] = fc0;
	f[1] = fc1;
	f[2] = f[3] = 0;
	memcpy(f + 4, a1, 6);
	if (a2 != NULL)
		memcpy(f + 10, a2, 6);
	if (a3 != NULL)
		memcpy(f + 16, a3, 6);
	f[22] = f[23] = 0;
	return a3 != NULL ? 24 : a2 != NULL ? 16 : 10;
}

/* SSID and Supported Rates elements at f; their length. */
static uint32_t
ssid_rates(uint8_t *f, const char *ssid)
{
	const size_t n = strnlen(ssid, 32);
	uint32_t o = 0;

	f[o++] = 0;   /* SSID */
	f[o++] = (uint8_t)n;
	memcpy(f + o, ssid, n);
	o += (uint32_t)n;
	f[o++] = 1;   /* Supported Rates */
	f[o++] = sizeof(rates);
	memcpy(f + o, rates, sizeof(rates));
	return o + sizeof(rates);
}

/* Beacon and probe response body after the header. */
static uint32_t
bss_body(uint8_t *f, const char *ssid)
{
	uint32_t o = 0;

	memset(f, 0, 8);     /* timestamp: the NIC fills it, if anyone */
	o = 8;
	f[o++] = 100;        /* beacon interval: 100 TU */
	f[o++] = 0;
	f[o++] = 0x01;       /* capability: ESS */
	f[o++] = 0x00;
	o += ssid_rates(f + o, ssid);
	f[o++] = 3;          /* DS Parameter Set: channel 1 */
	f[o++] = 1;
	f[o++] = 1;
	return o;
}

/* Fill [f + base, f + cap) with full vendor elements: the canonical
 * layout vendor_patch() adjusts to a size. */
static void
vendor_fill(uint8_t *f, uint32_t base, uint32_t cap)
{
	memset(f + base, 0, cap - base);
	for (uint32_t p = base; p < cap; p += VENDOR_FULL) {
		uint8_t h[VENDOR_MIN] = { VENDOR_EID, 255, vendor_oui[0], vendor_oui[1],
					  vendor_oui[2], 0 };
		const uint32_t n = cap - p < VENDOR_MIN ? cap - p : VENDOR_MIN;

		memcpy(f + p, h, n);
	}
}

/* The vendor elements of a frame of @p size bytes, copied from the
 * canonical layout: all full (257 bytes) but the last (6..257); where that
 * would be shorter than 6, the one before it gives it the bytes. */
static inline void
vendor_patch(uint8_t *f, uint32_t base, uint32_t size)
{
	const uint32_t v = size - base;            /* >= VENDOR_MIN */
	const uint32_t m = (v - 1) / VENDOR_FULL;  /* full elements before */
	uint32_t last = v - m * VENDOR_FULL;       /* 1..257 */
	uint32_t p = base + m * VENDOR_FULL;

	if (last < VENDOR_MIN) {
		const uint32_t give = VENDOR_MIN - last;

		f[p - VENDOR_FULL + 1] = (uint8_t)(255 - give);
		p -= give;
		last = VENDOR_MIN;
	}
	f[p] = VENDOR_EID;
	f[p + 1] = (uint8_t)(last - 2);
	memcpy(f + p + 2, vendor_oui, 3);
	f[p + 5] = 0;
}

/* IPv4 + UDP lengths and IPv4 checksum for a frame of @p size bytes. */
static inline void
ipv4_patch(uint8_t *f, uint32_t ip, uint32_t ip_sum, uint32_t size)
{
	const uint32_t tl = size - ip;
	uint32_t sum = ip_sum + tl;

	sum = (sum & 0xffff) + (sum >> 16);
	sum = (sum & 0xffff) + (sum >> 16);
	put_be16(f + ip + 2, tl);
	put_be16(f + ip + 10, ~sum & 0xffff);
	put_be16(f + ip + 24, tl - 20);
}

/* The IPv4 header (20, without its total length and checksum) and UDP
 * header of the data templates, then a counting payload up to cap; the
 * header sum without the total length in *sum. */
static void
ipv4_fill(uint8_t *f, uint32_t ip, uint32_t cap, uint32_t *sum)
{
	static const uint8_t hdr[IPV4_UDP] = {
		0x45, 0x00, 0x00, 0x00,   /* version 4, IHL 5; total length */
		0x00, 0x00, 0x40, 0x00,   /* id 0, DF */
		0x40, 0x11, 0x00, 0x00,   /* TTL 64, UDP; checksum */
		192, 0, 2, 1,             /* TEST-NET-1 */
		192, 0, 2, 2,
		0x00, 0x09, 0x00, 0x09,   /* discard port to discard port */
		0x00, 0x00, 0x00, 0x00,   /* length; no checksum */
	};
	uint32_t s = 0;

	memcpy(f + ip, hdr, sizeof(hdr));
	for (uint32_t i = 0; i < 20; i += 2)
		s += (uint32_t)(hdr[i] << 8 | hdr[i + 1]);
	*sum = s;
	for (uint32_t i = ip + IPV4_UDP; i < cap; i++)
		f[i] = (uint8_t)(i - ip - IPV4_UDP);
}

/* Build template @p c->tmpl into s->tmpl (after s->rtlen bytes of
 * radiotap), @p cap bytes of frame; s->natural, s->patch, s->pad_off. */
static int
template_build(struct gen_source *s, const struct gen_source_conf *c, uint32_t cap)
{
	uint8_t *f = s->tmpl + s->rtlen;
	uint32_t o;

	switch (c->tmpl) {
	case GEN_T_BEACON:
	case GEN_T_PROBE_RESP:
		o = mgmt_hdr(f, c->tmpl == GEN_T_BEACON ? 0x80 : 0x50, 0,
			     c->tmpl == GEN_T_BEACON ? bcast : c->da, c->bssid, c->bssid);
		o += bss_body(f + o, c->ssid);
		break;
	case GEN_T_PROBE_REQ:
		o = mgmt_hdr(f, 0x40, 0, bcast, c->sa, bcast);
		o += ssid_rates(f + o, c->ssid);
		break;
	case GEN_T_QOS_DATA:
	case GEN_T_DATA: {
		struct d11tx_dot11_adapter a = {
			.role = c->to_ds ? D11TX_DOT11_STATION : D11TX_DOT11_AP,
		};
		uint8_t eth[D11TX_DOT11_ETH_PREFIX];
		int r;

		memcpy(a.own, c->sa, 6);
		memcpy(a.bssid, c->bssid, 6);
		memcpy(eth, c->da, 6);
		eth[6] = 0x08;   /* IPv4 */
		eth[7] = 0x00;
		r = d11tx_dot11_encap(&a, eth, c->tmpl == GEN_T_QOS_DATA ? c->tid : -1, f);
		if (r < 0)
			return r;
		s->patch = PATCH_IPV4;
		s->pad_off = (uint32_t)r;
		s->natural = (uint32_t)r + IPV4_UDP;
		ipv4_fill(f, (uint32_t)r, cap, &s->ip_sum);
		return 0;
	}
	case GEN_T_NULL:
		/* To-DS Null function: A1 BSSID, A2 own, A3 BSSID, as
		 * mac80211 builds it. */
		s->natural = mgmt_hdr(f, 0x48, 0x01, c->bssid, c->sa, c->bssid);
		return 0;
	case GEN_T_RTS:
		s->natural = mgmt_hdr(f, 0xb4, 0, c->da, c->sa, NULL);
		return 0;
	case GEN_T_CTS:
	case GEN_T_ACK:
		s->natural = mgmt_hdr(f, c->tmpl == GEN_T_CTS ? 0xc4 : 0xd4, 0, c->da,
				      NULL, NULL);
		return 0;
	case GEN_T_DEAUTH:
		o = mgmt_hdr(f, 0xc0, 0, c->da, c->sa, c->bssid);
		f[o++] = 3;      /* reason: leaving */
		f[o++] = 0;
		s->natural = o;
		return 0;
	default:
		return -EINVAL;
	}
	s->patch = PATCH_VENDOR;
	s->pad_off = o;
	s->natural = o + VENDOR_MIN;
	vendor_fill(f, o, cap);
	return 0;
}

/* The natural (and smallest) size of template @p c->tmpl. */
static uint32_t
template_min(const struct gen_source_conf *c)
{
	const uint32_t ssid = (uint32_t)strnlen(c->ssid, 32);

	switch (c->tmpl) {
	case GEN_T_BEACON:
	case GEN_T_PROBE_RESP:
		return 24 + 12 + 2 + ssid + 10 + 3 + VENDOR_MIN;
	case GEN_T_PROBE_REQ:
		return 24 + 2 + ssid + 10 + VENDOR_MIN;
	case GEN_T_QOS_DATA:
		return 34 + IPV4_UDP;
	case GEN_T_DATA:
		return 32 + IPV4_UDP;
	default:
		return 0;   /* fixed size */
	}
}

static int
radiotap_prefix(struct gen_source *s, const struct gen_source_conf *c, uint8_t *buf,
		char *err, size_t errlen)
{
	const struct d11tx_radiotap_tx rt = { .rate_500k = c->rt_rate_500k };
	const int r = d11tx_radiotap_build(&rt, buf, D11TX_RADIOTAP_MAX);

	if (r < 0)
		return fail(err, errlen, r, "radiotap header: %s", strerror(-r));
	s->rtlen = (uint32_t)r;
	return 0;
}

static int
template_open(struct gen_source *s, const struct gen_source_conf *c, char *err,
	      size_t errlen)
{
	uint8_t rt[D11TX_RADIOTAP_MAX];
	const uint32_t min = template_min(c);
	uint32_t cap = min;
	int r;

	if ((unsigned int)c->tmpl >= GEN_T_MAX)
		return fail(err, errlen, -EINVAL, "template %d unknown", (int)c->tmpl);
	if (c->tmpl == GEN_T_QOS_DATA && (c->tid < 0 || c->tid > 7))
		return fail(err, errlen, -EINVAL, "qos-data: TID %d is not 0..7", c->tid);
	if (min != 0 && c->sizes.nb > 0) {
		const struct gen_sizes *z = &c->sizes;

		if (z->nb > GEN_MAX_SIZES || (z->range && z->nb != 2))
			return fail(err, errlen, -EINVAL, "%s: bad size list",
				    template_names[c->tmpl]);
		if (z->range && z->list[0] > z->list[1])
			return fail(err, errlen, -EINVAL, "%s: size range %u-%u is empty",
				    template_names[c->tmpl], z->list[0], z->list[1]);
		for (unsigned int i = 0; i < z->nb; i++) {
			if (z->list[i] < min)
				return fail(err, errlen, -EINVAL,
					    "%s: size %u is below the template's minimum of %u bytes",
					    template_names[c->tmpl], z->list[i], min);
			if (z->list[i] > GEN_MAX_SIZE)
				return fail(err, errlen, -EINVAL,
					    "%s: size %u is above the largest frame, %u bytes",
					    template_names[c->tmpl], z->list[i], GEN_MAX_SIZE);
			if (z->list[i] > cap)
				cap = z->list[i];
		}
		s->sized = true;
		s->sizes = *z;
	}
	if (c->radiotap) {
		r = radiotap_prefix(s, c, rt, err, errlen);
		if (r < 0)
			return r;
	}
	/* Fixed templates: at most 26 bytes. */
	s->tmpl = calloc(1, s->rtlen + (cap > 32 ? cap : 32));
	if (s->tmpl == NULL)
		return fail(err, errlen, -ENOMEM, "out of memory");
	memcpy(s->tmpl, rt, s->rtlen);
	r = template_build(s, c, cap);
	if (r < 0)
		return fail(err, errlen, r, "%s: cannot build it", template_names[c->tmpl]);
	s->seq = frame_has_seq(s->tmpl + s->rtlen, s->natural);
	s->tid = c->tmpl == GEN_T_QOS_DATA ? c->tid : -1;
	/* One size: built once, for gen_source_fill_fixed(). */
	if (!s->sized || (s->sizes.nb == 1 && !s->sizes.range)) {
		const uint32_t size = s->sized ? s->sizes.list[0] : s->natural;

		s->fixed = malloc(s->rtlen + size);
		if (s->fixed == NULL)
			return fail(err, errlen, -ENOMEM, "out of memory");
		build_frame(s, s->fixed, size);
		s->fixed_len = s->rtlen + size;
	}
	s->rng = c->seed;
	return 0;
}

static int
hex_open(struct gen_source *s, const struct gen_source_conf *c, char *err, size_t errlen)
{
	uint8_t rt[D11TX_RADIOTAP_MAX];
	size_t digits = 0;
	uint32_t n = 0;
	bool half = false;
	int r;

	if (c->hex == NULL)
		return fail(err, errlen, -EINVAL, "--hex: no frame given");
	for (size_t i = 0; c->hex[i] != '\0'; i++) {
		const char ch = c->hex[i];

		if (tool_hex_digit(ch) >= 0) {
			digits++;
			half = !half;
		} else if (ch == ':' || ch == ' ' || ch == '\t' || ch == '\n' ||
			   ch == '\r') {
			if (half)
				return fail(err, errlen, -EINVAL,
					    "--hex: a separator at position %zu splits a byte",
					    i + 1);
		} else {
			return fail(err, errlen, -EINVAL,
				    "--hex: '%c' at position %zu is not a hex digit",
				    ch >= 0x20 && ch < 0x7f ? ch : '?', i + 1);
		}
	}
	if (half)
		return fail(err, errlen, -EINVAL, "--hex: odd number of digits");
	if (digits == 0)
		return fail(err, errlen, -EINVAL, "--hex: no bytes");
	if (digits / 2 > D11TX_DOT11_MAX_MPDU)
		return fail(err, errlen, -EINVAL,
			    "--hex: %zu bytes, more than the largest 802.11 frame (%u)",
			    digits / 2, D11TX_DOT11_MAX_MPDU);
	if (c->radiotap) {
		r = radiotap_prefix(s, c, rt, err, errlen);
		if (r < 0)
			return r;
	}
	s->tmpl = malloc(s->rtlen + digits / 2);
	if (s->tmpl == NULL)
		return fail(err, errlen, -ENOMEM, "out of memory");
	memcpy(s->tmpl, rt, s->rtlen);
	for (size_t i = 0; c->hex[i] != '\0'; i++) {
		const int v = tool_hex_digit(c->hex[i]);

		if (v < 0)
			continue;
		if (half)
			s->tmpl[s->rtlen + n++] |= (uint8_t)v;
		else
			s->tmpl[s->rtlen + n] = (uint8_t)(v << 4);
		half = !half;
	}
	s->natural = n;
	s->seq = frame_has_seq(s->tmpl + s->rtlen, n);
	s->tid = frame_tid(s->tmpl + s->rtlen, n);
	return 0;
}

/* ------------------------------------------------------------------ */
/* Pcap                                                                */

struct pcap_file {
	const char *name;
	const uint8_t *buf;
	size_t len;
	bool big;                /* big-endian file */
	uint32_t frac_ns;        /* ns per fraction unit: 1000 or 1 */
	uint32_t snaplen;
	uint32_t link;
	uint32_t fcs;            /* link-type field: every frame's FCS length */
};

/* One record's frame, parsed. */
struct pcap_rec {
	uint64_t time_ns;        /* absolute */
	uint32_t data;           /* record data offset in the file */
	uint32_t caplen;
	uint32_t hdr;            /* radio header length */
	uint32_t mpdu_len;       /* without FCS */
	bool fcs;                /* ends with a 4-byte FCS (captured) */
};

static int
pcap_header(struct pcap_file *pf, char *err, size_t errlen)
{
	const uint8_t *h = pf->buf;
	uint32_t magic, lt;
	uint16_t major, minor;

	if (pf->len == 0)
		return fail(err, errlen, -ENODATA, "%s: empty file", pf->name);
	if (pf->len >= 4 && le32(h) == 0x0a0d0d0a)
		return fail(err, errlen, -EINVAL,
			    "%s: pcapng is not supported, only classic pcap "
			    "(convert it: editcap -F pcap IN OUT)", pf->name);
	if (pf->len < PCAP_HDR)
		return fail(err, errlen, -EPROTO,
			    "%s: truncated pcap header (%zu of %d bytes)", pf->name,
			    pf->len, PCAP_HDR);
	magic = le32(h);
	switch (magic) {
	case 0xa1b2c3d4: pf->big = false; pf->frac_ns = 1000; break;
	case 0xd4c3b2a1: pf->big = true; pf->frac_ns = 1000; break;
	case 0xa1b23c4d: pf->big = false; pf->frac_ns = 1; break;
	case 0x4d3cb2a1: pf->big = true; pf->frac_ns = 1; break;
	case 0xa1b2cd34:
	case 0x34cdb2a1:
		return fail(err, errlen, -EINVAL,
			    "%s: modified (Kuznetzov) pcap is not supported", pf->name);
	default:
		return fail(err, errlen, -EINVAL, "%s: not a pcap file (magic 0x%08x)",
			    pf->name, magic);
	}
	major = (uint16_t)(pf->big ? (h[4] << 8 | h[5]) : (h[4] | h[5] << 8));
	minor = (uint16_t)(pf->big ? (h[6] << 8 | h[7]) : (h[6] | h[7] << 8));
	if (major != 2)
		return fail(err, errlen, -EINVAL, "%s: pcap version %u.%u is not 2.x",
			    pf->name, major, minor);
	pf->snaplen = rd32(h + 16, pf->big);
	if (pf->snaplen == 0 || pf->snaplen > PCAP_MAX_CAPLEN)
		pf->snaplen = PCAP_MAX_CAPLEN;
	lt = rd32(h + 20, pf->big);
	if (lt & 0x0bff0000)
		return fail(err, errlen, -EINVAL,
			    "%s: link-type field 0x%08x has reserved bits set", pf->name, lt);
	pf->fcs = 0;
	if (lt & 0x04000000) {
		pf->fcs = (lt >> 28) * 2;
		if (pf->fcs != 0 && pf->fcs != 4)
			return fail(err, errlen, -EINVAL,
				    "%s: FCS length %u in the link-type field is not 4",
				    pf->name, pf->fcs);
	}
	pf->link = lt & 0xffff;
	if (pf->link != LINKTYPE_IEEE802_11 && pf->link != LINKTYPE_RADIOTAP &&
	    pf->link != LINKTYPE_PRISM)
		return fail(err, errlen, -EINVAL,
			    "%s: link type %u is not 802.11 (105), radiotap (127) or prism (119)",
			    pf->name, pf->link);
	return 0;
}

/* The radiotap header of record @p n at d (caplen bytes): its length and
 * whether the frame ends with its FCS. */
static int
radiotap_parse(const struct pcap_file *pf, uint64_t n, const uint8_t *d, uint32_t caplen,
	       uint32_t *hdr, bool *fcs, char *err, size_t errlen)
{
	struct d11tx_radiotap_info rt;
	const int r = d11tx_radiotap_parse(d, caplen, &rt);
	const char *file = pf->name;
	const unsigned long long rec = (unsigned long long)n;

	switch (r) {
	case 0:
		*hdr = rt.len;
		*fcs = (rt.flags & D11TX_RADIOTAP_F_FCS) != 0;
		return 0;
	case -ENODATA:
		return fail(err, errlen, -EPROTO,
			    "%s: record %llu: %u bytes, too short for a radiotap header",
			    file, rec, caplen);
	case -EPROTONOSUPPORT:
		return fail(err, errlen, -EPROTO,
			    "%s: record %llu: radiotap version %u is not 0", file, rec, d[0]);
	case -EMSGSIZE:
		return fail(err, errlen, -EPROTO,
			    "%s: record %llu: bad radiotap length %u (8..%u)", file, rec,
			    le16(d + 2), caplen);
	default:
		return fail(err, errlen, -EPROTO,
			    "%s: record %llu: radiotap present words or fields run past its length %u",
			    file, rec, le16(d + 2));
	}
}

/* The Prism or AVS header of record @p n: its length. */
static int
prism_parse(const struct pcap_file *pf, uint64_t n, const uint8_t *d, uint32_t caplen,
	    uint32_t *hdr, char *err, size_t errlen)
{
	uint32_t code, len;

	if (caplen < 8)
		return fail(err, errlen, -EPROTO,
			    "%s: record %llu: %u bytes, too short for a prism header",
			    pf->name, (unsigned long long)n, caplen);
	code = be32(d);
	if (code == 0x80211001 || code == 0x80211002) {
		len = be32(d + 4);                 /* AVS: big-endian */
	} else if (le32(d) == 0x41 || le32(d) == 0x44) {
		len = le32(d + 4);
	} else if (code == 0x41 || code == 0x44) {
		len = be32(d + 4);
	} else {
		return fail(err, errlen, -EPROTO,
			    "%s: record %llu: no Prism or AVS header (message code 0x%08x)",
			    pf->name, (unsigned long long)n, le32(d));
	}
	if (len < 8 || len > caplen)
		return fail(err, errlen, -EPROTO,
			    "%s: record %llu: bad prism header length %u (8..%u)",
			    pf->name, (unsigned long long)n, len, caplen);
	*hdr = len;
	return 0;
}

/* Record @p n (from 1) at *off: checked, parsed, *off moved past it. */
static int
pcap_record(const struct pcap_file *pf, uint64_t n, size_t *off, struct pcap_rec *r,
	    char *err, size_t errlen)
{
	const uint8_t *h = pf->buf + *off;
	const size_t left = pf->len - *off;
	uint32_t sec, frac, caplen, len, hdr = 0, rest;
	bool fcs = false;
	int rc;

	if (left < PCAP_REC_HDR)
		return fail(err, errlen, -EPROTO,
			    "%s: record %llu: truncated record header (%zu of %d bytes)",
			    pf->name, (unsigned long long)n, left, PCAP_REC_HDR);
	sec = rd32(h, pf->big);
	frac = rd32(h + 4, pf->big);
	caplen = rd32(h + 8, pf->big);
	len = rd32(h + 12, pf->big);
	if (caplen > PCAP_MAX_CAPLEN)
		return fail(err, errlen, -EPROTO,
			    "%s: record %llu: caplen %u exceeds the limit of %u",
			    pf->name, (unsigned long long)n, caplen, PCAP_MAX_CAPLEN);
	if (caplen > pf->snaplen)
		return fail(err, errlen, -EPROTO,
			    "%s: record %llu: caplen %u exceeds the snap length %u",
			    pf->name, (unsigned long long)n, caplen, pf->snaplen);
	if (caplen > len)
		return fail(err, errlen, -EPROTO,
			    "%s: record %llu: caplen %u exceeds the frame length %u",
			    pf->name, (unsigned long long)n, caplen, len);
	if (caplen > left - PCAP_REC_HDR)
		return fail(err, errlen, -EPROTO,
			    "%s: record %llu: truncated: caplen %u, %zu bytes left in the file",
			    pf->name, (unsigned long long)n, caplen, left - PCAP_REC_HDR);
	if (caplen == 0)
		return fail(err, errlen, -EPROTO, "%s: record %llu: no data (caplen 0)",
			    pf->name, (unsigned long long)n);
	r->data = (uint32_t)(*off + PCAP_REC_HDR);
	r->caplen = caplen;
	r->time_ns = (uint64_t)sec * 1000000000ull + (uint64_t)frac * pf->frac_ns;
	if (pf->link == LINKTYPE_RADIOTAP) {
		rc = radiotap_parse(pf, n, pf->buf + r->data, caplen, &hdr, &fcs, err, errlen);
		if (rc < 0)
			return rc;
	} else if (pf->link == LINKTYPE_PRISM) {
		rc = prism_parse(pf, n, pf->buf + r->data, caplen, &hdr, err, errlen);
		if (rc < 0)
			return rc;
	}
	if (pf->fcs)
		fcs = true;
	/* An FCS is only there if the record is whole. */
	if (caplen < len)
		fcs = false;
	rest = caplen - hdr;
	if (rest <= (fcs ? 4u : 0u))
		return fail(err, errlen, -EPROTO,
			    "%s: record %llu: no 802.11 frame after the %u-byte %s header%s",
			    pf->name, (unsigned long long)n, hdr,
			    pf->link == LINKTYPE_RADIOTAP ? "radiotap" :
			    pf->link == LINKTYPE_PRISM ? "prism" : "pcap record",
			    fcs ? " and before the FCS" : "");
	r->hdr = hdr;
	r->fcs = fcs;
	r->mpdu_len = rest - (fcs ? 4 : 0);
	*off += PCAP_REC_HDR + caplen;
	return 0;
}

static int
pcap_load(struct gen_source *s, const struct gen_source_conf *c, const char *name,
	  uint8_t *buf, size_t len, char *err, size_t errlen)
{
	struct pcap_file pf = { .name = name, .buf = buf, .len = len };
	const unsigned int shares = c->nb_shares > 1 ? c->nb_shares : 1;
	const unsigned int share = c->nb_shares > 1 ? c->share : 0;
	uint64_t n = 0, first = 0, prev = 0, k = 0;
	size_t off;
	int rc;

	if (c->nb_shares > 1 && c->share >= c->nb_shares)
		return fail(err, errlen, -EINVAL, "%s: share %u out of range (%u shares)",
			    name, c->share, c->nb_shares);
	rc = pcap_header(&pf, err, errlen);
	if (rc < 0)
		return rc;
	/* First pass: check every record, count them, time the file. */
	for (off = PCAP_HDR; off < len;) {
		struct pcap_rec r;

		rc = pcap_record(&pf, n + 1, &off, &r, err, errlen);
		if (rc < 0)
			return rc;
		if (n == 0)
			first = prev = r.time_ns;
		else if (r.time_ns > prev)
			prev = r.time_ns;
		n++;
	}
	if (n == 0)
		return fail(err, errlen, -ENODATA, "%s: no frames", name);
	s->period_ns = prev - first + (prev > first ? (prev - first) / (n - 1) : LOOP_GAP_NS);
	s->nb = n / shares + (share < n % shares ? 1 : 0);
	if (c->radiotap && pf.link != LINKTYPE_RADIOTAP) {
		rc = radiotap_prefix(s, c, s->rt, err, errlen);
		if (rc < 0)
			return rc;
	}
	s->frames = calloc(s->nb ? s->nb : 1, sizeof(*s->frames));
	if (s->frames == NULL)
		return fail(err, errlen, -ENOMEM, "%s: out of memory for %llu frames", name,
			    (unsigned long long)s->nb);
	/* Second pass: keep this share's frames. */
	prev = first;
	n = 0;
	for (off = PCAP_HDR; off < len; n++) {
		struct pcap_rec r;
		struct pcap_frame *fr;

		if (pcap_record(&pf, n + 1, &off, &r, NULL, 0) < 0)
			return fail(err, errlen, -EPROTO, "%s: changed under us", name);
		if (r.time_ns > prev)
			prev = r.time_ns;
		if (n % shares != share)
			continue;
		fr = &s->frames[k++];
		fr->ts_ns = prev - first;
		fr->tid = frame_tid(buf + r.data + r.hdr, r.mpdu_len);
		if (c->radiotap && pf.link == LINKTYPE_RADIOTAP) {
			/* The capture's own radiotap header, and FCS. */
			fr->off = r.data;
			fr->len = r.caplen;
			fr->mpdu = (uint16_t)r.hdr;
			fr->fcs = r.fcs;
		} else {
			fr->off = r.data + r.hdr;
			fr->len = r.mpdu_len;
		}
	}
	s->file = buf;
	s->loop = c->loop;
	s->seq = c->assign_seq;
	return 0;
}

/* The whole file at @p path, at most GEN_PCAP_MAX_FILE bytes. */
static int
read_file(const char *path, uint8_t **out, size_t *outlen, char *err, size_t errlen)
{
	struct stat st;
	size_t cap = 1 << 16, len = 0;
	uint8_t *buf = NULL;
	int fd, rc;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		rc = -errno;
		return fail(err, errlen, rc, "%s: %s", path, strerror(-rc));
	}
	if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode)) {
		if ((uint64_t)st.st_size > GEN_PCAP_MAX_FILE) {
			close(fd);
			return fail(err, errlen, -EFBIG,
				    "%s: %llu bytes, more than the %u MiB a replay holds",
				    path, (unsigned long long)st.st_size,
				    GEN_PCAP_MAX_FILE >> 20);
		}
		cap = (size_t)st.st_size + 1;   /* + 1: see EOF at once */
	}
	for (;;) {
		ssize_t got;

		if (buf == NULL || len == cap) {
			uint8_t *nb;

			if (buf != NULL)
				cap *= 2;
			if (cap > (size_t)GEN_PCAP_MAX_FILE + 1)
				cap = (size_t)GEN_PCAP_MAX_FILE + 1;
			nb = realloc(buf, cap);
			if (nb == NULL) {
				free(buf);
				close(fd);
				return fail(err, errlen, -ENOMEM, "%s: out of memory", path);
			}
			buf = nb;
		}
		got = read(fd, buf + len, cap - len);
		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0) {
			rc = -errno;
			free(buf);
			close(fd);
			return fail(err, errlen, rc, "%s: %s", path, strerror(-rc));
		}
		if (got == 0)
			break;
		len += (size_t)got;
		if (len > GEN_PCAP_MAX_FILE) {
			free(buf);
			close(fd);
			return fail(err, errlen, -EFBIG,
				    "%s: more than the %u MiB a replay holds", path,
				    GEN_PCAP_MAX_FILE >> 20);
		}
	}
	close(fd);
	*out = buf;
	*outlen = len;
	return 0;
}

/* ------------------------------------------------------------------ */
/* Open, next, close                                                   */

static int
source_open(struct gen_source **out, const struct gen_source_conf *c, const void *data,
	    size_t len, bool mem, char *err, size_t errlen)
{
	struct gen_source *s;
	int rc;

	if (err != NULL && errlen > 0)
		err[0] = '\0';
	if (out == NULL || c == NULL)
		return fail(err, errlen, -EINVAL, "no source configuration");
	*out = NULL;
	s = calloc(1, sizeof(*s));
	if (s == NULL)
		return fail(err, errlen, -ENOMEM, "out of memory");
	s->kind = c->kind;
	s->tid = -1;
	switch (c->kind) {
	case GEN_SRC_TEMPLATE:
		rc = template_open(s, c, err, errlen);
		break;
	case GEN_SRC_HEX:
		rc = hex_open(s, c, err, errlen);
		break;
	case GEN_SRC_PCAP: {
		const char *name = c->pcap_path != NULL ? c->pcap_path : "pcap";
		uint8_t *buf = NULL;
		size_t n = 0;

		if (mem) {
			/* An exact-size copy: a read past the end is a bug
			 * the fuzzer's ASan sees. */
			buf = malloc(len ? len : 1);
			rc = buf == NULL ? fail(err, errlen, -ENOMEM, "out of memory") : 0;
			if (buf != NULL && len > 0)
				memcpy(buf, data, len);
			n = len;
		} else if (c->pcap_path == NULL) {
			rc = fail(err, errlen, -EINVAL, "no pcap file given");
		} else {
			rc = read_file(c->pcap_path, &buf, &n, err, errlen);
		}
		if (rc == 0)
			rc = pcap_load(s, c, name, buf, n, err, errlen);
		if (rc < 0)
			free(buf);
		break;
	}
	default:
		rc = fail(err, errlen, -EINVAL, "source kind %d unknown", (int)c->kind);
	}
	if (rc < 0) {
		gen_source_close(s);
		return rc;
	}
	*out = s;
	return 0;
}

int
gen_source_open(struct gen_source **out, const struct gen_source_conf *c, char *err,
		size_t errlen)
{
	return source_open(out, c, NULL, 0, false, err, errlen);
}

int
gen_source_open_mem(struct gen_source **out, const struct gen_source_conf *c,
		    const void *data, size_t len, char *err, size_t errlen)
{
	if (out != NULL)
		*out = NULL;
	if (c != NULL && c->kind == GEN_SRC_PCAP && data == NULL && len > 0)
		return fail(err, errlen, -EINVAL, "no pcap data");
	if (c != NULL && c->kind == GEN_SRC_PCAP && len > GEN_PCAP_MAX_FILE)
		return fail(err, errlen, -EFBIG, "%s: %zu bytes, more than the %u MiB a replay holds",
			    c->pcap_path != NULL ? c->pcap_path : "pcap", len,
			    GEN_PCAP_MAX_FILE >> 20);
	return source_open(out, c, data, len, c != NULL && c->kind == GEN_SRC_PCAP,
			   err, errlen);
}

/* The size of the next template frame. */
static inline uint32_t
next_size(struct gen_source *s)
{
	if (!s->sized)
		return s->natural;
	if (s->sizes.range) {
		const uint64_t span = (uint64_t)s->sizes.list[1] - s->sizes.list[0] + 1;

		return s->sizes.list[0] +
		       (uint32_t)(((splitmix64(&s->rng) >> 32) * span) >> 32);
	}
	if (s->size_idx >= s->sizes.nb)
		s->size_idx = 0;
	return s->sizes.list[s->size_idx++];
}

static int
pcap_next(struct gen_source *s, uint8_t *buf, uint32_t room, struct gen_frame *f)
{
	const struct pcap_frame *fr;
	uint32_t pre, mpdu, mpdu_len;

	if (s->cur == s->nb) {
		if (!s->loop || s->nb == 0)
			return 0;
		s->cur = 0;
		/* Saturating: even 2^32 s captures never go back in time. */
		s->base_ns = s->base_ns > UINT64_MAX - s->period_ns ? UINT64_MAX
								    : s->base_ns + s->period_ns;
	}
	fr = &s->frames[s->cur++];
	pre = fr->mpdu == 0 ? s->rtlen : 0;
	if ((uint64_t)pre + fr->len > room)
		return -EMSGSIZE;
	if (pre != 0)
		memcpy(buf, s->rt, pre);
	memcpy(buf + pre, s->file + fr->off, fr->len);
	if (s->seq) {
		mpdu = pre + fr->mpdu;
		mpdu_len = fr->len - fr->mpdu - (fr->fcs ? 4 : 0);
		if (d11tx_dot11_seq_assign(&s->seqs, buf + mpdu, mpdu_len) >= 0 && fr->fcs) {
			/* The number changed: so did the FCS. */
			const uint32_t fcs = d11tx_dot11_fcs(buf + mpdu, mpdu_len);
			uint8_t *p = buf + mpdu + mpdu_len;

			p[0] = (uint8_t)fcs;
			p[1] = (uint8_t)(fcs >> 8);
			p[2] = (uint8_t)(fcs >> 16);
			p[3] = (uint8_t)(fcs >> 24);
		}
	}
	f->len = pre + fr->len;
	f->ts_ns = fr->ts_ns > UINT64_MAX - s->base_ns ? UINT64_MAX : fr->ts_ns + s->base_ns;
	f->tid = fr->tid;
	return 1;
}

/* Sequence Control, which mgmt and data frames have at offset 22. */
static void
assign_seq(struct gen_source *s, uint8_t *frame, uint32_t size)
{
	uint16_t sc;

	if (__builtin_expect(s->seq_fast, 1)) {
		s->seq_last = (uint16_t)((s->seq_last + 1) & 0xfff);
		frame[22] = (uint8_t)(s->seq_last << 4);
		frame[23] = (uint8_t)(s->seq_last >> 4);
		return;
	}
	d11tx_dot11_seq_assign(&s->seqs, frame, size);
	sc = le16(frame + 22);
	if (s->kind != GEN_SRC_TEMPLATE || (sc & 0xf) != 0)
		return;
	if (s->seq_seen && sc >> 4 == ((s->seq_last + 1) & 0xfff))
		s->seq_fast = true;
	s->seq_seen = true;
	s->seq_last = sc >> 4;
}

/* Radiotap and frame of @p size at @p buf, without its sequence number;
 * returns the frame. */
static uint8_t *
build_frame(const struct gen_source *s, uint8_t *buf, uint32_t size)
{
	uint8_t *frame = buf + s->rtlen;

	memcpy(buf, s->tmpl, s->rtlen + size);
	if (s->patch == PATCH_VENDOR)
		vendor_patch(frame, s->pad_off, size);
	else if (s->patch == PATCH_IPV4)
		ipv4_patch(frame, s->pad_off, s->ip_sum, size);
	return frame;
}

uint32_t
gen_source_fixed_len(const struct gen_source *s)
{
	return s->fixed_len;
}

void
gen_source_fill_fixed(struct gen_source *s, uint8_t *const bufs[], uint32_t n)
{
	const uint32_t len = s->fixed_len;

	for (uint32_t i = 0; i < n; i++) {
		memcpy(bufs[i], s->fixed, len);
		if (s->seq)
			assign_seq(s, bufs[i] + s->rtlen, len - s->rtlen);
	}
}

int
gen_source_next(struct gen_source *s, uint8_t *buf, uint32_t room, struct gen_frame *f)
{
	uint32_t size;
	uint8_t *frame;

	if (s->kind == GEN_SRC_PCAP)
		return pcap_next(s, buf, room, f);
	size = next_size(s);
	if (s->rtlen + size > room)
		return -EMSGSIZE;
	frame = build_frame(s, buf, size);
	if (s->seq)
		assign_seq(s, frame, size);
	f->len = s->rtlen + size;
	f->ts_ns = 0;
	f->tid = s->tid;
	return 1;
}

uint64_t
gen_source_frames(const struct gen_source *s)
{
	return s != NULL && s->kind == GEN_SRC_PCAP ? s->nb : 0;
}

void
gen_source_close(struct gen_source *s)
{
	if (s == NULL)
		return;
	free(s->tmpl);
	free(s->fixed);
	free(s->file);
	free(s->frames);
	free(s);
}
