/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef D11TX_GEN_GEN_H
#define D11TX_GEN_GEN_H

/*
 * dot11tx-gen's parts: the options (main.c), the sending workers
 * (worker.c: one engine queue, one frame source and one counter block
 * each, on one lcore), telemetry (telemetry.c).
 */

#include <stdbool.h>
#include <stdint.h>
#include <time.h>

#include <dot11tx/dot11tx.h>

#include "pace.h"
#include "source.h"
#include "stats.h"

#define GEN_MAX_BURST 512
#define GEN_MAX_WORKERS 64

enum gen_mode { GEN_MODE_ENGINE, GEN_MODE_APP };

/* Per-frame TX parameters (--rt-mcs, --rates, --mcs, --retry-limit,
 * --no-ack): the sets the engine's table holds, slot i + 1 for rate i
 * (or slot 1 alone, rate the port's), each frame naming the slot of its
 * rate; cycled per frame or every interval. */
#define GEN_MAX_RATES 16
struct gen_txp {
	struct d11tx_tx_params sets[GEN_MAX_RATES];
	unsigned int nb_sets;        /* 0: frames name no set */
	double interval;             /* seconds per rate; 0: per frame */
	/* --radiotap: the queues get a radiotap header, and the engine puts
	 * each set's in front of the frames that name it (the source then
	 * writes none). */
	bool radiotap;
};
enum gen_spread { GEN_SPREAD_RR, GEN_SPREAD_AC };

struct gen_options {
	struct gen_source_conf src;  /* share, nb_shares, tid set per worker */
	bool template_given, tid_given;
	bool no_validate;
	struct gen_rate rate;
	bool rate_given;
	double replay_speed;         /* pcap without --rate: 1 by default */
	uint16_t burst;
	uint16_t max_burst;
	uint64_t count;
	bool count_given;
	double duration;
	struct timespec start_at;    /* --start-at: CLOCK_REALTIME */
	bool start_at_given;
	enum gen_mode mode;
	enum gen_spread spread;
	uint16_t port;
	uint32_t ring;
	bool json;
	bool quiet;
	const char *stats_file;
	const char *plot;            /* --plot FILE (.svg or .png) */
	uint16_t prom_port;          /* --prometheus; 0: none */
	const char *prom_bind;       /* --prometheus-bind */
	struct gen_txp txp;
};

/* Set by SIGINT/SIGTERM; read by the workers (relaxed). */
extern volatile int gen_interrupted;

/* The main lcore's per-second view, called from the sending loop when
 * the main lcore sends: returns the TSC of the next call. */
typedef uint64_t (*gen_tick_fn)(uint64_t now);

struct gen_worker {
	/* Set up by main. */
	unsigned int idx;
	unsigned int lcore;
	uint16_t queue_id;
	int8_t ac;                   /* --spread ac: its access category; else -1 */
	bool ac_filter;              /* replay --spread ac: keep frames of ac only */
	struct d11tx_queue *q;
	struct gen_source *src;
	const struct gen_options *opt;
	struct gen_counters *ctr;
	uint64_t count;              /* frames to offer, refused ones included */
	uint64_t hz, end;            /* end: UINT64_MAX without --duration */
	gen_tick_fn tick;            /* NULL on worker lcores */
	uint64_t tick_at;
	uint16_t client;
	/* The sending loop's state. */
	struct gen_pace pace;
	uint16_t nheld;              /* frames written, not yet accepted */
	struct gen_pace_frame hf[GEN_MAX_BURST];
	union {
		struct d11tx_buf *buf;   /* engine-owned */
		uint32_t slot;           /* app-owned */
	} hb[GEN_MAX_BURST];
	bool eof;
	uint64_t fetched;            /* frames taken from the source */
	uint32_t last_len;
	/* Exactly once: handles are frame numbers 1, 2, ...; the sums of
	 * submitted and completed numbers must match, as must the counts. */
	uint64_t next_frame;
	uint64_t sum_submitted;
	uint64_t sum_completed;
	/* Submit TSC per frame (engine: by frame number; app: by slot). */
	uint64_t *stamp;
	uint64_t stamp_mask;
	/* App-owned: registered slots, and a stack of the free ones. */
	uint8_t *slots;
	size_t slot_size;
	uint32_t nb_slots;
	uint64_t *slot_frame;
	uint32_t *free_slots;
	uint32_t nb_free;
	/* Per-frame TX parameters: the set of each frame in flight (by
	 * stamp index: engine, by frame number; app, by slot), and per set
	 * the counters (NULL without sets). */
	uint8_t *set_of;
	struct gen_rate_counters *rc;
	uint64_t set_t0, set_cycles; /* --rate-interval */
	/* Results. */
	uint64_t send_end;           /* TSC when sending stopped */
	uint64_t first_submit;       /* TSC of its first submit (0: none) */
	int stop_ret;
	int destroy_ret;
	bool ok;
	bool done;
};

/* Allocate the worker's arrays, register its client (and its slots, in
 * app mode). On the main lcore, before launch. 0 or a negative errno. */
int gen_worker_setup(struct gen_worker *w);
/* The lcore function: send, drain, stop and destroy the queue. */
int gen_worker_run(void *arg);
void gen_worker_free(struct gen_worker *w);

/* What telemetry shows. */
struct gen_tel_info {
	const struct gen_counters *ctr;
	const struct gen_worker *workers;
	unsigned int nb_workers;
	uint16_t port;
	char driver[32];
	char source[160];            /* "template qos-data", "pcap FILE" ... */
	char rate[48];
	const char *mode;
	uint64_t hz;
	uint64_t t0;                 /* the run's start (atomic); 0 before it */
};

/* Seconds since the run started (0 before it: set-up, --start-at's
 * wait), for the telemetry readers. */
double gen_tel_elapsed(const struct gen_tel_info *info);

/* Register /dot11tx/stats, /dot11tx/queues and /dot11tx/info; @p info
 * must live until exit. 0 or a negative errno. */
int gen_telemetry_register(const struct gen_tel_info *info);

#endif
