/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The per-port capability layer: what the engine must do for each driver.
 * The facts come from the DPDK 22.11 sources of each PMD, checked against
 * 23.11, 24.11 and 25.11; the table says only what rte_eth_dev_info
 * cannot. Where a fact depends on the release, dpdk_compat.h says so.
 */

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <stdlib.h>

#include <rte_bus.h>
#include <rte_common.h>
#include <rte_dev.h>
#include <rte_devargs.h>
#include <rte_ethdev.h>
#include <rte_kvargs.h>

#include "dot11tx/dot11tx_caps.h"
#include "dpdk_compat.h"

/* Multi-segment TX: as rte_eth_dev_info advertises, handled although not
 * advertised, or broken whatever it says. */
enum multi_seg {
	MS_ADVERTISED,
	MS_ALWAYS,
	MS_NEVER,
};

/* Flags of a known driver. */
#define PEER_FREES       (1u << 0) /* another thread frees what it sends */
#define TX_STATUS        (1u << 1) /* writes D11TX_TX_STATUS_DYNFIELD */
/* tx_done_cleanup is safe only on the scalar TX path, which the port gets
 * when MULTI_SEGS is enabled; on vector paths it must not be called. */
#define CLEANUP_SCALAR   (1u << 2)
/* The hardware returns buffers to their pool itself: no software free,
 * so no way to learn that a frame is done. */
#define HW_FREES         (1u << 3)
#define TX_PARAMS        (1u << 4) /* reads D11TX_TX_PARAMS_DYNFIELD */

/* Drivers that share the same facts, by registered name. */
#define CLASS_NAMES_MAX 12

struct driver_class {
	uint8_t cleanup;          /* enum d11tx_cleanup */
	uint8_t multi_seg;        /* enum multi_seg */
	uint8_t flags;
	const char *names[CLASS_NAMES_MAX];
};

/*
 * From the DPDK 22.11 sources of each PMD, checked against 23.11, 24.11
 * and 25.11 (driver names, tx_done_cleanup and its TX paths). Software
 * ports free (or hand off) each frame inside tx_burst. NIC ports keep
 * mbufs after the NIC is done: Intel's full TX paths (ixgbe, i40e, ice,
 * iavf, txgbe, ngbe, igb, igc, em) and mlx4 until the descriptor slot is
 * reused, about one ring of traffic later, so an idle queue never
 * releases them unless asked with tx_done_cleanup. An empty tx_burst
 * reclaims on a few PMDs only; on most (virtio, mlx5, every Intel vector
 * path) it returns before looking.
 */
