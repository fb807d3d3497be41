package io.nfchain.core.packet;

import java.lang.foreign.MemorySegment;

/**
 * ICMPv6 header (RFC 4443) and the neighbour discovery messages (RFC 4861).
 *
 * <pre>
 * +--------+--------+-----------------+
 * |  type  |  code  |    checksum     |  then, by type:
 * +--------+--------+-----------------+
 * echo (128/129):      identifier(2) sequence(2)
 * router solicit 133:  reserved(4)                                 then options
 * router advert 134:   hop limit, flags, lifetime(2), reachable(4), retrans(4), options
 * neighbour sol. 135:  reserved(4), target address(16)             then options
 * neighbour adv. 136:  R S O flags + reserved(4), target(16)       then options
 * redirect 137:        reserved(4), target(16), destination(16)    then options
 * ND option: type(1) length(1, in 8-byte units, never 0) data
 * </pre>
 */
public final class Icmpv6Header extends HeaderView {
    public static final int ECHO_REQUEST = 128;
    public static final int ECHO_REPLY = 129;
    public static final int ROUTER_SOLICITATION = 133;
    public static final int ROUTER_ADVERTISEMENT = 134;
    public static final int NEIGHBOR_SOLICITATION = 135;
    public static final int NEIGHBOR_ADVERTISEMENT = 136;
    public static final int REDIRECT = 137;
    public static final int OPTION_SOURCE_LINK_ADDRESS = 1;
    public static final int OPTION_TARGET_LINK_ADDRESS = 2;
    public static final int NA_FLAG_ROUTER = 0x80;
    public static final int NA_FLAG_SOLICITED = 0x40;
    public static final int NA_FLAG_OVERRIDE = 0x20;

    public Icmpv6Header wrap(MemorySegment segment, long offset) {
        bind(segment, offset);
        return this;
    }

    /** Bytes before the options (or payload) for a message of {@code type}. */
    public static int fixedLength(int type) {
        return switch (type) {
            case ROUTER_SOLICITATION -> 8;
            case ROUTER_ADVERTISEMENT -> 16;
            case NEIGHBOR_SOLICITATION, NEIGHBOR_ADVERTISEMENT -> 24;
            case REDIRECT -> 40;
            default -> 8; // echo and errors: type, code, checksum, 4 bytes of header
        };
    }

    public static boolean isNeighbourDiscovery(int type) {
        return type >= ROUTER_SOLICITATION && type <= REDIRECT;
    }

    /** True when the ND options in {@code [from, to)} each have a non-zero length that fits. */
    public static boolean optionsWellFormed(MemorySegment s, long from, long to) {
        return findOption(s, from, to, -1) != MALFORMED_OPTIONS;
    }

    /** Returned by the option finders when an option has length 0 or runs past the message. */
    public static final long MALFORMED_OPTIONS = -2;

    /**
     * Absolute offset of the first ND option of {@code optionType} in {@code [from, to)}, -1 when
     * absent, or {@link #MALFORMED_OPTIONS}. An {@code optionType} of -1 walks them all.
     */
    private static long findOption(MemorySegment s, long from, long to, int optionType) {
        long at = from;
        while (to - at >= 2) {
            int bytes = NetBytes.u8(s, at + 1) << 3;
            if (bytes == 0 || bytes > to - at) {
                return MALFORMED_OPTIONS;
            }
            if (NetBytes.u8(s, at) == optionType) {
                return at;
            }
            at += bytes;
        }
        return at == to ? -1 : MALFORMED_OPTIONS;
    }

    public int type() {
        return u8(0);
    }

    public int code() {
        return u8(1);
    }

    public Icmpv6Header typeCode(int type, int code) {
        put8(0, type);
        put8(1, code);
        return this;
    }

    public int checksum() {
        return u16(2);
    }

    public Icmpv6Header checksum(int checksum) {
        put16(2, checksum);
        return this;
    }

    /** Bytes 4..7: echo identifier and sequence, NA flags, MTU of packet-too-big... */
    public int word1() {
        return u32(4);
    }

    public Icmpv6Header word1(int value) {
        put32(4, value);
        return this;
    }

    public int echoIdentifier() {
        return u16(4);
    }

    public int echoSequence() {
        return u16(6);
    }

    /** NA flags byte (R, S, O in the top bits). */
    public int advertisementFlags() {
        return u8(4);
    }

    /** NS / NA / redirect target address, high 64 bits. */
    public long targetHi() {
        return u64(8);
    }

    public long targetLo() {
        return u64(16);
    }

    public Icmpv6Header target(long hi, long lo) {
        put64(8, hi);
        put64(16, lo);
        return this;
    }

    /**
     * Offset (from this header) of the first ND option of {@code optionType}, or -1 when absent or
     * when the options are malformed. {@code length} is the ICMPv6 message length.
     */
    public int findOption(int optionType, int length) {
        long at = findOption(segment, offset + fixedLength(type()), offset + length, optionType);
        return at < 0 ? -1 : (int) (at - offset);
    }

    /** The MAC of a source/target link-layer address option found at {@code optionOffset}. */
    public long linkAddressOption(int optionOffset) {
        return NetBytes.u48(segment, offset + optionOffset + 2);
    }

    /** Writes a link-layer address option (8 bytes) at {@code optionOffset}. */
    public Icmpv6Header linkAddressOption(int optionOffset, int optionType, long mac) {
        put8(optionOffset, optionType);
        put8(optionOffset + 1, 1);
        NetBytes.put48(segment, offset + optionOffset + 2, mac);
        return this;
    }
}
