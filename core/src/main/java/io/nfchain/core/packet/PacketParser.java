package io.nfchain.core.packet;

import static io.nfchain.core.packet.NetBytes.u16;
import static io.nfchain.core.packet.NetBytes.u32;
import static io.nfchain.core.packet.NetBytes.u64;
import static io.nfchain.core.packet.NetBytes.u8;

import java.lang.foreign.MemorySegment;

/**
 * One pass over a frame that records where each layer starts and extracts the 5-tuple, of the
 * inner packet too for GTP-U and VXLAN.
 *
 * <p>Stateless and allocation-free: results go into a caller-owned {@link ParsedPacket}. Bad input
 * never throws: every length is checked before it is followed, and the first problem is reported
 * as a {@link ParseStatus} with the offset where it was seen. Only what is needed to locate the
 * layers is validated here; TCP options, for instance, are checked by whoever walks them
 * ({@link TcpHeader}), because a router must forward a packet whose TCP options are odd.
 *
 * <p>Measured by {@code ./nfchain bench codecs}.
 */
public final class PacketParser {
    /** Longest IPv6 extension header or GTP-U extension header chain followed. */
    static final int MAX_CHAIN = 8;

    private static final int ETH_HEADER = 14;
    private static final int GTPU_MESSAGE_G_PDU = 255;
    private static final int GTPU_EXT_PDU_SESSION_CONTAINER = 0x85;

    private PacketParser() {}

    /**
     * Parses the frame at {@code segment[offset, offset + length)}.
     *
     * @param length frame length in bytes, without FCS; at most the bytes left in the segment
     * @return true when the whole frame is well-formed ({@link ParsedPacket#status()} is OK)
     */
    public static boolean parse(MemorySegment segment, long offset, int length, ParsedPacket out) {
        out.reset(length);
        if (length < 0 || offset < 0 || offset + length > segment.byteSize()) {
            throw new IndexOutOfBoundsException("frame [" + offset + ", +" + length + ") outside segment of " + segment.byteSize());
        }
        ParseStatus status = ethernet(segment, offset, length, out);
        if (status == ParseStatus.OK && out.innerPending != 0) {
            status = inner(segment, offset, out);
        }
        out.status = status;
        return status == ParseStatus.OK;
    }

    /** Parses a frame held in a heap segment or a slice that starts at the frame. */
    public static boolean parse(MemorySegment frame, ParsedPacket out) {
        long size = frame.byteSize();
        return parse(frame, 0, size > Integer.MAX_VALUE ? Integer.MAX_VALUE : (int) size, out);
    }

    private static ParseStatus fail(ParsedPacket p, ParseStatus status, int offset) {
        p.statusOffset = offset;
        return status;
    }

    private static ParseStatus ethernet(MemorySegment f, long b, int end, ParsedPacket p) {
        if (end < ETH_HEADER) {
            return fail(p, ParseStatus.ETHERNET_TRUNCATED, 0);
        }
        p.layers = Layer.ETHERNET;
        int type = u16(f, b + 12);
        int off = ETH_HEADER;
        while (EtherTypes.isVlanTpid(type)) {
            if (p.vlanCount == 2) {
                return fail(p, ParseStatus.VLAN_TOO_MANY_TAGS, off - 2);
            }
            if (end - off < 4) {
                return fail(p, ParseStatus.VLAN_TRUNCATED, off - 2);
            }
            int tci = u16(f, b + off);
            if (p.vlanCount == 0) {
                p.vlanTpid0 = type;
                p.vlanTci0 = tci;
                p.layers |= Layer.VLAN;
            } else {
                p.vlanTpid1 = type;
                p.vlanTci1 = tci;
                p.layers |= Layer.QINQ;
            }
            p.vlanCount++;
            type = u16(f, b + off + 2);
            off += 4;
        }
        p.etherType = type;
        return switch (type) {
            case EtherTypes.IPV4 -> ipv4(f, b, off, end, p, p.outer, 0);
            case EtherTypes.IPV6 -> ipv6(f, b, off, end, p, p.outer, 0);
            case EtherTypes.ARP -> arp(f, b, off, end, p, p.outer, 0);
            default -> ParseStatus.OK;
        };
    }

