/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * dot11tx-gen's pacing and counters (tools/gen/pace.c, stats.c), with a
 * made-up TSC: exact send times at 10 pps, counts at several Mpps, the
 * burst cap, catch-up and its window, bit rates, pcap timing; the latency
 * histogram's buckets and quantiles; the live line and CSV. No EAL.
 */

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <setjmp.h>
#include <cmocka.h>

#include "pace.h"
#include "parse.h"
#include "stats.h"

#define HZ 2000000000ull   /* a 2 GHz TSC */
#define MS (HZ / 1000)

static void
test_rate_parse(void **state)
{
	static const struct {
		const char *s;
		enum gen_rate_unit unit;
		double value;
	} good[] = {
		{ "line", GEN_RATE_LINE, 0 }, { "LINE", GEN_RATE_LINE, 0 },
		{ "10pps", GEN_RATE_PPS, 10 }, { "5000", GEN_RATE_PPS, 5000 },
		{ "100kpps", GEN_RATE_PPS, 1e5 }, { "1.5Mpps", GEN_RATE_PPS, 1.5e6 },
		{ "2 mpps", GEN_RATE_PPS, 2e6 }, { "0.5pps", GEN_RATE_PPS, 0.5 },
		{ "64bps", GEN_RATE_BPS, 64 }, { "100kbps", GEN_RATE_BPS, 1e5 },
		{ "54Mbps", GEN_RATE_BPS, 54e6 }, { "10Gbps", GEN_RATE_BPS, 1e10 },
	};
	static const char *const bad[] = {
		"", "pps", "abc", "10xps", "-5pps", "0", "0pps", "1e10pps",
		"2000Gbps", "10 k", "line2", "10ppss", "nan", "inf",
	};
	struct gen_rate r;
	char buf[48];

	(void)state;
	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		assert_int_equal(gen_rate_parse(good[i].s, &r), 0);
		assert_int_equal(r.unit, good[i].unit);
		assert_true(fabs(r.value - good[i].value) < 1e-9 * (good[i].value + 1));
	}
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_int_equal(gen_rate_parse(bad[i], &r), -22);
	assert_int_equal(gen_rate_parse("100kpps", &r), 0);
	gen_rate_format(&r, buf, sizeof(buf));
	assert_string_equal(buf, "100 kpps");
	assert_int_equal(gen_rate_parse("54Mbps", &r), 0);
	gen_rate_format(&r, buf, sizeof(buf));
	assert_string_equal(buf, "54 Mbit/s");
}

/* A sender driven by the pacer on a made-up clock: at each step it makes
 * what the pacer wants ready, sends what it allows, and counts. */
struct sim {
	struct gen_pace p;
	struct gen_pace_frame held[512];
	uint16_t nheld;
	uint64_t sent, bits;
	uint16_t biggest;          /* largest allow() */
	const uint32_t *lens;      /* lengths in turn; NULL: 64 */
	unsigned int nb_lens, next_len;
	uint64_t first_at[64];     /* TSC of the first 64 frames */
};

static void
sim_step(struct sim *s, uint64_t now)
{
	const uint16_t want = gen_pace_want(&s->p, now, s->nheld,
					    s->nheld ? &s->held[s->nheld - 1] : NULL,
					    s->nheld ? s->held[s->nheld - 1].len : 64);
	uint16_t k;

	while (s->nheld < want) {
		const uint32_t len = s->lens ? s->lens[s->next_len++ % s->nb_lens] : 64;

		s->held[s->nheld++] = (struct gen_pace_frame){ .len = len };
	}
	k = gen_pace_allow(&s->p, now, s->held, s->nheld);
	if (k > s->biggest)
		s->biggest = k;
	for (uint16_t i = 0; i < k; i++) {
		if (s->sent < 64)
			s->first_at[s->sent] = now;
		s->sent++;
		s->bits += (uint64_t)s->held[i].len * 8;
	}
	gen_pace_commit(&s->p, s->held, k);
	memmove(s->held, s->held + k, (s->nheld - k) * sizeof(s->held[0]));
	s->nheld = (uint16_t)(s->nheld - k);
}

