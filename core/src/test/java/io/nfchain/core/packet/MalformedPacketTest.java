package io.nfchain.core.packet;

import static io.nfchain.core.packet.Packets.IP_A;
import static io.nfchain.core.packet.Packets.IP_B;
import static io.nfchain.core.packet.Packets.MAC_A;
import static io.nfchain.core.packet.Packets.eth;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** One hand-made frame per {@link ParseStatus}; a status without a frame here fails the suite. */
class MalformedPacketTest {
    private static final Set<ParseStatus> SEEN = EnumSet.noneOf(ParseStatus.class);
    private static final int L3 = 14;
    private static final int L4 = 34;

    private static byte[] patch(byte[] frame, Consumer<MemorySegment> change) {
        change.accept(MemorySegment.ofArray(frame));
        return frame;
    }

    private static void put8(MemorySegment s, int at, int v) {
        NetBytes.put8(s, at, v);
    }

    private static void put16(MemorySegment s, int at, int v) {
        NetBytes.put16(s, at, v);
    }

    /** IPv4 whose protocol byte says {@code protocol} over {@code bytes} of payload. */
    private static byte[] ipv4Carrying(int protocol, int bytes) {
        return patch(eth().ipv4(IP_A, IP_B).payload(bytes).toBytes(), s -> put8(s, L3 + 9, protocol));
    }

    private static byte[] gtpu() {
        return eth().ipv4(IP_A, IP_B).udp(2152, 2152).gtpu(1).pduSessionContainer(1, 5).ipv4(IP_B, IP_A).udp(1, 2).toBytes();
    }

    private static PacketBuilder gtpuWithExtensions(int n) {
        PacketBuilder b = eth().ipv4(IP_A, IP_B).udp(2152, 2152).gtpu(1);
        for (int i = 0; i < n; i++) {
            b.gtpuExtension(0x40, 1);
        }
        return b.ipv4(IP_B, IP_A).udp(1, 2);
    }

    private static final int GTP = L4 + 8;

