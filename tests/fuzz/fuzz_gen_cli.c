/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * libFuzzer target for dot11tx-gen's command line (tools/gen/options.c)
 * and the string parsers it calls: gen_sizes_parse(), tool_parse_mac(),
 * the hex frame source (tools/gen/source.c) and tool_parse_u64()
 * (tools/common/eal_args.c).
 *
 * The input's first byte picks what it is for; the rest is the input:
 *   's'  a --sizes string,   'm'  a MAC address,   'u'  an integer value,
 *   'x'  a --hex frame (the second byte: radiotap in front, and its rate),
 *   'c'  argv: the options after "--", one a line (the program's name
 *        added), as the hand-written seeds (seeds/fuzz_gen_cli) are,
 *   else argv split on NUL bytes, newlines in arguments allowed.
 * Every string is an exact-size heap copy: a read past its NUL is caught.
 *
 * Oracle:
 * - options: 0, -1 or GEN_OPTIONS_HELP, never an exit; -1 with one
 *   message on stderr, "dot11tx-gen: ..." to its newline, and the others
 *   with none; the same answer from a second parse (getopt's state is
 *   global); on 0, options within their documented bounds and agreeing
 *   with each other (one source; a capture without sizes; --spread ac with
 *   qos-data; default burst, count and frame; ...), strings pointing into
 *   argv; and the frame source main() would open (templates, hex) opens or
 *   says why in one line, its frames as long as asked and valid 802.11.
 * - sizes, MACs, integers, hex: the answer of a parser written here from
 *   the documented grammar (source.h, eal_args.h, --help), value for
 *   value; a refusal with one line (no newline) in err.
 */
#define _GNU_SOURCE   /* fopencookie */
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <dot11tx/dot11.h>

#include "parse.h"
#include "options.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MAX_ARGS 64
#define MIN_SIZE 10
#define MAX_SIZE D11TX_DOT11_DEFAULT_MAX_MPDU

static char *
str_of(const uint8_t *d, size_t n)
{
	char *s = malloc(n + 1);
	size_t len;

	if (s == NULL)
		abort();
	memcpy(s, d, n);
	s[n] = '\0';
	len = strlen(s);
	if (len < n) {   /* exact size, up to the first NUL */
		s = realloc(s, len + 1);
		if (s == NULL)
			abort();
	}
	return s;
}

/* A refusal's message: one line, unless it quotes @p input, which has
 * a newline itself. */
static void
check_err(const char *err, size_t errlen, const char *input)
{
	if (memchr(err, '\0', errlen) == NULL || err[0] == '\0' ||
	    (strchr(err, '\n') != NULL && (input == NULL || strchr(input, '\n') == NULL)))
		abort();
}

/* ---------- integers: decimal, or 0x-prefixed hexadecimal ---------- */

static bool
ref_u64(const char *s, uint64_t *out)
{
	const bool hex = s[0] == '0' && (s[1] == 'x' || s[1] == 'X');
	const char *p = hex ? s + 2 : s;
	uint64_t v = 0;

	if (*p == '\0')
		return false;
	for (; *p != '\0'; p++) {
		unsigned int dgt;

		if (*p >= '0' && *p <= '9')
			dgt = (unsigned int)(*p - '0');
		else if (hex && *p >= 'a' && *p <= 'f')
			dgt = (unsigned int)(*p - 'a' + 10);
		else if (hex && *p >= 'A' && *p <= 'F')
			dgt = (unsigned int)(*p - 'A' + 10);
		else
			return false;
		if (v > (UINT64_MAX - dgt) / (hex ? 16 : 10))
			return false;   /* beyond 64 bits */
		v = v * (hex ? 16 : 10) + dgt;
	}
	*out = v;
	return true;
}

static void
fuzz_u64(const char *s)
{
	static const uint64_t bounds[][2] = {
		{ 0, UINT64_MAX }, { 1, 512 }, { 0, 7 }, { 1, UINT64_MAX / 2 },
	};

	for (size_t i = 0; i < sizeof(bounds) / sizeof(bounds[0]); i++) {
		uint64_t got = 0x5a5a, want = 0;
		const bool ok = ref_u64(s, &want) && want >= bounds[i][0] &&
				want <= bounds[i][1];
		const int r = tool_parse_u64(s, bounds[i][0], bounds[i][1], &got);

		if (r != (ok ? 0 : -1) || (ok && got != want) || (!ok && got != 0x5a5a))
			abort();
	}
}

