package io.nfchain.functions.router;

import static io.nfchain.functions.router.RouterHarness.MAC_HOST;
import static io.nfchain.functions.router.RouterHarness.MAC_IF0;
import static io.nfchain.functions.router.RouterHarness.MAC_IF1;
import static io.nfchain.functions.router.RouterHarness.hop;
import static io.nfchain.functions.router.RouterHarness.route;
import static io.nfchain.functions.router.RouterHarness.v4;
import static io.nfchain.functions.router.RouterHarness.v6;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nfchain.api.router.v1.Neighbor;
import io.nfchain.api.router.v1.NeighborState;
import io.nfchain.core.packet.Checksums;
import io.nfchain.core.packet.IpProtocols;
import io.nfchain.core.packet.Ipv4Header;
import io.nfchain.core.packet.NetBytes;
import io.nfchain.core.packet.PacketBuilder;
import io.nfchain.functions.sdk.PacketVector;
import java.lang.foreign.MemorySegment;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Neighbour resolution, answers to ARP / NS / echo for the router's addresses, and ageing. */
class RouterNeighborTest {
    private static final long S = 1_000_000_000L;
    private static final long MAC_X = 0x02_00_00_00_00_77L;
    private final RouterHarness h = new RouterHarness().standardTables();

    @AfterEach
    void close() {
        h.close();
    }

    private MemorySegment d() {
        return h.burst.data();
    }

    private long f(int i) {
        return h.burst.offset(i);
    }

    private static MemorySegment udp4(String src, String dst, int payload) {
        return new PacketBuilder().ethernet(MAC_IF0, MAC_HOST).ipv4(v4(src), v4(dst)).udp(5, 53).payload(payload).build();
    }

    private static MemorySegment udp6(String src, String dst, int payload) {
        long[] s = v6(src);
        long[] t = v6(dst);
        return new PacketBuilder().ethernet(MAC_IF0, MAC_HOST).ipv6(s[0], s[1], t[0], t[1]).udp(5, 53).payload(payload)
                .build();
    }

    @Test
    void aMissingIpv4NextHopTurnsTheShortestPacketIntoAnArpRequestOncePerSecond() {
        h.router.control().addRoutes(List.of(route("172.16.0.0/12", hop("198.51.100.9", 1))));
        MemorySegment tiny = udp4("192.0.2.10", "172.16.0.1", 0); // 42 bytes: the request needs 60
        h.run(0, 5 * S, tiny, tiny, tiny);
        assertEquals(1, h.vector.output(0));
        assertEquals(PacketVector.DROP, h.vector.output(1));
        assertEquals(PacketVector.DROP, h.vector.output(2));
        assertEquals(60, h.burst.length(0));
        MemorySegment d = d();
        long f = f(0);
        assertEquals(0xFFFF_FFFF_FFFFL, NetBytes.u48(d, f));
        assertEquals(MAC_IF1, NetBytes.u48(d, f + 6));
        assertEquals(0x0806, NetBytes.u16(d, f + 12));
        assertEquals(0x0001_0800_0604_0001L, NetBytes.u64(d, f + 14), "Ethernet/IPv4, request");
        assertEquals(MAC_IF1, NetBytes.u48(d, f + 22));
        assertEquals(v4("198.51.100.1"), NetBytes.u32(d, f + 28));
        assertEquals(0, NetBytes.u48(d, f + 32));
        assertEquals(v4("198.51.100.9"), NetBytes.u32(d, f + 38));
        for (int b = 42; b < 60; b++) {
            assertEquals(0, NetBytes.u8(d, f + b), "padding byte " + b);
        }
        assertEquals(3, h.counters.get(RouterCounter.NEIGHBOR_MISSING));
        assertEquals(2, h.counters.get(RouterCounter.ARP_REQUEST_RATE_LIMITED));
        h.run(0, 5 * S + S - 1, tiny);
        assertEquals(PacketVector.DROP, h.vector.output(0), "not again within the second");
        h.run(0, 6 * S, tiny);
        assertEquals(1, h.vector.output(0), "again after a second");
        assertEquals(2, h.counters.get(RouterCounter.ARP_REQUEST_SENT));
        assertEquals(3, h.counters.get(RouterCounter.ARP_REQUEST_RATE_LIMITED));
    }

