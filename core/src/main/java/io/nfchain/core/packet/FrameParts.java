package io.nfchain.core.packet;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;

/**
 * The layers {@link PacketBuilder} strings together: each knows its length, what it announces
 * to the layer before it (EtherType, protocol number), how it writes itself, and which lengths
 * and checksums it fills once the layers after it are in place.
 */
final class FrameParts {
    private FrameParts() {}

    /** One layer: its length, what it tells the layer before it, how it writes and finishes itself. */
    abstract static class Part {
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

    static final class EthernetPart extends Part {
        final long dst;
        final long src;

        EthernetPart(long dst, long src) {
            this.dst = dst;
            this.src = src;
        }

        int length() {
            return EthernetHeader.LENGTH;
        }

        void write(MemorySegment s, long base, Part next) {
            new EthernetHeader().wrap(s, base + offset).dst(dst).src(src).typeOrTpid(etherTypeOf(next));
        }
    }

    /** A VLAN tag is written as TCI + next type after the previous layer's type field (its TPID). */
    static final class VlanPart extends Part {
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

    static final class ArpPart extends Part {
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

    static final class Ipv4Part extends Part {
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

    static final class Ipv6Part extends Part {
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
    interface ExtWriter {
        void write(Ipv6ExtensionHeader h, MemorySegment s, long at);
    }

    static final class Ipv6ExtPart extends Part {
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

    static final class UdpPart extends Part {
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

    static final class TcpPart extends Part {
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
    static final class IcmpPart extends Part {
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

    static final class GtpuPart extends Part {
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

    static final class VxlanPart extends Part {
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

    static final class PayloadPart extends Part {
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
