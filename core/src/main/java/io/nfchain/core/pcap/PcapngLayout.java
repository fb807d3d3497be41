package io.nfchain.core.pcap;

/**
 * Offsets of the pcapng blocks nfchain reads and writes (draft-ietf-opsawg-pcapng). Every field is
 * in the byte order of the enclosing section, announced by the Section Header Block.
 *
 * <pre>
 * Every block (total length a multiple of 4, at least 12):
 *    0                   1                   2                   3
 *    0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *   +---------------------------------------------------------------+
 *  0|                          Block Type                           |
 *  4|                      Block Total Length                       |
 *  8/                          Block Body                           /
 *   +---------------------------------------------------------------+
 *   |                Block Total Length (same again)                |
 *   +---------------------------------------------------------------+
 *
 * Section Header Block, type 0x0A0D0D0A (28 bytes before options):
 *  8|                       Byte-Order Magic                        |
 * 12|         Major Version         |         Minor Version         |
 * 16|                  Section Length (64 bits, -1 = unknown)       |
 * 24/                            Options                            /
 *
 * Interface Description Block, type 1 (20 bytes before options):
 *  8|           LinkType            |           Reserved            |
 * 12|                            SnapLen                            |
 * 16/                            Options                            /
 *
 * Enhanced Packet Block, type 6 (32 bytes before data):
 *  8|                         Interface ID                          |
 * 12|                        Timestamp (High)                       |
 * 16|                        Timestamp (Low)                        |
 * 20|                    Captured Packet Length                     |
 * 24|                    Original Packet Length                     |
 * 28/            Packet Data, padded to 32 bits                     /
 *   /                            Options                            /
 *
 * Packet Block, type 2, obsolete: as the Enhanced Packet Block but for its first word:
 *  8|         Interface ID          |          Drops Count          |
 *
 * Simple Packet Block, type 3 (16 bytes before data):
 *  8|                    Original Packet Length                     |
 * 12/            Packet Data, padded to 32 bits                     /
 *
 * Option (a list ends with opt_endofopt, code 0, or with the block body):
 *   +-------------------------------+-------------------------------+
 *  0|          Option Code          |         Option Length         |
 *  4/            Option Value, padded to 32 bits                    /
 *   +---------------------------------------------------------------+
 * </pre>
 */
final class PcapngLayout {
    static final int SECTION_HEADER_BLOCK = 0x0A0D0D0A;
    static final int INTERFACE_DESCRIPTION_BLOCK = 0x00000001;
    /** Obsolete since pcapng 1.0 drafts, yet still written by old tools; it holds packets. */
    static final int PACKET_BLOCK = 0x00000002;
    static final int SIMPLE_PACKET_BLOCK = 0x00000003;
    static final int ENHANCED_PACKET_BLOCK = 0x00000006;

    static final int BYTE_ORDER_MAGIC = 0x1A2B3C4D;
    static final int VERSION_MAJOR = 1;
    static final int VERSION_MINOR = 0;

    static final int BLOCK_TYPE_OFFSET = 0;
    static final int BLOCK_LENGTH_OFFSET = 4;
    static final int BLOCK_BODY_OFFSET = 8;
    /** Type, leading length and trailing length. */
    static final int BLOCK_OVERHEAD = 12;

    static final int SHB_BYTE_ORDER_OFFSET = 8;
    static final int SHB_VERSION_MAJOR_OFFSET = 12;
    static final int SHB_VERSION_MINOR_OFFSET = 14;
    static final int SHB_SECTION_LENGTH_OFFSET = 16;
    static final int SHB_OPTIONS_OFFSET = 24;
    static final int SHB_MIN_LENGTH = 28;

    static final int IDB_LINKTYPE_OFFSET = 8;
    static final int IDB_SNAPLEN_OFFSET = 12;
    static final int IDB_OPTIONS_OFFSET = 16;
    static final int IDB_MIN_LENGTH = 20;

    static final int EPB_INTERFACE_OFFSET = 8;
    static final int EPB_TS_HIGH_OFFSET = 12;
    static final int EPB_TS_LOW_OFFSET = 16;
    static final int EPB_CAPTURED_LENGTH_OFFSET = 20;
    static final int EPB_ORIGINAL_LENGTH_OFFSET = 24;
    static final int EPB_DATA_OFFSET = 28;
    static final int EPB_MIN_LENGTH = 32;

    static final int SPB_ORIGINAL_LENGTH_OFFSET = 8;
    static final int SPB_DATA_OFFSET = 12;
    static final int SPB_MIN_LENGTH = 16;

    static final int OPTION_HEADER_LENGTH = 4;
    static final int OPT_ENDOFOPT = 0;
    static final int SHB_USERAPPL = 4;
    static final int IF_NAME = 2;
    static final int IF_TSRESOL = 9;
    static final int IF_TSOFFSET = 14;
    /** if_tsresol when an interface has none: 10^-6 s. */
    static final int DEFAULT_TSRESOL = 6;

    private PcapngLayout() {}

    /** {@code length} rounded up to a multiple of 4. */
    static long padded(long length) {
        return (length + 3) & ~3L;
    }
}