    static Map<ParseStatus, byte[]> cases() {
        Map<ParseStatus, byte[]> m = new EnumMap<>(ParseStatus.class);
        byte[] udp = Packets.ipv4Udp();
        byte[] v6 = Packets.ipv6Tcp();
        m.put(ParseStatus.OK, udp);
        m.put(ParseStatus.ETHERNET_TRUNCATED, Arrays.copyOf(udp, 13));
        m.put(ParseStatus.VLAN_TRUNCATED, Arrays.copyOf(eth().vlan(5).ipv4(IP_A, IP_B).toBytes(), 17));
        m.put(ParseStatus.VLAN_TOO_MANY_TAGS, eth().vlan(EtherTypes.QINQ, 0, false, 1).vlan(2).vlan(3).ipv4(IP_A, IP_B).toBytes());
        m.put(ParseStatus.ARP_TRUNCATED, Arrays.copyOf(eth().arp(1, MAC_A, IP_A, 0, IP_B).toBytes(), 14 + 27));
        m.put(ParseStatus.IPV4_TRUNCATED, Arrays.copyOf(udp, L3 + 19));
        m.put(ParseStatus.IPV4_BAD_VERSION, patch(udp.clone(), s -> put8(s, L3, 0x55)));
        m.put(ParseStatus.IPV4_BAD_IHL, patch(udp.clone(), s -> put8(s, L3, 0x44)));
        m.put(ParseStatus.IPV4_OPTIONS_TRUNCATED, patch(udp.clone(), s -> put8(s, L3, 0x4F)));
        m.put(ParseStatus.IPV4_BAD_OPTION, eth().ipv4(IP_A, IP_B).ipv4Fields(0, 64, 1, 0, new byte[] {(byte) 0x94, 7, 0, 0}).udp(1, 2).toBytes());
        m.put(ParseStatus.IPV4_TOTAL_LENGTH_TOO_SMALL, patch(udp.clone(), s -> put16(s, L3 + 2, 19)));
        m.put(ParseStatus.IPV4_TOTAL_LENGTH_BEYOND_PACKET, patch(udp.clone(), s -> put16(s, L3 + 2, 47)));
        m.put(ParseStatus.IPV6_TRUNCATED, Arrays.copyOf(v6, L3 + 39));
        m.put(ParseStatus.IPV6_BAD_VERSION, patch(v6.clone(), s -> put8(s, L3, 0x40)));
        m.put(ParseStatus.IPV6_PAYLOAD_LENGTH_BEYOND_PACKET, patch(v6.clone(), s -> put16(s, L3 + 4, 41)));
        m.put(ParseStatus.IPV6_EXT_TRUNCATED, patch(Packets.ipv6(eth()).ipv6Options(0, 8).udp(1, 2).toBytes(), s -> put8(s, L3 + 41, 200)));
        m.put(ParseStatus.IPV6_HOP_BY_HOP_NOT_FIRST, Packets.ipv6(eth()).ipv6Options(60, 8).ipv6Options(0, 8).udp(1, 2).toBytes());
        PacketBuilder longChain = Packets.ipv6(eth());
        for (int i = 0; i <= PacketParser.MAX_CHAIN; i++) {
            longChain.ipv6Options(IpProtocols.DESTINATION_OPTIONS, 8);
        }
        m.put(ParseStatus.IPV6_EXT_CHAIN_TOO_LONG, longChain.udp(1, 2).toBytes());
        m.put(ParseStatus.ICMP_TRUNCATED, ipv4Carrying(IpProtocols.ICMP, 7));
        m.put(ParseStatus.ICMPV6_TRUNCATED, Packets.ipv6(eth()).icmpv6(Icmpv6Header.NEIGHBOR_SOLICITATION, 0, 0).toBytes());
        m.put(ParseStatus.ND_BAD_OPTION, patch(Packets.ipv6(eth()).neighbourDiscovery(135, 0, 1, 2, MAC_A).toBytes(), s -> put8(s, 54 + 24 + 1, 0)));
        m.put(ParseStatus.UDP_TRUNCATED, ipv4Carrying(IpProtocols.UDP, 7));
        m.put(ParseStatus.UDP_BAD_LENGTH, patch(udp.clone(), s -> put16(s, L4 + 4, 7)));
        m.put(ParseStatus.TCP_TRUNCATED, ipv4Carrying(IpProtocols.TCP, 19));
        m.put(ParseStatus.TCP_BAD_DATA_OFFSET, patch(v6.clone(), s -> put8(s, 54 + 12, 0x40)));
        m.put(ParseStatus.TCP_OPTIONS_TRUNCATED, patch(v6.clone(), s -> put8(s, 54 + 12, 0xB0)));
        m.put(ParseStatus.GTPU_TRUNCATED, eth().ipv4(IP_A, IP_B).udp(2152, 2152).payload(7).toBytes());
        m.put(ParseStatus.GTPU_BAD_VERSION, patch(gtpu(), s -> put8(s, GTP, 0x24)));
        m.put(ParseStatus.GTPU_BAD_LENGTH, patch(gtpu(), s -> put16(s, GTP + 2, 200)));
        m.put(ParseStatus.GTPU_EXT_LENGTH_ZERO, patch(gtpu(), s -> put8(s, GTP + 12, 0)));
        m.put(ParseStatus.GTPU_EXT_TRUNCATED, patch(gtpu(), s -> put8(s, GTP + 12, 30)));
        m.put(ParseStatus.GTPU_EXT_CHAIN_TOO_LONG, gtpuWithExtensions(PacketParser.MAX_CHAIN + 1).toBytes());
        m.put(ParseStatus.GTPU_BAD_INNER, patch(gtpu(), s -> put8(s, GTP + 16, 0x20)));
        m.put(ParseStatus.VXLAN_TRUNCATED, eth().ipv4(IP_A, IP_B).udp(5, 4789).payload(7).toBytes());
        m.put(ParseStatus.VXLAN_BAD_FLAGS, patch(eth().ipv4(IP_A, IP_B).udp(5, 4789).vxlan(9).payload(14).toBytes(), s -> put8(s, GTP, 0)));
        m.put(ParseStatus.INNER_ETHERNET_TRUNCATED, eth().ipv4(IP_A, IP_B).udp(5, 4789).vxlan(9).payload(13).toBytes());
        return m;
    }

    @Test
    void eachStatusHasAFrameThatProducesIt() {
        ParsedPacket p = new ParsedPacket();
        for (Map.Entry<ParseStatus, byte[]> c : cases().entrySet()) {
            boolean ok = PacketParser.parse(MemorySegment.ofArray(c.getValue()), p);
            assertEquals(c.getKey(), p.status(), () -> "frame built for " + c.getKey());
            assertEquals(c.getKey() == ParseStatus.OK, ok);
            if (!ok) {
                assertTrue(p.statusOffset() >= 0 && p.statusOffset() <= c.getValue().length, "status offset inside the frame");
            }
            SEEN.add(p.status());
        }
    }

    @Test
    void eightExtensionsAreStillFine() {
        ParsedPacket p = new ParsedPacket();
        assertTrue(PacketParser.parse(MemorySegment.ofArray(gtpuWithExtensions(PacketParser.MAX_CHAIN).toBytes()), p), p.status().text());
        assertEquals(2, p.inner().key().dstPort());
    }

    @Test
    void fieldsBeforeTheProblemStayFilledIn() {
        ParsedPacket p = new ParsedPacket();
        assertFalse(PacketParser.parse(MemorySegment.ofArray(cases().get(ParseStatus.GTPU_EXT_LENGTH_ZERO)), p));
        assertEquals(1, p.teid());
        assertEquals(2152, p.outer().key().dstPort());
        assertEquals(GTP + 12, p.statusOffset());
    }

    @AfterAll
    static void everyStatusIsCovered() {
        assertEquals(EnumSet.allOf(ParseStatus.class), SEEN, "every ParseStatus needs a frame in cases()");
    }
}
