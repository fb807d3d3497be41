package io.nfchain.core.packet;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;

/**
 * One frame as nfchain decodes it, written as the tshark fields that say the same thing, so that
 * {@link TsharkFields} can compare the two field by field.
 *
 * <p>Every value comes from {@link PacketParser}'s {@link ParsedPacket} where the parser records
 * it (offsets, 5-tuples, VLAN tags, TTL, traffic class, fragment fields, ICMP type, TCP flags,
 * GTP-U TEID/QFI/PDU type/sequence, VNI), and otherwise from the header views wrapped at the
 * offsets the parser found. Values of one field are listed in the order tshark shows them: outer
 * layers first, so {@code ip.src} of a GTP-U frame is {@code [outer, inner]}. Numbers are decimal
 * strings, MACs lower-case with colons, addresses as {@link TsharkFields} normalizes tshark's.
 */
final class DecodedFields {
    private final MemorySegment f;
    private final ParsedPacket p = new ParsedPacket();
    private final Map<String, List<String>> values = new LinkedHashMap<>();
    private final StringJoiner protocols = new StringJoiner(":");

    private DecodedFields(MemorySegment frame) {
        this.f = frame;
    }

    /** The fields of {@code frame}, by tshark field name. */
    static Map<String, List<String>> of(byte[] frame) {
        DecodedFields d = new DecodedFields(MemorySegment.ofArray(frame));
        d.decode();
        return d.values;
    }

    /**
     * True when the frame holds a Segment Routing Header (routing type 4) too short for the
     * segment list its Last Entry announces (RFC 8754 section 2). Such a header is malformed, and
     * tshark stops dissecting there, while our parser, which only locates layers, steps over it
     * by its length: the two cannot be compared past it, so the corpus leaves such frames out.
     */
    private void add(String field, String value) {
        values.computeIfAbsent(field, k -> new ArrayList<>()).add(value);
    }

    private void add(String field, long value) {
        add(field, Long.toString(value));
    }

    private void add(String field, boolean value) {
        add(field, value ? 1 : 0);
    }

    private static String mac(long mac) {
        return NetBytes.macToString(mac);
    }

    private void decode() {
        PacketParser.parse(f, p);
        if (!p.isWellFormed()) {
            add("_ws.malformed", TsharkFields.PRESENT);
        }
        ethernet(0, p.vlanCount() == 0 ? p.etherType() : p.vlanTpid(0));
        for (int i = 0; i < p.vlanCount(); i++) {
            int tci = p.vlanTci(i);
            boolean serviceTag = p.vlanTpid(i) == EtherTypes.QINQ; // tshark's ieee8021ad; 0x8100 and 0x9100 are its vlan
            String proto = serviceTag ? "ieee8021ad" : "vlan";
            protocols.add(proto);
            add(proto + ".priority", tci >>> 13);
            add(proto + ".dei", (tci >>> 12) & 1);
            add(proto + ".id", tci & 0xFFF);
            if (!serviceTag) {
                add("vlan.etype", i + 1 < p.vlanCount() ? p.vlanTpid(i + 1) : p.etherType());
            }
        }
        switch (p.etherType()) {
            case EtherTypes.ARP -> arp(p.l3Offset());
            case EtherTypes.IPV4, EtherTypes.IPV6 -> ip(p.outer(), 0);
            default -> { }
        }
        values.put("frame.protocols", List.of(protocols.toString()));
    }

    /** {@code type}: the EtherType or first TPID, as the parser saw it (the view reads inner Ethernet's). */
    private void ethernet(int at, int type) {
        EthernetHeader eth = new EthernetHeader().wrap(f, at);
        protocols.add("eth");
        add("eth.dst", mac(eth.dst()));
        add("eth.src", mac(eth.src()));
        add("eth.type", type);
    }

    private void arp(int at) {
        ArpPacket arp = new ArpPacket().wrap(f, at);
        protocols.add("arp");
        add("arp.hw.type", arp.hardwareType());
        add("arp.proto.type", arp.protocolType());
        add("arp.hw.size", arp.hardwareLength());
        add("arp.proto.size", arp.protocolLength());
        add("arp.opcode", arp.operation());
        add("arp.src.hw_mac", mac(arp.senderMac()));
        add("arp.src.proto_ipv4", IpAddresses.ipv4ToString(arp.senderIp()));
        add("arp.dst.hw_mac", mac(arp.targetMac()));
        add("arp.dst.proto_ipv4", IpAddresses.ipv4ToString(arp.targetIp()));
    }

