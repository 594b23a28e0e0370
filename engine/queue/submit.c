/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Every way a frame enters a queue, through one burst skeleton, burst():
 *
 *   enter     the queue takes frames at all (stopped? a pipelined ring?)
 *   reserve   the header mbufs of a chunk of frames, in one allocation
 *   take      per frame: check it (refusal stops the burst there), build
 *             its mbuf (an app buffer attached zero-copy, an engine buffer
 *             as it is, or an 802.11 header chained to the Ethernet-layout
 *             payload), and stage it: into the FIFO on the owner thread,
 *             tagged for the ring on a producer thread
 *   publish   a producer's chunk goes into the pipelined ring
 *   release   unused header mbufs go back; a producer's frames the ring
 *             did not take are given back to their owner
 *   leave     the head, the counters and the refusal, once
 *
 * The five entry points at the end each call burst() with constant
 * arguments, so the compiler lays out one specialised loop per entry, as
 * if each were written by hand.
 */

#include <assert.h>
#include <string.h>

#include <rte_branch_prediction.h>
#include <rte_byteorder.h>
#include <rte_errno.h>

#include "internal.h"

/* What a burst takes in. */
enum burst_src {
	SRC_APP,       /* struct d11tx_frame: app memory, attached zero-copy */
	SRC_BUF,       /* struct d11tx_buf *: engine buffers, written in place */
	SRC_ETH,       /* struct d11tx_eth_frame: DA, EtherType, payload */
};

/* Where its accepted frames go. */
enum burst_dst {
	DST_FIFO,      /* the owner thread's FIFO, at once */
	DST_PIPE,      /* the pipelined ring, a chunk at a time (pipe.c) */
};

/* Frames per chunk: header mbufs are allocated a chunk at a time. */
#define APP_CHUNK 64
#define ETH_CHUNK 32

/*
 * The queue as a submit loop sees it, loaded once per call: through q,
 * every field would be reloaded for every frame, since the stores into
 * the FIFO and the mbufs may alias it. Also the state of the call: the
 * last Frame Control checked, and the frames accepted for the current
 * client and region, counted in their inflight once per run, not once
 * per frame.
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
	bool validate;
	uint32_t buf_room;
	uint32_t max_frame_len;
	const struct rte_mempool *buf_pool;
	struct dot11_memo memo;
	uint16_t run_client;
	uint8_t run_region;
	uint32_t run_frames;
	bool on_owner;             /* DST_FIFO: the owner thread's call */
	/* On the owner thread, a client found registered earlier in the
	 * call: the owner is the thread that would unregister it. A producer
	 * checks every frame, between the generation reads that guard it.
	 * UINT32_MAX: none. */
	uint32_t checked_client;
	/* Ethernet layout: per TID kind (non-QoS, QoS), the largest payload
	 * + 1 that fits max_frame_len (0: none); where the DA goes; the
	 * radiotap header's length; the adapter's settings. */
	uint32_t eth_room[2];
	uint8_t da_off;
	uint8_t rt_len;
	bool assign_seq;
	bool append_fcs;
};

static inline void
fifo_view_load(const struct d11tx_queue *q, struct fifo_view *v, enum burst_dst dst)
{
	*v = (struct fifo_view){
		.dyn_off = d11tx_mbuf_dyn_offset, .validate = q->validate,
		.buf_room = q->buf_room, .max_frame_len = q->max_frame_len,
		.buf_pool = q->buf_pool, .memo = { .fc = UINT32_MAX },
		.run_region = D11TX_NO_REGION, .checked_client = UINT32_MAX,
	};
	v->eth_room[0] = eth_room(q, false);
	v->eth_room[1] = eth_room(q, true);
	v->da_off = q->encap_da_offset;
	v->rt_len = q->radiotap_len;
	v->assign_seq = q->assign_seq;
	v->append_fcs = q->append_fcs;
	if (dst == DST_FIFO) {
		v->mbuf = q->fifo_mbuf;
		v->handle = q->fifo_handle;
		v->client = q->fifo_client;
		v->region = q->fifo_region;
		v->head = q->head;
		v->mask = q->mask;
		v->tracked = q->tracked;
		v->on_owner = true;
	}
}

/* Count the frames of the run in their client's and region's inflight. */
static inline void
run_flush(struct d11tx_queue *q, struct fifo_view *v)
{
	q->clients[v->run_client].inflight += v->run_frames;
	if (v->run_region != D11TX_NO_REGION)
		q->regions[v->run_region].inflight += v->run_frames;
	v->run_frames = 0;
}

/* Whether @p client is registered: NO_REFUSAL, or the refusal. */
static inline int
check_client(const struct d11tx_queue *q, struct fifo_view *v, uint16_t client)
{
	if (client == v->checked_client)
		return NO_REFUSAL;
	if (unlikely(!client_valid(q, client)))
		return D11TX_REFUSED_CLIENT;
	if (v->on_owner)
		v->checked_client = client;
	return NO_REFUSAL;
}

/* Why app frame @p f cannot be accepted, or NO_REFUSAL with its region
 * and that region's generation. */