static const struct driver_class classes[] = {
	/* Ours: lazy frees, tx_done_cleanup, TX status per frame. */
	{ D11TX_CLEANUP_DONE_CLEANUP, MS_ADVERTISED, TX_STATUS | TX_PARAMS, { "net_wlansim" } },
	/* Free in tx_burst, chains whole, whatever they advertise: net_null
	 * (MULTI_SEGS since 25.11, nothing before; not in copy mode since
	 * 25.03, null_copy_keeps_mbufs()), and net_pcap, which copies each
	 * frame (chains through rte_pktmbuf_read, up to 16128 bytes) into
	 * pcap_dump or the interface. */
	{ D11TX_CLEANUP_NOT_NEEDED, MS_ALWAYS, 0, { "net_null", "net_pcap" } },
	/* Enqueues the mbufs to an rte_ring: whoever dequeues frees them,
	 * on its own thread, whenever it runs. */
	{ D11TX_CLEANUP_NONE, MS_ADVERTISED, PEER_FREES, { "net_ring" } },
	/* Copy into the kernel's ring, a tap fd or the guest, then free:
	 * all inside tx_burst. */
	{ D11TX_CLEANUP_NOT_NEEDED, MS_ADVERTISED, 0,
	  { "net_af_packet", "net_tap", "net_tun", "net_vhost" } },
	/* Zero-copy: freed when the kernel completes, on any later burst,
	 * empty ones included. Reads only the first segment of a chain. */
	{ D11TX_CLEANUP_EMPTY_BURST, MS_NEVER, 0, { "net_af_xdp" } },
	/* Zero-copy frees on any burst; memif's copy mode frees in
	 * tx_burst. */
	{ D11TX_CLEANUP_EMPTY_BURST, MS_ADVERTISED, 0, { "net_memif", "net_vmxnet3" } },
	/* tx_done_cleanup on the scalar paths; the vector paths answer
	 * -ENOTSUP (and then nothing can release an idle queue). */
	{ D11TX_CLEANUP_DONE_CLEANUP, MS_ADVERTISED, 0,
	  { "net_ixgbe", "net_ixgbe_vf", "net_i40e", "net_ice", "net_ice_dcf",
	    "net_hns3", "net_hns3_vf", "net_e1000_igb", "net_e1000_igb_vf",
	    "net_igc", "net_ena", "net_netvsc" } },
	/* Their cleanup runs the scalar code whatever the TX path, which
	 * would free mbufs still in use on a vector path: iavf (i40e's VFs
	 * too; still so in 25.11), and txgbe and ngbe since 24.07 gave them
	 * vector TX paths (on 22.11 and 23.11 the scalar path is the only
	 * one anyway). ngbe's VF driver is new in 25.03. */
	{ D11TX_CLEANUP_DONE_CLEANUP, MS_ADVERTISED, CLEANUP_SCALAR,
	  { "net_iavf", "net_txgbe", "net_txgbe_vf", "net_ngbe", "net_ngbe_vf" } },
	/* No tx_done_cleanup, and an empty burst returns first (virtio,
	 * mlx5, axgbe) or frees nothing (em, mlx4, bnxt below its own
	 * threshold): an idle queue keeps its frames until more traffic or
	 * a stop, which completes them as DROPPED. */
	{ D11TX_CLEANUP_NONE, MS_ADVERTISED, 0,
	  { "net_virtio", "net_virtio_user", "mlx5_pci", "mlx5_auxiliary",
	    "net_mlx4", "net_e1000_em", "net_bnxt", "net_axgbe" } },
	/* The NIX hardware frees to its pool after DMA, and the driver drops
	 * extra references at enqueue: completions cannot be observed. Its
	 * tx_done_cleanup is a no-op that says 0. cn20k is new in 24.11. */
	{ D11TX_CLEANUP_NONE, MS_ADVERTISED, HW_FREES,
	  { "net_cn9k", "net_cn10k", "net_cn20k" } },
};

/* The class of driver @p name, or NULL when the table does not know it. */
static const struct driver_class *
driver_class(const char *name)
{
	for (size_t c = 0; c < RTE_DIM(classes); c++)
		for (size_t i = 0; i < CLASS_NAMES_MAX && classes[c].names[i] != NULL; i++)
			if (strcmp(name, classes[c].names[i]) == 0)
				return &classes[c];
	return NULL;
}

bool
d11tx_port_multi_seg_enabled(uint16_t port_id, uint16_t queue_id)
{
	struct rte_eth_conf conf;
	struct rte_eth_txq_info qinfo;

	if (rte_eth_dev_conf_get(port_id, &conf) == 0 &&
	    (conf.txmode.offloads & RTE_ETH_TX_OFFLOAD_MULTI_SEGS))
		return true;
	return rte_eth_tx_queue_info_get(port_id, queue_id, &qinfo) == 0 &&
	       (qinfo.conf.offloads & RTE_ETH_TX_OFFLOAD_MULTI_SEGS);
}

static bool
device_does_dma(const struct rte_eth_dev_info *info)
{
	const struct rte_bus *bus;

	if (info->device == NULL)
		return false;
	bus = rte_dev_bus(info->device);
	/* Virtual devices are software that reads frames through their
	 * virtual address. Every other bus means a device that DMAs. */
	return bus != NULL && strcmp(rte_bus_name(bus), "vdev") != 0;
}

/* Whether @p info's device is a net_null in copy mode (copy=N, N != 0),
 * on a DPDK whose copy mode keeps the mbufs it sends. */
static bool
null_copy_keeps_mbufs(const struct rte_eth_dev_info *info)
{
	const struct rte_devargs *da;
	struct rte_kvargs *kv;
	const char *copy;
	bool keeps;

	if (!COMPAT_NET_NULL_COPY_KEEPS_MBUFS || info->device == NULL ||
	    (da = rte_dev_devargs(info->device)) == NULL || da->args == NULL ||
	    (kv = rte_kvargs_parse(da->args, NULL)) == NULL)
		return false;
	copy = rte_kvargs_get(kv, "copy");
	keeps = copy != NULL && strtoul(copy, NULL, 0) != 0;
	rte_kvargs_free(kv);
	return keeps;
}

