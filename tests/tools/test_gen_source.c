/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * dot11tx-gen's frame sources (tools/gen/source.c), without DPDK's EAL:
 * every template built right (and decoded by tshark, where installed),
 * sizes, hex frames, and pcap replay of the real captures checked against
 * libpcap and tshark, byte for byte; malformed files refused with a line
 * that says why.
 */

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>
#include <pcap/pcap.h>

#include <dot11tx/dot11.h>

#include "parse.h"
#include "skip.h"
#include "source.h"

#define ROOM 16384

static const uint8_t DA[6] = { 0x02, 0xdd, 0xdd, 0xdd, 0xdd, 0x01 };
static const uint8_t SA[6] = { 0x02, 0x11, 0x11, 0x11, 0x11, 0x02 };
static const uint8_t BSSID[6] = { 0x02, 0xbb, 0xbb, 0xbb, 0xbb, 0x03 };
static const uint8_t BCAST[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };

static char tmpdir[64];

static struct gen_source_conf
tconf(enum gen_template t)
{
	struct gen_source_conf c = {
		.kind = GEN_SRC_TEMPLATE,
		.tmpl = t,
		.ssid = "dot11tx",
		.tid = 5,
		.to_ds = false,
		.seed = 1,
	};

	memcpy(c.da, DA, 6);
	memcpy(c.sa, SA, 6);
	memcpy(c.bssid, BSSID, 6);
	return c;
}

static struct gen_source *
open_ok(const struct gen_source_conf *c)
{
	struct gen_source *s = NULL;
	char err[256] = "";
	const int rc = gen_source_open(&s, c, err, sizeof(err));

	if (rc != 0)
		fail_msg("open: %d: %s", rc, err);
	assert_non_null(s);
	return s;
}

/* Opening fails with @p rc and a message containing @p want. */
static void
open_fails(const struct gen_source_conf *c, const void *mem, size_t len, int rc,
	   const char *want)
{
	struct gen_source *s = (struct gen_source *)1;
	char err[256] = "";
	const int r = mem != NULL || (c->kind == GEN_SRC_PCAP && c->pcap_path == NULL) ?
		gen_source_open_mem(&s, c, mem, len, err, sizeof(err)) :
		gen_source_open(&s, c, err, sizeof(err));

	print_message("refused (%d): %s\n", r, err);
	if (r != rc)
		fail_msg("open: %d, want %d: %s", r, rc, err);
	assert_null(s);
	if (strstr(err, want) == NULL)
		fail_msg("message \"%s\" lacks \"%s\"", err, want);
	assert_null(strchr(err, '\n'));
}

static uint32_t
next_ok(struct gen_source *s, uint8_t *buf, struct gen_frame *f)
{
	const int r = gen_source_next(s, buf, ROOM, f);

	assert_int_equal(r, 1);
	assert_true(f->len <= ROOM);
	return f->len;
}

static uint16_t
le16(const uint8_t *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}

static uint16_t
seq_of(const uint8_t *f)
{
	return (uint16_t)(le16(f + 22) >> 4);
}

static bool
have_tshark(void)
{
	static int have = -1;

	if (have < 0)
		have = test_have_program("tshark");
	return have;
}

/* tshark's fields of every frame of @p path, one line each (separator
 * '|', first occurrence); returns the number of lines. */
static int
tshark_lines(const char *path, const char *opts, const char *fields, char lines[][512],
	     int max)
{
	char cmd[2048];
	FILE *p;
	int n = 0;

	snprintf(cmd, sizeof(cmd),
		 "tshark -n %s -r %s -T fields -E separator='|' -E occurrence=f %s 2>/dev/null",
		 opts, path, fields);
	p = popen(cmd, "r");
	assert_non_null(p);
	while (n < max && fgets(lines[n], 512, p) != NULL) {
		lines[n][strcspn(lines[n], "\n")] = '\0';
		n++;
	}
	assert_int_equal(pclose(p), 0);
	return n;
}

/* ------------------------------------------------------------------ */

static void
test_names(void **state)
{
	(void)state;
	for (unsigned int t = 0; t < GEN_T_MAX; t++)
		assert_int_equal(gen_template_by_name(gen_template_name(t)), (int)t);
	assert_int_equal(gen_template_by_name("qos-data"), GEN_T_QOS_DATA);
	assert_int_equal(gen_template_by_name("probe-req"), GEN_T_PROBE_REQ);
	assert_int_equal(gen_template_by_name("Beacon"), -1);
	assert_int_equal(gen_template_by_name(""), -1);
	assert_int_equal(gen_template_by_name(NULL), -1);
	assert_string_equal(gen_template_name(GEN_T_MAX), "unknown");
}

static void
test_mac_parse(void **state)
{
	uint8_t m[6] = { 0 };
	static const uint8_t want[6] = { 0xaa, 0xbb, 0x0c, 0xdd, 0xee, 0xf0 };
	static const char *const bad[] = {
		"", "aa:bb:cc:dd:ee", "aa:bb:cc:dd:ee:ff:", "aa:bb:cc:dd:ee:fg",
		"aa-bb-cc-dd-ee-ff", "aabb.ccdd.eeff", "a:bb:cc:dd:ee:ff0",
		" aa:bb:cc:dd:ee:f", "aa:bb:cc:dd:ee:ff ",
	};

	(void)state;
	assert_int_equal(tool_parse_mac("aa:BB:0c:dd:Ee:f0", m), 0);
	assert_memory_equal(m, want, 6);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		memset(m, 0x5a, 6);
		if (tool_parse_mac(bad[i], m) != -EINVAL)
			fail_msg("\"%s\" taken", bad[i]);
		for (int k = 0; k < 6; k++)
			assert_int_equal(m[k], 0x5a);   /* untouched */
	}
	assert_int_equal(tool_parse_mac(NULL, m), -EINVAL);
}

static void
test_sizes_parse(void **state)
{
	static const struct {
		const char *s, *msg;
	} bad[] = {
		{ "", "empty" },
		{ "9", "out of bounds" },
		{ "7992", "out of bounds" },
		{ "99999999999999999999999", "out of bounds" },
		{ "64-64", "below its high end" },
		{ "1500-64", "below its high end" },
		{ "64,", "number expected" },
		{ ",64", "number expected" },
		{ "64,,128", "number expected" },
		{ "abc", "number expected" },
		{ "64-1500-2000", "after the range" },
		{ "64-100,200", "after the range" },
		{ "64,100-200", "unexpected" },
		{ "64 ", "unexpected" },
		{ " 64", "number expected" },
		{ "-64", "number expected" },
		{ "+64", "number expected" },
		{ "64-", "number expected" },
		{ "0x40", "0 is out of bounds" },
	};
	struct gen_sizes z;
	char err[256], list[1024];

	(void)state;
	assert_int_equal(gen_sizes_parse("64", &z, err, sizeof(err)), 0);
	assert_int_equal(z.nb, 1);
	assert_false(z.range);
	assert_int_equal(z.list[0], 64);
	assert_int_equal(gen_sizes_parse("64,256,1500", &z, err, sizeof(err)), 0);
	assert_int_equal(z.nb, 3);
	assert_false(z.range);
	assert_int_equal(z.list[1], 256);
	assert_int_equal(z.list[2], 1500);
	assert_int_equal(gen_sizes_parse("64-1500", &z, err, sizeof(err)), 0);
	assert_int_equal(z.nb, 2);
	assert_true(z.range);
	assert_int_equal(z.list[0], 64);
	assert_int_equal(z.list[1], 1500);
	assert_int_equal(gen_sizes_parse("10,7991", &z, err, sizeof(err)), 0);
	assert_int_equal(z.list[0], 10);
	assert_int_equal(z.list[1], 7991);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct gen_sizes keep = { .nb = 7 };

		err[0] = '\0';
		if (gen_sizes_parse(bad[i].s, &keep, err, sizeof(err)) != -EINVAL)
			fail_msg("\"%s\" taken", bad[i].s);
		assert_int_equal(keep.nb, 7);   /* untouched */
		if (strstr(err, bad[i].msg) == NULL)
			fail_msg("\"%s\": \"%s\" lacks \"%s\"", bad[i].s, err, bad[i].msg);
	}
	/* GEN_MAX_SIZES entries, and one more. */
	list[0] = '\0';
	for (int i = 0; i < GEN_MAX_SIZES; i++)
		snprintf(list + strlen(list), sizeof(list) - strlen(list), "%s%d",
			 i ? "," : "", 100 + i);
	assert_int_equal(gen_sizes_parse(list, &z, err, sizeof(err)), 0);
	assert_int_equal(z.nb, GEN_MAX_SIZES);
	assert_int_equal(z.list[GEN_MAX_SIZES - 1], 100 + GEN_MAX_SIZES - 1);
	strcat(list, ",500");
	assert_int_equal(gen_sizes_parse(list, &z, err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "more than 64"));
}

/* What each template must be: Frame Control, addresses (NULL: none). */
struct tmpl_want {
	uint8_t fc0, fc1;
	uint32_t len;              /* natural */
	const uint8_t *a1, *a2, *a3;
	bool seq;
};

