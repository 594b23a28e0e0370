/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The soak: frames by the million through net_wlansim with every fault on,
 * and a ledger that proves the contract for each of them.
 *
 * Five engine queues on four net_wlansim ports, all driven by this one
 * thread, each burst of random size and random frames:
 *
 *   q0  port A, the engine configures it, tracked pools
 *   q1  port B, the engine configures it, reference counts
 *   q2  port C queue 0, the test configures it, tracked pools
 *   q3  port C queue 1, the test configures it, reference counts
 *   q4  port D, the engine configures it, tracked pools, a modelled rate
 *       (frames take airtime: stops catch them on the air)
 *
 * Every port refuses bursts, stalls, loses ACKs (retries, then no ACK) and
 * drops its link now and then (devargs, drawn from the seed); the test
 * also takes links down and up, stops and restarts queues at random
 * moments with frames staged and at the NIC (d11tx_queue_stop with a
 * random timeout, then d11tx_queue_start), and now and then destroys a
 * queue in flight and creates it again. Each queue has four clients, with
 * two callbacks and a context each; one of them submits a burst from its
 * callback now and then. Bursts are of one of three kinds, at random:
 * app-owned 802.11 frames in two registered regions (d11tx_send_burst),
 * engine-owned buffers (d11tx_buf_alloc, d11tx_buf_submit), app-owned
 * Ethernet-style frames sent as two-segment chains (d11tx_send_eth_burst);
 * unicast and broadcast, of random lengths, with now and then one invalid
 * frame (each refusal reason) at a random place.
 *
 * The handle of each frame is its ledger entry, queue, client and a
 * sequence number. The ledger checks that:
 * - every accepted frame completes exactly once (no loss, no duplicate),
 *   to the client that sent it, and refused frames never complete;
 * - each client's completions come in submission order, except inside a
 *   stop or destroy, where all come after those before it and the frames
 *   never handed to the NIC (CANCELLED) are all newer than those the NIC
 *   gave back;
 * - the status fits what happened: ACKED and NOACK only for unicast
 *   frames (NOACK after exactly retry_limit retries), SENT only for
 *   broadcast ones, DROPPED and CANCELLED only inside a stop;
 * - an invalid frame is refused where it is, with its reason;
 * - the app's memory is unchanged when its frame completes;
 * - a stopped queue delivers nothing and refuses frames (ESHUTDOWN);
 * - at every stop and at the end: nothing in flight, the pools full, the
 *   engine's counters equal to the ledger's (submitted, completed by
 *   status, refused by reason, sent, retries), and the port's xstats too
 *   (acked, noack, no_ack_policy, dropped, retries, frames).
 *
 * Usage: soak [EAL options --] [--long] [--frames N] [--seed S] [--quiet]
 * Exit 0 pass, 1 fail (an EAL that cannot start too).
 */
#include <errno.h>
#include <stdlib.h>

#include <rte_bus_vdev.h>
#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_ethdev.h>
#include <rte_lcore.h>

#include <dot11tx/dot11tx.h>

#include "soak_util.h"

#define SHORT_FRAMES 2000000ull
#define LONG_FRAMES 100000000ull

#define NB_CLIENTS 4
#define NB_QUEUES 5
#define NB_PORTS 4
#define SLOT_SIZE 2048
#define MAX_BURST 64
#define UNREGISTERED_CLIENT 60

/* The handle: entry (16 bits), queue (4), client (6), sequence (38). */
#define H_ENTRY_BITS 16
#define H_QUEUE_SHIFT 16
#define H_CLIENT_SHIFT 20
#define H_SEQ_SHIFT 26

enum entry_state { E_FREE, E_OUT, E_DONE, E_REFUSED };

/* How a frame was sent. */
enum kind {
	K_APP,      /* app-owned 802.11 frame (d11tx_send_burst) */
	K_BUF,      /* engine-owned buffer (d11tx_buf_submit) */
	K_ETH,      /* app-owned Ethernet-style frame (d11tx_send_eth_burst) */
	NB_KINDS
};
static const char *const kind_name[NB_KINDS] = { "app-owned", "engine-owned",
						 "Ethernet-style" };

/* Counters the engine and the port restart from zero with a new queue:
 * the ledger's values when it was created, and the port's. */
struct baseline {
	uint64_t accepted;
	uint64_t by_status[D11TX_STATUS_MAX];
	uint64_t retries;
	uint64_t refusals[D11TX_REFUSED_MAX];
	uint64_t x[6];      /* xstats, in the order of xstat_names[] */
};

static const char *const xstat_names[6] = {
	"acked", "noack", "no_ack_policy", "dropped", "retries", "frames",
};

struct entry {
	uint64_t seq;
	uint16_t len;
	uint16_t slot;         /* app-owned: its slot in the region */
	uint8_t client;
	uint8_t state;
	uint8_t group;         /* broadcast: no ACK expected */
	uint8_t kind;          /* enum kind */
};

struct squeue;

struct soak_client {
	struct squeue *sq;
	uint16_t id;
	uint8_t cb_kind;       /* which of the two callbacks it registered */
	uint64_t accepted;
	uint64_t completed;
	uint64_t calls;
};

struct sport {
	char name[32];
	char args[256];
	uint16_t port;
	bool app_configured;
	uint8_t retry_limit;
	bool forced_down;      /* the test took the link down */
	uint64_t up_at_iter;
	uint64_t forced_flaps;
};

struct squeue {
	unsigned int index;
	const char *what;
	struct sport *sp;
	uint16_t qid;
	bool refcnt;
	struct d11tx_queue *q;
	uint32_t ring_size;
	uint16_t tx_burst;
	uint16_t buf_room;
	struct soak_client cl[NB_CLIENTS];

	/* The ledger: entries, reused first in, first out. */
	struct entry *ent;
	uint32_t nent;
	uint32_t *free_fifo;
	uint32_t ff_head, ff_count;
	uint64_t next_seq;
	uint64_t last_seq[NB_CLIENTS];

	/* App-owned frames: SLOT_SIZE slots in two registered regions. */
	uint8_t *mem[2];
	size_t mem_len;
	uint32_t nslots;
	uint16_t *slot_free;
	uint32_t nslot_free;

	/* Stops. */
	bool stopped;
	bool in_stop;
	uint64_t restart_at_iter;
	uint64_t stop_max[NB_CLIENTS];
	uint64_t stop_max_returned;     /* newest frame the NIC gave back */
	uint64_t stop_min_cancelled;    /* oldest frame never handed to it */
	uint64_t stops;
	uint64_t stops_port_stopped;    /* ... that had to stop the TX queue or port */
	uint64_t destroys;              /* ... and destroys in flight, then a new queue */
	uint64_t stop_max_tsc;
	struct baseline base;

	/* Counts. */
	uint64_t accepted, accepted_kind[NB_KINDS];
	uint64_t completed;
	uint64_t by_status[D11TX_STATUS_MAX];
	uint64_t retries;
	uint64_t refused_frames;
	uint64_t refusals[D11TX_REFUSED_MAX];   /* calls cut short, by reason */
	uint64_t injected[D11TX_REFUSED_MAX];   /* invalid frames, by reason */
	uint64_t buf_alloc_fail;
	uint64_t shutdown_probes;
	uint64_t nested_bursts;         /* submitted from a callback */

	/* What must stay zero. */
	uint64_t wrong_client;
	uint64_t duplicates;
	uint64_t refused_completed;
	uint64_t out_of_order;
	uint64_t bad_status;
	uint64_t memory_changed;
	uint64_t while_stopped;
	uint64_t garbage;
};

static struct sport ports[NB_PORTS];
static struct squeue queues[NB_QUEUES];
static struct soak_opts opts;
static struct rng rng;
static uint64_t iter;
static uint64_t probe_failures;    /* failures of the probe, before the soak */
/* An unregistered buffer, for EFAULT. */
static uint8_t outside[256];

