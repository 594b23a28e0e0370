/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef D11TX_GEN_SOURCE_H
#define D11TX_GEN_SOURCE_H

/*
 * dot11tx-gen's frame sources: built-in templates, a raw hex frame, and
 * pcap replay (link types 105 plain 802.11, 127 radiotap, 119 prism). A
 * source hands out complete frames, one at a time, into the caller's
 * buffer: sequence numbers assigned (framing layer), a radiotap TX header
 * in front when asked. One source per sending thread: a source is not
 * thread-safe, and each keeps its own sequence numbers and pcap cursor.
 *
 * No DPDK here beyond the framing layer (dot11tx/dot11.h), so that the
 * sources are testable, and fuzzable, on their own.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum gen_source_kind {
	GEN_SRC_TEMPLATE,
	GEN_SRC_HEX,
	GEN_SRC_PCAP,
};

enum gen_template {
	GEN_T_BEACON,       /* SSID, supported rates, DS parameter set */
	GEN_T_PROBE_REQ,    /* to broadcast, SSID (wildcard when empty) */
	GEN_T_PROBE_RESP,   /* to da, as a beacon's body */
	GEN_T_QOS_DATA,     /* QoS data with tid, LLC/SNAP, payload */
	GEN_T_DATA,         /* data, LLC/SNAP, payload */
	GEN_T_NULL,         /* Null function (no data), To-DS */
	GEN_T_RTS,
	GEN_T_CTS,
	GEN_T_ACK,
	GEN_T_DEAUTH,       /* reason 3 (leaving) */
	GEN_T_MAX
};

/* Frame sizes: fixed, a list taken in turn, or a range drawn uniformly
 * from a seeded generator. Sizes are whole 802.11 frames (MPDU, without
 * radiotap and FCS). Templates of fixed size (control frames, null,
 * deauth) ignore them; the others pad their payload (data) or add a
 * vendor-specific element (management) to reach the size. */
#define GEN_MAX_SIZES 64
struct gen_sizes {
	uint16_t list[GEN_MAX_SIZES];
	unsigned int nb;        /* 0: the template's natural size */
	bool range;             /* list[0]..list[1], uniform */
};

struct gen_source_conf {
	enum gen_source_kind kind;
	enum gen_template tmpl;
	const char *hex;        /* GEN_SRC_HEX: hex digits, spaces and ':' allowed */
	const char *pcap_path;  /* GEN_SRC_PCAP */
	bool loop;              /* pcap: start again after the last frame */
	struct gen_sizes sizes;
	uint8_t da[6];          /* receiver of unicast templates */
	uint8_t sa[6];          /* own address */
	uint8_t bssid[6];
	char ssid[33];          /* NUL-terminated, up to 32 bytes */
	int8_t tid;             /* qos-data: 0..7 */
	bool to_ds;             /* data templates: To-DS (station) rather than From-DS */
	/* Radiotap: for templates and hex, prepend this radiotap TX header
	 * (d11tx_radiotap_build, rate_500k etc. from rt_rate_500k); for pcap,
	 * keep a radiotap capture's own header instead of stripping it (and
	 * build one for plain and prism captures). */
	bool radiotap;
	uint8_t rt_rate_500k;   /* 0: no Rate field */
	bool assign_seq;        /* sequence numbers from d11tx_dot11_seq_assign
				   (templates and hex always; pcap only if set:
				   by default a replay keeps the captured ones) */
	uint64_t seed;          /* size ranges */
	/* Multi-queue replay: this source hands out frames share, share +
	 * nb_shares, ... of the file (0 and 1: all of them). Templates and
	 * hex ignore it. */
	unsigned int share;
	unsigned int nb_shares;
};

/* One frame handed out. */
struct gen_frame {
	uint32_t len;           /* bytes written to the buffer */
	uint64_t ts_ns;         /* pcap: capture time since the first frame;
				   else 0 */
	int8_t tid;             /* QoS data: its TID (for access categories);
				   else -1 */
};

struct gen_source;

/*
 * Open a source. On failure returns a negative errno and writes one
 * readable line (no newline) to err, e.g. "n-02.cap: record 12: caplen
 * 70000 exceeds the snap length 65535" or "--hex: odd number of digits".
 * Files that are not pcap, truncated, of another link type, or with
 * impossible records are refused here (-EINVAL, -ENOENT, -EPROTO), before
 * anything is sent. An empty capture is refused (-ENODATA).
 */
int gen_source_open(struct gen_source **out, const struct gen_source_conf *c,
		    char *err, size_t errlen);

/*
 * As gen_source_open(), but a pcap source takes the file's bytes from
 * [data, data + len) (copied) instead of reading c->pcap_path, which then
 * only names it in messages (NULL: "pcap"). Other kinds ignore data. For
 * tests and the fuzzer.
 */
int gen_source_open_mem(struct gen_source **out, const struct gen_source_conf *c,
			const void *data, size_t len, char *err, size_t errlen);

/*
 * The next frame, written to buf (room bytes). Returns 1 with *f filled,
 * 0 at the end of a pcap without loop, or -EMSGSIZE when the frame does
 * not fit room (it is skipped).
 */
int gen_source_next(struct gen_source *s, uint8_t *buf, uint32_t room,
		    struct gen_frame *f);

/*
 * A template source of one size: the length of its frames (radiotap
 * included), which gen_source_fill_fixed() writes without the per-frame
 * work of gen_source_next(); 0 for other sources.
 */
uint32_t gen_source_fixed_len(const struct gen_source *s);

/* The next @p n frames of a source of one size, each at bufs[i] (at least
 * gen_source_fixed_len() bytes): as n calls of gen_source_next(). */
void gen_source_fill_fixed(struct gen_source *s, uint8_t *const bufs[], uint32_t n);

/* Frames in a pcap source's file (its share); 0 for others. */
uint64_t gen_source_frames(const struct gen_source *s);

void gen_source_close(struct gen_source *s);

/* Template by name ("beacon", "probe-req", "probe-resp", "qos-data",
 * "data", "null", "rts", "cts", "ack", "deauth"), or -1. */
int gen_template_by_name(const char *name);
const char *gen_template_name(unsigned int t);

/* Parse "64", "64,256,1500" or "64-1500" into sizes; -EINVAL with a line
 * in err. Bounds: 10 .. 7991 (D11TX_DEFAULT_MAX_FRAME_LEN). */
int gen_sizes_parse(const char *s, struct gen_sizes *sizes, char *err, size_t errlen);


#endif
