/* SPDX-License-Identifier: BSD-3-Clause */
/* Registered app memory: the regions zero-copy frames must lie in. */

#include <string.h>
#include <unistd.h>

#include <rte_bus.h>
#include <rte_dev.h>
#include <rte_eal.h>
#include <rte_ethdev.h>
#include <rte_memory.h>

#include "internal.h"

bool
port_needs_dma_map(uint16_t port_id)
{
	struct rte_eth_dev_info info;
	const struct rte_bus *bus;

	if (rte_eth_dev_info_get(port_id, &info) != 0 || info.device == NULL)
		return false;
	bus = rte_dev_bus(info.device);
	/* Virtual devices are software: they read frames through their
	 * virtual address. Every other bus means a device that DMAs. */
	return bus != NULL && strcmp(rte_bus_name(bus), "vdev") != 0;
}

int
region_lookup_slow(struct d11tx_queue *q, uintptr_t addr, uint32_t len)
{
	for (uint8_t i = 0; i < q->region_slots; i++) {
		const struct region *r = &q->regions[i];
		const uintptr_t off = addr - r->base;

		if (off < r->len && len <= r->len - off) {
			q->region_hint = i;
			return i;
		}
	}
	return -1;
}

static int
dma_map(struct d11tx_queue *q, struct region *r)
{
	struct rte_eth_dev_info info;
	const size_t page = (size_t)sysconf(_SC_PAGESIZE);
	int ret;

	/* The device reads the frame at its IOVA, which the engine gives
	 * as the virtual address: that holds only in IOVA-as-VA mode. */
	if (rte_eal_iova_mode() != RTE_IOVA_VA)
		return -ENOTSUP;
	ret = rte_eth_dev_info_get(q->port_id, &info);
	if (ret != 0)
		return ret;
	r->map_base = RTE_ALIGN_FLOOR(r->base, page);
	r->map_len = RTE_ALIGN_CEIL(r->base + r->len, page) - r->map_base;
	if (rte_extmem_register((void *)r->map_base, r->map_len, NULL, 0,
				page) != 0)
		return -rte_errno;
	if (rte_dev_dma_map(info.device, (void *)r->map_base, r->map_base,
			    r->map_len) != 0) {
		ret = -rte_errno;
		rte_extmem_unregister((void *)r->map_base, r->map_len);
		return ret;
	}
	r->dma_mapped = true;
	return 0;
}

static void
dma_unmap(struct d11tx_queue *q, struct region *r)
{
	struct rte_eth_dev_info info;

	if (!r->dma_mapped)
		return;
	if (rte_eth_dev_info_get(q->port_id, &info) == 0)
		rte_dev_dma_unmap(info.device, (void *)r->map_base,
				  r->map_base, r->map_len);
	rte_extmem_unregister((void *)r->map_base, r->map_len);
	r->dma_mapped = false;
}

int
d11tx_mem_register(struct d11tx_queue *q, void *addr, size_t len)
{
	const uintptr_t base = (uintptr_t)addr;
	struct region *slot = NULL;
	uint8_t i;
	int ret;

	if (q == NULL || addr == NULL || len == 0 || base + len < base)
		return -EINVAL;
	for (i = 0; i < q->region_slots; i++) {
		struct region *r = &q->regions[i];

		if (r->len == 0) {
			if (slot == NULL)
				slot = r;
			continue;
		}
		/* Two half-open spans overlap when each starts before the
		 * other ends. */
		if (base < r->base + r->len && r->base < base + len)
			return -EEXIST;
	}
	if (slot == NULL) {
		if (q->region_slots == D11TX_MAX_REGIONS)
			return -ENOSPC;
		slot = &q->regions[q->region_slots];
	}
	*slot = (struct region){ .base = base, .len = len };
	if (q->needs_dma_map) {
		ret = dma_map(q, slot);
		if (ret != 0) {
			slot->len = 0;
			return ret;
		}
	}
	if (slot == &q->regions[q->region_slots])
		q->region_slots++;
	return 0;
}

int
d11tx_mem_unregister(struct d11tx_queue *q, void *addr)
{
	if (q == NULL)
		return -EINVAL;
	for (uint8_t i = 0; i < q->region_slots; i++) {
		struct region *r = &q->regions[i];

		if (r->len == 0 || r->base != (uintptr_t)addr)
			continue;
		if (r->inflight != 0)
			return -EBUSY;
		dma_unmap(q, r);
		/* An empty slot has len 0, so the lookup never matches it. */
		r->len = 0;
		r->base = 0;
		return 0;
	}
	return -ENOENT;
}

void
regions_release_all(struct d11tx_queue *q)
{
	for (uint8_t i = 0; i < q->region_slots; i++)
		dma_unmap(q, &q->regions[i]);
}
