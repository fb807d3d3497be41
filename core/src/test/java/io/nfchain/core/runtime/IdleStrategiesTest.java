package io.nfchain.core.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class IdleStrategiesTest {
    private final ManualClock clock = new ManualClock(0);
    private final IdleConfig config = IdleConfig.defaults().withClock(clock).withSleeper(new RecordingSleeper(clock));

    @Test
    void createsEachStrategyByItsName() {
        assertInstanceOf(BusySpinIdleStrategy.class, IdleStrategies.create("busy", config));
        assertInstanceOf(BackoffIdleStrategy.class, IdleStrategies.create("backoff", config));
        assertInstanceOf(AdaptiveIdleStrategy.class, IdleStrategies.create("adaptive", config));
        IdleStrategy interrupt = IdleStrategies.create("interrupt",
                config.withWakeupSource(new ScriptedWakeupSource()));
        assertInstanceOf(InterruptIdleStrategy.class, interrupt);
        for (String name : IdleStrategies.NAMES) {
            WakeupSource source = new ScriptedWakeupSource();
            assertEquals(name, IdleStrategies.create(name, config.withWakeupSource(source)).name());
        }
        assertEquals("adaptive", IdleStrategies.DEFAULT);
    }

    @Test
    void eachCallCreatesANewStrategyBecauseStrategiesHoldPerThreadState() {
        assertTrue(IdleStrategies.create("adaptive", config) != IdleStrategies.create("adaptive", config));
    }

    @Test
    void unknownNamesAndInterruptWithoutAWakeupSourceAreRejectedWithTheChoices() {
        IllegalArgumentException unknown =
                assertThrows(IllegalArgumentException.class, () -> IdleStrategies.create("sleepy", config));
        assertEquals("unknown idle strategy 'sleepy', expected one of [adaptive, busy, backoff, interrupt]",
                unknown.getMessage());
        assertThrows(IllegalArgumentException.class, () -> IdleStrategies.create("interrupt", config));
    }

    @Test
    void busyNeverSleeps() {
        IdleStrategy busy = IdleStrategies.create("busy", config);
        for (int i = 0; i < 1_000; i++) {
            busy.idle(0);
        }
        assertEquals(0, busy.sleeps());
        assertEquals(0, clock.nanoTime());
    }
}