    private static ParseStatus arp(MemorySegment f, long b, int off, int end, ParsedPacket p, IpLayers l3, int shift) {
        l3.l3Offset = off;
        if (end - off < 8) {
            return fail(p, ParseStatus.ARP_TRUNCATED, off);
        }
        int addressBytes = 2 * (u8(f, b + off + 4) + u8(f, b + off + 5));
        if (end - off < 8 + addressBytes) {
            return fail(p, ParseStatus.ARP_TRUNCATED, off);
        }
        p.layers |= Layer.ARP << shift;
        l3.l3End = off + 8 + addressBytes;
        return ParseStatus.OK;
    }

    // Hot methods stay under C2's inlining limit (325 bytecodes): rare paths live in their own methods.

    private static ParseStatus ipv4(MemorySegment f, long b, int off, int end, ParsedPacket p, IpLayers ip, int shift) {
        ip.l3Offset = off;
        if (end - off < 20) {
            return fail(p, ParseStatus.IPV4_TRUNCATED, off);
        }
        long word0 = u64(f, b + off); // version+IHL, TOS, total length, identification, flags+fragment offset
        ParseStatus problem = ipv4Problem(word0, end - off);
        if (problem != null) {
            return fail(p, problem, off);
        }
        int headerBytes = (int) (word0 >>> 54) & 0x3C;
        if (headerBytes > 20 && !ipv4OptionsWellFormed(f, b, off + 20, off + headerBytes)) {
            return fail(p, ParseStatus.IPV4_BAD_OPTION, off + 20);
        }
        p.layers |= Layer.IPV4 << shift;
        long word1 = u64(f, b + off + 8); // TTL, protocol, checksum, source address
        int protocol = (int) (word1 >>> 48) & 0xFF;
        ip.key.setIpv4((int) word1, u32(f, b + off + 16), protocol);
        ip.trafficClass = (int) (word0 >>> 48) & 0xFF;
        ip.hopLimit = (int) (word1 >>> 56);
        ip.l3End = off + ((int) (word0 >>> 32) & 0xFFFF);
        ip.l4Offset = off + headerBytes;
        int fragment = (int) word0 & 0xFFFF;
        ip.fragmentFlags = (fragment & 0x4000) >>> 12; // FRAG_DONT_FRAGMENT
        ip.fragmentOffset = 0;
        if ((fragment & 0x3FFF) != 0 && ipv4LaterFragment(fragment, p, ip, shift)) {
            return ParseStatus.OK; // a later fragment carries no L4 header
        }
        return transport(f, b, ip.l4Offset, ip.l3End, protocol, p, ip, shift);
    }

    /** Records an IPv4 fragment's fields; true when it is not the first fragment. */
    private static boolean ipv4LaterFragment(int fragment, ParsedPacket p, IpLayers ip, int shift) {
        ip.fragmentFlags |= IpLayers.FRAG_IS_FRAGMENT | ((fragment & 0x2000) != 0 ? IpLayers.FRAG_MORE : 0);
        ip.fragmentOffset = (fragment & 0x1FFF) << 3;
        p.layers |= Layer.FRAGMENT << shift;
        return ip.fragmentOffset != 0;
    }

    /** What is wrong with an IPv4 header whose first 8 bytes are {@code word0}, or null. */
    private static ParseStatus ipv4Problem(long word0, int available) {
        int versionIhl = (int) (word0 >>> 56);
        int headerBytes = (versionIhl & 0xF) << 2;
        int totalLength = (int) (word0 >>> 32) & 0xFFFF;
        if (versionIhl >>> 4 != 4) {
            return ParseStatus.IPV4_BAD_VERSION;
        }
        if (headerBytes < 20) {
            return ParseStatus.IPV4_BAD_IHL;
        }
        if (headerBytes > available) {
            return ParseStatus.IPV4_OPTIONS_TRUNCATED;
        }
        if (totalLength < headerBytes) {
            return ParseStatus.IPV4_TOTAL_LENGTH_TOO_SMALL;
        }
        return totalLength > available ? ParseStatus.IPV4_TOTAL_LENGTH_BEYOND_PACKET : null;
    }

