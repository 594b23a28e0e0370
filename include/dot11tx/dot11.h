/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef DOT11TX_DOT11_H
#define DOT11TX_DOT11_H

/**
 * @file
 * IEEE 802.11 framing at DPDK speed: frame validation, Ethernet-style to
 * 802.11 data encapsulation (LLC/SNAP), sequence numbers, access
 * categories, the radiotap TX header and the FCS. Usable on its own; the
 * engine's send path uses it. No call allocates or locks; none keeps a
 * pointer to the buffers it is given. Sequence state is not thread-safe:
 * one d11tx_dot11_seq per sending thread.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/** Largest MPDU (VHT, 11454 bytes) and the default limit (7991, HT). */
#define D11TX_DOT11_MAX_MPDU 11454
#define D11TX_DOT11_DEFAULT_MAX_MPDU 7991

/** Frame types (Frame Control bits 2-3). */
enum d11tx_dot11_type {
	D11TX_DOT11_MGMT = 0,
	D11TX_DOT11_CTRL = 1,
	D11TX_DOT11_DATA = 2,
	D11TX_DOT11_EXT = 3,   /**< Extension (DMG and S1G beacons). */
};

/** Why a frame is not a valid 802.11 frame; 0 means it is. */
enum d11tx_dot11_invalid {
	D11TX_DOT11_VALID = 0,
	D11TX_DOT11_BAD_VERSION,    /**< EPROTONOSUPPORT: protocol version not 0. */
	D11TX_DOT11_RESERVED,       /**< EPROTO: reserved type or subtype. */
	D11TX_DOT11_TOO_SHORT,      /**< EBADMSG: shorter than its header. */
	D11TX_DOT11_TOO_LONG,       /**< EMSGSIZE: longer than the MPDU limit. */
	D11TX_DOT11_INVALID_MAX
};

/**
 * Length of the MAC header that the Frame Control value @p fc (as on the
 * air, little-endian, already converted to host order) announces: the
 * smallest valid frame of that type and subtype, counting the 4th address,
 * QoS Control and HT Control where the flags call for them.
 * @return The length in bytes, or 0 for a reserved type or subtype.
 */
uint32_t d11tx_dot11_hdr_len(uint16_t fc);

/**
 * Check the frame [frame, frame + len) as a sender must before handing it
 * to a NIC: protocol version 0, a type and subtype that are not reserved,
 * at least its header, at most @p max_mpdu bytes (0: the default 7991).
 * @return D11TX_DOT11_VALID or one enum d11tx_dot11_invalid reason.
 */
int d11tx_dot11_validate(const void *frame, uint32_t len, uint32_t max_mpdu);

/**
 * Whether the sender of the valid frame [frame, frame + len) waits for an
 * immediate response (ACK, CTS or Block Ack) and retries without one:
 * false for a group-addressed Address 1, for CTS, ACK and CF-End, for
 * Action No Ack, and for QoS data whose ack policy is not Normal Ack.
 */
bool d11tx_dot11_expects_ack(const void *frame, uint32_t len);

/** Name of a validation reason ("too_short", ...), or "unknown". */
const char *d11tx_dot11_invalid_name(unsigned int reason);
/** errno of a validation reason (EBADMSG, ...); 0 for VALID. */
int d11tx_dot11_invalid_errno(unsigned int reason);

/** The adapter's role, which sets To-DS/From-DS and the address order. */
enum d11tx_dot11_role {
	D11TX_DOT11_STATION,    /**< To-DS: A1 BSSID, A2 own, A3 DA. */
	D11TX_DOT11_AP,         /**< From-DS: A1 DA, A2 BSSID, A3 own (SA). */
	D11TX_DOT11_ADHOC,      /**< IBSS: A1 DA, A2 own, A3 BSSID. */
};

/** Addresses of an adapter, for d11tx_dot11_encap(). */
struct d11tx_dot11_adapter {
	enum d11tx_dot11_role role;
	uint8_t own[6];
	uint8_t bssid[6];
};

/** Room d11tx_dot11_encap() needs: QoS data header (26) + LLC/SNAP (8). */
#define D11TX_DOT11_ENCAP_MAX 34
/** Length of the Ethernet-style prefix: DA (6) + EtherType (2). */
#define D11TX_DOT11_ETH_PREFIX 8

