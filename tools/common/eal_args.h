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

/**
 * A MAC address written aa:bb:cc:dd:ee:ff: exactly six pairs of hex digits
 * (either case) separated by ':'. @p mac is written only on success.
 * @return 0, or -EINVAL (also for NULL).
 */
int tool_parse_mac(const char *s, uint8_t mac[6]);

/* Print @p s to stdout as a JSON string: quotes, backslashes and control
 * bytes escaped. */
void tool_json_string(const char *s);

#endif
