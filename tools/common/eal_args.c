/* SPDX-License-Identifier: BSD-3-Clause */
#define _GNU_SOURCE
#include <ctype.h>
#include <errno.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "eal_args.h"

/* Enough hugepages (2 MiB) for the pools of a tool or test run. */
#define MIN_FREE_HUGEPAGES 64
#define NO_HUGE_MEMORY_MB "256"

bool
eal_hugepages_available(unsigned int min_free)
{
	char line[256];
	unsigned long free_pages = 0;
	bool mounted = false;
	FILE *f;

	f = fopen("/proc/mounts", "r");
	if (f == NULL)
		return false;
	while (fgets(line, sizeof(line), f) != NULL)
		if (strstr(line, " hugetlbfs ") != NULL)
			mounted = true;
	fclose(f);
	if (!mounted)
		return false;
	f = fopen("/proc/meminfo", "r");
	if (f == NULL)
		return false;
	while (fgets(line, sizeof(line), f) != NULL)
		if (sscanf(line, "HugePages_Free: %lu", &free_pages) == 1)
			break;
	fclose(f);
	return free_pages >= min_free;
}

/* The first CPU this process may run on, so that the default lcore is
 * one the scheduler lets us have. */
static int
first_allowed_cpu(void)
{
	cpu_set_t set;

	if (sched_getaffinity(0, sizeof(set), &set) == 0)
		for (int i = 0; i < CPU_SETSIZE; i++)
			if (CPU_ISSET(i, &set))
				return i;
	return 0;
}

static int
push(struct eal_args *a, const char *arg)
{
	char *copy = strdup(arg);

	if (copy == NULL)
		return -ENOMEM;
	a->owned[a->eal_argc] = copy;
	a->eal_argv[a->eal_argc++] = copy;
	return 0;
}

int
eal_args_build(struct eal_args *a, int argc, char **argv,
	       const char *const default_vdevs[])
{
	int sep = -1, nb_vdevs = 0, ret = 0;
	char buf[64];

	memset(a, 0, sizeof(*a));
	for (int i = 1; i < argc; i++)
		if (strcmp(argv[i], "--") == 0) {
			sep = i;
			break;
		}
	while (default_vdevs != NULL && default_vdevs[nb_vdevs] != NULL)
		nb_vdevs++;
	/* Room for the user's EAL arguments or the defaults, whichever. */
	a->eal_argv = calloc((size_t)argc + nb_vdevs + 16, sizeof(char *));
	a->owned = calloc((size_t)argc + nb_vdevs + 16, sizeof(char *));
	a->app_argv = calloc((size_t)argc + 1, sizeof(char *));
	if (a->eal_argv == NULL || a->owned == NULL || a->app_argv == NULL)
		return -ENOMEM;

	ret |= push(a, argv[0]);
	a->app_argv[a->app_argc++] = argv[0];
	if (sep > 1) {
		for (int i = 1; i < sep; i++)
			ret |= push(a, argv[i]);
	} else {
		a->defaults = true;
		a->hugepages = eal_hugepages_available(MIN_FREE_HUGEPAGES);
		snprintf(buf, sizeof(buf), "%d", first_allowed_cpu());
		ret |= push(a, "-l");
		ret |= push(a, buf);
		ret |= push(a, "--no-pci");
		ret |= push(a, "--log-level=warning");
		for (int i = 0; i < nb_vdevs; i++) {
			snprintf(buf, sizeof(buf), "--vdev=%s", default_vdevs[i]);
			ret |= push(a, buf);
		}
		if (a->hugepages) {
			ret |= push(a, "--in-memory");
		} else {
			/* --in-memory needs hugepages; without them, keep
			 * runs apart with no shared config and a prefix of
			 * their own. */
			ret |= push(a, "--no-huge");
			ret |= push(a, "-m");
			ret |= push(a, NO_HUGE_MEMORY_MB);
			ret |= push(a, "--no-shconf");
			snprintf(buf, sizeof(buf), "--file-prefix=d11tx%d",
				 (int)getpid());
			ret |= push(a, buf);
		}
	}
	for (int i = sep < 0 ? 1 : sep + 1; i < argc; i++)
		a->app_argv[a->app_argc++] = argv[i];
	return ret != 0 ? -ENOMEM : 0;
}

void
eal_args_free(struct eal_args *a)
{
	for (int i = 0; a->owned != NULL && i < a->eal_argc; i++)
		free(a->owned[i]);
	free(a->owned);
	free(a->eal_argv);
	free(a->app_argv);
	memset(a, 0, sizeof(*a));
}

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

static int
hex_digit(char c)
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
		const int hi = hex_digit(s[3 * i]), lo = hex_digit(s[3 * i + 1]);

		if (hi < 0 || lo < 0 || (i < 5 && s[3 * i + 2] != ':'))
			return -EINVAL;
		m[i] = (uint8_t)(hi << 4 | lo);
	}
	memcpy(mac, m, 6);
	return 0;
}