static inline int
check_frame(const struct d11tx_queue *q, struct fifo_view *v,
	    const struct d11tx_frame *f, uint8_t *region, uint8_t *hint,
	    uint32_t *region_gen)
{
	int reason, r;

	if (unlikely(f->data == NULL))
		return D11TX_REFUSED_INVALID;
	if (unlikely(f->len == 0))
		return D11TX_REFUSED_EMPTY;
	if (unlikely(f->len > v->max_frame_len))
		return D11TX_REFUSED_TOO_LONG;
	r = region_lookup(q, (uintptr_t)f->data, f->len, hint, region_gen);
	if (unlikely(r < 0))
		return D11TX_REFUSED_REGION;
	/* Only now is it safe to read the frame: it lies in app memory. */
	if (likely(v->validate)) {
		const int invalid = dot11_check_memo(f->data, f->len, &v->memo);

		if (unlikely(invalid != D11TX_DOT11_VALID))
			return dot11_refusal(invalid);
	}
	reason = check_client(q, v, f->client);
	if (unlikely(reason != NO_REFUSAL))
		return reason;
	*region = (uint8_t)r;
	return NO_REFUSAL;
}

/* Why engine-owned buffer @p m cannot be accepted, or NO_REFUSAL. */
static inline int
check_buf(const struct d11tx_queue *q, struct fifo_view *v, const struct rte_mbuf *m)
{
	const struct d11tx_mbuf_dyn *d;

	if (unlikely(m == NULL || m->pool != v->buf_pool))
		return D11TX_REFUSED_INVALID;
	d = RTE_MBUF_DYNFIELD(m, v->dyn_off, const struct d11tx_mbuf_dyn *);
	/* Not the caller's to submit: in flight already, or free. */
	if (unlikely(d->fifo_slot != 0))
		return D11TX_REFUSED_INVALID;
	if (unlikely(m->pkt_len - 1 >= v->buf_room))
		return m->pkt_len == 0 ? D11TX_REFUSED_EMPTY : D11TX_REFUSED_TOO_LONG;
	if (likely(v->validate)) {
		const int invalid = dot11_check_memo(rte_pktmbuf_mtod(m, const uint8_t *),
						     m->pkt_len, &v->memo);

		if (unlikely(invalid != D11TX_DOT11_VALID))
			return dot11_refusal(invalid);
	}
	return check_client(q, v, d->client);
}

/* Put an accepted frame at the head of the FIFO, tagged with its slot in
 * its last segment @p last (tracked pools) or with a second reference on
 * every segment, the engine's: see the FIFO comment in internal.h. */
static inline void
fifo_push(struct d11tx_queue *q, struct fifo_view *v, struct rte_mbuf *m,
	  struct rte_mbuf *last, void *handle, uint16_t client, uint8_t region)
{
	const uint32_t idx = v->head++ & v->mask;

	if (v->tracked) {
		/* The frame is done when all of it is. */
		RTE_MBUF_DYNFIELD(last, v->dyn_off,
				  struct d11tx_mbuf_dyn *)->fifo_slot = idx + 1;
	} else {
		RTE_MBUF_DYNFIELD(m, v->dyn_off,
				  struct d11tx_mbuf_dyn *)->fifo_slot = BUF_IN_ENGINE;
		for (struct rte_mbuf *seg = m; seg != NULL; seg = seg->next)
			rte_mbuf_refcnt_set(seg, 2);
	}
	v->mbuf[idx] = m;
	v->handle[idx] = handle;
	v->client[idx] = client;
	v->region[idx] = region;
	if (unlikely(client != v->run_client || region != v->run_region)) {
		run_flush(q, v);
		v->run_client = client;
		v->run_region = region;
	}
	v->run_frames++;
}

/* Tag a producer's accepted frame for the ring: the owner reads handle,
 * client and region from it when it pulls the frame, and the engine's
 * second reference marks it as held. The generations were set when it
 * was checked. */
static inline void
pipe_stage(struct rte_mbuf *m, void *handle, uint16_t client, uint8_t region)
{
	struct d11tx_mbuf_dyn *d = d11tx_mbuf_dyn(m);

	d->handle = handle;
	d->client = client;
	d->region = region;
	d->fifo_slot = BUF_IN_ENGINE;
	rte_mbuf_refcnt_set(m, 2);
}

/* ---------- Ethernet layout: the 802.11 frame around the payload ---------- */

/* Why Ethernet-style frame @p f cannot be accepted, in the order the
 * checks are documented: the cold path of check_eth_frame(). */
static __rte_noinline int
eth_frame_refusal(const struct d11tx_queue *q, const struct fifo_view *v,
		  const struct d11tx_eth_frame *f)
{
	if (f->data == NULL || f->tid < -1 || f->tid > 7)
		return D11TX_REFUSED_INVALID;
	if (f->len == 0)
		return D11TX_REFUSED_EMPTY;
	if (f->len < D11TX_DOT11_ETH_PREFIX)
		return D11TX_REFUSED_TOO_SHORT;
	/* The limit is the MPDU's: the radiotap header is not part of it. */
	if (f->len - D11TX_DOT11_ETH_PREFIX >= v->eth_room[f->tid >= 0])
		return D11TX_REFUSED_TOO_LONG;
	RTE_SET_USED(q);
	return NO_REFUSAL;
}