    private static boolean ipv4OptionsWellFormed(MemorySegment f, long b, int off, int end) {
        while (off < end) {
            int type = u8(f, b + off);
            if (type == 0) {
                return true; // end of option list
            }
            if (type == 1) {
                off++; // no-operation
                continue;
            }
            if (end - off < 2) {
                return false;
            }
            int length = u8(f, b + off + 1);
            if (length < 2 || length > end - off) {
                return false;
            }
            off += length;
        }
        return true;
    }

    private static ParseStatus ipv6(MemorySegment f, long b, int off, int end, ParsedPacket p, IpLayers ip, int shift) {
        ip.l3Offset = off;
        if (end - off < 40) {
            return fail(p, ParseStatus.IPV6_TRUNCATED, off);
        }
        long word0 = u64(f, b + off); // version, traffic class, flow label, payload length, next header, hop limit
        int first = (int) (word0 >>> 32);
        if (first >>> 28 != 6) {
            return fail(p, ParseStatus.IPV6_BAD_VERSION, off);
        }
        int payloadLength = (int) (word0 >>> 16) & 0xFFFF;
        if (payloadLength > end - off - 40) {
            return fail(p, ParseStatus.IPV6_PAYLOAD_LENGTH_BEYOND_PACKET, off);
        }
        p.layers |= Layer.IPV6 << shift;
        ip.key.setIpv6(u64(f, b + off + 8), u64(f, b + off + 16), u64(f, b + off + 24), u64(f, b + off + 32));
        ip.trafficClass = (first >>> 20) & 0xFF;
        ip.hopLimit = (int) word0 & 0xFF;
        ip.fragmentOffset = 0;
        ip.fragmentFlags = 0;
        int l3End = off + 40 + payloadLength;
        ip.l3End = l3End;
        int next = (int) (word0 >>> 8) & 0xFF;
        int cur = off + 40;
        for (int count = 0; ; count++) {
            int headerBytes;
            switch (next) {
                case IpProtocols.HOP_BY_HOP, IpProtocols.ROUTING, IpProtocols.DESTINATION_OPTIONS,
                        IpProtocols.MOBILITY, IpProtocols.HIP, IpProtocols.SHIM6 -> {
                    if (next == IpProtocols.HOP_BY_HOP && count != 0) {
                        return fail(p, ParseStatus.IPV6_HOP_BY_HOP_NOT_FIRST, cur);
                    }
                    if (l3End - cur < 8) {
                        return fail(p, ParseStatus.IPV6_EXT_TRUNCATED, cur);
                    }
                    headerBytes = (u8(f, b + cur + 1) + 1) << 3;
                }
                case IpProtocols.AH -> {
                    if (l3End - cur < 8) {
                        return fail(p, ParseStatus.IPV6_EXT_TRUNCATED, cur);
                    }
                    headerBytes = (u8(f, b + cur + 1) + 2) << 2;
                }
                case IpProtocols.FRAGMENT -> {
                    if (l3End - cur < 8) {
                        return fail(p, ParseStatus.IPV6_EXT_TRUNCATED, cur);
                    }
                    int fragment = u16(f, b + cur + 2);
                    ip.fragmentOffset = fragment & 0xFFF8;
                    ip.fragmentFlags = IpLayers.FRAG_IS_FRAGMENT | ((fragment & 1) != 0 ? IpLayers.FRAG_MORE : 0);
                    p.layers |= Layer.FRAGMENT << shift;
                    headerBytes = 8;
                }
                default -> {
                    if (count > 0) {
                        p.layers |= Layer.IPV6_EXT << shift;
                    }
                    ip.key.setProtocol(next);
                    ip.l4Offset = cur;
                    if (ip.fragmentOffset != 0) {
                        return ParseStatus.OK; // a later fragment carries no L4 header
                    }
                    return transport(f, b, cur, l3End, next, p, ip, shift);
                }
            }
            if (count == MAX_CHAIN) {
                return fail(p, ParseStatus.IPV6_EXT_CHAIN_TOO_LONG, cur);
            }
            if (headerBytes > l3End - cur) {
                return fail(p, ParseStatus.IPV6_EXT_TRUNCATED, cur);
            }
            next = u8(f, b + cur);
            cur += headerBytes;
        }
    }