/* ---------- sizes: N, N-M (N < M), or N,N,... (up to 64) ---------- */

static bool
ref_size(const char **p, uint16_t *out)
{
	unsigned long v = 0;

	if (**p < '0' || **p > '9')
		return false;
	for (; **p >= '0' && **p <= '9'; (*p)++)
		if ((v = v * 10 + (unsigned long)(**p - '0')) > MAX_SIZE)
			v = MAX_SIZE + 1;
	if (v < MIN_SIZE || v > MAX_SIZE)
		return false;
	*out = (uint16_t)v;
	return true;
}

static bool
ref_sizes(const char *s, struct gen_sizes *z)
{
	memset(z, 0, sizeof(*z));
	if (!ref_size(&s, &z->list[0]))
		return false;
	z->nb = 1;
	if (*s == '-') {
		s++;
		if (!ref_size(&s, &z->list[1]) || *s != '\0' || z->list[0] >= z->list[1])
			return false;
		z->nb = 2;
		z->range = true;
		return true;
	}
	while (*s == ',') {
		s++;
		if (z->nb == GEN_MAX_SIZES || !ref_size(&s, &z->list[z->nb]))
			return false;
		z->nb++;
	}
	return *s == '\0';
}

static void
fuzz_sizes(const char *s)
{
	struct gen_sizes got, want, before;
	char err[256];
	int r;

	memset(&got, 0x5a, sizeof(got));
	before = got;
	memset(err, 0x5a, sizeof(err));
	r = gen_sizes_parse(s, &got, err, sizeof(err));
	if (!ref_sizes(s, &want)) {
		if (r != -EINVAL || memcmp(&got, &before, sizeof(got)) != 0)
			abort();
		check_err(err, sizeof(err), s);
		return;
	}
	if (r != 0 || got.nb != want.nb || got.range != want.range ||
	    memcmp(got.list, want.list, want.nb * sizeof(want.list[0])) != 0)
		abort();
}

/* ---------- MACs: aa:bb:cc:dd:ee:ff ---------- */

/* The oracles here are written apart from the code under test
 * (tools/common/parse.c), hex digits included: a shared helper would
 * share its bugs with the parser it checks. */
static int
hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

static void
fuzz_mac(const char *s)
{
	uint8_t got[6] = { 1, 2, 3, 4, 5, 6 };
	bool ok = strlen(s) == 17;
	char back[18];
	const int r = tool_parse_mac(s, got);

	for (int i = 0; ok && i < 6; i++)
		ok = hexval(s[3 * i]) >= 0 && hexval(s[3 * i + 1]) >= 0 &&
		     (i == 5 || s[3 * i + 2] == ':');
	if (r != (ok ? 0 : -EINVAL))
		abort();
	if (!ok) {
		if (memcmp(got, (const uint8_t[]){ 1, 2, 3, 4, 5, 6 }, 6) != 0)
			abort();   /* a refused address leaves the old one */
		return;
	}
	snprintf(back, sizeof(back), "%02x:%02x:%02x:%02x:%02x:%02x",
		 got[0], got[1], got[2], got[3], got[4], got[5]);
	if (strcasecmp(back, s) != 0)
		abort();
}

/* ---------- hex frames ---------- */

/* Digits, with ':' and white space between bytes; 1 to 11454 bytes.
 * @return the bytes, or -1. */
static long
ref_hex(const char *s, uint8_t *out)
{
	size_t digits = 0;
	long n = 0;

	for (; *s != '\0'; s++) {
		const int v = hexval(*s);

		if (v >= 0) {
			if (digits % 2 == 0) {
				if (n == D11TX_DOT11_MAX_MPDU)
					return -1;
				out[n] = (uint8_t)(v << 4);
			} else {
				out[n++] |= (uint8_t)v;
			}
			digits++;
		} else if (strchr(": \t\n\r", *s) == NULL || digits % 2 != 0) {
			return -1;
		}
	}
	return digits % 2 != 0 || n == 0 ? -1 : n;
}

static uint8_t want_frame[D11TX_DOT11_MAX_MPDU];
static uint8_t frame_buf[D11TX_RADIOTAP_MAX + D11TX_DOT11_MAX_MPDU];

