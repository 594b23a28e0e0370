/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Every difference between the DPDK releases dot11tx supports (22.11,
 * 23.11, 24.11, 25.11), in one place, keyed on RTE_VERSION. Private to
 * dot11tx's own sources: the public headers never depend on the DPDK
 * version.
 *
 * The rules (docs/ARCHITECTURE.md, "DPDK versions"):
 * - Code is written against the newest API. Where only a name changed, an
 *   older DPDK gets the new name here, so the day a release leaves the
 *   support table its shim is deleted and no caller changes.
 * - Where a signature changed, a compat_ function here has one signature
 *   for every release, and callers use it.
 * - No RTE_VERSION test anywhere else; each block says which release
 *   changed what.
 * What only a driver needs (struct eth_dev_ops) is in dpdk_compat_driver.h.
 */
#ifndef D11TX_DPDK_COMPAT_H
#define D11TX_DPDK_COMPAT_H

#include <stdint.h>

#include <rte_kvargs.h>
#include <rte_net_crc.h>
#include <rte_telemetry.h>
#include <rte_version.h>

#define D11TX_DPDK_AT_LEAST(y, m) (RTE_VERSION >= RTE_VERSION_NUM(y, m, 0, 0))

/*
 * Telemetry: 23.03 renamed the unsigned value calls and type (the _u64
 * names were deprecated, then removed in 24.11).
 */
#if !D11TX_DPDK_AT_LEAST(23, 3)
#define RTE_TEL_UINT_VAL RTE_TEL_U64_VAL
#define rte_tel_data_add_dict_uint rte_tel_data_add_dict_u64
#define rte_tel_data_add_array_uint rte_tel_data_add_array_u64
#endif

/*
 * kvargs: since 24.03 rte_kvargs_process() refuses a key given without a
 * value without calling the handler, and rte_kvargs_process_opt() calls
 * it with a NULL value, as rte_kvargs_process() did before.
 */
#if !D11TX_DPDK_AT_LEAST(24, 3)
#define rte_kvargs_process_opt rte_kvargs_process
#endif

/*
 * CRC-32 of rte_net: since 25.03 rte_net_crc_set_alg() takes the CRC type
 * and returns a context (freed with rte_net_crc_free()) that
 * rte_net_crc_calc() takes; before, the algorithm was process-wide and
 * the type an argument of every call.
 */
#if D11TX_DPDK_AT_LEAST(25, 3)
typedef struct rte_net_crc compat_crc32;

/* A CRC-32/Ethernet context on @p alg (or the best one below it); NULL
 * when it cannot be allocated. */
static inline const compat_crc32 *
compat_crc32_eth_new(enum rte_net_crc_alg alg)
{
	return rte_net_crc_set_alg(alg, RTE_NET_CRC32_ETH);
}

static inline uint32_t
compat_crc32_calc(const compat_crc32 *ctx, const void *data, uint32_t len)
{
	return rte_net_crc_calc(ctx, data, len);
}
#else
/* No context before 25.03: a token stands in for one. */
typedef struct compat_crc32 { char unused; } compat_crc32;

static inline const compat_crc32 *
compat_crc32_eth_new(enum rte_net_crc_alg alg)
{
	static const compat_crc32 process_wide;

	rte_net_crc_set_alg(alg);
	return &process_wide;
}

static inline uint32_t
compat_crc32_calc(const compat_crc32 *ctx, const void *data, uint32_t len)
{
	(void)ctx;
	return rte_net_crc_calc(data, len, RTE_NET_CRC32_ETH);
}
#endif

/*
 * net_null's copy mode (devarg copy=N, N != 0): until 24.11 it freed what
 * it sent; since 25.03 (seen in 25.11.2) eth_null_copy_tx() keeps every
 * mbuf, so nothing ever frees them. The capability layer refuses such a
 * port rather than wait forever for completions.
 */
#define COMPAT_NET_NULL_COPY_KEEPS_MBUFS D11TX_DPDK_AT_LEAST(25, 3)

#endif
