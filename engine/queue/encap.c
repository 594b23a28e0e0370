/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The Ethernet layout (Dot11ExtSendPacket's buffers) on the control side:
 * the adapter whose 802.11 header templates a queue builds once, the
 * radiotap header in front of its frames, and the split of a burst over
 * the four access-category queues. The frames themselves are built in
 * submit.c.
 */

#include <errno.h>
#include <string.h>

#include <rte_errno.h>
#include <rte_ethdev.h>
#include <rte_malloc.h>
#include <rte_mbuf_dyn.h>

#include "internal.h"

/*
 * Will the queue send a frame of two segments? The port's capabilities say
 * whether its PMD sends chains at all; a PMD that advertises MULTI_SEGS
 * also needs it enabled on the port or the queue, not merely offered:
 * without it NIC PMDs pick a single-segment path.
 */
static bool
queue_sends_chains(const struct d11tx_queue *q)
{
	struct rte_eth_dev_info info;

	if (!q->caps.multi_seg)
		return false;
	if (rte_eth_dev_info_get(q->port_id, &info) != 0)
		return false;
	if (!(info.tx_offload_capa & RTE_ETH_TX_OFFLOAD_MULTI_SEGS))
		return true;       /* handles chains without advertising it */
	return d11tx_port_multi_seg_enabled(q->port_id, q->queue_id);
}

int
d11tx_queue_set_adapter(struct d11tx_queue *q,
			const struct d11tx_dot11_adapter *a, uint32_t flags)
{
	const int ret = control_guard(q);

	if (ret != 0)
		return ret;
	if (a == NULL || a->role > D11TX_DOT11_ADHOC)
		return -EINVAL;
	if (!queue_sends_chains(q))
		return -ENOTSUP;
	/* Placeholders: every frame patches its own DA and EtherType. */
	static const uint8_t no_da[D11TX_DOT11_ETH_PREFIX] = { [6] = 0x08 };

	if (d11tx_dot11_encap(a, no_da, -1, q->encap_tmpl[0]) < 0 ||
	    d11tx_dot11_encap(a, no_da, 0, q->encap_tmpl[1]) < 0)
		return -EINVAL;
	/* The DA is Address 3 from a station, Address 1 otherwise. */
	q->encap_da_offset = a->role == D11TX_DOT11_STATION ? 16 : 4;
	q->assign_seq = flags & D11TX_ADAPTER_ASSIGN_SEQ;
	/* The sequence counters go on across a change of addresses: the
	 * receivers' windows do not restart. */
	q->has_adapter = true;
	return 0;
}

int d11tx_txp_field_offset = -1;
uint64_t d11tx_txp_flag;

/* The TX parameter field and flag, registered once (a WLAN-aware PMD may
 * have registered them already). */
static int
txp_register(void)
{
	if (d11tx_txp_field_offset >= 0)
		return 0;
	return d11tx_dot11_txp_dyn_register(&d11tx_txp_field_offset, &d11tx_txp_flag);
}

/* The radiotap header of a frame with set @p p on a queue whose header
 * is @p base: the set's rate, NOACK and retry limit over the queue's
 * fields. Returns its length, 0 when @p base is NULL (no header). */
static int
txp_radiotap(const struct d11tx_radiotap_tx *base, const struct d11tx_tx_params *p,
	     uint8_t *buf)
{
	struct d11tx_radiotap_tx rt;
	int ret;

	if (base == NULL)
		return 0;
	rt = *base;
	if (p->rate.phy != D11TX_PHY_DEFAULT) {
		ret = d11tx_radiotap_set_rate(&rt, &p->rate);
		if (ret < 0)
			return ret;
	}
	if (p->flags & D11TX_TXP_NO_ACK)
		rt.tx_flags |= D11TX_RADIOTAP_TX_NOACK;
	if (p->flags & D11TX_TXP_RETRY_LIMIT) {
		rt.retries = true;
		rt.data_retries = p->retry_limit;
	}
	return d11tx_radiotap_build(&rt, buf, D11TX_RADIOTAP_MAX);
}

/* Rebuild the radiotap headers of every set after the queue's changed. */
static int
txp_rebuild(struct d11tx_queue *q, const struct d11tx_radiotap_tx *base)
{
	uint8_t buf[D11TX_RADIOTAP_MAX];

	if (q->txp == NULL)
		return 0;
	/* Check all first: a header that cannot be built changes none. */
	for (unsigned int i = 1; i < D11TX_TX_PARAMS_SLOTS; i++)
		if (q->txp[i].set && txp_radiotap(base, &q->txp[i].params, buf) < 0)
			return -EINVAL;
	for (unsigned int i = 1; i < D11TX_TX_PARAMS_SLOTS; i++) {
		struct txp_slot *t = &q->txp[i];

		if (t->set)
			t->rt_len = (uint8_t)txp_radiotap(base, &t->params, t->rt);
	}
	return 0;
}

/* Whether a slot holds a set. */
static bool
txp_any_set(const struct d11tx_queue *q)
{
	for (unsigned int i = 1; q->txp != NULL && i < D11TX_TX_PARAMS_SLOTS; i++)
		if (q->txp[i].set)
			return true;
	return false;
}

int
d11tx_queue_set_radiotap(struct d11tx_queue *q, const struct d11tx_radiotap_tx *rt)
{
	uint8_t buf[D11TX_RADIOTAP_MAX];
	int len = control_guard(q);

	if (len != 0)
		return len;
	if (rt == NULL) {
		/* Sets that only the header carries. */
		if (!q->caps.tx_params && txp_any_set(q))
			return -EBUSY;
		txp_rebuild(q, NULL);
		q->radiotap_len = 0;
		q->append_fcs = false;
		return 0;
	}
	len = d11tx_radiotap_build(rt, buf, sizeof(buf));
	if (len < 0)
		return len;
	/* App frames naming a set would then go as two segments. */
	if (txp_any_set(q) && !queue_sends_chains(q))
		return -ENOTSUP;
	if (txp_rebuild(q, rt) != 0)
		return -EINVAL;
	memcpy(q->radiotap, buf, (size_t)len);
	q->radiotap_len = (uint8_t)len;
	q->radiotap_conf = *rt;
	q->append_fcs = rt->flags & D11TX_RADIOTAP_F_FCS;
	return 0;
}

int
d11tx_tx_params_check(const struct d11tx_tx_params *p)
{
	if (p == NULL || d11tx_tx_rate_check(&p->rate) != 0 || p->reserved != 0 ||
	    (p->flags & ~(D11TX_TXP_NO_ACK | D11TX_TXP_RETRY_LIMIT)) != 0)
		return -EINVAL;
	if (p->flags & D11TX_TXP_RETRY_LIMIT) {
		/* A frame sent once has no retries to limit. */
		if (p->flags & D11TX_TXP_NO_ACK)
			return -EINVAL;
		if (p->retry_limit > D11TX_TX_MAX_RETRY_LIMIT)
			return -ERANGE;
	} else if (p->retry_limit != 0) {
		return -EINVAL;
	}
	return 0;
}

int
d11tx_queue_set_tx_params(struct d11tx_queue *q, unsigned int slot,
			  const struct d11tx_tx_params *p)
{
	struct txp_slot t = { .set = true };
	int ret = control_guard(q);

	if (ret != 0)
		return ret;
	if (slot == 0 || slot >= D11TX_TX_PARAMS_SLOTS)
		return -EINVAL;
	if (p == NULL) {
		if (q->txp != NULL)
			q->txp[slot].set = false;
		return 0;
	}
	ret = d11tx_tx_params_check(p);
	if (ret != 0)
		return ret;
	/* The PMD reads the set, or a radiotap header carries it: in front
	 * of an app frame, a segment of its own. */
	if ((!q->caps.tx_params && q->radiotap_len == 0) ||
	    (q->radiotap_len != 0 && !queue_sends_chains(q)))
		return -ENOTSUP;
	ret = txp_radiotap(q->radiotap_len != 0 ? &q->radiotap_conf : NULL, p, t.rt);
	if (ret < 0)
		return ret;
	t.rt_len = (uint8_t)ret;
	t.params = *p;
	ret = txp_register();
	if (ret != 0)
		return ret;
	if (q->txp == NULL) {
		/* On the owner thread's socket, which reads it. */
		q->txp = fi_zmalloc_socket(NULL, D11TX_TX_PARAMS_SLOTS * sizeof(*q->txp),
					   RTE_CACHE_LINE_SIZE, (int)rte_socket_id());
		if (q->txp == NULL)
			return -ENOMEM;
	}
	q->txp[slot] = t;
	return 0;
}

uint32_t
d11tx_queue_eth_max_len(const struct d11tx_queue *q, int tid)
{
	uint32_t room;

	if (q == NULL || tid < -1 || tid > 7 || !q->has_adapter)
		return 0;
	room = eth_room(q, tid >= 0);
	return room == 0 ? 0 : room - 1 + D11TX_DOT11_ETH_PREFIX;
}

/* The TX queue of an Ethernet-style frame's access category. */
static inline uint16_t
eth_frame_queue(const struct d11tx_eth_frame *f)
{
	return f->tid < 0 ? d11tx_dot11_ac_to_queue(D11TX_AC_BE)
			  : d11tx_dot11_ac_to_queue(d11tx_dot11_tid_to_ac((uint8_t)f->tid));
}

uint16_t
d11tx_send_eth_burst_ac(struct d11tx_queue *const qs[4],
			const struct d11tx_eth_frame *frames, uint16_t n)
{
	uint16_t done = 0;

	while (done < n) {
		const uint16_t qi = eth_frame_queue(&frames[done]);
		uint16_t run = 1, taken;

		while (done + run < n && eth_frame_queue(&frames[done + run]) == qi)
			run++;
		if (unlikely(qs == NULL || qs[qi] == NULL)) {
			rte_errno = EINVAL;
			break;
		}
		taken = d11tx_send_eth_burst(qs[qi], &frames[done], run);
		done += taken;
		if (taken < run)
			break;
	}
	return done;
}