/* Why Ethernet-style frame @p f cannot be accepted, or NO_REFUSAL. The
 * pointer, the TID and both length limits in one test, the cold path
 * sorting out which failed. */
static inline int
check_eth_frame(struct d11tx_queue *q, struct fifo_view *v,
		const struct d11tx_eth_frame *f, uint8_t *region)
{
	uint32_t gen;
	int r;

	/* f->len - 8 wraps for a frame shorter than the prefix. */
	if (unlikely(f->data == NULL || (uint32_t)(f->tid + 1) > 8 ||
		     f->len - D11TX_DOT11_ETH_PREFIX >= v->eth_room[f->tid >= 0])) {
		r = eth_frame_refusal(q, v, f);
		if (r != NO_REFUSAL)
			return r;
	}
	r = region_lookup(q, (uintptr_t)f->data, f->len, &q->region_hint, &gen);
	if (unlikely(r < 0))
		return D11TX_REFUSED_REGION;
	/* Now readable: an 802.3 length has no LLC/SNAP encapsulation. */
	if (unlikely(!dot11_is_ethertype((const uint8_t *)f->data + 6)))
		return D11TX_REFUSED_INVALID;
	*region = (uint8_t)r;
	return check_client(q, v, f->client);
}

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

/* dot11_snap_oui_last() of an EtherType read as it lies (network order). */
static inline uint8_t
snap_oui_last_be(uint16_t type_be)
{
	return type_be == rte_cpu_to_be_16(0x80f3) ||
	       type_be == rte_cpu_to_be_16(0x8137) ? 0xf8 : 0x00;
}

/*
 * The header of one frame from the adapter's template: the same bytes as
 * d11tx_dot11_encap(), in a few wide copies and stores instead of building
 * each field. The template's LLC/SNAP header ends 00 <OUI last> <EtherType>:
 * those four bytes are one store.
 */
static inline uint32_t
encap_from_template(const struct d11tx_queue *q, const struct fifo_view *v,
		    const uint8_t *eth, int tid, uint8_t *hdr)
{
	const uint32_t qos = tid >= 0;
	const uint32_t len = D11TX_DOT11_ENCAP_MAX - 2 + 2 * qos;
	uint16_t type;                 /* as it lies: network order */
	uint32_t tail;

	memcpy(&type, eth + 6, 2);
	tail = rte_cpu_to_le_32((uint32_t)rte_le_to_cpu_16(type) << 16 |
				(uint32_t)snap_oui_last_be(type) << 8);

	memcpy(hdr, q->encap_tmpl[qos], D11TX_DOT11_ENCAP_MAX - 2);
	memcpy(hdr + v->da_off, eth, 6);
	if (qos) {
		memcpy(hdr + D11TX_DOT11_ENCAP_MAX - 2,
		       q->encap_tmpl[1] + D11TX_DOT11_ENCAP_MAX - 2, 2);
		hdr[24] = dot11_qos_ctl(tid, hdr + 4);   /* Address 1 */
	}
	memcpy(hdr + len - 4, &tail, 4);
	return len;
}

/* Copy @p n bytes (at most a copy-break's) with 16-byte moves, the last
 * one overlapping: a call to memcpy costs more than the copy. */
static inline void
copy_short(uint8_t *d, const uint8_t *s, uint32_t n)
{
	if (n >= 16) {
		for (uint32_t i = 0; i + 16 < n; i += 16)
			memcpy(d + i, s + i, 16);
		memcpy(d + n - 16, s + n - 16, 16);
	} else if (n >= 8) {
		memcpy(d, s, 8);
		memcpy(d + n - 8, s + n - 8, 8);
	} else if (n >= 4) {
		memcpy(d, s, 4);
		memcpy(d + n - 4, s + n - 4, 4);
	} else {
		for (uint32_t i = 0; i < n; i++)
			d[i] = s[i];
	}
}

/*
 * The sequence number of a header built from the template, which has
 * fragment number 0: the queue's shared counter for non-QoS and
 * group-addressed frames (inline, per frame), the per-receiver, per-TID
 * one of d11tx_dot11_seq_assign() for individually addressed QoS data.
 */
static inline void
encap_seq_assign(struct d11tx_queue *q, uint8_t *hdr, int tid, uint32_t hl)
{
	struct d11tx_dot11_seq_counter *c = &q->seq.shared;

	if (tid >= 0 && !(hdr[4] & 1)) {     /* Address 1 individual */
		d11tx_dot11_seq_assign(&q->seq, hdr, hl);
		return;
	}
	c->last = c->next & 0xfff;
	c->next = (uint16_t)((c->last + 1) & 0xfff);
	hdr[22] = (uint8_t)(c->last << 4);
	hdr[23] = (uint8_t)(c->last >> 4);
}

/*
 * Build Ethernet-layout frame @p f in header mbuf @p h: the radiotap
 * header and the 802.11 header, then the payload. Up to ENCAP_COPY_BREAK
 * bytes the payload is copied behind the headers, FCS and all: one
 * segment, cheaper to send and to free than a second mbuf; the app's
 * buffer is no longer read, but its handle completes, as every frame's,
 * when the port releases the mbuf. A longer payload is attached zero-copy
 * in a second mbuf, and the FCS, where radiotap asks for one, goes in a
 * third. Returns the frame and its last segment in *last; NULL when those
 * mbufs cannot be had (@p h stays unused).
 */
