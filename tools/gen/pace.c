/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * dot11tx-gen's pacing (pace.h): credit from the TSC, for fixed rates and
 * for pcap timestamps.
 */

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "pace.h"

int
gen_rate_parse(const char *s, struct gen_rate *r)
{
	static const struct {
		const char *suffix;
		enum gen_rate_unit unit;
		double mult;
	} units[] = {
		{ "", GEN_RATE_PPS, 1 },
		{ "pps", GEN_RATE_PPS, 1 },
		{ "kpps", GEN_RATE_PPS, 1e3 },
		{ "mpps", GEN_RATE_PPS, 1e6 },
		{ "bps", GEN_RATE_BPS, 1 },
		{ "kbps", GEN_RATE_BPS, 1e3 },
		{ "mbps", GEN_RATE_BPS, 1e6 },
		{ "gbps", GEN_RATE_BPS, 1e9 },
	};
	char *end;
	double v;

	if (s == NULL || r == NULL)
		return -EINVAL;
	if (strcasecmp(s, "line") == 0) {
		*r = (struct gen_rate){ .unit = GEN_RATE_LINE };
		return 0;
	}
	if (!isdigit((unsigned char)s[0]) && s[0] != '.')
		return -EINVAL;
	errno = 0;
	v = strtod(s, &end);
	if (errno != 0 || end == s)
		return -EINVAL;
	while (*end == ' ')
		end++;
	for (size_t i = 0; i < sizeof(units) / sizeof(units[0]); i++) {
		if (strcasecmp(end, units[i].suffix) != 0)
			continue;
		v *= units[i].mult;
		/* From one frame a minute to 1 Tbit/s. */
		if (!(v >= 1.0 / 60) || v > 1e12 ||
		    (units[i].unit == GEN_RATE_PPS && v > 1e9))
			return -EINVAL;
		*r = (struct gen_rate){ .unit = units[i].unit, .value = v };
		return 0;
	}
	return -EINVAL;
}

void
gen_rate_format(const struct gen_rate *r, char *buf, size_t len)
{
	static const char *const pps[] = { "pps", "kpps", "Mpps", "Gpps" };
	static const char *const bps[] = { "bit/s", "kbit/s", "Mbit/s", "Gbit/s", "Tbit/s" };
	const char *const *names = r->unit == GEN_RATE_PPS ? pps : bps;
	const int max = r->unit == GEN_RATE_PPS ? 3 : 4;
	double v = r->value;
	int i = 0;

	if (r->unit == GEN_RATE_LINE) {
		snprintf(buf, len, "line");
		return;
	}
	while (i < max && v >= 1000) {
		v /= 1000;
		i++;
	}
	snprintf(buf, len, "%.6g %s", v, names[i]);
}

void
gen_pace_init_line(struct gen_pace *p, uint16_t max_burst)
{
	*p = (struct gen_pace){ .mode = GEN_PACE_LINE, .max_burst = max_burst };
}

void
gen_pace_init_rate(struct gen_pace *p, const struct gen_rate *r, uint64_t hz,
		   uint16_t max_burst, uint64_t now)
{
	const double cap = r->value * GEN_PACE_CATCHUP_MS / 1000;

	*p = (struct gen_pace){
		.mode = GEN_PACE_RATE, .bits = r->unit == GEN_RATE_BPS,
		.max_burst = max_burst, .hz = hz, .t0 = now,
		.rate_milli = (uint64_t)llround(r->value * 1000),
		.cap = (uint64_t)cap,
	};
	if (p->rate_milli == 0)
		p->rate_milli = 1;
}

void
gen_pace_init_replay(struct gen_pace *p, double speed, uint64_t hz,
		     uint16_t max_burst, unsigned int nb_shares, uint64_t now)
{
	*p = (struct gen_pace){
		.mode = GEN_PACE_REPLAY, .max_burst = max_burst, .hz = hz,
		.t0 = now, .cyc_per_ns = (double)hz / 1e9 / speed,
		.cap_cycles = hz / 1000 * GEN_PACE_CATCHUP_MS,
		.nb_shares = nb_shares == 0 ? 1 : nb_shares,
	};
}