static void
fuzz_hex(const char *s, uint8_t opt)
{
	struct gen_source_conf c = {
		.kind = GEN_SRC_HEX, .hex = s, .radiotap = opt & 1,
		.rt_rate_500k = (uint8_t)(opt >> 1),
	};
	const long n = ref_hex(s, want_frame);
	struct gen_source *src;
	struct gen_frame f;
	uint32_t rt = 0;
	char err[256];
	int r;

	memset(err, 0x5a, sizeof(err));
	r = gen_source_open(&src, &c, err, sizeof(err));
	if (n < 0) {
		if (r != -EINVAL || src != NULL)
			abort();
		check_err(err, sizeof(err), NULL);
		return;
	}
	if (r != 0)
		abort();
	if (c.radiotap) {
		uint8_t hdr[D11TX_RADIOTAP_MAX];
		const struct d11tx_radiotap_tx t = { .rate_500k = c.rt_rate_500k };

		rt = (uint32_t)d11tx_radiotap_build(&t, hdr, sizeof(hdr));
	}
	for (int i = 0; i < 3; i++) {
		/* Too small a room, then room enough. */
		if (i == 0 && gen_source_next(src, frame_buf, rt + (uint32_t)n - 1, &f) !=
		    -EMSGSIZE)
			abort();
		if (gen_source_next(src, frame_buf, sizeof(frame_buf), &f) != 1 ||
		    f.len != rt + (uint32_t)n || f.ts_ns != 0 || f.tid < -1 || f.tid > 15)
			abort();
		/* The bytes as given, but for the sequence number. */
		for (long k = 0; k < n; k++)
			if (frame_buf[rt + k] != want_frame[k] &&
			    !(k == 23 ||
			      (k == 22 && ((frame_buf[rt + k] ^ want_frame[k]) & 0xf) == 0)))
				abort();
	}
	gen_source_close(src);
}

/* ---------- the command line ---------- */

/* stderr, captured. */
static struct {
	char text[1 << 16];
	size_t len;
	bool truncated;
} err_log;

static ssize_t
err_write(void *cookie, const char *b, size_t n)
{
	(void)cookie;
	if (n > sizeof(err_log.text) - err_log.len) {
		err_log.truncated = true;
		n = sizeof(err_log.text) - err_log.len;
	}
	memcpy(err_log.text + err_log.len, b, n);
	err_log.len += n;
	return (ssize_t)n;
}

/* Parse a fresh copy of the argv of @p data; 0, -1 or GEN_OPTIONS_HELP. */
static int
parse(const uint8_t *data, size_t size, char sep, struct gen_options *o, char **argv,
      int *argc, bool *newline_in_args)
{
	static const cookie_io_functions_t io = { .write = err_write };
	FILE *saved = stderr, *f;
	int r;

	*argc = 0;
	argv[(*argc)++] = str_of((const uint8_t *)"dot11tx-gen", 11);
	*newline_in_args = false;
	for (size_t i = 0; i < size && *argc < MAX_ARGS;) {
		const uint8_t *nul = memchr(data + i, sep, size - i);
		const size_t n = nul != NULL ? (size_t)(nul - (data + i)) : size - i;

		argv[*argc] = str_of(data + i, n);
		if (strchr(argv[*argc], '\n') != NULL)
			*newline_in_args = true;
		(*argc)++;
		i += n + 1;
	}
	argv[*argc] = NULL;

	f = fopencookie(NULL, "w", io);
	if (f == NULL)
		abort();
	err_log.len = 0;
	err_log.truncated = false;
	stderr = f;
	memset(o, 0x5a, sizeof(*o));
	r = gen_options_parse(*argc, argv, o);
	stderr = saved;
	fclose(f);
	return r;
}

static void
free_argv(char **argv, int argc)
{
	for (int i = 0; i < argc; i++)
		free(argv[i]);
}

/* Whether @p p points into one of the strings of argv. */
static bool
in_argv(const char *p, char *const *argv, int argc)
{
	for (int i = 0; i < argc; i++)
		if (p >= argv[i] && p <= argv[i] + strlen(argv[i]))
			return true;
	return false;
}