/**
 * Build the 802.11 data header and LLC/SNAP header that replace the
 * Ethernet-style prefix of a Dot11ExtSendPacket buffer (DA, EtherType,
 * payload, in network order). The payload, which follows the prefix, is
 * not touched: the caller puts the header in front of it (headroom or a
 * chained segment). LLC/SNAP is RFC 1042, or the 802.1H bridge-tunnel OUI
 * for the EtherTypes that need it (AARP 0x80F3, IPX 0x8137). Sequence
 * Control is left 0 (see d11tx_dot11_seq_assign()).
 *
 * @param a      The adapter's role and addresses.
 * @param eth    The 8-byte prefix: DA, then EtherType.
 * @param tid    0..7 for a QoS data frame with that TID; -1 for non-QoS.
 * @param hdr    Where to write; at least D11TX_DOT11_ENCAP_MAX bytes.
 * @return The header length written (32 or 34), or -EINVAL (NULL, bad
 *   role, TID out of range, or a value below 0x0600: an 802.3 length, not
 *   an EtherType). A QoS frame whose receiver (Address 1) is a group gets
 *   ack policy No Ack.
 */
int d11tx_dot11_encap(const struct d11tx_dot11_adapter *a, const uint8_t *eth,
		      int tid, uint8_t *hdr);

/** Access categories, in 802.11's order of increasing priority. */
enum d11tx_dot11_ac {
	D11TX_AC_BK = 0,
	D11TX_AC_BE = 1,
	D11TX_AC_VI = 2,
	D11TX_AC_VO = 3,
};

/** The access category of a TID / 802.1D user priority (0..7; higher
 *  TIDs are reduced modulo 8, as for traffic streams). */
enum d11tx_dot11_ac d11tx_dot11_tid_to_ac(uint8_t tid);

/** The TX queue of an access category when a port has four: VO 0, VI 1,
 *  BE 2, BK 3 (mac80211's order). */
uint16_t d11tx_dot11_ac_to_queue(enum d11tx_dot11_ac ac);

/** Number of receivers whose QoS sequence numbers are tracked apart. */
#define D11TX_DOT11_SEQ_RECEIVERS 32

/** One sequence number counter: the next number, and the last one given,
 *  which later fragments of the same MSDU reuse. */
struct d11tx_dot11_seq_counter {
	uint16_t next;
	uint16_t last;
};

/**
 * Sequence number state of one transmitter: one counter for management,
 * non-QoS data and group-addressed frames, and one per (receiver, TID) for
 * individually addressed QoS data, as 802.11 assigns them. Receivers are
 * tracked in a table of D11TX_DOT11_SEQ_RECEIVERS, least recently used
 * first out. Zero-initialise it.
 */
struct d11tx_dot11_seq {
	struct d11tx_dot11_seq_counter shared;
	uint16_t nb_receivers;
	uint64_t clock;
	struct {
		uint8_t addr[6];
		uint64_t last_use;
		struct d11tx_dot11_seq_counter tid[16];
	} rx[D11TX_DOT11_SEQ_RECEIVERS];
};

/**
 * Give @p frame its sequence number, written into Sequence Control with the
 * fragment number kept. A first fragment (fragment number 0, which every
 * unfragmented frame is) takes the next number of its counter; later
 * fragments take the number their first one took, so the fragments of one
 * MSDU must be given their numbers one after the other, with no other frame
 * of the same counter between (802.11 sends them as one burst). Numbers
 * wrap at 4096.
 * Control and extension frames have no sequence number (-EINVAL); QoS Null
 * takes none and is left alone.
 * @return The number in the frame, or -EINVAL (NULL, too short, control).
 */
int d11tx_dot11_seq_assign(struct d11tx_dot11_seq *s, void *frame, uint32_t len);

/** How a frame goes on the air: the PHY and its rate (struct d11tx_tx_rate). */
enum d11tx_phy {
	D11TX_PHY_DEFAULT = 0,  /**< the port's own choice */
	D11TX_PHY_LEGACY,       /**< 802.11b DSSS/CCK or 802.11a/g OFDM */
	D11TX_PHY_HT,           /**< 802.11n */
	D11TX_PHY_VHT,          /**< 802.11ac */
};

