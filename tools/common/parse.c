/* SPDX-License-Identifier: BSD-3-Clause */
/* The tools' shared parsing and printing (parse.h). */

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