    private void ip(IpLayers ip, int shift) {
        if (ip.key().ipVersion() == 4) {
            ipv4(ip);
        } else {
            ipv6(ip);
        }
        if (!ip.isLaterFragment()) {
            transport(ip, shift);
        }
    }

    private void ipv4(IpLayers ip) {
        Ipv4Header h = new Ipv4Header().wrap(f, ip.l3Offset());
        FlowKey key = ip.key();
        protocols.add("ip");
        add("ip.version", h.version());
        add("ip.hdr_len", h.headerLength());
        add("ip.dsfield", ip.trafficClass());
        add("ip.dsfield.dscp", ip.dscp());
        add("ip.dsfield.ecn", ip.trafficClass() & 3);
        add("ip.len", ip.l3End() - ip.l3Offset());
        add("ip.id", h.identification());
        add("ip.flags.df", (ip.fragmentFlags() & IpLayers.FRAG_DONT_FRAGMENT) != 0);
        add("ip.flags.mf", (ip.fragmentFlags() & IpLayers.FRAG_MORE) != 0);
        add("ip.frag_offset", ip.fragmentOffset() >>> 3); // tshark shows 8-byte units
        add("ip.ttl", ip.hopLimit());
        add("ip.proto", key.protocol());
        add("ip.checksum", h.checksum());
        add("ip.checksum.status", h.checksumValid());
        add("ip.src", IpAddresses.ipv4ToString(key.srcIpv4()));
        add("ip.dst", IpAddresses.ipv4ToString(key.dstIpv4()));
    }

    private void ipv6(IpLayers ip) {
        Ipv6Header h = new Ipv6Header().wrap(f, ip.l3Offset());
        FlowKey key = ip.key();
        protocols.add("ipv6");
        add("ip.version", h.version()); // tshark's IPv6 shows the version under both names
        add("ipv6.version", h.version());
        add("ipv6.tclass", ip.trafficClass());
        add("ipv6.tclass.dscp", ip.dscp());
        add("ipv6.tclass.ecn", ip.trafficClass() & 3);
        add("ipv6.flow", h.flowLabel());
        add("ipv6.plen", h.payloadLength());
        add("ipv6.nxt", h.nextHeader());
        add("ipv6.hlim", ip.hopLimit());
        add("ipv6.src", IpAddresses.ipv6ToString(key.srcHi(), key.srcLo()));
        add("ipv6.dst", IpAddresses.ipv6ToString(key.dstHi(), key.dstLo()));
        int type = h.nextHeader();
        // Walk to where the parser says the upper layer starts; the last header's next-header
        // value is the parser's protocol, so a wrong l4Offset or protocol shows as a mismatch.
        for (int at = ip.l3Offset() + Ipv6Header.LENGTH; at < ip.l4Offset(); ) {
            Ipv6ExtensionHeader x = new Ipv6ExtensionHeader().wrap(f, at);
            int length = x.length(type);
            int next = at + length >= ip.l4Offset() ? key.protocol() : x.nextHeader();
            switch (type) {
                case IpProtocols.HOP_BY_HOP -> options("ipv6.hopopts", next, at);
                case IpProtocols.DESTINATION_OPTIONS -> options("ipv6.dstopts", next, at);
                case IpProtocols.ROUTING -> {
                    options("ipv6.routing", next, at);
                    add("ipv6.routing.type", x.routingType());
                    add("ipv6.routing.segleft", x.segmentsLeft());
                }
                case IpProtocols.FRAGMENT -> {
                    protocols.add("ipv6.fraghdr");
                    add("ipv6.fraghdr.nxt", next);
                    add("ipv6.fraghdr.offset", ip.fragmentOffset() >>> 3);
                    add("ipv6.fraghdr.more", (ip.fragmentFlags() & IpLayers.FRAG_MORE) != 0);
                    add("ipv6.fraghdr.ident", Integer.toUnsignedLong(x.fragmentId()));
                }
                default -> throw new IllegalStateException("the cross-check does not model IPv6 extension header " + type);
            }
            type = x.nextHeader();
            at += length;
        }
    }

    private void options(String proto, int next, int at) {
        protocols.add(proto);
        add(proto + ".nxt", next);
        add(proto + ".len", NetBytes.u8(f, at + 1));
    }

