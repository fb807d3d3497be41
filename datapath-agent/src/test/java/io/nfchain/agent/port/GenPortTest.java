package io.nfchain.agent.port;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nfchain.agent.spec.PortRange;
import io.nfchain.agent.spec.PortSpec;
import io.nfchain.agent.spec.Prefix;
import io.nfchain.core.memif.PacketBurst;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The gen port's schedule: rate, bursts of at least rate / 100k frames, the limit, falling behind. */
class GenPortTest {
    private static final long US = 1_000;

    private static GenPort gen(List<Integer> mix) {
        return new GenPort(new PortSpec.Gen("g", 0, mix, 8, Prefix.parse("source", "10.0.0.0/24"),
                Prefix.parse("destination", "10.1.0.0/16"), 17, new PortRange(1024, 65535), 9, 0));
    }

    private static GenPort gen(long ratePps, long limitPackets) {
        return new GenPort(new PortSpec.Gen("g", ratePps, List.of(64, 128), 8, Prefix.parse("source", "10.0.0.0/24"),
                Prefix.parse("destination", "10.1.0.0/16"), 17, new PortRange(1024, 65535), 9, limitPackets));
    }

    @Test
    void openLoopMakesAFullBurstEveryPoll() {
        try (GenPort g = gen(0, 0); PacketBurst burst = new PacketBurst(32, 2048)) {
            for (int i = 0; i < 5; i++) {
                assertEquals(32, g.rxBurst(burst, 0));
            }
            assertEquals(64, burst.length(0));
            assertEquals(128, burst.length(1));
            assertEquals(160, g.counters().rxPackets());
        }
    }

    /**
     * Frames are flow 0's header patched with each flow's addresses, port and incremental
     * checksums: every frame must equal the one built whole, field by field, for its flow and
     * size, over random prefixes, port ranges, both IP versions and both protocols.
     */
    @Test
    void patchedHeadersEqualHeadersBuiltWholeForEveryFlow() {
        Random random = new Random(7);
        try (PacketBurst burst = new PacketBurst(64, 2048); Arena arena = Arena.ofConfined()) {
            MemorySegment expected = arena.allocate(2048);
            for (int spec = 0; spec < 40; spec++) {
                boolean v6 = spec % 2 == 1;
                int protocol = spec % 4 < 2 ? 17 : 6;
                int firstPort = random.nextInt(65536);
                int lastPort = random.nextBoolean() ? firstPort : Math.min(65535, firstPort + random.nextInt(70000));
                int flows = 1 + random.nextInt(random.nextBoolean() ? 7 : 6000);
                List<Integer> mix = List.of(80 + random.nextInt(100), 200 + random.nextInt(1300), 1518);
                PortSpec.Gen g = new PortSpec.Gen("g", 0, mix, flows, prefix("source", v6, random),
                        prefix("destination", v6, random), protocol, new PortRange(firstPort, lastPort),
                        random.nextInt(65536), 0);
                try (GenPort port = new GenPort(g)) {
                    PacketBurst own = port.receiveBurst(burst);
                    long made = 0;
                    while (made < 5_000) {
                        PacketBurst into = random.nextBoolean() ? own : burst;
                        if (into == burst) {
                            burst.data().fill((byte) 0x5A); // what an earlier receive left behind
                        }
                        int n = port.rxBurst(into, 0);
                        for (int i = 0; i < n; i++, made++) {
                            int flow = (int) (made % flows);
                            int size = mix.get((int) (made % mix.size()));
                            expected.fill((byte) 0);
                            GenPort.build(g, flow, size, expected);
                            assertEquals(size, into.length(i));
                            assertEquals(-1L, MemorySegment.mismatch(into.data(), into.offset(i), into.offset(i) + size,
                                    expected, 0, size), () -> "flow " + flow + " of " + g);
                        }
                    }
                }
            }
        }
    }