/** Channel width of an HT or VHT frame. */
enum d11tx_bw {
	D11TX_BW_20 = 0,
	D11TX_BW_40,
	D11TX_BW_80,            /**< VHT only */
	D11TX_BW_160,           /**< VHT only */
};

/**
 * The rate of one frame. 5 bytes; zero is "the port's choice".
 * - LEGACY: @c rate in 500 kbit/s: 2, 4, 11, 22 (DSSS/CCK) or 12, 18, 24,
 *   36, 48, 72, 96, 108 (OFDM); nss, bw, short_gi zero.
 * - HT: @c rate is the MCS, 0..31 (the streams are MCS / 8 + 1); nss 0 or
 *   that number; bw 20 or 40.
 * - VHT: @c rate is the MCS, 0..9; nss 1..8; bw 20..160; the combinations
 *   802.11ac leaves out (MCS 9 at 20 MHz but for 3 and 6 streams, MCS 6 at
 *   80 MHz with 3 or 7 streams, MCS 9 at 80 MHz with 6, at 160 MHz with 3)
 *   are refused.
 */
struct d11tx_tx_rate {
	uint8_t phy;       /**< enum d11tx_phy */
	uint8_t rate;      /**< legacy: 500 kbit/s units; HT, VHT: the MCS */
	uint8_t nss;       /**< spatial streams (VHT); 0 for legacy, HT: implied */
	uint8_t bw;        /**< enum d11tx_bw */
	uint8_t short_gi;  /**< 1: 400 ns guard interval (HT, VHT) */
};

/**
 * Whether @p r is a rate 802.11 defines (see struct d11tx_tx_rate).
 * @return 0, or -EINVAL (NULL, unknown PHY, a legacy rate that is none,
 *   an MCS out of range for its PHY, streams or width, a width or guard
 *   interval the PHY does not have).
 */
int d11tx_tx_rate_check(const struct d11tx_tx_rate *r);

/**
 * The data rate of @p r, in kbit/s (HT and VHT with their guard interval:
 * MCS 7 at 20 MHz, one stream, is 65000, or 72222 with short GI); 0 for
 * D11TX_PHY_DEFAULT or a rate that d11tx_tx_rate_check() refuses.
 */
uint32_t d11tx_tx_rate_kbps(const struct d11tx_tx_rate *r);

/**
 * Short name of @p r, as the tools print it: "6M", "5.5M", "HT7", "HT15/40",
 * "VHT9x2/80/sgi"; "default" for D11TX_PHY_DEFAULT, "invalid" for a rate
 * d11tx_tx_rate_check() refuses. Writes at most @p size bytes, NUL ended.
 * @return The length it has or would have had (as snprintf).
 */
int d11tx_tx_rate_name(const struct d11tx_tx_rate *r, char *buf, size_t size);

/** Radiotap TX flags (IEEE80211_RADIOTAP_F_TX_*). */
#define D11TX_RADIOTAP_TX_NOACK 0x0008  /**< do not wait for an ACK */
#define D11TX_RADIOTAP_TX_NOSEQ 0x0010  /**< keep the sequence number */
/** Radiotap Flags field bits. */
#define D11TX_RADIOTAP_F_FCS 0x10       /**< the frame ends with its FCS */

/** What a radiotap TX header says; zero fields are left out. */
struct d11tx_radiotap_tx {
	uint8_t flags;           /**< D11TX_RADIOTAP_F_*; 0: no Flags field */
	uint8_t rate_500k;       /**< legacy rate in 500 kbit/s; 0: none */
	uint16_t tx_flags;       /**< D11TX_RADIOTAP_TX_*; 0: none */
	bool mcs;                /**< HT: include the MCS field */
	uint8_t mcs_index;
	bool mcs_40mhz;
	bool mcs_short_gi;
	bool vht;                /**< VHT: include the VHT field */
	uint8_t vht_mcs;         /**< 0..9 */
	uint8_t vht_nss;         /**< 1..8 */
	uint8_t vht_bandwidth;   /**< radiotap code: 0 20, 1 40, 4 80, 11 160 MHz */
	bool vht_short_gi;
	bool retries;            /**< include the Data Retries field */
	uint8_t data_retries;    /**< its value: retransmissions allowed */
};

/**
 * The radiotap TX header fields that ask for @p r: Rate, MCS or VHT. Keeps
 * the other fields of @p rt. @return 0, or -EINVAL (see
 * d11tx_tx_rate_check()).
 */
