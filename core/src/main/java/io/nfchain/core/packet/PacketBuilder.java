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
    private final List<Part> parts = new ArrayList<>();
    private int minimumFrameLength;

    /** Ethernet II header; its type comes from the next layer. */
    public PacketBuilder ethernet(long dstMac, long srcMac) {
        parts.add(new EthernetPart(dstMac, srcMac));
        return this;
    }

    /** 802.1Q tag (TPID 0x8100), priority 0. */
    public PacketBuilder vlan(int vlanId) {
        return vlan(EtherTypes.VLAN, 0, false, vlanId);
    }

    /** A VLAN tag: the first of two is the outer (802.1ad TPID 0x88A8 for QinQ). */
    public PacketBuilder vlan(int tpid, int pcp, boolean dei, int vlanId) {
        parts.add(new VlanPart(tpid, pcp, dei, vlanId));
        return this;
    }

    public PacketBuilder arp(int operation, long senderMac, int senderIp, long targetMac, int targetIp) {
        parts.add(new ArpPart(operation, senderMac, senderIp, targetMac, targetIp));
        return this;
    }

    /** IPv4 with TTL 64, no options, not fragmented; adjust with {@link #ipv4Fields}. */
    public PacketBuilder ipv4(int src, int dst) {
        parts.add(new Ipv4Part(src, dst));
        return this;
    }

    /**
     * Sets fields of the IPv4 header just added. {@code options} must be a multiple of 4 bytes
     * (at most 40); {@code fragmentWord} is the raw flags + offset word.
     */
    public PacketBuilder ipv4Fields(int tos, int ttl, int identification, int fragmentWord, byte[] options) {
        Ipv4Part ip = (Ipv4Part) last();
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
        parts.add(new Ipv6Part(srcHi, srcLo, dstHi, dstLo));
        return this;
    }

    public PacketBuilder ipv6Fields(int trafficClass, int flowLabel, int hopLimit) {
        Ipv6Part ip = (Ipv6Part) last();
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
        parts.add(new Ipv6ExtPart(type, bytes, (h, s, at) -> h.optionsHeader(0, bytes)));
        return this;
    }

    /**
     * A routing header of {@code bytes} (8 plus 16 per address) whose address list is zero; for
     * Segment Routing (type 4) the last-entry field is set from the list's size.
     */
    public PacketBuilder ipv6Routing(int bytes, int routingType, int segmentsLeft) {
        parts.add(new Ipv6ExtPart(IpProtocols.ROUTING, bytes, (h, s, at) -> h.routingHeader(0, bytes, routingType, segmentsLeft)));
        return this;
    }

    public PacketBuilder ipv6Fragment(int offsetBytes, boolean more, int id) {
        parts.add(new Ipv6ExtPart(IpProtocols.FRAGMENT, 8, (h, s, at) -> h.fragmentHeader(0, offsetBytes, more, id)));
        return this;
    }

    public PacketBuilder udp(int srcPort, int dstPort) {
        parts.add(new UdpPart(srcPort, dstPort));
        return this;
    }

    /** TCP with the given flags and window; {@code synOptions} adds the 20 bytes of options Linux sends on a SYN. */
    public PacketBuilder tcp(int srcPort, int dstPort, int seq, int ack, int flags, int window, boolean synOptions) {
        parts.add(new TcpPart(srcPort, dstPort, seq, ack, flags, window, synOptions));
        return this;
    }

    public PacketBuilder tcp(int srcPort, int dstPort) {
        return tcp(srcPort, dstPort, 1, 0, TcpHeader.SYN, 64240, true);
    }

    /** ICMPv4 with its second header word (echo: identifier << 16 | sequence). */
    public PacketBuilder icmp(int type, int code, int restOfHeader) {
        parts.add(new IcmpPart(IpProtocols.ICMP, type, code, restOfHeader, 0, 0, -1, 0));
        return this;
    }

    /** ICMPv6 echo or error message with its second header word. */
    public PacketBuilder icmpv6(int type, int code, int word1) {
        parts.add(new IcmpPart(IpProtocols.ICMPV6, type, code, word1, 0, 0, -1, 0));
        return this;
    }

    /**
     * Neighbour solicitation (135) or advertisement (136) for {@code target}, with a source
     * (NS) or target (NA) link-layer address option carrying {@code mac}. {@code flags} are the
     * NA R/S/O bits.
     */
    public PacketBuilder neighbourDiscovery(int type, int flags, long targetHi, long targetLo, long mac) {
        int option = type == Icmpv6Header.NEIGHBOR_SOLICITATION ? Icmpv6Header.OPTION_SOURCE_LINK_ADDRESS : Icmpv6Header.OPTION_TARGET_LINK_ADDRESS;
        parts.add(new IcmpPart(IpProtocols.ICMPV6, type, 0, flags << 24, targetHi, targetLo, option, mac));
        return this;
    }

    /** GTP-U G-PDU with no optional fields; add {@link #gtpuSequence} or extensions to set them. */
    public PacketBuilder gtpu(int teid) {
        return gtpu(GtpuHeader.G_PDU, teid);
    }

    public PacketBuilder gtpu(int messageType, int teid) {
        parts.add(new GtpuPart(messageType, teid));
        return this;
    }

    /** Sets the S flag and the sequence number on the GTP-U header just added. */
    public PacketBuilder gtpuSequence(int sequence) {
        GtpuPart g = (GtpuPart) last();
        g.flags |= GtpuHeader.FLAG_S;
        g.sequence = sequence;
        return this;
    }

    /** Adds a PDU Session Container extension (type 0x85) to the GTP-U header just added. */
    public PacketBuilder pduSessionContainer(int pduType, int qfi) {
        GtpuPart g = (GtpuPart) last();
        g.flags |= GtpuHeader.FLAG_E;
        g.extensions.add(new int[] {GtpuHeader.EXT_PDU_SESSION_CONTAINER, 1, pduType, qfi});
        return this;
    }

    /** Adds a zero-filled extension of {@code units} x 4 bytes of type {@code type}. */
    public PacketBuilder gtpuExtension(int type, int units) {
        GtpuPart g = (GtpuPart) last();
        g.flags |= GtpuHeader.FLAG_E;
        g.extensions.add(new int[] {type, units, 0, 0});
        return this;
    }

    public PacketBuilder vxlan(int vni) {
        parts.add(new VxlanPart(vni));
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
        parts.add(new PayloadPart(bytes.clone()));
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
        for (Part p : parts) {
            n += p.length();
        }
        return Math.max(n, minimumFrameLength);
    }

    /** Writes the frame at {@code offset}; returns its length. */
    public int writeTo(MemorySegment s, long offset) {
        int contentEnd = 0;
        for (Part p : parts) {
            p.offset = contentEnd;
            contentEnd += p.length();
        }
        int frameEnd = Math.max(contentEnd, minimumFrameLength);
        s.asSlice(offset, frameEnd).fill((byte) 0);
        for (int i = 0; i < parts.size(); i++) {
            Part next = i + 1 < parts.size() ? parts.get(i + 1) : null;
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

    private Part last() {
        if (parts.isEmpty()) {
            throw new IllegalStateException("no layer to set fields on");
        }
        return parts.getLast();
    }

    private Part enclosingIp(int index) {
        for (int i = index - 1; i >= 0; i--) {
            if (parts.get(i) instanceof Ipv4Part || parts.get(i) instanceof Ipv6Part) {
                return parts.get(i);
            }
        }
        return null;
    }

    /** One layer: its length, what it tells the layer before it, how it writes and finishes itself. */
    private abstract static class Part {
        int offset;

        abstract int length();

        /** EtherType that announces this layer, or -1. */
        int etherType() {
            return -1;
        }

        /** IP protocol / next-header number that announces this layer, or -1. */
        int ipProtocol() {
            return -1;
        }

        abstract void write(MemorySegment s, long base, Part next);

        /** Fills length fields once everything after this layer is in place; {@code end} is where the content ends. */
        void finishLength(MemorySegment s, long base, int end) {}

        /** Fills checksums once every length and every inner checksum is in place. */
        void finishChecksum(MemorySegment s, long base, Part ip) {}
    }

    private static int etherTypeOf(Part next) {
        return next == null || next.etherType() < 0 ? 0 : next.etherType();
    }

    private static int protocolOf(Part next) {
        return next == null ? IpProtocols.NO_NEXT_HEADER : next.ipProtocol() < 0 ? 0xFD : next.ipProtocol(); // 253: experimentation
    }

    private static final class EthernetPart extends Part {
        final long dst;
        final long src;

        EthernetPart(long dst, long src) {
            this.dst = dst;
            this.src = src;
        }

        int length() {
            return EthernetHeader.LENGTH;
        }

        int etherType() {
            return -1;
        }

        void write(MemorySegment s, long base, Part next) {
            new EthernetHeader().wrap(s, base + offset).dst(dst).src(src).typeOrTpid(etherTypeOf(next));
        }
    }

    /** A VLAN tag is written as TCI + next type after the previous layer's type field (its TPID). */
    private static final class VlanPart extends Part {
        final int tpid;
        final int tci;

        VlanPart(int tpid, int pcp, boolean dei, int vlanId) {
            this.tpid = tpid;
            this.tci = (pcp & 7) << 13 | (dei ? 1 << 12 : 0) | (vlanId & 0xFFF);
        }

        int length() {
            return EthernetHeader.TAG_LENGTH;
        }

        int etherType() {
            return tpid;
        }

        void write(MemorySegment s, long base, Part next) {
            NetBytes.put16(s, base + offset, tci);
            NetBytes.put16(s, base + offset + 2, etherTypeOf(next));
        }
    }

    private static final class ArpPart extends Part {
        final int operation;
        final long senderMac;
        final int senderIp;
        final long targetMac;
        final int targetIp;

        ArpPart(int operation, long senderMac, int senderIp, long targetMac, int targetIp) {
            this.operation = operation;
            this.senderMac = senderMac;
            this.senderIp = senderIp;
            this.targetMac = targetMac;
            this.targetIp = targetIp;
        }

        int length() {
            return ArpPacket.LENGTH;
        }

        int etherType() {
            return EtherTypes.ARP;
        }

        void write(MemorySegment s, long base, Part next) {
            new ArpPacket().wrap(s, base + offset).set(operation, senderMac, senderIp, targetMac, targetIp);
        }
    }

    private static final class Ipv4Part extends Part {
        final int src;
        final int dst;
        int tos;
        int ttl = 64;
        int identification;
        int fragmentWord;
        byte[] options = new byte[0];

        Ipv4Part(int src, int dst) {
            this.src = src;
            this.dst = dst;
        }

        int length() {
            return Ipv4Header.MIN_LENGTH + options.length;
        }

        int etherType() {
            return EtherTypes.IPV4;
        }

        int ipProtocol() {
            return 4; // IP-in-IP
        }

        void write(MemorySegment s, long base, Part next) {
            Ipv4Header h = new Ipv4Header().wrap(s, base + offset);
            h.headerLength(length()).tos(tos).identification(identification).fragmentWord(fragmentWord)
                    .ttl(ttl).protocol(protocolOf(next)).src(src).dst(dst);
            MemorySegment.copy(MemorySegment.ofArray(options), 0, s, base + offset + Ipv4Header.MIN_LENGTH, options.length);
        }

        void finishLength(MemorySegment s, long base, int end) {
            new Ipv4Header().wrap(s, base + offset).totalLength(end - offset);
        }

        void finishChecksum(MemorySegment s, long base, Part ip) {
            new Ipv4Header().wrap(s, base + offset).updateChecksum();
        }
    }

    private static final class Ipv6Part extends Part {
        final long srcHi;
        final long srcLo;
        final long dstHi;
        final long dstLo;
        int trafficClass;
        int flowLabel;
        int hopLimit = 64;

        Ipv6Part(long srcHi, long srcLo, long dstHi, long dstLo) {
            this.srcHi = srcHi;
            this.srcLo = srcLo;
            this.dstHi = dstHi;
            this.dstLo = dstLo;
        }

        int length() {
            return Ipv6Header.LENGTH;
        }

        int etherType() {
            return EtherTypes.IPV6;
        }

        int ipProtocol() {
            return 41; // IPv6-in-IP
        }

        void write(MemorySegment s, long base, Part next) {
            new Ipv6Header().wrap(s, base + offset).versionClassFlow(trafficClass, flowLabel)
                    .nextHeader(protocolOf(next)).hopLimit(hopLimit).src(srcHi, srcLo).dst(dstHi, dstLo);
        }

        void finishLength(MemorySegment s, long base, int end) {
            new Ipv6Header().wrap(s, base + offset).payloadLength(end - offset - Ipv6Header.LENGTH);
        }
    }

    @FunctionalInterface
    private interface ExtWriter {
        void write(Ipv6ExtensionHeader h, MemorySegment s, long at);
    }

    private static final class Ipv6ExtPart extends Part {
        final int type;
        final int bytes;
        final ExtWriter writer;

        Ipv6ExtPart(int type, int bytes, ExtWriter writer) {
            if (bytes < 8 || bytes % 8 != 0 || bytes > 2048) {
                throw new IllegalArgumentException("IPv6 extension header length must be a multiple of 8 in 8..2048: " + bytes);
            }
            this.type = type;
            this.bytes = bytes;
            this.writer = writer;
        }

        int length() {
            return bytes;
        }

        int ipProtocol() {
            return type;
        }

        void write(MemorySegment s, long base, Part next) {
            Ipv6ExtensionHeader h = new Ipv6ExtensionHeader().wrap(s, base + offset);
            writer.write(h, s, base + offset);
            h.nextHeader(protocolOf(next));
        }
    }

    private static final class UdpPart extends Part {
        final int srcPort;
        final int dstPort;

        UdpPart(int srcPort, int dstPort) {
            this.srcPort = srcPort;
            this.dstPort = dstPort;
        }

        int length() {
            return UdpHeader.LENGTH;
        }

        int ipProtocol() {
            return IpProtocols.UDP;
        }

        void write(MemorySegment s, long base, Part next) {
            new UdpHeader().wrap(s, base + offset).srcPort(srcPort).dstPort(dstPort);
        }

        void finishLength(MemorySegment s, long base, int end) {
            new UdpHeader().wrap(s, base + offset).length(end - offset);
        }

        void finishChecksum(MemorySegment s, long base, Part ip) {
            NetBytes.put16(s, base + offset + UdpHeader.CHECKSUM, transportChecksum(s, base, this, ip));
        }
    }

    private static int transportChecksum(MemorySegment s, long base, Part l4, Part ip) {
        if (ip instanceof Ipv4Part v4) {
            return Checksums.ipv4Transport(s, base + v4.offset);
        }
        if (ip instanceof Ipv6Part v6) {
            return Checksums.ipv6Transport(s, base + v6.offset, base + l4.offset, l4.ipProtocol());
        }
        throw new IllegalStateException("a transport header needs an IP header before it");
    }

    private static final class TcpPart extends Part {
        final int srcPort;
        final int dstPort;
        final int seq;
        final int ack;
        final int flags;
        final int window;
        final boolean synOptions;

        TcpPart(int srcPort, int dstPort, int seq, int ack, int flags, int window, boolean synOptions) {
            this.srcPort = srcPort;
            this.dstPort = dstPort;
            this.seq = seq;
            this.ack = ack;
            this.flags = flags;
            this.window = window;
            this.synOptions = synOptions;
        }

        int length() {
            return synOptions ? 40 : TcpHeader.MIN_LENGTH;
        }

        int ipProtocol() {
            return IpProtocols.TCP;
        }

        void write(MemorySegment s, long base, Part next) {
            TcpHeader h = new TcpHeader().wrap(s, base + offset).srcPort(srcPort).dstPort(dstPort)
                    .sequence(seq).acknowledgment(ack).headerLengthAndFlags(length(), flags).window(window);
            if (synOptions) {
                h.synOptions(1460, seq ^ 0x5A5A5A5A, ack, 7);
            }
        }

        void finishChecksum(MemorySegment s, long base, Part ip) {
            NetBytes.put16(s, base + offset + TcpHeader.CHECKSUM, transportChecksum(s, base, this, ip));
        }
    }

    /** ICMPv4 or ICMPv6; with an ND target and option when {@code option} is not -1. */
    private static final class IcmpPart extends Part {
        final int protocol;
        final int type;
        final int code;
        final int word1;
        final long targetHi;
        final long targetLo;
        final int option;
        final long mac;

        IcmpPart(int protocol, int type, int code, int word1, long targetHi, long targetLo, int option, long mac) {
            this.protocol = protocol;
            this.type = type;
            this.code = code;
            this.word1 = word1;
            this.targetHi = targetHi;
            this.targetLo = targetLo;
            this.option = option;
            this.mac = mac;
        }

        int length() {
            return option < 0 ? 8 : Icmpv6Header.fixedLength(type) + 8;
        }

        int ipProtocol() {
            return protocol;
        }

        void write(MemorySegment s, long base, Part next) {
            Icmpv6Header h = new Icmpv6Header().wrap(s, base + offset).typeCode(type, code).word1(word1);
            if (option >= 0) {
                h.target(targetHi, targetLo).linkAddressOption(Icmpv6Header.fixedLength(type), option, mac);
            }
        }

        void finishChecksum(MemorySegment s, long base, Part ip) {
            NetBytes.put16(s, base + offset + 2, transportChecksum(s, base, this, ip));
        }
    }

    private static final class GtpuPart extends Part {
        final int messageType;
        final int teid;
        final List<int[]> extensions = new ArrayList<>(); // {type, units, pduType, qfi}
        int flags;
        int sequence;

        GtpuPart(int messageType, int teid) {
            this.messageType = messageType;
            this.teid = teid;
        }

        int length() {
            int n = GtpuHeader.LENGTH + (flags != 0 ? GtpuHeader.OPTIONAL_LENGTH : 0);
            for (int[] e : extensions) {
                n += e[1] * 4;
            }
            return n;
        }

        void write(MemorySegment s, long base, Part next) {
            GtpuHeader h = new GtpuHeader().wrap(s, base + offset).set(flags, messageType, 0, teid);
            if (flags == 0) {
                return;
            }
            h.optional(sequence, 0, extensions.isEmpty() ? 0 : extensions.getFirst()[0]);
            int at = GtpuHeader.LENGTH + GtpuHeader.OPTIONAL_LENGTH;
            for (int i = 0; i < extensions.size(); i++) {
                int[] e = extensions.get(i);
                int nextType = i + 1 < extensions.size() ? extensions.get(i + 1)[0] : 0;
                if (e[0] == GtpuHeader.EXT_PDU_SESSION_CONTAINER) {
                    h.pduSessionContainer(at, e[2], e[3], nextType);
                } else {
                    h.extension(at, e[1], nextType);
                }
                at += e[1] * 4;
            }
        }

        void finishLength(MemorySegment s, long base, int end) {
            new GtpuHeader().wrap(s, base + offset).length(end - offset - GtpuHeader.LENGTH);
        }
    }

    private static final class VxlanPart extends Part {
        final int vni;

        VxlanPart(int vni) {
            this.vni = vni;
        }

        int length() {
            return VxlanHeader.LENGTH;
        }

        void write(MemorySegment s, long base, Part next) {
            new VxlanHeader().wrap(s, base + offset).set(vni);
        }
    }

    private static final class PayloadPart extends Part {
        final byte[] bytes;

        PayloadPart(byte[] bytes) {
            this.bytes = bytes;
        }

        int length() {
            return bytes.length;
        }

        void write(MemorySegment s, long base, Part next) {
            MemorySegment.copy(MemorySegment.ofArray(bytes), 0, s, base + offset, bytes.length);
        }
    }
}