/* The options as text, to compare two parses. */
static void
describe(const struct gen_options *o, char *buf, size_t len)
{
	const struct gen_source_conf *s = &o->src;
	int n;

	n = snprintf(buf, len,
		     "k%d t%d hex[%s] pcap[%s] loop%d sizes%u/%d:%u,%u,%u seed%" PRIu64
		     " da%02x%02x sa%02x bssid%02x ssid[%s] tid%d tods%d rt%d/%u seq%d"
		     " tg%d tidg%d nv%d rate%d/%a rg%d speed%a burst%u max%u count%" PRIu64
		     " cg%d dur%a mode%d spread%d port%u ring%u json%d quiet%d stats[%s]",
		     s->kind, s->tmpl, s->hex ? s->hex : "-",
		     s->pcap_path ? s->pcap_path : "-", s->loop, s->sizes.nb,
		     s->sizes.range, s->sizes.list[0], s->sizes.list[1],
		     s->sizes.nb ? s->sizes.list[s->sizes.nb - 1] : 0, s->seed, s->da[0],
		     s->da[5], s->sa[5], s->bssid[5], s->ssid, s->tid, s->to_ds, s->radiotap,
		     s->rt_rate_500k, s->assign_seq, o->template_given, o->tid_given,
		     o->no_validate, o->rate.unit, o->rate.value, o->rate_given,
		     o->replay_speed, o->burst, o->max_burst, o->count, o->count_given,
		     o->duration, o->mode, o->spread, o->port, o->ring, o->json, o->quiet,
		     o->stats_file ? o->stats_file : "-");
	if (n < 0)
		abort();
}

static void
check_options(const struct gen_options *o, char *const *argv, int argc)
{
	const struct gen_source_conf *s = &o->src;
	const struct gen_sizes *z = &s->sizes;

	if (s->kind != GEN_SRC_TEMPLATE && s->kind != GEN_SRC_HEX && s->kind != GEN_SRC_PCAP)
		abort();
	if ((unsigned int)s->tmpl >= GEN_T_MAX || s->tid < 0 || s->tid > 7)
		abort();
	if (s->kind == GEN_SRC_HEX && (s->hex == NULL || !in_argv(s->hex, argv, argc)))
		abort();
	if (s->kind == GEN_SRC_PCAP &&
	    (s->pcap_path == NULL || !in_argv(s->pcap_path, argv, argc)))
		abort();
	if (o->stats_file != NULL && !in_argv(o->stats_file, argv, argc))
		abort();
	/* Sequence numbers: templates and hex always; no loop but a capture's. */
	if (s->kind != GEN_SRC_PCAP && (!s->assign_seq || s->loop))
		abort();
	if (s->kind == GEN_SRC_PCAP && z->nb != 0)
		abort();   /* a capture's frames keep their size */
	if (z->nb > GEN_MAX_SIZES || (z->range && (z->nb != 2 || z->list[0] >= z->list[1])))
		abort();
	for (unsigned int i = 0; i < z->nb; i++)
		if (z->list[i] < MIN_SIZE || z->list[i] > MAX_SIZE)
			abort();
	if (s->kind == GEN_SRC_TEMPLATE && !o->template_given && z->nb == 0)
		abort();   /* the default frame has its size */
	if (memchr(s->ssid, '\0', sizeof(s->ssid)) == NULL)
		abort();
	if (s->rt_rate_500k != 0 && !s->radiotap)
		abort();
	if (o->spread == GEN_SPREAD_AC &&
	    (s->kind == GEN_SRC_HEX || o->tid_given ||
	     (s->kind == GEN_SRC_TEMPLATE && s->tmpl != GEN_T_QOS_DATA)))
		abort();
	if (o->tid_given && s->kind == GEN_SRC_TEMPLATE && s->tmpl != GEN_T_QOS_DATA)
		abort();
	if (o->spread != GEN_SPREAD_RR && o->spread != GEN_SPREAD_AC)
		abort();
	if (o->mode != GEN_MODE_ENGINE && o->mode != GEN_MODE_APP)
		abort();
	if (o->burst < 1 || o->burst > GEN_MAX_BURST || o->max_burst < 1 ||
	    o->max_burst > GEN_MAX_BURST || o->ring < 1 || o->ring > (1u << 20) ||
	    o->port >= RTE_MAX_ETHPORTS || o->count < 1 || o->count > UINT64_MAX / 2)
		abort();
	if (!o->count_given && o->duration == 0 && s->kind != GEN_SRC_PCAP &&
	    o->count != GEN_DEFAULT_COUNT)
		abort();
	if (!(o->duration == 0 || (o->duration > 0 && o->duration <= 1e7)))
		abort();
	if (!(o->replay_speed >= 1e-3 && o->replay_speed <= 1e6))
		abort();
	if (o->rate_given && o->rate.unit != GEN_RATE_LINE &&
	    !(o->rate.value >= 1.0 / 60 &&
	      o->rate.value <= (o->rate.unit == GEN_RATE_PPS ? 1e9 : 1e12)))
		abort();
	if (!o->rate_given && (o->rate.unit != GEN_RATE_LINE))
		abort();
}

