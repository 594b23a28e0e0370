/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef D11TX_GEN_PROMETHEUS_H
#define D11TX_GEN_PROMETHEUS_H

/*
 * dot11tx-gen's built-in Prometheus endpoint (prometheus.c): the
 * telemetry figures as metrics named as the dpdk-telemetry-exporter
 * module tools/telemetry/dot11tx.py names them.
 */

#include <stddef.h>
#include <stdint.h>

#include "gen.h"

/* Default address of --prometheus: this host only. */
#define GEN_PROM_DEFAULT_BIND "127.0.0.1"

/* The metrics page now, in a malloc()ed *out of *len bytes.
 * 0 or -ENOMEM. */
int gen_prom_render(const struct gen_tel_info *tel, char **out, size_t *len);

/* Listen on @p bind_addr (IPv4 or IPv6) port @p port and answer
 * GET /metrics from a thread of its own until gen_prom_stop().
 * 0, or a negative errno with one line in @p err. */
int gen_prom_start(const struct gen_tel_info *tel, const char *bind_addr, uint16_t port,
		   char *err, size_t errlen);

void gen_prom_stop(void);

#endif
