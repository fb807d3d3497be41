package io.nfchain.core.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class RunnerStatsTest {

    @Test
    void derivedFiguresFollowFromTheCounters() {
        // 1,000 cycles in 1 ms: 200 found 6,400 packets in 320 µs, 800 were empty; 50 sleeps of 10 µs.
        RunnerStats.Snapshot s = new RunnerStats.Snapshot(1_000, 200, 800, 6_400, 320_000, 50, 500_000, 2, 1_000_000);
        assertEquals(32.0, s.meanBurstSize());
        assertEquals(0.32, s.busyRatio(), 1e-12);
        assertEquals(50.0, s.nsPerWorkItem());
        assertEquals(0.8, s.emptyPollRatio(), 1e-12);
        assertEquals(0.5, s.sleepRatio(), 1e-12);
    }

    @Test
    void anEmptySnapshotDividesByNothing() {
        RunnerStats.Snapshot s = new RunnerStats.Snapshot(0, 0, 0, 0, 0, 0, 0, 0, 0);
        assertEquals(0.0, s.meanBurstSize());
        assertEquals(0.0, s.busyRatio());
        assertEquals(0.0, s.nsPerWorkItem());
        assertEquals(0.0, s.emptyPollRatio());
    }

    @Test
    void minusGivesTheFiguresOfAnInterval() {
        RunnerStats.Snapshot earlier = new RunnerStats.Snapshot(100, 10, 90, 100, 5_000, 3, 30_000, 0, 100_000);
        RunnerStats.Snapshot later = new RunnerStats.Snapshot(300, 110, 190, 3_300, 105_000, 5, 50_000, 1, 300_000);
        RunnerStats.Snapshot interval = later.minus(earlier);
        assertEquals(new RunnerStats.Snapshot(200, 100, 100, 3_200, 100_000, 2, 20_000, 1, 200_000), interval);
        assertEquals(32.0, interval.meanBurstSize());
        assertEquals(0.5, interval.busyRatio(), 1e-12);
        assertEquals(31.25, interval.nsPerWorkItem());
    }

    @Test
    void cyclesAddUpAsBusyEmptyOrFailed() {
        RunnerStats stats = new RunnerStats();
        stats.recordCycle(32, 400, false, 0, 0, 1_000);
        stats.recordCycle(0, 30, false, 1, 5_000, 6_100);
        stats.recordError();
        stats.recordCycle(0, 30, true, 1, 5_000, 6_200);
        stats.recordCycle(16, 250, false, 1, 5_000, 6_500);
        assertEquals(new RunnerStats.Snapshot(4, 2, 1, 48, 650, 1, 5_000, 1, 6_500), stats.snapshot());
        stats.recordTime(2, 9_000, 20_000);
        assertEquals(new RunnerStats.Snapshot(4, 2, 1, 48, 650, 2, 9_000, 1, 20_000), stats.snapshot());
        assertEquals(1, stats.errors());
    }

    @Test
    void readersOnAnotherThreadNeverSeeAHalfPublishedSnapshot() throws Exception {
        RunnerStats stats = new RunnerStats();
        AtomicBoolean stop = new AtomicBoolean();
        Thread writer = Thread.ofPlatform().name("stats-writer").start(() -> {
            for (long i = 1; !stop.get(); i++) {
                // every counter derives from the cycle count, so any mix of two publishes breaks an equation
                stats.recordCycle(3, 5, false, 7 * i, 11 * i, 13 * i);
                // A runner works between two publishes. A writer that only publishes leaves a reader almost
                // no moment with no write in progress: on some CPUs it then took under 100 snapshots a second.
                for (int k = 0; k < 32; k++) {
                    Thread.onSpinWait();
                }
            }
        });
        try {
            long changes = 0;
            long previous = 0;
            long deadline = System.nanoTime() + 300_000_000L;
            while (System.nanoTime() < deadline || changes < 1_000) {
                RunnerStats.Snapshot s = stats.snapshot();
                long i = s.loops();
                assertEquals(new RunnerStats.Snapshot(i, i, 0, 3 * i, 5 * i, 7 * i, 11 * i, 0, 13 * i), s);
                assertTrue(i >= previous, "counters never go back");
                changes += i != previous ? 1 : 0;
                previous = i;
                if (System.nanoTime() > deadline + 10_000_000_000L) {
                    break;
                }
            }
            assertTrue(changes >= 1_000, "reader saw the writer progress: " + changes);
        } finally {
            stop.set(true);
            writer.join();
        }
    }
}