int d11tx_radiotap_set_rate(struct d11tx_radiotap_tx *rt, const struct d11tx_tx_rate *r);

/** Largest radiotap header d11tx_radiotap_build() writes. */
#define D11TX_RADIOTAP_MAX 32

/**
 * Write a radiotap header (version 0) for an injected frame, each field at
 * its natural alignment. @return Its length, or -EINVAL (NULL, an MCS or
 * VHT value out of range), -ENOSPC (@p room too small).
 */
int d11tx_radiotap_build(const struct d11tx_radiotap_tx *rt, uint8_t *buf,
			 size_t room);

/** Radiotap presence bits (first namespace) that d11tx_radiotap_parse()
 *  reads the value of. */
#define D11TX_RADIOTAP_PRESENT_FLAGS (1u << 1)
#define D11TX_RADIOTAP_PRESENT_RATE (1u << 2)
#define D11TX_RADIOTAP_PRESENT_TX_FLAGS (1u << 15)
#define D11TX_RADIOTAP_PRESENT_DATA_RETRIES (1u << 17)
#define D11TX_RADIOTAP_PRESENT_MCS (1u << 19)
#define D11TX_RADIOTAP_PRESENT_VHT (1u << 21)

/** What a radiotap header says, as d11tx_radiotap_parse() reads it. */
struct d11tx_radiotap_info {
	uint16_t len;            /**< it_len: the frame starts this far in */
	uint32_t present;        /**< presence bits of the first namespace */
	uint8_t flags;           /**< Flags (D11TX_RADIOTAP_F_*); 0 if absent */
	uint8_t rate_500k;       /**< legacy rate in 500 kbit/s; 0 if absent */
	uint16_t tx_flags;       /**< D11TX_RADIOTAP_TX_*; 0 if absent */
	uint8_t data_retries;    /**< data retries; 0 if absent */
	/** The rate the header asks for: from its VHT field, else its MCS
	 *  field, else its Rate field; D11TX_PHY_DEFAULT if none. Not
	 *  checked: d11tx_tx_rate_check() says whether it is one. */
	struct d11tx_tx_rate rate;
};

/**
 * Read the radiotap header at @p hdr, of which @p avail bytes are
 * readable: its length, and the values of the fields named by
 * D11TX_RADIOTAP_PRESENT_*, each found at its natural alignment after
 * every present word (extended namespaces are skipped). Every present
 * field up to Data Retries must lie within the header. On an error
 * @p info is all zeros: nothing of a header that is not valid is taken.
 * @return 0; -EINVAL (NULL), -ENODATA (fewer than 8 bytes),
 *   -EPROTONOSUPPORT (version not 0), -EMSGSIZE (length under 8 or past
 *   @p avail), -EBADMSG (present words or a field past the length).
 */
int d11tx_radiotap_parse(const void *hdr, uint32_t avail,
			 struct d11tx_radiotap_info *info);

/**
 * The FCS of [frame, frame + len): CRC-32 as 802.11 and Ethernet use it.
 * Append it little-endian with d11tx_dot11_fcs_append().
 */
uint32_t d11tx_dot11_fcs(const void *frame, uint32_t len);

/** Start value of an FCS computed in pieces with d11tx_dot11_fcs_update(). */
#define D11TX_DOT11_FCS_INIT 0xffffffffu

/**
 * Go on with an FCS over one more piece of a frame whose bytes are not
 * contiguous (a header here, a payload there): start from
 * D11TX_DOT11_FCS_INIT, feed the pieces in order, then take
 * d11tx_dot11_fcs_final(). Bytewise, so slower than d11tx_dot11_fcs().
 */
uint32_t d11tx_dot11_fcs_update(uint32_t state, const void *data, uint32_t len);

/** The FCS of the pieces fed to d11tx_dot11_fcs_update(). */
static inline uint32_t
d11tx_dot11_fcs_final(uint32_t state)
{
	return ~state;
}

/** Write the FCS of the first @p len bytes at frame + len (4 bytes of
 *  room needed). @return len + 4. */
uint32_t d11tx_dot11_fcs_append(void *frame, uint32_t len);

#ifdef __cplusplus
}
#endif

#endif /* DOT11TX_DOT11_H */
