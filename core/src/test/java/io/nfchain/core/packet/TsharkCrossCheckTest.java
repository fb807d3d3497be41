package io.nfchain.core.packet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nfchain.core.pcap.PacketFileFormat;
import io.nfchain.core.pcap.PacketFileWriter;
import io.nfchain.core.pcap.PacketWriterOptions;
import io.nfchain.core.testing.HostTools;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The cross-check against an independent decoder: a corpus written by our writers (every
 * protocol nfchain parses, random field values) goes into one pcap, tshark decodes it, and every
 * field of every frame must agree with what our parser and header views read.
 */
class TsharkCrossCheckTest {
    private static final long SEED = 0x7A5C_C0DEL;
    private static final int RANDOM_FRAMES = 3000;
    private static final long MAC_A = 0x02_00_00_00_00_01L;
    private static final long MAC_B = 0x0A_1B_2C_3D_4E_5FL;
    private static final int IP_A = IpAddresses.parseIpv4("10.1.2.3");
    private static final int IP_B = IpAddresses.parseIpv4("192.0.2.200");
    private static final int UE = IpAddresses.parseIpv4("100.64.0.7");
    private static final long[] IP6_A = IpAddresses.parseIpv6("2001:db8::1");
    private static final long[] IP6_B = IpAddresses.parseIpv6("2001:db8:0:1::a:2");
    private static final long[] IP6_UE = IpAddresses.parseIpv6("fd00::ffff:0:1");

    /** Fields tshark must show at least once, so that every protocol and feature of the issue is in the corpus. */
    private static final List<String> MUST_APPEAR = List.of(
            "vlan.id", "ieee8021ad.id", "arp.opcode", "ip.flags.mf", "ip.frag_offset", "ipv6.hopopts.nxt",
            "ipv6.routing.type", "ipv6.fraghdr.ident", "ipv6.dstopts.nxt", "icmp.ident", "icmpv6.echo.identifier",
            "icmpv6.nd.ns.target_address", "icmpv6.nd.na.target_address", "icmpv6.opt.linkaddr", "udp.length",
            "tcp.options.mss_val", "tcp.options.wscale.shift", "tcp.options.sack_perm", "tcp.options.timestamp.tsval",
            "gtp.seq_number", "gtp.ext_hdr.length", "gtp.ext_hdr.pdu_ses_con.qos_flow_id",
            "gtp.ext_hdr.pdu_ses_con.pdu_type", "vxlan.vni");

    @TempDir
    Path dir;

    @Test
    void everyFieldOfEveryFrameAgreesWithTshark() throws Exception {
        HostTools.requireProgram("tshark");
        List<byte[]> frames = new ArrayList<>(explicitFrames());
        int wanted = frames.size() + RANDOM_FRAMES;
        RandomFrames random = new RandomFrames(SEED);
        while (frames.size() < wanted) {
            frames.add(random.next());
        }
        Path pcap = dir.resolve("corpus.pcap");
        try (PacketFileWriter writer = PacketFileWriter.create(pcap, PacketFileFormat.PCAP, PacketWriterOptions.DEFAULT)) {
            for (int i = 0; i < frames.size(); i++) {
                writer.write(1_700_000_000_000_000_000L + i * 1_000L, MemorySegment.ofArray(frames.get(i)));
            }
        }

        long start = System.nanoTime();
        List<TsharkFields.Frame> tshark = TsharkFields.decode(pcap, dir);
        TsharkFields.Agreement agreement = TsharkFields.assertAgree(frames, tshark);

        Map<String, Integer> seen = new TreeMap<>();
        for (TsharkFields.Frame frame : tshark) {
            frame.values().forEach((field, values) -> seen.merge(field, values.size(), Integer::sum));
        }
        List<String> missing = MUST_APPEAR.stream().filter(field -> !seen.containsKey(field)).toList();
        assertTrue(missing.isEmpty(), "the corpus never shows " + missing);
        assertEquals(List.of("0", "1"), distinct(tshark, "gtp.ext_hdr.pdu_ses_con.pdu_type"));
        assertTrue(distinct(tshark, "vlan.etype").contains(Integer.toString(EtherTypes.VLAN)), "a QinQ inner tag");
        assertTrue(tshark.stream().anyMatch(f -> f.get("gtp.ext_hdr.length").size() >= 2), "a GTP-U extension chain");
        assertTrue(tshark.stream().anyMatch(f -> f.get("ip.hdr_len").stream().anyMatch(l -> !l.equals("20"))), "IPv4 options");
        System.out.printf("tshark cross-check: %d frames (%d random), %d fields and %d values agree, %d ms%n",
                agreement.packets(), RANDOM_FRAMES, agreement.fieldsCompared(), agreement.valuesCompared(),
                (System.nanoTime() - start) / 1_000_000);
    }

    private static List<String> distinct(List<TsharkFields.Frame> frames, String field) {
        return frames.stream().flatMap(f -> f.get(field).stream()).distinct().sorted().toList();
    }