    @Test
    void aMissingIpv6NextHopBecomesASolicitationToTheSolicitedNodeGroup() {
        h.router.control().addRoutes(List.of(route("2001:db8:77::/48", hop("2001:db8:1::abcd:9", 1))));
        h.run(0, 0, udp6("2001:db8::10", "2001:db8:77::1", 0)); // 62 bytes: the NS needs 86
        assertEquals(1, h.vector.output(0));
        assertEquals(86, h.burst.length(0));
        MemorySegment d = d();
        long f = f(0);
        long ip = f + 14;
        assertEquals(0x3333_FFCD_0009L, NetBytes.u48(d, f));
        assertEquals(MAC_IF1, NetBytes.u48(d, f + 6));
        assertEquals(255, NetBytes.u8(d, ip + 7));
        assertEquals(v6("2001:db8:1::1")[1], NetBytes.u64(d, ip + 16));
        assertEquals(0xFF02_0000_0000_0000L, NetBytes.u64(d, ip + 24));
        assertEquals(0x0000_0001_FFCD_0009L, NetBytes.u64(d, ip + 32));
        assertEquals(135, NetBytes.u8(d, ip + 40));
        assertEquals(v6("2001:db8:1::abcd:9")[1], NetBytes.u64(d, ip + 56));
        assertEquals(0x0101, NetBytes.u16(d, ip + 64), "source link-layer address option");
        assertEquals(MAC_IF1, NetBytes.u48(d, ip + 66));
        assertEquals(Checksums.ipv6Transport(d, ip, ip + 40, IpProtocols.ICMPV6), NetBytes.u16(d, ip + 42));
        assertEquals(1, h.counters.get(RouterCounter.ND_SOLICIT_SENT));
        h.run(0, 1, udp6("2001:db8::10", "2001:db8:77::1", 0));
        assertEquals(1, h.counters.get(RouterCounter.ND_SOLICIT_RATE_LIMITED));
    }

    @Test
    void thePendingTableBoundsRequestsPerSecondAndNeverRepeatsAnAddressWithinIt() {
        h.router.control().addRoutes(List.of(route("172.16.0.0/12", hop("", 1))));
        long sent = 0;
        for (int round = 0; round < 2; round++) {
            for (int b = 0; b < 10; b++) {
                MemorySegment[] frames = new MemorySegment[64];
                for (int k = 0; k < 64; k++) {
                    frames[k] = udp4("192.0.2.10", "172.16." + b + "." + k, 10);
                }
                h.run(0, round * S, frames);
            }
            long now = h.counters.get(RouterCounter.ARP_REQUEST_SENT);
            assertTrue(now - sent <= NeighborResolver.SLOTS, "at most a table's worth per second: " + (now - sent));
            assertTrue(now - sent >= NeighborResolver.SLOTS / 2, "most slots used: " + (now - sent));
            sent = now;
        }
        assertEquals(1280, h.counters.get(RouterCounter.ARP_REQUEST_SENT)
                + h.counters.get(RouterCounter.ARP_REQUEST_RATE_LIMITED));
    }

    @Test
    void answersAnArpRequestForTheInputInterfaceAndLearnsTheRequester() {
        MemorySegment request = new PacketBuilder().ethernet(0xFFFF_FFFF_FFFFL, MAC_X)
                .arp(1, MAC_X, v4("192.0.2.20"), 0, v4("192.0.2.1")).padTo(60).build();
        h.run(0, 0, request);
        assertEquals(0, h.vector.output(0));
        MemorySegment d = d();
        long f = f(0);
        assertEquals(MAC_X, NetBytes.u48(d, f));
        assertEquals(MAC_IF0, NetBytes.u48(d, f + 6));
        assertEquals(2, NetBytes.u16(d, f + 20));
        assertEquals(MAC_IF0, NetBytes.u48(d, f + 22));
        assertEquals(v4("192.0.2.1"), NetBytes.u32(d, f + 28));
        assertEquals(MAC_X, NetBytes.u48(d, f + 32));
        assertEquals(v4("192.0.2.20"), NetBytes.u32(d, f + 38));
        assertEquals(1, h.counters.get(RouterCounter.ARP_REPLY_SENT));
        h.run(0, 0, udp4("198.51.100.5", "192.0.2.20", 10));
        assertEquals(0, h.vector.output(0), "the requester was learned");
        assertEquals(MAC_X, NetBytes.u48(d(), f(0)));

        h.run(1, 0, request);
        assertEquals(PacketVector.DROP, h.vector.output(0), "192.0.2.1 is not if1's address");
        assertEquals(1, h.counters.get(RouterCounter.ARP_IGNORED));
    }

