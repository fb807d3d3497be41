package io.nfchain.core.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class BackoffIdleStrategyTest {
    private final ManualClock clock = new ManualClock(1_000);
    private final RecordingSleeper sleeper = new RecordingSleeper(clock);
    private final BackoffIdleStrategy backoff =
            new BackoffIdleStrategy(new BackoffIdleStrategy.Settings(3, 2, 1_000, 8_000), clock, sleeper);

    @Test
    void spinsThenYieldsThenParksWithDoublingPeriodsUpToTheMax() {
        idleEmpty(3);
        assertEquals(0, sleeper.yields);
        assertEquals(List.of(), sleeper.parksNs);

        idleEmpty(2);
        assertEquals(2, sleeper.yields);
        assertEquals(List.of(), sleeper.parksNs);

        idleEmpty(6);
        assertEquals(List.of(1_000L, 2_000L, 4_000L, 8_000L, 8_000L, 8_000L), sleeper.parksNs);
        assertEquals(6, backoff.sleeps());
        assertEquals(31_000, backoff.sleptNs());
    }

    @Test
    void workStartsTheSequenceAgain() {
        idleEmpty(3 + 2 + 3);
        assertEquals(List.of(1_000L, 2_000L, 4_000L), sleeper.takeParks());

        backoff.idle(5);
        idleEmpty(3 + 2 + 1);
        assertEquals(List.of(1_000L), sleeper.takeParks(),
                "after work: spins and yields again, then the shortest park");
        assertEquals(4, sleeper.yields);
    }

    @Test
    void rejectsSettingsOutOfRange() {
        assertThrows(IllegalArgumentException.class, () -> new BackoffIdleStrategy.Settings(-1, 0, 1, 1));
        assertThrows(IllegalArgumentException.class, () -> new BackoffIdleStrategy.Settings(0, 0, 0, 1));
        assertThrows(IllegalArgumentException.class, () -> new BackoffIdleStrategy.Settings(0, 0, 2_000, 1_000));
    }

    private void idleEmpty(int times) {
        for (int i = 0; i < times; i++) {
            backoff.idle(0);
        }
    }
}
