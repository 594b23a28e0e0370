/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef WLANSIM_ARGS_H
#define WLANSIM_ARGS_H

/*
 * net_wlansim's device arguments ("queues=2,rate=54,..."), parsed apart
 * from the driver so that tests and the fuzzer (tests/fuzz/
 * fuzz_wlansim_args.c) can call the parser without a port or an EAL.
 */

#include <stdbool.h>
#include <stdint.h>

#include "wlansim_model.h"

#define WLANSIM_MAX_QUEUES 4
#define WLANSIM_DEFAULT_RING 512
#define WLANSIM_MIN_RING 8
#define WLANSIM_MAX_RING 4096
#define WLANSIM_DEFAULT_RETRY_LIMIT 7
#define WLANSIM_DEFAULT_STALL_EVERY 1000
#define WLANSIM_MAX_STALL_US 10000000
#define WLANSIM_MAX_LINK_DOWN_US 60000000
/* rate=, in kbit/s: 0.1 to 100000 Mbit/s, or 0 for "unlimited". */
#define WLANSIM_MIN_RATE_KBPS 100
#define WLANSIM_MAX_RATE_KBPS 100000000
#define WLANSIM_PCAP_PATH_MAX 256

/* The settings the device arguments give; unset ones keep their defaults. */
struct wlansim_args {
	struct wlansim_params p;   /* rate, ack_loss, retry_limit, seed, faults */
	uint16_t nb_queues;        /* queues=: queues the port offers */
	uint16_t ring_default;     /* ring= */
	bool radiotap_in;          /* radiotap=1: frames behind a radiotap header */
	uint64_t link_down_after;  /* link_down_after= */
	char pcap_path[WLANSIM_PCAP_PATH_MAX];  /* pcap=; "" without a tap */
};

/* The log type of net_wlansim, which the parser logs its errors with
 * (rte_eth_wlansim.c registers it). */
extern int wlansim_logtype;

/*
 * Parse @p params (NULL or "" for the defaults) into @p a, which is
 * entirely written. On a bad argument (unknown key, a value missing, out
 * of range or not a number, a key given twice) logs one error line of its
 * own ("net_wlansim: ...") and returns -EINVAL; else 0. Allocates nothing
 * that outlives the call.
 */
int wlansim_args_parse(const char *params, struct wlansim_args *a);

#endif
