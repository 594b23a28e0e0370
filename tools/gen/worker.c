/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * dot11tx-gen's sending loop: one worker, one engine queue, one frame
 * source. Frames are written straight into engine-owned buffers or
 * registered app slots, held until the pacer lets them go, and offered
 * again after backpressure, so that a replay never loses a frame. No
 * allocation and no system call per frame; the queue is polled on every
 * turn, whether or not a frame may go.
 */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rte_branch_prediction.h>
#include <rte_common.h>
#include <rte_cycles.h>
#include <rte_errno.h>
#include <rte_malloc.h>

#include "gen.h"

#define SLOT_ALIGN 64
/* Frames one fill may pass over (too long for the buffer, or of another
 * access category) before it polls again. */
#define MAX_SKIPS 1024

volatile int gen_interrupted;

static inline bool
app_mode(const struct gen_worker *w)
{
	return w->opt->mode == GEN_MODE_APP;
}

/* The per-set figures of a burst of completions. */
static void __rte_noinline
count_per_set(struct gen_worker *w, void *const handles[], const uint8_t status[],
	      const uint8_t retries[], uint16_t n, uint64_t now)
{
	for (uint16_t i = 0; i < n; i++) {
		const uint64_t h = (uintptr_t)handles[i];
		const uint64_t at = app_mode(w) ? h : h & w->stamp_mask;
		struct gen_rate_counters *rc = &w->rc[w->set_of[at]];

		gen_ctr_add(&rc->status[status[i]], 1);
		if (retries[i] != 0)
			gen_ctr_add(&rc->retries, retries[i]);
		gen_hist_record(&rc->lat, now - w->stamp[at]);
		gen_ctr_add(&rc->completed, 1);
	}
}

/* The TX parameter set of frame number @p frame, sent at @p now: 0..n-1
 * in turn, or the one of its interval. */
static inline uint8_t
set_for(const struct gen_worker *w, uint64_t frame, uint64_t now)
{
	const unsigned int n = w->opt->txp.nb_sets;

	if (w->set_cycles != 0)
		return (uint8_t)(((now - w->set_t0) / w->set_cycles) % n);
	return (uint8_t)((frame - 1) % n);
}

static void
on_completion(void *ctx, void *const handles[], const uint8_t status[],
	      const uint8_t retries[], uint16_t n)
{
	struct gen_worker *w = ctx;
	struct gen_counters *c = w->ctr;
	const uint64_t now = rte_get_tsc_cycles();
	uint64_t st[GEN_NB_STATUS] = { 0 }, rt = 0, sum = 0;

	if (unlikely(w->rc != NULL))
		count_per_set(w, handles, status, retries, n, now);
	if (app_mode(w)) {
		for (uint16_t i = 0; i < n; i++) {
			const uint32_t slot = (uint32_t)(uintptr_t)handles[i];

			sum += w->slot_frame[slot];
			gen_hist_record(&c->lat, now - w->stamp[slot]);
			w->free_slots[w->nb_free++] = slot;
			st[status[i]]++;
			rt += retries[i];
		}
	} else {
		/* Frames of one burst share their submit time: one histogram
		 * entry per run of them. */
		uint64_t run_stamp = 0, run = 0;

		for (uint16_t i = 0; i < n; i++) {
			const uint64_t frame = (uintptr_t)handles[i];
			const uint64_t stamp = w->stamp[frame & w->stamp_mask];

			sum += frame;
			if (stamp != run_stamp) {
				if (run != 0)
					gen_hist_record_n(&c->lat, now - run_stamp, run);
				run_stamp = stamp;
				run = 0;
			}
			run++;
			st[status[i]]++;
			rt += retries[i];
		}
		if (run != 0)
			gen_hist_record_n(&c->lat, now - run_stamp, run);
	}
	w->sum_completed += sum;
	for (int s = 0; s < GEN_NB_STATUS; s++)
		if (st[s] != 0)
			gen_ctr_add(&c->status[s], st[s]);
	if (rt != 0)
		gen_ctr_add(&c->retries, rt);
	gen_ctr_add(&c->completed, n);
}

/* A frame the source gave: keep it (true) or pass over it. */
static inline bool
take_frame(struct gen_worker *w, const struct gen_frame *f, uint16_t at)
{
	uint64_t ts = 0;

	if (w->pace.mode == GEN_PACE_REPLAY)
		ts = gen_pace_stamp(&w->pace, f->ts_ns);
	if (w->ac_filter &&
	    (f->tid < 0 ? D11TX_AC_BE : d11tx_dot11_tid_to_ac((uint8_t)f->tid)) !=
	    (enum d11tx_dot11_ac)w->ac) {
		gen_ctr_add(&w->ctr->filtered, 1);
		return false;
	}
	w->hf[at] = (struct gen_pace_frame){ .len = f->len, .ts_ns = ts };
	w->last_len = f->len;
	return true;
}

