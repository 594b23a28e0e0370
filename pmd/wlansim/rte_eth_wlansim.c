/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * net_wlansim: a virtual WLAN NIC, as a DPDK poll-mode driver.
 *
 * Each TX queue is a descriptor ring that drains onto a modelled medium:
 * a frame takes a descriptor when tx_burst accepts it (a full ring takes
 * nothing more: backpressure), goes on the air once the medium is free and
 * its airtime (all its attempts) has elapsed, and is then "done". Done
 * frames keep their descriptors until the driver frees them, lazily and in
 * bulk as ixgbe and i40e do: on a tx_burst that finds fewer than
 * tx_free_thresh descriptors free, or on tx_done_cleanup. Before freeing a
 * frame the driver writes its outcome (acked, no ACK after the retries, no
 * ACK expected, or not sent at all when stopped first) into the TX status
 * dynamic field of every segment (D11TX_TX_STATUS_DYNFIELD).
 *
 * Outcomes and airtimes are drawn per frame, at acceptance, from a seeded
 * generator per queue: the same seed and the same frames give the same
 * outcomes, whatever the timing. Faults (refused bursts, stalls, link
 * loss) have a generator of their own, so that they never shift outcomes.
 *
 * The air model (IEEE 802.11a/g OFDM, 20 MHz, one station, no collisions):
 * an attempt is DIFS (34 us) + the mean backoff of its contention window
 * (CW 15, doubling per retry up to 1023, 9 us slots) + the PPDU (20 us
 * preamble and SIGNAL, then 4 us symbols of SERVICE + MPDU + FCS + tail)
 * + SIFS (16 us) + an ACK at min(rate, 24 Mbit/s) when one is expected.
 * rate=unlimited makes every airtime zero.
 */

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>

#include <rte_common.h>
#include <rte_cycles.h>
#include <rte_ether.h>
#include <rte_log.h>
#include <rte_malloc.h>
#include <rte_mbuf.h>
#include <rte_mbuf_dyn.h>
#include <rte_spinlock.h>

#include <bus_vdev_driver.h>
#include <ethdev_driver.h>
#include <ethdev_vdev.h>

#include "dpdk_compat_driver.h"

#include "dot11tx/dot11.h"
#include "dot11tx/dot11tx.h"
#include "dot11_internal.h"

#include "wlansim_args.h"
#include "wlansim_model.h"