    private static PacketBuilder eth() {
        return new PacketBuilder().ethernet(MAC_B, MAC_A);
    }

    private static PacketBuilder ipv6(PacketBuilder b, long[] src, long[] dst) {
        return b.ipv6(src[0], src[1], dst[0], dst[1]);
    }

    /** One frame of each protocol and feature the issue names, with field values a random corpus rarely hits. */
    static List<byte[]> explicitFrames() {
        List<byte[]> frames = new ArrayList<>();
        // Ethernet II, 802.1Q with PCP and DEI, QinQ with both S-tag TPIDs; ARP request and reply
        frames.add(eth().ipv4(IP_A, IP_B).udp(53, 33000).payload(12).toBytes());
        frames.add(eth().vlan(EtherTypes.VLAN, 7, true, 4094).ipv4(IP_A, IP_B).udp(1, 65535).payload(0).padTo(60).toBytes());
        frames.add(withoutUdpChecksum(eth().ipv4(IP_A, IP_B).udp(33333, 4000).payload(20).toBytes())); // as Linux VXLAN sends
        frames.add(eth().vlan(EtherTypes.QINQ, 5, true, 1).vlan(EtherTypes.VLAN, 3, false, 100)
                .arp(ArpPacket.OP_REQUEST, MAC_A, IP_A, 0, IP_B).padTo(60).toBytes());
        frames.add(eth().vlan(EtherTypes.QINQ_LEGACY, 2, false, 300).vlan(EtherTypes.VLAN, 6, false, 4000)
                .arp(ArpPacket.OP_REPLY, MAC_B, IP_B, MAC_A, IP_A).padTo(60).toBytes());
        // IPv4 options (router alert; record route with one free slot), DSCP/ECN, fragments
        frames.add(eth().ipv4(IP_A, IP_B).ipv4Fields(0xB9, 1, 0xFFFF, Ipv4Header.FLAG_DONT_FRAGMENT,
                new byte[] {(byte) 148, 4, 0, 0, 7, 7, 4, 0, 0, 0, 0, 0}).udp(5000, 5001).payload(3).toBytes());
        frames.add(eth().ipv4(IP_A, IP_B).ipv4Fields(0, 255, 4242, Ipv4Header.FLAG_MORE_FRAGMENTS, new byte[0])
                .udp(5000, 5001).payload(64).toBytes());
        frames.add(withIpv4Protocol(eth().ipv4(IP_A, IP_B).ipv4Fields(0, 64, 4242, Ipv4Header.FLAG_MORE_FRAGMENTS | 9, new byte[0])
                .payload(72).toBytes(), IpProtocols.UDP));
        frames.add(withIpv4Protocol(eth().ipv4(IP_A, IP_B).ipv4Fields(0, 64, 4242, 18, new byte[0])
                .payload(5).padTo(60).toBytes(), IpProtocols.UDP));
        // IPv6 with every extension header, in RFC 8200's order, as a first fragment; a later fragment
        frames.add(ipv6(eth(), IP6_A, IP6_B).ipv6Fields(0xFF, 0xFFFFF, 255).ipv6Options(IpProtocols.HOP_BY_HOP, 16)
                .ipv6Options(IpProtocols.DESTINATION_OPTIONS, 8).ipv6Routing(24, 4, 0).ipv6Fragment(0, true, 0xFEDCBA98)
                .ipv6Options(IpProtocols.DESTINATION_OPTIONS, 24).tcp(443, 50000).payload(10).toBytes());
        frames.add(ipv6(eth(), IP6_A, IP6_B).ipv6Fragment(1448, false, 0x12345678).payload(30).toBytes());
        // Segment Routing with a segment left: the checksum's pseudo-header uses Segment List[0] (RFC 8200 8.1)
        frames.add(ipv6(eth(), IP6_A, IP6_B).ipv6Routing(40, 4, 1).udp(7, 9).payload(8).toBytes());
        frames.add(ipv6(eth(), IP6_A, IP6_B).ipv6Routing(40, 4, 1).tcp(7, 9).payload(8).toBytes());
        // ICMPv4 and ICMPv6 echo; neighbour solicitation and advertisement with link-layer options
        frames.add(eth().ipv4(IP_A, IP_B).icmp(IcmpHeader.ECHO_REQUEST, 0, 0xBEEF_0001).payload(56).toBytes());
        frames.add(eth().ipv4(IP_B, IP_A).icmp(IcmpHeader.ECHO_REPLY, 0, 0xBEEF_0001).payload(56).toBytes());
        frames.add(ipv6(eth(), IP6_A, IP6_B).icmpv6(Icmpv6Header.ECHO_REQUEST, 0, 0x0001_FFFF).payload(8).toBytes());
        frames.add(ipv6(eth(), IP6_B, IP6_A).icmpv6(Icmpv6Header.ECHO_REPLY, 0, 0x0001_FFFF).payload(8).toBytes());
        frames.add(ipv6(eth(), IP6_A, IpAddresses.parseIpv6("ff02::1:ff0a:2")).ipv6Fields(0, 0, 255)
                .neighbourDiscovery(Icmpv6Header.NEIGHBOR_SOLICITATION, 0, IP6_B[0], IP6_B[1], MAC_A).toBytes());
        frames.add(ipv6(eth(), IP6_B, IP6_A).ipv6Fields(0, 0, 255).neighbourDiscovery(Icmpv6Header.NEIGHBOR_ADVERTISEMENT,
                Icmpv6Header.NA_FLAG_ROUTER | Icmpv6Header.NA_FLAG_SOLICITED | Icmpv6Header.NA_FLAG_OVERRIDE,
                IP6_B[0], IP6_B[1], MAC_B).toBytes());
        // TCP: a Linux-style handshake with options, then data without options
        frames.add(eth().ipv4(IP_A, IP_B).tcp(40000, 443, 0xFFFF_FFFF, 0, TcpHeader.SYN, 64240, true).payload(0).toBytes());
        frames.add(eth().ipv4(IP_B, IP_A).tcp(443, 40000, 77, 0, TcpHeader.SYN | TcpHeader.ACK, 65160, true).payload(0).toBytes());
        frames.add(eth().ipv4(IP_A, IP_B).tcp(40000, 443, 0, 78, TcpHeader.PSH | TcpHeader.ACK | 0x100, 502, false)
                .payload(100).toBytes());
        // GTP-U: S flag only; PDU Session Container (DL, UL); extension chains around it; echo; end marker; over IPv6
        frames.add(eth().vlan(200).ipv4(IP_A, IP_B).udp(2152, 2152).gtpu(1).gtpuSequence(0xFFFF)
                .ipv4(UE, IP_B).udp(1234, 53).payload(20).toBytes());
        frames.add(eth().ipv4(IP_A, IP_B).udp(40001, 2152).gtpu(0xFFFF_FFFF).pduSessionContainer(GtpuHeader.PDU_TYPE_DOWNLINK, 63)
                .ipv6(IP6_B[0], IP6_B[1], IP6_UE[0], IP6_UE[1]).tcp(443, 40000).payload(0).toBytes());
        frames.add(eth().ipv4(IP_A, IP_B).udp(2152, 2152).gtpu(0x01020304).gtpuSequence(9).gtpuExtension(0x40, 1)
                .pduSessionContainer(GtpuHeader.PDU_TYPE_UPLINK, 1).ipv4(UE, IP_B).tcp(40000, 80).payload(5).toBytes());
        frames.add(eth().ipv4(IP_A, IP_B).udp(2152, 2152).gtpu(0x0A0B0C0D).pduSessionContainer(GtpuHeader.PDU_TYPE_UPLINK, 5)
                .gtpuExtension(0x40, 1).ipv4(UE, IP_B).icmp(IcmpHeader.ECHO_REQUEST, 0, 0x00010002).payload(16).toBytes());
        frames.add(eth().ipv4(IP_A, IP_B).udp(2152, 2152).gtpu(GtpuHeader.ECHO_REQUEST, 0).gtpuSequence(17).toBytes());
        frames.add(eth().ipv4(IP_A, IP_B).udp(2152, 2152).gtpu(GtpuHeader.END_MARKER, 0x55667788).padTo(60).toBytes());
        frames.add(ipv6(eth(), IP6_A, IP6_B).udp(2152, 2152).gtpu(0x11).pduSessionContainer(GtpuHeader.PDU_TYPE_UPLINK, 9)
                .ipv6(IP6_UE[0], IP6_UE[1], IP6_A[0], IP6_A[1]).icmpv6(Icmpv6Header.ECHO_REQUEST, 0, 0x00070008).payload(4).toBytes());
        // VXLAN with IPv4 and IPv6 inner packets, over IPv4 and over IPv6
        frames.add(eth().ipv4(IP_A, IP_B).udp(49152, 4789).vxlan(0xFFFFFF).ethernet(MAC_A, MAC_B)
                .ipv4(UE, IP_B).tcp(40000, 22).payload(0).toBytes());
        frames.add(ipv6(eth(), IP6_A, IP6_B).udp(65000, 4789).vxlan(0).ethernet(MAC_B, MAC_A)
                .ipv6(IP6_UE[0], IP6_UE[1], IP6_B[0], IP6_B[1]).udp(4000, 4001).payload(9).toBytes());
        return frames;
    }

    /** UDP over IPv4 may go without a checksum: 0 in the field (RFC 768). */
    private static byte[] withoutUdpChecksum(byte[] frame) {
        new UdpHeader().wrap(MemorySegment.ofArray(frame), EthernetHeader.LENGTH + Ipv4Header.MIN_LENGTH).checksum(0);
        return frame;
    }

    /** A later fragment carries its datagram's protocol, which the builder cannot know; set it and re-sum. */
    private static byte[] withIpv4Protocol(byte[] frame, int protocol) {
        new Ipv4Header().wrap(MemorySegment.ofArray(frame), EthernetHeader.LENGTH).protocol(protocol).updateChecksum();
        return frame;
    }
}