static inline struct rte_mbuf *
build_eth_frame(struct d11tx_queue *q, const struct fifo_view *v,
		const struct d11tx_eth_frame *f, const struct txp_slot *txp,
		struct rte_mbuf *h, struct rte_mbuf **last, uint8_t *region)
{
	/* A frame with a TX parameter set has a radiotap header of its own
	 * (where the queue has one: the set's rt_len is 0 where not). */
	const uint32_t rt_len = txp != NULL ? txp->rt_len : v->rt_len;
	const uint8_t *payload = (const uint8_t *)f->data + D11TX_DOT11_ETH_PREFIX;
	const uint32_t payload_len = f->len - D11TX_DOT11_ETH_PREFIX;
	struct rte_mbuf *extra[2], *tail = h;
	uint8_t *hdr;
	uint32_t hl;

	if (payload_len > ENCAP_COPY_BREAK) {
		if (unlikely(pool_alloc_bulk(q, q->attach_pool, &extra[0], 1) != 0))
			return NULL;
		if (v->append_fcs &&
		    unlikely(pool_alloc_bulk(q, q->hdr_pool, &extra[1], 1) != 0)) {
			rte_mempool_put(q->attach_pool, extra[0]);
			return NULL;
		}
	}
	/* The header mbuf has no headroom: the headers start at the buffer,
	 * radiotap first. */
	h->data_off = 0;
	hdr = h->buf_addr;
	if (rt_len != 0)
		memcpy(hdr, txp == NULL ? q->radiotap : txp->rt, rt_len);
	hdr += rt_len;
	hl = encap_from_template(q, v, f->data, f->tid, hdr);
	if (v->assign_seq)
		encap_seq_assign(q, hdr, f->tid, hl);
	if (payload_len <= ENCAP_COPY_BREAK) {
		uint8_t *end = hdr + hl;

		copy_short(end, payload, payload_len);
		end += payload_len;
		if (v->append_fcs) {
			const uint32_t crc = d11tx_dot11_fcs_final(d11tx_dot11_fcs_update(
				D11TX_DOT11_FCS_INIT, hdr, hl + payload_len));

			end[0] = (uint8_t)crc;
			end[1] = (uint8_t)(crc >> 8);
			end[2] = (uint8_t)(crc >> 16);
			end[3] = (uint8_t)(crc >> 24);
			end += 4;
		}
		h->data_len = (uint16_t)(end - (uint8_t *)h->buf_addr);
		h->pkt_len = h->data_len;
		*region = D11TX_NO_REGION;    /* nothing of it is read again */
		*last = h;
		return h;
	}
	h->data_len = (uint16_t)(hl + rt_len);
	h->pkt_len = h->data_len + payload_len;
	attach_app_buffer(extra[0], payload, payload_len);
	tail->next = extra[0];
	tail = extra[0];
	h->nb_segs++;
	if (v->append_fcs)
		append_fcs(h, &tail, extra[1], hdr, hl, payload, payload_len);
	*last = tail;
	return h;
}

/* An engine buffer takes a set's radiotap header in its headroom. */
static_assert(RTE_PKTMBUF_HEADROOM >= D11TX_RADIOTAP_MAX,
	      "engine buffers need headroom for a radiotap header");

/* App frame @p m behind a header mbuf holding set @p t's radiotap
 * header: the frame to stage, or NULL when no header mbuf is free. */
static struct rte_mbuf *
radiotap_segment(struct d11tx_queue *q, const struct txp_slot *t, struct rte_mbuf *m)
{
	struct rte_mbuf *h;

	if (unlikely(pool_alloc_bulk(q, q->hdr_pool, &h, 1) != 0))
		return NULL;
	h->data_off = 0;
	memcpy(h->buf_addr, t->rt, t->rt_len);
	h->data_len = t->rt_len;
	h->pkt_len = t->rt_len + m->pkt_len;
	h->next = m;
	h->nb_segs = 2;
	return h;
}

/* ---------- the skeleton ---------- */

/* Header mbufs a frame of @p src may need. */
static __rte_always_inline uint32_t
segs_per_frame(enum burst_src src)
{
	if (src == SRC_APP)
		return 1;
	if (src == SRC_ETH)
		return 1;      /* the others, when needed, by build_eth_frame() */
	return 0;
}

/* May the queue take frames at all? Sets rte_errno when not. A true
 * return on a producer thread must be paired with d11tx_producer_exit(). */
static __rte_always_inline bool
burst_enter(struct d11tx_queue *q, uint16_t n, enum burst_src src,
	    enum burst_dst dst)
{
	if (dst == DST_PIPE)
		return d11tx_producer_enter(q, n);
	if (unlikely(q->stopped) && n != 0) {
		d11tx_refuse(q, D11TX_REFUSED_STOPPED);
		return false;
	}
	if (src == SRC_ETH && unlikely(!q->has_adapter)) {
		rte_errno = ENOTCONN;
		return false;
	}
	return true;
}

