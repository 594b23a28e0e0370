/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef D11TX_TOOLS_EAL_ARGS_H
#define D11TX_TOOLS_EAL_ARGS_H

#include <stdbool.h>
#include <stdint.h>

/**
 * EAL arguments of a dot11tx tool or test: "prog [EAL args] -- [tool args]".
 * Without "--", every argument is the tool's. Where the caller gave no EAL
 * argument, the defaults run on one core with the virtual devices in
 * @p default_vdevs, in memory, on hugepages when some are free and with
 * --no-huge otherwise.
 */
struct eal_args {
	int eal_argc;
	char **eal_argv;       /**< For rte_eal_init(); eal_argv[0] = prog. */
	int app_argc;
	char **app_argv;       /**< The tool's; app_argv[0] = prog. */
	char **owned;          /**< The strings to free: rte_eal_init()
	                            rewrites eal_argv[]. */
	bool defaults;         /**< The defaults were used. */
	bool hugepages;        /**< ... and they use hugepages. */
};

/** True when hugetlbfs is mounted and at least @p min_free pages are free. */
bool eal_hugepages_available(unsigned int min_free);

/**
 * Split argv and add defaults. @p default_vdevs is NULL-terminated.
 * @return 0, or -ENOMEM.
 */
int eal_args_build(struct eal_args *a, int argc, char **argv,
		   const char *const default_vdevs[]);

void eal_args_free(struct eal_args *a);

#endif
