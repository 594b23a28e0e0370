/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Submission on the owner thread: app-owned frames attached zero-copy as
 * external buffers, engine-owned buffers filled in place. Pipelined
 * submission from other threads is in pipe.c.
 */

#include <rte_branch_prediction.h>
#include <rte_errno.h>
#include <string.h>

#include <rte_ethdev.h>

#include "internal.h"

void
d11tx_app_buffer_release(void *addr __rte_unused, void *opaque __rte_unused)
{
}

/*
 * The FIFO as a submit loop sees it, loaded once per call: through q,
 * every field would be reloaded for every frame, since the stores into
 * the FIFO and the mbufs may alias it.
 */
struct fifo_view {
	struct rte_mbuf **mbuf;
	void **handle;
	uint16_t *client;
	uint8_t *region;
	uint32_t head;
	uint32_t mask;
	int dyn_off;
	bool tracked;
};

static inline void
fifo_view_load(const struct d11tx_queue *q, struct fifo_view *v)
{
	*v = (struct fifo_view){
		.mbuf = q->fifo_mbuf, .handle = q->fifo_handle,
		.client = q->fifo_client, .region = q->fifo_region,
		.head = q->head, .mask = q->mask,
		.dyn_off = d11tx_mbuf_dyn_offset, .tracked = q->tracked,
	};
}

/* Put an accepted frame at the head of the FIFO, tagged with its slot
 * (tracked pools) or with a second reference on every segment, the
 * engine's: see the FIFO comment in internal.h. */
static inline void
fifo_push(struct d11tx_queue *q, struct fifo_view *v, struct rte_mbuf *m,
	  void *handle, uint16_t client, uint8_t region)
{
	const uint32_t idx = v->head++ & v->mask;

	if (v->tracked) {
		/* The last segment: the frame is done when all of it is. */
		RTE_MBUF_DYNFIELD(last_seg(m), v->dyn_off,
				  struct d11tx_mbuf_dyn *)->fifo_slot = idx + 1;
	} else {
		for (struct rte_mbuf *seg = m; seg != NULL; seg = seg->next)
			rte_mbuf_refcnt_set(seg, 2);
	}
	v->mbuf[idx] = m;
	v->handle[idx] = handle;
	v->client[idx] = client;
	v->region[idx] = region;
	q->clients[client].inflight++;
	if (region != D11TX_NO_REGION)
		q->regions[region].inflight++;
}

uint16_t
d11tx_send_burst(struct d11tx_queue *q, const struct d11tx_frame *frames,
		 uint16_t n)
{
	struct fifo_view v;
	uint16_t done = 0;
	int reason = NO_REFUSAL;

	if (unlikely(q->stopped) && n != 0) {
		d11tx_refuse(q, D11TX_REFUSED_STOPPED);
		return 0;
	}
	fifo_view_load(q, &v);
	while (done < n) {
		struct rte_mbuf *mbufs[SUBMIT_CHUNK];
		const uint32_t room = q->capacity - (v.head - q->tail);
		const uint32_t k = RTE_MIN(RTE_MIN((uint32_t)(n - done),
						   (uint32_t)SUBMIT_CHUNK), room);
		uint32_t i;

		if (unlikely(k == 0 ||
			     pool_alloc_bulk(q, q->hdr_pool, mbufs, k) != 0)) {
			reason = D11TX_REFUSED_FULL;
			break;
		}
		for (i = 0; i < k; i++) {
			const struct d11tx_frame *f = &frames[done + i];
			uint8_t region;
			uint32_t region_gen;

			reason = check_frame(q, f, &region, &q->region_hint,
					     &region_gen);
			if (unlikely(reason != NO_REFUSAL))
				break;
			attach_app_buffer(mbufs[i], f->data, f->len);
			fifo_push(q, &v, mbufs[i], f->handle, f->client, region);
		}
		if (unlikely(i < k))
			rte_mempool_put_bulk(q->hdr_pool, (void **)&mbufs[i],
					     k - i);
		done += i;
		if (unlikely(reason != NO_REFUSAL))
			break;
	}
	q->head = v.head;
	if (unlikely(reason != NO_REFUSAL))
		d11tx_refuse(q, reason);
	q->stats.submitted += done;
	return done;
}

uint16_t
d11tx_buf_alloc(struct d11tx_queue *q, struct d11tx_buf **bufs, uint16_t n)
{
	if (unlikely(q->buf_pool == NULL)) {
		rte_errno = EINVAL;
		return 0;
	}
	if (unlikely(pool_alloc_bulk(q, q->buf_pool,
				     (struct rte_mbuf **)bufs, n) != 0)) {
		rte_errno = ENOBUFS;
		return 0;
	}
	return n;
}

void
d11tx_buf_free(struct d11tx_queue *q __rte_unused,
	       struct d11tx_buf *const bufs[], uint16_t n)
{
	rte_pktmbuf_free_bulk((struct rte_mbuf **)(uintptr_t)bufs, n);
}