static void
test_pace_10pps(void **state)
{
	static struct sim s;
	struct gen_rate r = { GEN_RATE_PPS, 10 };
	const uint64_t t0 = 12345;

	(void)state;
	memset(&s, 0, sizeof(s));
	gen_pace_init_rate(&s.p, &r, HZ, 32, t0);
	/* A step every 10 us for 10 s. */
	for (uint64_t t = t0; t < t0 + 10 * HZ; t += HZ / 100000)
		sim_step(&s, t);
	assert_int_equal(s.sent, 100);      /* rate * duration, exactly */
	assert_int_equal(s.biggest, 1);     /* never two at once */
	/* Frame k at k / rate, to the step. */
	for (int k = 0; k < 64; k++) {
		const uint64_t at = t0 + (uint64_t)k * HZ / 10;

		assert_true(s.first_at[k] >= at && s.first_at[k] < at + HZ / 100000);
	}
}

static void
test_pace_mpps(void **state)
{
	static struct sim s;
	struct gen_rate r = { GEN_RATE_PPS, 5e6 };
	uint64_t t = 7;

	(void)state;
	memset(&s, 0, sizeof(s));
	gen_pace_init_rate(&s.p, &r, HZ, 32, t);
	/* Uneven steps of 100 to 1900 cycles (a loop turn), for 1 s. */
	for (unsigned int i = 0; t < 7 + HZ; i++) {
		sim_step(&s, t);
		t += 100 + (i * 7919) % 1800;
	}
	assert_true(s.sent >= 5000000 - 1 && s.sent <= 5000000 + 1);
	assert_true(s.biggest <= 32);
	assert_int_equal(s.p.forgotten, 0);
}

static void
test_pace_catch_up(void **state)
{
	static struct sim s;
	struct gen_rate r = { GEN_RATE_PPS, 1e6 };
	uint64_t t = 0;

	(void)state;
	memset(&s, 0, sizeof(s));
	gen_pace_init_rate(&s.p, &r, HZ, 16, 0);
	for (; t < 100 * MS; t += 1000)
		sim_step(&s, t);
	assert_true(s.sent >= 100000 && s.sent <= 100001);
	/* A 50 ms stall, within the window: caught up, 16 at a time. */
	t += 50 * MS;
	s.biggest = 0;
	for (const uint64_t end = t + 100 * MS; t < end; t += 1000)
		sim_step(&s, t);
	assert_int_equal(s.biggest, 16);
	assert_true(s.sent >= 250000 && s.sent <= 250001);
	assert_int_equal(s.p.forgotten, 0);
	/* A 500 ms stall: 100 ms of it caught up, the rest forgotten. */
	t += 500 * MS;
	for (const uint64_t end = t + 100 * MS; t < end; t += 1000)
		sim_step(&s, t);
	assert_true(s.p.forgotten >= 400000 - 1000 && s.p.forgotten <= 400000 + 1000);
	assert_true(s.sent + s.p.forgotten >= 850000 && s.sent + s.p.forgotten <= 850001);
	assert_true(s.biggest <= 16);
}

static void
test_pace_bits(void **state)
{
	static struct sim s;
	static const uint32_t lens[] = { 64, 1500, 300 };
	struct gen_rate r = { GEN_RATE_BPS, 10e6 };

	(void)state;
	memset(&s, 0, sizeof(s));
	s.lens = lens;
	s.nb_lens = 3;
	gen_pace_init_rate(&s.p, &r, HZ, 32, 0);
	for (uint64_t t = 0; t < 2 * HZ; t += 2000)
		sim_step(&s, t);
	/* 20 Mbit in 2 s, within one frame. */
	assert_true(s.bits >= 20000000 - 1500 * 8 && s.bits <= 20000000 + 1500 * 8);
}

static void
test_pace_line(void **state)
{
	static struct sim s;

	(void)state;
	memset(&s, 0, sizeof(s));
	gen_pace_init_line(&s.p, 32);
	sim_step(&s, 0);
	assert_int_equal(s.sent, 32);
}

