/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * What the two soak programs share: a seeded generator, the command line,
 * the failure counter, 802.11 frame stamps, the port's xstats.
 */
#ifndef D11TX_SOAK_UTIL_H
#define D11TX_SOAK_UTIL_H

#include <getopt.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <rte_cycles.h>
#include <rte_ethdev.h>

#include "eal_args.h"
#include "parse.h"
#include "test_eal.h"

/* Exit codes. An EAL that cannot start is a failure (test_eal_start()). */
#define SOAK_PASS 0
#define SOAK_FAIL 1

/* ---------- the generator (splitmix64 seeding xoshiro256**) ---------- */

/* The soak's own, apart from net_wlansim's (wlansim_rng_next(), the same
 * splitmix64 step): what the test draws must not share state or code with
 * the outcomes of the port it checks. */

struct rng {
	uint64_t s[4];
};

static inline uint64_t
splitmix64(uint64_t *x)
{
	uint64_t z = (*x += 0x9e3779b97f4a7c15ull);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

static inline void
rng_seed(struct rng *r, uint64_t seed, uint64_t stream)
{
	uint64_t x = seed ^ (stream * 0xd1342543de82ef95ull);

	for (int i = 0; i < 4; i++)
		r->s[i] = splitmix64(&x);
}

static inline uint64_t
rng_next(struct rng *r)
{
	uint64_t *s = r->s;
	const uint64_t result = ((s[1] * 5) << 7 | (s[1] * 5) >> 57) * 9;
	const uint64_t t = s[1] << 17;

	s[2] ^= s[0];
	s[3] ^= s[1];
	s[1] ^= s[2];
	s[0] ^= s[3];
	s[2] ^= t;
	s[3] = s[3] << 45 | s[3] >> 19;
	return result;
}

/* Uniform in [lo, hi]. */
static inline uint32_t
rng_range(struct rng *r, uint32_t lo, uint32_t hi)
{
	return lo + (uint32_t)((rng_next(r) >> 32) * (uint64_t)(hi - lo + 1) >> 32);
}

/* True with probability 1 / n. */
static inline bool
rng_one_in(struct rng *r, uint32_t n)
{
	return rng_range(r, 1, n) == 1;
}

/* A double in [0, 1). */
static inline double
rng_unit(struct rng *r)
{
	return (double)(rng_next(r) >> 11) / (double)(1ull << 53);
}

/* ---------- failures ---------- */

/* Counted, the first few printed; the program exits 1 if any. Any
 * thread may fail. */
static uint64_t soak_failures;
static uint64_t soak_seed;

#define SOAK_MAX_PRINTED 25

static inline void __attribute__((format(printf, 1, 2)))
soak_fail(const char *fmt, ...)
{
	va_list ap;

	if (__atomic_fetch_add(&soak_failures, 1, __ATOMIC_RELAXED) >=
	    SOAK_MAX_PRINTED)
		return;
	fprintf(stderr, "FAIL (seed %" PRIu64 "): ", soak_seed);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

static inline bool
soak_failed(void)
{
	return __atomic_load_n(&soak_failures, __ATOMIC_RELAXED) != 0;
}

#define CHECK(cond, ...) do {			\
		if (!(cond))			\
			soak_fail(__VA_ARGS__);	\
	} while (0)

#define CHECK_EQ(what, got, want) do {						\
		const uint64_t got_ = (uint64_t)(got), want_ = (uint64_t)(want); \
		if (got_ != want_)						\
			soak_fail("%s: %" PRIu64 ", want %" PRIu64, (what),	\
				  got_, want_);					\
	} while (0)

/* ---------- the command line ---------- */

struct soak_opts {
	bool long_run;
	bool quiet;
	uint64_t frames;       /* accepted frames to reach */
	uint64_t seed;
};

static inline void
soak_usage(const char *prog, const char *what, uint64_t short_frames,
	   uint64_t long_frames)
{
	fprintf(stderr,
		"usage: %s [EAL options --] [--long] [--frames N] [--seed S] [--quiet]\n"
		"  %s\n"
		"  --frames N  accepted frames to reach (default %" PRIu64 ", %" PRIu64
		" with --long)\n"
		"  --long      the lab soak: more frames, a progress line a second\n"
		"  --seed S    replay a run (its seed is printed first)\n"
		"  --quiet     print the summary only\n"
		"exit: 0 pass, 1 fail (an EAL that cannot start too), 2 bad usage\n",
		prog, what, short_frames, long_frames);
}

