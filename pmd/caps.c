/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The per-port capability layer: what the engine must do for each driver.
 * The facts come from the DPDK 22.11 sources of each PMD; the table says
 * only what rte_eth_dev_info cannot.
 */

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <rte_bus.h>
#include <rte_common.h>
#include <rte_dev.h>
#include <rte_ethdev.h>

#include "dot11tx/dot11tx_caps.h"

/* Multi-segment TX: as rte_eth_dev_info advertises, or handled although
 * not advertised. */
enum multi_seg {
	MS_ADVERTISED,
	MS_ALWAYS,
};

struct known_driver {
	const char *name;
	uint8_t cleanup;          /* enum d11tx_cleanup */
	uint8_t multi_seg;        /* enum multi_seg */
	bool peer_frees;
	bool tx_status;
};

/*
 * Software ports free (or hand off) each frame inside tx_burst; NIC ports
 * keep mbufs until a later burst finds their descriptors done, past a free
 * threshold, so an idle queue needs asking.
 */
static const struct known_driver known_drivers[] = {
	/* Ours: lazy frees, tx_done_cleanup, TX status per frame. */
	{ "net_wlansim", D11TX_CLEANUP_DONE_CLEANUP, MS_ADVERTISED, false, true },
	/* Frees in tx_burst; frees chains whole though it advertises
	 * nothing. */
	{ "net_null", D11TX_CLEANUP_NOT_NEEDED, MS_ALWAYS, false, false },
	/* Copies each frame (chains too, through rte_pktmbuf_read) into
	 * pcap_dump and frees it in tx_burst. */
	{ "net_pcap", D11TX_CLEANUP_NOT_NEEDED, MS_ALWAYS, false, false },
	/* Enqueues the mbufs to an rte_ring: whoever dequeues frees them,
	 * on its own thread, whenever it runs. */
	{ "net_ring", D11TX_CLEANUP_NONE, MS_ADVERTISED, true, false },
	/* Copy into the kernel's TX ring (af_packet) or a tap fd, then
	 * free: all inside tx_burst. */
	{ "net_af_packet", D11TX_CLEANUP_NOT_NEEDED, MS_ADVERTISED, false, false },
	{ "net_tap", D11TX_CLEANUP_NOT_NEEDED, MS_ADVERTISED, false, false },
	/* Copies into the guest's virtqueue and frees in tx_burst (which
	 * also implements tx_done_cleanup as a no-op). */
	{ "net_vhost", D11TX_CLEANUP_NOT_NEEDED, MS_ADVERTISED, false, false },
	/* Descriptor-ring NICs with tx_done_cleanup. */
	{ "net_ixgbe", D11TX_CLEANUP_DONE_CLEANUP, MS_ADVERTISED, false, false },
	{ "net_ixgbe_vf", D11TX_CLEANUP_DONE_CLEANUP, MS_ADVERTISED, false, false },
	{ "net_i40e", D11TX_CLEANUP_DONE_CLEANUP, MS_ADVERTISED, false, false },
	{ "net_i40e_vf", D11TX_CLEANUP_DONE_CLEANUP, MS_ADVERTISED, false, false },
	{ "net_ice", D11TX_CLEANUP_DONE_CLEANUP, MS_ADVERTISED, false, false },
	{ "net_ice_dcf", D11TX_CLEANUP_DONE_CLEANUP, MS_ADVERTISED, false, false },
	{ "net_iavf", D11TX_CLEANUP_DONE_CLEANUP, MS_ADVERTISED, false, false },
	{ "net_e1000_igb", D11TX_CLEANUP_DONE_CLEANUP, MS_ADVERTISED, false, false },
	{ "net_e1000_igb_vf", D11TX_CLEANUP_DONE_CLEANUP, MS_ADVERTISED, false, false },
	{ "net_igc", D11TX_CLEANUP_DONE_CLEANUP, MS_ADVERTISED, false, false },
	{ "net_ena", D11TX_CLEANUP_DONE_CLEANUP, MS_ADVERTISED, false, false },
	{ "net_hns3", D11TX_CLEANUP_DONE_CLEANUP, MS_ADVERTISED, false, false },
	{ "net_hns3_vf", D11TX_CLEANUP_DONE_CLEANUP, MS_ADVERTISED, false, false },
	{ "net_txgbe", D11TX_CLEANUP_DONE_CLEANUP, MS_ADVERTISED, false, false },
	{ "net_ngbe", D11TX_CLEANUP_DONE_CLEANUP, MS_ADVERTISED, false, false },
	/* No tx_done_cleanup, and an empty burst returns before looking at
	 * completions: an idle queue keeps its frames until more traffic
	 * or a stop. */
	{ "mlx5_pci", D11TX_CLEANUP_NONE, MS_ADVERTISED, false, false },
	/* No tx_done_cleanup; the TX burst frees used descriptors before
	 * it looks at nb_pkts, so an empty burst reclaims. */
	{ "net_virtio", D11TX_CLEANUP_EMPTY_BURST, MS_ADVERTISED, false, false },
	{ "net_virtio_user", D11TX_CLEANUP_EMPTY_BURST, MS_ADVERTISED, false, false },
};

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

int
d11tx_port_caps_get(uint16_t port_id, struct d11tx_port_caps *caps)
{
	struct rte_eth_dev_info info;
	const struct known_driver *k = NULL;

	if (caps == NULL || !rte_eth_dev_is_valid_port(port_id) ||
	    rte_eth_dev_info_get(port_id, &info) != 0)
		return -EINVAL;
	memset(caps, 0, sizeof(*caps));
	snprintf(caps->driver_name, sizeof(caps->driver_name), "%s",
		 info.driver_name != NULL ? info.driver_name : "");
	for (size_t i = 0; i < RTE_DIM(known_drivers); i++)
		if (strcmp(caps->driver_name, known_drivers[i].name) == 0)
			k = &known_drivers[i];
	caps->dma = device_does_dma(&info);
	caps->fast_free = (info.tx_offload_capa & RTE_ETH_TX_OFFLOAD_MBUF_FAST_FREE) != 0;
	caps->multi_seg = (info.tx_offload_capa & RTE_ETH_TX_OFFLOAD_MULTI_SEGS) != 0;
	if (k == NULL) {
		caps->cleanup = D11TX_CLEANUP_PROBE;
		return 0;
	}
	caps->known = true;
	caps->cleanup = k->cleanup;
	caps->multi_seg |= k->multi_seg == MS_ALWAYS;
	caps->peer_frees = k->peer_frees;
	caps->tx_status = k->tx_status;
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