    @Test
    void answersASolicitationWithASolicitedOverrideRouterAdvertisement() {
        long[] src = v6("2001:db8::20");
        long[] target = v6("2001:db8::1");
        MemorySegment ns = new PacketBuilder().ethernet(0x3333_FF00_0001L, MAC_X)
                .ipv6(src[0], src[1], 0xFF02_0000_0000_0000L, 0x0000_0001_FF00_0001L).ipv6Fields(0, 0, 255)
                .neighbourDiscovery(135, 0, target[0], target[1], MAC_X).build();
        h.run(0, 0, ns);
        assertEquals(0, h.vector.output(0));
        MemorySegment d = d();
        long f = f(0);
        long ip = f + 14;
        assertEquals(14 + 40 + 32, h.burst.length(0));
        assertEquals(MAC_X, NetBytes.u48(d, f));
        assertEquals(MAC_IF0, NetBytes.u48(d, f + 6));
        assertEquals(255, NetBytes.u8(d, ip + 7));
        assertEquals(target[1], NetBytes.u64(d, ip + 16));
        assertEquals(src[1], NetBytes.u64(d, ip + 32));
        assertEquals(136, NetBytes.u8(d, ip + 40));
        assertEquals(0xE0, NetBytes.u8(d, ip + 44), "router, solicited, override");
        assertEquals(target[1], NetBytes.u64(d, ip + 56));
        assertEquals(0x0201, NetBytes.u16(d, ip + 64));
        assertEquals(MAC_IF0, NetBytes.u48(d, ip + 66));
        assertEquals(Checksums.ipv6Transport(d, ip, ip + 40, IpProtocols.ICMPV6), NetBytes.u16(d, ip + 42));
        assertEquals(1, h.counters.get(RouterCounter.ND_ADVERT_SENT));
        assertTrue(h.router.control().listNeighbors().stream().anyMatch(n -> n.getAddress().equals("2001:db8::20")));

        MemorySegment offLink = new PacketBuilder().ethernet(MAC_IF0, MAC_X).ipv6(src[0], src[1], target[0], target[1])
                .ipv6Fields(0, 0, 64).neighbourDiscovery(135, 0, target[0], target[1], MAC_X).build();
        h.run(0, 0, offLink);
        assertEquals(1, h.counters.get(RouterCounter.ND_IGNORED), "hop limit 64: not from the link");
    }

    @Test
    void answersPingsToItsAddressesAndRoutesTheReplyBack() {
        MemorySegment ping = new PacketBuilder().ethernet(MAC_IF0, MAC_HOST).ipv4(v4("192.0.2.10"), v4("198.51.100.1"))
                .ipv4Fields(0, 3, 1, 0, new byte[0]).icmp(8, 0, 0x1234_0001).payload(56).build();
        h.run(0, 0, ping);
        assertEquals(0, h.vector.output(0));
        MemorySegment d = d();
        long ip = f(0) + 14;
        assertEquals(MAC_HOST, NetBytes.u48(d, f(0)));
        assertEquals(v4("198.51.100.1"), NetBytes.u32(d, ip + Ipv4Header.SRC));
        assertEquals(v4("192.0.2.10"), NetBytes.u32(d, ip + Ipv4Header.DST));
        assertEquals(64, NetBytes.u8(d, ip + Ipv4Header.TTL));
        assertEquals(Checksums.ipv4Header(d, ip), NetBytes.u16(d, ip + Ipv4Header.CHECKSUM));
        assertEquals(0, NetBytes.u8(d, ip + 20));
        assertEquals(Checksums.ipv4Transport(d, ip), NetBytes.u16(d, ip + 22));
        assertEquals(0x1234_0001, NetBytes.u32(d, ip + 24));

        long[] s = v6("2001:db8::10");
        long[] t = v6("2001:db8:2::1");
        h.run(0, 0, new PacketBuilder().ethernet(MAC_IF0, MAC_HOST).ipv6(s[0], s[1], t[0], t[1])
                .icmpv6(128, 0, 0x0007_0002).payload(32).build());
        assertEquals(0, h.vector.output(0));
        ip = f(0) + 14;
        assertEquals(129, NetBytes.u8(d(), ip + 40));
        assertEquals(t[1], NetBytes.u64(d(), ip + 16));
        assertEquals(Checksums.ipv6Transport(d(), ip, ip + 40, IpProtocols.ICMPV6), NetBytes.u16(d(), ip + 42));
        assertEquals(2, h.counters.get(RouterCounter.ECHO_REPLY_SENT));

        NetBytes.put16(ping, 14 + 22, NetBytes.u16(ping, 14 + 22) ^ 0x100);
        h.run(0, 0, ping, udp4("192.0.2.10", "198.51.100.1", 8));
        assertEquals(1, h.counters.get(RouterCounter.MALFORMED), "bad ICMP checksum");
        assertEquals(1, h.counters.get(RouterCounter.FOR_US), "UDP to the router");
    }

