/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The DPDK version differences of the driver interface (ethdev_driver.h),
 * for net_wlansim; the rules are those of dpdk_compat.h.
 */
#ifndef D11TX_DPDK_COMPAT_DRIVER_H
#define D11TX_DPDK_COMPAT_DRIVER_H

#include <ethdev_driver.h>

#include "dpdk_compat.h"

/*
 * eth_dev_ops.stats_get: since 25.11 the per-queue counters are no longer
 * in struct rte_eth_stats but in a struct eth_queue_stats of their own,
 * passed beside it, and NULL when nobody asked for them. A driver declares
 *     static int f(COMPAT_STATS_GET_PARAMS(dev, stats, qstats))
 * and fills the q_ arrays of COMPAT_QUEUE_STATS(stats, qstats) when that
 * is not NULL; before 25.11 it is @p stats itself.
 */
#if D11TX_DPDK_AT_LEAST(25, 11)
typedef struct eth_queue_stats compat_eth_queue_stats;
#define COMPAT_STATS_GET_PARAMS(dev, stats, qstats) \
	struct rte_eth_dev *dev, struct rte_eth_stats *stats, \
	compat_eth_queue_stats *qstats
#define COMPAT_QUEUE_STATS(stats, qstats) (qstats)
#else
typedef struct rte_eth_stats compat_eth_queue_stats;
#define COMPAT_STATS_GET_PARAMS(dev, stats, qstats) \
	struct rte_eth_dev *dev, struct rte_eth_stats *stats
#define COMPAT_QUEUE_STATS(stats, qstats) (stats)
#endif

#endif
