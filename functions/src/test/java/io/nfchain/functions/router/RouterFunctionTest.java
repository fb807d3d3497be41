package io.nfchain.functions.router;

import static io.nfchain.functions.router.RouterHarness.MAC_GW1;
import static io.nfchain.functions.router.RouterHarness.MAC_GW2;
import static io.nfchain.functions.router.RouterHarness.MAC_HOST;
import static io.nfchain.functions.router.RouterHarness.MAC_IF0;
import static io.nfchain.functions.router.RouterHarness.MAC_IF1;
import static io.nfchain.functions.router.RouterHarness.v4;
import static io.nfchain.functions.router.RouterHarness.v6;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nfchain.core.packet.Checksums;
import io.nfchain.core.packet.IpProtocols;
import io.nfchain.core.packet.Ipv4Header;
import io.nfchain.core.packet.Ipv6Header;
import io.nfchain.core.packet.Layer;
import io.nfchain.core.packet.NetBytes;
import io.nfchain.core.packet.PacketBuilder;
import io.nfchain.core.packet.PacketParser;
import io.nfchain.core.packet.ParsedPacket;
import io.nfchain.functions.sdk.PacketVector;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The router's datapath over a burst: forwarding, ECMP, learning, each ICMP error, rate limiting. */
class RouterFunctionTest {
    private final RouterHarness h = new RouterHarness().standardTables();

    @AfterEach
    void close() {
        h.close();
    }

    private static MemorySegment udp4(String src, String dst, int ttl, int sport, int payload, boolean df) {
        return new PacketBuilder().ethernet(MAC_IF0, MAC_HOST).ipv4(v4(src), v4(dst))
                .ipv4Fields(0, ttl, 77, df ? Ipv4Header.FLAG_DONT_FRAGMENT : 0, new byte[0])
                .udp(sport, 53).payload(payload).build();
    }

    private static MemorySegment udp6(String src, String dst, int hops, int sport, int payload) {
        long[] s = v6(src);
        long[] d = v6(dst);
        return new PacketBuilder().ethernet(MAC_IF0, MAC_HOST).ipv6(s[0], s[1], d[0], d[1]).ipv6Fields(0, 5, hops)
                .udp(sport, 53).payload(payload).build();
    }

    @Test
    void forwardsIpv4RewritingMacsAndTtlWithAChecksumEqualToARecomputation() {
        Random random = new Random(5);
        for (int round = 0; round < 200; round++) {
            int ttl = 2 + random.nextInt(254);
            h.run(0, 0, udp4("192.0.2.10", "10.9.8.7", ttl, random.nextInt(65536), random.nextInt(300), false));
            assertEquals(1, h.vector.output(0));
            long frame = h.burst.offset(0);
            MemorySegment d = h.burst.data();
            assertEquals(MAC_GW1, NetBytes.u48(d, frame));
            assertEquals(MAC_IF1, NetBytes.u48(d, frame + 6));
            assertEquals(ttl - 1, NetBytes.u8(d, frame + 14 + Ipv4Header.TTL));
            assertEquals(Checksums.ipv4Header(d, frame + 14), NetBytes.u16(d, frame + 14 + Ipv4Header.CHECKSUM));
        }
        assertEquals(200, h.counters.get(RouterCounter.FORWARDED));
        assertEquals(0, h.counters.drops());
    }

    @Test
    void forwardsIpv6DecrementingTheHopLimit() {
        h.run(0, 0, udp6("2001:db8::10", "2001:db8:100::5", 9, 1000, 20));
        int out = h.vector.output(0);
        assertTrue(out == 1 || out == 2, "one of the two ECMP paths: " + out);
        long frame = h.burst.offset(0);
        assertEquals(out == 1 ? MAC_GW1 : MAC_GW2, NetBytes.u48(h.burst.data(), frame));
        assertEquals(8, NetBytes.u8(h.burst.data(), frame + 14 + Ipv6Header.HOP_LIMIT));
    }

