package io.nfchain.agent.port;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nfchain.agent.spec.PortRange;
import io.nfchain.agent.spec.PortSpec;
import io.nfchain.agent.spec.Prefix;
import io.nfchain.core.memif.PacketBurst;
import java.lang.foreign.MemorySegment;
import java.util.List;
import java.util.Map;
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
