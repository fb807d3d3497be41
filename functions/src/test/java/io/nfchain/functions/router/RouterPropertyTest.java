package io.nfchain.functions.router;

import static io.nfchain.functions.router.RouterHarness.hop;
import static io.nfchain.functions.router.RouterHarness.neighbor;
import static io.nfchain.functions.router.RouterHarness.route;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.nfchain.api.router.v1.Route;
import io.nfchain.core.packet.IpAddresses;
import io.nfchain.core.packet.NetBytes;
import io.nfchain.core.packet.PacketBuilder;
import io.nfchain.functions.sdk.PacketVector;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Random tables (added, replaced and deleted through the control plane) and random packets:
 * every packet leaves where a naive longest-prefix match says, towards the gateway's MAC, or
 * comes back as an ICMP error by the naive route towards its source.
 */
class RouterPropertyTest {
    private static final String[] GATEWAYS4 = {"192.0.2.2", "198.51.100.2", "203.0.113.2"};
    private static final String[] GATEWAYS6 = {"2001:db8::2", "2001:db8:1::2", "2001:db8:2::2"};
    private static final long[] GATEWAY_MACS = {0x02_00_00_00_01_00L, 0x02_00_00_00_01_01L, 0x02_00_00_00_01_02L};
    private static final long HOST_MAC = 0x02_00_00_00_00_a0L;

    @Test
    void randomTablesAndPacketsAgreeWithANaiveReference() {
        Random random = new Random(20240611);
        try (RouterHarness h = new RouterHarness()) {
            for (int g = 0; g < 3; g++) {
                h.router.control().setNeighbors(List.of(
                        neighbor(GATEWAYS4[g], NetBytes.macToString(GATEWAY_MACS[g]), g),
                        neighbor(GATEWAYS6[g], NetBytes.macToString(GATEWAY_MACS[g]), g)));
            }
            NaiveLpm naive4 = new NaiveLpm(32);
            NaiveLpm naive6 = new NaiveLpm(128);
            List<long[]> prefixes4 = new ArrayList<>();
            List<long[]> prefixes6 = new ArrayList<>();
            for (int round = 0; round < 20; round++) {
                changeTables(random, h, naive4, naive6, prefixes4, prefixes6);
                for (int b = 0; b < 20; b++) {
                    checkBurst(random, h, naive4, naive6, prefixes4, prefixes6);
                }
            }
        }
    }

    private static void changeTables(Random random, RouterHarness h, NaiveLpm naive4, NaiveLpm naive6,
            List<long[]> prefixes4, List<long[]> prefixes6) {
        List<Route> add = new ArrayList<>();
        for (int r = 0; r < 100; r++) {
            int out = random.nextInt(3);
            int length = random.nextInt(33);
            int p = (int) (random.nextInt() & StrideTrie.maskHi(length) >>> 32);
            if (length == 0) {
                p = 0;
            }
            add.add(route(IpAddresses.ipv4ToString(p) + "/" + length, hop(GATEWAYS4[out], out)));
            naive4.put((p & 0xFFFF_FFFFL) << 32, 0, length, out);
            prefixes4.add(new long[] {p, length});
            int length6 = random.nextInt(129);
            long hi = (random.nextLong() & StrideTrie.maskHi(length6)) & 0x1FFF_FFFF_FFFF_FFFFL | 0x2000_0000_0000_0000L;
            long lo = random.nextLong() & StrideTrie.maskLo(length6);
            if (length6 < 3) {
                hi = 0;
            }
            add.add(route(IpAddresses.ipv6ToString(hi, lo) + "/" + length6, hop(GATEWAYS6[out], out)));
            naive6.put(hi, lo, length6, out);
            prefixes6.add(new long[] {hi, lo, length6});
        }
        h.router.control().addRoutes(add);
        List<String> delete = new ArrayList<>();
        for (int r = 0; r < 30 && !prefixes4.isEmpty(); r++) {
            long[] p = prefixes4.remove(random.nextInt(prefixes4.size()));
            if (naive4.remove((p[0] & 0xFFFF_FFFFL) << 32, 0, (int) p[1]) >= 0) {
                delete.add(IpAddresses.ipv4ToString((int) p[0]) + "/" + p[1]);
            }
            long[] q = prefixes6.remove(random.nextInt(prefixes6.size()));
            if (naive6.remove(q[0], q[1], (int) q[2]) >= 0) {
                delete.add(IpAddresses.ipv6ToString(q[0], q[1]) + "/" + q[2]);
            }
        }
        h.router.control().deleteRoutes(delete);
    }

