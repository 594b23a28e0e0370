/* SPDX-License-Identifier: BSD-3-Clause */
/* The tools' shared parsing and printing (parse.h). */
#define _GNU_SOURCE   /* timegm */
#include <ctype.h>
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "parse.h"

int
tool_no_extra_args(const char *tool, int argc, char **argv, int next)
{
	if (next >= argc)
		return 0;
	fprintf(stderr, "%s: unexpected argument '%s' (EAL options go before --)\n",
		tool, argv[next]);
	return -1;
}

int
tool_parse_u64(const char *s, uint64_t min, uint64_t max, uint64_t *out)
{
	const bool hex = s[0] == '0' && (s[1] == 'x' || s[1] == 'X');
	const char *digits = hex ? s + 2 : s;
	unsigned long long v;
	char *end;

	/* Digits only, in base 10 or 16 as documented: strtoull() alone,
	 * with base 0, takes "010" as octal 8, " 5" and "+5" as 5, " -1" as
	 * 2^64 - 1, and in base 16 a second "0x". */
	if (digits[0] == '\0')
		return -1;
	for (const char *p = digits; *p != '\0'; p++)
		if (!(hex ? isxdigit((unsigned char)*p) : isdigit((unsigned char)*p)))
			return -1;
	errno = 0;
	v = strtoull(digits, &end, hex ? 16 : 10);
	if (errno != 0 || *end != '\0' || v < min || v > max)
		return -1;
	*out = v;
	return 0;
}

void
tool_json_string(const char *s)
{
	putchar('"');
	for (const unsigned char *c = (const unsigned char *)s; *c != '\0'; c++) {
		if (*c == '"' || *c == '\\')
			printf("\\%c", *c);
		else if (*c < 0x20)
			printf("\\u%04x", *c);
		else
			putchar(*c);
	}
	putchar('"');
}

int
tool_hex_digit(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

int
tool_parse_mac(const char *s, uint8_t mac[6])
{
	uint8_t m[6];

	if (s == NULL || mac == NULL || strlen(s) != 17)
		return -EINVAL;
	for (int i = 0; i < 6; i++) {
		const int hi = tool_hex_digit(s[3 * i]), lo = tool_hex_digit(s[3 * i + 1]);

		if (hi < 0 || lo < 0 || (i < 5 && s[3 * i + 2] != ':'))
			return -EINVAL;
		m[i] = (uint8_t)(hi << 4 | lo);
	}
	memcpy(mac, m, 6);
	return 0;
}

/* Up to nine decimals after a '.', as nanoseconds; *end after them. */
static int
parse_fraction(const char *s, long *ns, const char **end)
{
	long v = 0;
	int n = 0;

	*ns = 0;
	*end = s;
	if (*s != '.')
		return 0;
	for (s++; isdigit((unsigned char)*s); s++, n++) {
		if (n == 9)
			return -EINVAL;
		v = v * 10 + (*s - '0');
	}
	if (n == 0)
		return -EINVAL;
	for (int i = n; i < 9; i++)
		v *= 10;
	*ns = v;
	*end = s;
	return 0;
}

/* N digits exactly, as a number; -1 when they are not there. */
static int
digits(const char *s, int n)
{
	int v = 0;

	for (int i = 0; i < n; i++) {
		if (!isdigit((unsigned char)s[i]))
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	return v;
}

int
tool_parse_time(const char *s, struct timespec *ts)
{
	const char *p;
	struct tm tm = { 0 };
	long ns;
	int64_t secs;
	int off = 0;

	if (s == NULL || ts == NULL || *s == '\0')
		return -EINVAL;
	/* Seconds since the epoch. */
	for (p = s; isdigit((unsigned char)*p); p++)
		;
	if (p != s && (*p == '\0' || *p == '.') && p - s <= 12) {
		uint64_t v;
		char whole[16];

		memcpy(whole, s, (size_t)(p - s));
		whole[p - s] = '\0';
		if (tool_parse_u64(whole, 0, UINT64_C(253402300799), &v) != 0 ||
		    parse_fraction(p, &ns, &p) != 0 || *p != '\0')
			return -EINVAL;
		ts->tv_sec = (time_t)v;
		ts->tv_nsec = ns;
		return 0;
	}
	/* YYYY-MM-DDTHH:MM:SS[.frac](Z|+HH:MM|+HHMM|-...): the fixed part
	 * is there before it is read. */
	if (strlen(s) < 20)
		return -EINVAL;
	tm.tm_year = digits(s, 4) - 1900;
	tm.tm_mon = digits(s + 5, 2) - 1;
	tm.tm_mday = digits(s + 8, 2);
	if (tm.tm_year < 70 || s[4] != '-' || s[7] != '-' || tm.tm_mon < 0 ||
	    tm.tm_mon > 11 || tm.tm_mday < 1 || tm.tm_mday > 31 ||
	    (s[10] != 'T' && s[10] != 't' && s[10] != ' '))
		return -EINVAL;
	tm.tm_hour = digits(s + 11, 2);
	tm.tm_min = digits(s + 14, 2);
	tm.tm_sec = digits(s + 17, 2);
	if (tm.tm_hour < 0 || tm.tm_hour > 23 || s[13] != ':' || tm.tm_min < 0 ||
	    tm.tm_min > 59 || s[16] != ':' || tm.tm_sec < 0 || tm.tm_sec > 60)
		return -EINVAL;
	if (parse_fraction(s + 19, &ns, &p) != 0)
		return -EINVAL;
	if ((*p == 'Z' || *p == 'z') && p[1] == '\0') {
		off = 0;
	} else if (*p == '+' || *p == '-') {
		const int hh = digits(p + 1, 2);
		const char *mm;
		int m;

		if (hh < 0 || hh > 23)
			return -EINVAL;
		mm = p[3] == ':' ? p + 4 : p + 3;
		m = digits(mm, 2);
		if (m < 0 || m > 59 || mm[2] != '\0')
			return -EINVAL;
		off = (*p == '-' ? -1 : 1) * (hh * 3600 + m * 60);
	} else {
		return -EINVAL;          /* no zone */
	}
	/* The day must exist in its month (timegm would roll it over). */
	{
		struct tm check = tm;

		secs = (int64_t)timegm(&check);
		if (check.tm_mday != tm.tm_mday || check.tm_mon != tm.tm_mon)
			return -EINVAL;
	}
	ts->tv_sec = (time_t)(secs - off);
	ts->tv_nsec = ns;
	return 0;
}

void
tool_format_time(const struct timespec *ts, char *buf, size_t len)
{
	struct tm tm;
	char day[24];

	gmtime_r(&ts->tv_sec, &tm);
	strftime(day, sizeof(day), "%Y-%m-%dT%H:%M:%S", &tm);
	snprintf(buf, len, "%s.%06ldZ", day, ts->tv_nsec / 1000);
}