    private void transport(IpLayers ip, int shift) {
        FlowKey key = ip.key();
        int l4 = ip.l4Offset();
        String checksum = checksumStatus(ip);
        if (p.has(Layer.UDP << shift)) {
            UdpHeader udp = new UdpHeader().wrap(f, l4);
            protocols.add("udp");
            add("udp.srcport", key.srcPort());
            add("udp.dstport", key.dstPort());
            add("udp.length", udp.length());
            add("udp.checksum", udp.checksum());
            add("udp.checksum.status", checksum);
            if (shift == 0 && p.has(Layer.GTPU)) {
                gtpu();
            } else if (shift == 0 && p.has(Layer.VXLAN)) {
                vxlan();
            }
        } else if (p.has(Layer.TCP << shift)) {
            tcp(ip, new TcpHeader().wrap(f, l4), checksum);
        } else if (p.has(Layer.ICMPV4 << shift)) {
            IcmpHeader icmp = new IcmpHeader().wrap(f, l4);
            protocols.add("icmp");
            add("icmp.type", ip.icmpType());
            add("icmp.code", ip.icmpCode());
            add("icmp.checksum", icmp.checksum());
            add("icmp.checksum.status", checksum);
            if (ip.icmpType() == IcmpHeader.ECHO_REQUEST || ip.icmpType() == IcmpHeader.ECHO_REPLY) {
                add("icmp.ident", icmp.identifier());
                add("icmp.seq", icmp.sequence());
            }
        } else if (p.has(Layer.ICMPV6 << shift)) {
            icmpv6(ip, new Icmpv6Header().wrap(f, l4), checksum);
        }
    }

    /**
     * tshark's checksum status: 0 bad, 1 good, 2 unverified, 3 not present. tshark leaves a
     * fragment unverified, the datagram not being all there. It keeps that as one flag per frame,
     * which each IPv4 header sets to its own state and an IPv6 fragment header only sets: a packet
     * tunnelled in a fragment stays unverified unless its own header is IPv4.
     */
    private String checksumStatus(IpLayers ip) {
        boolean fragment = (ip.fragmentFlags() & IpLayers.FRAG_IS_FRAGMENT) != 0;
        boolean inIpv6Fragment = ip != p.outer() && ip.key().ipVersion() == 6
                && (p.outer().fragmentFlags() & IpLayers.FRAG_IS_FRAGMENT) != 0;
        if (fragment || inIpv6Fragment) {
            return "2";
        }
        int stored = NetBytes.u16(f, ip.l4Offset() + Checksums.checksumField(ip.key().protocol()));
        if (stored == 0 && ip.key().protocol() == IpProtocols.UDP && ip.key().ipVersion() == 4) {
            return "3"; // not present: UDP over IPv4 may go without (RFC 768)
        }
        int expected = ip.key().ipVersion() == 4
                ? Checksums.ipv4Transport(f, ip.l3Offset())
                : Checksums.ipv6Transport(f, ip.l3Offset(), ip.l4Offset(), ip.key().protocol());
        return (expected == 0xFFFF ? 0 : expected) == (stored == 0xFFFF ? 0 : stored) ? "1" : "0";
    }

    private void tcp(IpLayers ip, TcpHeader tcp, String checksum) {
        protocols.add("tcp");
        add("tcp.srcport", ip.key().srcPort());
        add("tcp.dstport", ip.key().dstPort());
        add("tcp.seq_raw", Integer.toUnsignedLong(tcp.sequence()));
        add("tcp.ack_raw", Integer.toUnsignedLong(tcp.acknowledgment()));
        add("tcp.hdr_len", tcp.headerLength());
        add("tcp.flags", ip.tcpFlags());
        add("tcp.window_size_value", tcp.window());
        add("tcp.checksum", tcp.checksum());
        add("tcp.checksum.status", checksum);
        add("tcp.urgent_pointer", tcp.urgentPointer());
        if (tcp.mss() >= 0) {
            add("tcp.options.mss_val", tcp.mss());
        }
        if (tcp.windowScale() >= 0) {
            add("tcp.options.wscale.shift", tcp.windowScale());
        }
        if (tcp.sackPermitted()) {
            add("tcp.options.sack_perm", TsharkFields.PRESENT);
        }
        if (tcp.hasTimestamps()) {
            add("tcp.options.timestamp.tsval", Integer.toUnsignedLong(tcp.timestampValue()));
            add("tcp.options.timestamp.tsecr", Integer.toUnsignedLong(tcp.timestampEcho()));
        }
    }