    private static ParseStatus transport(MemorySegment f, long b, int off, int end, int protocol, ParsedPacket p, IpLayers ip, int shift) {
        return switch (protocol) {
            case IpProtocols.UDP -> udp(f, b, off, end, p, ip, shift);
            case IpProtocols.TCP -> tcp(f, b, off, end, p, ip, shift);
            case IpProtocols.ICMP -> icmp(f, b, off, end, p, ip, shift);
            case IpProtocols.ICMPV6 -> icmpv6(f, b, off, end, p, ip, shift);
            default -> {
                ip.payloadOffset = off;
                yield ParseStatus.OK;
            }
        };
    }

    private static ParseStatus udp(MemorySegment f, long b, int off, int end, ParsedPacket p, IpLayers ip, int shift) {
        if (end - off < 8) {
            return fail(p, ParseStatus.UDP_TRUNCATED, off);
        }
        long header = u64(f, b + off); // ports, length, checksum
        int udpLength = (int) (header >>> 16) & 0xFFFF;
        if (udpLength < 8 || udpLength > end - off) {
            return fail(p, ParseStatus.UDP_BAD_LENGTH, off);
        }
        p.layers |= Layer.UDP << shift;
        int dstPort = (int) (header >>> 32) & 0xFFFF;
        ip.key.setPorts((int) (header >>> 48), dstPort);
        ip.payloadOffset = off + 8;
        if (shift == 0) { // tunnels are decapsulated once
            if (dstPort == IpProtocols.GTPU_PORT) {
                return gtpu(f, b, off + 8, off + udpLength, p);
            }
            if (dstPort == IpProtocols.VXLAN_PORT) {
                return vxlan(f, b, off + 8, off + udpLength, p);
            }
        }
        return ParseStatus.OK;
    }

    private static ParseStatus tcp(MemorySegment f, long b, int off, int end, ParsedPacket p, IpLayers ip, int shift) {
        if (end - off < 20) {
            return fail(p, ParseStatus.TCP_TRUNCATED, off);
        }
        long word0 = u64(f, b + off); // ports, sequence number
        int offsetAndFlags = (int) (u64(f, b + off + 8) >>> 16) & 0xFFFF; // past the acknowledgment number
        int headerBytes = (offsetAndFlags >>> 12) << 2;
        if (headerBytes < 20) {
            return fail(p, ParseStatus.TCP_BAD_DATA_OFFSET, off);
        }
        if (headerBytes > end - off) {
            return fail(p, ParseStatus.TCP_OPTIONS_TRUNCATED, off);
        }
        p.layers |= Layer.TCP << shift;
        ip.key.setPorts((int) (word0 >>> 48), (int) (word0 >>> 32) & 0xFFFF);
        ip.tcpFlags = offsetAndFlags & 0x1FF;
        ip.payloadOffset = off + headerBytes;
        return ParseStatus.OK;
    }