static struct tmpl_want
want_of(enum gen_template t, bool to_ds)
{
	const size_t ssid = strlen("dot11tx");

	switch (t) {
	case GEN_T_BEACON:
		return (struct tmpl_want){ 0x80, 0, (uint32_t)(57 + ssid), BCAST, BSSID, BSSID, true };
	case GEN_T_PROBE_REQ:
		return (struct tmpl_want){ 0x40, 0, (uint32_t)(42 + ssid), BCAST, SA, BCAST, true };
	case GEN_T_PROBE_RESP:
		return (struct tmpl_want){ 0x50, 0, (uint32_t)(57 + ssid), DA, BSSID, BSSID, true };
	case GEN_T_QOS_DATA:
		return to_ds ? (struct tmpl_want){ 0x88, 1, 62, BSSID, SA, DA, true }
			     : (struct tmpl_want){ 0x88, 2, 62, DA, BSSID, SA, true };
	case GEN_T_DATA:
		return to_ds ? (struct tmpl_want){ 0x08, 1, 60, BSSID, SA, DA, true }
			     : (struct tmpl_want){ 0x08, 2, 60, DA, BSSID, SA, true };
	case GEN_T_NULL:
		return (struct tmpl_want){ 0x48, 1, 24, BSSID, SA, BSSID, true };
	case GEN_T_RTS:
		return (struct tmpl_want){ 0xb4, 0, 16, DA, SA, NULL, false };
	case GEN_T_CTS:
		return (struct tmpl_want){ 0xc4, 0, 10, DA, NULL, NULL, false };
	case GEN_T_ACK:
		return (struct tmpl_want){ 0xd4, 0, 10, DA, NULL, NULL, false };
	case GEN_T_DEAUTH:
		return (struct tmpl_want){ 0xc0, 0, 26, DA, SA, BSSID, true };
	default:
		fail();
	}
	return (struct tmpl_want){ 0 };
}

/* The body's elements of a management frame run exactly to its end. */
static void
check_elements(const uint8_t *f, uint32_t len, uint32_t body, unsigned int *vendor)
{
	uint32_t p = body;

	*vendor = 0;
	while (p < len) {
		assert_true(p + 2 <= len);
		assert_true(p + 2 + f[p + 1] <= len);
		if (f[p] == 0xdd) {
			assert_true(f[p + 1] >= 4);   /* OUI and type */
			assert_int_equal(f[p + 2], 0x02);
			assert_int_equal(f[p + 5], 0);
			(*vendor)++;
		}
		p += 2u + f[p + 1];
	}
	assert_int_equal(p, len);
}

static uint16_t
ip_csum(const uint8_t *h)
{
	uint32_t s = 0;

	for (int i = 0; i < 20; i += 2)
		s += (uint32_t)(h[i] << 8 | h[i + 1]);
	while (s >> 16)
		s = (s & 0xffff) + (s >> 16);
	return (uint16_t)~s;
}

/* Payload checks of a template frame of @p len bytes at f. */
static void
check_body(enum gen_template t, const uint8_t *f, uint32_t len)
{
	unsigned int vendor;

	switch (t) {
	case GEN_T_BEACON:
	case GEN_T_PROBE_RESP:
		assert_int_equal(le16(f + 32), 100);         /* interval */
		assert_int_equal(le16(f + 34), 0x0001);      /* ESS */
		assert_int_equal(f[36], 0);                  /* SSID */
		assert_int_equal(f[37], 7);
		assert_memory_equal(f + 38, "dot11tx", 7);
		check_elements(f, len, 36, &vendor);
		assert_true(vendor >= 1);
		break;
	case GEN_T_PROBE_REQ:
		assert_int_equal(f[24], 0);
		assert_int_equal(f[25], 7);
		check_elements(f, len, 24, &vendor);
		assert_true(vendor >= 1);
		break;
	case GEN_T_QOS_DATA:
	case GEN_T_DATA: {
		const uint32_t h = t == GEN_T_QOS_DATA ? 34 : 32;

		assert_int_equal(f[h - 2], 0x08);            /* SNAP: IPv4 */
		assert_int_equal(f[h - 1], 0x00);
		assert_int_equal(f[h], 0x45);
		assert_int_equal(f[h + 2] << 8 | f[h + 3], len - h);
		assert_int_equal(ip_csum(f + h), 0);
		assert_int_equal(f[h + 24] << 8 | f[h + 25], len - h - 20);
		if (t == GEN_T_QOS_DATA)
			assert_int_equal(f[24], 5);          /* TID 5, normal ack */
		break;
	}
	case GEN_T_DEAUTH:
		assert_int_equal(le16(f + 24), 3);
		break;
	default:
		break;
	}
}

static void
check_template(enum gen_template t, const uint8_t *f, uint32_t len, bool to_ds)
{
	const struct tmpl_want w = want_of(t, to_ds);

	if (d11tx_dot11_validate(f, len, 0) != D11TX_DOT11_VALID)
		fail_msg("%s: not valid: %s", gen_template_name(t),
			 d11tx_dot11_invalid_name((unsigned int)d11tx_dot11_validate(f, len, 0)));
	assert_int_equal(f[0], w.fc0);
	assert_int_equal(f[1], w.fc1);
	assert_memory_equal(f + 4, w.a1, 6);
	if (w.a2 != NULL)
		assert_memory_equal(f + 10, w.a2, 6);
	if (w.a3 != NULL)
		assert_memory_equal(f + 16, w.a3, 6);
	check_body(t, f, len);
}

/* Every template: valid, its type and addresses, its natural size, its
 * sequence numbers one after the other, its TID; radiotap in front. */
static void
test_templates(void **state)
{
	uint8_t *buf = malloc(ROOM);

	(void)state;
	for (unsigned int t = 0; t < GEN_T_MAX; t++) {
		for (int ds = 0; ds < 2; ds++) {
			struct gen_source_conf c = tconf(t);
			const struct tmpl_want w = want_of(t, ds);
			struct gen_source *s;
			struct gen_frame f;

			c.to_ds = ds;
			s = open_ok(&c);
			assert_int_equal(gen_source_frames(s), 0);
			for (int i = 0; i < 5; i++) {
				memset(buf, 0xa5, ROOM);
				assert_int_equal(next_ok(s, buf, &f), w.len);
				check_template(t, buf, f.len, ds);
				assert_int_equal(f.ts_ns, 0);
				assert_int_equal(f.tid, t == GEN_T_QOS_DATA ? 5 : -1);
				if (w.seq)
					assert_int_equal(seq_of(buf), i);
			}
			gen_source_close(s);

			/* Behind a radiotap header with a rate. */
			c.radiotap = true;
			c.rt_rate_500k = 12;
			s = open_ok(&c);
			for (int i = 0; i < 3; i++) {
				const uint32_t len = next_ok(s, buf, &f);
				const uint32_t rl = le16(buf + 2);

				assert_int_equal(buf[0], 0);
				assert_true(rl >= 8 && rl < len);
				assert_int_equal(buf[4] & 0x04, 0x04);   /* Rate */
				assert_int_equal(buf[8], 12);
				assert_int_equal(len - rl, w.len);
				check_template(t, buf + rl, len - rl, ds);
				if (w.seq)
					assert_int_equal(seq_of(buf + rl), i);
			}
			gen_source_close(s);
		}
	}
	/* No radiotap fields at all: the 8-byte header. */
	struct gen_source_conf c = tconf(GEN_T_ACK);
	struct gen_source *s;
	struct gen_frame f;

	c.radiotap = true;
	s = open_ok(&c);
	assert_int_equal(next_ok(s, buf, &f), 18);
	assert_int_equal(le16(buf + 2), 8);
	gen_source_close(s);

	/* QoS: per receiver and TID; the same source, another TID, own
	 * counter; an empty SSID is the wildcard. */
	c = tconf(GEN_T_QOS_DATA);
	c.tid = 8;
	open_fails(&c, NULL, 0, -EINVAL, "TID 8");
	c.tid = -1;
	open_fails(&c, NULL, 0, -EINVAL, "TID -1");
	c = tconf(GEN_T_PROBE_REQ);
	c.ssid[0] = '\0';
	s = open_ok(&c);
	assert_int_equal(next_ok(s, buf, &f), 42);
	assert_int_equal(buf[25], 0);
	gen_source_close(s);
	c.kind = (enum gen_source_kind)9;
	open_fails(&c, NULL, 0, -EINVAL, "kind 9");
	c = tconf((enum gen_template)GEN_T_MAX);
	open_fails(&c, NULL, 0, -EINVAL, "template");
	free(buf);
}

/* Sizes: every size from the minimum to 7991 reached exactly, with the
 * elements (or IPv4 lengths) right; a list in turn; a range within its
 * bounds and the same per seed; below the minimum refused; fixed templates
 * ignore sizes. */