static void
test_pace_replay(void **state)
{
	struct gen_pace p;
	struct gen_pace_frame f[4];

	(void)state;
	/* Twice as fast: capture times 0, 10, 20, 30 ms go at 0, 5, 10, 15. */
	gen_pace_init_replay(&p, 2.0, HZ, 32, 1, 1000);
	for (int i = 0; i < 4; i++)
		f[i] = (struct gen_pace_frame){ .len = 100,
			.ts_ns = gen_pace_stamp(&p, (uint64_t)i * 10000000) };
	assert_int_equal(gen_pace_want(&p, 1000, 0, NULL, 0), 1);
	assert_int_equal(gen_pace_allow(&p, 1000, f, 4), 1);
	assert_int_equal(gen_pace_allow(&p, 1000 + 5 * MS - 1, f + 1, 3), 0);
	assert_int_equal(gen_pace_want(&p, 1000 + 5 * MS - 1, 1, &f[1], 0), 1);
	assert_int_equal(gen_pace_want(&p, 1000 + 5 * MS, 1, &f[1], 0), 2);
	assert_int_equal(gen_pace_allow(&p, 1000 + 10 * MS, f + 1, 3), 2);
	/* Late by 300 ms: 100 ms caught up, the capture moves 200 ms on. */
	assert_int_equal(gen_pace_allow(&p, 1000 + 315 * MS, f + 3, 1), 1);
	assert_int_equal(p.shifted_cycles, 200 * MS);
	/* A stamp lower than the last starts a loop after the last frame
	 * and a mean interval (10 ms). */
	assert_int_equal(gen_pace_stamp(&p, 0), 40000000);
	assert_int_equal(gen_pace_stamp(&p, 10000000), 50000000);
}

static void
test_hist(void **state)
{
	static struct gen_hist h;
	uint64_t prev_bucket = 0;

	(void)state;
	/* Every value in its bucket, buckets in order, at most 12.5% wide. */
	for (uint64_t v = 0; v < 5000000; v = v < 100 ? v + 1 : v + v / 97) {
		const unsigned int b = gen_hist_bucket(v);

		assert_true(b < GEN_HIST_BUCKETS);
		assert_true(b >= prev_bucket);
		prev_bucket = b;
		assert_true(gen_hist_bucket_low(b) <= v);
		assert_true(v - gen_hist_bucket_low(b) < gen_hist_bucket_width(b));
		if (v >= 16)
			assert_true(gen_hist_bucket_width(b) * 8 <= gen_hist_bucket_low(b));
	}
	assert_int_equal(gen_hist_bucket(UINT64_MAX), GEN_HIST_BUCKETS - 1);
	assert_int_equal(gen_hist_quantile(&h, 0.5), 0);
	/* 1..100000 once each: p50 near 50000, p99 near 99000. */
	for (uint64_t v = 1; v <= 100000; v++)
		gen_hist_record(&h, v);
	assert_int_equal(h.n, 100000);
	assert_int_equal(h.max, 100000);
	assert_true(fabs((double)gen_hist_quantile(&h, 0.5) / 50000 - 1) < 0.07);
	assert_true(fabs((double)gen_hist_quantile(&h, 0.99) / 99000 - 1) < 0.07);
	assert_true(gen_hist_quantile(&h, 1.0) <= 100000);
}