/*
 * Check frame @p i of @p in and build it into an mbuf: @p segs are the
 * reserved header mbufs left (SRC_APP, SRC_ETH), and *used says how many
 * it took. Stages it for @p dst: into the FIFO, or tagged, into
 * *staged. Returns NO_REFUSAL or the reason to stop.
 */
static __rte_always_inline int
take(struct d11tx_queue *q, struct fifo_view *v, const void *in, uint32_t i,
     struct rte_mbuf *const *segs, uint32_t *used, struct rte_mbuf **staged,
     uint8_t *pipe_hint, enum burst_src src, enum burst_dst dst)
{
	const struct txp_slot *txp = NULL;
	struct rte_mbuf *m, *last;
	void *handle;
	uint16_t client;
	uint8_t region;
	int reason;

	if (src == SRC_APP) {
		const struct d11tx_frame *f = &((const struct d11tx_frame *)in)[i];
		uint32_t region_gen;

		m = segs[0];
		if (dst == DST_PIPE) {
			/* The generation first, then the checks it covers. */
			d11tx_mbuf_meta(m)->client_gen = client_gen(q, f->client);
			reason = check_frame(q, v, f, &region, pipe_hint,
					     &d11tx_mbuf_meta(m)->region_gen);
		} else {
			reason = check_frame(q, v, f, &region, &q->region_hint,
					     &region_gen);
		}
		if (unlikely(reason != NO_REFUSAL))
			return reason;
		if (unlikely(f->tx_params != 0)) {
			txp = txp_lookup(q, f->tx_params);
			if (txp == NULL || (txp->rt_len != 0 && dst == DST_PIPE))
				return D11TX_REFUSED_TX_PARAMS;
		}
		attach_app_buffer(m, f->data, f->len);
		last = m;
		if (unlikely(txp != NULL && txp->rt_len != 0)) {
			/* The app's bytes are not written: the set's radiotap
			 * header goes in a segment of its own in front. */
			m = radiotap_segment(q, txp, last);
			if (unlikely(m == NULL))
				return D11TX_REFUSED_FULL;   /* segs[0] unused */
		}
		*used = 1;
		handle = f->handle;
		client = f->client;
	} else if (src == SRC_BUF) {
		const struct d11tx_mbuf_dyn *d;

		m = (struct rte_mbuf *)((struct d11tx_buf *const *)in)[i];
		if (dst == DST_PIPE) {
			/* Ours before anything is written into it. */
			if (unlikely(m == NULL || m->pool != q->buf_pool))
				return D11TX_REFUSED_INVALID;
			d = d11tx_mbuf_dyn(m);
			d11tx_mbuf_meta(m)->client_gen = client_gen(q, d->client);
			d11tx_mbuf_meta(m)->region_gen = 0;
		}
		reason = check_buf(q, v, m);
		if (unlikely(reason != NO_REFUSAL))
			return reason;
		d = RTE_MBUF_DYNFIELD(m, v->dyn_off, const struct d11tx_mbuf_dyn *);
		if (unlikely(d->tx_params != 0)) {
			txp = txp_lookup(q, d->tx_params);
			if (txp == NULL || (txp->rt_len != 0 && dst == DST_PIPE))
				return D11TX_REFUSED_TX_PARAMS;
			/* The set's radiotap header in the buffer's headroom:
			 * from here on the frame is the engine's. */
			if (txp->rt_len != 0)
				memcpy(rte_pktmbuf_prepend(m, txp->rt_len), txp->rt,
				       txp->rt_len);
		}
		*used = 0;
		last = m;          /* one segment: the caller cannot chain */
		handle = d->handle;
		client = d->client;
		region = D11TX_NO_REGION;
	} else {
		const struct d11tx_eth_frame *f = &((const struct d11tx_eth_frame *)in)[i];

		reason = check_eth_frame(q, v, f, &region);
		if (unlikely(reason != NO_REFUSAL))
			return reason;
		if (unlikely(f->tx_params != 0)) {
			txp = txp_lookup(q, f->tx_params);
			if (txp == NULL)
				return D11TX_REFUSED_TX_PARAMS;
		}
		m = build_eth_frame(q, v, f, txp, segs[0], &last, &region);
		if (unlikely(m == NULL))
			return D11TX_REFUSED_FULL;
		*used = 1;
		handle = f->handle;
		client = f->client;
	}
	if (unlikely(txp != NULL))
		txp_apply(m, txp);
	if (dst == DST_FIFO) {
		fifo_push(q, v, m, last, handle, client, region);
	} else {
		pipe_stage(m, handle, client, region);
		*staged = m;
	}
	return NO_REFUSAL;
}

/*
 * A producer's chunk: into the ring (pipe.c counts it for its client and
 * region first). Frames the ring did not take go back to one reference:
 * engine buffers stay the caller's; app frames' header mbufs are freed
 * below with the unused ones (the free detaches the app's buffer).
 * Returns the frames now accepted.
 */
static __rte_always_inline uint32_t
burst_publish(struct d11tx_queue *q, struct rte_mbuf **staged, uint32_t n,
	      int *reason)
{
	const uint32_t enq = d11tx_pipe_publish(q, staged, n, reason);

	for (uint32_t j = enq; j < n; j++) {
		d11tx_mbuf_dyn(staged[j])->fifo_slot = 0;
		rte_mbuf_refcnt_set(staged[j], 1);
	}
	return enq;
}

