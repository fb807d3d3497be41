package io.nfchain.functions.router;

import io.nfchain.core.packet.Checksums;
import io.nfchain.core.packet.EthernetHeader;
import io.nfchain.core.packet.IpProtocols;
import io.nfchain.core.packet.Ipv4Header;
import io.nfchain.core.packet.Ipv6Header;
import io.nfchain.core.packet.NetBytes;
import io.nfchain.core.packet.ParsedPacket;
import io.nfchain.functions.sdk.PacketVector;
import java.lang.foreign.MemorySegment;

/**
 * Not thread-safe: the poll thread's. Turns a packet, in its own buffer, into an ICMP error
 * about it: a new untagged Ethernet header (MACs left for the caller), a new IP header from the
 * router to the packet's source, the ICMP header, and the start of the original IP packet
 * where it already lies. The headers go into the headroom in front of the frame when there is
 * room ({@link PacketVector#prepend}), so the quote is never copied; otherwise the quote is
 * moved (an overlapping copy) to make room. Allocates nothing.
 */
final class IcmpWriter {
    static final int ETHERNET = EthernetHeader.LENGTH;
    static final int IPV4_ERROR_HEADERS = ETHERNET + Ipv4Header.MIN_LENGTH + 8;
    static final int IPV6_ERROR_HEADERS = ETHERNET + Ipv6Header.LENGTH + 8;

    /**
     * ICMPv4 error (RFC 792): quotes the original IP header and the first 8 bytes of its payload.
     *
     * @param word the ICMP header's second word (for "fragmentation needed", the next-hop MTU)
     */
    void ipv4(PacketVector<?> vector, MemorySegment data, int i, ParsedPacket p, int src, int dst, int type, int code,
            int word) {
        int l3 = p.l3Offset();
        long ip = vector.offset(i) + l3;
        int available = Math.min(p.outer().l3End(), vector.length(i)) - l3;
        int quote = Math.min(((NetBytes.u8(data, ip) & 0xF) << 2) + 8, available);
        long frame = place(vector, data, i, l3, IPV4_ERROR_HEADERS, quote);
        long out = frame + ETHERNET;
        NetBytes.put16(data, frame + EthernetHeader.TYPE, RouterFunction.ETHERTYPE_IPV4);
        NetBytes.put32(data, out, 0x45C0_0000 | (Ipv4Header.MIN_LENGTH + 8 + quote)); // precedence: internetwork control
        NetBytes.put32(data, out + 4, 0); // identification, no flags, offset 0
        NetBytes.put32(data, out + 8, RouterFunction.ICMP_TTL << 24 | IpProtocols.ICMP << 16);
        NetBytes.put32(data, out + Ipv4Header.SRC, src);
        NetBytes.put32(data, out + Ipv4Header.DST, dst);
        NetBytes.put16(data, out + Ipv4Header.CHECKSUM, Checksums.ipv4Header(data, out));
        long icmp = out + Ipv4Header.MIN_LENGTH;
        NetBytes.put32(data, icmp, type << 24 | code << 16);
        NetBytes.put32(data, icmp + 4, word);
        NetBytes.put16(data, icmp + 2, Checksums.transport(data, icmp, 8 + quote, 2, 0));
    }

    /**
     * ICMPv6 error (RFC 4443): quotes as much of the original packet as keeps the error within
     * the minimum IPv6 MTU of 1280 bytes.
     *
     * @param word the ICMPv6 header's second word (for "packet too big", the MTU)
     */
    void ipv6(PacketVector<?> vector, MemorySegment data, int i, ParsedPacket p, long srcHi, long srcLo, long dstHi,
            long dstLo, int type, int code, int word) {
        int l3 = p.l3Offset();
        int available = Math.min(p.outer().l3End(), vector.length(i)) - l3;
        int quote = Math.min(RouterFunction.IPV6_MIN_MTU - Ipv6Header.LENGTH - 8, available);
        long frame = place(vector, data, i, l3, IPV6_ERROR_HEADERS, quote);
        long out = frame + ETHERNET;
        int payload = 8 + quote;
        NetBytes.put16(data, frame + EthernetHeader.TYPE, RouterFunction.ETHERTYPE_IPV6);
        NetBytes.put32(data, out, 0x6000_0000);
        NetBytes.put32(data, out + 4, payload << 16 | IpProtocols.ICMPV6 << 8 | RouterFunction.ICMP_TTL);
        NetBytes.put64(data, out + Ipv6Header.SRC, srcHi);
        NetBytes.put64(data, out + Ipv6Header.SRC + 8, srcLo);
        NetBytes.put64(data, out + Ipv6Header.DST, dstHi);
        NetBytes.put64(data, out + Ipv6Header.DST + 8, dstLo);
        long icmp = out + Ipv6Header.LENGTH;
        NetBytes.put32(data, icmp, type << 24 | code << 16);
        NetBytes.put32(data, icmp + 4, word);
        long pseudo = Checksums.pseudoHeaderIpv6(srcHi, srcLo, dstHi, dstLo, IpProtocols.ICMPV6, payload);
        NetBytes.put16(data, icmp + 2, Checksums.transport(data, icmp, payload, 2, pseudo));
    }

    /**
     * Makes the frame {@code headers + quote} long with the quote (now at {@code l3}) starting
     * {@code headers} bytes in; returns the frame's (possibly new) start.
     */
    private static long place(PacketVector<?> vector, MemorySegment data, int i, int l3, int headers, int quote) {
        int shift = headers - l3;
        if (shift >= 0 && vector.prepend(i, shift)) {
            vector.setLength(i, headers + quote);
            return vector.offset(i);
        }
        long frame = vector.offset(i);
        MemorySegment.copy(data, frame + l3, data, frame + headers, quote);
        vector.setLength(i, headers + quote);
        return frame;
    }
}