    private static ParseStatus icmp(MemorySegment f, long b, int off, int end, ParsedPacket p, IpLayers ip, int shift) {
        if (end - off < 8) {
            return fail(p, ParseStatus.ICMP_TRUNCATED, off);
        }
        p.layers |= Layer.ICMPV4 << shift;
        int typeCode = u16(f, b + off);
        ip.icmpType = typeCode >>> 8;
        ip.icmpCode = typeCode & 0xFF;
        ip.payloadOffset = off + 8;
        return ParseStatus.OK;
    }

    private static ParseStatus icmpv6(MemorySegment f, long b, int off, int end, ParsedPacket p, IpLayers ip, int shift) {
        if (end - off < 4) {
            return fail(p, ParseStatus.ICMPV6_TRUNCATED, off);
        }
        int type = u8(f, b + off);
        int fixedBytes = Icmpv6Header.fixedLength(type);
        if (end - off < fixedBytes) {
            return fail(p, ParseStatus.ICMPV6_TRUNCATED, off);
        }
        if (Icmpv6Header.isNeighbourDiscovery(type) && !Icmpv6Header.optionsWellFormed(f, b + off + fixedBytes, b + end)) {
            return fail(p, ParseStatus.ND_BAD_OPTION, off);
        }
        p.layers |= Layer.ICMPV6 << shift;
        ip.icmpType = type;
        ip.icmpCode = u8(f, b + off + 1);
        ip.payloadOffset = off + fixedBytes;
        return ParseStatus.OK;
    }

    private static ParseStatus gtpu(MemorySegment f, long b, int off, int end, ParsedPacket p) {
        p.beginTunnel(ParsedPacket.TUNNEL_GTPU, off);
        if (end - off < 8) {
            return fail(p, ParseStatus.GTPU_TRUNCATED, off);
        }
        long header = u64(f, b + off); // flags, message type, length, TEID
        int flags = (int) (header >>> 56);
        int messageLength = (int) (header >>> 32) & 0xFFFF;
        if ((flags & 0xF0) != GtpuHeader.VERSION_1_GTP || messageLength > end - off - 8) {
            return fail(p, (flags & 0xF0) != GtpuHeader.VERSION_1_GTP ? ParseStatus.GTPU_BAD_VERSION : ParseStatus.GTPU_BAD_LENGTH, off);
        }
        p.layers |= Layer.GTPU;
        p.gtpFlags = flags;
        p.gtpMessageType = (int) (header >>> 48) & 0xFF;
        p.teid = (int) header;
        int messageEnd = off + 8 + messageLength;
        int cur = off + 8;
        if ((flags & GtpuHeader.FLAGS_OPTIONAL) != 0) {
            cur = gtpuOptional(f, b, off, messageEnd, flags, p);
            if (cur < 0) {
                return p.status;
            }
        }
        if (p.gtpMessageType != GTPU_MESSAGE_G_PDU) {
            return ParseStatus.OK; // echo, error indication, end marker: signalling, no inner packet
        }
        int version = cur < messageEnd ? u8(f, b + cur) >>> 4 : 0;
        if (version != 4 && version != 6) {
            return fail(p, ParseStatus.GTPU_BAD_INNER, cur);
        }
        return pendInner(p, version == 4 ? EtherTypes.IPV4 : EtherTypes.IPV6, cur, messageEnd);
    }

    /**
     * Reads the optional word (sequence number, N-PDU number, next extension type) of the GTP-U
     * header at {@code off} and walks the extension chain. Returns the offset of the payload, or
     * -1 with {@code p.status} set when the message is malformed.
     */
    private static int gtpuOptional(MemorySegment f, long b, int off, int messageEnd, int flags, ParsedPacket p) {
        int cur = off + 8;
        if (messageEnd - cur < 4) {
            p.status = fail(p, ParseStatus.GTPU_BAD_LENGTH, off);
            return -1;
        }
        int optional = u32(f, b + cur);
        if ((flags & GtpuHeader.FLAG_S) != 0) {
            p.gtpSequence = optional >>> 16;
        }
        int nextType = optional & 0xFF;
        cur += 4;
        return (flags & GtpuHeader.FLAG_E) != 0 && nextType != 0 ? gtpuExtensions(f, b, cur, messageEnd, nextType, p) : cur;
    }

