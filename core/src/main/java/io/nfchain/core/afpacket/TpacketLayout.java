package io.nfchain.core.afpacket;

/**
 * The TPACKET_V3 structures of {@code <linux/if_packet.h>} that the af_packet port reads and
 * writes, as offsets (Linux x86_64, host byte order; {@code TpacketLayoutTest} checks each one
 * against {@code offsetof} compiled from the installed header). Immutable constants.
 *
 * <p>Receive ring: {@code tp_block_nr} blocks of {@code tp_block_size} bytes. The kernel fills
 * one block at a time and hands it over whole ({@code block_status} gains TP_STATUS_USER) when
 * it is full or its retire timer fires; the reader gives it back by writing TP_STATUS_KERNEL.
 *
 * <pre>
 *  struct tpacket_block_desc (48 bytes, at the start of every receive block)
 *  0         4                8              12         16                    20        24
 *  +---------+----------------+--------------+----------+---------------------+---------+
 *  | version | offset_to_priv | block_status | num_pkts | offset_to_first_pkt | blk_len |
 *  +---------+----------------+--------------+----------+---------------------+---------+
 *  24                  32                          40                          48
 *  +-------------------+---------------------------+---------------------------+
 *  | seq_num (u64)     | ts_first_pkt (sec, nsec)  | ts_last_pkt (sec, nsec)   |
 *  +-------------------+---------------------------+---------------------------+
 *
 *  struct tpacket3_hdr (48 bytes, TPACKET_ALIGN'ed; one per packet, receive and transmit)
 *  0                4        8         12          16       20          24      26      28
 *  +----------------+--------+---------+-----------+--------+-----------+-------+-------+
 *  | tp_next_offset | tp_sec | tp_nsec | tp_snaplen| tp_len | tp_status | tp_mac| tp_net|
 *  +----------------+--------+---------+-----------+--------+-----------+-------+-------+
 *  28           32             36             38        40               48
 *  +------------+--------------+--------------+---------+----------------+
 *  | tp_rxhash  | tp_vlan_tci  | tp_vlan_tpid | padding | tp_padding[8]  |
 *  +------------+--------------+--------------+---------+----------------+
 *  then a struct sockaddr_ll (20 bytes), then the frame at tp_mac (receive) or at
 *  byte 48 = TPACKET3_HDRLEN - sizeof(sockaddr_ll) (transmit, without PACKET_TX_HAS_OFF).
 *
 *  struct tpacket_req3 (28 bytes, the PACKET_RX_RING / PACKET_TX_RING option value)
 *  0               4             8               12            16                  20               24                    28
 *  +---------------+-------------+---------------+-------------+-------------------+----------------+---------------------+
 *  | tp_block_size | tp_block_nr | tp_frame_size | tp_frame_nr | tp_retire_blk_tov | tp_sizeof_priv | tp_feature_req_word |
 *  +---------------+-------------+---------------+-------------+-------------------+----------------+---------------------+
 *
 *  struct tpacket_stats_v3 (12 bytes, PACKET_STATISTICS; reading resets it)
 *  0            4          8                 12
 *  +------------+----------+-----------------+
 *  | tp_packets | tp_drops | tp_freeze_q_cnt |
 *  +------------+----------+-----------------+
 *
 *  struct packet_mreq (16 bytes, PACKET_ADD_MEMBERSHIP)
 *  0            4         6         8              16
 *  +------------+---------+---------+--------------+
 *  | mr_ifindex | mr_type | mr_alen | mr_address[8]|
 *  +------------+---------+---------+--------------+
 * </pre>
 */
final class TpacketLayout {
    /** TPACKET_ALIGNMENT: frames, headers and packet data start on 16-byte boundaries. */
    static final int ALIGNMENT = 16;
    /** V3_ALIGNMENT (kernel-internal): a receive block packs packet headers at multiples of 8. */
    static final int RX_PACKET_ALIGNMENT = 8;
    /** The ring block size must be a multiple of the page size (4 KiB on x86_64). */
    static final int PAGE_BYTES = 4096;

    static final long BLOCK_VERSION_OFFSET = 0;
    static final long BLOCK_OFFSET_TO_PRIV_OFFSET = 4;
    static final long BLOCK_STATUS_OFFSET = 8;
    static final long BLOCK_NUM_PKTS_OFFSET = 12;
    static final long BLOCK_FIRST_PKT_OFFSET = 16;
    static final long BLOCK_LEN_OFFSET = 20;
    static final long BLOCK_SEQ_NUM_OFFSET = 24;
    static final long BLOCK_TS_FIRST_OFFSET = 32;
    static final long BLOCK_TS_LAST_OFFSET = 40;
    static final int BLOCK_DESC_BYTES = 48;

