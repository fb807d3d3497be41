package io.nfchain.core.packet;

import java.lang.foreign.MemorySegment;

/**
 * GTP-U version 1 header (3GPP TS 29.281) and its extension headers, including the PDU Session
 * Container that carries the QoS flow identifier (TS 38.415).
 *
 * <pre>
 * +-----+--+--+-+-+--+----------------+----------------------------------+
 * | ver |PT|  |E|S|PN|  message type  |  length (after the first 8 bytes) |  0
 * +-----+--+--+-+-+--+----------------+----------------------------------+
 * |                tunnel endpoint identifier (TEID)                     |  4
 * +----------------------------------+----------------+-----------------+
 * |       sequence number            |  N-PDU number  | next ext type   |  8  present when E, S or PN
 * +----------------------------------+----------------+-----------------+
 * extension: length(1, in 4-byte units, never 0) | content ... | next ext type(1)
 * PDU Session Container (type 0x85), 4 bytes:
 * +--------+-----------+------------------+--------------+
 * | len=1  | PDU type(4) flags(4) | PPP RQI QFI(6) | next |
 * +--------+-----------+------------------+--------------+
 * </pre>
 */
public final class GtpuHeader extends HeaderView {
    public static final int LENGTH = 8;
    public static final int OPTIONAL_LENGTH = 4;
    public static final int FLAG_PN = 0x01;
    public static final int FLAG_S = 0x02;
    public static final int FLAG_E = 0x04;
    public static final int FLAGS_OPTIONAL = FLAG_PN | FLAG_S | FLAG_E;
    public static final int VERSION_1_GTP = 0x30;
    public static final int ECHO_REQUEST = 1;
    public static final int ECHO_RESPONSE = 2;
    public static final int ERROR_INDICATION = 26;
    public static final int END_MARKER = 254;
    public static final int G_PDU = 255;
    public static final int EXT_PDU_SESSION_CONTAINER = 0x85;
    public static final int PDU_TYPE_DOWNLINK = 0;
    public static final int PDU_TYPE_UPLINK = 1;

    public GtpuHeader wrap(MemorySegment segment, long offset) {
        bind(segment, offset);
        return this;
    }

    public int flags() {
        return u8(0);
    }

    public int version() {
        return u8(0) >>> 5;
    }

    public int messageType() {
        return u8(1);
    }

    /** Length of everything after the mandatory 8 bytes. */
    public int length() {
        return u16(2);
    }

    public GtpuHeader length(int bytes) {
        put16(2, bytes);
        return this;
    }

    public int teid() {
        return u32(4);
    }

    /** Writes the mandatory header: version 1, PT 1, the E/S/PN {@code optionalFlags}. */
    public GtpuHeader set(int optionalFlags, int messageType, int length, int teid) {
        put8(0, VERSION_1_GTP | (optionalFlags & FLAGS_OPTIONAL));
        put8(1, messageType);
        put16(2, length);
        put32(4, teid);
        return this;
    }

    public boolean hasOptionalFields() {
        return (u8(0) & FLAGS_OPTIONAL) != 0;
    }

    public int sequence() {
        return u16(8);
    }

    public int npduNumber() {
        return u8(10);
    }

    public int firstExtensionType() {
        return u8(11);
    }

    /** Writes the optional word: sequence number, N-PDU number and the first extension type. */
    public GtpuHeader optional(int sequence, int npdu, int nextExtensionType) {
        put16(8, sequence);
        put8(10, npdu);
        put8(11, nextExtensionType);
        return this;
    }

    /**
     * Writes a PDU Session Container at {@code at} (from this header; 4 bytes) with
     * {@code nextExtensionType} following it.
     */
    public GtpuHeader pduSessionContainer(int at, int pduType, int qfi, int nextExtensionType) {
        put8(at, 1);
        put8(at + 1, (pduType & 0xF) << 4);
        put8(at + 2, qfi & 0x3F);
        put8(at + 3, nextExtensionType);
        return this;
    }

    /** Writes a generic extension header of {@code units} x 4 bytes at {@code at}, content zeroed. */
    public GtpuHeader extension(int at, int units, int nextExtensionType) {
        put8(at, units);
        for (int i = 1; i < units * 4 - 1; i++) {
            put8(at + i, 0);
        }
        put8(at + units * 4 - 1, nextExtensionType);
        return this;
    }

    /**
     * Offset (from this header) of the first byte after the header and its extensions, or -1
     * when the extension chain is malformed within {@code messageEnd} (offset from this header).
     */
    public int payloadOffset(int messageEnd) {
        if (!hasOptionalFields()) {
            return LENGTH;
        }
        int at = LENGTH + OPTIONAL_LENGTH;
        if ((u8(0) & FLAG_E) == 0) {
            return at;
        }
        int next = firstExtensionType();
        for (int count = 0; next != 0; count++) {
            if (count == PacketParser.MAX_CHAIN || messageEnd - at < 4) {
                return -1;
            }
            int bytes = u8(at) << 2;
            if (bytes == 0 || bytes > messageEnd - at) {
                return -1;
            }
            next = u8(at + bytes - 1);
            at += bytes;
        }
        return at;
    }
}