static __rte_always_inline uint16_t
burst(struct d11tx_queue *q, const void *in, uint16_t n, enum burst_src src,
      enum burst_dst dst)
{
	const uint32_t chunk = src == SRC_APP ? APP_CHUNK :
			       src == SRC_ETH ? ETH_CHUNK : UINT16_MAX;
	struct fifo_view v;
	uint16_t done = 0;
	int reason = NO_REFUSAL;
	uint8_t pipe_hint = 0;

	if (!burst_enter(q, n, src, dst))
		return 0;
	fifo_view_load(q, &v, dst);
	/* App frames' mbufs have no room (the app's memory is attached);
	 * encapsulated frames' first ones hold their headers. */
	struct rte_mempool *const seg_pool = src == SRC_APP ? q->attach_pool : q->hdr_pool;

	while (done < n) {
		struct rte_mbuf *segs[RTE_MAX(ETH_CHUNK, APP_CHUNK)];
		struct rte_mbuf *staged[APP_CHUNK];
		struct rte_mbuf **out = src == SRC_BUF ?
			(struct rte_mbuf **)(uintptr_t)in + done : staged;
		const uint32_t per_frame = segs_per_frame(src);
		uint32_t k = RTE_MIN((uint32_t)(n - done), chunk);
		uint32_t i, used = 0, accepted;

		if (dst == DST_FIFO)
			k = RTE_MIN(k, q->capacity - (v.head - q->tail));
		if (unlikely(k == 0)) {
			reason = D11TX_REFUSED_FULL;
			break;
		}
		/* Reserve: the first mbufs of the chunk, all or none. */
		if (per_frame != 0 &&
		    unlikely(pool_alloc_bulk(q, seg_pool, segs, per_frame * k) != 0)) {
			reason = D11TX_REFUSED_FULL;
			break;
		}
		for (i = 0; i < k; i++) {
			uint32_t took = 0;

			reason = take(q, &v, in, done + i, &segs[used], &took,
				      src == SRC_BUF ? &staged[0] : &out[i],
				      &pipe_hint, src, dst);
			if (unlikely(reason != NO_REFUSAL))
				break;
			used += took;
		}
		accepted = dst == DST_PIPE ? burst_publish(q, out, i, &reason) : i;
		/* Release: mbufs not used, and those of frames the ring did
		 * not take (attached or not, the free is right). */
		if (per_frame != 0 && dst == DST_PIPE && accepted < k)
			rte_pktmbuf_free_bulk(&segs[accepted], per_frame * k - accepted);
		else if (per_frame != 0 && used < per_frame * k)
			rte_mempool_put_bulk(seg_pool, (void **)&segs[used],
					     per_frame * k - used);
		done += accepted;
		if (src == SRC_BUF && dst == DST_FIFO && reason == NO_REFUSAL && done < n)
			reason = D11TX_REFUSED_FULL;
		if (unlikely(reason != NO_REFUSAL))
			break;
	}
	if (dst == DST_PIPE) {
		d11tx_producer_exit(q);
		if (unlikely(reason != NO_REFUSAL))
			d11tx_refuse_pipe(q, reason);
		return done;
	}
	q->head = v.head;
	run_flush(q, &v);
	if (unlikely(reason != NO_REFUSAL))
		d11tx_refuse(q, reason);
	q->stats.submitted += done;
	return done;
}

/* ---------- the ways in ---------- */

/* The cold half of the 802.11 check of the runs by hand: a Frame Control
 * not seen yet in the run. The memo that the @p len bytes at @p f pass,
 * or one that no frame matches (min_len UINT32_MAX) when they do not. By
 * value, so that the caller keeps its memo in registers. */
static __rte_noinline struct dot11_memo
memo_learn(const uint8_t *f, uint32_t len, struct dot11_memo memo)
{
	if (dot11_check_memo(f, len, &memo) != D11TX_DOT11_VALID)
		memo.min_len = UINT32_MAX;
	return memo;
}

/*
 * The common app-frame burst, by hand, as buf_submit_run() for engine
 * buffers: a tracked queue that checks frames, running, frames of one
 * client in the region of the last hint that pass every check. Attach
 * mbufs are popped a chunk at a time, as burst() allocates them (a failed
 * allocation refuses the burst there, ENOBUFS, *refused set), and only
 * attached: every field an attach pool's mbuf uses is set there; those not
 * used go back on top. burst() takes what is left.
 */
