package io.nfchain.functions.qos;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Rate accuracy on packet timestamps (no wall clock): 10 s of traffic offered at twice the rate,
 * packets of 64..1500 bytes stamped with the time of the 100 us poll that finds them (so at
 * 10 Gbit/s some 320 packets share a timestamp, as a runner's receive bursts do), through the policer QosFunction puts on an MBR (trTCM, PIR = MBR, CIR = MBR / 2,
 * bursts from {@link QosBursts}) and through an srTCM with CIR = rate. What passes (green plus
 * yellow) must be within 1% of rate x 10 s.
 */
class PolicerRateAccuracyTest {
    private static final long DURATION_NS = 10_000_000_000L;
    private static final long POLL_NS = 100_000;

    @ParameterizedTest
    @ValueSource(longs = {1_000_000L, 10_000_000L, 100_000_000L, 1_000_000_000L, 10_000_000_000L})
    void trTcmPassesTheMbrWithinOnePercent(long rateBps) {
        Policers p = new Policers(1);
        long burst = QosBursts.DEFAULT.bytes(rateBps);
        p.configureTrTcm(0, rateBps / 2, QosBursts.DEFAULT.bytes(rateBps / 2), rateBps, burst, false);
        check(p, rateBps, "trTCM");
    }

    @ParameterizedTest
    @ValueSource(longs = {1_000_000L, 10_000_000L, 100_000_000L, 1_000_000_000L, 10_000_000_000L})
    void srTcmPassesCirWithinOnePercent(long rateBps) {
        Policers p = new Policers(1);
        long burst = QosBursts.DEFAULT.bytes(rateBps);
        p.configureSrTcm(0, rateBps, burst / 2, burst / 2, false);
        check(p, rateBps, "srTCM");
    }

    private static void check(Policers p, long rateBps, String what) {
        SplittableRandom random = new SplittableRandom(rateBps);
        long passedBytes = 0;
        long offeredBytes = 0;
        long start = 1_000_000_000L;
        long arrivalNs = start;
        while (arrivalNs - start < DURATION_NS) {
            int bytes = 64 + random.nextInt(1437);
            // The receiver stamps what it finds at each poll with the poll's time.
            long stampNs = (arrivalNs + POLL_NS - 1) / POLL_NS * POLL_NS;
            if (p.police(0, bytes, stampNs, Policers.GREEN) != Policers.RED) {
                passedBytes += bytes;
            }
            offeredBytes += bytes;
            // Packets arrive at twice the rate: the next one when the bytes so far took that long
            // (from the totals, so the schedule itself does not drift).
            arrivalNs = start + (long) (offeredBytes * 8 * 1e9 / (2.0 * rateBps));
        }
        double expected = rateBps / 8.0 * DURATION_NS / 1e9;
        double ratio = passedBytes / expected;
        System.out.printf("rate-accuracy %s %d bit/s: passed %d of %d offered bytes, %.5f of rate x 10 s%n",
                what, rateBps, passedBytes, offeredBytes, ratio);
        assertTrue(Math.abs(ratio - 1) <= 0.01, what + " at " + rateBps + " bit/s passed " + passedBytes
                + " bytes of " + offeredBytes + " offered, " + ratio + " of rate x 10 s");
        assertTrue(offeredBytes > 1.9 * expected, "offered about twice the rate: " + offeredBytes);
    }
}