RTE_LOG_REGISTER_DEFAULT(wlansim_logtype, NOTICE);
#define SIM_LOG(level, ...) \
	rte_log(RTE_LOG_ ## level, wlansim_logtype, "net_wlansim: " __VA_ARGS__)

#define WLANSIM_DEFAULT_FREE_THRESH 32
#define FREE_CHUNK 64

struct wlansim_desc {
	struct rte_mbuf *m;
	uint64_t enq_tsc;          /* accepted; cannot go out before */
	uint64_t airtime;          /* TSC cycles of all its attempts */
	uint32_t len;              /* MPDU bytes (radiotap and FCS stripped) */
	uint16_t mpdu_off;         /* where the MPDU starts in the frame */
	uint8_t outcome;           /* enum d11tx_tx_outcome once decided */
	uint8_t retries;
	struct d11tx_tx_rate rate; /* the frame's own, or the default */
};

struct wlansim_qstats {
	uint64_t frames;           /* went on the air */
	uint64_t bytes;
	uint64_t acked;
	uint64_t noack;
	uint64_t no_ack_policy;
	uint64_t retries;
	uint64_t dropped;          /* released unsent by a stop */
	uint64_t refused_bursts;
	uint64_t stalls;
	uint64_t malformed;        /* radiotap=1: no valid radiotap header */
};

struct pmd_internals;

struct wlansim_txq {
	struct wlansim_desc *ring;
	struct pmd_internals *sim;
	uint16_t size;
	uint16_t free_thresh;
	uint16_t qid;
	uint16_t nb_used;          /* descriptors holding a frame */
	uint16_t nb_done;          /* of which on the air already */
	uint16_t tail;             /* oldest frame held */
	uint16_t air;              /* next frame to go on the air */
	uint16_t head;             /* next descriptor to fill */
	bool started;              /* takes frames only between start and stop */
	uint64_t medium_free_tsc;  /* the medium is busy until then */
	uint32_t stall_countdown;
	uint64_t rng_outcome;
	uint64_t rng_fault;
	struct wlansim_qstats stats;
};

struct pmd_internals {
	struct wlansim_params p;
	struct wlansim_model model;
	uint16_t nb_queues;        /* devarg: queues the port offers */
	uint16_t ring_default;
	bool radiotap_in;          /* frames arrive behind a radiotap header */
	uint64_t refuse_threshold; /* of 2^53 */
	uint64_t stall_cycles;
	uint64_t link_down_cycles;
	uint64_t link_down_after;
	/* Shared by the queues' lcores and the control thread. */
	bool link_up;
	uint64_t link_up_tsc;      /* nothing goes out before */
	uint64_t link_restore_tsc; /* link_down_us: when it comes back */
	uint64_t aired;            /* frames on the air, all queues */
	uint64_t link_down_events;
	/* pcap tap */
	FILE *pcap;
	rte_spinlock_t pcap_lock;
	uint64_t pcap_base_tsc;
	struct timeval pcap_base_tv;
	uint8_t *pcap_buf;
	struct rte_ether_addr mac;
	char pcap_path[WLANSIM_PCAP_PATH_MAX];
};

static int tx_status_offset = -1;
/* The TX parameter field and its flag (D11TX_TX_PARAMS_DYNFIELD). */
static int tx_params_offset = -1;
static uint64_t tx_params_flag;

/* ---------- parameters ---------- */

/* The device arguments: wlansim_args.c. */
static int
parse_args(const char *params, struct pmd_internals *sim)
{
	struct wlansim_args a;
	int ret;

	ret = wlansim_args_parse(params, &a);
	if (ret != 0)
		return ret;
	sim->p = a.p;
	sim->nb_queues = a.nb_queues;
	sim->ring_default = a.ring_default;
	sim->radiotap_in = a.radiotap_in;
	sim->link_down_after = a.link_down_after;
	memcpy(sim->pcap_path, a.pcap_path, sizeof(sim->pcap_path));
	return 0;
}

/* ---------- the pcap tap ---------- */

#define PCAP_LINKTYPE_RADIOTAP 127

static int
pcap_open(struct pmd_internals *sim)
{
	const struct {
		uint32_t magic;
		uint16_t major, minor;
		int32_t thiszone;
		uint32_t sigfigs, snaplen, linktype;
	} hdr = { 0xa1b2c3d4, 2, 4, 0, 0, 65535, PCAP_LINKTYPE_RADIOTAP };

	int err;

	sim->pcap = fopen(sim->pcap_path, "wb");
	if (sim->pcap == NULL) {
		err = errno;
		SIM_LOG(ERR, "pcap=%s: %s\n", sim->pcap_path, strerror(err));
		return -err;
	}
	sim->pcap_buf = rte_malloc("wlansim_pcap", WLANSIM_TAP_HDR_MAX +
				   D11TX_DOT11_MAX_MPDU, 0);
	err = sim->pcap_buf == NULL ? ENOMEM
		: fwrite(&hdr, sizeof(hdr), 1, sim->pcap) != 1 ? EIO : 0;
	if (err != 0) {
		SIM_LOG(ERR, "pcap=%s: %s\n", sim->pcap_path, strerror(err));
		rte_free(sim->pcap_buf);
		sim->pcap_buf = NULL;
		fclose(sim->pcap);
		sim->pcap = NULL;
		return -err;
	}
	rte_spinlock_init(&sim->pcap_lock);
	sim->pcap_base_tsc = rte_get_tsc_cycles();
	gettimeofday(&sim->pcap_base_tv, NULL);
	return 0;
}

/* Write what went on the air: a radiotap header with its TX status, as
 * mac80211 gives monitor interfaces, then the MPDU. */
static void
pcap_write(struct pmd_internals *sim, const struct wlansim_desc *d,
	   uint64_t end_tsc)
{
	struct {
		uint32_t sec, usec, caplen, len;
	} rec;
	const uint64_t hz = rte_get_tsc_hz();
	const uint64_t dt = end_tsc - sim->pcap_base_tsc;
	uint64_t usec = (uint64_t)sim->pcap_base_tv.tv_usec +
		(dt / hz) * 1000000 + (dt % hz) * 1000000 / hz;
	const struct rte_mbuf *m = d->m;
	uint32_t hdr_len, off;
	const void *mpdu;

	off = d->mpdu_off;             /* past the radiotap header given */
	rte_spinlock_lock(&sim->pcap_lock);
	hdr_len = wlansim_tap_header(&sim->model, &d->rate, d->outcome, d->retries,
				     sim->pcap_buf);
	mpdu = rte_pktmbuf_read(m, off, d->len, sim->pcap_buf + hdr_len);
	if (mpdu != sim->pcap_buf + hdr_len)
		memcpy(sim->pcap_buf + hdr_len, mpdu, d->len);
	rec.sec = (uint32_t)(sim->pcap_base_tv.tv_sec + usec / 1000000);
	rec.usec = (uint32_t)(usec % 1000000);
	rec.caplen = rec.len = hdr_len + d->len;
	if (fwrite(&rec, sizeof(rec), 1, sim->pcap) != 1 ||
	    fwrite(sim->pcap_buf, rec.caplen, 1, sim->pcap) != 1)
		SIM_LOG(WARNING, "pcap=%s: write failed\n", sim->pcap_path);
	rte_spinlock_unlock(&sim->pcap_lock);
}

/* ---------- the data path ---------- */

static inline struct d11tx_tx_status *
tx_status(struct rte_mbuf *m)
{
	return RTE_MBUF_DYNFIELD(m, tx_status_offset, struct d11tx_tx_status *);
}

static inline uint16_t
ring_next(const struct wlansim_txq *q, uint16_t i)
{
	return (uint16_t)(i + 1 == q->size ? 0 : i + 1);
}

static void
link_set(struct pmd_internals *sim, bool up, uint64_t now)
{
	if (up)
		__atomic_store_n(&sim->link_up_tsc, now, __ATOMIC_RELAXED);
	__atomic_store_n(&sim->link_up, up, __ATOMIC_RELEASE);
}

/* Link down for link_down_us: bring it back once the time is up. */
static inline bool
link_is_up(struct pmd_internals *sim, uint64_t now)
{
	if (likely(__atomic_load_n(&sim->link_up, __ATOMIC_ACQUIRE)))
		return true;
	const uint64_t restore = __atomic_load_n(&sim->link_restore_tsc,
						 __ATOMIC_RELAXED);

	if (restore != 0 && now >= restore) {
		__atomic_store_n(&sim->link_restore_tsc, 0, __ATOMIC_RELAXED);
		/* Up since the restore time, whenever someone looks. */
		link_set(sim, true, restore);
		return true;
	}
	return false;
}

/* The medium carried everything whose airtime ended by @p now. */
static void
advance_air(struct wlansim_txq *q, uint64_t now)
{
	struct pmd_internals *sim = q->sim;

	/* Counted, not compared: air == head on a full ring, too. */
	while (q->nb_done != q->nb_used) {
		struct wlansim_desc *d = &q->ring[q->air];
		uint64_t start, end;

		if (unlikely(d->outcome == D11TX_TX_OUTCOME_NOT_SENT)) {
			/* Malformed: never on the air, done in its turn. */
			q->air = ring_next(q, q->air);
			q->nb_done++;
			continue;
		}
		if (unlikely(!link_is_up(sim, now)))
			return;
		start = RTE_MAX(q->medium_free_tsc, d->enq_tsc);
		start = RTE_MAX(start, __atomic_load_n(&sim->link_up_tsc,
						       __ATOMIC_RELAXED));
		end = start + d->airtime;
		if (end > now)
			return;
		q->medium_free_tsc = end;
		q->stats.frames++;
		q->stats.bytes += d->len;
		q->stats.retries += d->retries;
		switch (d->outcome) {
		case D11TX_TX_OUTCOME_ACKED: q->stats.acked++; break;
		case D11TX_TX_OUTCOME_NOACK: q->stats.noack++; break;
		default: q->stats.no_ack_policy++; break;
		}
		if (unlikely(sim->pcap != NULL))
			pcap_write(sim, d, end);
		q->air = ring_next(q, q->air);
		q->nb_done++;
		if (unlikely(sim->stall_cycles != 0) && --q->stall_countdown == 0) {
			q->medium_free_tsc += sim->stall_cycles;
			q->stall_countdown = sim->p.stall_every;
			q->stats.stalls++;
		}
		if (unlikely(sim->link_down_after != 0) &&
		    __atomic_add_fetch(&sim->aired, 1, __ATOMIC_RELAXED) %
		    sim->link_down_after == 0) {
			__atomic_store_n(&sim->link_restore_tsc,
					 sim->link_down_cycles ? end + sim->link_down_cycles : 0,
					 __ATOMIC_RELAXED);
			link_set(sim, false, now);
			__atomic_fetch_add(&sim->link_down_events, 1, __ATOMIC_RELAXED);
		}
	}
}

/* Free up to @p n frames from the tail: the done ones, and with
 * @p unsent also those that never went out (a stop). */
static uint32_t
release(struct wlansim_txq *q, uint32_t n, bool unsent)
{
	struct rte_mbuf *batch[FREE_CHUNK];
	uint32_t freed = 0;

	while (freed < n) {
		uint32_t k = 0;

		while (k < FREE_CHUNK && freed + k < n) {
			struct wlansim_desc *d = &q->ring[q->tail];
			struct d11tx_tx_status st;

			if (q->nb_done != 0) {
				q->nb_done--;
			} else if (unsent && q->nb_used != 0) {
				/* A malformed frame was counted (malformed) when
				 * taken: count only the stop's own victims. */
				if (d->outcome != D11TX_TX_OUTCOME_NOT_SENT)
					q->stats.dropped++;
				d->outcome = D11TX_TX_OUTCOME_NOT_SENT;
				d->retries = 0;
				d->rate = (struct d11tx_tx_rate){ 0 };
				q->air = ring_next(q, q->air);
			} else {
				break;
			}
			st.outcome = d->outcome;
			st.retries = d->retries;
			st.rate = d->rate;
			for (struct rte_mbuf *s = d->m; s != NULL; s = s->next)
				*tx_status(s) = st;
			batch[k++] = d->m;
			d->m = NULL;
			q->tail = ring_next(q, q->tail);
			q->nb_used--;
		}
		if (k == 0)
			break;
		rte_pktmbuf_free_bulk(batch, k);
		freed += k;
	}
	return freed;
}

/*
 * The MPDU of @p m: past its radiotap header on a radiotap=1 port, less
 * the FCS the header may announce. Returns its length, or 0 for a frame
 * that cannot be sent (no valid radiotap header, no MPDU, or longer than
 * the largest MPDU). *mpdu and *contig give the MPDU bytes readable in the
 * first segment. *tx says how the frame asks to go: its TX parameters
 * (D11TX_TX_PARAMS_DYNFIELD) if it has them, else its radiotap header's
 * rate, Data Retries and NOACK; expects_ack is only the latter's half.
 */
static uint32_t
frame_view(const struct pmd_internals *sim, const struct rte_mbuf *m,
	   uint16_t *off, const uint8_t **mpdu, uint32_t *contig,
	   struct wlansim_tx *tx)
{
	const uint8_t *p = rte_pktmbuf_mtod(m, const uint8_t *);
	const uint32_t seg_len = rte_pktmbuf_data_len(m);
	struct d11tx_radiotap_info rt = { 0 };
	uint32_t fcs, len;

	if (sim->radiotap_in &&
	    (d11tx_radiotap_parse(p, seg_len, &rt) != 0 ||
	     rt.len > WLANSIM_MAX_RADIOTAP_IN))
		return 0;
	fcs = rt.flags & D11TX_RADIOTAP_F_FCS ? 4 : 0;
	if (rt.len + fcs >= m->pkt_len)
		return 0;
	len = m->pkt_len - rt.len - fcs;
	if (len > D11TX_DOT11_MAX_MPDU)
		return 0;
	if (m->ol_flags & tx_params_flag) {
		const struct d11tx_tx_params *p = RTE_MBUF_DYNFIELD(m,
			tx_params_offset, const struct d11tx_tx_params *);

		/* Checked by whoever set them; a rate that is none goes at
		 * the port's. */
		tx->rate = d11tx_tx_rate_check(&p->rate) == 0 ? p->rate :
			(struct d11tx_tx_rate){ 0 };
		tx->retry_limit = p->flags & D11TX_TXP_RETRY_LIMIT ? p->retry_limit : -1;
		tx->expects_ack = !(p->flags & D11TX_TXP_NO_ACK);
	} else {
		if (d11tx_tx_rate_check(&rt.rate) == 0)
			tx->rate = rt.rate;
		if (rt.present & D11TX_RADIOTAP_PRESENT_DATA_RETRIES)
			tx->retry_limit = rt.data_retries;
		tx->expects_ack = !(rt.tx_flags & D11TX_RADIOTAP_TX_NOACK);
	}
	*off = (uint16_t)rt.len;
	*mpdu = p + rt.len;
	*contig = RTE_MIN(len, seg_len - rt.len);
	return len;
}

static uint16_t
wlansim_tx_burst(void *queue, struct rte_mbuf **pkts, uint16_t nb_pkts)
{
	struct wlansim_txq *q = queue;
	struct pmd_internals *sim = q->sim;
	const uint64_t now = rte_get_tsc_cycles();
	uint16_t n, i;

	if (unlikely(!q->started))
		return 0;
	advance_air(q, now);
	if (q->size - q->nb_used < q->free_thresh && q->nb_done != 0)
		release(q, q->nb_done, false);
	if (nb_pkts == 0)
		return 0;
	if (unlikely(!link_is_up(sim, now)))
		return 0;
	if (unlikely(sim->refuse_threshold != 0) &&
	    (wlansim_rng_next(&q->rng_fault) >> 11) < sim->refuse_threshold) {
		q->stats.refused_bursts++;
		return 0;
	}
	n = RTE_MIN(nb_pkts, (uint16_t)(q->size - q->nb_used));
	for (i = 0; i < n; i++) {
		struct wlansim_desc *d = &q->ring[q->head];
		struct rte_mbuf *m = pkts[i];
		const uint8_t *mpdu = NULL;
		uint32_t contig = 0;
		struct wlansim_tx tx = { .retry_limit = -1, .expects_ack = true };
		uint32_t len = frame_view(sim, m, &d->mpdu_off, &mpdu, &contig, &tx);

		d->m = m;
		d->enq_tsc = now;
		d->len = len;
		if (unlikely(len == 0)) {
			/* Nothing a radio could send: released unsent. */
			q->stats.malformed++;
			d->len = 0;
			d->airtime = 0;
			d->outcome = D11TX_TX_OUTCOME_NOT_SENT;
			d->retries = 0;
			d->rate = (struct d11tx_tx_rate){ 0 };
		} else {
			/* The header is in the first segment in practice;
			 * a frame split inside its header counts as
			 * expecting an ACK only if what is there says so. */
			tx.expects_ack = tx.expects_ack &&
				d11tx_dot11_expects_ack(mpdu, contig);
			wlansim_model_frame_tx(&sim->model, &q->rng_outcome, len,
					       &tx, &d->airtime, NULL,
					       &d->outcome, &d->retries);
			d->rate = tx.rate;
		}
		q->head = ring_next(q, q->head);
	}
	q->nb_used += n;
	return n;
}

static int
wlansim_tx_done_cleanup(void *queue, uint32_t free_cnt)
{
	struct wlansim_txq *q = queue;

	advance_air(q, rte_get_tsc_cycles());
	return (int)release(q, free_cnt == 0 ? q->nb_done :
			    RTE_MIN(free_cnt, (uint32_t)q->nb_done), false);
}

static uint16_t
wlansim_rx_burst(void *queue __rte_unused, struct rte_mbuf **pkts __rte_unused,
		 uint16_t nb_pkts __rte_unused)
{
	return 0;     /* a transmitter: nothing is ever received */
}

/* ---------- control path ---------- */

/* Everything the queue holds goes: what aired with its outcome, the rest
 * as not sent. */
static void
txq_flush(struct wlansim_txq *q)
{
	advance_air(q, rte_get_tsc_cycles());
	release(q, q->nb_used, true);
	q->head = q->tail = q->air = 0;
	q->nb_done = 0;
}

static int
wlansim_dev_configure(struct rte_eth_dev *dev __rte_unused)
{
	return 0;
}

static int
wlansim_dev_start(struct rte_eth_dev *dev)
{
	struct pmd_internals *sim = dev->data->dev_private;

	for (uint16_t i = 0; i < dev->data->nb_tx_queues; i++) {
		struct wlansim_txq *q = dev->data->tx_queues[i];

		if (q != NULL)
			q->started = true;
		dev->data->tx_queue_state[i] = RTE_ETH_QUEUE_STATE_STARTED;
	}
	for (uint16_t i = 0; i < dev->data->nb_rx_queues; i++)
		dev->data->rx_queue_state[i] = RTE_ETH_QUEUE_STATE_STARTED;
	__atomic_store_n(&sim->link_restore_tsc, 0, __ATOMIC_RELAXED);
	link_set(sim, true, rte_get_tsc_cycles());
	dev->data->dev_link.link_status = RTE_ETH_LINK_UP;
	return 0;
}

static int
wlansim_dev_stop(struct rte_eth_dev *dev)
{
	struct pmd_internals *sim = dev->data->dev_private;

	for (uint16_t i = 0; i < dev->data->nb_tx_queues; i++) {
		struct wlansim_txq *q = dev->data->tx_queues[i];

		if (q != NULL) {
			q->started = false;
			txq_flush(q);
		}
		dev->data->tx_queue_state[i] = RTE_ETH_QUEUE_STATE_STOPPED;
	}
	for (uint16_t i = 0; i < dev->data->nb_rx_queues; i++)
		dev->data->rx_queue_state[i] = RTE_ETH_QUEUE_STATE_STOPPED;
	link_set(sim, false, 0);
	dev->data->dev_link.link_status = RTE_ETH_LINK_DOWN;
	if (sim->pcap != NULL)
		fflush(sim->pcap);
	return 0;
}

static int
wlansim_tx_queue_start(struct rte_eth_dev *dev, uint16_t qid)
{
	struct wlansim_txq *q = dev->data->tx_queues[qid];

	if (q != NULL)
		q->started = true;
	dev->data->tx_queue_state[qid] = RTE_ETH_QUEUE_STATE_STARTED;
	return 0;
}

static int
wlansim_tx_queue_stop(struct rte_eth_dev *dev, uint16_t qid)
{
	struct wlansim_txq *q = dev->data->tx_queues[qid];

	if (q != NULL) {
		q->started = false;
		txq_flush(q);
	}
	dev->data->tx_queue_state[qid] = RTE_ETH_QUEUE_STATE_STOPPED;
	return 0;
}

static int
wlansim_rx_queue_start(struct rte_eth_dev *dev, uint16_t qid)
{
	dev->data->rx_queue_state[qid] = RTE_ETH_QUEUE_STATE_STARTED;
	return 0;
}

static int
wlansim_rx_queue_stop(struct rte_eth_dev *dev, uint16_t qid)
{
	dev->data->rx_queue_state[qid] = RTE_ETH_QUEUE_STATE_STOPPED;
	return 0;
}

static void
wlansim_tx_queue_release(struct rte_eth_dev *dev, uint16_t qid)
{
	struct wlansim_txq *q = dev->data->tx_queues[qid];

	if (q == NULL)
		return;
	txq_flush(q);
	rte_free(q->ring);
	rte_free(q);
	dev->data->tx_queues[qid] = NULL;
}

static uint16_t
default_free_thresh(const struct pmd_internals *sim)
{
	return RTE_MIN(WLANSIM_DEFAULT_FREE_THRESH, sim->ring_default / 2);
}

static int
wlansim_tx_queue_setup(struct rte_eth_dev *dev, uint16_t qid, uint16_t nb_desc,
		       unsigned int socket_id, const struct rte_eth_txconf *conf)
{
	struct pmd_internals *sim = dev->data->dev_private;
	struct wlansim_txq *q;
	uint16_t thresh;

	if (nb_desc < WLANSIM_MIN_RING || nb_desc > WLANSIM_MAX_RING) {
		SIM_LOG(ERR, "queue %u: %u descriptors, want %u to %u\n",
			qid, nb_desc, WLANSIM_MIN_RING, WLANSIM_MAX_RING);
		return -EINVAL;
	}
	thresh = conf->tx_free_thresh ? conf->tx_free_thresh
		: RTE_MIN(WLANSIM_DEFAULT_FREE_THRESH, nb_desc / 2);
	/* The default (ours, as dev_info advertises it) shrinks to fit a
	 * small ring; only a threshold the app chose is held to. */
	if (thresh >= nb_desc && (thresh == default_free_thresh(sim) ||
				  thresh == WLANSIM_DEFAULT_FREE_THRESH))
		thresh = nb_desc / 2;
	if (thresh >= nb_desc) {
		SIM_LOG(ERR, "queue %u: tx_free_thresh %u must be below the %u descriptors\n",
			qid, thresh, nb_desc);
		return -EINVAL;
	}
	wlansim_tx_queue_release(dev, qid);
	q = rte_zmalloc_socket("wlansim_txq", sizeof(*q), RTE_CACHE_LINE_SIZE,
			       (int)socket_id);
	if (q == NULL)
		return -ENOMEM;
	q->ring = rte_zmalloc_socket("wlansim_ring", sizeof(*q->ring) * nb_desc,
				     RTE_CACHE_LINE_SIZE, (int)socket_id);
	if (q->ring == NULL) {
		rte_free(q);
		return -ENOMEM;
	}
	q->sim = sim;
	q->size = nb_desc;
	q->free_thresh = thresh;
	q->qid = qid;
	q->stall_countdown = sim->p.stall_every;
	/* Queue i's streams: the seed and i, spread by the generator. */
	q->rng_outcome = sim->p.seed ^ (0x5851f42d4c957f2dull * (qid + 1));
	q->rng_fault = ~q->rng_outcome;
	dev->data->tx_queues[qid] = q;
	return 0;
}

static int
wlansim_rx_queue_setup(struct rte_eth_dev *dev, uint16_t qid,
		       uint16_t nb_desc __rte_unused, unsigned int socket_id __rte_unused,
		       const struct rte_eth_rxconf *conf __rte_unused,
		       struct rte_mempool *mp __rte_unused)
{
	/* Any non-NULL pointer: this port never receives. */
	dev->data->rx_queues[qid] = dev->data->dev_private;
	return 0;
}

static void
wlansim_rx_queue_release(struct rte_eth_dev *dev, uint16_t qid)
{
	dev->data->rx_queues[qid] = NULL;
}

static int
wlansim_dev_close(struct rte_eth_dev *dev)
{
	struct pmd_internals *sim = dev->data->dev_private;

	if (rte_eal_process_type() != RTE_PROC_PRIMARY)
		return 0;
	for (uint16_t i = 0; i < dev->data->nb_tx_queues; i++)
		wlansim_tx_queue_release(dev, i);
	if (sim->pcap != NULL) {
		fclose(sim->pcap);
		sim->pcap = NULL;
	}
	rte_free(sim->pcap_buf);
	sim->pcap_buf = NULL;
	/* The MAC lives in dev_private: not rte_free's to take. */
	dev->data->mac_addrs = NULL;
	return 0;
}

static int
wlansim_dev_info(struct rte_eth_dev *dev, struct rte_eth_dev_info *info)
{
	struct pmd_internals *sim = dev->data->dev_private;

	info->max_mac_addrs = 1;
	info->max_rx_pktlen = D11TX_DOT11_MAX_MPDU + WLANSIM_MAX_RADIOTAP_IN;
	info->max_rx_queues = sim->nb_queues;
	info->max_tx_queues = sim->nb_queues;
	info->min_mtu = RTE_ETHER_MIN_MTU;
	info->max_mtu = D11TX_DOT11_MAX_MPDU;
	info->tx_offload_capa = RTE_ETH_TX_OFFLOAD_MULTI_SEGS;
	info->tx_desc_lim.nb_max = WLANSIM_MAX_RING;
	info->tx_desc_lim.nb_min = WLANSIM_MIN_RING;
	info->tx_desc_lim.nb_align = 1;
	info->default_txportconf.ring_size = sim->ring_default;
	info->default_txportconf.nb_queues = 1;
	info->default_txconf.tx_free_thresh = default_free_thresh(sim);
	info->speed_capa = RTE_ETH_LINK_SPEED_FIXED;
	return 0;
}

static int
wlansim_link_update(struct rte_eth_dev *dev, int wait __rte_unused)
{
	struct pmd_internals *sim = dev->data->dev_private;
	struct rte_eth_link link = {
		.link_speed = sim->p.rate_kbps ? RTE_MAX(1u, sim->p.rate_kbps / 1000)
			: RTE_ETH_SPEED_NUM_UNKNOWN,
		.link_duplex = RTE_ETH_LINK_HALF_DUPLEX,
		.link_autoneg = RTE_ETH_LINK_FIXED,
		.link_status = dev->data->dev_started &&
			link_is_up(sim, rte_get_tsc_cycles()) ? RTE_ETH_LINK_UP
			: RTE_ETH_LINK_DOWN,
	};

	return rte_eth_linkstatus_set(dev, &link);
}

static int
wlansim_set_link_up(struct rte_eth_dev *dev)
{
	struct pmd_internals *sim = dev->data->dev_private;

	__atomic_store_n(&sim->link_restore_tsc, 0, __ATOMIC_RELAXED);
	link_set(sim, true, rte_get_tsc_cycles());
	return 0;
}

static int
wlansim_set_link_down(struct rte_eth_dev *dev)
{
	struct pmd_internals *sim = dev->data->dev_private;

	__atomic_store_n(&sim->link_restore_tsc, 0, __ATOMIC_RELAXED);
	link_set(sim, false, 0);
	return 0;
}

static int
wlansim_stats_get(COMPAT_STATS_GET_PARAMS(dev, st, qst))
{
	compat_eth_queue_stats *per_queue = COMPAT_QUEUE_STATS(st, qst);

	for (uint16_t i = 0; i < dev->data->nb_tx_queues; i++) {
		const struct wlansim_txq *q = dev->data->tx_queues[i];

		if (q == NULL)
			continue;
		st->opackets += q->stats.frames;
		st->obytes += q->stats.bytes;
		/* Frames that went out unacknowledged, or never went out. */
		st->oerrors += q->stats.noack + q->stats.dropped + q->stats.malformed;
		if (per_queue != NULL && i < RTE_ETHDEV_QUEUE_STAT_CNTRS) {
			per_queue->q_opackets[i] = q->stats.frames;
			per_queue->q_obytes[i] = q->stats.bytes;
		}
	}
	return 0;
}

static int
wlansim_stats_reset(struct rte_eth_dev *dev)
{
	for (uint16_t i = 0; i < dev->data->nb_tx_queues; i++) {
		struct wlansim_txq *q = dev->data->tx_queues[i];

		if (q != NULL)
			memset(&q->stats, 0, sizeof(q->stats));
	}
	return 0;
}

static int
wlansim_xstats_reset(struct rte_eth_dev *dev)
{
	struct pmd_internals *sim = dev->data->dev_private;

	__atomic_store_n(&sim->link_down_events, 0, __ATOMIC_RELAXED);
	return wlansim_stats_reset(dev);
}

static const struct {
	const char *name;
	size_t offset;
} xstat_fields[] = {
	{ "frames", offsetof(struct wlansim_qstats, frames) },
	{ "bytes", offsetof(struct wlansim_qstats, bytes) },
	{ "acked", offsetof(struct wlansim_qstats, acked) },
	{ "noack", offsetof(struct wlansim_qstats, noack) },
	{ "no_ack_policy", offsetof(struct wlansim_qstats, no_ack_policy) },
	{ "retries", offsetof(struct wlansim_qstats, retries) },
	{ "dropped", offsetof(struct wlansim_qstats, dropped) },
	{ "refused_bursts", offsetof(struct wlansim_qstats, refused_bursts) },
	{ "stalls", offsetof(struct wlansim_qstats, stalls) },
	{ "malformed", offsetof(struct wlansim_qstats, malformed) },
};
#define NB_XSTAT_FIELDS RTE_DIM(xstat_fields)

static unsigned int
xstats_count(const struct rte_eth_dev *dev)
{
	return 1 + dev->data->nb_tx_queues * NB_XSTAT_FIELDS;
}

static int
wlansim_xstats_get_names(struct rte_eth_dev *dev,
			 struct rte_eth_xstat_name *names, unsigned int size)
{
	const unsigned int count = xstats_count(dev);
	unsigned int k = 0;

	if (names == NULL || size < count)
		return (int)count;
	snprintf(names[k++].name, RTE_ETH_XSTATS_NAME_SIZE, "link_down_events");
	for (uint16_t i = 0; i < dev->data->nb_tx_queues; i++)
		for (unsigned int f = 0; f < NB_XSTAT_FIELDS; f++)
			snprintf(names[k++].name, RTE_ETH_XSTATS_NAME_SIZE,
				 "tx_q%u_%s", i, xstat_fields[f].name);
	return (int)count;
}

static int
wlansim_xstats_get(struct rte_eth_dev *dev, struct rte_eth_xstat *xs,
		   unsigned int n)
{
	struct pmd_internals *sim = dev->data->dev_private;
	const unsigned int count = xstats_count(dev);
	unsigned int k = 0;

	if (xs == NULL || n < count)
		return (int)count;
	xs[k].id = k;
	xs[k++].value = __atomic_load_n(&sim->link_down_events, __ATOMIC_RELAXED);
	for (uint16_t i = 0; i < dev->data->nb_tx_queues; i++) {
		const struct wlansim_txq *q = dev->data->tx_queues[i];

		for (unsigned int f = 0; f < NB_XSTAT_FIELDS; f++) {
			xs[k].id = k;
			xs[k++].value = q == NULL ? 0 : *(const uint64_t *)
				((const char *)&q->stats + xstat_fields[f].offset);
		}
	}
	return (int)count;
}

static void
wlansim_txq_info_get(struct rte_eth_dev *dev, uint16_t qid,
		     struct rte_eth_txq_info *qinfo)
{
	const struct wlansim_txq *q = dev->data->tx_queues[qid];

	qinfo->nb_desc = q->size;
	qinfo->conf.tx_free_thresh = q->free_thresh;
	qinfo->conf.offloads = dev->data->dev_conf.txmode.offloads;
}

static const struct eth_dev_ops wlansim_ops = {
	.dev_configure = wlansim_dev_configure,
	.dev_start = wlansim_dev_start,
	.dev_stop = wlansim_dev_stop,
	.dev_close = wlansim_dev_close,
	.dev_infos_get = wlansim_dev_info,
	.dev_set_link_up = wlansim_set_link_up,
	.dev_set_link_down = wlansim_set_link_down,
	.link_update = wlansim_link_update,
	.stats_get = wlansim_stats_get,
	.stats_reset = wlansim_stats_reset,
	.xstats_get = wlansim_xstats_get,
	.xstats_get_names = wlansim_xstats_get_names,
	.xstats_reset = wlansim_xstats_reset,
	.tx_queue_setup = wlansim_tx_queue_setup,
	.tx_queue_release = wlansim_tx_queue_release,
	.tx_queue_start = wlansim_tx_queue_start,
	.tx_queue_stop = wlansim_tx_queue_stop,
	.rx_queue_setup = wlansim_rx_queue_setup,
	.rx_queue_release = wlansim_rx_queue_release,
	.rx_queue_start = wlansim_rx_queue_start,
	.rx_queue_stop = wlansim_rx_queue_stop,
	.txq_info_get = wlansim_txq_info_get,
	.tx_done_cleanup = wlansim_tx_done_cleanup,
};

static int
register_tx_status(void)
{
	static const struct rte_mbuf_dynfield desc = {
		.name = D11TX_TX_STATUS_DYNFIELD,
		.size = sizeof(struct d11tx_tx_status),
		.align = __alignof__(struct d11tx_tx_status),
	};

	if (tx_status_offset < 0)
		tx_status_offset = rte_mbuf_dynfield_register(&desc);
	if (tx_status_offset < 0)
		return -rte_errno;
	/* What each frame asks for, as the engine (or any app) writes it. */
	if (tx_params_offset < 0)
		return d11tx_dot11_txp_dyn_register(&tx_params_offset, &tx_params_flag);
	return 0;
}

static int
wlansim_probe(struct rte_vdev_device *vdev)
{
	const char *name = rte_vdev_device_name(vdev);
	struct pmd_internals *sim;
	struct rte_eth_dev *dev;
	int ret;

	if (rte_eal_process_type() != RTE_PROC_PRIMARY) {
		SIM_LOG(ERR, "%s: secondary processes are not supported\n", name);
		return -ENOTSUP;
	}
	ret = register_tx_status();
	if (ret != 0) {
		SIM_LOG(ERR, "%s: cannot register the TX status field: %s\n",
			name, rte_strerror(-ret));
		return ret;
	}
	dev = rte_eth_vdev_allocate(vdev, sizeof(*sim));
	if (dev == NULL)
		return -ENOMEM;
	sim = dev->data->dev_private;
	ret = parse_args(rte_vdev_device_args(vdev), sim);
	if (ret == 0 && sim->pcap_path[0] != '\0')
		ret = pcap_open(sim);
	if (ret != 0) {
		SIM_LOG(ERR, "%s: not created\n", name);
		rte_eth_dev_release_port(dev);
		return ret;
	}
	wlansim_model_init(&sim->model, &sim->p);
	sim->refuse_threshold = (uint64_t)(sim->p.refuse * (double)(1ull << 53));
	sim->stall_cycles = wlansim_us_to_tsc(sim->p.stall_us);
	sim->link_down_cycles = wlansim_us_to_tsc(sim->p.link_down_us);

	/* A locally administered MAC from the port id: 02:57:4c:53:00:NN. */
	sim->mac = (struct rte_ether_addr){ { 0x02, 0x57, 0x4c, 0x53, 0,
					      (uint8_t)dev->data->port_id } };
	dev->data->mac_addrs = &sim->mac;
	dev->data->dev_link.link_status = RTE_ETH_LINK_DOWN;
	dev->data->dev_link.link_speed = RTE_ETH_SPEED_NUM_UNKNOWN;
	dev->dev_ops = &wlansim_ops;
	dev->tx_pkt_burst = wlansim_tx_burst;
	dev->rx_pkt_burst = wlansim_rx_burst;
	rte_eth_dev_probing_finish(dev);
	SIM_LOG(INFO, "%s: port %u, %u queue(s), %u descriptors, rate %s\n",
		name, dev->data->port_id, sim->nb_queues, sim->ring_default,
		sim->p.rate_kbps ? "modelled" : "unlimited");
	return 0;
}

static int
wlansim_remove(struct rte_vdev_device *vdev)
{
	struct rte_eth_dev *dev = rte_eth_dev_allocated(rte_vdev_device_name(vdev));

	if (dev == NULL)
		return 0;
	if (dev->data->dev_started)
		rte_eth_dev_stop(dev->data->port_id);
	wlansim_dev_close(dev);
	return rte_eth_dev_release_port(dev);
}

static struct rte_vdev_driver wlansim_driver = {
	.probe = wlansim_probe,
	.remove = wlansim_remove,
};

RTE_PMD_REGISTER_VDEV(net_wlansim, wlansim_driver);
RTE_PMD_REGISTER_PARAM_STRING(net_wlansim,
	"queues=<1-4> "
	"ring=<8-4096> "
	"rate=<Mbit/s>|unlimited "
	"ack_loss=<0-1> "
	"retry_limit=<0-15> "
	"seed=<int> "
	"pcap=<file> "
	"radiotap=<0|1> "
	"refuse=<0-1> "
	"stall_us=<us> "
	"stall_every=<frames> "
	"link_down_after=<frames> "
	"link_down_us=<us>");