/* Next frame into @p buf: 1, or 0 when the source has no more for now
 * (end, or too many passed over). */
static int
next_frame(struct gen_worker *w, uint8_t *buf, uint32_t room, uint16_t at)
{
	for (unsigned int skips = 0; skips < MAX_SKIPS; skips++) {
		struct gen_frame f;
		const int r = gen_source_next(w->src, buf, room, &f);

		if (r == 1) {
			if (take_frame(w, &f, at))
				return 1;
		} else if (r == -EMSGSIZE) {
			gen_ctr_add(&w->ctr->skipped, 1);
		} else {
			w->eof = true;
			return 0;
		}
	}
	return 0;
}

/* Write frames until @p want are held. */
static void
fill_engine(struct gen_worker *w, uint16_t want)
{
	struct d11tx_buf *bufs[GEN_MAX_BURST];
	const uint16_t n = (uint16_t)(want - w->nheld);
	const uint32_t room = d11tx_buf_room(w->q);
	uint16_t got = 0;

	if (d11tx_buf_alloc(w->q, bufs, n) == 0) {
		gen_ctr_add(&w->ctr->backpressure, 1);
		return;
	}
	/* A template of one size, every frame kept (no replay times, no
	 * filter): the whole burst written in one call. */
	const uint32_t len = gen_source_fixed_len(w->src);

	if (len != 0 && len <= room && w->pace.mode != GEN_PACE_REPLAY && !w->ac_filter) {
		uint8_t *data[GEN_MAX_BURST];

		for (uint16_t i = 0; i < n; i++)
			data[i] = d11tx_buf_data(bufs[i]);
		gen_source_fill_fixed(w->src, data, n);
		for (uint16_t i = 0; i < n; i++) {
			w->hf[w->nheld] = (struct gen_pace_frame){ .len = len };
			w->hb[w->nheld++].buf = bufs[i];
		}
		w->fetched += n;
		w->last_len = len;
		return;
	}
	while (got < n && next_frame(w, d11tx_buf_data(bufs[got]), room, w->nheld) == 1) {
		w->hb[w->nheld++].buf = bufs[got++];
		w->fetched++;
	}
	if (got < n)
		d11tx_buf_free(w->q, &bufs[got], (uint16_t)(n - got));
}

static void
fill_app(struct gen_worker *w, uint16_t want)
{
	while (w->nheld < want) {
		uint32_t slot;

		if (w->nb_free == 0) {
			gen_ctr_add(&w->ctr->backpressure, 1);
			return;
		}
		slot = w->free_slots[w->nb_free - 1];
		if (next_frame(w, w->slots + (size_t)slot * w->slot_size,
			       (uint32_t)w->slot_size, w->nheld) != 1)
			return;
		w->nb_free--;
		w->hb[w->nheld++].slot = slot;
		w->fetched++;
	}
}

static void __rte_noinline
note_refusal(struct gen_worker *w)
{
	if (__atomic_load_n(&w->ctr->refused, __ATOMIC_RELAXED) == 1)
		fprintf(stderr, "dot11tx-gen: queue %u: frame refused: %s%s\n",
			w->queue_id, rte_strerror(rte_errno),
			rte_errno == EPROTO || rte_errno == EBADMSG ||
			rte_errno == EPROTONOSUPPORT ?
			" (--no-validate sends it anyway)" : "");
}

/* The first @p taken of @p offered held frames were accepted: account,
 * release a frame refused for good, drop them from the held ones. */
static void
after_submit(struct gen_worker *w, uint16_t taken, uint16_t offered)
{
	uint16_t gone = taken;
	uint64_t bytes = 0;

	for (uint16_t i = 0; i < taken; i++) {
		bytes += w->hf[i].len;
		w->sum_submitted += w->next_frame + i + 1;
	}
	w->next_frame += taken;
	gen_ctr_add(&w->ctr->bytes, bytes);
	gen_ctr_add(&w->ctr->accepted, taken);
	if (taken < offered) {
		if (rte_errno == ENOBUFS) {
			gen_ctr_add(&w->ctr->backpressure, 1);
		} else {
			/* Refused for good: this frame is never sent. */
			if (app_mode(w))
				w->free_slots[w->nb_free++] = w->hb[taken].slot;
			else
				d11tx_buf_free(w->q, &w->hb[taken].buf, 1);
			gen_ctr_add(&w->ctr->refused, 1);
			note_refusal(w);
			gone++;
		}
	}
	gen_pace_commit(&w->pace, w->hf, gone);
	w->nheld = (uint16_t)(w->nheld - gone);
	if (w->nheld != 0) {
		memmove(&w->hf[0], &w->hf[gone], w->nheld * sizeof(w->hf[0]));
		memmove(&w->hb[0], &w->hb[gone], w->nheld * sizeof(w->hb[0]));
	}
}

