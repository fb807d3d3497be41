package io.nfchain.core.pcap;

/**
 * Offsets of the classic pcap format (draft-ietf-opsawg-pcap). Every field is in the byte order
 * announced by the magic number.
 *
 * <pre>
 * File header, 24 bytes:
 *    0                   1                   2                   3
 *    0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *   +---------------------------------------------------------------+
 *  0|                          Magic Number                         |
 *   +-------------------------------+-------------------------------+
 *  4|          Major Version        |         Minor Version         |
 *   +-------------------------------+-------------------------------+
 *  8|                           Reserved1                           |
 * 12|                           Reserved2                           |
 *   +---------------------------------------------------------------+
 * 16|                            SnapLen                            |
 *   +-------+-+---------------------+-------------------------------+
 * 20| FCS   |f|     reserved        |           LinkType            |
 *   +-------+-+---------------------+-------------------------------+
 *
 * Record, 16-byte header then Captured Packet Length bytes of data (no padding):
 *   +---------------------------------------------------------------+
 *  0|                     Timestamp (seconds)                       |
 *  4|          Timestamp (microseconds or nanoseconds)              |
 *  8|                    Captured Packet Length                     |
 * 12|                    Original Packet Length                     |
 *   +---------------------------------------------------------------+
 * 16/                          Packet Data                          /
 *   +---------------------------------------------------------------+
 * </pre>
 */
final class PcapLayout {
    /** Magic for microsecond timestamps, as read in the writer's byte order. */
    static final int MAGIC_MICROSECONDS = 0xA1B2C3D4;
    /** Magic for nanosecond timestamps, as read in the writer's byte order. */
    static final int MAGIC_NANOSECONDS = 0xA1B23C4D;
    static final int VERSION_MAJOR = 2;
    static final int VERSION_MINOR = 4;

    static final int HEADER_LENGTH = 24;
    static final int MAGIC_OFFSET = 0;
    static final int VERSION_MAJOR_OFFSET = 4;
    static final int VERSION_MINOR_OFFSET = 6;
    static final int SNAPLEN_OFFSET = 16;
    static final int LINKTYPE_OFFSET = 20;
    /** LinkType sits in the low 16 bits; FCS length and reserved bits above are not a link type. */
    static final int LINKTYPE_MASK = 0xFFFF;

    static final int RECORD_HEADER_LENGTH = 16;
    static final int TS_SECONDS_OFFSET = 0;
    static final int TS_FRACTION_OFFSET = 4;
    static final int CAPTURED_LENGTH_OFFSET = 8;
    static final int ORIGINAL_LENGTH_OFFSET = 12;

    private PcapLayout() {}
}