    /**
     * UDP sends a computed sum of zero as all ones (RFC 768): for the flow that reaches it, and for
     * flow 0, whose header every other flow's is patched from. The destination port that puts the
     * flow there is searched for with the whole-packet builder.
     */
    @Test
    void aUdpSumOfZeroIsSentAsAllOnesInEveryFlow() {
        for (int zeroFlow : new int[] {0, 37}) {
            PortSpec.Gen g = null;
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment header = arena.allocate(128);
                for (int port = 0; port < 65536 && g == null; port++) {
                    PortSpec.Gen candidate = new PortSpec.Gen("g", 0, List.of(64), 64, Prefix.parse("source", "10.0.0.0/24"),
                            Prefix.parse("destination", "10.1.0.0/16"), 17, new PortRange(1024, 65535), port, 0);
                    GenPort.build(candidate, zeroFlow, 64, header);
                    if (header.get(ValueLayout.JAVA_SHORT, 14 + 20 + 6) == -1) {
                        g = candidate;
                    }
                }
                assertTrue(g != null, "no destination port gives flow " + zeroFlow + " a zero sum");
                MemorySegment expected = arena.allocate(64);
                try (GenPort port = new GenPort(g); PacketBurst burst = new PacketBurst(64, 2048)) {
                    assertEquals(64, port.rxBurst(burst, 0));
                    for (int f = 0; f < 64; f++) {
                        expected.fill((byte) 0);
                        GenPort.build(g, f, 64, expected);
                        assertEquals(-1L, MemorySegment.mismatch(burst.data(), burst.offset(f), burst.offset(f) + 64, expected,
                                0, 64), "flow " + f + " with flow " + zeroFlow + " at a zero sum");
                    }
                    assertEquals(-1, burst.data().get(ValueLayout.JAVA_SHORT, burst.offset(zeroFlow) + 40));
                }
            }
        }
    }

    /** A random prefix of {@code v6}'s family, host bits clear. */
    private static Prefix prefix(String field, boolean v6, Random random) {
        if (v6) {
            int length = 48 + random.nextInt(81);
            return Prefix.parse(field, String.format(Locale.ROOT, "2001:db8:%x::/%d", random.nextInt(0x10000), length));
        }
        int length = 8 + random.nextInt(25);
        int address = random.nextInt() & (int) (0xFFFF_FFFF_0000_0000L >>> length);
        return Prefix.parse(field, String.format(Locale.ROOT, "%d.%d.%d.%d/%d", address >>> 24, address >>> 16 & 255,
                address >>> 8 & 255, address & 255, length));
    }

    @Test
    void framesMadeInItsOwnBurstEqualFramesMadeIntoADirtyOne() {
        List<Integer> mix = List.of(64, 300, 1500); // three sizes over 32 slots: each slot's size changes every round
        try (GenPort kept = gen(mix); GenPort fresh = gen(mix); PacketBurst worker = new PacketBurst(32, 2048);
                PacketBurst dirty = new PacketBurst(32, 2048)) {
            dirty.data().fill((byte) 0x5A); // what an earlier receive left behind
            PacketBurst own = kept.receiveBurst(worker);
            assertNotSame(worker, own);
            assertSame(own, kept.receiveBurst(worker), "kept across bursts");
            for (int round = 0; round < 7; round++) {
                int n = kept.rxBurst(own, 0);
                assertEquals(n, fresh.rxBurst(dirty, 0));
                for (int i = 0; i < n; i++) {
                    assertEquals(dirty.length(i), own.length(i));
                    assertEquals(-1L, MemorySegment.mismatch(own.data(), own.offset(i), own.offset(i) + own.length(i),
                            dirty.data(), dirty.offset(i), dirty.offset(i) + dirty.length(i)), "frame " + i + " of round " + round);
                }
            }
        }
    }

    @Test
    void highRatesLeaveInBurstsAtMostEveryTenMicroseconds() {
        // 3.2 Mpps: 32 frames fall due every 10 us; polled every microsecond, nothing leaves in between.
        try (GenPort g = gen(3_200_000, 0); PacketBurst burst = new PacketBurst(32, 2048)) {
            long sent = 0;
            int bursts = 0;
            for (long t = 0; t <= 1_000 * US; t += US) {
                int n = g.rxBurst(burst, t);
                if (n > 0) {
                    assertEquals(32, n, "at " + t);
                    bursts++;
                }
                sent += n;
            }
            assertEquals(100, bursts);
            assertEquals(3_200, sent);
            assertEquals(0, g.behind());
        }
    }

    @Test
    void burstSizeFollowsTheRateBelowAFullBurst() {
        try (GenPort g = gen(1_000_000, 0); PacketBurst burst = new PacketBurst(32, 2048)) {
            long sent = 0;
            for (long t = 0; t <= 1_000 * US; t += US) {
                int n = g.rxBurst(burst, t);
                assertTrue(n == 0 || n == 10, "1 Mpps leaves 10 frames at a time, not " + n + " at " + t);
                sent += n;
            }
            assertEquals(1_000, sent);
        }
    }

    @Test
    void lowRatesSendEachFrameWhenItFallsDue() {
        try (GenPort g = gen(10_000, 0); PacketBurst burst = new PacketBurst(32, 2048)) {
            assertEquals(0, g.rxBurst(burst, 0));
            assertEquals(0, g.rxBurst(burst, 99 * US));
            assertEquals(1, g.rxBurst(burst, 100 * US));
            assertEquals(0, g.rxBurst(burst, 150 * US));
            assertEquals(1, g.rxBurst(burst, 200 * US));
        }
    }

    @Test
    void aLimitBelowTheBurstStillLeaves() {
        try (GenPort g = gen(3_200_000, 5); PacketBurst burst = new PacketBurst(32, 2048)) {
            assertEquals(0, g.rxBurst(burst, 0));
            assertEquals(0, g.rxBurst(burst, US));
            assertEquals(5, g.rxBurst(burst, 2 * US));
            assertEquals(0, g.rxBurst(burst, 100 * US));
            assertTrue(!g.isUp());
        }
    }

    @Test
    void aWorkerFarBehindSkipsAheadAndCountsIt() {
        try (GenPort g = gen(1_000_000, 0); PacketBurst burst = new PacketBurst(32, 2048)) {
            g.rxBurst(burst, 0);
            assertEquals(32, g.rxBurst(burst, 100_000 * US)); // 100 ms late: 20 ms of frames kept, the rest skipped
            assertEquals(100_000 - 20_000, g.behind());
            assertEquals(Map.of("GEN_BEHIND", g.behind()), g.portDrops());
        }
    }
}
