/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Refusal, in one place: every burst call that refuses a frame counts the
 * reason and sets rte_errno here, and the reasons' names and errno values
 * are one table. The four that are 802.11 verdicts take both from the
 * 802.11 layer's table (d11tx_dot11_invalid_name/errno).
 */

#include <errno.h>

#include <rte_common.h>
#include <rte_errno.h>

#include "internal.h"

static const struct {
	const char *name;
	int err;
	uint8_t dot11;     /* an enum d11tx_dot11_invalid, or VALID: none */
} refusals[D11TX_REFUSED_MAX] = {
	[D11TX_REFUSED_INVALID] = { "invalid", EINVAL, D11TX_DOT11_VALID },
	[D11TX_REFUSED_EMPTY] = { "empty", ENODATA, D11TX_DOT11_VALID },
	[D11TX_REFUSED_TOO_LONG] = { .dot11 = D11TX_DOT11_TOO_LONG },
	[D11TX_REFUSED_REGION] = { "region", EFAULT, D11TX_DOT11_VALID },
	[D11TX_REFUSED_CLIENT] = { "client", ENOENT, D11TX_DOT11_VALID },
	[D11TX_REFUSED_FULL] = { "full", ENOBUFS, D11TX_DOT11_VALID },
	[D11TX_REFUSED_STOPPED] = { "stopped", ESHUTDOWN, D11TX_DOT11_VALID },
	[D11TX_REFUSED_BAD_VERSION] = { .dot11 = D11TX_DOT11_BAD_VERSION },
	[D11TX_REFUSED_RESERVED] = { .dot11 = D11TX_DOT11_RESERVED },
	[D11TX_REFUSED_TOO_SHORT] = { .dot11 = D11TX_DOT11_TOO_SHORT },
	[D11TX_REFUSED_TX_PARAMS] = { "tx_params", EBADSLT, D11TX_DOT11_VALID },
};

const char *
d11tx_refusal_name(unsigned int reason)
{
	if (reason >= D11TX_REFUSED_MAX)
		return "unknown";
	return refusals[reason].dot11 != D11TX_DOT11_VALID ?
		d11tx_dot11_invalid_name(refusals[reason].dot11) : refusals[reason].name;
}

int
d11tx_refusal_errno(unsigned int reason)
{
	if (reason >= D11TX_REFUSED_MAX)
		return EINVAL;
	return refusals[reason].dot11 != D11TX_DOT11_VALID ?
		d11tx_dot11_invalid_errno(refusals[reason].dot11) : refusals[reason].err;
}

/* Cold: the refused frame is the exception. */
void __rte_cold
d11tx_refuse(struct d11tx_queue *q, enum d11tx_refusal reason)
{
	q->stats.refused[reason]++;
	rte_errno = d11tx_refusal_errno(reason);
}

/* From a producer thread: its own atomic counters (see pipe.c). */
void __rte_cold
d11tx_refuse_pipe(struct d11tx_queue *q, enum d11tx_refusal reason)
{
	__atomic_fetch_add(&q->pipe_refused[reason], 1, __ATOMIC_RELAXED);
	rte_errno = d11tx_refusal_errno(reason);
}
