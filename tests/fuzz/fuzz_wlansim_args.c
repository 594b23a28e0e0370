/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * libFuzzer target for net_wlansim's device arguments
 * (pmd/wlansim/wlansim_args.c): the input, up to its first NUL, is the
 * string after "net_wlansim0," in --vdev; parsed without a port or EAL.
 *
 * Oracle, checked against rte_kvargs' own split of the string into pairs
 * (without the list of valid keys):
 * - refused: -EINVAL and exactly one log message, "net_wlansim: ...\n";
 *   nothing leaks (LeakSanitizer, at the end of every input);
 * - accepted: no log line; every pair a known key given once, with a
 *   value; integers plain decimal digits, within the documented ranges
 *   (queues 1-4, ring 8-4096, retry_limit 0-15, radiotap 0|1, stall_us
 *   0-10000000, stall_every 1-2^32-1, link_down_us 0-60000000) and equal
 *   to what was written; rates "unlimited" or 0.1 to 100000 Mbit/s;
 *   probabilities in [0, 1]; the pcap path as given; every setting not
 *   given at its default; and the settings written back as a string
 *   parse again to the same settings.
 */
#define _GNU_SOURCE   /* fopencookie */
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rte_kvargs.h>
#include <rte_log.h>

#include "wlansim_args.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* net_wlansim's log type, registered in the driver elsewhere. */
RTE_LOG_REGISTER(wlansim_logtype, pmd.net.wlansim.fuzz, NOTICE);

static const struct {
	const char *key;
	uint64_t lo, hi, def;
} ints[] = {
	{ "queues", 1, WLANSIM_MAX_QUEUES, 1 },
	{ "ring", WLANSIM_MIN_RING, WLANSIM_MAX_RING, WLANSIM_DEFAULT_RING },
	{ "retry_limit", 0, WLANSIM_MAX_RETRY_LIMIT, WLANSIM_DEFAULT_RETRY_LIMIT },
	{ "seed", 0, UINT64_MAX, 1 },
	{ "radiotap", 0, 1, 0 },
	{ "stall_us", 0, WLANSIM_MAX_STALL_US, 0 },
	{ "stall_every", 1, UINT32_MAX, WLANSIM_DEFAULT_STALL_EVERY },
	{ "link_down_after", 0, UINT64_MAX, 0 },
	{ "link_down_us", 0, WLANSIM_MAX_LINK_DOWN_US, 0 },
};
#define NB_INTS (sizeof(ints) / sizeof(ints[0]))

static uint64_t
int_field(const struct wlansim_args *a, unsigned int i)
{
	switch (i) {
	case 0: return a->nb_queues;
	case 1: return a->ring_default;
	case 2: return a->p.retry_limit;
	case 3: return a->p.seed;
	case 4: return a->radiotap_in;
	case 5: return a->p.stall_us;
	case 6: return a->p.stall_every;
	case 7: return a->link_down_after;
	default: return a->p.link_down_us;
	}
}

static int
key_index(const char *key)
{
	static const char *const others[] = { "rate", "ack_loss", "refuse", "pcap" };

	for (unsigned int i = 0; i < NB_INTS; i++)
		if (strcmp(key, ints[i].key) == 0)
			return (int)i;
	for (unsigned int i = 0; i < 4; i++)
		if (strcmp(key, others[i]) == 0)
			return (int)(NB_INTS + i);
	return -1;
}

/* The log, as messages: rte_log() flushes its stream after each one, so
 * that each comes to this stream's write function whole (the buffer is
 * larger than any message of an input of libFuzzer's default size). */
static struct {
	int messages;
	bool bad;         /* one not of the form "net_wlansim: ...\n" */
	char buf[1 << 16];
} log_state;

static ssize_t
log_write(void *cookie, const char *b, size_t n)
{
	(void)cookie;
	log_state.messages++;
	if (n < 14 || strncmp(b, "net_wlansim: ", 13) != 0 || b[n - 1] != '\n')
		log_state.bad = true;
	return (ssize_t)n;
}

/* Parse @p params with the log captured; @return the messages logged, or
 * -1 when one is not of the form "net_wlansim: ...\n". */
static int
parse_logged(const char *params, struct wlansim_args *a, int *ret)
{
	static const cookie_io_functions_t io = { .write = log_write };
	FILE *f = fopencookie(NULL, "w", io);

	if (f == NULL || setvbuf(f, log_state.buf, _IOFBF, sizeof(log_state.buf)) != 0)
		abort();
	log_state.messages = 0;
	log_state.bad = false;
	rte_openlog_stream(f);
	*ret = wlansim_args_parse(params, a);
	rte_openlog_stream(NULL);
	fclose(f);
	return log_state.bad ? -1 : log_state.messages;
}

static bool
digits_only(const char *s)
{
	if (*s == '\0')
		return false;
	for (; *s != '\0'; s++)
		if (*s < '0' || *s > '9')
			return false;
	return true;
}

