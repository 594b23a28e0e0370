/* SPDX-License-Identifier: BSD-3-Clause */
/* net_wlansim's device arguments (see wlansim_args.h). */

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include <rte_kvargs.h>
#include <rte_log.h>

#include "dpdk_compat.h"

#include "wlansim_args.h"

#define SIM_LOG(level, ...) \
	rte_log(RTE_LOG_ ## level, wlansim_logtype, "net_wlansim: " __VA_ARGS__)

static const char *const valid_args[] = {
	"queues", "ring", "rate", "ack_loss", "retry_limit", "seed", "pcap",
	"radiotap", "refuse", "stall_us", "stall_every", "link_down_after",
	"link_down_us", NULL
};

/* rte_kvargs_process_opt() hands a key given without "=value" a NULL
 * value, so that the handler says what is missing (rte_kvargs_process()
 * refuses such a key silently since 24.03). */
static bool
value_missing(const char *key, const char *value)
{
	if (value != NULL && value[0] != '\0')
		return false;
	SIM_LOG(ERR, "%s: a value is missing (%s=...)\n", key, key);
	return true;
}

static int
arg_u64(const char *key, const char *value, void *out)
{
	char *end;
	unsigned long long v;

	if (value_missing(key, value))
		return -EINVAL;
	errno = 0;
	v = strtoull(value, &end, 10);
	/* Digits only: strtoull() would also take " 5", "+5" and " -1" (as
	 * 2^64 - 1). */
	if (errno != 0 || end == value || *end != '\0' ||
	    value[0] < '0' || value[0] > '9') {
		SIM_LOG(ERR, "%s=%s: not a non-negative integer\n", key, value);
		return -EINVAL;
	}
	*(uint64_t *)out = v;
	return 0;
}

/* A number in [lo, hi]; @p what names it in the error line. */
static int
parse_double(const char *key, const char *value, double lo, double hi,
	     const char *what, double *out)
{
	char *end;

	if (value_missing(key, value))
		return -EINVAL;
	errno = 0;
	*out = strtod(value, &end);
	if (errno != 0 || end == value || *end != '\0' || !(*out >= lo && *out <= hi)) {
		SIM_LOG(ERR, "%s=%s: not %s\n", key, value, what);
		return -EINVAL;
	}
	return 0;
}

static int
arg_probability(const char *key, const char *value, void *out)
{
	return parse_double(key, value, 0.0, 1.0, "a probability in [0, 1]", out);
}

static int
arg_rate(const char *key, const char *value, void *out)
{
	double v;

	if (value != NULL && strcmp(value, "unlimited") == 0) {
		*(uint32_t *)out = 0;
		return 0;
	}
	if (parse_double(key, value, WLANSIM_MIN_RATE_KBPS / 1000.0,
			 WLANSIM_MAX_RATE_KBPS / 1000.0,
			 "a rate in Mbit/s (0.1 to 100000) or \"unlimited\"", &v) != 0)
		return -EINVAL;
	*(uint32_t *)out = (uint32_t)(v * 1000.0 + 0.5);
	return 0;
}

static int
arg_string(const char *key, const char *value, void *out)
{
	struct wlansim_args *a = out;

	if (value_missing(key, value))
		return -EINVAL;
	if (strlen(value) >= sizeof(a->pcap_path)) {
		SIM_LOG(ERR, "%s=%s: too long a path\n", key, value);
		return -EINVAL;
	}
	strcpy(a->pcap_path, value);
	return 0;
}

/* One integer argument within [lo, hi]. */
static int
kv_u64(struct rte_kvargs *kv, const char *key, uint64_t lo, uint64_t hi,
       uint64_t *out)
{
	uint64_t v;
	int ret;

	if (rte_kvargs_count(kv, key) == 0)
		return 0;
	if (rte_kvargs_count(kv, key) > 1) {
		SIM_LOG(ERR, "%s given twice\n", key);
		return -EINVAL;
	}
	ret = rte_kvargs_process_opt(kv, key, arg_u64, &v);
	if (ret != 0)
		return -EINVAL;
	if (v < lo || v > hi) {
		SIM_LOG(ERR, "%s=%" PRIu64 ": out of range [%" PRIu64 ", %" PRIu64 "]\n",
			key, v, lo, hi);
		return -EINVAL;
	}
	*out = v;
	return 0;
}

int
wlansim_args_parse(const char *params, struct wlansim_args *a)
{
	struct rte_kvargs *kv;
	uint64_t v;
	int ret = 0;

	memset(a, 0, sizeof(*a));
	a->nb_queues = 1;
	a->ring_default = WLANSIM_DEFAULT_RING;
	a->p.retry_limit = WLANSIM_DEFAULT_RETRY_LIMIT;
	a->p.seed = 1;
	a->p.stall_every = WLANSIM_DEFAULT_STALL_EVERY;
	if (params == NULL || params[0] == '\0')
		return 0;
	kv = rte_kvargs_parse(params, valid_args);
	if (kv == NULL) {
		SIM_LOG(ERR, "cannot parse \"%s\"; arguments are: queues ring rate "
			"ack_loss retry_limit seed pcap radiotap refuse stall_us "
			"stall_every link_down_after link_down_us\n", params);
		return -EINVAL;
	}
#define U64_ARG(key, lo, hi, field) do {				\
		v = (field);						\
		if (ret == 0 && (ret = kv_u64(kv, key, lo, hi, &v)) == 0) \
			(field) = v;					\
	} while (0)
	U64_ARG("queues", 1, WLANSIM_MAX_QUEUES, a->nb_queues);
	U64_ARG("ring", WLANSIM_MIN_RING, WLANSIM_MAX_RING, a->ring_default);
	U64_ARG("retry_limit", 0, WLANSIM_MAX_RETRY_LIMIT, a->p.retry_limit);
	U64_ARG("seed", 0, UINT64_MAX, a->p.seed);
	U64_ARG("radiotap", 0, 1, a->radiotap_in);
	U64_ARG("stall_us", 0, WLANSIM_MAX_STALL_US, a->p.stall_us);
	U64_ARG("stall_every", 1, UINT32_MAX, a->p.stall_every);
	U64_ARG("link_down_after", 0, UINT64_MAX, a->link_down_after);
	U64_ARG("link_down_us", 0, WLANSIM_MAX_LINK_DOWN_US, a->p.link_down_us);
#undef U64_ARG
	if (ret == 0 && rte_kvargs_count(kv, "rate") == 1)
		ret = rte_kvargs_process_opt(kv, "rate", arg_rate, &a->p.rate_kbps);
	if (ret == 0 && rte_kvargs_count(kv, "ack_loss") == 1)
		ret = rte_kvargs_process_opt(kv, "ack_loss", arg_probability, &a->p.ack_loss);
	if (ret == 0 && rte_kvargs_count(kv, "refuse") == 1)
		ret = rte_kvargs_process_opt(kv, "refuse", arg_probability, &a->p.refuse);
	if (ret == 0 && rte_kvargs_count(kv, "pcap") == 1)
		ret = rte_kvargs_process_opt(kv, "pcap", arg_string, a);
	if (ret == 0 && (rte_kvargs_count(kv, "rate") > 1 ||
			 rte_kvargs_count(kv, "ack_loss") > 1 ||
			 rte_kvargs_count(kv, "refuse") > 1 ||
			 rte_kvargs_count(kv, "pcap") > 1)) {
		SIM_LOG(ERR, "an argument is given twice in \"%s\"\n", params);
		ret = -EINVAL;
	}
	rte_kvargs_free(kv);
	return ret != 0 ? -EINVAL : 0;
}