    @Test
    void ecmpSpreadsFlowsOverBothPathsAndKeepsEachFlowOnOne() {
        Map<Integer, Integer> perPath = new HashMap<>();
        Map<Integer, Integer> pathOfFlow = new HashMap<>();
        for (int round = 0; round < 3; round++) {
            for (int first = 1000; first < 3000; first += 50) {
                MemorySegment[] frames = new MemorySegment[50];
                for (int k = 0; k < 50; k++) {
                    frames[k] = udp4("192.0.2.10", "10.1.2.3", 64, first + k, 10, false);
                }
                h.run(0, 0, frames);
                for (int k = 0; k < 50; k++) {
                    int out = h.vector.output(k);
                    Integer before = pathOfFlow.putIfAbsent(first + k, out);
                    if (before != null) {
                        assertEquals(before, out, "flow " + (first + k) + " moved");
                    }
                    if (round == 0) {
                        perPath.merge(out, 1, Integer::sum);
                    }
                }
            }
        }
        assertEquals(2, perPath.size());
        assertTrue(Math.abs(perPath.get(1) - perPath.get(2)) < 200, "spread " + perPath);
    }

    @Test
    void learnsANeighbourFromAnArpReplyAndThenForwardsToIt() {
        h.router.control().addRoutes(java.util.List.of(RouterHarness.route("172.16.0.0/12",
                RouterHarness.hop("198.51.100.9", 1))));
        h.run(0, 0, udp4("192.0.2.10", "172.16.0.1", 64, 1, 10, false));
        assertEquals(1, h.vector.output(0), "the packet's buffer left as the ARP request for the gateway");
        assertEquals(1, h.counters.get(RouterCounter.NEIGHBOR_MISSING));
        assertEquals(1, h.counters.get(RouterCounter.ARP_REQUEST_SENT));

        long learnedMac = 0x02_00_00_00_00_99L;
        h.run(1, 0, new PacketBuilder().ethernet(MAC_IF1, learnedMac)
                .arp(2, learnedMac, v4("198.51.100.9"), MAC_IF1, v4("198.51.100.1")).build());
        assertEquals(PacketVector.DROP, h.vector.output(0), "the reply is consumed");
        assertEquals(1, h.counters.get(RouterCounter.NEIGHBOR_LEARNED));

        h.run(0, 0, udp4("192.0.2.10", "172.16.0.1", 64, 1, 10, false));
        assertEquals(1, h.vector.output(0));
        assertEquals(learnedMac, NetBytes.u48(h.burst.data(), h.burst.offset(0)));
        assertTrue(h.router.control().listNeighbors().stream()
                .anyMatch(n -> !n.getIsStatic() && n.getAddress().equals("198.51.100.9") && n.getOutput() == 1));

        h.run(1, 0, new PacketBuilder().ethernet(MAC_IF1, learnedMac)
                .arp(1, learnedMac, v4("198.51.100.9"), 0, v4("198.51.100.7")).build());
        assertEquals(1, h.counters.get(RouterCounter.ARP_IGNORED), "a request for another host's address");
    }

    @Test
    void learnsAnIpv6NeighbourFromANeighbourAdvertisement() {
        h.router.control().addRoutes(java.util.List.of(RouterHarness.route("2001:db8:77::/48",
                RouterHarness.hop("2001:db8:2::9", 2))));
        long mac = 0x02_00_00_00_00_77L;
        long[] target = v6("2001:db8:2::9");
        long[] dst = v6("2001:db8:2::1");
        h.run(2, 0, new PacketBuilder().ethernet(RouterHarness.MAC_IF2, mac).ipv6(target[0], target[1], dst[0], dst[1])
                .ipv6Fields(0, 0, 255).neighbourDiscovery(136, 0x60, target[0], target[1], mac).build());
        assertEquals(1, h.counters.get(RouterCounter.NEIGHBOR_LEARNED));
        h.run(0, 0, udp6("2001:db8::10", "2001:db8:77::1", 64, 5, 10));
        assertEquals(2, h.vector.output(0));
        assertEquals(mac, NetBytes.u48(h.burst.data(), h.burst.offset(0)));
    }

    @Test
    void noRouteBecomesDestinationUnreachableQuotingTheHeaderAnd8Bytes() {
        MemorySegment original = udp4("192.0.2.10", "100.64.0.1", 64, 1234, 100, false);
        h.run(0, 0, original);
        byte[] quote = Arrays.copyOfRange(original.toArray(java.lang.foreign.ValueLayout.JAVA_BYTE), 14, 14 + 28);
        checkIcmp4(3, 0, 0, quote);
        assertEquals(1, h.counters.get(RouterCounter.NO_ROUTE));
        assertEquals(1, h.counters.get(RouterCounter.ICMP_SENT));
    }