static void
submit_engine(struct gen_worker *w, uint16_t k, uint64_t now)
{
	struct d11tx_buf *bufs[GEN_MAX_BURST];
	uint16_t taken;

	for (uint16_t i = 0; i < k; i++) {
		const uint64_t frame = w->next_frame + i + 1;

		bufs[i] = w->hb[i].buf;
		d11tx_buf_set(bufs[i], w->hf[i].len, w->client, (void *)(uintptr_t)frame);
		w->stamp[frame & w->stamp_mask] = now;
		if (w->set_of != NULL) {
			const uint8_t set = set_for(w, frame, now);

			w->set_of[frame & w->stamp_mask] = set;
			d11tx_buf_set_tx_params(bufs[i], (uint8_t)(set + 1));
		}
	}
	taken = d11tx_buf_submit(w->q, bufs, k);
	after_submit(w, taken, k);
}

static void
submit_app(struct gen_worker *w, uint16_t k, uint64_t now)
{
	struct d11tx_frame frames[GEN_MAX_BURST];
	uint16_t taken;

	for (uint16_t i = 0; i < k; i++) {
		const uint32_t slot = w->hb[i].slot;

		w->slot_frame[slot] = w->next_frame + i + 1;
		w->stamp[slot] = now;
		frames[i] = (struct d11tx_frame){
			.data = w->slots + (size_t)slot * w->slot_size,
			.len = w->hf[i].len, .client = w->client,
			.handle = (void *)(uintptr_t)slot,
		};
		if (w->set_of != NULL) {
			const uint8_t set = set_for(w, w->next_frame + i + 1, now);

			w->set_of[slot] = set;
			frames[i].tx_params = (uint16_t)(set + 1);
		}
	}
	taken = d11tx_send_burst(w->q, frames, k);
	after_submit(w, taken, k);
}

/* Frames written but never offered go back. */
static void
release_held(struct gen_worker *w)
{
	for (uint16_t i = 0; i < w->nheld; i++) {
		if (app_mode(w))
			w->free_slots[w->nb_free++] = w->hb[i].slot;
		else
			d11tx_buf_free(w->q, &w->hb[i].buf, 1);
	}
	w->nheld = 0;
}

static inline uint64_t
tick(struct gen_worker *w, uint64_t now)
{
	if (unlikely(w->tick != NULL && now >= w->tick_at))
		w->tick_at = w->tick(now);
	return now;
}

int
gen_worker_run(void *arg)
{
	struct gen_worker *w = arg;
	const bool app = app_mode(w);
	uint64_t now = rte_get_tsc_cycles();
	uint64_t deadline, last;

	for (;;) {
		if (__atomic_load_n(&gen_interrupted, __ATOMIC_RELAXED) || now >= w->end)
			break;
		if (w->nheld == 0 && (w->eof || w->fetched >= w->count))
			break;
		/* Write what the pacer wants ready (replay: one frame at a
		 * time, while the last one written is due). */
		for (int turn = 0; turn < GEN_MAX_BURST; turn++) {
			const uint16_t held = w->nheld;
			uint16_t want = gen_pace_want(&w->pace, now, held,
						      held != 0 ? &w->hf[held - 1] : NULL,
						      w->last_len);

			if (want <= held || w->eof || w->fetched >= w->count)
				break;
			if ((uint64_t)(want - held) > w->count - w->fetched)
				want = (uint16_t)(held + (w->count - w->fetched));
			if (app)
				fill_app(w, want);
			else
				fill_engine(w, want);
			if (w->nheld == held)
				break;
		}
		if (w->nheld != 0) {
			const uint16_t k = gen_pace_allow(&w->pace, now, w->hf, w->nheld);

			if (k != 0) {
				/* --start-at's skew is the first frame's. */
				if (unlikely(w->first_submit == 0))
					w->first_submit = now;
				if (app)
					submit_app(w, k, now);
				else
					submit_engine(w, k, now);
			}
		}
		d11tx_poll(w->q);
		now = tick(w, rte_get_tsc_cycles());
	}
	w->send_end = now;
	release_held(w);

	/* Every accepted frame completes before the summary, interrupted or
	 * not: poll the rest out, giving up after a second without progress
	 * (a stuck port), then stop, which cancels what is staged and drops
	 * what the port still holds: each of those completes too. */
	deadline = now + w->hz;
	last = w->ctr->completed;
	while (d11tx_queue_inflight(w->q) != 0) {
		d11tx_poll(w->q);
		now = tick(w, rte_get_tsc_cycles());
		if (w->ctr->completed != last) {
			last = w->ctr->completed;
			deadline = now + w->hz;
		} else if (now >= deadline) {
			break;
		}
	}
	w->stop_ret = d11tx_queue_stop(w->q, 100000);
	w->ok = w->stop_ret == 0 && w->ctr->completed == w->ctr->accepted &&
		w->sum_completed == w->sum_submitted;
	/* The owner destroys its queue: with tracked pools, every free of
	 * the queue's mbufs belongs to this thread. */
	w->destroy_ret = d11tx_queue_destroy(w->q);
	if (w->destroy_ret == 0)
		w->q = NULL;
	__atomic_store_n(&w->done, true, __ATOMIC_RELEASE);
	return 0;
}