static void
test_interval(void **state)
{
	static struct gen_counters c[2];
	static struct gen_tick a, b;
	struct gen_interval iv;
	char line[256], row[256];
	int commas_h = 0, commas_r = 0;

	(void)state;
	gen_tick_take(&a, c, 2, 0);
	for (int i = 0; i < 2; i++) {
		gen_ctr_add(&c[i].accepted, 1000);
		gen_ctr_add(&c[i].bytes, 64000);
		gen_ctr_add(&c[i].completed, 900);
		gen_ctr_add(&c[i].status[GEN_ST_ACKED], 800);
		gen_ctr_add(&c[i].status[GEN_ST_NOACK], 100);
		for (int k = 0; k < 900; k++)
			gen_hist_record(&c[i].lat, 2000);   /* 1 us at 2 GHz */
	}
	gen_tick_take(&b, c, 2, 2.0);
	gen_interval_of(&iv, &a, &b, (double)HZ);
	assert_true(fabs(iv.tx_pps - 1000) < 1e-6);
	assert_true(fabs(iv.tx_bps - 512000) < 1e-6);
	assert_true(fabs(iv.cpl_ps - 900) < 1e-6);
	assert_int_equal(iv.in_flight, 200);
	assert_true(iv.has_lat);
	assert_true(fabs(iv.p50_us - 1.0) < 0.07);
	gen_interval_line(&iv, true, line, sizeof(line));
	assert_non_null(strstr(line, " 1.00 kpps"));
	assert_non_null(strstr(line, "ack 800/s noack 100/s"));
	assert_non_null(strstr(line, "in flight   200"));
	gen_interval_csv(&iv, row, sizeof(row));
	for (const char *p = gen_csv_header; *p; p++)
		commas_h += *p == ',';
	for (const char *p = row; *p; p++)
		commas_r += *p == ',';
	assert_int_equal(commas_h, commas_r);
	assert_int_equal(row[strlen(row) - 1], '\n');
	/* An interval without completions has no latency. */
	gen_interval_of(&iv, &b, &b, (double)HZ);
	assert_false(iv.has_lat);
	gen_interval_csv(&iv, row, sizeof(row));
	assert_non_null(strstr(row, ",,\n"));
}

/* --start-at's times (tools/common/parse.c): epoch seconds and ISO 8601
 * with a zone, to the nanosecond; everything else refused, the output
 * untouched. */
static void
test_time_parse(void **state)
{
	static const struct { const char *s; int64_t sec; long ns; } good[] = {
		{ "1796585400", 1796585400, 0 },
		{ "1796585400.25", 1796585400, 250000000 },
		{ "1796585400.000000001", 1796585400, 1 },
		{ "2026-12-06T19:30:00Z", 1796585400, 0 },
		{ "2026-12-06t19:30:00z", 1796585400, 0 },
		{ "2026-12-06T20:30:00.5+01:00", 1796585400, 500000000 },
		{ "2026-12-06 14:30:00.000001-0500", 1796585400, 1000 },
		{ "2028-02-29T00:00:00Z", 1835395200, 0 },
	};
	static const char *const bad[] = {
		"", "abc", "-5", "1796585400.", "1796585400.1234567891", "17965854x",
		"2026-12-06", "2026-12-06T19:30:00", "2026-12-06T19:30:00+1",
		"2026-12-06T19:30:00+01:", "2026-12-06T19:30:00Z ", "2026-02-30T00:00:00Z",
		"2026-13-06T19:30:00Z", "2026-12-06T24:00:00Z", "2026-12-06T19:60:00Z",
		"2026-12-06X19:30:00Z", "1969-12-31T23:59:59Z", "2026-12-06T19:30:00+24:00",
	};
	struct timespec ts;
	char buf[40];

	(void)state;
	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		ts = (struct timespec){ 0 };
		assert_int_equal(tool_parse_time(good[i].s, &ts), 0);
		assert_int_equal(ts.tv_sec, good[i].sec);
		assert_int_equal(ts.tv_nsec, good[i].ns);
	}
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		ts = (struct timespec){ .tv_sec = 7, .tv_nsec = 7 };
		assert_int_equal(tool_parse_time(bad[i], &ts), -EINVAL);
		assert_int_equal(ts.tv_sec, 7);
		assert_int_equal(ts.tv_nsec, 7);
	}
	assert_int_equal(tool_parse_time(NULL, &ts), -EINVAL);
	ts = (struct timespec){ .tv_sec = 1796585400, .tv_nsec = 250000000 };
	tool_format_time(&ts, buf, sizeof(buf));
	assert_string_equal(buf, "2026-12-06T19:30:00.250000Z");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rate_parse),
		cmocka_unit_test(test_pace_10pps),
		cmocka_unit_test(test_pace_mpps),
		cmocka_unit_test(test_pace_catch_up),
		cmocka_unit_test(test_pace_bits),
		cmocka_unit_test(test_pace_line),
		cmocka_unit_test(test_pace_replay),
		cmocka_unit_test(test_hist),
		cmocka_unit_test(test_interval),
		cmocka_unit_test(test_time_parse),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