int
d11tx_port_caps_get(uint16_t port_id, struct d11tx_port_caps *caps)
{
	struct rte_eth_dev_info info;
	const struct driver_class *k;

	if (caps == NULL || !rte_eth_dev_is_valid_port(port_id) ||
	    rte_eth_dev_info_get(port_id, &info) != 0)
		return -EINVAL;
	memset(caps, 0, sizeof(*caps));
	snprintf(caps->driver_name, sizeof(caps->driver_name), "%s",
		 info.driver_name != NULL ? info.driver_name : "");
	k = driver_class(caps->driver_name);
	caps->dma = device_does_dma(&info);
	caps->fast_free = (info.tx_offload_capa & RTE_ETH_TX_OFFLOAD_MBUF_FAST_FREE) != 0;
	caps->multi_seg = (info.tx_offload_capa & RTE_ETH_TX_OFFLOAD_MULTI_SEGS) != 0;
	if (k == NULL) {
		caps->cleanup = D11TX_CLEANUP_PROBE;
		return 0;
	}
	caps->known = true;
	caps->cleanup = k->cleanup;
	if (k->multi_seg == MS_ALWAYS)
		caps->multi_seg = true;
	else if (k->multi_seg == MS_NEVER)
		caps->multi_seg = false;
	caps->peer_frees = (k->flags & PEER_FREES) != 0;
	caps->tx_status = (k->flags & TX_STATUS) != 0;
	caps->tx_params = (k->flags & TX_PARAMS) != 0;
	caps->unobservable = (k->flags & HW_FREES) != 0 ||
		(strcmp(caps->driver_name, "net_null") == 0 && null_copy_keeps_mbufs(&info));
	if ((k->flags & CLEANUP_SCALAR) && !d11tx_port_multi_seg_enabled(port_id, 0))
		caps->cleanup = D11TX_CLEANUP_NONE;
	return 0;
}

const char *
d11tx_cleanup_name(unsigned int cleanup)
{
	static const char *const names[] = {
		[D11TX_CLEANUP_NOT_NEEDED] = "not_needed",
		[D11TX_CLEANUP_DONE_CLEANUP] = "done_cleanup",
		[D11TX_CLEANUP_EMPTY_BURST] = "empty_burst",
		[D11TX_CLEANUP_NONE] = "none",
		[D11TX_CLEANUP_PROBE] = "probe",
	};

	return cleanup < RTE_DIM(names) ? names[cleanup] : "unknown";
}

int
d11tx_port_configure(uint16_t port_id, uint16_t nb_tx_queues,
		     uint16_t nb_tx_desc, int socket_id)
{
	struct rte_eth_conf conf = { 0 };
	struct rte_eth_dev_info info;
	struct rte_eth_txconf txconf;
	int ret;

	if (!rte_eth_dev_is_valid_port(port_id) || nb_tx_queues == 0)
		return -EINVAL;
	ret = rte_eth_dev_info_get(port_id, &info);
	if (ret != 0)
		return ret;
	if (nb_tx_queues > info.max_tx_queues)
		return -EINVAL;
	if (socket_id < 0)
		socket_id = rte_eth_dev_socket_id(port_id);
	conf.txmode.offloads = info.tx_offload_capa & RTE_ETH_TX_OFFLOAD_MULTI_SEGS;
	ret = rte_eth_dev_configure(port_id, 0, nb_tx_queues, &conf);
	if (ret != 0)
		return ret;
	txconf = info.default_txconf;
	txconf.offloads &= ~RTE_ETH_TX_OFFLOAD_MBUF_FAST_FREE;
	txconf.offloads |= conf.txmode.offloads;
	for (uint16_t i = 0; i < nb_tx_queues; i++) {
		ret = rte_eth_tx_queue_setup(port_id, i, nb_tx_desc,
					     (unsigned int)socket_id, &txconf);
		if (ret != 0)
			return ret;
	}
	return rte_eth_dev_start(port_id);
}