static void
test_template_sizes(void **state)
{
	static const enum gen_template var[] = {
		GEN_T_BEACON, GEN_T_PROBE_REQ, GEN_T_PROBE_RESP, GEN_T_QOS_DATA, GEN_T_DATA,
	};
	uint8_t *buf = malloc(ROOM);
	struct gen_frame f;
	char err[256];

	(void)state;
	for (size_t i = 0; i < sizeof(var) / sizeof(var[0]); i++) {
		struct gen_source_conf c = tconf(var[i]);
		const uint32_t min = want_of(var[i], false).len;
		struct gen_source *s;

		/* All sizes, in lists of 64. */
		for (uint32_t lo = min; lo <= 7991; lo += GEN_MAX_SIZES) {
			c.sizes.nb = 0;
			for (uint32_t sz = lo; sz <= 7991 && c.sizes.nb < GEN_MAX_SIZES; sz++)
				c.sizes.list[c.sizes.nb++] = (uint16_t)sz;
			s = open_ok(&c);
			for (unsigned int k = 0; k < c.sizes.nb; k++) {
				assert_int_equal(next_ok(s, buf, &f), lo + k);
				check_template(var[i], buf, f.len, false);
				assert_int_equal(seq_of(buf), k);
			}
			/* In turn: the list starts again. */
			assert_int_equal(next_ok(s, buf, &f), lo);
			gen_source_close(s);
		}
		/* Below the minimum. */
		c.sizes.nb = 2;
		c.sizes.list[0] = 300;
		c.sizes.list[1] = (uint16_t)(min - 1);
		snprintf(err, sizeof(err), "%s: size %u is below the template's minimum of %u",
			 gen_template_name(var[i]), min - 1, min);
		open_fails(&c, NULL, 0, -EINVAL, err);
		c.sizes.range = true;
		c.sizes.list[0] = (uint16_t)(min - 1);
		c.sizes.list[1] = 300;
		open_fails(&c, NULL, 0, -EINVAL, "below the template's minimum");
		c.sizes.list[0] = 300;
		c.sizes.list[1] = 8000;
		open_fails(&c, NULL, 0, -EINVAL, "above the largest frame");
	}

	/* A range: within bounds, every value drawn, the same per seed. */
	struct gen_source_conf c = tconf(GEN_T_DATA);
	struct gen_source *a, *b, *d;
	uint64_t hits[17] = { 0 };
	bool differ = false;

	assert_int_equal(gen_sizes_parse("64-80", &c.sizes, err, sizeof(err)), 0);
	a = open_ok(&c);
	b = open_ok(&c);
	c.seed = 2;
	d = open_ok(&c);
	for (int i = 0; i < 20000; i++) {
		struct gen_frame fb, fd;
		uint8_t other[128];

		next_ok(a, buf, &f);
		assert_true(f.len >= 64 && f.len <= 80);
		hits[f.len - 64]++;
		check_template(GEN_T_DATA, buf, f.len, false);
		assert_int_equal(gen_source_next(b, other, sizeof(other), &fb), 1);
		assert_int_equal(fb.len, f.len);
		assert_memory_equal(other, buf, f.len);
		assert_int_equal(gen_source_next(d, other, sizeof(other), &fd), 1);
		differ |= fd.len != f.len;
	}
	for (int i = 0; i <= 16; i++)
		assert_true(hits[i] > 20000 / 17 / 2);
	assert_true(differ);
	gen_source_close(a);
	gen_source_close(b);
	gen_source_close(d);

	/* Fixed-size templates ignore sizes, even impossible ones. */
	static const enum gen_template fixed[] = {
		GEN_T_NULL, GEN_T_RTS, GEN_T_CTS, GEN_T_ACK, GEN_T_DEAUTH,
	};
	for (size_t i = 0; i < sizeof(fixed) / sizeof(fixed[0]); i++) {
		struct gen_source *s;

		c = tconf(fixed[i]);
		c.sizes.nb = 2;
		c.sizes.list[0] = 1500;
		c.sizes.list[1] = 3;
		s = open_ok(&c);
		assert_int_equal(next_ok(s, buf, &f), want_of(fixed[i], false).len);
		gen_source_close(s);
	}

	/* A frame that does not fit is skipped: the next one comes. */
	c = tconf(GEN_T_BEACON);
	assert_int_equal(gen_sizes_parse("100,1000,200", &c.sizes, err, sizeof(err)), 0);
	c.radiotap = true;
	a = open_ok(&c);
	assert_int_equal(gen_source_next(a, buf, 500, &f), 1);
	assert_int_equal(f.len, 108);
	assert_int_equal(gen_source_next(a, buf, 500, &f), -EMSGSIZE);
	assert_int_equal(gen_source_next(a, buf, 500, &f), 1);
	assert_int_equal(f.len, 208);
	assert_int_equal(seq_of(buf + 8), 1);   /* the skipped one took none */
	assert_int_equal(gen_source_next(a, buf, 107, &f), -EMSGSIZE);
	gen_source_close(a);
	free(buf);
}

static void
write_pcap(const char *path, int linktype, uint8_t *const frames[], const uint32_t lens[],
	   int n)
{
	pcap_t *dead = pcap_open_dead(linktype, 65535);
	pcap_dumper_t *d;

	assert_non_null(dead);
	d = pcap_dump_open(dead, path);
	assert_non_null(d);
	for (int i = 0; i < n; i++) {
		struct pcap_pkthdr h = { .caplen = lens[i], .len = lens[i] };

		h.ts.tv_sec = i;
		pcap_dump((u_char *)d, &h, frames[i]);
	}
	pcap_dump_close(d);
	pcap_close(dead);
}

static const char *
mac_str(const uint8_t *m, char *out)
{
	snprintf(out, 18, "%02x:%02x:%02x:%02x:%02x:%02x", m[0], m[1], m[2], m[3], m[4], m[5]);
	return out;
}

/* What we build, as tshark decodes it: type and subtype, addresses,
 * SSID, TID, LLC type, reason, sequence numbers, lengths; nothing
 * malformed, no expert warning, IPv4 checksums good. */
enum {
	COL_LEN, COL_TYPE, COL_RA, COL_TA, COL_DA, COL_SA, COL_BSSID, COL_SSID,
	COL_TID, COL_LLC, COL_REASON, COL_SEQ, COL_IPCSUM, COL_MALFORMED,
	COL_SEVERITY, NB_COLS
};
static const char tshark_cols[] =
	"-e frame.len -e wlan.fc.type_subtype -e wlan.ra -e wlan.ta -e wlan.da "
	"-e wlan.sa -e wlan.bssid -e wlan.ssid -e wlan.qos.tid -e llc.type "
	"-e wlan.fixed.reason_code -e wlan.seq -e ip.checksum.status "
	"-e _ws.malformed -e _ws.expert.severity";

/* The columns tshark must print for template frame f (@p len bytes). */
static void
want_cols(enum gen_template t, const uint8_t *f, uint32_t len, char cols[NB_COLS][64])
{
	const unsigned int type = f[0] >> 2 & 3, ds = f[1] & 3;
	const bool qos = t == GEN_T_QOS_DATA, data = qos || t == GEN_T_DATA;

	memset(cols, 0, NB_COLS * 64);
	snprintf(cols[COL_LEN], 64, "%u", len);
	snprintf(cols[COL_TYPE], 64, "0x%04x", type << 4 | f[0] >> 4);
	mac_str(f + 4, cols[COL_RA]);
	if (t != GEN_T_CTS && t != GEN_T_ACK)
		mac_str(f + 10, cols[COL_TA]);
	if (type != 1) {
		/* DA, SA, BSSID by the DS bits (802.11 Table 9-26). */
		mac_str(ds == 1 ? f + 16 : f + 4, cols[COL_DA]);
		mac_str(ds == 2 ? f + 16 : f + 10, cols[COL_SA]);
		mac_str(ds == 1 ? f + 4 : ds == 2 ? f + 10 : f + 16, cols[COL_BSSID]);
		snprintf(cols[COL_SEQ], 64, "%u", seq_of(f));
	}
	if (t == GEN_T_BEACON || t == GEN_T_PROBE_RESP || t == GEN_T_PROBE_REQ)
		snprintf(cols[COL_SSID], 64, "646f7431317478");   /* "dot11tx" */
	if (qos)
		snprintf(cols[COL_TID], 64, "%u", f[24] & 0xf);
	if (data) {
		snprintf(cols[COL_LLC], 64, "0x0800");
		snprintf(cols[COL_IPCSUM], 64, "1");                 /* good */
	}
	if (t == GEN_T_DEAUTH)
		snprintf(cols[COL_REASON], 64, "0x0003");
}