/* The TX parameter sets into the queue's table, slot i + 1 for set i,
 * and the per-set arrays (@p n frames in flight at most). 0, or the
 * negative errno of d11tx_queue_set_tx_params() (-ENOTSUP: the port
 * takes none) or -ENOMEM. */
static int
setup_sets(struct gen_worker *w, size_t n)
{
	const struct gen_txp *t = &w->opt->txp;
	int ret;

	if (t->nb_sets == 0)
		return 0;
	if (t->radiotap) {
		ret = d11tx_queue_set_radiotap(w->q, &(struct d11tx_radiotap_tx){ 0 });
		if (ret < 0)
			return ret;
	}
	for (unsigned int i = 0; i < t->nb_sets; i++) {
		ret = d11tx_queue_set_tx_params(w->q, i + 1, &t->sets[i]);
		if (ret < 0)
			return ret;
	}
	w->set_of = calloc(n, sizeof(*w->set_of));
	w->rc = rte_zmalloc("gen_rate_ctr", t->nb_sets * sizeof(*w->rc), 64);
	if (w->set_of == NULL || w->rc == NULL)
		return -ENOMEM;
	w->set_cycles = (uint64_t)(t->interval * (double)w->hz);
	return 0;
}

int
gen_worker_setup(struct gen_worker *w)
{
	const uint32_t ring = rte_align32pow2(w->opt->ring);
	int ret;

	ret = d11tx_client_register(w->q, on_completion, w);
	if (ret < 0)
		return ret;
	w->client = (uint16_t)ret;
	ret = setup_sets(w, app_mode(w) ? ring + GEN_MAX_BURST : 2 * (size_t)ring);
	if (ret < 0)
		return ret;
	if (!app_mode(w)) {
		w->stamp_mask = 2 * (uint64_t)ring - 1;
		w->stamp = calloc(2 * (size_t)ring, sizeof(*w->stamp));
		return w->stamp == NULL ? -ENOMEM : 0;
	}
	/* In flight at most ring frames, and up to a burst held. */
	w->nb_slots = ring + GEN_MAX_BURST;
	w->slots = rte_malloc("gen_slots", w->slot_size * w->nb_slots, SLOT_ALIGN);
	w->slot_frame = calloc(w->nb_slots, sizeof(*w->slot_frame));
	w->free_slots = calloc(w->nb_slots, sizeof(*w->free_slots));
	w->stamp = calloc(w->nb_slots, sizeof(*w->stamp));
	if (w->slots == NULL || w->slot_frame == NULL || w->free_slots == NULL ||
	    w->stamp == NULL)
		return -ENOMEM;
	for (uint32_t i = 0; i < w->nb_slots; i++)
		w->free_slots[w->nb_free++] = w->nb_slots - 1 - i;
	return d11tx_mem_register(w->q, w->slots, w->slot_size * w->nb_slots);
}

void
gen_worker_free(struct gen_worker *w)
{
	if (w->q != NULL)
		d11tx_queue_destroy(w->q);
	w->q = NULL;
	gen_source_close(w->src);
	w->src = NULL;
	rte_free(w->slots);
	free(w->slot_frame);
	free(w->free_slots);
	free(w->stamp);
	free(w->set_of);
	rte_free(w->rc);
	w->set_of = NULL;
	w->rc = NULL;
	w->slots = NULL;
	w->slot_frame = NULL;
	w->free_slots = NULL;
	w->stamp = NULL;
}