/* Check the accepted settings @p a against the pairs of @p params. */
static void
check_accepted(const char *params, const struct wlansim_args *a)
{
	struct rte_kvargs *kv = params[0] != '\0' ? rte_kvargs_parse(params, NULL) : NULL;
	bool given[NB_INTS + 4] = { false };

	if (params[0] != '\0' && kv == NULL)
		abort();   /* accepted what rte_kvargs cannot split */
	for (unsigned int i = 0; kv != NULL && i < kv->count; i++) {
		const char *k = kv->pairs[i].key, *v = kv->pairs[i].value;
		const int idx = k != NULL ? key_index(k) : -1;

		if (idx < 0 || given[idx] || v == NULL || v[0] == '\0')
			abort();   /* unknown, twice, or without a value */
		given[idx] = true;
		if (idx < (int)NB_INTS) {
			unsigned long long n;

			if (!digits_only(v))
				abort();   /* " 5", "+5", " -1": not documented */
			errno = 0;
			n = strtoull(v, NULL, 10);
			if (errno != 0 || n < ints[idx].lo || n > ints[idx].hi ||
			    int_field(a, (unsigned int)idx) != n)
				abort();
		} else if (idx == NB_INTS) {          /* rate */
			if (strcmp(v, "unlimited") == 0) {
				if (a->p.rate_kbps != 0)
					abort();
			} else {
				const double d = strtod(v, NULL);

				if (!(d >= 0.1 && d <= 100000.0) ||
				    a->p.rate_kbps != (uint32_t)(d * 1000.0 + 0.5))
					abort();
			}
		} else if (idx == NB_INTS + 1 || idx == NB_INTS + 2) {
			const double p = idx == NB_INTS + 1 ? a->p.ack_loss : a->p.refuse;

			if (!(p >= 0.0 && p <= 1.0) || p != strtod(v, NULL))
				abort();
		} else if (strcmp(a->pcap_path, v) != 0) {
			abort();
		}
	}
	/* The documented ranges, given or not; defaults where not given. */
	for (unsigned int i = 0; i < NB_INTS; i++) {
		const uint64_t n = int_field(a, i);

		if (n < ints[i].lo || n > ints[i].hi || (!given[i] && n != ints[i].def))
			abort();
	}
	if ((a->p.rate_kbps != 0 && (a->p.rate_kbps < WLANSIM_MIN_RATE_KBPS ||
				     a->p.rate_kbps > WLANSIM_MAX_RATE_KBPS)) ||
	    (!given[NB_INTS] && a->p.rate_kbps != 0) ||
	    !(a->p.ack_loss >= 0 && a->p.ack_loss <= 1) ||
	    !(a->p.refuse >= 0 && a->p.refuse <= 1) ||
	    (!given[NB_INTS + 1] && a->p.ack_loss != 0) ||
	    (!given[NB_INTS + 2] && a->p.refuse != 0) ||
	    memchr(a->pcap_path, '\0', sizeof(a->pcap_path)) == NULL ||
	    (!given[NB_INTS + 3] && a->pcap_path[0] != '\0'))
		abort();
	rte_kvargs_free(kv);
}

/* The settings written back as devargs parse to the same settings. */
static void
check_round_trip(const struct wlansim_args *a)
{
	struct wlansim_args b;
	char s[1024], rate[32];
	int n, ret;

	if (a->p.rate_kbps == 0)
		snprintf(rate, sizeof(rate), "unlimited");
	else
		snprintf(rate, sizeof(rate), "%" PRIu32 ".%03" PRIu32,
			 a->p.rate_kbps / 1000, a->p.rate_kbps % 1000);
	n = snprintf(s, sizeof(s), "queues=%u,ring=%u,rate=%s,ack_loss=%a,"
		     "retry_limit=%" PRIu64 ",seed=%" PRIu64 ",radiotap=%u,refuse=%a,"
		     "stall_us=%" PRIu64 ",stall_every=%" PRIu64 ",link_down_after=%" PRIu64
		     ",link_down_us=%" PRIu64,
		     a->nb_queues, a->ring_default, rate, a->p.ack_loss, a->p.retry_limit,
		     a->p.seed, a->radiotap_in, a->p.refuse, a->p.stall_us,
		     a->p.stall_every, a->link_down_after, a->p.link_down_us);
	/* A path rte_kvargs would split differently is left out. */
	if (a->pcap_path[0] != '\0' && strpbrk(a->pcap_path, ",=[]") == NULL)
		snprintf(s + n, sizeof(s) - (size_t)n, ",pcap=%s", a->pcap_path);
	if (parse_logged(s, &b, &ret) != 0 || ret != 0)
		abort();
	if (b.nb_queues != a->nb_queues || b.ring_default != a->ring_default ||
	    b.p.rate_kbps != a->p.rate_kbps || b.p.ack_loss != a->p.ack_loss ||
	    b.p.retry_limit != a->p.retry_limit || b.p.seed != a->p.seed ||
	    b.radiotap_in != a->radiotap_in || b.p.refuse != a->p.refuse ||
	    b.p.stall_us != a->p.stall_us || b.p.stall_every != a->p.stall_every ||
	    b.link_down_after != a->link_down_after ||
	    b.p.link_down_us != a->p.link_down_us ||
	    (strpbrk(a->pcap_path, ",=[]") == NULL && strcmp(b.pcap_path, a->pcap_path) != 0))
		abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct wlansim_args a;
	char *params;
	int lines, ret;

	/* An exact-size string: a read past its NUL is caught. */
	params = malloc(size + 1);
	if (params == NULL)
		return 0;
	memcpy(params, data, size);
	params[size] = '\0';
	params = realloc(params, strlen(params) + 1);
	if (params == NULL)
		return 0;

	memset(&a, 0x5a, sizeof(a));
	lines = parse_logged(params, &a, &ret);
	if (ret == 0) {
		if (lines != 0)
			abort();   /* accepted, yet complained */
		check_accepted(params, &a);
		check_round_trip(&a);
	} else if (ret != -EINVAL || lines != 1) {
		abort();       /* refused: -EINVAL, with one message saying why */
	}
	free(params);
	return 0;
}
