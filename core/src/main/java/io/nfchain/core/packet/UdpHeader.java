package io.nfchain.core.packet;

import java.lang.foreign.MemorySegment;

/**
 * UDP header (RFC 768), 8 bytes.
 *
 * <pre>
 * +-----------------+-----------------+
 * |   source port   | destination port|
 * +-----------------+-----------------+
 * |     length      |    checksum     |
 * +-----------------+-----------------+
 * </pre>
 */
public final class UdpHeader extends HeaderView {
    public static final int LENGTH = 8;
    public static final int CHECKSUM = 6;

    public UdpHeader wrap(MemorySegment segment, long offset) {
        bind(segment, offset);
        return this;
    }

    public int srcPort() {
        return u16(0);
    }

    public UdpHeader srcPort(int port) {
        put16(0, port);
        return this;
    }

    public int dstPort() {
        return u16(2);
    }

    public UdpHeader dstPort(int port) {
        put16(2, port);
        return this;
    }

    /** Header plus payload, in bytes. */
    public int length() {
        return u16(4);
    }

    public UdpHeader length(int bytes) {
        put16(4, bytes);
        return this;
    }

    public int checksum() {
        return u16(CHECKSUM);
    }

    public UdpHeader checksum(int checksum) {
        put16(CHECKSUM, checksum);
        return this;
    }
}