    static final long HDR_NEXT_OFFSET = 0;
    static final long HDR_SEC_OFFSET = 4;
    static final long HDR_NSEC_OFFSET = 8;
    static final long HDR_SNAPLEN_OFFSET = 12;
    static final long HDR_LEN_OFFSET = 16;
    static final long HDR_STATUS_OFFSET = 20;
    static final long HDR_MAC_OFFSET = 24;
    static final long HDR_NET_OFFSET = 26;
    static final long HDR_RXHASH_OFFSET = 28;
    static final long HDR_VLAN_TCI_OFFSET = 32;
    static final long HDR_VLAN_TPID_OFFSET = 36;
    static final int HDR_BYTES = 48;
    /** sizeof(struct sockaddr_ll), which follows the header in a receive frame. */
    static final int SOCKADDR_LL_BYTES = 20;
    /** TPACKET3_HDRLEN: TPACKET_ALIGN(sizeof(tpacket3_hdr)) + sizeof(sockaddr_ll). */
    static final int HDRLEN = HDR_BYTES + SOCKADDR_LL_BYTES;
    /** Where a transmit frame's data starts: TPACKET3_HDRLEN - sizeof(sockaddr_ll). */
    static final int TX_DATA_OFFSET = HDRLEN - SOCKADDR_LL_BYTES;
    /**
     * Where the kernel puts a received Ethernet frame: the network header is aligned after the
     * header, sockaddr_ll and at least 16 bytes of MAC room, so a frame starts 82 bytes after
     * its packet header; a block holds frames up to its size minus 48 minus 82.
     */
    static final int RX_MAC_OFFSET = align(HDRLEN + 16) - 14;

    static final long REQ_BLOCK_SIZE_OFFSET = 0;
    static final long REQ_BLOCK_NR_OFFSET = 4;
    static final long REQ_FRAME_SIZE_OFFSET = 8;
    static final long REQ_FRAME_NR_OFFSET = 12;
    static final long REQ_RETIRE_BLK_TOV_OFFSET = 16;
    static final long REQ_SIZEOF_PRIV_OFFSET = 20;
    static final long REQ_FEATURE_REQ_WORD_OFFSET = 24;
    static final int REQ_BYTES = 28;

    static final long STATS_PACKETS_OFFSET = 0;
    static final long STATS_DROPS_OFFSET = 4;
    static final long STATS_FREEZE_Q_CNT_OFFSET = 8;
    static final int STATS_BYTES = 12;

    static final long MREQ_IFINDEX_OFFSET = 0;
    static final long MREQ_TYPE_OFFSET = 4;
    static final long MREQ_ALEN_OFFSET = 6;
    static final long MREQ_ADDRESS_OFFSET = 8;
    static final int MREQ_BYTES = 16;
    /** mr_type: the interface receives every frame on the wire while the membership lasts. */
    static final int PACKET_MR_PROMISC = 1;

    /** block_status: the kernel owns the block (the reader writes this to give it back). */
    static final int TP_STATUS_KERNEL = 0;
    /** block_status: the block is the reader's. */
    static final int TP_STATUS_USER = 1;
    /** tp_status (receive): tp_vlan_tci holds a tag the device stripped from the frame. */
    static final int TP_STATUS_VLAN_VALID = 1 << 4;
    /** tp_status (receive): tp_vlan_tpid holds that tag's TPID (else it is 0x8100). */
    static final int TP_STATUS_VLAN_TPID_VALID = 1 << 6;

    /** tp_status (transmit): the slot is free for the writer. */
    static final int TP_STATUS_AVAILABLE = 0;
    /** tp_status (transmit): the writer filled the slot; the kernel sends it on the next kick. */
    static final int TP_STATUS_SEND_REQUEST = 1;
    /** tp_status (transmit): the kernel holds the frame until the device frees it. */
    static final int TP_STATUS_SENDING = 1 << 1;
    /** tp_status (transmit): the kernel refused the frame (only without PACKET_LOSS). */
    static final int TP_STATUS_WRONG_FORMAT = 1 << 2;

    private TpacketLayout() {}

    /** TPACKET_ALIGN: {@code bytes} rounded up to a multiple of 16. */
    static int align(int bytes) {
        return (bytes + ALIGNMENT - 1) & -ALIGNMENT;
    }
}
