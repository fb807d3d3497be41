package io.nfchain.core.packet;

import static io.nfchain.core.packet.Packets.IP6_A;
import static io.nfchain.core.packet.Packets.IP6_B;
import static io.nfchain.core.packet.Packets.IP_A;
import static io.nfchain.core.packet.Packets.IP_B;
import static io.nfchain.core.packet.Packets.MAC_A;
import static io.nfchain.core.packet.Packets.MAC_B;
import static io.nfchain.core.packet.Packets.eth;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.List;
import org.junit.jupiter.api.Test;

class PacketParserTest {
    private final ParsedPacket p = new ParsedPacket();

    private ParsedPacket parse(byte[] frame) {
        PacketParser.parse(MemorySegment.ofArray(frame), p);
        return p;
    }

    @Test
    void ipv4UdpOffsetsAndTuple() {
        parse(Packets.ipv4Udp());
        assertEquals(ParseStatus.OK, p.status());
        assertEquals(List.of("eth", "ipv4", "udp"), Layer.names(p.layers()));
        assertEquals(EtherTypes.IPV4, p.etherType());
        assertEquals(14, p.outer().l3Offset());
        assertEquals(34, p.outer().l4Offset());
        assertEquals(42, p.outer().payloadOffset());
        assertEquals(60, p.outer().l3End());
        FlowKey k = p.outer().key();
        assertEquals(4, k.ipVersion());
        assertEquals("10.0.0.1", k.srcAddressString());
        assertEquals("10.0.0.2", k.dstAddressString());
        assertEquals(17, k.protocol());
        assertEquals(1234, k.srcPort());
        assertEquals(5678, k.dstPort());
        assertEquals(64, p.outer().hopLimit());
        assertEquals(-1, p.inner().l3Offset());
    }