/* ---------- the ledger ---------- */

static inline uint32_t
entry_alloc(struct squeue *sq)
{
	const uint32_t idx = sq->free_fifo[sq->ff_head];

	sq->ff_head = (sq->ff_head + 1) % sq->nent;
	sq->ff_count--;
	return idx;
}

static inline void
entry_release(struct squeue *sq, uint32_t idx)
{
	sq->free_fifo[(sq->ff_head + sq->ff_count) % sq->nent] = idx;
	sq->ff_count++;
}

static inline void *
make_handle(const struct squeue *sq, uint32_t idx, uint16_t client, uint64_t seq)
{
	return (void *)(uintptr_t)((uint64_t)idx | (uint64_t)sq->index << H_QUEUE_SHIFT |
				   (uint64_t)client << H_CLIENT_SHIFT |
				   seq << H_SEQ_SHIFT);
}

static inline uint8_t *
slot_ptr(const struct squeue *sq, uint32_t slot)
{
	const uint32_t half = sq->nslots / 2;

	return slot < half ? sq->mem[0] + (size_t)slot * SLOT_SIZE
		: sq->mem[1] + (size_t)(slot - half) * SLOT_SIZE;
}

/* An Ethernet-style frame (DA, EtherType, payload) of @p len >= 8 bytes,
 * stamped as soak_write_frame() does, where the payload has room. */
static void
write_eth(uint8_t *p, uint32_t len, bool group, uint64_t stamp)
{
	const uint64_t inv = ~stamp;

	memcpy(p, group ? soak_bcast : soak_unicast, 6);
	p[6] = 0x08;
	p[7] = 0x00;
	if (len >= 16)
		memcpy(p + 8, &stamp, 8);
	if (len >= 24)
		memcpy(p + len - 8, &inv, 8);
}

static bool
frame_intact(enum kind k, const uint8_t *p, uint32_t len, uint64_t stamp)
{
	uint64_t a, b;

	if (k != K_ETH)
		return soak_frame_intact(p, len, stamp);
	if (memcmp(p, soak_bcast, 6) != 0 && memcmp(p, soak_unicast, 6) != 0)
		return false;
	if (len >= 16) {
		memcpy(&a, p + 8, 8);
		if (a != stamp)
			return false;
	}
	if (len >= 24) {
		memcpy(&b, p + len - 8, 8);
		if (b != ~stamp)
			return false;
	}
	return true;
}

/* One completion, checked and entered. */
static inline void
complete_one(struct soak_client *c, uintptr_t h, uint8_t st, uint8_t r)
{
	struct squeue *sq = c->sq;
	const uint32_t idx = (uint32_t)(h & ((1u << H_ENTRY_BITS) - 1));
	const unsigned int qi = (unsigned int)(h >> H_QUEUE_SHIFT) & 0xf;
	const unsigned int cid = (unsigned int)(h >> H_CLIENT_SHIFT) & 0x3f;
	const uint64_t seq = (uint64_t)h >> H_SEQ_SHIFT;
	struct entry *e;

	if (qi != sq->index || idx >= sq->nent) {
		sq->garbage++;
		soak_fail("%s: client %u got handle %#" PRIxPTR " of no frame of its queue",
			  sq->what, c->id, h);
		return;
	}
	e = &sq->ent[idx];
	if (e->seq != seq || e->state == E_DONE) {
		/* Its entry was completed, or reused since: a second one. */
		sq->duplicates++;
		soak_fail("%s: frame %" PRIu64 " completed twice", sq->what, seq);
		return;
	}
	if (e->state == E_REFUSED) {
		sq->refused_completed++;
		soak_fail("%s: refused frame %" PRIu64 " completed", sq->what, seq);
		return;
	}
	if (e->state != E_OUT) {
		sq->garbage++;
		soak_fail("%s: frame %" PRIu64 " completed in state %u", sq->what,
			  seq, e->state);
		return;
	}
	if (cid != c->id || e->client != c->id) {
		sq->wrong_client++;
		soak_fail("%s: frame %" PRIu64 " of client %u delivered to client %u",
			  sq->what, seq, e->client, c->id);
	}

	/* The status fits what happened to the frame. */
	bool ok;

	switch (st) {
	case D11TX_STATUS_ACKED:
		ok = !e->group && r <= sq->sp->retry_limit;
		break;
	case D11TX_STATUS_NOACK:
		ok = !e->group && r == sq->sp->retry_limit;
		break;
	case D11TX_STATUS_SENT:
		ok = e->group && r == 0;
		break;
	case D11TX_STATUS_DROPPED:
	case D11TX_STATUS_CANCELLED:
		ok = sq->in_stop && r == 0;
		break;
	default:
		ok = false;
		break;
	}
	if (!ok) {
		sq->bad_status++;
		soak_fail("%s: frame %" PRIu64 " (%s) completed %s with %u retries%s",
			  sq->what, seq, e->group ? "broadcast" : "unicast",
			  d11tx_status_name(st), r,
			  sq->in_stop ? " in a stop" : " outside a stop");
	}
	if (sq->stopped && !sq->in_stop)
		sq->while_stopped++;

	/* Order: per client, as submitted; in a stop, all newer than what
	 * came before it, and the cancelled ones newer than the rest. */
	if (seq <= sq->last_seq[e->client]) {
		sq->out_of_order++;
		soak_fail("%s: client %u: frame %" PRIu64 " completed after %" PRIu64,
			  sq->what, e->client, seq, sq->last_seq[e->client]);
	}
	if (!sq->in_stop) {
		sq->last_seq[e->client] = seq;
	} else {
		if (seq > sq->stop_max[e->client])
			sq->stop_max[e->client] = seq;
		if (st == D11TX_STATUS_CANCELLED) {
			if (seq < sq->stop_min_cancelled)
				sq->stop_min_cancelled = seq;
		} else if (seq > sq->stop_max_returned) {
			sq->stop_max_returned = seq;
		}
	}

	if (e->kind != K_BUF) {
		if (!frame_intact(e->kind, slot_ptr(sq, e->slot), e->len, seq)) {
			sq->memory_changed++;
			soak_fail("%s: frame %" PRIu64 ": app memory changed", sq->what, seq);
		}
		sq->slot_free[sq->nslot_free++] = e->slot;
	}
	if (st < D11TX_STATUS_MAX)
		sq->by_status[st]++;
	sq->retries += r;
	sq->completed++;
	c->completed++;
	e->state = E_DONE;
	entry_release(sq, idx);
}

static void submit_burst(struct squeue *sq);

static void
cb_common(struct soak_client *c, uint8_t kind, void *const handles[],
	  const uint8_t status[], const uint8_t retries[], uint16_t n)
{
	c->calls++;
	if (c->cb_kind != kind || n == 0)
		soak_fail("%s: client %u: callback %u (registered %u) with %u completions",
			  c->sq->what, c->id, kind, c->cb_kind, n);
	for (uint16_t i = 0; i < n; i++)
		complete_one(c, (uintptr_t)handles[i], status[i], retries[i]);
	/* The one call a callback may make into its queue: a submit (which
	 * a stop, or a destroy, refuses). */
	if (c->id == NB_CLIENTS - 1 && rng_one_in(&rng, 16)) {
		c->sq->nested_bursts++;
		submit_burst(c->sq);
	}
}

static void
cb_even(void *ctx, void *const handles[], const uint8_t status[],
	const uint8_t retries[], uint16_t n)
{
	cb_common(ctx, 0, handles, status, retries, n);
}

static void
cb_odd(void *ctx, void *const handles[], const uint8_t status[],
       const uint8_t retries[], uint16_t n)
{
	cb_common(ctx, 1, handles, status, retries, n);
}

