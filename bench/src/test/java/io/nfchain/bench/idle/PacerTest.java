package io.nfchain.bench.idle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Pacing arithmetic on a simulated clock: no wall time. */
class PacerTest {
    private static final long SECOND_NS = 1_000_000_000L;

    @Test
    void framesAreDueAtTheRateFromTheStart() {
        Pacer pacer = new Pacer(1_000_000, 500);
        assertEquals(0, pacer.dueBy(499));
        assertEquals(1, pacer.dueBy(500), "frame 0 is due at the start");
        assertEquals(1, pacer.dueBy(1_499));
        assertEquals(2, pacer.dueBy(1_500));
        assertEquals(1_000_001, pacer.dueBy(500 + SECOND_NS), "1 Mfps for one second");
        assertEquals(10_001, new Pacer(10_000, 0).dueBy(SECOND_NS));
        assertEquals(3, new Pacer(0.5, 0).dueBy(4 * SECOND_NS), "slower than one a second");
    }

    @Test
    void aSenderThatSendsWhatIsDueKeepsTheRateAndItsBurstBound() {
        SplittableRandom random = new SplittableRandom(17);
        for (int trial = 0; trial < 200; trial++) {
            double rate = Math.pow(10, random.nextDouble(2, 7.5)); // 100 .. 30M frames/s
            long start = random.nextLong(1L << 40);
            Pacer pacer = new Pacer(rate, start);
            int maxBurst = 1 + random.nextInt(64);
            long now = start;
            long end = start + SECOND_NS / 10;
            while (now < end) {
                int due = pacer.due(now, maxBurst);
                assertTrue(due >= 0 && due <= maxBurst, "burst bound");
                pacer.offered(due);
                assertTrue(pacer.offeredFrames() <= pacer.dueBy(now), "never ahead of the schedule");
                // steps from 10 ns to a 5 ms stall (a descheduled sender)
                now += random.nextInt(100) == 0 ? 5_000_000 : 10 + random.nextLong(20_000);
            }
            for (int i = 0; pacer.offeredFrames() < pacer.dueBy(now); i++) { // catching up, a burst at a time
                assertTrue(i < 10_000_000, "catches up");
                pacer.offered(pacer.due(now, maxBurst));
            }
            assertEquals(pacer.dueBy(now), pacer.offeredFrames(), "at " + rate + " frames/s");
            long expected = (long) ((now - start) * rate / 1e9) + 1;
            assertTrue(Math.abs(expected - pacer.offeredFrames()) <= 1, "the offered rate holds");
        }
    }

    @Test
    void theNextDueTimeIsTheFirstNanosecondWithAFrameDue() {
        SplittableRandom random = new SplittableRandom(19);
        for (int trial = 0; trial < 20_000; trial++) {
            double rate = Math.pow(10, random.nextDouble(0, 9));
            long start = random.nextLong(1L << 50);
            Pacer pacer = new Pacer(rate, start);
            pacer.offered(random.nextInt(1_000_000));
            long next = pacer.nextDueNs();
            assertEquals(0, pacer.due(next - 1, 32), "nothing due a nanosecond before, at rate " + rate);
            assertTrue(pacer.due(next, 32) >= 1, "due at " + next + ", rate " + rate);
        }
    }

    @Test
    void aRateMustBePositiveAndFinite() {
        assertThrows(IllegalArgumentException.class, () -> new Pacer(0, 0));
        assertThrows(IllegalArgumentException.class, () -> new Pacer(-1, 0));
        assertThrows(IllegalArgumentException.class, () -> new Pacer(Double.NaN, 0));
        assertThrows(IllegalArgumentException.class, () -> new Pacer(Double.POSITIVE_INFINITY, 0));
    }
}