    @Test
    void expiringTtlBecomesTimeExceeded() {
        MemorySegment original = udp4("192.0.2.10", "10.2.3.4", 1, 1234, 3, false);
        h.run(0, 0, original);
        byte[] quote = Arrays.copyOfRange(original.toArray(java.lang.foreign.ValueLayout.JAVA_BYTE), 14, 14 + 28);
        checkIcmp4(11, 0, 0, quote);
        assertEquals(1, h.counters.get(RouterCounter.TTL_EXPIRED));
    }

    @Test
    void tooLongWithDontFragmentBecomesFragmentationNeededWithTheMtu() {
        MemorySegment original = udp4("192.0.2.10", "10.2.3.4", 64, 1234, 1400, true); // if1's MTU is 1400
        h.run(0, 0, original);
        byte[] quote = Arrays.copyOfRange(original.toArray(java.lang.foreign.ValueLayout.JAVA_BYTE), 14, 14 + 28);
        checkIcmp4(3, 4, 1400, quote);
        h.run(0, 0, udp4("192.0.2.10", "10.2.3.4", 64, 1234, 1400, false));
        assertEquals(1, h.counters.get(RouterCounter.FRAGMENTATION_UNSUPPORTED));
        h.run(0, 0, udp4("192.0.2.10", "10.2.3.4", 64, 1234, 1400 - 28, true));
        assertEquals(1, h.vector.output(0), "exactly the MTU passes");
    }

    /** The packet in slot 0 is an ICMP error from if0's address to the source host, out of if0. */
    private void checkIcmp4(int type, int code, int word, byte[] quote) {
        assertEquals(0, h.vector.output(0));
        MemorySegment d = h.burst.data();
        long frame = h.burst.offset(0);
        ParsedPacket p = new ParsedPacket();
        PacketParser.parse(d, frame, h.burst.length(0), p);
        assertTrue(p.isWellFormed() && p.has(Layer.ICMPV4), p.status().text());
        assertEquals(MAC_HOST, NetBytes.u48(d, frame));
        assertEquals(MAC_IF0, NetBytes.u48(d, frame + 6));
        long ip = frame + 14;
        assertEquals(v4("192.0.2.1"), p.outer().key().srcIpv4());
        assertEquals(v4("192.0.2.10"), p.outer().key().dstIpv4());
        assertEquals(Checksums.ipv4Header(d, ip), NetBytes.u16(d, ip + Ipv4Header.CHECKSUM));
        assertEquals(Checksums.ipv4Transport(d, ip), NetBytes.u16(d, ip + 22), "ICMP checksum");
        assertEquals(type, p.outer().icmpType());
        assertEquals(code, p.outer().icmpCode());
        assertEquals(word, NetBytes.u32(d, ip + 24));
        assertEquals(14 + 20 + 8 + quote.length, h.burst.length(0));
        byte[] quoted = d.asSlice(ip + 28, quote.length).toArray(java.lang.foreign.ValueLayout.JAVA_BYTE);
        assertArrayEquals(quote, quoted);
    }

    @Test
    void ipv6ErrorsAreUnreachableTimeExceededAndPacketTooBigWithValidChecksums() {
        MemorySegment noRoute = udp6("2001:db8::10", "2001:db8:999::1", 64, 7, 50);
        h.run(0, 0, noRoute);
        checkIcmp6(1, 0, 0, noRoute);
        MemorySegment expired = udp6("2001:db8::10", "2001:db8:100::1", 1, 7, 50);
        h.run(0, 0, expired);
        checkIcmp6(3, 0, 0, expired);
        MemorySegment big = udp6("2001:db8::10", "2001:db8:100::1", 64, 7, 1600); // longer than 1280: cut
        h.run(0, 0, big);
        checkIcmp6(2, 0, 1500, big);
    }