    @Test
    void learnedNeighboursExpireAfterTheTimeoutAndAreSweptStaticOnesNever() {
        RouterFunction r = new RouterFunction(h.router.interfaces(), 1000, 50, 64, 10 * S);
        try (TestBurst b = new TestBurst(r)) {
            r.control().addRoutes(List.of(route("172.16.0.0/12", hop("198.51.100.9", 1)),
                    route("10.0.0.0/8", hop("198.51.100.2", 1))));
            r.control().setNeighbors(List.of(RouterHarness.neighbor("198.51.100.2", "02:00:00:00:00:b2", 1)));
            MemorySegment reply = new PacketBuilder().ethernet(MAC_IF1, MAC_X)
                    .arp(2, MAC_X, v4("198.51.100.9"), MAC_IF1, v4("198.51.100.1")).build();
            MemorySegment toLearned = udp4("192.0.2.10", "172.16.0.1", 10);
            MemorySegment toStatic = udp4("192.0.2.10", "10.0.0.1", 10);
            b.run(1, 0, reply);
            b.run(0, 5 * S, toLearned);
            assertEquals(1, b.vector.output(0));
            assertEquals(MAC_X, NetBytes.u48(b.burst.data(), b.burst.offset(0)));
            Neighbor n = learned(r, "198.51.100.9").orElseThrow();
            assertEquals(5000, n.getAgeMs());
            assertEquals(NeighborState.NEIGHBOR_STATE_REACHABLE, n.getState());
            b.run(1, 8 * S, reply); // confirmed again: 10 s from here
            b.run(0, 17 * S, toLearned);
            assertEquals(MAC_X, NetBytes.u48(b.burst.data(), b.burst.offset(0)), "refreshed at 8 s");
            b.run(0, 18 * S, toLearned);
            assertEquals(1, b.vector.output(0));
            assertEquals(0xFFFF_FFFF_FFFFL, NetBytes.u48(b.burst.data(), b.burst.offset(0)), "expired: ARP again");
            assertEquals(1, b.counters.get(RouterCounter.ARP_REQUEST_SENT));
            for (int k = 0; k < 20 && b.counters.get(RouterCounter.NEIGHBOR_EXPIRED) == 0; k++) {
                b.run(0, 19 * S, toStatic);
            }
            assertEquals(1, b.counters.get(RouterCounter.NEIGHBOR_EXPIRED), "swept within a cycle of the table");
            assertFalse(learned(r, "198.51.100.9").isPresent());
            b.run(0, 1_000_000 * S, toStatic);
            assertEquals(1, b.vector.output(0), "static neighbours never expire");
            assertEquals(NeighborState.NEIGHBOR_STATE_STATIC, r.control().listNeighbors().get(0).getState());
        }
    }

    private static Optional<Neighbor> learned(RouterFunction r, String address) {
        return r.control().listNeighbors().stream().filter(n -> !n.getIsStatic() && n.getAddress().equals(address))
                .findFirst();
    }

    /** A burst for a router the harness did not build. */
    private static final class TestBurst implements AutoCloseable {
        final RouterFunction router;
        final io.nfchain.core.memif.PacketBurst burst = new io.nfchain.core.memif.PacketBurst(8, 2048, 128);
        final io.nfchain.functions.sdk.CounterSet<RouterCounter> counters =
                new io.nfchain.functions.sdk.CounterSet<>(RouterCounter.class);
        final PacketVector<RouterCounter> vector = new PacketVector<>(burst, counters, 3);

        TestBurst(RouterFunction router) {
            this.router = router;
        }

        void run(int input, long nowNs, MemorySegment frame) {
            burst.setCount(1);
            MemorySegment.copy(frame, 0, burst.data(), burst.offset(0), frame.byteSize());
            burst.setLength(0, (int) frame.byteSize());
            vector.begin(nowNs, input);
            router.process(vector);
        }

        @Override
        public void close() {
            burst.close();
        }
    }
}