static void
test_tshark_templates(void **state)
{
	enum { PER = 3, SIZED = 8, MAXF = GEN_T_MAX * 2 * (PER + SIZED) };
	/* + the minimum, or as they are */
	static const uint16_t sizes[SIZED] = { 0, 1, 4, 5, 6, 300, 1500, 7991 };
	static uint8_t *frames[MAXF];
	static uint32_t lens[MAXF];
	static enum gen_template kinds[MAXF];
	static char got[MAXF + 4][512];
	char path[128];
	int n = 0;

	(void)state;
	if (!have_tshark()) {
		skip_missing("tshark not installed");
	}
	for (unsigned int t = 0; t < GEN_T_MAX; t++) {
		for (int ds = 0; ds < 2; ds++) {
			struct gen_source_conf c = tconf(t);
			const uint32_t min = want_of(t, false).len;
			struct gen_source *s;
			struct gen_frame f;

			c.to_ds = ds;
			c.tid = (int8_t)(3 + ds);
			c.sizes.nb = SIZED;
			for (int k = 0; k < SIZED; k++)
				c.sizes.list[k] = (uint16_t)(sizes[k] < 100 ? min + sizes[k]
									 : sizes[k]);
			if (t > GEN_T_DATA)
				c.sizes.list[0] = 3;     /* ignored */
			s = open_ok(&c);
			for (int i = 0; i < PER + SIZED; i++) {
				frames[n] = malloc(ROOM);
				lens[n] = next_ok(s, frames[n], &f);
				kinds[n] = t;
				/* One after the other (tshark's column must
				 * agree, below). */
				if (want_of(t, ds).seq)
					assert_int_equal(seq_of(frames[n]), i);
				n++;
			}
			gen_source_close(s);
		}
	}
	snprintf(path, sizeof(path), "%s/templates.pcap", tmpdir);
	write_pcap(path, DLT_IEEE802_11, frames, lens, n);
	assert_int_equal(tshark_lines(path, "-o ip.check_checksum:TRUE", tshark_cols, got,
				      n + 4), n);
	for (int i = 0; i < n; i++) {
		char want[NB_COLS][64];
		const char *p = got[i];

		want_cols(kinds[i], frames[i], lens[i], want);
		for (int k = 0; k < NB_COLS; k++) {
			const size_t l = strcspn(p, "|");
			char col[128];

			snprintf(col, sizeof(col), "%.*s", (int)l, p);
			if (k == COL_MALFORMED || k == COL_SEVERITY) {
				/* No malformed packet, no expert info above
				 * a note (0x00400000). */
				if ((k == COL_MALFORMED && col[0] != '\0') ||
				    (k == COL_SEVERITY && strtoul(col, NULL, 0) > 0x00400000))
					fail_msg("frame %d (%s, %u bytes): %s", i + 1,
						 gen_template_name(kinds[i]), lens[i], got[i]);
			} else if (strcmp(col, want[k]) != 0) {
				fail_msg("frame %d (%s) column %d: tshark \"%s\", want \"%s\"\n  %s",
					 i + 1, gen_template_name(kinds[i]), k + 1, col, want[k],
					 got[i]);
			}
			p += l + (p[l] == '|');
		}
	}
	print_message("tshark decoded %d template frames as built\n", n);
	unlink(path);
	for (int i = 0; i < n; i++)
		free(frames[i]);
}

static void
test_hex(void **state)
{
	static const struct {
		const char *hex, *msg;
	} bad[] = {
		{ "", "no bytes" },
		{ "  : ", "no bytes" },
		{ "0", "odd number of digits" },
		{ "d4 0", "odd number of digits" },
		{ "d4 0g", "'g' at position 5 is not a hex digit" },
		{ "d:4", "splits a byte" },
		{ "0xd4", "'x' at position 2" },
		{ "d4-00", "'-' at position 3" },
	};
	struct gen_source_conf c = { .kind = GEN_SRC_HEX };
	uint8_t buf[ROOM];
	struct gen_source *s;
	struct gen_frame f;
	char *big;

	(void)state;
	/* An ACK: no sequence number, sizes ignored. */
	c.hex = "d4 00 00 00 02:dd:dd:dd:dd:01";
	c.sizes.nb = 1;
	c.sizes.list[0] = 1500;
	s = open_ok(&c);
	for (int i = 0; i < 3; i++) {
		assert_int_equal(next_ok(s, buf, &f), 10);
		assert_int_equal(buf[0], 0xd4);
		assert_memory_equal(buf + 4, DA, 6);
		assert_int_equal(f.tid, -1);
	}
	gen_source_close(s);
	/* A deauthentication, whitespace of all kinds, upper case: numbered. */
	c.hex = "C0 00 3a01\n02dddddddd01\t021111111102 02bbbbbbbb03 0000 0300";
	s = open_ok(&c);
	for (int i = 0; i < 3; i++) {
		assert_int_equal(next_ok(s, buf, &f), 26);
		check_template(GEN_T_DEAUTH, buf, 26, false);
		assert_int_equal(buf[2], 0x3a);
		assert_int_equal(seq_of(buf), i);
	}
	gen_source_close(s);
	/* QoS data with TID 6: its TID; behind radiotap. */
	c.hex = "88020000 02dddddddd01 02bbbbbbbb03 021111111102 0000 0600 "
		"aaaa03000000 0800 4500";
	c.radiotap = true;
	c.rt_rate_500k = 2;
	s = open_ok(&c);
	assert_int_equal(next_ok(s, buf, &f), 9 + 36);   /* radiotap: + Rate */
	assert_int_equal(f.tid, 6);
	assert_int_equal(le16(buf + 2), 9);
	assert_int_equal(buf[8], 2);
	gen_source_close(s);
	/* Whatever the bytes, they go out: a reserved type too. */
	c.radiotap = false;
	c.hex = "70";
	s = open_ok(&c);
	assert_int_equal(next_ok(s, buf, &f), 1);
	gen_source_close(s);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		c.hex = bad[i].hex;
		open_fails(&c, NULL, 0, -EINVAL, bad[i].msg);
	}
	c.hex = NULL;
	open_fails(&c, NULL, 0, -EINVAL, "--hex");
	/* The largest MPDU, and one byte more. */
	big = malloc(2 * (D11TX_DOT11_MAX_MPDU + 1) + 1);
	memset(big, '0', 2 * (D11TX_DOT11_MAX_MPDU + 1));
	big[2 * D11TX_DOT11_MAX_MPDU] = '\0';
	c.hex = big;
	s = open_ok(&c);
	assert_int_equal(next_ok(s, buf, &f), D11TX_DOT11_MAX_MPDU);
	assert_int_equal(gen_source_next(s, buf, 100, &f), -EMSGSIZE);
	gen_source_close(s);
	big[2 * D11TX_DOT11_MAX_MPDU] = '0';
	big[2 * (D11TX_DOT11_MAX_MPDU + 1)] = '\0';
	open_fails(&c, NULL, 0, -EINVAL, "more than the largest 802.11 frame");
	free(big);
}

/* ------------------------------------------------------------------ */
/* Pcap replay                                                          */

static const char *
captures_dir(void)
{
	static char dir[512];
	const char *env = getenv("D11TX_CAPTURES");

	if (env != NULL && *env != '\0')
		snprintf(dir, sizeof(dir), "%s", env);
	else
		snprintf(dir, sizeof(dir), "%s/../shared/captures", D11TX_SOURCE_ROOT);
	return access(dir, R_OK) == 0 ? dir : NULL;
}

/* A capture as libpcap reads it. */
struct rec {
	uint8_t *data;
	uint32_t caplen;
	uint64_t ts_ns;
	uint64_t rel_ns;    /* since the first, never going back */
};

struct cap {
	int link;
	uint32_t n;
	struct rec *r;
};

static void
cap_read(const char *path, struct cap *c)
{
	char err[PCAP_ERRBUF_SIZE];
	pcap_t *pc = pcap_open_offline_with_tstamp_precision(path, PCAP_TSTAMP_PRECISION_NANO,
							      err);
	struct pcap_pkthdr *h;
	const u_char *p;

	if (pc == NULL)
		fail_msg("%s: %s", path, err);
	c->link = pcap_datalink(pc);
	c->n = 0;
	c->r = NULL;
	while (pcap_next_ex(pc, &h, &p) == 1) {
		c->r = realloc(c->r, (c->n + 1) * sizeof(*c->r));
		c->r[c->n].data = malloc(h->caplen ? h->caplen : 1);
		memcpy(c->r[c->n].data, p, h->caplen);
		c->r[c->n].caplen = h->caplen;
		c->r[c->n].ts_ns = (uint64_t)h->ts.tv_sec * 1000000000ull +
				   (uint64_t)h->ts.tv_usec;
		if (c->n == 0)
			c->r[0].rel_ns = 0;
		else if (c->r[c->n].ts_ns < c->r[0].ts_ns + c->r[c->n - 1].rel_ns)
			c->r[c->n].rel_ns = c->r[c->n - 1].rel_ns;
		else
			c->r[c->n].rel_ns = c->r[c->n].ts_ns - c->r[0].ts_ns;
		c->n++;
	}
	pcap_close(pc);
}

static void
cap_free(struct cap *c)
{
	for (uint32_t i = 0; i < c->n; i++)
		free(c->r[i].data);
	free(c->r);
}

/* The radiotap FCS flag of a record, by a reading of its own: the Flags
 * field is the first byte after the present words (and TSFT). */
static bool
rt_fcs(const uint8_t *p)
{
	const uint32_t first = (uint32_t)(p[4] | p[5] << 8 | p[6] << 16 | (uint32_t)p[7] << 24);
	uint32_t off = 8;

	while (p[off - 1] & 0x80)
		off += 4;
	if (!(first & 2))
		return false;
	if (first & 1)
		off = ((off + 7) / 8) * 8 + 8;
	return p[off] & 0x10;
}