/* ---------- submitting ---------- */

static enum d11tx_refusal
reason_of(int err)
{
	for (unsigned int r = 0; r < D11TX_REFUSED_MAX; r++)
		if (d11tx_refusal_errno(r) == err)
			return (enum d11tx_refusal)r;
	return D11TX_REFUSED_MAX;
}

static uint32_t
random_len(uint32_t max)
{
	/* Mostly short frames, one in four up to the largest. */
	return rng_one_in(&rng, 4) ? rng_range(&rng, SOAK_MIN_LEN, max)
		: rng_range(&rng, SOAK_MIN_LEN, RTE_MIN(max, 256u));
}

/* Turn frame @p p of @p len bytes into one refused for @p reason. */
static void
spoil_bytes(uint8_t *p, enum d11tx_refusal reason)
{
	if (reason == D11TX_REFUSED_BAD_VERSION)
		p[0] = 0x09;          /* protocol version 1 */
	else if (reason == D11TX_REFUSED_RESERVED)
		p[0] = 0x70;          /* management subtype 7: reserved */
}

static const enum d11tx_refusal app_spoils[] = {
	D11TX_REFUSED_INVALID, D11TX_REFUSED_EMPTY, D11TX_REFUSED_TOO_LONG,
	D11TX_REFUSED_REGION, D11TX_REFUSED_CLIENT, D11TX_REFUSED_BAD_VERSION,
	D11TX_REFUSED_RESERVED, D11TX_REFUSED_TOO_SHORT,
};
static const enum d11tx_refusal eth_spoils[] = {
	D11TX_REFUSED_INVALID, D11TX_REFUSED_EMPTY, D11TX_REFUSED_TOO_LONG,
	D11TX_REFUSED_REGION, D11TX_REFUSED_CLIENT, D11TX_REFUSED_TOO_SHORT,
};
static const enum d11tx_refusal buf_spoils[] = {
	D11TX_REFUSED_INVALID, D11TX_REFUSED_EMPTY, D11TX_REFUSED_TOO_LONG,
	D11TX_REFUSED_CLIENT, D11TX_REFUSED_BAD_VERSION, D11TX_REFUSED_RESERVED,
	D11TX_REFUSED_TOO_SHORT,
};

/* One burst of random frames of one kind, perhaps with one invalid frame;
 * a stopped queue must refuse it whole. */
static void
submit_burst(struct squeue *sq)
{
	const enum kind kind = (enum kind)rng_range(&rng, 0, NB_KINDS - 1);
	const bool app = kind != K_BUF;
	const bool one_client = rng_one_in(&rng, 3);
	const uint16_t c0 = (uint16_t)rng_range(&rng, 0, NB_CLIENTS - 1);
	uint16_t n = (uint16_t)(rng_one_in(&rng, 8) ? 1 : rng_range(&rng, 1, MAX_BURST));
	int spoil = -1;
	enum d11tx_refusal spoil_reason = D11TX_REFUSED_MAX;
	struct d11tx_frame f[MAX_BURST];
	struct d11tx_eth_frame ef[MAX_BURST];
	struct d11tx_buf *b[MAX_BURST];
	uint32_t idx[MAX_BURST];
	uint16_t taken;
	int err = 0;

	if (app)
		n = (uint16_t)RTE_MIN((uint32_t)n, sq->nslot_free);
	n = (uint16_t)RTE_MIN((uint32_t)n, sq->ff_count);
	if (n == 0)
		return;
	if (rng_one_in(&rng, 40)) {
		spoil = (int)rng_range(&rng, 0, n - 1u);
		spoil_reason =
			kind == K_APP ? app_spoils[rng_range(&rng, 0, RTE_DIM(app_spoils) - 1)] :
			kind == K_ETH ? eth_spoils[rng_range(&rng, 0, RTE_DIM(eth_spoils) - 1)] :
			buf_spoils[rng_range(&rng, 0, RTE_DIM(buf_spoils) - 1)];
	}
	if (!app && d11tx_buf_alloc(sq->q, b, n) != n) {
		CHECK(rte_errno == ENOBUFS, "%s: d11tx_buf_alloc: %s", sq->what,
		      rte_strerror(rte_errno));
		sq->buf_alloc_fail++;
		return;
	}
	for (uint16_t i = 0; i < n; i++) {
		uint16_t client = one_client ? c0
			: (uint16_t)rng_range(&rng, 0, NB_CLIENTS - 1);
		const uint32_t id = entry_alloc(sq);
		struct entry *e = &sq->ent[id];
		const uint64_t seq = ++sq->next_seq;
		uint32_t len = kind == K_ETH ? rng_range(&rng, 8, SLOT_SIZE)
			: random_len(app ? SLOT_SIZE : sq->buf_room);
		void *h = make_handle(sq, id, (uint16_t)client, seq);
		uint8_t *p;

		idx[i] = id;
		*e = (struct entry){ .seq = seq, .client = (uint8_t)client,
				     .state = E_OUT, .kind = (uint8_t)kind,
				     .group = rng_one_in(&rng, 10) };
		if (i == spoil && spoil_reason == D11TX_REFUSED_CLIENT)
			client = UNREGISTERED_CLIENT;
		if (app) {
			e->slot = sq->slot_free[--sq->nslot_free];
			p = slot_ptr(sq, e->slot);
		} else {
			p = d11tx_buf_data(b[i]);
		}
		if (kind == K_ETH)
			write_eth(p, len, e->group, seq);
		else
			soak_write_frame(p, len, e->group, seq);
		e->len = (uint16_t)len;
		if (i == spoil) {
			if (kind != K_ETH)
				spoil_bytes(p, spoil_reason);
			if (spoil_reason == D11TX_REFUSED_EMPTY)
				len = 0;
			else if (spoil_reason == D11TX_REFUSED_TOO_SHORT)
				len = kind == K_ETH ? 5 : 20;  /* prefix 8, header 24 */
			else if (spoil_reason == D11TX_REFUSED_TOO_LONG)
				len = app ? D11TX_DEFAULT_MAX_FRAME_LEN + 1u
					: sq->buf_room + 1u;
		}
		switch (kind) {
		case K_APP:
			f[i] = (struct d11tx_frame){ .data = p, .len = len,
				.client = client, .handle = h };
			if (i == spoil && spoil_reason == D11TX_REFUSED_INVALID)
				f[i].data = NULL;
			else if (i == spoil && spoil_reason == D11TX_REFUSED_REGION)
				f[i].data = outside;
			break;
		case K_ETH:
			ef[i] = (struct d11tx_eth_frame){ .data = p, .len = len,
				.client = client, .handle = h,
				.tid = (int8_t)rng_range(&rng, 0, 8) - 1 };
			if (i == spoil && spoil_reason == D11TX_REFUSED_INVALID)
				ef[i].tid = 8;
			else if (i == spoil && spoil_reason == D11TX_REFUSED_REGION)
				ef[i].data = outside;
			break;
		default:
			d11tx_buf_set(b[i], len, client, h);
			break;
		}
	}
	struct d11tx_buf *spoiled_buf = NULL;

	if (!app && spoil >= 0 && spoil_reason == D11TX_REFUSED_INVALID) {
		spoiled_buf = b[spoil];
		b[spoil] = NULL;
	}
	if (spoil >= 0)
		sq->injected[spoil_reason]++;

	rte_errno = 0;
	taken = kind == K_APP ? d11tx_send_burst(sq->q, f, n) :
		kind == K_ETH ? d11tx_send_eth_burst(sq->q, ef, n) :
		d11tx_buf_submit(sq->q, b, n);
	if (taken < n)
		err = rte_errno;

	/* Why it stopped where it did. */
	if (sq->stopped || sq->in_stop) {
		sq->shutdown_probes++;
		CHECK(taken == 0 && err == ESHUTDOWN,
		      "%s: a stopped queue took %u of %u %s frames (%s)", sq->what,
		      taken, n, kind_name[kind], rte_strerror(err));
	} else if (spoil >= 0 && taken > spoil) {
		soak_fail("%s: invalid %s frame (%s) at %d accepted", sq->what,
			  kind_name[kind], d11tx_refusal_name(spoil_reason), spoil);
	} else if (spoil >= 0 && taken == spoil) {
		CHECK(err == d11tx_refusal_errno(spoil_reason) || err == ENOBUFS,
		      "%s: invalid %s frame (%s) refused with %s", sq->what,
		      kind_name[kind], d11tx_refusal_name(spoil_reason), rte_strerror(err));
	} else if (taken < n) {
		CHECK(err == ENOBUFS, "%s: %s burst cut at %u of %u: %s", sq->what,
		      kind_name[kind], taken, n, rte_strerror(err));
	}
	if (taken < n) {
		const enum d11tx_refusal r = reason_of(err);

		if (r < D11TX_REFUSED_MAX)
			sq->refusals[r]++;
	}

	for (uint16_t i = 0; i < taken; i++)
		sq->cl[sq->ent[idx[i]].client].accepted++;
	sq->accepted_kind[kind] += taken;
	sq->accepted += taken;
	/* The rest stay ours and must never complete. */
	for (uint16_t i = taken; i < n; i++) {
		struct entry *e = &sq->ent[idx[i]];

		e->state = E_REFUSED;
		if (app)
			sq->slot_free[sq->nslot_free++] = e->slot;
		entry_release(sq, idx[i]);
		sq->refused_frames++;
	}
	if (!app) {
		/* Buffers not taken are still reserved: give them back. */
		if (spoiled_buf != NULL) {
			if (taken > spoil)     /* NULL accepted: reported above */
				d11tx_buf_free(sq->q, &spoiled_buf, 1);
			else
				b[spoil] = spoiled_buf;
		}
		if (taken < n)
			d11tx_buf_free(sq->q, &b[taken], (uint16_t)(n - taken));
	}
}

