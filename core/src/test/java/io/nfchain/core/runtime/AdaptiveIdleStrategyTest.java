package io.nfchain.core.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class AdaptiveIdleStrategyTest {
    private static final long US = 1_000;
    /** What one duty cycle of a small agent costs, in the simulations. */
    private static final long CYCLE_NS = 200;

    private final ManualClock clock = new ManualClock(1_000_000_000L);
    private final RecordingSleeper sleeper = new RecordingSleeper(clock);
    private final AdaptiveIdleStrategy.Settings settings = AdaptiveIdleStrategy.Settings.DEFAULTS;
    private final AdaptiveIdleStrategy adaptive = new AdaptiveIdleStrategy(settings, clock, sleeper);

    @Test
    void spinsThroughTheFirstEmptyPollsAfterWorkThenSleeps() {
        adaptive.idle(32);
        for (int i = 0; i < settings.spinPolls(); i++) {
            adaptive.idle(0);
        }
        assertEquals(List.of(), sleeper.parksNs, "empty polls right after work spin");
        adaptive.idle(0);
        assertEquals(1, sleeper.parksNs.size(), "the next empty poll sleeps");
        assertEquals(1, adaptive.sleeps());
    }

    @Test
    void aQuietLinkSleepsLongerAndLongerUpToTheQuietBound() {
        idleEmpty(settings.spinPolls() + 8);
        assertEquals(List.of(50 * US, 100 * US, 200 * US, 400 * US, 800 * US, 1_600 * US, 2_000 * US, 2_000 * US),
                sleeper.parksNs);
        assertEquals(7_150 * US, adaptive.sleptNs());
    }

    @Test
    void anOverdueBurstIsProbedFromTheShortestSleepDoublingToTheLatencyBudget() {
        adaptive.idle(1);
        clock.advance(10 * US);
        adaptive.idle(1); // learned gap: 10 µs
        clock.advance(10 * US);
        idleEmpty(settings.spinPolls());
        // now 10 µs after the last burst: the next one is due, so probe from the shortest sleep
        idleEmpty(8);
        // the bound is the budget less the least wake-up latency: 50 - 2 µs
        assertEquals(List.of(1 * US, 2 * US, 4 * US, 8 * US, 16 * US, 32 * US, 48 * US, 48 * US), sleeper.parksNs);
    }

    @Test
    void returnsToSpinningAtOnceWhenWorkArrivesAndNeverSleepsUnderLoad() {
        idleEmpty(settings.spinPolls() + 3);
        sleeper.takeParks();
        adaptive.idle(1);
        idleEmpty(settings.spinPolls());
        assertEquals(List.of(), sleeper.takeParks(), "work resets the idle sequence");

        for (int i = 0; i < 100_000; i++) {
            clock.advance(CYCLE_NS);
            adaptive.idle(i % 8 == 7 ? 0 : 32); // busy: an empty poll now and then
        }
        assertEquals(List.of(), sleeper.parksNs, "a loaded loop never sleeps");
    }

    @Test
    void neverSleepsOutsideItsBoundsWhateverTheTraffic() {
        SplittableRandom random = new SplittableRandom(42);
        long lastWorkNs = clock.nanoTime() - settings.quietAfterNs(); // no work yet: quiet
        for (int i = 0; i < 200_000; i++) {
            clock.advance(random.nextLong(50, 3_000));
            int work = random.nextInt(100) < 3 ? random.nextInt(1, 64) : 0;
            if (random.nextInt(10_000) == 0) {
                clock.advance(random.nextLong(2_000 * US)); // a quiet spell now and then
            }
            long before = clock.nanoTime();
            adaptive.idle(work);
            lastWorkNs = work > 0 ? before : lastWorkNs;
            for (long parkNs : sleeper.takeParks()) {
                assertTrue(parkNs >= settings.minSleepNs(), "slept " + parkNs);
                boolean live = before - lastWorkNs < settings.quietAfterNs();
                long bound = live ? settings.maxSleepNs() : settings.quietSleepNs();
                assertTrue(parkNs <= bound,
                        "slept " + parkNs + " ns, bound " + bound + (live ? " (live)" : " (quiet)"));
            }
        }
        assertTrue(adaptive.sleeps() > 1_000, "the script exercised sleeping: " + adaptive.sleeps());
    }

    @Test
    void learnsASteadyBurstPeriodAndSleepsAcrossMostOfIt() {
        SimulatedLink link = SimulatedLink.periodicBursts(clock.nanoTime() + 5 * US, 20 * US, 200, 32);
        SimulatedLink.drive(link, adaptive, clock, CYCLE_NS);

        long gapNs = adaptive.predictedGapNs();
        assertTrue(Math.abs(gapNs - 20 * US) <= 2 * US, "predicted gap " + gapNs + " ns, bursts every 20 µs");
        double sleepShare = (double) adaptive.sleptNs() / (200 * 20 * US);
        assertTrue(sleepShare > 0.7, "asleep " + sleepShare + " of the time");
        assertTrue(adaptive.sleeps() <= 200 * 3, "sleeps per burst " + adaptive.sleeps() / 200.0);
        long worstWaitNs = link.maxWaitNs(50 * 32, 200 * 32);
        assertTrue(worstWaitNs <= 3 * US, "worst wait once learned " + worstWaitNs + " ns");
    }

    @Test
    void followsARateChangeInsteadOfLearningItsOwnSleepPeriod() {
        // Slow traffic first: the poller learns to sleep long.
        SimulatedLink slow = SimulatedLink.periodicBursts(clock.nanoTime() + 5 * US, 45 * US, 100, 1);
        SimulatedLink.drive(slow, adaptive, clock, CYCLE_NS);
        assertTrue(adaptive.predictedGapNs() > 40 * US, "learned " + adaptive.predictedGapNs());

        // Then one packet every 5 µs: a poller that learned its own 45 µs period would keep it.
        SimulatedLink fast = SimulatedLink.periodicBursts(clock.nanoTime() + 1 * US, 5 * US, 2_000, 1);
        SimulatedLink.drive(fast, adaptive, clock, CYCLE_NS);
        assertTrue(adaptive.predictedGapNs() < 7 * US,
                "learned " + adaptive.predictedGapNs() + " ns for 5 µs arrivals");
        long worstWaitNs = fast.maxWaitNs(1_000, 2_000);
        assertTrue(worstWaitNs <= 3 * US, "worst wait once adapted " + worstWaitNs + " ns");
    }

    @Test
    void learnsHowLateTheKernelWakesItAndKeepsSleepPlusLatenessWithinTheBudget() {
        sleeper.oversleepNs = 20 * US;
        SimulatedLink link = SimulatedLink.periodicBursts(clock.nanoTime() + 5 * US, 100 * US, 300, 8);
        SimulatedLink.drive(link, adaptive, clock, CYCLE_NS);

        assertTrue(Math.abs(adaptive.wakeLatencyNs() - 20 * US) <= 1 * US,
                "learned lateness " + adaptive.wakeLatencyNs());
        List<Long> parks = sleeper.takeParks();
        List<Long> late = parks.subList(parks.size() / 2, parks.size());
        assertTrue(late.stream().allMatch(ns -> ns + 20 * US <= settings.maxSleepNs() + 1 * US), "sleeps " + late);
        long worstWaitNs = link.maxWaitNs(150 * 8, 300 * 8);
        assertTrue(worstWaitNs <= settings.maxSleepNs(), "worst wait " + worstWaitNs + " ns within the 50 µs budget");
    }

    @Test
    void busyPollsLiveTrafficWhenTheKernelWakesItTooLateForAnySleepButStillSleepsOnAQuietLink() {
        sleeper.oversleepNs = 80 * US;
        idleEmpty(settings.spinPolls() + 400); // quiet: sleeps, and learns the lateness
        assertTrue(adaptive.wakeLatencyNs() > 70 * US, "learned lateness " + adaptive.wakeLatencyNs());
        sleeper.takeParks();

        adaptive.idle(4);
        for (int i = 0; i < 1_000; i++) {
            clock.advance(CYCLE_NS);
            adaptive.idle(0);
        }
        assertEquals(List.of(), sleeper.takeParks(), "live traffic: a sleep would break the 50 µs budget");
        assertEquals(1_000 - settings.spinPolls(), sleeper.yields, "past the spins, each empty poll yields the core");
        assertEquals(sleeper.yields, adaptive.yields());
        clock.advance(settings.quietAfterNs());
        adaptive.idle(0);
        assertEquals(1, sleeper.takeParks().size(), "quiet again: sleeps");
    }

    @Test
    void aFewVeryLateWakeUpsOnABusyHostDoNotStopItSleeping() {
        SplittableRandom random = new SplittableRandom(7);
        for (int i = 0; i < 2_000; i++) {
            // mostly 5 µs late; one wake in 20 waits 2 ms for a CPU (contention, not timer lateness)
            sleeper.oversleepNs = random.nextInt(20) == 0 ? 2_000 * US : 5 * US;
            adaptive.idle(0);
        }
        assertTrue(adaptive.wakeLatencyNs() < 15 * US, "learned lateness " + adaptive.wakeLatencyNs());
    }

    @Test
    void countsTheTypicalLatenessInFullEvenWhenSomeWakeUpsAreQuick() {
        SplittableRandom random = new SplittableRandom(11);
        for (int i = 0; i < 2_000; i++) {
            // two wakes in three are 60 µs late, the others 2 µs: sleeping would usually break the budget
            sleeper.oversleepNs = random.nextInt(3) == 0 ? 2 * US : 60 * US;
            adaptive.idle(0);
        }
        assertTrue(adaptive.wakeLatencyNs() > 50 * US, "learned lateness " + adaptive.wakeLatencyNs());
    }

    @Test
    void rejectsSettingsOutOfRange() {
        assertThrows(IllegalArgumentException.class, () -> new AdaptiveIdleStrategy.Settings(16, 0, 50, 0, 1, 50, 3));
        assertThrows(IllegalArgumentException.class, () -> new AdaptiveIdleStrategy.Settings(16, 10, 5, 0, 1, 50, 3));
        assertThrows(IllegalArgumentException.class, () -> new AdaptiveIdleStrategy.Settings(16, 1, 50, 0, 1, 40, 3));
        assertEquals(20 * US, settings.withMaxSleepNs(20 * US).maxSleepNs());
    }

    private void idleEmpty(int times) {
        for (int i = 0; i < times; i++) {
            adaptive.idle(0);
        }
    }
}