/* The MPDU (without radio header and FCS) of record @p r of link @p link. */
static void
expected_mpdu(int link, const struct rec *r, const uint8_t **f, uint32_t *len, bool *fcs)
{
	uint32_t hdr = 0;

	*fcs = false;
	if (link == DLT_IEEE802_11_RADIO) {
		hdr = le16(r->data + 2);
		*fcs = rt_fcs(r->data);
	} else if (link == DLT_PRISM_HEADER) {
		hdr = 144;
	}
	*f = r->data + hdr;
	*len = r->caplen - hdr - (*fcs ? 4 : 0);
}

/* The captures of the README's table: file, link type, frames. */
struct readme_row {
	char file[128];
	int link;
	unsigned int frames;
};

static int
readme_rows(const char *dir, struct readme_row *rows, int max)
{
	char path[600], line[512];
	FILE *f;
	int n = 0;

	snprintf(path, sizeof(path), "%s/README.md", dir);
	f = fopen(path, "r");
	assert_non_null(f);
	while (n < max && fgets(line, sizeof(line), f) != NULL) {
		struct readme_row r;
		char type[64];

		if (sscanf(line, "| %127[^ |] | %63[^|(](%d) | %u |", r.file, type, &r.link,
			   &r.frames) == 4) {
			rows[n++] = r;
		}
	}
	fclose(f);
	return n;
}

static struct gen_source_conf
pconf(const char *path)
{
	return (struct gen_source_conf){ .kind = GEN_SRC_PCAP, .pcap_path = path };
}

/* tshark's radiotap FCS flags of every record ("1" or "0"/""), or NULL. */
static char *
tshark_fcs_flags(const char *path, uint32_t n)
{
	static char lines[1024][512];
	char *flags;
	int got;

	if (!have_tshark() || n > 1024)
		return NULL;
	got = tshark_lines(path, "", "-e radiotap.flags.fcs", lines, 1024);
	assert_int_equal(got, n);
	flags = calloc(n + 1, 1);
	for (uint32_t i = 0; i < n; i++)
		flags[i] = lines[i][0] == '1' ? 1 : 0;
	return flags;
}

/* Every capture of the README: the frame count of its table; each frame
 * handed out as libpcap reads it, radiotap and FCS stripped (or, asked to,
 * the radiotap record as captured; a built radiotap header in front of the
 * others); capture times; TIDs. */
static void
test_pcap_captures(void **state)
{
	const char *dir = captures_dir();
	struct readme_row rows[64];
	uint8_t *buf = malloc(ROOM);
	int nrows, files = 0;
	uint64_t frames = 0, fcs_frames = 0, qos_frames = 0, backwards = 0;

	(void)state;
	if (dir == NULL) {
		free(buf);
		skip_missing("no captures (D11TX_CAPTURES, ../shared/captures)");
	}
	nrows = readme_rows(dir, rows, 64);
	assert_true(nrows >= 11);
	for (int i = 0; i < nrows; i++) {
		char path[700];
		struct cap cap;
		struct gen_source_conf c;
		struct gen_source *s;
		struct gen_frame f;
		char *tflags;

		snprintf(path, sizeof(path), "%.500s/%.127s", dir, rows[i].file);
		cap_read(path, &cap);
		assert_int_equal(cap.link, rows[i].link);
		assert_int_equal(cap.n, rows[i].frames);
		c = pconf(path);
		if (strcmp(rows[i].file, "wpaclean_crash.pcap") == 0) {
			/* Its one record is 17 bytes with no Prism header:
			 * refused (see test_crash_files). */
			cap_free(&cap);
			continue;
		}
		tflags = cap.link == DLT_IEEE802_11_RADIO ? tshark_fcs_flags(path, cap.n) : NULL;
		s = open_ok(&c);
		assert_int_equal(gen_source_frames(s), rows[i].frames);
		for (uint32_t k = 0; k < cap.n; k++) {
			const uint8_t *want;
			uint32_t wlen;
			bool fcs;

			expected_mpdu(cap.link, &cap.r[k], &want, &wlen, &fcs);
			if (tflags != NULL)
				assert_int_equal(fcs, tflags[k]);
			fcs_frames += fcs;
			assert_int_equal(next_ok(s, buf, &f), wlen);
			assert_memory_equal(buf, want, wlen);
			assert_int_equal(f.ts_ns, cap.r[k].rel_ns);
			if (k > 0 && cap.r[k].ts_ns < cap.r[k - 1].ts_ns)
				backwards++;
			if ((want[0] & 0x8c) == 0x88) {
				qos_frames++;
				assert_int_equal(f.tid, want[(want[1] & 3) == 3 ? 30 : 24] & 0xf);
			} else {
				assert_int_equal(f.tid, -1);
			}
		}
		assert_int_equal(gen_source_next(s, buf, ROOM, &f), 0);
		assert_int_equal(gen_source_next(s, buf, ROOM, &f), 0);
		gen_source_close(s);

		/* Radiotap kept (127), or built (105). */
		c.radiotap = true;
		c.rt_rate_500k = 4;
		s = open_ok(&c);
		for (uint32_t k = 0; k < cap.n; k++) {
			next_ok(s, buf, &f);
			if (cap.link == DLT_IEEE802_11_RADIO) {
				assert_int_equal(f.len, cap.r[k].caplen);
				assert_memory_equal(buf, cap.r[k].data, f.len);
			} else {
				assert_int_equal(f.len, 9 + cap.r[k].caplen);
				assert_int_equal(le16(buf + 2), 9);
				assert_int_equal(buf[8], 4);
				assert_memory_equal(buf + 9, cap.r[k].data, cap.r[k].caplen);
			}
		}
		assert_int_equal(gen_source_next(s, buf, ROOM, &f), 0);
		gen_source_close(s);
		frames += cap.n;
		files++;
		free(tflags);
		cap_free(&cap);
	}
	print_message("replayed %d captures, %" PRIu64 " frames (%" PRIu64 " with an FCS, %"
		      PRIu64 " QoS data, %" PRIu64 " captured before the one before)\n", files,
		      frames, fcs_frames, qos_frames, backwards);
	assert_true(fcs_frames > 0);
	assert_true(qos_frames > 0);
	free(buf);
}

/* Shares partition the file in order; looping wraps with growing times. */
static void
test_pcap_shares_loop(void **state)
{
	const char *dir = captures_dir();
	uint8_t *buf = malloc(ROOM);
	char path[600];
	struct cap cap;

	(void)state;
	if (dir == NULL) {
		free(buf);
		skip_missing("no captures (D11TX_CAPTURES, ../shared/captures)");
	}
	snprintf(path, sizeof(path), "%s/n-02.cap", dir);
	cap_read(path, &cap);
	for (unsigned int nb = 0; nb <= 7; nb++) {
		const unsigned int shares = nb ? nb : 1;
		uint64_t total = 0;

		for (unsigned int sh = 0; sh < shares; sh++) {
			struct gen_source_conf c = pconf(path);
			struct gen_source *s;
			struct gen_frame f;
			uint32_t k = sh;

			c.share = sh;
			c.nb_shares = nb;
			s = open_ok(&c);
			total += gen_source_frames(s);
			assert_int_equal(gen_source_frames(s),
					 cap.n / shares + (sh < cap.n % shares));
			while (gen_source_next(s, buf, ROOM, &f) == 1) {
				assert_true(k < cap.n);
				assert_int_equal(f.len, cap.r[k].caplen);
				assert_memory_equal(buf, cap.r[k].data, f.len);
				assert_int_equal(f.ts_ns, cap.r[k].rel_ns);
				k += shares;
			}
			assert_true(k >= cap.n);
			gen_source_close(s);
		}
		assert_int_equal(total, cap.n);
	}
	struct gen_source_conf c = pconf(path);

	c.share = 3;
	c.nb_shares = 3;
	open_fails(&c, NULL, 0, -EINVAL, "share 3 out of range (3 shares)");

	/* Loop: three passes over share 1 of 2; times go on growing by the
	 * duration and one mean gap per pass. */
	const uint64_t dur = cap.r[cap.n - 1].rel_ns;
	const uint64_t period = dur + dur / (cap.n - 1);
	struct gen_source *s;
	struct gen_frame f;
	uint64_t prev = 0;

	c.share = 1;
	c.nb_shares = 2;
	c.loop = true;
	s = open_ok(&c);
	for (uint32_t pass = 0; pass < 3; pass++) {
		for (uint32_t k = 1; k < cap.n; k += 2) {
			next_ok(s, buf, &f);
			assert_memory_equal(buf, cap.r[k].data, f.len);
			assert_int_equal(f.ts_ns, cap.r[k].rel_ns + pass * period);
			assert_true(f.ts_ns >= prev);
			prev = f.ts_ns;
		}
	}
	gen_source_close(s);
	/* More shares than frames: an empty share ends at once, even looping. */
	snprintf(path, sizeof(path), "%s/wpa2.eapol.cap", dir);
	c = pconf(path);
	c.share = 6;
	c.nb_shares = 8;
	c.loop = true;
	s = open_ok(&c);
	assert_int_equal(gen_source_frames(s), 0);
	assert_int_equal(gen_source_next(s, buf, ROOM, &f), 0);
	gen_source_close(s);
	/* One frame, looping: 1 ms apart. */
	snprintf(path, sizeof(path), "%s/Chinese-SSID-Name.pcap", dir);
	c = pconf(path);
	c.loop = true;
	s = open_ok(&c);
	for (int i = 0; i < 3; i++) {
		next_ok(s, buf, &f);
		assert_int_equal(f.ts_ns, (uint64_t)i * 1000000);
	}
	gen_source_close(s);
	cap_free(&cap);
	free(buf);
}

