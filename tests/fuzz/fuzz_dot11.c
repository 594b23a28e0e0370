/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * libFuzzer target for the 802.11 layer's parsers and builders: the input
 * is taken as a frame (validation, header length, sequence numbering) and
 * its first bytes as a radiotap TX description. Whatever the input, the
 * calls must stay in bounds (ASan) and keep their contracts, checked here.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <dot11tx/dot11.h>

static struct d11tx_dot11_seq seq;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const uint32_t len = size > UINT32_MAX ? UINT32_MAX : (uint32_t)size;
	uint8_t *frame;
	int r;

	/* An exact-size copy, so that any read past the frame is caught. */
	frame = malloc(size ? size : 1);
	if (frame == NULL)
		return 0;
	memcpy(frame, data, size);

	r = d11tx_dot11_validate(frame, len, D11TX_DOT11_MAX_MPDU);
	if (r < 0 || r >= D11TX_DOT11_INVALID_MAX)
		abort();
	if (r == D11TX_DOT11_VALID) {
		const uint16_t fc = (uint16_t)(frame[0] | frame[1] << 8);

		if (d11tx_dot11_hdr_len(fc) == 0 || d11tx_dot11_hdr_len(fc) > len)
			abort();
		r = d11tx_dot11_seq_assign(&seq, frame, len);
		if (r >= 4096)
			abort();
	}

	if (size >= 12) {
		struct d11tx_radiotap_tx rt = {
			.flags = data[0], .rate_500k = data[1],
			.tx_flags = (uint16_t)(data[2] | data[3] << 8),
			.mcs = data[4] & 1, .mcs_index = data[5],
			.mcs_40mhz = data[4] & 2, .mcs_short_gi = data[4] & 4,
			.vht = data[4] & 8, .vht_mcs = data[6], .vht_nss = data[7],
			.vht_bandwidth = data[8], .vht_short_gi = data[4] & 16,
		};
		uint8_t buf[D11TX_RADIOTAP_MAX + 8];
		const size_t room = D11TX_RADIOTAP_MAX + (data[9] & 7);

		r = d11tx_radiotap_build(&rt, buf, room);
		if (r > 0 && ((size_t)r > room || buf[0] != 0 ||
			      (buf[2] | buf[3] << 8) != r))
			abort();
	}
	if (size >= D11TX_DOT11_ETH_PREFIX) {
		const struct d11tx_dot11_adapter a = {
			.role = (enum d11tx_dot11_role)(data[0] % 3) };
		uint8_t hdr[D11TX_DOT11_ENCAP_MAX];
		const int tid = (int)(data[1] % 9) - 1;

		r = d11tx_dot11_encap(&a, data, tid, hdr);
		if (data[6] < 0x06) {
			/* An 802.3 length, not an EtherType: refused. */
			if (r != -EINVAL)
				abort();
		} else if (r != (tid >= 0 ? 34 : 32) ||
			   d11tx_dot11_validate(hdr, (uint32_t)r, 0) != D11TX_DOT11_VALID) {
			abort();
		}
	}
	free(frame);
	return 0;
}
