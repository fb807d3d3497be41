package io.nfchain.core.packet;

import java.lang.foreign.MemorySegment;

/**
 * ICMPv4 header (RFC 792), 8 bytes; for echo, the last four are identifier and sequence.
 *
 * <pre>
 * +--------+--------+-----------------+
 * |  type  |  code  |    checksum     |
 * +--------+--------+-----------------+
 * | identifier      | sequence number |   (echo; other types: rest of header)
 * +-----------------+-----------------+
 * </pre>
 */
public final class IcmpHeader extends HeaderView {
    public static final int LENGTH = 8;
    public static final int ECHO_REPLY = 0;
    public static final int DEST_UNREACHABLE = 3;
    public static final int ECHO_REQUEST = 8;
    public static final int TIME_EXCEEDED = 11;

    public IcmpHeader wrap(MemorySegment segment, long offset) {
        bind(segment, offset);
        return this;
    }

    public int type() {
        return u8(0);
    }

    public int code() {
        return u8(1);
    }

    public IcmpHeader typeCode(int type, int code) {
        put8(0, type);
        put8(1, code);
        return this;
    }

    public int checksum() {
        return u16(2);
    }

    public IcmpHeader checksum(int checksum) {
        put16(2, checksum);
        return this;
    }

    public int identifier() {
        return u16(4);
    }

    public int sequence() {
        return u16(6);
    }

    /** The second word: identifier and sequence for echo, unused/MTU/pointer for errors. */
    public IcmpHeader restOfHeader(int word) {
        put32(4, word);
        return this;
    }

    /** Recomputes the checksum over the header and {@code length - 8} bytes of payload. */
    public IcmpHeader updateChecksum(int length) {
        put16(2, 0);
        put16(2, Checksums.finish(Checksums.sum(segment, offset, length, 0)));
        return this;
    }
}