uint16_t
d11tx_buf_room(const struct d11tx_queue *q)
{
	return q->buf_room;
}

uint16_t
d11tx_buf_submit(struct d11tx_queue *q, struct d11tx_buf *const bufs[],
		 uint16_t n)
{
	const uint32_t room = q->capacity - (q->head - q->tail);
	const uint32_t k = RTE_MIN((uint32_t)n, room);
	struct fifo_view v;
	int reason = NO_REFUSAL;
	uint32_t i;

	if (unlikely(q->stopped) && n != 0) {
		d11tx_refuse(q, D11TX_REFUSED_STOPPED);
		return 0;
	}
	fifo_view_load(q, &v);
	for (i = 0; i < k; i++) {
		struct rte_mbuf *m = (struct rte_mbuf *)bufs[i];
		const struct d11tx_mbuf_dyn *d;

		reason = check_buf(q, m);
		if (unlikely(reason != NO_REFUSAL))
			break;
		d = RTE_MBUF_DYNFIELD(m, v.dyn_off, const struct d11tx_mbuf_dyn *);
		fifo_push(q, &v, m, d->handle, d->client, D11TX_NO_REGION);
	}
	q->head = v.head;
	if (unlikely(reason == NO_REFUSAL && i < n))
		reason = D11TX_REFUSED_FULL;
	if (unlikely(reason != NO_REFUSAL))
		d11tx_refuse(q, reason);
	q->stats.submitted += i;
	return (uint16_t)i;
}

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
	if (q == NULL || a == NULL || a->role > D11TX_DOT11_ADHOC)
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

int
d11tx_queue_set_radiotap(struct d11tx_queue *q, const struct d11tx_radiotap_tx *rt)
{
	uint8_t buf[D11TX_RADIOTAP_MAX];
	int len;

	if (q == NULL)
		return -EINVAL;
	if (rt == NULL) {
		q->radiotap_len = 0;
		q->append_fcs = false;
		return 0;
	}
	len = d11tx_radiotap_build(rt, buf, sizeof(buf));
	if (len < 0)
		return len;
	memcpy(q->radiotap, buf, (size_t)len);
	q->radiotap_len = (uint8_t)len;
	q->append_fcs = rt->flags & D11TX_RADIOTAP_F_FCS;
	return 0;
}

/* Why Ethernet-style frame @p f cannot be accepted, or NO_REFUSAL. */
static inline int
check_eth_frame(struct d11tx_queue *q, const struct d11tx_eth_frame *f,
		uint8_t *region)
{
	/* The MPDU: header, payload, and the FCS when the engine adds it. */
	const uint32_t hdr_len = (f->tid >= 0 ? D11TX_DOT11_ENCAP_MAX
					      : D11TX_DOT11_ENCAP_MAX - 2) +
				 (q->append_fcs ? 4 : 0);
	uint32_t gen;
	int r;

	if (unlikely(f->data == NULL || f->tid < -1 || f->tid > 7))
		return D11TX_REFUSED_INVALID;
	if (unlikely(f->len == 0))
		return D11TX_REFUSED_EMPTY;
	if (unlikely(f->len < D11TX_DOT11_ETH_PREFIX))
		return D11TX_REFUSED_TOO_SHORT;
	/* The limit is the MPDU's: the radiotap header is not part of it. */
	if (unlikely((uint64_t)hdr_len + f->len - D11TX_DOT11_ETH_PREFIX >
		     q->max_frame_len))
		return D11TX_REFUSED_TOO_LONG;
	r = region_lookup(q, (uintptr_t)f->data, f->len, &q->region_hint, &gen);
	if (unlikely(r < 0))
		return D11TX_REFUSED_REGION;
	/* Now readable: an 802.3 length has no LLC/SNAP encapsulation. */
	if (unlikely(!dot11_is_ethertype((const uint8_t *)f->data + 6)))
		return D11TX_REFUSED_INVALID;
	if (unlikely(!client_valid(q, f->client)))
		return D11TX_REFUSED_CLIENT;
	*region = (uint8_t)r;
	return NO_REFUSAL;
}

#define ETH_CHUNK 32

/*
 * End frame @p h with its FCS, in tail segment @p fcs: the CRC of the
 * 802.11 header (@p hdr, radiotap excluded) and of the payload, read where
 * it lies in app memory; the app's memory is not written.
 */
static void
append_fcs(struct rte_mbuf *h, struct rte_mbuf **tail, struct rte_mbuf *fcs,
	   const uint8_t *hdr, uint32_t hdr_len, const uint8_t *payload,
	   uint32_t payload_len)
{
	uint32_t crc = d11tx_dot11_fcs_update(D11TX_DOT11_FCS_INIT, hdr, hdr_len);
	uint8_t *p;

	crc = d11tx_dot11_fcs_final(d11tx_dot11_fcs_update(crc, payload, payload_len));
	fcs->data_off = 0;
	p = rte_pktmbuf_mtod(fcs, uint8_t *);
	p[0] = (uint8_t)crc;
	p[1] = (uint8_t)(crc >> 8);
	p[2] = (uint8_t)(crc >> 16);
	p[3] = (uint8_t)(crc >> 24);
	fcs->data_len = 4;
	(*tail)->next = fcs;
	*tail = fcs;
	h->nb_segs++;
	h->pkt_len += 4;
}

