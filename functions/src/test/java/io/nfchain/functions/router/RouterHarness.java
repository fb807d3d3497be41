package io.nfchain.functions.router;

import io.nfchain.api.router.v1.Neighbor;
import io.nfchain.api.router.v1.NextHop;
import io.nfchain.api.router.v1.Route;
import io.nfchain.core.memif.PacketBurst;
import io.nfchain.core.packet.IpAddresses;
import io.nfchain.functions.sdk.CounterSet;
import io.nfchain.functions.sdk.PacketVector;
import java.lang.foreign.MemorySegment;
import java.util.List;

/**
 * Not thread-safe. A router with three interfaces and a burst to run it on, as the NF author
 * guide tests a function: frames in, one {@code process}, bytes and outputs out.
 */
final class RouterHarness implements AutoCloseable {
    static final long MAC_IF0 = 0x02_00_00_00_00_01L;
    static final long MAC_IF1 = 0x02_00_00_00_00_02L;
    static final long MAC_IF2 = 0x02_00_00_00_00_03L;
    static final long MAC_HOST = 0x02_00_00_00_00_a0L;
    static final long MAC_GW1 = 0x02_00_00_00_00_b2L;
    static final long MAC_GW2 = 0x02_00_00_00_00_c2L;
    static final int HEADROOM = 128;

    final RouterFunction router;
    PacketBurst burst;
    final CounterSet<RouterCounter> counters = new CounterSet<>(RouterCounter.class);
    PacketVector<RouterCounter> vector;

    RouterHarness(int icmpRate, int icmpBurst) {
        router = new RouterFunction(List.of(
                RouterInterface.of("if0", "02:00:00:00:00:01", "192.0.2.1", "2001:db8::1", 1500),
                RouterInterface.of("if1", "02:00:00:00:00:02", "198.51.100.1", "2001:db8:1::1", 1400),
                RouterInterface.of("if2", "02:00:00:00:00:03", "203.0.113.1", "2001:db8:2::1", 1500)),
                icmpRate, icmpBurst, 64);
        burst = new PacketBurst(64, 2048, HEADROOM);
        vector = new PacketVector<>(burst, counters, 3);
    }

    RouterHarness() {
        this(1_000_000, 1_000_000);
    }

    /** The routes and neighbours most tests use. */
    RouterHarness standardTables() {
        RouterControl c = router.control();
        c.addRoutes(List.of(
                route("192.0.2.0/24", hop("", 0)),
                route("10.0.0.0/8", hop("198.51.100.2", 1)),
                route("10.1.0.0/16", hop("198.51.100.2", 1), hop("203.0.113.2", 2)),
                route("2001:db8::/64", hop("", 0)),
                route("2001:db8:100::/48", hop("2001:db8:1::2", 1), hop("2001:db8:2::2", 2))));
        c.setNeighbors(List.of(
                neighbor("192.0.2.10", "02:00:00:00:00:a0", 0),
                neighbor("198.51.100.2", "02:00:00:00:00:b2", 1),
                neighbor("203.0.113.2", "02:00:00:00:00:c2", 2),
                neighbor("2001:db8::10", "02:00:00:00:00:a0", 0),
                neighbor("2001:db8:1::2", "02:00:00:00:00:b2", 1),
                neighbor("2001:db8:2::2", "02:00:00:00:00:c2", 2)));
        return this;
    }

    static Route route(String prefix, NextHop... hops) {
        return Route.newBuilder().setPrefix(prefix).addAllNextHops(List.of(hops)).build();
    }

    static NextHop hop(String via, int output) {
        return NextHop.newBuilder().setVia(via).setOutput(output).build();
    }

    static Neighbor neighbor(String address, String mac, int output) {
        return Neighbor.newBuilder().setAddress(address).setMac(mac).setOutput(output).build();
    }

    static int v4(String text) {
        return IpAddresses.parseIpv4(text);
    }

    static long[] v6(String text) {
        return IpAddresses.parseIpv6(text);
    }

    /** Writes {@code frames} into a fresh burst and runs the router once on them, as received on {@code input}. */
    void run(int input, long nowNs, MemorySegment... frames) {
        burst.close();
        burst = new PacketBurst(64, 2048, HEADROOM);
        vector = new PacketVector<>(burst, counters, 3);
        burst.setCount(frames.length);
        for (int i = 0; i < frames.length; i++) {
            MemorySegment.copy(frames[i], 0, burst.data(), burst.offset(i), frames[i].byteSize());
            burst.setLength(i, (int) frames[i].byteSize());
        }
        vector.begin(nowNs, input);
        router.process(vector);
    }

    byte[] bytes(int i) {
        return burst.data().asSlice(burst.offset(i), burst.length(i)).toArray(java.lang.foreign.ValueLayout.JAVA_BYTE);
    }

    @Override
    public void close() {
        burst.close();
    }
}