/* ---------- checks of a quiet queue ---------- */

/* The ledger's value of xstat xstat_names[i]. */
static uint64_t
ledger_xstat(const struct squeue *sq, unsigned int i)
{
	switch (i) {
	case 0: return sq->by_status[D11TX_STATUS_ACKED];
	case 1: return sq->by_status[D11TX_STATUS_NOACK];
	case 2: return sq->by_status[D11TX_STATUS_SENT];
	case 3: return sq->by_status[D11TX_STATUS_DROPPED];
	case 4: return sq->retries;
	default: return sq->by_status[D11TX_STATUS_ACKED] +
			sq->by_status[D11TX_STATUS_NOACK] +
			sq->by_status[D11TX_STATUS_SENT];
	}
}

/* A new engine queue counts from zero, and a port queue set up again
 * too: remember where the ledger and the port stand. */
static void
take_baseline(struct squeue *sq)
{
	struct baseline *b = &sq->base;

	b->accepted = sq->accepted;
	memcpy(b->by_status, sq->by_status, sizeof(b->by_status));
	b->retries = sq->retries;
	memcpy(b->refusals, sq->refusals, sizeof(b->refusals));
	for (unsigned int i = 0; i < RTE_DIM(xstat_names); i++)
		b->x[i] = soak_qxstat(sq->sp->port, sq->qid, xstat_names[i]) -
			ledger_xstat(sq, i);
}

/* Nothing in flight: the pools are full and the engine's and the port's
 * counters are the ledger's (since the queue was created). */
static void
check_quiet_queue(struct squeue *sq, const char *when)
{
	const struct baseline *b = &sq->base;
	struct d11tx_queue_stats s;
	uint64_t completed = 0;
	const uint16_t port = sq->sp->port;

	CHECK(d11tx_queue_inflight(sq->q) == 0, "%s %s: %u frames in flight",
	      sq->what, when, d11tx_queue_inflight(sq->q));
	CHECK(sq->accepted == sq->completed, "%s %s: %" PRIu64 " accepted, %" PRIu64
	      " completed: %" PRId64 " lost", sq->what, when, sq->accepted,
	      sq->completed, (int64_t)(sq->accepted - sq->completed));
	if (d11tx_queue_stats_get(sq->q, &s) != 0) {
		soak_fail("%s: d11tx_queue_stats_get failed", sq->what);
		return;
	}
	CHECK(s.staged + s.at_nic + s.pipe_pending == 0,
	      "%s %s: staged %u, at the NIC %u, pipelined %u", sq->what, when,
	      s.staged, s.at_nic, s.pipe_pending);
	CHECK(s.hdr_pool_free == s.hdr_pool_size, "%s %s: header pool %u of %u free",
	      sq->what, when, s.hdr_pool_free, s.hdr_pool_size);
	CHECK(s.buf_pool_free == s.buf_pool_size, "%s %s: buffer pool %u of %u free",
	      sq->what, when, s.buf_pool_free, s.buf_pool_size);
	/* The engine's counters are the ledger's. */
	CHECK(s.submitted == sq->accepted - b->accepted, "%s %s: engine submitted %"
	      PRIu64 ", ledger accepted %" PRIu64, sq->what, when, s.submitted,
	      sq->accepted - b->accepted);
	for (unsigned int st = 0; st < D11TX_STATUS_MAX; st++) {
		CHECK(s.completed[st] == sq->by_status[st] - b->by_status[st],
		      "%s %s: engine %" PRIu64 " %s, ledger %" PRIu64, sq->what, when,
		      s.completed[st], d11tx_status_name(st),
		      sq->by_status[st] - b->by_status[st]);
		completed += sq->by_status[st];
	}
	CHECK(completed == sq->completed, "%s %s: statuses sum to %" PRIu64 " of %" PRIu64,
	      sq->what, when, completed, sq->completed);
	for (unsigned int r = 0; r < D11TX_REFUSED_MAX; r++)
		CHECK(s.refused[r] == sq->refusals[r] - b->refusals[r],
		      "%s %s: engine refused %" PRIu64 " %s, the test saw %" PRIu64,
		      sq->what, when, s.refused[r], d11tx_refusal_name(r),
		      sq->refusals[r] - b->refusals[r]);
	CHECK(s.retries == sq->retries - b->retries, "%s %s: engine retries %" PRIu64
	      ", ledger %" PRIu64, sq->what, when, s.retries, sq->retries - b->retries);
	/* Everything but the cancelled frames went to the PMD. */
	CHECK(s.sent == (sq->accepted - b->accepted) -
	      (sq->by_status[D11TX_STATUS_CANCELLED] - b->by_status[D11TX_STATUS_CANCELLED]),
	      "%s %s: engine sent %" PRIu64 ", ledger %" PRIu64 " not cancelled",
	      sq->what, when, s.sent, (sq->accepted - b->accepted) -
	      (sq->by_status[D11TX_STATUS_CANCELLED] - b->by_status[D11TX_STATUS_CANCELLED]));

	/* The port's account of this queue. */
	for (unsigned int i = 0; i < RTE_DIM(xstat_names); i++) {
		const uint64_t got = soak_qxstat(port, sq->qid, xstat_names[i]) - b->x[i];

		CHECK(got == ledger_xstat(sq, i), "%s %s: port xstat tx_q%u_%s %" PRIu64
		      ", ledger %" PRIu64, sq->what, when, sq->qid, xstat_names[i], got,
		      ledger_xstat(sq, i));
	}
}

/* ---------- stop and start ---------- */