static __rte_noinline uint32_t
app_submit_run(struct d11tx_queue *q, const struct d11tx_frame *frames, uint32_t n,
	       bool *refused)
{
	struct tracked_store *const s = q->attach_pool->pool_data;
	struct rte_mbuf **const fifo_mbuf = q->fifo_mbuf;
	void **const fifo_handle = q->fifo_handle;
	const uint8_t r = q->region_hint;
	const uintptr_t base = q->regions[r].base;
	const size_t rlen = q->regions[r].len;
	const uint32_t max_len = q->max_frame_len;
	const uint32_t mask = q->mask;
	const int off = s->dyn_off;
	const uint32_t start = q->head;
	uint32_t memo_fc = UINT32_MAX, min_len = UINT32_MAX;
	uint32_t client = UINT32_MAX;
	struct dot11_memo memo;
	bool stop = false;
	uint32_t i = 0;

	n = RTE_MIN(n, q->capacity - (start - q->tail));
	if (rlen == 0)
		return 0;
	while (i < n && !stop) {
		const uint32_t k = RTE_MIN(n - i, (uint32_t)APP_CHUNK);
		struct rte_mbuf **objs;
		uint32_t j = 0;

		if (FAULT_INJECT(D11TX_FAULT_MBUF)) {
			*refused = true;
			break;
		}
		if (unlikely(s->count < k)) {
			d11tx_tracked_sweep(q->attach_pool, rte_lcore_id());
			if (s->count < k)
				break;      /* burst() refuses it */
		}
		s->count -= k;
		objs = (struct rte_mbuf **)&s->objs[s->count];
		while (j < k) {
			const struct d11tx_frame *f = &frames[i + j];
			const uint32_t len = f->len;
			const uintptr_t at = (uintptr_t)f->data - base;
			struct rte_mbuf *m;
			uint32_t idx;
			uint16_t fc;

			/* NULL, empty, too long, outside the region (the
			 * overflow-safe bounds check of region_holds()); a
			 * TX parameter set is burst()'s to apply. */
			if (unlikely(f->data == NULL || len - 1 >= max_len ||
				     at >= rlen || len > rlen - at || f->tx_params != 0))
				goto end;
			if (unlikely(len < min_len))
				goto learn;
			memcpy(&fc, f->data, sizeof(fc));
			if (unlikely(rte_le_to_cpu_16(fc) != memo_fc))
				goto learn;
			if (unlikely(f->client != client)) {
				if (client != UINT32_MAX || !client_valid(q, f->client))
					goto end;
				client = f->client;
			}
			m = objs[j];
			attach_app_buffer(m, f->data, len);
			/* Popped without a reset: no TX parameter flag of an
			 * earlier frame may stay. */
			m->ol_flags = 0;
			idx = (start + i + j) & mask;
			RTE_MBUF_DYNFIELD(m, off, struct d11tx_mbuf_dyn *)->fifo_slot = idx + 1;
			fifo_mbuf[idx] = m;
			fifo_handle[idx] = f->handle;
			j++;
			continue;
learn:
			memo = memo_learn(f->data, len, (struct dot11_memo){
				.fc = memo_fc, .min_len = min_len });
			if (memo.min_len != UINT32_MAX && len >= memo.min_len) {
				memo_fc = memo.fc;
				min_len = memo.min_len;
				continue;
			}
end:
			stop = true;
			break;
		}
		/* The unused mbufs back on top of the store. */
		TRACKED_DEBUG_TAKE(s, (void **)objs, j);
		if (j < k) {
			memmove(objs, objs + j, (k - j) * sizeof(*objs));
			s->count += k - j;
		}
		i += j;
	}
	if (i != 0) {
		for (uint32_t j = 0; j < i; j++) {
			const uint32_t idx = (start + j) & mask;

			q->fifo_client[idx] = (uint16_t)client;
			q->fifo_region[idx] = r;
		}
		q->head = start + i;
		q->clients[client].inflight += i;
		q->regions[r].inflight += i;
		q->stats.submitted += i;
	}
	if (unlikely(*refused))
		d11tx_refuse(q, D11TX_REFUSED_FULL);
	return i;
}

uint16_t
d11tx_send_burst(struct d11tx_queue *q, const struct d11tx_frame *frames,
		 uint16_t n)
{
	uint32_t done = 0;

	if (likely(q->tracked && q->validate && !q->stopped)) {
		bool refused = false;

		done = app_submit_run(q, frames, n, &refused);
		if (likely(done == n) || unlikely(refused))
			return (uint16_t)done;
	}
	return (uint16_t)(done + burst(q, frames + done, (uint16_t)(n - done),
				       SRC_APP, DST_FIFO));
}

/*
 * The common engine-buffer burst, by hand: a tracked queue that checks
 * frames, running, with room, frames of one client that pass every check.
 * It takes frames while all of that holds and returns how many; burst()
 * then takes the rest, or refuses the first it cannot take, as for any
 * burst. Each frame costs its checks, its slot tag and two FIFO stores:
 * its client and region are the same for the run and written after the
 * loop, and a Frame Control not seen yet is learned off the loop, which
 * keeps the loop's values in registers.
 */
