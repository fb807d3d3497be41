package io.nfchain.core.packet;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes whole frames layer by layer through the header views, filling in what one layer
 * learns from the next: EtherTypes and protocol numbers, lengths, and every checksum.
 *
 * <p>For building packets off the hot path: test corpora, traffic templates, replies the
 * control plane sends. The description allocates; {@link #writeTo} does not. Not thread-safe.
 *
 * <pre>{@code
 * int length = new PacketBuilder()
 *         .ethernet(dstMac, srcMac).vlan(100)
 *         .ipv4(src, dst).udp(1234, 2152)
 *         .gtpu(teid).pduSessionContainer(PDU_TYPE_UPLINK, 9)
 *         .ipv4(ueAddress, server).tcp(40000, 443).payload(64)
 *         .writeTo(segment, 0);
 * }</pre>
 */
public final class PacketBuilder {
    private final List<FrameParts.Part> parts = new ArrayList<>();
    private int minimumFrameLength;

    /** Ethernet II header; its type comes from the next layer. */
    public PacketBuilder ethernet(long dstMac, long srcMac) {
        parts.add(new FrameParts.EthernetPart(dstMac, srcMac));
        return this;
    }

    /** 802.1Q tag (TPID 0x8100), priority 0. */
    public PacketBuilder vlan(int vlanId) {
        return vlan(EtherTypes.VLAN, 0, false, vlanId);
    }

    /** A VLAN tag: the first of two is the outer (802.1ad TPID 0x88A8 for QinQ). */
    public PacketBuilder vlan(int tpid, int pcp, boolean dei, int vlanId) {
        parts.add(new FrameParts.VlanPart(tpid, pcp, dei, vlanId));
        return this;
    }

    public PacketBuilder arp(int operation, long senderMac, int senderIp, long targetMac, int targetIp) {
        parts.add(new FrameParts.ArpPart(operation, senderMac, senderIp, targetMac, targetIp));
        return this;
    }

    /** IPv4 with TTL 64, no options, not fragmented; adjust with {@link #ipv4Fields}. */
    public PacketBuilder ipv4(int src, int dst) {
        parts.add(new FrameParts.Ipv4Part(src, dst));
        return this;
    }

    /**
     * Sets fields of the IPv4 header just added. {@code options} must be a multiple of 4 bytes
     * (at most 40); {@code fragmentWord} is the raw flags + offset word.
     */
    public PacketBuilder ipv4Fields(int tos, int ttl, int identification, int fragmentWord, byte[] options) {
        FrameParts.Ipv4Part ip = (FrameParts.Ipv4Part) last();
        if (options.length % 4 != 0 || options.length > 40) {
            throw new IllegalArgumentException("IPv4 options must be a multiple of 4 bytes, at most 40: " + options.length);
        }
        ip.tos = tos;
        ip.ttl = ttl;
        ip.identification = identification;
        ip.fragmentWord = fragmentWord;
        ip.options = options.clone();
        return this;
    }

    /** IPv6 with hop limit 64, traffic class 0, flow label 0; adjust with {@link #ipv6Fields}. */
    public PacketBuilder ipv6(long srcHi, long srcLo, long dstHi, long dstLo) {
        parts.add(new FrameParts.Ipv6Part(srcHi, srcLo, dstHi, dstLo));
        return this;
    }

    public PacketBuilder ipv6Fields(int trafficClass, int flowLabel, int hopLimit) {
        FrameParts.Ipv6Part ip = (FrameParts.Ipv6Part) last();
        ip.trafficClass = trafficClass;
        ip.flowLabel = flowLabel;
        ip.hopLimit = hopLimit;
        return this;
    }

    /** Hop-by-hop (0) or destination options (60) header of {@code bytes} (a multiple of 8), PadN-filled. */
    public PacketBuilder ipv6Options(int type, int bytes) {
        if (type != IpProtocols.HOP_BY_HOP && type != IpProtocols.DESTINATION_OPTIONS) {
            throw new IllegalArgumentException("not an options header type: " + type);
        }
        parts.add(new FrameParts.Ipv6ExtPart(type, bytes, (h, s, at) -> h.optionsHeader(0, bytes)));
        return this;
    }

    /**
     * A routing header of {@code bytes} (8 plus 16 per address) whose address list is zero; for
     * Segment Routing (type 4) the last-entry field is set from the list's size.
     */
    public PacketBuilder ipv6Routing(int bytes, int routingType, int segmentsLeft) {
        parts.add(new FrameParts.Ipv6ExtPart(IpProtocols.ROUTING, bytes, (h, s, at) -> h.routingHeader(0, bytes, routingType, segmentsLeft)));
        return this;
    }

    public PacketBuilder ipv6Fragment(int offsetBytes, boolean more, int id) {
        parts.add(new FrameParts.Ipv6ExtPart(IpProtocols.FRAGMENT, 8, (h, s, at) -> h.fragmentHeader(0, offsetBytes, more, id)));
        return this;
    }

    public PacketBuilder udp(int srcPort, int dstPort) {
        parts.add(new FrameParts.UdpPart(srcPort, dstPort));
        return this;
    }

    /** TCP with the given flags and window; {@code synOptions} adds the 20 bytes of options Linux sends on a SYN. */
    public PacketBuilder tcp(int srcPort, int dstPort, int seq, int ack, int flags, int window, boolean synOptions) {
        parts.add(new FrameParts.TcpPart(srcPort, dstPort, seq, ack, flags, window, synOptions));
        return this;
    }

    public PacketBuilder tcp(int srcPort, int dstPort) {
        return tcp(srcPort, dstPort, 1, 0, TcpHeader.SYN, 64240, true);
    }

    /** ICMPv4 with its second header word (echo: identifier << 16 | sequence). */
    public PacketBuilder icmp(int type, int code, int restOfHeader) {
        parts.add(new FrameParts.IcmpPart(IpProtocols.ICMP, type, code, restOfHeader, 0, 0, -1, 0));
        return this;
    }

    /** ICMPv6 echo or error message with its second header word. */
    public PacketBuilder icmpv6(int type, int code, int word1) {
        parts.add(new FrameParts.IcmpPart(IpProtocols.ICMPV6, type, code, word1, 0, 0, -1, 0));
        return this;
    }

    /**
     * Neighbour solicitation (135) or advertisement (136) for {@code target}, with a source
     * (NS) or target (NA) link-layer address option carrying {@code mac}. {@code flags} are the
     * NA R/S/O bits.
     */
    public PacketBuilder neighbourDiscovery(int type, int flags, long targetHi, long targetLo, long mac) {
        int option = type == Icmpv6Header.NEIGHBOR_SOLICITATION ? Icmpv6Header.OPTION_SOURCE_LINK_ADDRESS : Icmpv6Header.OPTION_TARGET_LINK_ADDRESS;
        parts.add(new FrameParts.IcmpPart(IpProtocols.ICMPV6, type, 0, flags << 24, targetHi, targetLo, option, mac));
        return this;
    }

    /** GTP-U G-PDU with no optional fields; add {@link #gtpuSequence} or extensions to set them. */
    public PacketBuilder gtpu(int teid) {
        return gtpu(GtpuHeader.G_PDU, teid);
    }

    public PacketBuilder gtpu(int messageType, int teid) {
        parts.add(new FrameParts.GtpuPart(messageType, teid));
        return this;
    }

    /** Sets the S flag and the sequence number on the GTP-U header just added. */
    public PacketBuilder gtpuSequence(int sequence) {
        FrameParts.GtpuPart g = (FrameParts.GtpuPart) last();
        g.flags |= GtpuHeader.FLAG_S;
        g.sequence = sequence;
        return this;
    }

    /** Adds a PDU Session Container extension (type 0x85) to the GTP-U header just added. */
    public PacketBuilder pduSessionContainer(int pduType, int qfi) {
        FrameParts.GtpuPart g = (FrameParts.GtpuPart) last();
        g.flags |= GtpuHeader.FLAG_E;
        g.extensions.add(new int[] {GtpuHeader.EXT_PDU_SESSION_CONTAINER, 1, pduType, qfi});
        return this;
    }

    /** Adds a zero-filled extension of {@code units} x 4 bytes of type {@code type}. */
    public PacketBuilder gtpuExtension(int type, int units) {
        FrameParts.GtpuPart g = (FrameParts.GtpuPart) last();
        g.flags |= GtpuHeader.FLAG_E;
        g.extensions.add(new int[] {type, units, 0, 0});
        return this;
    }

    public PacketBuilder vxlan(int vni) {
        parts.add(new FrameParts.VxlanPart(vni));
        return this;
    }

    /** {@code length} payload bytes counting up from 0. */
    public PacketBuilder payload(int length) {
        byte[] bytes = new byte[length];
        for (int i = 0; i < length; i++) {
            bytes[i] = (byte) i;
        }
        return payload(bytes);
    }

    public PacketBuilder payload(byte[] bytes) {
        parts.add(new FrameParts.PayloadPart(bytes.clone()));
        return this;
    }

    /** Pads the frame with zeros after the last layer up to {@code bytes} (60 is Ethernet's minimum). */
    public PacketBuilder padTo(int bytes) {
        minimumFrameLength = bytes;
        return this;
    }

    /** Frame length in bytes that {@link #writeTo} will write. */
    public int length() {
        int n = 0;
        for (FrameParts.Part p : parts) {
            n += p.length();
        }
        return Math.max(n, minimumFrameLength);
    }

    /** Writes the frame at {@code offset}; returns its length. */
    public int writeTo(MemorySegment s, long offset) {
        int contentEnd = 0;
        for (FrameParts.Part p : parts) {
            p.offset = contentEnd;
            contentEnd += p.length();
        }
        int frameEnd = Math.max(contentEnd, minimumFrameLength);
        s.asSlice(offset, frameEnd).fill((byte) 0);
        for (int i = 0; i < parts.size(); i++) {
            FrameParts.Part next = i + 1 < parts.size() ? parts.get(i + 1) : null;
            parts.get(i).write(s, offset, next);
        }
        for (int i = parts.size() - 1; i >= 0; i--) {
            parts.get(i).finishLength(s, offset, contentEnd);
        }
        // inner checksums first: an outer UDP checksum covers the inner packet
        for (int i = parts.size() - 1; i >= 0; i--) {
            parts.get(i).finishChecksum(s, offset, enclosingIp(i));
        }
        return frameEnd;
    }

    /** Writes into a new heap segment of exactly the frame's length. */
    public MemorySegment build() {
        MemorySegment s = MemorySegment.ofArray(new byte[length()]);
        writeTo(s, 0);
        return s;
    }

    public byte[] toBytes() {
        return build().toArray(java.lang.foreign.ValueLayout.JAVA_BYTE);
    }

    private FrameParts.Part last() {
        if (parts.isEmpty()) {
            throw new IllegalStateException("no layer to set fields on");
        }
        return parts.getLast();
    }

    private FrameParts.Part enclosingIp(int index) {
        for (int i = index - 1; i >= 0; i--) {
            if (parts.get(i) instanceof FrameParts.Ipv4Part || parts.get(i) instanceof FrameParts.Ipv6Part) {
                return parts.get(i);
            }
        }
        return null;
    }
}