static void
queue_stop(struct squeue *sq, uint32_t timeout_us, const char *when)
{
	static const uint32_t timeouts[] = { 0, 0, 10, 100, 1000 };
	struct d11tx_queue_stats before, after;
	uint64_t t0, dt;
	int ret;

	if (timeout_us == UINT32_MAX)
		timeout_us = timeouts[rng_range(&rng, 0, RTE_DIM(timeouts) - 1)];
	d11tx_queue_stats_get(sq->q, &before);
	sq->in_stop = true;
	memset(sq->stop_max, 0, sizeof(sq->stop_max));
	sq->stop_max_returned = 0;
	sq->stop_min_cancelled = UINT64_MAX;
	t0 = rte_get_tsc_cycles();
	ret = d11tx_queue_stop(sq->q, timeout_us);
	dt = rte_get_tsc_cycles() - t0;
	sq->in_stop = false;
	if (dt > sq->stop_max_tsc)
		sq->stop_max_tsc = dt;
	CHECK(ret == 0, "%s: d11tx_queue_stop: %d", sq->what, ret);
	CHECK(sq->stop_max_returned < sq->stop_min_cancelled || sq->stop_min_cancelled == UINT64_MAX,
	      "%s: stop cancelled frame %" PRIu64 " but the NIC gave back %" PRIu64,
	      sq->what, sq->stop_min_cancelled, sq->stop_max_returned);
	for (unsigned int c = 0; c < NB_CLIENTS; c++)
		if (sq->stop_max[c] > sq->last_seq[c])
			sq->last_seq[c] = sq->stop_max[c];
	d11tx_queue_stats_get(sq->q, &after);
	if (after.completed[D11TX_STATUS_DROPPED] != before.completed[D11TX_STATUS_DROPPED])
		sq->stops_port_stopped++;
	sq->stopped = true;
	sq->stops++;
	check_quiet_queue(sq, when);
	/* A stopped queue delivers nothing. */
	for (int i = 0; i < 4; i++)
		CHECK(d11tx_poll(sq->q) == 0, "%s: a stopped queue completed frames",
		      sq->what);
}

static void
queue_start(struct squeue *sq)
{
	const int ret = d11tx_queue_start(sq->q);

	CHECK(ret == 0, "%s: d11tx_queue_start: %d", sq->what, ret);
	sq->stopped = false;
}

/* ---------- set-up ---------- */

static void
port_open(struct sport *sp, unsigned int i, const char *extra)
{
	struct rng prng;
	double ack_loss, refuse;
	unsigned int stall_us, stall_every, link_after, link_us;

	rng_seed(&prng, opts.seed, 100 + i);
	ack_loss = 0.05 + 0.3 * rng_unit(&prng);
	refuse = 0.02 + 0.2 * rng_unit(&prng);
	sp->retry_limit = (uint8_t)rng_range(&prng, 0, 7);
	stall_us = rng_range(&prng, 50, 500);
	stall_every = rng_range(&prng, 500, 5000);
	link_after = rng_range(&prng, 2000, 20000);
	link_us = rng_range(&prng, 50, 1000);
	snprintf(sp->name, sizeof(sp->name), "net_wlansim%u", 100 + i);
	snprintf(sp->args, sizeof(sp->args),
		 "seed=%" PRIu64 ",ack_loss=%.3f,retry_limit=%u,refuse=%.3f,"
		 "stall_us=%u,stall_every=%u,link_down_after=%u,link_down_us=%u%s",
		 opts.seed + i, ack_loss, sp->retry_limit, refuse, stall_us,
		 stall_every, link_after, link_us, extra);
	if (rte_vdev_init(sp->name, sp->args) != 0 ||
	    rte_eth_dev_get_port_by_name(sp->name, &sp->port) != 0) {
		fprintf(stderr, "soak: cannot create %s,%s\n", sp->name, sp->args);
		exit(SOAK_FAIL);
	}
}

/* Port C: configured by the test, two TX queues, started. */
static void
port_configure(struct sport *sp, uint16_t nb_txq)
{
	const struct rte_eth_conf conf = {
		.txmode.offloads = RTE_ETH_TX_OFFLOAD_MULTI_SEGS };

	sp->app_configured = true;
	if (rte_eth_dev_configure(sp->port, 0, nb_txq, &conf) != 0) {
		fprintf(stderr, "soak: cannot configure %s\n", sp->name);
		exit(SOAK_FAIL);
	}
	for (uint16_t i = 0; i < nb_txq; i++)
		if (rte_eth_tx_queue_setup(sp->port, i, 128, rte_socket_id(), NULL) != 0) {
			fprintf(stderr, "soak: cannot set up %s queue %u\n", sp->name, i);
			exit(SOAK_FAIL);
		}
	if (rte_eth_dev_start(sp->port) != 0) {
		fprintf(stderr, "soak: cannot start %s\n", sp->name);
		exit(SOAK_FAIL);
	}
}

static const struct d11tx_dot11_adapter ap = {
	.role = D11TX_DOT11_AP,
	.own = { 0x02, 0x11, 0x11, 0x11, 0x11, 0x11 },
	.bssid = { 0x02, 0xbb, 0xbb, 0xbb, 0xbb, 0xbb },
};

/* An engine queue for @p sq, its regions, clients and adapter. */
static void
queue_create(struct squeue *sq)
{
	struct d11tx_queue_conf c = { 0 };

	c.port_id = sq->sp->port;
	c.queue_id = sq->qid;
	c.flags = (sq->sp->app_configured ? 0 : D11TX_QF_CONFIGURE_PORT) |
		(sq->refcnt ? D11TX_QF_REFCNT_RECLAIM : 0);
	c.ring_size = sq->ring_size;
	c.tx_burst = sq->tx_burst;
	c.buf_count = sq->ring_size;
	sq->q = d11tx_queue_create(&c);
	if (sq->q == NULL) {
		fprintf(stderr, "soak: %s: d11tx_queue_create: %s\n", sq->what,
			rte_strerror(rte_errno));
		exit(SOAK_FAIL);
	}
	sq->buf_room = d11tx_buf_room(sq->q);
	for (int r = 0; r < 2; r++)
		if (d11tx_mem_register(sq->q, sq->mem[r], sq->mem_len) != 0) {
			fprintf(stderr, "soak: %s: d11tx_mem_register failed\n", sq->what);
			exit(SOAK_FAIL);
		}
	for (uint16_t i = 0; i < NB_CLIENTS; i++) {
		struct soak_client *cl = &sq->cl[i];
		const int id = d11tx_client_register(sq->q, cl->cb_kind ? cb_odd : cb_even, cl);

		if (id != i) {
			fprintf(stderr, "soak: %s: client %u registered as %d\n",
				sq->what, i, id);
			exit(SOAK_FAIL);
		}
	}
	if (d11tx_queue_set_adapter(sq->q, &ap, D11TX_ADAPTER_ASSIGN_SEQ) != 0) {
		fprintf(stderr, "soak: %s: d11tx_queue_set_adapter failed\n", sq->what);
		exit(SOAK_FAIL);
	}
	take_baseline(sq);
}

static void
queue_open(struct squeue *sq, unsigned int index, const char *what,
	   struct sport *sp, uint16_t qid, bool refcnt)
{
	static const uint32_t rings[] = { 256, 512, 1024, 2048 };
	static const uint16_t bursts[] = { 8, 32, 64 };

	sq->index = index;
	sq->what = what;
	sq->sp = sp;
	sq->qid = qid;
	sq->refcnt = refcnt;
	sq->ring_size = rings[rng_range(&rng, 0, RTE_DIM(rings) - 1)];
	sq->tx_burst = bursts[rng_range(&rng, 0, RTE_DIM(bursts) - 1)];

