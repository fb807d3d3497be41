package io.nfchain.core.packet;

import java.lang.foreign.MemorySegment;

/**
 * The Internet checksum (RFC 1071): IPv4 header, UDP/TCP/ICMPv6 over IPv4 and IPv6
 * pseudo-headers, and incremental update (RFC 1624) for TTL and address/port rewrites.
 *
 * <p>Sums are carried unfolded in a {@code long} so callers can add pieces (a pseudo-header,
 * then the segment) and fold once. Allocation-free.
 */
public final class Checksums {
    private Checksums() {}

    /**
     * Adds {@code length} bytes at {@code offset} to {@code initial} as 16-bit big-endian words;
     * an odd last byte is padded with zero. Unfolded: pass the result to {@link #fold}/{@link #finish}.
     */
    public static long sum(MemorySegment s, long offset, int length, long initial) {
        long sum = initial;
        long at = offset;
        long end = offset + length;
        for (; end - at >= 8; at += 8) {
            long word = s.get(NetBytes.U64, at);
            sum += (word >>> 32) + (word & 0xFFFF_FFFFL);
        }
        if (end - at >= 4) {
            sum += s.get(NetBytes.U32, at) & 0xFFFF_FFFFL;
            at += 4;
        }
        if (end - at >= 2) {
            sum += s.get(NetBytes.U16, at) & 0xFFFF;
            at += 2;
        }
        if (at < end) {
            sum += NetBytes.u8(s, at) << 8;
        }
        return sum;
    }

    /** Folds a sum to 16 bits with end-around carry. */
    public static int fold(long sum) {
        sum = (sum & 0xFFFF_FFFFL) + (sum >>> 32);
        sum = (sum & 0xFFFF) + (sum >>> 16);
        sum = (sum & 0xFFFF) + (sum >>> 16);
        return (int) ((sum & 0xFFFF) + (sum >>> 16));
    }

    /** The checksum field value for a sum: the complement of the folded sum. */
    public static int finish(long sum) {
        return ~fold(sum) & 0xFFFF;
    }

    /** IPv4 header checksum of the header at {@code ipOffset}, ignoring the stored checksum. */
    public static int ipv4Header(MemorySegment s, long ipOffset) {
        int headerBytes = (NetBytes.u8(s, ipOffset) & 0xF) << 2;
        long sum = sum(s, ipOffset, Ipv4Header.CHECKSUM, 0);
        return finish(sum(s, ipOffset + Ipv4Header.SRC, headerBytes - Ipv4Header.SRC, sum));
    }

    public static long pseudoHeaderIpv4(int src, int dst, int protocol, int l4Length) {
        return (src >>> 16) + (src & 0xFFFF) + (dst >>> 16) + (dst & 0xFFFF) + protocol + l4Length;
    }

    public static long pseudoHeaderIpv6(long srcHi, long srcLo, long dstHi, long dstLo, int nextHeader, int l4Length) {
        return words(srcHi) + words(srcLo) + words(dstHi) + words(dstLo) + nextHeader + (l4Length & 0xFFFF_FFFFL);
    }

    private static long words(long v) {
        return (v >>> 32) + (v & 0xFFFF_FFFFL);
    }

    /**
     * Checksum of an upper-layer message at {@code l4Offset}, ignoring the value stored at
     * {@code checksumField} (offset within the message), plus the given pseudo-header sum (0 for
     * ICMPv4, which has none).
     */
    public static int transport(MemorySegment s, long l4Offset, int l4Length, int checksumField, long pseudoHeader) {
        if (checksumField < 0 || checksumField + 2 > l4Length) {
            throw new IllegalArgumentException("no checksum field at " + checksumField + " in a " + l4Length + "-byte message");
        }
        long sum = sum(s, l4Offset, l4Length, pseudoHeader);
        sum += ~NetBytes.u16(s, l4Offset + checksumField) & 0xFFFF; // subtract the stored value
        return finish(sum);
    }

    /** Where the checksum sits in a TCP, UDP, ICMP or ICMPv6 header, or -1 for other protocols. */
    public static int checksumField(int protocol) {
        return switch (protocol) {
            case IpProtocols.TCP -> TcpHeader.CHECKSUM;
            case IpProtocols.UDP -> UdpHeader.CHECKSUM;
            case IpProtocols.ICMP, IpProtocols.ICMPV6 -> 2;
            default -> -1;
        };
    }

