/* SPDX-License-Identifier: BSD-3-Clause */
#define _GNU_SOURCE
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
			/* Of any length (a capture's path, faults). */
			char *vdev;

			if (asprintf(&vdev, "--vdev=%s", default_vdevs[i]) < 0) {
				ret = -ENOMEM;
				continue;
			}
			ret |= push(a, vdev);
			free(vdev);
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