	/* Enough entries that one is reused only long after it completed. */
	sq->nent = 2 * sq->ring_size + 512;
	sq->ent = calloc(sq->nent, sizeof(*sq->ent));
	sq->free_fifo = calloc(sq->nent, sizeof(*sq->free_fifo));
	sq->nslots = sq->ring_size + 2 * MAX_BURST;
	sq->slot_free = calloc(sq->nslots, sizeof(*sq->slot_free));
	sq->mem_len = (size_t)(sq->nslots / 2 + 1) * SLOT_SIZE;
	sq->mem[0] = aligned_alloc(4096, RTE_ALIGN_CEIL(sq->mem_len, 4096));
	sq->mem[1] = aligned_alloc(4096, RTE_ALIGN_CEIL(sq->mem_len, 4096));
	if (sq->ent == NULL || sq->free_fifo == NULL || sq->slot_free == NULL ||
	    sq->mem[0] == NULL || sq->mem[1] == NULL) {
		fprintf(stderr, "soak: out of memory\n");
		exit(SOAK_FAIL);
	}
	memset(sq->mem[0], 0, sq->mem_len);
	memset(sq->mem[1], 0, sq->mem_len);
	for (uint32_t i = 0; i < sq->nent; i++)
		sq->free_fifo[i] = i;
	sq->ff_count = sq->nent;
	for (uint32_t i = 0; i < sq->nslots; i++)
		sq->slot_free[i] = (uint16_t)(sq->nslots - 1 - i);
	sq->nslot_free = sq->nslots;
	for (uint16_t i = 0; i < NB_CLIENTS; i++) {
		sq->cl[i].sq = sq;
		sq->cl[i].id = i;
		sq->cl[i].cb_kind = (uint8_t)(i & 1);
	}
	queue_create(sq);
}

/*
 * Destroy the queue in flight (d11tx_queue_destroy completes every frame,
 * as a stop does), then give the port queue a new engine queue. The port
 * queue of a port the test configured is left stopped when the stop had
 * to stop it: the test starts it, as an application would.
 */
static void
queue_recreate(struct squeue *sq)
{
	struct rte_eth_txq_info qi;
	int ret;

	sq->in_stop = true;
	memset(sq->stop_max, 0, sizeof(sq->stop_max));
	sq->stop_max_returned = 0;
	sq->stop_min_cancelled = UINT64_MAX;
	ret = d11tx_queue_destroy(sq->q);
	sq->in_stop = false;
	if (ret != 0) {
		soak_fail("%s: d11tx_queue_destroy in flight: %d", sq->what, ret);
		exit(SOAK_FAIL);
	}
	sq->destroys++;
	CHECK(sq->accepted == sq->completed, "%s destroyed: %" PRIu64 " accepted, %"
	      PRIu64 " completed", sq->what, sq->accepted, sq->completed);
	CHECK(sq->stop_max_returned < sq->stop_min_cancelled || sq->stop_min_cancelled == UINT64_MAX,
	      "%s: destroy cancelled frame %" PRIu64 " but the NIC gave back %" PRIu64,
	      sq->what, sq->stop_min_cancelled, sq->stop_max_returned);
	for (unsigned int c = 0; c < NB_CLIENTS; c++)
		if (sq->stop_max[c] > sq->last_seq[c])
			sq->last_seq[c] = sq->stop_max[c];
	/* Destroy leaves the application's TX queue started, as it was. */
	if (sq->sp->app_configured)
		CHECK(rte_eth_tx_queue_info_get(sq->sp->port, sq->qid, &qi) == 0 &&
		      qi.queue_state == RTE_ETH_QUEUE_STATE_STARTED,
		      "%s: destroy left the port's TX queue stopped", sq->what);
	queue_create(sq);
	sq->stopped = false;
}

static void
queue_close(struct squeue *sq)
{
	int ret;

	for (uint16_t i = 0; i < NB_CLIENTS; i++)
		CHECK(d11tx_client_unregister(sq->q, sq->cl[i].id) == 0,
		      "%s: client %u cannot be unregistered at the end", sq->what, i);
	for (int r = 0; r < 2; r++)
		CHECK(d11tx_mem_unregister(sq->q, sq->mem[r]) == 0,
		      "%s: region %d cannot be unregistered at the end", sq->what, r);
	ret = d11tx_queue_destroy(sq->q);
	CHECK(ret == 0, "%s: d11tx_queue_destroy: %d", sq->what, ret);
	free(sq->ent);
	free(sq->free_fifo);
	free(sq->slot_free);
	free(sq->mem[0]);
	free(sq->mem[1]);
}

/* ---------- the port's account of a frame that never went out ---------- */

static uint64_t probe_status[D11TX_STATUS_MAX];

static void
probe_cb(void *ctx, void *const handles[], const uint8_t status[],
	 const uint8_t retries[], uint16_t n)
{
	(void)ctx;
	(void)handles;
	(void)retries;
	for (uint16_t i = 0; i < n; i++)
		probe_status[status[i] < D11TX_STATUS_MAX ? status[i] : 0]++;
}

/*
 * A frame net_wlansim cannot send (on a radiotap=1 port, one whose
 * radiotap header is not valid) is released unsent, in its turn or by a
 * stop. Either way it is one frame that never went out: the port counts
 * it once (xstats dropped + malformed = the frames completed DROPPED, and
 * oerrors = NOACK + DROPPED, as its README says). Here a stop catches one
 * behind a 1500-byte frame still on the air at 1 Mbit/s (12 ms).
 */
static void
probe_unsent_malformed(void)
{
	const char *name = "net_wlansim110";
	struct d11tx_queue_conf c = { .flags = D11TX_QF_CONFIGURE_PORT |
				      D11TX_QF_NO_VALIDATE, .ring_size = 64 };
	struct rte_eth_stats es;
	struct d11tx_queue *pq;
	uint8_t *mem = aligned_alloc(4096, 8192);
	uint16_t pp;
	int id, ret;

	if (mem == NULL || rte_vdev_init(name, "radiotap=1,rate=1") != 0 ||
	    rte_eth_dev_get_port_by_name(name, &pp) != 0) {
		soak_fail("probe: cannot create %s", name);
		free(mem);
		return;
	}
	c.port_id = pp;
	pq = d11tx_queue_create(&c);
	if (pq == NULL || d11tx_mem_register(pq, mem, 8192) != 0 ||
	    (id = d11tx_client_register(pq, probe_cb, NULL)) < 0) {
		soak_fail("probe: no queue on %s", name);
		goto out;
	}
	/* An 8-byte radiotap header (version 0, no field) and a frame; the
	 * second of version 1, which no radio sends. */
	memset(mem, 0, 16);
	mem[2] = 8;
	soak_write_frame(mem + 8, 1500, false, 1);
	memset(mem + 4096, 0, 16);
	mem[4096] = 1;
	mem[4096 + 2] = 8;
	soak_write_frame(mem + 4096 + 8, 100, false, 2);
	const struct d11tx_frame f[2] = {
		{ .data = mem, .len = 8 + 1500, .client = (uint16_t)id, .handle = mem },
		{ .data = mem + 4096, .len = 8 + 100, .client = (uint16_t)id,
		  .handle = mem + 4096 },
	};

	memset(probe_status, 0, sizeof(probe_status));
	CHECK(d11tx_send_burst(pq, f, 2) == 2, "probe: frames refused");
	d11tx_poll(pq);
	ret = d11tx_queue_stop(pq, 0);
	CHECK(ret == 0, "probe: d11tx_queue_stop: %d", ret);
	CHECK(probe_status[D11TX_STATUS_DROPPED] + probe_status[D11TX_STATUS_ACKED] == 2,
	      "probe: %" PRIu64 " dropped, %" PRIu64 " acked, of 2",
	      probe_status[D11TX_STATUS_DROPPED], probe_status[D11TX_STATUS_ACKED]);
	const uint64_t dropped = soak_qxstat(pp, 0, "dropped");
	const uint64_t malformed = soak_qxstat(pp, 0, "malformed");

	CHECK(dropped + malformed == probe_status[D11TX_STATUS_DROPPED],
	      "net_wlansim counts a frame that never went out twice: %" PRIu64
	      " completed DROPPED, xstats dropped %" PRIu64 " + malformed %" PRIu64
	      " (a malformed frame released by a stop: release() in "
	      "pmd/wlansim/rte_eth_wlansim.c adds it to dropped too)",
	      probe_status[D11TX_STATUS_DROPPED], dropped, malformed);
	CHECK(rte_eth_stats_get(pp, &es) == 0 &&
	      es.oerrors == probe_status[D11TX_STATUS_DROPPED] +
	      probe_status[D11TX_STATUS_NOACK],
	      "net_wlansim oerrors %" PRIu64 ", but %" PRIu64 " frames never went "
	      "out or went without an ACK", es.oerrors,
	      probe_status[D11TX_STATUS_DROPPED] + probe_status[D11TX_STATUS_NOACK]);
	if (!opts.quiet)
		printf("probe: a malformed frame caught by a stop: %" PRIu64 " dropped, %"
		       PRIu64 " acked; port dropped %" PRIu64 ", malformed %" PRIu64
		       ", oerrors %" PRIu64 "\n", probe_status[D11TX_STATUS_DROPPED],
		       probe_status[D11TX_STATUS_ACKED], dropped, malformed, es.oerrors);
out:
	if (pq != NULL) {
		ret = d11tx_queue_destroy(pq);
		CHECK(ret == 0, "probe: d11tx_queue_destroy: %d", ret);
	}
	CHECK(rte_vdev_uninit(name) == 0, "probe: %s: uninit failed", name);
	free(mem);
}