    /**
     * Walks a GTP-U extension header chain starting at {@code cur} with the first type
     * {@code nextType}, noting the PDU Session Container. Returns the offset after the chain, or
     * -1 with {@code p.status} set when the chain is malformed.
     */
    private static int gtpuExtensions(MemorySegment f, long b, int cur, int messageEnd, int nextType, ParsedPacket p) {
        for (int count = 0; nextType != 0; count++) {
            ParseStatus problem = null;
            int word = 0;
            int extBytes = 0;
            if (count == MAX_CHAIN) {
                problem = ParseStatus.GTPU_EXT_CHAIN_TOO_LONG;
            } else if (messageEnd - cur < 4) {
                problem = ParseStatus.GTPU_EXT_TRUNCATED;
            } else {
                word = u32(f, b + cur); // length, then content; the last byte of the extension is the next type
                extBytes = (word >>> 24) << 2;
                if (extBytes == 0) {
                    problem = ParseStatus.GTPU_EXT_LENGTH_ZERO;
                } else if (extBytes > messageEnd - cur) {
                    problem = ParseStatus.GTPU_EXT_TRUNCATED;
                }
            }
            if (problem != null) {
                p.status = fail(p, problem, cur);
                return -1;
            }
            if (nextType == GTPU_EXT_PDU_SESSION_CONTAINER) {
                p.pduType = (word >>> 20) & 0xF;
                p.qfi = (word >>> 8) & 0x3F;
            }
            nextType = extBytes == 4 ? word & 0xFF : u8(f, b + cur + extBytes - 1);
            cur += extBytes;
        }
        return cur;
    }

    private static ParseStatus vxlan(MemorySegment f, long b, int off, int end, ParsedPacket p) {
        p.beginTunnel(ParsedPacket.TUNNEL_VXLAN, off);
        if (end - off < 8) {
            return fail(p, ParseStatus.VXLAN_TRUNCATED, off);
        }
        if ((u8(f, b + off) & 0x08) == 0) {
            return fail(p, ParseStatus.VXLAN_BAD_FLAGS, off);
        }
        p.layers |= Layer.VXLAN;
        p.vni = u32(f, b + off + 4) >>> 8;
        int l2 = off + 8;
        p.innerL2Offset = l2;
        if (end - l2 < ETH_HEADER) {
            return fail(p, ParseStatus.INNER_ETHERNET_TRUNCATED, l2);
        }
        p.layers |= Layer.INNER_ETHERNET;
        return pendInner(p, u16(f, b + l2 + 12), l2 + ETH_HEADER, end);
    }

    /**
     * Records where a tunnel's inner IP packet is; {@link #parse} parses it once the outer
     * packet is done, so the outer and inner passes are two flat calls, not a recursion the JIT
     * would refuse to inline.
     */
    private static ParseStatus pendInner(ParsedPacket p, int etherType, int offset, int end) {
        if (etherType == EtherTypes.IPV4 || etherType == EtherTypes.IPV6 || etherType == EtherTypes.ARP) {
            p.innerPending = etherType;
            p.innerStart = offset;
            p.innerEnd = end;
        }
        return ParseStatus.OK;
    }

    private static ParseStatus inner(MemorySegment f, long b, ParsedPacket p) {
        int etherType = p.innerPending;
        p.innerPending = 0;
        return switch (etherType) {
            case EtherTypes.IPV4 -> ipv4(f, b, p.innerStart, p.innerEnd, p, p.inner, Layer.INNER_SHIFT);
            case EtherTypes.IPV6 -> ipv6(f, b, p.innerStart, p.innerEnd, p, p.inner, Layer.INNER_SHIFT);
            default -> arp(f, b, p.innerStart, p.innerEnd, p, p.inner, Layer.INNER_SHIFT); // VXLAN carries ARP
        };
    }
}
