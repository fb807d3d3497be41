package io.nfchain.core.packet;

import java.lang.foreign.MemorySegment;

/**
 * An IPv6 extension header: hop-by-hop or destination options, routing, fragment (RFC 8200).
 *
 * <pre>
 * options / routing (length in 8-byte units, not counting the first 8):
 * +-------------+-------------+--------------+---------------+
 * | next header | hdr ext len | routing type | segments left | ... type-specific data
 * +-------------+-------------+--------------+---------------+
 * fragment (always 8 bytes):
 * +-------------+-------------+-------------------------+--+--+
 * | next header |  reserved   | fragment offset (13)    |res|M|
 * +-------------+-------------+-------------------------+--+--+
 * |                     identification                        |
 * +-----------------------------------------------------------+
 * </pre>
 */
public final class Ipv6ExtensionHeader extends HeaderView {
    public static final int FRAGMENT_LENGTH = 8;

    public Ipv6ExtensionHeader wrap(MemorySegment segment, long offset) {
        bind(segment, offset);
        return this;
    }

    public int nextHeader() {
        return u8(0);
    }

    public Ipv6ExtensionHeader nextHeader(int next) {
        put8(0, next);
        return this;
    }

    /** Length in bytes of this header when it is of type {@code type}. */
    public int length(int type) {
        return switch (type) {
            case IpProtocols.FRAGMENT -> FRAGMENT_LENGTH;
            case IpProtocols.AH -> (u8(1) + 2) << 2;
            default -> (u8(1) + 1) << 3;
        };
    }

    /**
     * Writes an options or routing header of {@code bytes} bytes (a multiple of 8, at least 8);
     * option headers are filled with PadN so that they are valid.
     */
    public Ipv6ExtensionHeader optionsHeader(int next, int bytes) {
        put8(0, next);
        put8(1, (bytes >>> 3) - 1);
        // PadN covering the rest: type 1, length bytes-4
        put8(2, 1);
        put8(3, bytes - 4);
        for (int i = 4; i < bytes; i++) {
            put8(i, 0);
        }
        return this;
    }

    /** Writes a routing header of {@code bytes} bytes with its type and segments-left. */
    public Ipv6ExtensionHeader routingHeader(int next, int bytes, int routingType, int segmentsLeft) {
        put8(0, next);
        put8(1, (bytes >>> 3) - 1);
        put8(2, routingType);
        put8(3, segmentsLeft);
        for (int i = 4; i < bytes; i++) {
            put8(i, 0);
        }
        if (routingType == 4 && bytes >= 24) {
            put8(4, (bytes - 8) / 16 - 1); // Segment Routing: index of the last segment list entry
        }
        return this;
    }

    public int routingType() {
        return u8(2);
    }

    public int segmentsLeft() {
        return u8(3);
    }

    /** Fragment offset in bytes. */
    public int fragmentOffset() {
        return u16(2) & 0xFFF8;
    }

    public boolean moreFragments() {
        return (u16(2) & 1) != 0;
    }

    public int fragmentId() {
        return u32(4);
    }

    /** Writes a fragment header. {@code offsetBytes} is a multiple of 8. */
    public Ipv6ExtensionHeader fragmentHeader(int next, int offsetBytes, boolean more, int id) {
        put8(0, next);
        put8(1, 0);
        put16(2, (offsetBytes & 0xFFF8) | (more ? 1 : 0));
        put32(4, id);
        return this;
    }
}