/* ---------- the run ---------- */

static uint64_t
total_accepted(void)
{
	uint64_t n = 0;

	for (int i = 0; i < NB_QUEUES; i++)
		n += queues[i].accepted;
	return n;
}

static uint64_t
sum_status(unsigned int st)
{
	uint64_t n = 0;

	for (int i = 0; i < NB_QUEUES; i++)
		n += queues[i].by_status[st];
	return n;
}

#define SUM(field) ({						\
		uint64_t s_ = 0;					\
		for (int i_ = 0; i_ < NB_QUEUES; i_++)			\
			s_ += queues[i_].field;				\
		s_; })

static void
progress(uint64_t t0, uint64_t *last_frames, uint64_t *last_tsc)
{
	const uint64_t now = rte_get_tsc_cycles();
	const uint64_t frames = total_accepted();
	const uint64_t done = SUM(completed);

	printf("[%6.0f s] %8.2f M frames  %5.2f M/s  acked %.1f%% noack %.2f%% "
	       "sent %.1f%% dropped %.3f%% cancelled %.2f%%  stops %" PRIu64
	       "  in flight %" PRIu64 "\n",
	       soak_seconds(t0, now), (double)frames / 1e6,
	       (double)(frames - *last_frames) / soak_seconds(*last_tsc, now) / 1e6,
	       done ? 100.0 * (double)sum_status(D11TX_STATUS_ACKED) / (double)done : 0,
	       done ? 100.0 * (double)sum_status(D11TX_STATUS_NOACK) / (double)done : 0,
	       done ? 100.0 * (double)sum_status(D11TX_STATUS_SENT) / (double)done : 0,
	       done ? 100.0 * (double)sum_status(D11TX_STATUS_DROPPED) / (double)done : 0,
	       done ? 100.0 * (double)sum_status(D11TX_STATUS_CANCELLED) / (double)done : 0,
	       SUM(stops), frames - done);
	fflush(stdout);
	*last_frames = frames;
	*last_tsc = now;
}

/* One step of the test's link faults on port @p sp. */
static void
link_faults(struct sport *sp)
{
	if (sp->forced_down) {
		if (iter >= sp->up_at_iter) {
			CHECK(rte_eth_dev_set_link_up(sp->port) == 0,
			      "%s: set_link_up failed", sp->name);
			sp->forced_down = false;
		}
	} else if (rng_one_in(&rng, 500)) {
		if (rte_eth_dev_set_link_down(sp->port) == 0) {
			sp->forced_down = true;
			sp->forced_flaps++;
			sp->up_at_iter = iter + rng_range(&rng, 1, 50);
		}
	}
}

static void
run(void)
{
	const uint64_t hz = rte_get_tsc_hz();
	const uint64_t t0 = rte_get_tsc_cycles();
	uint64_t next_progress = t0 + hz, last_frames = 0, last_tsc = t0;

	while (total_accepted() < opts.frames && soak_failures == probe_failures) {
		iter++;
		for (int p = 0; p < NB_PORTS; p++)
			link_faults(&ports[p]);
		for (int i = 0; i < NB_QUEUES; i++) {
			struct squeue *sq = &queues[rng_range(&rng, 0, NB_QUEUES - 1)];

			if (sq->stopped) {
				if (iter >= sq->restart_at_iter)
					queue_start(sq);
				else if (rng_one_in(&rng, 4))
					submit_burst(sq);   /* must be refused */
				continue;
			}
			if (!rng_one_in(&rng, 6))
				submit_burst(sq);
			for (uint32_t k = rng_range(&rng, 0, 3); k > 0; k--)
				d11tx_poll(sq->q);
			if (rng_one_in(&rng, 2000)) {
				queue_recreate(sq);
			} else if (rng_one_in(&rng, 200)) {
				queue_stop(sq, UINT32_MAX, "after a stop");
				sq->restart_at_iter = iter + rng_range(&rng, 0, 40);
			}
		}
		if (opts.long_run && !opts.quiet && rte_get_tsc_cycles() >= next_progress) {
			progress(t0, &last_frames, &last_tsc);
			next_progress += hz;
		}
	}

	/* The end: links up, every queue running, polled until nothing is
	 * in flight; then a last stop of each. */
	for (int p = 0; p < NB_PORTS; p++)
		if (ports[p].forced_down) {
			CHECK(rte_eth_dev_set_link_up(ports[p].port) == 0,
			      "%s: set_link_up failed", ports[p].name);
			ports[p].forced_down = false;
		}
	for (int i = 0; i < NB_QUEUES; i++)
		if (queues[i].stopped)
			queue_start(&queues[i]);
	const uint64_t deadline = rte_get_tsc_cycles() + 10 * hz;
	bool busy = true;

	while (busy && rte_get_tsc_cycles() < deadline) {
		busy = false;
		for (int i = 0; i < NB_QUEUES; i++) {
			d11tx_poll(queues[i].q);
			busy |= d11tx_queue_inflight(queues[i].q) != 0;
		}
	}
	for (int i = 0; i < NB_QUEUES; i++)
		CHECK(d11tx_queue_inflight(queues[i].q) == 0,
		      "%s: %u frames still in flight 10 s after the last submit "
		      "with every link up", queues[i].what, d11tx_queue_inflight(queues[i].q));
	for (int i = 0; i < NB_QUEUES; i++)
		queue_stop(&queues[i], 1000, "at the end");
}

