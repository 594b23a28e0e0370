/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef D11TX_TOOLS_PARSE_H
#define D11TX_TOOLS_PARSE_H

/* What every tool parses and prints the same way: leftover arguments,
 * integers, hex digits, MAC addresses, JSON strings (parse.c). */

#include <stddef.h>
#include <stdint.h>
#include <time.h>

/**
 * After getopt: complain, in one line naming @p tool, about an argument
 * left over (most often an EAL option given after "--").
 * @return 0 when none is left, -1 when one is.
 */
int tool_no_extra_args(const char *tool, int argc, char **argv, int next);

/**
 * An option's integer value: decimal, or 0x-prefixed hexadecimal, within
 * [min, max], the whole string.
 * @return 0, or -1 when it is not.
 */
int tool_parse_u64(const char *s, uint64_t min, uint64_t max, uint64_t *out);

/** The value of hex digit @p c (either case), or -1. */
int tool_hex_digit(char c);

/**
 * A MAC address written aa:bb:cc:dd:ee:ff: exactly six pairs of hex digits
 * (either case) separated by ':'. @p mac is written only on success.
 * @return 0, or -EINVAL (also for NULL).
 */
int tool_parse_mac(const char *s, uint8_t mac[6]);

/**
 * An instant of CLOCK_REALTIME: seconds since the epoch, with up to nine
 * decimals (1765049400, 1765049400.25), or ISO 8601 with its zone:
 * 2026-12-06T19:30:00Z, 2026-12-06T20:30:00.5+01:00 (a space for the T,
 * +0100 for the offset also do). A time without a zone is refused: hosts
 * of a lab need not share one. @p ts is written only on success.
 * @return 0, or -EINVAL (also for NULL).
 */
int tool_parse_time(const char *s, struct timespec *ts);

/** @p ts as ISO 8601 in UTC with microseconds (2026-12-06T19:30:00.000000Z)
 *  into @p buf of @p len bytes (28 are enough). */
void tool_format_time(const struct timespec *ts, char *buf, size_t len);

/* Print @p s to stdout as a JSON string: quotes, backslashes and control
 * bytes escaped. */
void tool_json_string(const char *s);

#endif