/* Parse the tool's part of the command line; exits 2 on a bad one. */
static inline void
soak_parse(int argc, char **argv, const char *what, uint64_t short_frames,
	   uint64_t long_frames, struct soak_opts *o)
{
	static const struct option longopts[] = {
		{ "long", no_argument, NULL, 'l' },
		{ "frames", required_argument, NULL, 'n' },
		{ "seed", required_argument, NULL, 's' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	bool frames_given = false, seed_given = false;
	int c;

	memset(o, 0, sizeof(*o));
	optind = 1;
	while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		switch (c) {
		case 'l':
			o->long_run = true;
			break;
		case 'n':
			if (tool_parse_u64(optarg, 1, 1ull << 40, &o->frames) != 0) {
				fprintf(stderr, "%s: --frames %s: not a count\n",
					argv[0], optarg);
				exit(2);
			}
			frames_given = true;
			break;
		case 's':
			if (tool_parse_u64(optarg, 0, UINT64_MAX, &o->seed) != 0) {
				fprintf(stderr, "%s: --seed %s: not a number\n",
					argv[0], optarg);
				exit(2);
			}
			seed_given = true;
			break;
		case 'q':
			o->quiet = true;
			break;
		case 'h':
			soak_usage(argv[0], what, short_frames, long_frames);
			exit(0);
		default:
			soak_usage(argv[0], what, short_frames, long_frames);
			exit(2);
		}
	}
	if (tool_no_extra_args(argv[0], argc, argv, optind) != 0)
		exit(2);
	if (!frames_given)
		o->frames = o->long_run ? long_frames : short_frames;
	if (!seed_given) {
		struct timespec ts;
		uint64_t x;

		clock_gettime(CLOCK_REALTIME, &ts);
		x = (uint64_t)ts.tv_nsec ^ (uint64_t)ts.tv_sec << 20 ^
			(uint64_t)getpid() << 40;
		/* Printable and short enough to type. */
		o->seed = splitmix64(&x) % 1000000000000ull;
	}
	soak_seed = o->seed;
}

/* ---------- time ---------- */

static inline double
soak_seconds(uint64_t from_tsc, uint64_t to_tsc)
{
	return (double)(to_tsc - from_tsc) / (double)rte_get_tsc_hz();
}

/* ---------- 802.11 frames ---------- */

static const uint8_t soak_unicast[6] = { 0x02, 0xdd, 0xdd, 0xdd, 0xdd, 0xdd };
static const uint8_t soak_bcast[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };
static const uint8_t soak_bssid[6] = { 0x02, 0xbb, 0xbb, 0xbb, 0xbb, 0xbb };

/* The shortest frame written: a data header (24) and an 8-byte stamp. */
#define SOAK_MIN_LEN 32

/*
 * A data frame from the DS of @p len bytes (>= SOAK_MIN_LEN): A1 the
 * receiver (group-addressed: no ACK expected, status SENT on
 * net_wlansim), a stamp at byte 24 and, when there is room, its
 * complement in the last 8 bytes. The rest is left as it is.
 */
static inline void
soak_write_frame(uint8_t *p, uint32_t len, bool group, uint64_t stamp)
{
	const uint64_t inv = ~stamp;

	p[0] = 0x08;
	p[1] = 0x02;
	p[2] = p[3] = 0;
	memcpy(p + 4, group ? soak_bcast : soak_unicast, 6);
	memcpy(p + 10, soak_bssid, 6);
	memcpy(p + 16, soak_bssid, 6);
	p[22] = p[23] = 0;
	memcpy(p + 24, &stamp, 8);
	if (len >= 40)
		memcpy(p + len - 8, &inv, 8);
}

/* The stamps are those soak_write_frame() wrote. */
static inline bool
soak_frame_intact(const uint8_t *p, uint32_t len, uint64_t stamp)
{
	uint64_t a, b;

	memcpy(&a, p + 24, 8);
	if (a != stamp)
		return false;
	if (len < 40)
		return true;
	memcpy(&b, p + len - 8, 8);
	return b == ~stamp;
}

/* ---------- the port's counters ---------- */

/* The value of xstat @p name of @p port (the last of that name, the
 * driver's), or UINT64_MAX when it has none. */
static inline uint64_t
soak_xstat(uint16_t port, const char *name)
{
	const int n = rte_eth_xstats_get_names(port, NULL, 0);
	struct rte_eth_xstat_name *names;
	struct rte_eth_xstat *vals;
	uint64_t v = UINT64_MAX;

	if (n <= 0)
		return v;
	names = calloc((size_t)n, sizeof(*names));
	vals = calloc((size_t)n, sizeof(*vals));
	if (names != NULL && vals != NULL &&
	    rte_eth_xstats_get_names(port, names, (unsigned int)n) == n &&
	    rte_eth_xstats_get(port, vals, (unsigned int)n) == n)
		for (int i = 0; i < n; i++)
			if (strcmp(names[i].name, name) == 0)
				v = vals[i].value;
	free(names);
	free(vals);
	return v;
}

static inline uint64_t
soak_qxstat(uint16_t port, unsigned int queue, const char *field)
{
	char name[RTE_ETH_XSTATS_NAME_SIZE];

	snprintf(name, sizeof(name), "tx_q%u_%s", queue, field);
	return soak_xstat(port, name);
}

/*
 * The start of a soak program @p prog ("what" for --help): its options,
 * its seed and length said first (so that a failure can be replayed), EAL
 * started (a failure exits 1), and @p rng seeded.
 */
static inline void
soak_start(const char *prog, const char *what, uint64_t short_frames,
	   uint64_t long_frames, int argc, char **argv, struct eal_args *eal,
	   struct soak_opts *o, struct rng *rng)
{
	if (eal_args_build(eal, argc, argv, NULL) != 0) {
		fprintf(stderr, "%s: out of memory\n", prog);
		exit(SOAK_FAIL);
	}
	soak_parse(eal->app_argc, eal->app_argv, what, short_frames, long_frames, o);
	printf("%s: seed %" PRIu64 ", %" PRIu64 " frames%s\n", prog, o->seed,
	       o->frames, o->long_run ? " (long)" : "");
	test_eal_start(prog, eal->eal_argc, eal->eal_argv);
	rng_seed(rng, o->seed, 0);
}

#endif