/*
 * The header of one frame from the adapter's template: the same bytes as
 * d11tx_dot11_encap(), in fixed-size copies instead of building each field.
 */
static inline int
encap_from_template(const struct d11tx_queue *q, const uint8_t *eth, int tid,
		    uint8_t *hdr)
{
	int len;

	if (tid >= 0) {
		memcpy(hdr, q->encap_tmpl[1], D11TX_DOT11_ENCAP_MAX);
		len = D11TX_DOT11_ENCAP_MAX;
	} else {
		memcpy(hdr, q->encap_tmpl[0], D11TX_DOT11_ENCAP_MAX - 2);
		len = D11TX_DOT11_ENCAP_MAX - 2;
	}
	memcpy(hdr + q->encap_da_offset, eth, 6);
	if (tid >= 0)
		hdr[24] = dot11_qos_ctl(tid, hdr + 4);   /* Address 1 */
	hdr[len - 3] = dot11_snap_oui_last(eth + 6);
	hdr[len - 2] = eth[6];
	hdr[len - 1] = eth[7];
	return len;
}

uint16_t
d11tx_send_eth_burst(struct d11tx_queue *q, const struct d11tx_eth_frame *frames,
		     uint16_t n)
{
	struct fifo_view v;
	uint16_t done = 0;
	int reason = NO_REFUSAL;

	if (unlikely(q->stopped) && n != 0) {
		d11tx_refuse(q, D11TX_REFUSED_STOPPED);
		return 0;
	}
	if (unlikely(!q->has_adapter)) {
		rte_errno = ENOTCONN;
		return 0;
	}
	fifo_view_load(q, &v);
	while (done < n) {
		/* Up to three mbufs a frame: the headers, the payload's, and
		 * the FCS's. */
		struct rte_mbuf *mbufs[3 * ETH_CHUNK];
		const uint32_t per_frame = q->append_fcs ? 3 : 2;
		const uint32_t room = q->capacity - (v.head - q->tail);
		const uint32_t k = RTE_MIN(RTE_MIN((uint32_t)(n - done),
						   (uint32_t)ETH_CHUNK), room);
		uint32_t i, used = 0;

		if (unlikely(k == 0 ||
			     pool_alloc_bulk(q, q->hdr_pool, mbufs, per_frame * k) != 0)) {
			reason = D11TX_REFUSED_FULL;
			break;
		}
		for (i = 0; i < k; i++) {
			const struct d11tx_eth_frame *f = &frames[done + i];
			const uint32_t payload = f->len - D11TX_DOT11_ETH_PREFIX;
			struct rte_mbuf *h;
			uint8_t region, *hdr;
			int hl;

			reason = check_eth_frame(q, f, &region);
			if (unlikely(reason != NO_REFUSAL))
				break;
			h = mbufs[used++];
			/* The header mbuf's room is small and has no headroom:
			 * the headers start at the buffer, radiotap first. */
			h->data_off = 0;
			hdr = rte_pktmbuf_mtod(h, uint8_t *);
			if (q->radiotap_len != 0)
				memcpy(hdr, q->radiotap, q->radiotap_len);
			hdr += q->radiotap_len;
			hl = encap_from_template(q, f->data, f->tid, hdr);
			if (q->assign_seq)
				d11tx_dot11_seq_assign(&q->seq, hdr, (uint32_t)hl);
			h->data_len = (uint16_t)(hl + q->radiotap_len);
			h->pkt_len = h->data_len + payload;
			struct rte_mbuf *tail = h;

			if (payload != 0) {
				struct rte_mbuf *p = mbufs[used++];

				attach_app_buffer(p, (const uint8_t *)f->data +
						  D11TX_DOT11_ETH_PREFIX, payload);
				tail->next = p;
				tail = p;
				h->nb_segs++;
			}
			if (q->append_fcs)
				append_fcs(h, &tail, mbufs[used++], hdr, (uint32_t)hl,
					   (const uint8_t *)f->data + D11TX_DOT11_ETH_PREFIX,
					   payload);
			fifo_push(q, &v, h, f->handle, f->client, region);
		}
		if (used < per_frame * k)
			rte_mempool_put_bulk(q->hdr_pool, (void **)&mbufs[used],
					     per_frame * k - used);
		done += i;
		if (unlikely(reason != NO_REFUSAL))
			break;
	}
	q->head = v.head;
	if (unlikely(reason != NO_REFUSAL))
		d11tx_refuse(q, reason);
	q->stats.submitted += done;
	return done;
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
