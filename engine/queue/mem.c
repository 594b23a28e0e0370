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

int
d11tx_region_lookup_slow(const struct d11tx_queue *q, uintptr_t addr, uint32_t len,
		   uint8_t *hint, uint32_t *gen)
{
	const uint8_t slots = __atomic_load_n(&q->region_slots, __ATOMIC_ACQUIRE);

	for (uint8_t i = 0; i < slots; i++)
		if (region_holds(&q->regions[i], addr, len, gen)) {
			*hint = i;
			return i;
		}
	return -1;
}

/*
 * Map a region for a device that DMAs. The region must cover whole pages,
 * as an AF_XDP UMEM must: rte_extmem_register() takes page-aligned spans,
 * and a page shared by two regions could not be unmapped with one of them.
 */
static int
dma_map(struct d11tx_queue *q, struct region *r)
{
	struct rte_eth_dev_info info;
	const size_t page = (size_t)sysconf(_SC_PAGESIZE);
	int ret;

	if (r->base % page != 0 || r->len % page != 0)
		return -EINVAL;
	/* The device reads the frame at its IOVA, which the engine gives
	 * as the virtual address: that holds only in IOVA-as-VA mode. */
	if (rte_eal_iova_mode() != RTE_IOVA_VA)
		return -ENOTSUP;
	ret = rte_eth_dev_info_get(q->port_id, &info);
	if (ret != 0)
		return ret;
	if (fi_extmem_register((void *)r->base, r->len, NULL, 0, page) != 0)
		return -rte_errno;
	if (fi_dev_dma_map(info.device, (void *)r->base, r->base, r->len) != 0) {
		ret = -rte_errno;
		rte_extmem_unregister((void *)r->base, r->len);
		return ret;
	}
	r->dma_mapped = true;
	return 0;
}

/* @p len: the region's length, which unregister has already cleared in
 * the slot. */
static void
dma_unmap(struct d11tx_queue *q, struct region *r, size_t len)
{
	struct rte_eth_dev_info info;

	if (!r->dma_mapped)
		return;
	if (rte_eth_dev_info_get(q->port_id, &info) == 0)
		rte_dev_dma_unmap(info.device, (void *)r->base, r->base, len);
	rte_extmem_unregister((void *)r->base, len);
	r->dma_mapped = false;
}

int
d11tx_mem_register(struct d11tx_queue *q, void *addr, size_t len)
{
	const uintptr_t base = (uintptr_t)addr;
	struct region *slot = NULL;
	struct region staged;
	uint8_t i;
	int ret;

	ret = control_guard(q);
	if (ret != 0)
		return ret;
	if (addr == NULL || len == 0 || base + len < base)
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
	staged = (struct region){ .base = base, .len = len };
	if (q->caps.dma) {
		ret = dma_map(q, &staged);
		if (ret != 0)
			return ret;
	}
	/* Publish: everything else first, the length last, so that a
	 * producer that sees the length sees the rest. pipe_pending is not
	 * touched: a producer backing out of the old registration may still
	 * subtract from it. */
	slot->inflight = 0;
	slot->dma_mapped = staged.dma_mapped;
	__atomic_store_n(&slot->base, staged.base, __ATOMIC_RELEASE);
	__atomic_store_n(&slot->len, staged.len, __ATOMIC_RELEASE);
	if (slot == &q->regions[q->region_slots])
		__atomic_store_n(&q->region_slots, q->region_slots + 1,
				 __ATOMIC_RELEASE);
	return 0;
}

int
d11tx_mem_unregister(struct d11tx_queue *q, void *addr)
{
	const int ret = control_guard(q);

	if (ret != 0)
		return ret;
	if (addr == NULL)
		return -EINVAL;
	for (uint8_t i = 0; i < q->region_slots; i++) {
		struct region *r = &q->regions[i];
		const size_t len = r->len;

		if (len == 0 || r->base != (uintptr_t)addr)
			continue;
		if (r->inflight != 0)
			return -EBUSY;
		/* Dekker with the producers (see struct client): take the
		 * region away, then look for frames they counted in it. */
		__atomic_store_n(&r->len, 0, __ATOMIC_SEQ_CST);
		if (__atomic_load_n(&r->pipe_pending, __ATOMIC_SEQ_CST) != 0) {
			__atomic_store_n(&r->len, len, __ATOMIC_RELEASE);
			return -EBUSY;
		}
		__atomic_fetch_add(&r->gen, 1, __ATOMIC_SEQ_CST);
		dma_unmap(q, r, len);
		return 0;
	}
	return -ENOENT;
}

void
d11tx_regions_release_all(struct d11tx_queue *q)
{
	for (uint8_t i = 0; i < q->region_slots; i++)
		dma_unmap(q, &q->regions[i], q->regions[i].len);
}

bool
d11tx_mem_contains(const struct d11tx_queue *q, const void *addr, size_t len)
{
	uint8_t hint = 0;
	uint32_t gen;

	if (q == NULL || addr == NULL || len == 0 || len > UINT32_MAX)
		return false;
	return region_lookup(q, (uintptr_t)addr, (uint32_t)len, &hint, &gen) >= 0;
}