    private void icmpv6(IpLayers ip, Icmpv6Header icmp, String checksum) {
        int type = ip.icmpType();
        protocols.add("icmpv6");
        add("icmpv6.type", type);
        add("icmpv6.code", ip.icmpCode());
        add("icmpv6.checksum", icmp.checksum());
        add("icmpv6.checksum.status", checksum);
        switch (type) {
            case Icmpv6Header.ECHO_REQUEST, Icmpv6Header.ECHO_REPLY -> {
                add("icmpv6.echo.identifier", icmp.echoIdentifier());
                add("icmpv6.echo.sequence_number", icmp.echoSequence());
            }
            case Icmpv6Header.NEIGHBOR_SOLICITATION ->
                    add("icmpv6.nd.ns.target_address", IpAddresses.ipv6ToString(icmp.targetHi(), icmp.targetLo()));
            case Icmpv6Header.NEIGHBOR_ADVERTISEMENT -> {
                int flags = icmp.advertisementFlags();
                add("icmpv6.nd.na.flag.r", (flags & Icmpv6Header.NA_FLAG_ROUTER) != 0);
                add("icmpv6.nd.na.flag.s", (flags & Icmpv6Header.NA_FLAG_SOLICITED) != 0);
                add("icmpv6.nd.na.flag.o", (flags & Icmpv6Header.NA_FLAG_OVERRIDE) != 0);
                add("icmpv6.nd.na.target_address", IpAddresses.ipv6ToString(icmp.targetHi(), icmp.targetLo()));
            }
            default -> { }
        }
        if (Icmpv6Header.isNeighbourDiscovery(type)) {
            int length = ip.l3End() - ip.l4Offset();
            for (int at = Icmpv6Header.fixedLength(type); at < length; at += NetBytes.u8(f, ip.l4Offset() + at + 1) << 3) {
                int option = NetBytes.u8(f, ip.l4Offset() + at);
                add("icmpv6.opt.type", option);
                if (option == Icmpv6Header.OPTION_SOURCE_LINK_ADDRESS || option == Icmpv6Header.OPTION_TARGET_LINK_ADDRESS) {
                    add("icmpv6.opt.linkaddr", mac(icmp.linkAddressOption(at)));
                }
            }
        }
    }

    private void gtpu() {
        GtpuHeader gtp = new GtpuHeader().wrap(f, p.tunnelOffset());
        int flags = p.gtpFlags();
        protocols.add("gtp");
        add("gtp.flags", flags);
        add("gtp.flags.version", flags >>> 5);
        add("gtp.flags.payload", (flags >>> 4) & 1);
        add("gtp.flags.e", (flags & GtpuHeader.FLAG_E) != 0);
        add("gtp.flags.s", (flags & GtpuHeader.FLAG_S) != 0);
        add("gtp.flags.pn", (flags & GtpuHeader.FLAG_PN) != 0);
        add("gtp.message", p.gtpMessageType());
        add("gtp.length", gtp.length());
        add("gtp.teid", Integer.toUnsignedLong(p.teid()));
        if (p.gtpSequence() >= 0) {
            add("gtp.seq_number", p.gtpSequence());
        }
        if ((flags & GtpuHeader.FLAG_PN) != 0) {
            add("gtp.npdu_number", gtp.npduNumber());
        }
        if ((flags & GtpuHeader.FLAG_E) != 0) {
            int next = gtp.firstExtensionType();
            add("gtp.ext_hdr.next", next);
            for (int at = GtpuHeader.LENGTH + GtpuHeader.OPTIONAL_LENGTH; next != 0; ) {
                int units = NetBytes.u8(f, p.tunnelOffset() + at);
                add("gtp.ext_hdr.length", units);
                if (next == GtpuHeader.EXT_PDU_SESSION_CONTAINER) {
                    add("gtp.ext_hdr.pdu_ses_con.pdu_type", p.pduType());
                    add("gtp.ext_hdr.pdu_ses_con.qos_flow_id", p.qfi());
                }
                at += units * 4;
                next = NetBytes.u8(f, p.tunnelOffset() + at - 1);
                add("gtp.ext_hdr.next", next);
            }
        }
        if (p.has(Layer.INNER_IPV4 | Layer.INNER_IPV6)) {
            ip(p.inner(), Layer.INNER_SHIFT);
        }
    }

    private void vxlan() {
        protocols.add("vxlan");
        add("vxlan.flags", NetBytes.u16(f, p.tunnelOffset()));
        add("vxlan.vni", p.vni());
        int innerType = new EthernetHeader().wrap(f, p.innerL2Offset()).typeOrTpid();
        ethernet(p.innerL2Offset(), innerType);
        if (p.has(Layer.INNER_IPV4 | Layer.INNER_IPV6)) {
            ip(p.inner(), Layer.INNER_SHIFT);
        } else if (p.has(Layer.INNER_ARP)) {
            arp(p.inner().l3Offset());
        }
    }
}