static __rte_noinline uint32_t
buf_submit_run(struct d11tx_queue *q, struct d11tx_buf *const bufs[], uint32_t n)
{
	struct rte_mbuf **const fifo_mbuf = q->fifo_mbuf;
	void **const fifo_handle = q->fifo_handle;
	const struct rte_mempool *const pool = q->buf_pool;
	const uint32_t room = q->buf_room;
	const uint32_t mask = q->mask;
	const int off = d11tx_mbuf_dyn_offset;
	const uint32_t start = q->head;
	/* The memo (dot11_check_memo()) in two registers; min_len is at
	 * least 10 once learned: a frame that long has the two bytes of its
	 * Frame Control. */
	uint32_t memo_fc = UINT32_MAX, min_len = UINT32_MAX;
	struct dot11_memo memo;
	uint32_t client = UINT32_MAX;
	uint32_t i = 0;

	n = RTE_MIN(n, q->capacity - (start - q->tail));
	while (i < n) {
		struct rte_mbuf *m = (struct rte_mbuf *)bufs[i];
		struct d11tx_mbuf_dyn *d;
		uint32_t len, idx;
		uint16_t fc;

		if (unlikely(m == NULL || m->pool != pool))
			break;
		d = RTE_MBUF_DYNFIELD(m, off, struct d11tx_mbuf_dyn *);
		len = m->pkt_len;
		if (unlikely(d->fifo_slot != 0 || d->tx_params != 0 || len - 1 >= room))
			break;
		if (unlikely(len < min_len))
			goto learn;
		memcpy(&fc, rte_pktmbuf_mtod(m, const uint8_t *), sizeof(fc));
		if (unlikely(rte_le_to_cpu_16(fc) != memo_fc))
			goto learn;
		if (unlikely(d->client != client)) {
			if (client != UINT32_MAX || !client_valid(q, d->client))
				break;
			client = d->client;
		}
		idx = (start + i) & mask;
		d->fifo_slot = idx + 1;
		fifo_mbuf[idx] = m;
		fifo_handle[idx] = d->handle;
		i++;
		continue;
learn:
		memo = memo_learn(rte_pktmbuf_mtod(m, const uint8_t *), len,
				  (struct dot11_memo){ .fc = memo_fc, .min_len = min_len });
		if (memo.min_len == UINT32_MAX || len < memo.min_len)
			break;
		memo_fc = memo.fc;
		min_len = memo.min_len;
	}
	if (i == 0)
		return 0;
	for (uint32_t j = 0; j < i; j++) {
		const uint32_t idx = (start + j) & mask;

		q->fifo_client[idx] = (uint16_t)client;
		q->fifo_region[idx] = D11TX_NO_REGION;
	}
	q->head = start + i;
	q->clients[client].inflight += i;
	q->stats.submitted += i;
	return i;
}

uint16_t
d11tx_buf_submit(struct d11tx_queue *q, struct d11tx_buf *const bufs[],
		 uint16_t n)
{
	uint32_t done = 0;

	if (likely(q->tracked && q->validate && !q->stopped)) {
		done = buf_submit_run(q, bufs, n);
		if (likely(done == n))
			return n;
	}
	return (uint16_t)(done + burst(q, bufs + done, (uint16_t)(n - done),
				       SRC_BUF, DST_FIFO));
}

uint16_t
d11tx_send_eth_burst(struct d11tx_queue *q, const struct d11tx_eth_frame *frames,
		     uint16_t n)
{
	return burst(q, frames, n, SRC_ETH, DST_FIFO);
}

uint16_t
d11tx_pipe_send_burst(struct d11tx_queue *q, const struct d11tx_frame *frames,
		      uint16_t n)
{
	return burst(q, frames, n, SRC_APP, DST_PIPE);
}

uint16_t
d11tx_pipe_buf_submit(struct d11tx_queue *q, struct d11tx_buf *const bufs[],
		      uint16_t n)
{
	return burst(q, bufs, n, SRC_BUF, DST_PIPE);
}

/* ---------- engine buffers ---------- */

uint16_t
d11tx_buf_alloc(struct d11tx_queue *q, struct d11tx_buf **bufs, uint16_t n)
{
	struct rte_mbuf **m = (struct rte_mbuf **)bufs;

	if (unlikely(q->buf_pool == NULL)) {
		rte_errno = EINVAL;
		return 0;
	}
	if (unlikely(pool_alloc_bulk(q, q->buf_pool, m, n) != 0)) {
		rte_errno = ENOBUFS;
		return 0;
	}
	/* The caller's now (see BUF_IN_POOL); a tracked pool's pop said so
	 * already. */
	if (!q->tracked)
		for (uint16_t i = 0; i < n; i++)
			d11tx_mbuf_dyn(m[i])->fifo_slot = 0;
	return n;
}

uint16_t
d11tx_buf_free(struct d11tx_queue *q, struct d11tx_buf *const bufs[], uint16_t n)
{
	struct rte_mbuf **m = (struct rte_mbuf **)(uintptr_t)bufs;
	uint16_t i;

	/* Only what the caller holds: the engine's own (in flight) and free
	 * ones stay where they are. Marked free before the free, so that the
	 * same buffer twice in one call is seen. */
	for (i = 0; i < n; i++) {
		struct d11tx_mbuf_dyn *d;

		if (unlikely(m[i] == NULL || m[i]->pool != q->buf_pool)) {
			rte_errno = EINVAL;
			break;
		}
		d = d11tx_mbuf_dyn(m[i]);
		if (unlikely(d->fifo_slot != 0)) {
			rte_errno = d->fifo_slot == BUF_IN_POOL ? EINVAL : EALREADY;
			break;
		}
		d->fifo_slot = BUF_IN_POOL;
	}
	rte_pktmbuf_free_bulk(m, i);
	return i;
}

uint16_t
d11tx_buf_room(const struct d11tx_queue *q)
{
	return q->buf_room;
}