/* The frame source main() opens before the EAL: it opens or says why,
 * and its frames are as asked. */
static void
check_source(const struct gen_options *o)
{
	struct gen_source_conf c = o->src;
	struct gen_source *src;
	struct gen_frame f;
	char err[256];
	int r;

	if (c.kind == GEN_SRC_PCAP)
		return;   /* a file of the input's naming: not opened */
	if (o->spread == GEN_SPREAD_AC && c.kind == GEN_SRC_TEMPLATE)
		c.tid = 6;
	c.nb_shares = 1;
	memset(err, 0x5a, sizeof(err));
	r = gen_source_open(&src, &c, err, sizeof(err));
	if (r != 0) {
		if (r != -EINVAL || src != NULL)
			abort();
		check_err(err, sizeof(err), NULL);
		return;
	}
	for (unsigned int i = 0; i < 4; i++) {
		const uint8_t *mpdu;
		uint32_t len;

		if (gen_source_next(src, frame_buf, sizeof(frame_buf), &f) != 1)
			abort();
		mpdu = frame_buf;
		len = f.len;
		if (c.radiotap) {
			const uint32_t rt = (uint32_t)(frame_buf[2] | frame_buf[3] << 8);

			if (rt < 8 || rt > len)
				abort();
			mpdu += rt;
			len -= rt;
		}
		if (c.kind == GEN_SRC_TEMPLATE) {
			const bool fixed = c.tmpl == GEN_T_RTS || c.tmpl == GEN_T_CTS ||
					   c.tmpl == GEN_T_ACK || c.tmpl == GEN_T_NULL ||
					   c.tmpl == GEN_T_DEAUTH;

			if (d11tx_dot11_validate(mpdu, len, 0) != D11TX_DOT11_VALID)
				abort();
			if (!fixed && c.sizes.nb > 0 &&
			    (c.sizes.range ? len < c.sizes.list[0] || len > c.sizes.list[1]
					   : len != c.sizes.list[i % c.sizes.nb]))
				abort();
			if (f.tid != (c.tmpl == GEN_T_QOS_DATA ? c.tid : -1))
				abort();
		}
	}
	gen_source_close(src);
}

static void
fuzz_cli(const uint8_t *data, size_t size, char sep)
{
	struct gen_options o1, o2;
	char *argv1[MAX_ARGS + 1], *argv2[MAX_ARGS + 1];
	static char d1[1 << 17], d2[1 << 17];
	int argc1, argc2, r1, r2;
	bool nl;

	r1 = parse(data, size, sep, &o1, argv1, &argc1, &nl);
	if (r1 == -1) {
		/* One message: "dot11tx-gen: ...\n", one line unless an
		 * argument it quotes has a newline itself. */
		const char *t = err_log.text;
		size_t lines = 0;

		for (size_t i = 0; i < err_log.len; i++)
			lines += t[i] == '\n';
		if (err_log.truncated || err_log.len < 14 ||
		    strncmp(t, GEN_PROG ": ", 13) != 0 || t[err_log.len - 1] != '\n' ||
		    (!nl && lines != 1))
			abort();
	} else if ((r1 != 0 && r1 != GEN_OPTIONS_HELP) || err_log.len != 0) {
		abort();
	}
	/* getopt keeps state between calls: a second parse says the same. */
	r2 = parse(data, size, sep, &o2, argv2, &argc2, &nl);
	if (r2 != r1 || (err_log.len != 0) != (r1 == -1))
		abort();
	if (r1 == 0) {
		describe(&o1, d1, sizeof(d1));
		describe(&o2, d2, sizeof(d2));
		if (strcmp(d1, d2) != 0)
			abort();
		check_options(&o1, argv1, argc1);
		check_source(&o1);
	}
	free_argv(argv1, argc1);
	free_argv(argv2, argc2);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s;

	if (size == 0)
		return 0;
	switch (data[0]) {
	case 's':
	case 'm':
	case 'u':
		s = str_of(data + 1, size - 1);
		if (data[0] == 's')
			fuzz_sizes(s);
		else if (data[0] == 'm')
			fuzz_mac(s);
		else
			fuzz_u64(s);
		free(s);
		break;
	case 'x':
		if (size < 2)
			return 0;
		s = str_of(data + 2, size - 2);
		fuzz_hex(s, data[1]);
		free(s);
		break;
	case 'c':
		fuzz_cli(data + 1, size - 1, '\n');
		break;
	default:
		fuzz_cli(data + 1, size - 1, '\0');
	}
	return 0;
}