/* The numbers 802.11 gives a transmitter's frames, computed here on their
 * own: one counter for management, non-QoS data and group-addressed
 * frames, one per receiver and TID for individually addressed QoS data;
 * later fragments reuse their first one's; control frames and QoS Null
 * take none (-1). */
struct seq_model {
	uint16_t next, last;
	int nrx;
	struct {
		uint8_t addr[6];
		uint16_t next[16], last[16];
	} rx[D11TX_DOT11_SEQ_RECEIVERS];
};

static int
seq_model(struct seq_model *sm, const uint8_t *m, uint32_t len)
{
	const uint16_t fc = le16(m);
	const unsigned int type = fc >> 2 & 3, sub = fc >> 4 & 0xf;
	const uint32_t hdr = d11tx_dot11_hdr_len(fc);
	uint16_t *next = &sm->next, *last = &sm->last;

	if (type == 1 || type == 3 || hdr == 0 || len < hdr || (type == 2 && sub == 12))
		return -1;
	if (type == 2 && (sub & 8) && !(m[4] & 1)) {
		const unsigned int tid = m[(fc & 0x300) == 0x300 ? 30 : 24] & 0xf;
		int i;

		for (i = 0; i < sm->nrx && memcmp(sm->rx[i].addr, m + 4, 6) != 0; i++)
			;
		if (i == sm->nrx) {
			/* More receivers than the framing layer tracks: its
			 * LRU would reset one; not modelled. */
			assert_true(sm->nrx < D11TX_DOT11_SEQ_RECEIVERS);
			memcpy(sm->rx[sm->nrx++].addr, m + 4, 6);
		}
		next = &sm->rx[i].next[tid];
		last = &sm->rx[i].last[tid];
	}
	if ((m[22] & 0xf) == 0) {
		*last = *next;
		*next = (uint16_t)((*next + 1) & 0xfff);
	}
	return *last;
}

/* assign_seq: every frame numbered as 802.11 numbers a transmitter's
 * frames, only its Sequence Control (and FCS) changed, the FCS of a frame
 * that keeps its radiotap FCS made again; control frames untouched.
 * Without it, replay keeps the captured numbers. */
static void
test_pcap_assign_seq(void **state)
{
	static const char *const files[] = {
		"test1.pcap", "wpa3-psk.pcap", "capture_wds-01.cap", "wpa2-psk-linksys.cap",
		"n-02.cap",
	};
	const char *dir = captures_dir();
	uint8_t *buf = malloc(ROOM);
	unsigned int refcs = 0, numbered = 0, qos = 0, frags = 0;

	(void)state;
	if (dir == NULL) {
		free(buf);
		skip_missing("no captures (D11TX_CAPTURES, ../shared/captures)");
	}
	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		struct seq_model *sm = calloc(1, sizeof(*sm));
		char path[600];
		struct cap cap;
		struct gen_source_conf c;
		struct gen_source *s;
		struct gen_frame f;

		snprintf(path, sizeof(path), "%s/%s", dir, files[i]);
		cap_read(path, &cap);
		c = pconf(path);
		c.radiotap = cap.link == DLT_IEEE802_11_RADIO;
		c.assign_seq = true;
		s = open_ok(&c);
		for (uint32_t k = 0; k < cap.n; k++) {
			const uint8_t *orig = cap.r[k].data;
			const uint32_t rl = c.radiotap ? le16(orig + 2) : 0;
			const bool fcs = c.radiotap && rt_fcs(orig);
			const uint8_t *m = buf + rl;
			const uint32_t mlen = cap.r[k].caplen - rl - (fcs ? 4 : 0);
			int want;

			next_ok(s, buf, &f);
			assert_int_equal(f.len, cap.r[k].caplen);
			want = seq_model(sm, orig + rl, mlen);
			if (want < 0) {              /* none: as captured */
				assert_memory_equal(buf, orig, f.len);
				continue;
			}
			assert_memory_equal(buf, orig, rl + 22);
			assert_int_equal(seq_of(m), want);
			assert_int_equal(m[22] & 0xf, orig[rl + 22] & 0xf);
			assert_memory_equal(m + 24, orig + rl + 24, mlen - 24);
			numbered++;
			qos += (m[0] & 0x8c) == 0x88;
			frags += (m[22] & 0xf) != 0;
			if (fcs) {
				assert_int_equal(le16(m + mlen) | (uint32_t)le16(m + mlen + 2) << 16,
						 d11tx_dot11_fcs(m, mlen));
				refcs++;
			}
		}
		gen_source_close(s);
		c.assign_seq = false;
		s = open_ok(&c);
		for (uint32_t k = 0; k < cap.n; k++) {
			next_ok(s, buf, &f);
			assert_memory_equal(buf, cap.r[k].data, f.len);
		}
		gen_source_close(s);
		cap_free(&cap);
		free(sm);
	}
	print_message("%u frames numbered (%u QoS data, %u later fragments), %u FCS made again\n",
		      numbered, qos, frags, refcs);
	assert_true(refcs > 0);
	assert_true(qos > 0);
	free(buf);
}

/* ------------------------------------------------------------------ */
/* Files written here                                                   */

struct bytes {
	uint8_t *p;
	size_t n;
};

static void
put(struct bytes *b, const void *p, size_t n)
{
	b->p = realloc(b->p, b->n + n + 1);
	memcpy(b->p + b->n, p, n);
	b->n += n;
}

static void
put32(struct bytes *b, uint32_t v, bool big)
{
	uint8_t x[4];

	for (int i = 0; i < 4; i++)
		x[i] = (uint8_t)(big ? v >> (24 - 8 * i) : v >> (8 * i));
	put(b, x, 4);
}

static void
put16(struct bytes *b, uint16_t v, bool big)
{
	uint8_t x[2] = { (uint8_t)(big ? v >> 8 : v), (uint8_t)(big ? v : v >> 8) };

	put(b, x, 2);
}

static void
pcap_hdr(struct bytes *b, uint32_t magic, bool big, uint32_t snaplen, uint32_t link)
{
	put32(b, magic, big);
	put16(b, 2, big);
	put16(b, 4, big);
	put32(b, 0, big);
	put32(b, 0, big);
	put32(b, snaplen, big);
	put32(b, link, big);
}

static void
pcap_rec(struct bytes *b, bool big, uint32_t sec, uint32_t frac, uint32_t caplen,
	 uint32_t len, const void *data, size_t have)
{
	put32(b, sec, big);
	put32(b, frac, big);
	put32(b, caplen, big);
	put32(b, len, big);
	put(b, data, have);
}

static void
write_file(const char *path, const void *p, size_t n)
{
	FILE *f = fopen(path, "wb");

	assert_non_null(f);
	assert_int_equal(fwrite(p, 1, n, f), n);
	fclose(f);
}

/* The same capture in both byte orders, micro- and nanoseconds, written
 * here: the same frames and times. Timestamps going back are clamped. */
