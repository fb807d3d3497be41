package io.nfchain.functions.router;

import static io.nfchain.functions.router.RouterHarness.MAC_HOST;
import static io.nfchain.functions.router.RouterHarness.MAC_IF0;
import static io.nfchain.functions.router.RouterHarness.hop;
import static io.nfchain.functions.router.RouterHarness.route;
import static io.nfchain.functions.router.RouterHarness.v4;
import static io.nfchain.functions.router.RouterHarness.v6;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.sun.management.ThreadMXBean;
import io.nfchain.core.memif.PacketBurst;
import io.nfchain.core.packet.NetBytes;
import io.nfchain.core.packet.PacketBuilder;
import io.nfchain.functions.sdk.CounterSet;
import io.nfchain.functions.sdk.PacketVector;
import java.lang.foreign.MemorySegment;
import java.lang.management.ManagementFactory;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@link RouterFunction#process} allocates nothing (DESIGN.md 3.2) over a burst mix: IPv4 and
 * IPv6 forwarding, ICMP errors (prepended headers), ARP and NS answers, echo replies, and
 * next hops resolved with ARP requests and solicitations, with the clock moving so requests and
 * expiry sweeps really run. Measured with the JVM's per-thread allocation counter; batches run
 * until one allocates nothing, and the test fails if none ever does. Its own JVM (surefire's
 * allocation-tests execution): what else the JIT compiled changes what escape analysis removes.
 */
class RouterAllocationTest {
    private static final int BATCH_BURSTS = 64;
    private static final int MAX_BATCHES = 300;

    @Test
    void processingABurstMixAllocatesNothing() {
        ThreadMXBean threads = (ThreadMXBean) ManagementFactory.getThreadMXBean();
        assumeTrue(threads.isThreadAllocatedMemorySupported(), "skipped: no per-thread allocation counter");
        MemorySegment[] mix = mix();
        try (RouterHarness h = new RouterHarness(1_000_000, 1_000_000).standardTables();
                PacketBurst burst = new PacketBurst(32, 2048, RouterHarness.HEADROOM)) {
            RouterFunction router = new RouterFunction(h.router.interfaces(), 1_000_000, 1_000_000, 64, 3_000_000_000L);
            router.control().addRoutes(List.of(route("192.0.2.0/24", hop("", 0)), route("10.0.0.0/8", hop("198.51.100.2", 1)),
                    route("2001:db8::/64", hop("", 0)), route("2001:db8:100::/48", hop("2001:db8:1::2", 1)),
                    route("172.16.0.0/12", hop("", 1)), route("2001:db8:77::/48", hop("", 1))));
            router.control().setNeighbors(List.of(RouterHarness.neighbor("192.0.2.10", "02:00:00:00:00:a0", 0),
                    RouterHarness.neighbor("198.51.100.2", "02:00:00:00:00:b2", 1),
                    RouterHarness.neighbor("2001:db8::10", "02:00:00:00:00:a0", 0),
                    RouterHarness.neighbor("2001:db8:1::2", "02:00:00:00:00:b2", 1)));
            CounterSet<RouterCounter> counters = new CounterSet<>(RouterCounter.class);
            PacketVector<RouterCounter> vector = new PacketVector<>(burst, counters, 3);
            long[] base = new long[32];
            for (int i = 0; i < 32; i++) {
                base[i] = burst.offset(i);
            }
            long[] now = {0};
            MemorySegment reply = mix[mix.length - 1];
            Runnable batch = () -> {
                // A new neighbour each batch, so earlier ones expire (after 3 s: 12 bursts) and are swept.
                NetBytes.put32(reply, 28, NetBytes.u32(reply, 28) + 1);
                for (int b = 0; b < BATCH_BURSTS; b++) {
                    burst.setCount(32);
                    for (int i = 0; i < 32; i++) {
                        int moved = (int) (base[i] - burst.offset(i)); // an ICMP error prepended its headers
                        burst.setLength(i, moved);
                        burst.trimFront(i, moved);
                        MemorySegment frame = mix[i % mix.length];
                        MemorySegment.copy(frame, 0, burst.data(), burst.offset(i), frame.byteSize());
                        burst.setLength(i, (int) frame.byteSize());
                    }
                    vector.begin(now[0] += 250_000_000L, 0);
                    router.process(vector);
                }
            };
            long allocated = -1;
            for (int b = 0; b < MAX_BATCHES && allocated != 0; b++) {
                long before = threads.getCurrentThreadAllocatedBytes();
                batch.run();
                allocated = threads.getCurrentThreadAllocatedBytes() - before;
            }
            assertEquals(0, allocated, "bytes allocated by " + BATCH_BURSTS + " bursts of 32, after warm-up");
            for (RouterCounter c : new RouterCounter[] {RouterCounter.FORWARDED, RouterCounter.ICMP_SENT,
                    RouterCounter.ARP_REPLY_SENT, RouterCounter.ND_ADVERT_SENT, RouterCounter.ECHO_REPLY_SENT,
                    RouterCounter.ARP_REQUEST_SENT, RouterCounter.ND_SOLICIT_SENT, RouterCounter.NEIGHBOR_EXPIRED}) {
                assertTrue(counters.get(c) > 0, c + " was exercised");
            }
        }
    }