static void
report(double secs)
{
	const uint64_t accepted = total_accepted();
	uint64_t completed = 0, calls = 0, clients = 0, devarg_flaps = 0, forced = 0;
	uint64_t refused_bursts = 0, stalls = 0, injected = 0;

	for (int i = 0; i < NB_QUEUES; i++)
		for (int c = 0; c < NB_CLIENTS; c++) {
			calls += queues[i].cl[c].calls;
			clients++;
			CHECK(queues[i].cl[c].completed == queues[i].cl[c].accepted,
			      "%s client %d: %" PRIu64 " accepted, %" PRIu64 " completed",
			      queues[i].what, c, queues[i].cl[c].accepted,
			      queues[i].cl[c].completed);
		}
	for (int p = 0; p < NB_PORTS; p++) {
		devarg_flaps += soak_xstat(ports[p].port, "link_down_events");
		forced += ports[p].forced_flaps;
	}
	for (int i = 0; i < NB_QUEUES; i++) {
		refused_bursts += soak_qxstat(queues[i].sp->port, queues[i].qid, "refused_bursts");
		stalls += soak_qxstat(queues[i].sp->port, queues[i].qid, "stalls");
		for (int r = 0; r < D11TX_REFUSED_MAX; r++)
			injected += queues[i].injected[r];
	}
	for (unsigned int st = 0; st < D11TX_STATUS_MAX; st++)
		completed += sum_status(st);

	if (!opts.quiet) {
		printf("\nports (net_wlansim devargs):\n");
		for (int p = 0; p < NB_PORTS; p++)
			printf("  %-15s %s%s\n", ports[p].name, ports[p].args,
			       ports[p].app_configured ? "  (configured by the test)" : "");
		printf("queues:\n");
		for (int i = 0; i < NB_QUEUES; i++) {
			const struct squeue *sq = &queues[i];

			printf("  %s: ring %u, tx_burst %u: %" PRIu64 " accepted (%" PRIu64
			       " app-owned, %" PRIu64 " Ethernet-style), %" PRIu64 " refused; acked %"
			       PRIu64 " noack %" PRIu64 " sent %" PRIu64 " dropped %" PRIu64
			       " cancelled %" PRIu64 "; %" PRIu64 " stops (%" PRIu64
			       " stopped the port), longest %.2f ms; %" PRIu64 " destroys\n",
			       sq->what, sq->ring_size, sq->tx_burst, sq->accepted,
			       sq->accepted_kind[K_APP], sq->accepted_kind[K_ETH],
			       sq->refused_frames,
			       sq->by_status[D11TX_STATUS_ACKED], sq->by_status[D11TX_STATUS_NOACK],
			       sq->by_status[D11TX_STATUS_SENT], sq->by_status[D11TX_STATUS_DROPPED],
			       sq->by_status[D11TX_STATUS_CANCELLED], sq->stops,
			       sq->stops_port_stopped,
			       1e3 * (double)sq->stop_max_tsc / (double)rte_get_tsc_hz(),
			       sq->destroys);
		}
		printf("\n");
	}
	printf("soak: seed %" PRIu64 " (--seed %" PRIu64 " replays it)\n", opts.seed, opts.seed);
	printf("  frames accepted      %" PRIu64 " (app-owned %" PRIu64 ", engine-owned %"
	       PRIu64 ", Ethernet-style %" PRIu64 ") in %.1f s, %.2f M/s\n", accepted,
	       SUM(accepted_kind[K_APP]), SUM(accepted_kind[K_BUF]),
	       SUM(accepted_kind[K_ETH]), secs, (double)accepted / secs / 1e6);
	printf("  frames refused       %" PRIu64 " (%" PRIu64 " invalid frames injected, each "
	       "refused with its reason; calls cut short: %" PRIu64 " full, %" PRIu64
	       " stopped); engine-owned buffers not reserved %" PRIu64 " times\n",
	       SUM(refused_frames), injected, SUM(refusals[D11TX_REFUSED_FULL]),
	       SUM(refusals[D11TX_REFUSED_STOPPED]), SUM(buf_alloc_fail));
	printf("  completed            %" PRIu64 " = accepted: acked %" PRIu64 ", noack %"
	       PRIu64 ", sent %" PRIu64 ", dropped %" PRIu64 ", cancelled %" PRIu64 "\n",
	       completed, sum_status(D11TX_STATUS_ACKED), sum_status(D11TX_STATUS_NOACK),
	       sum_status(D11TX_STATUS_SENT), sum_status(D11TX_STATUS_DROPPED),
	       sum_status(D11TX_STATUS_CANCELLED));
	printf("  retries              %" PRIu64 " (engine, ledger and port agree)\n",
	       SUM(retries));
	printf("  stops                %" PRIu64 " in flight (%" PRIu64 " had to stop the "
	       "queue or port), each then started again; %" PRIu64 " bursts refused while stopped\n",
	       SUM(stops), SUM(stops_port_stopped), SUM(shutdown_probes));
	printf("  destroys             %" PRIu64 " in flight, each followed by a new queue\n",
	       SUM(destroys));
	printf("  link flaps           %" PRIu64 " (devargs %" PRIu64 ", by the test %" PRIu64
	       "); port refused %" PRIu64 " bursts, stalled %" PRIu64 " times\n",
	       devarg_flaps + forced, devarg_flaps, forced, refused_bursts, stalls);
	printf("  clients              %" PRIu64 " on %d queues (2 callbacks), %" PRIu64
	       " callback calls, %" PRIu64 " of which submitted a burst\n", clients,
	       NB_QUEUES, calls, SUM(nested_bursts));
	printf("  wrong client         %" PRIu64 "\n", SUM(wrong_client));
	printf("  duplicates           %" PRIu64 "\n", SUM(duplicates));
	printf("  refused completed    %" PRIu64 "\n", SUM(refused_completed));
	printf("  lost                 %" PRIu64 "\n", accepted - completed);
	printf("  out of order         %" PRIu64 "\n", SUM(out_of_order));
	printf("  status not fitting   %" PRIu64 "\n", SUM(bad_status));
	printf("  app memory changed   %" PRIu64 "\n", SUM(memory_changed));
	printf("  while stopped        %" PRIu64 "\n", SUM(while_stopped));
	printf("  pools full           %s (checked at every stop and at the end)\n",
	       soak_failures == probe_failures ? "yes" : "see failures");
	printf("  engine stats, xstats %s\n",
	       soak_failures == probe_failures ? "agree with the ledger" : "see failures");
	printf("  probe                %s (the port's account of a frame a stop "
	       "caught unsent)\n", probe_failures == 0 ? "ok" : "FAILED, see failures");
}

int
main(int argc, char **argv)
{
	struct eal_args eal;
	uint64_t t0;
	double secs;
	int ret;

	soak_start("soak", "the exactly-once soak through net_wlansim with every fault on",
		   SHORT_FRAMES, LONG_FRAMES, argc, argv, &eal, &opts, &rng);

	probe_unsent_malformed();
	probe_failures = soak_failures;
	port_open(&ports[0], 0, "");
	port_open(&ports[1], 1, ",ring=64");
	port_open(&ports[2], 2, ",queues=2");
	port_open(&ports[3], 3, ",rate=54,ring=64");
	port_configure(&ports[2], 2);
	queue_open(&queues[0], 0, "q0 (A, tracked)", &ports[0], 0, false);
	queue_open(&queues[1], 1, "q1 (B, refcnt)", &ports[1], 0, true);
	queue_open(&queues[2], 2, "q2 (C/0, tracked, app port)", &ports[2], 0, false);
	queue_open(&queues[3], 3, "q3 (C/1, refcnt, app port)", &ports[2], 1, true);
	queue_open(&queues[4], 4, "q4 (D, tracked, 54 Mbit/s)", &ports[3], 0, false);

	t0 = rte_get_tsc_cycles();
	run();
	secs = soak_seconds(t0, rte_get_tsc_cycles());
	report(secs);

	for (int i = 0; i < NB_QUEUES; i++)
		queue_close(&queues[i]);
	CHECK(rte_eth_dev_stop(ports[2].port) == 0, "%s: stop failed", ports[2].name);
	for (int p = 0; p < NB_PORTS; p++)
		CHECK(rte_vdev_uninit(ports[p].name) == 0, "%s: uninit failed", ports[p].name);
	ret = soak_failures == 0 ? SOAK_PASS : SOAK_FAIL;
	printf("%s: %" PRIu64 " failure(s)\n", ret == SOAK_PASS ? "PASS" : "FAIL",
	       soak_failures);
	rte_eal_cleanup();
	eal_args_free(&eal);
	return ret;
}