    private static void checkBurst(Random random, RouterHarness h, NaiveLpm naive4, NaiveLpm naive6,
            List<long[]> prefixes4, List<long[]> prefixes6) {
        int n = 32;
        MemorySegment[] frames = new MemorySegment[n];
        int[] expectedOutput = new int[n];
        long[] expectedMac = new long[n];
        for (int i = 0; i < n; i++) {
            boolean v6 = random.nextBoolean();
            int out;
            int back;
            if (!v6) {
                int src = (1 + random.nextInt(126)) << 24 | random.nextInt(1 << 24);
                int dst = (1 + random.nextInt(126)) << 24 | random.nextInt(1 << 24);
                if (random.nextBoolean() && !prefixes4.isEmpty()) {
                    long[] p = prefixes4.get(random.nextInt(prefixes4.size()));
                    dst = (int) p[0] | (int) (random.nextInt() & ~StrideTrie.maskHi((int) p[1]) >>> 32);
                    dst = (dst >>> 24) == 0 || (dst >>> 24) >= 127 ? 0x0a000001 : dst;
                }
                out = naive4.lookup4(dst);
                back = naive4.lookup4(src);
                frames[i] = new PacketBuilder().ethernet(RouterHarness.MAC_IF0, HOST_MAC).ipv4(src, dst)
                        .udp(random.nextInt(65536), 80).payload(random.nextInt(100)).build();
            } else {
                long srcHi = 0x2000_0000_0000_0000L | random.nextLong() >>> 3;
                long srcLo = random.nextLong();
                long dstHi = 0x2000_0000_0000_0000L | random.nextLong() >>> 3;
                long dstLo = random.nextLong();
                if (random.nextBoolean() && !prefixes6.isEmpty()) {
                    long[] p = prefixes6.get(random.nextInt(prefixes6.size()));
                    int length = (int) p[2];
                    dstHi = p[0] | random.nextLong() & ~StrideTrie.maskHi(length);
                    dstLo = p[1] | random.nextLong() & ~StrideTrie.maskLo(length);
                    if ((dstHi >>> 61) != 1) {
                        dstHi = 0x2000_0000_0000_0000L | dstHi >>> 3; // keep it global unicast
                    }
                }
                out = naive6.lookup(dstHi, dstLo);
                back = naive6.lookup(srcHi, srcLo);
                frames[i] = new PacketBuilder().ethernet(RouterHarness.MAC_IF0, HOST_MAC).ipv6(srcHi, srcLo, dstHi, dstLo)
                        .ipv6Fields(0, 0, 64).udp(random.nextInt(65536), 80).payload(random.nextInt(100)).build();
            }
            int chosen = out >= 0 ? out : back; // no route: an ICMP error goes back by the source's route
            expectedOutput[i] = chosen >= 0 ? chosen : PacketVector.DROP;
            expectedMac[i] = chosen >= 0 ? GATEWAY_MACS[chosen] : 0;
        }
        h.run(0, 0, frames);
        for (int i = 0; i < n; i++) {
            assertEquals(expectedOutput[i], h.vector.output(i), "packet " + i);
            if (expectedOutput[i] >= 0) {
                assertEquals(expectedMac[i], NetBytes.u48(h.burst.data(), h.burst.offset(i)), "packet " + i);
            }
        }
    }
}
