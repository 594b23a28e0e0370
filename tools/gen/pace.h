/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef D11TX_GEN_PACE_H
#define D11TX_GEN_PACE_H

/*
 * dot11tx-gen's pacing: when the frames a worker has ready may go, by the
 * TSC. Three modes:
 *
 *  - line: no pacing, every ready frame goes at once (up to max_burst);
 *  - rate: a fixed rate in frames/s or bit/s. What is due grows with the
 *    TSC from the start (due = elapsed * rate, in 128-bit arithmetic, so
 *    that 10 pps and several Mpps are both exact and nothing drifts); a
 *    frame goes when the cost of the frames before it (1 each, or their
 *    length * 8 bits) is within what is due: frame k of a pps run goes at
 *    k / rate, and a run of D seconds sends rate * D frames. A worker that
 *    fell behind catches up, max_burst frames per call, but credit beyond
 *    GEN_PACE_CATCHUP_MS worth is forgotten: after a long stall the run
 *    falls short rather than bursting for seconds;
 *  - replay: each frame at its pcap timestamp divided by a speed factor,
 *    counted from the start; loops of a looped capture follow each other.
 *    The same catch-up window applies.
 *
 * Nothing here sleeps: the caller asks, sends what it may, and polls its
 * queue in between, so completions keep flowing while it waits. No DPDK
 * here (the caller passes the TSC and its rate), so it is tested with a
 * made-up clock.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Credit kept at most when behind, in milliseconds of traffic. */
#define GEN_PACE_CATCHUP_MS 100

/* An asked rate: --rate. */
enum gen_rate_unit {
	GEN_RATE_LINE,    /* no pacing */
	GEN_RATE_PPS,     /* frames per second */
	GEN_RATE_BPS,     /* bits per second: a frame costs its length * 8 */
};

struct gen_rate {
	enum gen_rate_unit unit;
	double value;     /* frames/s or bit/s; 0 for line */
};

/* Parse "line", "N", "Npps", "Nkpps", "NMpps", "Nbps", "Nkbps", "NMbps",
 * "NGbps" (N a decimal number, possibly fractional; unit letters in any
 * case; a plain number is pps). Returns 0 or -EINVAL. */
int gen_rate_parse(const char *s, struct gen_rate *r);

/* "line", "100 kpps", "1.5 Mbit/s" ... */
void gen_rate_format(const struct gen_rate *r, char *buf, size_t len);

enum gen_pace_mode {
	GEN_PACE_LINE,
	GEN_PACE_RATE,
	GEN_PACE_REPLAY,
};

/* A frame that is ready: its length, and for replay its capture time. */
struct gen_pace_frame {
	uint32_t len;
	uint64_t ts_ns;   /* replay: from gen_pace_stamp() */
};

struct gen_pace {
	enum gen_pace_mode mode;
	bool bits;               /* cost = len * 8 */
	uint16_t max_burst;
	uint64_t hz;
	uint64_t t0;             /* TSC at the start */
	/* rate */
	uint64_t rate_milli;     /* units (frames or bits) per 1000 s */
	uint64_t used;           /* units spent (and forgotten) since t0 */
	uint64_t cap;            /* credit kept at most, in units */
	uint64_t forgotten;      /* units of credit forgotten when behind */
	/* replay */
	double cyc_per_ns;       /* hz / 1e9 / speed */
	uint64_t cap_cycles;
	uint64_t shifted_cycles; /* how far t0 moved when behind */
	uint64_t loop_base_ns;   /* added to the stamps of the current loop */
	uint64_t last_ns;        /* last raw stamp seen */
	uint64_t loop_frames;    /* frames seen in the current loop */
	unsigned int nb_shares;  /* the capture is split over this many */
};

void gen_pace_init_line(struct gen_pace *p, uint16_t max_burst);
/* r: GEN_RATE_PPS or GEN_RATE_BPS with value > 0. */
void gen_pace_init_rate(struct gen_pace *p, const struct gen_rate *r,
			uint64_t hz, uint16_t max_burst, uint64_t now);
void gen_pace_init_replay(struct gen_pace *p, double speed, uint64_t hz,
			  uint16_t max_burst, unsigned int nb_shares, uint64_t now);

/* Replay: a monotonic stamp for a frame's capture time. A stamp below the
 * previous one starts a new loop, which follows the last frame after one
 * mean frame interval. */
uint64_t gen_pace_stamp(struct gen_pace *p, uint64_t ts_ns);

/*
 * How many frames the caller should have ready at @p now, counting those
 * it holds (@p nheld, the last of which is @p last): line and rate give
 * the frames that may go (rate estimates bit costs from @p len_hint);
 * replay asks for one more while the last one held is due. At most
 * max_burst.
 */
uint16_t gen_pace_want(struct gen_pace *p, uint64_t now, uint16_t nheld,
		       const struct gen_pace_frame *last, uint32_t len_hint);

/* How many of the @p n ready frames, in order, may go at @p now: at most
 * max_burst. Spends nothing: call gen_pace_commit() with what went. */
uint16_t gen_pace_allow(struct gen_pace *p, uint64_t now,
			const struct gen_pace_frame *f, uint16_t n);

/* The first @p n frames of @p f went (were accepted or refused for good). */
void gen_pace_commit(struct gen_pace *p, const struct gen_pace_frame *f,
		     uint16_t n);

#endif