    private static MemorySegment[] mix() {
        long[] host = v6("2001:db8::10");
        long[] own = v6("2001:db8::1");
        long mac = 0x02_00_00_00_00_77L;
        long[] learner = v6("2001:db8::20");
        return new MemorySegment[] {
            new PacketBuilder().ethernet(MAC_IF0, MAC_HOST).ipv4(v4("192.0.2.10"), v4("10.1.2.3")).udp(1, 2).payload(18).build(),
            new PacketBuilder().ethernet(MAC_IF0, MAC_HOST).ipv6(host[0], host[1], v6("2001:db8:100::5")[0],
                    v6("2001:db8:100::5")[1]).udp(1, 2).payload(18).build(),
            new PacketBuilder().ethernet(MAC_IF0, MAC_HOST).ipv4(v4("192.0.2.10"), v4("100.64.0.1")).udp(1, 2).payload(18).build(),
            new PacketBuilder().ethernet(MAC_IF0, MAC_HOST).ipv6(host[0], host[1], v6("2001:db8:999::1")[0],
                    v6("2001:db8:999::1")[1]).udp(1, 2).payload(18).build(),
            new PacketBuilder().ethernet(0xFFFF_FFFF_FFFFL, mac).arp(1, mac, v4("192.0.2.20"), 0, v4("192.0.2.1")).padTo(60).build(),
            new PacketBuilder().ethernet(0x3333_FF00_0001L, mac).ipv6(learner[0], learner[1], 0xFF02_0000_0000_0000L,
                    0x0000_0001_FF00_0001L).ipv6Fields(0, 0, 255).neighbourDiscovery(135, 0, own[0], own[1], mac).build(),
            new PacketBuilder().ethernet(MAC_IF0, MAC_HOST).ipv4(v4("192.0.2.10"), v4("192.0.2.1")).icmp(8, 0, 7).payload(56).build(),
            new PacketBuilder().ethernet(MAC_IF0, MAC_HOST).ipv6(host[0], host[1], own[0], own[1]).icmpv6(128, 0, 7).payload(56).build(),
            new PacketBuilder().ethernet(MAC_IF0, MAC_HOST).ipv4(v4("192.0.2.10"), v4("172.16.0.1")).udp(1, 2).payload(18).build(),
            new PacketBuilder().ethernet(MAC_IF0, MAC_HOST).ipv6(host[0], host[1], v6("2001:db8:77::1")[0],
                    v6("2001:db8:77::1")[1]).udp(1, 2).payload(18).build(),
            new PacketBuilder().ethernet(MAC_IF0, mac).arp(2, mac, v4("172.16.9.1"), MAC_IF0, v4("192.0.2.1")).build()};
    }
}