uint64_t
gen_pace_stamp(struct gen_pace *p, uint64_t ts_ns)
{
	if (p->loop_frames > 0 && ts_ns < p->last_ns) {
		uint64_t gap = 0;

		if (p->loop_frames > 1)
			gap = p->last_ns / (p->loop_frames - 1) / p->nb_shares;
		p->loop_base_ns += p->last_ns + gap;
		p->loop_frames = 0;
	}
	p->last_ns = ts_ns;
	p->loop_frames++;
	return p->loop_base_ns + ts_ns;
}

static inline uint64_t
cost(const struct gen_pace *p, const struct gen_pace_frame *f)
{
	return p->bits ? (uint64_t)f->len * 8 : 1;
}

/* Rate mode: units due at @p now, counted so that the first frame goes at
 * once: a frame may go when what went before it is within what is due
 * (used <= due), which puts frame k of a pps run at k / rate and R * D
 * frames in D seconds. Credit beyond the cap is forgotten. Returns false
 * when ahead (used > due). */
static bool
avail(struct gen_pace *p, uint64_t now, uint64_t *units)
{
	uint64_t due = 0;

	if (now > p->t0)
		due = (uint64_t)((unsigned __int128)(now - p->t0) * p->rate_milli /
				 ((unsigned __int128)p->hz * 1000));
	if (due < p->used)
		return false;
	if (due - p->used > p->cap) {
		p->forgotten += due - p->used - p->cap;
		p->used = due - p->cap;
	}
	*units = due - p->used;
	return true;
}

static inline uint64_t
replay_due(const struct gen_pace *p, const struct gen_pace_frame *f)
{
	return p->t0 + (uint64_t)((double)f->ts_ns * p->cyc_per_ns);
}

uint16_t
gen_pace_want(struct gen_pace *p, uint64_t now, uint16_t nheld,
	      const struct gen_pace_frame *last, uint32_t len_hint)
{
	uint64_t c, n;

	switch (p->mode) {
	case GEN_PACE_RATE:
		if (!avail(p, now, &c))
			return nheld;
		/* Frames whose predecessors fit c, estimated by the last
		 * length for bit rates. */
		n = 1 + (p->bits ? c / ((uint64_t)(len_hint == 0 ? 1 : len_hint) * 8) : c);
		if (n > p->max_burst)
			n = p->max_burst;
		return (uint16_t)(n > nheld ? n : nheld);
	case GEN_PACE_REPLAY:
		if (nheld == 0)
			return 1;
		if (nheld < p->max_burst && replay_due(p, last) <= now)
			return (uint16_t)(nheld + 1);
		return nheld;
	case GEN_PACE_LINE:
	default:
		return p->max_burst > nheld ? p->max_burst : nheld;
	}
}

uint16_t
gen_pace_allow(struct gen_pace *p, uint64_t now,
	       const struct gen_pace_frame *f, uint16_t n)
{
	uint16_t k = 0;
	uint64_t c;

	if (n > p->max_burst)
		n = p->max_burst;
	if (n == 0)
		return 0;
	switch (p->mode) {
	case GEN_PACE_RATE: {
		uint64_t spent = 0;

		if (!avail(p, now, &c))
			return 0;
		while (k < n && spent <= c)
			spent += cost(p, &f[k++]);
		return k;
	}
	case GEN_PACE_REPLAY: {
		const uint64_t due = replay_due(p, &f[0]);

		if (due > now)
			return 0;
		if (now - due > p->cap_cycles) {
			/* Behind by more than the window: the rest of the
			 * capture moves later. */
			p->shifted_cycles += now - due - p->cap_cycles;
			p->t0 += now - due - p->cap_cycles;
		}
		while (k < n && replay_due(p, &f[k]) <= now)
			k++;
		return k;
	}
	case GEN_PACE_LINE:
	default:
		return n;
	}
}

void
gen_pace_commit(struct gen_pace *p, const struct gen_pace_frame *f, uint16_t n)
{
	if (p->mode != GEN_PACE_RATE)
		return;
	for (uint16_t i = 0; i < n; i++)
		p->used += cost(p, &f[i]);
}
