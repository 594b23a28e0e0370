/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * libFuzzer target for dot11tx-gen's pcap reader (tools/gen/source.c): the
 * input is taken as a whole pcap file, opened from memory in several
 * configurations (MPDU only, radiotap kept or built, sequence numbers
 * assigned, two shares, looping) and drained. Whatever the input, the
 * reader must stay in bounds (ASan; it copies the input to an exact-size
 * buffer) and keep its contracts, checked here: a refusal comes with one
 * line, an accepted file hands out its frames in bounds with times that
 * never go back, and the shares add up to the whole.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <dot11tx/dot11.h>

#include "source.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define ROOM 300000    /* a 262144-byte record and a radiotap header */

static uint8_t buf[ROOM];

/* Open with @p c and drain; returns the frames handed out, or -1 when the
 * file is refused. */
static long
drain(const struct gen_source_conf *c, const uint8_t *data, size_t size, uint32_t room,
      uint64_t *frames)
{
	struct gen_source *s;
	struct gen_frame f;
	char err[256];
	uint64_t prev = 0;
	long n = 0;
	int r;

	memset(err, 0x55, sizeof(err));
	r = gen_source_open_mem(&s, c, data, size, err, sizeof(err));
	if (r < 0) {
		/* One line, NUL-terminated, naming the file. */
		if (s != NULL || memchr(err, '\0', sizeof(err)) == NULL ||
		    strchr(err, '\n') != NULL || strncmp(err, "fuzz.pcap", 9) != 0 ||
		    (r != -EINVAL && r != -EPROTO && r != -ENODATA))
			abort();
		return -1;
	}
	*frames = gen_source_frames(s);
	/* Looping: twice round, then stop. */
	for (uint64_t i = 0; i < (c->loop ? 2 * *frames + 1 : *frames + 1); i++) {
		r = gen_source_next(s, buf, room, &f);
		if (r == 0)
			break;
		if (r == -EMSGSIZE) {
			n++;
			continue;
		}
		if (r != 1 || f.len == 0 || f.len > room || f.ts_ns < prev ||
		    f.tid < -1 || f.tid > 15)
			abort();
		prev = f.ts_ns;
		n++;
	}
	/* Without loop, the end stays the end. */
	if (!c->loop && (n != (long)*frames || gen_source_next(s, buf, room, &f) != 0))
		abort();
	gen_source_close(s);
	return n;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct gen_source_conf c = {
		.kind = GEN_SRC_PCAP,
		.pcap_path = "fuzz.pcap",
		.rt_rate_500k = 12,
	};
	uint64_t all = 0, part = 0, sum = 0;
	long n;

	n = drain(&c, data, size, ROOM, &all);
	if (n < 0)
		return 0;
	/* Radiotap kept or built, numbers assigned (FCS made again), and a
	 * room too small for some: the same file is taken. */
	c.radiotap = true;
	c.assign_seq = true;
	if (drain(&c, data, size, ROOM, &part) != n || part != all)
		abort();
	if (drain(&c, data, size, 64, &part) != n)
		abort();
	/* Two shares add up to the file; a loop goes round. */
	c.radiotap = false;
	c.assign_seq = false;
	c.nb_shares = 2;
	for (c.share = 0; c.share < 2; c.share++) {
		if (drain(&c, data, size, ROOM, &part) < 0)
			abort();
		sum += part;
	}
	if (sum != all)
		abort();
	c.share = 1;
	c.loop = true;
	if (drain(&c, data, size, ROOM, &part) < 0)
		abort();
	return 0;
}