    private void checkIcmp6(int type, int code, int word, MemorySegment original) {
        assertEquals(0, h.vector.output(0));
        MemorySegment d = h.burst.data();
        long frame = h.burst.offset(0);
        ParsedPacket p = new ParsedPacket();
        PacketParser.parse(d, frame, h.burst.length(0), p);
        assertTrue(p.isWellFormed() && p.has(Layer.ICMPV6), p.status().text());
        long ip = frame + 14;
        assertEquals(v6("2001:db8::1")[1], p.outer().key().srcLo());
        assertEquals(v6("2001:db8::10")[1], p.outer().key().dstLo());
        assertEquals(Checksums.ipv6Transport(d, ip, ip + 40, IpProtocols.ICMPV6), NetBytes.u16(d, ip + 42));
        assertEquals(type, p.outer().icmpType());
        assertEquals(code, p.outer().icmpCode());
        assertEquals(word, NetBytes.u32(d, ip + 44));
        int quoteLength = Math.min(1280 - 48, (int) original.byteSize() - 14);
        assertEquals(14 + 48 + quoteLength, h.burst.length(0));
        assertTrue(h.burst.length(0) - 14 <= 1280);
        byte[] expected = original.asSlice(14, quoteLength).toArray(java.lang.foreign.ValueLayout.JAVA_BYTE);
        assertArrayEquals(expected, d.asSlice(ip + 48, quoteLength).toArray(java.lang.foreign.ValueLayout.JAVA_BYTE));
    }

    @Test
    void neverAnIcmpErrorAboutAnIcmpError() {
        h.run(0, 0, new PacketBuilder().ethernet(MAC_IF0, MAC_HOST).ipv4(v4("192.0.2.10"), v4("100.64.0.1"))
                .icmp(3, 1, 0).payload(28).build());
        assertEquals(PacketVector.DROP, h.vector.output(0));
        assertEquals(1, h.counters.get(RouterCounter.ICMP_NOT_SENT));
        h.run(0, 0, new PacketBuilder().ethernet(MAC_IF0, MAC_HOST).ipv4(v4("192.0.2.10"), v4("100.64.0.1"))
                .icmp(8, 0, 0x01020304).payload(28).build());
        assertEquals(0, h.vector.output(0), "an echo request gets its unreachable");
    }

    @Test
    void rateLimitsIcmpErrorsWithATokenBucketOnTheBurstClock() {
        try (RouterHarness slow = new RouterHarness(10, 3).standardTables()) { // 10/s, burst 3
            MemorySegment noRoute = udp4("192.0.2.10", "100.64.0.1", 64, 1, 10, false);
            MemorySegment[] five = {noRoute, noRoute, noRoute, noRoute, noRoute};
            slow.run(0, 1_000_000_000L, five);
            assertEquals(3, slow.counters.get(RouterCounter.ICMP_SENT), "the burst");
            assertEquals(2, slow.counters.get(RouterCounter.ICMP_RATE_LIMITED));
            slow.run(0, 1_050_000_000L, noRoute); // 50 ms: half a token
            assertEquals(3, slow.counters.get(RouterCounter.ICMP_SENT));
            slow.run(0, 1_100_000_000L, noRoute); // 100 ms after the start: one token
            assertEquals(4, slow.counters.get(RouterCounter.ICMP_SENT));
            slow.run(0, 61_000_000_000L, five); // a minute idle refills only up to the burst
            assertEquals(7, slow.counters.get(RouterCounter.ICMP_SENT));
            assertEquals(12, slow.counters.get(RouterCounter.NO_ROUTE), "every original counted by its cause");
            assertEquals(5, slow.counters.get(RouterCounter.ICMP_RATE_LIMITED));
        }
    }

    @Test
    void dropsWhatARouterMustNotForwardWithItsReason() {
        h.run(0, 0, udp4("192.0.2.10", "224.0.0.5", 64, 1, 10, false));
        assertEquals(1, h.counters.get(RouterCounter.NOT_UNICAST));
        h.run(0, 0, udp4("192.0.2.10", "198.51.100.1", 64, 1, 10, false));
        assertEquals(1, h.counters.get(RouterCounter.FOR_US));
        MemorySegment bad = udp4("192.0.2.10", "10.0.0.1", 64, 1, 10, false);
        NetBytes.put16(bad, 14 + Ipv4Header.CHECKSUM, NetBytes.u16(bad, 14 + Ipv4Header.CHECKSUM) ^ 1);
        h.run(0, 0, bad);
        assertEquals(1, h.counters.get(RouterCounter.MALFORMED));
        h.run(0, 0, new PacketBuilder().ethernet(MAC_IF0, MAC_HOST).payload(50).build());
        assertEquals(1, h.counters.get(RouterCounter.NOT_IP));
        assertEquals(4, h.counters.drops());
    }
}