    /**
     * The checksum a sender writes for the TCP/UDP/ICMP message of the IPv4 packet at
     * {@code ipOffset}. For UDP a computed 0 is sent as 0xFFFF (0 means "no checksum").
     */
    public static int ipv4Transport(MemorySegment s, long ipOffset) {
        int headerBytes = (NetBytes.u8(s, ipOffset) & 0xF) << 2;
        int l4Length = NetBytes.u16(s, ipOffset + 2) - headerBytes;
        int protocol = NetBytes.u8(s, ipOffset + 9);
        long pseudo = protocol == IpProtocols.ICMP ? 0 : pseudoHeaderIpv4(
                NetBytes.u32(s, ipOffset + Ipv4Header.SRC), NetBytes.u32(s, ipOffset + Ipv4Header.DST), protocol, l4Length);
        int checksum = transport(s, ipOffset + headerBytes, l4Length, checksumField(protocol), pseudo);
        return protocol == IpProtocols.UDP && checksum == 0 ? 0xFFFF : checksum;
    }

    /**
     * The checksum a sender writes for the TCP/UDP/ICMPv6 message at {@code l4Offset} inside the
     * IPv6 packet at {@code ipOffset}, whose upper-layer protocol is {@code nextHeader}. When a
     * routing header still has segments left, the pseudo-header carries the final destination
     * (RFC 8200 section 8.1), not the IPv6 header's destination.
     */
    public static int ipv6Transport(MemorySegment s, long ipOffset, long l4Offset, int nextHeader) {
        int l4Length = (int) (ipOffset + Ipv6Header.LENGTH + NetBytes.u16(s, ipOffset + Ipv6Header.PAYLOAD_LENGTH) - l4Offset);
        long destination = finalDestinationOffset(s, ipOffset, l4Offset);
        long pseudo = pseudoHeaderIpv6(NetBytes.u64(s, ipOffset + 8), NetBytes.u64(s, ipOffset + 16),
                NetBytes.u64(s, destination), NetBytes.u64(s, destination + 8), nextHeader, l4Length);
        int checksum = transport(s, l4Offset, l4Length, checksumField(nextHeader), pseudo);
        return nextHeader == IpProtocols.UDP && checksum == 0 ? 0xFFFF : checksum;
    }

    /**
     * Where the final destination address of the IPv6 packet at {@code ipOffset} is: inside a
     * routing header with segments left (type 0: its last address; type 2 and Segment Routing,
     * type 4: its first, Segment List[0]), else the IPv6 header's destination. The extension
     * headers between the two offsets must be well-formed, as the parser checks.
     */
    static long finalDestinationOffset(MemorySegment s, long ipOffset, long l4Offset) {
        int type = NetBytes.u8(s, ipOffset + Ipv6Header.NEXT_HEADER);
        long at = ipOffset + Ipv6Header.LENGTH;
        for (int count = 0; at < l4Offset && count < PacketParser.MAX_CHAIN; count++) {
            int headerBytes = switch (type) {
                case IpProtocols.FRAGMENT -> 8;
                case IpProtocols.AH -> (NetBytes.u8(s, at + 1) + 2) << 2;
                default -> (NetBytes.u8(s, at + 1) + 1) << 3;
            };
            if (type == IpProtocols.ROUTING && NetBytes.u8(s, at + 3) > 0) {
                int routingType = NetBytes.u8(s, at + 2);
                int addresses = (headerBytes - 8) / 16;
                if (addresses > 0 && (routingType == 0 || routingType == 2 || routingType == 4)) {
                    return at + 8 + (routingType == 0 ? 16L * (addresses - 1) : 0);
                }
            }
            type = NetBytes.u8(s, at);
            at += headerBytes;
        }
        return ipOffset + Ipv6Header.DST;
    }

    /**
     * RFC 1624 eqn. 3: the checksum after one 16-bit word covered by it changed from
     * {@code oldWord} to {@code newWord}: HC' = ~(~HC + ~m + m').
     */
    public static int update16(int checksum, int oldWord, int newWord) {
        int sum = (~checksum & 0xFFFF) + (~oldWord & 0xFFFF) + (newWord & 0xFFFF);
        sum = (sum & 0xFFFF) + (sum >>> 16);
        sum = (sum & 0xFFFF) + (sum >>> 16);
        return ~sum & 0xFFFF;
    }

    /** {@link #update16} for a 32-bit field such as an IPv4 address (two words). */
    public static int update32(int checksum, int oldValue, int newValue) {
        int sum = (~checksum & 0xFFFF)
                + (~oldValue & 0xFFFF) + (~(oldValue >>> 16) & 0xFFFF)
                + (newValue & 0xFFFF) + (newValue >>> 16);
        sum = (sum & 0xFFFF) + (sum >>> 16);
        sum = (sum & 0xFFFF) + (sum >>> 16);
        return ~sum & 0xFFFF;
    }
}
