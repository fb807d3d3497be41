package io.nfchain.functions.qos;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nfchain.core.packet.Checksums;
import io.nfchain.core.packet.GtpuHeader;
import io.nfchain.core.packet.IpAddresses;
import io.nfchain.core.packet.Ipv4Header;
import io.nfchain.core.packet.Ipv6Header;
import io.nfchain.core.packet.NetBytes;
import io.nfchain.core.packet.PacketBuilder;
import io.nfchain.core.packet.PacketParser;
import io.nfchain.core.packet.ParsedPacket;
import io.nfchain.core.packet.UdpHeader;
import java.lang.foreign.MemorySegment;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * {@link DscpMarker}: the DSCP lands where asked, ECN and the flow label stay, and every
 * checksum the mark could touch is still right (checked by recomputing it whole).
 */
class DscpMarkerTest {
    private static final int UE = IpAddresses.parseIpv4("10.45.0.7");
    private static final int SERVER = IpAddresses.parseIpv4("198.51.100.9");
    private static final long[] UE6 = IpAddresses.parseIpv6("2001:db8:1::7");
    private static final long[] SERVER6 = IpAddresses.parseIpv6("2001:db8:ff::9");
    private static final int GNB = IpAddresses.parseIpv4("192.0.2.10");
    private static final int UPF = IpAddresses.parseIpv4("192.0.2.1");

    private final DscpMarker marker = new DscpMarker();
    private final ParsedPacket parsed = new ParsedPacket();

    @Test
    void ipv4KeepsEcnAndAValidChecksumForEveryDscpAndTos() {
        SplittableRandom random = new SplittableRandom(1624);
        for (int k = 0; k < 2_000; k++) {
            int tos = random.nextInt(256);
            int dscp = random.nextInt(64);
            MemorySegment f = new PacketBuilder().ethernet(2, 1).ipv4(UE, SERVER)
                    .ipv4Fields(tos, 1 + random.nextInt(255), random.nextInt(65536), 0, new byte[0])
                    .udp(1000, 2000).payload(random.nextInt(100)).build();
            mark(f, dscp, false);
            Ipv4Header h = new Ipv4Header().wrap(f, parsed.outer().l3Offset());
            assertEquals(dscp, h.dscp());
            assertEquals(tos & 3, h.ecn());
            assertTrue(h.checksumValid(), "tos " + tos + " -> dscp " + dscp);
        }
    }

    @Test
    void ipv6KeepsEcnAndFlowLabel() {
        MemorySegment f = new PacketBuilder().ethernet(2, 1).ipv6(UE6[0], UE6[1], SERVER6[0], SERVER6[1])
                .ipv6Fields(0xA1, 0xBCDEF, 64).tcp(40000, 443).build();
        mark(f, 46, false);
        Ipv6Header h = new Ipv6Header().wrap(f, parsed.outer().l3Offset());
        assertEquals(6, h.version());
        assertEquals(46 << 2 | 1, h.trafficClass());
        assertEquals(0xBCDEF, h.flowLabel());
    }

    @Test
    void gtpuMarksTheInnerPacketAndOnlyWhenAskedTheOuter() {
        MemorySegment f = gtpu(false, 0x20).build();
        mark(f, 46, false);
        assertEquals(46, new Ipv4Header().wrap(f, parsed.inner().l3Offset()).dscp());
        assertTrue(new Ipv4Header().wrap(f, parsed.inner().l3Offset()).checksumValid());
        assertEquals(0x20 >>> 2, new Ipv4Header().wrap(f, parsed.outer().l3Offset()).dscp(), "outer untouched");
        assertOuterUdpValid(f);

        mark(f, 10, true);
        assertEquals(10, new Ipv4Header().wrap(f, parsed.inner().l3Offset()).dscp());
        assertEquals(10, new Ipv4Header().wrap(f, parsed.outer().l3Offset()).dscp());
        assertTrue(new Ipv4Header().wrap(f, parsed.outer().l3Offset()).checksumValid());
        assertOuterUdpValid(f);
    }

    @Test
    void innerIpv6TrafficClassIsPatchedIntoTheOuterUdpChecksum() {
        SplittableRandom random = new SplittableRandom(8200);
        for (int k = 0; k < 500; k++) {
            int tc = random.nextInt(256);
            MemorySegment f = gtpu(true, tc).build();
            int before = NetBytes.u16(f, parsed(f).outer().l4Offset() + UdpHeader.CHECKSUM);
            assertTrue(before != 0, "the builder writes an outer UDP checksum");
            mark(f, random.nextInt(64), random.nextBoolean());
            assertOuterUdpValid(f);
            assertEquals(tc & 3, new Ipv6Header().wrap(f, parsed.inner().l3Offset()).trafficClass() & 3);
        }
    }

    @Test
    void aZeroOuterUdpChecksumStaysZero() {
        MemorySegment f = gtpu(true, 0).build();
        long field = parsed(f).outer().l4Offset() + UdpHeader.CHECKSUM;
        NetBytes.put16(f, field, 0);
        mark(f, 46, false);
        assertEquals(0, NetBytes.u16(f, field));
    }

    private PacketBuilder gtpu(boolean innerV6, int innerTrafficClass) {
        PacketBuilder b = new PacketBuilder().ethernet(2, 1).ipv4(UPF, GNB).ipv4Fields(0x20, 64, 1, 0, new byte[0])
                .udp(2152, 2152).gtpu(0x1234).pduSessionContainer(GtpuHeader.PDU_TYPE_DOWNLINK, 9);
        if (innerV6) {
            b.ipv6(SERVER6[0], SERVER6[1], UE6[0], UE6[1]).ipv6Fields(innerTrafficClass, 0x12345, 64);
        } else {
            b.ipv4(SERVER, UE).ipv4Fields(innerTrafficClass, 64, 7, 0, new byte[0]);
        }
        return b.udp(443, 40000).payload(33);
    }

    private void assertOuterUdpValid(MemorySegment f) {
        ParsedPacket p = parsed(f);
        int stored = NetBytes.u16(f, p.outer().l4Offset() + UdpHeader.CHECKSUM);
        assertEquals(Checksums.ipv4Transport(f, p.outer().l3Offset()), stored, "outer UDP checksum");
    }

    private ParsedPacket parsed(MemorySegment f) {
        PacketParser.parse(f, parsed);
        return parsed;
    }

    private void mark(MemorySegment f, int dscp, boolean outer) {
        assertTrue(parsed(f).isWellFormed());
        marker.mark(f, 0, parsed, dscp, outer);
    }
}
