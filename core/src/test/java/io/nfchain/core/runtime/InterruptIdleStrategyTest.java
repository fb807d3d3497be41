package io.nfchain.core.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class InterruptIdleStrategyTest {
    private static final long US = 1_000;
    private static final long BLOCK_AFTER_NS = 1_000 * US;
    private static final long TIMEOUT_NS = 100_000 * US;

    private final ManualClock clock = new ManualClock(1_000_000_000L);
    private final RecordingSleeper sleeper = new RecordingSleeper(clock);
    private final ScriptedWakeupSource source = new ScriptedWakeupSource();
    private final AdaptiveIdleStrategy adaptive =
            new AdaptiveIdleStrategy(AdaptiveIdleStrategy.Settings.DEFAULTS, clock, sleeper);
    private final InterruptIdleStrategy interrupt = new InterruptIdleStrategy(
            new InterruptIdleStrategy.Settings(BLOCK_AFTER_NS, TIMEOUT_NS), adaptive, source, clock);

    {
        source.clock = clock;
    }

    @Test
    void microSleepsDuringShortIdleSpellsThenArmsAndBlocks() {
        interrupt.idle(1);
        idleUntilTheFirstBlock();
        assertEquals(List.of("arm", "await " + TIMEOUT_NS, "disarm"), source.calls);
        long microSleptNs = sleeper.parksNs.stream().mapToLong(Long::longValue).sum();
        assertTrue(microSleptNs >= BLOCK_AFTER_NS - 20 * US && microSleptNs < BLOCK_AFTER_NS + 50 * US,
                "micro-slept " + microSleptNs + " ns, then blocked");
        assertTrue(sleeper.parksNs.stream().allMatch(ns -> ns <= 50 * US),
                "micro-sleeps within the budget: " + sleeper.parksNs);
    }

    @Test
    void blocksAgainAfterATimeoutAndCountsTheBlocksAsSleeps() {
        idleUntilTheFirstBlock();
        long sleepsBefore = interrupt.sleeps();
        interrupt.idle(0);
        interrupt.idle(0);
        assertEquals(List.of("arm", "await " + TIMEOUT_NS, "disarm", "arm", "await " + TIMEOUT_NS, "disarm",
                "arm", "await " + TIMEOUT_NS, "disarm"), source.calls);
        assertEquals(sleepsBefore + 2, interrupt.sleeps());
        assertEquals(0, interrupt.signalledWakes());
    }

    @Test
    void doesNotBlockWhenWorkIsPendingOnArming() {
        idleUntilTheFirstBlock();
        source.calls.clear();
        source.pendingOnArm = true;
        interrupt.idle(0);
        assertEquals(List.of("arm", "disarm"), source.calls, "work published before arming: poll, do not block");
    }

    @Test
    void aSignalReturnsToPollingAndOnlyAnotherFullIdleSpellBlocksAgain() {
        source.signalOnAwait = true;
        source.awaitTakesNs = 30 * US;
        idleUntilTheFirstBlock();
        assertEquals(1, interrupt.signalledWakes());
        source.calls.clear();
        sleeper.takeParks();

        interrupt.idle(0); // the signal's work is not visible yet: micro-sleep, do not block
        assertEquals(List.of(), source.calls);
        interrupt.idle(4);
        for (int i = 0; i < 16; i++) {
            interrupt.idle(0);
        }
        assertEquals(List.of(), source.calls);
        assertEquals(List.of(), sleeper.takeParks(), "after work, spinning again");
    }

    @Test
    void wakeReachesTheSource() {
        interrupt.wake();
        assertEquals(1, source.wakes);
    }

    private void idleUntilTheFirstBlock() {
        int cycles = 0;
        while (source.calls.isEmpty()) {
            clock.advance(100);
            interrupt.idle(0);
            if (++cycles > 100_000) {
                throw new AssertionError("never blocked");
            }
        }
    }
}
