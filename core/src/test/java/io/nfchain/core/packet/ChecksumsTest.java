package io.nfchain.core.packet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.MemorySegment;
import java.util.HexFormat;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ChecksumsTest {
    private static MemorySegment hex(String hex) {
        return MemorySegment.ofArray(HexFormat.of().parseHex(hex.replace(" ", "")));
    }

    /** Straightforward 16-bit-at-a-time sum: the reference the fast one must equal. */
    private static int referenceFold(byte[] b, int from, int length) {
        long sum = 0;
        for (int i = 0; i < length; i += 2) {
            int hi = b[from + i] & 0xFF;
            int lo = i + 1 < length ? b[from + i + 1] & 0xFF : 0;
            sum += hi << 8 | lo;
        }
        while (sum >>> 16 != 0) {
            sum = (sum & 0xFFFF) + (sum >>> 16);
        }
        return (int) sum;
    }

    @Test
    void rfc1071Example() {
        // RFC 1071 section 3: the sum of 0001 f203 f4f5 f6f7 is ddf2
        assertEquals(0xDDF2, Checksums.fold(Checksums.sum(hex("0001f203f4f5f6f7"), 0, 8, 0)));
    }

    @Test
    void knownIpv4HeaderChecksum() {
        MemorySegment header = hex("4500 0073 0000 4000 4011 b861 c0a8 0001 c0a8 00c7");
        assertEquals(0xB861, Checksums.ipv4Header(header, 0));
        assertTrue(new Ipv4Header().wrap(header, 0).checksumValid());
    }

    @Test
    void fastSumEqualsReferenceForEveryLengthAndAlignment() {
        SplittableRandom random = new SplittableRandom(1);
        byte[] bytes = new byte[300];
        for (int round = 0; round < 200; round++) {
            random.nextBytes(bytes);
            for (int from = 0; from < 8; from++) {
                int length = random.nextInt(bytes.length - from);
                assertEquals(referenceFold(bytes, from, length),
                        Checksums.fold(Checksums.sum(MemorySegment.ofArray(bytes), from, length, 0)), "length " + length);
            }
        }
    }

    @Test
    void builtPacketsVerifyToZero() {
        for (byte[] frame : new byte[][] {Packets.ipv4Udp(), Packets.ipv6Tcp(), Packets.gtpu()}) {
            ParsedPacket p = new ParsedPacket();
            MemorySegment s = MemorySegment.ofArray(frame);
            assertTrue(PacketParser.parse(s, p));
            IpLayers ip = p.outer();
            int l4Length = ip.l3End() - ip.l4Offset();
            long pseudo = ip.key().ipVersion() == 4
                    ? Checksums.pseudoHeaderIpv4(ip.key().srcIpv4(), ip.key().dstIpv4(), ip.key().protocol(), l4Length)
                    : Checksums.pseudoHeaderIpv6(ip.key().srcHi(), ip.key().srcLo(), ip.key().dstHi(), ip.key().dstLo(), ip.key().protocol(), l4Length);
            // a correct checksum makes the sum over pseudo-header and message all ones
            assertEquals(0xFFFF, Checksums.fold(Checksums.sum(s, ip.l4Offset(), l4Length, pseudo)));
        }
    }

    @Test
    void incrementalUpdateEqualsFullRecompute() {
        SplittableRandom random = new SplittableRandom(2);
        Ipv4Header h = new Ipv4Header();
        for (int i = 0; i < 100_000; i++) {
            byte[] frame = Packets.eth().ipv4(random.nextInt(), random.nextInt())
                    .ipv4Fields(random.nextInt(256), 1 + random.nextInt(255), random.nextInt(65536), 0, new byte[0])
                    .udp(random.nextInt(65536), random.nextInt(65536)).payload(random.nextInt(40)).toBytes();
            MemorySegment s = MemorySegment.ofArray(frame);
            h.wrap(s, 14);
            // TTL decrement, as the router does it
            h.decrementTtl();
            assertTrue(h.checksumValid(), "TTL decrement keeps the header checksum valid");
            // NAT-style address and port rewrite patched into both checksums
            int oldSrc = h.src();
            int newSrc = random.nextInt();
            h.src(newSrc).checksum(Checksums.update32(h.checksum(), oldSrc, newSrc));
            UdpHeader udp = new UdpHeader().wrap(s, 34);
            int oldPort = udp.srcPort();
            int newPort = random.nextInt(65536);
            int patched = Checksums.update32(udp.checksum(), oldSrc, newSrc);
            patched = Checksums.update16(patched, oldPort, newPort);
            udp.srcPort(newPort).checksum(patched);
            assertEquals(Checksums.ipv4Header(s, 14), h.checksum());
            int full = Checksums.ipv4Transport(s, 14);
            // 0x0000 and 0xFFFF are the same one's-complement value
            assertEquals(full == 0xFFFF ? 0 : full, patched == 0xFFFF ? 0 : patched);
        }
    }

    @Test
    void routingHeaderWithSegmentsLeftPutsTheFinalDestinationInThePseudoHeader() {
        // IPv6 to a first segment, Segment Routing header listing [final, first], one segment left
        long[] first = IpAddresses.parseIpv6("2001:db8:1::1");
        long[] last = IpAddresses.parseIpv6("2001:db8:99::9");
        byte[] frame = Packets.eth().ipv6(Packets.IP6_A[0], Packets.IP6_A[1], first[0], first[1])
                .ipv6Routing(40, 4, 1).udp(1000, 2000).payload(12).toBytes();
        MemorySegment s = MemorySegment.ofArray(frame);
        int srh = 14 + 40;
        int udp = srh + 40;
        NetBytes.put64(s, srh + 8, last[0]); // Segment List[0]: the final destination
        NetBytes.put64(s, srh + 16, last[1]);
        NetBytes.put64(s, srh + 24, first[0]);
        NetBytes.put64(s, srh + 32, first[1]);
        long pseudo = Checksums.pseudoHeaderIpv6(Packets.IP6_A[0], Packets.IP6_A[1], last[0], last[1], IpProtocols.UDP, 20);
        int expected = Checksums.transport(s, udp, 20, UdpHeader.CHECKSUM, pseudo);
        assertEquals(expected, Checksums.ipv6Transport(s, 14, udp, IpProtocols.UDP));
        // with no segment left the packet is at its final destination: the header's own
        NetBytes.put8(s, srh + 3, 0);
        long direct = Checksums.pseudoHeaderIpv6(Packets.IP6_A[0], Packets.IP6_A[1], first[0], first[1], IpProtocols.UDP, 20);
        assertEquals(Checksums.transport(s, udp, 20, UdpHeader.CHECKSUM, direct), Checksums.ipv6Transport(s, 14, udp, IpProtocols.UDP));
    }
}