    @Test
    void parsesAtAnOffsetInANativeSegment() {
        byte[] frame = Packets.ipv6Tcp();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment buffer = arena.allocate(4096);
            MemorySegment.copy(MemorySegment.ofArray(frame), 0, buffer, 1000, frame.length);
            assertTrue(PacketParser.parse(buffer, 1000, frame.length, p));
        }
        assertEquals(List.of("eth", "ipv6", "tcp"), Layer.names(p.layers()));
        assertEquals(14, p.outer().l3Offset());
        assertEquals(54, p.outer().l4Offset());
        assertEquals(94, p.outer().payloadOffset());
        assertEquals("2001:db8::1", p.outer().key().srcAddressString());
        assertEquals(443, p.outer().key().dstPort());
        assertEquals(TcpHeader.SYN, p.outer().tcpFlags());
    }

    @Test
    void gtpuInnerTupleTeidAndQfi() {
        parse(Packets.gtpu());
        assertEquals(ParseStatus.OK, p.status());
        assertEquals(List.of("eth", "ipv4", "udp", "gtpu", "inner_ipv4", "inner_tcp"), Layer.names(p.layers()));
        assertEquals(42, p.tunnelOffset());
        assertEquals(0x12345678, p.teid());
        assertEquals(9, p.qfi());
        assertEquals(GtpuHeader.PDU_TYPE_UPLINK, p.pduType());
        assertEquals(GtpuHeader.G_PDU, p.gtpMessageType());
        assertEquals(42 + 16, p.inner().l3Offset());
        assertEquals("100.64.0.7", p.inner().key().srcAddressString());
        assertEquals("8.8.8.8", p.inner().key().dstAddressString());
        assertEquals(40000, p.inner().key().srcPort());
        assertEquals(443, p.inner().key().dstPort());
        assertEquals(2152, p.outer().key().dstPort());
    }

    @Test
    void gtpuWithSequenceAndSeveralExtensions() {
        byte[] frame = eth().ipv4(IP_A, IP_B).udp(2152, 2152).gtpu(7).gtpuSequence(513)
                .gtpuExtension(0x40, 2).pduSessionContainer(GtpuHeader.PDU_TYPE_DOWNLINK, 63)
                .ipv6(IP6_A[0], IP6_A[1], IP6_B[0], IP6_B[1]).udp(53, 5353).payload(3).toBytes();
        parse(frame);
        assertEquals(ParseStatus.OK, p.status());
        assertEquals(513, p.gtpSequence());
        assertEquals(63, p.qfi());
        assertEquals(0, p.pduType());
        assertEquals(42 + 12 + 8 + 4, p.inner().l3Offset());
        assertEquals(6, p.inner().key().ipVersion());
        assertEquals(5353, p.inner().key().dstPort());
    }

    @Test
    void gtpuEchoHasNoInnerPacket() {
        parse(eth().ipv4(IP_A, IP_B).udp(2152, 2152).gtpu(GtpuHeader.ECHO_REQUEST, 0).gtpuSequence(1).toBytes());
        assertEquals(ParseStatus.OK, p.status());
        assertEquals(GtpuHeader.ECHO_REQUEST, p.gtpMessageType());
        assertEquals(-1, p.inner().l3Offset());
    }

    @Test
    void vlanAndQinq() {
        parse(eth().vlan(EtherTypes.QINQ, 5, true, 300).vlan(EtherTypes.VLAN, 3, false, 42).ipv4(IP_A, IP_B).udp(1, 2).toBytes());
        assertEquals(ParseStatus.OK, p.status());
        assertEquals(2, p.vlanCount());
        assertEquals(EtherTypes.QINQ, p.vlanTpid(0));
        assertEquals(300, p.vlanId(0));
        assertEquals(5, p.vlanTci(0) >>> 13);
        assertEquals(42, p.vlanId(1));
        assertEquals(22, p.outer().l3Offset());
        assertEquals(List.of("eth", "vlan", "qinq", "ipv4", "udp"), Layer.names(p.layers()));
    }

    @Test
    void arp() {
        parse(eth().arp(ArpPacket.OP_REQUEST, MAC_A, IP_A, 0, IP_B).padTo(60).toBytes());
        assertEquals(ParseStatus.OK, p.status());
        assertEquals(List.of("eth", "arp"), Layer.names(p.layers()));
        ArpPacket arp = new ArpPacket().wrap(MemorySegment.ofArray(eth().arp(2, MAC_B, IP_B, MAC_A, IP_A).toBytes()), 14);
        assertTrue(arp.isEthernetIpv4());
        assertEquals(2, arp.operation());
        assertEquals(MAC_B, arp.senderMac());
        assertEquals(IP_A, arp.targetIp());
    }

    @Test
    void ethernetPaddingIsNotPartOfTheIpPacket() {
        byte[] frame = eth().ipv4(IP_A, IP_B).icmp(IcmpHeader.ECHO_REQUEST, 0, 0x00010002).padTo(60).toBytes();
        parse(frame);
        assertEquals(ParseStatus.OK, p.status());
        assertEquals(60, p.length());
        assertEquals(14 + 28, p.outer().l3End());
        assertEquals(8, p.outer().icmpType());
    }

    @Test
    void ipv6ExtensionHeadersAreWalked() {
        parse(Packets.ipv6(eth()).ipv6Options(IpProtocols.HOP_BY_HOP, 8).ipv6Routing(24, 4, 1)
                .ipv6Options(IpProtocols.DESTINATION_OPTIONS, 16).udp(7, 9).payload(4).toBytes());
        assertEquals(ParseStatus.OK, p.status());
        assertEquals(14 + 40 + 8 + 24 + 16, p.outer().l4Offset());
        assertEquals(17, p.outer().key().protocol());
        assertEquals(9, p.outer().key().dstPort());
        assertTrue(p.has(Layer.IPV6_EXT));
    }

    @Test
    void ipv6LaterFragmentHasNoPorts() {
        parse(Packets.ipv6(eth()).ipv6Fragment(1448, false, 77).udp(7, 9).toBytes());
        assertEquals(ParseStatus.OK, p.status());
        assertTrue(p.outer().isLaterFragment());
        assertEquals(1448, p.outer().fragmentOffset());
        assertEquals(0, p.outer().key().srcPort());
        assertFalse(p.has(Layer.UDP));
        parse(Packets.ipv6(eth()).ipv6Fragment(0, true, 77).udp(7, 9).toBytes());
        assertTrue(p.has(Layer.UDP));
        assertEquals(IpLayers.FRAG_IS_FRAGMENT | IpLayers.FRAG_MORE, p.outer().fragmentFlags());
        assertEquals(9, p.outer().key().dstPort());
    }

    @Test
    void ipv4FragmentsAndOptions() {
        byte[] options = {(byte) 0x94, 4, 0, 0}; // router alert
        parse(eth().ipv4(IP_A, IP_B).ipv4Fields(0xB8, 3, 99, 0x2000 | 185, options).udp(1, 2).toBytes());
        assertEquals(ParseStatus.OK, p.status());
        assertEquals(1480, p.outer().fragmentOffset());
        assertFalse(p.has(Layer.UDP));
        assertEquals(46, p.outer().dscp());
        assertEquals(38, p.outer().l4Offset());
    }

    @Test
    void neighbourSolicitation() {
        parse(Packets.ipv6(eth()).ipv6Fields(0, 0, 255)
                .neighbourDiscovery(Icmpv6Header.NEIGHBOR_SOLICITATION, 0, IP6_B[0], IP6_B[1], MAC_A).toBytes());
        assertEquals(ParseStatus.OK, p.status());
        assertEquals(135, p.outer().icmpType());
        Icmpv6Header h = new Icmpv6Header().wrap(MemorySegment.ofArray(
                Packets.ipv6(eth()).neighbourDiscovery(136, 0xE0, IP6_B[0], IP6_B[1], MAC_B).toBytes()), 54);
        int option = h.findOption(Icmpv6Header.OPTION_TARGET_LINK_ADDRESS, 32);
        assertEquals(24, option);
        assertEquals(MAC_B, h.linkAddressOption(option));
        assertEquals(IP6_B[1], h.targetLo());
    }

    @Test
    void vxlanInnerFrame() {
        parse(eth().ipv4(IP_A, IP_B).udp(49152, 4789).vxlan(0xABCDE).ethernet(MAC_A, MAC_B)
                .ipv4(IP_B, IP_A).tcp(80, 1024, 5, 6, TcpHeader.ACK, 100, false).toBytes());
        assertEquals(ParseStatus.OK, p.status());
        assertEquals(0xABCDE, p.vni());
        assertEquals(50, p.innerL2Offset());
        assertEquals(64, p.inner().l3Offset());
        assertEquals(80, p.inner().key().srcPort());
        assertEquals(TcpHeader.ACK, p.inner().tcpFlags());
    }

    @Test
    void vxlanInnerArp() {
        parse(eth().ipv4(IP_A, IP_B).udp(49152, 4789).vxlan(7).ethernet(0xFFFF_FFFF_FFFFL, MAC_B)
                .arp(ArpPacket.OP_REQUEST, MAC_B, IP_B, 0, IP_A).toBytes());
        assertEquals(ParseStatus.OK, p.status());
        assertEquals(List.of("eth", "ipv4", "udp", "vxlan", "inner_eth", "inner_arp"), Layer.names(p.layers()));
        assertEquals(64, p.inner().l3Offset());
        assertEquals(0, p.inner().key().ipVersion());
    }

    @Test
    void unknownEtherTypeIsWellFormedAndStopsAtL2() {
        byte[] frame = eth().payload(46).toBytes();
        frame[12] = (byte) 0x88;
        frame[13] = (byte) 0xCC; // LLDP
        parse(frame);
        assertEquals(ParseStatus.OK, p.status());
        assertEquals(0x88CC, p.etherType());
        assertEquals(-1, p.outer().l3Offset());
    }

    @Test
    void resultsDoNotLeakFromOnePacketToTheNext() {
        parse(Packets.gtpu());
        parse(Packets.ipv4Udp());
        assertEquals(0, p.teid());
        assertEquals(ParsedPacket.TUNNEL_NONE, p.tunnelType());
        assertEquals(-1, p.qfi());
        assertEquals(-1, p.inner().l3Offset());
        assertEquals(0, p.inner().key().ipVersion());
    }
}