static void
test_pcap_formats(void **state)
{
	const char *dir = captures_dir();
	uint8_t *buf = malloc(ROOM);
	char path[600];
	struct cap cap;

	(void)state;
	if (dir == NULL) {
		free(buf);
		skip_missing("no captures (D11TX_CAPTURES, ../shared/captures)");
	}
	snprintf(path, sizeof(path), "%s/zn2i.pcap", dir);
	cap_read(path, &cap);
	for (int v = 0; v < 4; v++) {
		const bool big = v & 1, nano = v & 2;
		struct bytes b = { 0 };
		struct gen_source_conf c = pconf("zn2i-variant");
		struct gen_source *s;
		struct gen_frame f;
		char err[256];

		pcap_hdr(&b, nano ? 0xa1b23c4d : 0xa1b2c3d4, big, 65535, 127);
		for (uint32_t k = 0; k < cap.n; k++) {
			const uint64_t t = cap.r[k].ts_ns + (nano ? 123 : 0);

			pcap_rec(&b, big, (uint32_t)(t / 1000000000),
				 (uint32_t)(t % 1000000000 / (nano ? 1 : 1000)), cap.r[k].caplen,
				 cap.r[k].caplen, cap.r[k].data, cap.r[k].caplen);
		}
		c.radiotap = true;
		assert_int_equal(gen_source_open_mem(&s, &c, b.p, b.n, err, sizeof(err)), 0);
		assert_int_equal(gen_source_frames(s), cap.n);
		for (uint32_t k = 0; k < cap.n; k++) {
			next_ok(s, buf, &f);
			assert_memory_equal(buf, cap.r[k].data, cap.r[k].caplen);
			assert_int_equal(f.ts_ns, cap.r[k].rel_ns);
		}
		gen_source_close(s);
		/* And through a file, for the reader's path. */
		snprintf(path, sizeof(path), "%s/variant%d.pcap", tmpdir, v);
		write_file(path, b.p, b.n);
		c.pcap_path = path;
		s = open_ok(&c);
		assert_int_equal(gen_source_frames(s), cap.n);
		gen_source_close(s);
		unlink(path);
		free(b.p);
	}
	cap_free(&cap);

	/* Times: 5 s, 3 s (back: clamped to 5), 7 s; usec. */
	struct bytes b = { 0 };
	static const uint8_t ack[10] = { 0xd4 };
	struct gen_source_conf c = pconf("times");
	struct gen_source *s;
	struct gen_frame f;
	char err[256];
	static const uint64_t want[3] = { 0, 0, 2000000000ull };

	pcap_hdr(&b, 0xa1b2c3d4, false, 0 /* unset */, 105);
	pcap_rec(&b, false, 5, 999999, 10, 10, ack, 10);
	pcap_rec(&b, false, 3, 0, 10, 10, ack, 10);
	pcap_rec(&b, false, 7, 999999, 10, 10, ack, 10);
	c.loop = true;
	assert_int_equal(gen_source_open_mem(&s, &c, b.p, b.n, err, sizeof(err)), 0);
	for (int i = 0; i < 6; i++) {
		next_ok(s, buf, &f);
		assert_int_equal(f.ts_ns, want[i % 3] + (uint64_t)(i / 3) * 3000000000ull);
	}
	gen_source_close(s);
	free(b.p);

	/* 0 s and 2^32 - 1 s: looping saturates rather than wrapping (the
	 * fuzzer's find). */
	b = (struct bytes){ 0 };
	pcap_hdr(&b, 0xa1b2c3d4, false, 65535, 105);
	pcap_rec(&b, false, 0, 0, 10, 10, ack, 10);
	pcap_rec(&b, false, UINT32_MAX, 999999, 10, 10, ack, 10);
	assert_int_equal(gen_source_open_mem(&s, &c, b.p, b.n, err, sizeof(err)), 0);
	uint64_t prev = 0;

	for (int i = 0; i < 10; i++) {
		next_ok(s, buf, &f);
		assert_true(f.ts_ns >= prev);
		prev = f.ts_ns;
	}
	assert_int_equal(prev, UINT64_MAX);
	gen_source_close(s);
	free(b.p);
	free(buf);
}

/* Prism (119) and AVS headers, built here: the MPDU after msglen bytes;
 * tshark agrees where installed. */
static void
test_pcap_prism(void **state)
{
	static const uint8_t beacon[40] = {
		0x80, 0x00, 0x00, 0x00, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
		0x02, 0xbb, 0xbb, 0xbb, 0xbb, 0x03, 0x02, 0xbb, 0xbb, 0xbb, 0xbb, 0x03,
		0x10, 0x00, 0, 0, 0, 0, 0, 0, 0, 0, 0x64, 0x00, 0x01, 0x00, 0x00, 0x02,
		'h', 'i',
	};
	uint8_t buf[512], rec[300];
	struct gen_source_conf c = pconf("prism");
	struct gen_source *s;
	struct gen_frame f;
	char err[256], path[128];

	(void)state;
	for (int v = 0; v < 3; v++) {
		/* 0: Prism little-endian, 1: Prism big-endian, 2: AVS. */
		const uint32_t hl = v == 2 ? 64 : 144;
		struct bytes b = { 0 };

		memset(rec, 0, sizeof(rec));
		if (v == 0) {
			rec[0] = 0x44;
			rec[4] = 144;
		} else if (v == 1) {
			rec[3] = 0x41;
			rec[7] = 144;
		} else {
			rec[0] = 0x80;
			rec[1] = 0x21;
			rec[2] = 0x10;
			rec[3] = 0x01;
			rec[7] = 64;
		}
		memcpy(rec + hl, beacon, sizeof(beacon));
		pcap_hdr(&b, 0xa1b2c3d4, v == 1, 65535, 119);
		pcap_rec(&b, v == 1, 1, 0, hl + 40, hl + 40, rec, hl + 40);
		c.radiotap = false;
		assert_int_equal(gen_source_open_mem(&s, &c, b.p, b.n, err, sizeof(err)), 0);
		assert_int_equal(next_ok(s, buf, &f), 40);
		assert_memory_equal(buf, beacon, 40);
		gen_source_close(s);
		c.radiotap = true;
		c.rt_rate_500k = 2;
		assert_int_equal(gen_source_open_mem(&s, &c, b.p, b.n, err, sizeof(err)), 0);
		assert_int_equal(next_ok(s, buf, &f), 9 + 40);
		assert_memory_equal(buf + 9, beacon, 40);
		gen_source_close(s);
		if (have_tshark()) {
			char lines[2][512];

			snprintf(path, sizeof(path), "%s/prism%d.pcap", tmpdir, v);
			write_file(path, b.p, b.n);
			assert_int_equal(tshark_lines(path, "", "-e wlan.fc.type_subtype -e wlan.ssid",
						      lines, 2), 1);
			assert_string_equal(lines[0], "0x0008|6869");   /* "hi" */
			unlink(path);
		}
		/* msglen past the record. */
		memcpy(b.p + 24 + 16 + (v == 2 ? 4 : 4), (uint8_t[4]){ 0 }, 4);
		b.p[24 + 16 + (v == 0 ? 4 : 7)] = 0xff;
		b.p[24 + 16 + (v == 0 ? 5 : 6)] = 0x01;
		open_fails(&c, b.p, b.n, -EPROTO, "record 1: bad prism header length 511");
		free(b.p);
	}
}

/* Malformed files, each refused at open with its line. */
static void
test_pcap_malformed(void **state)
{
	static const uint8_t ack[10] = { 0xd4 };
	static const uint8_t rt_ack[22] = { 0, 0, 12, 0, 0x02, 0, 0, 0, 0x10, 0, 0, 0,
					    0xd4, 0, 0, 0, 1, 2, 3, 4, 5, 6 };
	struct gen_source_conf c = pconf("bad.pcap");
	struct bytes b = { 0 };
	uint8_t rt[64];
	char path[128];

	(void)state;
	/* Empty, or just a header: no frames. */
	open_fails(&c, "", 0, -ENODATA, "bad.pcap: empty file");
	pcap_hdr(&b, 0xa1b2c3d4, false, 65535, 105);
	open_fails(&c, b.p, b.n, -ENODATA, "bad.pcap: no frames");
	/* Truncated header. */
	open_fails(&c, b.p, 10, -EPROTO, "truncated pcap header (10 of 24 bytes)");
	/* pcapng, something else, another version. */
	open_fails(&c, "\x0a\x0d\x0d\x0a\x1c\0\0\0\x4d\x3c\x2b\x1a", 12, -EINVAL,
		   "pcapng is not supported");
	open_fails(&c, "GIF89a.................................", 30, -EINVAL,
		   "not a pcap file (magic 0x38464947)");
	b.p[4] = 3;
	open_fails(&c, b.p, b.n, -EINVAL, "pcap version 3.4 is not 2.x");
	free(b.p);
	b = (struct bytes){ 0 };
	/* Link types. */
	pcap_hdr(&b, 0xa1b2c3d4, false, 65535, 1);
	pcap_rec(&b, false, 0, 0, 10, 10, ack, 10);
	open_fails(&c, b.p, b.n, -EINVAL, "link type 1 is not 802.11 (105), radiotap (127) or prism (119)");
	free(b.p);
	b = (struct bytes){ 0 };
	pcap_hdr(&b, 0xa1b2c3d4, false, 65535, 105 | 0x00010000);
	pcap_rec(&b, false, 0, 0, 10, 10, ack, 10);
	open_fails(&c, b.p, b.n, -EINVAL, "reserved bits");
	free(b.p);
	b = (struct bytes){ 0 };
	/* Truncated record header, truncated record, after a good one. */
	pcap_hdr(&b, 0xa1b2c3d4, false, 65535, 105);
	pcap_rec(&b, false, 0, 0, 10, 10, ack, 10);
	put(&b, "1234567", 7);
	open_fails(&c, b.p, b.n, -EPROTO, "bad.pcap: record 2: truncated record header (7 of 16 bytes)");
	b.n -= 7;
	pcap_rec(&b, false, 0, 0, 10, 10, ack, 6);
	open_fails(&c, b.p, b.n, -EPROTO, "bad.pcap: record 2: truncated: caplen 10, 6 bytes left");
	free(b.p);
	b = (struct bytes){ 0 };
	/* caplen past the snap length, the limit, the frame length; none. */
	pcap_hdr(&b, 0xa1b2c3d4, false, 8, 105);
	pcap_rec(&b, false, 0, 0, 10, 10, ack, 10);
	open_fails(&c, b.p, b.n, -EPROTO, "record 1: caplen 10 exceeds the snap length 8");
	free(b.p);
	b = (struct bytes){ 0 };
	pcap_hdr(&b, 0xa1b2c3d4, false, 0, 105);
	pcap_rec(&b, false, 0, 0, 262145, 262145, ack, 10);
	open_fails(&c, b.p, b.n, -EPROTO, "record 1: caplen 262145 exceeds the limit of 262144");
	free(b.p);
	b = (struct bytes){ 0 };
	pcap_hdr(&b, 0xa1b2c3d4, false, 65535, 105);
	pcap_rec(&b, false, 0, 0, 10, 9, ack, 10);
	open_fails(&c, b.p, b.n, -EPROTO, "record 1: caplen 10 exceeds the frame length 9");
	free(b.p);
	b = (struct bytes){ 0 };
	pcap_hdr(&b, 0xa1b2c3d4, false, 65535, 105);
	pcap_rec(&b, false, 0, 0, 0, 0, ack, 0);
	open_fails(&c, b.p, b.n, -EPROTO, "record 1: no data");
	free(b.p);
	b = (struct bytes){ 0 };
	/* Radiotap: good (FCS stripped), then bad length, version, present
	 * chain, Flags, FCS with nothing before it. */
	pcap_hdr(&b, 0xa1b2c3d4, false, 65535, 127);
	pcap_rec(&b, false, 0, 0, 22, 22, rt_ack, 22);
	{
		struct gen_source *s;
		struct gen_frame f;
		uint8_t out[64];
		char err[256];

		assert_int_equal(gen_source_open_mem(&s, &c, b.p, b.n, err, sizeof(err)), 0);
		assert_int_equal(next_ok(s, out, &f), 6);   /* 10 - FCS */
		assert_memory_equal(out, rt_ack + 12, 6);
		gen_source_close(s);
		/* Truncated (caplen < len): the FCS was not captured. */
		b.p[24 + 12] = 30;
		assert_int_equal(gen_source_open_mem(&s, &c, b.p, b.n, err, sizeof(err)), 0);
		assert_int_equal(next_ok(s, out, &f), 10);
		gen_source_close(s);
		b.p[24 + 12] = 22;
	}
	free(b.p);
	b = (struct bytes){ 0 };
	memcpy(rt, rt_ack, sizeof(rt_ack));
	rt[2] = 23;    /* it_len past caplen */
	pcap_hdr(&b, 0xa1b2c3d4, false, 65535, 127);
	pcap_rec(&b, false, 0, 0, 22, 22, rt, 22);
	open_fails(&c, b.p, b.n, -EPROTO, "record 1: bad radiotap length 23 (8..22)");
	b.p[24 + 16 + 2] = 7;
	open_fails(&c, b.p, b.n, -EPROTO, "record 1: bad radiotap length 7 (8..22)");
	b.p[24 + 16 + 2] = 12;
	b.p[24 + 16] = 1;
	open_fails(&c, b.p, b.n, -EPROTO, "record 1: radiotap version 1 is not 0");
	b.p[24 + 16] = 0;
	b.p[24 + 16 + 7] = 0x80;   /* another present word ... */
	b.p[24 + 16 + 11] = 0x80;  /* ... and another, past it_len 12 */
	open_fails(&c, b.p, b.n, -EPROTO, "record 1: radiotap present words or fields run past its length 12");
	b.p[24 + 16 + 11] = 0;
	open_fails(&c, b.p, b.n, -EPROTO, "record 1: radiotap present words or fields run past its length 12");
	b.p[24 + 16 + 7] = 0;
	b.p[24 + 16 + 4] = 0x03;   /* TSFT + Flags: Flags at 16 */
	open_fails(&c, b.p, b.n, -EPROTO, "record 1: radiotap present words or fields run past its length 12");
	b.p[24 + 16 + 4] = 0x02;
	b.p[24 + 16 + 2] = 18;     /* FCS flag, 4 bytes after the header */
	open_fails(&c, b.p, b.n, -EPROTO,
		   "record 1: no 802.11 frame after the 18-byte radiotap header and before the FCS");
	b.p[24 + 16 + 2] = 5;
	b.p[24 + 8] = 5;
	b.p[24 + 12] = 5;
	b.n = 24 + 16 + 5;
	open_fails(&c, b.p, b.n, -EPROTO, "record 1: 5 bytes, too short for a radiotap header");
	free(b.p);
	b = (struct bytes){ 0 };
	/* Prism: too short, no header. */
	pcap_hdr(&b, 0xa1b2c3d4, false, 65535, 119);
	pcap_rec(&b, false, 0, 0, 6, 6, ack, 6);
	open_fails(&c, b.p, b.n, -EPROTO, "record 1: 6 bytes, too short for a prism header");
	free(b.p);

	/* Through the file system: nonexistent, a directory, empty, too big. */
	c.pcap_path = "/nonexistent/n-02.cap";
	open_fails(&c, NULL, 0, -ENOENT, "/nonexistent/n-02.cap: No such file or directory");
	c.pcap_path = tmpdir;
	open_fails(&c, NULL, 0, -EISDIR, "Is a directory");
	snprintf(path, sizeof(path), "%s/empty.pcap", tmpdir);
	write_file(path, "", 0);
	c.pcap_path = path;
	open_fails(&c, NULL, 0, -ENODATA, "empty.pcap: empty file");
	snprintf(path, sizeof(path), "%s/huge.pcap", tmpdir);
	{
		const int fd = open(path, O_CREAT | O_WRONLY | O_TRUNC, 0600);

		assert_true(fd >= 0);
		assert_int_equal(ftruncate(fd, (off_t)(257u << 20)), 0);   /* sparse */
		close(fd);
	}
	open_fails(&c, NULL, 0, -EFBIG, "more than the 256 MiB a replay holds");
	unlink(path);
	snprintf(path, sizeof(path), "%s/empty.pcap", tmpdir);
	unlink(path);
	c.pcap_path = NULL;
	{
		struct gen_source *s;
		char err[256];

		assert_int_equal(gen_source_open(&s, &c, err, sizeof(err)), -EINVAL);
		assert_string_equal(err, "no pcap file given");
	}
}

/* The two files "that once crashed a parser": wpaclean_crash.pcap is a
 * prism capture whose one 17-byte record has no Prism header (its msglen
 * reads 0xa0000000): refused. floatingpoint_exception.pcap is well-formed
 * (20 frames: protected data and ACKs): replayed as it is. */
static void
test_crash_files(void **state)
{
	const char *dir = captures_dir();
	uint8_t buf[512];
	char path[600];
	struct gen_source_conf c;
	struct gen_source *s;
	struct gen_frame f;
	struct cap cap;

	(void)state;
	if (dir == NULL)
		skip_missing("no captures (D11TX_CAPTURES, ../shared/captures)");
	snprintf(path, sizeof(path), "%s/wpaclean_crash.pcap", dir);
	c = pconf(path);
	open_fails(&c, NULL, 0, -EPROTO,
		   "wpaclean_crash.pcap: record 1: no Prism or AVS header (message code 0x00100000)");
	c.radiotap = true;
	open_fails(&c, NULL, 0, -EPROTO, "record 1: no Prism or AVS header");

	snprintf(path, sizeof(path), "%s/floatingpoint_exception.pcap", dir);
	cap_read(path, &cap);
	c = pconf(path);
	s = open_ok(&c);
	assert_int_equal(gen_source_frames(s), 20);
	for (uint32_t k = 0; k < cap.n; k++) {
		next_ok(s, buf, &f);
		assert_int_equal(f.len, cap.r[k].caplen);
		assert_memory_equal(buf, cap.r[k].data, f.len);
		assert_int_equal(d11tx_dot11_validate(buf, f.len, 0), D11TX_DOT11_VALID);
	}
	assert_int_equal(gen_source_next(s, buf, sizeof(buf), &f), 0);
	gen_source_close(s);
	cap_free(&cap);
}

static int
setup(void **state)
{
	(void)state;
	snprintf(tmpdir, sizeof(tmpdir), "/tmp/d11tx_gen_source_XXXXXX");
	return mkdtemp(tmpdir) == NULL ? -1 : 0;
}

static int
teardown(void **state)
{
	DIR *d = opendir(tmpdir);
	struct dirent *e;
	char path[512];

	(void)state;
	if (d == NULL)
		return -1;
	while ((e = readdir(d)) != NULL) {
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		snprintf(path, sizeof(path), "%s/%s", tmpdir, e->d_name);
		unlink(path);
	}
	closedir(d);
	return rmdir(tmpdir);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_mac_parse),
		cmocka_unit_test(test_sizes_parse),
		cmocka_unit_test(test_templates),
		cmocka_unit_test(test_template_sizes),
		cmocka_unit_test(test_tshark_templates),
		cmocka_unit_test(test_hex),
		cmocka_unit_test(test_pcap_captures),
		cmocka_unit_test(test_pcap_shares_loop),
		cmocka_unit_test(test_pcap_assign_seq),
		cmocka_unit_test(test_pcap_formats),
		cmocka_unit_test(test_pcap_prism),
		cmocka_unit_test(test_pcap_malformed),
		cmocka_unit_test(test_crash_files),
	};
	const char *filter = getenv("D11TX_TEST_FILTER");

	if (filter != NULL && *filter != '\0')
		cmocka_set_test_filter(filter);
	return cmocka_run_group_tests_name("gen_source", tests, setup, teardown);
}
